"""Conformance of the whole system (every release rendered from its chart source + the program's own
objects, tools/system.py) for dev and prod: Pod Security Admission, requests and limits,
NetworkPolicy reachability, references, schemas. Each check also has a test that plants the defect
it exists for and sees it fail."""

from __future__ import annotations

import copy
import dataclasses
import re

import pytest

from tools.conformance import flows as derived  # the flows the platform needs
from tools.conformance import cnpg_admission, netpol, psa, references, resources, schemas, workloads
from tools.conformance.pods import pod_templates
from tests.helpers import planted_system
from tools.system import PROGRAM, Item, SystemRender, skipped_report


def planted(system: SystemRender, add=(), change=None, kinds=None) -> SystemRender:
    """``system`` with ``add`` appended and ``change`` applied to the items of ``kinds`` (every kind when None)."""
    return planted_system(system, add, change, kinds=kinds)


def deployment(name, ns, labels, container, pod_sc=None, volumes=None):
    return {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": name, "namespace": ns},
            "spec": {"selector": {"matchLabels": labels},
                     "template": {"metadata": {"labels": labels},
                                  "spec": {"securityContext": pod_sc or {}, "containers": [container],
                                           "volumes": volumes or []}}}}


HARDENED = {"name": "app", "image": "example/app:1",
            "securityContext": {"allowPrivilegeEscalation": False, "runAsNonRoot": True, "runAsUser": 10001,
                                "capabilities": {"drop": ["ALL"]}, "seccompProfile": {"type": "RuntimeDefault"}},
            "resources": {"requests": {"cpu": "100m", "memory": "128Mi"}, "limits": {"cpu": "1", "memory": "256Mi"}}}


def require_complete(system: SystemRender) -> None:
    """Checks that need every release (targets, selectors, CRDs) skip, loudly, while one is missing."""
    if system.skipped:
        pytest.skip(f"{system.stack}: {len(system.skipped)} release(s) not rendered from a chart source: "
                    + ", ".join(name for name, _ in system.skipped))


# ------------------------------------------------------------------------------ the render itself


def test_every_release_is_rendered_from_its_chart_source(system):
    """A release whose chart is not in the repository fails here, never dropped silently. (A chart
    whose values.schema.json refuses the values is still rendered, without the schema, and listed in
    ``system.schema_errors`` for the values-schema test.)"""
    assert [r.name for r in system.releases]
    assert not system.skipped, "\n".join(skipped_report(system))


def test_render_has_our_chart_and_program_objects(system):
    origins = {i.origin for i in system.items}
    assert "release:tartware" in origins and PROGRAM in origins
    assert system.find("Deployment", "api-gateway", "tartware-system") is not None


def test_no_bitnamilegacy_image_anywhere(system):
    """Bitnami stopped publishing versioned images in 2025 (bitnami/containers#83267): nothing the
    stack runs comes from docker.io/bitnamilegacy (or the deleted docker.io/bitnami)."""
    import json

    frozen = [i.key for i in system.items if re.search(r"bitnamilegacy/|docker\.io/bitnami/", json.dumps(i.doc))]
    assert frozen == []
    images = {c.get("image") for p in pod_templates(system) for c in p.containers()}
    assert "public.ecr.aws/docker/library/redis:8.8.0-alpine" in images  # redis-ha's official image


def test_objects_of_releases_get_the_release_namespace(system):
    for item in system.items:
        if item.origin.startswith("release:") and item.kind in ("Deployment", "Service", "ConfigMap"):
            assert item.namespace, item.key


# ------------------------------------------------------------------------------ Pod Security Admission


def test_every_pod_meets_its_namespace_pod_security_level(system):
    problems = psa.violations(system)
    assert not problems, "\n".join(problems)


def test_psa_fails_on_a_privileged_pod_in_a_restricted_namespace(system):
    ns = "tartware-system"
    assert psa.namespace_levels(system)[ns] == "restricted"
    bad = copy.deepcopy(HARDENED)
    bad["securityContext"]["privileged"] = True
    bad["securityContext"]["allowPrivilegeEscalation"] = True
    problems = psa.violations(planted(system, add=[deployment("planted", ns, {"app": "planted"}, bad)]))
    assert any("planted" in p and "privileged: container app" in p for p in problems), problems
    assert any("planted" in p and "allowPrivilegeEscalation" in p for p in problems), problems


@pytest.mark.parametrize("field, value, check", [
    ("hostNetwork", True, "hostNamespaces"),
    ("volumes", [{"name": "h", "hostPath": {"path": "/"}}], "restrictedVolumes"),
    ("securityContext", {"sysctls": [{"name": "kernel.msgmax", "value": "1"}]}, "sysctls"),
])
def test_psa_pod_level_rules(field, value, check):
    from tools.conformance.pods import PodTemplate

    spec = {"containers": [copy.deepcopy(HARDENED)], field: value}
    pod = PodTemplate("Deployment x/y", "x", {}, spec, True, PROGRAM)
    assert any(v.startswith(check) for v in psa.evaluate(pod, "restricted"))
    assert not psa.evaluate(PodTemplate("Deployment x/y", "x", {}, {"containers": [HARDENED]}, True, PROGRAM),
                            "restricted")


def test_psa_restricted_needs_non_root_and_seccomp_but_baseline_does_not():
    from tools.conformance.pods import PodTemplate

    loose = {"name": "c", "securityContext": {}}
    pod = PodTemplate("Deployment x/y", "x", {}, {"containers": [loose]}, True, PROGRAM)
    found = {v.split(":")[0] for v in psa.evaluate(pod, "restricted")}
    assert {"runAsNonRoot", "seccompProfile_restricted", "capabilities_restricted",
            "allowPrivilegeEscalation"} <= found
    assert psa.evaluate(pod, "baseline") == []
    caps = {"name": "c", "securityContext": {"capabilities": {"add": ["NET_ADMIN"]}}}
    pod = PodTemplate("Deployment x/y", "x", {}, {"containers": [caps]}, True, PROGRAM)
    assert any(v.startswith("capabilities_baseline") for v in psa.evaluate(pod, "baseline"))


