"""The arguments of every component: one frozen dataclass per component, holding what it reads.

Every component is built as ``Component(name, args, opts)``: ``args`` is one of the classes below,
``opts`` carries the parent and the Kubernetes provider (``pulumi.ResourceOptions(provider=...)``),
which the component hands to each child explicitly. Dependencies between components are fields
here (a handle, a resource, the secret source), never looked up. ``stacks/compose.py`` builds them
from the validated ``StackSettings``; a test builds them by hand to build one component alone.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar, Mapping, Optional, Protocol, Sequence

import pulumi

from .cluster_settings import ClusterSettings
from .data_settings import DataSettings
from .handles import ClusterHandle, PlatformHandle
from .model import ServiceSpec, TartwareSettings
from .observability_settings import ObservabilitySettings
from .ops_settings import LoadTestSettings, OpsSettings
from .platform_settings import PlatformSettings, Sizing
from .ratelimit import Exemption
from .security_settings import SecuritySettings, VaultSettings


class CredentialOutputs(Protocol):
    """The generated credentials (components/credentials.py ``Credentials``): Pulumi secrets."""

    database_username: str
    database_password: pulumi.Output
    database_admin_password: pulumi.Output
    database_replication_password: pulumi.Output
    redis_password: pulumi.Output
    jwt_secret: pulumi.Output


class SecretMaker(Protocol):
    """Where credential Secrets come from (components/secrets.py ``SecretSource``)."""

    @property
    def uses_vault(self) -> bool: ...

    def secret(self, parent: Any, resource_name: str, secret_name: str, namespace_name: str,
               generated: Mapping[str, pulumi.Input[str]], vault_item: str, secret_type: str = "Opaque",
               depends_on: Sequence[pulumi.Resource] = (),
               labels: Optional[Mapping[str, str]] = None) -> pulumi.Resource: ...


# ---------------------------------------------------------------- cluster


@dataclass(frozen=True)
class ClusterArgs:
    """A cluster target's settings, with the stack's ``protect``, ``domain`` and etcd off-site copy."""

    settings: ClusterSettings
    TARGET: ClassVar[str] = ""

    def __post_init__(self) -> None:
        if self.TARGET and self.settings.target != self.TARGET:
            raise ValueError(f"{type(self).__name__} is for clusterTarget={self.TARGET}, "
                             f"not {self.settings.target}")


@dataclass(frozen=True)
class ExistingClusterArgs(ClusterArgs):
    TARGET: ClassVar[str] = "existing"


@dataclass(frozen=True)
class EksClusterArgs(ClusterArgs):
    TARGET: ClassVar[str] = "eks"


@dataclass(frozen=True)
class VsphereClusterArgs(ClusterArgs):
    TARGET: ClassVar[str] = "vsphere"


@dataclass(frozen=True)
class BareMetalClusterArgs(ClusterArgs):
    TARGET: ClassVar[str] = "baremetal"


CLUSTER_ARGS: Mapping[str, type[ClusterArgs]] = {
    a.TARGET: a for a in (ExistingClusterArgs, EksClusterArgs, VsphereClusterArgs, BareMetalClusterArgs)}


# ---------------------------------------------------------------- credentials and secrets


@dataclass(frozen=True)
class CredentialsArgs:
    protect: bool


@dataclass(frozen=True)
class ExternalSecretsArgs:
    vault: VaultSettings
    prod: bool
    network_policies: bool = True


@dataclass(frozen=True)
class SecretsArgs:
    security: SecuritySettings
    prod: bool
    network_policies: bool = True


# ---------------------------------------------------------------- platform


@dataclass(frozen=True)
class MeshArgs:
    platform: PlatformSettings
    domain: str
    kubernetes_version: Optional[str] = None
    tls: bool = False  # the gateway serves HTTPS with a cert-manager certificate
    tracing: Optional[tuple[str, int]] = None  # OTLP/gRPC host and port of the trace collector
    service_type: str = "LoadBalancer"
    proxy_protocol: bool = False  # the load balancer sends the PROXY protocol (EKS: platform_settings)


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

    replicas: int
    request: Sizing
    limit: Sizing
    exempt: Exemption  # networks of one prefix length the per-client limit spares
    redis_host: str
    redis_port: int
    redis_password: pulumi.Input[str]  # secret
    secrets: SecretMaker  # the Redis password Secret in the ratelimit namespace (generated or Vault)
    redis: Sequence[pulumi.Resource] = ()  # the Redis release it waits for
    monitoring_crds: Optional[pulumi.Resource] = None  # ServiceMonitor CRD; None: no ServiceMonitor


@dataclass(frozen=True)
class IngressNginxArgs:
    prod: bool
    replicas: int
    service_type: str = "LoadBalancer"


@dataclass(frozen=True)
class CertManagerArgs:
    prod: bool
    domain: str
    issuer: str  # the ClusterIssuer the routes use: selfsigned/CA, or ACME for a public domain
    acme_server: str = ""
    acme_email: str = ""
    acme_solver: str = "istio"  # which ingress answers the HTTP-01 challenge: istio or nginx


@dataclass(frozen=True)
class MetricsServerArgs:
    prod: bool
    insecure_tls: bool  # --kubelet-insecure-tls (kubelets with self-signed serving certificates)


@dataclass(frozen=True)
class DataArgs:
    data: DataSettings
    protect: bool
    credentials: CredentialOutputs
    secrets: SecretMaker
    node_pools: Sequence[Any] = ()


@dataclass(frozen=True)
class ObservabilityArgs:
    observability: ObservabilitySettings
    protect: bool
    domain: str
    meshed: bool = False
    node_pools: Sequence[Any] = ()
    remote_write_receiver: bool = False  # the k6 load profile writes its samples to Prometheus


@dataclass(frozen=True)
class PlatformArgs:
    """The platform layer: its parts' args, and what it reads of the other layers."""

    platform: PlatformSettings
    domain: str
    data: DataArgs
    observability: ObservabilityArgs
    mesh: Optional[MeshArgs] = None  # tls and tracing are filled from the certs and observability parts
    certs: Optional[CertManagerArgs] = None
    edge: Optional[IngressNginxArgs] = None
    metrics_server: Optional[MetricsServerArgs] = None
    tartware_namespace: str = "tartware-system"
    chart_ingress: bool = False  # the Tartware chart renders its Ingress (ingress-nginx routes the API)
    load_test_profile: Optional[str] = None  # "load", "locust", ... ; None when no load test is set
    backup: bool = False  # the nightly pg_dump CronJob reaches the database
    restore: bool = False  # the restore Job reaches the database
    edge_exempt: Exemption = Exemption()  # what the per-client edge limit spares (edge_exemption_for)


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


@dataclass(frozen=True)
class OperationsArgs:
    ops: OpsSettings
    domain: str
    protect: bool
    network_policies: bool
    tartware_namespace: str
    services: tuple[ServiceSpec, ...]  # the enabled Tartware services (VPA advice)
    platform: PlatformHandle
    release: pulumi.Resource  # the Tartware release
    credentials: CredentialOutputs
    secrets: SecretMaker


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
    tartware: TartwareSettings
    cluster: ClusterHandle
    platform: PlatformHandle
    api_url: Any  # str or Output[str]
    secret_names: Any
    operations: OperationsOutputs
