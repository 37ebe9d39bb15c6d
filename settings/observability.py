"""Observability settings: metrics, logs, traces and the custom-metrics adapter.

The observability area. kube-prometheus-stack is always installed (its CRDs
carry every ServiceMonitor/PrometheusRule of the platform); Loki, Jaeger and prometheus-adapter
can be switched off with ``observabilityComponents``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any, Mapping, Optional

from pydantic import Field

from .data import GI, MI, ContainerSizing, check_volume, resolve, validate_with_components
from .errors import key
from .observability_workloads import memory_pool_pods, overhead
from .quantities import Memory
from .schema import BuildContext, MemQ, Setting, SettingsModel, env_defaults

NAME = "observability"

COMPONENTS = ("loki", "jaeger", "prometheusAdapter")

DECLARED: tuple[Setting, ...] = (
    Setting("prometheusReplicas", "integer", "Prometheus replicas (1-5).", per_env=(1, 2)),
    Setting("prometheusRetention", "string", "How long Prometheus keeps samples, e.g. 15d or 48h (1h-365d).",
            per_env=("2d", "15d"), example="a duration such as '15d', '48h' or '2w'"),
    Setting("prometheusStorageSize", "string", "PVC size of each Prometheus replica (1Gi-16Ti).",
            per_env=("10Gi", "200Gi")),
    Setting("alertmanagerReplicas", "integer", "Alertmanager replicas (1-5).", per_env=(1, 3)),
    Setting("lokiStorageSize", "string", "PVC size of Loki (1Gi-16Ti).", per_env=("10Gi", "200Gi")),
    Setting("observabilityStorageClass", "string",
            "StorageClass of the observability PVCs; empty = the cluster's default class.", "",
            example="a lower-case StorageClass name such as 'gp3', or empty for the cluster default"),
)
OBJECT_SETTINGS: tuple[str, ...] = ("observabilityComponents",)


class ObservabilityComponentsInput(SettingsModel):
    loki: bool = True
    jaeger: bool = True
    prometheus_adapter: bool = True


class ObservabilityInput(SettingsModel):
    prometheus_replicas: Optional[Annotated[int, Field(ge=1, le=5)]] = None
    prometheus_retention: Optional[Annotated[str, Field(pattern=r"^[1-9]\d{0,3}[hdw]$")]] = None
    prometheus_storage_size: Optional[MemQ] = None
    alertmanager_replicas: Optional[Annotated[int, Field(ge=1, le=5)]] = None
    loki_storage_size: Optional[MemQ] = None
    observability_storage_class: Annotated[str, Field(pattern=r"^([a-z0-9]([a-z0-9.-]{0,251}[a-z0-9])?)?$")] = ""
    observability_components: ObservabilityComponentsInput = Field(default_factory=ObservabilityComponentsInput)


DEFAULTS = env_defaults(DECLARED)  # input field -> (dev, prod)

SIZES: dict[str, dict[str, ContainerSizing]] = {
    "dev": {
        "prometheus": ContainerSizing(200, 1 * GI, 1000, 2 * GI),
        "alertmanager": ContainerSizing(25, 64 * MI, 100, 128 * MI),
        "grafana": ContainerSizing(100, 256 * MI, 500, 512 * MI),
        "grafana-sidecar": ContainerSizing(25, 64 * MI, 100, 128 * MI),  # dashboards + datasources sidecars, each
        "operator": ContainerSizing(50, 128 * MI, 200, 256 * MI),
        "kube-state-metrics": ContainerSizing(50, 128 * MI, 200, 256 * MI),
        "node-exporter": ContainerSizing(25, 32 * MI, 100, 64 * MI),
        "adapter": ContainerSizing(50, 128 * MI, 250, 256 * MI),
        "jaeger": ContainerSizing(100, 256 * MI, 500, 1 * GI),
        "loki": ContainerSizing(100, 256 * MI, 1000, 1 * GI),
        "alloy": ContainerSizing(50, 128 * MI, 250, 512 * MI),
        # prometheus-operator's config-reloader sidecar + init container (Prometheus, Alertmanager),
        # Alloy's config-reloader, Loki's rules sidecar (loki-sc-rules), the admission-webhook Jobs
        "config-reloader": ContainerSizing(10, 50 * MI, 100, 64 * MI),  # alloy chart default requests 10m/50Mi
        "loki-sidecar": ContainerSizing(10, 64 * MI, 100, 128 * MI),
        "admission-job": ContainerSizing(10, 32 * MI, 100, 64 * MI),
    },
    "prod": {
        "prometheus": ContainerSizing(2000, 8 * GI, 4000, 16 * GI),
        "alertmanager": ContainerSizing(50, 128 * MI, 200, 256 * MI),
        "grafana": ContainerSizing(250, 512 * MI, 1000, 1 * GI),
        "grafana-sidecar": ContainerSizing(50, 64 * MI, 200, 128 * MI),
        "operator": ContainerSizing(100, 256 * MI, 500, 512 * MI),
        "kube-state-metrics": ContainerSizing(100, 256 * MI, 500, 512 * MI),
        "node-exporter": ContainerSizing(50, 64 * MI, 200, 128 * MI),
        "adapter": ContainerSizing(100, 256 * MI, 500, 512 * MI),
        "jaeger": ContainerSizing(500, 2 * GI, 2000, 4 * GI),
        "loki": ContainerSizing(1000, 4 * GI, 2000, 8 * GI),
        "alloy": ContainerSizing(200, 512 * MI, 1000, 1 * GI),
        "config-reloader": ContainerSizing(20, 50 * MI, 200, 128 * MI),
        "loki-sidecar": ContainerSizing(20, 64 * MI, 200, 128 * MI),
        "admission-job": ContainerSizing(10, 32 * MI, 100, 64 * MI),
    },
}


# Pods metrics the prometheus-adapter serves (its rules: components/platform/observability_values.py).
HTTP_RPS = "http_requests_per_second"
HTTP_P95 = "http_request_duration_p95"


@dataclass(frozen=True)
class ObservabilitySettings:
    environment: str
    loki: bool
    jaeger: bool
    prometheus_adapter: bool
    prometheus_replicas: int
    prometheus_retention: str
    prometheus_storage: Memory
    alertmanager_replicas: int
    loki_storage: Memory
    storage_class: str = ""

    @property
    def is_prod(self) -> bool:
        return self.environment == "prod"

    @property
    def custom_metrics(self) -> tuple[str, ...]:
        """The Pods metrics an HPA may scale on: what the adapter serves (nothing when it is off)."""
        return (HTTP_RPS, HTTP_P95) if self.prometheus_adapter else ()

    def size(self, container: str) -> ContainerSizing:
        return SIZES[self.environment][container]

    def memory_pool_pods(self) -> list[tuple[str, int, int, int]]:
        """(what, count, millicores, bytes per pod) pinned to the memory pool when the cluster has one:
        Prometheus and Loki with their sidecars (settings/observability_workloads.py MEMORY_POOL)."""
        return memory_pool_pods(self)

    def fixed_overhead(self) -> tuple[int, int]:
        """(millicores, bytes) requested by every Deployment/StatefulSet pod the observability releases
        run, replicas counted: the pods of settings/observability_workloads.py, whose table the charts'
        values are sized from too. The node-exporter DaemonSet scales with the node count: see
        ``per_node_overhead``."""
        return overhead(self, per_node=False)

    def per_node_overhead(self) -> tuple[int, int]:
        """(millicores, bytes) requested on every node (the node-exporter DaemonSet)."""
        return overhead(self, per_node=True)

    @property
    def retention_hours(self) -> int:
        n, unit = int(self.prometheus_retention[:-1]), self.prometheus_retention[-1]
        return n * {"h": 1, "d": 24, "w": 168}[unit]


def build(raw: Mapping[str, Any], ctx: BuildContext) -> Optional[ObservabilitySettings]:
    inp = validate_with_components(ObservabilityInput, raw, ctx, "observabilityComponents", COMPONENTS)
    if inp is None:
        return None
    resolved = resolve(inp, DEFAULTS, ctx.is_prod)
    check_volume(ctx.problems, "prometheusStorageSize", resolved["prometheus_storage_size"])
    check_volume(ctx.problems, "lokiStorageSize", resolved["loki_storage_size"])
    settings = ObservabilitySettings(
        environment="prod" if ctx.is_prod else "dev",
        loki=inp.observability_components.loki,
        jaeger=inp.observability_components.jaeger,
        prometheus_adapter=inp.observability_components.prometheus_adapter,
        prometheus_replicas=resolved["prometheus_replicas"],
        prometheus_retention=resolved["prometheus_retention"],
        prometheus_storage=resolved["prometheus_storage_size"],
        alertmanager_replicas=resolved["alertmanager_replicas"],
        loki_storage=resolved["loki_storage_size"],
        storage_class=inp.observability_storage_class,
    )
    if settings.retention_hours > 365 * 24:
        ctx.problems.add(key("prometheusRetention"), "retention out of range; allowed: 1h to 365d",
                         settings.prometheus_retention)
    return settings