def test_operator_pods_are_checked(system):
    """Prometheus and Alertmanager pods come from their custom resources, not from a template."""
    owners = {p.owner.split(" ")[0] for p in pod_templates(system)}
    require_complete(system)
    assert {"Prometheus", "Alertmanager"} <= owners


# ------------------------------------------------------------------------------ requests and limits


def test_every_container_has_cpu_and_memory_requests_and_limits(system):
    problems = resources.violations(system)
    assert not problems, "\n".join(problems)


def test_limits_check_fails_on_a_container_without_limits(system):
    bare = copy.deepcopy(HARDENED)
    del bare["resources"]["limits"]
    problems = resources.violations(planted(system, add=[deployment("planted", "tartware-system", {"app": "p"}, bare)]))
    assert problems == ["Deployment tartware-system/planted container app: no limits.cpu, limits.memory"]


def test_platform_pods_are_within_what_the_capacity_check_counts(system, request):
    """The capacity check (rules/capacity.py) adds the platform's fixed overhead to the Tartware
    budget. The requests the rendered platform pods really make must not exceed it, or the check
    would pass a cluster the platform does not fit on."""
    from rules.capacity import CLUSTER_DAEMONSETS, fixed_overhead, per_node_daemonsets

    require_complete(system)
    settings = _settings(system.stack)
    fixed = fixed_overhead(settings)
    totals = resources.platform_totals(system, daemonsets=False)
    assert totals.cpu_request_m <= fixed.cpu, (totals, fixed)
    assert totals.memory_request_mi * 2**20 <= fixed.memory, (totals, fixed)
    per_node = resources.platform_totals(system, daemonsets=True, exclude_namespaces=())
    cpu, mem = per_node_daemonsets(settings)
    cpu, mem = cpu - CLUSTER_DAEMONSETS[0], mem - CLUSTER_DAEMONSETS[1]  # the cluster's own, not rendered here
    assert per_node.cpu_request_m <= cpu and per_node.memory_request_mi * 2**20 <= mem, (per_node, cpu, mem)


def _settings_raw(stack: str) -> dict:
    from tools.pulumi_cli import plain_stack_values

    return plain_stack_values(stack, "tartware-infra")


def _settings(stack: str):
    from program.load import build_settings

    return build_settings(_settings_raw(stack), stack=stack)


# ------------------------------------------------------------------------------ observability's workload table


def test_observability_pods_are_its_workload_table(system):
    """Every pod the observability releases render (the charts at their pins) is a workload of
    settings/observability_workloads.py with its replicas, containers and sizes; the table's sums,
    ``fixed_overhead`` and ``per_node_overhead``, are the rendered pods' requests."""
    require_complete(system)
    s = _settings(system.stack).observability
    assert workloads.violations(system, s) == []
    fixed, per_node = workloads.rendered_overhead(system)
    assert fixed == s.fixed_overhead() and per_node == s.per_node_overhead()
    assert fixed[0] > 0 and per_node[0] > 0


@pytest.fixture(scope="module")
def observability_off():
    """prod with Loki (and Alloy), Jaeger and prometheus-adapter off: the Observability component
    alone (tests/components), its releases rendered from their charts like the whole system's."""
    from components.platform.observability import Observability
    from components.platform.observability_values import ObservabilityArgs
    from tests.components.helpers import build, on, provider, settings
    from tools.system import render_system

    s = settings(environment="prod",
                 observabilityComponents={"loki": False, "jaeger": False, "prometheusAdapter": False}).observability
    run, _ = build(lambda: Observability("observability", ObservabilityArgs(s, True, "example.com"), on(provider())))
    return s, render_system(run)


def test_observability_components_off_are_out_of_the_table_and_the_render(observability_off):
    s, system = observability_off
    assert {r.name for r in system.releases} == {"kube-prometheus-stack"}
    assert workloads.violations(system, s) == []
    fixed, per_node = workloads.rendered_overhead(system)
    assert fixed == s.fixed_overhead() and per_node == s.per_node_overhead()
    on = _settings("prod").observability
    assert 0 < s.fixed_overhead()[0] < on.fixed_overhead()[0]


def _kps_pod(name, containers, kind="Deployment", ns="observability"):
    return Item({"apiVersion": "apps/v1", "kind": kind, "metadata": {"name": name, "namespace": ns},
                 "spec": {"replicas": 1, "template": {"spec": {"containers": containers}}}},
                "release:kube-prometheus-stack")


def test_planted_pod_of_a_release_outside_the_table_is_named(observability_off):
    """A pod the values switch on (Grafana's image renderer, say) but the table does not list."""
    s, system = observability_off
    renderer = _kps_pod("kube-prometheus-stack-grafana-image-renderer",
                        [{"name": "image-renderer", "resources": {"requests": {"cpu": "50m", "memory": "64Mi"}}}])
    planted_render = SystemRender(system.stack, system.items + [renderer], system.releases)
    assert workloads.violations(planted_render, s) == [
        "Deployment observability/kube-prometheus-stack-grafana-image-renderer (release kube-prometheus-stack) "
        "is rendered but is not a workload of settings/observability_workloads.py"]
    assert workloads.rendered_overhead(planted_render)[0][0] == s.fixed_overhead()[0] + 50


def test_planted_sidecar_and_size_outside_the_table_are_named(observability_off):
    s, system = observability_off

    def change(key, doc):
        if key == "Deployment observability/kube-prometheus-stack-grafana":
            containers = doc["spec"]["template"]["spec"]["containers"]
            containers.append({"name": "grafana-sc-notifiers", "resources": {"requests": {"cpu": "10m"}}})
            next(c for c in containers if c["name"] == "grafana")["resources"]["requests"]["cpu"] = "999m"
            return True
        return False
    problems = workloads.violations(planted(system, change=change, kinds=("Deployment",)), s)
    owner = "Deployment observability/kube-prometheus-stack-grafana"
    assert problems == [f"{owner}: container grafana-sc-notifiers is rendered but not in the table",
                        f"{owner}: container grafana requests 999m/{512 * 2**20} bytes, the table's size 'grafana' "
                        f"is 250m/{512 * 2**20} bytes"]


