"""The stack settings model: the core keys, their pydantic input model and the resolved dataclasses.

Each area's section module of ``settings/`` (``cluster.py``, ``platform.py``, ...) holds that
area's keys, input model and dataclass; this module holds the core keys (environment, images,
services, ...) and ``StackSettings``, which gathers the sections. The rules (``rules/``) take this
model; the loader (``program/load.py``) reads ``pulumi.Config`` and builds it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Literal, Mapping, Optional

import pulumi
from pydantic import Field

from facts import catalog, ratelimit
from facts.app_source import APP_DB_POOL
from .access import AccessSettings
from facts.catalog import ServiceDefinition
from .nodes import Placement
from .targets import ClusterSettings
from .data import DataSettings
from .observability import ObservabilitySettings
from .ops import OpsSettings
from .platform import PlatformSettings
from .quantities import Cpu, Memory
from .schema import (
    CpuQ,
    DnsName,
    MemQ,
    PERCENT_FIELDS,
    Percent,
    Replicas,
    Setting,
    SettingsModel,
    fields_of,
    hint,
)
from .security import SecuritySettings

ENVIRONMENTS = ("dev", "prod")

DECLARED: tuple[Setting, ...] = (
    Setting("environment", "string", "Budget profile: dev (1-2 replicas) or prod (the guide's table).", "dev"),
    Setting("protect", "boolean", "Protect stateful resources from deletion.", per_env=(False, True)),
    Setting("domain", "string", "DNS domain the routes are published under (api.<domain>, ...).", "tartware.local",
            example="a lower-case DNS name such as 'tartware.local' or 'example.com'"),
    Setting("imageRegistry", "string", "Registry and path the Tartware images are pulled from.", "docker.io/tartware",
            example="a registry host and path such as 'docker.io/tartware' or 'registry.local:5000/tartware'"),
    Setting("imageTag", "string", "Image tag for every service (global.image.tag in the chart).", "v1.0.0",
            example="a Docker tag: letters, digits, '_', '.', '-', at most 128 characters"),
    Setting("imagePullPolicy", "string", "Always, IfNotPresent or Never.", "IfNotPresent"),
    Setting("registryServer", "string", "Private registry host. Set it to create the regcred pull secret.", "",
            example="a registry host such as 'registry.example.com' or 'registry.local:5000'"),
    Setting("registryUsername", "string", "Username for registryServer.", ""),
    Setting("registryPassword", "string", "Password for registryServer (required when registryServer is set).",
            secret=True),
    Setting("hpaCpuTarget", "integer", "Default HPA CPU utilisation target, percent (1-100).", catalog.HPA_CPU_TARGET),
    Setting("hpaMemoryTarget", "integer", "Default HPA memory utilisation target, percent (1-100).",
            catalog.HPA_MEMORY_TARGET),
    Setting("hpaRequestsPerSecondTarget", "integer",
            "Per-pod http_requests_per_second target added to every HPA as a Pods metric; 0 = off (needs a metrics "
            "adapter).", 0),
    Setting("ingressEnabled", "boolean", "Render the Ingress for api.<domain>.", True),
    Setting("ingressClassName", "string", "IngressClass of the API Ingress.", "nginx",
            example="a lower-case IngressClass name such as 'nginx'"),
    Setting("tlsClusterIssuer", "string",
            "cert-manager ClusterIssuer for the API certificate; empty = no TLS on the Ingress.", "",
            example="a lower-case ClusterIssuer name, or empty for no TLS"),
    Setting("zoneSpread", "string",
            "whenUnsatisfiable of the zone topology spread: ScheduleAnyway or DoNotSchedule.", "ScheduleAnyway"),
    Setting("pdbMaxUnavailable", "string",
            "maxUnavailable of every PodDisruptionBudget: a count (1) or a percentage (10%).", "1",
            example="a positive count such as '1' or a percentage '1%'-'100%'"),
    Setting("helmTimeoutSeconds", "integer", "How long helm waits for the Tartware release (the guide uses 15m).", 900),
    Setting("gatewayRateMax", "integer",
            "API_GATEWAY_RATE_MAX: requests per gatewayRateWindow the api-gateway admits on its read routes. One key "
            "is shared by every client behind the mesh, so this is platform-wide (docs/platform.md \"Rate limiting\").",
            ratelimit.DEFAULT_MAX),
    Setting("gatewayRateCommandMax", "integer", "API_GATEWAY_RATE_COMMAND_MAX: the same for command routes.",
            ratelimit.DEFAULT_MAX),
    Setting("gatewayRateAuthMax", "integer", "API_GATEWAY_RATE_AUTH_MAX: the same for /v1/auth routes.",
            ratelimit.DEFAULT_MAX),
    Setting("dbPoolMax", "integer",
            "DB_POOL_MAX of every service: the most PostgreSQL connections one pod's pool opens. Counted in the "
            "connection budget against what the server side admits (docs/budget.md). Unset: the app's own "
            f"default, {APP_DB_POOL[1]}, behind the Pooler; {catalog.DB_POOL_MAX['dev']} in dev and "
            f"{catalog.DB_POOL_MAX['prod']} in prod when the pods reach PostgreSQL directly (postgresMigration "
            "import or cutover, or dataComponents.postgres false); services.<name>.dbPoolMax overrides it per "
            "service."),
    Setting("corsOrigins", "string",
            "CORS_ORIGIN of the api-gateway: the browser origins allowed to call the API, comma-separated "
            "(https://app.example.com,https://admin.example.com). Unset: https://app.<domain>. '*' (any origin) "
            "is refused in prod.", "",
            example="origins such as 'https://app.example.com' (scheme, host, optional port; no path), "
                    "comma-separated, or '*'"),
    Setting("gatewayRateWindow", "string",
            "API_GATEWAY_RATE_WINDOW (and the command and auth windows): '<n> seconds', '<n> minutes' or '<n> hours'.",
            ratelimit.WINDOW, example="a window such as '1 minute', '30 seconds' or '1 hour'"),
)
OBJECT_SETTINGS = ("services",)

# ---------------------------------------------------------------- pydantic input models

MetricName = Annotated[str, Field(pattern=r"^[a-zA-Z_:][a-zA-Z0-9_:]*$")]
# A pool of at least 1 and at most 100 connections per pod (node-postgres ``max``; the app passes
# DB_POOL_MAX through, red2n/tartware@a2583469 Apps/config/src/service-config-helpers.ts buildDbConfig).
DbPool = Annotated[int, Field(ge=1, le=100)]
ORIGIN = r"https?://[a-z0-9]([a-z0-9.-]*[a-z0-9])?(:[0-9]{1,5})?"


class CustomMetricInput(SettingsModel):
    name: MetricName
    average_value: Annotated[str, Field(pattern=r"^\d+(\.\d+)?m?$")]


class ServiceOverride(SettingsModel):
    """``services.<name>``: per-service overrides of the profile."""

    enabled: Optional[bool] = None
    min_replicas: Optional[Replicas] = None
    max_replicas: Optional[Replicas] = None
    cpu_request: Optional[CpuQ] = None
    cpu_limit: Optional[CpuQ] = None
    memory_request: Optional[MemQ] = None
    memory_limit: Optional[MemQ] = None
    cpu_target: Optional[Percent] = None
    memory_target: Optional[Percent] = None
    custom_metrics: Optional[tuple[CustomMetricInput, ...]] = None
    image: Optional[Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9._/-]*$")]] = None
    # The image's content digest: the chart then pulls <registry>/<image>:<tag>@<digest>, which the
    # container runtime resolves by digest only (a moved tag cannot change what runs).
    image_digest: Optional[Annotated[str, Field(pattern=r"^sha256:[a-f0-9]{64}$")]] = None
    db_pool_max: Optional[DbPool] = None


OVERRIDE_FIELDS = fields_of(ServiceOverride)


class CoreInput(SettingsModel):
    """The core keys, by their config names (camelCase)."""

    environment: Literal["dev", "prod"]
    protect: Optional[bool] = None
    domain: DnsName
    image_registry: Annotated[str, Field(pattern=r"^[a-z0-9.-]+(:\d+)?(/[a-z0-9._-]+)*$")]
    image_tag: Annotated[str, Field(pattern=r"^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$")]
    image_pull_policy: Literal["Always", "IfNotPresent", "Never"]
    registry_server: Annotated[str, Field(pattern=r"^([a-z0-9.-]+(:\d+)?)?$")]
    registry_username: str
    hpa_cpu_target: Percent
    hpa_memory_target: Percent
    hpa_requests_per_second_target: Annotated[int, Field(ge=0, le=100000)]
    ingress_enabled: bool
    ingress_class_name: Annotated[str, Field(pattern=r"^[a-z0-9]([a-z0-9.-]*[a-z0-9])?$")]
    tls_cluster_issuer: Annotated[str, Field(pattern=r"^([a-z0-9]([a-z0-9.-]*[a-z0-9])?)?$")]
    zone_spread: Literal["ScheduleAnyway", "DoNotSchedule"]
    pdb_max_unavailable: Annotated[str, Field(pattern=r"^([1-9]\d*|[1-9]\d?%|100%)$")]
    helm_timeout_seconds: Annotated[int, Field(ge=60, le=7200)]
    gateway_rate_max: Annotated[int, Field(ge=1, le=1_000_000_000)]
    gateway_rate_command_max: Annotated[int, Field(ge=1, le=1_000_000_000)]
    gateway_rate_auth_max: Annotated[int, Field(ge=1, le=1_000_000_000)]
    gateway_rate_window: Annotated[str, Field(pattern=ratelimit.WINDOW_PATTERN)]
    db_pool_max: Optional[DbPool] = None
    cors_origins: Annotated[str, Field(pattern=rf"^(\*|{ORIGIN}(,{ORIGIN})*)?$")] = ""
    services: Mapping[str, ServiceOverride] = Field(default_factory=dict)


for _field, _text in {
    "customMetrics": "a list of {name: <prometheus metric>, averageValue: '<number>' or '<number>m'}",
    "image": "an image repository name such as 'api-gateway'",
    "imageDigest": "an OCI content digest 'sha256:' followed by 64 lower-case hex digits",
}.items():
    hint(_field, _text)
PERCENT_FIELDS.update({"cpuTarget", "memoryTarget", "hpaCpuTarget", "hpaMemoryTarget"})


# ---------------------------------------------------------------- resolved settings


@dataclass(frozen=True)
class CustomMetric:
    name: str
    average_value: str


@dataclass(frozen=True)
class ServiceSpec:
    """A Tartware service as it will be deployed: catalog facts + resolved sizing."""

    definition: ServiceDefinition
    enabled: bool
    min_replicas: int
    max_replicas: int
    cpu_request: Cpu
    cpu_limit: Cpu
    memory_request: Memory
    memory_limit: Memory
    cpu_target: int
    memory_target: int
    custom_metrics: tuple[CustomMetric, ...]
    image: str
    image_digest: str = ""
    db_pool_max: int = catalog.DB_POOL_MAX["dev"]  # DB_POOL_MAX: connections one pod's pool opens at most

    @property
    def name(self) -> str:
        return self.definition.name


@dataclass(frozen=True)
class RegistrySettings:
    server: str
    username: str
    password: Optional[pulumi.Output]  # secret; None when regcred comes from Vault


@dataclass(frozen=True)
class TartwareSettings:
    domain: str
    image_registry: str
    image_tag: str
    image_pull_policy: str
    registry: Optional[RegistrySettings]
    services: tuple[ServiceSpec, ...]
    ingress_enabled: bool
    ingress_class_name: str
    tls_cluster_issuer: str
    zone_spread: str
    pdb_max_unavailable: str
    helm_timeout_seconds: int
    gateway_rate_limit: tuple[tuple[str, str], ...] = ()  # the gateway's API_GATEWAY_RATE_* variables
    cors_origins: str = ""  # the gateway's CORS_ORIGIN (resolved: https://app.<domain> when unset)
    namespace: str = catalog.NAMESPACE
    release_name: str = catalog.RELEASE_NAME
    # Set from the cluster section when the cluster has a spot pool (settings/cluster.py):
    # the services that tolerate it and prefer it (chart values ``services.<name>.scheduling``).
    spot_services: tuple[str, ...] = ()
    spot_placement: Optional[Placement] = None  # the Spot pool's labels and taints

    @property
    def enabled_services(self) -> tuple[ServiceSpec, ...]:
        return tuple(s for s in self.services if s.enabled)

    @property
    def api_host(self) -> str:
        return f"api.{self.domain}"


@dataclass(frozen=True)
class StackSettings:
    project: str
    stack: str
    environment: str
    protect: bool
    domain: str
    tartware: TartwareSettings
    cluster: ClusterSettings
    platform: PlatformSettings
    data: DataSettings
    observability: ObservabilitySettings
    ops: OpsSettings
    security: SecuritySettings
    access: AccessSettings  # how operators reach the operator tools (settings/access.py)
    # hpaRequestsPerSecondTarget: the per-pod http_requests_per_second target already added to every
    # service's customMetrics; kept for the rule that a metrics adapter serves it (rules/cross_section.py)
    requests_per_second_target: int = 0

    @property
    def is_prod(self) -> bool:
        return self.environment == "prod"

    @property
    def archives_wal(self) -> bool:
        """PostgreSQL archives its WAL to the backups' off-site bucket (docs/data-and-observability.md
        "Continuous archiving"): the Barman Cloud plugin runs, with a sidecar in every instance."""
        return self.ops.offsite is not None and self.data.postgres
