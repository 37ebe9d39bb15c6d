"""The data tier under the mock engine: releases, the CloudNativePG cluster (HA, archiving, base
backups, point-in-time recovery, the Pooler), Redis on redis-ha, secret wiring, guide names, bad input."""

from __future__ import annotations

import pytest
import yaml

from facts import versions
from components.platform.data_tier import DataArgs, postgres_args
from program.load import build_settings
from tests import guide
from tests.helpers import (CUTOVER, IMPORT, IRSA, NS, PITR, SECRET, VOLUME_GUARDS, assert_refused, case_ids,
                           EXAMPLE_STACKS, example_run, platform_run, releases, variant_run)
from tools.charts import render, vendored_chart
from tools.offline import Secret, contains_secret

RELEASE = "kubernetes:helm.sh/v3:Release"
CLUSTER = "kubernetes:postgresql.cnpg.io/v1:Cluster"
POOLER = "kubernetes:postgresql.cnpg.io/v1:Pooler"
SCHEDULED_BACKUP = "kubernetes:postgresql.cnpg.io/v1:ScheduledBackup"
OBJECT_STORE = "kubernetes:barmancloud.cnpg.io/v1:ObjectStore"

# Official chart locations, written out by hand (not read from facts/versions.py): the chart
# READMEs' `helm repo add` lines (cloudnative-pg/charts README.md, DandyDeveloper/charts README.md).
OFFICIAL = {
    "cnpg": ("https://cloudnative-pg.github.io/charts", "cloudnative-pg", "cnpg-system"),
    "redis": ("https://dandydeveloper.github.io/charts", "redis-ha", "cache"),
    "redpanda": ("https://charts.redpanda.com", "redpanda", "messaging"),
    "consul": ("https://helm.releases.hashicorp.com", "consul", "consul"),
}
PINS = {"cnpg": versions.CLOUDNATIVE_PG, "redis": versions.REDIS_HA, "redpanda": versions.REDPANDA,
        "consul": versions.CONSUL}

# A program run costs seconds: the variants (tests/helpers.py IRSA, IMPORT, CUTOVER, PITR) share runs
# with tests/test_postgres_migration.py and the conformance tests (IRSA is the scan variant they
# render); the rest is checked on the pure spec functions and the component alone
# (tests/components/platform/test_postgres.py).


@pytest.fixture(params=["dev", "prod"])
def run(request):
    return platform_run(request.param)


def cluster(run):
    (c,) = run.of_type(CLUSTER)
    return c


def test_each_release_chart_repository_version_namespace(run):
    rels = releases(run)
    for name, (official, chart, ns) in OFFICIAL.items():
        rel = rels[name].plain
        pin = PINS[name]
        assert rel["namespace"] == ns, name
        assert rel["version"] == pin.version, name
        assert rel["repositoryOpts"]["repo"] == official == pin.repo
        assert rel["chart"] == pin.chart == chart
        assert rel["createNamespace"] is False
    assert "postgres" not in rels  # the bitnami release is gone (only a stack moving from it keeps it)


def test_guide_names(run):
    """The app's two addresses and the credentials contract are unchanged: the Pooler named
    postgres-postgresql (CloudNativePG names its Service after it) and Redis' redis-master."""
    (pooler,) = run.of_type(POOLER)
    assert pooler.plain["metadata"] == {**pooler.plain["metadata"], "name": "postgres-postgresql",
                                        "namespace": "database"}
    app = releases(run)["tartware"].plain["values"]["global"]["dataTier"]
    assert app["database"]["host"] == "postgres-postgresql.database.svc.cluster.local"
    assert app["database"]["port"] == 5432 and app["database"]["name"] == "tartware"
    assert app["redis"]["host"] == "redis-master.cache.svc.cluster.local" and app["redis"]["port"] == 6379
    assert "redpanda-0.redpanda.messaging.svc.cluster.local:9093" in app["kafka"]["brokers"]
    master = [s for s in run.of_type("kubernetes:core/v1:Service") if s.plain["metadata"]["name"] == "redis-master"]
    assert len(master) == 1 and master[0].plain["metadata"]["namespace"] == "cache"
    # redis-ha's HAProxy pods (the chart's labels) on their container port "redis"
    assert master[0].plain["spec"]["selector"] == {"app": "redis-ha-haproxy", "release": "redis"}
    assert master[0].plain["spec"]["ports"][0]["port"] == 6379
    assert master[0].plain["spec"]["ports"][0]["targetPort"] == "redis"
    assert releases(run)["redis"].urn in master[0].dependencies  # after Helm removed the bitnami Service of that name
    spec = cluster(run).plain["spec"]
    assert spec["bootstrap"]["initdb"] == {"database": "tartware", "owner": "tartware",
                                           "secret": {"name": "postgres-credentials"}}
    assert releases(run)["consul"].plain["values"]["global"]["name"] == "consul"
    namespaces = {n.plain["metadata"]["name"]: n for n in run.of_type("kubernetes:core/v1:Namespace")}
    for ns in ("database", "cnpg-system", "cache", "messaging", "consul"):
        assert namespaces[ns].plain["metadata"]["labels"]["pod-security.kubernetes.io/enforce"] == "restricted"


