"""Rate limits: the API gateway's in-app limiter and the per-client limit at the Istio edge.

The app (red2n/tartware@a2583469, stacks/app_source.APP_COMMIT):

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
to the edge (components/platform/ratelimit.py). Derivation (docs/platform.md "Rate limiting"):
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
# Edge: a limit per client address at istio-ingressgateway (components/platform/ratelimit.py).
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

# Sources the per-client limit does not apply to, by cluster target, when edgeRateLimitExemptCidrs
# is unset: the pod network, so in-cluster callers of the public host (the Locust workers, which
# reach https://api.<domain> from a handful of pod addresses) are not capped.
#   vsphere/baremetal: RKE2's default cluster-cidr 10.42.0.0/16 (rancher/rke2-docs
#   docs/reference/server_config.md "cluster-cidr"); the program does not change it.
#   eks: the NAT gateways' Elastic IPs (/32), known once created (ClusterHandle.egress_addresses):
#   pods in the private subnets reach the internet-facing load balancer through them, so that is the
#   source address the gateway sees, not the pod network (docs/platform.md "Rate limiting").
#   existing: none (the pod network is not known).
EDGE_EXEMPT_DEFAULTS: dict[str, tuple[str, ...]] = {"vsphere": ("10.42.0.0/16",), "baremetal": ("10.42.0.0/16",)}


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
