"""Per-client rate limit at the edge: Envoy's global rate limit on istio-ingressgateway, keyed by
the client's address, plus a per-connection local limit as backstop.

Why here and not in the app: the api-gateway's own limiter keys on ``request.ip`` without
``trustProxy``, so behind the Istio sidecar every client shares one key (facts/ratelimit.py). The
ingress gateway is the first hop that knows the client's address (``externalTrafficPolicy: Local``,
or the PROXY protocol on EKS: components/platform/mesh.py).

Why the global rate limit: Envoy 1.30 (Istio 1.22) matches local rate-limit descriptors verbatim,
so only the global rate limit gives every client address its own counter. The pieces, as in
Istio's "Enabling Rate Limits using Envoy" task (istio.io/latest/docs/tasks/policy-enforcement/
rate-limit, "Global rate limit", and istio/istio@1.22.8 samples/ratelimit/rate-limit-service.yaml):

* the envoyproxy/ratelimit service (facts/versions.py RATELIMIT_IMAGE) in namespace ``ratelimit``
  on the data tier's Redis: ConfigMap ``ratelimit-config`` (facts/ratelimit.py
  ``ratelimit_service_config``), Deployment, Service (HTTP 8080, gRPC 8081, Prometheus 9090),
  PodDisruptionBudget in prod, ServiceMonitor;
* EnvoyFilter ``istio-system/ingressgateway-ratelimit`` (networking.istio.io/v1alpha3, selector
  ``istio: ingressgateway``, context GATEWAY): the HTTP filters ``envoy.filters.http.local_ratelimit``
  (one token bucket per downstream connection) and ``envoy.filters.http.ratelimit`` (domain,
  ``failure_mode_deny: false``, timeout, ``rate_limit_service`` with ``transport_api_version: V3``
  and an ``envoy_grpc`` cluster ``outbound|8081||ratelimit.ratelimit.svc.cluster.local``, the
  cluster istiod generates for that Service port), both inserted before the router, and a
  VIRTUAL_HOST patch adding ``rate_limits`` with the ``remote_address`` action to every virtual host.

Field names are the Envoy API's at the version Istio 1.22 ships (Envoy 1.30, April 2024;
envoyproxy/data-plane-api@673a2745, the API mirror on 2024-04-15):
api envoy/extensions/filters/http/ratelimit/v3/rate_limit.proto (RateLimit: domain 1, timeout 4,
failure_mode_deny 5, rate_limit_service 7, stat_prefix 13), envoy/config/ratelimit/v3/rls.proto
(RateLimitServiceConfig: grpc_service 2, transport_api_version 4), envoy/config/route/v3/
route_components.proto (VirtualHost.rate_limits 6; RateLimit.actions; Action.remote_address 4,
masked_remote_address 10 with v4_prefix_mask_len), envoy/extensions/filters/http/local_ratelimit/v3/
local_rate_limit.proto (token_bucket, filter_enabled/filter_enforced, which default to 0 %,
local_rate_limit_per_downstream_connection).

Why the backstop stays: the global filter fails open (``failure_mode_deny: false``, so an outage
of the ratelimit service or Redis does not take the API down); the per-connection bucket still
bounds a single connection then, and it sheds one connection's flood before each request costs a
gRPC call. Its rate is the per-address rate, so it never limits a client below that.

The ratelimit pods run without a sidecar: no PeerAuthentication covers namespace ``ratelimit``
(the only STRICT one is the Tartware chart's, in tartware-system), istiod's auto mTLS sends plain
gRPC to endpoints without a sidecar, the data tier it talks to is unmeshed as well, and a proxy
in the path would add latency to the check every API request waits for. Default-deny
NetworkPolicies admit only the gateway (8081) and Prometheus (9090) (components/platform/__init__.py).

Without Redis (dataComponents.redis off) there is nothing to back the counters: only the
per-connection backstop is applied.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any, Mapping, Optional, Sequence

import pulumi
import pulumi_kubernetes as k8s
import yaml

from facts import ratelimit as rl
from facts import versions
from facts.endpoints import service_host
from facts.ratelimit import Exemption
from settings.platform import CpuMemory

from ..base import TartwareComponent
from ..kit import (LABELS, Allow, NamespacePolicies, Peer, custom_resource, namespace,
                   restricted_container_security, restricted_pod)
from ..secrets import SecretMaker

NETWORKING = "networking.istio.io/v1alpha3"
MONITORING = "monitoring.coreos.com/v1"
ENVOY_FILTER_NAME = "ingressgateway-ratelimit"
LOCAL_FILTER = "envoy.filters.http.local_ratelimit"
LOCAL_TYPE_URL = "type.googleapis.com/envoy.extensions.filters.http.local_ratelimit.v3.LocalRateLimit"
GLOBAL_FILTER = "envoy.filters.http.ratelimit"
GLOBAL_TYPE_URL = "type.googleapis.com/envoy.extensions.filters.http.ratelimit.v3.RateLimit"
TYPED_STRUCT = "type.googleapis.com/udpa.type.v1.TypedStruct"
HCM = "envoy.filters.network.http_connection_manager"
ROUTER = "envoy.filters.http.router"
# How long a request waits for the service's answer before it passes (failure_mode_deny false);
# Envoy's default is 20 ms (rate_limit.proto "timeout"). 50 ms leaves room for a Redis round trip
# under load and stays a tenth of the guide's p95 budget (500 ms).
RLS_TIMEOUT = "0.05s"

NAMESPACE = "ratelimit"
NAME = "ratelimit"
POD_LABELS = {"app.kubernetes.io/name": NAME, "app.kubernetes.io/component": "edge-rate-limit"}
UID = 65532  # gcr.io/distroless/static-debian12:nonroot (envoyproxy/ratelimit Dockerfile)
# envoyproxy/ratelimit src/settings/settings.go: PORT 8080 (HTTP: /healthcheck, /json), GRPC_PORT
# 8081, DEBUG_PORT 6070 (not exposed), PROMETHEUS_ADDR ":9090" with USE_PROMETHEUS.
HTTP_PORT, GRPC_PORT, DEBUG_PORT, METRICS_PORT = 8080, 8081, 6070, 9090
REDIS_SECRET = "redis-credentials"  # the Redis password, copied into this namespace (a pod reads its own namespace's Secrets)
CONFIG_MAP = "ratelimit-config"
# Config files: RUNTIME_ROOT/RUNTIME_SUBDIRECTORY/RUNTIME_APPDIRECTORY/*.yaml (README "Loading Configuration").
RUNTIME_ROOT, RUNTIME_SUBDIRECTORY, RUNTIME_APPDIRECTORY = "/data", "ratelimit", "config"


@dataclass(frozen=True)
class EdgeRateLimitArgs:
    """The per-client edge limit: the EnvoyFilter on the gateway, and the envoyproxy/ratelimit
    service it calls (None: no Redis to back it; only the per-connection backstop is applied)."""

    gateway_namespace: str
    requests_per_second: int  # per client address, and the per-connection backstop's rate
    burst: int  # the per-connection backstop's bucket
    gateway_selector: Mapping[str, str]
    depends_on: Sequence[pulumi.Resource] = ()  # what installs the EnvoyFilter CRD
    service: Optional["RateLimitServiceArgs"] = None


@dataclass(frozen=True)
class RateLimitServiceArgs:
    """envoyproxy/ratelimit in its own namespace, on the data tier's Redis."""

    replicas: int  # at least (the HPA's floor)
    request: CpuMemory
    limit: CpuMemory
    exempt: Exemption  # networks of one prefix length the per-client limit spares
    redis_host: str
    redis_port: int
    redis_password: pulumi.Input[str]  # secret
    secrets: SecretMaker  # the Redis password Secret in the ratelimit namespace (generated or Vault)
    redis: Sequence[pulumi.Resource] = ()  # the Redis release it waits for
    monitoring_crds: Optional[pulumi.Resource] = None  # ServiceMonitor CRD; None: no ServiceMonitor
    max_replicas: int = 1  # the HPA's ceiling; an HPA on CPU when above replicas (facts/ratelimit.py)


