"""Grafana dashboards as code: "Tartware Overview", "Service Metrics" and "Infrastructure".

Queries are the deployment guide's "Key Metrics to Monitor", scoped to tartware-system, on the
series that exist (``signals.py``: the mesh's request series, the app's own ``gateway_*``). Each
dashboard becomes a ConfigMap labelled ``grafana_dashboard: "1"``, which kube-prometheus-stack's
Grafana sidecar loads from every namespace (grafana.sidecar.dashboards.* at the pin).
"""

from __future__ import annotations

import json
from typing import Any, Sequence

from facts import catalog

from . import signals

NS = f'namespace="{catalog.NAMESPACE}"'
PROMETHEUS = {"type": "prometheus", "uid": "prometheus"}  # kps default datasource uid


def _panel(pid: int, title: str, exprs: Sequence[tuple[str, str]], unit: str, x: int, y: int,
           w: int = 12, kind: str = "timeseries") -> dict[str, Any]:
    return {
        "id": pid,
        "type": kind,
        "title": title,
        "datasource": PROMETHEUS,
        "gridPos": {"h": 8, "w": w, "x": x, "y": y},
        "fieldConfig": {"defaults": {"unit": unit}, "overrides": []},
        "targets": [{"refId": chr(65 + i), "expr": e, "legendFormat": legend, "datasource": PROMETHEUS}
                    for i, (e, legend) in enumerate(exprs)],
    }


