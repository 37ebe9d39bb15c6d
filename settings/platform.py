"""Platform settings: mesh and edge, certificates, network policies.

Keys are read only here; ``components/platform`` receives the frozen ``PlatformSettings``.
Env-specific defaults (replica counts, sidecar sizes) are resolved in ``build`` from
``ctx.is_prod`` when a key is unset. Rules that need keys of other sections (the domain,
``hpaRequestsPerSecondTarget``, ``tlsClusterIssuer``, the observability switches) live in
``rules.check_platform`` (rules/cross_section.py), which the loader runs once every section is valid.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass
from typing import Annotated, Any, Callable, Literal, Mapping, Optional


from pydantic import Field

from facts import ratelimit, versions
from . import targets
from .ops import EDGE_LOAD_TEST_TARGET, EdgePath
from .errors import ProblemCollector, key
from facts.metrics_probe import Found
from .quantities import Cpu, Memory
from .schema import (
    BuildContext,
    Setting,
    SettingsModel,
    decode_arrays,
    env_default,
    from_input,
    validate_section,
)


NAME = "platform"

COMPONENTS = ("istio", "istioCni", "ingressNginx", "certManager", "networkPolicies")


def _by_target(trait: Callable[[targets.Target], str]) -> str:
    """A trait of each target, grouped: 'none on existing, cloud on eks, ...'."""
    by: dict[str, list[str]] = {}
    for t in targets.TARGETS.values():
        by.setdefault(trait(t), []).append(t.name)
    return ", ".join(f"{lb} on {', '.join(names[:-1]) + ' and ' if len(names) > 1 else ''}{names[-1]}"
                     for lb, names in by.items())


def _default_load_balancers() -> str:
    return _by_target(lambda t: t.default_load_balancer)


def _metrics_server_auto() -> str:
    """metricsServer=auto on each target, from its traits (settings/targets/base.py): never where the
    cluster bundles one; asked of the cluster where the target asks, else by the kubeconfig context."""
    ships: dict[str, list[str]] = {}
    for t in targets.TARGETS.values():
        if t.bundled_metrics_server:
            ships.setdefault(t.bundled_metrics_server.distribution, []).append(t.name)
    asks = [t.name for t in targets.TARGETS.values() if t.asks_for_metrics_server]
    prefixes = [f"{p}*" for t in targets.TARGETS.values() for p in t.bundled_metrics_contexts]
    text = [f"never on {' and '.join(names)} ({d} bundles it)" for d, names in ships.items()]
    if asks:
        text.append("on " + " and ".join(asks) + ", kubectl asks the cluster whether APIService "
                    "v1beta1.metrics.k8s.io exists and whose it is: installed unless someone else's serves it; "
                    "when the cluster cannot be asked, installed unless the context is " + " or ".join(prefixes)
                    + ", with a warning")
    return "; ".join(text)


DECLARED: tuple[Setting, ...] = (
    Setting("istioVersion", "string",
            "Istio chart version (base, istiod, cni; the gateway proxy follows istiod): "
            + " or ".join(versions.ISTIO_LINES) + ". Unset: the guide's " + versions.ISTIO_VERSION
            + ", or the newest pinned line that supports the "
            "cluster's Kubernetes version when the target pins one (1.22 supports Kubernetes 1.27-1.30 only)."),
    Setting("istioGatewayMinReplicas", "integer", "istio-ingressgateway replicas at least (1-50).", per_env=(1, 3)),
    Setting("istioGatewayMaxReplicas", "integer", "istio-ingressgateway replicas at most (1-50).", per_env=(1, 10)),
    Setting("istiodMinReplicas", "integer", "istiod replicas at least (1-10; autoscaled to 5 in prod).",
            per_env=(1, 2)),
    Setting("ingressNginxReplicas", "integer", "ingress-nginx controller replicas at least (1-20).", per_env=(1, 2)),
    # RKE2 (vsphere, baremetal) keeps its CNI in the standard host directories, not under
    # /var/lib/rancher/rke2: its default CNI, canal, installs into hostPath /opt/cni/bin and /etc/cni/net.d
    # (rancher/rke2@v1.34.1+rke2r1 charts/chart_versions.yaml pins rke2-canal v3.30.3-build2025090900;
    # rancher/rke2-charts@792a8f4 charts/rke2-canal/rke2-canal/v3.30.3-build2025090900/templates/daemonset.yaml,
    # volumes cni-bin-dir and cni-net-dir), and RKE2's istio-cni note says the same
    # (rancher/rke2-docs@9477b7b docs/known_issues.md, "Istio in Selinux Enforcing System Fails by Default").
    # The /var/lib/rancher/k3s/... paths are k3s's with its embedded flannel
    # (istio/istio@1.29.6 manifests/helm-profiles/platform-k3s.yaml), which RKE2 turns off
    # (rancher/rke2@v1.34.1+rke2r1 pkg/cli/defaults/defaults.go: FlannelBackend = "none").
    Setting("istioCniBinDir", "string", "Host directory of CNI binaries for istio-cni. Unset: "
            + _by_target(lambda t: t.cni_dirs.bin_dir) + ".",
            example="an absolute host path such as '/opt/cni/bin'"),
    Setting("istioCniConfDir", "string", "Host directory of CNI configuration for istio-cni. Unset: "
            + _by_target(lambda t: t.cni_dirs.conf_dir) + ".",
            example="an absolute host path such as '/etc/cni/net.d'"),
    Setting("apiRoute", "string",
            "How api.<domain> reaches api-gateway: istio (VirtualService on istio-ingressgateway) or ingress "
            "(the chart's Ingress through ingress-nginx). Unset: istio when Istio is on, else ingress."),
    Setting("certIssuer", "string",
            "Issuer of the gateway certificate: auto (ACME for a public domain when acmeEmail is set, else the "
            "self-signed CA), selfSigned, or acme.", "auto"),
    Setting("acmeEmail", "string", "ACME (Let's Encrypt) account e-mail; required for certIssuer=acme.", "",
            example="an e-mail address such as 'ops@example.com', or empty"),
    Setting("acmeServer", "string", "Let's Encrypt environment: production or staging.", "production"),
    Setting("acmeSolver", "string",
            "Ingress that answers ACME http01 challenges: istio (istio-ingressgateway) or nginx.", "istio"),
    Setting("metricsServer", "string",
            "metrics-server for the HPAs' CPU/memory metrics, kubectl top and the VPA recommender: auto ("
            + _metrics_server_auto() + "), install, or skip (the cluster already has one: GKE, AKS, k3s, RKE2).",
            "auto"),
    Setting("loadBalancer", "string",
            "What gives Services of type LoadBalancer an address: none (the edge Services, istio-ingressgateway "
            "and ingress-nginx-controller, become NodePort so nothing waits for an address), cloud (the cloud "
            "provider, e.g. AWS), metallb, or cloud-provider-kind (kind). Unset: " + _default_load_balancers()
            + " (the cluster layer installs MetalLB with loadBalancerAddresses)."),
    Setting("metricsServerInsecureTls", "boolean",
            "Pass --kubelet-insecure-tls (kind/k3d kubelets serve self-signed certificates).",
            per_env=(True, False)),
    Setting("edgeRateLimit", "integer",
            "Requests per second each client address may send through istio-ingressgateway (Envoy's global rate "
            "limit: the envoyproxy/ratelimit service on the data tier's Redis, one counter per address), also the "
            "rate of the per-connection backstop; 0 = off. docs/platform.md \"Rate limiting\".",
            ratelimit.EDGE_REQUESTS_PER_SECOND),
    Setting("edgeRateLimitBurst", "integer",
            "Token bucket size of the per-connection backstop (Envoy local rate limit at edgeRateLimit per second): "
            "the burst one connection may send.", ratelimit.EDGE_BURST),
    Setting("edgeRateLimitExemptCidrs", "array",
            "IPv4 networks the per-client limit does not apply to, all with one prefix length (Envoy masks the "
            "address with one length), e.g. a partner's network. Unset: none (in-cluster load tests stay below "
            "the per-address limit or call the api-gateway Service, docs/operations.md \"Load tests\").",
            items="string", example="IPv4 networks such as '10.42.0.0/16'"),
    Setting("edgeTrustedProxies", "integer",
            "Proxies in front of istio-ingressgateway that append to X-Forwarded-For (Istio gatewayTopology."
            "numTrustedProxies, Envoy xff_num_trusted_hops): 0 when clients reach the gateway through an L4 load "
            "balancer (the default on every target), 1 behind one L7 proxy or CDN, ... (0-10).", 0),
    Setting("existingClusterCloud", "string",
            "The cloud an existing cluster (clusterTarget=existing) runs on, for the edge's client addresses: aws "
            "(a Service of type LoadBalancer gets an AWS load balancer that hides them: the PROXY protocol is "
            "enabled, as on eks) or other (the cloud's load balancer keeps them with externalTrafficPolicy Local). "
            "Required with clusterTarget=existing, loadBalancer=cloud and edgeRateLimit > 0."),
    Setting("edgeExternalTrafficPolicy", "string",
            "externalTrafficPolicy of the istio-ingressgateway Service: Local keeps the client's source address "
            "(no SNAT), Cluster spreads load evenly but hides it.", "Local"),
)
OBJECT_SETTINGS: tuple[str, ...] = ("platformComponents",)

# cert-manager object names (ClusterIssuers are cluster-scoped; the CA secret lives in cert-manager's
# namespace, the "cluster resource namespace" of ClusterIssuers).
SELF_SIGNED_ISSUER = "tartware-selfsigned"
CA_ISSUER = "tartware-ca"
ACME_ISSUER = "letsencrypt"
ACME_SERVERS = {
    "production": "https://acme-v02.api.letsencrypt.org/directory",
    "staging": "https://acme-staging-v02.api.letsencrypt.org/directory",
}
# Suffixes no public CA issues for (RFC 6761/6762/8375, ICANN "internal" reservation, common LAN use).
PRIVATE_SUFFIXES = (".local", ".localhost", ".internal", ".test", ".example", ".invalid", ".lan",
                    ".home.arpa", ".corp", ".intranet", ".localdomain", ".cluster.local")

# What implements Services of type LoadBalancer on the cluster (None of them on a plain kind,
# RKE2 or bare-metal cluster: such a Service stays <pending> and every wait on it never ends).
LOAD_BALANCERS = ("none", "cloud", "metallb", "cloud-provider-kind")

Count = Annotated[int, Field(ge=1, le=50)]
HostPath = Annotated[str, Field(pattern=r"^(/[A-Za-z0-9._-]+)+$")]


class ComponentsInput(SettingsModel):
    """``platformComponents``: switch platform components off (all on by default)."""

    istio: bool = True
    istio_cni: bool = True
    ingress_nginx: bool = True
    cert_manager: bool = True
    network_policies: bool = True


class PlatformInput(SettingsModel):
    istio_version: Optional[Literal[tuple(versions.ISTIO_LINES)]] = None  # type: ignore[valid-type]
    istio_gateway_min_replicas: Optional[Count] = None
    istio_gateway_max_replicas: Optional[Count] = None
    istiod_min_replicas: Optional[Annotated[int, Field(ge=1, le=10)]] = None
    ingress_nginx_replicas: Optional[Annotated[int, Field(ge=1, le=20)]] = None
    istio_cni_bin_dir: Optional[HostPath] = None
    istio_cni_conf_dir: Optional[HostPath] = None
    api_route: Optional[Literal["istio", "ingress"]] = None
    cert_issuer: Literal["auto", "selfSigned", "acme"]
    acme_email: Annotated[str, Field(pattern=r"^([A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,})?$")]
    acme_server: Literal["production", "staging"]
    acme_solver: Literal["istio", "nginx"]
    metrics_server: Literal["auto", "install", "skip"]
    metrics_server_insecure_tls: Optional[bool] = None
    load_balancer: Optional[Literal[LOAD_BALANCERS]] = None  # type: ignore[valid-type]
    edge_rate_limit: Annotated[int, Field(ge=0, le=1_000_000)]
    edge_rate_limit_burst: Annotated[int, Field(ge=1, le=10_000_000)]
    edge_rate_limit_exempt_cidrs: Optional[
        tuple[Annotated[str, Field(pattern=r"^(\d{1,3}\.){3}\d{1,3}/\d{1,2}$")], ...]] = None
    edge_trusted_proxies: Annotated[int, Field(ge=0, le=10)]
    edge_external_traffic_policy: Literal["Local", "Cluster"]
    existing_cluster_cloud: Optional[Literal["aws", "other"]] = None
    platform_components: ComponentsInput = Field(default_factory=ComponentsInput)


@dataclass(frozen=True)
class CpuMemory:
    cpu: str
    memory: str

    @property
    def millicores(self) -> int:
        return Cpu.parse(self.cpu).millicores

    @property
    def bytes(self) -> int:
        return Memory.parse(self.memory).bytes


@dataclass(frozen=True)
class PlatformSettings:
    is_prod: bool
    istio: bool
    istio_cni: bool
    ingress_nginx: bool
    cert_manager: bool
    network_policies: bool
    istio_version_setting: Optional[str]  # None: resolved against the cluster (istio_version_for)
    gateway_min_replicas: int
    gateway_max_replicas: int
    istiod_min_replicas: int
    istiod_max_replicas: int
    ingress_nginx_replicas: int
    api_route: str  # "istio" | "ingress"
    cert_issuer: str  # "auto" | "selfSigned" | "acme"
    acme_email: str
    acme_server: str  # URL
    acme_solver: str  # "istio" | "nginx"
    metrics_server: str  # "auto" | "install" | "skip"
    metrics_server_insecure_tls: bool
    edge_rate_limit: int  # requests per second per client address (and per connection); 0 = off
    edge_rate_limit_burst: int  # the per-connection backstop's bucket
    edge_external_traffic_policy: str  # Local | Cluster
    sidecar_request: CpuMemory
    sidecar_limit: CpuMemory
    cni_request: CpuMemory
    load_balancer_setting: Optional[str] = None  # None: resolved against the target (load_balancer_for)
    cni_bin_dir_setting: Optional[str] = None  # None: the target's (cni_dirs_for)
    cni_conf_dir_setting: Optional[str] = None
    edge_rate_limit_exempt: Optional[tuple[str, ...]] = None  # None: per target (edge_exempt_for)
    edge_trusted_proxies: int = 0
    existing_cluster_cloud: Optional[str] = None  # aws | other; None: not said (rules.check_platform)

    def edge_exemption(self) -> ratelimit.Exemption:
        """The networks the per-client limit spares: the set ones, none by default. (In-cluster load
        tests no longer call the public host: they take the edge path below the per-address limit, or
        the api-gateway Service; settings/ops.py LoadTestSettings.endpoint.)"""
        nets = self.edge_rate_limit_exempt or ()
        return ratelimit.Exemption(tuple(nets), int(nets[0].split("/")[1]) if nets else 32)

    def edge_proxy_protocol(self, target: str) -> bool:
        """The cloud load balancer on AWS hides the client's address: on EKS (and on an existing cluster
        that says it runs on AWS, existingClusterCloud=aws) the Service of type LoadBalancer gets a
        Classic Load Balancer from the AWS cloud provider (no aws-load-balancer-type annotation here;
        kubernetes/cloud-provider-aws pkg/providers/v1/aws_loadbalancer.go isNLB: only "nlb" makes an
        NLB), whose TCP listeners connect to the nodes from the load balancer's own address; the PROXY
        protocol carries the client's (docs/platform.md)."""
        on_aws = targets.target(target).aws_load_balancer(self.existing_cluster_cloud)
        return on_aws and self.load_balancer_for(target) == "cloud"

    def load_test_edge(self, target: str, domain: str) -> "EdgePath":
        """The edge as the in-cluster load tests can use it: the gateway's Service over plain HTTP with
        Host api.<domain>; not where the gateway's listeners demand the PROXY protocol (Envoy's
        proxy_protocol listener filter refuses a connection without its header)."""
        return EdgePath(not self.edge_unavailable_because(target), EDGE_LOAD_TEST_TARGET, f"api.{domain}",
                        self.edge_rate_limit)

    def edge_unavailable_because(self, target: str) -> str:
        if not self.istio or self.api_route != "istio":
            return "the API is not routed through istio-ingressgateway (apiRoute)"
        if self.edge_proxy_protocol(target):
            return (f"the gateway's listeners take only PROXY-protocol connections on clusterTarget={target} (the "
                    "AWS load balancer hides client addresses), which the in-cluster generators cannot open")
        return ""

    def ratelimit_pods(self) -> tuple[int, CpuMemory, CpuMemory]:
        """(replicas at least, request, limit) of the envoyproxy/ratelimit Deployment: 3 in prod (one
        per zone of the EKS target's three, a PodDisruptionBudget keeps 2), 1 in dev; the HPA scales
        prod up to ratelimit.RATELIMIT_MAX_REPLICAS (facts/ratelimit.py, the sizing)."""
        if self.is_prod:
            return (ratelimit.RATELIMIT_MIN_REPLICAS,
                    CpuMemory(f"{ratelimit.RATELIMIT_CPU_REQUEST_MILLICORES}m", "128Mi"),
                    CpuMemory(f"{ratelimit.RATELIMIT_CPU_LIMIT_MILLICORES}m", "256Mi"))
        return 1, CpuMemory("50m", "64Mi"), CpuMemory("250m", "128Mi")

    def ratelimit_max_replicas(self) -> int:
        return ratelimit.RATELIMIT_MAX_REPLICAS if self.is_prod else 1

    def load_balancer_for(self, target: str) -> str:
        """The set value; unset: the target's (settings/targets/: ``cloud`` on EKS, the AWS cloud provider;
        ``metallb`` on the Rancher targets, the cluster layer installs it, docs/clusters.md; ``none`` on
        an existing cluster)."""
        return self.load_balancer_setting or targets.target(target).default_load_balancer

    def cni_dirs_for(self, target: str) -> tuple[str, str]:
        """istio-cni's host directories (binaries, configuration): the set ones, else the target's."""
        dirs = targets.target(target).cni_dirs
        return self.cni_bin_dir_setting or dirs.bin_dir, self.cni_conf_dir_setting or dirs.conf_dir

    def edge_service_type(self, target: str) -> str:
        """LoadBalancer only where something assigns the address Helm's and Pulumi's waits need."""
        return "NodePort" if self.load_balancer_for(target) == "none" else "LoadBalancer"

    @property
    def istio_version(self) -> str:
        return self.istio_version_setting or versions.ISTIO_VERSION

    def istio_version_for(self, kubernetes_version: Optional[str]) -> str:
        """The set version; unset: the guide's line, or the newest pinned line supporting the cluster."""
        if self.istio_version_setting or not kubernetes_version:
            return self.istio_version
        fits = supported_lines(kubernetes_version)
        if versions.ISTIO_VERSION in fits or not fits:
            return versions.ISTIO_VERSION
        return fits[-1]

    def issuer_for(self, domain: str) -> Optional[str]:
        """The ClusterIssuer that signs the gateway certificate for ``domain`` (None: no cert-manager)."""
        if not self.cert_manager:
            return None
        if self.cert_issuer == "acme" or (self.cert_issuer == "auto" and self.acme_email and is_public(domain)):
            return ACME_ISSUER
        return CA_ISSUER

    def sidecar_per_pod(self) -> tuple[int, int]:
        """(millicores, bytes) every meshed pod requests on top of its own containers."""
        if not self.istio:
            return (0, 0)
        return (self.sidecar_request.millicores, self.sidecar_request.bytes)

    def daemonset_per_node(self) -> tuple[int, int]:
        """(millicores, bytes) the platform's DaemonSets request on every node (istio-cni)."""
        if not (self.istio and self.istio_cni):
            return (0, 0)
        return (self.cni_request.millicores, self.cni_request.bytes)

    def fixed_overhead(self) -> tuple[int, int]:
        """(millicores, bytes) the mesh and edge request in total: istiod x3, gateways, ingress-nginx,
        cert-manager, metrics-server — a conservative estimate (3 cores, 6 GiB) — plus the edge rate
        limit service's pods at their HPA's ceiling when the per-client limit is on (counted even where
        no Redis runs it)."""
        cpu, mem = 3000, 6 * 2**30
        if self.istio and self.edge_rate_limit:
            # the ratelimit service at its HPA's ceiling: the capacity check is at max scale
            _, request, _ = self.ratelimit_pods()
            replicas = self.ratelimit_max_replicas()
            cpu, mem = cpu + replicas * request.millicores, mem + replicas * request.bytes
        return (cpu, mem)


