"""Every metric named in PromQL we ship exists: in a platform exporter or in the app's source.

PromQL we ship: the Grafana dashboards, the PrometheusRule (recording rules and alerts), the
prometheus-adapter rules and the load-test coordinator's queries (loadtest/k6/coordinator-queries.json).
Known series: tests/platform_metrics.py (per exporter, with the source that documents each) and
facts/app_source.py (generated from red2n/tartware at APP_COMMIT: every prom-client metric the
app registers, with its file).
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from components.platform import dashboards, observability, observability_values, postgres_alerts
from facts.app_source import APP_COMMIT, APP_METRIC_TYPES, APP_METRICS
from tests.platform_metrics import EXPORTERS, PLATFORM_METRICS
from tests.helpers import sample_args

ROOT = Path(__file__).resolve().parent.parent

FUNCTIONS_AND_KEYWORDS = {
    "sum", "avg", "min", "max", "count", "rate", "irate", "increase", "histogram_quantile", "by", "without",
    "on", "ignoring", "group_left", "group_right", "bool", "and", "or", "unless", "offset", "label_values",
    "topk", "bottomk", "abs", "clamp_min", "clamp_max", "vector", "scalar", "time", "timestamp",
    "histogram_count", "histogram_sum", "histogram_fraction",
}


def metric_names(expr: str) -> set[str]:
    """Metric names in a PromQL expression (adapter templates and Grafana variables allowed)."""
    text = expr.replace("<<.Series>>", "").replace("<<.LabelMatchers>>", "").replace("<<.GroupBy>>", "")
    text = re.sub(r'"[^"]*"', '""', text)  # label values, Grafana variables
    text = re.sub(r"\{[^}]*\}", "", text)  # label matchers
    text = re.sub(r"\[[^\]]*\]", "", text)  # range selectors
    text = re.sub(r"\b(by|without|on|ignoring)\s*\([^)]*\)", "", text)  # grouping labels
    names = set()
    for m in re.finditer(r"[A-Za-z_:][A-Za-z0-9_:]*", text):
        word = m.group(0)
        after = text[m.end():].lstrip()
        if word in FUNCTIONS_AND_KEYWORDS or after.startswith("("):
            continue
        if re.fullmatch(r"\d+(\.\d+)?(e\d+)?", word) or word in ("e", "Inf", "NaN"):
            continue
        names.add(word)
    return names


def shipped_promql() -> dict[str, str]:
    exprs: dict[str, str] = {}
    for name in dashboards.DASHBOARDS:
        dash = json.loads(dashboards.dashboard_json(name))
        for panel in dash["panels"]:
            for t in panel["targets"]:
                exprs[f"dashboard {name}: {panel['title']} {t['refId']}"] = t["expr"]
        for var in dash["templating"]["list"]:
            exprs[f"dashboard {name}: variable {var['name']}"] = var["definition"]
    for group in observability.prometheus_rules():
        for rule in group["rules"]:
            exprs[f"rule {rule.get('alert') or rule.get('record')}"] = rule["expr"]
    pg_args = sample_args()  # the prod cluster's, archive included
    for group in postgres_alerts.alert_groups(pg_args.pg, pg_args.instances, pg_args.archive is not None):
        for rule in group["rules"]:
            exprs[f"rule {rule['alert']}"] = rule["expr"]
    for rule in observability_values.ADAPTER_RULES:
        exprs[f"adapter {rule['name']['as']} seriesQuery"] = rule["seriesQuery"]
        exprs[f"adapter {rule['name']['as']} metricsQuery"] = rule["metricsQuery"]
    spec = json.loads((ROOT / "loadtest" / "k6" / "coordinator-queries.json").read_text())
    for name, q in spec["queries"].items():
        exprs[f"load-test coordinator query {name}"] = re.sub(r"\$\{[^}]*\}", "", q["expr"])
    return exprs


def recorded() -> set[str]:
    return {r["record"] for g in observability.prometheus_rules() for r in g["rules"] if "record" in r}


def known(name: str) -> bool:
    if name in PLATFORM_METRICS or name in APP_METRICS or name in recorded():
        return True
    for suffix in ("_bucket", "_sum", "_count"):  # prom-client histograms expose these series
        base = name.removesuffix(suffix)
        if base != name and APP_METRIC_TYPES.get(base) == "histogram":
            return True
    return False


def test_the_parser_finds_metric_names():
    assert metric_names('sum by (le) (rate(a_b_bucket{x="y",z=~"5.."}[5m])) / 1000 > 0.5') == {"a_b_bucket"}
    assert metric_names("node_memory_MemAvailable_bytes / node_memory_MemTotal_bytes") == {
        "node_memory_MemAvailable_bytes", "node_memory_MemTotal_bytes"}
    assert metric_names("sum(up{job=~\"x\"}) > bool 0 or vector(1)") == {"up"}


def test_app_metrics_are_pinned_to_a_commit_with_their_source():
    assert re.fullmatch(r"[0-9a-f]{40}", APP_COMMIT)
    # read from Apps/api-gateway/src/lib/metrics.ts at that commit
    assert APP_METRICS["gateway_proxy_duration_seconds"] == "Apps/api-gateway/src/lib/metrics.ts"
    assert APP_METRIC_TYPES["gateway_proxy_duration_seconds"] == "histogram"
    # the series the guide's queries name are not emitted by any Tartware service
    assert "http_requests_total" not in APP_METRICS
    assert "http_request_duration_seconds" not in APP_METRICS
    assert all(src.startswith("Apps/") for src in APP_METRICS.values())


def test_every_exporter_names_its_source():
    for exporter, (source, names) in EXPORTERS.items():
        assert source and names, exporter


def test_shipped_promql_is_found():
    exprs = shipped_promql()
    assert any(k.startswith("adapter ") for k in exprs) and any(k.startswith("rule ") for k in exprs)
    assert any(k.startswith("load-test coordinator") for k in exprs)
    assert len(exprs) > 30


@pytest.mark.parametrize("where,expr", sorted(shipped_promql().items()))
def test_every_metric_in_shipped_promql_exists(where, expr):
    names = metric_names(expr)
    # Grafana's label_values(metric, label): the second argument is a label, not a metric
    grafana = re.fullmatch(r"label_values\((.*),\s*[A-Za-z_][A-Za-z0-9_]*\)", expr)
    if grafana:
        names = metric_names(grafana.group(1))
    unknown = {n for n in names if not known(n)}
    assert not unknown, f"{where}: {sorted(unknown)} in {expr}"


# The guide's "Key Metrics to Monitor", each with the series that carries it here (written by hand).
KEY_METRICS = {
    "Request Rate": "istio_requests_total",
    "Latency (P95)": "istio_request_duration_milliseconds_bucket",
    "Error Rate": 'response_code=~"5.."',
    "Pod Count": "kube_pod_info",
    "CPU Usage": "container_cpu_usage_seconds_total",
    "Memory Usage": "container_memory_working_set_bytes",
}


@pytest.mark.parametrize("key_metric,series", sorted(KEY_METRICS.items()))
def test_each_key_metric_has_a_panel_and_an_alert_on_the_same_series(key_metric, series):
    overview = json.loads(dashboards.dashboard_json("tartware-overview"))
    panels = [p["title"] for p in overview["panels"] if any(series in t["expr"] for t in p["targets"])]
    alerts = [r["alert"] for g in observability.prometheus_rules() for r in g["rules"]
              if "alert" in r and series in r["expr"]]
    assert panels, f"{key_metric}: no panel on {series}"
    assert alerts, f"{key_metric}: no alert on {series}"
    # the adapter's requests/s per pod is the same series the panel and the alert use
    if key_metric == "Request Rate":
        served = {r["name"]["as"]: r for r in observability_values.ADAPTER_RULES}
        assert served["http_requests_per_second"]["seriesQuery"].startswith(series + "{")
