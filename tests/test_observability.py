"""Observability under the mock engine: releases, HA, monitors vs the chart's labels, rules vs the guide."""

from __future__ import annotations

import dataclasses
import json
import re

import pytest

from facts import versions
from settings import observability_workloads as table
from tests.helpers import NS, SECRET, case_ids, platform_run, releases
from tests.helpers import assert_refused
from tools.offline import contains_secret
from tools.render import render_chart

SERVICE_MONITOR = "kubernetes:monitoring.coreos.com/v1:ServiceMonitor"
PROMETHEUS_RULE = "kubernetes:monitoring.coreos.com/v1:PrometheusRule"

OFFICIAL = {  # release: (repository, chart), written out by hand
    "kube-prometheus-stack": ("https://prometheus-community.github.io/helm-charts", "kube-prometheus-stack"),
    "prometheus-adapter": ("https://prometheus-community.github.io/helm-charts", "prometheus-adapter"),
    "jaeger": ("https://jaegertracing.github.io/helm-charts", "jaeger"),
    "loki": ("https://grafana.github.io/helm-charts", "loki"),
    "alloy": ("https://grafana.github.io/helm-charts", "alloy"),
}
PINS = {"kube-prometheus-stack": versions.KUBE_PROMETHEUS_STACK, "prometheus-adapter": versions.PROMETHEUS_ADAPTER,
        "jaeger": versions.JAEGER, "loki": versions.LOKI, "alloy": versions.ALLOY}

# The guide's numbers ("Key Metrics to Monitor", "Expected Performance") and the platform's
# HighRequestRate (red2n/tartware@a2583469 platform/observability/prometheus-config.yaml), written by hand.
GUIDE_P95_SECONDS = 0.5  # P95 < 500ms
GUIDE_P99_SECONDS = 1.0  # P99 < 1000ms
GUIDE_ERROR_RATE = 0.05  # < 5%
GUIDE_CPU_UTILISATION = 0.70  # 60-70 %
GUIDE_MEMORY_UTILISATION = 0.80  # 70-80 %
GUIDE_MAX_PODS = 400  # "~400 pods"
PLATFORM_HIGH_REQUEST_RATE = 25000  # HighRequestRate > 25000/s


@pytest.fixture(params=["dev", "prod"])
def run(request):
    return platform_run(request.param)


def test_releases_chart_repository_version_namespace(run):
    rels = releases(run)
    for name, (repo, chart) in OFFICIAL.items():
        rel = rels[name].plain
        assert rel["namespace"] == "observability", name
        assert rel["repositoryOpts"]["repo"] == repo == PINS[name].repo, name
        assert rel["chart"] == chart == PINS[name].chart, name
        assert rel["version"] == PINS[name].version, name


def test_ha_in_prod_light_in_dev():
    prod = releases(platform_run("prod"))["kube-prometheus-stack"].plain["values"]
    dev = releases(platform_run("dev"))["kube-prometheus-stack"].plain["values"]
    assert prod["prometheus"]["prometheusSpec"]["replicas"] >= 2
    assert prod["alertmanager"]["alertmanagerSpec"]["replicas"] >= 3
    assert dev["prometheus"]["prometheusSpec"]["replicas"] == 1
    assert dev["alertmanager"]["alertmanagerSpec"]["replicas"] == 1
    assert releases(platform_run("prod"))["prometheus-adapter"].plain["values"]["replicas"] >= 2
    assert releases(platform_run("prod"))["kube-prometheus-stack"].protect
    assert not releases(platform_run("dev"))["kube-prometheus-stack"].protect


