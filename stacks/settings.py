"""Typed, validated stack settings built from ``pulumi.Config``.

``load_settings()`` is the only place the program reads configuration. It reads every declared
key, validates types and ranges with pydantic, resolves the service budget (profile from the
catalog + per-service overrides) and checks cross-field rules. Any problem raises one
``SettingsError`` listing every bad key, its value and what is allowed — before a single
resource is registered.

Every setting is declared once in ``DECLARED`` below (type, default, description); a test keeps
``Pulumi.yaml``'s ``config:`` block identical to it (tools/project_file.py: keys with a default,
optional strings with the empty default read as unset; optional integers, booleans, arrays and
every secret left undeclared so the Pulumi CLI neither requires them nor refuses a plaintext
default). Object-valued settings (``services``, ``nodePools``, ...) are documented in
``Pulumi.yaml``'s header and the README.
"""

from __future__ import annotations

import dataclasses
import json
from dataclasses import dataclass, field
from typing import Annotated, Any, Literal, Mapping, Optional

import pulumi
from pydantic import Field

from . import (
    capacity,
    catalog,
    cluster_settings,
    data_settings,
    observability_settings,
    ops_settings,
    platform_settings,
    ratelimit,
    security_settings,
)
from .catalog import SERVICE_NAMES, SERVICES, ServiceDefinition, Sizing
from .cluster_settings import ClusterSettings
from .data_settings import DataSettings
from .observability_settings import ObservabilitySettings
from .errors import CONFIG_NAMESPACE, ProblemCollector, SettingsError, key
from .ops_settings import OpsSettings
from .platform_settings import PlatformSettings
from .quantities import CPU_HELP, MEMORY_HELP, Cpu, Memory
from .schema import (
    BuildContext,
    CpuQ,
    DnsName,
    MemQ,
    PERCENT_FIELDS,
    Percent,
    Replicas,
    SecretReader,
    Setting,
    SettingsModel,
    fields_of,
    hint,
    no_secrets,
    validate_section,
)
from .security_settings import SecuritySettings

ENVIRONMENTS = ("dev", "prod")

DECLARED: tuple[Setting, ...] = (
    Setting("environment", "string", "Budget profile: dev (1-2 replicas) or prod (the guide's table).", "dev"),
    Setting("protect", "boolean", "Protect stateful resources from deletion. Unset: true when environment=prod."),
    Setting("domain", "string", "DNS domain the routes are published under (api.<domain>, ...).", "tartware.local"),
    Setting("imageRegistry", "string", "Registry and path the Tartware images are pulled from.", "docker.io/tartware"),
    Setting("imageTag", "string", "Image tag for every service (global.image.tag in the chart).", "v1.0.0"),
    Setting("imagePullPolicy", "string", "Always, IfNotPresent or Never.", "IfNotPresent"),
    Setting("registryServer", "string", "Private registry host. Set it to create the regcred pull secret.", ""),
    Setting("registryUsername", "string", "Username for registryServer.", ""),
    Setting("registryPassword", "string", "Password for registryServer (required when registryServer is set).", secret=True),
    Setting("hpaCpuTarget", "integer", "Default HPA CPU utilisation target, percent (1-100).", catalog.HPA_CPU_TARGET),
    Setting("hpaMemoryTarget", "integer", "Default HPA memory utilisation target, percent (1-100).", catalog.HPA_MEMORY_TARGET),
    Setting("hpaRequestsPerSecondTarget", "integer", "Per-pod http_requests_per_second target added to every HPA as a Pods metric; 0 = off (needs a metrics adapter).", 0),
    Setting("ingressEnabled", "boolean", "Render the Ingress for api.<domain>.", True),
    Setting("ingressClassName", "string", "IngressClass of the API Ingress.", "nginx"),
    Setting("tlsClusterIssuer", "string", "cert-manager ClusterIssuer for the API certificate; empty = no TLS on the Ingress.", ""),
    Setting("zoneSpread", "string", "whenUnsatisfiable of the zone topology spread: ScheduleAnyway or DoNotSchedule.", "ScheduleAnyway"),
    Setting("pdbMaxUnavailable", "string", "maxUnavailable of every PodDisruptionBudget: a count (1) or a percentage (10%).", "1"),
    Setting("helmTimeoutSeconds", "integer", "How long helm waits for the Tartware release (the guide uses 15m).", 900),
    Setting("gatewayRateMax", "integer",
            "API_GATEWAY_RATE_MAX: requests per gatewayRateWindow the api-gateway admits on its read routes. One key "
            "is shared by every client behind the mesh, so this is platform-wide (docs/platform.md \"Rate limiting\").",
            ratelimit.DEFAULT_MAX),
    Setting("gatewayRateCommandMax", "integer", "API_GATEWAY_RATE_COMMAND_MAX: the same for command routes.",
            ratelimit.DEFAULT_MAX),
    Setting("gatewayRateAuthMax", "integer", "API_GATEWAY_RATE_AUTH_MAX: the same for /v1/auth routes.",
            ratelimit.DEFAULT_MAX),
    Setting("gatewayRateWindow", "string",
            "API_GATEWAY_RATE_WINDOW (and the command and auth windows): '<n> seconds', '<n> minutes' or '<n> hours'.",
            ratelimit.WINDOW),
)
OBJECT_SETTINGS = ("services",)

