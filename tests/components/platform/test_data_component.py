"""components/platform/data_tier.py alone: the data tier with a hand-made secret source."""

from components.platform.data_tier import DataArgs
from components.secrets import SecretsArgs

from components.platform.data_tier import DataTier
from components.secrets import SecretSource
from tests.components.helpers import build, credentials, deps_names, on, provider, settings, wired

RELEASE = "kubernetes:helm.sh/v3:Release"


def _data(protect: bool):
    s = settings(environment="prod")

    def b():
        p = provider()
        source = SecretSource("external-secrets", SecretsArgs(), on(p))
        return DataTier("data", DataArgs(s.data, protect, credentials(), source), on(p))
    return build(b)


def test_releases_wait_for_their_namespace_and_credentials():
    run, data = _data(protect=True)
    wired(run, "tartware:data:DataTier", "data")
    releases = {r.plain["name"]: r for r in run.of_type(RELEASE)}
    assert {"cnpg", "redis", "redpanda"} <= set(releases)
    (cluster,) = run.of_type("kubernetes:postgresql.cnpg.io/v1:Cluster")
    assert cluster.plain["metadata"]["namespace"] == data.namespaces["database"]
    deps = deps_names(run, cluster)
    assert "data-database-namespace" in deps and "data-postgres-credentials" in deps
    # the superuser logs in with the generated password of its Secret (the migration hook Job's login,
    # docs/app.md "Migration contract"): the operator reads its username/password
    # (cloudnative-pg/cloudnative-pg@v1.30.0 api/v1/cluster_types.go SuperuserSecret)
    assert "data-postgres-superuser" in deps
    assert cluster.plain["spec"]["enableSuperuserAccess"] is True
    assert cluster.plain["spec"]["superuserSecret"] == {"name": "postgres-superuser"}
    (superuser,) = [r for r in run.resources if r.name == "data-postgres-superuser"]
    assert superuser.plain["metadata"] == {**superuser.plain["metadata"], "name": "postgres-superuser",
                                           "namespace": "database"}
    # the generated superuser password (tests/components/helpers.py credentials: database_admin_password)
    assert superuser.plain["stringData"] == {"username": "postgres", "password": "admin-pw"}
    assert "data-postgresql-operator" in deps  # the CRDs and the webhook first
    assert any(n.endswith("-namespace") for n in deps_names(run, releases["redis"]))
    # the database password is the credentials' secret, never plain text
    secrets = run.of_type("kubernetes:core/v1:Secret")
    assert secrets and all(type(s.inputs["stringData"]).__name__ == "Secret" for s in secrets)


def test_stateful_parts_protected_when_asked():
    run, _ = _data(protect=True)
    stateful = {"data-database-namespace", "data-cache-namespace", "data-messaging-namespace", "data-consul-namespace"}
    assert all(r.protect for r in run.of_type("kubernetes:core/v1:Namespace") if r.name in stateful)
    assert all(r.protect for r in run.of_type("kubernetes:postgresql.cnpg.io/v1:Cluster"))
    assert {r.name for r in run.of_type("random:index/randomId:RandomId") if r.protect} == {
        f"data-{part}-volume-size" for part in ("redis", "redpanda", "consul")}
    run, _ = _data(protect=False)
    assert not any(r.protect for r in run.resources)
