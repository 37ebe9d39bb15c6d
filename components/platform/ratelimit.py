"""Per-client rate limit at the edge: Envoy's local rate limit on istio-ingressgateway.

Why here and not in the app: the api-gateway's own limiter keys on ``request.ip`` without
``trustProxy``, so behind the Istio sidecar every client shares one key (stacks/ratelimit.py). The
ingress gateway is the first hop that sees the client's connection.

What is applied (Envoy API ``envoy.extensions.filters.http.local_ratelimit.v3.LocalRateLimit``,
envoyproxy/envoy api/envoy/extensions/filters/http/local_ratelimit/v3/local_rate_limit.proto):
``local_rate_limit_per_downstream_connection: true`` allocates one token bucket per client
connection, so one client cannot take another's share and no gateway-wide bucket caps the
platform's throughput; ``filter_enabled``/``filter_enforced`` at 100 % (their default is 0 %);
429 with ``x-local-rate-limit: true`` when a bucket is empty. Envoy 1.30 (Istio 1.22) matches
descriptors verbatim only, so a bucket per client *address* (a ``remote_address`` descriptor per
value) is not available there; per-connection buckets are the per-client unit both pinned Istio
lines support. Trade-offs in docs/platform.md "Rate limiting".

The EnvoyFilter (networking.istio.io/v1alpha3, istio/istio@1.22.8 manifests/charts/base/files/
crd-all.gen.yaml) selects the gateway pods by ``istio: ingressgateway`` and inserts the filter
before ``envoy.filters.http.router`` in the GATEWAY context; the typed config uses
``type.googleapis.com/udpa.type.v1.TypedStruct`` with the filter's type_url, the form of Istio's
"Enabling Rate Limits using Envoy" task (istio.io/latest/docs/tasks/policy-enforcement/rate-limit).
"""

from __future__ import annotations

from typing import Any

import pulumi

from stacks.args import EdgeRateLimitArgs

from ..base import TartwareComponent
from ..kit import custom_resource

NETWORKING = "networking.istio.io/v1alpha3"
ENVOY_FILTER_NAME = "ingressgateway-local-ratelimit"
FILTER = "envoy.filters.http.local_ratelimit"
FILTER_TYPE_URL = "type.googleapis.com/envoy.extensions.filters.http.local_ratelimit.v3.LocalRateLimit"
TYPED_STRUCT = "type.googleapis.com/udpa.type.v1.TypedStruct"
HCM = "envoy.filters.network.http_connection_manager"
ROUTER = "envoy.filters.http.router"


def envoy_filter_spec(tokens_per_second: int, burst: int, gateway_selector: dict[str, str]) -> dict[str, Any]:
    always = {"default_value": {"numerator": 100, "denominator": "HUNDRED"}}
    return {
        "workloadSelector": {"labels": dict(gateway_selector)},
        "configPatches": [{
            "applyTo": "HTTP_FILTER",
            "match": {"context": "GATEWAY",
                      "listener": {"filterChain": {"filter": {"name": HCM, "subFilter": {"name": ROUTER}}}}},
            "patch": {"operation": "INSERT_BEFORE", "value": {
                "name": FILTER,
                "typed_config": {
                    "@type": TYPED_STRUCT,
                    "type_url": FILTER_TYPE_URL,
                    "value": {
                        "stat_prefix": "http_local_rate_limiter",
                        "token_bucket": {"max_tokens": burst, "tokens_per_fill": tokens_per_second,
                                         "fill_interval": "1s"},
                        "filter_enabled": {**always, "runtime_key": "local_rate_limit_enabled"},
                        "filter_enforced": {**always, "runtime_key": "local_rate_limit_enforced"},
                        "local_rate_limit_per_downstream_connection": True,
                        "response_headers_to_add": [{"append_action": "OVERWRITE_IF_EXISTS_OR_ADD",
                                                     "header": {"key": "x-local-rate-limit", "value": "true"}}],
                    },
                },
            }},
        }],
    }


class EdgeRateLimit(TartwareComponent):
    AREA = "platform"

    def __init__(self, name: str, args: EdgeRateLimitArgs, opts: pulumi.ResourceOptions):
        super().__init__(name, opts)
        namespace, tokens_per_second, burst = args.namespace, args.tokens_per_second, args.burst
        gateway_selector, provider, depends_on = dict(args.gateway_selector), self.provider, list(args.depends_on)
        self.envoy_filter = custom_resource(self, f"{name}-envoyfilter", NETWORKING, "EnvoyFilter", ENVOY_FILTER_NAME,
                                            namespace, envoy_filter_spec(tokens_per_second, burst, gateway_selector),
                                            provider, depends_on)
        self.register_outputs({"envoyFilter": ENVOY_FILTER_NAME, "tokensPerSecond": tokens_per_second})