def test_prod_is_highly_available():
    """Prod runs 3 instances across zones with automatic failover; Redis fails over too
    (docs/data-and-observability.md, "High availability and failover")."""
    run = platform_run("prod")
    spec = cluster(run).plain["spec"]
    assert spec["instances"] == 3
    (spread,) = spec["topologySpreadConstraints"]
    assert spread["topologyKey"] == "topology.kubernetes.io/zone"
    assert spec["affinity"]["enablePodAntiAffinity"] is True
    assert "synchronous" not in spec["postgresql"]  # asynchronous by default (postgresSynchronous off)
    redis = releases(run)["redis"].plain["values"]
    assert redis["replicas"] == 3 and redis["sentinel"]["quorum"] == 2 and redis["haproxy"]["enabled"] is True
    assert releases(run)["redpanda"].plain["values"]["statefulset"]["replicas"] >= 3
    assert releases(run)["consul"].plain["values"]["server"]["replicas"] == 3
    rels = releases(run)
    for name in ("cnpg", "redis", "redpanda", "consul"):
        assert rels[name].protect, name
    c = cluster(run)
    assert c.protect and c.retain_on_delete  # never deleted by Pulumi: a recovery leaves the old one running
    assert c.plain["metadata"]["annotations"]["pulumi.com/waitFor"] == "condition=Ready"


def _guards_hold_their_claim_templates(run, protected: bool) -> None:
    from tools.conformance.day2 import statefulset_claims

    rels = {r.name: r for r in run.of_type(RELEASE)}
    guards = {g.name: g for g in run.of_type("random:index/randomId:RandomId")}
    assert set(guards) == VOLUME_GUARDS
    # the StatefulSet and claim template each chart renders (redis-ha templates/redis-ha-statefulset.yaml
    # "data"; redpanda templates/_statefulset.go.tpl "datadir"; consul templates/server-statefulset.yaml
    # "data-<namespace>")
    expected = {"redis": ("redis-redis-ha-server", "data"), "redpanda": ("redpanda", "datadir"),
                "consul": ("consul-server", "data-consul")}
    for part, (sts, template) in expected.items():
        release, guard = rels[f"platform-data-{part}"], guards[f"platform-data-{part}-volume-size"]
        assert guard.protect == release.protect == protected and guard.parent == release.parent
        assert guard.urn in release.dependencies
        (claim,) = statefulset_claims(release)[sts]
        assert claim["metadata"]["name"] == template
        assert guard.plain["keepers"] == {"storage": claim["spec"]["resources"]["requests"]["storage"],
                                          "storageClass": claim["spec"].get("storageClassName") or ""}


def test_each_statefulset_release_waits_for_a_protected_guard_of_its_claim_size(run):
    """redis-ha, Redpanda and Consul size their claims in their StatefulSets' volumeClaimTemplates, which
    the API server never updates: each release waits for a RandomId, protected with the stack's data
    (prod; dev protects nothing), whose keepers hold the size and the StorageClass the chart renders into
    that template (the vendored chart at the pin, rendered with the release's values), so a new size or
    class is a replacement the engine refuses at preview."""
    _guards_hold_their_claim_templates(run, protected=run.stack == "prod")


