"""The data tier under the mock engine: releases, HA in prod, secret wiring, guide names, bad input."""

from __future__ import annotations


import pytest

from stacks import versions
from tests.test_settings import assert_refused
from tools.offline import Secret, contains_secret, run_program, stack_config

RELEASE = "kubernetes:helm.sh/v3:Release"
SECRET = "kubernetes:core/v1:Secret"
NS = "tartware-infra"

# Official chart locations, written out by hand (not read from stacks/versions.py).
OFFICIAL = {
    "postgres": ("oci://registry-1.docker.io/bitnamicharts/postgresql", "database"),
    "redis": ("oci://registry-1.docker.io/bitnamicharts/redis", "cache"),
    "redpanda": ("https://charts.redpanda.com", "messaging"),
    "consul": ("https://helm.releases.hashicorp.com", "consul"),
}
PINS = {"postgres": versions.POSTGRESQL, "redis": versions.REDIS, "redpanda": versions.REDPANDA, "consul": versions.CONSUL}

_CACHE: dict = {}


def platform_run(stack: str, overrides=None):
    key = (stack, repr(sorted((overrides or {}).items())))
    if key in _CACHE:
        return _CACHE[key]
    run = run_program(stack, *stack_config(stack, overrides=overrides))
    _CACHE[key] = run
    return run


@pytest.fixture(params=["dev", "prod"])
def run(request):
    return platform_run(request.param)


def releases(run) -> dict:
    return {r.plain["name"]: r for r in run.of_type(RELEASE)}


def test_each_release_chart_repository_version_namespace(run):
    rels = releases(run)
    for name, (official, ns) in OFFICIAL.items():
        rel = rels[name].plain
        pin = PINS[name]
        assert rel["namespace"] == ns, name
        assert rel["version"] == pin.version, name
        if official.startswith("oci://"):
            assert rel["chart"] == official and pin.repo + "/" + pin.chart == official
        else:
            assert rel["repositoryOpts"]["repo"] == official == pin.repo
            assert rel["chart"] == pin.chart == name
        assert rel["createNamespace"] is False


def test_guide_names(run):
    pg = releases(run)["postgres"].plain
    assert pg["namespace"] == "database"  # kubectl exec -n database postgres-postgresql-0 ...
    values = pg["values"]
    assert values["auth"]["username"] == "tartware" and values["auth"]["database"] == "tartware"
    if values["architecture"] == "replication":
        # primary.name "" keeps StatefulSet/Service postgres-postgresql (pod postgres-postgresql-0)
        assert values["primary"]["name"] == ""
    assert releases(run)["consul"].plain["values"]["global"]["name"] == "consul"
    app = releases(run)["tartware"].plain["values"]["global"]["dataTier"]
    assert app["database"]["host"] == "postgres-postgresql.database.svc.cluster.local"
    assert app["database"]["port"] == 5432
    assert app["redis"]["host"] == "redis-master.cache.svc.cluster.local"
    assert "redpanda-0.redpanda.messaging.svc.cluster.local:9093" in app["kafka"]["brokers"]
    namespaces = {n.plain["metadata"]["name"]: n for n in run.of_type("kubernetes:core/v1:Namespace")}
    for ns in ("database", "cache", "messaging", "consul"):
        assert namespaces[ns].plain["metadata"]["labels"]["pod-security.kubernetes.io/enforce"] == "restricted"


def test_prod_is_highly_available():
    rels = releases(platform_run("prod"))
    pg = rels["postgres"].plain["values"]
    assert pg["architecture"] == "replication" and pg["readReplicas"]["replicaCount"] >= 1
    redis = rels["redis"].plain["values"]
    assert redis["architecture"] == "replication" and redis["sentinel"]["enabled"] is True
    assert redis["replica"]["replicaCount"] >= 3 and redis["sentinel"]["quorum"] == 2
    assert redis["sentinel"]["masterService"]["enabled"] is True  # redis-master follows the master
    assert rels["redpanda"].plain["values"]["statefulset"]["replicas"] >= 3
    assert rels["consul"].plain["values"]["server"]["replicas"] == 3
    for name in ("postgres", "redis", "redpanda", "consul"):
        assert rels[name].protect, name


def test_dev_is_light():
    rels = releases(platform_run("dev"))
    assert rels["postgres"].plain["values"]["architecture"] == "standalone"
    assert rels["redis"].plain["values"]["architecture"] == "standalone"
    assert rels["redpanda"].plain["values"]["statefulset"]["replicas"] == 1
    assert rels["consul"].plain["values"]["server"]["replicas"] == 1
    for name in ("postgres", "redis", "redpanda", "consul"):
        assert not rels[name].protect


def test_metrics_exporters_on(run):
    rels = releases(run)
    assert rels["postgres"].plain["values"]["metrics"]["enabled"] is True
    assert rels["redis"].plain["values"]["metrics"]["enabled"] is True
    assert rels["consul"].plain["values"]["global"]["metrics"]["enabled"] is True
    monitors = {m.plain["metadata"]["name"] for m in run.of_type("kubernetes:monitoring.coreos.com/v1:ServiceMonitor")}
    assert {"data-tier-exporters", "redpanda", "consul-server"} <= monitors