def cluster_name(ns: str = NAMESPACE, service: str = NAME, port: int = GRPC_PORT) -> str:
    """istiod's name for the outbound cluster of a Service port: outbound|<port>||<fqdn>."""
    return f"outbound|{port}||{service_host(service, ns)}"


def envoy_filter_spec(requests_per_second: int, burst: int, gateway_selector: dict[str, str],
                      global_limit: bool, exempt_prefix: Optional[int] = None) -> dict[str, Any]:
    """The gateway's EnvoyFilter: the per-connection backstop, and with ``global_limit`` the
    per-address limit through the ratelimit service."""
    always = {"default_value": {"numerator": 100, "denominator": "HUNDRED"}}
    before_router = {"context": "GATEWAY",
                     "listener": {"filterChain": {"filter": {"name": HCM, "subFilter": {"name": ROUTER}}}}}
    patches: list[dict[str, Any]] = [{
        "applyTo": "HTTP_FILTER",
        "match": before_router,
        "patch": {"operation": "INSERT_BEFORE", "value": {
            "name": LOCAL_FILTER,
            "typed_config": {
                "@type": TYPED_STRUCT,
                "type_url": LOCAL_TYPE_URL,
                "value": {
                    "stat_prefix": "http_local_rate_limiter",
                    "token_bucket": {"max_tokens": burst, "tokens_per_fill": requests_per_second,
                                     "fill_interval": "1s"},
                    "filter_enabled": {**always, "runtime_key": "local_rate_limit_enabled"},
                    "filter_enforced": {**always, "runtime_key": "local_rate_limit_enforced"},
                    "local_rate_limit_per_downstream_connection": True,
                    "response_headers_to_add": [{"append_action": "OVERWRITE_IF_EXISTS_OR_ADD",
                                                 "header": {"key": "x-local-rate-limit", "value": "true"}}],
                },
            },
        }},
    }]
    if global_limit:
        patches += [{
            "applyTo": "HTTP_FILTER",
            "match": before_router,  # inserted after the local filter: local, global, router
            "patch": {"operation": "INSERT_BEFORE", "value": {
                "name": GLOBAL_FILTER,
                "typed_config": {
                    "@type": GLOBAL_TYPE_URL,
                    "domain": rl.EDGE_DOMAIN,
                    "stat_prefix": "http_edge_rate_limiter",
                    "failure_mode_deny": False,
                    "timeout": RLS_TIMEOUT,
                    "rate_limit_service": {
                        "grpc_service": {"envoy_grpc": {"cluster_name": cluster_name(),
                                                        "authority": service_host(NAME, NAMESPACE)}},
                        "transport_api_version": "V3",
                    },
                },
            }},
        }, {
            "applyTo": "VIRTUAL_HOST",
            # no vhost name: every virtual host of the gateway's routes (istio/istio@1.22.8
            # pilot/pkg/networking/core/envoyfilter/rc_patch.go virtualHostMatch)
            "match": {"context": "GATEWAY", "routeConfiguration": {"vhost": {}}},
            "patch": {"operation": "MERGE", "value": {"rate_limits": rl.rate_limit_actions(exempt_prefix)}},
        }]
    return {"workloadSelector": {"labels": dict(gateway_selector)}, "configPatches": patches}