def test_grafana_admin_password_is_generated_and_never_in_values(run):
    kps = releases(run)["kube-prometheus-stack"]
    admin = kps.plain["values"]["grafana"]["admin"]
    secret = next(s for s in run.of_type(SECRET) if s.plain["metadata"]["name"] == admin["existingSecret"])
    assert secret.plain["metadata"]["namespace"] == "observability"
    assert contains_secret(secret.inputs["stringData"])
    password = secret.plain["stringData"][admin["passwordKey"]]
    assert "adminPassword" not in kps.plain["values"]["grafana"]
    assert password not in repr(kps.plain["values"]) and not contains_secret(kps.inputs["values"])
    assert secret.urn in kps.dependencies
    assert any(p.name.endswith("observability-grafana-admin")
               for p in run.of_type("random:index/randomPassword:RandomPassword"))


def test_tartware_service_monitor_selects_what_the_chart_renders(run):
    monitor = next(m for m in run.of_type(SERVICE_MONITOR) if m.plain["metadata"]["name"] == "tartware-services").plain
    values = releases(run)["tartware"].plain["values"]
    services = [d for d in render_chart(values) if d["kind"] == "Service"]
    assert services
    selector = monitor["spec"]["selector"]["matchLabels"]
    assert monitor["spec"]["namespaceSelector"]["matchNames"] == ["tartware-system"]
    endpoint = monitor["spec"]["endpoints"][0]
    meshed = values.get("mesh", {}).get("enabled", False)
    # in the mesh, STRICT mTLS: scrape Istio's merged metrics (agent port 15020), else the app port
    assert (endpoint["port"], endpoint["path"]) == (
        ("http-monitoring", "/stats/prometheus") if meshed else ("http", "/metrics"))
    for svc in services:
        labels = svc["metadata"]["labels"]
        assert all(labels.get(k) == v for k, v in selector.items()), svc["metadata"]["name"]
        assert endpoint["port"] in [p["name"] for p in svc["spec"]["ports"]]
    # picked up by Prometheus: release label AND the selectors select everything
    assert monitor["metadata"]["labels"]["release"] == "kube-prometheus-stack"
    spec = releases(run)["kube-prometheus-stack"].plain["values"]["prometheus"]["prometheusSpec"]
    assert spec["serviceMonitorSelectorNilUsesHelmValues"] is False
    assert spec["ruleSelectorNilUsesHelmValues"] is False


def test_custom_resources_wait_for_the_crds(run):
    kps = releases(run)["kube-prometheus-stack"]
    for cr in run.of_type(SERVICE_MONITOR) + run.of_type(PROMETHEUS_RULE):
        assert kps.urn in cr.dependencies, cr.name
        assert cr.type.startswith("kubernetes:monitoring.coreos.com/v1:")
    # data tier and app do not wait for observability (parallelism)
    for name in ("cnpg", "redis", "redpanda", "consul", "jaeger", "alloy", "prometheus-adapter"):
        assert kps.urn not in releases(run)[name].dependencies, name
    (cluster,) = run.of_type("kubernetes:postgresql.cnpg.io/v1:Cluster")
    assert kps.urn not in cluster.dependencies


def _rule(run, alert):
    rule = run.one(PROMETHEUS_RULE, "platform-observability-tartware-rules").plain
    assert rule["metadata"]["labels"]["release"] == "kube-prometheus-stack"
    for group in rule["spec"]["groups"]:
        for r in group["rules"]:
            if r.get("alert") == alert:
                return r
    raise AssertionError(alert)


def _threshold(expr: str) -> float:
    m = re.search(r"(>=?|<)\s*([0-9.]+)\s*$", expr)
    assert m is not None, expr
    return float(m.group(2))


