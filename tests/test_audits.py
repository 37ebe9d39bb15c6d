"""Audits over every cluster target: secrets never in plaintext, stateful resources protected in prod,
namespaces labelled for Pod Security Admission.
"""

import pytest

from tools.conformance import access
from tools.offline import DefaultMocks, Secret
from tools.system import program_system
from tests.helpers import run_target_config as _run, target_run

NS = "tartware-infra"
# Every secret value under mocks carries one of these markers: RandomPassword results and provider
# tokens ("mock-", "token-mock"), RandomBytes values (the data-encryption keys), and config secrets
# (stand-ins or the test's own values).
MARKERS = ("mock-", "token-mock", DefaultMocks.BYTES_MARKER, "offline-stand-in-for-", "rancher-secret",
           "vcenter-secret-pw", "registry-secret-pw", "sso-client-secret-pw")

# Charts whose releases hold data (PVCs), or the CRDs of what does (cloudnative-pg), and must be
# protected in prod.
STATEFUL_CHARTS = {"cloudnative-pg", "redis-ha", "redpanda", "consul", "loki", "kube-prometheus-stack"}
STATEFUL_TYPES = {
    "aws:eks/cluster:Cluster",
    "rancher2:index/clusterV2:ClusterV2",
    "random:index/randomPassword:RandomPassword",
    "random:index/randomBytes:RandomBytes",  # the data-encryption keys
    "kubernetes:core/v1:PersistentVolumeClaim",
    "kubernetes:postgresql.cnpg.io/v1:Cluster",  # the database: its instances' volumes go with it
}
# Generated values that hold no data: regenerating one loses nothing (name -> why).
NOT_STATEFUL = {
    "platform-access-cookie-secret": "oauth2-proxy's cookie key: a new one signs everyone out; protection would "
                                     "block switching operatorAccess away from sso",
}
# Namespaces whose deletion would delete data or the whole app.
STATEFUL_NAMESPACES = {"tartware-system", "database", "cache", "messaging", "consul"}


def plaintext_leaks(value, path="", inside_secret=False):
    """Paths where a marker string appears outside a Secret wrapper."""
    if isinstance(value, Secret):
        return []
    if isinstance(value, dict):
        return [leak for k, v in value.items() for leak in plaintext_leaks(v, f"{path}.{k}")]
    if isinstance(value, list):
        return [leak for i, v in enumerate(value) for leak in plaintext_leaks(v, f"{path}[{i}]")]
    if isinstance(value, str) and any(m in value for m in MARKERS):
        return [path]
    return []


@pytest.mark.parametrize("stack,target", [("dev", "existing"), ("prod", "existing"), ("prod", "eks"),
                                          ("prod", "vsphere"), ("prod", "baremetal"), ("prod", "vault"),
                                          ("prod", "registry")])
def test_no_secret_in_plaintext_anywhere(stack, target):
    run = target_run(stack, target)
    leaks = []
    for r in run.resources:
        leaks += [f"{r.type} {r.name}{p}" for p in plaintext_leaks(r.inputs)]
        if r.type in ("kubernetes:core/v1:ConfigMap",):
            leaks += [f"{r.type} {r.name} (configmap)" for _ in plaintext_leaks(r.plain)]
    leaks += [f"output {p}" for p in plaintext_leaks(run.outputs)]
    assert leaks == []


@pytest.mark.parametrize("target", ["existing", "eks", "vsphere", "baremetal"])
def test_stateful_resources_protected_in_prod(target):
    run = target_run("prod", target)
    stateful = []
    for r in run.resources:
        chart = r.plain.get("chart", "") if r.type == "kubernetes:helm.sh/v3:Release" else ""
        ns = r.plain.get("metadata", {}).get("name") if r.type == "kubernetes:core/v1:Namespace" else None
        if r.name in NOT_STATEFUL:
            continue
        if r.type in STATEFUL_TYPES or chart.rsplit("/", 1)[-1] in STATEFUL_CHARTS or ns in STATEFUL_NAMESPACES:
            stateful.append(r)
    assert stateful, "no stateful resources found"
    unprotected = [f"{r.type} {r.name}" for r in stateful if not r.protect]
    assert unprotected == []
    kinds = {r.type for r in stateful}
    assert "kubernetes:helm.sh/v3:Release" in kinds  # the data tier
    if target == "eks":
        assert "aws:eks/cluster:Cluster" in kinds
    if target in ("vsphere", "baremetal"):
        assert "rancher2:index/clusterV2:ClusterV2" in kinds
    for r in (run.of_type("kubernetes:core/v1:PersistentVolumeClaim")
              + run.of_type("kubernetes:postgresql.cnpg.io/v1:Cluster")):
        assert r.retain_on_delete, f"{r.name} would delete its volume with the stack"
    for r in run.of_type("kubernetes:storage.k8s.io/v1:StorageClass"):
        assert r.plain["reclaimPolicy"] == "Retain", f"{r.name} deletes volumes with their claims"


def test_nothing_protected_in_dev():
    """dev protects nothing, the volume-size guards included: its stack is torn down and its
    components switched off and on at will."""
    run = target_run("dev", "existing")
    assert [r.name for r in run.resources if r.protect] == []


@pytest.mark.parametrize("stack", ["dev", "prod"])
def test_every_namespace_enforces_pod_security(stack):
    run = target_run(stack, "existing")
    namespaces = run.of_type("kubernetes:core/v1:Namespace")
    assert namespaces
    for ns in namespaces:
        labels = ns.plain["metadata"]["labels"]
        assert labels.get("pod-security.kubernetes.io/enforce") in ("restricted", "baseline", "privileged"), ns.name
        assert labels.get("pod-security.kubernetes.io/warn") == "restricted", ns.name