def metrics_server_wanted(p: PlatformSettings, cluster_target: str, context: str = "",
                          found: Optional[Found] = None) -> bool:
    """metricsServer: install, or auto where the cluster ships none (EKS, kind; not RKE2, not k3s/k3d:
    the target's traits, settings/targets/).

    ``found`` is what the cluster said where the target asks it (facts/metrics_probe.py): nothing
    serves the API, or our own release does -> install; someone else's -> skip; unknown -> the
    target's rule (its kubeconfig context on ``existing``)."""
    if p.metrics_server != "auto":
        return p.metrics_server == "install"
    target = targets.target(cluster_target)
    if target.asks_for_metrics_server and found is not None and found.state in ("absent", "ours", "theirs"):
        return found.state != "theirs"
    return not target.ships_metrics_server(context)


def is_public(domain: str) -> bool:
    return not any(f".{domain}".endswith(s) for s in PRIVATE_SUFFIXES)


def build(raw: Mapping[str, Any], ctx: BuildContext) -> Optional[PlatformSettings]:
    problems = ctx.problems
    raw = dict(raw)
    if "platformComponents" in raw and not isinstance(raw["platformComponents"], dict):
        problems.add(key("platformComponents"), f"must be a map of component name to true/false; "
                     f"components: {', '.join(COMPONENTS)}", raw["platformComponents"])
        raw.pop("platformComponents")
    decode_arrays(raw, ("edgeRateLimitExemptCidrs",))
    inp = validate_section(PlatformInput, raw, problems,
                           lambda loc: ", ".join(COMPONENTS) if loc[0] == "platformComponents" else "see Pulumi.yaml")
    if inp is None:
        return None
    comps = inp.platform_components
    prod = ctx.is_prod

    def default(name: str) -> Any:
        return env_default(DECLARED, name, prod)

    gw_min = inp.istio_gateway_min_replicas or default("istioGatewayMinReplicas")
    gw_max = inp.istio_gateway_max_replicas or max(default("istioGatewayMaxReplicas"), gw_min)
    if gw_min > gw_max:
        problems.add(key("istioGatewayMaxReplicas"),
                     f"istioGatewayMinReplicas ({gw_min}) must not exceed istioGatewayMaxReplicas ({gw_max})", gw_max)
    istiod_min = inp.istiod_min_replicas or default("istiodMinReplicas")

    api_route = inp.api_route or ("istio" if comps.istio else "ingress")
    if api_route == "istio" and not comps.istio:
        problems.add(key("apiRoute"), "istio needs Istio; set platformComponents.istio=true or apiRoute=ingress",
                     api_route)
    if api_route == "ingress" and not comps.ingress_nginx:
        problems.add(key("apiRoute"), "ingress needs ingress-nginx; set platformComponents.ingressNginx=true "
                     "or apiRoute=istio", api_route)
    if comps.istio_cni and not comps.istio:
        problems.add(key("platformComponents", "istioCni"), "istio-cni needs Istio (platformComponents.istio=true)",
                     True)
    if inp.cert_issuer == "acme":
        if not comps.cert_manager:
            problems.add(key("certIssuer"), "acme needs cert-manager (platformComponents.certManager=true)", "acme")
        if not inp.acme_email:
            problems.add(key("acmeEmail"), "required when certIssuer=acme (Let's Encrypt account e-mail); "
                         "set `pulumi config set acmeEmail ops@example.com`", "")
    if inp.acme_solver == "nginx" and not comps.ingress_nginx and inp.cert_issuer != "selfSigned":
        problems.add(key("acmeSolver"), "nginx needs ingress-nginx (platformComponents.ingressNginx=true); "
                     "allowed: istio, nginx", "nginx")
    if inp.acme_solver == "istio" and not comps.istio and inp.cert_issuer == "acme":
        problems.add(key("acmeSolver"), "istio needs Istio (platformComponents.istio=true); allowed: istio, nginx",
                     "istio")

    exempt = _exempt_networks(inp.edge_rate_limit_exempt_cidrs, problems)
    if inp.edge_rate_limit and inp.edge_rate_limit_burst < inp.edge_rate_limit:
        problems.add(key("edgeRateLimitBurst"), f"smaller than edgeRateLimit ({inp.edge_rate_limit}): a connection "
                     "could never use its rate; allowed: at least edgeRateLimit", inp.edge_rate_limit_burst)

    return from_input(
        PlatformSettings, inp,
        is_prod=prod,
        istio=comps.istio,
        istio_cni=comps.istio_cni and comps.istio,
        ingress_nginx=comps.ingress_nginx,
        cert_manager=comps.cert_manager,
        network_policies=comps.network_policies,
        istio_version_setting=inp.istio_version,
        gateway_min_replicas=gw_min,
        gateway_max_replicas=gw_max,
        istiod_min_replicas=istiod_min,
        istiod_max_replicas=max(5, istiod_min) if prod else istiod_min,
        ingress_nginx_replicas=inp.ingress_nginx_replicas or default("ingressNginxReplicas"),
        cni_bin_dir_setting=inp.istio_cni_bin_dir,
        cni_conf_dir_setting=inp.istio_cni_conf_dir,
        api_route=api_route,
        acme_server=ACME_SERVERS[inp.acme_server],
        metrics_server_insecure_tls=(inp.metrics_server_insecure_tls
                                     if inp.metrics_server_insecure_tls is not None
                                     else default("metricsServerInsecureTls")),
        edge_rate_limit=inp.edge_rate_limit if comps.istio else 0,
        edge_rate_limit_exempt=exempt,
        # Istio's default sidecar request (global.proxy.resources, 100m/128Mi) in prod; small in dev.
        sidecar_request=CpuMemory("100m", "128Mi") if prod else CpuMemory("20m", "64Mi"),
        sidecar_limit=CpuMemory("2000m", "1Gi") if prod else CpuMemory("500m", "256Mi"),
        cni_request=CpuMemory("100m", "100Mi"),  # istio-cni chart default (cni.resources.requests)
        load_balancer_setting=inp.load_balancer,
    )


