"""The platform layer (docs/platform.md): mesh and edge, certificates, data tier, observability, policies.

Independent parts are built side by side; the only dependencies are real ones: CRD-bearing
releases before their custom resources, istiod before the gateway (injection), namespaces
before what lives in them. What the Tartware release must wait for is handed over in
``PlatformHandle.release_dependencies`` (istiod + istio-cni for injection, the data tier's
releases, ingress-nginx only when the chart renders an Ingress its admission webhook checks).
"""

from __future__ import annotations

import dataclasses

from typing import Any, Optional

import pulumi

from stacks import catalog
from stacks.endpoints import BACKUP_POD_LABELS, LOAD_TEST_POD_LABELS, OPS_NAMESPACE, RESTORE_POD_LABELS
from stacks.endpoints import DataTierEndpoints
from stacks.args import EdgeRateLimitArgs, MeshArgs, NetworkPoliciesArgs, PlatformArgs, RateLimitServiceArgs

from ..base import TartwareComponent
from stacks.handles import PlatformHandle
from . import certs, edge, mesh, metrics, ratelimit
from ..kit import ALL_PODS, ANYWHERE, Allow, NamespacePolicies, NetworkPolicies, Peer, psa_labels

from .data import DataTier
from .observability import Observability

ROUTES = ("api", "grafana", "jaeger", "prometheus")
# Container ports behind the observability Services the gateway routes to (Grafana 3000,
# Prometheus 9090, Jaeger query UI 16686), allowed next to the Service ports Observability reports.
UI_TARGET_PORTS = {"grafana": 3000, "prometheus": 9090, "jaeger": 16686}
OTLP_PORTS = (4317, 4318)
OBSERVABILITY_WEBHOOK_PORTS = (10250, 6443)  # prometheus-operator admission webhook, prometheus-adapter API
MESH_METRICS_PORTS = (15020, 15090)  # merged app+agent metrics, Envoy stats
# DataTier logical names -> the chart's `uses` keys
USES = {"database": "database", "cache": "redis", "messaging": "kafka"}


def _host_ns_port(address: str) -> tuple[str, int]:
    """``redis-master.cache.svc.cluster.local:6379`` or a URL -> (namespace, port)."""
    rest = address.split("://")[-1].split(",")[0]
    host, _, port = rest.partition(":")
    return host.split(".")[1], int(port.split("/")[0]) if port else 80


def tartware_namespace_labels(mesh: Optional[MeshArgs]) -> dict[str, str]:
    """Injection on, and the PSA level injected pods need.

    With istio-cni the injected ``istio-validation`` init container and the proxy run as 1337,
    non-root, no privilege escalation, all capabilities dropped (injection-template.yaml at 1.22.8),
    and our pods set seccomp RuntimeDefault at pod level: ``restricted`` holds. Without CNI the
    ``istio-init`` container adds NET_ADMIN/NET_RAW and runs as root: only ``privileged`` admits it.
    """
    if mesh is None:
        return {}
    return {"istio-injection": "enabled", **psa_labels("restricted" if mesh.istio_cni else "privileged")}


