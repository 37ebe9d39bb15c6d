"""The end-to-end harness's own logic on canned inputs (the real run is a step of .ci/run, docs/app.md):
secret generation, env resolution, loopback mapping, the topic list, the Kafka stand-in on the
wire, planted-defect detection, and the migration runner's shell."""

from __future__ import annotations

import shutil
import socket
import string
import struct
import subprocess
from pathlib import Path
from types import SimpleNamespace

import pytest
from kafka.protocol.metadata import MetadataRequest, MetadataResponse
from kafka.protocol.producer import ProduceRequest, ProduceResponse
from kafka.record import MemoryRecordsBuilder

from components.platform.data import Topic, topic_script
from e2e.kafka_standin import KafkaStandIn, UNKNOWN_TOPIC_OR_PARTITION, supported_versions
from e2e.run import finish, Report
from e2e.spec import Loopback, SpecError, generate_password, random_values, secret_data, service_spec, topics_of

ROOT = Path(__file__).resolve().parent.parent


def test_passwords_follow_the_random_password_inputs():
    """Alphanumeric with minimums, as components/credentials.py asks for (special=False, min 2 each)."""
    args = {"length": 32, "special": False, "minLower": 2, "minUpper": 2, "minNumeric": 2}
    for _ in range(50):
        value = generate_password(args)
        assert len(value) == 32 and value.isalnum()
        assert sum(c in string.ascii_lowercase for c in value) >= 2
        assert sum(c in string.ascii_uppercase for c in value) >= 2
        assert sum(c in string.digits for c in value) >= 2
    assert any(not c.isalnum() for _ in range(20) for c in generate_password({"length": 40}))  # special defaults on


def resource(type_, name, inputs, outputs=None):
    return SimpleNamespace(type=type_, name=name, plain=inputs, outputs=outputs or {})


def test_secret_values_replace_the_mock_results_by_real_ones():
    pw = resource("random:index/randomPassword:RandomPassword", "credentials-database", {"length": 32, "special": False})
    secret = resource("kubernetes:core/v1:Secret", "s", {
        "metadata": {"name": "database-credentials", "namespace": "tartware-system"},
        "stringData": {"username": "tartware", "password": "mock-credentials-database-0123456789abcdef"}})
    other_ns = resource("kubernetes:core/v1:Secret", "o", {"metadata": {"name": "x", "namespace": "cache"},
                                                             "stringData": {"password": "p"}})
    data = secret_data([pw, secret, other_ns], "tartware-system", random_values([pw]))
    assert data[("database-credentials", "username")] == "tartware"
    real = data[("database-credentials", "password")]
    assert len(real) == 32 and real.isalnum() and "mock" not in real
    assert ("x", "password") not in data


def deployment(env):
    return {"kind": "Deployment", "metadata": {"name": "core-service"}, "spec": {"template": {"spec": {"containers": [{
        "ports": [{"name": "http", "containerPort": 3000}],
        "env": env,
        "startupProbe": {"httpGet": {"path": "/health", "port": "http"}, "periodSeconds": 5, "failureThreshold": 30},
        "readinessProbe": {"httpGet": {"path": "/ready", "port": "http"}, "periodSeconds": 5, "failureThreshold": 3},
    }]}}}}


def test_env_resolves_secret_refs_and_refuses_a_missing_key():
    ref = {"name": "AUTH_DEFAULT_PASSWORD", "valueFrom": {"secretKeyRef": {"name": "tartware-auth", "key": "default-password"}}}
    spec = service_spec(deployment([{"name": "NODE_ENV", "value": "production"}, ref]),
                        {("tartware-auth", "default-password"): "s3cret"})
    assert spec.env == {"NODE_ENV": "production", "AUTH_DEFAULT_PASSWORD": "s3cret"}
    assert spec.port == 3000 and [(p.kind, p.path, p.port) for p in spec.probes] == [
        ("startup", "/health", 3000), ("readiness", "/ready", 3000)]
    with pytest.raises(SpecError, match="AUTH_DEFAULT_PASSWORD reads Secret tartware-auth key default-password"):
        service_spec(deployment([ref]), {})
    missing: list[str] = []
    spec = service_spec(deployment([ref]), {}, missing)
    assert missing and "CreateContainerConfigError" in missing[0] and spec.env["AUTH_DEFAULT_PASSWORD"]