# One section per area; each declares its keys and builds its own typed settings.
SECTIONS = (
    cluster_settings,
    platform_settings,
    data_settings,
    observability_settings,
    ops_settings,
    security_settings,
)


def all_declared() -> tuple[Setting, ...]:
    return DECLARED + tuple(s for section in SECTIONS for s in section.DECLARED)


def OBJECT_DOCS() -> dict[str, str]:  # noqa: N802 - reads like the constant it documents
    """One line per object-valued setting, for Pulumi.yaml's header."""
    docs = {"services": "per-service overrides; fields: " + ", ".join(OVERRIDE_FIELDS)}
    for section in SECTIONS:
        for name in section.OBJECT_SETTINGS:
            docs[name] = getattr(section, "OBJECT_DOCS", {}).get(
                name, f"map; fields documented in stacks/{section.__name__.rsplit('.', 1)[-1]}.py")
    return docs


def all_object_settings() -> tuple[str, ...]:
    return OBJECT_SETTINGS + tuple(o for section in SECTIONS for o in section.OBJECT_SETTINGS)


# ---------------------------------------------------------------- pydantic input models

MetricName = Annotated[str, Field(pattern=r"^[a-zA-Z_:][a-zA-Z0-9_:]*$")]


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
    services: Mapping[str, ServiceOverride] = Field(default_factory=dict)


for _field, _text in {
    "pdbMaxUnavailable": "a positive count such as '1' or a percentage '1%'-'100%'",
    "domain": "a lower-case DNS name such as 'tartware.local' or 'example.com'",
    "imageTag": "a Docker tag: letters, digits, '_', '.', '-', at most 128 characters",
    "imageRegistry": "a registry host and path such as 'docker.io/tartware' or 'registry.local:5000/tartware'",
    "registryServer": "a registry host such as 'registry.example.com' or 'registry.local:5000'",
    "customMetrics": "a list of {name: <prometheus metric>, averageValue: '<number>' or '<number>m'}",
    "image": "an image repository name such as 'api-gateway'",
    "imageDigest": "an OCI content digest 'sha256:' followed by 64 lower-case hex digits",
    "ingressClassName": "a lower-case IngressClass name such as 'nginx'",
    "tlsClusterIssuer": "a lower-case ClusterIssuer name, or empty for no TLS",
    "gatewayRateWindow": "a window such as '1 minute', '30 seconds' or '1 hour'",
}.items():
    hint(_field, _text)
PERCENT_FIELDS.update({"cpuTarget", "memoryTarget", "hpaCpuTarget", "hpaMemoryTarget"})


