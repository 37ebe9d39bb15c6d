"""ingress-nginx: the Ingress controller of the guide's stack (IngressClass ``nginx``).

The project is retired: "best-effort maintenance ... until March 2026. Afterward, there will be no
further releases" (kubernetes/ingress-nginx README; kubernetes.io/blog/2025/11/11/ingress-nginx-retirement).
It is kept because the guide names it and the chart's Ingress uses it; the default API route is
the Istio gateway. Values keys: kubernetes/ingress-nginx@helm-chart-4.12.8 charts/ingress-nginx/values.yaml.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Sequence

import pulumi

from facts import versions

from ..base import TartwareComponent
from ..kit import ANYWHERE, Allow, NamespacePolicies, Peer, helm_release, namespace

NAMESPACE = "ingress-nginx"
RELEASE = "ingress-nginx"  # fullname = release (contains the chart name): Service ingress-nginx-controller
CONTROLLER_POD_LABELS = {"app.kubernetes.io/name": "ingress-nginx", "app.kubernetes.io/instance": RELEASE,
                         "app.kubernetes.io/component": "controller"}
CONTROLLER_PORTS = (80, 443)  # controller.containerPort http/https
ADMISSION_PORT = 8443  # controller.admissionWebhooks.port
METRICS_PORT = 10254


JOB_RESOURCES = {"requests": {"cpu": "10m", "memory": "32Mi"}, "limits": {"cpu": "100m", "memory": "64Mi"}}


@dataclass(frozen=True)
class IngressNginxArgs:
    prod: bool
    replicas: int
    service_type: str = "LoadBalancer"
    # what the release waits for besides its namespace: the cluster's load balancer for its
    # LoadBalancer Service, the monitoring CRDs for its ServiceMonitor (filled by the platform)
    waits_for: tuple[pulumi.Resource, ...] = ()


def ingress_nginx_values(args: IngressNginxArgs) -> dict[str, Any]:
    """``args.service_type``: LoadBalancer only where something assigns its address (the chart's
    default is LoadBalancer, values.yaml controller.service.type, and Helm's wait needs the address)."""
    n, service_type = args.replicas, args.service_type
    return {
        "controller": {
            "replicaCount": n,
            "minAvailable": 1,  # PDB only rendered when replicas > 1
            "autoscaling": {"enabled": args.prod, "minReplicas": n, "maxReplicas": max(n * 3, 6)},
            "resources": {"requests": {"cpu": "100m", "memory": "90Mi"} if not args.prod
                          else {"cpu": "500m", "memory": "512Mi"},
                          "limits": {"cpu": "500m", "memory": "256Mi"} if not args.prod
                          else {"cpu": "2000m", "memory": "1Gi"}},
            "service": {"type": service_type},
            "ingressClassResource": {"name": "nginx", "enabled": True, "default": False},
            # the admission-create/-patch hook Jobs (createSecretJob/patchWebhookJob.resources: {} by default)
            "admissionWebhooks": {"enabled": True,
                                  "createSecretJob": {"resources": JOB_RESOURCES},
                                  "patchWebhookJob": {"resources": JOB_RESOURCES}},
            # controller.metrics.serviceMonitor.enabled: the controller's :10254 metrics scraped
            "metrics": {"enabled": True, "serviceMonitor": {"enabled": True}},
        },
    }


class IngressNginx(TartwareComponent):
    AREA = "platform"

    def __init__(self, name: str, args: IngressNginxArgs, opts: pulumi.ResourceOptions):
        super().__init__(name, opts)
        provider = self.provider
        # controller and admission Jobs are restricted-compliant with chroot off (the default)
        self.namespace = namespace(f"{name}-namespace", NAMESPACE, "restricted", provider, self)
        # args.waits_for: the CRDs of its ServiceMonitor (controller.metrics.serviceMonitor) and, for a
        # LoadBalancer Service, what gives it an address (Helm's --wait needs one)
        self.release = helm_release(self, f"{name}-release", versions.INGRESS_NGINX, RELEASE, NAMESPACE,
                                    ingress_nginx_values(args), provider, [self.namespace, *args.waits_for])
        self.register_outputs({"namespace": NAMESPACE})

    def network_policies(self, prometheus: Sequence[Peer]) -> NamespacePolicies:
        """ingress-nginx's allows: the controller's clients and the API server to its admission webhook,
        Prometheus."""
        return NamespacePolicies(NAMESPACE, (
            Allow("allow-controller", CONTROLLER_POD_LABELS, [ANYWHERE], (*CONTROLLER_PORTS, ADMISSION_PORT)),
            Allow("allow-prometheus", {}, prometheus),
        ), (self.namespace,))
