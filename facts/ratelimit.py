"""Rate limits: the API gateway's in-app limiter and the per-client limit at the Istio edge.

The app (red2n/tartware@a2583469, facts/app_source.APP_COMMIT):

* Apps/api-gateway/src/server.ts registers @fastify/rate-limit keyed by the ``x-api-key`` header
  or ``request.ip``; with Redis on (REDIS_ENABLED, default true) the store is shared by every
  gateway pod. The gateway sets no ``trustProxy``, so ``request.ip`` is the socket peer: behind
  the Istio sidecar every request arrives from the sidecar's local address, and all clients share
  ONE key. The limit is therefore platform-wide, not per client.
* Apps/api-gateway/src/config.ts reads API_GATEWAY_RATE_MAX (default 200) per
  API_GATEWAY_RATE_WINDOW ("1 minute"); API_GATEWAY_RATE_COMMAND_MAX (60) per
  API_GATEWAY_RATE_COMMAND_WINDOW (routes/misc-routes.ts, self-service-routes.ts);
  API_GATEWAY_RATE_AUTH_MAX (20) per API_GATEWAY_RATE_AUTH_WINDOW (routes/core-proxy-routes.ts
  /v1/auth and /v1/auth/*, self-service-routes.ts).
* routes/command-center-routes.ts hard-codes 120 per minute on POST
  /v1/commands/:commandName/execute: no variable changes it, so the load tests do not use it.

So the in-app limits must sit above the platform's throughput, and per-client protection moves
to the edge (components/platform/edge_rate_limit.py). Derivation (docs/platform.md "Rate limiting"):
the guide's 20,000 req/s, plus the 25 % headroom of the platform's HighRequestRate alert
(25,000 req/s), over the 60 s window: 25,000 x 60 = 1,500,000 requests per minute, for reads,
commands and auth alike (one shared key sees all of them).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Optional

GUIDE_RATE = 20000  # req/s ("20,000 operations per second")
HEADROOM_RATE = 25000  # req/s, HighRequestRate (red2n/tartware@a2583469 platform/observability/prometheus-config.yaml)
WINDOW = "1 minute"
WINDOW_SECONDS = 60
DEFAULT_MAX = HEADROOM_RATE * WINDOW_SECONDS  # 1,500,000 per minute

# @fastify/rate-limit timeWindow: milliseconds or a string for the `ms` package ("1 minute").
# We accept "<n> second(s)|minute(s)|hour(s)" only, so the window is checkable here.
WINDOW_PATTERN = r"^[1-9]\d{0,5} (second|minute|hour)s?$"
_UNIT = {"second": 1, "minute": 60, "hour": 3600}


def window_seconds(window: str) -> int:
    m = re.match(r"^(\d+) (second|minute|hour)s?$", window)
    if not m:
        raise ValueError(window)
    return int(m.group(1)) * _UNIT[m.group(2)]


def gateway_env(max_: int, command_max: int, auth_max: int, window: str) -> dict[str, str]:
    """The gateway's rate-limit variables (names from Apps/api-gateway/src/config.ts)."""
    return {
        "API_GATEWAY_RATE_MAX": str(max_),
        "API_GATEWAY_RATE_WINDOW": window,
        "API_GATEWAY_RATE_COMMAND_MAX": str(command_max),
        "API_GATEWAY_RATE_COMMAND_WINDOW": window,
        "API_GATEWAY_RATE_AUTH_MAX": str(auth_max),
        "API_GATEWAY_RATE_AUTH_WINDOW": window,
    }


# --------------------------------------------------------------------------------------------------
# Edge: a limit per client address at istio-ingressgateway (components/platform/edge_rate_limit.py).
#
# Envoy's local rate limit matches descriptor values verbatim in Envoy 1.30 (Istio 1.22), so one
# bucket per client address needs Envoy's *global* rate limit: the gateway asks the
# envoyproxy/ratelimit service (backed by the data tier's Redis) about the descriptor
# ("remote_address", <trusted client address>) of every request (envoyproxy/envoy
# api/envoy/config/route/v3/route_components.proto RateLimit.Action.RemoteAddress), and the service
# gives every distinct value its own counter: "a key without a value ... will match against any
# value supplied ... and generate a unique limit" (envoyproxy/ratelimit@aba2384d README.md,
# "nested descriptor lists"; src/config/config_impl.go GetLimit looks up key_value, then the key
# alone; src/limiter/cache_key.go puts every entry's value in the Redis key).
#
# Default: 1,000 requests per second per client address = 1/20 of the guide's 20,000 req/s, so no
# single address can take more than 5 % of the platform, while a hotel's office behind one NAT
# address (hundreds of front-desk sessions at a few requests per second each) stays well inside it.
EDGE_REQUESTS_PER_SECOND = GUIDE_RATE // 20  # 1,000 per client address
# The per-connection backstop (Envoy local_ratelimit, one token bucket per downstream connection):
# same rate, this burst. It holds when the ratelimit service is unreachable (the global filter fails
# open) and sheds a single connection's flood before it costs a gRPC call.
EDGE_BURST = 2 * EDGE_REQUESTS_PER_SECOND

EDGE_DOMAIN = "tartware-edge"
UNIT = "second"  # envoyproxy/ratelimit unit names: RateLimitResponse.RateLimit.Unit (second, minute, ...)
REMOTE_ADDRESS = "remote_address"  # the descriptor key Envoy's RemoteAddress action emits
MASKED_REMOTE_ADDRESS = "masked_remote_address"  # ... and MaskedRemoteAddress ("a.b.c.d/len")

