"""Operator access (docs/platform.md "Operator access"): how operators reach Grafana, Prometheus, Jaeger and
Locust, refused when unsafe, and the render check that every host a public gateway serves is the API or
guarded (tools/conformance/access.py), with a planted defect for each way a host can be left open.

The SSO shape is checked on the whole system (every release rendered from its chart source, the
program's own objects) of the scan variant ``prod-sso`` (tools/scan.py): Pod Security, requests and
limits, NetworkPolicy reachability (gateway -> oauth2-proxy, oauth2-proxy -> its identity provider),
references and schemas, like the stack renders in tests/test_conformance.py. Every cluster target is
checked in tests/test_audits.py.
"""

from __future__ import annotations

import base64
import json
import string

import pytest
import yaml

from facts import versions
from components.platform.operator_access import ext_authz_provider, gate_egress
from tools.charts import schema_errors, vendored_chart
from tools.conformance import flows as derived  # the flows the platform needs
from tools.conformance import access, https_redirect, netpol, psa, references, resources, schemas
from tools.conformance.pods import pod_templates
from tools.offline import Secret, run_program, stack_config
from tools.scan import SSO_EXAMPLE, VARIANTS, variant_config, variant_system
from tools.system import SystemRender, program_system
from facts.api_paths import POLICY_NAME as API_PATHS_POLICY
from program.load import build_settings
from tests.helpers import assert_refused, planted_system

NS = "tartware-infra"
SSO = {k.split(":", 1)[1]: v for k, v in SSO_EXAMPLE.items()}
OPERATOR_HOSTS = {f"{n}.tartware.local" for n in ("grafana", "jaeger", "prometheus")}


@pytest.fixture(scope="module")
def sso_system():
    return variant_system("prod-sso")


@pytest.fixture(scope="module")
def sso_run():
    return run_program(*variant_config("prod-sso"))


LOCUST = {"loadTest": "locust", "loadTestUsername": "admin"}


def _run(overrides, secrets=None):
    return run_program("prod", *stack_config("prod", overrides={f"{NS}:{k}": v for k, v in overrides.items()},
                                             secrets={f"{NS}:{k}": v for k, v in (secrets or {}).items()}))


PUBLIC = "tartware.example.com"  # the allowlist run's public domain (the ACME issuer)
ALLOWLIST_HOSTS = {f"{n}.{PUBLIC}" for n in ("grafana", "jaeger", "prometheus", "locust")}


@pytest.fixture(scope="module")
def allowlist_run():
    """An allowlist on a public domain with the ACME issuer, and Locust's route to guard as well."""
    return _run({"operatorAccess": "allowlist", "operatorAllowedCidrs": ["203.0.113.0/24"], **LOCUST,
                 "domain": PUBLIC, "acmeEmail": "ops@example.com"}, {"loadTestPassword": "pw"})


@pytest.fixture(scope="module")
def internal_locust_run():
    return _run({"operatorAccess": "internal", **LOCUST}, {"loadTestPassword": "pw"})


def planted(system: SystemRender, add=(), change=None, drop=(),
            kinds=("AuthorizationPolicy", "ConfigMap", "Service", "VirtualService")) -> SystemRender:
    """``system`` with ``add`` appended, ``drop`` left out and ``change`` applied to the items of ``kinds``."""
    return planted_system(system, add, change, drop, kinds)


# ------------------------------------------------------------------------------ the setting


def test_a_prod_stack_without_operator_access_is_refused_naming_it():
    message = assert_refused({"operatorAccess": None}, "operatorAccess",
                             ["required in prod", "sso, allowlist, internal"])
    assert message.count("tartware-infra:") == 1, message  # nothing else is wrong with the stack


def test_lab_is_refused_in_prod_and_the_dev_default():
    assert_refused({"operatorAccess": "lab"}, "operatorAccess", ["for a lab, not prod", "sso, allowlist, internal"])
    assert_refused({"operatorAccess": "public"}, "operatorAccess",
                   ["'public'", "'sso', 'allowlist', 'internal' or 'lab'"])
    assert build_settings({"environment": "dev"}, deploying=True).access.mode == "lab"


@pytest.mark.parametrize("cidrs, fragments", [
    (["10.0.0.300/8"], ["'10.0.0.300/8'", "not an IP network"]),
    (["203.0.113.7/24"], ["host bits set", "'203.0.113.0/24'"]),
    (["0.0.0.0/0"], ["admits every address"]),
    (["2001:db8::1/48"], ["'2001:db8::/48'"]),
    ([], ["required when operatorAccess=allowlist"]),
])
def test_bad_allowlists_are_refused_naming_the_key(cidrs, fragments):
    assert_refused({"operatorAccess": "allowlist", "operatorAllowedCidrs": cidrs}, "operatorAllowedCidrs", fragments)