def service_env(s: RateLimitServiceArgs) -> list[dict[str, Any]]:
    """envoyproxy/ratelimit@aba2384d src/settings/settings.go names and defaults."""
    value = lambda name, v: {"name": name, "value": v}  # noqa: E731
    return [
        value("LOG_LEVEL", "warn"),  # default WARN
        value("LOG_FORMAT", "json"),
        value("BACKEND_TYPE", "redis"),
        value("REDIS_SOCKET_TYPE", "tcp"),  # default unix (a nutcracker socket)
        # SINGLE: one address. In Sentinel mode redis-master follows the elected master (data.py).
        value("REDIS_TYPE", "SINGLE"),
        value("REDIS_URL", f"{s.redis_host}:{s.redis_port}"),
        {"name": "REDIS_AUTH", "valueFrom": {"secretKeyRef": {"name": REDIS_SECRET, "key": "password"}}},
        # sized for the headroom rate (facts/ratelimit.py): buffered writes, 20 connections per pod
        value("REDIS_PIPELINE_WINDOW", rl.REDIS_PIPELINE_WINDOW),  # default 0 (flush every write)
        value("REDIS_POOL_SIZE", str(rl.REDIS_POOL_SIZE)),  # default 10
        value("USE_STATSD", "false"),  # default true; one sink only (runner.go refuses two)
        value("USE_PROMETHEUS", "true"),
        value("PROMETHEUS_ADDR", f":{METRICS_PORT}"),
        value("RUNTIME_ROOT", RUNTIME_ROOT),
        value("RUNTIME_SUBDIRECTORY", RUNTIME_SUBDIRECTORY),
        value("RUNTIME_APPDIRECTORY", RUNTIME_APPDIRECTORY),
        # a ConfigMap volume swaps its files under the mount itself; watch that directory, and skip
        # the volume's ..data/..<timestamp> dot entries (as the Istio sample does)
        value("RUNTIME_WATCH_ROOT", "false"),
        value("RUNTIME_IGNOREDOTFILES", "true"),
        # /healthcheck answers 200 only once a configuration is loaded (src/server/health.go)
        value("HEALTHY_WITH_AT_LEAST_ONE_CONFIG_LOADED", "true"),
    ]


def config_text(requests_per_second: int, exempt: rl.Exemption) -> pulumi.Output:
    """The service's config.yaml (the exempt networks may be Outputs: the EKS NAT addresses)."""
    return pulumi.Output.all(*exempt.networks).apply(lambda nets: yaml.safe_dump(
        rl.ratelimit_service_config(requests_per_second, tuple(nets)), sort_keys=False))


