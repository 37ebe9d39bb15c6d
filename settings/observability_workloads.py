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

from facts.endpoints import JAEGER_RELEASE, OBSERVABILITY_NAMESPACE

from . import workloads
from .workloads import (  # noqa: F401  (the vocabulary of the table, settings/workloads.py)
    Container,
    Path,
    Release,
    Replicas,
    Settings,
    Sizing,
    count,
    installed,
    pod_request,
    release_values,
    with_workloads,
)

KPS_RELEASE = "kube-prometheus-stack"
ADAPTER_RELEASE = "prometheus-adapter"
LOKI_RELEASE = "loki"
ALLOY_RELEASE = "alloy"
# node-exporter needs hostNetwork/hostPID/hostPath: its own privileged namespace
NODE_EXPORTER_NAMESPACE = "node-exporter"


@dataclass(frozen=True)
class Workload(workloads.Workload):
    """A workload of settings/workloads.py, in the observability namespace unless it says otherwise."""

    namespace: str = OBSERVABILITY_NAMESPACE


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
# The pods pinned to the memory pool when the cluster has one (components/platform/observability_values.py
# Placement: prometheus.prometheusSpec and singleBinary), with their sidecars; checked against the render
# by tools/conformance/workloads.py ``memory_pool_violations``.
MEMORY_POOL: tuple[workloads.MemoryPoolEntry, ...] = (
    ("prometheus", KUBE_PROMETHEUS_STACK, "Prometheus", f"{KPS_RELEASE}-prometheus"),
    ("loki", LOKI, "StatefulSet", LOKI_RELEASE),
)


def overhead(s: Settings, per_node: bool, releases: tuple[Release, ...] = RELEASES) -> tuple[int, int]:
    """(millicores, bytes) the installed releases' long-running pods request (settings/workloads.py
    ``overhead``): in total, replicas counted, or on every node, one pod of each DaemonSet."""
    return workloads.overhead(s, per_node, releases)


def memory_pool_pods(s: Settings) -> list[tuple[str, int, int, int]]:
    """(what, count, millicores, bytes per pod) of the installed ``MEMORY_POOL`` workloads."""
    return workloads.memory_pool_pods(s, MEMORY_POOL)
