"""The offline plan's Edge section and the data tier's Redis budget, against the guide and the
upstream sources each number comes from (never against facts/ratelimit.py's constants).

* the guide: 20,000 req/s ("20,000 operations per second"), HPA on CPU at 70 % (tests/guide.py HPA_CPU);
* the alert's headroom rate, 25,000 req/s: red2n/tartware@a2583469
  platform/observability/prometheus-config.yaml ``HighRequestRate`` (``> 25000``);
* the limiter's CPU per call: envoyproxy/ratelimit#152 (2020-08-05), ``BenchmarkParallelDoLimit``
  16.1 us/op with 4 goroutines on 4 CPUs -> at most 4 x 16.1 us of CPU per call, and as much again
  for the gRPC server the benchmark leaves out (docs/platform.md "Sizing the limiter");
* its Redis commands: one INCRBY and one EXPIRE per limited call (envoyproxy/ratelimit@aba2384d
  src/redis/fixed_cache_impl.go pipelineAppend);
* the gateway's own limiter: one EVALSHA per request (fastify/fastify-rate-limit@v10.3.0
  store/RedisStore.js, the version in red2n/tartware@a2583469 pnpm-lock.yaml);
* the login throttle: 20 logins per 60 s per username (red2n/tartware@a2583469
  Apps/config/src/index.ts:88-89);
* the per-client limit, 1,000 req/s per address: 1/20 of the guide's rate (docs/platform.md "Rate limiting").
"""

from __future__ import annotations

import math
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

from rules import redis_load
from tests import guide
from tests.components.helpers import settings
from tests.redis_server import PASSWORD, REDIS, redis  # noqa: F401  (redis: a fixture)
from tools import plan

NS = "tartware-infra"
GUIDE_RPS = 20000
HEADROOM_RPS = 25000  # HighRequestRate, platform/observability/prometheus-config.yaml
PER_ADDRESS = GUIDE_RPS // 20
BENCH_US_PER_OP, BENCH_GOROUTINES = 16.1, 4  # envoyproxy/ratelimit#152
GRPC_FACTOR = 2  # the gRPC server the benchmark leaves out: as much again (docs/platform.md)
COMMANDS_PER_CALL = 2  # INCRBY + EXPIRE (fixed_cache_impl.go)
LOGINS_PER_WINDOW = 20  # TENANT_AUTH_THROTTLE_MAX_ATTEMPTS, per TENANT_AUTH_THROTTLE_WINDOW_SECONDS 60
REDIS_MAXCLIENTS = 10000  # redis/redis@7.0.15 redis.conf: "By default this limit is set to 10000 clients"
ROOT = Path(__file__).resolve().parent.parent


def _plan(**overrides) -> dict:
    """The plan's Edge and Redis sections (tools/plan.py edge_plan, rules/redis_load.py) for the
    committed prod stack with a k6 load test, from its validated settings (no program run needed)."""
    doc = yaml.safe_load((ROOT / "Pulumi.prod.yaml").read_text())["config"]
    raw = {k.split(":", 1)[1]: v for k, v in doc.items()}
    s = settings(**{**raw, "loadTest": "load", "loadTestUsername": "k6-bot", **overrides})
    return {"edge": plan.edge_plan(s), "redis": redis_load.budget(s).as_output()}


@pytest.fixture(scope="module")
def edge_plan() -> dict:
    return _plan()


@pytest.fixture(scope="module")
def aws_plan() -> dict:
    """An existing cluster on AWS behind the cloud load balancer: the gateway takes only PROXY-protocol
    connections (docs/platform.md "The client's address, per target"), as on eks."""
    return _plan(loadBalancer="cloud", existingClusterCloud="aws")


