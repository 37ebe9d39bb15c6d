"""The golden signals of every Tartware service, from series that exist.

No Tartware service emits ``http_requests_total`` or ``http_request_duration_seconds`` (the
app's metrics, listed with their source in ``stacks/app_source.py``, are ``gateway_*``,
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

from stacks import catalog

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

# prometheus-adapter rules (chart prometheus-adapter 5.3.0 values.yaml ``rules.custom``: items of
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