def test_an_allowlist_with_no_client_address_to_match_is_refused():
    """With externalTrafficPolicy Cluster the node SNATs the client (kubernetes.io/docs/tutorials/services/
    source-ip): no PROXY protocol (existing target) and no trusted proxy leaves nothing to match."""
    allow = {"operatorAccess": "allowlist", "operatorAllowedCidrs": ["203.0.113.0/24"], "edgeRateLimit": 0,
             "edgeExternalTrafficPolicy": "Cluster"}
    assert_refused(allow, "operatorAllowedCidrs",
                   ["no client address to match", "edgeExternalTrafficPolicy=Cluster", "edgeTrustedProxies"])
    # a proxy in front that appends X-Forwarded-For carries it, and so does EKS's PROXY protocol: accepted
    assert build_settings({"environment": "prod", **allow, "edgeTrustedProxies": 1})
    assert build_settings({"environment": "prod", **allow, "clusterTarget": "eks",
                           "eksPublicAccessCidrs": ["203.0.113.0/24"]})


@pytest.mark.parametrize("overrides, key, fragments", [
    ({"operatorSsoIssuerUrl": "http://idp.example.com/realms/ops"}, "operatorSsoIssuerUrl", ["must be https"]),
    ({"operatorSsoIssuerUrl": "idp.example.com"}, "operatorSsoIssuerUrl", ["not an absolute URL"]),
    ({"operatorSsoTokenUrl": "https://idp.example.com/token?x=1"}, "operatorSsoTokenUrl", ["query or fragment"]),
    ({"operatorSsoUserinfoUrl": "http://idp.example.com/userinfo"}, "operatorSsoUserinfoUrl", ["must be https"]),
    ({"operatorSsoClientId": ""}, "operatorSsoClientId", ["required when operatorAccess=sso"]),
    ({"operatorSsoEmailDomains": []}, "operatorSsoEmailDomains", ["required when operatorAccess=sso", "['*']"]),
    ({"operatorSsoAuthUrl": ""}, "operatorSsoAuthUrl", ["no OIDC discovery"]),
    ({"operatorSsoAllowedGroups": ["ops', 'x"]}, "operatorSsoAllowedGroups", ["no quotes or commas"]),
    ({"operatorSsoGrafanaAdminGroups": ["a,b"]}, "operatorSsoGrafanaAdminGroups", ["no quotes or commas"]),
])
def test_bad_sso_settings_are_refused_naming_the_key(overrides, key, fragments):
    assert_refused({**SSO, **overrides}, key, fragments, secrets={"operatorSsoClientSecret": "pw"})


def test_the_client_secret_is_required_with_generated_secrets_and_comes_from_vault_otherwise():
    assert_refused(SSO, "operatorSsoClientSecret", ["missing required secret", "pulumi config set --secret",
                                                    "<vaultPathPrefix>/operator-sso"])
    vault = {"secretsBackend": "vault", "vaultServer": "https://vault.example.com:8200"}
    assert build_settings({"environment": "prod", **SSO, **vault}).access.sso.client_secret is None
    # the ExternalSecrets it syncs: tests/test_audits.py test_the_gate_secrets_come_from_vault_with_the_vault_backend


@pytest.mark.parametrize("overrides, key, fragments", [
    # a key of another mode: a half-switched stack
    ({"operatorAccess": "internal", "operatorSsoIssuerUrl": "https://idp.example.com"}, "operatorSsoIssuerUrl",
     ["only used with operatorAccess=sso (it is internal)"]),
    ({**SSO, "operatorAllowedCidrs": ["203.0.113.0/24"]}, "operatorAllowedCidrs",
     ["only used with operatorAccess=allowlist (it is sso)"]),
    # the gate's session cookie is Secure: HTTPS on the operator hosts
    ({**SSO, "platformComponents": {"certManager": False}}, "operatorAccess", ["HTTPS", "certManager"]),
    # without Istio no operator host is routed and there is no gateway to guard
    ({"operatorAccess": "allowlist", "operatorAllowedCidrs": ["203.0.113.0/24"],
      "platformComponents": {"istio": False, "istioCni": False}}, "operatorAccess", ["allowed: internal"]),
])
def test_inconsistent_access_settings_are_refused(overrides, key, fragments):
    assert_refused(overrides, key, fragments, secrets={"operatorSsoClientSecret": "pw"})


# ------------------------------------------------------------------------------ the render check


def test_the_committed_prod_stack_publishes_only_the_api(prod_run):
    system = program_system(prod_run)
    assert access.guards(system) == {"api.tartware.local": "api"}
    assert access.violations(system) == []
    assert {r["name"] for r in prod_run.outputs["dnsRecords"]} == {"api.tartware.local"}
    assert set(prod_run.outputs["urls"]) == {"api"}


