"""components/platform/metrics_server.py alone."""

from components.platform.metrics_server import MetricsServerArgs

from components.platform.metrics_server import MetricsServer
from tests.components.helpers import build, on, provider, settings, wired

RELEASE = "kubernetes:helm.sh/v3:Release"
PROD = settings(environment="prod").platform
DEV = settings(environment="dev").platform


def test_metrics_server_replicas_by_environment():
    run, _ = build(lambda: MetricsServer("metrics", MetricsServerArgs(True, insecure_tls=False), on(provider())))
    wired(run, "tartware:platform:MetricsServer", "metrics")
    values = run.one(RELEASE, "metrics-release").plain["values"]
    assert values["replicas"] == 2
    assert values["podDisruptionBudget"] == {"enabled": True, "minAvailable": 1}
    run, _ = build(lambda: MetricsServer("metrics", MetricsServerArgs(False, insecure_tls=True), on(provider())))
    values = run.one(RELEASE, "metrics-release").plain["values"]
    assert values["replicas"] == 1 and values["args"] == ["--kubelet-insecure-tls"]
