"""Paths the Tartware API gateway serves without a bearer token, and the edge rule that keeps them off
the public API host.

The gateway verifies a bearer JWT on its ``/v1`` routes, but at red2n/tartware@a2583469
(facts/app_source.APP_COMMIT) the same server also answers, with no token:

* ``GET /metrics``: Prometheus text of every metric (``enableMetricsEndpoint: true`` in
  Apps/api-gateway/src/server.ts:48; the route in Apps/fastify-server/src/index.ts:399-400). Prometheus
  scrapes it inside the cluster, on the pod's port, not through the gateway;
* the Swagger UI and the API description under ``/docs`` (``routePrefix = "/docs"``,
  Apps/fastify-server/src/swagger.ts:23, registered by Apps/api-gateway/src/plugins/swagger.ts).

``/health`` stays public: load balancers and the load mix call it, and it tells nothing.

At the edge an ``AuthorizationPolicy`` with ``action: DENY`` on istio-ingressgateway refuses those
paths for the API host (403). Istio's ``Operation.paths`` match the path without the query
(istio/istio@1.22.8 pilot/pkg/security/authz/model/generator.go ``pathGenerator`` ->
matcher/header.go ``PathMatcher``, Envoy's PathMatcher: "the query string is removed"), with ``x*``
as a prefix (``StringMatcher``); each path is listed exactly and with ``/*`` so that ``/metricsfoo``,
a route the app does not have, is not caught by accident.
"""

from __future__ import annotations

from typing import Any, Mapping

# path -> where the app serves it without a token (red2n/tartware@a2583469)
UNAUTHENTICATED_API_PATHS: Mapping[str, str] = {
    "/metrics": "Apps/api-gateway/src/server.ts:48 enableMetricsEndpoint, Apps/fastify-server/src/index.ts:399-400",
    "/docs": "Apps/fastify-server/src/swagger.ts:23 routePrefix, Apps/api-gateway/src/plugins/swagger.ts",
}
POLICY_NAME = "api-deny-unauthenticated-paths"


def denied_paths() -> list[str]:
    """Istio ``paths`` for every unauthenticated path: the path itself and everything below it."""
    return [p for path in UNAUTHENTICATED_API_PATHS for p in (path, f"{path}/*")]


def deny_policy_spec(api_host: str, gateway_selector: Mapping[str, str]) -> dict[str, Any]:
    """The AuthorizationPolicy spec (istio/api@1.22.8 security/v1beta1/authorization_policy.proto): DENY,
    from any source, the API host's unauthenticated paths on the gateway's pods."""
    return {"selector": {"matchLabels": dict(gateway_selector)}, "action": "DENY",
            "rules": [{"to": [{"operation": {"hosts": [api_host], "paths": denied_paths()}}]}]}
