"""Whole-program runs under the mock engine: structure, providers, secrets, protection."""

import pytest

from tools.offline import Secret, contains_secret, run_program, stack_config
from tests import guide

RELEASE = "kubernetes:helm.sh/v3:Release"
SECRET = "kubernetes:core/v1:Secret"
PASSWORD = "random:index/randomPassword:RandomPassword"


def app_secrets(run):
    return [s for s in run.of_type(SECRET) if s.plain["metadata"]["namespace"] == guide.NAMESPACE]


@pytest.fixture(params=["dev", "prod"])
def run(request, dev_run, prod_run):
    return {"dev": dev_run, "prod": prod_run}[request.param]


def test_component_type_tokens_and_parents(run):
    components = [r for r in run.resources if not r.custom]
    assert components, "no components registered"
    for c in components:
        assert c.type.startswith("tartware:") and c.type.count(":") == 2, c.type
    component_urns = {c.urn for c in components}
    for r in run.resources:
        if r.custom:
            assert r.parent in component_urns, f"{r.type} {r.name} is not parented to a component"


def test_kubernetes_resources_get_the_cluster_provider_explicitly(run):
    provider = run.one("pulumi:providers:kubernetes")
    for r in run.resources:
        if r.type.startswith("kubernetes:"):
            assert r.provider.startswith(provider.urn + "::"), f"{r.name} uses {r.provider!r}"


def test_release_is_the_guides_release(run):
    rel = run.one(RELEASE, "tartware-release")
    assert rel.plain["name"] == guide.RELEASE
    assert rel.plain["namespace"] == guide.NAMESPACE
    assert rel.plain["chart"] == "./charts/tartware"
    assert rel.plain["createNamespace"] is False
    assert rel.plain["timeout"] == 900
    ns = run.one("kubernetes:core/v1:Namespace", "tartware-namespace")
    assert ns.plain["metadata"]["name"] == guide.NAMESPACE
    assert ns.plain["metadata"]["labels"]["pod-security.kubernetes.io/enforce"] == "restricted"
    # the release waits for the namespace and every secret it reads
    secret_urns = {s.urn for s in app_secrets(run)}
    assert ns.urn in rel.dependencies
    assert secret_urns <= set(rel.dependencies)


def test_the_guides_secrets_are_created_and_secret(run):
    secrets = {s.plain["metadata"]["name"]: s for s in app_secrets(run)}
    assert set(secrets) == {"database-credentials", "redis-credentials", "tartware-auth", "tartware-data-keys",
                            "database-admin-credentials"}
    # docs/app.md "Migration contract": the superuser's password, read only by the migration hook Job
    assert set(secrets["database-admin-credentials"].plain["stringData"]) == {"password"}
    assert set(secrets["database-credentials"].plain["stringData"]) == {"username", "password"}
    assert set(secrets["redis-credentials"].plain["stringData"]) == {"password"}
    # docs/app.md: what core, guests and billing read through secretKeyRef
    assert set(secrets["tartware-auth"].plain["stringData"]) == {"jwt-secret", "default-password", "service-password"}
    assert set(secrets["tartware-data-keys"].plain["stringData"]) == {"guest-data-key", "billing-data-key"}
    for s in secrets.values():
        assert s.plain["metadata"]["namespace"] == guide.NAMESPACE
        assert isinstance(s.inputs["stringData"], Secret) or all(
            isinstance(v, Secret) for v in s.inputs["stringData"].values()
        ), s.name
    # no secret in the release values, nor in any stack output
    assert not contains_secret(run.one(RELEASE, "tartware-release").inputs["values"])
    values_text = repr(run.one(RELEASE, "tartware-release").plain["values"])
    assert "mock-credentials" not in values_text
    for name, value in run.outputs.items():
        assert "mock-credentials" not in repr(value), name


def test_passwords_are_generated_with_pulumi_random(run):
    names = {p.name for p in run.of_type(PASSWORD)}
    assert {"credentials-database", "credentials-redis", "credentials-jwt"} <= names
    for p in run.of_type(PASSWORD):
        assert p.plain["length"] >= 32


def test_protection_follows_environment(dev_run, prod_run):
    for p in prod_run.of_type(PASSWORD):
        assert p.protect, p.name
    assert prod_run.one("kubernetes:core/v1:Namespace", "tartware-namespace").protect
    for r in dev_run.resources:
        assert not r.protect, r.name


def test_outputs_shape(run):
    out = run.outputs
    assert out["namespace"] == guide.NAMESPACE
    assert out["releaseName"] == guide.RELEASE
    assert out["apiUrl"] == "https://api.tartware.local"  # the guide: curl https://api.tartware.local/health
    assert set(out["budget"]) == {"min", "max", "services"}
    assert out["namespaces"]["database"] == "database" and out["namespaces"]["cache"] == "cache"
    assert out["namespaces"]["messaging"] == "messaging" and out["namespaces"]["observability"] == "observability"
    for side in ("min", "max"):
        assert set(out["budget"][side]) == {
            "pods", "cpuRequestCores", "cpuLimitCores", "memoryRequestGi", "memoryLimitGi"
        }


def test_regcred_only_when_a_registry_is_configured():
    config, secret_keys = stack_config(
        "prod",
        overrides={"tartware-infra:registryServer": "registry.example.com",
                   "tartware-infra:registryUsername": "ci"},
        secrets={"tartware-infra:registryPassword": "hunter2-registry"},
    )
    run = run_program("prod", config, secret_keys)
    secrets = {s.plain["metadata"]["name"]: s for s in app_secrets(run)}
    regcred = secrets["regcred"]
    assert regcred.plain["type"] == "kubernetes.io/dockerconfigjson"
    assert contains_secret(regcred.inputs["stringData"])
    assert "hunter2-registry" in repr(regcred.plain["stringData"])  # it is there, as a secret
    values = run.one(RELEASE, "tartware-release").plain["values"]
    assert values["global"]["imagePullSecrets"] == ["regcred"]
    assert "hunter2-registry" not in repr(values)
    assert "hunter2-registry" not in repr(run.outputs)