def test_the_limiter_is_sized_for_the_guides_rate_from_the_published_benchmark(edge_plan):
    r = edge_plan["edge"]["ratelimit"]
    per_call_us = BENCH_US_PER_OP * BENCH_GOROUTINES * GRPC_FACTOR  # 128.8 us
    cores = GUIDE_RPS * per_call_us / 1e6  # 2.576
    # the plan may round the per-call figure up, never down, and by at most a microsecond a call
    assert cores <= r["coresAtGuideRate"] <= GUIDE_RPS * (per_call_us + 1.3) / 1e6
    assert r["cpuTargetPercent"] == guide.HPA_CPU
    per_pod = int(r["cpuRequest"].removesuffix("m")) / 1000 * guide.HPA_CPU / 100
    assert r["podsAtGuideRate"] == math.ceil(cores / per_pod) == 8
    assert r["podsAtHeadroomRate"] == math.ceil(HEADROOM_RPS * per_call_us / 1e6 / per_pod) == 10
    assert r["maxReplicas"] >= r["podsAtHeadroomRate"] and r["minReplicas"] >= 3  # one per zone of three
    assert r["redisCommandsPerSecondAtGuideRate"] == COMMANDS_PER_CALL * GUIDE_RPS == 40000
    assert r["redisCommandsPerSecondAtHeadroomRate"] == COMMANDS_PER_CALL * HEADROOM_RPS == 50000
    assert r["redisConnectionsAtMax"] == r["maxReplicas"] * r["redisPoolSize"]


def test_the_load_test_goes_through_the_edge_under_the_per_address_limit(edge_plan):
    t = edge_plan["edge"]["loadTest"]
    assert edge_plan["edge"]["perClientLimit"] == PER_ADDRESS
    assert (t["path"], t["url"], t["hostHeader"]) == (
        "edge", "http://istio-ingressgateway.istio-system.svc.cluster.local", "api.tartware.local")
    assert t["rate"] == GUIDE_RPS and t["perClientLimit"] == PER_ADDRESS
    # the generators carry the whole rate, each below the limit (never refused), none idle at half of it
    assert t["sources"] * t["perSourceRps"] >= GUIDE_RPS
    assert PER_ADDRESS / 2 <= t["perSourceRps"] < PER_ADDRESS
    # each generator logs in once: the accounts keep every username within the app's throttle
    assert t["accounts"] == math.ceil(t["sources"] / LOGINS_PER_WINDOW)
    assert "edgeUnavailable" not in t
    lines = "\n".join(plan.edge_lines(edge_plan["edge"]))
    assert "via the edge path" in lines and f"{t['sources']} generators at {t['perSourceRps']} req/s" in lines


def test_where_the_gateway_demands_the_proxy_protocol_the_plan_says_the_limiter_is_not_exercised(aws_plan):
    t = aws_plan["edge"]["loadTest"]
    assert aws_plan["edge"]["proxyProtocol"] is True
    assert t["path"] == "service" and t["perClientLimit"] == 0
    assert "PROXY-protocol" in t["edgeUnavailable"]
    lines = "\n".join(plan.edge_lines(aws_plan["edge"]))
    assert "via the service path" in lines and "does not exercise the limiter" in lines


# --------------------------------------------------------------------------- the data tier's Redis


def test_the_limiters_redis_load_is_counted_in_the_data_tiers_redis(edge_plan):
    r = edge_plan["redis"]
    assert r["commandsPerSecondAtGuideRate"] == {"ratelimit": COMMANDS_PER_CALL * GUIDE_RPS, "api-gateway": GUIDE_RPS}
    assert r["commandsPerSecondAtHeadroomRate"] == {"ratelimit": COMMANDS_PER_CALL * HEADROOM_RPS,
                                                   "api-gateway": HEADROOM_RPS}
    assert r["maxClients"] == REDIS_MAXCLIENTS
    # an upper bound from the guide: every service at its max (one connection per process) + the limiter
    edge = edge_plan["edge"]["ratelimit"]
    bound = (guide.expected_totals()["max"]["pods"] + edge["redisConnectionsAtMax"]
             + r["connectionsFrom"]["replicas+exporters"])
    assert r["connectionsAtMax"] <= bound <= REDIS_MAXCLIENTS
    assert r["threadMillisecondsAtHeadroomRate"] <= r["threadBudgetMilliseconds"]
    assert "api-gateway 25,000" in "\n".join(plan.redis_lines(r))


