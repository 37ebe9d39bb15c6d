"""metricsServer=auto on an existing cluster asks the cluster first (facts/metrics_probe.py).

A fake ``kubectl`` (a shell script in a temporary directory) answers the way the real one does for
each case: NotFound, our Helm release's APIService, someone else's, an unreachable server; its
arguments are recorded, so the stack's context is seen to be passed. The answers' shapes: kubectl's
NotFound line is the API server's status ("Error from server (NotFound): <resource> \"<name>\" not
found"); Helm's ownership metadata per helm/helm@v3.20.2 pkg/action/validate.go; k3s marks what it
deploys from its manifests with objectset.rio.cattle.io labels (k3s-io/k3s pkg/deploy, wrangler apply).
"""

from __future__ import annotations

import json
import stat
from pathlib import Path

import pytest

from program import compose
from facts import metrics_probe
from facts.metrics_probe import Found, kubectl_probe
from settings.platform import metrics_server_wanted
from tests.components.helpers import settings

OURS = {"metadata": {"name": "v1beta1.metrics.k8s.io",
                     "labels": {"app.kubernetes.io/managed-by": "Helm", "app.kubernetes.io/name": "metrics-server"},
                     "annotations": {"meta.helm.sh/release-name": "metrics-server",
                                     "meta.helm.sh/release-namespace": "kube-system"}},
        "spec": {"service": {"namespace": "kube-system", "name": "metrics-server"}}}
K3S = {"metadata": {"name": "v1beta1.metrics.k8s.io",
                    "labels": {"objectset.rio.cattle.io/hash": "a3f8c1", "k8s-app": "metrics-server"}},
       "spec": {"service": {"namespace": "kube-system", "name": "metrics-server"}}}
OTHER_RELEASE = {"metadata": {"name": "v1beta1.metrics.k8s.io",
                              "labels": {"app.kubernetes.io/managed-by": "Helm"},
                              "annotations": {"meta.helm.sh/release-name": "rke2-metrics-server",
                                              "meta.helm.sh/release-namespace": "kube-system"}},
                 "spec": {"service": {"namespace": "kube-system", "name": "rke2-metrics-server"}}}
NOT_FOUND = 'Error from server (NotFound): apiservices.apiregistration.k8s.io "v1beta1.metrics.k8s.io" not found'
UNREACHABLE = 'The connection to the server 127.0.0.1:6443 was refused - did you specify the right host or port?'


def fake_kubectl(tmp_path: Path, stdout: str = "", stderr: str = "", rc: int = 0) -> Path:
    """A kubectl that records its arguments and answers with ``stdout``/``stderr``/``rc``."""
    (tmp_path / "out").write_text(stdout)
    (tmp_path / "err").write_text(stderr + "\n" if stderr else "")
    exe = tmp_path / "kubectl"
    exe.write_text(f'#!/bin/sh\nprintf "%s\\n" "$@" > "{tmp_path}/args"\ncat "{tmp_path}/out"\n'
                   f'cat "{tmp_path}/err" >&2\nexit {rc}\n')
    exe.chmod(exe.stat().st_mode | stat.S_IEXEC)
    return exe


def args_of(tmp_path: Path) -> list[str]:
    return (tmp_path / "args").read_text().split("\n")[:-1]


@pytest.mark.parametrize("answer, state, installs", [
    (dict(stderr=NOT_FOUND, rc=1), "absent", True),
    (dict(stdout=json.dumps(OURS)), "ours", True),
    (dict(stdout=json.dumps(K3S)), "theirs", False),
    (dict(stdout=json.dumps(OTHER_RELEASE)), "theirs", False),
    (dict(stderr=UNREACHABLE, rc=1), "unknown", None),
])
def test_the_cluster_decides(tmp_path, answer, state, installs):
    found = kubectl_probe("k3s-lab", True, kubectl=str(fake_kubectl(tmp_path, **answer)))
    assert found.state == state, found
    assert args_of(tmp_path)[:6] == ["--context", "k3s-lab", "get", "apiservice", "v1beta1.metrics.k8s.io", "-o"]
    platform = settings(environment="dev").platform
    # a context name the fallback would install on: only the cluster's answer can skip it
    wanted = metrics_server_wanted(platform, "existing", "k3s-lab", found)
    assert wanted is (True if installs is None else installs)


def test_someone_elses_is_named(tmp_path):
    found = kubectl_probe("", True, kubectl=str(fake_kubectl(tmp_path, stdout=json.dumps(OTHER_RELEASE))))
    assert "Helm release kube-system/rke2-metrics-server" in found.detail
    assert "--context" not in args_of(tmp_path)  # no kubeContext: kubectl's current context


def test_no_kubectl_or_a_kubeconfig_setting_cannot_be_asked(tmp_path):
    assert kubectl_probe("kind-tartware", True, kubectl=str(tmp_path / "missing")).state == "unknown"
    exe = fake_kubectl(tmp_path, stdout=json.dumps(K3S))
    found = kubectl_probe("kind-tartware", False, kubectl=str(exe))
    assert found.state == "unknown" and "stack setting" in found.detail
    assert not (tmp_path / "args").exists()  # kubectl was not run


def test_unknown_falls_back_to_the_context_rule_and_warns(monkeypatch):
    platform = settings(environment="dev").platform
    unknown = Found("unknown", "kubectl is not on PATH")
    assert metrics_server_wanted(platform, "existing", "kind-tartware", unknown)
    assert not metrics_server_wanted(platform, "existing", "k3d-tartware", unknown)
    # the program's decision (program/compose.py) and its pulumi.log.warn
    warned: list[str] = []
    monkeypatch.setattr(compose.pulumi.log, "warn", lambda message, *args, **kwargs: warned.append(message))
    s = settings(environment="dev")
    previous = metrics_probe._prober
    try:
        metrics_probe.use(lambda context, ambient: unknown)
        assert compose._metrics_server(s, s.platform) is True
        (warning,) = warned
        assert (warning.startswith("metricsServer=auto: could not ask the cluster")
                and "kubectl is not on PATH" in warning)
        metrics_probe.use(lambda context, ambient: Found("theirs", "k3s"))
        assert compose._metrics_server(s, s.platform) is False
        assert len(warned) == 1  # a cluster that answered: no warning
    finally:
        metrics_probe.use(previous)


def test_explicit_settings_and_other_targets_never_ask():
    platform = settings(environment="dev").platform
    for target in ("vsphere", "baremetal"):
        assert not metrics_server_wanted(platform, target, "", Found("absent", ""))
    install = settings(environment="dev", metricsServer="install").platform
    assert metrics_server_wanted(install, "existing", "", Found("theirs", ""))