def test_planted_wrong_count_is_named(observability_off):
    """A count the table gets wrong (Grafana runs the chart's default of one) and a count the
    render changes behind the table's back (Alertmanager)."""
    from settings import observability_workloads as table

    s, system = observability_off
    kps = table.KUBE_PROMETHEUS_STACK
    wrong = dataclasses.replace(kps, workloads=tuple(
        dataclasses.replace(w, replicas=2) if w.name.endswith("-grafana") else w for w in kps.workloads))
    assert workloads.violations(system, s, (wrong,)) == [
        "Deployment observability/kube-prometheus-stack-grafana: 1 replicas rendered, the table counts 2"]

    def five(key, doc):
        if key == "Alertmanager observability/kube-prometheus-stack-alertmanager":
            doc["spec"]["replicas"] = 5
            return True
        return False
    assert workloads.violations(planted(system, change=five, kinds=("Alertmanager",)), s) == [
        "Alertmanager observability/kube-prometheus-stack-alertmanager: 5 replicas rendered, the table counts 3"]


def test_planted_workload_the_render_lacks_and_a_release_that_should_be_off_are_named(system):
    require_complete(system)
    s = _settings(system.stack).observability
    missing = planted_system(system, drop=("StatefulSet observability/loki",))
    assert workloads.violations(missing, s) == [
        "StatefulSet observability/loki: a workload of release loki in the table, not rendered"]
    off = dataclasses.replace(s, jaeger=False)
    assert workloads.violations(system, off) == [
        "Deployment observability/jaeger: rendered, but the table says release jaeger is off (jaeger is false)"]


# ------------------------------------------------------------------------------ the data tier's workload table


def _data_view(stack: str, archive: bool = False):
    from settings.data_workloads import DataWorkloads

    return DataWorkloads(_settings(stack).data, archive)


@pytest.mark.parametrize("variant", ["dev", "prod", "prod-backup-restore"])
def test_data_pods_are_its_workload_table(variant):
    """Every pod of the data tier (its charts at their pins, what CloudNativePG makes of the Cluster and
    the Pooler, the program's topic Job) is a workload of settings/data_workloads.py with its replicas,
    containers and sizes; the table's sum, ``DataSettings.fixed_overhead``, is the rendered pods'
    requests (with the off-site bucket of prod-backup-restore: the Barman Cloud plugin and sidecars)."""
    from tests.helpers import system_render

    system = system_render(variant)
    require_complete(system)
    archive = variant == "prod-backup-restore"
    s = _data_view(variant.split("-")[0], archive)
    assert workloads.violations(system, s, table=workloads.DATA) == []
    fixed, per_node = workloads.rendered_overhead(system, table=workloads.DATA)
    assert fixed == s.data.fixed_overhead(archive) and per_node == (0, 0)
    assert fixed[0] > 0


@pytest.fixture(scope="module")
def data_import():
    """prod moving from the bitnami release (postgresMigration=import): PostgreSQL alone (the data tier
    component built alone, tests/components), its releases rendered from their charts."""
    from components.platform.data_tier import DataArgs, DataTier
    from components.secrets import SecretsArgs, SecretSource
    from settings.data_workloads import DataWorkloads
    from tests.components.helpers import build, credentials, on, provider, settings
    from tools.system import render_system

    s = settings(environment="prod", postgresMigration="import",
                 dataComponents={"redis": False, "redpanda": False, "consul": False}).data

    def b():
        p = provider()
        source = SecretSource("external-secrets", SecretsArgs(), on(p))
        return DataTier("data", DataArgs(s, False, credentials(), source), on(p))
    run, _ = build(b)
    return DataWorkloads(s), render_system(run)


def test_data_import_runs_the_bitnami_release_of_the_table(data_import):
    s, system = data_import
    assert {r.name for r in system.releases} == {"cnpg", "postgres"}
    assert workloads.violations(system, s, table=workloads.DATA) == []
    fixed, _ = workloads.rendered_overhead(system, table=workloads.DATA)
    assert fixed == s.data.fixed_overhead()
    # the bitnami primary and read replicas beside the cluster, no Pooler while the import runs
    pods = {workloads.owner(p) for p in pod_templates(system)}
    assert {"StatefulSet database/postgres-postgresql", "StatefulSet database/postgres-postgresql-read",
            "Cluster database/postgres", "Job database/postgres-1-import"} <= pods
    assert "Pooler database/postgres-postgresql" not in pods


def test_data_recovery_runs_the_full_recovery_job_of_the_table():
    """A point-in-time recovery into a new cluster (PostgreSQL alone, the ``Postgres`` part built alone
    with the bucket, its charts rendered): the Cluster's name and the bootstrap Job's role come from
    the settings, and the plugin's sidecar runs in the full-recovery Job too."""
    import pulumi

    from components.platform.data_tier import DataArgs, postgres_args
    from components.platform.postgres import ArchiveArgs, Postgres
    from settings.data_workloads import DataWorkloads
    from tests.components.helpers import build, on, provider, settings, stand_in
    from tools.system import render_system

    s = settings(environment="prod", postgresCluster="postgres-pitr1", postgresRecoverySource="postgres",
                 backupOffsiteBucket="tartware-backups", backupOffsiteRegion="us-east-1",
                 dataComponents={"redis": False, "redpanda": False, "consul": False}).data
    archive = ArchiveArgs("s3://tartware-backups/tartware/pitr", "", "us-east-1", "AES256", "", "",
                          pulumi.Output.secret("AKID"), pulumi.Output.secret("sk"))

    def b():
        p = provider()
        data = DataArgs(s, False, None, None, archive=archive, cert_manager=stand_in("cert-manager", p))
        return Postgres("postgres", postgres_args(data, stand_in("database-namespace", p),
                                                  stand_in("postgres-credentials", p), "tartware", "tartware"), on(p))
    run, _ = build(b)
    system = render_system(run)
    view = DataWorkloads(s, archive=True)
    assert workloads.violations(system, view, table=workloads.DATA) == []
    assert workloads.rendered_overhead(system, table=workloads.DATA)[0] == s.fixed_overhead(archiving=True)
    job = next(p for p in pod_templates(system) if p.owner == "Job database/postgres-pitr1-1-full-recovery")
    assert [c["name"] for c in job.spec["initContainers"]] == ["bootstrap-controller", "plugin-barman-cloud"]


