"""metrics-server: the resource metrics API (metrics.k8s.io) the HPAs' CPU/memory targets, the
guide's `kubectl top pods -n tartware-system` and the VPA recommender read.

EKS and kind do not ship it; RKE2 (rke2-metrics-server) and k3s/k3d (a packaged component) do, and a
second one collides with theirs, hence ``metricsServer: auto`` (settings/platform.py
``metrics_server_wanted``: the target, and on an existing cluster what the cluster says,
facts/metrics_probe.py, or its kubeconfig context when it cannot be asked).
Chart: kubernetes-sigs/metrics-server tag metrics-server-helm-chart-3.13.1, charts/metrics-server/
values.yaml (keys: args, replicas, podDisruptionBudget.enabled/minAvailable; its securityContext is
already non-root, read-only, drop ALL, seccomp RuntimeDefault).
"""

from __future__ import annotations

from dataclasses import dataclass

import pulumi

from facts import versions

from ..base import TartwareComponent
from ..kit import helm_release

@dataclass(frozen=True)
class MetricsServerArgs:
    prod: bool
    insecure_tls: bool  # --kubelet-insecure-tls (kubelets with self-signed serving certificates)


class MetricsServer(TartwareComponent):
    AREA = "platform"

    def __init__(self, name: str, args: MetricsServerArgs, opts: pulumi.ResourceOptions):
        super().__init__(name, opts)
        provider = self.provider
        # the chart's default requests (100m/200Mi, values.yaml) plus limits
        values: dict = {"replicas": 2 if args.prod else 1,
                        "resources": {"requests": {"cpu": "100m", "memory": "200Mi"},
                                      "limits": {"cpu": "1000m", "memory": "512Mi"}}}
        if args.prod:
            values["podDisruptionBudget"] = {"enabled": True, "minAvailable": 1}
        if args.insecure_tls:
            values["args"] = ["--kubelet-insecure-tls"]
        self.release = helm_release(self, f"{name}-release", versions.METRICS_SERVER, "metrics-server",
                                    "kube-system", values, provider)
        self.register_outputs({})
