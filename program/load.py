"""Typed, validated stack settings built from ``pulumi.Config``.

``load_settings()`` is the only place the program reads configuration. It reads every declared
key, validates types and ranges with pydantic, resolves the service budget (profile from the
catalog + per-service overrides) and checks cross-field rules. Any problem raises one
``SettingsError`` listing every bad key, its value and what is allowed — before a single
resource is registered.

The loader: the model it builds is in ``settings/`` (``model.py`` and the section modules), the
rules it runs in ``rules/`` (``cross_section.py``). Every setting is declared once, in
``settings/model.py`` ``DECLARED`` or its section's ``DECLARED`` (type, default, description;
collected by ``settings/declared.py``); a test keeps
``Pulumi.yaml``'s ``config:`` block identical to it (tools/project_file.py: keys with a default,
optional strings with the empty default read as unset; optional integers, booleans, arrays and
every secret left undeclared so the Pulumi CLI neither requires them nor refuses a plaintext
default). Object-valued settings (``services``, ``nodePools``, ...) are documented in
``Pulumi.yaml``'s header and the README.
"""

from __future__ import annotations

import dataclasses
import json
from typing import Any, Mapping, Optional

import pulumi

from facts import catalog, ratelimit
from facts.catalog import SERVICE_NAMES, SERVICES, BudgetRow, ServiceDefinition
from rules import connections, cross_section
from settings import cluster, data
from settings.declared import SECTIONS, all_declared, all_object_settings
from settings.errors import CONFIG_NAMESPACE, ProblemCollector, key
from settings.model import (
    DECLARED,
    ENVIRONMENTS,
    OVERRIDE_FIELDS,
    CoreInput,
    CustomMetric,
    CustomMetricInput,
    RegistrySettings,
    ServiceOverride,
    ServiceSpec,
    StackSettings,
    TartwareSettings,
)
from settings.nodes import Placement, spot_pool
from settings.quantities import Cpu, Memory
from settings.schema import BuildContext, SecretReader, Setting, env_default, from_input, no_secrets, validate_section


def _allowed_fields(loc: list[str]) -> str:
    parent = loc[-2] if len(loc) >= 2 else ""
    return ", ".join(OVERRIDE_FIELDS) if parent in SERVICE_NAMES else "see Pulumi.yaml"


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


def _resolve_service(definition: ServiceDefinition, base: BudgetRow, override: ServiceOverride,
                     inp: CoreInput, problems: ProblemCollector, pool_default: int) -> ServiceSpec:
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
            culprit = (f"{kind}Request" if overridden(f"{kind}_request") and not overridden(f"{kind}_limit")
                       else f"{kind}Limit")
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
        db_pool_max=pick("db_pool_max", inp.db_pool_max or pool_default),
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


def _build_tartware(inp: CoreInput, ctx: BuildContext, vault_backend: bool = False,
                    data: Optional[data.DataSettings] = None) -> TartwareSettings:
    problems = ctx.problems
    profile = catalog.PROFILES[inp.environment]
    pool_default = connections.default_pool(inp.environment, data)  # behind the Pooler or not
    services = tuple(
        _resolve_service(d, profile[d.name], inp.services.get(d.name, ServiceOverride()), inp, problems, pool_default)
        for d in SERVICES.values()
    )
    if not any(s.enabled for s in services):
        problems.add(key("services"), "every service is disabled; enable at least one")
    registry = None
    if inp.registry_server:
        if not inp.registry_username:
            problems.add(key("registryUsername"), "required when registryServer is set", "")
        if vault_backend:  # regcred comes from Vault (settings/security.py)
            registry = RegistrySettings(inp.registry_server, inp.registry_username, None)
        else:
            password = ctx.read_secret("registryPassword", True, problems, " when registryServer is set")
            if password is not None:
                registry = RegistrySettings(inp.registry_server, inp.registry_username, password)
    return from_input(TartwareSettings, inp, registry=registry, services=services,
                      gateway_rate_limit=_gateway_rate_limit(inp, ctx), cors_origins=_cors_origins(inp, ctx))


# Where the browser UI is served from when corsOrigins is unset: app.<domain>, the app's own example
# (red2n/tartware@a2583469 .env.example: CORS_ORIGIN=https://app.tartware.com).
UI_HOST = "app"


def _cors_origins(inp: CoreInput, ctx: BuildContext) -> str:
    """The gateway's CORS_ORIGIN. Unset in production it turns CORS off (red2n/tartware@a2583469
    Apps/api-gateway/src/config.ts parseCorsOrigin); '*' reflects any origin, refused in prod."""
    if inp.cors_origins == "*" and ctx.is_prod:
        ctx.problems.add(key("corsOrigins"), "'*' lets any web page call the API with a user's token; "
                         "allowed in prod: the UI's origins, e.g. https://app.example.com", "*")
    return inp.cors_origins or f"https://{UI_HOST}.{inp.domain}"


def _gateway_rate_limit(inp: CoreInput, ctx: BuildContext) -> tuple[tuple[str, str], ...]:
    """The gateway's in-app limits; in prod none may cap the guide's throughput (facts/ratelimit.py)."""
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
        names = {s.name for s in declared}
        values.update({k: v for k, v in raw.items() if k in names or k in objects})
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
    given = raw.get("environment")
    environment: str = core.environment if core else (given if given in ENVIRONMENTS else "dev")
    ctx = BuildContext(environment=environment, problems=problems, read_secret=read_secret, stack=stack,
                       deploying=deploying)
    built = {
        section.NAME: section.build(section_raw(section.DECLARED, section.OBJECT_SETTINGS), ctx)
        for section in SECTIONS
    }
    tartware = (_build_tartware(core, ctx, raw.get("secretsBackend") == "vault", built[data.NAME])
                if core else None)
    problems.raise_if_any()
    assert core is not None and tartware is not None  # no problem: every section is built
    spot = spot_pool(built[cluster.NAME].worker_pools)
    if spot is not None:
        tartware = dataclasses.replace(tartware, spot_services=built[cluster.NAME].spot_services,
                                       spot_placement=Placement.on(spot))

    settings = StackSettings(
        project=project,
        stack=stack,
        environment=environment,
        protect=core.protect if core.protect is not None else env_default(DECLARED, "protect", environment == "prod"),
        domain=core.domain,
        tartware=tartware,
        **built,
        requests_per_second_target=core.hpa_requests_per_second_target,
    )
    cross_section.check(settings, problems)
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

