"""The apply model: every resource the engine steps through, what it waits for, and the Kubernetes
objects it sends, built from a recorded program run (tools/offline.py) and the releases' renders
(tools/system.py).

A ``Node`` is one custom resource of the run (components are not: the engine runs no step for
them). It waits for:

* its ``dependencies`` as the SDK sends them in ``RegisterResourceRequest`` — explicit
  ``depends_on`` and the resources behind every input ``Output``, components expanded to their
  custom descendants (pulumi 3.272 sdk/python/lib/pulumi/runtime/resource.py ``prepare_resource``,
  runtime/rpc.py ``_add_dependency``);
* its provider (``prepare_resource`` awaits ``_create_provider_ref``: the provider's URN and id);
* its parent when that is a custom resource (``prepare_resource`` awaits ``opts.parent.urn``).

The SDK sends the request only when those are resolved, i.e. when their steps are done: the engine
answers ``RegisterResource`` after the step completes (pulumi/pulumi@v3.259.0
pkg/resource/deploy/source_eval.go ``RegisterResource``, ``case result = <-step.done``). So a
resource starts once everything it waits for is done — and *done* means created and, for what the
provider awaits, ready.

A node's objects: a ``helm.v3.Release`` sends its chart's ``crds/`` CRDs, then its templates and
hooks (phase ``crd``, ``template``, ``hook``); a Kubernetes resource of the program sends itself.
A CloudNativePG ``Cluster`` or ``Pooler`` also brings what the operator creates from it (phase
``operator``: the instance Pods, their claims, the ``-rw``/``-ro``/``-r`` Services, the bootstrap
Job, the Pooler's Deployment and Service; tools/cnpg.py, from cloudnative-pg@v1.30.0): they exist
only through the custom resource, and a node awaited until the Cluster is Ready
(``pulumi.com/waitFor``) is done only once they run.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from typing import Any, Iterable, Optional

from tools import cnpg
from tools.manifests import kubernetes_objects
from tools.offline import ProgramRun, Registered
from tools.system import CLUSTER_SCOPED, Item, ReleaseInfo, SystemRender, release_infos, release_parts

RELEASE = "kubernetes:helm.sh/v3:Release"
PROVIDER_PREFIX = "pulumi:providers:"
SKIP_AWAIT = "pulumi.com/skipAwait"
WAIT_FOR = "pulumi.com/waitFor"
HOOK = "helm.sh/hook"
HOOK_WEIGHT = "helm.sh/hook-weight"

# Kinds pulumi-kubernetes waits for after creating them, unless annotated pulumi.com/skipAwait
# (pulumi/pulumi-kubernetes@v4.32.0 provider/pkg/await/awaiters.go: Deployment, StatefulSet,
# DaemonSet, ReplicaSet, Pod, Job, Service, PersistentVolumeClaim, Ingress, CustomResourceDefinition;
# any object with pulumi.com/waitFor: provider/pkg/metadata/overrides.go ``ReadyCondition``).
AWAITED_KINDS = {"Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "Pod", "Job", "Service",
                 "PersistentVolumeClaim", "Ingress", "CustomResourceDefinition"}
WORKLOAD_KINDS = {"Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "Job", "Pod"}


def provider_urn(reference: str) -> str:
    """A provider reference is ``<urn>::<id>`` (pulumi sdk/go/common/resource/providers/reference.go)."""
    return reference.rsplit("::", 1)[0] if reference else ""


def short_type(type_: str) -> str:
    """``kubernetes:helm.sh/v3:Release`` -> ``Release``; ``pulumi:providers:kubernetes`` -> ``provider:kubernetes``."""
    if type_.startswith(PROVIDER_PREFIX):
        return "provider:" + type_[len(PROVIDER_PREFIX):]
    return type_.rsplit(":", 1)[-1]


@dataclass
class Obj:
    """One object a node sends to Kubernetes."""

    doc: dict[str, Any]
    node: "Node"
    phase: str  # "crd" (a chart's crds/), "template", "hook", "program"
    hooks: tuple[str, ...] = ()
    weight: int = 0

    @property
    def kind(self) -> str:
        return self.doc.get("kind", "")

    @property
    def by_operator(self) -> bool:
        """Created by an operator from a custom resource of the node (CloudNativePG), which retries
        a refused create in its reconcile loop."""
        return self.phase == "operator"

    @property
    def patch(self) -> bool:
        """A pulumi-kubernetes ``<Kind>Patch``: changes an object that exists, creates nothing."""
        return self.phase == "program" and self.node.type.endswith("Patch")

    @property
    def api_version(self) -> str:
        return self.doc.get("apiVersion", "")

    @property
    def group(self) -> str:
        return self.api_version.rsplit("/", 1)[0] if "/" in self.api_version else ""

    @property
    def version(self) -> str:
        return self.api_version.rsplit("/", 1)[-1]

    @property
    def name(self) -> str:
        return (self.doc.get("metadata") or {}).get("name", "")

    @property
    def namespace(self) -> Optional[str]:
        if self.kind in CLUSTER_SCOPED:
            return None
        return (self.doc.get("metadata") or {}).get("namespace") or "default"

    @property
    def labels(self) -> dict[str, str]:
        return dict((self.doc.get("metadata") or {}).get("labels") or {})

    @property
    def annotations(self) -> dict[str, str]:
        return dict((self.doc.get("metadata") or {}).get("annotations") or {})

    @property
    def key(self) -> str:
        ns = self.namespace
        return f"{self.kind} {ns + '/' if ns else ''}{self.name}"


@dataclass
class Node:
    """One custom resource of the run: a step of the engine."""

    reg: Registered
    deps: frozenset[str]  # URNs it waits for: dependencies, provider, custom parent
    release: Optional[ReleaseInfo] = None
    objects: list[Obj] = field(default_factory=list)

    @property
    def urn(self) -> str:
        return self.reg.urn

    @property
    def type(self) -> str:
        return self.reg.type

    @property
    def name(self) -> str:
        return self.reg.name

    @property
    def plain(self) -> dict[str, Any]:
        return self.reg.plain

    @property
    def label(self) -> str:
        if self.release is not None:
            return f"Release {self.name} ({self.release.namespace}/{self.release.name})"
        return f"{short_type(self.type)} {self.name}"

    @property
    def is_release(self) -> bool:
        return self.type == RELEASE

    @property
    def is_kubernetes(self) -> bool:
        return self.type.startswith("kubernetes:") and not self.is_release

    @property
    def skip_await(self) -> bool:
        if self.is_release:
            return bool(self.plain.get("skipAwait"))
        return any(o.annotations.get(SKIP_AWAIT) == "true" for o in self.objects)

    @property
    def awaited(self) -> bool:
        """Whether the provider's create returns only once what it created is ready: Helm's --wait
        (``client.Wait = !SkipAwait``, pulumi/pulumi-kubernetes@v4.32.0 provider/pkg/provider/
        helm_release.go 608) or pulumi-kubernetes' await logic for the kinds above."""
        if self.is_release:
            return not self.skip_await
        if not self.is_kubernetes:
            return True  # cloud resources: the provider returns when the API says the resource is there
        if self.skip_await:
            return False
        return any(o.kind in AWAITED_KINDS or WAIT_FOR in o.annotations for o in self.objects)

    @property
    def cluster(self) -> Optional[str]:
        """The cluster its objects go to: its Kubernetes provider (a stack that installs Rancher talks to
        the management cluster and to the new cluster through two providers)."""
        if self.is_release or self.is_kubernetes:
            return provider_urn(self.reg.provider)
        return None

    @property
    def chart(self) -> Optional[str]:
        if self.release is None:
            return None
        return self.release.chart.rstrip("/").rsplit("/", 1)[-1]