def test_dev_is_the_lab_the_check_names_its_open_hosts(dev_run):
    """The lab shape (dev only): the operator hosts are public with only their own logins, which the
    check reports (docs/platform.md says this is for a lab)."""
    problems = access.violations(program_system(dev_run))
    assert sorted(p.split()[1] for p in problems) == sorted(OPERATOR_HOSTS)


def test_every_public_host_of_the_sso_render_is_the_api_or_behind_sso(sso_system):
    assert access.violations(sso_system) == []
    assert access.guards(sso_system) == {"api.tartware.local": "api", **{h: "sso" for h in OPERATOR_HOSTS}}


def test_every_public_host_of_the_allowlist_is_the_api_or_source_restricted(allowlist_run):
    system = program_system(allowlist_run)
    assert access.violations(system) == []
    assert access.guards(system) == {f"api.{PUBLIC}": "api", **{h: "source" for h in ALLOWLIST_HOSTS}}


def _vs(name, host, service, ns="observability", port=80):
    return {"apiVersion": "networking.istio.io/v1beta1", "kind": "VirtualService",
            "metadata": {"name": name, "namespace": "istio-system"},
            "spec": {"hosts": [host], "gateways": ["istio-system/tartware-gateway"],
                     "http": [{"route": [{"destination": {"host": f"{service}.{ns}.svc.cluster.local",
                                                          "port": {"number": port}}}]}]}}


def test_a_planted_unguarded_host_fails_the_check(sso_system):
    bad = planted(sso_system, add=[_vs("alertmanager", "alertmanager.tartware.local",
                                       "kube-prometheus-stack-alertmanager", port=9093)])
    (problem,) = access.violations(bad)
    assert problem.startswith("host alertmanager.tartware.local on Deployment istio-system/istio-ingressgateway")
    # the committed prod stack targets an existing cluster without a load balancer: NodePort, public all the same
    assert "observability/kube-prometheus-stack-alertmanager" in problem and "(NodePort)" in problem


def test_the_api_name_does_not_exempt_a_route_to_an_operator_tool(sso_system):
    """What exempts a host is where it leads (a self-authenticating backend), not its name."""
    def api_to_grafana(key, doc):
        if key == "VirtualService istio-system/api":
            doc["spec"]["http"][0]["route"][0]["destination"]["host"] = \
                "kube-prometheus-stack-grafana.observability.svc.cluster.local"
            return True
        return False
    problems = access.violations(planted(sso_system, change=api_to_grafana))
    assert [p.split()[1] for p in problems] == ["api.tartware.local"]


@pytest.mark.parametrize("defect", ["no policy", "dry run", "fails open", "paths only", "unknown provider"])
def test_a_policy_that_does_not_cover_every_request_guards_nothing(sso_system, defect):
    key = "AuthorizationPolicy istio-system/operator-sso"

    def spoil(k, doc):
        if k == key and defect == "dry run":
            doc["metadata"]["annotations"] = {"istio.io/dry-run": "true"}  # logged, not enforced
        elif k == key and defect == "paths only":
            doc["spec"]["rules"][0]["to"][0]["operation"]["paths"] = ["/api/*"]
        elif k == key and defect == "unknown provider":
            doc["spec"]["provider"]["name"] = "no-such-provider"
        elif k == "ConfigMap istio-system/istio" and defect == "fails open":
            mesh = yaml.safe_load(doc["data"]["mesh"])
            for p in mesh["extensionProviders"]:
                if "envoyExtAuthzHttp" in p:
                    p["envoyExtAuthzHttp"]["failOpen"] = True
            doc["data"]["mesh"] = yaml.safe_dump(mesh)
        else:
            return False
        return True
    bad = planted(sso_system, change=spoil, drop={key} if defect == "no policy" else ())
    assert sorted(p.split()[1] for p in access.violations(bad)) == sorted(OPERATOR_HOSTS)


def test_an_allowlist_without_the_client_address_guards_nothing(allowlist_run):
    system = program_system(allowlist_run)

    def cluster(key, doc):
        if key == "Service istio-system/istio-ingressgateway":
            doc["spec"]["externalTrafficPolicy"] = "Cluster"  # the node SNATs every client
            return True
        return False

    def everyone(key, doc):
        if key == "AuthorizationPolicy istio-system/operator-allowlist":
            doc["spec"]["rules"][0]["from"][0]["source"]["notRemoteIpBlocks"].append("0.0.0.0/0")
            return True
        return False
    for change in (cluster, everyone):
        found = access.violations(planted(system, change=change))
        assert sorted(p.split()[1] for p in found) == sorted(ALLOWLIST_HOSTS)