def _allowed_fields(loc: list[str]) -> str:
    parent = loc[-2] if len(loc) >= 2 else ""
    return ", ".join(OVERRIDE_FIELDS) if parent in SERVICE_NAMES else "see Pulumi.yaml"


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
    namespace: str = catalog.NAMESPACE
    release_name: str = catalog.RELEASE_NAME
    # Set from the cluster section when the cluster has a spot pool (stacks/cluster_settings.py):
    # the services that tolerate it and prefer it (chart values ``services.<name>.scheduling``).
    spot_services: tuple[str, ...] = ()
    spot_pool: Optional[Any] = None  # cluster_settings.NodePool

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
    raw: Mapping[str, Any] = field(default_factory=dict, repr=False)

    @property
    def is_prod(self) -> bool:
        return self.environment == "prod"


# ---------------------------------------------------------------- reading


def _read_raw(cfg: pulumi.Config, problems: ProblemCollector) -> dict[str, Any]:
    """Every declared non-secret key that is set, objects JSON-decoded; unknown keys reported."""
    raw: dict[str, Any] = {}
    for setting in all_declared():
        if setting.secret:
            # Secrets are not declared `secret: true` in Pulumi.yaml (the CLI would then require them
            # on every stack), so the program itself refuses one stored in plaintext, needed or not.
            full = f"{cfg.name}:{setting.name}"
            value = pulumi.runtime.get_config(full)
            if value not in (None, "") and not pulumi.runtime.is_config_secret(full):
                problems.add(full, _plaintext_secret_message(setting.name), "<plaintext value hidden>")
            continue
        value = cfg.get(setting.name)
        if value is not None:
            raw[setting.name] = value
    for name in all_object_settings():
        text = cfg.get(name)
        if text is None:
            continue
        try:
            raw[name] = json.loads(text)
        except json.JSONDecodeError:
            problems.add(key(name), "must be a map (set it with `pulumi config set --path`)", text)
    prefix = f"{cfg.name}:"
    known = {s.name for s in all_declared()} | set(all_object_settings())
    present = set(pulumi.runtime.config.CONFIG.get()) | set(pulumi.runtime.config.get_config_env())
    for full in sorted(present):
        if full.startswith(prefix):
            name = full[len(prefix):].split(".", 1)[0]
            if name not in known:
                problems.add(full, f"unknown setting; allowed: {', '.join(sorted(known))}")
    return raw


def _secret(cfg: pulumi.Config, name: str, required: bool, problems: ProblemCollector,
            why: str = "") -> Optional[pulumi.Output]:
    full = f"{cfg.name}:{name}"
    value = pulumi.runtime.get_config(full)
    # Absent, or an empty plaintext value (what a CLI-applied empty default would look like): unset.
    present = value is not None and (value != "" or pulumi.runtime.is_config_secret(full))
    if not present:
        if required:
            problems.add(full, f"missing required secret{why}; set it with "
                               f"`pulumi config set --secret {name} <value>`")
        return None
    if not pulumi.runtime.is_config_secret(full):
        return None  # reported by _read_raw
    return cfg.require_secret(name)


def _plaintext_secret_message(name: str) -> str:
    return f"must be stored encrypted; set it with `pulumi config set --secret {name} <value>`"