@pytest.mark.parametrize("alert,expected,metric", [
    ("TartwareHighRequestRate", PLATFORM_HIGH_REQUEST_RATE, "istio_requests_total"),
    ("TartwareHighLatencyP95", GUIDE_P95_SECONDS, "histogram_quantile(0.95"),
    ("TartwareHighLatencyP99", GUIDE_P99_SECONDS, "histogram_quantile(0.99"),
    ("TartwareHighErrorRate", GUIDE_ERROR_RATE, 'response_code=~"5.."'),
    ("TartwarePodCountAtCapacity", GUIDE_MAX_PODS, "kube_pod_info"),
    ("TartwareHighCPUUtilisation", GUIDE_CPU_UTILISATION, "container_cpu_usage_seconds_total"),
    ("TartwareHighMemoryUtilisation", GUIDE_MEMORY_UTILISATION, "container_memory_working_set_bytes"),
])
def test_prometheus_rule_thresholds_are_the_guides(run, alert, expected, metric):
    rule = _rule(run, alert)
    assert _threshold(rule["expr"]) == expected
    assert metric in rule["expr"] and 'namespace="tartware-system"' in rule["expr"]


def test_dashboards_provisioned_as_configmaps(run):
    maps = [c.plain for c in run.of_type("kubernetes:core/v1:ConfigMap")
            if c.plain["metadata"].get("labels", {}).get("grafana_dashboard") == "1"]
    titles = {json.loads(next(iter(c["data"].values())))["title"] for c in maps}
    assert titles == {"Tartware Overview", "Service Metrics", "Infrastructure", "Edge"}
    sidecar = releases(run)["kube-prometheus-stack"].plain["values"]["grafana"]["sidecar"]["dashboards"]
    assert (sidecar["label"], sidecar["labelValue"]) == ("grafana_dashboard", "1")
    overview = next(json.loads(next(iter(c["data"].values()))) for c in maps if "overview" in c["metadata"]["name"])
    exprs = " ".join(t["expr"] for p in overview["panels"] for t in p["targets"])
    for metric in ("istio_requests_total", "istio_request_duration_milliseconds_bucket", "kube_pod_info",
                   "container_cpu_usage_seconds_total", "container_memory_working_set_bytes"):
        assert metric in exprs
    # the mesh's series as the destination sidecar reports them (istio.io standard metrics)
    assert 'reporter="destination"' in exprs


def test_grafana_data_sources_for_metrics_logs_traces(run):
    grafana = releases(run)["kube-prometheus-stack"].plain["values"]["grafana"]
    assert grafana["sidecar"]["datasources"]["enabled"] is True  # Prometheus (kps default datasource)
    urls = {d["type"]: d["url"] for d in grafana["additionalDataSources"]}
    assert urls["loki"] == "http://loki.observability.svc.cluster.local:3100"
    assert urls["jaeger"] == "http://jaeger.observability.svc.cluster.local:16686"


def test_loki_singlebinary_gives_svc_loki_and_alloy_ships_to_it(run):
    rels = releases(run)
    assert rels["loki"].plain["values"]["deploymentMode"] == "SingleBinary"  # svc/loki:3100 (guide's port-forward)
    alloy = rels["alloy"].plain["values"]
    assert "http://loki.observability.svc.cluster.local:3100/loki/api/v1/push" in alloy["alloy"]["configMap"]["content"]
    assert "promtail" not in rels


def test_otlp_endpoint_is_jaeger_v2_service(run):
    """OTLP/HTTP on Jaeger v2's one Service; the traces URL with its path, because the app's exporter
    posts to the URL it is given (https://opentelemetry.io/docs/specs/otel/protocol/exporter/: a
    signal-specific endpoint is used as-is; the OTLP/HTTP traces path is /v1/traces)."""
    app = releases(run)["tartware"].plain["values"]["global"]["dataTier"]["otlp"]["tracesEndpoint"]
    assert app == "http://jaeger.observability.svc.cluster.local:4318/v1/traces"