@dataclass
class Model:
    stack: str
    target: str
    nodes: dict[str, Node]  # by URN, in registration order
    run: ProgramRun
    cluster: Optional[str] = None  # when set, ``objects`` are those sent to this cluster only

    @property
    def clusters(self) -> list[str]:
        return sorted({n.cluster for n in self.nodes.values() if n.cluster})

    def for_cluster(self, cluster: str) -> "Model":
        """The same nodes and waits; the objects of one cluster (CRDs, webhooks, namespaces are per cluster)."""
        view = Model(self.stack, self.target, self.nodes, self.run, cluster)
        view.__dict__["closure"] = self.closure
        view.__dict__["waves"] = self.waves
        return view

    @functools.cached_property
    def objects(self) -> list[Obj]:
        return [o for n in self.nodes.values() if self.cluster is None or n.cluster == self.cluster
                for o in n.objects]

    @functools.cached_property
    def namespaces(self) -> dict[str, Obj]:
        """The first Namespace object of each name among ``objects`` (what the API server holds)."""
        out: dict[str, Obj] = {}
        for o in self.objects:
            if o.kind == "Namespace":
                out.setdefault(o.name, o)
        return out

    @functools.cached_property
    def closure(self) -> dict[str, frozenset[str]]:
        """Every node a node transitively waits for (what is done before it starts)."""
        memo: dict[str, frozenset[str]] = {}

        def visit(urn: str, path: tuple[str, ...] = ()) -> frozenset[str]:
            if urn in memo:
                return memo[urn]
            if urn in path:
                raise ValueError(f"dependency cycle through {urn}")
            node = self.nodes.get(urn)
            out: set[str] = set()
            for dep in (node.deps if node else ()):
                if dep in self.nodes:
                    out.add(dep)
                    out |= visit(dep, path + (urn,))
            memo[urn] = frozenset(out)
            return memo[urn]

        for urn in self.nodes:
            visit(urn)
        return memo

    def before(self, later: Node, earlier: Node) -> bool:
        """``earlier`` is done before ``later`` starts."""
        return earlier.urn in self.closure[later.urn]

    @functools.cached_property
    def waves(self) -> list[list[Node]]:
        """The order the engine runs the nodes in: wave n starts when its inputs from waves < n are
        done (pulumi/pulumi@v3.259.0 pkg/resource/deploy/step_executor.go: chains run in parallel)."""
        level: dict[str, int] = {}
        for urn in self.nodes:  # registration order is a topological order (the SDK waits)
            node = self.nodes[urn]
            level[urn] = 1 + max((level[d] for d in node.deps if d in level), default=-1)
        out: list[list[Node]] = [[] for _ in range(max(level.values(), default=-1) + 1)]
        for urn, lvl in level.items():
            out[lvl].append(self.nodes[urn])
        return out

    @functools.cached_property
    def items(self) -> SystemRender:
        """The objects as a SystemRender whose item origins are node URNs (for tools.conformance.pods)."""
        return SystemRender(self.stack, [Item(o.doc, o.node.urn) for o in self.objects])

    def find_node(self, type_: str, **inputs: Any) -> list[Node]:
        return [n for n in self.nodes.values() if n.type == type_
                and all(n.plain.get(k) == v for k, v in inputs.items())]