def test_an_nginx_ingress_to_an_operator_tool_is_caught(sso_system):
    """ingress-nginx is a public front door too, with no AuthorizationPolicy."""
    ing = {"apiVersion": "networking.k8s.io/v1", "kind": "Ingress",
           "metadata": {"name": "grafana", "namespace": "observability"},
           "spec": {"ingressClassName": "nginx", "rules": [{"host": "grafana.example.com", "http": {"paths": [
               {"path": "/", "pathType": "Prefix", "backend": {"service": {
                   "name": "kube-prometheus-stack-grafana", "port": {"number": 80}}}}]}}]}}
    (problem,) = access.violations(planted(sso_system, add=[ing]))
    assert problem.startswith("host grafana.example.com on Deployment ingress-nginx/ingress-nginx-controller")


@pytest.mark.parametrize("pattern, host, covers", [
    ("grafana.tartware.local", "GRAFANA.tartware.local", True),  # case-insensitive (HostMatcher)
    ("*.tartware.local", "grafana.tartware.local", True),
    ("grafana*", "grafana.tartware.local", True),
    ("*", "*.tartware.local", True),
    ("*.tartware.local", "*.example.com", False),
    ("grafana.tartware.local", "*.tartware.local", False),  # a wildcard host needs a pattern as wide
    ("grafana.tartware.local", "grafana.tartware.local:443", False),
])
def test_host_patterns_follow_istios_host_matcher(pattern, host, covers):
    assert access.host_covers(pattern, host) is covers


def test_the_acme_challenge_path_is_the_one_exemption(allowlist_run, sso_run):
    """With the ACME issuer the HTTP-01 challenge must reach cert-manager's solver on every host of the
    certificate (RFC 8555 section 8.3), so the policies leave that path out, and only that one."""
    (policy,) = [p for p in allowlist_run.of_type("kubernetes:security.istio.io/v1:AuthorizationPolicy")
                 if p.plain["metadata"]["name"] != API_PATHS_POLICY]  # the operator hosts' guard
    (rule,) = policy.plain["spec"]["rules"]
    assert rule["to"][0]["operation"]["notPaths"] == ["/.well-known/acme-challenge/*"]
    system = program_system(allowlist_run)
    assert access.violations(system) == []

    def wider(key, doc):
        if key == "AuthorizationPolicy istio-system/operator-allowlist":
            doc["spec"]["rules"][0]["to"][0]["operation"]["notPaths"].append("/api/*")
            return True
        return False
    assert sorted(p.split()[1] for p in access.violations(planted(system, change=wider))) == sorted(ALLOWLIST_HOSTS)
    (self_signed,) = [p for p in sso_run.of_type("kubernetes:security.istio.io/v1:AuthorizationPolicy")
                      if p.plain["metadata"]["name"] != API_PATHS_POLICY]
    assert "notPaths" not in self_signed.plain["spec"]["rules"][0]["to"][0]["operation"]


# ------------------------------------------------------------------------------ the SSO shape, whole system


def test_the_sso_render_conforms_like_the_stacks(sso_system):
    """Pod Security, requests and limits, references and schemas over the whole render with the gate."""
    assert not sso_system.skipped and not sso_system.schema_errors
    assert any(t.owner == "Deployment oauth2-proxy/oauth2-proxy" for t in pod_templates(sso_system))
    assert psa.violations(sso_system) == []
    assert resources.violations(sso_system) == []
    assert references.violations(sso_system) == []
    assert schemas.builtin_errors(sso_system) == []
    assert schemas.custom_resource_errors(sso_system) == ([], [])


def test_the_sso_flows_are_allowed_and_every_rule_carries_one(sso_system):
    net = netpol.build_network(sso_system)
    flows, problems = derived.platform_flows(sso_system, net)
    blocked, used = netpol.check_flows(net, flows)
    assert problems + blocked + netpol.empty_policies(net) + netpol.unused_rules(net, used) == []
    gate = "Deployment oauth2-proxy/oauth2-proxy"
    assert any(f.src == "Deployment istio-system/istio-ingressgateway" and f.dst == gate and f.port == "http"
               and "operator-sso (CUSTOM)" in f.why for f in flows)
    assert any(f.src == gate and f.dst == netpol.EXTERNAL and f.port == 443 and "--oidc-issuer-url" in f.why
               for f in flows)
    assert any(f.dst == gate and f.src.startswith("Prometheus ") for f in flows)
    assert {(f.port, f.protocol) for f in flows if f.src == gate and f.dst == netpol.KUBE_DNS.owner} == {
        (53, "UDP"), (53, "TCP")}
    # everything the gate needs, and with its egress policies nothing else (tools/conformance/flows.py)
    assert {(f.dst, f.port, f.protocol) for f in flows if f.src == gate} == {
        (netpol.EXTERNAL, 443, "TCP"), (netpol.KUBE_DNS.owner, 53, "UDP"), (netpol.KUBE_DNS.owner, 53, "TCP")}


