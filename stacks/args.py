"""The arguments of every component: one frozen dataclass per component, holding exactly what it
(and the parts it builds) reads; tests/components/test_args_exact.py fails on a field no build reads.

Every component is built as ``Component(name, args, opts)``: ``args`` is one of the classes below,
``opts`` carries the parent and the Kubernetes provider (``pulumi.ResourceOptions(provider=...)``),
which the component hands to each child explicitly. Dependencies between components are fields
here (a handle, a resource, the secret source), never looked up. ``stacks/compose.py`` builds them
from the validated ``StackSettings``; a test builds them by hand to build one component alone.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Mapping, Optional, Protocol, Sequence

import pulumi

from .nodes import Placement
from .data_settings import DataSettings, PoolerSizing, PostgresSettings
from .data_settings import ContainerSizing
from .handles import ClusterHandle, PlatformHandle
from .model import TartwareSettings
from .network import Allow, NamespacePolicies, PolicyHome
from .observability_settings import ObservabilitySettings
from .ops_settings import EdgePath, LoadTestSettings, OpsSettings
from .platform_settings import CpuMemory
from .ratelimit import Exemption


class CredentialOutputs(Protocol):
    """The generated credentials (components/credentials.py ``Credentials``): Pulumi secrets."""

    database_username: str
    database_password: pulumi.Output
    database_admin_password: pulumi.Output
    database_replication_password: pulumi.Output
    redis_password: pulumi.Output
    jwt_secret: pulumi.Output
    default_password: pulumi.Output  # AUTH_DEFAULT_PASSWORD
    service_password: pulumi.Output  # SERVICE_AUTH_PASSWORD
    guest_data_key: pulumi.Output  # GUEST_DATA_ENCRYPTION_KEY
    billing_data_key: pulumi.Output  # BILLING_DATA_ENCRYPTION_KEY


class SecretMaker(Protocol):
    """Where credential Secrets come from (components/secrets.py ``SecretSource``)."""

    @property
    def uses_vault(self) -> bool: ...

    def secret(self, parent: Any, resource_name: str, secret_name: str, namespace_name: str,
               generated: Mapping[str, pulumi.Input[str]], vault_item: str, secret_type: str = "Opaque",
               depends_on: Sequence[pulumi.Resource] = (),
               labels: Optional[Mapping[str, str]] = None) -> pulumi.Resource: ...


# ---------------------------------------------------------------- shared helpers


@dataclass(frozen=True)
class NetworkPoliciesArgs:
    """components/kit.py ``NetworkPolicies``: default-deny ingress plus the allows, per namespace."""

    namespaces: Sequence[NamespacePolicies]


# ---------------------------------------------------------------- credentials and secrets


@dataclass(frozen=True)
class CredentialsArgs:
    protect: bool


@dataclass(frozen=True)
class ExternalSecretsArgs:
    """The external-secrets operator and its ClusterSecretStore for Vault's Kubernetes auth."""

    server: str  # Vault address
    kv_mount: str  # KV v2 mount the store reads
    auth_mount: str  # Kubernetes auth mount
    role: str  # Vault role external-secrets logs in as
    prod: bool
    network_policies: bool = True


@dataclass(frozen=True)
class VaultSecretsArgs:
    """Credential Secrets synced from Vault: the operator, and where each credential set lives."""

    operator: ExternalSecretsArgs
    path_prefix: str  # credential set <item> is the KV key <path_prefix>/<item>
    refresh_interval: str  # ExternalSecret refreshInterval


@dataclass(frozen=True)
class SecretsArgs:
    """components/secrets.py ``SecretSource``: ``vault`` None generates the Secrets here."""

    vault: Optional[VaultSecretsArgs] = None


# ---------------------------------------------------------------- platform


@dataclass(frozen=True)
class MeshArgs:
    """Istio (base, istio-cni, istiod, the ingress gateway): what components/platform/mesh.py reads
    of the platform section, the chart version already resolved against the cluster's Kubernetes
    version (``PlatformSettings.istio_version_for``)."""

    is_prod: bool
    domain: str
    version: str  # the Istio chart version: a key of stacks/versions.py ISTIO_LINES
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
    proxy_protocol: bool = False  # the load balancer sends the PROXY protocol (EKS: platform_settings)
    # what the gateway's LoadBalancer Service waits for (ClusterHandle.load_balancers)
    load_balancers: tuple[pulumi.Resource, ...] = ()
    # meshConfig.extensionProviders entry of the SSO gate (filled by the platform from OperatorAccess)
    ext_authz: Optional[Mapping[str, Any]] = None


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
    max_replicas: int = 1  # the HPA's ceiling; an HPA on CPU when above replicas (stacks/ratelimit.py)


