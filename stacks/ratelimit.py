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


# Edge: Envoy local_ratelimit on the ingress gateway, one token bucket per downstream connection.
EDGE_TOKENS_PER_SECOND = 100  # per client connection; see docs/platform.md for the derivation
EDGE_BURST = 200
