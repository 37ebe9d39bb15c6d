"""The apply simulation: a stack's first `pulumi up` and its `pulumi destroy`, stepped through the way
the Pulumi engine, pulumi-kubernetes, Helm and the API server do, with every rule from their source.

    python -m tools.conformance.apply --stack prod            # the order and every violation
    python -m tools.conformance.apply --stack prod --destroy  # the teardown
    python -m tools.conformance.apply --stack eks --config docs/examples/stacks/Pulumi.eks.yaml

The mock engine accepts any order; a real run does not. The model (tools/conformance/graph.py) holds
every custom resource the program registers with what it waits for, and every object each Helm
release renders from its chart source (CRDs, hooks, webhooks included). Nothing in it is specific to
a release or a component: a new release, CRD, webhook or hook Job is checked by the same rules.

First run — a resource starts once everything it waits for is done (``RULES["wait"]``), then:

* ``namespace``: its objects' namespace exists (created by what it waits for, by itself, or built in);
* ``crd``: an object of a custom kind is accepted only when a CRD serving its group/version/kind was
  installed by a resource it waits for, or by the same release's ``crds/`` directory — a CRD among
  the same release's *templates* is too late (Helm maps every template before creating any);
* ``webhook``: an object (or a pod a workload makes) that a ``failurePolicy: Fail`` webhook matches
  needs that webhook serving: its configuration comes from a resource it waits for, and that
  resource's readiness implies the webhook serves (admission.serving);
* ``load-balancer``: a LoadBalancer Service something waits for needs an address provider (the
  cloud, or MetalLB's pool and advertisement among what it waits for);
* ``volume``: a claim something waits for (or a run-once pod mounts) needs its StorageClass and the
  class's provisioner among what it waits for;
* ``reference``: Secrets, ConfigMaps, ServiceAccounts and claims a pod uses exist before it starts
  (an ExternalSecret's or Certificate's Secret only once that resource is awaited);
* ``connection``: a run-once pod (a Job: it is not retried forever) that connects to an in-cluster
  Service starts after the Service's workload is ready and after NetworkPolicies admitting it (into
  the Service's pods, and out of its own namespace where a policy isolates its egress);
* ``hook``: a release's pre-install hook runs before Helm creates any of the release's other
  objects, one hook after another by weight, then kind: what its pods use (Secrets, ConfigMaps) and
  the policies that let them connect come from resources the release waits for, or from pre-install
  hooks that run before it; never from the release's own templates (which, on an upgrade, exist and
  isolate a pre-upgrade hook's pods: their NetworkPolicies are counted as isolating on every run);
* ``access``: on EKS, a Kubernetes provider whose kubeconfig assumes an IAM role waits for the
  access entry and policy association the stack creates for that role (tools/conformance/cluster_access.py).

Update of a deployed stack (``update``) — the same rules for the new and changed resources only;
the unchanged ones (same inputs as a recorded state: the engine's same steps) exist from the start,
so a NetworkPolicy the stack already holds isolates before anything of the run is created.

Destroy — the engine deletes in reverse (a resource after everything that depends on it), then:
``protect`` refuses, ``retain`` keeps (but a namespace deleted around a retained object deletes it),
a release's ``pre-delete`` hooks must succeed, volumes are detached before their provisioner goes
(a retained workload never detaches), and objects whose controller adds a finalizer are deleted
while that controller runs.
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Optional

from settings import targets
from facts import versions
from tools import engine
from tools.conformance import admission as adm
from tools.conformance import cluster_access
from tools.conformance.graph import Model, Node, Obj, build
from tools.offline import recorded_run, run_program, stack_config

HELM_WAIT_TIMEOUT = ("Helm release \"{ns}/{name}\" was created, but failed to initialize completely. Use Helm CLI "
                     "to investigate: failed to become available within allocated timeout. Error: Helm Release "
                     "{ns}/{name}: context deadline exceeded")


@dataclass(frozen=True)
class Rule:
    id: str
    statement: str
    source: str


RULES: dict[str, Rule] = {r.id: r for r in (
    Rule("wait", "a resource starts once every resource it depends on, its provider and a custom parent are done",
         "pulumi 3.272 sdk/python/lib/pulumi/runtime/resource.py prepare_resource; pulumi/pulumi@v3.259.0 "
         "pkg/resource/deploy/source_eval.go RegisterResource (answers after the step is done)"),
    Rule("namespace", "an object's namespace exists before the object is created",
         "helm/helm@v3.20.2 pkg/action/install.go (the release record and every object are created in their "
         "namespace); pulumi/pulumi-kubernetes@v4.32.0 provider/pkg/await/await.go Creation (5 retries on NotFound)"),
    Rule("crd", "an object of a custom kind is accepted only once a CRD serving its group, version and kind is "
         "installed: by a resource it waits for, or by the same release's crds/ directory",
         "kubernetes/kubernetes@v1.32.0 staging/src/k8s.io/cli-runtime/pkg/resource/mapper.go infoForData; "
         "helm/helm@v3.20.2 pkg/action/install.go installCRDs (crds/ first) and Build of every template "
         "before any is created; pulumi/pulumi-kubernetes@v4.32.0 provider/pkg/provider/provider.go 1821-1833"),
    Rule("webhook", "an object a failurePolicy: Fail webhook matches is admitted only while the webhook serves: "
         "its configuration comes from a resource the object waits for, whose readiness implies serving",
         "kubernetes/kubernetes@v1.32.0 staging/src/k8s.io/apiserver/pkg/admission/plugin/webhook "
         "(generic/webhook.go ShouldCallHook, errors: \"failed calling webhook\"); helm/helm@v3.20.2 "
         "pkg/kube/client.go batchPerform (kinds created one after another, never waited for); "
         "pulumi/pulumi-kubernetes@v4.32.0 provider/pkg/await/await.go Creation (no retry on admission errors)"),
    Rule("load-balancer", "a LoadBalancer Service that Helm's --wait or pulumi-kubernetes awaits needs an address "
         "provider that is ready before it",
         "helm/helm@v3.20.2 pkg/kube/ready.go serviceReady; pulumi/pulumi-kubernetes@v4.32.0 "
         "provider/pkg/await/service.go 299-315, 377-380"),
    Rule("volume", "a claim that must bind during the run needs its StorageClass and the class's provisioner "
         "ready before it",
         "helm/helm@v3.20.2 pkg/kube/ready.go volumeReady; pulumi/pulumi-kubernetes@v4.32.0 "
         "provider/pkg/await/awaiters.go untilCoreV1PersistentVolumeClaimReady; kubernetes/kubernetes@v1.32.0 "
         "pkg/controller/volume/persistentvolume (ExternalProvisioning)"),
    Rule("reference", "the Secrets, ConfigMaps, ServiceAccounts and claims a pod uses exist before it starts",
         "kubernetes/kubernetes@v1.32.0 pkg/kubelet/kubelet_pods.go makeEnvironmentVariables "
         "(CreateContainerConfigError), pkg/volume/secret (MountVolume.SetUp), plugin/pkg/admission/serviceaccount"),
    Rule("connection", "a run-once pod connecting to an in-cluster Service starts after that Service's workload "
         "is ready and after a NetworkPolicy admits it",
         "kubernetes/kubernetes@v1.32.0 pkg/controller/job (backoffLimit: a failed pod is not retried beyond it); "
         "networking.k8s.io/v1 NetworkPolicy"),
    Rule("hook", "a release's pre-install hook runs before the release's other objects exist: what its pods use and "
         "the policies that let them connect come from resources the release waits for, or from pre-install hooks "
         "that Helm runs before it (by weight, then kind)",
         "helm/helm@v3.20.2 pkg/action/install.go 444-458 performInstall (execHook HookPreInstall, then "
         "KubeClient.Create of the templates), pkg/action/upgrade.go 421-429 (HookPreUpgrade before Update), "
         "pkg/action/hooks.go 49 and 140-145 (sorted by kind, then stably by weight; each created, then watched), "
         "pkg/kube/client.go watchUntilReady/waitForJob (a Job until it completes; a failed Job fails the release)"),
    Rule("access", "a Kubernetes provider whose kubeconfig assumes an IAM role makes its first call only after the "
         "access entry and policy associations this stack creates for that role exist (401 Unauthorized before)",
         "docs.aws.amazon.com/eks/latest/userguide/access-entries.html; pulumi/pulumi-kubernetes@v4.32.0 "
         "provider/pkg/provider/provider.go Configure (clusterUnreachableReason), Create; "
         "kubernetes/apimachinery@v0.32.0 pkg/api/errors/errors.go NewGenericServerResponse (401)"),
    Rule("untargeted-create", "a targeted update refuses a resource (providers included, they are always "
         "targeted) whose dependency or provider would be created but is not targeted",
         "pulumi/pulumi@v3.259.0 pkg/resource/deploy/step_generator.go 474-536 (skippedCreates), 1287-1297 "
         "(providers implicitly targeted); sdk/go/common/diag/errors.go 75-77"),
    Rule("bundled", "a release may not create an object the cluster's distribution already deployed",
         "helm/helm@v3.20.2 pkg/action/install.go existingResourceConflict (pkg/action/validate.go)"),
    Rule("protect", "a protected resource is not deleted: the destroy stops there",
         "pulumi/pulumi@v3.259.0 pkg/resource/deploy/step.go 614-650 deleteProtectedError"),
    Rule("retain", "a retainOnDelete object survives only if its namespace does: deleting a namespace deletes "
         "everything in it",
         "pulumi/pulumi@v3.259.0 pkg/resource/deploy/step.go 661 (RetainOnDelete: no delete call); "
         "kubernetes/kubernetes@v1.32.0 pkg/controller/namespace/deletion/namespaced_resources_deleter.go"),
    Rule("pre-delete-hook", "a release's pre-delete hooks must succeed or Helm's uninstall (and the destroy) fails",
         "helm/helm@v3.20.2 pkg/action/uninstall.go 109-113 (execHook HookPreDelete), pkg/action/hooks.go 86"),
    Rule("detach", "a volume provisioner is uninstalled only after every workload mounting its volumes is gone",
         "longhorn/longhorn@v1.12.1 chart/README.md \"Uninstallation\"; longhorn-manager uninstall (deletes every "
         "Longhorn volume); pulumi/pulumi@v3.259.0 pkg/resource/deploy/step_generator.go ScheduleDeletes"),
    Rule("finalizer", "an object whose controller adds a finalizer is deleted while that controller still runs",
         "kubernetes/kubernetes@v1.32.0 staging/src/k8s.io/apiserver/pkg/registry/generic/registry/store.go Delete "
         "(metadata.finalizers block deletion); pulumi/pulumi-kubernetes@v4.32.0 "
         "provider/pkg/await/await.go Deletion (waits until the object is gone)"),
)}

# Controllers that put a finalizer on the objects they manage: (group, kind) -> (chart, finalizer, source,
# which objects of that kind: a test on the object, or None for all)
FINALIZERS = {
    ("external-secrets.io", "ExternalSecret"): (
        "external-secrets", "externalsecrets.external-secrets.io/externalsecret-cleanup",
        f"{versions.EXTERNAL_SECRETS.at} (the pinned chart's tag) "
        "pkg/controllers/externalsecret/externalsecret_controller.go "
        "ExternalSecretFinalizer", None),
    # a CNPG-I plugin's Service in the operator's namespace (label cnpg.io/pluginName and the plugin
    # annotations): the Barman Cloud plugin's
    ("", "Service"): (
        "cloudnative-pg", "cnpg.io/cleanupPlugin",
        "cloudnative-pg/cloudnative-pg@v1.30.0 internal/controller/plugin_controller.go (AddFinalizer "
        "PluginFinalizerName, removed in handleDeletion), plugin_predicates.go isPluginService, "
        "pkg/utils/finalizers.go",
        lambda o: "cnpg.io/pluginName" in o.labels and "cnpg.io/pluginPort" in o.annotations),
}
# A release's pre-delete hook that refuses unless a value is set: chart -> (values path, required, error, source)
PRE_DELETE_CHECKS = {
    "longhorn": (("defaultSettings", "deletingConfirmationFlag"), True,
                 "Error: uninstallation completed with 1 error(s): job longhorn-uninstall failed: "
                 "BackoffLimitExceeded (its log: level=fatal msg=\"cannot uninstall Longhorn because "
                 "deleting-confirmation-flag is set to `false`. Please set it to `true` using Longhorn UI or "
                 "kubectl -n longhorn-system edit settings.longhorn.io deleting-confirmation-flag\")",
                 "longhorn/longhorn@v1.12.1 chart/templates/uninstall-job.yaml (pre-delete hook "
                 "longhorn-manager uninstall), chart/templates/default-setting.yaml, chart/README.md "
                 "\"Uninstallation\"; longhorn-manager app/uninstall.go"),
}
# The operator's step of a custom (bare-metal) cluster: ClusterSync waits until the machines
# registered with the cluster's registration command made it Active (pulumi-rancher2 13.0.1
# ClusterSync; docs/clusters.md "baremetal").
OPERATOR_STEPS = {"rancher2:index/clusterSync:ClusterSync":
                  "run the registration command of the cluster (Rancher: Cluster Management -> the cluster -> "
                  "Registration) on the machines; ClusterSync then sees the cluster Active"}


@dataclass
class Violation:
    rule: Rule
    node: Node
    what: str  # the object or pod concerned
    needs: str  # what it needed, and from where
    error: str  # what the real run reports

    def __str__(self) -> str:
        waits = sorted(self.node.deps)
        return (f"VIOLATION [{self.rule.id}] {self.node.label}: {self.what}\n"
                f"  waits for: {', '.join(_label_of(self.node, u) for u in waits) or 'nothing'}\n"
                f"  needs: {self.needs}\n"
                f"  real error: {self.error}\n"
                f"  rule: {self.rule.statement} ({self.rule.source})")


def _label_of(node: Node, urn: str) -> str:
    return urn.rsplit("::", 1)[-1]


@dataclass
class Report:
    model: Model
    kind: str  # "up" or "destroy"
    order: list[list[Node]]
    violations: list[Violation] = field(default_factory=list)
    refused: list[Node] = field(default_factory=list)  # destroy: protected resources
    notes: list[str] = field(default_factory=list)

    def lines(self) -> list[str]:
        out = [f"{self.kind} {self.model.stack} ({self.model.target}): {sum(len(w) for w in self.order)} resources "
               f"in {len(self.order)} waves, {len(self.violations)} violations"]
        for i, wave in enumerate(self.order):
            out.append(f"wave {i + 1}:")
            for node in wave:
                step = OPERATOR_STEPS.get(node.type) if self.kind == "up" else None
                out.append(f"  {node.label}" + (f"   [operator: {step}]" if step else ""))
        out += [f"note: {n}" for n in self.notes]
        if self.refused:
            out.append("refused (protected): " + ", ".join(n.label for n in self.refused))
        out += [str(v) for v in self.violations]
        return out


# ------------------------------------------------------------------------------ first run


class FirstRun:
    """The rules of a run. ``existing``: the resources a stack already holds unchanged (an update of a
    deployed stack, ``update``): the engine runs no step for them (a same step), so they are there
    before anything starts, and a NetworkPolicy among them isolates from the start."""

    def __init__(self, model: Model, existing: frozenset[str] = frozenset()):
        self.m = model
        self.existing = existing
        self.crds = adm.crds(model)
        self.pods = adm.pods(model)
        self.webhooks = adm.webhooks(model)
        self.creators = adm.creators(model, self.pods)
        self.classes = adm.storage_classes(model)
        self.violations: list[Violation] = []
        self._serving: dict[int, adm.Serving] = {}

    def done_before(self, later: Node, earlier: Node) -> bool:
        return earlier.urn in self.existing or earlier.urn in self.m.closure[later.urn]

    def steps(self, node: Node) -> bool:
        """Whether this run creates or updates ``node`` (everything, on a first run)."""
        return node.urn not in self.existing

    def add(self, rule: str, node: Node, what: str, needs: str, error: str) -> None:
        self.violations.append(Violation(RULES[rule], node, what, needs, error))

    def run(self) -> list[Violation]:
        for node in self.m.nodes.values():
            if node.cluster != self.m.cluster or not self.steps(node):
                continue
            if node.release is not None:
                self.release_namespace(node)
            for o in node.objects:
                self.namespace(o)
                if adm.is_custom(o):
                    self.kind(o)
                self.object_webhooks(o)
                if adm.is_load_balancer(o) and node.awaited:
                    self.load_balancer(o)
        self.volumes()
        self.bundled()
        self.access()
        for pod in self.pods:
            if not self.steps(pod.node):
                continue
            self.pod_webhooks(pod)
            self.references(pod)
            if pod.run_once:
                self.connections(pod)
        return self.violations

    # -------------------------------------------------------------- errors a real run gives

    @staticmethod
    def creation_error(o: Obj, reason: str) -> str:
        node = o.node
        if node.release is not None:
            return f"Error: INSTALLATION FAILED: {reason}"
        return f"resource \"{node.urn}\" was not successfully created by the Kubernetes API server: {reason}"

    @staticmethod
    def wait_error(node: Node, reason: str) -> str:
        if node.release is not None:
            return HELM_WAIT_TIMEOUT.format(ns=node.release.namespace, name=node.release.name) + f" ({reason})"
        return f"resource \"{node.urn}\" was not successfully created: timed out waiting to be Ready ({reason})"

    # -------------------------------------------------------------- namespace

    def namespace_ok(self, node: Node, ns: str) -> tuple[bool, str]:
        if ns in adm.BUILTIN_NAMESPACES:
            return True, ""
        if node.release is not None and ns == node.release.namespace and node.plain.get("createNamespace"):
            return True, ""
        made = [c.node for c in self.creators.get(("Namespace", "", ns), [])]
        if any(n is node or self.done_before(node, n) for n in made):
            return True, ""
        if made:
            return False, f"namespace {ns} from {made[0].label}, which it does not wait for"
        return False, f"namespace {ns}, which no resource of this stack creates"

    def release_namespace(self, node: Node) -> None:
        assert node.release is not None
        ok, needs = self.namespace_ok(node, node.release.namespace)
        if not ok:
            self.add("namespace", node, f"the release record in {node.release.namespace}", needs,
                     f"Error: INSTALLATION FAILED: create: failed to create: namespaces \"{node.release.namespace}\" "
                     "not found")

    def namespace(self, o: Obj) -> None:
        ns = o.namespace
        if ns is None or o.node.release is not None and ns == o.node.release.namespace:
            return
        ok, needs = self.namespace_ok(o.node, ns)
        if not ok:
            self.add("namespace", o.node, o.key, needs, self.creation_error(o, f"namespaces \"{ns}\" not found"))

    # -------------------------------------------------------------- custom kinds

    def kind(self, o: Obj) -> None:
        node = o.node
        defs = self.crds.get((o.group, o.kind), [])
        nomatch = f"no matches for kind \"{o.kind}\" in version \"{o.api_version}\""
        if node.release is not None:
            error = (f"Error: INSTALLATION FAILED: unable to build kubernetes objects from release manifest: "
                     f"resource mapping not found for name: \"{o.name}\" namespace: \"{o.namespace or ''}\" from "
                     f"\"\": {nomatch}\nensure CRDs are installed first")
        else:
            error = (f"creation of resource \"{node.urn}\" with kind {o.api_version}/{o.kind} failed because the "
                     f"Kubernetes API server reported that the apiVersion for this resource does not exist. "
                     f"Verify that any required CRDs have been created: {nomatch}")
        serving = [d for d in defs if o.version in d.versions]
        if not serving:
            what = (f"CRD for {o.kind}.{o.group} serving {o.version}" if defs
                    else f"a CRD for {o.kind}.{o.group}, which no resource of this stack installs")
            self.add("crd", node, o.key, what, error)
            return
        for d in serving:
            src = d.obj
            if src.node is node:
                if src.phase == "crd" or "post-install" in o.hooks:
                    return
                continue  # a template CRD of the same release: Helm maps every template first
            if self.done_before(node, src.node) and (src.node.awaited or src.phase == "crd"):
                return
        first = serving[0].obj
        if first.node is node:
            needs = (f"CRD {first.name}, which the same release renders as a template (not in crds/), so Helm "
                     "maps this object before the CRD exists")
        else:
            needs = f"CRD {first.name} from {first.node.label}, which it does not wait for"
        self.add("crd", node, o.key, needs, error)

    # -------------------------------------------------------------- webhooks

    def serving(self, webhook: adm.Webhook) -> adm.Serving:
        key = id(webhook)
        if key not in self._serving:
            self._serving[key] = adm.serving(self.m, webhook, self.pods)
        return self._serving[key]

    def _webhook_error(self, webhook: adm.Webhook) -> str:
        ns, name, port = webhook.service or ("", "", 443)
        return (f"Internal error occurred: failed calling webhook \"{webhook.name}\": failed to call webhook: "
                f"Post \"https://{name}.{ns}.svc:{port}/...?timeout=10s\": dial tcp: connect: connection refused")

    def _needs_serving(self, node: Node, webhook: adm.Webhook) -> Optional[str]:
        """None when ``webhook`` serves before ``node`` creates what it matches; else what is missing."""
        source = webhook.config.node
        if not self.done_before(node, source):
            return f"webhook {webhook.name} ({webhook.config.key}) of {source.label}, which it does not wait for"
        s = self.serving(webhook)
        if s.node is None or not s.implied:
            return f"webhook {webhook.name} serving, but {s.why}"
        if s.node is not source and not self.done_before(node, s.node):
            return f"webhook {webhook.name} served by {s.node.label}, which it does not wait for"
        if not s.node.awaited:
            return f"webhook {webhook.name} served by {s.node.label}, whose readiness is not awaited (skipAwait)"
        return None

    def object_webhooks(self, o: Obj) -> None:
        if "pre-install" in o.hooks or "post-install" in o.hooks and o.node.awaited:
            return  # hooks run before the templates exist, or after Helm waited for them
        if o.by_operator:
            # an operator retries a refused create in its reconcile loop (CloudNativePG requeues on
            # error: cloudnative-pg@v1.30.0 internal/controller/cluster_controller.go Reconcile); its
            # pods are checked as pods below
            return
        resource = adm.plural(o, self.crds)
        for w in self.webhooks:
            same = w.config.node is o.node
            policy = w.rendered_policy if same else w.failure_policy
            if policy != "Fail" or w.config is o:
                continue
            if not adm.matches(self.m, w, o.group, o.version, resource, o.namespace, o.labels):
                continue
            if same:
                if helm_order(w.config) < helm_order(o):
                    self.add("webhook", o.node, o.key,
                             f"webhook {w.name} of the same release, created before this object (Helm creates kinds "
                             "in order without waiting) and not serving yet",
                             self.creation_error(o, self._webhook_error(w)))
                continue
            missing = self._needs_serving(o.node, w)
            if missing:
                self.add("webhook", o.node, o.key, missing, self.creation_error(o, self._webhook_error(w)))

    def pod_webhooks(self, pod: adm.Pod) -> None:
        labels = (pod.template.metadata or {}).get("labels") or {}
        for w in self.webhooks:
            same = w.config.node is pod.node
            policy = w.rendered_policy if same else w.failure_policy
            if policy != "Fail" or not adm.matches(self.m, w, "", "v1", "pods", pod.template.namespace, labels):
                continue
            what = f"the pods of {pod.owner.key}"
            if same:  # the controller retries pod creation until the webhook serves, unless it serves itself
                s = self.serving(w)
                if s.node is pod.node and w.service and pod.template.namespace == w.service[0]:
                    self.add("webhook", pod.node, what, f"webhook {w.name}, served by these very pods",
                             self.wait_error(pod.node, self._webhook_error(w)))
                continue
            missing = self._needs_serving(pod.node, w)
            if missing:
                self.add("webhook", pod.node, what, missing,
                         self.wait_error(pod.node, f"ReplicaSet/Job FailedCreate: {self._webhook_error(w)}"))

    # -------------------------------------------------------------- load balancers

    def load_balancer(self, o: Obj) -> None:
        node = o.node
        if targets.target(self.m.target).environment_load_balancer:
            return  # the cloud (EKS) or the environment (`loadBalancer`, docs/real-tools.md) assigns addresses
        providers = adm.address_providers(self.m)
        pools = [p for p in providers if p.kind == "IPAddressPool"]
        ads = [p for p in providers if p.kind != "IPAddressPool"]
        error = (self.wait_error(node, f"Service {o.namespace}/{o.name} has no status.loadBalancer.ingress")
                 if node.release is not None else
                 f"resource \"{node.urn}\" was not successfully created: Service was not allocated an IP address; "
                 "does your cloud provider support this?")
        if not pools or not ads:
            self.add("load-balancer", node, o.key, f"an address provider on {self.m.target}, which this stack does "
                     "not create (no MetalLB IPAddressPool and advertisement)", error)
            return
        missing = [p for p in (pools[0], ads[0]) if p.node is not node and not self.done_before(node, p.node)]
        if missing:
            self.add("load-balancer", node, o.key, "addresses from " + " and ".join(
                f"{p.key} of {p.node.label}" for p in missing) + ", which it does not wait for", error)

    # -------------------------------------------------------------- volumes

    def default_class(self) -> Optional[adm.StorageClass]:
        defaults = [c for c in self.classes.values() if c.default]
        return defaults[0] if defaults else None

    def volumes(self) -> None:
        consumers: dict[tuple[str, str], list[Node]] = {}
        for owner, claim, cls in adm.claims(self.m):
            node = owner.node
            if not self.steps(node):
                continue
            if owner.by_operator:
                # the operator's claims bind before its pods run, and the node is done only once they
                # run (awaited until the Cluster is Ready), whatever the class's binding mode
                if not node.awaited:
                    continue
            elif owner.kind == "PersistentVolumeClaim" and node.release is None:
                c = self.classes.get(cls) if cls else self.default_class()
                if not node.awaited or c is not None and c.binding == "WaitForFirstConsumer":
                    continue  # pulumi-kubernetes accepts Pending for WaitForFirstConsumer (awaiters.go 288-322)
            elif not node.awaited:
                continue
            consumers.setdefault((owner.namespace or "default", claim), []).append(node)
            self.claim_class(node, f"claim {claim} ({owner.key})", cls)
        for pod in self.pods:  # run-once pods mount claims of other resources
            if not pod.run_once:
                continue
            for kind, name, _ in adm.pod_references(pod):
                if kind != "PersistentVolumeClaim":
                    continue
                for creator in self.creators.get((kind, pod.template.namespace, name), []):
                    if creator.node is not pod.node:
                        cls = (creator.obj.doc.get("spec") or {}).get("storageClassName")
                        self.claim_class(pod.node, f"claim {name} mounted by {pod.owner.key}", cls)

    def claim_class(self, node: Node, what: str, cls: Optional[str]) -> None:
        if cls == "":
            return  # static binding, no provisioner
        sc = self.classes.get(cls) if cls else self.default_class()
        error = self.wait_error(node, f"{what} Pending: waiting for a volume to be created either by the external "
                                      "provisioner or manually by the system administrator")
        if sc is None:
            if targets.target(self.m.target).environment_storage:
                return  # the cluster's own (default) class
            self.add("volume", node, what, f"StorageClass {cls or '(the default)'}, which no resource of this stack "
                     "creates", error)
            return
        if sc.node is not node and not self.done_before(node, sc.node):
            self.add("volume", node, what, f"StorageClass {sc.name} from {sc.node.label}, which it does not "
                     "wait for", error)
            return
        self.provisioner(node, what, sc.provisioner, error)

    def provisioner(self, node: Node, what: str, provisioner: str, error: str) -> None:
        providers = adm.provisioner_nodes(self.m, provisioner)
        if not providers:
            if targets.target(self.m.target).environment_storage:
                return
            self.add("volume", node, what, f"provisioner {provisioner}, which no resource of this stack installs",
                     error)
            return
        if not any(p is node or self.done_before(node, p) for p in providers):
            self.add("volume", node, what, f"provisioner {provisioner} from {providers[0].label} "
                     f"({adm.PROVISIONERS[provisioner][1]}), which it does not wait for", error)

    # -------------------------------------------------------------- what the distribution ships

    def bundled(self) -> None:
        provider = self.m.nodes.get(self.m.cluster or "")
        if provider is None:
            return
        # What the target's distribution deploys itself (its trait; an existing cluster's by its
        # kubeconfig context, settings/targets/existing.py): a release rendering one of them fails
        # (Helm: "Unable to continue with install: <kind> \"<name>\" ... exists and cannot be imported
        # into the current release: invalid ownership metadata", helm/helm@v3.20.2 pkg/action/install.go
        # existingResourceConflict).
        bundled = targets.target(self.m.target).bundled_metrics(str(provider.plain.get("context") or ""))
        if bundled is not None:
            for o in self.m.objects:
                if o.key in bundled.objects and o.node.release is not None:
                    kind, _, name = o.key.partition(" ")
                    self.add("bundled", o.node, o.key,
                             f"{o.key} not to exist, but {bundled.distribution} deploys it ({bundled.source})",
                             "Error: INSTALLATION FAILED: Unable to continue with install: "
                             f"{kind} \"{name.rsplit('/', 1)[-1]}\""
                             f" in namespace \"{o.namespace or ''}\" exists and cannot be imported into the current "
                             "release: invalid ownership metadata")

    # -------------------------------------------------------------- who the provider calls as

    def access(self) -> None:
        provider = self.m.nodes.get(self.m.cluster or "")
        if provider is None or not self.steps(provider):
            return
        role = cluster_access.assumed_role(provider)
        for grant in cluster_access.grants(self.m, role) if role else []:
            if not self.done_before(provider, grant):
                self.add("access", provider, f"its first Kubernetes call, as {role}",
                         f"{grant.label} (principal {role}), which it does not wait for: until it exists EKS "
                         "answers 401 Unauthorized",
                         cluster_access.UNAUTHORIZED)

    # -------------------------------------------------------------- references

    def references(self, pod: adm.Pod) -> None:
        for kind, name, optional in dict.fromkeys(adm.pod_references(pod)):
            if optional:
                continue
            made = self.creators.get((kind, pod.template.namespace, name), [])
            own = [c for c in made if c.node is pod.node]
            if not made or own and (not pre_hook(pod.owner)
                                    or any(c.via == "object" and before_hook(c.obj, pod.owner) for c in own)):
                continue
            ok = [c for c in made if self.done_before(pod.node, c.node)
                  and (c.via in ("object", "runtime") or c.node.awaited)]
            if ok:
                continue
            if own:  # a pre-install/pre-upgrade hook's pod using what its own release makes later
                c = own[0]
                self.add("hook", pod.node, f"the pods of {pod.owner.key}",
                         f"{kind} {name}, which {c.obj.key} of the same release creates {_later(c.obj, pod.owner)}",
                         self.hook_error(pod, f"{kind.lower()} \"{name}\" not found"))
                continue
            c = made[0]
            if self.done_before(pod.node, c.node):
                needs = (f"{kind} {name}, which {c.obj.key} ({c.node.label}) creates only once it is synced, "
                         "and that resource is not awaited (no pulumi.com/waitFor)")
            else:
                needs = f"{kind} {name} from {c.node.label}, which it does not wait for"
            reason = (f"pod {pod.owner.key}: CreateContainerConfigError / MountVolume.SetUp failed: "
                      f"{kind.lower()} \"{name}\" not found")
            self.add("reference", pod.node, f"the pods of {pod.owner.key}", needs,
                     self.wait_error(pod.node, reason) if pod.node.awaited else
                     f"{reason} (the resource is not awaited: pulumi up reports success)")

    # -------------------------------------------------------------- connections of run-once pods

    def connections(self, pod: adm.Pod) -> None:
        for ns, svc_name in sorted(adm.addresses(pod)):
            svc = next((o for o in self.m.objects if o.kind == "Service" and o.namespace == ns and o.name == svc_name),
                       None)
            if svc is None:
                continue
            selector = (svc.doc.get("spec") or {}).get("selector") or {}
            backing = [p for p in self.pods if p.template.namespace == ns and selector and not p.run_once
                       and adm.selector_matches({"matchLabels": selector},
                                                (p.template.metadata or {}).get("labels") or {})]
            if not backing:
                continue
            server = backing[0]
            hook = pre_hook(pod.owner)
            if server.node is pod.node:
                if hook:  # the release's own server does not exist while its pre-install hooks run
                    self.add("hook", pod.node, f"the pods of {pod.owner.key}",
                             f"Service {ns}/{svc_name} served by {server.owner.key} of the same release, which Helm "
                             "creates only after its pre-install hooks", self.hook_error(pod, f"{svc_name}.{ns}.svc "
                                                                                               "refused or timed out"))
                continue  # a post-install hook or Job of the release that runs the server (the chart orders them)
            reason = (f"Job {pod.owner.namespace}/{pod.owner.name} fails (BackoffLimitExceeded): "
                      f"{svc_name}.{ns}.svc refused or timed out")
            if hook:
                error = self.hook_error(pod, f"{svc_name}.{ns}.svc refused or timed out")
            else:
                error = reason if not pod.node.awaited else self.wait_error(pod.node, reason)
            if not pod.node.awaited:
                error += " - the Job is not awaited, so pulumi up reports success"
            if not (self.done_before(pod.node, server.node) and server.node.awaited):
                self.add("connection", pod.node, f"the pods of {pod.owner.key}",
                         f"Service {ns}/{svc_name} served by {server.owner.key} of {server.node.label}, which it "
                         "does not wait for", error)
                continue
            server_labels = (server.template.metadata or {}).get("labels") or {}
            for direction, (isolating, admitting) in (
                    ("to", adm.isolating_and_admitting(self.m, pod, ns, server_labels)),
                    ("out of its namespace to", adm.egress_isolating_and_admitting(self.m, pod, ns, server_labels))):
                # a policy created only after the pod's resource cannot block it during this run; one the
                # stack already holds does, and so does one of the pod's own release (there on an upgrade)
                isolating = [p for p in isolating if not self.steps(p.node) or not self.done_before(p.node, pod.node)]
                if not isolating or not admitting or any(self.policy_ready(pod, p) for p in admitting):
                    continue
                first = admitting[0]
                if first.node is pod.node:
                    self.add("hook", pod.node, f"the pods of {pod.owner.key}",
                             f"{first.key} admitting it {direction} {server.owner.key}, which the same "
                             f"release creates {_later(first, pod.owner)}, while {isolating[0].key} isolates it", error)
                else:
                    self.add("connection", pod.node, f"the pods of {pod.owner.key}",
                             f"{first.key} ({first.node.label}) admitting it {direction} "
                             f"{server.owner.key}, which it does not wait for, while {isolating[0].key} isolates it",
                             error)

    def policy_ready(self, pod: adm.Pod, policy: Obj) -> bool:
        """Whether ``policy`` exists when ``pod`` starts: made by a resource the pod's waits for, or by
        the pod's own resource (for a pre-install/pre-upgrade hook's pod: a hook that runs before it)."""
        if policy.node is pod.node:
            return not pre_hook(pod.owner) or before_hook(policy, pod.owner)
        return self.done_before(pod.node, policy.node)

    def hook_error(self, pod: adm.Pod, reason: str) -> str:
        """What Helm reports when a pre-install hook Job fails (helm/helm@v3.20.2 pkg/kube/client.go
        waitForJob: "job <name> failed: <reason>"; pkg/action/install.go: "failed pre-install: ...")."""
        deadline = (pod.owner.doc.get("spec") or {}).get("activeDeadlineSeconds")
        why = "DeadlineExceeded" if deadline and "not found" in reason else "BackoffLimitExceeded"
        return (f"Error: INSTALLATION FAILED: failed pre-install: job {pod.owner.name} failed: {why} "
                f"(its pod: {reason})")


# Helm's install order (helm/helm@v3.20.2 pkg/releaseutil/kind_sorter.go InstallOrder; unknown kinds
# last, alphabetically) and pkg/kube/client.go batchPerform: one kind is created before the next.
INSTALL_ORDER = ["PriorityClass", "Namespace", "NetworkPolicy", "ResourceQuota", "LimitRange", "PodSecurityPolicy",
                 "PodDisruptionBudget", "ServiceAccount", "Secret", "SecretList", "ConfigMap", "StorageClass",
                 "PersistentVolume", "PersistentVolumeClaim", "CustomResourceDefinition", "ClusterRole",
                 "ClusterRoleList", "ClusterRoleBinding", "ClusterRoleBindingList", "Role", "RoleList", "RoleBinding",
                 "RoleBindingList", "Service", "DaemonSet", "Pod", "ReplicationController", "ReplicaSet", "Deployment",
                 "HorizontalPodAutoscaler", "StatefulSet", "Job", "CronJob", "IngressClass", "Ingress", "APIService"]


def helm_order(o: Obj) -> tuple[int, str]:
    if o.kind in INSTALL_ORDER:
        return INSTALL_ORDER.index(o.kind), ""
    return len(INSTALL_ORDER), o.kind


# Helm runs a release's pre-install hooks before it creates any of its templates, one hook after
# another: sorted by kind (InstallOrder), then stably by weight, each created and, for a Job, watched
# until it completes (helm/helm@v3.20.2 pkg/action/install.go 444-458, pkg/action/hooks.go 49 and
# 140-145, pkg/kube/client.go watchUntilReady). A pre-upgrade hook runs the same way before the
# upgrade changes anything (pkg/action/upgrade.go 421-429), when the previous release's objects
# exist: its NetworkPolicies isolate the hook's pods then, which the check counts on every run.
PRE_INSTALL = "pre-install"


def pre_hook(o: Obj) -> bool:
    """A pre-install hook: on a first run it runs before every template of its release."""
    return o.phase == "hook" and PRE_INSTALL in o.hooks


def hook_order(o: Obj) -> tuple[int, tuple[int, str], int]:
    """Where a hook runs among the hooks of one event: weight, then kind, then manifest order."""
    return o.weight, helm_order(o), o.node.objects.index(o)


def before_hook(earlier: Obj, hook: Obj) -> bool:
    """Whether ``earlier``, an object of the same release, exists when Helm creates the pre-install
    hook ``hook``: a CRD of ``crds/``, or a pre-install hook run before it."""
    if earlier.phase == "crd":
        return True
    return pre_hook(earlier) and hook_order(earlier) < hook_order(hook)


def _later(o: Obj, hook: Obj) -> str:
    if o.phase != "hook":
        return "only after its pre-install hooks (a template)"
    return f"in a hook Helm runs after it (weight {o.weight} against {hook.weight}, kinds in install order)"


def first_run(model: Model) -> Report:
    """The first `pulumi up` of ``model``: the order and every violation."""
    report = Report(model, "up", model.waves)
    for cluster in model.clusters:
        report.violations += FirstRun(model.for_cluster(cluster)).run()
    return report


def unchanged(model: Model, state: dict[str, Any]) -> frozenset[str]:
    """The resources of ``model`` that ``state`` (tools/engine.py: a deployed stack's resources) holds
    with the same inputs: the engine's same steps (pulumi/pulumi@v3.259.0 pkg/resource/deploy/
    step_generator.go, no diff: SameStep)."""
    new = engine.state_of_run(model.run)
    return frozenset(u for u, e in new.items() if u in state and state[u].inputs == e.inputs
                     and state[u].type == e.type)


def update(model: Model, existing: frozenset[str]) -> Report:
    """`pulumi up` of ``model`` on a stack that holds ``existing`` unchanged: only the other resources
    step, in the same order, against what is already there."""
    report = Report(model, "update", [[n for n in w if n.urn not in existing] for w in model.waves])
    for cluster in model.clusters:
        report.violations += FirstRun(model.for_cluster(cluster), existing).run()
    return report


# ------------------------------------------------------------------------------ targeted runs


def targeted_run(model: Model, targets: Iterable[str]) -> list[str]:
    """The errors of `pulumi up --target ...` on a new stack: every targeted step (and every
    provider, always targeted) whose dependencies or provider are creates left out."""
    targeted = set(targets) | {u for u, n in model.nodes.items() if n.type.startswith("pulumi:providers:")}
    errors = []
    for urn in model.nodes:
        if urn not in targeted:
            continue
        for dep in sorted(model.nodes[urn].deps):
            if dep in model.nodes and dep not in targeted:
                errors.append(f"Resource '{urn}' depends on '{dep}' which was was not specified in --target list.")
    return errors


# ------------------------------------------------------------------------------ destroy


def _value(values: dict, path: tuple[str, ...]) -> object:
    node: object = values
    for key in path:
        if not isinstance(node, dict):
            return None
        node = node.get(key)
    return node


def destroy(model: Model) -> Report:
    """`pulumi destroy` of ``model``: the reverse order and every violation."""
    order = [list(w) for w in reversed(model.waves)]
    report = Report(model, "destroy", order)
    report.refused = [n for n in model.nodes.values() if n.reg.protect]
    for cluster in model.clusters:
        _destroy_cluster(FirstRun(model.for_cluster(cluster)), report)
    return report


def _destroy_cluster(fr: FirstRun, report: Report) -> None:
    model = fr.m

    def add(rule: str, node: Node, what: str, needs: str, error: str) -> None:
        report.violations.append(Violation(RULES[rule], node, what, needs, error))

    deleted = {u for u, n in model.nodes.items() if not n.reg.protect}
    for node in model.nodes.values():
        if node.reg.protect or node.cluster != model.cluster:
            continue
        chart = node.chart
        if chart in PRE_DELETE_CHECKS and node.release is not None:
            path, required, error, source = PRE_DELETE_CHECKS[chart]
            if _value(node.release.values, path) != required:
                add("pre-delete-hook", node, f"{chart}'s pre-delete hook",
                    f"values {'.'.join(path)}: {required!r} ({source})", error)
        if node.reg.retain_on_delete:
            for o in node.objects:
                ns = o.namespace
                if ns is None or o.by_operator:  # an operator's objects go with their custom resource
                    continue
                for c in fr.creators.get(("Namespace", "", ns), []):
                    if c.node.urn in deleted and not c.node.reg.retain_on_delete:
                        add("retain", node, o.key, f"its namespace {ns} to survive, but {c.node.label} deletes it",
                            f"{o.key} is deleted with namespace {ns} although {node.label} is retainOnDelete")
        for o in node.objects:
            spec = FINALIZERS.get((o.group, o.kind))
            if spec is None or spec[3] is not None and not spec[3](o):
                continue
            controllers = [n for n in model.nodes.values() if n.chart == spec[0] and n.cluster == model.cluster]
            if controllers and not any(fr.done_before(node, n) for n in controllers):
                add("finalizer", node, o.key, f"{controllers[0].label} to remove the finalizer {spec[1]} ({spec[2]}), "
                    "but it is not deleted after this object", f"resource \"{node.urn}\" was not deleted: timed out "
                    f"waiting for finalizer {spec[1]}")
    # volumes in use must be detached before their provisioner goes: their users depend on it
    for pod in fr.pods:
        for kind, name, _ in adm.pod_references(pod):
            if kind != "PersistentVolumeClaim":
                continue
            for c in fr.creators.get((kind, pod.template.namespace, name), []):
                _detach(fr, report, pod.node, f"{pod.owner.key} mounting {name}",
                        (c.obj.doc.get("spec") or {}).get("storageClassName"))
    for owner, claim, cls in adm.claims(model):
        if owner.kind == "StatefulSet":
            _detach(fr, report, owner.node, f"{owner.key} mounting {claim}", cls)


def _detach(fr: FirstRun, report: Report, node: Node, what: str, cls: Optional[str]) -> None:
    sc = fr.classes.get(cls) if cls else fr.default_class()
    if sc is None or node.reg.protect:
        return  # a protected workload: the destroy stops there (RULES["protect"])
    for p in adm.provisioner_nodes(fr.m, sc.provisioner):
        if p is node or p.reg.protect or p.reg.retain_on_delete:
            continue
        if fr.done_before(node, p) and not node.reg.retain_on_delete:
            continue  # deleted (its volumes detached) before the provisioner goes
        if node.reg.retain_on_delete:  # never deleted: its workloads keep the volumes attached
            if any(v.rule.id == "detach" and v.node is node for v in report.violations):
                return
            report.violations.append(Violation(
                RULES["detach"], node, what, f"its volumes detached before {p.label} (provisioner "
                f"{sc.provisioner}) is uninstalled, but it is retainOnDelete: the destroy leaves it running",
                f"{p.label} is uninstalled while {what} still has its volume attached"))
            return
        if any(v.rule.id == "detach" and v.node is node for v in report.violations):
            return
        report.violations.append(Violation(
            RULES["detach"], node, what, f"to be deleted before {p.label} (provisioner {sc.provisioner}), which it "
            "does not depend on", f"{p.label} is uninstalled while {what} still has its volume attached"))


# ------------------------------------------------------------------------------ entry points


def simulate(stack: str, config: Optional[Path] = None) -> tuple[Report, Report]:
    """(first run, destroy) of a stack: its own stack file, or ``config`` (an example stack file)."""
    if config is None:
        run = recorded_run(stack)
    else:
        values, secret_keys = stack_config(stack, path=config)
        run = run_program(stack, values, secret_keys)
    model = build(run)
    return first_run(model), destroy(model)


def main(argv: Optional[list[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--stack", default="prod")
    parser.add_argument("--config", type=Path, help="a stack file (e.g. docs/examples/stacks/Pulumi.eks.yaml)")
    parser.add_argument("--destroy", action="store_true", help="print the teardown instead of the first run")
    args = parser.parse_args(argv)
    up, down = simulate(args.stack, args.config)
    report = down if args.destroy else up
    print("\n".join(report.lines()))
    return 1 if report.violations else 0


if __name__ == "__main__":
    sys.exit(main())
