"""Typed, validated stack settings built from ``pulumi.Config``.

``load_settings()`` is the only place the program reads configuration. It reads every declared
key, validates types and ranges with pydantic, resolves the service budget (profile from the
catalog + per-service overrides) and checks cross-field rules. Any problem raises one
``SettingsError`` listing every bad key, its value and what is allowed — before a single
resource is registered.

Every setting is declared once in ``DECLARED`` below (type, default, description); a test keeps
``Pulumi.yaml``'s ``config:`` block identical to it. ``services`` is the only object-valued
setting: Pulumi's project schema cannot declare object types (only string, integer, boolean,
array), so it is documented in ``Pulumi.yaml`` and the README instead.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Annotated, Any, Callable, Literal, Mapping, Optional

import pulumi
from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PlainSerializer,
    ValidationError,
)
from pydantic.alias_generators import to_camel

from . import catalog
from .catalog import SERVICE_NAMES, SERVICES, ServiceDefinition, Sizing
from .errors import CONFIG_NAMESPACE, ProblemCollector, SettingsError, key
from .quantities import CPU_HELP, MEMORY_HELP, Cpu, Memory

ENVIRONMENTS = ("dev", "prod")
CLUSTER_TARGETS = ("existing",)
PULL_POLICIES = ("Always", "IfNotPresent", "Never")
ZONE_SPREAD_MODES = ("ScheduleAnyway", "DoNotSchedule")


@dataclass(frozen=True)
class Setting:
    """One declared config key (mirrored in Pulumi.yaml)."""

    name: str
    type: Literal["string", "integer", "boolean", "array"]
    description: str
    default: Any = None
    secret: bool = False
    items: Optional[str] = None  # item type for arrays


DECLARED: tuple[Setting, ...] = (
    Setting("environment", "string", "Budget profile: dev (1-2 replicas) or prod (the guide's table).", "dev"),
    Setting("protect", "boolean", "Protect stateful resources from deletion. Unset: true when environment=prod."),
    Setting("domain", "string", "DNS domain the routes are published under (api.<domain>, ...).", "tartware.local"),
    Setting("clusterTarget", "string", "Where Kubernetes comes from: existing (a kubeconfig/context).", "existing"),
    Setting("kubeconfig", "string", "Kubeconfig contents for clusterTarget=existing. Unset: the ambient KUBECONFIG / ~/.kube/config.", secret=True),
    Setting("kubeContext", "string", "Context in the kubeconfig. Empty: its current context.", ""),
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
)
DECLARED_BY_NAME: Mapping[str, Setting] = {s.name: s for s in DECLARED}
OBJECT_SETTINGS = ("services",)


# ---------------------------------------------------------------- pydantic input models


def _cpu(value: object) -> Cpu:
    return Cpu.parse(value)


def _memory(value: object) -> Memory:
    return Memory.parse(value)


CpuQ = Annotated[Cpu, BeforeValidator(_cpu), PlainSerializer(str)]
MemQ = Annotated[Memory, BeforeValidator(_memory), PlainSerializer(str)]
Replicas = Annotated[int, Field(ge=1, le=1000)]
Percent = Annotated[int, Field(ge=1, le=100)]
MetricName = Annotated[str, Field(pattern=r"^[a-zA-Z_:][a-zA-Z0-9_:]*$")]


class _Model(BaseModel):
    model_config = ConfigDict(
        extra="forbid", frozen=True, alias_generator=to_camel, populate_by_name=True
    )


class CustomMetricInput(_Model):
    name: MetricName
    average_value: Annotated[str, Field(pattern=r"^\d+(\.\d+)?m?$")]


class ServiceOverride(_Model):
    """``tartware:services.<name>``: per-service overrides of the profile."""

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


OVERRIDE_FIELDS = tuple(ServiceOverride.model_fields[f].alias for f in ServiceOverride.model_fields)

DnsName = Annotated[
    str,
    Field(max_length=200, pattern=r"^([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$"),
]


class ConfigInput(_Model):
    """Every scalar/array config key, by its config name (camelCase)."""

    environment: Literal["dev", "prod"]
    protect: Optional[bool] = None
    domain: DnsName
    cluster_target: Literal["existing"]
    kube_context: str
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
    services: Mapping[str, ServiceOverride] = Field(default_factory=dict)


_ALLOWED_HINTS: Mapping[str, str] = {
    "pdbMaxUnavailable": "a positive count such as '1' or a percentage '1%'-'100%'",
    "domain": "a lower-case DNS name such as 'tartware.local' or 'example.com'",
    "imageTag": "a Docker tag: letters, digits, '_', '.', '-', at most 128 characters",
    "imageRegistry": "a registry host and path such as 'docker.io/tartware' or 'registry.local:5000/tartware'",
    "registryServer": "a registry host such as 'registry.example.com' or 'registry.local:5000'",
    "customMetrics": "a list of {name: <prometheus metric>, averageValue: '<number>' or '<number>m'}",
    "image": "an image repository name such as 'api-gateway'",
    "ingressClassName": "a lower-case IngressClass name such as 'nginx'",
    "tlsClusterIssuer": "a lower-case ClusterIssuer name, or empty for no TLS",
}


def _pydantic_problems(exc: ValidationError, problems: ProblemCollector) -> None:
    for err in exc.errors():
        loc = [str(p) for p in err["loc"]]
        # drop list indices/inner types for the key, keep them readable
        config_key = key(*loc) if loc else CONFIG_NAMESPACE
        field_name = next((p for p in reversed(loc) if not p.isdigit()), "")
        message = err["msg"].removeprefix("Value error, ")
        if err["type"] == "extra_forbidden":
            parent = loc[-2] if len(loc) >= 2 else ""
            allowed = ", ".join(OVERRIDE_FIELDS) if parent in SERVICE_NAMES else "see Pulumi.yaml"
            message = f"unknown setting; allowed: {allowed}"
        elif err["type"] == "string_pattern_mismatch":
            hint = _ALLOWED_HINTS.get(field_name) or _ALLOWED_HINTS.get(loc[-2] if len(loc) > 1 else "", "")
            message = f"invalid value; expected {hint}" if hint else message
        elif err["type"] in ("greater_than_equal", "less_than_equal") and field_name in (
            "cpuTarget", "memoryTarget", "hpaCpuTarget", "hpaMemoryTarget"
        ):
            message = f"{message}; an HPA utilisation target is a percentage from 1 to 100"
        problems.add(config_key, message, err.get("input"))


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

    @property
    def name(self) -> str:
        return self.definition.name


@dataclass(frozen=True)
class RegistrySettings:
    server: str
    username: str
    password: pulumi.Output  # secret


@dataclass(frozen=True)
class ClusterSettings:
    target: str
    kubeconfig: Optional[pulumi.Output]  # secret
    context: str


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
    namespace: str = catalog.NAMESPACE
    release_name: str = catalog.RELEASE_NAME

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
    cluster: ClusterSettings
    tartware: TartwareSettings
    raw: Mapping[str, Any] = field(default_factory=dict, repr=False)

    @property
    def is_prod(self) -> bool:
        return self.environment == "prod"


# ---------------------------------------------------------------- reading


ConfigGetter = Callable[[str], Optional[str]]


def _read_raw(cfg: pulumi.Config, problems: ProblemCollector) -> dict[str, Any]:
    raw: dict[str, Any] = {}
    for setting in DECLARED:
        if setting.secret:
            continue
        value = cfg.get(setting.name)
        if value is not None:
            raw[setting.name] = value
    text = cfg.get("services")
    if text is not None:
        try:
            services = json.loads(text)
        except json.JSONDecodeError:
            problems.add(key("services"), "must be a map of service name to overrides", text)
            services = {}
        if not isinstance(services, dict):
            problems.add(key("services"), "must be a map of service name to overrides", services)
            services = {}
        for name in list(services):
            if name not in SERVICES:
                problems.add(
                    key("services", name),
                    f"unknown service; allowed: {', '.join(SERVICE_NAMES)}",
                    name,
                )
                services.pop(name)
        raw["services"] = services
    return raw


def _secret(cfg: pulumi.Config, name: str, required: bool, problems: ProblemCollector,
            why: str = "") -> Optional[pulumi.Output]:
    full = f"{cfg.name}:{name}"
    present = pulumi.runtime.get_config(full) is not None
    if not present:
        if required:
            problems.add(full, f"missing required secret{why}; set it with "
                               f"`pulumi config set --secret {name} <value>`")
        return None
    if not pulumi.runtime.is_config_secret(full):
        problems.add(full, f"must be stored encrypted; set it with `pulumi config set --secret {name} <value>`",
                     "<plaintext value hidden>")
        return None
    return cfg.require_secret(name)


def _resolve_service(definition: ServiceDefinition, base: Sizing, override: ServiceOverride,
                     inp: ConfigInput, problems: ProblemCollector) -> ServiceSpec:
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
    )


SecretReader = Callable[[str, bool, ProblemCollector, str], Optional[pulumi.Output]]


def _no_secrets(name: str, required: bool, problems: ProblemCollector, why: str = "") -> None:
    if required:
        problems.add(key(name), f"missing required secret{why}")
    return None


def build_settings(raw: Mapping[str, Any], read_secret: SecretReader = _no_secrets,
                   project: str = "tartware-infra", stack: str = "offline",
                   problems: Optional[ProblemCollector] = None) -> StackSettings:
    """Validate raw config values (by config key) into StackSettings. Pure: no Pulumi runtime needed."""
    problems = problems or ProblemCollector()
    full = {s.name: s.default for s in DECLARED if not s.secret}
    full.update(raw)
    try:
        inp = ConfigInput.model_validate(full)
    except ValidationError as exc:
        _pydantic_problems(exc, problems)
        problems.raise_if_any()
        raise  # pragma: no cover - raise_if_any always raises here

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
        password = read_secret("registryPassword", True, problems, " when registryServer is set")
        if password is not None:
            registry = RegistrySettings(inp.registry_server, inp.registry_username, password)
    kubeconfig = read_secret("kubeconfig", False, problems, "")

    problems.raise_if_any()

    return StackSettings(
        project=project,
        stack=stack,
        environment=inp.environment,
        protect=inp.protect if inp.protect is not None else inp.environment == "prod",
        cluster=ClusterSettings(target=inp.cluster_target, kubeconfig=kubeconfig,
                                context=inp.kube_context),
        tartware=TartwareSettings(
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
        ),
        raw=dict(full),
    )


def load_settings(cfg: Optional[pulumi.Config] = None) -> StackSettings:
    """Read and validate the whole stack configuration. Raises SettingsError on any problem."""
    cfg = cfg or pulumi.Config(CONFIG_NAMESPACE)
    problems = ProblemCollector()
    raw = _read_raw(cfg, problems)

    def read_secret(name: str, required: bool, probs: ProblemCollector, why: str = ""):
        return _secret(cfg, name, required, probs, why)

    return build_settings(raw, read_secret, pulumi.get_project(), pulumi.get_stack(), problems)


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