def _resolve_service(definition: ServiceDefinition, base: Sizing, override: ServiceOverride,
                     inp: CoreInput, problems: ProblemCollector) -> ServiceSpec:
    def pick(name: str, default: Any) -> Any:
        value = getattr(override, name)
        return default if value is None else value

    def overridden(name: str) -> bool:
        return getattr(override, name) is not None

    svc = definition.name
    min_r = pick("min_replicas", base.min_replicas)
    max_r = pick("max_replicas", base.max_replicas)
    if min_r > max_r:
        culprit = "minReplicas" if overridden("min_replicas") and not overridden("max_replicas") else "maxReplicas"
        value = min_r if culprit == "minReplicas" else max_r
        problems.add(key("services", svc, culprit),
                     f"minReplicas ({min_r}) must not exceed maxReplicas ({max_r})", value)

    def check_pair(kind: str, req: Any, lim: Any) -> None:
        if req > lim:
            culprit = f"{kind}Request" if overridden(f"{kind}_request") and not overridden(f"{kind}_limit") else f"{kind}Limit"
            problems.add(key("services", svc, culprit),
                         f"{kind} request ({req}) must not exceed its limit ({lim})",
                         str(req if culprit.endswith("Request") else lim))

    cpu_req = pick("cpu_request", Cpu.parse(base.cpu_request))
    cpu_lim = pick("cpu_limit", Cpu.parse(base.cpu_limit))
    mem_req = pick("memory_request", Memory.parse(base.memory_request))
    mem_lim = pick("memory_limit", Memory.parse(base.memory_limit))
    check_pair("cpu", cpu_req, cpu_lim)
    check_pair("memory", mem_req, mem_lim)

    metrics = override.custom_metrics
    if metrics is None:
        metrics = ()
        if inp.hpa_requests_per_second_target:
            metrics = (CustomMetricInput(name="http_requests_per_second",
                                         average_value=str(inp.hpa_requests_per_second_target)),)
    return ServiceSpec(
        definition=definition,
        enabled=pick("enabled", True),
        min_replicas=min_r,
        max_replicas=max_r,
        cpu_request=cpu_req,
        cpu_limit=cpu_lim,
        memory_request=mem_req,
        memory_limit=mem_lim,
        cpu_target=pick("cpu_target", inp.hpa_cpu_target),
        memory_target=pick("memory_target", inp.hpa_memory_target),
        custom_metrics=tuple(CustomMetric(m.name, m.average_value) for m in metrics),
        image=pick("image", definition.name),
        image_digest=pick("image_digest", ""),
    )


def _services_raw(raw: Mapping[str, Any], problems: ProblemCollector) -> dict[str, Any]:
    services = raw.get("services", {})
    if not isinstance(services, dict):
        problems.add(key("services"), "must be a map of service name to overrides", services)
        return {}
    services = dict(services)
    for name in list(services):
        if name not in SERVICES:
            problems.add(key("services", name), f"unknown service; allowed: {', '.join(SERVICE_NAMES)}", name)
            services.pop(name)
    return services


def _build_tartware(inp: CoreInput, ctx: BuildContext, vault_backend: bool = False) -> TartwareSettings:
    problems = ctx.problems
    profile = catalog.PROFILES[inp.environment]
    services = tuple(
        _resolve_service(d, profile[d.name], inp.services.get(d.name, ServiceOverride()), inp, problems)
        for d in SERVICES.values()
    )
    if not any(s.enabled for s in services):
        problems.add(key("services"), "every service is disabled; enable at least one")
    registry = None
    if inp.registry_server:
        if not inp.registry_username:
            problems.add(key("registryUsername"), "required when registryServer is set", "")
        if vault_backend:  # regcred comes from Vault (stacks/security_settings.py)
            registry = RegistrySettings(inp.registry_server, inp.registry_username, None)
        else:
            password = ctx.read_secret("registryPassword", True, problems, " when registryServer is set")
            if password is not None:
                registry = RegistrySettings(inp.registry_server, inp.registry_username, password)
    return TartwareSettings(
        domain=inp.domain,
        image_registry=inp.image_registry,
        image_tag=inp.image_tag,
        image_pull_policy=inp.image_pull_policy,
        registry=registry,
        services=services,
        ingress_enabled=inp.ingress_enabled,
        ingress_class_name=inp.ingress_class_name,
        tls_cluster_issuer=inp.tls_cluster_issuer,
        zone_spread=inp.zone_spread,
        pdb_max_unavailable=inp.pdb_max_unavailable,
        helm_timeout_seconds=inp.helm_timeout_seconds,
        gateway_rate_limit=_gateway_rate_limit(inp, ctx),
    )


def _gateway_rate_limit(inp: CoreInput, ctx: BuildContext) -> tuple[tuple[str, str], ...]:
    """The gateway's in-app limits; in prod none may cap the guide's throughput (stacks/ratelimit.py)."""
    seconds = ratelimit.window_seconds(inp.gateway_rate_window)
    if ctx.is_prod:
        floor = ratelimit.GUIDE_RATE * seconds
        for name, value in (("gatewayRateMax", inp.gateway_rate_max),
                            ("gatewayRateCommandMax", inp.gateway_rate_command_max),
                            ("gatewayRateAuthMax", inp.gateway_rate_auth_max)):
            if value < floor:
                ctx.problems.add(key(name), f"caps the whole platform below the guide's {ratelimit.GUIDE_RATE} req/s "
                                 f"(one key is shared by every client behind the mesh); allowed: at least "
                                 f"{floor} per '{inp.gateway_rate_window}'", value)
    env = ratelimit.gateway_env(inp.gateway_rate_max, inp.gateway_rate_command_max, inp.gateway_rate_auth_max,
                                inp.gateway_rate_window)
    return tuple(env.items())