def _operator_redone(system):
    """``system`` with what CloudNativePG makes of its (changed) custom resources made again."""
    from tools import cnpg

    system.items = [i for i in system.items if i.origin != cnpg.OPERATOR]
    system.items += [Item(d, cnpg.OPERATOR) for d in cnpg.operator_objects(system.docs)]
    return system


def test_planted_cluster_instances_and_pooler_size_outside_the_table_are_named(system):
    """The operator's pods follow the Cluster and the Pooler: an instance more than the table counts,
    and a PgBouncer size the table does not give, are named by the custom resource."""
    require_complete(system)
    s = _data_view(system.stack)

    def change(key, doc):
        if key == "Cluster database/postgres":
            doc["spec"]["instances"] += 1
        elif key == "Pooler database/postgres-postgresql":
            doc["spec"]["template"]["spec"]["containers"][0]["resources"]["requests"]["cpu"] = "999m"
        return True
    problems = workloads.violations(_operator_redone(planted(system, change=change, kinds={"Cluster", "Pooler"})), s,
                                    table=workloads.DATA)
    n, pooler = s.postgres_instances, s.size("pooler")
    owner = "Pooler database/postgres-postgresql"
    assert problems == [
        f"Cluster database/postgres: {n + 1} replicas rendered, the table counts {n}",
        f"{owner}: container bootstrap-controller requests 999m/{pooler.memory_request} bytes, the table's size "
        f"'pooler' is {pooler.cpu_request}m/{pooler.memory_request} bytes",
        f"{owner}: container pgbouncer requests 999m/{pooler.memory_request} bytes, the table's size "
        f"'pooler' is {pooler.cpu_request}m/{pooler.memory_request} bytes"]


def test_planted_data_pods_outside_the_table_are_named(system):
    """A Job the program registers in a data namespace, a container a chart adds (redis-ha's HAProxy),
    a workload the render lacks (Consul's servers), each named."""
    require_complete(system)
    s = _data_view(system.stack)
    job = {"apiVersion": "batch/v1", "kind": "Job", "metadata": {"name": "planted", "namespace": "messaging"},
           "spec": {"template": {"spec": {"containers": [{"name": "rpk"}]}}}}  # the program's own (tools/system.py)

    def change(key, doc):
        if key == "Deployment cache/redis-redis-ha-haproxy":
            doc["spec"]["template"]["spec"]["containers"].append({"name": "haproxy-exporter"})
            return True
        return False
    changed = planted_system(planted(system, add=[job], change=change, kinds=("Deployment",)),
                             drop=("StatefulSet consul/consul-server",))
    assert workloads.violations(changed, s, table=workloads.DATA) == [
        "Deployment cache/redis-redis-ha-haproxy: container haproxy-exporter is rendered but not in the table",
        "Job messaging/planted (program) is rendered but is not a workload of settings/data_workloads.py",
        "StatefulSet consul/consul-server: a workload of release consul in the table, not rendered"]


def test_planted_archive_the_table_does_not_expect_is_named():
    """The render archives WAL (prod-backup-restore) but the table is read without the bucket: the
    plugin's Deployment and the sidecar it injects into every instance are named."""
    from tests.helpers import system_render

    system = system_render("prod-backup-restore")
    require_complete(system)
    problems = workloads.violations(system, _data_view("prod", archive=False), table=workloads.DATA)
    assert problems == [
        "Deployment cnpg-system/plugin-barman-cloud: rendered, but the table says release plugin-barman-cloud is "
        "off (archiving is false)",
        "Cluster database/postgres: init container plugin-barman-cloud is rendered but not in the table"]


# ------------------------------------------------------------------------------ NetworkPolicy reachability


@pytest.fixture(scope="module")
def networks():
    cache = {}

    def get(system):
        if system.stack not in cache:
            net = netpol.build_network(system)
            flows, problems = derived.platform_flows(system, net)
            blocked, used = netpol.check_flows(net, flows)
            cache[system.stack] = (net, flows, problems, blocked, used)
        return cache[system.stack]
    return get


def test_every_needed_flow_is_allowed_by_both_ends(system, networks):
    require_complete(system)
    _, flows, problems, blocked, _ = networks(system)
    assert flows
    assert not problems + blocked, "\n".join(problems + blocked)


