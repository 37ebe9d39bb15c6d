"""Operator access: what guards the operator hosts on the public gateway (docs/platform.md "Operator access").

``operatorAccess`` (settings/access.py) chooses; this component builds the guard:

* ``sso``: oauth2-proxy (chart pinned in facts/versions.py) in namespace ``oauth2-proxy``, Istio's
  extension provider ``oauth2-proxy`` (``envoyExtAuthzHttp``, placed in istiod's meshConfig by the
  mesh, ``ext_authz``), and the ``AuthorizationPolicy`` ``operator-sso`` (``action: CUSTOM``) on the
  gateway for the operator hosts: the gateway asks oauth2-proxy about every request to them and lets
  it through only on a 200 (istio/istio@1.22.8 pilot/pkg/security/authz/builder/extauthz.go:
  ``FailureModeAllow`` is the provider's ``failOpen``, false here).
* ``allowlist``: the ``AuthorizationPolicy`` ``operator-allowlist`` (``action: DENY``) on the gateway:
  a request to an operator host whose client address (``remoteIpBlocks``: X-Forwarded-For with
  ``numTrustedProxies``, or the PROXY protocol, or the peer; istio/api@1.22.8
  security/v1beta1/authorization_policy.proto ``Source.remote_ip_blocks``) is outside the list is
  refused (403).

``internal`` routes no operator host (components/platform/__init__.py) and ``lab`` guards nothing:
neither builds this component.

Host matching: a policy's ``hosts`` match ``:authority`` exactly and case-insensitively
(istio/istio@1.22.8 pilot/pkg/security/authz/matcher/header.go ``HostMatcher``), the value Envoy
routes on; the gateway's virtual hosts carry exactly the route's host names, without port variants
(pilot/pkg/networking/core/gateway.go ``Domains: []string{hostname}``), so every request that reaches
an operator route is one the policy matches. With the ACME issuer, the HTTP-01 challenge path is left
to cert-manager's solver (``notPaths``), or no certificate for the operator hosts could be issued.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Mapping, Optional, Sequence
from urllib.parse import urlsplit

import pulumi
import pulumi_random as random

from facts import versions
from facts.endpoints import DNS_NAMESPACE, DNS_PORT, service_host
from settings.platform import CpuMemory

from ..base import TartwareComponent
from ..kit import LABELS, Allow, EgressAllow, NamespacePolicies, Peer, custom_resource, helm_release, namespace
from ..secrets import SecretMaker

NAMESPACE = "oauth2-proxy"
RELEASE = "oauth2-proxy"  # the chart's fullname is the release name (it contains the chart name)
PROVIDER = "oauth2-proxy"  # the meshConfig extension provider the CUSTOM policy names
SERVICE_PORT = 80  # chart service.portNumber -> targetPort "http" (4180)
HTTP_PORT = 4180  # --http-address=0.0.0.0:4180 (templates/deployment.yaml)
METRICS_PORT = 44180  # metrics.port
POD_LABELS = {"app.kubernetes.io/name": "oauth2-proxy", "app.kubernetes.io/instance": RELEASE}  # selectorLabels
SECRET = "oauth2-proxy"  # keys client-secret, cookie-secret (generated, or <vaultPathPrefix>/operator-sso)
SECRETS_DIR = "/etc/oauth2-proxy/secrets"
UID = 65532  # the image's user (distroless static:nonroot), instead of the chart's 2000
SECURITY = "security.istio.io/v1"  # AuthorizationPolicy, served by Istio 1.22 (base chart crd-all.gen.yaml)
SSO_POLICY = "operator-sso"
ALLOWLIST_POLICY = "operator-allowlist"
# RFC 8555 section 8.3: the CA fetches http://<host>/.well-known/acme-challenge/<token> for every host
# of the certificate; cert-manager's solver answers it (components/platform/cert_manager.py).
ACME_CHALLENGE_PATHS = ("/.well-known/acme-challenge/*",)
# Where the gate's pods may connect to (network_policies below). DNS: the cluster's DNS namespace on 53
# (facts/endpoints.py), as the Tartware chart's own policy (charts/tartware/templates/networkpolicy.yaml).
# The identity provider: outside the cluster at an address unknown offline, so every IPv4 address (the
# clusters this program builds are IPv4), on the issuer URL's port only.
EVERY_IPV4_ADDRESS = "0.0.0.0/0"
# How long the gateway waits for the gate; the OAuth callback (code exchange with the provider) runs
# inside the check. Istio's default is 600 s (extauthz.go timeoutOrDefault).
CHECK_TIMEOUT = "10s"


@dataclass(frozen=True)
class OAuth2ProxyArgs:
    """The single sign-on gate (operatorAccess=sso): oauth2-proxy in its own namespace, asked by the
    gateway about every request to an operator host (``OperatorAccess`` below)."""

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
    """How the operator hosts on the public gateway are guarded (settings/access.py)."""

    mode: str  # sso | allowlist | internal | lab
    allowed_cidrs: tuple[str, ...] = ()  # allowlist
    sso: Optional[OAuth2ProxyArgs] = None
    # filled by the platform: the gateway the policies select, and the ServiceMonitor CRD's release
    gateway_namespace: str = ""
    gateway_selector: Mapping[str, str] = field(default_factory=dict)
    monitoring_crds: Optional[pulumi.Resource] = None


def ext_authz_provider() -> dict[str, Any]:
    """meshConfig.extensionProviders entry (istio/api@1.22.8 mesh/v1alpha1/config.proto
    ``EnvoyExternalAuthorizationHttpProvider``).

    * ``includeRequestHeadersInCheck``: the session cookie, and Accept (oauth2-proxy answers 401
      instead of a redirect to a request that accepts JSON: oauthproxy.go ``isAjax``); Envoy adds Host,
      Method and Path itself, so oauth2-proxy sees the operator host and serves its own
      ``/oauth2/callback`` there.
    * ``headersToDownstreamOnDeny``: the sign-in redirect's cookies (CSRF, session) and content type;
      Envoy adds Location, Status and the rest (``AuthorizationResponse.allowed_client_headers``).
    * ``headersToUpstreamOnAllow``: who signed in (``--set-xauthrequest``), for the tools' access logs.
    """
    return {"name": PROVIDER, "envoyExtAuthzHttp": {
        "service": service_host(RELEASE, NAMESPACE),
        "port": SERVICE_PORT,
        "timeout": CHECK_TIMEOUT,
        "includeRequestHeadersInCheck": ["cookie", "accept"],
        "headersToUpstreamOnAllow": ["x-auth-request-user", "x-auth-request-email"],
        "headersToDownstreamOnDeny": ["content-type", "set-cookie"],
    }}


def oauth2_proxy_args(a: OAuth2ProxyArgs) -> list[str]:
    """Flags (oauth2-proxy/oauth2-proxy@v7.15.3 pkg/apis/options/*.go ``flag:`` tags).

    ``--redirect-url`` is left unset: the callback is then ``https://<the request's host>/oauth2/callback``
    (oauthproxy.go ``getOAuthRedirectURI``; https because ``--cookie-secure``), so each operator host
    signs in on itself and the session cookie stays on that host. The secrets are read from files
    (``--client-secret-file``, ``--cookie-secret-file``), never environment variables.
    """
    return [
        "--provider=oidc",
        f"--oidc-issuer-url={a.issuer_url}",
        f"--client-id={a.client_id}",
        f"--client-secret-file={SECRETS_DIR}/client-secret",
        f"--cookie-secret-file={SECRETS_DIR}/cookie-secret",
        "--cookie-secure=true",
        "--reverse-proxy=true",  # trust X-Forwarded-* from the gateway
        "--skip-provider-button=true",  # straight to the provider, no sign-in page
        "--set-xauthrequest=true",
        *[f"--allowed-group={g}" for g in a.allowed_groups],
    ]


def oauth2_proxy_values(a: OAuth2ProxyArgs, service_monitor: bool) -> dict[str, Any]:
    """oauth2-proxy/manifests@oauth2-proxy-10.7.0 helm/oauth2-proxy values.yaml keys.

    ``proxyVarsAsSecrets: false`` with no ``requiredSecretKeys``: the chart renders no Secret of its own
    and no secret environment variables (templates/secret.yaml, deployment.yaml); the gate's Secret is
    mounted as files instead. ``upstreams: static://200``: oauth2-proxy answers the gateway's check
    itself (200 when signed in) and proxies nowhere.
    """
    registry, _, rest = versions.OAUTH2_PROXY_IMAGE.partition("/")
    repository, _, tag = rest.partition(":")
    return {
        # by digest: <registry>/<repository>:<tag> with tag "v7.15.3@sha256:..." (templates/deployment.yaml)
        "image": {"registry": registry, "repository": repository, "tag": tag},
        "config": {"requiredSecretKeys": [], "emailDomains": list(a.email_domains), "upstreams": ["static://200"]},
        "proxyVarsAsSecrets": False,
        "extraArgs": oauth2_proxy_args(a),
        "extraVolumes": [{"name": "gate-secrets", "secret": {"secretName": SECRET, "defaultMode": 0o440}}],
        "extraVolumeMounts": [{"name": "gate-secrets", "mountPath": SECRETS_DIR, "readOnly": True}],
        # the chart's container securityContext (non-root, read-only, drop ALL, seccomp) with the image's own
        # user; the secret files belong to its group (fsGroup)
        "securityContext": {"runAsUser": UID, "runAsGroup": UID},
        "podSecurityContext": {"runAsNonRoot": True, "fsGroup": UID, "seccompProfile": {"type": "RuntimeDefault"}},
        "serviceAccount": {"automountServiceAccountToken": False},  # it never calls the Kubernetes API
        "replicaCount": a.replicas,
        "resources": {"requests": {"cpu": a.request.cpu, "memory": a.request.memory},
                      "limits": {"cpu": a.limit.cpu, "memory": a.limit.memory}},
        # the chart's PDB (minAvailable 1) only renders with more than one replica
        "podDisruptionBudget": {"enabled": a.replicas > 1},
        "metrics": {"serviceMonitor": {"enabled": service_monitor}},
    }


def issuer_port(issuer_url: str) -> int:
    """The port oauth2-proxy dials the provider on: the issuer URL's, else 443 (settings/access.py
    accepts only https issuers)."""
    return urlsplit(issuer_url).port or 443


def gate_egress(issuer_url: str) -> tuple[EgressAllow, ...]:
    """Everything oauth2-proxy dials with the flags and values above (oauth2-proxy/oauth2-proxy@v7.15.3):

    * DNS, for the provider's host name;
    * the provider: the discovery document ``<issuer>/.well-known/openid-configuration`` at start
      (pkg/providers/oidc/provider.go ``NewProvider``), then the endpoints it names: ``jwks_uri`` to
      verify ID tokens (pkg/providers/oidc/provider_verifier.go ``getVerifierBuilder``),
      ``token_endpoint`` to redeem and refresh codes (providers/oidc.go ``Redeem``,
      ``redeemRefreshToken``), ``userinfo_endpoint`` as the profile URL (providers/providers.go). The rule
      assumes the provider serves those on the issuer's port (docs/platform.md "Operator access").

    Nothing else: sessions live in the cookie (``session-store-type`` defaults to ``cookie``,
    pkg/apis/options/options.go; the chart's ``sessionStorage.type: cookie`` and ``redis-ha.enabled:
    false`` at oauth2-proxy/manifests@oauth2-proxy-10.7.0 helm/oauth2-proxy values.yaml render no Redis
    and no wait-for-redis init container), the upstream ``static://200`` is answered in process
    (pkg/upstream/static.go), and it never calls the Kubernetes API (no service account token). A Redis
    session store or a real upstream named ``<service>.<namespace>.svc`` in its arguments, environment
    or ConfigMap would be a flow tools/conformance/flows.py derives, which the conformance check would
    name as denied here (tests/test_access.py)."""
    return (
        EgressAllow("allow-egress-dns", POD_LABELS, [Peer(DNS_NAMESPACE)], (DNS_PORT,), ("UDP", "TCP")),
        EgressAllow("allow-egress-identity-provider", POD_LABELS, [Peer(cidr=EVERY_IPV4_ADDRESS)],
                    (issuer_port(issuer_url),)),
    )


def policy_rule(hosts: Sequence[str], acme: bool) -> dict[str, Any]:
    """``to``: the operator hosts, every path (but the HTTP-01 challenge with the ACME issuer)."""
    operation: dict[str, Any] = {"hosts": sorted(hosts)}
    if acme:
        operation["notPaths"] = list(ACME_CHALLENGE_PATHS)
    return {"to": [{"operation": operation}]}


def sso_policy(hosts: Sequence[str], selector: dict[str, str], acme: bool) -> dict[str, Any]:
    return {"selector": {"matchLabels": dict(selector)}, "action": "CUSTOM", "provider": {"name": PROVIDER},
            "rules": [policy_rule(hosts, acme)]}


def allowlist_policy(hosts: Sequence[str], selector: dict[str, str], cidrs: Sequence[str],
                     acme: bool) -> dict[str, Any]:
    rule = policy_rule(hosts, acme)
    rule["from"] = [{"source": {"notRemoteIpBlocks": list(cidrs)}}]
    return {"selector": {"matchLabels": dict(selector)}, "action": "DENY", "rules": [rule]}


class OperatorAccess(TartwareComponent):
    """The guard of the operator hosts: the SSO gate and its policy, or the source allowlist."""

    AREA = "platform"

    def __init__(self, name: str, args: OperatorAccessArgs, opts: pulumi.ResourceOptions):
        super().__init__(name, opts)
        self.res_name, self.args = name, args
        self.mode = args.mode
        self.namespace_name: Optional[str] = None
        self.policy: Optional[pulumi.Resource] = None
        self.provider_entry: Optional[dict[str, Any]] = None
        self.release: Optional[pulumi.Resource] = None
        if args.sso is not None:
            self._gate(name, args.sso)
        self.register_outputs({"mode": self.mode, "namespace": self.namespace_name or "",
                               "provider": PROVIDER if self.provider_entry else ""})

    def _gate(self, name: str, a: OAuth2ProxyArgs) -> None:
        provider = self.provider
        self.namespace_name = NAMESPACE
        # the chart's pods run non-root (uid 2000), read-only, drop ALL, seccomp RuntimeDefault
        self.namespace = namespace(f"{name}-namespace", NAMESPACE, "restricted", provider, self)
        cookie: Any = ""
        if not a.secrets.uses_vault:
            # 32 characters of [A-Za-z0-9] are unpadded base64url: oauth2-proxy decodes them to 24 bytes,
            # an AES-192 key (oauth2-proxy@v7.15.3 pkg/encryption/utils.go SecretBytes; 16, 24 or 32 bytes
            # are valid, pkg/validation/cookie.go validateCookieSecret). Not protected: it only signs the
            # session cookies (a new one signs everyone out, nothing is lost), and protection would block
            # switching operatorAccess away from sso.
            self.cookie_secret = random.RandomPassword(
                f"{name}-cookie-secret", length=32, special=False, min_lower=2, min_upper=2, min_numeric=2,
                opts=self.child())
            cookie = pulumi.Output.secret(self.cookie_secret.result)
        self.secret = a.secrets.secret(self, f"{name}-gate-secret", SECRET, NAMESPACE,
                                       {"client-secret": a.client_secret if a.client_secret is not None else "",
                                        "cookie-secret": cookie},
                                       "operator-sso", depends_on=[self.namespace], labels=dict(LABELS))
        monitoring = self.args.monitoring_crds
        self.release = helm_release(self, f"{name}-oauth2-proxy", versions.OAUTH2_PROXY, RELEASE, NAMESPACE,
                                    oauth2_proxy_values(a, monitoring is not None), provider,
                                    [self.namespace, self.secret, *([monitoring] if monitoring else [])])
        self.provider_entry = ext_authz_provider()

    def guard(self, hosts: Sequence[str], acme: bool,
              depends_on: Sequence[pulumi.Resource]) -> Optional[pulumi.Resource]:
        """The AuthorizationPolicy on the gateway for ``hosts`` (``depends_on``: Istio's CRDs). It does not
        wait for oauth2-proxy: the routes wait for it instead, so no operator route is ever served
        unguarded; until the gate answers, the check fails closed."""
        if not hosts:
            return None
        a = self.args
        if self.mode == "sso":
            name, spec = SSO_POLICY, sso_policy(hosts, dict(a.gateway_selector), acme)
        else:
            name, spec = ALLOWLIST_POLICY, allowlist_policy(hosts, dict(a.gateway_selector), a.allowed_cidrs, acme)
        self.policy = custom_resource(self, f"{self.res_name}-policy", SECURITY, "AuthorizationPolicy", name,
                                      a.gateway_namespace, spec, self.provider, list(depends_on))
        return self.policy

    def network_policies(self, gateway: Peer, prometheus: Sequence[Peer]) -> list[NamespacePolicies]:
        """The SSO gate's namespace (when there is one): the gateway asks oauth2-proxy about every operator
        request; Prometheus scrapes it; oauth2-proxy itself reaches only DNS and the identity provider
        (``gate_egress``)."""
        if not self.namespace_name or self.args.sso is None:
            return []
        return [NamespacePolicies(self.namespace_name, (
            Allow("allow-ingressgateway", POD_LABELS, [gateway], (HTTP_PORT,)),
            Allow("allow-prometheus", POD_LABELS, prometheus, (METRICS_PORT,)),
        ), (self.namespace,), egress=gate_egress(self.args.sso.issuer_url))]