def test_in_cluster_addresses_map_to_loopback_and_unknown_ones_fail():
    loop = Loopback({("postgres-postgresql.database.svc.cluster.local", 5432): 40001,
                     ("core-service.tartware-system.svc.cluster.local", 3000): 3000})
    env = loop.map_env({"DB_HOST": "postgres-postgresql.database.svc.cluster.local", "DB_PORT": "5432",
                        "CORE_SERVICE_URL": "http://core-service.tartware-system.svc.cluster.local:3000",
                        "NODE_ENV": "production"}, "api-gateway")
    assert env == {"DB_HOST": "127.0.0.1", "DB_PORT": "40001", "CORE_SERVICE_URL": "http://127.0.0.1:3000",
                   "NODE_ENV": "production"}
    assert loop.used == {"postgres-postgresql.database.svc.cluster.local:5432": "127.0.0.1:40001",
                         "core-service.tartware-system.svc.cluster.local:3000": "127.0.0.1:3000"}
    with pytest.raises(SpecError, match="no local stand-in for jaeger.observability.svc.cluster.local:4318"):
        loop.map_value("http://jaeger.observability.svc.cluster.local:4318/v1/traces", "x")


def test_topics_come_from_the_programs_topic_job():
    script = topic_script((Topic("commands.primary", 128, 3, (("cleanup.policy", "compact"),)),
                           Topic("reservations.events", 64, 3)), "b:9093")
    job = resource("kubernetes:batch/v1:Job", "j", {"metadata": {"name": "redpanda-topics"}, "spec": {"template": {
        "spec": {"containers": [{"command": ["/bin/bash", "-c", script]}]}}}})
    assert topics_of([job]) == {"commands.primary": 128, "reservations.events": 64}
    with pytest.raises(SpecError, match="no topic list"):
        topics_of([])


def roundtrip(port, request, version, response_class):
    request.with_header(correlation_id=7, client_id="test-client")
    with socket.create_connection(("127.0.0.1", port)) as s:
        s.sendall(request.encode(version=version, header=True, framed=True))
        size = struct.unpack(">i", s.recv(4))[0]
        data = b""
        while len(data) < size:
            data += s.recv(size - len(data))
    return response_class[version].decode(data, header=True)


def test_the_kafka_standin_refuses_unknown_topics_and_records_what_it_receives():
    broker = KafkaStandIn({"commands.primary": 2}).start()
    try:
        meta = roundtrip(broker.port, MetadataRequest[1](topics=[MetadataRequest.MetadataRequestTopic(name="commands.primary"),
                                                                   MetadataRequest.MetadataRequestTopic(name="nope")]),
                         1, MetadataResponse)
        by_name = {t.name: t for t in meta.topics}
        assert by_name["commands.primary"].error_code == 0 and len(by_name["commands.primary"].partitions) == 2
        assert by_name["nope"].error_code == UNKNOWN_TOPIC_OR_PARTITION
        assert ("Metadata", "nope", "test-client") in broker.refused
        builder = MemoryRecordsBuilder(magic=2, compression_type=0, batch_size=1 << 20)
        builder.append(0, b"tenant-1", b'{"command":"guest.register"}', [("type", b"cmd")])
        builder.close()
        produce = ProduceRequest[3](transactional_id=None, acks=1, timeout_ms=1000, topic_data=[
            ProduceRequest.TopicProduceData(name="commands.primary", partition_data=[
                ProduceRequest.TopicProduceData.PartitionProduceData(index=1, records=builder.buffer())])])
        answer = roundtrip(broker.port, produce, 3, ProduceResponse)
        assert answer.responses[0].partition_responses[0].error_code == 0
        (record,) = broker.records
        assert (record.topic, record.partition, record.key, record.value) == (
            "commands.primary", 1, b"tenant-1", b'{"command":"guest.register"}')
    finally:
        broker.stop()
    assert supported_versions(ProduceRequest) == (3, 8)  # Produce is flexible from v9 (Kafka's schema)


def test_planted_defects_count_only_when_a_failure_names_them():
    report = Report(failures=["core-service: exited with 1: AUTH_DEFAULT_PASSWORD must be set in production"])
    assert finish(report, [["missing-env", "core-service", "AUTH_DEFAULT_PASSWORD"]], 0.0) == 0
    assert finish(report, [["missing-topic", "commands.primary"]], 0.0) == 1
    assert finish(Report(), [], 0.0) == 0 and finish(report, [], 0.0) == 1


@pytest.mark.skipif(shutil.which("shellcheck") is None, reason="shellcheck not installed (.ci/run installs it)")
def test_the_migration_runner_is_posix_sh_and_shellcheck_clean():
    result = subprocess.run(["shellcheck", "-s", "sh", str(ROOT / "ops" / "migrate" / "migrate.sh")],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stdout
