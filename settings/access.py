"""Operator access settings: how people reach the operator tools (Grafana, Prometheus, Jaeger, Locust).

One setting, ``operatorAccess``, chooses the shape (docs/platform.md "Operator access"):

* ``sso``: the tools stay on the public gateway behind single sign-on. The gateway asks oauth2-proxy
  (an Istio ``envoyExtAuthzHttp`` extension provider) about every request to an operator host
  (``AuthorizationPolicy`` ``action: CUSTOM``); oauth2-proxy signs people in with the OIDC provider
  ``operatorSsoIssuerUrl``. Grafana signs the same people in with its own generic OAuth for
  per-person roles (``operatorSsoAuthUrl``/``TokenUrl``/``UserinfoUrl``: Grafana has no OIDC discovery).
* ``allowlist``: the tools stay on the public gateway for clients of ``operatorAllowedCidrs`` only
  (``AuthorizationPolicy`` ``action: DENY`` with ``notRemoteIpBlocks``), which needs the client's
  address at the gateway (the cross-section rule in rules/cross_section.py).
* ``internal``: no public route and no DNS record; ``kubectl port-forward`` reaches each tool.
* ``lab``: the tools on the public gateway with only their own logins, as the guide's lab setup
  (``/etc/hosts`` entries). The dev default; refused in prod.

Prod has no default: a prod stack without ``operatorAccess`` is refused, naming it.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass
from typing import Annotated, Any, Literal, Mapping, Optional
from urllib.parse import urlsplit

import pulumi
from pydantic import Field

from .errors import ProblemCollector, key
from .platform import CpuMemory
from .schema import BuildContext, Setting, SettingsModel, decode_arrays, validate_section

NAME = "access"

MODES = ("sso", "allowlist", "internal", "lab")
PROD_MODES = ("sso", "allowlist", "internal")
SSO_KEYS = ("operatorSsoIssuerUrl", "operatorSsoClientId", "operatorSsoEmailDomains", "operatorSsoAllowedGroups",
            "operatorSsoAuthUrl", "operatorSsoTokenUrl", "operatorSsoUserinfoUrl", "operatorSsoGrafanaAdminGroups",
            "operatorSsoGrafanaEditorGroups")
# Vault KV item (<vaultPathPrefix>/operator-sso) of the gate's secrets with secretsBackend=vault
VAULT_ITEM = "operator-sso"
ARRAYS = ("operatorSsoEmailDomains", "operatorSsoAllowedGroups", "operatorSsoGrafanaAdminGroups",
          "operatorSsoGrafanaEditorGroups", "operatorAllowedCidrs")

DECLARED: tuple[Setting, ...] = (
    Setting("operatorAccess", "string",
            "How operators reach Grafana, Prometheus, Jaeger and Locust: sso (public hosts behind single sign-on: "
            "oauth2-proxy as the gateway's external authorizer, Grafana's own OAuth for roles), allowlist (public "
            "hosts for operatorAllowedCidrs only), internal (no public route or DNS record; kubectl port-forward) or "
            "lab (public hosts with only the tools' own logins: a lab, refused in prod). Unset: lab in dev, "
            "required in prod."),
    Setting("operatorSsoIssuerUrl", "string",
            "OIDC issuer (https) oauth2-proxy discovers the provider from, e.g. "
            "https://idp.example.com/realms/ops.", ""),
    Setting("operatorSsoClientId", "string", "OIDC client ID registered for the operator tools.", "",
            example="a client ID: letters, digits and . _ : @ / - (at most 255)"),
    Setting("operatorSsoClientSecret", "string",
            "OIDC client secret (secret; with secretsBackend=vault it comes from <vaultPathPrefix>/operator-sso "
            "{client-secret, cookie-secret} instead).", secret=True),
    Setting("operatorSsoEmailDomains", "array",
            "E-mail domains oauth2-proxy admits (oauth2-proxy --email-domain), e.g. ['example.com']; ['*'] admits "
            "every account the provider signs in.", items="string",
            example="e-mail domains such as 'example.com', or '*'"),
    Setting("operatorSsoAllowedGroups", "array",
            "Groups (the ID token's groups claim) oauth2-proxy admits (--allowed-group); unset: any group.",
            items="string", example="group names of letters, digits, spaces and . _ @ / : - (no quotes or commas)"),
    Setting("operatorSsoAuthUrl", "string", "Authorization endpoint (https) for Grafana's generic OAuth.", ""),
    Setting("operatorSsoTokenUrl", "string", "Token endpoint (https) for Grafana's generic OAuth.", ""),
    Setting("operatorSsoUserinfoUrl", "string", "UserInfo endpoint (https) for Grafana's generic OAuth (api_url).", ""),
    Setting("operatorSsoGrafanaAdminGroups", "array", "Groups that become Grafana Admins (everyone else: Viewer).",
            items="string", example="group names of letters, digits, spaces and . _ @ / : - (no quotes or commas)"),
    Setting("operatorSsoGrafanaEditorGroups", "array", "Groups that become Grafana Editors.",
            items="string", example="group names of letters, digits, spaces and . _ @ / : - (no quotes or commas)"),
    Setting("operatorAllowedCidrs", "array",
            "Client networks (IPv4 or IPv6 CIDRs) that may reach the operator hosts with operatorAccess=allowlist, "
            "e.g. the office or VPN egress ['203.0.113.0/24'].", items="string"),
)
OBJECT_SETTINGS: tuple[str, ...] = ()

Group = Annotated[str, Field(pattern=r"^[A-Za-z0-9 ._@/:-]{1,256}$")]
EmailDomain = Annotated[str, Field(pattern=r"^(\*|([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63})$")]


class AccessInput(SettingsModel):
    operator_access: Optional[Literal[MODES]] = None  # type: ignore[valid-type]
    operator_sso_issuer_url: str = ""
    operator_sso_client_id: Annotated[str, Field(pattern=r"^([A-Za-z0-9._:@/-]{1,255})?$")] = ""
    operator_sso_email_domains: tuple[EmailDomain, ...] = ()
    operator_sso_allowed_groups: tuple[Group, ...] = ()
    operator_sso_auth_url: str = ""
    operator_sso_token_url: str = ""
    operator_sso_userinfo_url: str = ""
    operator_sso_grafana_admin_groups: tuple[Group, ...] = ()
    operator_sso_grafana_editor_groups: tuple[Group, ...] = ()
    operator_allowed_cidrs: tuple[str, ...] = ()


@dataclass(frozen=True)
class SsoSettings:
    issuer_url: str
    client_id: str
    email_domains: tuple[str, ...]
    allowed_groups: tuple[str, ...]
    auth_url: str
    token_url: str
    userinfo_url: str
    grafana_admin_groups: tuple[str, ...] = ()
    grafana_editor_groups: tuple[str, ...] = ()
    client_secret: Optional[pulumi.Output] = None  # secret; None with secretsBackend=vault (rules/cross_section.py)


@dataclass(frozen=True)
class AccessSettings:
    mode: str = "lab"  # sso | allowlist | internal | lab
    sso: Optional[SsoSettings] = None
    allowed_cidrs: tuple[str, ...] = ()  # allowlist: the client networks, as written
    is_prod: bool = False

    @property
    def public_operator_hosts(self) -> bool:
        """Whether the operator tools are routed on the public gateway (all modes but internal)."""
        return self.mode != "internal"

    def gate_pods(self) -> tuple[int, CpuMemory, CpuMemory]:
        """(replicas, request, limit) of oauth2-proxy: two in prod (the chart's PodDisruptionBudget keeps
        one), one in dev. It answers one small HTTP check per operator request."""
        if self.is_prod:
            return 2, CpuMemory("50m", "64Mi"), CpuMemory("500m", "256Mi")
        return 1, CpuMemory("10m", "32Mi"), CpuMemory("200m", "128Mi")

    def fixed_overhead(self) -> tuple[int, int]:
        """(millicores, bytes) the gate's pods request: what the capacity check adds for it."""
        if self.mode != "sso":
            return (0, 0)
        replicas, request, _ = self.gate_pods()
        return (replicas * request.millicores, replicas * request.bytes)