# INCR, then PEXPIRE on a new key or PTTL: what @fastify/rate-limit's store script does per request
# (fastify/fastify-rate-limit@v10.3.0 store/RedisStore.js), written here in the fewest lines
GATEWAY_SCRIPT = ("local c = redis.call('INCR', KEYS[1]) if c == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) "
                  "return {c, tonumber(ARGV[1])} end return {c, redis.call('PTTL', KEYS[1])}")


def usec_per_call(cli) -> dict[str, float]:
    out = {}
    for line in cli("INFO", "commandstats").splitlines():
        if line.startswith("cmdstat_"):
            name, _, fields = line.partition(":")
            out[name.removeprefix("cmdstat_")] = float(dict(f.split("=") for f in fields.split(","))["usec_per_call"])
    return out


@pytest.mark.skipif(REDIS is None or shutil.which("redis-benchmark") is None,
                    reason="redis-server and redis-benchmark (Debian packages redis-server, redis-tools) not installed")
def test_the_rendered_redis_takes_the_limiters_commands_within_the_budget(redis, edge_plan):  # noqa: F811
    """Run the rendered redis.conf on the real redis-server, send it the limiters' commands and read
    Redis's own accounting of its thread (INFO commandstats usec_per_call): at the headroom rate the
    limiters' commands fit the budget the plan prints, and maxclients is the 10,000 counted."""
    cli = redis("dev")
    port = cli("CONFIG", "GET", "port").splitlines()[1]
    assert cli("CONFIG", "GET", "maxclients").splitlines()[1] == str(REDIS_MAXCLIENTS)
    sha = cli("SCRIPT", "LOAD", GATEWAY_SCRIPT)
    bench = ["redis-benchmark", "-p", port, "-a", PASSWORD, "-c", "10", "-n", "4000", "-r", "10000", "-P", "8", "-q"]
    for command in (["INCRBY", "tartware-edge_remote_address___rand_int__", "1"],
                    ["EXPIRE", "tartware-edge_remote_address___rand_int__", "1"],
                    ["EVALSHA", sha, "1", "fastify-rate-limit-__rand_int__", "60000"]):
        subprocess.run([*bench, *command], check=True, capture_output=True, timeout=120)
    us = usec_per_call(cli)
    measured_ms = (HEADROOM_RPS * (us["incrby"] + us["expire"]) + HEADROOM_RPS * us["evalsha"]) / 1000
    # Redis's own clock counts a command descheduled mid-way on a busy machine as longer, so the measured
    # cost is an upper bound of the plan's per-command figures here, and must still fit the budget
    assert measured_ms <= edge_plan["redis"]["threadBudgetMilliseconds"], (us, measured_ms)


# ------------------------------------------------------------------------ planted: over the budget


def test_a_redis_master_over_its_thread_budget_is_refused_naming_the_key(edge_plan):
    r = edge_plan["redis"]
    b = redis_load.RedisBudget(True, True, cpu_request_millicores=100, limiter_connections=200,
                               app_connections={"api-gateway": 100}, others=6)  # dev's 100m request
    ((name, message, _),) = b.problems(PER_ADDRESS)
    assert name == "edgeRateLimit" and "allowed: edgeRateLimit 0" in message and "100m" in message
    assert "ratelimit 50,000/s" in message and "api-gateway 25,000/s" in message
    ok = redis_load.RedisBudget(True, True, r["cpuRequestMillicores"], 200, {"api-gateway": 100}, 6)
    assert ok.problems(PER_ADDRESS) == []


def test_more_clients_than_maxclients_are_refused_naming_the_services():
    b = redis_load.RedisBudget(True, True, 1000, limiter_connections=200,
                               app_connections={"api-gateway": 9000, "core-service": 800}, others=6)
    ((name, message, value),) = b.problems(PER_ADDRESS)
    assert name == "services" and value == 10006 and "maxclients 10000" in message
    assert f"{NS}:services.api-gateway.maxReplicas (9000)" in message