def test_the_flow_data_covers_every_kind_of_traffic(networks):
    """The flows come from what the render declares; each kind the platform needs is present in prod,
    so the reachability check is never vacuous."""
    from tests.helpers import system_render

    _, flows, _, _, _ = networks(system_render("prod"))
    def has(src, dst, port=None, prefix=""):
        return any(f.src.startswith(src) and f.dst.startswith(dst) and (port is None or f.port == port)
                   and f.why.startswith(prefix) for f in flows)

    assert has(netpol.EXTERNAL, "Deployment istio-system/istiod", 15017, "API server -> webhook")
    assert has(netpol.EXTERNAL, "Deployment cert-manager/cert-manager-webhook", prefix="API server -> webhook")
    assert has(netpol.EXTERNAL, "Deployment observability/prometheus-adapter", prefix="API server -> APIService")
    assert has(netpol.EXTERNAL, "Deployment istio-system/istio-ingressgateway", prefix="load balancer")
    assert has(netpol.EXTERNAL, "Deployment ingress-nginx/ingress-nginx-controller", prefix="load balancer")
    for target in ("Deployment istio-system/istiod", "Deployment istio-system/istio-ingressgateway",
                   "Deployment cert-manager/cert-manager", "Deployment ingress-nginx/ingress-nginx-controller",
                   "Deployment tartware-system/api-gateway", "Pod database/postgres-1",
                   "Deployment database/postgres-postgresql", "StatefulSet cache/redis-redis-ha-server"):
        assert has("Prometheus observability/", target), target
    assert has("Deployment istio-system/istio-ingressgateway", "Deployment tartware-system/api-gateway",
               prefix="gateway -> VirtualService")
    # the app reaches PostgreSQL through the Pooler, the Pooler the primary; standbys stream from it;
    # the operator polls every instance and answers the API server's admission calls
    assert has("Deployment tartware-system/api-gateway", "Deployment database/postgres-postgresql", "pgbouncer")
    assert has("Deployment database/postgres-postgresql", "Pod database/postgres-1", 5432, "Pooler")
    assert has("Pod database/postgres-2", "Pod database/postgres-1", 5432, "Cluster database/postgres: streaming")
    assert has("Deployment cnpg-system/cnpg-cloudnative-pg", "Pod database/postgres-3", "status")
    assert has(netpol.EXTERNAL, "Deployment cnpg-system/cnpg-cloudnative-pg", prefix="API server -> webhook")
    assert has("Deployment cache/redis-redis-ha-haproxy", "StatefulSet cache/redis-redis-ha-server", 6379)
    assert has("Deployment tartware-system/api-gateway", "Deployment istio-system/istiod", 15012, "sidecar")
    assert has("Deployment tartware-system/api-gateway", "Deployment observability/jaeger", prefix="sidecar")
    assert has("Deployment tartware-system/api-gateway", netpol.KUBE_DNS.owner, 53)
    assert has("Deployment tartware-system/notification-service", netpol.EXTERNAL, 443)
    # the per-client edge limit: the gateway asks the ratelimit service over gRPC (its EnvoyFilter's
    # cluster), which counts in Redis (its REDIS_URL); Prometheus scrapes it (its ServiceMonitor)
    assert has("Deployment istio-system/istio-ingressgateway", "Deployment ratelimit/ratelimit", 8081,
               "EnvoyFilter istio-system/ingressgateway-ratelimit")
    assert has("Deployment ratelimit/ratelimit", "Deployment cache/redis-redis-ha-haproxy", "redis")
    assert has("Prometheus observability/", "Deployment ratelimit/ratelimit", prefix="Prometheus -> ServiceMonitor")


def test_every_policy_selects_a_pod(system, networks):
    net = networks(system)[0]
    require_complete(system)
    empty = netpol.empty_policies(net)
    assert not empty, "\n".join(empty)


def test_nothing_is_allowed_that_no_flow_needs(system, networks):
    net, _, _, _, used = networks(system)
    require_complete(system)
    unused = netpol.unused_rules(net, used)
    assert not unused, "\n".join(unused)


def test_policy_check_fails_on_a_policy_selecting_nothing(system):
    pol = {"apiVersion": "networking.k8s.io/v1", "kind": "NetworkPolicy",
           "metadata": {"name": "planted", "namespace": "tartware-system"},
           "spec": {"podSelector": {"matchLabels": {"app": "no-such-pod"}}, "policyTypes": ["Ingress"]}}
    empty = netpol.empty_policies(netpol.build_network(planted(system, add=[pol])))
    assert any("tartware-system/planted selects no pod" in e for e in empty)


def test_flow_check_fails_when_a_policy_blocks_a_needed_flow(system):
    """Dropping the DNS egress rules of the Tartware policies blocks every pod's DNS flow."""
    def no_dns(key, doc):
        if doc.get("kind") == "NetworkPolicy" and key.startswith("NetworkPolicy tartware-system/"):
            egress = doc["spec"].get("egress") or []
            doc["spec"]["egress"] = [r for r in egress if not any(p.get("port") == 53 for p in r.get("ports") or [])]
            return True
        return False

    bad = planted(system, change=no_dns, kinds=("NetworkPolicy",))
    net = netpol.build_network(bad)
    flows, _ = derived.platform_flows(bad, net)
    blocked, _ = netpol.check_flows(net, flows)
    assert any("api-gateway -> DNS" in b and "egress" in b for b in blocked), blocked[:5]


def test_flow_check_fails_when_the_gateway_cannot_reach_the_rate_limit_service(system):
    """Without the policy admitting the gateway into namespace ratelimit, the flow its EnvoyFilter
    needs is blocked."""
    require_complete(system)
    bad = SystemRender(system.stack,
                       [i for i in system.items if i.key != "NetworkPolicy ratelimit/allow-ingressgateway"],
                       system.releases, system.skipped)
    assert len(bad.items) == len(system.items) - 1
    net = netpol.build_network(bad)
    flows, _ = derived.platform_flows(bad, net)
    blocked, _ = netpol.check_flows(net, flows)
    assert any("istio-ingressgateway" in b and "ratelimit/ratelimit" in b for b in blocked), blocked[:5]


def test_unused_rule_is_reported():
    net = netpol.Network(
        [netpol.Pod("Deployment a/x", "a", {"app": "x"}, {})],
        [Item({"kind": "NetworkPolicy", "metadata": {"name": "p", "namespace": "a"},
               "spec": {"podSelector": {}, "ingress": [{"from": [{"podSelector": {}}], "ports": [{"port": 80}]}]}},
              PROGRAM)], {})
    assert netpol.unused_rules(net, set()) == [
        "NetworkPolicy a/p ingress[0] allows traffic no flow needs: "
        "{'from': [{'podSelector': {}}], 'ports': [{'port': 80}]}"]


