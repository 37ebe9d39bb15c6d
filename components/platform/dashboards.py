"""Grafana dashboards as code: "Tartware Overview", "Service Metrics" and "Infrastructure".

Queries are the deployment guide's "Key Metrics to Monitor", scoped to tartware-system. Each
dashboard becomes a ConfigMap labelled ``grafana_dashboard: "1"``, which kube-prometheus-stack's
Grafana sidecar loads from every namespace (grafana.sidecar.dashboards.* at 81.5.0).
"""

from __future__ import annotations

import json
from typing import Any, Sequence

from stacks import catalog

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


SERVICE_VAR = {
    "name": "service", "type": "query", "datasource": PROMETHEUS, "refresh": 2, "includeAll": True, "multi": True,
    "query": {"query": f'label_values(http_requests_total{{{NS}}}, service)', "refId": "service"},
    "definition": f'label_values(http_requests_total{{{NS}}}, service)',
}
SEL = f'{NS},service=~"$service"'


def overview() -> dict[str, Any]:
    return _dashboard("tartware-overview", "Tartware Overview", [
        ("Request rate (req/s)", [(f"sum(rate(http_requests_total{{{NS}}}[1m]))", "total")], "reqps"),
        ("Latency P95 / P99", [
            (f"histogram_quantile(0.95, sum by (le) (rate(http_request_duration_seconds_bucket{{{NS}}}[5m])))", "p95"),
            (f"histogram_quantile(0.99, sum by (le) (rate(http_request_duration_seconds_bucket{{{NS}}}[5m])))", "p99"),
        ], "s"),
        ("Error rate (5xx share)", [(f'sum(rate(http_requests_total{{{NS},status=~"5.."}}[5m])) / sum(rate(http_requests_total{{{NS}}}[5m]))',
                                     "errors")], "percentunit"),
        ("Pods", [(f"count(kube_pod_info{{{NS}}})", "pods")], "short"),
        ("CPU usage (cores)", [(f'sum(rate(container_cpu_usage_seconds_total{{{NS},container!=""}}[5m]))', "cpu")], "short"),
        ("Memory working set", [(f'sum(container_memory_working_set_bytes{{{NS},container!=""}})', "memory")], "bytes"),
    ])


def service_metrics() -> dict[str, Any]:
    return _dashboard("tartware-service-metrics", "Service Metrics", [
        ("Requests/s by service", [(f"sum by (service) (rate(http_requests_total{{{SEL}}}[1m]))", "{{service}}")], "reqps"),
        ("P95 latency by service", [(f"histogram_quantile(0.95, sum by (le, service) (rate(http_request_duration_seconds_bucket{{{SEL}}}[5m])))",
                                     "{{service}}")], "s"),
        ("P99 latency by service", [(f"histogram_quantile(0.99, sum by (le, service) (rate(http_request_duration_seconds_bucket{{{SEL}}}[5m])))",
                                     "{{service}}")], "s"),
        ("Error rate by service", [(f'sum by (service) (rate(http_requests_total{{{SEL},status=~"5.."}}[5m])) / '
                                    f"sum by (service) (rate(http_requests_total{{{SEL}}}[5m]))", "{{service}}")], "percentunit"),
        ("HPA replicas (current / max)", [
            (f"kube_horizontalpodautoscaler_status_current_replicas{{{NS}}}", "{{horizontalpodautoscaler}} current"),
            (f"kube_horizontalpodautoscaler_spec_max_replicas{{{NS}}}", "{{horizontalpodautoscaler}} max"),
        ], "short"),
        ("Requests/s per pod (HPA custom metric)", [(f"sum by (pod) (rate(http_requests_total{{{SEL}}}[2m]))", "{{pod}}")], "reqps"),
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
        ("PostgreSQL connections", [("sum(pg_stat_activity_count)", "connections")], "short"),
        ("Redis memory / clients", [("sum(redis_memory_used_bytes)", "used"), ("sum(redis_connected_clients)", "clients")],
         "short"),
        ("Kafka (Redpanda) request bytes/s", [("sum(rate(redpanda_kafka_request_bytes_total[5m]))", "bytes/s")], "Bps"),
        ("Data-tier pod restarts", [(f"sum by (namespace) (kube_pod_container_status_restarts_total{{{data_ns}}})",
                                     "{{namespace}}")], "short"),
        ("PVC usage", [("kubelet_volume_stats_used_bytes / kubelet_volume_stats_capacity_bytes", "{{namespace}}/{{persistentvolumeclaim}}")],
         "percentunit"),
    ])


DASHBOARDS = {"tartware-overview": overview, "tartware-service-metrics": service_metrics,
              "tartware-infrastructure": infrastructure}


def dashboard_json(name: str) -> str:
    return json.dumps(DASHBOARDS[name](), indent=1, sort_keys=True)
