"""The apply simulation (tools/conformance/apply.py) over dev, prod and every documented target
example: the first `pulumi up` and the `pulumi destroy` have no violation, and every rule fails on
the defect it exists for, with the error the real run would give.

The planted defects drop one dependency (or one fact) from a real stack's model; the message each
test looks for is the tool's own, from its source (cited next to each rule in the module).
"""

from __future__ import annotations

import copy
import dataclasses
from pathlib import Path

import pytest

from settings import targets
from tests.apply_model import NS, STACKS, VARIANTS, model, violations
from tests.helpers import variant_run
from tools import engine
from tools.conformance import admission
from tools.conformance.apply import RULES, destroy, first_run, targeted_run, unchanged, update
from tools.conformance.graph import Model, Node, Obj, build

ROOT = Path(__file__).resolve().parent.parent
CLUSTER = "platform-data-postgresql-cluster"


def node(m: Model, name: str) -> Node:
    (found,) = [n for n in m.nodes.values() if n.name == name]
    return found


def planted(m: Model, name: str, drop: tuple[str, ...] = (), objects=None, reg=None, release=None) -> Model:
    """``m`` with node ``name`` no longer waiting for the nodes named in ``drop``, or with its objects
    changed by ``objects(list) -> list``, or with another registration or release."""
    old = node(m, name)
    dropped = {node(m, d).urn for d in drop}
    assert dropped <= old.deps, f"{name} does not wait for {drop}"
    new = Node(reg or old.reg, old.deps - dropped, release or old.release)
    new.objects = [Obj(o.doc, new, o.phase, o.hooks, o.weight) for o in old.objects]
    if objects is not None:
        new.objects = objects(new.objects)
    nodes = {u: (new if u == old.urn else n) for u, n in m.nodes.items()}
    for n in nodes.values():  # the other nodes' objects keep pointing at their own node
        if n is not new and any(o.node is old for o in n.objects):
            raise AssertionError("shared objects")
    return Model(m.stack, m.target, nodes, m.run)


# ------------------------------------------------------------------------------ the stacks


@pytest.mark.parametrize("stack", [*STACKS, "existing-import", "existing-recovery"])
def test_first_run_has_no_violation(stack):
    report = first_run(model(stack))
    assert not report.violations, "\n".join(map(str, report.violations))


@pytest.mark.parametrize("stack", [*STACKS, *VARIANTS])
def test_destroy_has_no_violation(stack):
    report = destroy(model(stack))
    assert not report.violations, "\n".join(map(str, report.violations))


def test_a_restore_waits_for_the_database_and_its_policy():
    report = first_run(model("dev-restore"))
    assert not report.violations, "\n".join(map(str, report.violations))
    job = node(model("dev-restore"), "operations-restore")
    closure = model("dev-restore").closure[job.urn]
    # the PostgreSQL Cluster, awaited until Ready: its primary behind postgres-rw serves
    assert node(model("dev-restore"), CLUSTER).urn in closure
    assert node(model("dev-restore"), "platform-network-database-allow-restore").urn in closure


def test_the_order_respects_every_wait():
    m = model("prod")
    wave = {n.urn: i for i, w in enumerate(m.waves) for n in w}
    for n in m.nodes.values():
        assert all(wave[d] < wave[n.urn] for d in n.deps if d in wave), n.label
    lines = first_run(m).lines()
    assert lines[0].startswith("up prod (existing):") and "0 violations" in lines[0]
    assert "wave 1:" in lines


def test_every_rule_has_a_source():
    for rule in RULES.values():
        assert rule.statement and "@" in rule.source or "kubernetes" in rule.source, rule.id


# ------------------------------------------------------------------------------ planted defects


