"""The platform layer (docs/platform.md): mesh and edge, certificates, data tier, observability, policies.

Independent parts are built side by side; the only dependencies are real ones: CRD-bearing
releases before their custom resources, istiod before the gateway (injection), namespaces
before what lives in them. What the Tartware release must wait for is handed over in
``PlatformHandle.release_dependencies`` (istiod + istio-cni for injection, the data tier's
releases, ingress-nginx only when the chart renders an Ingress its admission webhook checks).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any, Optional

import pulumi

from components.handles import PlatformHandle
from components.network import PolicyHome
from facts import catalog
from facts.endpoints import LOAD_TEST_POD_LABELS, OPS_NAMESPACE
from facts.endpoints import DataTierEndpoints
from facts.ratelimit import Exemption
from settings.platform import CpuMemory

from ..base import TartwareComponent, type_token
from . import cert_manager, edge_rate_limit, ingress_nginx, mesh, metrics_server, operator_access
from ..kit import NamespacePolicies, NetworkPolicies, NetworkPoliciesArgs, Peer, psa_labels
from .cert_manager import CertManagerArgs
from .data_tier import USES, DataArgs, DataTier
from .edge_rate_limit import EdgeRateLimitArgs, RateLimitServiceArgs
from .ingress_nginx import IngressNginxArgs
from .mesh import MeshArgs
from .metrics_server import MetricsServerArgs
from .observability import OTLP_PORTS, Observability
from .observability_values import ObservabilityArgs
from .operator_access import OperatorAccessArgs

ROUTES = ("api", "grafana", "jaeger", "prometheus")
# Every host on the gateway but the API's is an operator tool's: guarded by operatorAccess (sso,
# allowlist), or not routed at all (internal). docs/platform.md "Operator access".
OPERATOR_ROUTES = ("grafana", "jaeger", "prometheus", "locust")
MESH_METRICS_PORTS = (15020, 15090)  # merged app+agent metrics, Envoy stats


@dataclass(frozen=True)
class PlatformArgs:
    """The platform layer: its parts' args, and what it reads of the other layers."""

    domain: str
    data: DataArgs
    observability: ObservabilityArgs
    api_route: str  # istio | ingress: how api.<domain> reaches the API gateway
    network_policies: bool
    acme_solver: str  # istio | nginx: which ingress the HTTP-01 solver pods are reached through
    mesh: Optional[MeshArgs] = None  # tls and tracing are filled from the certs and observability parts
    certs: Optional[CertManagerArgs] = None
    edge: Optional[IngressNginxArgs] = None
    metrics_server: Optional[MetricsServerArgs] = None
    edge_rate_limit: int = 0  # requests per second per client connection at the gateway; 0 = off
    edge_rate_limit_burst: int = 0
    # (replicas, request, limit) of the envoyproxy/ratelimit Deployment behind the per-client limit
    edge_rate_limit_pods: tuple[int, CpuMemory, CpuMemory] = (1, CpuMemory("50m", "64Mi"), CpuMemory("250m", "128Mi"))
    edge_rate_limit_max_replicas: int = 1  # the ratelimit HPA's ceiling
    tartware_namespace: str = "tartware-system"
    chart_ingress: bool = False  # the Tartware chart renders its Ingress (ingress-nginx routes the API)
    load_test_profile: Optional[str] = None  # "load", "locust", ... ; None when no load test is set
    backup: bool = False  # the nightly pg_dump CronJob reaches the database
    restore: bool = False  # the restore Job reaches the database
    edge_exempt: Exemption = Exemption()  # what the per-client edge limit spares (edge_exemption)
    # how operators reach the operator tools: the guard of the operator hosts (sso, allowlist; the gateway
    # selector and CRDs are filled by the platform), and whether they are routed at all (not: internal)
    operator_access: Optional[OperatorAccessArgs] = None
    public_operator_hosts: bool = True


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

        # --- the platform's parts; what waits for what is said at each
        self.observability = Observability(f"{name}-observability", args.observability, opts=child)
        # cert-manager and ingress-nginx render ServiceMonitors: they wait for the release installing its CRD
        monitoring = (self.observability.crd_release,)
        self.certs = (cert_manager.CertManager(f"{name}-certs", dataclasses.replace(
            args.certs, waits_for=(*args.certs.waits_for, *monitoring)), opts=child) if args.certs is not None else None)
        # the data tier's PodMonitors/PrometheusRule need the monitoring CRDs, the Barman Cloud
        # plugin cert-manager's (its gRPC certificates); its PostgreSQL part makes the allows its
        # Cluster needs where the NetworkPolicies below keep theirs (components/network.py PolicyHome)
        network_name = f"{name}-network"
        policy_home = (PolicyHome(network_name, pulumi.resource.create_urn(
            network_name, type_token(NetworkPolicies.AREA, NetworkPolicies.__name__), parent=self))
            if args.network_policies else None)
        self.data = DataTier(f"{name}-data", dataclasses.replace(
            args.data, monitoring_crds=self.observability.crd_release,
            cert_manager=self.certs.release if self.certs is not None else None, policies=policy_home), opts=child)
        # the guard of the operator hosts (sso: oauth2-proxy, which istiod names as the external authorizer)
        self.access = (operator_access.OperatorAccess(f"{name}-access", dataclasses.replace(
            args.operator_access, gateway_namespace=mesh.NAMESPACE,
            gateway_selector={"istio": mesh.GATEWAY_POD_LABELS["istio"]},
            monitoring_crds=self.observability.crd_release), opts=child)
            if args.operator_access is not None and args.mesh is not None else None)
        # the mesh traces to the observability part's collector; its gateway serves HTTPS with cert-manager
        self.mesh = (mesh.Mesh(f"{name}-mesh", dataclasses.replace(
            args.mesh, tls=self.certs is not None,
            tracing=(self.observability.otlp_grpc_host, self.observability.otlp_grpc_port),
            ext_authz=self.access.provider_entry if self.access is not None else None), opts=child)
            if args.mesh is not None else None)
        self.edge_rate_limit = None
        if self.mesh is not None and args.edge_rate_limit:
            # per-client limit where the client's address is known (ratelimit.py), counted in Redis
            self.edge_rate_limit = edge_rate_limit.EdgeRateLimit(f"{name}-edge-ratelimit", EdgeRateLimitArgs(
                mesh.NAMESPACE, args.edge_rate_limit, args.edge_rate_limit_burst,
                {"istio": mesh.GATEWAY_POD_LABELS["istio"]}, depends_on=(self.mesh.base,),
                service=self._rate_limit_service()), opts=child)
        self.edge = (ingress_nginx.IngressNginx(f"{name}-edge", dataclasses.replace(
            args.edge, waits_for=(*args.edge.waits_for, *monitoring)), opts=child) if args.edge is not None else None)
        self.metrics_server = (metrics_server.MetricsServer(f"{name}-metrics-server", args.metrics_server, opts=child)
                               if args.metrics_server is not None else None)
        endpoints: DataTierEndpoints = self.data.endpoints

        # --- routes on the Istio gateway, and the certificate they serve
        routed: dict[str, str] = {}
        if self.mesh is not None:
            if args.api_route == "istio":
                # the gateway's token-less paths (/metrics, /docs) are refused at the edge before the
                # API host is served (facts/api_paths.py)
                api_paths = self.mesh.deny_unauthenticated_paths(hosts["api"])
                self.mesh.route("api", hosts["api"], catalog.GATEWAY, args.tartware_namespace,
                                catalog.SERVICES[catalog.GATEWAY].port, after=[api_paths])
            operator: dict[str, tuple[str, str, str, int]] = {}  # route -> host, Service, namespace, port
            if args.load_test_profile == "locust":
                # the Locust web UI (tartware-ops/locust-master:8089, components/operations/loadtest.py) behind the gateway
                operator["locust"] = (f"locust.{domain}", "locust-master", OPS_NAMESPACE, 8089)
            obs_services = self.observability.services
            for route in ("grafana", "jaeger", "prometheus"):
                if route in obs_services:
                    svc, port = obs_services[route]
                    operator[route] = (hosts[route], svc, self.observability.namespace, port)
            if args.public_operator_hosts:  # internal: no operator route on the public gateway at all
                guard = []
                if self.access is not None:
                    acme = self.certs is not None and self.certs.issuer == cert_manager.ACME_ISSUER
                    policy = self.access.guard([h for h, *_ in operator.values()], acme, [self.mesh.base])
                    guard = [policy] if policy is not None else []
                for route, (host, svc, ns, port) in operator.items():
                    # a route waits for the policy that guards it: never served unguarded
                    self.mesh.route(route, host, svc, ns, port, after=guard)
            routed = dict(self.mesh.hosts)
            if routed:
                # with TLS the operator hosts answer plain HTTP with a 301 to HTTPS (a login never crosses
                # in clear); not with the ACME issuer, whose HTTP-01 challenge the CA fetches over plain
                # HTTP from every host of the certificate (RFC 8555 section 8.3), before any certificate
                # exists (docs/platform.md "Operator access"). The API host keeps port 80: the in-cluster
                # load tests use it (docs/operations.md "Where the load goes").
                acme = self.certs is not None and self.certs.issuer == cert_manager.ACME_ISSUER
                redirect = ([h for r, h in routed.items() if r != "api"]
                            if self.certs is not None and not acme else [])
                self.mesh.gateway_resource(sorted(routed.values()), redirect=sorted(redirect))
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

        self.network = (NetworkPolicies(network_name, NetworkPoliciesArgs(tuple(self._policies())), opts=child)
                        if args.network_policies else None)

        self.handle = PlatformHandle(
            endpoints=endpoints,
            tartware_namespace_labels=tartware_namespace_labels(args.mesh),
            chart_overrides=overrides,
            release_dependencies=tuple(deps),
            ingress_address=self.mesh.ingress_address if self.mesh is not None else None,
            hosts={"api": hosts["api"], **routed},
            internal_routes=() if args.public_operator_hosts else OPERATOR_ROUTES,
            tls=self.mesh is not None and self.certs is not None,
            monitoring_crds=self.observability.crd_release,
            database=self._database(),
            edge=self._edge(),
        )
        self.register_outputs({
            "hosts": dict(self.handle.hosts),
            "istioVersion": self.mesh.version if self.mesh is not None else "",
            "clusterIssuer": self.certs.issuer if self.certs is not None else "",
        })

    def _database(self) -> tuple[pulumi.Resource, ...]:
        """The PostgreSQL ``Cluster`` (awaited until Ready: its primary and ``<cluster>-rw`` serve) and
        the policies admitting the backup and restore pods."""
        db = self.data.namespaces.get("database")
        if db is None:
            return ()
        policies = self.network.policies if self.network is not None else {}
        return (self.data.postgres.cluster,
                *(policies[(db, n)] for n in ("allow-backup", "allow-restore") if (db, n) in policies))

    def _edge(self) -> tuple[pulumi.Resource, ...]:
        """istio-ingressgateway as an in-cluster client reaches it: its Deployment, Service and
        routes, and the policy admitting clients to it where the namespace is isolated."""
        if self.mesh is None:
            return ()
        policies = self.network.policies if self.network is not None else {}
        key = (self.mesh.namespace_name, "allow-ingressgateway")
        return (self.mesh.gateway, self.mesh.gateway_objects["Service"], *self.mesh.routes,
                *((policies[key],) if key in policies else ()))

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
            edge_peers.append(peer(ingress_nginx.NAMESPACE, ingress_nginx.CONTROLLER_POD_LABELS))

        data_tier: dict[str, Any] = {}
        for logical, use in USES.items():
            if logical in self.data.namespaces and self.data.ports.get(logical):
                data_tier[use] = peer(self.data.namespaces[logical], self.data.pod_selectors.get(logical),
                                      self.data.ports[logical])
        if "database" in data_tier and self.data.backup_target_pods:
            # the migration hook Job connects to the primary itself (components/tartware_values.py migration.admin)
            data_tier["databasePrimary"] = peer(self.data.namespaces["database"], self.data.backup_target_pods,
                                                self.data.ports["database"])

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
        """Default-deny plus allows for each namespace the platform creates, in creation order: each
        part declares its own namespace's allows (its ``network_policies``); the platform hands it the
        peers from its siblings (Prometheus, the gateway, the Tartware services)."""
        args = self.args
        prom = [Peer(self.observability.namespace, self.observability.prometheus_pod_labels)]
        tartware = Peer(args.tartware_namespace, {"app.kubernetes.io/part-of": catalog.PART_OF})
        gateway = Peer(mesh.NAMESPACE, mesh.GATEWAY_POD_LABELS)
        policies: list[NamespacePolicies] = []
        if self.mesh is not None:
            solver_from = [gateway] if args.acme_solver == "istio" else (
                [Peer(ingress_nginx.NAMESPACE, ingress_nginx.CONTROLLER_POD_LABELS)] if self.edge is not None else [])
            solver = self.certs.acme_solver_allows(solver_from) if self.certs is not None else []
            policies.append(self.mesh.network_policies(prom, solver))
        if self.edge is not None:
            policies.append(self.edge.network_policies(prom))
        if self.certs is not None:
            policies.append(self.certs.network_policies(prom))
        if self.access is not None:
            policies += self.access.network_policies(gateway, prom)
        rate_limit = None
        if self.edge_rate_limit is not None:
            policies += self.edge_rate_limit.network_policies(gateway, prom)
            rate_limit = self.edge_rate_limit.client()
        policies += self.data.network_policies(tartware, prom, rate_limit, bool(args.backup), bool(args.restore))
        policies += self.observability.network_policies(tartware, gateway if self.mesh is not None else None,
                                                        args.public_operator_hosts)
        return policies
