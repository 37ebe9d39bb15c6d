"""components/platform/observability.py alone."""

import dataclasses

from components.platform.observability_values import ObservabilityArgs

from components.platform.observability import Observability
from tests.components.helpers import build, on, provider, settings, wired

RELEASE = "kubernetes:helm.sh/v3:Release"


def _obs(**changes):
    s = settings(environment="prod")
    args = dataclasses.replace(ObservabilityArgs(s.observability, True, "example.com"), **changes)
    return build(lambda: Observability("obs", args, on(provider())))


def test_stack_releases_under_the_component_protected_namespaces():
    run, obs = _obs()
    comp = wired(run, "tartware:observability:Observability", "obs")
    names = {r.plain["name"] for r in run.of_type(RELEASE)}
    assert "kube-prometheus-stack" in names
    assert all(r.parent == comp.urn for r in run.of_type(RELEASE))
    namespaces = run.of_type("kubernetes:core/v1:Namespace")
    assert namespaces and all(n.protect for n in namespaces)
    assert obs.hosts["grafana"] == "grafana.example.com"


def test_remote_write_receiver_only_when_asked():
    def receiver(run):
        kps = next(r for r in run.of_type(RELEASE) if r.plain["name"] == "kube-prometheus-stack")
        return kps.plain["values"]["prometheus"]["prometheusSpec"].get("enableRemoteWriteReceiver", False)

    assert receiver(_obs(remote_write_receiver=True)[0]) is True
    assert receiver(_obs()[0]) is False