def test_crd_a_release_rendering_a_servicemonitor_before_its_crd():
    m = planted(model("dev"), "platform-certs-release", drop=("platform-observability-kube-prometheus-stack",))
    (v,) = violations(first_run(m), "crd")
    assert v.what == "ServiceMonitor cert-manager/cert-manager"
    assert v.error == ('Error: INSTALLATION FAILED: unable to build kubernetes objects from release manifest: '
                       'resource mapping not found for name: "cert-manager" namespace: "cert-manager" from "": '
                       'no matches for kind "ServiceMonitor" in version "monitoring.coreos.com/v1"\n'
                       'ensure CRDs are installed first')


def test_crd_a_custom_resource_of_the_program_before_its_crd():
    m = planted(model("dev"), "platform-certs-selfsigned", drop=("platform-certs-release",))
    (v,) = violations(first_run(m), "crd")
    assert "failed because the Kubernetes API server reported that the apiVersion for this resource does not " \
           "exist. Verify that any required CRDs have been created: no matches for kind \"ClusterIssuer\" in " \
           "version \"cert-manager.io/v1\"" in v.error


def test_crd_a_crd_among_the_same_releases_templates_is_too_late():
    issuer = {"apiVersion": "cert-manager.io/v1", "kind": "ClusterIssuer", "metadata": {"name": "planted"},
              "spec": {"selfSigned": {}}}
    m = planted(model("dev"), "platform-certs-release",
                objects=lambda objs: objs + [Obj(issuer, objs[0].node, "template")])
    (v,) = [v for v in violations(first_run(m), "crd") if "planted" in v.what]
    assert "the same release renders as a template" in v.needs and "ensure CRDs are installed first" in v.error


def test_namespace_an_object_before_its_namespace():
    m = planted(model("dev"), "tartware-database-credentials", drop=("tartware-namespace",))
    (v,) = violations(first_run(m), "namespace")
    assert v.error.endswith('namespaces "tartware-system" not found')


def test_webhook_pods_created_before_the_injector_serves():
    m = model("dev")
    mesh = [n.name for n in m.nodes.values() if n.urn in node(m, "tartware-release").deps
            and n.name in ("platform-mesh-istiod", "platform-mesh-cni")]
    m = planted(m, "tartware-release", drop=tuple(mesh))
    found = violations(first_run(m), "webhook")
    assert found and all(v.node.name == "tartware-release" for v in found)
    assert 'failed calling webhook "namespace.sidecar-injector.istio.io"' in found[0].error


def test_webhook_readiness_that_does_not_imply_serving(monkeypatch):
    """MetalLB's controller reports ready on /metrics; only the upstream fact (the listener starts
    after the webhook, metallb@v0.15.2) makes that readiness mean serving."""
    assert not first_run(model("vsphere")).violations
    monkeypatch.delitem(admission.SERVING_FACTS, "metallb")
    found = violations(first_run(model("vsphere")), "webhook")
    assert {v.node.name for v in found} == {"vsphere-cluster-metallb-pool", "vsphere-cluster-metallb-l2"}
    assert "does not check the webhook port 9443" in found[0].needs
    assert 'failed calling webhook "ipaddresspoolvalidationwebhook.metallb.io"' in found[0].error


def test_webhook_a_post_install_check_proves_serving():
    """cert-manager's webhook probe is on its healthz port; its startupapicheck hook proves the API."""
    m = planted(model("dev"), "platform-certs-release",
                objects=lambda objs: [o for o in objs if not (o.kind == "Job" and "post-install" in o.hooks)])
    found = violations(first_run(m), "webhook")
    assert {v.node.name for v in found} >= {"platform-certs-selfsigned", "platform-certs-ca"}
    assert 'failed calling webhook "webhook.cert-manager.io"' in found[0].error