def https_url_problem(text: str) -> Optional[str]:
    """Why ``text`` is not an absolute https URL without query or fragment (None: it is)."""
    try:
        parts = urlsplit(text)
        port = parts.port  # raises ValueError on a bad port
    except ValueError as exc:
        return f"not a URL ({exc})"
    if parts.scheme != "https":
        return ("must be https (the client secret and the users' tokens travel over it)" if parts.scheme
                else "not an absolute URL")
    if not parts.hostname or any(c.isspace() for c in text) or (port is not None and not 0 < port < 65536):
        return "not an absolute https URL"
    if parts.query or parts.fragment:
        return "must not carry a query or fragment"
    return None


def allowed_networks(texts: tuple[str, ...], problems: ProblemCollector) -> tuple[str, ...]:
    """operatorAllowedCidrs: IPv4 or IPv6 networks as Envoy matches them (host bits zero), none of
    them every address (/0 would admit everyone: use lab, or sso)."""
    name = key("operatorAllowedCidrs")
    for text in texts:
        try:
            net = ipaddress.ip_network(text, strict=False)
        except ValueError as exc:
            problems.add(name, f"not an IP network ({exc}); allowed: CIDRs such as '203.0.113.0/24' or "
                         "'2001:db8::/48'", text)
            continue
        if str(net) != text:
            problems.add(name, f"host bits set or not in canonical form; allowed: '{net}'", text)
        elif net.prefixlen == 0:
            problems.add(name, "admits every address; allowed: the networks operators come from "
                         "(office, VPN egress)", text)
    return texts


