"""Rate limits that hold at the guide's 20,000 req/s and still protect the API.

The app (red2n/tartware@a2583469): Apps/api-gateway/src/server.ts keys @fastify/rate-limit on
x-api-key or request.ip with no trustProxy, so behind the Istio sidecar every client shares one
key; Apps/api-gateway/src/config.ts defaults API_GATEWAY_RATE_MAX to 200 per "1 minute"
(COMMAND 60, AUTH 20). The prod render must set all of them above the guide's throughput, and
the per-client limit must sit at the edge.
"""

from __future__ import annotations

import pytest

from tests.test_data import platform_run
from tools.diff import kubernetes_objects
from tools.render import render_chart

GUIDE_RPS = 20000  # "20,000 operations per second"
APP_DEFAULTS = {"API_GATEWAY_RATE_MAX": 200, "API_GATEWAY_RATE_COMMAND_MAX": 60, "API_GATEWAY_RATE_AUTH_MAX": 20}
SECONDS = {"second": 1, "minute": 60, "hour": 3600}


def gateway_env(run) -> dict[str, str]:
    values = next(r for r in run.of_type("kubernetes:helm.sh/v3:Release") if r.plain["name"] == "tartware").plain["values"]
    docs = render_chart(values)
    dep = next(d for d in docs if d["kind"] == "Deployment" and d["metadata"]["name"] == "api-gateway")
    (c,) = [c for c in dep["spec"]["template"]["spec"]["containers"] if c["name"] == "api-gateway"]
    return {e["name"]: e.get("value") for e in c["env"]}


def window_seconds(window: str) -> int:
    count, unit = window.split(" ")
    return int(count) * SECONDS[unit.rstrip("s")]


@pytest.mark.parametrize("stack", ["prod", "dev"])
def test_rendered_gateway_limits_cannot_cap_the_guides_throughput(prod_run, dev_run, stack):
    env = gateway_env(prod_run if stack == "prod" else dev_run)
    for name in APP_DEFAULTS:
        window = env[name.replace("_MAX", "_WINDOW")]
        per_second = int(env[name]) / window_seconds(window)
        assert per_second >= GUIDE_RPS, f"{name}={env[name]} per {window}"
        assert int(env[name]) > APP_DEFAULTS[name]


def test_the_edge_limits_each_client_connection_in_prod(prod_run):
    docs = {f"{d['kind']}/{d['metadata']['name']}": d for d in kubernetes_objects(prod_run.resources)}
    ef = docs["EnvoyFilter/ingressgateway-local-ratelimit"]
    assert ef["metadata"]["namespace"] == "istio-system"
    assert ef["spec"]["workloadSelector"]["labels"] == {"istio": "ingressgateway"}  # the gateway pods' label
    (patch,) = ef["spec"]["configPatches"]
    assert patch["applyTo"] == "HTTP_FILTER" and patch["match"]["context"] == "GATEWAY"
    assert patch["match"]["listener"]["filterChain"]["filter"]["subFilter"]["name"] == "envoy.filters.http.router"
    value = patch["patch"]["value"]
    assert value["name"] == "envoy.filters.http.local_ratelimit"
    typed = value["typed_config"]
    assert typed["type_url"] == "type.googleapis.com/envoy.extensions.filters.http.local_ratelimit.v3.LocalRateLimit"
    cfg = typed["value"]
    # one bucket per client connection (no gateway-wide bucket that could cap the platform)
    assert cfg["local_rate_limit_per_downstream_connection"] is True
    # enabled and enforced for every request (both default to 0 % in the proto)
    for key in ("filter_enabled", "filter_enforced"):
        assert cfg[key]["default_value"] == {"numerator": 100, "denominator": "HUNDRED"}
    assert cfg["token_bucket"]["fill_interval"] == "1s" and cfg["token_bucket"]["max_tokens"] >= cfg["token_bucket"]["tokens_per_fill"]
    gateway = next(r for r in prod_run.of_type("kubernetes:core/v1:Service")
                   if r.plain["metadata"]["name"] == "istio-ingressgateway")
    # the client's address survives the LoadBalancer (no SNAT to a node address)
    assert gateway.plain["spec"]["externalTrafficPolicy"] == "Local"


def test_edge_limit_can_be_turned_off():
    run = platform_run("prod", {"tartware-infra:edgeRateLimit": 0})
    assert not [r for r in run.of_type("kubernetes:networking.istio.io/v1alpha3:EnvoyFilter")]