def test_the_gateway_cannot_reach_the_gate_without_its_policy(sso_system):
    bad = planted(sso_system, drop={"NetworkPolicy oauth2-proxy/allow-ingressgateway"})
    net = netpol.build_network(bad)
    blocked, _ = netpol.check_flows(net, derived.platform_flows(bad, net)[0])
    assert any("operator-sso (CUSTOM)" in b and "ingress policies of oauth2-proxy" in b for b in blocked), blocked


# ------------------------------------------------------------------------------ the gate's egress

GATE = "Deployment oauth2-proxy/oauth2-proxy"
GATE_EGRESS = {f"NetworkPolicy oauth2-proxy/{n}"
               for n in ("default-deny-egress", "allow-egress-dns", "allow-egress-identity-provider")}
DENIED_OUT = "denied by the egress policies of oauth2-proxy"


def _from_gate_to(system: SystemRender, net: netpol.Network, ns: str, service: str, port: int) -> list[netpol.Flow]:
    """Flows from the gate to the pods behind ``service`` (the way tools/conformance/flows.py resolves a
    Service port to its pods' target port)."""
    svc = derived.services(system)[(ns, service)]
    target = derived.service_target(svc, port)
    pods = derived.service_pods(net, svc)
    assert target is not None and pods, (ns, service)
    return [netpol.Flow(GATE, p.owner, target, "TCP", f"planted: the gate -> {service}.{ns}:{port}") for p in pods]


def test_the_gate_declares_its_egress_dns_and_the_identity_provider_only(sso_system):
    policies = {i.key: i.doc["spec"] for i in sso_system.of_kind("NetworkPolicy") if i.namespace == "oauth2-proxy"}
    assert GATE_EGRESS <= set(policies)
    assert policies["NetworkPolicy oauth2-proxy/default-deny-egress"] == {"podSelector": {}, "policyTypes": ["Egress"]}
    rules = [r for k in sorted(GATE_EGRESS) for r in policies[k].get("egress") or []]
    assert rules == [
        {"to": [{"namespaceSelector": {"matchLabels": {"kubernetes.io/metadata.name": "kube-system"}}}],
         "ports": [{"protocol": "UDP", "port": 53}, {"protocol": "TCP", "port": 53}]},
        {"to": [{"ipBlock": {"cidr": "0.0.0.0/0"}}], "ports": [{"protocol": "TCP", "port": 443}]}]
    # the ingress policies keep their names (and URNs); the egress ones are new
    assert {"NetworkPolicy oauth2-proxy/default-deny-ingress", "NetworkPolicy oauth2-proxy/allow-ingressgateway",
            "NetworkPolicy oauth2-proxy/allow-prometheus"} <= set(policies)


def test_the_identity_provider_is_allowed_on_the_issuers_port_only():
    """https issuers only (settings/access.py): 443, or the port the URL names."""
    for url, port in (("https://idp.example.com/realms/ops", 443), ("https://idp.example.com:8443/realms/ops", 8443)):
        (idp,) = [e for e in gate_egress(url) if e.name == "allow-egress-identity-provider"]
        assert idp.spec()["egress"] == [{"to": [{"ipBlock": {"cidr": "0.0.0.0/0"}}],
                                         "ports": [{"protocol": "TCP", "port": port}]}]


def test_the_egress_policies_close_the_gates_way_to_the_data_tier_and_elsewhere(sso_system):
    """A compromised gate: to PostgreSQL (the guide's pooler Service and the primary's), to Redis, and to
    an address outside the cluster on a port other than the provider's (the API server's 6443, HTTP 80:
    the cloud's instance metadata). With the egress policies each is denied at the gate; without them
    (the render before) the gate's side lets every one out, and the outside ones go through."""
    before = planted(sso_system, drop=GATE_EGRESS, kinds=())
    after_net, before_net = netpol.build_network(sso_system), netpol.build_network(before)
    to_data = [*_from_gate_to(sso_system, after_net, "database", "postgres-postgresql", 5432),
               *_from_gate_to(sso_system, after_net, "database", "postgres-rw", 5432),
               *_from_gate_to(sso_system, after_net, "cache", "redis-master", 6379)]
    outside = [netpol.Flow(GATE, netpol.EXTERNAL, port, "TCP", f"planted: the gate -> outside:{port}")
               for port in (6443, 80)]
    gate = after_net.by_owner[GATE]
    for flow in to_data:
        dst = after_net.by_owner[flow.dst]
        port = after_net.resolve_port(dst, flow.port)
        assert port in (5432, 6379), flow
        # the gate's side: not isolated before (None: egress open), no rule admits it after
        assert before_net.rules_admitting(gate, dst, port, "TCP", "Egress") is None
        assert after_net.rules_admitting(gate, dst, port, "TCP", "Egress") == []
        blocked, _ = netpol.check_flows(after_net, [flow])
        assert any(f"-> {dst.owner}:{port}/TCP {DENIED_OUT}" in b for b in blocked), blocked
        blocked_before, _ = netpol.check_flows(before_net, [flow])
        assert not any(DENIED_OUT in b for b in blocked_before), blocked_before
    blocked, _ = netpol.check_flows(after_net, outside)
    assert blocked == [f"planted: the gate -> outside:{p}: {GATE} -> outside the cluster:{p}/TCP {DENIED_OUT}"
                       for p in (6443, 80)]
    assert netpol.check_flows(before_net, outside)[0] == []