@pytest.mark.parametrize("peer, src, allowed", [
    ({"podSelector": {"matchLabels": {"app": "c"}}}, ("a", {"app": "c"}), True),          # same namespace only
    ({"podSelector": {"matchLabels": {"app": "c"}}}, ("b", {"app": "c"}), False),
    ({"namespaceSelector": {"matchLabels": {"kubernetes.io/metadata.name": "b"}}}, ("b", {}), True),
    ({"namespaceSelector": {}, "podSelector": {"matchLabels": {"app": "c"}}}, ("b", {"app": "c"}), True),
    ({"namespaceSelector": {}, "podSelector": {"matchLabels": {"app": "c"}}}, ("b", {"app": "d"}), False),
    ({"podSelector": {"matchExpressions": [{"key": "app", "operator": "In", "values": ["c", "e"]}]}},
     ("a", {"app": "e"}), True),
    ({"ipBlock": {"cidr": "0.0.0.0/0"}}, ("b", {}), True),
    ({"ipBlock": {"cidr": "10.0.0.0/8"}}, ("b", {}), False),
])
def test_network_policy_peer_semantics(peer, src, allowed):
    dst = netpol.Pod("Deployment a/server", "a", {"app": "server"}, {"http": 8080})
    client = netpol.Pod("Deployment x/client", src[0], src[1], {})
    pol = Item({"kind": "NetworkPolicy", "metadata": {"name": "p", "namespace": "a"},
                "spec": {"podSelector": {"matchLabels": {"app": "server"}},
                         "ingress": [{"from": [peer], "ports": [{"port": "http"}]}]}}, PROGRAM)
    net = netpol.Network([dst, client], [pol], {})
    hits = net.rules_admitting(client, dst, 8080, "TCP", "Ingress")
    assert bool(hits) is allowed
    assert not net.rules_admitting(client, dst, 9090, "TCP", "Ingress")  # named port resolves to 8080 only


# ------------------------------------------------------------------------------ references


def test_every_reference_resolves(system):
    require_complete(system)
    problems = references.violations(system)
    assert not problems, "\n".join(problems)


def test_reference_check_fails_on_a_route_to_a_missing_service(system):
    vs = {"apiVersion": "networking.istio.io/v1beta1", "kind": "VirtualService",
          "metadata": {"name": "planted", "namespace": "istio-system"},
          "spec": {"hosts": ["x.example"], "http": [{"route": [{"destination": {
              "host": "no-such-service.tartware-system.svc.cluster.local", "port": {"number": 80}}}]}]}}
    problems = references.violations(planted(system, add=[vs]))
    assert "VirtualService istio-system/planted: Service tartware-system/no-such-service does not exist" in problems


def test_reference_check_fails_on_a_missing_secret_key(system):
    def bad_key(key, doc):
        if key == "Deployment tartware-system/api-gateway":
            for env in doc["spec"]["template"]["spec"]["containers"][0]["env"]:
                if "secretKeyRef" in (env.get("valueFrom") or {}):
                    env["valueFrom"]["secretKeyRef"]["key"] = "no-such-key"
                    return True
        return False

    problems = references.violations(planted(system, change=bad_key, kinds=("Deployment",)))
    assert any("api-gateway" in p and "no key 'no-such-key'" in p for p in problems), problems


# ------------------------------------------------------------------------------ schemas


def test_builtin_kinds_are_valid_for_kubernetes(system):
    errors = schemas.builtin_errors(system)
    assert not errors, "\n".join(errors)


def test_custom_resources_match_the_crds_in_the_render(system):
    errors, unknown = schemas.custom_resource_errors(system)
    assert not errors, "\n".join(errors)
    require_complete(system)
    assert not unknown, "custom resources without a CRD in the render:\n" + "\n".join(unknown)


def test_custom_resource_schema_check_fails_on_a_bad_field():
    crd = {"apiVersion": "apiextensions.k8s.io/v1", "kind": "CustomResourceDefinition",
           "metadata": {"name": "widgets.example.com"},
           "spec": {"group": "example.com", "names": {"kind": "Widget"}, "scope": "Namespaced",
                    "versions": [{"name": "v1", "served": True, "storage": True, "schema": {"openAPIV3Schema": {
                        "type": "object", "properties": {"spec": {"type": "object", "properties": {
                            "replicas": {"type": "integer"}}, "additionalProperties": False}}}}}]}}
    cr = {"apiVersion": "example.com/v1", "kind": "Widget", "metadata": {"name": "w", "namespace": "a"},
          "spec": {"replicas": "three", "colour": "red"}}
    system = SystemRender("test", [Item(crd, PROGRAM), Item(cr, PROGRAM)])
    errors, unknown = schemas.custom_resource_errors(system)
    assert not unknown and len(errors) == 2, errors


def test_builtin_schema_check_fails_on_a_misspelt_field(system):
    doc = copy.deepcopy(system.find("Deployment", "api-gateway", "tartware-system").doc)
    doc["spec"]["replica"] = doc["spec"].pop("replicas", 1)
    errors = schemas.builtin_errors(SystemRender(system.stack, [Item(doc, PROGRAM)]))
    assert any(e.startswith("Deployment/api-gateway:") and "'replica' was unexpected" in e for e in errors), errors


def test_secrets_from_external_secrets_and_certificates_count_as_existing():
    pod = deployment("app", "a", {"app": "x"}, {**HARDENED, "env": [
        {"name": "P", "valueFrom": {"secretKeyRef": {"name": "db", "key": "password"}}}]},
        volumes=[{"name": "tls", "secret": {"secretName": "tls"}}])
    es = {"apiVersion": "external-secrets.io/v1", "kind": "ExternalSecret",
          "metadata": {"name": "db", "namespace": "a"},
          "spec": {"target": {"name": "db"}, "data": [{"secretKey": "password", "remoteRef": {"key": "x"}}]}}
    cert = {"apiVersion": "cert-manager.io/v1", "kind": "Certificate", "metadata": {"name": "c", "namespace": "a"},
            "spec": {"secretName": "tls"}}
    ns = {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "a"}}
    system = SystemRender("test", [Item(d, PROGRAM) for d in (ns, pod, es, cert)])
    assert references.violations(system) == []
    es["spec"]["data"][0]["secretKey"] = "username"
    assert references.violations(system) == ["Deployment a/app: Secret a/db has no key 'password'"]


def test_ingress_backends_are_flows_and_references():
    ing = {"apiVersion": "networking.k8s.io/v1", "kind": "Ingress", "metadata": {"name": "api", "namespace": "a"},
           "spec": {"rules": [{"http": {"paths": [{"path": "/", "pathType": "Prefix", "backend": {
               "service": {"name": "missing", "port": {"number": 80}}}}]}}]}}
    system = SystemRender("test", [Item(ing, PROGRAM)])
    assert [(i.name, s, p) for i, s, p in derived.ingress_backends(system)] == [("api", "missing", 80)]
    assert "Ingress a/api: Service a/missing does not exist" in references.violations(system)


