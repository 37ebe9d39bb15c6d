"""Istio: base (CRDs), istio-cni, istiod, the istio-ingressgateway, the Gateway and its routes.

Names are the guide's: release ``istio-ingressgateway`` in ``istio-system`` gives the Service
``istio-ingressgateway`` (gateway chart helper ``gateway.name`` = release name) with pod labels
``app: istio-ingressgateway`` and ``istio: ingressgateway`` (istio/istio@1.22.8
manifests/charts/gateway/templates/_helpers.tpl), which the ``Gateway`` selects.

Values keys: istio/istio@1.22.8 manifests/charts/{base,istio-control/istio-discovery,gateway,istio-cni}
/values.yaml (users set keys at top level; the chart merges them over its ``defaults:``). From 1.24
istiod reads ``autoscaleMin`` ... and the cni chart ``cniBinDir`` ... at top level instead of
``pilot.*`` / ``cni.*`` (istio/istio@1.29.6, same files): ``IstioLine.flat_values``.
"""

from __future__ import annotations

from typing import Any, Optional

import pulumi
import pulumi_kubernetes as k8s

from stacks import versions
from stacks.platform_settings import PlatformSettings

from ..base import TartwareComponent
from .common import custom_resource, helm_release
from .namespaces import namespace

NAMESPACE = "istio-system"
CNI_NAMESPACE = "kube-system"  # node-level, privileged DaemonSet: kept out of istio-system (see docs/platform.md)
GATEWAY_RELEASE = "istio-ingressgateway"  # the Service the guide reads: kubectl get svc -n istio-system istio-ingressgateway
GATEWAY_POD_LABELS = {"app": "istio-ingressgateway", "istio": "ingressgateway"}
ISTIOD_POD_LABELS = {"app": "istiod", "istio": "pilot"}
ISTIOD_PORTS = (15010, 15012)  # xDS plain/mTLS the sidecars dial
ISTIOD_WEBHOOK_PORT = 15017  # Service istiod:443 -> 15017 (injection + validation webhooks)
GATEWAY_PORTS = (80, 443, 15021)  # gateway chart service.ports targetPorts (status-port 15021)
GATEWAY_NAME = "tartware-gateway"
GATEWAY_TLS_SECRET = "tartware-gateway-tls"
NETWORKING = "networking.istio.io/v1beta1"  # served by 1.22 and 1.29


def _nest(flat: bool, key: str, values: dict[str, Any]) -> dict[str, Any]:
    return dict(values) if flat else {key: dict(values)}


def istiod_values(p: PlatformSettings, version: str,
                  tracing: Optional[tuple[str, int]] = None) -> dict[str, Any]:
    line = versions.ISTIO_LINES[version]
    autoscale = p.istiod_max_replicas > p.istiod_min_replicas
    pilot = {
        "autoscaleEnabled": autoscale,
        "autoscaleMin": p.istiod_min_replicas,
        "autoscaleMax": p.istiod_max_replicas,
        "replicaCount": p.istiod_min_replicas,
        "resources": {"requests": {"cpu": "500m", "memory": "2048Mi"} if p.is_prod
                      else {"cpu": "100m", "memory": "256Mi"},
                      "limits": {"cpu": "2000m", "memory": "4Gi"} if p.is_prod
                      else {"cpu": "1000m", "memory": "1Gi"}},
        "seccompProfile": {"type": "RuntimeDefault"},
        "cni": {"enabled": p.istio_cni},
    }
    return {
        **_nest(line.flat_values, "pilot", pilot),
        "global": {
            "proxy": {"resources": {
                "requests": {"cpu": p.sidecar_request.cpu, "memory": p.sidecar_request.memory},
                "limits": {"cpu": p.sidecar_limit.cpu, "memory": p.sidecar_limit.memory},
            }},
            # A PDB with one istiod replica would block every node drain in dev.
            "defaultPodDisruptionBudget": {"enabled": p.istiod_min_replicas > 1},
        },
        # mergeOverwrite(generated mesh, meshConfig): any MeshConfig field. Prometheus merge lets an
        # unmeshed Prometheus scrape app metrics on :15020 despite STRICT mTLS.
        "meshConfig": {"enablePrometheusMerge": True, "accessLogFile": "/dev/stdout", **_tracing(tracing)},
    }


def _tracing(tracing: Optional[tuple[str, int]]) -> dict[str, Any]:
    """OpenTelemetry (OTLP gRPC) to the collector: pattern of istio@1.22.8 samples/open-telemetry/tracing."""
    if tracing is None:
        return {}
    host, port = tracing
    return {
        "enableTracing": True,
        "extensionProviders": [{"name": "otel-tracing", "opentelemetry": {"service": host, "port": port}}],
        "defaultProviders": {"tracing": ["otel-tracing"]},
    }


def gateway_values(p: PlatformSettings) -> dict[str, Any]:
    autoscale = p.gateway_max_replicas > p.gateway_min_replicas
    values: dict[str, Any] = {
        "name": GATEWAY_RELEASE,
        "service": {"type": "LoadBalancer"},
        "autoscaling": {"enabled": autoscale, "minReplicas": p.gateway_min_replicas,
                        "maxReplicas": p.gateway_max_replicas},
        "resources": {"requests": {"cpu": "500m", "memory": "512Mi"} if p.is_prod
                      else {"cpu": "50m", "memory": "64Mi"},
                      "limits": {"cpu": "2000m", "memory": "1024Mi"} if p.is_prod
                      else {"cpu": "500m", "memory": "256Mi"}},
        # replaces the chart's default pod securityContext (only the sysctl): keep it, add seccomp
        "securityContext": {"seccompProfile": {"type": "RuntimeDefault"},
                            "sysctls": [{"name": "net.ipv4.ip_unprivileged_port_start", "value": "0"}]},
    }
    if not autoscale:
        values["replicaCount"] = p.gateway_min_replicas  # ignored by the chart while autoscaling is on
    if p.gateway_min_replicas > 1:
        values["podDisruptionBudget"] = {"minAvailable": 1}
    return values