def test_a_redis_session_store_would_be_a_flow_the_egress_policies_deny(sso_system):
    """Planted: oauth2-proxy pointed at the platform's Redis (the chart's sessionStorage.redis, which sets
    OAUTH2_PROXY_REDIS_CONNECTION_URL: oauth2-proxy/manifests@oauth2-proxy-10.7.0 templates/deployment.yaml)
    is a flow the check derives from its environment, and one the gate's egress policies deny."""
    def redis_sessions(key, doc):
        if key != GATE:
            return False
        (c,) = doc["spec"]["template"]["spec"]["containers"]
        c["env"] = [*(c.get("env") or []), {"name": "OAUTH2_PROXY_REDIS_CONNECTION_URL",
                                             "value": "redis://redis-master.cache.svc.cluster.local:6379"}]
        return True

    problems = derived.violations(planted(sso_system, change=redis_sessions, kinds=("Deployment",)))
    assert problems == [f"{GATE} -> redis-master.cache:6379 (its configuration): {GATE} -> Deployment "
                        f"cache/redis-redis-ha-haproxy:6379/TCP {DENIED_OUT}",
                        f"{GATE} -> redis-master.cache:6379 (its configuration): {GATE} -> Deployment "
                        "cache/redis-redis-ha-haproxy:6379/TCP denied by the ingress policies of cache"]


@pytest.mark.parametrize("dropped,needed", [
    ("allow-egress-dns", [f"{GATE} -> DNS: {GATE} -> Deployment kube-system/coredns:53/{p} {DENIED_OUT}"
                          for p in ("UDP", "TCP")]),
    ("allow-egress-identity-provider", [f"{GATE} -> its identity provider (--oidc-issuer-url): {GATE} -> outside "
                                        f"the cluster:443/TCP {DENIED_OUT}"]),
])
def test_the_conformance_check_names_the_flow_a_missing_egress_allow_cuts(sso_system, dropped, needed):
    assert derived.violations(sso_system) == []
    assert derived.violations(planted(sso_system, drop={f"NetworkPolicy oauth2-proxy/{dropped}"})) == needed


def test_the_capacity_check_counts_the_gate(sso_system):
    raw = {k.split(":", 1)[1]: v for k, v in SSO_EXAMPLE.items()}
    stand_in = lambda name, required, problems, why="": "pw"  # noqa: E731  (the client secret)
    counted = build_settings({"environment": "prod", **raw}, stand_in).access.fixed_overhead()
    cpu = mem = 0.0
    for pod in pod_templates(sso_system):
        if pod.namespace == "oauth2-proxy":
            n = resources.replicas(sso_system, pod)
            c, _, m, _ = resources.pod_totals(pod)
            cpu, mem = cpu + n * c, mem + n * m
    assert (cpu, mem * 2**20) == counted and cpu > 0


def test_the_oauth2_proxy_values_pass_the_chart_and_its_schema(sso_run):
    (release,) = [r.plain for r in sso_run.of_type("kubernetes:helm.sh/v3:Release")
                  if r.plain["name"] == "oauth2-proxy"]
    assert (release["chart"], release["version"], release["namespace"]) == ("oauth2-proxy", "10.7.0", "oauth2-proxy")
    assert release["repositoryOpts"]["repo"] == versions.OAUTH2_PROXY.repo
    chart = vendored_chart("oauth2-proxy", "10.7.0")
    assert schema_errors(chart, release["values"], "oauth2-proxy", "oauth2-proxy") is None
    # the pinned image is the chart's own version (appVersion), by digest
    app_version = yaml.safe_load((chart / "Chart.yaml").read_text())["appVersion"]
    assert versions.OAUTH2_PROXY_IMAGE.startswith(f"quay.io/oauth2-proxy/oauth2-proxy:v{app_version}@sha256:")


def _unknown_keys(values, defaults, path=""):
    """Keys of ``values`` the chart's values.yaml does not have (Helm ignores those silently); a default
    of ``{}`` or ``[]`` is a free-form block the chart passes through."""
    out = []
    for k, v in values.items():
        if k not in defaults:
            out.append(f"{path}{k}")
        elif isinstance(v, dict) and isinstance(defaults[k], dict) and defaults[k]:
            out += _unknown_keys(v, defaults[k], f"{path}{k}.")
    return out


