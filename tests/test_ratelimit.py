"""Rate limits that hold at the guide's 20,000 req/s and still protect the API.

The app (red2n/tartware@a2583469): Apps/api-gateway/src/server.ts keys @fastify/rate-limit on
x-api-key or request.ip with no trustProxy, so behind the Istio sidecar every client shares one
key; Apps/api-gateway/src/config.ts defaults API_GATEWAY_RATE_MAX to 200 per "1 minute"
(COMMAND 60, AUTH 20). The prod render must set all of them above the guide's throughput, and
the per-client limit must sit at the edge.
"""

from __future__ import annotations

import json

import pytest

from tests.envoy_ratelimit import (ACTIONS, ENVOY_GRPC_FIELDS, GLOBAL_FIELDS, LOCAL_FIELDS, PER_CLIENT_RPS,
                                   RLS_FIELDS, check_rls_config, edge_filter, objects, rls_config, rls_limit)
from tests.helpers import platform_run
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


# ------------------------------------------------------------------ the edge: a limit per client address
# (the Envoy and envoyproxy/ratelimit rules: tests/envoy_ratelimit.py; EKS and the RKE2 targets:
# tests/test_cluster.py, on its cached runs of those targets)


def test_prod_limits_each_client_address_at_the_gateway(prod_run):
    docs = objects(prod_run)
    spec = edge_filter(docs)
    assert spec["workloadSelector"]["labels"] == {"istio": "ingressgateway"}  # the gateway pods' label
    local, glob, vhost = spec["configPatches"]
    # both HTTP filters before the router, the local one first (each INSERT_BEFORE lands just before it)
    for patch in (local, glob):
        assert patch["applyTo"] == "HTTP_FILTER" and patch["match"]["context"] == "GATEWAY"
        assert patch["match"]["listener"]["filterChain"]["filter"] == {
            "name": "envoy.filters.network.http_connection_manager", "subFilter": {"name": "envoy.filters.http.router"}}
        assert patch["patch"]["operation"] == "INSERT_BEFORE"
    # the global filter, by the proto's field names
    value = glob["patch"]["value"]
    assert value["name"] == "envoy.filters.http.ratelimit"
    cfg = value["typed_config"]
    assert cfg.pop("@type") == "type.googleapis.com/envoy.extensions.filters.http.ratelimit.v3.RateLimit"
    assert set(cfg) <= GLOBAL_FIELDS
    assert cfg["failure_mode_deny"] is False  # an outage of the service lets requests through
    assert set(cfg["rate_limit_service"]) <= RLS_FIELDS and cfg["rate_limit_service"]["transport_api_version"] == "V3"
    assert set(cfg["rate_limit_service"]["grpc_service"]) == {"envoy_grpc"}
    assert set(cfg["rate_limit_service"]["grpc_service"]["envoy_grpc"]) <= ENVOY_GRPC_FIELDS
    cluster = cfg["rate_limit_service"]["grpc_service"]["envoy_grpc"]["cluster_name"]
    assert cluster == "outbound|8081||ratelimit.ratelimit.svc.cluster.local"  # istiod's outbound|port||fqdn
    assert float(cfg["timeout"].rstrip("s")) < 0.5  # well inside the guide's p95 (500 ms)
    # every virtual host sends the client's address as the descriptor
    assert vhost["applyTo"] == "VIRTUAL_HOST" and vhost["patch"]["operation"] == "MERGE"
    assert vhost["match"] == {"context": "GATEWAY", "routeConfiguration": {"vhost": {}}}
    (limit,) = vhost["patch"]["value"]["rate_limits"]
    assert limit["actions"] == [{"remote_address": {}}]  # prod = an existing cluster: nothing exempt
    assert all(set(a) <= ACTIONS for a in limit["actions"])
    # the backstop: one bucket per connection at the per-address rate, enabled and enforced for all
    lcfg = local["patch"]["value"]["typed_config"]
    assert lcfg["type_url"] == "type.googleapis.com/envoy.extensions.filters.http.local_ratelimit.v3.LocalRateLimit"
    assert set(lcfg["value"]) <= LOCAL_FIELDS
    assert lcfg["value"]["local_rate_limit_per_downstream_connection"] is True
    for key in ("filter_enabled", "filter_enforced"):  # both default to 0 % in the proto
        assert lcfg["value"][key]["default_value"] == {"numerator": 100, "denominator": "HUNDRED"}
    bucket = lcfg["value"]["token_bucket"]
    assert (bucket["tokens_per_fill"], bucket["fill_interval"]) == (PER_CLIENT_RPS, "1s")
    assert bucket["max_tokens"] == 2 * PER_CLIENT_RPS

    # the service's configuration: one descriptor remote_address WITHOUT a value -> a counter per address
    doc = rls_config(docs)
    check_rls_config(doc)
    assert doc["domain"] == cfg["domain"]
    assert doc["descriptors"] == [{"key": "remote_address",
                                   "rate_limit": {"unit": "second", "requests_per_unit": PER_CLIENT_RPS}}]
    a, b = rls_limit(doc, [("remote_address", "203.0.113.7")]), rls_limit(doc, [("remote_address", "198.51.100.9")])
    assert a[0]["requests_per_unit"] == b[0]["requests_per_unit"] == PER_CLIENT_RPS and a[1] != b[1]

    # the service itself: envoyproxy/ratelimit@aba2384d src/settings/settings.go names and ports
    dep = docs["Deployment/ratelimit/ratelimit"]
    hpa = docs["HorizontalPodAutoscaler/ratelimit/ratelimit-hpa"]["spec"]
    assert hpa["minReplicas"] >= 2 and docs["PodDisruptionBudget/ratelimit/ratelimit"]  # HA in prod
    assert "replicas" not in dep["spec"]  # the HPA owns it
    assert hpa["scaleTargetRef"] == {"apiVersion": "apps/v1", "kind": "Deployment", "name": "ratelimit"}
    (metric,) = hpa["metrics"]
    assert metric["resource"]["name"] == "cpu" and hpa["maxReplicas"] > hpa["minReplicas"]
    pod = dep["spec"]["template"]["spec"]
    (c,) = pod["containers"]
    env = {e["name"]: e for e in c["env"]}
    assert env["REDIS_URL"]["value"] == "redis-master.cache.svc.cluster.local:6379"  # the data tier's Redis
    assert env["REDIS_SOCKET_TYPE"]["value"] == "tcp" and env["REDIS_TYPE"]["value"].lower() == "single"
    assert "value" not in env["REDIS_AUTH"]  # never plain text: from the Secret
    assert env["REDIS_AUTH"]["valueFrom"]["secretKeyRef"] == {"name": "redis-credentials", "key": "password"}
    assert (env["USE_STATSD"]["value"], env["USE_PROMETHEUS"]["value"]) == ("false", "true")
    # README.md at aba2384d, "Pipelining": REDIS_PIPELINE_WINDOW 150us-500us for throughput (default 0);
    # REDIS_POOL_SIZE above its default of 10 (settings.go)
    window = env["REDIS_PIPELINE_WINDOW"]["value"]
    assert window.endswith("us") and 150 <= int(window[:-2]) <= 500
    assert int(env["REDIS_POOL_SIZE"]["value"]) > 10
    # the port opens only once Redis answers (driver_impl.go retries forever at start): a startup
    # probe, then liveness on the port; readiness on /healthcheck
    assert c["startupProbe"]["tcpSocket"] == {"port": 8080}
    assert c["startupProbe"]["periodSeconds"] * c["startupProbe"]["failureThreshold"] >= 300
    mount = f"{env['RUNTIME_ROOT']['value']}/{env['RUNTIME_SUBDIRECTORY']['value']}/{env['RUNTIME_APPDIRECTORY']['value']}"
    assert [m["mountPath"] for m in c["volumeMounts"]] == [mount] and env["RUNTIME_WATCH_ROOT"]["value"] == "false"
    assert {p["containerPort"] for p in c["ports"]} == {8080, 8081, 9090}  # PORT, GRPC_PORT, PROMETHEUS_ADDR
    assert c["readinessProbe"]["httpGet"] == {"path": "/healthcheck", "port": 8080}
    svc = docs["Service/ratelimit/ratelimit"]
    grpc = next(p for p in svc["spec"]["ports"] if p["port"] == 8081)
    assert grpc["name"].startswith("grpc")  # istiod gives the cluster HTTP/2 for gRPC
    secret = next(r for r in prod_run.of_type("kubernetes:core/v1:Secret")
                  if r.plain["metadata"]["name"] == "redis-credentials" and r.plain["metadata"]["namespace"] == "ratelimit")
    assert type(secret.inputs["stringData"]).__name__ == "Secret"  # a Pulumi secret end to end
    gateway = docs["Service/istio-system/istio-ingressgateway"]
    assert gateway["spec"]["externalTrafficPolicy"] == "Local"  # no SNAT: the gateway sees the client