def build_settings(raw: Mapping[str, Any], read_secret: SecretReader = no_secrets,
                   project: str = "tartware-infra", stack: str = "offline",
                   problems: Optional[ProblemCollector] = None, deploying: bool = False) -> StackSettings:
    """Validate raw config values (config key -> value) into StackSettings.

    Pure: needs no Pulumi runtime (``read_secret`` is the only door to secrets). Collects the
    problems of every section, then raises one SettingsError; cross-section checks (capacity)
    run only when every section is valid. ``deploying`` (set by ``load_settings``) adds the
    deployment policies: prod refuses backups without an off-site copy unless opted out.
    """
    problems = problems or ProblemCollector()
    known = {s.name for s in all_declared()} | set(all_object_settings())
    for name in raw:
        if name not in known:
            problems.add(key(name), f"unknown setting; allowed: {', '.join(sorted(known))}", raw[name])

    def section_raw(declared: tuple[Setting, ...], objects: tuple[str, ...]) -> dict[str, Any]:
        values = {s.name: s.default for s in declared if not s.secret and s.default is not None}
        values.update({k: v for k, v in raw.items() if k in {s.name for s in declared} or k in objects})
        # An optional setting (no default of its own) given as "" is unset: Pulumi.yaml declares
        # optional strings with default "", which the CLI writes onto the stack config in plaintext
        # (tools/pulumi_cli.py), and the program computes the value instead.
        for s in declared:
            if s.default is None and values.get(s.name) == "":
                del values[s.name]
        return values

    core_raw = section_raw(DECLARED, ())
    core_raw["services"] = _services_raw(raw, problems)
    core = validate_section(CoreInput, core_raw, problems, _allowed_fields)
    environment = core.environment if core else (raw.get("environment") if raw.get("environment") in ENVIRONMENTS else "dev")
    ctx = BuildContext(environment=environment, problems=problems, read_secret=read_secret, deploying=deploying)
    tartware = _build_tartware(core, ctx, raw.get("secretsBackend") == "vault") if core else None
    built = {
        section.NAME: section.build(section_raw(section.DECLARED, section.OBJECT_SETTINGS), ctx)
        for section in SECTIONS
    }
    problems.raise_if_any()
    spot = cluster_settings.spot_pool(built[cluster_settings.NAME].worker_pools)
    if spot is not None:
        tartware = dataclasses.replace(tartware, spot_services=built[cluster_settings.NAME].spot_services, spot_pool=spot)

    settings = StackSettings(
        project=project,
        stack=stack,
        environment=environment,
        protect=core.protect if core.protect is not None else environment == "prod",
        domain=core.domain,
        tartware=tartware,
        raw=dict(raw),
        **built,
    )
    capacity.check(settings, problems)
    platform_settings.cross_check(settings, problems)
    ops_settings.cross_check(settings, problems)
    problems.raise_if_any()
    return settings


def load_settings(cfg: Optional[pulumi.Config] = None) -> StackSettings:
    """Read and validate the whole stack configuration. Raises SettingsError on any problem."""
    cfg = cfg or pulumi.Config(CONFIG_NAMESPACE)
    problems = ProblemCollector()
    raw = _read_raw(cfg, problems)

    def read_secret(name: str, required: bool, probs: ProblemCollector, why: str = ""):
        return _secret(cfg, name, required, probs, why)

    return build_settings(raw, read_secret, pulumi.get_project(), pulumi.get_stack(), problems, deploying=True)


__all__ = [
    "CPU_HELP",
    "MEMORY_HELP",
    "DECLARED",
    "ClusterSettings",
    "CustomMetric",
    "RegistrySettings",
    "ServiceSpec",
    "SettingsError",
    "StackSettings",
    "TartwareSettings",
    "load_settings",
]
