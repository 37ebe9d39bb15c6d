"""The pods each observability Helm release runs, declared once.

Every workload (Deployment, StatefulSet, DaemonSet, the operator's Prometheus and Alertmanager, the
hook Jobs) of kube-prometheus-stack, prometheus-adapter, Jaeger, Loki and Alloy, with its containers
(each one's size in ``observability_settings.SIZES`` and where the chart's values set its
resources), its replica count and where the values set it. From this table come both

* the resources and replica counts in the charts' values (``release_values``, merged by the values
  functions of components/platform/observability_values.py), and
* what the capacity check adds for observability (``overhead``: ``ObservabilitySettings.fixed_overhead``
  and ``per_node_overhead``).

tools/conformance/workloads.py checks the table against the charts rendered at their pins: every pod
a release renders is here, with its containers, sizes and replica count (tests/test_conformance.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Optional, Protocol, Union

from facts.endpoints import JAEGER_RELEASE, OBSERVABILITY_NAMESPACE

KPS_RELEASE = "kube-prometheus-stack"
ADAPTER_RELEASE = "prometheus-adapter"
LOKI_RELEASE = "loki"
ALLOY_RELEASE = "alloy"
# node-exporter needs hostNetwork/hostPID/hostPath: its own privileged namespace
NODE_EXPORTER_NAMESPACE = "node-exporter"

Path = tuple[str, ...]
# A replica count: a fixed number, (dev, prod), or the name of the ObservabilitySettings field that holds it.
Replicas = Union[int, tuple[int, int], str]


class Sizing(Protocol):
    @property
    def cpu_request(self) -> int: ...

    @property
    def memory_request(self) -> int: ...

    def k8s(self) -> dict[str, dict[str, str]]: ...


class Settings(Protocol):
    """What the table reads of ``ObservabilitySettings`` (flags and replica fields by name)."""

    @property
    def is_prod(self) -> bool: ...

    def size(self, container: str) -> Sizing: ...


@dataclass(frozen=True)
class Container:
    name: str  # the container's name in the rendered pod
    size: str  # its key in observability_settings.SIZES
    values: Path  # where the release's values set its resources
    init: bool = False  # an init container: runs before the others, so it adds nothing to the pod's request


@dataclass(frozen=True)
class Workload:
    kind: str  # Deployment, StatefulSet, DaemonSet, Job, or the operator's Prometheus / Alertmanager
    name: str
    containers: tuple[Container, ...]
    replicas: Replicas = 1
    replicas_at: Optional[Path] = None  # where the values set the count; None: the chart's default, one
    namespace: str = OBSERVABILITY_NAMESPACE

    @property
    def owner(self) -> str:
        """How tools/conformance/pods.py names the pod's owner: ``Deployment observability/jaeger``."""
        return f"{self.kind} {self.namespace}/{self.name}"

    @property
    def per_node(self) -> bool:
        return self.kind == "DaemonSet"

    @property
    def long_running(self) -> bool:
        return self.kind != "Job"


@dataclass(frozen=True)
class Release:
    name: str
    enabled: Optional[str]  # the ObservabilitySettings flag that installs it; None: always installed
    workloads: tuple[Workload, ...]


# kube-prometheus-stack at its pin (facts/versions.py; values.yaml): object names from its templates
# with the release's fullname. prometheusOperator.prometheusConfigReloader.resources becomes the
# operator's --config-reloader-{cpu,memory}-{request,limit} flags (templates/prometheus-operator/
# deployment.yaml), which size the config-reloader sidecar and init container of every Prometheus and
# Alertmanager pod (tools/conformance/pods.py, from prometheus-operator's pkg/operator/config_reloader.go);
# admissionWebhooks.patch.resources the admission-create and admission-patch hook Jobs
# (templates/prometheus-operator/admission-webhooks/job-patch/job-{createSecret,patchWebhook}.yaml);
# the grafana subchart's sidecar.resources both its dashboards and datasources sidecars.
_RELOADER = ("prometheusOperator", "prometheusConfigReloader", "resources")
_ADMISSION = ("prometheusOperator", "admissionWebhooks", "patch", "resources")
KUBE_PROMETHEUS_STACK = Release(KPS_RELEASE, None, (
    Workload("Prometheus", f"{KPS_RELEASE}-prometheus", (
        Container("prometheus", "prometheus", ("prometheus", "prometheusSpec", "resources")),
        Container("config-reloader", "config-reloader", _RELOADER),
        Container("init-config-reloader", "config-reloader", _RELOADER, init=True),
    ), "prometheus_replicas", ("prometheus", "prometheusSpec", "replicas")),
    Workload("Alertmanager", f"{KPS_RELEASE}-alertmanager", (
        Container("alertmanager", "alertmanager", ("alertmanager", "alertmanagerSpec", "resources")),
        Container("config-reloader", "config-reloader", _RELOADER),
        Container("init-config-reloader", "config-reloader", _RELOADER, init=True),
    ), "alertmanager_replicas", ("alertmanager", "alertmanagerSpec", "replicas")),
    Workload("Deployment", f"{KPS_RELEASE}-grafana", (
        Container("grafana-sc-dashboard", "grafana-sidecar", ("grafana", "sidecar", "resources")),
        Container("grafana-sc-datasources", "grafana-sidecar", ("grafana", "sidecar", "resources")),
        Container("grafana", "grafana", ("grafana", "resources")),
    )),
    Workload("Deployment", f"{KPS_RELEASE}-operator", (
        Container(KPS_RELEASE, "operator", ("prometheusOperator", "resources")),
    )),
    Workload("Deployment", f"{KPS_RELEASE}-kube-state-metrics", (
        Container("kube-state-metrics", "kube-state-metrics", ("kube-state-metrics", "resources")),
    )),
    Workload("DaemonSet", f"{KPS_RELEASE}-prometheus-node-exporter", (
        Container("node-exporter", "node-exporter", ("prometheus-node-exporter", "resources")),
    ), namespace=NODE_EXPORTER_NAMESPACE),
    Workload("Job", f"{KPS_RELEASE}-admission-create", (Container("create", "admission-job", _ADMISSION),)),
    Workload("Job", f"{KPS_RELEASE}-admission-patch", (Container("patch", "admission-job", _ADMISSION),)),
))
PROMETHEUS_ADAPTER = Release(ADAPTER_RELEASE, "prometheus_adapter", (
    Workload("Deployment", ADAPTER_RELEASE, (Container("prometheus-adapter", "adapter", ("resources",)),),
             (1, 2), ("replicas",)),
))
JAEGER = Release(JAEGER_RELEASE, "jaeger", (
    # one replica: the in-memory store is per pod, more replicas would split traces
    Workload("Deployment", JAEGER_RELEASE, (Container("jaeger", "jaeger", ("jaeger", "resources")),),
             1, ("jaeger", "replicas")),
))
# Loki SingleBinary; loki-sc-rules is its rules sidecar (sidecar.resources, grafana/loki@helm-loki-6.55.0
# values.yaml)
LOKI = Release(LOKI_RELEASE, "loki", (
    Workload("StatefulSet", LOKI_RELEASE, (
        Container("loki", "loki", ("singleBinary", "resources")),
        Container("loki-sc-rules", "loki-sidecar", ("sidecar", "resources")),
    ), 1, ("singleBinary", "replicas")),
))
# Alloy as a Deployment; configReloader.resources (grafana/alloy@helm-chart/1.11.1 values.yaml)
ALLOY = Release(ALLOY_RELEASE, "loki", (
    Workload("Deployment", ALLOY_RELEASE, (
        Container("alloy", "alloy", ("alloy", "resources")),
        Container("config-reloader", "config-reloader", ("configReloader", "resources")),
    ), (1, 2), ("controller", "replicas")),
))
RELEASES: tuple[Release, ...] = (KUBE_PROMETHEUS_STACK, PROMETHEUS_ADAPTER, JAEGER, LOKI, ALLOY)