def deployment_spec(s: RateLimitServiceArgs, config: pulumi.Input[str]) -> dict[str, Any]:
    # What the probes see (envoyproxy/ratelimit@aba2384d):
    # * at start the service connects to Redis before it serves anything: src/redis/driver_impl.go
    #   retries PING with backoff (REDIS_STARTUP_INITIAL_INTERVAL 1s .. REDIS_STARTUP_MAX_INTERVAL 30s)
    #   for REDIS_STARTUP_MAX_ELAPSED_TIME, default 0 = forever (src/settings/settings.go), and
    #   src/service_cmd/runner/runner.go creates the limiter before srv.Start: port 8080 opens only
    #   once Redis answers. The startup probe gives that 10 minutes before the kubelet restarts the
    #   container, so a pod started during a Redis outage is not restarted every minute;
    # * /healthcheck then answers 200 once a configuration is loaded
    #   (HEALTHY_WITH_AT_LEAST_ONE_CONFIG_LOADED=true, src/server/health.go);
    # * a later Redis outage does not fail it: REDIS_HEALTH_CHECK_ACTIVE_CONNECTION is false by default
    #   (settings.go; driver_impl.go poolTrace marks the redis component only when it is true), and we
    #   keep it off: the gateway fails open while Redis is away, and a pod marked unready would only
    #   move the same errors to the other pods. The outage shows in the limiter's errors (alerts
    #   TartwareEdgeRateLimitErrors and TartwareEdgeRateLimitFailOpen, observability_values.py).
    ready = {"httpGet": {"path": "/healthcheck", "port": HTTP_PORT}, "periodSeconds": 10, "timeoutSeconds": 2}
    started = {"tcpSocket": {"port": HTTP_PORT}, "periodSeconds": 10, "failureThreshold": 60}
    alive = {"tcpSocket": {"port": HTTP_PORT}, "periodSeconds": 10, "failureThreshold": 6}
    container = {
        "name": NAME,
        "image": versions.RATELIMIT_IMAGE,
        "imagePullPolicy": "Always",
        "env": service_env(s),
        "ports": [{"name": "http", "containerPort": HTTP_PORT}, {"name": "grpc", "containerPort": GRPC_PORT},
                  {"name": "metrics", "containerPort": METRICS_PORT}],
        "startupProbe": started,
        "readinessProbe": ready,
        "livenessProbe": alive,
        "resources": {"requests": {"cpu": s.request.cpu, "memory": s.request.memory},
                      "limits": {"cpu": s.limit.cpu, "memory": s.limit.memory}},
        "securityContext": restricted_container_security(UID),
        "volumeMounts": [{"name": "config", "readOnly": True,
                          "mountPath": f"{RUNTIME_ROOT}/{RUNTIME_SUBDIRECTORY}/{RUNTIME_APPDIRECTORY}"}],
    }
    checksum = pulumi.Output.from_input(config).apply(lambda t: hashlib.sha256(t.encode()).hexdigest()[:16])
    return {
        # with an HPA the Deployment leaves replicas to it (a set value would be reset on every update)
        **({} if s.max_replicas > s.replicas else {"replicas": s.replicas}),
        "selector": {"matchLabels": dict(POD_LABELS)},
        "template": {
            "metadata": {"labels": {**LABELS, **POD_LABELS}, "annotations": {"checksum/config": checksum}},
            "spec": {
                "automountServiceAccountToken": False,
                "securityContext": restricted_pod(UID),
                "topologySpreadConstraints": [
                    {"maxSkew": 1, "topologyKey": key, "whenUnsatisfiable": "ScheduleAnyway",
                     "labelSelector": {"matchLabels": dict(POD_LABELS)}}
                    for key in ("topology.kubernetes.io/zone", "kubernetes.io/hostname")],
                "containers": [container],
                "volumes": [{"name": "config", "configMap": {"name": CONFIG_MAP}}],
            },
        },
    }


