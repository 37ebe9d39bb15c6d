"""metrics-server: the resource metrics API (metrics.k8s.io) the HPAs' CPU/memory targets, the
guide's `kubectl top pods -n tartware-system` and the VPA recommender read.

EKS and kind/k3d do not ship it; RKE2 does (rke2-metrics-server), hence ``metricsServer: auto``.
Chart: kubernetes-sigs/metrics-server tag metrics-server-helm-chart-3.13.1, charts/metrics-server/
values.yaml (keys: args, replicas, podDisruptionBudget.enabled/minAvailable; its securityContext is
already non-root, read-only, drop ALL, seccomp RuntimeDefault).
"""

from __future__ import annotations

from typing import Optional

import pulumi
import pulumi_kubernetes as k8s

from stacks import versions
from stacks.platform_settings import PlatformSettings

from ..base import TartwareComponent
from .common import helm_release

RKE2_TARGETS = ("vsphere", "baremetal")  # Rancher-provisioned RKE2 bundles rke2-metrics-server


def wanted(p: PlatformSettings, cluster_target: str) -> bool:
    return p.metrics_server == "install" or (p.metrics_server == "auto" and cluster_target not in RKE2_TARGETS)


class MetricsServer(TartwareComponent):
    AREA = "platform"

    def __init__(self, name: str, p: PlatformSettings, provider: k8s.Provider,
                 opts: Optional[pulumi.ResourceOptions] = None):
        super().__init__(name, opts)
        # the chart's default requests (100m/200Mi, values.yaml) plus limits
        values: dict = {"replicas": 2 if p.is_prod else 1,
                        "resources": {"requests": {"cpu": "100m", "memory": "200Mi"},
                                      "limits": {"cpu": "1000m", "memory": "512Mi"}}}
        if p.is_prod:
            values["podDisruptionBudget"] = {"enabled": True, "minAvailable": 1}
        if p.metrics_server_insecure_tls:
            values["args"] = ["--kubelet-insecure-tls"]
        self.release = helm_release(self, f"{name}-release", versions.METRICS_SERVER, "metrics-server",
                                    "kube-system", values, provider)
        self.register_outputs({})