def test_edge_limit_can_be_turned_off():
    run = platform_run("prod", {"tartware-infra:edgeRateLimit": 0})
    assert not run.of_type("kubernetes:networking.istio.io/v1alpha3:EnvoyFilter")
    assert not [d for d in run.of_type("kubernetes:apps/v1:Deployment") if d.plain["metadata"]["name"] == "ratelimit"]


def test_without_redis_only_the_per_connection_backstop_remains_and_trusted_proxies_reach_the_gateway():
    docs = objects(platform_run("prod", {"tartware-infra:dataComponents": {"redis": False},
                                         "tartware-infra:edgeTrustedProxies": 2}))
    patches = edge_filter(docs)["configPatches"]
    assert [p["patch"]["value"]["name"] for p in patches] == ["envoy.filters.http.local_ratelimit"]
    assert not [k for k in docs if k.startswith("Deployment/ratelimit/")]
    # Istio gatewayTopology.numTrustedProxies -> the gateway HCM's xff_num_trusted_hops
    pod = docs["Deployment/istio-system/istio-ingressgateway"]["spec"]["template"]["metadata"]
    assert json.loads(pod["annotations"]["proxy.istio.io/config"])["gatewayTopology"] == {"numTrustedProxies": 2}


def test_load_tests_go_through_the_edge_unexempt_and_below_the_limit():
    """The guide's 20,000 req/s go through istio-ingressgateway and the limiter (loadTest=load on
    prod: tests/test_loadtest.py); pods that would exceed the per-address limit, or too few
    accounts for the app's login throttle, are refused naming the key."""
    from tests.helpers import NS, run_with

    base = {f"{NS}:loadTest": "load", f"{NS}:loadTestUsername": "u"}
    secrets = {f"{NS}:loadTestPassword": "pw"}
    message = run_with({**base, f"{NS}:loadTestGenerators": 8}, secrets=secrets)
    assert f"{NS}:loadTestGenerators" in message and "edgeRateLimit=1000" in message and "at least 25" in message
    message = run_with({**base, f"{NS}:loadTest": "locust", f"{NS}:locustWorkers": 20}, secrets=secrets)
    assert f"{NS}:locustWorkers" in message and "at least 25" in message, message
    # 5000 users at 100/s log in 5000 times in 50 s: 20 logins per account per 60 s -> 250 accounts
    message = run_with({**base, f"{NS}:loadTest": "locust", f"{NS}:loadTestAccounts": 10}, secrets=secrets)
    assert f"{NS}:loadTestAccounts" in message and "at least 250" in message, message