def test_the_guards_hold_a_chosen_storage_class():
    """dataStorageClass reaches the same immutable templates: each guard's keepers name it."""
    run = variant_run("prod", {f"{NS}:dataStorageClass": "fast-ssd"})
    _guards_hold_their_claim_templates(run, protected=True)
    assert {g.plain["keepers"]["storageClass"] for g in run.of_type("random:index/randomId:RandomId")} == {"fast-ssd"}


def test_dev_is_light():
    run = platform_run("dev")
    assert cluster(run).plain["spec"]["instances"] == 1
    redis = releases(run)["redis"].plain["values"]
    assert redis["replicas"] == 1 and redis["haproxy"]["replicas"] == 1
    assert redis["redis"]["config"]["min-replicas-to-write"] == 0  # no replica could acknowledge a write
    rels = releases(run)
    assert rels["redpanda"].plain["values"]["statefulset"]["replicas"] == 1
    assert rels["consul"].plain["values"]["server"]["replicas"] == 1
    assert not any(r.protect for r in run.resources)


def test_zero_loss_failover_is_a_setting():
    """postgresSynchronous=required: a commit waits for a standby (dataDurability required;
    docs/data-and-observability.md, "High availability and failover")."""
    spec = cluster(platform_run("prod", PITR)).plain["spec"]
    assert spec["postgresql"]["synchronous"] == {"method": "any", "number": 1, "dataDurability": "required"}
    from components.platform.postgres import cluster_spec

    preferred = build_settings({"environment": "prod", "postgresSynchronous": "preferred"}).data
    spec = cluster_spec(postgres_args(DataArgs(preferred, True, None, None), None, None,
                                              "tartware", "tartware"))
    assert spec["postgresql"]["synchronous"] == {"method": "any", "number": 1, "dataDurability": "preferred"}


def test_without_a_bucket_there_is_no_wal_archive():
    """The committed prod stack opts out of the off-site copy: no archive, no plugin, no base backups."""
    run = platform_run("prod")
    assert "plugin-barman-cloud" not in releases(run)
    assert not run.of_type(OBJECT_STORE) and not run.of_type(SCHEDULED_BACKUP)
    assert "plugins" not in cluster(run).plain["spec"]


def test_wal_is_archived_continuously_to_the_backups_bucket():
    run = platform_run("prod", IRSA)
    rels = releases(run)
    plugin = rels["plugin-barman-cloud"].plain
    assert (plugin["chart"], plugin["namespace"]) == ("plugin-barman-cloud", "cnpg-system")  # beside the operator
    certs = [r for r in run.of_type(RELEASE) if r.plain["name"] == "cert-manager"]
    assert certs[0].urn in rels["plugin-barman-cloud"].dependencies  # its Certificates
    (store,) = run.of_type(OBJECT_STORE)
    conf = store.plain["spec"]["configuration"]
    # backupOffsitePrefix's default holds the stack: tartware/<stack>
    assert conf["destinationPath"] == "s3://tartware-prod-backups/tartware/prod/pitr"
    assert conf["s3Credentials"]["region"] == {"name": "postgres-archive-s3", "key": "REGION"}
    assert conf["wal"]["encryption"] == "AES256"  # backupOffsiteEncryption's default
    spec = cluster(run).plain["spec"]
    (plugin_ref,) = spec["plugins"]
    assert plugin_ref == {"name": "barman-cloud.cloudnative-pg.io", "isWALArchiver": True,
                          "parameters": {"barmanObjectName": "postgres-archive", "serverName": "postgres"}}
    # archive_timeout: a WAL switch at least every 5 minutes, the RPO <= 5 minutes of docs/data-and-observability.md
    timeout = spec["postgresql"]["parameters"]["archive_timeout"]
    assert timeout.endswith("min") and int(timeout[:-3]) <= 5
    (backup,) = run.of_type(SCHEDULED_BACKUP)
    b = backup.plain["spec"]
    assert len(b["schedule"].split()) == 6 and b["schedule"].split()[0] == "0"  # six fields, seconds first
    assert b["method"] == "plugin" and b["pluginConfiguration"]["name"] == "barman-cloud.cloudnative-pg.io"
    assert b["cluster"]["name"] == "postgres" and b["immediate"] is True
    (secret,) = [s for s in run.of_type(SECRET) if s.plain["metadata"]["name"] == "postgres-archive-s3"]
    assert secret.plain["stringData"] == {"REGION": "eu-west-1"}  # IRSA: no keys