# CRDs a chart's published package carries but its source tree does not, so the vendored chart
# (charts/vendor/, exported from the upstream tag) renders without them: chart -> (values switch,
# [(group, kind, plural, scope, served versions)], source). They are templates of the release.
PACKAGED_CRDS: dict[str, tuple[str, tuple[tuple[str, str, str, str, tuple[str, ...]], ...], str]] = {
    "external-secrets": ("installCRDs", (
        ("external-secrets.io", "ExternalSecret", "externalsecrets", "Namespaced", ("v1",)),
        ("external-secrets.io", "SecretStore", "secretstores", "Namespaced", ("v1",)),
        ("external-secrets.io", "ClusterSecretStore", "clustersecretstores", "Cluster", ("v1",)),
        ("external-secrets.io", "ClusterExternalSecret", "clusterexternalsecrets", "Cluster", ("v1",)),
        ("external-secrets.io", "PushSecret", "pushsecrets", "Namespaced", ("v1alpha1",)),
    ), "external-secrets/external-secrets@helm-chart-2.9.0 Makefile helm.generate and hack/helm.generate.sh "
       "(config/crds/bases split into deploy/charts/external-secrets/templates/crds/ under "
       "`if .Values.installCRDs` at package time); v1 served, v1beta1 not "
       "(config/crds/bases/external-secrets.io_externalsecrets.yaml)"),
}