def test_load_balancer_a_service_before_the_address_pool():
    m = planted(model("vsphere"), "platform-edge-release",
                drop=("vsphere-cluster-metallb-pool", "vsphere-cluster-metallb-l2"))
    (v,) = violations(first_run(m), "load-balancer")
    assert v.error.endswith("context deadline exceeded (Service ingress-nginx/ingress-nginx-controller has no "
                            "status.loadBalancer.ingress)")
    m = planted(model("baremetal"), "platform-mesh-gateway-service",
                drop=("baremetal-cluster-metallb-pool", "baremetal-cluster-metallb-l2"))
    (v,) = violations(first_run(m), "load-balancer")
    assert v.error.endswith("Service was not allocated an IP address; does your cloud provider support this?")


# The Cluster also waits for the storage through the Barman Cloud plugin (cert-manager, then
# kube-prometheus-stack, whose claims wait for it): those waits are dropped too.
THROUGH_THE_PLUGIN = ("platform-data-postgresql-barman-cloud", "platform-data-postgresql-archive")


@pytest.mark.parametrize("stack, provider", [("baremetal", "baremetal-cluster-storage-longhorn"),
                                             ("eks", "eks-cluster-gp3")])
@pytest.mark.parametrize("consumer, claim", [
    # the claims CloudNativePG makes for the instances (tools/cnpg.py), awaited through the Cluster
    (CLUSTER, "claim postgres-1 (PersistentVolumeClaim database/postgres-1)"),
    # redis-ha's StatefulSet claims, awaited through Helm's --wait
    ("platform-data-redis", "claim data (StatefulSet cache/redis-redis-ha-server)"),
])
def test_volume_a_claim_before_its_storage(stack, provider, consumer, claim):
    m = planted(model(stack), consumer, drop=(provider, *(THROUGH_THE_PLUGIN if consumer == CLUSTER else ())))
    found = violations(first_run(m), "volume")
    assert found and {v.node.name for v in found} == {consumer}
    assert found[0].what == claim
    assert "waiting for a volume to be created either by the external provisioner" in found[0].error


def test_reference_a_pod_before_its_service_account():
    m = planted(model("dev"), "platform-mesh-gateway-deployment", drop=("platform-mesh-gateway-serviceaccount",))
    (v,) = violations(first_run(m), "reference")
    assert 'serviceaccount "istio-ingressgateway" not found' in v.error


def test_reference_an_external_secret_that_is_not_awaited():
    def unawaited(objs):
        out = []
        for o in objs:
            doc = dict(o.doc, metadata={k: v for k, v in o.doc["metadata"].items() if k != "annotations"})
            out.append(Obj(doc, o.node, o.phase))
        return out

    m = planted(model("vault"), "platform-data-redis-credentials", objects=unawaited)
    found = violations(first_run(m), "reference")
    assert {v.node.name for v in found} == {"platform-data-redis"}
    assert "not awaited (no pulumi.com/waitFor)" in found[0].needs
    assert 'secret "redis-credentials" not found' in found[0].error


DATABASE_POLICIES = ("platform-network-database-allow-backup", "platform-network-database-allow-restore")


@pytest.mark.parametrize("dropped, needs", [
    # postgres-rw: the Service CloudNativePG makes for the primary (tools/cnpg.py)
    ((CLUSTER, *DATABASE_POLICIES), "Service database/postgres-rw served by Pod database/postgres-1"),
    (DATABASE_POLICIES[1:], "NetworkPolicy database/allow-restore"),
])
def test_connection_a_restore_before_the_database_or_its_policy(dropped, needs):
    m = planted(model("dev-restore"), "operations-restore", drop=dropped)
    (v,) = violations(first_run(m), "connection")
    assert v.needs.startswith(needs)
    assert v.error.startswith("Job tartware-ops/postgres-restore-1 fails (BackoffLimitExceeded)")
    assert v.error.endswith("the Job is not awaited, so pulumi up reports success")


# The Tartware release's pre-install/pre-upgrade hook: the schema migration Job (charts/tartware/templates/
# migrate-job.yaml), its script ConfigMap and its egress NetworkPolicy (both hooks of weight -10).
RELEASE = "tartware-release"
MIGRATION_JOB = "Job tartware-system/tartware-migrate"