def test_irsa_gives_the_instances_the_role():
    run = platform_run("prod", PITR)
    (store,) = run.of_type(OBJECT_STORE)
    creds = store.plain["spec"]["configuration"]["s3Credentials"]
    assert creds["inheritFromIAMRole"] is True and "accessKeyId" not in creds
    sa = cluster(run).plain["spec"]["serviceAccountTemplate"]["metadata"]["annotations"]
    assert sa == {"eks.amazonaws.com/role-arn": IRSA[f"{NS}:backupOffsiteRoleArn"]}


def test_point_in_time_recovery_into_a_new_cluster():
    run = platform_run("prod", PITR)
    c = cluster(run).plain
    assert c["metadata"]["name"] == "postgres-pitr1"
    spec = c["spec"]
    assert spec["bootstrap"]["recovery"]["source"] == "postgres"
    assert spec["bootstrap"]["recovery"]["recoveryTarget"] == {"targetTime": "2026-08-01T10:15:00Z"}
    (ext,) = spec["externalClusters"]
    assert ext["plugin"]["parameters"] == {"barmanObjectName": "postgres-archive", "serverName": "postgres"}
    # its own serverName: barman-cloud-check-wal-archive refuses a folder that already holds WAL
    assert spec["plugins"][0]["parameters"]["serverName"] == "postgres-pitr1"
    (pooler,) = run.of_type(POOLER)
    assert pooler.plain["spec"]["cluster"]["name"] == "postgres-pitr1"  # the app follows
    (backup,) = run.of_type(SCHEDULED_BACKUP)
    assert backup.plain["spec"]["cluster"]["name"] == "postgres-pitr1"
    from components.platform.postgres import recovery_target

    assert recovery_target("latest") == {}  # latest: replay every archived transaction


def test_backups_dial_the_primary_not_the_pooler():
    """pg_dump keeps a snapshot and session settings: a transaction pooler cannot carry them."""
    run = platform_run("prod")
    (cron,) = run.of_type("kubernetes:batch/v1:CronJob")
    containers = cron.plain["spec"]["jobTemplate"]["spec"]["template"]["spec"]["containers"]
    env = {e["name"]: e.get("value") for c in containers for e in c.get("env") or []}
    # prod has standbys: the dump reads from their read-only Service, still never the pooler
    assert env["PGHOST"] == "postgres-ro.database.svc.cluster.local"