def test_adapter_serves_every_metric_the_hpas_scale_on():
    run = platform_run("prod", {f"{NS}:hpaRequestsPerSecondTarget": 300,
                                f"{NS}:services": {"api-gateway": {"customMetrics": [
                                    {"name": "http_requests_per_second", "averageValue": "300"},
                                    {"name": "http_request_duration_p95", "averageValue": "450m"}]}}})
    adapter = releases(run)["prometheus-adapter"].plain["values"]
    served = {r["name"]["as"]: r for r in adapter["rules"]["custom"]}
    # the HPA's custom metric comes from a series that exists: requests each pod's sidecar received
    assert served["http_requests_per_second"]["seriesQuery"].startswith('istio_requests_total{reporter="destination"')
    assert served["http_requests_per_second"]["resources"]["overrides"]["pod"] == {"resource": "pod"}
    assert "istio_request_duration_milliseconds_bucket" in served["http_request_duration_p95"]["seriesQuery"]
    assert served["http_request_duration_p95"]["metricsQuery"].endswith("/ 1000")  # ms -> s ("450m" = 450 ms)
    assert adapter["prometheus"]["url"] == "http://kube-prometheus-stack-prometheus.observability.svc.cluster.local"
    hpas = [d for d in render_chart(releases(run)["tartware"].plain["values"])
            if d["kind"] == "HorizontalPodAutoscaler"]
    wanted = {m["pods"]["metric"]["name"] for h in hpas for m in h["spec"]["metrics"] if m["type"] == "Pods"}
    assert wanted and wanted <= set(served)


BAD = [
    ({"prometheusReplicas": 0}, f"{NS}:prometheusReplicas", ["greater than or equal to 1"]),
    ({"alertmanagerReplicas": 9}, f"{NS}:alertmanagerReplicas", ["less than or equal to 5"]),
    ({"prometheusRetention": "15 days"}, f"{NS}:prometheusRetention", ["'15 days'", "duration"]),
    ({"prometheusRetention": "900d"}, f"{NS}:prometheusRetention", ["1h to 365d"]),
    ({"prometheusStorageSize": "50gb"}, f"{NS}:prometheusStorageSize", ["'50gb'"]),
    ({"lokiStorageSize": "512Mi"}, f"{NS}:lokiStorageSize", ["1Gi to 16Ti"]),
    ({"observabilityComponents": {"tempo": True}}, f"{NS}:observabilityComponents.tempo",
     ["unknown setting", "loki, jaeger, prometheusAdapter"]),
]


@pytest.mark.parametrize("overrides,key,fragments", BAD, ids=case_ids(BAD))
def test_bad_observability_input(overrides, key, fragments):
    assert_refused(overrides, key, fragments)


def test_components_can_be_switched_off():
    run = platform_run("dev", {f"{NS}:observabilityComponents": {"loki": False, "prometheusAdapter": False}})
    rels = releases(run)
    assert "loki" not in rels and "alloy" not in rels and "prometheus-adapter" not in rels
    assert "kube-prometheus-stack" in rels and "jaeger" in rels


def test_fixed_overhead():
    from program.load import build_settings

    dev = build_settings({"environment": "dev"}).observability
    prod = build_settings({"environment": "prod"}).observability
    assert prod.fixed_overhead()[0] > dev.fixed_overhead()[0] > 0
    assert prod.per_node_overhead()[0] > 0


def test_the_workload_table_is_the_one_place_for_resources_and_replicas():
    """Planted: values that set a path the table sets, and two containers of the table that share a
    values path with different sizes, are refused, naming the path."""
    from program.load import build_settings

    s = build_settings({"environment": "prod"}).observability
    with pytest.raises(ValueError, match="values set replicas"):
        table.with_workloads({"replicas": 3}, table.PROMETHEUS_ADAPTER, s)
    with pytest.raises(ValueError, match=r"values set grafana\.sidecar\.resources"):
        table.with_workloads({"grafana": {"sidecar": {"resources": {}}}}, table.KUBE_PROMETHEUS_STACK, s)
    (alloy,) = table.ALLOY.workloads
    reloader = dataclasses.replace(alloy.containers[1], values=("alloy", "resources"))
    clash = dataclasses.replace(alloy, containers=(alloy.containers[0], reloader))
    with pytest.raises(ValueError, match=r"container config-reloader: alloy\.resources is set to"):
        table.release_values(dataclasses.replace(table.ALLOY, workloads=(clash,)), s)
