"""The whole system one stack sends to Kubernetes: every Helm release rendered from its chart
source, every object the program registers directly, and what the CloudNativePG operator creates
from the program's Clusters and Poolers (tools/cnpg.py: the database's pods, Services and claims
exist only through it).

For each ``helm.v3.Release`` the program registers, the chart is taken from the repository (our
own ``charts/tartware``; third-party charts from ``charts/vendor/<chart>-<version>/`` at exactly the
pinned version) and rendered with helm-python-sdk with the values, release name and namespace the
Release sends, as ``helm install`` would (``is_install=True``). CRDs from ``crds/`` directories are
added (Helm creates them before the templates). Objects without a namespace get the release's,
as Helm's client does when it applies them. Test hooks (``helm.sh/hook: test``) are left out: only
``helm test`` creates them.

A release whose chart is not in the repository is NOT silently dropped: it is listed in
``SystemRender.skipped`` with the reason, printed by ``python -m tools.render --all``, and the
conformance tests report it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Optional


from tools import cnpg
from tools.manifests import CHART, ROOT, chart_crds, kubernetes_objects, render_chart
from tools.charts import chart_name, vendored_chart
from tools.offline import recorded_run

RELEASE_TYPE = "kubernetes:helm.sh/v3:Release"
PROGRAM = "program"  # origin of the objects the program registers directly

# Kinds that have no namespace (Kubernetes API discovery, built-in groups)
CLUSTER_SCOPED = {
    "Namespace", "Node", "PersistentVolume", "ClusterRole", "ClusterRoleBinding", "CustomResourceDefinition",
    "StorageClass", "PriorityClass", "MutatingWebhookConfiguration", "ValidatingWebhookConfiguration",
    "ValidatingAdmissionPolicy", "ValidatingAdmissionPolicyBinding", "APIService", "IngressClass",
    "RuntimeClass", "CSIDriver", "CSINode", "VolumeAttachment", "CertificateSigningRequest",
    "FlowSchema", "PriorityLevelConfiguration",
}


@dataclass
class Item:
    doc: dict[str, Any]
    origin: str  # "program" or "release:<release name>"

    @property
    def kind(self) -> str:
        return self.doc.get("kind", "")

    @property
    def name(self) -> str:
        return (self.doc.get("metadata") or {}).get("name", "")

    @property
    def namespace(self) -> Optional[str]:
        return (self.doc.get("metadata") or {}).get("namespace")

    @property
    def key(self) -> str:
        ns = self.namespace
        return f"{self.kind} {ns + '/' if ns else ''}{self.name}"


@dataclass
class ReleaseInfo:
    name: str
    namespace: str
    chart: str
    version: Optional[str]
    path: Optional[Path]
    values: dict[str, Any]


@dataclass
class SystemRender:
    stack: str
    items: list[Item] = field(default_factory=list)
    releases: list[ReleaseInfo] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (release, reason)
    # (release, Helm's message): the chart's values.schema.json refuses the values, so `helm install`
    # would fail; the release is still rendered (schema not applied) so the other checks see it
    schema_errors: list[tuple[str, str]] = field(default_factory=list)

    @property
    def docs(self) -> list[dict[str, Any]]:
        return [i.doc for i in self.items]

    def of_kind(self, *kinds: str) -> list[Item]:
        return [i for i in self.items if i.kind in kinds]

    def find(self, kind: str, name: str, namespace: Optional[str] = None) -> Optional[Item]:
        for i in self.items:
            if i.kind == kind and i.name == name and (namespace is None or i.namespace == namespace):
                return i
        return None


def vendored_path(chart: str, version: Optional[str]) -> tuple[Optional[Path], str]:
    """The chart directory for a Release's ``chart``/``version`` (our own chart, or its vendored copy
    under charts/vendor/), or None and why not."""
    if chart.startswith(("./", "/")):
        path = (ROOT / chart).resolve()
        return (path, "") if (path / "Chart.yaml").exists() else (None, f"local chart {chart} has no Chart.yaml")
    try:
        return vendored_chart(chart_name(chart), str(version)), ""
    except KeyError as exc:
        return None, str(exc.args[0])


def _is_test_hook(doc: dict[str, Any]) -> bool:
    hooks = ((doc.get("metadata") or {}).get("annotations") or {}).get("helm.sh/hook", "")
    return any(h.strip() in ("test", "test-success", "test-failure") for h in str(hooks).split(","))


_UNCHECKED: dict[Path, Path] = {}


def without_schema(chart: Path) -> Path:
    """A temporary copy of ``chart`` without values.schema.json files (one per chart and process)."""
    import shutil
    import tempfile

    if chart not in _UNCHECKED:
        import atexit

        top = tempfile.mkdtemp(prefix="tartware-chart-")
        atexit.register(shutil.rmtree, top, True)
        tmp = Path(top) / chart.name
        shutil.copytree(chart, tmp)
        for schema in tmp.rglob("values.schema.json"):
            schema.unlink()
        _UNCHECKED[chart] = tmp
    return _UNCHECKED[chart]


# helm-python-sdk cannot be given the cluster's API versions, so `.Capabilities.APIVersions.Has`
# answers from Helm's built-in list, which lacks these (a real cluster >= 1.25 serves them). The
# templates below choose between two apiVersions and nothing else, so the branch a real install
# takes is restored here: consul-1.9.11 templates/server-disruptionbudget.yaml ("policy/v1/
# PodDisruptionBudget"), prometheus-adapter-5.3.0 templates/*-apiservice.yaml ("apiregistration.k8s.io/v1").
# (apiVersion, kind) of a rendered document (either may be missing) -> the apiVersion served instead
CAPABILITY_BRANCHES: dict[tuple[Optional[str], Optional[str]], str] = {
    ("policy/v1beta1", "PodDisruptionBudget"): "policy/v1",
    ("apiregistration.k8s.io/v1beta1", "APIService"): "apiregistration.k8s.io/v1"}


def render_release(info: ReleaseInfo, schema_errors: Optional[list] = None) -> list[dict[str, Any]]:
    """Every object ``helm install`` would create for ``info``: its ``crds/`` CRDs, then its templates."""
    crds, docs = release_parts(info, schema_errors)
    return crds + docs


# (chart directory, values as JSON, release name, namespace) -> (crds, templates, schema error or None).
# Stacks share most releases value for value (prod and the target examples), so each distinct release
# is rendered once per process; callers read the documents, never change them.
_RENDERS: dict[tuple[str, str, str, str], tuple[list[dict[str, Any]], list[dict[str, Any]], Optional[str]]] = {}


def release_parts(info: ReleaseInfo, schema_errors: Optional[list] = None
                  ) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """(the CRDs of the chart's ``crds/`` directories, the rendered templates with hooks): Helm creates
    the first before it renders and applies the second (helm/helm@v3.20.2 pkg/action/install.go
    ``installCRDs``)."""
    import json

    assert info.path is not None
    key = (str(info.path), json.dumps(info.values, sort_keys=True, default=str), info.name, info.namespace)
    if key not in _RENDERS:
        _RENDERS[key] = _render_parts(info)
    crds, docs, error = _RENDERS[key]
    if error is not None:
        if schema_errors is None:
            import helm_python

            raise helm_python.errors.HelmValuesError(error)
        schema_errors.append((info.name, error))
    return crds, docs


def _render_parts(info: ReleaseInfo) -> tuple[list[dict[str, Any]], list[dict[str, Any]], Optional[str]]:
    import helm_python

    assert info.path is not None
    error: Optional[str] = None
    try:
        rendered = render_chart(info.values, name=info.name, namespace=info.namespace, chart=info.path)
    except helm_python.errors.HelmValuesError as exc:
        error = str(exc)
        rendered = render_chart(info.values, name=info.name, namespace=info.namespace, chart=without_schema(info.path))
    docs = [d for d in rendered if not _is_test_hook(d)]
    crds = chart_crds(info.path, info.values)
    for crd in crds + [d for d in docs if d.get("kind") == "CustomResourceDefinition"]:
        if (crd.get("spec") or {}).get("scope") == "Cluster":
            CLUSTER_SCOPED.add(crd["spec"]["names"]["kind"])
    for doc in docs:
        upgraded = CAPABILITY_BRANCHES.get((doc.get("apiVersion"), doc.get("kind")))
        if upgraded:
            doc["apiVersion"] = upgraded
        meta = doc.setdefault("metadata", {})
        if doc.get("kind") not in CLUSTER_SCOPED and not meta.get("namespace"):
            meta["namespace"] = info.namespace
    return crds, docs, error


def release_infos(run: Any) -> list[ReleaseInfo]:
    infos = []
    for r in sorted(run.of_type(RELEASE_TYPE), key=lambda r: (r.plain.get("namespace") or "", r.plain["name"])):
        p = r.plain
        path, _ = vendored_path(p["chart"], p.get("version"))
        infos.append(ReleaseInfo(p["name"], p.get("namespace") or "default", p["chart"], p.get("version"), path,
                                 p.get("values") or {}))
    return infos


def render_system(run: Any) -> SystemRender:
    """Every release (from its chart source) and every directly registered object of ``run``."""
    out = SystemRender(stack=run.stack)
    for info in release_infos(run):
        out.releases.append(info)
        if info.path is None:
            out.skipped.append((info.name, vendored_path(info.chart, info.version)[1]))
            continue
        out.items.extend(Item(d, f"release:{info.name}") for d in render_release(info, out.schema_errors))
    out.items.extend(Item(d, PROGRAM) for d in kubernetes_objects(run.resources))
    # what CloudNativePG creates from the Clusters and Poolers above (its pods, Services, claims)
    out.items.extend(Item(d, cnpg.OPERATOR) for d in cnpg.operator_objects(out.docs))
    return out


def program_system(run: Any) -> SystemRender:
    """The objects ``run`` registers directly, with its releases listed but not rendered (cheap: for
    checks that read the program's own objects and the releases' values, such as tools/conformance/access.py)."""
    out = SystemRender(stack=run.stack, releases=release_infos(run))
    out.items.extend(Item(d, PROGRAM) for d in kubernetes_objects(run.resources))
    return out


_SYSTEMS: dict[str, SystemRender] = {}


def system_of(stack: str) -> SystemRender:
    """The whole system of ``stack`` as configured, rendered once per process from
    ``tools.offline.recorded_run`` (the tests' session cache and ``tools.render --all``)."""
    if stack not in _SYSTEMS:
        _SYSTEMS[stack] = render_system(recorded_run(stack))
    return _SYSTEMS[stack]


def skipped_report(system: SystemRender) -> list[str]:
    return ([f"release {name!r} NOT rendered: {reason}" for name, reason in system.skipped]
            + [f"release {name!r}: its chart's values.schema.json refuses the values (helm install would fail): "
               f"{msg.splitlines()[-1].strip()}" for name, msg in system.schema_errors])


def containers_of(spec: dict[str, Any]) -> Iterable[dict[str, Any]]:
    for key in ("initContainers", "containers", "ephemeralContainers"):
        yield from spec.get(key) or []


__all__ = ["CHART", "Item", "SystemRender", "render_system", "vendored_path", "skipped_report", "containers_of"]