# ------------------------------------------------------------------ images of our own Jobs

# distribution/reference grammar (github.com/distribution/reference reference.go): name[:tag]@digest,
# digest = sha256 + 64 lowercase hex. A reference with a digest is pulled by that digest.
DIGEST_REFERENCE = re.compile(
    r"^[a-z0-9.-]+(:[0-9]+)?/[a-z0-9._/-]+:[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}@sha256:[0-9a-f]{64}$")


def unpinned_job_images(system: SystemRender) -> list[tuple[str, str]]:
    """(object/container, image) of every Job and CronJob container the program creates itself
    (not a chart's) whose image is not pinned by digest."""
    out = []
    for tpl in pod_templates(system):
        if tpl.origin == PROGRAM and tpl.owner.split(" ", 1)[0] in ("Job", "CronJob"):
            out += [(f"{tpl.owner}/{c['name']}", c["image"]) for c in tpl.containers()
                    if not DIGEST_REFERENCE.match(c["image"])]
    return out


def test_the_images_of_our_jobs_are_pinned_by_digest(system):
    assert any(t.origin == PROGRAM and t.owner.startswith("Job ") for t in pod_templates(system))  # the topic Job
    assert unpinned_job_images(system) == []


def test_a_tag_only_job_image_is_caught(system):
    def tag_only(key, doc):
        if doc.get("kind") != "Job":
            return False
        for c in doc["spec"]["template"]["spec"]["containers"]:
            c["image"] = c["image"].split("@", 1)[0]
        return True

    assert unpinned_job_images(planted(system, change=tag_only, kinds=("Job",)))


# ------------------------------------------------------------------------------ CloudNativePG's own rules


def _cnpg(system, kind):
    (item,) = [i for i in system.items if i.kind == kind and i.doc.get("apiVersion") == "postgresql.cnpg.io/v1"]
    return item


def test_cloudnative_pg_admits_the_database_objects(system):
    problems = cnpg_admission.violations(system)
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("kind, change, message", [
    ("Cluster", lambda d: d["metadata"].update(name="Postgres"), "cluster name must be a valid DNS label"),
    ("Cluster", lambda d: d["metadata"].update(name="p" * 51), "the maximum length of a cluster name is 50"),
    ("Cluster", lambda d: d["spec"]["bootstrap"].update(recovery={"source": "x"}), "Only one bootstrap method"),
    ("Cluster", lambda d: d["spec"]["bootstrap"].update(initdb=None, recovery={"source": "origin"}),
     "External cluster origin not found"),
    ("Cluster",
     lambda d: d["spec"]["postgresql"].update(synchronous={"method": "any", "number": d["spec"]["instances"]}),
     "number of synchronous replicas must be less than"),
    ("Cluster", lambda d: d["spec"]["bootstrap"]["initdb"].update(secret={"name": "database-credentials"}),
     "must hold username and password (has no such Secret)"),
    ("Pooler", lambda d: d["spec"]["pgbouncer"]["parameters"].update(listen_port="6432"),
     "listen_port: Invalid or reserved parameter"),
    ("Pooler", lambda d: d["spec"]["cluster"].update(name="postgres-old"), "its cluster postgres-old does not exist"),
])
def test_cloudnative_pg_rules_fail_on_planted_defects(system, kind, change, message):
    def plant(key, doc):
        if key == _cnpg(system, kind).key:
            change(doc)
            return True
        return False
    problems = cnpg_admission.violations(planted(system, change=plant, kinds={kind}))
    assert any(message in p for p in problems), problems


def test_a_five_field_base_backup_schedule_is_refused():
    """robfig/cron v1.2.0 accepts five fields with seconds first: '0 2 * * *' runs every hour."""
    assert cnpg_admission.schedule_errors("0 0 3 * * *") == [] and cnpg_admission.schedule_errors("@daily") == []
    (problem,) = cnpg_admission.schedule_errors("0 2 * * *")
    assert "second 0, minute 2, hour *" in problem
    assert cnpg_admission.schedule_errors("0 0 3 * * * *") == ["Expected 5 to 6 fields, found 7: 0 0 3 * * * *"]
    archive = {"apiVersion": "postgresql.cnpg.io/v1", "kind": "Cluster", "metadata": {"name": "p"},
               "spec": {"instances": 3, "plugins": [{"name": "a", "isWALArchiver": True},
                                                    {"name": "b", "isWALArchiver": True}]}}
    assert "Cannot enable more than one WAL archiver plugin" in cnpg_admission.cluster_errors(archive)
    imp = {"metadata": {"name": "p"}, "spec": {"bootstrap": {"initdb": {"import": {
        "type": "microservice", "databases": ["a", "b"], "source": {"externalCluster": "x"}}}}}}
    errors = cnpg_admission.cluster_errors(imp)
    assert "You need to specify a single database for the `microservice` import type" in errors
    assert "import source: external cluster x not found" in errors


# ------------------------------------------------------------------------------ what runs on the memory pool

# The example stacks whose cluster has a memory pool (docs/examples/stacks), and the move from the
# bitnami release, which runs its pods there beside the new cluster's.
MEMORY_POOL_STACKS = {"eks": {}, "vsphere": {}, "eks-import": {"tartware-infra:postgresMigration": "import"}}


def _memory_pool_case(name: str):
    """(the render of the stack, its memory pool's nodeSelector, what the tables count there)."""
    from program.load import load_settings
    from settings.nodes import Placement
    from tests.helpers import EXAMPLE_STACKS
    from tools.offline import run_program, stack_config
    from tools.system import render_system

    example = name.split("-", 1)[0]
    run = run_program(example, *stack_config(example, path=EXAMPLE_STACKS[example],
                                             overrides=MEMORY_POOL_STACKS[name]))
    s = load_settings()  # the config of the run just made (tools/offline.py leaves it set)
    selector = Placement.for_pools(s.cluster.node_pools).node_selector
    assert selector, f"{name}: the example's cluster has a memory pool"
    return render_system(run), selector, s.data.memory_pool_pods(s.archives_wal) + s.observability.memory_pool_pods()