def test_same_password_feeds_database_and_app(run):
    secrets = {(s.plain["metadata"]["namespace"], s.plain["metadata"]["name"]): s for s in run.of_type(SECRET)}
    db = secrets[("database", "postgres-credentials")]
    app = secrets[("tartware-system", "database-credentials")]
    assert isinstance(db.inputs["stringData"], Secret) or contains_secret(db.inputs["stringData"])
    assert db.plain["stringData"]["password"] == app.plain["stringData"]["password"]
    assert db.plain["stringData"]["postgres-password"] != db.plain["stringData"]["password"]
    cache = secrets[("cache", "redis-credentials")]
    app_redis = secrets[("tartware-system", "redis-credentials")]
    assert cache.plain["stringData"]["password"] == app_redis.plain["stringData"]["password"]
    rels = releases(run)
    assert rels["postgres"].plain["values"]["auth"]["existingSecret"] == "postgres-credentials"
    assert rels["redis"].plain["values"]["auth"]["existingSecret"] == "redis-credentials"
    assert rels["redis"].plain["values"]["auth"]["existingSecretPasswordKey"] == "password"
    # the secrets exist before the releases that read them; no password in any Helm values
    assert db.urn in rels["postgres"].dependencies and cache.urn in rels["redis"].dependencies
    passwords = [db.plain["stringData"][k] for k in db.plain["stringData"]] + [cache.plain["stringData"]["password"]]
    for rel in rels.values():
        assert not contains_secret(rel.inputs.get("values", {})), rel.name
        for p in passwords:
            assert p not in repr(rel.plain.get("values")), rel.name


def test_topics_created_by_a_job_after_redpanda(run):
    job = run.one("kubernetes:batch/v1:Job")
    assert job.plain["metadata"]["namespace"] == "messaging"
    assert releases(run)["redpanda"].urn in job.dependencies
    script = job.plain["spec"]["template"]["spec"]["containers"][0]["command"][-1]
    brokers = releases(run)["redpanda"].plain["values"]["statefulset"]["replicas"]
    for topic in ("commands.primary", "commands.primary.dlq", "reservations.events", "reservations.events.dlq"):
        assert f"create {topic} " in script
    for rf in [int(part.split()[0]) for part in script.split(" -r ")[1:]]:
        assert 1 <= rf <= brokers
    if run.stack == "prod":
        assert "create commands.primary -p 128 -r 3" in script  # red2n/tartware@a2583469 platform/helmfile.yaml: 128 partitions
        assert "create commands.primary.dlq -p 64 -r 3" in script


def test_volume_sizes_from_settings():
    run = platform_run("prod", {f"{NS}:postgresStorageSize": "750Gi", f"{NS}:redpandaStorageSize": "1Ti",
                                f"{NS}:dataComponents": {"consul": False}, f"{NS}:postgresMaxConnections": 1500})
    rels = releases(run)
    # max_connections on the primary and on every hot standby, which may not have fewer than its
    # primary (https://www.postgresql.org/docs/16/hot-standby.html#HOT-STANDBY-ADMIN); the key is the
    # chart's (bitnami/postgresql 16.7.27 values.yaml primary/readReplicas.extendedConfiguration)
    for side in ("primary", "readReplicas"):
        assert rels["postgres"].plain["values"][side]["extendedConfiguration"] == "max_connections = 1500\n"
    assert rels["postgres"].plain["values"]["primary"]["persistence"]["size"] == "750Gi"
    assert rels["postgres"].plain["values"]["readReplicas"]["persistence"]["size"] == "750Gi"
    assert rels["redpanda"].plain["values"]["storage"]["persistentVolume"]["size"] == "1Ti"
    assert "consul" not in rels


BAD = [
    ({"postgresStorageSize": "500GB"}, f"{NS}:postgresStorageSize", ["'500GB'", "Ki Mi Gi Ti"]),
    ({"redisStorageSize": "100Mi"}, f"{NS}:redisStorageSize", ["100Mi", "1Gi to 16Ti"]),
    ({"redpandaStorageSize": "20Ti"}, f"{NS}:redpandaStorageSize", ["20Ti", "1Gi to 16Ti"]),
    ({"postgresReadReplicas": 11}, f"{NS}:postgresReadReplicas", ["less than or equal to 10"]),
    ({"redpandaBrokers": 2}, f"{NS}:redpandaBrokers", ["= 2", "at least 3 brokers"]),
    ({"redpandaBrokers": 0}, f"{NS}:redpandaBrokers", ["greater than or equal to 1"]),
    ({"consulServers": 4}, f"{NS}:consulServers", ["= 4", "1, 3 or 5"]),
    ({"redisNodes": 2}, f"{NS}:redisNodes", ["= 2", "3-9"]),
    ({"dataComponents": {"kafka": False}}, f"{NS}:dataComponents.kafka", ["unknown setting", "postgres, redis, redpanda, consul"]),
    ({"dataComponents": {"redis": "maybe"}}, f"{NS}:dataComponents.redis", ["valid boolean"]),
    ({"dataStorageClass": "Fast SSD"}, f"{NS}:dataStorageClass", ["StorageClass name"]),
]


def assert_rejected(overrides, key, fragments):
    """The program stops before registering anything, naming ``key`` (run_with checks the former)."""
    assert_refused(overrides, key, fragments)


def case_ids(cases):
    return [c[1].split(":", 1)[1] + f"#{i}" for i, c in enumerate(cases)]


@pytest.mark.parametrize("overrides,key,fragments", BAD, ids=case_ids(BAD))
def test_bad_data_input(overrides, key, fragments):
    assert_rejected(overrides, key, fragments)


def test_fixed_overhead_counts_ha_size():
    from stacks.settings import build_settings

    dev = build_settings({"environment": "dev"}).data.fixed_overhead()
    prod = build_settings({"environment": "prod"}).data.fixed_overhead()
    assert prod[0] > dev[0] > 0 and prod[1] > dev[1] > 0
    # 3 brokers x 4 cores alone
    assert prod[0] >= 3 * 4000