def _hook_objects(change):
    """The release's objects with ``change(obj) -> obj`` applied to each."""
    return lambda objs: [change(o) for o in objs]


def test_the_migration_hook_is_modelled_and_waits_for_what_it_uses():
    m = model("dev")
    release = node(m, RELEASE)
    hooks = {o.key: (o.hooks, o.weight) for o in release.objects if o.phase == "hook"}
    assert hooks == {"ConfigMap tartware-system/tartware-migrate-script": (("pre-install", "pre-upgrade"), -10),
                     "NetworkPolicy tartware-system/tartware-migrate": (("pre-install", "pre-upgrade"), -10),
                     MIGRATION_JOB: (("pre-install", "pre-upgrade"), 0)}
    closure = m.closure[release.urn]
    for needed in (CLUSTER, "platform-network-database-allow-migration", "tartware-database-admin-credentials",
                   "tartware-auth", "tartware-database-credentials"):
        assert node(m, needed).urn in closure, needed


def test_connection_the_migration_before_its_database_policy():
    """allow-migration made where the Cluster does not wait for it (as by the platform, after the
    data tier): the release waits for the Cluster only, and the hook Job is isolated."""
    m = planted(model("dev"), CLUSTER, drop=("platform-network-database-allow-migration",))
    (v,) = violations(first_run(m), "connection")
    assert v.what == f"the pods of {MIGRATION_JOB}"
    assert v.needs.startswith("NetworkPolicy database/allow-migration "
                             "(NetworkPolicy platform-network-database-allow-migration) "
                             "admitting it to Pod database/postgres-1, which it does not wait for")
    assert v.needs.endswith("isolates it")
    assert v.error == ("Error: INSTALLATION FAILED: failed pre-install: job tartware-migrate failed: "
                       "BackoffLimitExceeded (its pod: postgres-rw.database.svc refused or timed out)")


def test_reference_the_migration_before_its_secret():
    m = planted(model("dev"), RELEASE, drop=("tartware-database-admin-credentials",))
    (v,) = violations(first_run(m), "reference")
    assert v.what == f"the pods of {MIGRATION_JOB}"
    assert 'secret "database-admin-credentials" not found' in v.error


@pytest.mark.parametrize("change, needs", [
    # the script as a template: Helm creates it only after the pre-install hooks
    (lambda o: Obj(o.doc, o.node, "template") if o.kind == "ConfigMap" and o.phase == "hook" else o,
     "ConfigMap tartware-migrate-script, which ConfigMap tartware-system/tartware-migrate-script of the same release "
     "creates only after its pre-install hooks (a template)"),
    # the script's hook after the Job's (weight 5 against 0)
    (lambda o: Obj(o.doc, o.node, "hook", o.hooks, 5) if o.kind == "ConfigMap" and o.phase == "hook" else o,
     "ConfigMap tartware-migrate-script, which ConfigMap tartware-system/tartware-migrate-script of the same release "
     "creates in a hook Helm runs after it"),
])
def test_hook_the_migration_script_created_after_the_job(change, needs):
    m = planted(model("dev"), RELEASE, objects=_hook_objects(change))
    (v,) = violations(first_run(m), "hook")
    assert v.what == f"the pods of {MIGRATION_JOB}"
    assert v.needs.startswith(needs)
    assert v.error == ("Error: INSTALLATION FAILED: failed pre-install: job tartware-migrate failed: "
                       "DeadlineExceeded (its pod: configmap \"tartware-migrate-script\" not found)")


