"""The rules the edge rate limit's objects must satisfy, written out from upstream source.

Envoy at the version Istio 1.22 ships (1.30; API as mirrored in envoyproxy/data-plane-api@673a2745,
2024-04-15) and the envoyproxy/ratelimit service at the pinned commit (envoyproxy/ratelimit@aba2384d).
"""

from __future__ import annotations

import yaml

from tools.diff import kubernetes_objects

GUIDE_RPS = 20000  # "20,000 operations per second"

# Field names of the messages the EnvoyFilter writes:
# api/envoy/extensions/filters/http/ratelimit/v3/rate_limit.proto message RateLimit
GLOBAL_FIELDS = {"domain", "stage", "request_type", "timeout", "failure_mode_deny",
                 "rate_limited_as_resource_exhausted",
                 "rate_limit_service", "enable_x_ratelimit_headers", "disable_x_envoy_ratelimited_header",
                 "rate_limited_status", "response_headers_to_add", "status_on_error", "stat_prefix"}
# api/envoy/config/ratelimit/v3/rls.proto message RateLimitServiceConfig
RLS_FIELDS = {"grpc_service", "transport_api_version"}
# api/envoy/config/core/v3/grpc_service.proto message GrpcService.EnvoyGrpc
ENVOY_GRPC_FIELDS = {"cluster_name", "authority", "retry_policy", "max_receive_message_length"}
# api/envoy/config/route/v3/route_components.proto message RateLimit.Action (its oneof) and MaskedRemoteAddress
ACTIONS = {"source_cluster", "destination_cluster", "request_headers", "remote_address", "generic_key",
           "header_value_match", "metadata", "extension", "masked_remote_address", "query_parameter_value_match"}
MASKED_FIELDS = {"v4_prefix_mask_len", "v6_prefix_mask_len"}
# api/envoy/extensions/filters/http/local_ratelimit/v3/local_rate_limit.proto message LocalRateLimit
LOCAL_FIELDS = {"stat_prefix", "status", "token_bucket", "filter_enabled", "filter_enforced",
                "request_headers_to_add_when_not_enforced", "response_headers_to_add", "descriptors", "stage",
                "local_rate_limit_per_downstream_connection", "enable_x_ratelimit_headers", "vh_rate_limits",
                "always_consume_default_token_bucket", "rate_limited_as_resource_exhausted"}

# envoyproxy/ratelimit@aba2384d src/config/config_impl.go: validKeys, and the units of
# RateLimitResponse.RateLimit.Unit it accepts (upper-cased, UNKNOWN refused)
RLS_KEYS = {"domain", "key", "value", "descriptors", "rate_limit", "unit", "requests_per_unit", "unlimited",
            "shadow_mode", "quota_mode", "name", "replaces", "detailed_metric", "value_to_metric", "share_threshold",
            "metadata"}
RLS_UNITS = {"second", "minute", "hour", "day"}
PER_CLIENT_RPS = GUIDE_RPS // 20  # the default: no address takes more than 5 % of the guide's 20,000 req/s


def check_rls_config(doc: dict) -> None:
    """What config_impl.go refuses when it loads a file (validateYamlKeys, loadDescriptors)."""
    def walk(value):
        if isinstance(value, dict):
            for k, v in value.items():
                assert k in RLS_KEYS, f"unknown key {k!r}"
                walk(v)
        elif isinstance(value, list):
            for v in value:
                assert isinstance(v, dict), "list of type other than map"
                walk(v)
    walk(doc)
    assert doc["domain"]

    def descriptors(items):
        seen = set()
        for d in items:
            assert d["key"], "descriptor has empty key"
            composite = d["key"] + ("_" + d["value"] if d.get("value") else "")
            assert composite not in seen, f"duplicate descriptor composite key {composite}"
            seen.add(composite)
            limit = d.get("rate_limit")
            if limit is not None:
                if limit.get("unlimited"):
                    assert "unit" not in limit, "should not specify rate limit unit when unlimited"
                else:
                    assert limit["unit"] in RLS_UNITS and limit["requests_per_unit"] > 0
            descriptors(d.get("descriptors") or [])
    descriptors(doc["descriptors"])


def rls_limit(doc: dict, entries: list[tuple[str, str]]):
    """config_impl.go GetLimit: per entry, the key_value node if configured, else the key alone; a
    limit counts only on the last entry. Returns (limit, cache key of cache_key.go) or None."""
    level, limit = doc["descriptors"], None
    for i, (k, v) in enumerate(entries):
        node = next((d for d in level if d["key"] == k and d.get("value") == v), None) or \
            next((d for d in level if d["key"] == k and not d.get("value")), None)
        if node is None:
            return None
        if i == len(entries) - 1:
            limit = node.get("rate_limit")
        level = node.get("descriptors") or []
    if limit is None:
        return None
    return limit, doc["domain"] + "_" + "".join(f"{k}_{v}_" for k, v in entries)


def objects(run) -> dict:
    return {f"{d['kind']}/{d['metadata'].get('namespace', '')}/{d['metadata']['name']}": d
            for d in kubernetes_objects(run.resources)}


def edge_filter(docs) -> dict:
    return docs["EnvoyFilter/istio-system/ingressgateway-ratelimit"]["spec"]


def rls_config(docs) -> dict:
    return yaml.safe_load(docs["ConfigMap/ratelimit/ratelimit-config"]["data"]["config.yaml"])