def packaged_crds(chart: Optional[str], values: dict[str, Any]) -> list[dict[str, Any]]:
    spec = PACKAGED_CRDS.get(chart or "")
    if spec is None or values.get(spec[0], True) is False:
        return []
    out = []
    for group, kind, plural, scope, versions in spec[1]:
        if scope == "Cluster":
            CLUSTER_SCOPED.add(kind)
        out.append({"apiVersion": "apiextensions.k8s.io/v1", "kind": "CustomResourceDefinition",
                    "metadata": {"name": f"{plural}.{group}"},
                    "spec": {"group": group, "scope": scope, "names": {"kind": kind, "plural": plural},
                             "versions": [{"name": v, "served": True, "storage": i == 0}
                                          for i, v in enumerate(versions)]}})
    return out


def _hooks(doc: dict[str, Any]) -> tuple[str, ...]:
    value = ((doc.get("metadata") or {}).get("annotations") or {}).get(HOOK, "")
    return tuple(h.strip() for h in str(value).split(",") if h.strip())


def release_info(reg: Registered) -> ReleaseInfo:
    """The ReleaseInfo (chart path, values) of one registered helm.v3.Release."""
    class _One:  # release_infos takes a run; feed it this one Release
        def of_type(self, _t: str) -> list[Registered]:
            return [reg]

    return release_infos(_One())[0]


def build(run: ProgramRun, target: Optional[str] = None) -> Model:
    """The model of ``run``: nodes in registration order, each with its waits and its objects."""
    custom = {r.urn for r in run.resources if r.custom}
    nodes: dict[str, Node] = {}
    for reg in run.resources:
        if not reg.custom:
            continue
        deps = set(reg.dependencies)
        if reg.provider:
            deps.add(provider_urn(reg.provider))
        if reg.parent in custom:
            deps.add(reg.parent)
        node = Node(reg, frozenset(d for d in deps if d != reg.urn))
        if reg.type == RELEASE:
            node.release = release_info(reg)
            if node.release.path is not None:
                crds, docs = release_parts(node.release, [])
                node.objects = [Obj(d, node, "crd") for d in crds]
                for d in docs:
                    hooks = _hooks(d)
                    weight = int(((d.get("metadata") or {}).get("annotations") or {}).get(HOOK_WEIGHT) or 0)
                    node.objects.append(Obj(d, node, "hook" if hooks else "template", hooks, weight))
                node.objects += [Obj(d, node, "template") for d in packaged_crds(node.chart, node.release.values)]
        elif node.is_kubernetes:
            node.objects = [Obj(d, node, "program") for d in kubernetes_objects([reg])]
        nodes[reg.urn] = node
    _operator_objects(nodes.values())
    target = target or str(run.outputs.get("clusterTarget") or "existing")
    return Model(run.stack, target, nodes, run)


def _operator_objects(nodes: Iterable[Node]) -> None:
    """Add to each node holding a CloudNativePG Cluster or Pooler what the operator creates from it
    (tools/cnpg.py ``cluster_objects``/``pooler_objects``; the plugin sidecar from the ObjectStore the
    Cluster names). Per Kubernetes provider: a stack may talk to two clusters."""
    nodes = list(nodes)
    for cluster in {n.cluster for n in nodes}:
        docs = [o.doc for n in nodes if n.cluster == cluster for o in n.objects]
        stores = cnpg.object_stores(docs)
        clusters = {((d.get("metadata") or {}).get("namespace", ""), d["metadata"]["name"]): d for d in docs
                    if d.get("kind") == "Cluster" and d.get("apiVersion") == cnpg.CNPG_API}
        for n in nodes:
            if n.cluster != cluster:
                continue
            made: list[dict[str, Any]] = []
            for o in n.objects:
                if o.api_version != cnpg.CNPG_API:
                    continue
                if o.kind == "Cluster":
                    made += cnpg.cluster_objects(o.doc, stores)
                elif o.kind == "Pooler":
                    made += cnpg.pooler_objects(o.doc, clusters)
            n.objects += [Obj(d, n, "operator") for d in made]


def nodes_of(model: Model, urns: Iterable[str]) -> list[Node]:
    return [model.nodes[u] for u in urns if u in model.nodes]
