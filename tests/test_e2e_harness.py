"""The end-to-end harness's own logic on canned inputs (the real run is a step of .ci/run, docs/app.md):
secret generation, env resolution, loopback mapping, the topic list, the Kafka stand-in on the
wire, planted-defect selection and detection, the narrowed app build, and the operator scripts' shell."""

from __future__ import annotations

import json
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

from components.platform.data_tier import Topic, topic_script
from e2e.kafka_standin import KafkaStandIn, UNKNOWN_TOPIC_OR_PARTITION, supported_versions
from e2e.app import BUILD_TOOLS, lockfile_root_dev_versions, runtime_closure, transpile_command
from e2e.run import Report, caught, check_plants, plant_services, summary
from e2e.spec import (Loopback, ServiceSpec, SpecError, generate_password, random_values, secret_data, service_spec,
                      topics_of)

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


def test_a_plant_counts_only_when_its_own_failure_names_it():
    report = Report(failures=["core-service: exited with 1: AUTH_DEFAULT_PASSWORD must be set in production"])
    assert caught(["missing-env", "core-service", "AUTH_DEFAULT_PASSWORD"], report)
    assert not caught(["missing-topic", "commands.primary"], report)
    assert summary(Report(), [], [], {}, 0.0) == 0 and summary(report, [], [], {}, 0.0) == 1
    plant = ["missing-topic", "commands.primary"]
    assert summary(Report(), [("missing-topic:commands.primary", True)], [plant], {}, 0.0) == 0
    assert summary(Report(), [("missing-topic:commands.primary", False)], [plant], {}, 0.0) == 1
    assert summary(Report(), [], [plant], {}, 0.0) == 1  # a plant that never ran is not caught


def test_plants_start_only_what_they_touch_and_bad_plants_are_refused_before_anything_runs():
    services = {n: ServiceSpec(n, {"http": 1}, {"NODE_ENV": "production"}, []) for n in
                ("api-gateway", "core-service", "billing-service", "availability-guard-service",
                 "reservations-command-service", "notification-service")}
    assert plant_services("missing-env", ["billing-service", "NODE_ENV"], services) == ["billing-service"]
    # the services whose own files name the topic (facts/app_source.py APP_TOPICS), not the shared config's users
    assert plant_services("missing-topic", ["commands.primary"], services) == [
        "api-gateway", "availability-guard-service", "billing-service", "reservations-command-service"]
    assert plant_services("missing-topic", ["notifications.events"], services) == ["notification-service"]
    assert plant_services("skip-migration-step", ["bootstrap-admin"], services) == ["core-service"]
    rendered = SimpleNamespace(services=services, topics={"commands.primary": 1})
    check_plants([["missing-env", "core-service", "NODE_ENV"], ["missing-topic", "commands.primary"],
                  ["skip-migration-step", "bootstrap-admin"], ["skip-migration-step", "service-account"]], rendered)
    for bad in (["missing-env", "core-service", "NOPE"], ["missing-topic", "nope"],
                ["skip-migration-step", "nope"], ["missing-secret", "x"]):
        with pytest.raises(SystemExit):
            check_plants([bad], rendered)


LOCK = """\
lockfileVersion: '9.0'

importers:

  .:
    dependencies:
      dotenv:
        specifier: ^17.2.3
        version: 17.2.3
    devDependencies:
      '@swc/cli':
        specifier: ^0.8.1
        version: 0.8.1(@swc/core@1.15.24)(chokidar@5.0.0)
      tsx:
        specifier: ^4.21.0
        version: 4.21.0

  Apps/core-service:
    devDependencies:
      tsx:
        specifier: ^4.7.1
        version: 4.7.1

packages:
"""


def test_the_build_tools_are_the_versions_the_apps_lockfile_resolves_for_its_root():
    assert lockfile_root_dev_versions(LOCK) == {"@swc/cli": "0.8.1", "tsx": "4.21.0"}
    pinned = json.loads((ROOT / "e2e" / "package.json").read_text())["dependencies"]
    assert set(BUILD_TOOLS) <= set(pinned)


def package(root: Path, path: str, name: str, build: str, deps: dict[str, str] | None = None,
            tsconfig: str | None = None) -> None:
    (root / path).mkdir(parents=True)
    (root / path / "package.json").write_text(json.dumps({"name": name, "scripts": {"build": build},
                                                          "dependencies": deps or {}}))
    if tsconfig is not None:
        (root / path / "tsconfig.json").write_text(tsconfig)


def test_only_the_services_runtime_workspace_packages_are_transpiled_by_their_swc_step(tmp_path):
    swc = "swc src -d dist --strip-leading-paths --config-file ../../.swcrc -q"
    (tmp_path / "pnpm-workspace.yaml").write_text("packages:\n  - 'Apps/*'\n  - 'schema'\n")
    package(tmp_path, "Apps/core-service", "@tartware/core-service", swc,
            {"@tartware/config": "workspace:*", "pg": "^8"})
    package(tmp_path, "Apps/config", "@tartware/config", swc + " && tsc --emitDeclarationOnly",
            {"@tartware/schemas": "workspace:*"})
    package(tmp_path, "Apps/unused", "@tartware/unused", swc)
    package(tmp_path, "schema", "@tartware/schemas", "tsc", tsconfig='{ /* c */ "compilerOptions": {"isolatedModules": true}}')
    closure = runtime_closure(tmp_path, ["core-service"])
    assert sorted(closure) == ["@tartware/config", "@tartware/core-service", "@tartware/schemas"]
    assert transpile_command(closure["@tartware/config"], tmp_path) == swc.split()  # declarations left out
    assert transpile_command(closure["@tartware/schemas"], tmp_path) == [
        "swc", "src", "-d", "dist", "--strip-leading-paths", "--config-file", "../.swcrc", "-q"]
    package(tmp_path, "Apps/typed", "@tartware/typed", "tsc", tsconfig="{}")
    with pytest.raises(RuntimeError, match="isolatedModules"):
        transpile_command(tmp_path / "Apps" / "typed", tmp_path)
    with pytest.raises(RuntimeError, match="not a package of the app's workspace"):
        runtime_closure(tmp_path, ["nope"])


@pytest.mark.skipif(shutil.which("shellcheck") is None, reason="shellcheck not installed (.ci/run installs it)")
@pytest.mark.parametrize("script", ["ops/migrate/migrate.sh", "ops/tenant/enable-modules.sh"])
def test_the_operator_scripts_are_posix_sh_and_shellcheck_clean(script):
    result = subprocess.run(["shellcheck", "-s", "sh", str(ROOT / script)], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout


@pytest.mark.parametrize("args, refusal", [
    ([], "usage"),
    (["11111111-1111-1111-1111-111111111111"], "usage"),
    (["not-a-uuid", "core"], "lower-case UUID"),
    (["11111111-1111-1111-1111-111111111111", "Revenue"], "module names"),
    (["11111111-1111-1111-1111-111111111111", "x;drop"], "module names"),
])
def test_enable_modules_refuses_bad_arguments_before_it_connects(args, refusal):
    result = subprocess.run(["sh", str(ROOT / "ops" / "tenant" / "enable-modules.sh"), *args],
                            capture_output=True, text=True, env={"PATH": "/usr/bin:/bin", "PGHOST": "/nonexistent"})
    assert result.returncode == 1 and refusal in result.stderr, result.stderr