def installed(release: Release, s: Settings) -> bool:
    return release.enabled is None or bool(getattr(s, release.enabled))


def count(workload: Workload, s: Settings) -> int:
    """The workload's replicas for these settings (a DaemonSet: one, on every node)."""
    r = workload.replicas
    if isinstance(r, str):
        return int(getattr(s, r))
    if isinstance(r, tuple):
        return r[1 if s.is_prod else 0]
    return r


def pod_request(workload: Workload, s: Settings) -> tuple[int, int]:
    """(millicores, bytes) one pod requests: its containers' sum, or its largest init container if
    that is more (kubernetes.io/docs/concepts/workloads/pods/init-containers/#resource-sharing-within-containers)."""
    main = [s.size(c.size) for c in workload.containers if not c.init]
    init = [s.size(c.size) for c in workload.containers if c.init]
    return (max(sum(z.cpu_request for z in main), max((z.cpu_request for z in init), default=0)),
            max(sum(z.memory_request for z in main), max((z.memory_request for z in init), default=0)))


def overhead(s: Settings, per_node: bool, releases: tuple[Release, ...] = RELEASES) -> tuple[int, int]:
    """(millicores, bytes) the installed releases' long-running pods request: in total, replicas
    counted (``per_node=False``), or on every node, one pod of each DaemonSet (``per_node=True``)."""
    cpu = mem = 0
    for release in releases:
        if not installed(release, s):
            continue
        for w in release.workloads:
            if w.long_running and w.per_node == per_node:
                n = 1 if w.per_node else count(w, s)
                c, m = pod_request(w, s)
                cpu, mem = cpu + n * c, mem + n * m
    return cpu, mem


def release_values(release: Release, s: Settings) -> dict[str, Any]:
    """The values that size ``release``'s pods: each container's resources and each declared replica
    count at its path. Two containers that share a path must share a size."""
    out: dict[str, Any] = {}
    for w in release.workloads:
        for c in w.containers:
            _put(out, c.values, s.size(c.size).k8s(), f"{w.owner} container {c.name}")
        if w.replicas_at is not None:
            _put(out, w.replicas_at, count(w, s), f"{w.owner} replicas")
    return out


def with_workloads(values: dict[str, Any], release: Release, s: Settings) -> dict[str, Any]:
    """``values`` with ``release_values`` merged in; a path the values already set is an error (the
    table is the one place these are written)."""
    def merge(into: dict[str, Any], extra: dict[str, Any], path: Path) -> None:
        for k, v in extra.items():
            if isinstance(v, dict) and isinstance(into.get(k), dict) and not _is_leaf(v):
                merge(into[k], v, (*path, k))
            elif k in into:
                raise ValueError(f"release {release.name}: values set {'.'.join((*path, k))}, "
                                 "which settings/observability_workloads.py sets")
            else:
                into[k] = v
    merge(values, release_values(release, s), ())
    return values


def _is_leaf(v: dict[str, Any]) -> bool:
    return set(v) <= {"requests", "limits"}


def _put(tree: dict[str, Any], path: Path, value: Any, what: str) -> None:
    *parents, leaf = path
    for p in parents:
        tree = tree.setdefault(p, {})
    if leaf in tree and tree[leaf] != value:
        raise ValueError(f"{what}: {'.'.join(path)} is set to {tree[leaf]!r} by another entry, not {value!r}")
    tree[leaf] = value