def test_every_oauth2_proxy_value_is_a_key_of_the_chart(sso_run):
    """The chart ships no values.schema.json (Helm's schema check passes anything): every key the gate
    sets is checked against the chart's values.yaml at 10.7.0 instead."""
    chart = vendored_chart("oauth2-proxy", "10.7.0")
    assert not (chart / "values.schema.json").exists()
    defaults = yaml.safe_load((chart / "values.yaml").read_text())
    (release,) = [r.plain for r in sso_run.of_type("kubernetes:helm.sh/v3:Release")
                  if r.plain["name"] == "oauth2-proxy"]
    assert _unknown_keys(release["values"], defaults) == []
    assert _unknown_keys({"config": {"existingSecrets": "x"}}, defaults) == ["config.existingSecrets"]  # a typo


def test_the_gate_runs_as_the_gateways_external_authorizer(sso_system):
    """oauth2-proxy v7.15.3 flags, secrets as files (never env), no Secret or token of the chart's own."""
    (dep,) = [i.doc for i in sso_system.of_kind("Deployment") if i.name == "oauth2-proxy"]
    pod = dep["spec"]["template"]["spec"]
    (c,) = pod["containers"]
    assert c["image"] == versions.OAUTH2_PROXY_IMAGE
    assert c["securityContext"]["runAsUser"] == 65532 and c["securityContext"]["readOnlyRootFilesystem"] is True
    args = c["args"]
    for flag in ("--provider=oidc", "--oidc-issuer-url=https://idp.example.com/realms/ops",
                 "--client-id=tartware-operators", "--cookie-secure=true", "--reverse-proxy=true",
                 "--client-secret-file=/etc/oauth2-proxy/secrets/client-secret",
                 "--cookie-secret-file=/etc/oauth2-proxy/secrets/cookie-secret", "--allowed-group=platform-ops"):
        assert flag in args, flag
    assert not any(a.startswith("--redirect-url") for a in args)  # each host signs in on itself
    assert not any("secretKeyRef" in (e.get("valueFrom") or {}) for e in c.get("env") or [])
    assert pod["automountServiceAccountToken"] is False
    cfg = next(i.doc for i in sso_system.of_kind("ConfigMap") if i.namespace == "oauth2-proxy")
    assert 'email_domains = ["example.com"]' in cfg["data"]["oauth2_proxy.cfg"]
    assert 'upstreams = ["static://200"]' in cfg["data"]["oauth2_proxy.cfg"]
    assert not [i for i in sso_system.of_kind("Secret") if i.origin == "release:oauth2-proxy"]
    mesh = access.mesh_config(sso_system)
    (gate,) = [p for p in mesh["extensionProviders"] if "envoyExtAuthzHttp" in p]
    assert gate["envoyExtAuthzHttp"]["service"] == "oauth2-proxy.oauth2-proxy.svc.cluster.local"
    assert any("opentelemetry" in p for p in mesh["extensionProviders"])  # tracing kept


# istio/api@1.22.8 mesh/v1alpha1/config.proto EnvoyExternalAuthorizationHttpProvider fields (JSON names)
EXT_AUTHZ_HTTP_FIELDS = {"service", "port", "timeout", "pathPrefix", "failOpen", "statusOnError",
                         "includeHeadersInCheck", "includeRequestHeadersInCheck", "includeAdditionalHeadersInCheck",
                         "includeRequestBodyInCheck", "headersToUpstreamOnAllow", "headersToDownstreamOnDeny",
                         "headersToDownstreamOnAllow"}


def test_the_extension_provider_is_one_istio_accepts():
    """istio/istio@1.22.8 pilot/pkg/security/authz/builder/extauthz.go buildExtAuthzHTTP: port 1-65535, no
    single "*" in the header lists; the fields are the proto's."""
    provider = ext_authz_provider()["envoyExtAuthzHttp"]
    assert set(provider) <= EXT_AUTHZ_HTTP_FIELDS
    assert 1 <= provider["port"] <= 65535 and not provider.get("failOpen")
    assert not [h for k, v in provider.items() if k.startswith(("include", "headers")) for h in v if h == "*"]


def test_the_generated_cookie_secret_is_an_aes_key_for_oauth2_proxy(sso_run):
    """oauth2-proxy@v7.15.3 pkg/encryption/utils.go SecretBytes: an unpadded base64url string decoding to 16,
    24 or 32 bytes is used decoded, else the raw bytes; validateCookieSecret wants 16, 24 or 32."""
    (cookie,) = [r for r in sso_run.of_type("random:index/randomPassword:RandomPassword") if "cookie" in r.name]
    assert cookie.plain["length"] == 32 and cookie.plain["special"] is False
    assert not cookie.protect  # it holds no data (tests/test_audits.py NOT_STATEFUL)
    sample = (string.ascii_letters + string.digits)[:32]  # any 32 characters of that alphabet
    assert len(base64.urlsafe_b64decode(sample)) == 24
    (secret,) = [r for r in sso_run.of_type("kubernetes:core/v1:Secret")
                 if r.plain["metadata"]["name"] == "oauth2-proxy"]
    assert isinstance(secret.inputs["stringData"], Secret)  # both keys reach the engine as a Pulumi secret
    assert set(secret.inputs["stringData"].value) == {"client-secret", "cookie-secret"}