@pytest.mark.parametrize("stack,target", [("dev", "existing"), ("prod", "existing"), ("prod", "vault")])
def test_every_namespace_we_create_denies_ingress_by_default(stack, target):
    from tools.render import render_chart

    run = target_run(stack, target)
    created = {ns.plain["metadata"]["name"] for ns in run.of_type("kubernetes:core/v1:Namespace")}
    policies = [r.plain for r in run.of_type("kubernetes:networking.k8s.io/v1:NetworkPolicy")]
    app = run.one("kubernetes:helm.sh/v3:Release", "tartware-release").plain
    policies += [d for d in render_chart(app["values"]) if d["kind"] == "NetworkPolicy"]
    denied = {p["metadata"].get("namespace", "tartware-system") for p in policies
              if p["spec"]["podSelector"] == {} and "Ingress" in p["spec"]["policyTypes"]
              and not p["spec"].get("ingress")}
    assert created - denied == set()


def _policy(run, namespace, name):
    return next(r.plain for r in run.of_type("kubernetes:networking.k8s.io/v1:NetworkPolicy")
                if r.plain["metadata"]["namespace"] == namespace and r.plain["metadata"]["name"] == name)


def test_backup_job_may_reach_postgres_and_nothing_else_new():
    run = target_run("prod", "existing")
    allow = _policy(run, "database", "allow-backup")
    (rule,) = allow["spec"]["ingress"]
    assert rule["from"] == [{"namespaceSelector": {"matchLabels": {"kubernetes.io/metadata.name": "tartware-ops"}},
                             "podSelector": {"matchLabels": {"app.kubernetes.io/name": "postgres-backup"}}}]
    assert [p["port"] for p in rule["ports"]] == [5432]
    cron = run.one("kubernetes:batch/v1:CronJob").plain
    labels = cron["spec"]["jobTemplate"]["spec"]["template"]["metadata"]["labels"]
    assert labels["app.kubernetes.io/name"] == "postgres-backup"


def test_load_test_generators_are_admitted_to_the_gateway():
    from tools.render import render_chart

    run = _run("prod", {"loadTest": "load", "loadTestUsername": "k6-bot"}, {"loadTestPassword": "hunter2-k6"})
    values = run.one("kubernetes:helm.sh/v3:Release", "tartware-release").plain["values"]
    assert values["mesh"]["permissivePorts"] == {"api-gateway": [8080]}
    docs = render_chart(values)
    job = run.one("kubernetes:batch/v1:Job", "operations-load-test-k6-load").plain
    k6_labels = job["spec"]["template"]["metadata"]["labels"]
    gateway_policies = [d for d in docs if d["kind"] == "NetworkPolicy"
                        and d["spec"]["podSelector"].get("matchLabels", {}).get("app") == "api-gateway"]
    peers = [peer for p in gateway_policies for rule in p["spec"].get("ingress", []) for peer in rule.get("from", [])]
    assert any(peer.get("namespaceSelector", {}).get("matchLabels", {}).get("kubernetes.io/metadata.name")
               == "tartware-ops"
               and all(k6_labels.get(k) == v for k, v in peer.get("podSelector", {}).get("matchLabels", {}).items())
               for peer in peers), peers


def test_the_guides_debug_pod_may_reach_postgres():
    """docs/spec/deployment-guide.md: kubectl run -it --rm debug --image=postgres:16 --restart=Never -- psql -h
    postgres-postgresql.database.svc.cluster.local -U tartware -d tartware (namespace default)."""
    run = target_run("prod", "existing")
    (rule,) = _policy(run, "database", "allow-runbook-debug-pod")["spec"]["ingress"]
    assert rule["from"] == [{"namespaceSelector": {"matchLabels": {"kubernetes.io/metadata.name": "default"}},
                             "podSelector": {"matchLabels": {"run": "debug"}}}]
    assert [p["port"] for p in rule["ports"]] == [5432]


# ------------------------------------------------------------------------------ operator access


EXPECTED_ACCESS = {"existing": "internal", "eks": "source", "vsphere": "sso", "baremetal": "source", "vault": "sso"}


@pytest.mark.parametrize("target", list(EXPECTED_ACCESS))
def test_no_operator_host_is_public_without_the_sso_check_or_a_source_allowlist(target):
    """On every target, every host the public gateway serves is the API or guarded (the render check,
    tools/conformance/access.py, on the objects the program creates and the releases' values)."""
    system = program_system(target_run("prod", target))
    assert access.violations(system) == []
    guards = access.guards(system)
    assert guards.pop("api.tartware.local") == "api"
    if EXPECTED_ACCESS[target] == "internal":
        assert guards == {}  # no operator route at all
    else:
        assert guards == {f"{n}.tartware.local": EXPECTED_ACCESS[target] for n in ("grafana", "jaeger", "prometheus")}


def test_the_gate_secrets_come_from_vault_with_the_vault_backend():
    run = target_run("prod", "vault")
    synced = {r.plain["metadata"]["name"]: r.plain["spec"]["data"]
              for r in run.of_type("kubernetes:external-secrets.io/v1:ExternalSecret")}
    for name, keys in (("oauth2-proxy", {"client-secret", "cookie-secret"}), ("grafana-oauth", {"client-secret"})):
        assert {d["secretKey"] for d in synced[name]} == keys
        assert {d["remoteRef"]["key"] for d in synced[name]} == {"tartware/operator-sso"}
    assert not [r for r in run.of_type("random:index/randomPassword:RandomPassword") if "cookie" in r.name]