@pytest.mark.parametrize("name", sorted(MEMORY_POOL_STACKS))
def test_the_memory_pool_holds_what_the_capacity_check_counts_there(name):
    """Every long-running pod rendered with the memory pool's nodeSelector (the PostgreSQL instances
    with the archive's sidecar, Redis with HAProxy, Redpanda, Prometheus and Loki with their sidecars,
    the bitnami release while a stack moves from it) is what rules/capacity.py holds against that
    pool, pod for pod and request for request."""
    system, selector, counted = _memory_pool_case(name)
    assert workloads.memory_pool_violations(system, selector, counted) == []


def test_a_memory_pool_pod_left_out_of_the_count_is_named():
    system, selector, counted = _memory_pool_case("vsphere")
    # planted: the count without the HAProxy pods, and Prometheus without its config-reloader sidecar
    without_haproxy = [c for c in counted if c[0] != "redis haproxy"]
    (problem,) = workloads.memory_pool_violations(system, selector, without_haproxy)
    assert "Deployment cache/redis-redis-ha-haproxy 3 x 250m/128Mi" in problem and "the tables count" in problem
    main_only = [(w, n, c - 10, m) if w == "prometheus" else (w, n, c, m) for w, n, c, m in counted]
    assert workloads.memory_pool_violations(system, selector, main_only)


# ------------------------------------------------------------------------------ with the WAL archive


def test_the_archiving_stack_conforms_and_reaches_its_bucket():
    """The stack with an off-site bucket (scan variant prod-backup-restore: IRSA) archives WAL and
    takes base backups: the Barman Cloud plugin, its sidecar in every instance, the ObjectStore and
    the ScheduledBackup pass every check, and the instances' way to the bucket is a flow."""
    from tests.helpers import system_render

    system = system_render("prod-backup-restore")
    require_complete(system)
    problems = (psa.violations(system) + resources.violations(system) + derived.violations(system)
                + references.violations(system) + cnpg_admission.violations(system)
                + schemas.custom_resource_errors(system)[0])
    assert not problems, "\n".join(problems)
    (cluster,) = [i for i in system.of_kind("Cluster")]
    assert cluster.doc["spec"]["instances"] == 3 and system.find("ScheduledBackup", "postgres-base-backup", "database")
    pods = {p.owner: p for p in pod_templates(system)}
    sidecar = [c for c in pods["Pod database/postgres-1"].spec["initContainers"] if c["name"] == "plugin-barman-cloud"]
    assert sidecar and sidecar[0]["restartPolicy"] == "Always"
    net = netpol.build_network(system)
    flows, _ = derived.platform_flows(system, net)
    to_bucket = [f for f in flows if f.dst == netpol.EXTERNAL and f.src.startswith("Pod database/postgres-")]
    assert {f.src for f in to_bucket} == {f"Pod database/postgres-{n}" for n in (1, 2, 3)}
    assert any(f.dst.startswith("Deployment cnpg-system/plugin-barman-cloud") for f in flows)
    # planted: an egress default-deny in the database namespace cuts the instances off the bucket
    deny = {"apiVersion": "networking.k8s.io/v1", "kind": "NetworkPolicy",
            "metadata": {"name": "deny-egress", "namespace": "database"},
            "spec": {"podSelector": {}, "policyTypes": ["Egress"]}}
    blocked, _ = netpol.check_flows(netpol.build_network(planted(system, add=[deny])), to_bucket)
    assert len(blocked) == 3 and all("denied by the egress policies of database" in b for b in blocked)
    # the capacity check counts the plugin and the sidecars (restartable init containers add up)
    from rules.capacity import Demand, fixed_overhead
    cpu = mem = 0.0
    for pod in pod_templates(system):
        if pod.namespace in ("database", "cnpg-system", "cache", "messaging", "consul") and pod.long_running:
            n = resources.replicas(system, pod)
            cr, _, mr, _ = resources.pod_totals(pod)
            cpu, mem = cpu + n * cr, mem + n * mr
    counted = _settings("prod").data.fixed_overhead(archiving=True)
    topic_job = _settings("prod").data.size("topic-job")
    assert (cpu + topic_job.cpu_request, mem * 2**20 + topic_job.memory_request) == counted
    # and the capacity check adds this data-tier figure, the archive's pods with it, for this stack
    from program.load import build_settings
    from tests.helpers import IRSA

    raw = {k.split(":", 1)[1]: v for k, v in IRSA.items()}
    s = build_settings({**_settings_raw("prod"), **raw}, stack="prod")
    assert s.archives_wal
    parts = (s.platform.fixed_overhead(), counted, s.observability.fixed_overhead(), s.access.fixed_overhead())
    assert fixed_overhead(s) == Demand(sum(p[0] for p in parts), sum(p[1] for p in parts))


def test_psa_sees_the_pods_cloudnative_pg_creates(system):
    """The operator's pods follow the Cluster: a planted Unconfined seccomp profile is refused."""
    require_complete(system)

    from tools import cnpg

    def plant(key, doc):
        doc["spec"]["seccompProfile"] = {"type": "Unconfined"}
        return True
    changed = planted(system, change=plant, kinds={"Cluster"})
    # what the operator creates follows from the planted Cluster
    changed.items = [i for i in changed.items if i.origin != cnpg.OPERATOR]
    changed.items += [Item(d, cnpg.OPERATOR) for d in cnpg.operator_objects(changed.docs)]
    problems = psa.violations(changed)
    assert any(p.startswith("Pod database/postgres-1") and "seccompProfile" in p for p in problems), problems


def test_flow_check_fails_when_the_pooler_cannot_reach_the_primary(system, networks):
    require_complete(system)
    reduced = planted(system, change=lambda key, doc: key == "NetworkPolicy database/allow-pooler",
                      kinds={"NetworkPolicy"})
    reduced.items = [i for i in reduced.items if i.key != "NetworkPolicy database/allow-pooler"]
    problems = derived.violations(reduced)
    assert any(p.startswith("Pooler database/postgres-postgresql -> cluster postgres") for p in problems), problems