def test_grafana_signs_people_in_with_roles_from_their_groups(sso_system):
    ini = next(i.doc for i in sso_system.of_kind("ConfigMap") if i.name == "kube-prometheus-stack-grafana")
    text = ini["data"]["grafana.ini"]
    assert "[auth.generic_oauth]" in text and "client_id = tartware-operators" in text
    assert "client_secret = $__file{/etc/secrets/grafana-oauth/client-secret}" in text
    assert "api_url = https://idp.example.com/realms/ops/protocol/openid-connect/userinfo" in text
    assert ("role_attribute_path = (contains(groups || `[]`, 'platform-admins')) && 'Admin' || "
            "(contains(groups || `[]`, 'platform-ops')) && 'Editor' || 'Viewer'") in text
    (dep,) = [i.doc for i in sso_system.of_kind("Deployment") if i.name == "kube-prometheus-stack-grafana"]
    volumes = {v["name"]: v for v in dep["spec"]["template"]["spec"]["volumes"]}
    assert volumes["grafana-oauth"]["secret"]["secretName"] == "grafana-oauth"


def test_with_the_acme_issuer_the_operator_hosts_keep_plain_http(allowlist_run):
    """No HTTPS redirect with ACME: the CA fetches the HTTP-01 token over plain HTTP from every host of
    the certificate before it exists (RFC 8555 section 8.3); the redirect check knows it
    (tools/conformance/https_redirect.py; the redirect itself: tests/test_operator_edge.py)."""
    system = program_system(allowlist_run)
    (gw,) = system.of_kind("Gateway")
    assert not any(s.get("tls", {}).get("httpsRedirect") for s in gw.doc["spec"]["servers"])
    assert https_redirect.acme_in_use(system) and https_redirect.violations(system) == []


def test_no_operator_route_is_served_before_its_guard(sso_run):
    (policy,) = [p for p in sso_run.of_type("kubernetes:security.istio.io/v1:AuthorizationPolicy")
                 if p.plain["metadata"]["name"] != API_PATHS_POLICY]  # the operator hosts' guard
    for vs in sso_run.of_type("kubernetes:networking.istio.io/v1beta1:VirtualService"):
        guarded = policy.urn in vs.dependencies
        assert guarded is (vs.plain["metadata"]["name"] != "api"), vs.name


def test_operator_hosts_are_published_when_public(sso_run):
    names = {r["name"] for r in sso_run.outputs["dnsRecords"]}
    assert names == {"api.tartware.local", *OPERATOR_HOSTS}


# ------------------------------------------------------------------------------ Locust's own login


def test_locust_gets_its_own_login_and_no_route_when_internal(internal_locust_run, allowlist_run):
    internal, public = internal_locust_run, allowlist_run
    for run in (internal, public):
        (secret,) = [r for r in run.of_type("kubernetes:core/v1:Secret")
                     if r.plain["metadata"]["name"] == "locust-web-login"]
        assert isinstance(secret.inputs["stringData"], Secret)
        master = run.one("kubernetes:apps/v1:Deployment", "operations-load-test-locust-master").plain
        assert "--web-login" in master["spec"]["template"]["spec"]["containers"][0]["command"]
        cm = run.one("kubernetes:core/v1:ConfigMap", "operations-load-test-locustfile").plain
        # the master loads the web UI's login next to the locustfile (and the mix both read)
        assert set(cm["data"]) == {"locust__locustfile.py", "locust__web_login.py", "mix.json"}
    policies = lambda run: {r.plain["metadata"]["name"] for r in  # noqa: E731
                            run.of_type("kubernetes:networking.k8s.io/v1:NetworkPolicy")
                            if r.plain["metadata"]["namespace"] == "tartware-ops"}
    assert "allow-locust-ui" in policies(public) and "allow-locust-ui" not in policies(internal)
    assert "locust.tartware.local" not in access.guards(program_system(internal))
    assert public.outputs["operations"]["loadTestSummary"].startswith(f"https://locust.{PUBLIC}")
    assert internal.outputs["operations"]["loadTestSummary"].startswith("kubectl -n tartware-ops port-forward")


def test_the_scan_covers_the_gate():
    stack, overrides = VARIANTS["prod-sso"]
    assert stack == "prod" and overrides[f"{NS}:operatorAccess"] == "sso"
    assert json.dumps(overrides)  # plain values: the client secret is a placeholder secret (variant_config)
    _, config, secret_keys = variant_config("prod-sso")
    assert f"{NS}:operatorSsoClientSecret" in secret_keys