def test_hook_the_migrations_egress_policy_as_a_template():
    """The chart's default-deny isolates the namespace's pods for egress (there on every upgrade); the
    hook's own policy lets the Job out to the primary only if it runs before the Job."""
    def template(o):
        return Obj(o.doc, o.node, "template") if o.kind == "NetworkPolicy" and o.phase == "hook" else o

    m = planted(model("dev"), RELEASE, objects=_hook_objects(template))
    (v,) = violations(first_run(m), "hook")
    assert v.needs.startswith("NetworkPolicy tartware-system/tartware-migrate admitting it out of its namespace to "
                              "Pod database/postgres-1, which the same release creates only after its pre-install "
                              "hooks (a template), while NetworkPolicy tartware-system/")
    assert v.needs.endswith("isolates it")
    assert "BackoffLimitExceeded (its pod: postgres-rw.database.svc refused or timed out)" in v.error


def test_hook_the_migration_connecting_to_its_own_release():
    def to_gateway(o):
        if o.key != MIGRATION_JOB:
            return o
        doc = copy.deepcopy(o.doc)
        env = doc["spec"]["template"]["spec"]["containers"][0]["env"]
        next(e for e in env if e["name"] == "PGHOST")["value"] = "api-gateway.tartware-system.svc.cluster.local"
        return Obj(doc, o.node, o.phase, o.hooks, o.weight)

    m = planted(model("dev"), RELEASE, objects=_hook_objects(to_gateway))
    (v,) = violations(first_run(m), "hook")
    assert v.needs.startswith("Service tartware-system/api-gateway served by Deployment tartware-system/api-gateway "
                              "of the same release, which Helm creates only after its pre-install hooks")


def test_untargeted_create_the_old_targeted_first_run_of_bare_metal():
    """docs/clusters.md used to say `pulumi up --target <ClusterV2>` first: the engine refuses it,
    because providers are always targeted and the cluster's Kubernetes provider waits for ClusterSync."""
    m = model("baremetal")
    cluster = node(m, "baremetal-cluster-rke2")
    errors = targeted_run(m, {cluster.urn})
    sync, provider = node(m, "baremetal-cluster-active"), node(m, "baremetal-cluster-k8s")
    assert f"Resource '{provider.urn}' depends on '{sync.urn}' which was was not specified in --target list." in errors
    # the whole closure of the ClusterV2 still leaves the Kubernetes provider unbuildable
    assert targeted_run(m, {cluster.urn, *m.closure[cluster.urn]})
    # the documented first run is one `pulumi up`: the operator registers machines while ClusterSync waits
    report = first_run(m)
    assert not report.violations
    assert any("ClusterSync baremetal-cluster-active" in line and "[operator:" in line for line in report.lines())


def test_pre_delete_hook_longhorn_without_its_confirmation_flag():
    m = model("baremetal-unprotected")
    release = node(m, "baremetal-cluster-storage-longhorn")
    assert release.release.values["defaultSettings"]["deletingConfirmationFlag"] is True
    values = dict(release.release.values, defaultSettings={"taintToleration": None})
    bad = planted(m, release.name, release=dataclasses.replace(release.release, values=values))
    (v,) = violations(destroy(bad), "pre-delete-hook")
    assert "cannot uninstall Longhorn because deleting-confirmation-flag is set to `false`" in v.error
    # protected (prod): Pulumi refuses the delete before Helm's hook, so the guard stays on
    prod = node(model("baremetal"), "baremetal-cluster-storage-longhorn")
    assert prod.reg.protect and prod.release.values["defaultSettings"]["deletingConfirmationFlag"] is False


def test_detach_volumes_before_their_provisioner_goes():
    m = planted(model("baremetal-unprotected"), CLUSTER,
                drop=("baremetal-cluster-storage-longhorn", *THROUGH_THE_PLUGIN))
    found = violations(destroy(m), "detach")
    assert found and {v.node.name for v in found} == {CLUSTER}
    assert found[0].what == "Pod database/postgres-1 mounting postgres-1"
    assert "is uninstalled while" in found[0].error


