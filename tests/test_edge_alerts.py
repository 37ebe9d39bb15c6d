"""The edge's alerts (components/platform/observability_values.py edge_alerts) under ``promtool test rules``
(Debian's prometheus package): each fires on series named as the services write them and stays
quiet on a healthy edge.

Series names are the upstream ones, not ours: envoyproxy/ratelimit@aba2384d
src/stats/prom/default_mapper.yaml and prometheus_sink_test.go (ratelimit_service_rate_limit_
over_limit / total_hits, ratelimit_service_should_rate_limit_error{err_type}, ratelimit_service_
response_time_seconds); Envoy's rate limit filter stats cluster.<target>.<stat_prefix>.
{error,failure_mode_allowed} and local rate limit <stat_prefix>.http_local_rate_limit.rate_limited,
as Istio's Prometheus endpoint names them (envoy_ + dots to underscores); Istio's
istio_requests_total (istio.io/latest/docs/reference/config/metrics).
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest
import yaml

from components.platform.observability import prometheus_rules

ALERT_LABELS = {"severity": None, "team": "tartware"}
GW = 'reporter="destination",namespace="tartware-system",destination_workload="api-gateway"'
HITS = 'ratelimit_service_rate_limit_total_hits{domain="tartware-edge",key1="remote_address"}'
OVER = 'ratelimit_service_rate_limit_over_limit{domain="tartware-edge",key1="remote_address"}'
GATEWAY_CLUSTER = 'cluster_name="outbound|8080||api-gateway.tartware-system.svc.cluster.local"'


def series(name: str, per_minute: float, minutes: int = 30) -> dict:
    """A counter growing by ``per_minute`` every minute (promtool's 1m interval)."""
    return {"series": name, "values": f"0+{per_minute}x{minutes}"}


def latency(p99_bucket: str) -> list[dict]:
    """ratelimit_service_response_time_seconds with 1,000 calls/min, 99.5 % of them at most ``p99_bucket``."""
    buckets = {"0.005": 500, "0.01": 900, "0.025": 995, "0.05": 1000, "+Inf": 1000} if p99_bucket == "0.025" else \
        {"0.005": 100, "0.01": 200, "0.025": 500, "0.05": 995, "+Inf": 1000}
    return [series(f'ratelimit_service_response_time_seconds_bucket{{grpc_method="ShouldRateLimit",le="{le}"}}', n)
            for le, n in buckets.items()]


# (alert, input series of a bad edge, input series of a healthy one)
CASES = [
    ("TartwareEdgeRateLimited", [series(HITS, 60000), series(OVER, 3000)], [series(HITS, 60000), series(OVER, 60)]),
    ("TartwareEdgeBackstopRateLimited",
     [series("envoy_http_local_rate_limiter_http_local_rate_limit_rate_limited", 600)],
     [series("envoy_http_local_rate_limiter_http_local_rate_limit_rate_limited", 0)]),
    ("TartwareGatewayForbiddenShare",
     [series(f'istio_requests_total{{{GW},response_code="200"}}', 60000),
      series(f'istio_requests_total{{{GW},response_code="403"}}', 6000)],
     [series(f'istio_requests_total{{{GW},response_code="200"}}', 60000),
      series(f'istio_requests_total{{{GW},response_code="403"}}', 6)]),
    ("TartwareEdgeRateLimitErrors", [series('ratelimit_service_should_rate_limit_error{err_type="redis_error"}', 60)],
     [series('ratelimit_service_should_rate_limit_error{err_type="redis_error"}', 0),
      series(f"envoy_cluster_http_edge_rate_limiter_error{{{GATEWAY_CLUSTER}}}", 0)]),
    ("TartwareEdgeRateLimitFailOpen",
     [series(f"envoy_cluster_http_edge_rate_limiter_failure_mode_allowed{{{GATEWAY_CLUSTER}}}", 120)],
     [series(f"envoy_cluster_http_edge_rate_limiter_failure_mode_allowed{{{GATEWAY_CLUSTER}}}", 0)]),
    ("TartwareEdgeRateLimitSlow", latency("0.05"), latency("0.025")),
]


def test_edge_alerts_fire_on_a_bad_edge_and_not_on_a_healthy_one():
    promtool = shutil.which("promtool")
    if promtool is None:
        pytest.skip("promtool not installed (Debian's prometheus package; .ci/run installs it)")
    groups = prometheus_rules()
    edge = next(g for g in groups if g["name"] == "tartware.edge")
    rules = {r["alert"]: r for r in edge["rules"]}
    assert set(rules) == {name for name, _, _ in CASES}
    tests = []
    for name, bad, good in CASES:
        labels = {k: v if v else rules[name]["labels"][k] for k, v in ALERT_LABELS.items()}
        tests.append({"interval": "1m", "input_series": bad, "alert_rule_test": [
            {"eval_time": "25m", "alertname": name, "exp_alerts": [
                {"exp_labels": labels, "exp_annotations": rules[name]["annotations"]}]}]})
        tests.append({"interval": "1m", "input_series": good, "alert_rule_test": [
            {"eval_time": "25m", "alertname": name, "exp_alerts": []}]})
    with tempfile.TemporaryDirectory() as tmp:
        Path(tmp, "rules.yaml").write_text(yaml.safe_dump({"groups": groups}))
        Path(tmp, "tests.yaml").write_text(yaml.safe_dump({"rule_files": ["rules.yaml"], "tests": tests}))
        proc = subprocess.run([promtool, "test", "rules", "tests.yaml"], cwd=tmp, capture_output=True, text=True,
                              timeout=60)
    assert proc.returncode == 0, proc.stdout + proc.stderr
