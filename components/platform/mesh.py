"""Istio: base (CRDs), istio-cni, istiod, the istio-ingressgateway, the Gateway and its routes.

The gateway is Istio's gateway-injection Deployment built here from Kubernetes resources, not the
``gateway`` chart: the 1.22.8 chart cannot install under the Helm that pulumi-kubernetes embeds
(its values.schema.json forbids the chart's own ``defaults:`` key once Helm validates the coalesced
values, istio/istio#57354), and a newer gateway chart would run a proxy newer than the 1.22 control
plane, which Istio does not support ("The Istio control plane can be one version ahead of the data
plane. However, the data plane cannot be ahead of control plane", istio.io docs/releases/
supported-releases "Control Plane/Data Plane Skew"). With ``image: auto`` istiod's injector fills
in its own proxy image, so the gateway always runs the control plane's version, on both lines.
The objects mirror what istio/istio@1.22.8 manifests/charts/gateway/templates renders for release
``istio-ingressgateway`` (deployment.yaml, service.yaml, serviceaccount.yaml, role.yaml, hpa.yaml,
poddisruptionbudget.yaml, _helpers.tpl; values.yaml defaults): names ``istio-ingressgateway``,
selector labels ``app: istio-ingressgateway`` and ``istio: ingressgateway`` (``gateway.name`` with
the ``istio-`` prefix trimmed), pod label ``sidecar.istio.io/inject: "true"``, pod annotation
``inject.istio.io/templates: gateway``, container ``istio-proxy`` with image ``auto``; the same
objects as the 1.29.6 chart renders. See docs/platform.md.

Values keys: istio/istio@1.22.8 manifests/charts/{base,istio-control/istio-discovery,istio-cni}
/values.yaml (users set keys at top level; the chart merges them over its ``defaults:``). From 1.24
istiod reads ``autoscaleMin`` ... and the cni chart ``cniBinDir`` ... at top level instead of
``pilot.*`` / ``cni.*`` (istio/istio@1.29.6, same files): ``IstioLine.flat_values``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any, Mapping, Optional, Sequence

import pulumi
import pulumi_kubernetes as k8s

from facts import api_paths, versions
from settings.platform import CpuMemory

from ..base import TartwareComponent
from ..kit import ALL_PODS, ANYWHERE, Allow, NamespacePolicies, Peer, custom_resource, helm_release, namespace

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
SECURITY = "security.istio.io/v1"  # AuthorizationPolicy, served by Istio 1.22 (base chart crd-all.gen.yaml)


@dataclass(frozen=True)
class MeshArgs:
    """Istio (base, istio-cni, istiod, the ingress gateway): what components/platform/mesh.py reads
    of the platform section, the chart version already resolved against the cluster's Kubernetes
    version (``PlatformSettings.istio_version_for``)."""

    is_prod: bool
    domain: str
    version: str  # the Istio chart version: a key of facts/versions.py ISTIO_LINES
    istio_cni: bool
    cni_bin_dir: str
    cni_conf_dir: str
    cni_request: CpuMemory
    istiod_min_replicas: int
    istiod_max_replicas: int
    gateway_min_replicas: int
    gateway_max_replicas: int
    edge_external_traffic_policy: str  # Local | Cluster
    edge_trusted_proxies: int  # gatewayTopology.numTrustedProxies: L7 proxies in front of the load balancer
    sidecar_request: CpuMemory
    sidecar_limit: CpuMemory
    tls: bool = False  # the gateway serves HTTPS with a cert-manager certificate
    tracing: Optional[tuple[str, int]] = None  # OTLP/gRPC host and port of the trace collector
    service_type: str = "LoadBalancer"
    proxy_protocol: bool = False  # the load balancer sends the PROXY protocol (EKS: settings/platform.py)
    # what the gateway's LoadBalancer Service waits for (ClusterHandle.load_balancers)
    load_balancers: tuple[pulumi.Resource, ...] = ()
    # meshConfig.extensionProviders entry of the SSO gate (filled by the platform from OperatorAccess)
    ext_authz: Optional[Mapping[str, Any]] = None


def _nest(flat: bool, key: str, values: dict[str, Any]) -> dict[str, Any]:
    return dict(values) if flat else {key: dict(values)}


def istiod_values(p: MeshArgs, version: str, tracing: Optional[tuple[str, int]] = None,
                  ext_authz: Optional[Mapping[str, Any]] = None) -> dict[str, Any]:
    """istiod's values; ``meshConfig.extensionProviders`` holds the tracing provider and, with
    ``operatorAccess=sso``, the external authorizer of the operator hosts (``ext_authz``)."""
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
        "meshConfig": {"enablePrometheusMerge": True, "accessLogFile": "/dev/stdout",
                       **_providers(tracing, ext_authz)},
    }


def _providers(tracing: Optional[tuple[str, int]], ext_authz: Optional[Mapping[str, Any]]) -> dict[str, Any]:
    """The extension providers: OpenTelemetry (OTLP gRPC) to the collector (pattern of istio@1.22.8
    samples/open-telemetry/tracing), and the SSO gate an AuthorizationPolicy with ``action: CUSTOM``
    names (components/platform/operator_access.py)."""
    providers: list[dict[str, Any]] = []
    out: dict[str, Any] = {}
    if tracing is not None:
        host, port = tracing
        providers.append({"name": "otel-tracing", "opentelemetry": {"service": host, "port": port}})
        out.update(enableTracing=True, defaultProviders={"tracing": ["otel-tracing"]})
    if ext_authz is not None:
        providers.append(dict(ext_authz))
    if providers:
        out["extensionProviders"] = providers
    return out


GATEWAY_SELECTOR = dict(GATEWAY_POD_LABELS)  # gateway.selectorLabels
# values.yaml defaults of the 1.22.8 (and 1.29.6) gateway chart, rendered into the pod template
GATEWAY_POD_ANNOTATIONS = {
    "prometheus.io/port": "15020",
    "prometheus.io/scrape": "true",
    "prometheus.io/path": "/stats/prometheus",
    "inject.istio.io/templates": "gateway",
    "sidecar.istio.io/inject": "true",
}
GATEWAY_SERVICE_PORTS = (  # values.yaml service.ports
    {"name": "status-port", "port": 15021, "protocol": "TCP", "targetPort": 15021},
    {"name": "http2", "port": 80, "protocol": "TCP", "targetPort": 80},
    {"name": "https", "port": 443, "protocol": "TCP", "targetPort": 443},
)
GATEWAY_CPU_TARGET = 80  # values.yaml autoscaling.targetCPUUtilizationPercentage
GATEWAY_TERMINATION_GRACE_SECONDS = 30  # values.yaml terminationGracePeriodSeconds


# The client's address at the gateway (the per-client edge rate limit keys on it, docs/platform.md
# "Rate limiting"). Istio reads the pod annotation proxy.istio.io/config as the proxy's ProxyConfig;
# for gateways, gatewayTopology.numTrustedProxies becomes the HTTP connection manager's
# xff_num_trusted_hops and a set gatewayTopology.proxyProtocol adds the listener filter
# envoy.filters.listener.proxy_protocol to every TCP gateway listener (istio/istio@1.22.8
# pilot/pkg/networking/core/gateway.go: buildGatewayHTTPConnectionManager, needPROXYProtocol;
# listener.go buildGatewayListener). The gateway's HCM always sets use_remote_address (gateway.go).
PROXY_CONFIG_ANNOTATION = "proxy.istio.io/config"
# kubernetes/cloud-provider-aws pkg/providers/v1/aws.go ServiceAnnotationLoadBalancerProxyProtocol:
# "*" enables the PROXY protocol on all of the Classic Load Balancer's backends (the load balancer
# the AWS cloud provider creates for a Service without aws-load-balancer-type; version 1 header,
# docs.aws.amazon.com/elasticloadbalancing/latest/classic/enable-proxy-protocol.html).
AWS_PROXY_PROTOCOL_ANNOTATION = "service.beta.kubernetes.io/aws-load-balancer-proxy-protocol"


# Envoy stats the gateway exposes beyond Istio's default set (ProxyConfig.proxyStatsMatcher,
# istio.io/latest/docs/reference/config/istio.mesh.v1alpha1 "ProxyStatsMatcher"; Istio keeps only a
# few Envoy stats by default): the edge limit's filters (components/platform/edge_rate_limit.py stat
# prefixes), so the alerts and panels on 429s, errors and fail-open have series (observability_values.py).
#   global filter: cluster.<route target cluster>.<stat_prefix>.{ok,over_limit,error,failure_mode_allowed}
#   (envoyproxy/envoy api/envoy/extensions/filters/http/ratelimit/v3/rate_limit.proto stat_prefix:
#   "If not set, the statistics will be emitted using the prefix ratelimit");
#   local filter: <stat_prefix>.http_local_rate_limit.{enabled,enforced,rate_limited,ok}
#   (docs: configuration/http/http_filters/local_rate_limit_filter "Statistics").
GATEWAY_STATS_INCLUSION = (r".*http_edge_rate_limiter.*", r".*http_local_rate_limit.*")


def gateway_topology(trusted_proxies: int, proxy_protocol: bool) -> dict[str, Any]:
    """ProxyConfig.gatewayTopology for the gateway pods ({} when Istio's defaults hold)."""
    topology: dict[str, Any] = {}
    if trusted_proxies:
        topology["numTrustedProxies"] = trusted_proxies
    if proxy_protocol:
        topology["proxyProtocol"] = {}
    return topology


def gateway_manifests(p: MeshArgs, version: str, service_type: str = "LoadBalancer",
                      proxy_protocol: bool = False) -> list[dict[str, Any]]:
    """The gateway's objects, as the gateway chart renders them for release istio-ingressgateway.

    Differences from the chart, on purpose: ``app.kubernetes.io/managed-by: pulumi`` instead of
    Helm's labels; the pod securityContext adds seccomp RuntimeDefault next to the chart's sysctl;
    ``service_type`` is NodePort where no load balancer assigns addresses (``loadBalancer=none``).
    """
    autoscale = p.gateway_max_replicas > p.gateway_min_replicas
    name = GATEWAY_RELEASE
    labels = {**GATEWAY_SELECTOR, "app.kubernetes.io/name": name, "app.kubernetes.io/version": version,
              "app.kubernetes.io/managed-by": "pulumi", "app.kubernetes.io/part-of": "tartware"}
    pod_labels = {"sidecar.istio.io/inject": "true", **GATEWAY_SELECTOR}
    if versions.ISTIO_LINES[version].flat_values:  # 1.29.6 values.yaml `labels:` default: no ambient capture
        labels["istio.io/dataplane-mode"] = pod_labels["istio.io/dataplane-mode"] = "none"
    meta = {"name": name, "namespace": NAMESPACE, "labels": labels}
    pod_annotations = dict(GATEWAY_POD_ANNOTATIONS)
    topology = gateway_topology(p.edge_trusted_proxies, proxy_protocol)
    proxy_config: dict[str, Any] = {"proxyStatsMatcher": {"inclusionRegexps": list(GATEWAY_STATS_INCLUSION)}}
    if topology:
        proxy_config["gatewayTopology"] = topology
    pod_annotations[PROXY_CONFIG_ANNOTATION] = json.dumps(proxy_config, sort_keys=True)
    service_meta = ({**meta, "annotations": {AWS_PROXY_PROTOCOL_ANNOTATION: "*"}} if proxy_protocol else meta)
    resources = {"requests": {"cpu": "500m", "memory": "512Mi"} if p.is_prod else {"cpu": "50m", "memory": "64Mi"},
                 "limits": {"cpu": "2000m", "memory": "1024Mi"} if p.is_prod else {"cpu": "500m", "memory": "256Mi"}}
    deployment_spec: dict[str, Any] = {
        "selector": {"matchLabels": dict(GATEWAY_SELECTOR)},
        "template": {
            "metadata": {"annotations": pod_annotations,
                         "labels": pod_labels},
            "spec": {
                "serviceAccountName": name,
                "securityContext": {"seccompProfile": {"type": "RuntimeDefault"},
                                    "sysctls": [{"name": "net.ipv4.ip_unprivileged_port_start", "value": "0"}]},
                "containers": [{
                    "name": "istio-proxy",
                    "image": "auto",  # replaced by istiod's injector with its own proxy image
                    "securityContext": {"capabilities": {"drop": ["ALL"]}, "allowPrivilegeEscalation": False,
                                        "privileged": False, "readOnlyRootFilesystem": True,
                                        "runAsUser": 1337, "runAsGroup": 1337, "runAsNonRoot": True},
                    "ports": [{"containerPort": 15090, "protocol": "TCP", "name": "http-envoy-prom"}],
                    "resources": resources,
                }],
                "terminationGracePeriodSeconds": GATEWAY_TERMINATION_GRACE_SECONDS,
            },
        },
    }
    if not autoscale:
        deployment_spec = {"replicas": p.gateway_min_replicas, **deployment_spec}
    docs: list[dict[str, Any]] = [
        {"apiVersion": "v1", "kind": "ServiceAccount", "metadata": meta},
        {"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "Role", "metadata": meta,
         "rules": [{"apiGroups": [""], "resources": ["secrets"], "verbs": ["get", "watch", "list"]}]},
        {"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "RoleBinding", "metadata": meta,
         "roleRef": {"apiGroup": "rbac.authorization.k8s.io", "kind": "Role", "name": name},
         "subjects": [{"kind": "ServiceAccount", "name": name}]},
        {"apiVersion": "v1", "kind": "Service", "metadata": service_meta,
         # externalTrafficPolicy Local: no SNAT, the gateway sees the client's address (the edge
         # rate limit's premise, docs/platform.md "Rate limiting")
         "spec": {"type": service_type, "ports": [dict(x) for x in GATEWAY_SERVICE_PORTS],
                  "externalTrafficPolicy": p.edge_external_traffic_policy,
                  "selector": dict(GATEWAY_SELECTOR)}},
        {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": meta, "spec": deployment_spec},
    ]
    if autoscale:
        docs.append({"apiVersion": "autoscaling/v2", "kind": "HorizontalPodAutoscaler", "metadata": meta, "spec": {
            "scaleTargetRef": {"apiVersion": "apps/v1", "kind": "Deployment", "name": name},
            "minReplicas": p.gateway_min_replicas, "maxReplicas": p.gateway_max_replicas,
            "metrics": [{"type": "Resource", "resource": {"name": "cpu", "target": {
                "averageUtilization": GATEWAY_CPU_TARGET, "type": "Utilization"}}}]}})
    if p.gateway_min_replicas > 1:
        docs.append({"apiVersion": "policy/v1", "kind": "PodDisruptionBudget", "metadata": meta,
                     "spec": {"selector": {"matchLabels": dict(GATEWAY_SELECTOR)}, "minAvailable": 1}})
    return docs


_GATEWAY_KINDS = {
    "ServiceAccount": k8s.core.v1.ServiceAccount,
    "Role": k8s.rbac.v1.Role,
    "RoleBinding": k8s.rbac.v1.RoleBinding,
    "Service": k8s.core.v1.Service,
    "Deployment": k8s.apps.v1.Deployment,
    "HorizontalPodAutoscaler": k8s.autoscaling.v2.HorizontalPodAutoscaler,
    "PodDisruptionBudget": k8s.policy.v1.PodDisruptionBudget,
}
_PYTHON_ARGS = {"roleRef": "role_ref"}


def cni_values(p: MeshArgs, version: str) -> dict[str, Any]:
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

    def __init__(self, name: str, args: MeshArgs, opts: pulumi.ResourceOptions):
        super().__init__(name, opts)
        p, provider, domain = args, self.provider, args.domain
        tls, tracing, service_type = args.tls, args.tracing, args.service_type
        proxy_protocol = args.proxy_protocol
        self.res_name = name
        self.version = args.version
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
                                   istiod_values(p, self.version, tracing, args.ext_authz), provider, [self.base])
        # Gateway pods are injected with the "gateway" template: istiod's webhook must be up.
        self.service_type = service_type
        self.gateway_objects: dict[str, pulumi.CustomResource] = {}
        for doc in gateway_manifests(p, self.version, service_type, proxy_protocol):
            kind = doc["kind"]
            args = {_PYTHON_ARGS.get(k, k): v for k, v in doc.items() if k not in ("apiVersion", "kind")}
            waits: list[pulumi.Resource] = [self.istiod, self.namespace]
            if kind == "Deployment":  # its pods run as the ServiceAccount, with the Role's secret access
                waits += [self.gateway_objects[k] for k in ("ServiceAccount", "Role", "RoleBinding")
                          if k in self.gateway_objects]
            if kind == "Service":  # a LoadBalancer Service is awaited until it has an address
                waits += list(p.load_balancers)
            self.gateway_objects[kind] = _GATEWAY_KINDS[kind](
                f"{name}-gateway-{kind.lower()}", **args, opts=self.child(provider, depends_on=waits))
        self.gateway = self.gateway_objects["Deployment"]

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

    def gateway_resource(self, hosts: list[str], redirect: Sequence[str] = ()) -> k8s.apiextensions.CustomResource:
        """The Gateway ``tartware-gateway``: port 80 for ``hosts``, 443 as well with TLS. ``redirect``: hosts
        whose plain HTTP gets a 301 to HTTPS instead, on a port-80 server of their own with
        ``tls.httpsRedirect`` ("If set to true, the load balancer will send a 301 redirect for all http
        connections, asking the clients to use HTTPS", istio/api@1.22.8 networking/v1alpha3/gateway.proto
        ServerTLSSettings.https_redirect; port names must be unique across servers, istio/istio@1.22.8
        pkg/config/validation/validation.go ValidateGateway)."""
        plain = [h for h in hosts if h not in redirect]
        servers: list[dict[str, Any]] = (
            [{"port": {"number": 80, "name": "http", "protocol": "HTTP"}, "hosts": plain}] if plain else [])
        if self.tls and redirect:
            servers.append({"port": {"number": 80, "name": "http-redirect", "protocol": "HTTP"},
                            "hosts": [h for h in hosts if h in redirect], "tls": {"httpsRedirect": True}})
        if self.tls:
            servers.append({"port": {"number": 443, "name": "https", "protocol": "HTTPS"}, "hosts": hosts,
                            "tls": {"mode": "SIMPLE", "credentialName": GATEWAY_TLS_SECRET}})
        self.gateway_cr = custom_resource(self, f"{self.res_name}-gateway-routes", NETWORKING, "Gateway", GATEWAY_NAME,
                                          NAMESPACE, {"selector": {"istio": GATEWAY_POD_LABELS["istio"]},
                                                      "servers": servers},
                                          self.provider, [self.base])
        return self.gateway_cr

    def deny_unauthenticated_paths(self, api_host: str) -> k8s.apiextensions.CustomResource:
        """AuthorizationPolicy ``api-deny-unauthenticated-paths``: the paths the API gateway serves
        without a token are refused at the edge for ``api_host`` (facts/api_paths.py)."""
        self.api_paths_policy = custom_resource(
            self, f"{self.res_name}-api-paths-policy", SECURITY, "AuthorizationPolicy", api_paths.POLICY_NAME,
            NAMESPACE, api_paths.deny_policy_spec(api_host, {"istio": GATEWAY_POD_LABELS["istio"]}),
            self.provider, [self.base])
        return self.api_paths_policy

    def route(self, route: str, host: str, service: str, namespace_: str, port: int,
              after: Sequence[pulumi.Resource] = ()) -> None:
        """VirtualService ``route`` in istio-system: ``host`` on the Gateway -> ``service.namespace_:port``;
        ``after``: what must exist first (the policy that guards an operator host)."""
        self.hosts[route] = host
        self.routes.append(custom_resource(
            self, f"{self.res_name}-route-{route}", NETWORKING, "VirtualService", route, NAMESPACE,
            {"hosts": [host], "gateways": [f"{NAMESPACE}/{GATEWAY_NAME}"],
             "http": [{"route": [{"destination": {"host": f"{service}.{namespace_}.svc.cluster.local",
                                                  "port": {"number": port}}}]}]},
            self.provider, [self.base, *after]))

    def _address(self, name: str) -> pulumi.Output:
        """LoadBalancer hostname (an AWS load balancer) or IP of Service istio-system/istio-ingressgateway.

        pulumi-kubernetes waits for a LoadBalancer Service's address before it completes the
        Service (pulumi/pulumi-kubernetes@v4.32.0 provider/pkg/await/service.go 299-315), so the
        status carries it; a NodePort Service (loadBalancer=none) has none: "" in the outputs.
        """
        svc = self.gateway_objects["Service"]

        def field(obj: Any, attr: str, key: str) -> Any:
            if obj is None:
                return None
            if hasattr(type(obj), attr):  # typed output (ServiceStatus, ...): property getters
                return getattr(obj, attr)
            return obj.get(key) if isinstance(obj, dict) else None

        def first(status: Any) -> Optional[str]:
            for ing in field(field(status, "load_balancer", "loadBalancer"), "ingress", "ingress") or []:
                value = field(ing, "hostname", "hostname") or field(ing, "ip", "ip")
                if value:
                    return value
            return None

        return svc.status.apply(first)

    def network_policies(self, prometheus: Sequence[Peer], acme_solver: Sequence[Allow] = ()) -> NamespacePolicies:
        """istio-system's allows: the gateway's clients, every sidecar to istiod, the API server to its
        webhooks, Prometheus; ``acme_solver``: cert-manager's HTTP-01 solver pods answering here."""
        return NamespacePolicies(NAMESPACE, (
            # LoadBalancer clients come from anywhere; 15021 is the LB health check
            Allow("allow-ingressgateway", GATEWAY_POD_LABELS, [ANYWHERE], GATEWAY_PORTS),
            # every sidecar (any namespace) dials istiod for config and certificates
            Allow("allow-istiod-xds", {"app": "istiod"}, [ALL_PODS], ISTIOD_PORTS),
            # the API server calls the injection/validation webhooks (not a pod: any source)
            Allow("allow-istiod-webhook", {"app": "istiod"}, [ANYWHERE], (ISTIOD_WEBHOOK_PORT,)),
            Allow("allow-prometheus", {}, prometheus),
            *acme_solver,
        ), (self.namespace,))