def _dashboard(uid: str, title: str, panels: Sequence[tuple[str, Sequence[tuple[str, str]], str]],
               variables: Sequence[dict[str, Any]] = ()) -> dict[str, Any]:
    return {
        "uid": uid,
        "title": title,
        "tags": ["tartware"],
        "timezone": "browser",
        "schemaVersion": 39,
        "version": 1,
        "refresh": "30s",
        "time": {"from": "now-1h", "to": "now"},
        "templating": {"list": list(variables)},
        "panels": [_panel(i + 1, t, e, u, x=(i % 2) * 12, y=(i // 2) * 8) for i, (t, e, u) in enumerate(panels)],
    }


BY = signals.SERVICE_LABEL
SERVICE_VAR = {
    "name": "service", "type": "query", "datasource": PROMETHEUS, "refresh": 2, "includeAll": True, "multi": True,
    "query": {"query": f"label_values({signals.REQUESTS}{{{signals.DEST}}}, {BY})", "refId": "service"},
    "definition": f"label_values({signals.REQUESTS}{{{signals.DEST}}}, {BY})",
}
SEL = f'{signals.DEST},{BY}=~"$service"'
LEGEND = "{{" + BY + "}}"


def overview() -> dict[str, Any]:
    """The guide's six "Key Metrics to Monitor", each on a series that exists (signals.py)."""
    return _dashboard("tartware-overview", "Tartware Overview", [
        ("Request rate (req/s, API gateway)", [(signals.rate(signals.API), "total")], "reqps"),
        ("Latency P95 / P99 (API gateway)", [
            (signals.latency_seconds(0.95, signals.API), "p95"),
            (signals.latency_seconds(0.99, signals.API), "p99"),
        ], "s"),
        ("Error rate (5xx share, API gateway)", [(signals.error_ratio(signals.API), "errors")], "percentunit"),
        ("Pods", [(f"count(kube_pod_info{{{NS}}})", "pods")], "short"),
        ("CPU usage (cores)", [(f'sum(rate(container_cpu_usage_seconds_total{{{NS},container!=""}}[5m]))', "cpu")], "short"),
        ("Memory working set", [(f'sum(container_memory_working_set_bytes{{{NS},container!=""}})', "memory")], "bytes"),
    ])


def service_metrics() -> dict[str, Any]:
    return _dashboard("tartware-service-metrics", "Service Metrics", [
        ("Requests/s by service", [(signals.rate(SEL, by=BY), LEGEND)], "reqps"),
        ("P95 latency by service", [(signals.latency_seconds(0.95, SEL, by=BY), LEGEND)], "s"),
        ("P99 latency by service", [(signals.latency_seconds(0.99, SEL, by=BY), LEGEND)], "s"),
        ("Error rate by service", [(signals.error_ratio(SEL, by=BY), LEGEND)], "percentunit"),
        ("HPA replicas (current / max)", [
            (f"kube_horizontalpodautoscaler_status_current_replicas{{{NS}}}", "{{horizontalpodautoscaler}} current"),
            (f"kube_horizontalpodautoscaler_spec_max_replicas{{{NS}}}", "{{horizontalpodautoscaler}} max"),
        ], "short"),
        ("Requests/s per pod (HPA custom metric http_requests_per_second)",
         [(signals.rate(SEL, window="2m", by="pod"), "{{pod}}")], "reqps"),
        # the app's own series (Apps/api-gateway/src/lib/metrics.ts)
        ("Gateway upstream P95 by target (gateway_proxy_duration_seconds)",
         [(f"histogram_quantile(0.95, sum by (le, target) (rate(gateway_proxy_duration_seconds_bucket{{{NS}}}[5m])))",
           "{{target}}")], "s"),
        ("Commands accepted/s (gateway_commands_accepted_total)",
         [(f"sum by (command_name) (rate(gateway_commands_accepted_total{{{NS}}}[5m]))", "{{command_name}}")], "ops"),
    ], [SERVICE_VAR])


def infrastructure() -> dict[str, Any]:
    data_ns = 'namespace=~"database|cache|messaging|consul"'
    return _dashboard("tartware-infrastructure", "Infrastructure", [
        ("Node CPU utilisation", [('1 - avg by (instance) (rate(node_cpu_seconds_total{mode="idle"}[5m]))', "{{instance}}")],
         "percentunit"),
        ("Node memory utilisation", [("1 - node_memory_MemAvailable_bytes / node_memory_MemTotal_bytes", "{{instance}}")],
         "percentunit"),
        ("CPU by namespace (cores)", [('sum by (namespace) (rate(container_cpu_usage_seconds_total{container!=""}[5m]))',
                                       "{{namespace}}")], "short"),
        ("Memory by namespace", [('sum by (namespace) (container_memory_working_set_bytes{container!=""})', "{{namespace}}")],
         "bytes"),
        # server backends (CloudNativePG's default "backends" query) and the Pooler's clients
        ("PostgreSQL connections", [("sum(cnpg_backends_total)", "server backends"),
                                    ("sum(cnpg_pgbouncer_pools_cl_active)", "pooler clients active"),
                                    ("sum(cnpg_pgbouncer_pools_cl_waiting)", "pooler clients waiting")], "short"),
        ("Redis memory / clients", [("sum(redis_memory_used_bytes)", "used"), ("sum(redis_connected_clients)", "clients")],
         "short"),
        ("Kafka (Redpanda) request bytes/s", [("sum(rate(redpanda_kafka_request_bytes_total[5m]))", "bytes/s")], "Bps"),
        ("Data-tier pod restarts", [(f"sum by (namespace) (kube_pod_container_status_restarts_total{{{data_ns}}})",
                                     "{{namespace}}")], "short"),
        ("PVC usage", [("kubelet_volume_stats_used_bytes / kubelet_volume_stats_capacity_bytes", "{{namespace}}/{{persistentvolumeclaim}}")],
         "percentunit"),
    ])


def edge() -> dict[str, Any]:
    """The edge: the per-client limit's 429s, the app limiter's 403s, the limiter's errors, latency,
    fail-open and load (signals.py: series of envoyproxy/ratelimit and of the gateway's Envoy)."""
    s = signals
    return _dashboard("tartware-edge", "Edge", [
        ("Edge 429s/s (per-client limit, per-connection backstop)", [
            (s.per_second(s.RL_OVER, window="1m"), "per-client limit"),
            (s.per_second(s.EDGE_BACKSTOP_LIMITED, window="1m"), "backstop")], "reqps"),
        ("API gateway 403s/s (its own limiter answers 403)", [
            (s.per_second(s.REQUESTS, s.GATEWAY_403, window="1m"), "403")], "reqps"),
        ("Limiter errors/s and fail-open requests/s", [
            (f"sum by (err_type) (rate({s.RL_ERRORS}[1m]))", "service {{err_type}}"),
            (s.per_second(s.EDGE_CALL_ERRORS, window="1m"), "gateway call errors"),
            (s.per_second(s.EDGE_FAIL_OPEN, window="1m"), "passed unlimited (fail open)")], "reqps"),
        ("Limiter latency P50 / P99", [
            (s.edge_latency_seconds(0.5), "p50"), (s.edge_latency_seconds(0.99), "p99")], "s"),
        ("Limiter calls/s and share over the limit", [
            (s.per_second(s.RL_CALLS, window="1m"), "calls"),
            (s.edge_limited_ratio("1m"), "over-limit share")], "short"),
        ("Limiter pods and CPU (cores)", [
            ('count(kube_pod_info{namespace="ratelimit"})', "pods"),
            ('sum(rate(container_cpu_usage_seconds_total{namespace="ratelimit",container!=""}[5m]))', "cpu")],
         "short"),
    ])


DASHBOARDS = {"tartware-overview": overview, "tartware-service-metrics": service_metrics,
              "tartware-infrastructure": infrastructure, "tartware-edge": edge}


def dashboard_json(name: str) -> str:
    return json.dumps(DASHBOARDS[name](), indent=1, sort_keys=True)
