"""The operator surfaces at the edge: an allowlist needs each client's address on every target, the
operator hosts redirect plain HTTP to HTTPS, and the public API host does not serve the gateway's
unauthenticated paths (docs/platform.md "Operator access")."""

from __future__ import annotations

import copy
import re

import pytest

from tests.helpers import assert_refused
from tools.conformance import access, https_redirect
from tools.system import Item, SystemRender, program_system

ALLOW = {"operatorAccess": "allowlist", "operatorAllowedCidrs": ["203.0.113.0/24"], "loadBalancer": "cloud"}


@pytest.mark.parametrize("edge_rate_limit, key", [(0, "existingClusterCloud"), (1000, "existingClusterCloud")])
def test_an_allowlist_behind_an_unknown_cloud_load_balancer_is_refused_naming_the_cloud(edge_rate_limit, key):
    """existing + loadBalancer=cloud: an AWS load balancer hides the client's address, so the allowlist
    would match the load balancer's; the stack must say which cloud, whatever edgeRateLimit is."""
    message = assert_refused({**ALLOW, "edgeRateLimit": edge_rate_limit}, key, ["allowed: aws", "other"])
    assert ("operatorAccess=allowlist" in message) == (edge_rate_limit == 0), message


def test_an_allowlist_that_says_its_cloud_is_accepted():
    from program.load import build_settings

    for cloud in ("aws", "other"):
        assert build_settings({"environment": "prod", **ALLOW, "edgeRateLimit": 0, "existingClusterCloud": cloud})
    # a proxy in front that appends X-Forwarded-For carries the address: nothing to ask
    assert build_settings({"environment": "prod", **ALLOW, "edgeRateLimit": 0, "edgeTrustedProxies": 1})


# --------------------------------------------------------------------------- plain HTTP: redirected

DEV_OPERATOR_HOSTS = {f"{n}.tartware.local" for n in ("grafana", "jaeger", "prometheus")}


def _changed(system: SystemRender, kind: str, change) -> SystemRender:
    items = []
    for item in system.items:
        if item.kind == kind:
            doc = copy.deepcopy(item.doc)
            if change(doc) is False:
                continue
            item = Item(doc, item.origin)
        items.append(item)
    return SystemRender(system.stack, items, system.releases, system.skipped)


def test_with_tls_the_operator_hosts_redirect_plain_http_and_the_api_keeps_it(dev_run):
    """dev: the lab's operator hosts on the gateway with the CA issuer's certificate."""
    system = program_system(dev_run)
    (gw,) = system.of_kind("Gateway")
    servers = {s["port"]["name"]: s for s in gw.doc["spec"]["servers"]}
    assert servers["http"] == {"port": {"number": 80, "name": "http", "protocol": "HTTP"},
                               "hosts": ["api.tartware.local"]}
    assert set(servers["http-redirect"]["hosts"]) == DEV_OPERATOR_HOSTS
    assert servers["http-redirect"]["tls"] == {"httpsRedirect": True}
    assert set(servers["https"]["hosts"]) == DEV_OPERATOR_HOSTS | {"api.tartware.local"}
    assert https_redirect.violations(system) == []


def test_a_planted_operator_host_in_plain_http_fails_the_redirect_check(dev_run):
    def no_redirect(doc):
        for s in doc["spec"]["servers"]:
            s.get("tls", {}).pop("httpsRedirect", None)
    problems = https_redirect.violations(_changed(program_system(dev_run), "Gateway", no_redirect))
    assert sorted(p.split()[1] for p in problems) == sorted(DEV_OPERATOR_HOSTS)
    assert all("without tls.httpsRedirect" in p for p in problems)


# --------------------------------------------------------------------------- the API host's token-less paths


def test_the_api_hosts_token_less_paths_are_refused_at_the_edge(prod_run):
    system = program_system(prod_run)
    (pol,) = [p for p in system.of_kind("AuthorizationPolicy") if p.name == "api-deny-unauthenticated-paths"]
    assert pol.namespace == "istio-system" and pol.doc["spec"]["action"] == "DENY"
    assert pol.doc["spec"]["selector"] == {"matchLabels": {"istio": "ingressgateway"}}
    (rule,) = pol.doc["spec"]["rules"]
    assert "from" not in rule and "when" not in rule
    (to,) = rule["to"]
    # the app at the pin: /metrics (fastify-server index.ts:399) and the Swagger UI under /docs (swagger.ts:23)
    assert to["operation"] == {"hosts": ["api.tartware.local"],
                               "paths": ["/metrics", "/metrics/*", "/docs", "/docs/*"]}
    assert access.violations(system) == [] and access.guards(system) == {"api.tartware.local": "api"}
    # the API route waits for it: never served with the paths open
    api = prod_run.one("kubernetes:networking.istio.io/v1beta1:VirtualService", "platform-mesh-route-api")
    policy = prod_run.one("kubernetes:security.istio.io/v1:AuthorizationPolicy", "platform-mesh-api-paths-policy")
    assert policy.urn in api.dependencies


@pytest.mark.parametrize("defect, open_paths", [
    (lambda doc: False, ["/docs", "/metrics"]),  # no policy
    (lambda doc: doc["spec"]["rules"][0]["to"][0]["operation"].update(paths=["/metrics"]), ["/docs", "/metrics"]),
    (lambda doc: doc["spec"]["rules"][0].update({"from": [{"source": {"remoteIpBlocks": ["198.51.100.0/24"]}}]}),
     ["/docs", "/metrics"]),
    (lambda doc: doc["spec"].update(action="AUDIT"), ["/docs", "/metrics"]),
    (lambda doc: doc["spec"]["rules"][0]["to"][0]["operation"].update(hosts=["grafana.tartware.local"]),
     ["/docs", "/metrics"]),
    (lambda doc: doc["spec"]["rules"][0]["to"][0]["operation"].update(paths=["/metrics", "/metrics/*"]), ["/docs"]),
])
def test_a_planted_open_token_less_path_fails_the_access_check(prod_run, defect, open_paths):
    def change(doc):
        if doc["metadata"]["name"] != "api-deny-unauthenticated-paths":
            return None
        return defect(doc)
    problems = access.violations(_changed(program_system(prod_run), "AuthorizationPolicy", change))
    assert sorted(re.search(r" serves (\S+) without a token", p).group(1) for p in problems) == open_paths, problems
    assert all(p.startswith("host api.tartware.local") for p in problems)