@dataclass(frozen=True)
class OAuth2ProxyArgs:
    """The single sign-on gate (operatorAccess=sso): oauth2-proxy in its own namespace, asked by the
    gateway about every request to an operator host (components/platform/operator_access.py)."""

    issuer_url: str
    client_id: str
    email_domains: tuple[str, ...]
    allowed_groups: tuple[str, ...]
    client_secret: Optional[pulumi.Input[str]]  # secret; None with the Vault backend
    secrets: SecretMaker  # the gate's Secret (generated, or synced from <vaultPathPrefix>/operator-sso)
    replicas: int
    request: CpuMemory
    limit: CpuMemory


@dataclass(frozen=True)
class OperatorAccessArgs:
    """How the operator hosts on the public gateway are guarded (stacks/access_settings.py)."""

    mode: str  # sso | allowlist | internal | lab
    allowed_cidrs: tuple[str, ...] = ()  # allowlist
    sso: Optional[OAuth2ProxyArgs] = None
    # filled by the platform: the gateway the policies select, and the ServiceMonitor CRD's release
    gateway_namespace: str = ""
    gateway_selector: Mapping[str, str] = field(default_factory=dict)
    monitoring_crds: Optional[pulumi.Resource] = None


@dataclass(frozen=True)
class GrafanaSsoArgs:
    """Grafana's own generic OAuth against the operators' OIDC provider: per-person sign-in and roles."""

    client_id: str
    auth_url: str
    token_url: str
    userinfo_url: str
    admin_groups: tuple[str, ...]
    editor_groups: tuple[str, ...]
    client_secret: Optional[pulumi.Input[str]]  # secret; None with the Vault backend
    secrets: SecretMaker


@dataclass(frozen=True)
class IngressNginxArgs:
    prod: bool
    replicas: int
    service_type: str = "LoadBalancer"
    # what the release waits for besides its namespace: the cluster's load balancer for its
    # LoadBalancer Service, the monitoring CRDs for its ServiceMonitor (filled by the platform)
    waits_for: tuple[pulumi.Resource, ...] = ()


@dataclass(frozen=True)
class CertManagerArgs:
    prod: bool
    domain: str
    issuer: str  # the ClusterIssuer the routes use: selfsigned/CA, or ACME for a public domain
    acme_server: str = ""
    acme_email: str = ""
    acme_solver: str = "istio"  # which ingress answers the HTTP-01 challenge: istio or nginx
    # what the release waits for besides its namespace: the monitoring CRDs for its ServiceMonitor
    # (filled by the platform)
    waits_for: tuple[pulumi.Resource, ...] = ()


@dataclass(frozen=True)
class MetricsServerArgs:
    prod: bool
    insecure_tls: bool  # --kubelet-insecure-tls (kubelets with self-signed serving certificates)


@dataclass(frozen=True)
class ArchiveArgs:
    """Where PostgreSQL archives its WAL and base backups: a folder of the backups' off-site bucket
    (stacks/ops_settings.py ``OffsiteSettings``), reached with the same credentials or IRSA role."""

    destination: str  # s3://<bucket>/<prefix>/<folder>: barman's destinationPath (one folder per serverName)
    endpoint: str  # "" = AWS S3
    region: str
    encryption: str  # AES256 | aws:kms | bucket-default
    kms_key_id: str
    role_arn: str  # IRSA: the instances' ServiceAccount assumes it ("" = access keys)
    access_key_id: Optional[pulumi.Output] = None  # secret
    secret_access_key: Optional[pulumi.Output] = None  # secret


@dataclass(frozen=True)
class DataArgs:
    data: DataSettings
    protect: bool
    credentials: CredentialOutputs
    secrets: SecretMaker
    placement: Placement = Placement()
    zone_spread: str = "ScheduleAnyway"  # whenUnsatisfiable of the instances' and poolers' zone spread
    archive: Optional[ArchiveArgs] = None  # None: no off-site bucket, no WAL archive
    volumes: tuple[pulumi.Resource, ...] = ()  # what the releases' claims wait for (ClusterHandle.volumes)
    # filled by the platform from its siblings: cert-manager's release (the Barman Cloud plugin's
    # certificates) and kube-prometheus-stack's (the PodMonitor/PrometheusRule CRDs)
    cert_manager: Optional[pulumi.Resource] = None
    monitoring_crds: Optional[pulumi.Resource] = None
    # where the platform keeps its NetworkPolicies (None: networkPolicies off); the PostgreSQL part
    # makes the allows its Cluster needs there itself, before the Cluster (filled by the platform)
    policies: Optional[PolicyHome] = None