def test_the_pooler_pools_transactions_and_admits_the_guides_connections():
    """Transaction pooling in front of the primary, sized so the budget at maximum scale (every pod x
    DB_POOL_MAX 15, docs/budget.md) fits even with one pooler pod down, and the pooler's
    server connections with a rollout's surge pod fit the Cluster's max_connections (the whole server
    side, reserve included: tests/rules/test_connections.py)."""
    run = platform_run("prod")
    (pooler,) = run.of_type(POOLER)
    spec = pooler.plain["spec"]
    assert spec["type"] == "rw" and spec["pgbouncer"]["poolMode"] == "transaction"
    params = {k: int(v) for k, v in spec["pgbouncer"]["parameters"].items()}
    pods = spec["instances"]
    assert pods >= 2
    pods_at_max = sum(guide.TABLE[row][1] for row in guide.ROW_OF.values())
    assert (pods - 1) * params["max_client_conn"] >= pods_at_max * 15  # the PDB lets one pod go
    max_connections = int(cluster(run).plain["spec"]["postgresql"]["parameters"]["max_connections"])
    surge = -(-pods // 4)  # the Deployment's default maxSurge, 25 % rounded up
    assert (pods + surge) * params["max_db_connections"] < max_connections


def test_moving_from_bitnami_keeps_the_old_release_while_importing():
    """postgresMigration=import registers the bitnami release as before (so Pulumi leaves it alone),
    the new cluster imports from its Service, and no Pooler takes that Service's name yet."""
    run = platform_run("prod", IMPORT)
    rels = releases(run)
    legacy = rels["postgres"]
    assert legacy.name == "platform-data-postgres" and legacy.plain["namespace"] == "database"
    assert legacy.plain["chart"] == "oci://registry-1.docker.io/bitnamicharts/postgresql" and legacy.protect
    assert legacy.plain["values"]["primary"]["name"] == ""  # still Service/StatefulSet postgres-postgresql
    assert not run.of_type(POOLER)
    spec = cluster(run).plain["spec"]
    assert spec["bootstrap"]["initdb"]["import"] == {"type": "microservice", "databases": ["tartware"],
                                                     "source": {"externalCluster": "bitnami"}}
    (ext,) = spec["externalClusters"]
    assert ext["connectionParameters"]["host"] == "postgres-postgresql.database.svc.cluster.local"
    assert ext["password"] == {"name": "postgres-credentials", "key": "postgres-password"}
    assert legacy.urn in cluster(run).dependencies
    app = rels["tartware"].plain["values"]["global"]["dataTier"]
    assert app["database"]["host"] == "postgres-postgresql.database.svc.cluster.local"
    cut = platform_run("prod", CUTOVER)
    assert "postgres" not in releases(cut) and not cut.of_type(POOLER)


def test_same_password_feeds_database_and_app(run):
    secrets = {(s.plain["metadata"]["namespace"], s.plain["metadata"]["name"]): s for s in run.of_type(SECRET)}
    db = secrets[("database", "postgres-credentials")]
    app = secrets[("tartware-system", "database-credentials")]
    assert isinstance(db.inputs["stringData"], Secret) or contains_secret(db.inputs["stringData"])
    # the keys CloudNativePG reads (internal/management/utils/secrets.go GetUserPasswordFromSecret)
    assert set(db.plain["stringData"]) == {"username", "password"}
    assert db.plain["stringData"] == {"username": app.plain["stringData"]["username"],
                                      "password": app.plain["stringData"]["password"]}
    cache = secrets[("cache", "redis-credentials")]
    app_redis = secrets[("tartware-system", "redis-credentials")]
    assert cache.plain["stringData"]["password"] == app_redis.plain["stringData"]["password"]
    rels = releases(run)
    redis = rels["redis"].plain["values"]
    assert (redis["auth"], redis["existingSecret"], redis["authKey"]) == (True, "redis-credentials", "password")
    assert db.urn in cluster(run).dependencies and cache.urn in rels["redis"].dependencies
    passwords = [db.plain["stringData"]["password"], cache.plain["stringData"]["password"]]
    for rel in rels.values():
        assert not contains_secret(rel.inputs.get("values", {})), rel.name
        for p in passwords:
            assert p not in repr(rel.plain.get("values")), rel.name


def test_redis_keeps_its_persistence_and_images_are_maintained(run):
    redis = releases(run)["redis"].plain["values"]
    assert redis["persistentVolume"]["enabled"] is True
    assert redis["redis"]["config"]["appendonly"] == "yes"  # as the bitnami release (appendonly yes)
    assert redis["exporter"]["enabled"] is True
    assert "image" not in redis and "image" not in redis["haproxy"]  # the chart's official images


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
        # red2n/tartware@a2583469 platform/helmfile.yaml: 128 partitions
        assert "create commands.primary -p 128 -r 3" in script
        assert "create commands.primary.dlq -p 64 -r 3" in script


def test_volume_sizes_from_settings():
    from components.platform.data_tier import redpanda_values
    from components.platform.postgres import cluster_spec

    data = build_settings({"environment": "prod", "postgresStorageSize": "750Gi", "redpandaStorageSize": "1Ti",
                           "dataComponents": {"consul": False}, "postgresMaxConnections": 1500}).data
    spec = cluster_spec(postgres_args(DataArgs(data, True, None, None), None, None, "tartware", "tartware"))
    assert spec["storage"]["size"] == "750Gi"
    # max_connections is a cluster-wide parameter: CloudNativePG writes spec.postgresql.parameters into
    # every instance's configuration, so the standbys never have fewer than the primary, which a hot
    # standby refuses (https://www.postgresql.org/docs/17/hot-standby.html#HOT-STANDBY-ADMIN)
    assert spec["postgresql"]["parameters"]["max_connections"] == "1500"
    assert redpanda_values(data)["storage"]["persistentVolume"]["size"] == "1Ti"
    assert not data.consul


def test_the_bitnami_release_keeps_its_max_connections_while_importing():
    """With postgresMigration=import the bitnami release still serves the app: postgresMaxConnections
    reaches its primary and read replicas through the chart's extendedConfiguration (bitnami/postgresql
    16.7.27 values.yaml primary/readReplicas.extendedConfiguration), rendered by the pinned chart."""
    from components.platform.data_tier import bitnami_postgres_values

    data = build_settings({"environment": "prod", "postgresMigration": "import", "postgresMaxConnections": 1500}).data
    values = bitnami_postgres_values(data, "tartware", "tartware")
    for side in ("primary", "readReplicas"):
        assert values[side]["extendedConfiguration"] == "max_connections = 1500\n"
    rendered = render(vendored_chart("postgresql", versions.POSTGRESQL.version), values, "postgres", "database")
    for template in ("primary", "read"):
        configmap = rendered[f"postgresql/templates/{template}/extended-configmap.yaml"]
        assert "override.conf: |-\n    max_connections = 1500" in configmap


BAD = [
    ({"postgresStorageSize": "500GB"}, f"{NS}:postgresStorageSize", ["'500GB'", "Ki Mi Gi Ti"]),
    ({"redisStorageSize": "100Mi"}, f"{NS}:redisStorageSize", ["100Mi", "1Gi to 16Ti"]),
    ({"redpandaStorageSize": "20Ti"}, f"{NS}:redpandaStorageSize", ["20Ti", "1Gi to 16Ti"]),
    ({"postgresReadReplicas": 9}, f"{NS}:postgresReadReplicas", ["less than or equal to 8"]),
    ({"environment": "prod", "postgresReadReplicas": 1}, f"{NS}:postgresReadReplicas",
     ["3 PostgreSQL instances", "2-8"]),
    ({"postgresSynchronous": "always"}, f"{NS}:postgresSynchronous", ["'off'", "'preferred'", "'required'"]),
    ({"environment": "dev", "postgresSynchronous": "preferred"}, f"{NS}:postgresSynchronous",
     ["at least 1 standby", "postgresReadReplicas is 0"]),
    ({"environment": "prod", "postgresReadReplicas": 2, "postgresSynchronous": "required",
      "postgresCluster": "Postgres"},
     f"{NS}:postgresCluster", ["lower-case name"]),
    # the six-field trap: robfig/cron v1.2.0 would read '0 2 * * *' as minute 2 of every hour
    ({"postgresBaseBackupSchedule": "0 2 * * *"}, f"{NS}:postgresBaseBackupSchedule",
     ["six fields, seconds first", "'0 0 2 * * *'"]),
    ({"postgresBaseBackupSchedule": "*/30 0 3 * * *"}, f"{NS}:postgresBaseBackupSchedule", ["fixed second"]),
    ({"postgresBackupRetentionDays": 0}, f"{NS}:postgresBackupRetentionDays", ["greater than or equal to 1"]),
    ({"postgresRecoverySource": "postgres"}, f"{NS}:postgresRecoverySource", ["its own name", "postgresCluster"]),
    ({"postgresRecoveryTarget": "2026-08-01T10:15:00Z"}, f"{NS}:postgresRecoveryTarget", ["only used with"]),
    ({"postgresRecoveryTarget": "yesterday", "postgresRecoverySource": "postgres", "postgresCluster": "pitr"},
     f"{NS}:postgresRecoveryTarget", ["'latest' or a UTC time"]),
    ({"postgresCluster": "pitr", "postgresRecoverySource": "postgres"}, f"{NS}:postgresRecoverySource",
     ["backupOffsiteBucket"]),
    ({"postgresMigration": "dump"}, f"{NS}:postgresMigration", ["'none'", "'import'", "'cutover'"]),
    ({"consulServers": 4}, f"{NS}:consulServers", ["= 4", "1, 3 or 5"]),
    ({"redisNodes": 2}, f"{NS}:redisNodes", ["= 2", "3-9"]),
    ({"redpandaBrokers": 2, "environment": "prod"}, f"{NS}:redpandaBrokers", ["= 2", "at least 3 brokers"]),
    ({"dataComponents": {"kafka": False}}, f"{NS}:dataComponents.kafka",
     ["unknown setting", "postgres, redis, redpanda, consul"]),
    ({"dataComponents": {"redis": "maybe"}}, f"{NS}:dataComponents.redis", ["valid boolean"]),
    ({"dataStorageClass": "Fast SSD"}, f"{NS}:dataStorageClass", ["StorageClass name"]),
]


@pytest.mark.parametrize("overrides,key,fragments", BAD, ids=case_ids(BAD))
def test_bad_data_input(overrides, key, fragments):
    assert_refused(overrides, key, fragments)


def test_archiving_needs_cert_manager():
    assert_refused({"backupOffsiteOptOut": False, "backupOffsiteBucket": "tartware-backups",
                    "backupOffsiteRegion": "eu-west-1", "backupOffsiteRoleArn": "arn:aws:iam::123456789012:role/b",
                    "platformComponents": {"certManager": False}},
                   f"{NS}:platformComponents.certManager", ["Barman Cloud plugin", "cert-manager"])


def test_cloudnative_pg_needs_kubernetes_1_29():
    """The charts' kubeVersion ">=1.29.0-0": an RKE2 1.28 cluster (the guide's floor) is refused."""
    assert_refused({"clusterTarget": "baremetal", "rancherInstall": True, "istioVersion": "1.22.8",
                    "loadBalancerAddresses": "192.168.20.200-192.168.20.220", "rke2Version": "v1.28.15+rke2r1"},
                   f"{NS}:rke2Version", ["CloudNativePG", "1.29"])


def test_fixed_overhead_counts_ha_size():
    from program.load import build_settings

    dev = build_settings({"environment": "dev"}).data.fixed_overhead()
    prod = build_settings({"environment": "prod"}).data.fixed_overhead()
    assert prod[0] > dev[0] > 0 and prod[1] > dev[1] > 0
    # 3 brokers x 4 cores alone
    assert prod[0] >= 3 * 4000
    archiving = build_settings({"environment": "prod"}).data.fixed_overhead(archiving=True)
    assert archiving[0] > prod[0]  # the plugin and its sidecar in every instance


def test_the_data_workload_table_is_the_one_place_for_resources_and_replicas():
    """Planted: a values function that sets a path the table sets is refused, naming the path and the
    table; Redpanda's chart takes whole cores only, so a fractional size is refused."""
    import dataclasses

    from settings import data_workloads as table
    from settings.workloads import with_workloads

    s = table.DataWorkloads(build_settings({"environment": "prod"}).data)
    with pytest.raises(ValueError, match=r"values set haproxy\.replicas, which settings/data_workloads\.py sets"):
        with_workloads({"haproxy": {"replicas": 3}}, table.REDIS_HA, s, table.TABLE)
    with pytest.raises(ValueError, match=r"values set server\.resources"):
        with_workloads({"server": {"resources": {}}}, table.CONSUL, s, table.TABLE)
    half = dataclasses.replace(s.size("redpanda"), cpu_request=1500)
    with pytest.raises(ValueError, match="whole cores, not 1500m"):
        table.redpanda_resources(half)


# --- the documented prod stacks with a bucket archive WAL ---------------------------------------
# The committed Pulumi.prod.yaml opts out of the off-site copy (an existing cluster with no bucket),
# so it has no WAL archive; the prod examples of docs/clusters.md set a bucket and must show the
# whole data tier the docs promise: 3 instances, WAL archived to that bucket, base backups
# (docs/data-and-observability.md, "Continuous archiving, base backups, recovery objectives").
# Their runs are the apply simulation's (tests/test_apply.py, the same work unit).
PROD_EXAMPLES_WITH_A_BUCKET = ("eks", "baremetal")


def _example_config(stack: str) -> dict:
    return {k.removeprefix(f"{NS}:"): v for k, v in yaml.safe_load(EXAMPLE_STACKS[stack].read_text())["config"].items()}


def archive_problems(run, stack: str, bucket: str) -> list[str]:
    """What keeps ``run`` from being the archived prod data tier: 3 instances, WAL archived through
    the Barman Cloud plugin to ``s3://<bucket>/tartware/<stack>/pitr`` (backupOffsitePrefix's default),
    archive_timeout <= 5 min, and a ScheduledBackup of that cluster through the plugin."""
    problems = []
    (c,) = run.of_type(CLUSTER)
    spec, name = c.plain["spec"], c.plain["metadata"]["name"]
    if spec.get("instances") != 3:
        problems.append(f"Cluster {name}: {spec.get('instances')} instances, not 3")
    archivers = [p for p in spec.get("plugins") or [] if p.get("isWALArchiver")]
    if [p.get("name") for p in archivers] != ["barman-cloud.cloudnative-pg.io"]:
        problems.append(f"Cluster {name}: no WAL archiver plugin (plugins: {spec.get('plugins')})")
    stores = {s.plain["metadata"]["name"]: s.plain["spec"] for s in run.of_type(OBJECT_STORE)}
    store = stores.get(((archivers or [{}])[0].get("parameters") or {}).get("barmanObjectName", ""))
    destination = f"s3://{bucket}/tartware/{stack}/pitr"
    if store is None:
        problems.append(f"no ObjectStore for the archiver (ObjectStores: {sorted(stores)})")
    elif store["configuration"]["destinationPath"] != destination:
        problems.append(f"WAL goes to {store['configuration']['destinationPath']}, not {destination}")
    timeout = (spec.get("postgresql") or {}).get("parameters", {}).get("archive_timeout", "")
    if not (timeout.endswith("min") and int(timeout[:-3]) <= 5):
        problems.append(f"archive_timeout {timeout!r}, not <= 5min")
    backups = [b.plain["spec"] for b in run.of_type(SCHEDULED_BACKUP)]
    if not any(b["cluster"]["name"] == name and b["method"] == "plugin" and len(b["schedule"].split()) == 6
               for b in backups):
        problems.append(f"no ScheduledBackup of {name} through the plugin (ScheduledBackups: {backups})")
    return problems


@pytest.mark.parametrize("stack", PROD_EXAMPLES_WITH_A_BUCKET)
def test_the_prod_examples_with_a_bucket_archive_wal_and_take_base_backups(stack):
    config = _example_config(stack)
    assert config["environment"] == "prod" and "backupOffsiteOptOut" not in config
    run = example_run(stack)
    assert archive_problems(run, stack, config["backupOffsiteBucket"]) == []
    (store,) = run.of_type(OBJECT_STORE)
    conf = store.plain["spec"]["configuration"]
    if "backupOffsiteEndpoint" in config:  # MinIO on bare metal: the same --endpoint-url path the drill uses
        assert conf["endpointURL"] == config["backupOffsiteEndpoint"]
        assert "encryption" not in conf["wal"]  # MinIO without a KMS rejects AES256 (backupOffsiteEncryption)
    else:  # EKS: the role through IRSA, no keys
        assert conf["s3Credentials"]["inheritFromIAMRole"] is True
        sa = cluster(run).plain["spec"]["serviceAccountTemplate"]["metadata"]["annotations"]
        assert sa == {"eks.amazonaws.com/role-arn": config["backupOffsiteRoleArn"]}


def test_the_archive_check_fails_on_the_committed_prod_stack():
    """Planted defect, and what the committed prod stack is: backupOffsiteOptOut, so no archive."""
    problems = archive_problems(platform_run("prod"), "prod", "tartware-prod-backups")
    assert any(p.startswith("Cluster postgres: no WAL archiver plugin") for p in problems), problems
    assert any(p.startswith("no ObjectStore for the archiver") for p in problems), problems
    assert any(p.startswith("no ScheduledBackup of postgres") for p in problems), problems
    # and a bucket the stack does not archive to
    assert archive_problems(platform_run("prod", IRSA), "prod", "another-bucket") == [
        "WAL goes to s3://tartware-prod-backups/tartware/prod/pitr, not s3://another-bucket/tartware/prod/pitr"]