def test_the_edge_path_is_refused_where_the_gateway_demands_the_proxy_protocol():
    from tests.helpers import NS, run_with

    overrides = {f"{NS}:loadTest": "load", f"{NS}:loadTestUsername": "u", f"{NS}:loadTestTarget": "edge",
                 f"{NS}:loadBalancer": "cloud", f"{NS}:existingClusterCloud": "aws"}
    message = run_with(overrides, secrets={f"{NS}:loadTestPassword": "pw"})
    assert f"{NS}:loadTestTarget" in message and "PROXY" in message, message


def test_an_existing_cluster_behind_a_cloud_load_balancer_says_which_cloud():
    from tests.helpers import NS, run_with

    message = run_with({f"{NS}:loadBalancer": "cloud"})
    assert f"{NS}:existingClusterCloud" in message and "allowed: aws" in message, message


def test_the_capacity_check_counts_the_rate_limit_pods(prod_run):
    """What the rendered ratelimit Deployment requests (replicas x requests) is what the platform's
    fixed overhead adds when the per-client limit is on (rules/capacity.py sums that overhead)."""
    from settings.quantities import Cpu, Memory
    from tests.components.helpers import settings

    docs = objects(prod_run)
    dep = docs["Deployment/ratelimit/ratelimit"]
    (c,) = dep["spec"]["template"]["spec"]["containers"]
    n = docs["HorizontalPodAutoscaler/ratelimit/ratelimit-hpa"]["spec"]["maxReplicas"]  # at max scale
    cpu = n * Cpu.parse(c["resources"]["requests"]["cpu"]).millicores
    mem = n * Memory.parse(c["resources"]["requests"]["memory"]).bytes
    on = settings(environment="prod").platform.fixed_overhead()
    off = settings(environment="prod", edgeRateLimit=0).platform.fixed_overhead()
    assert (on[0] - off[0], on[1] - off[1]) == (cpu, mem)


def test_exempt_networks_are_unlimited_and_every_other_address_is_limited():
    from tests.envoy_ratelimit import MASKED_FIELDS, PER_CLIENT_RPS

    docs = objects(platform_run("prod", {"tartware-infra:edgeRateLimitExemptCidrs": ["198.51.100.0/24"]}))
    (limit,) = edge_filter(docs)["configPatches"][2]["patch"]["value"]["rate_limits"]
    assert limit["actions"] == [{"masked_remote_address": {"v4_prefix_mask_len": 24}}, {"remote_address": {}}]
    assert set(limit["actions"][0]["masked_remote_address"]) <= MASKED_FIELDS
    doc = rls_config(docs)
    check_rls_config(doc)
    assert rls_limit(doc, [("masked_remote_address", "198.51.100.0/24"), ("remote_address", "198.51.100.9")])[0] == \
        {"unlimited": True}
    other = rls_limit(doc, [("masked_remote_address", "203.0.113.0/24"), ("remote_address", "203.0.113.7")])
    assert other[0] == {"unit": "second", "requests_per_unit": PER_CLIENT_RPS}