class Platform(TartwareComponent):
    AREA = "platform"

    def __init__(self, name: str, args: PlatformArgs, opts: pulumi.ResourceOptions):
        super().__init__(name, opts)
        self.args = args
        domain = args.domain
        child = pulumi.ResourceOptions(parent=self, provider=self.provider)
        hosts = {route: f"{route}.{domain}" for route in ROUTES}

        # --- independent roots: none of these waits for another
        self.data = DataTier(f"{name}-data", args.data, opts=child)
        self.observability = Observability(f"{name}-observability", args.observability, opts=child)
        self.certs = certs.CertManager(f"{name}-certs", args.certs, opts=child) if args.certs is not None else None
        # the mesh traces to the observability part's collector; its gateway serves HTTPS with cert-manager
        self.mesh = (mesh.Mesh(f"{name}-mesh", dataclasses.replace(
            args.mesh, tls=self.certs is not None,
            tracing=(self.observability.otlp_grpc_host, self.observability.otlp_grpc_port)), opts=child)
            if args.mesh is not None else None)
        self.edge_rate_limit = None
        if self.mesh is not None and args.edge_rate_limit:
            # per-client limit where the client's address is known (ratelimit.py), counted in Redis
            self.edge_rate_limit = ratelimit.EdgeRateLimit(f"{name}-edge-ratelimit", EdgeRateLimitArgs(
                mesh.NAMESPACE, args.edge_rate_limit, args.edge_rate_limit_burst,
                {"istio": mesh.GATEWAY_POD_LABELS["istio"]}, depends_on=(self.mesh.base,),
                service=self._rate_limit_service()), opts=child)
        self.edge = edge.IngressNginx(f"{name}-edge", args.edge, opts=child) if args.edge is not None else None
        self.metrics_server = (metrics.MetricsServer(f"{name}-metrics-server", args.metrics_server, opts=child)
                               if args.metrics_server is not None else None)
        endpoints: DataTierEndpoints = self.data.endpoints

        # --- routes on the Istio gateway, and the certificate they serve
        routed: dict[str, str] = {}
        if self.mesh is not None:
            if args.api_route == "istio":
                self.mesh.route("api", hosts["api"], catalog.GATEWAY, args.tartware_namespace,
                                catalog.SERVICES[catalog.GATEWAY].port)
            if args.load_test_profile == "locust":
                # the Locust web UI (tartware-ops/locust-master:8089, components/loadtest.py) behind the gateway
                self.mesh.route("locust", f"locust.{domain}", "locust-master", OPS_NAMESPACE, 8089)
            obs_services = self.observability.services
            for route in ("grafana", "jaeger", "prometheus"):
                if route in obs_services:
                    svc, port = obs_services[route]
                    self.mesh.route(route, hosts[route], svc, self.observability.namespace, port)
            routed = dict(self.mesh.hosts)
            if routed:
                self.mesh.gateway_resource(sorted(routed.values()))
            if self.certs is not None and routed:
                self.gateway_certificate = self.certs.certificate(
                    "gateway-tls", mesh.GATEWAY_TLS_SECRET, mesh.NAMESPACE, sorted(routed.values()),
                    [self.mesh.namespace])

        # --- what the Tartware release waits for, and what the chart is told
        chart_ingress = args.chart_ingress
        deps: list[pulumi.Resource] = []
        if self.mesh is not None:
            deps += self.mesh.release_dependencies
        deps += list(self.data.releases)
        if chart_ingress and self.edge is not None:
            deps.append(self.edge.release)  # its admission webhook validates the chart's Ingress

        overrides: dict[str, Any] = {"ingress": {"enabled": chart_ingress}}
        # the in-cluster k6 generators run outside the mesh, like ingress-nginx
        load_test = args.load_test_profile is not None
        if self.mesh is not None:
            overrides["mesh"] = {
                "enabled": True,
                "mtls": "STRICT",
                # unmeshed clients (ingress-nginx, k6) speak plain text to the API gateway port only
                "permissivePorts": ({catalog.GATEWAY: [catalog.SERVICES[catalog.GATEWAY].port]}
                                    if chart_ingress or load_test else {}),
            }
        overrides["networkPolicy"] = self._chart_policy(endpoints, chart_ingress)
        if load_test:
            overrides["networkPolicy"]["edge"].append({"namespace": OPS_NAMESPACE,
                                                       "podLabels": dict(LOAD_TEST_POD_LABELS)})
            # Locust workers, when locustHost points at the in-cluster gateway
            overrides["networkPolicy"]["edge"].append({"namespace": OPS_NAMESPACE,
                                                       "podLabels": {"app.kubernetes.io/name": "locust"}})

        self.network = (NetworkPolicies(f"{name}-network", NetworkPoliciesArgs(tuple(self._policies())), opts=child)
                        if args.network_policies else None)

        self.handle = PlatformHandle(
            endpoints=endpoints,
            tartware_namespace_labels=tartware_namespace_labels(args.mesh),
            chart_overrides=overrides,
            release_dependencies=tuple(deps),
            ingress_address=self.mesh.ingress_address if self.mesh is not None else None,
            hosts={"api": hosts["api"], **routed},
            tls=self.mesh is not None and self.certs is not None,
            monitoring_crds=self.observability.crd_release,
        )
        self.register_outputs({
            "hosts": dict(self.handle.hosts),
            "istioVersion": self.mesh.version if self.mesh is not None else "",
            "clusterIssuer": self.certs.issuer if self.certs is not None else "",
        })

    def _rate_limit_service(self) -> Optional[RateLimitServiceArgs]:
        """envoyproxy/ratelimit on the data tier's Redis; None without Redis."""
        d = self.args.data
        if not d.data.redis:
            return None
        replicas, request, limit = self.args.edge_rate_limit_pods
        endpoints = self.data.endpoints
        return RateLimitServiceArgs(
            replicas=replicas, request=request, limit=limit, exempt=self.args.edge_exempt,
            redis_host=endpoints.redis_host, redis_port=endpoints.redis_port,
            redis_password=d.credentials.redis_password, secrets=d.secrets, redis=(self.data.redis,),
            monitoring_crds=self.observability.crd_release, max_replicas=self.args.edge_rate_limit_max_replicas)

    # ------------------------------------------------------------------ chart wiring

    def _chart_policy(self, endpoints: DataTierEndpoints, chart_ingress: bool) -> dict[str, Any]:
        def peer(ns: str, labels: Optional[dict] = None, ports: tuple[int, ...] | list[int] = ()) -> dict[str, Any]:
            out: dict[str, Any] = {"namespace": ns}
            if labels:
                out["podLabels"] = dict(labels)
            if ports:
                out["ports"] = list(ports)
            return out

        edge_peers = []
        if self.mesh is not None and self.args.api_route == "istio":
            edge_peers.append(peer(mesh.NAMESPACE, mesh.GATEWAY_POD_LABELS))
        if self.edge is not None and chart_ingress:
            edge_peers.append(peer(edge.NAMESPACE, edge.CONTROLLER_POD_LABELS))

        data_tier: dict[str, Any] = {}
        for logical, use in USES.items():
            if logical in self.data.namespaces and self.data.ports.get(logical):
                data_tier[use] = peer(self.data.namespaces[logical], self.data.pod_selectors.get(logical),
                                      self.data.ports[logical])

        egress = []
        if self.mesh is not None:
            egress.append(peer(mesh.NAMESPACE, mesh.ISTIOD_POD_LABELS, mesh.ISTIOD_PORTS))
        otlp_ns, otlp_port = _host_ns_port(self.observability.otlp_endpoint)
        egress.append(peer(otlp_ns, None, sorted({otlp_port, *OTLP_PORTS})))

        scraper = peer(self.observability.namespace, self.observability.prometheus_pod_labels,
                       MESH_METRICS_PORTS if self.mesh is not None else ())
        return {"enabled": self.args.network_policies, "edge": edge_peers, "scraper": scraper,
                "dataTier": data_tier, "egressTo": egress}

    # ------------------------------------------------------------------ namespace policies

    def _policies(self) -> list[NamespacePolicies]:
        """Default-deny plus allows for each namespace the platform creates, in creation order."""
        args = self.args
        policies: list[NamespacePolicies] = []

        def namespace(ns: str, allows: list[Allow], depends_on: list[pulumi.Resource]) -> None:
            policies.append(NamespacePolicies(ns, tuple(allows), tuple(depends_on)))
        prom = [Peer(self.observability.namespace, self.observability.prometheus_pod_labels)]
        scrape = [Allow("allow-prometheus", {}, prom)]
        tartware = Peer(args.tartware_namespace, {"app.kubernetes.io/part-of": catalog.PART_OF})
        gateway = Peer(mesh.NAMESPACE, mesh.GATEWAY_POD_LABELS)

        if self.mesh is not None:
            solver_from = [gateway] if args.acme_solver == "istio" else (
                [Peer(edge.NAMESPACE, edge.CONTROLLER_POD_LABELS)] if self.edge is not None else [])
            allows = [
                # LoadBalancer clients come from anywhere; 15021 is the LB health check
                Allow("allow-ingressgateway", mesh.GATEWAY_POD_LABELS, [ANYWHERE], mesh.GATEWAY_PORTS),
                # every sidecar (any namespace) dials istiod for config and certificates
                Allow("allow-istiod-xds", {"app": "istiod"}, [ALL_PODS], mesh.ISTIOD_PORTS),
                # the API server calls the injection/validation webhooks (not a pod: any source)
                Allow("allow-istiod-webhook", {"app": "istiod"}, [ANYWHERE], (mesh.ISTIOD_WEBHOOK_PORT,)),
                *scrape,
            ]
            # HTTP-01 solver pods exist only while an ACME issuer answers a challenge
            if self.certs is not None and solver_from and self.certs.issuer == certs.ACME_ISSUER:
                allows.append(Allow("allow-acme-solver", certs.SOLVER_POD_LABELS, solver_from, (certs.SOLVER_PORT,)))
            namespace(mesh.NAMESPACE, allows, [self.mesh.namespace])
        if self.edge is not None:
            namespace(edge.NAMESPACE, [
                Allow("allow-controller", edge.CONTROLLER_POD_LABELS, [ANYWHERE],
                      (*edge.CONTROLLER_PORTS, edge.ADMISSION_PORT)),
                *scrape,
            ], [self.edge.namespace])
        if self.certs is not None:
            namespace(certs.NAMESPACE, [
                Allow("allow-webhook", certs.WEBHOOK_POD_LABELS, [ANYWHERE], (certs.WEBHOOK_PORT,)),
                *scrape,
            ], [self.certs.namespace])
        rl_service = self.edge_rate_limit.service_namespace if self.edge_rate_limit is not None else None
        if rl_service:
            # the gateway asks the ratelimit service (gRPC), Prometheus scrapes it (ratelimit.py)
            namespace(rl_service, [
                Allow("allow-ingressgateway", ratelimit.POD_LABELS, [gateway], (ratelimit.GRPC_PORT,)),
                Allow("allow-prometheus", ratelimit.POD_LABELS, prom, (ratelimit.METRICS_PORT,)),
            ], [self.edge_rate_limit.namespace])
        d = args.data.data
        # pods of a release that talk to each other: replicas and primary, Sentinel, Raft/gossip;
        # Redpanda's post-install Job configures the brokers over the admin API even with one broker
        peers = {"database": d.postgres_read_replicas > 0, "cache": d.redis_sentinel, "messaging": True,
                 "consul": d.consul_servers > 1}
        for logical, ns in self.data.namespaces.items():
            allows = [*([Allow("allow-same-namespace", {}, [Peer()])] if peers.get(logical) else []), *scrape]
            ports = self.data.ports.get(logical) or []
            if ports and logical in USES:  # only what the chart's services connect to (consul: nothing)
                allows.append(Allow("allow-tartware", self.data.pod_selectors.get(logical) or {}, [tartware],
                                    ports))
            if logical == "cache" and rl_service:  # the edge rate limit's counters
                allows.append(Allow("allow-ratelimit", self.data.pod_selectors.get(logical) or {},
                                    [Peer(rl_service, ratelimit.POD_LABELS)], (self.data.endpoints.redis_port,)))
            if logical == "database" and ports and args.backup:
                # the nightly pg_dump CronJob (components/operations.py)
                allows.append(Allow("allow-backup", self.data.pod_selectors.get(logical) or {},
                                    [Peer(OPS_NAMESPACE, BACKUP_POD_LABELS)], ports))
                if args.restore:  # the restore Job, only while it is asked for
                    allows.append(Allow("allow-restore", self.data.pod_selectors.get(logical) or {},
                                        [Peer(OPS_NAMESPACE, RESTORE_POD_LABELS)], ports))
            if logical == "database" and ports:
                # The guide's "Database Connection Issues" runbook:
                #   kubectl run -it --rm debug --image=postgres:16 --restart=Never -- psql -h ...
                # runs in `default`, and `kubectl run` labels the pod run=debug.
                allows.append(Allow("allow-runbook-debug-pod", self.data.pod_selectors.get(logical) or {},
                                    [Peer("default", {"run": "debug"})], ports))
            namespace(ns, allows, [self.data])
        obs_ns = self.observability.namespace
        ui_ports = sorted({*(port for _, port in self.observability.services.values()),
                           *UI_TARGET_PORTS.values()})
        namespace(obs_ns, [
            Allow("allow-same-namespace", {}, [Peer()]),
            Allow("allow-otlp", {}, [tartware] + ([gateway] if self.mesh is not None else []), OTLP_PORTS),
            *([Allow("allow-ingressgateway", {}, [gateway], ui_ports)] if self.mesh is not None else []),
            Allow("allow-webhooks", {}, [ANYWHERE], OBSERVABILITY_WEBHOOK_PORTS),
            # k6 generators remote-write to Prometheus, the coordinator queries it (components/loadtest.py)
            *([Allow("allow-load-test", self.observability.prometheus_pod_labels,
                     [Peer(OPS_NAMESPACE, LOAD_TEST_POD_LABELS)], (9090,))]
              if args.observability.remote_write_receiver else []),
        ], [self.observability])
        extra_ns = self.observability.node_exporter_namespace
        if extra_ns and extra_ns != obs_ns:  # hostNetwork pods: policies do not apply, deny anyway
            namespace(extra_ns, [], [self.observability])  # an allow would admit nothing either
        return policies