def cni_values(p: PlatformSettings, version: str) -> dict[str, Any]:
    cni = {
        "cniBinDir": p.cni_bin_dir,
        "cniConfDir": p.cni_conf_dir,
        "excludeNamespaces": [CNI_NAMESPACE],
        "resources": {"requests": {"cpu": p.cni_request.cpu, "memory": p.cni_request.memory},
                      "limits": {"cpu": "500m", "memory": "256Mi"}},
    }
    return _nest(versions.ISTIO_LINES[version].flat_values, "cni", cni)


class Mesh(TartwareComponent):
    AREA = "platform"

    def __init__(self, name: str, settings: PlatformSettings, provider: k8s.Provider, domain: str,
                 kubernetes_version: Optional[str] = None, tls: bool = False,
                 tracing: Optional[tuple[str, int]] = None, opts: Optional[pulumi.ResourceOptions] = None):
        super().__init__(name, opts)
        p = settings
        self.res_name = name
        self.provider = provider
        self.version = p.istio_version_for(kubernetes_version)
        self.namespace_name = NAMESPACE
        # istiod and the gateway pass baseline (restricted only with seccomp overrides not all
        # verified); the CNI DaemonSet (hostPath, privileged) lives in kube-system.
        self.namespace = namespace(f"{name}-namespace", NAMESPACE, "baseline", provider, self)

        chart = lambda c: versions.istio_chart(c, self.version)  # noqa: E731
        self.base = helm_release(self, f"{name}-base", chart("base"), "istio-base", NAMESPACE,
                                 {"defaultRevision": "default"}, provider, [self.namespace])
        self.cni = None
        if p.istio_cni:
            # No dependency on base/istiod: the DaemonSet only installs the CNI plugin on the nodes.
            self.cni = helm_release(self, f"{name}-cni", chart("cni"), "istio-cni", CNI_NAMESPACE,
                                    cni_values(p, self.version), provider)
        self.istiod = helm_release(self, f"{name}-istiod", chart("istiod"), "istiod", NAMESPACE,
                                   istiod_values(p, self.version, tracing), provider, [self.base])
        # Gateway pods are injected with the "gateway" template: istiod's webhook must be up.
        self.gateway = helm_release(self, f"{name}-gateway", chart("gateway"), GATEWAY_RELEASE, NAMESPACE,
                                    gateway_values(p), provider, [self.istiod])

        self.tls = tls
        self.hosts: dict[str, str] = {}
        self.routes: list[k8s.apiextensions.CustomResource] = []
        self.domain = domain
        self.ingress_address = self._address(name)
        self.register_outputs({"version": self.version, "namespace": NAMESPACE})

    @property
    def release_dependencies(self) -> list[pulumi.Resource]:
        """What meshed workloads need first: the injection webhook (istiod) and the CNI plugin."""
        return [self.istiod] + ([self.cni] if self.cni is not None else [])

    def gateway_resource(self, hosts: list[str]) -> k8s.apiextensions.CustomResource:
        servers: list[dict[str, Any]] = [
            {"port": {"number": 80, "name": "http", "protocol": "HTTP"}, "hosts": hosts}]
        if self.tls:
            servers.append({"port": {"number": 443, "name": "https", "protocol": "HTTPS"}, "hosts": hosts,
                            "tls": {"mode": "SIMPLE", "credentialName": GATEWAY_TLS_SECRET}})
        self.gateway_cr = custom_resource(self, f"{self.res_name}-gateway-routes", NETWORKING, "Gateway", GATEWAY_NAME,
                                          NAMESPACE, {"selector": {"istio": GATEWAY_POD_LABELS["istio"]},
                                                      "servers": servers},
                                          self.provider, [self.base])
        return self.gateway_cr

    def route(self, route: str, host: str, service: str, namespace_: str, port: int) -> None:
        """VirtualService ``route`` in istio-system: ``host`` on the Gateway -> ``service.namespace_:port``."""
        self.hosts[route] = host
        self.routes.append(custom_resource(
            self, f"{self.res_name}-route-{route}", NETWORKING, "VirtualService", route, NAMESPACE,
            {"hosts": [host], "gateways": [f"{NAMESPACE}/{GATEWAY_NAME}"],
             "http": [{"route": [{"destination": {"host": f"{service}.{namespace_}.svc.cluster.local",
                                                  "port": {"number": port}}}]}]},
            self.provider, [self.base]))

    def _address(self, name: str) -> pulumi.Output:
        """LoadBalancer hostname (AWS NLB) or IP of Service istio-system/istio-ingressgateway.

        The id comes from the release's status, so the read waits for the release and is skipped
        (unknown) in a first preview, when the Service does not exist yet.
        """
        service_id = self.gateway.status.apply(
            lambda s: f"{(s.namespace if s is not None and s.namespace else NAMESPACE)}/{GATEWAY_RELEASE}")
        svc = k8s.core.v1.Service.get(f"{name}-gateway-service", service_id,
                                      opts=pulumi.ResourceOptions(parent=self, provider=self.provider))

        def first(status: Any) -> Optional[str]:
            lb = getattr(status, "load_balancer", None) if status is not None else None
            for ing in (getattr(lb, "ingress", None) or []):
                value = getattr(ing, "hostname", None) or getattr(ing, "ip", None)
                if value:
                    return value
            return None

        return svc.status.apply(first)
