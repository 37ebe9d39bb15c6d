"""The golden signals of every Tartware service, from series that exist.

No Tartware service emits ``http_requests_total`` or ``http_request_duration_seconds`` (the
app's metrics, listed with their source in ``facts/app_source.py``, are ``gateway_*``,
``availability_guard_*``, ... plus prom-client's defaults). The mesh does: the Istio sidecar of
every meshed pod reports each request it receives as ``istio_requests_total`` and
``istio_request_duration_milliseconds`` (a histogram in milliseconds) with
``reporter="destination"`` (istio.io/latest/docs/reference/config/metrics: "Request Count",
"Request Duration"; labels ``reporter``, ``destination_workload``, ``response_code``). Prometheus
scrapes them from each pod's merged metrics port (ServiceMonitor ``tartware-services``), so each
series carries the ``namespace`` and ``pod`` of the pod that served the request: the labels
prometheus-adapter maps onto the Pods an HPA scales.

Dashboards, alerts, recording rules and the adapter rule all use the selectors below, so they
cannot disagree. The app's own ``gateway_proxy_duration_seconds`` (Apps/api-gateway/src/lib/
metrics.ts) adds the gateway's upstream latency per target service.
"""

from __future__ import annotations

from facts import catalog

NS = f'namespace="{catalog.NAMESPACE}"'
DEST = f'reporter="destination",{NS}'
REQUESTS = "istio_requests_total"
DURATION_BUCKET = "istio_request_duration_milliseconds_bucket"  # milliseconds
SERVICE_LABEL = "destination_workload"  # the Deployment = the service name in our chart
GATEWAY = f'{SERVICE_LABEL}="{catalog.GATEWAY}"'
ERRORS = 'response_code=~"5.."'


def rate(selector: str = DEST, window: str = "1m", by: str = "") -> str:
    grouping = f" by ({by})" if by else ""
    return f"sum{grouping} (rate({REQUESTS}{{{selector}}}[{window}]))"


def latency_seconds(quantile: float, selector: str = DEST, by: str = "", window: str = "5m") -> str:
    """Quantile of the request duration in seconds (the histogram is in milliseconds)."""
    grouping = f"le, {by}" if by else "le"
    return (f"(histogram_quantile({quantile}, sum by ({grouping}) "
            f"(rate({DURATION_BUCKET}{{{selector}}}[{window}]))) / 1000)")


def error_ratio(selector: str = DEST, by: str = "", window: str = "5m") -> str:
    grouping = f" by ({by})" if by else ""
    return (f"(sum{grouping} (rate({REQUESTS}{{{selector},{ERRORS}}}[{window}])) / "
            f"sum{grouping} (rate({REQUESTS}{{{selector}}}[{window}])))")


# The platform's throughput is what clients send to the API gateway (one client request fans out
# to core, rooms, ... which the mesh counts again at their own sidecars).
API = f"{DEST},{GATEWAY}"

# prometheus-adapter rules (the pinned prometheus-adapter chart's values.yaml ``rules.custom``: items of
# seriesQuery, resources.overrides, name.matches/as, metricsQuery with <<.Series>>,
# <<.LabelMatchers>> and <<.GroupBy>>; kubernetes-sigs/prometheus-adapter docs/config.md).
POD_RESOURCES = {"overrides": {"namespace": {"resource": "namespace"}, "pod": {"resource": "pod"}}}


def adapter_rules(rps_name: str, p95_name: str) -> list[dict]:
    return [
        {
            "seriesQuery": f'{REQUESTS}{{reporter="destination",namespace!="",pod!=""}}',
            "resources": POD_RESOURCES,
            "name": {"matches": f"^{REQUESTS}$", "as": rps_name},
            # requests per second served by each pod (its sidecar is the destination reporter)
            "metricsQuery": 'sum(rate(<<.Series>>{<<.LabelMatchers>>,reporter="destination"}[2m])) by (<<.GroupBy>>)',
        },
        {
            "seriesQuery": f'{DURATION_BUCKET}{{reporter="destination",namespace!="",pod!=""}}',
            "resources": POD_RESOURCES,
            "name": {"matches": f"^{DURATION_BUCKET}$", "as": p95_name},
            # seconds (the histogram is in ms): an HPA target of "450m" means 450 ms
            "metricsQuery": ('histogram_quantile(0.95, sum(rate(<<.Series>>{<<.LabelMatchers>>,reporter="destination"}[5m]))'
                             " by (le, <<.GroupBy>>)) / 1000"),
        },
    ]


# --- The edge (components/platform/edge_rate_limit.py): series that exist ------------------------------
# envoyproxy/ratelimit@aba2384d with USE_PROMETHEUS (src/stats/prom/default_mapper.yaml; names
# checked in src/stats/prom/prometheus_sink_test.go): decisions per descriptor
# ratelimit_service_rate_limit_{total_hits,over_limit,within_limit}{domain,key1}, errors
# ratelimit_service_should_rate_limit_error{err_type} (redis_error, ...: src/stats/manager_impl.go),
# gRPC calls ratelimit_service_total_requests{grpc_method} and their latency
# ratelimit_service_response_time_seconds (a histogram). Scraped by the ServiceMonitor `ratelimit`.
RL_HITS = "ratelimit_service_rate_limit_total_hits"
RL_OVER = "ratelimit_service_rate_limit_over_limit"
RL_ERRORS = "ratelimit_service_should_rate_limit_error"
RL_LATENCY_BUCKET = "ratelimit_service_response_time_seconds_bucket"
RL_CALLS = "ratelimit_service_total_requests"
# The gateway's Envoy (PodMonitor istio-ingressgateway; exposed by mesh.py GATEWAY_STATS_INCLUSION):
# the global filter's stats under its stat_prefix, per route target cluster, and the per-connection
# backstop's.
EDGE_FAIL_OPEN = "envoy_cluster_http_edge_rate_limiter_failure_mode_allowed"
EDGE_CALL_ERRORS = "envoy_cluster_http_edge_rate_limiter_error"
EDGE_BACKSTOP_LIMITED = "envoy_http_local_rate_limiter_http_local_rate_limit_rate_limited"
# The app's own limiter answers 403, not 429: @fastify/rate-limit bans a key once it is over its
# limit by more than `ban` (@fastify/rate-limit@10.3.0 index.js: statusCode 403 when
# current - max > ban), and the gateway registers it with ban: 0 (Apps/api-gateway/src/server.ts).
# Other 403s (TENANT_ACCESS_DENIED, ...) count here too: the share is a signal to read with the logs.
GATEWAY_403 = f'{API},response_code="403"'


def per_second(metric: str, selector: str = "", window: str = "5m") -> str:
    return f"sum(rate({metric}{{{selector}}}[{window}]))"


def edge_limited_ratio(window: str = "5m") -> str:
    """Share of the limiter's decisions that were over the limit (each one a 429 at the gateway)."""
    return f"({per_second(RL_OVER, window=window)} / {per_second(RL_HITS, window=window)})"


def edge_latency_seconds(quantile: float, window: str = "5m") -> str:
    return f"histogram_quantile({quantile}, sum by (le) (rate({RL_LATENCY_BUCKET}[{window}])))"