def test_detach_a_retained_database_keeps_its_volumes_attached():
    """A retainOnDelete workload is never deleted: its volumes stay attached while Longhorn goes."""
    m = model("baremetal-unprotected")
    cluster = node(m, CLUSTER)
    assert not cluster.reg.retain_on_delete  # unprotected: Pulumi deletes it, before the storage
    bad = planted(m, CLUSTER, reg=dataclasses.replace(cluster.reg, retain_on_delete=True))
    found = violations(destroy(bad), "detach")
    assert found and "it is retainOnDelete: the destroy leaves it running" in found[0].needs


def test_retain_a_retained_database_in_a_namespace_the_destroy_deletes():
    """Why the Cluster is retainOnDelete only where protected: an unprotected stack's destroy
    deletes the namespace, and the namespace controller deletes the Cluster in it."""
    m = model("dev")
    cluster = node(m, CLUSTER)
    assert not cluster.reg.protect and not cluster.reg.retain_on_delete
    assert node(model("prod"), CLUSTER).reg.retain_on_delete and node(model("prod"), CLUSTER).reg.protect
    bad = planted(m, CLUSTER, reg=dataclasses.replace(cluster.reg, retain_on_delete=True))
    (v,) = violations(destroy(bad), "retain")
    assert v.what == "Cluster database/postgres"
    assert v.needs == "its namespace database to survive, but Namespace platform-data-database-namespace deletes it"


def test_finalizer_the_barman_cloud_plugin_uninstalled_after_the_operator():
    """CloudNativePG puts cnpg.io/cleanupPlugin on the plugin's Service and removes it on deletion:
    the plugin's release is uninstalled while the operator runs."""
    m = model("baremetal-unprotected")
    assert not violations(destroy(m), "finalizer")
    bad = planted(m, "platform-data-postgresql-barman-cloud", drop=("platform-data-postgresql-operator",))
    (v,) = violations(destroy(bad), "finalizer")
    assert v.what == "Service cnpg-system/barman-cloud"
    assert "timed out waiting for finalizer cnpg.io/cleanupPlugin" in v.error


def test_webhook_a_cnpg_resource_before_the_operator_serves():
    """The Pooler is admitted by CloudNativePG's webhook (failurePolicy Fail), served once the
    operator's readiness probe, on the webhook port, passes."""
    m = model("dev")
    w = [w for w in admission.webhooks(m) if w.name == "vpooler.cnpg.io"]
    assert w and w[0].failure_policy == "Fail"
    assert "checks the webhook port 9443" in admission.serving(m, w[0], admission.pods(m)).why
    bad = planted(m, "platform-data-postgresql-pooler", drop=(CLUSTER,))
    found = violations(first_run(bad), "webhook")
    assert {v.what for v in found} == {"Pooler database/postgres-postgresql"}
    assert 'failed calling webhook "mpooler.cnpg.io"' in found[0].error or \
        'failed calling webhook "vpooler.cnpg.io"' in found[0].error


def test_retain_a_retained_claim_in_a_namespace_the_destroy_deletes():
    m = model("dev")
    ns = node(m, "operations-namespace")
    assert ns.reg.retain_on_delete and node(m, "operations-backup-claim").reg.retain_on_delete
    bad = planted(m, ns.name, reg=dataclasses.replace(ns.reg, retain_on_delete=False))
    (v,) = violations(destroy(bad), "retain")
    assert v.what == "PersistentVolumeClaim tartware-ops/postgres-backups"


def test_finalizer_an_external_secret_deleted_after_its_controller():
    m = planted(model("vault"), "platform-data-redis-credentials", drop=("external-secrets-store",))
    found = violations(destroy(m), "finalizer")
    assert found and "externalsecrets.external-secrets.io/externalsecret-cleanup" in found[0].error


def test_protect_a_protected_stack_refuses_the_destroy():
    report = destroy(model("prod"))
    refused = {n.type for n in report.refused}
    assert {"kubernetes:helm.sh/v3:Release", "kubernetes:core/v1:Namespace",
            "random:index/randomPassword:RandomPassword"} <= refused
    assert not report.violations


