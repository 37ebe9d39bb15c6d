"""components/platform/postgres.py alone: the CloudNativePG part with hand-made args (the archive
through access keys, a point-in-time recovery, a stack importing from the bitnami release)."""

from __future__ import annotations

import dataclasses

import pulumi

from components.platform.postgres import Postgres, cluster_spec, object_store_spec
from components.platform.postgres import ArchiveArgs
from components.platform.data_tier import DataArgs, postgres_args
from tests.components.helpers import build, deps_names, on, provider, settings, stand_in, wired

CLUSTER = "kubernetes:postgresql.cnpg.io/v1:Cluster"
KEYS = ArchiveArgs(destination="s3://tartware-backups/tartware/pitr", endpoint="https://minio.example.com:9000",
                   region="us-east-1", encryption="aws:kms", kms_key_id="arn:aws:kms:us-east-1:123456789012:key/k",
                   role_arn="", access_key_id=pulumi.Output.secret("AKID"), secret_access_key=pulumi.Output.secret("sk"))


def _args(archive=KEYS, protect=True, **raw):
    s = settings(environment="prod", **raw)

    def make(p):
        data = DataArgs(s.data, protect, None, None, archive=archive,  # type: ignore[arg-type]
                        cert_manager=stand_in("cert-manager", p), monitoring_crds=stand_in("kps", p))
        legacy = (stand_in("bitnami", p),) if s.data.pg.migration == "import" else ()
        return postgres_args(data, stand_in("database-namespace", p), stand_in("postgres-credentials", p),
                                     "tartware", "tartware", waits_for=legacy)
    return make


def _build(make):
    def b():
        p = provider()
        return Postgres("postgres", make(p), on(p))
    return build(b)


def test_the_archive_through_access_keys():
    run, pg = _build(_args())
    wired(run, "tartware:data:Postgres", "postgres", ("cert-manager", "kps", "database-namespace",
                                                      "postgres-credentials"))
    (secret,) = [r for r in run.of_type("kubernetes:core/v1:Secret") if r.name == "postgres-archive-credentials"]
    assert type(secret.inputs["stringData"]).__name__ == "Secret"  # the keys stay Pulumi secrets
    assert secret.plain["stringData"] == {"REGION": "us-east-1", "ACCESS_KEY_ID": "AKID", "ACCESS_SECRET_KEY": "sk"}
    conf = object_store_spec(KEYS, 30, settings(environment="prod").data.size("barman-sidecar"))["configuration"]
    assert conf["endpointURL"] == "https://minio.example.com:9000"
    assert conf["s3Credentials"]["accessKeyId"] == {"name": "postgres-archive-s3", "key": "ACCESS_KEY_ID"}
    assert conf["wal"]["encryption"] == conf["data"]["encryption"] == "aws:kms"
    assert conf["wal"]["archiveAdditionalCommandArgs"] == ["--sse-kms-key-id=arn:aws:kms:us-east-1:123456789012:key/k"]
    (cluster,) = run.of_type(CLUSTER)
    assert {"postgres-barman-cloud", "postgres-archive", "database-namespace", "postgres-credentials",
            "postgres-operator"} <= deps_names(run, cluster)
    plugin = [r for r in run.of_type("kubernetes:helm.sh/v3:Release") if r.name == "postgres-barman-cloud"][0]
    assert "cert-manager" in deps_names(run, plugin) and plugin.protect


def test_without_protection_nothing_is_protected_or_kept():
    """retainOnDelete only where protected: an unprotected stack's destroy deletes the namespace, and
    the namespace controller deletes a retained Cluster in it anyway, in no order with the storage
    (tools/conformance/apply.py rules "retain" and "detach"; tests/test_apply.py)."""
    run, _ = _build(_args(protect=False))
    assert not any(r.protect for r in run.resources)
    (cluster,) = run.of_type(CLUSTER)
    assert not cluster.retain_on_delete
    run, _ = _build(_args(protect=True))
    assert run.one(CLUSTER).retain_on_delete and run.one(CLUSTER).protect


def test_a_recovery_spec_names_its_source_and_archives_under_its_own_name():
    make = _args(postgresCluster="postgres-pitr1", postgresRecoverySource="postgres",
                 postgresRecoveryTarget="2026-08-01T10:15:00Z", backupOffsiteBucket="tartware-backups",
                 backupOffsiteRegion="us-east-1")
    run, pg = _build(make)
    spec = run.one(CLUSTER).plain["spec"]
    assert "initdb" not in spec["bootstrap"] and spec["bootstrap"]["recovery"]["owner"] == "tartware"
    assert spec["plugins"][0]["parameters"]["serverName"] == "postgres-pitr1"
    assert pg.primary_host == "postgres-pitr1-rw.database.svc.cluster.local"


def test_while_importing_the_cluster_waits_for_the_bitnami_release_and_there_is_no_pooler():
    run, pg = _build(_args(archive=None, postgresMigration="import"))
    assert "bitnami" in deps_names(run, run.one(CLUSTER))
    assert not run.of_type("kubernetes:postgresql.cnpg.io/v1:Pooler") and not pg.pooled
    spec = cluster_spec(dataclasses.replace(_args(archive=None)(provider())))
    assert "externalClusters" not in spec and "plugins" not in spec


def test_the_cluster_waits_for_the_allows_it_needs_made_where_the_platform_keeps_its_policies():
    """On a deployed stack the database namespace's default-deny is in place: a new standby
    (allow-replication) or the import (allow-import) connects only once its allow exists, and the
    Cluster is awaited until Ready. So the PostgreSQL part makes those allows before the Cluster,
    under the platform's resource names, aliased to the platform's NetworkPolicies component (where
    a stack deployed before held them: no replacement). The schema migration's allow too: the
    Tartware release, whose pre-install hook it admits, waits for the Cluster."""
    from components.platform.data_tier import DataTier
    from components.network import PolicyHome

    s = settings(environment="prod", postgresMigration="import")
    home_urn = "urn:pulumi:prod::tartware-infra::tartware:platform:Platform$tartware:platform:NetworkPolicies::platform-network"

    def make(p):
        data = DataArgs(s.data, True, None, None, archive=None,  # type: ignore[arg-type]
                        cert_manager=stand_in("cert-manager", p), monitoring_crds=stand_in("kps", p),
                        policies=PolicyHome("platform-network", pulumi.Output.from_input(home_urn)))
        allows = DataTier._postgres_policies(s.data, "import", archived=False)["database"]
        return postgres_args(data, stand_in("database-namespace", p), stand_in("postgres-credentials", p),
                                     "tartware", "tartware", waits_for=(stand_in("bitnami", p),), allows=tuple(allows))

    run, pg = _build(make)
    policies = {r.name: r for r in run.of_type("kubernetes:networking.k8s.io/v1:NetworkPolicy")}
    assert set(policies) == {"platform-network-database-allow-operator", "platform-network-database-allow-replication",
                             "platform-network-database-allow-legacy-replication",
                             "platform-network-database-allow-import", "platform-network-database-allow-migration"}
    assert set(policies) <= deps_names(run, run.one(CLUSTER))
    for r in policies.values():
        assert {"spec": {"parentUrn": home_urn}} in r.aliases
        assert deps_names(run, r) == {"database-namespace"}  # not the Cluster: no circle
    # networkPolicies off: no policy at all
    run, _ = _build(_args(archive=None))
    assert not run.of_type("kubernetes:networking.k8s.io/v1:NetworkPolicy")