class EdgeRateLimit(TartwareComponent):
    AREA = "platform"

    def __init__(self, name: str, args: EdgeRateLimitArgs, opts: pulumi.ResourceOptions):
        super().__init__(name, opts)
        provider, s = self.provider, args.service
        self.service_namespace: Optional[str] = None
        if s is not None:
            self._service(name, provider, args.requests_per_second, s)
        self.envoy_filter = custom_resource(
            self, f"{name}-envoyfilter", NETWORKING, "EnvoyFilter", ENVOY_FILTER_NAME, args.gateway_namespace,
            envoy_filter_spec(args.requests_per_second, args.burst, dict(args.gateway_selector), s is not None,
                              s.exempt.prefix if s is not None and s.exempt else None),
            provider, list(args.depends_on))
        self.register_outputs({"envoyFilter": ENVOY_FILTER_NAME, "requestsPerSecond": args.requests_per_second,
                               "service": service_host(NAME, NAMESPACE) if s is not None else ""})

    def _service(self, name: str, provider: k8s.Provider, requests_per_second: int, s: RateLimitServiceArgs) -> None:
        self.service_namespace = NAMESPACE
        labels = {**LABELS, **POD_LABELS}
        self.namespace = namespace(f"{name}-namespace", NAMESPACE, "restricted", provider, self)
        meta = lambda obj: k8s.meta.v1.ObjectMetaArgs(name=obj, namespace=NAMESPACE, labels=labels)  # noqa: E731
        self.redis_secret = s.secrets.secret(self, f"{name}-redis-credentials", REDIS_SECRET, NAMESPACE,
                                             {"password": s.redis_password}, "redis", depends_on=[self.namespace],
                                             labels=labels)
        config = config_text(requests_per_second, s.exempt)
        self.config_map = k8s.core.v1.ConfigMap(f"{name}-config", metadata=meta(CONFIG_MAP),
                                                data={"config.yaml": config},
                                                opts=self.child(provider, depends_on=[self.namespace]))
        self.deployment = k8s.apps.v1.Deployment(
            f"{name}-deployment", metadata=meta(NAME), spec=deployment_spec(s, config),
            opts=self.child(provider, depends_on=[self.namespace, self.config_map, self.redis_secret, *s.redis]))
        self.service = k8s.core.v1.Service(
            f"{name}-service", metadata=meta(NAME),
            spec={"selector": dict(POD_LABELS), "ports": [
                {"name": "http", "port": HTTP_PORT, "targetPort": HTTP_PORT},
                # grpc-*: istiod gives the cluster HTTP/2, which envoy_grpc needs
                {"name": "grpc", "port": GRPC_PORT, "targetPort": GRPC_PORT, "appProtocol": "grpc"},
                {"name": "metrics", "port": METRICS_PORT, "targetPort": METRICS_PORT},
            ]},
            opts=self.child(provider, depends_on=[self.namespace]))
        self.hpa = None
        if s.max_replicas > s.replicas:
            # CPU is what a call costs the service (facts/ratelimit.py sizing)
            self.hpa = k8s.autoscaling.v2.HorizontalPodAutoscaler(
                f"{name}-hpa", metadata=meta(f"{NAME}-hpa"),
                spec={"scaleTargetRef": {"apiVersion": "apps/v1", "kind": "Deployment", "name": NAME},
                      "minReplicas": s.replicas, "maxReplicas": s.max_replicas,
                      "metrics": [{"type": "Resource", "resource": {"name": "cpu", "target": {
                          "type": "Utilization", "averageUtilization": rl.RATELIMIT_CPU_TARGET}}}]},
                opts=self.child(provider, depends_on=[self.deployment]))
        self.pdb = None
        if s.replicas > 1:
            self.pdb = k8s.policy.v1.PodDisruptionBudget(
                f"{name}-pdb", metadata=meta(NAME),
                spec={"selector": {"matchLabels": dict(POD_LABELS)}, "maxUnavailable": 1},
                opts=self.child(provider, depends_on=[self.namespace]))
        self.service_monitor = None
        if s.monitoring_crds is not None:
            self.service_monitor = custom_resource(
                self, f"{name}-servicemonitor", MONITORING, "ServiceMonitor", NAME, NAMESPACE,
                {"selector": {"matchLabels": dict(POD_LABELS)}, "endpoints": [{"port": "metrics", "interval": "30s"}]},
                provider, [s.monitoring_crds, self.namespace])

    def network_policies(self, gateway: Peer, prometheus: Sequence[Peer]) -> list[NamespacePolicies]:
        """The ratelimit service's namespace (when it runs): the gateway asks it (gRPC), Prometheus scrapes it."""
        if not self.service_namespace:
            return []
        return [NamespacePolicies(self.service_namespace, (
            Allow("allow-ingressgateway", POD_LABELS, [gateway], (GRPC_PORT,)),
            Allow("allow-prometheus", POD_LABELS, prometheus, (METRICS_PORT,)),
        ), (self.namespace,))]

    def client(self) -> Optional[Peer]:
        """The ratelimit service's pods, which dial the data tier's Redis for their counters (or None)."""
        return Peer(self.service_namespace, POD_LABELS) if self.service_namespace else None