def test_bundled_metrics_server_on_k3d():
    """k3s (k3d) deploys metrics-server itself: a second one from our release cannot be installed."""
    m = model("dev")
    provider = next(n for n in m.nodes.values() if n.type == "pulumi:providers:kubernetes")
    reg = dataclasses.replace(provider.reg, inputs=dict(provider.reg.inputs, context="k3d-tartware"))
    found = violations(first_run(planted(m, provider.name, reg=reg)), "bundled")
    assert {v.what for v in found} == {"APIService v1beta1.metrics.k8s.io", "Deployment kube-system/metrics-server"}
    assert found[0].error.startswith("Error: INSTALLATION FAILED: Unable to continue with install:")
    # and the program does not install one there (metricsServer: auto)
    from settings.platform import metrics_server_wanted
    from tests.components.helpers import settings

    platform = settings(environment="dev").platform
    assert metrics_server_wanted(platform, "existing", "kind-tartware")
    assert not metrics_server_wanted(platform, "existing", "k3d-tartware")
    assert not metrics_server_wanted(platform, "baremetal", "")


def test_bundled_metrics_server_asks_the_target():
    """A target whose distribution ships metrics-server (its ``bundled_metrics_server`` trait: RKE2 on
    the Rancher targets) collides with ours whatever its context: the prod stack's objects (metrics-server
    from our release) on each such target of the registry."""
    m = model("prod")
    shipping = [t for t in targets.TARGETS.values() if t.bundled_metrics_server]
    assert shipping  # the Rancher targets (rancher/rke2-docs: rke2-metrics-server)
    for t in shipping:
        found = violations(first_run(Model(m.stack, t.name, m.nodes, m.run)), "bundled")
        assert {v.what for v in found} == set(t.bundled_metrics_server.objects), t.name
        # whatever else a distribution ships, the resource metrics API is registered by it (and by ours:
        # kubernetes-sigs/metrics-server@metrics-server-helm-chart-3.13.1
        # charts/metrics-server/templates/apiservice.yaml)
        assert "APIService v1beta1.metrics.k8s.io" in {v.what for v in found}, t.name
    assert violations(first_run(m), "bundled") == []  # existing through its current context: none known


# ------------------------------------------------------------------------------ updates of a deployed stack

STATES = ROOT / "tests" / "data" / "state"  # the state main at 56325f6 left (the bitnami release)
IMPORT = {f"{NS}:postgresMigration": "import"}


@pytest.mark.parametrize("stack", ["dev", "prod"])
def test_update_the_import_from_the_bitnami_release(stack):
    """postgresMigration=import on a stack deployed before the move: the namespace's default-deny is
    already there, so the import Job reaches the bitnami pods only through allow-import, which the
    Cluster (awaited until Ready, i.e. until the import is done) waits for."""
    m = build(variant_run(stack, IMPORT))
    existing = unchanged(m, engine.load_state(STATES / f"main-56325f6-{stack}.json"))
    assert node(m, "platform-network-database-default-deny-ingress").urn in existing
    assert node(m, "platform-data-postgres").urn in existing  # the bitnami release: a same step
    report = update(m, existing)
    assert not report.violations, "\n".join(map(str, report.violations))
    assert report.lines()[0].startswith(f"update {stack} (existing):")
    # planted: the Cluster no longer waiting for the allows (as when the platform made them after the
    # data tier): the import Job is isolated by the policy the stack already holds
    allows = ("platform-network-database-allow-import", "platform-network-database-allow-legacy-replication")
    present = {n.name for n in m.nodes.values()}
    bad = planted(m, CLUSTER, drop=tuple(a for a in allows if a in present))
    found = violations(update(bad, existing), "connection")
    assert {v.what for v in found} == {"the pods of Job database/postgres-1-import"}
    assert "which it does not wait for, while NetworkPolicy database/" in found[0].needs
    assert found[0].needs.endswith("isolates it")
    assert "postgres-postgresql.database.svc refused or timed out" in found[0].error