def build(raw: Mapping[str, Any], ctx: BuildContext) -> Optional[AccessSettings]:
    problems = ctx.problems
    raw = dict(raw)
    decode_arrays(raw, ARRAYS)
    inp = validate_section(AccessInput, raw, problems)
    if inp is None:
        return None
    mode = inp.operator_access
    if mode is None:
        # a deployment policy (as prod's off-site backups): a prod stack must choose; a tool that only
        # computes values from prod settings gets the shape that publishes nothing
        if ctx.is_prod and ctx.deploying:
            problems.add(key("operatorAccess"), "required in prod: say how operators reach Grafana, Prometheus, "
                         f"Jaeger and Locust; allowed: {', '.join(PROD_MODES)} (docs/platform.md \"Operator access\")")
            return None
        mode = "internal" if ctx.is_prod else "lab"
    if mode == "lab" and ctx.is_prod:
        problems.add(key("operatorAccess"), "lab publishes the operator tools to anyone who finds the address, with "
                     f"only their own logins: for a lab, not prod; allowed in prod: {', '.join(PROD_MODES)}", mode)
    values = {
        "operatorSsoIssuerUrl": inp.operator_sso_issuer_url, "operatorSsoClientId": inp.operator_sso_client_id,
        "operatorSsoEmailDomains": inp.operator_sso_email_domains,
        "operatorSsoAllowedGroups": inp.operator_sso_allowed_groups,
        "operatorSsoAuthUrl": inp.operator_sso_auth_url, "operatorSsoTokenUrl": inp.operator_sso_token_url,
        "operatorSsoUserinfoUrl": inp.operator_sso_userinfo_url,
        "operatorSsoGrafanaAdminGroups": inp.operator_sso_grafana_admin_groups,
        "operatorSsoGrafanaEditorGroups": inp.operator_sso_grafana_editor_groups,
    }
    for name in ("operatorSsoIssuerUrl", "operatorSsoAuthUrl", "operatorSsoTokenUrl", "operatorSsoUserinfoUrl"):
        url = values[name]
        assert isinstance(url, str)  # the four URL keys hold str fields
        why = https_url_problem(url) if url else None
        if why:
            problems.add(key(name), f"{why}; allowed: an https URL such as https://idp.example.com/realms/ops",
                         values[name])
    # a key of another mode is a mistake (a half-switched stack), not something to ignore
    if mode != "sso":
        for name in SSO_KEYS:
            if values[name]:
                problems.add(key(name), f"only used with operatorAccess=sso (it is {mode})", _shown(values[name]))
    if mode != "allowlist" and inp.operator_allowed_cidrs:
        problems.add(key("operatorAllowedCidrs"), f"only used with operatorAccess=allowlist (it is {mode})",
                     list(inp.operator_allowed_cidrs))
    sso = None
    if mode == "sso":
        required = {"operatorSsoIssuerUrl": "the OIDC provider oauth2-proxy signs operators in with",
                    "operatorSsoClientId": "the OIDC client registered for the operator hosts",
                    "operatorSsoEmailDomains": "who may pass: e-mail domains such as ['example.com'], or ['*'] for "
                                               "every account of the provider",
                    "operatorSsoAuthUrl": "Grafana's generic OAuth has no OIDC discovery",
                    "operatorSsoTokenUrl": "Grafana's generic OAuth has no OIDC discovery",
                    "operatorSsoUserinfoUrl": "Grafana's generic OAuth has no OIDC discovery"}
        for name, why in required.items():
            if not values[name]:
                problems.add(key(name), f"required when operatorAccess=sso ({why})")
        sso = SsoSettings(
            issuer_url=inp.operator_sso_issuer_url.rstrip("/"), client_id=inp.operator_sso_client_id,
            email_domains=inp.operator_sso_email_domains, allowed_groups=inp.operator_sso_allowed_groups,
            auth_url=inp.operator_sso_auth_url, token_url=inp.operator_sso_token_url,
            userinfo_url=inp.operator_sso_userinfo_url,
            grafana_admin_groups=inp.operator_sso_grafana_admin_groups,
            grafana_editor_groups=inp.operator_sso_grafana_editor_groups,
            # optional here: required with generated Secrets only (rules/cross_section.py check_access); a
            # plaintext one is refused when the config is read (program/load.py)
            client_secret=ctx.read_secret("operatorSsoClientSecret", False, problems, ""))
    cidrs: tuple[str, ...] = ()
    if mode == "allowlist":
        if not inp.operator_allowed_cidrs:
            problems.add(key("operatorAllowedCidrs"), "required when operatorAccess=allowlist: the client networks "
                         "operators come from, e.g. ['203.0.113.0/24'] (office, VPN egress)")
        cidrs = allowed_networks(inp.operator_allowed_cidrs, problems)
    return AccessSettings(mode=mode, sso=sso, allowed_cidrs=cidrs, is_prod=ctx.is_prod)


def _shown(value: Any) -> Any:
    return list(value) if isinstance(value, tuple) else value