# --------------------------------------------------------------------------------------------------
# The ratelimit service sized for the platform's rate (components/platform/edge_rate_limit.py; derivation in
# docs/platform.md "Sizing the limiter for 20,000 req/s").
#
# Every API request through the edge is one ShouldRateLimit call, and, its descriptor being limited,
# one INCRBY and one EXPIRE on Redis in one pipeline (envoyproxy/ratelimit@aba2384d
# src/redis/fixed_cache_impl.go pipelineAppend). Exempt sources cost no Redis command ("descriptor is
# unlimited, not passing to the cache", src/service/ratelimit.go).
REDIS_COMMANDS_PER_CALL = 2
# CPU per call: the project's own benchmark of the limiter and its Redis client
# (test/redis/bench_test.go BenchmarkParallelDoLimit, published in envoyproxy/ratelimit#152 on
# 2020-08-05: 16.1 us/op wall time with 4 parallel goroutines on 4 CPUs, no pipelining) is at most
# 4 x 16.1 = 65 us of CPU per call; the gRPC server in front is not in that benchmark, so we budget
# as much again: 130 us per call.
CPU_MICROSECONDS_PER_CALL = 130
RATELIMIT_CPU_REQUEST_MILLICORES = 500
RATELIMIT_CPU_LIMIT_MILLICORES = 1000
RATELIMIT_CPU_TARGET = 70  # HPA: average CPU utilisation, % of the request (the Tartware services' default)
RATELIMIT_MIN_REPLICAS = 3  # one per zone of the EKS target's three; the PDB keeps two


def ratelimit_replicas_for(rate: int) -> int:
    """Pods the HPA needs at ``rate`` calls/s to hold RATELIMIT_CPU_TARGET of the request."""
    cores = rate * CPU_MICROSECONDS_PER_CALL / 1_000_000
    per_pod = RATELIMIT_CPU_REQUEST_MILLICORES / 1000 * RATELIMIT_CPU_TARGET / 100
    return max(RATELIMIT_MIN_REPLICAS, -(-int(cores * 1000) // int(per_pod * 1000)))


# The HPA's ceiling: the alert's headroom rate (25,000 req/s) -> 3.25 cores -> 10 pods at 0.35 core each.
RATELIMIT_MAX_REPLICAS = ratelimit_replicas_for(HEADROOM_RATE)
# REDIS_PIPELINE_WINDOW: "When set to a non-zero value (e.g., 150us-500us), radix v4 will buffer
# multiple concurrent write operations and flush them together, reducing system calls and improving
# throughput ... For optimal performance, set REDIS_PIPELINE_WINDOW to 150us-500us" (README.md at
# aba2384d, "Redis": "Pipelining"); the low end, since every API request waits for the answer.
REDIS_PIPELINE_WINDOW = "150us"
# REDIS_POOL_SIZE (default 10): connections per pod. Little's law at the headroom rate on the HPA's
# floor: 25,000 / 3 pods = 8,334 calls/s per pod, each holding a connection for the window plus a
# round trip (150 us + 1 ms, a generous in-cluster RTT) -> 9.6 in flight: the default would be full.
# 20 per pod; at the ceiling 10 x 20 = 200 connections to redis-master (Redis maxclients 10,000).
REDIS_POOL_SIZE = 20


def redis_commands_per_second(rate: int) -> int:
    """The limiter's load on the data tier's Redis at ``rate`` limited requests/s."""
    return rate * REDIS_COMMANDS_PER_CALL


@dataclass(frozen=True)
class Exemption:
    """Networks the per-client limit spares: ``a.b.c.d/<prefix>`` texts (or Outputs of them, the EKS
    NAT addresses known after they are created), all of one prefix length."""

    networks: tuple[Any, ...] = ()
    prefix: int = 32

    def __bool__(self) -> bool:
        return bool(self.networks)


def ratelimit_service_config(requests_per_second: int, exempt: tuple[str, ...] = ()) -> dict:
    """The envoyproxy/ratelimit configuration file (its YAML keys: src/config/config_impl.go
    YamlRoot/YamlDescriptor/YamlRateLimit and validKeys at envoyproxy/ratelimit@aba2384d).

    Without exemptions: one descriptor ``remote_address`` with no value -> a limit per address.
    With them, Envoy sends (masked_remote_address, <address masked to the exempt prefix length>),
    (remote_address, <address>): an exempt network matches its own value first and is unlimited
    (``unlimited: true``, no unit: "should not specify rate limit unit when unlimited"); any other
    value falls to the key without value, whose nested ``remote_address`` is limited per address.
    """
    limited = {"key": REMOTE_ADDRESS, "rate_limit": {"unit": UNIT, "requests_per_unit": requests_per_second}}
    if not exempt:
        return {"domain": EDGE_DOMAIN, "descriptors": [limited]}
    free = [{"key": MASKED_REMOTE_ADDRESS, "value": cidr,
             "descriptors": [{"key": REMOTE_ADDRESS, "rate_limit": {"unlimited": True}}]} for cidr in exempt]
    return {"domain": EDGE_DOMAIN, "descriptors": [*free, {"key": MASKED_REMOTE_ADDRESS, "descriptors": [limited]}]}


def rate_limit_actions(exempt_prefix: Optional[int] = None) -> list[dict]:
    """The route's ``rate_limits`` (envoy.config.route.v3.RateLimit): one descriptor per request;
    with exemptions, the address masked to their prefix length first."""
    actions: list[dict] = []
    if exempt_prefix is not None:
        actions.append({"masked_remote_address": {"v4_prefix_mask_len": exempt_prefix}})
    actions.append({"remote_address": {}})
    return [{"actions": actions}]