@dataclass(frozen=True)
class PostgresArgs:
    """The PostgreSQL part of the data tier (components/platform/postgres.py ``Postgres``): the
    DataTier makes it from its DataArgs with ``stacks/compose.py postgres_args`` and hands over the
    namespace and the app Secret it created."""

    operator_replicas: int
    pg: PostgresSettings
    instances: int
    storage: Any  # Memory
    storage_class: str
    postgres_size: ContainerSizing
    sidecar_size: ContainerSizing
    pooler_size: ContainerSizing
    operator_size: ContainerSizing
    plugin_size: ContainerSizing
    pooler: PoolerSizing
    max_connections: int
    username: str
    database: str
    protect: bool
    placement: Placement
    zone_spread: str
    namespace: pulumi.Resource  # database
    app_secret: pulumi.Resource  # postgres-credentials
    archive: Optional[ArchiveArgs] = None
    cert_manager: Optional[pulumi.Resource] = None
    monitoring_crds: Optional[pulumi.Resource] = None
    # what the Cluster waits for besides the operator: the StorageClass and provisioner its claims
    # need, and the bitnami release while the cluster imports from it
    waits_for: Sequence[pulumi.Resource] = ()
    # the allows inside the database namespace the Cluster needs (operator, standbys, import, pooler),
    # made before it where the platform keeps its policies (None: networkPolicies off)
    policies: Optional[PolicyHome] = None
    allows: tuple[Allow, ...] = ()


@dataclass(frozen=True)
class ObservabilityArgs:
    observability: ObservabilitySettings
    protect: bool
    domain: str
    meshed: bool = False
    placement: Placement = Placement()
    remote_write_receiver: bool = False  # the k6 load profile writes its samples to Prometheus
    volumes: tuple[pulumi.Resource, ...] = ()  # what the releases' claims wait for (ClusterHandle.volumes)
    grafana_sso: Optional[GrafanaSsoArgs] = None  # operatorAccess=sso: Grafana's own OAuth sign-in


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


# ---------------------------------------------------------------- Tartware and operations


@dataclass(frozen=True)
class TartwareArgs:
    tartware: TartwareSettings
    credentials: CredentialOutputs
    platform: PlatformHandle
    secrets: SecretMaker
    protect: bool = False


@dataclass(frozen=True)
class LoadTestArgs:
    load_test: LoadTestSettings
    domain: str
    namespace: pulumi.Resource  # tartware-ops
    release: pulumi.Resource  # the Tartware release under test
    ui_host: Optional[str] = None  # Locust's web UI host on the gateway; None: not routed (port-forward)
    edge: EdgePath = EdgePath(False, "", "", 0)  # PlatformSettings.load_test_edge
    edge_ready: Sequence[pulumi.Resource] = ()  # PlatformHandle.edge: awaited when the test goes through the edge


@dataclass(frozen=True)
class OperationsArgs:
    ops: OpsSettings
    dump_host: str  # where the nightly pg_dump connects: a replica's Service when there is one
    domain: str
    protect: bool
    network_policies: bool
    tartware_namespace: str
    vpa_services: tuple[str, ...]  # the enabled Tartware services: one VerticalPodAutoscaler each
    platform: PlatformHandle
    release: pulumi.Resource  # the Tartware release
    credentials: CredentialOutputs
    secrets: SecretMaker
    load_test_edge: Optional[EdgePath] = None  # the edge path the load test may take (load_test_edge)


# ---------------------------------------------------------------- outputs


@dataclass(frozen=True)
class OperationsOutputs:
    namespace: Optional[str]
    backup_claim: Optional[str]
    backup_schedule: Optional[str]
    backup_offsite: Optional[str]
    restore_job: Optional[str]
    load_test_job: Optional[str]
    load_test_summary: Optional[str]
    vpa_names: tuple[str, ...]


@dataclass(frozen=True)
class OutputsArgs:
    environment: str
    domain: str
    tartware_namespace: str
    release_name: str  # the Tartware Helm release
    tls_cluster_issuer: str  # the chart's Ingress certificate issuer ("" = none)
    budget: Mapping[str, Any]  # the guide's budget of the enabled services (stacks/budget.py as_output)
    cluster: ClusterHandle
    platform: PlatformHandle
    api_url: Any  # str or Output[str]
    secret_names: Any
    operations: OperationsOutputs
    database: Mapping[str, Any]  # PostgreSQL's addresses, pooler, archive, RPO, runbook (stacks/compose.py)