def _exempt_networks(texts: Optional[tuple[str, ...]], problems: ProblemCollector) -> Optional[tuple[str, ...]]:
    """edgeRateLimitExemptCidrs: IPv4 networks written as Envoy prints a masked address (host bits
    zero), one prefix length for all (one MaskedRemoteAddress action masks with one length), none
    that spares every client."""
    if texts is None:
        return None
    name = key("edgeRateLimitExemptCidrs")
    networks = []
    for text in texts:
        try:
            net = ipaddress.IPv4Network(text, strict=False)
        except ValueError as exc:
            problems.add(name, f"not an IPv4 network ({exc}); allowed: IPv4 networks such as '10.42.0.0/16'", text)
            continue
        if str(net) != text:
            problems.add(name, f"host bits set; allowed: the network address as Envoy masks it, '{net}'", text)
        elif net.prefixlen < 8:
            problems.add(name, "exempts a /0-/7 network, i.e. nearly every client; allowed: prefix length 8-32", text)
        else:
            networks.append(net)
    lengths = sorted({n.prefixlen for n in networks})
    if len(lengths) > 1:
        problems.add(name, f"prefix lengths differ ({', '.join(f'/{n}' for n in lengths)}); Envoy masks the client "
                     "address with one length: allowed: networks of one prefix length", list(texts))
    return tuple(texts)


def _minor(version: str) -> tuple[int, int]:
    major, minor = version.lstrip("v").split(".")[:2]
    return int(major), int("".join(ch for ch in minor if ch.isdigit()))


def supported_lines(kubernetes_version: str) -> list[str]:
    k = _minor(kubernetes_version)
    return [v for v, ln in versions.ISTIO_LINES.items()
            if _minor(ln.kubernetes_min) <= k <= _minor(ln.kubernetes_max)]


def check_kubernetes(p: PlatformSettings, kubernetes_version: str, problems: ProblemCollector) -> None:
    """Istio's support matrix against a pinned cluster version (settings.cluster.kubernetes_minor)."""
    if not p.istio:
        return
    version = p.istio_version_for(kubernetes_version)
    line = versions.ISTIO_LINES[version]
    if version not in supported_lines(kubernetes_version):
        fits = supported_lines(kubernetes_version)
        problems.add(key("istioVersion"),
                     f"Istio {version} supports Kubernetes {line.kubernetes_min}-{line.kubernetes_max}, "
                     f"the cluster runs {kubernetes_version}; allowed for it: {', '.join(fits) or 'none pinned'}",
                     version)
