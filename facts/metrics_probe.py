"""Does an ``existing`` cluster already serve the resource metrics API, and who installed it?

``metricsServer: auto`` on ``clusterTarget: existing`` asks the cluster before installing
metrics-server (settings/platform.py ``metrics_server_wanted``): k3s, k3d, GKE, AKS and RKE2
reached as ``existing`` all register the APIService ``v1beta1.metrics.k8s.io`` themselves, and a
second metrics-server from our release collides with theirs (Helm: "invalid ownership metadata").

The question is one ``kubectl get apiservice v1beta1.metrics.k8s.io -o json`` with the stack's
context, answered as:

* ``absent`` — the API server says NotFound: nothing serves the API, install;
* ``ours`` — it carries Helm's ownership metadata for our release (``app.kubernetes.io/managed-by:
  Helm``, ``meta.helm.sh/release-name: metrics-server``, ``meta.helm.sh/release-namespace:
  kube-system``: what Helm checks before it adopts an object, helm/helm@v3.20.2 pkg/action/validate.go
  checkOwnership), i.e. this stack installed it: keep installing;
* ``theirs`` — it exists and is someone else's (a distribution's packaged component, another
  release): skip;
* ``unknown`` — no kubectl, no reachable cluster, or a kubeconfig given as a (secret) setting that
  the program cannot hand kubectl before any resource is registered: the caller falls back to the
  context-name rule and says so in a warning.

The prober is behind ``use``: the offline harness (tools/offline.py) answers instead of kubectl, so
previews under the mocks and the tests stay deterministic.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from dataclasses import dataclass
from typing import Callable

API_SERVICE = "v1beta1.metrics.k8s.io"
RELEASE_NAME, RELEASE_NAMESPACE = "metrics-server", "kube-system"  # components/platform/metrics.py
OWNERSHIP_SOURCE = "helm/helm@v3.20.2 pkg/action/validate.go checkOwnership"
TIMEOUT_SECONDS = 15


@dataclass(frozen=True)
class Found:
    state: str  # absent, ours, theirs or unknown
    detail: str


# (context, ambient kubeconfig only) -> Found
Prober = Callable[[str, bool], Found]


def owner_of(doc: dict) -> Found:
    """``ours`` when the APIService carries Helm's ownership metadata for our release, else ``theirs``."""
    meta = doc.get("metadata") or {}
    labels, annotations = meta.get("labels") or {}, meta.get("annotations") or {}
    release = (annotations.get("meta.helm.sh/release-namespace"), annotations.get("meta.helm.sh/release-name"))
    if labels.get("app.kubernetes.io/managed-by") == "Helm" and release == (RELEASE_NAMESPACE, RELEASE_NAME):
        return Found("ours", f"APIService {API_SERVICE} belongs to Helm release {RELEASE_NAMESPACE}/{RELEASE_NAME}")
    service = ((doc.get("spec") or {}).get("service") or {})
    owner = (f"Helm release {release[0]}/{release[1]}" if release[1]
             else ", ".join(f"{k}={v}" for k, v in sorted(labels.items())) or "no owner labels")
    return Found("theirs", f"APIService {API_SERVICE} exists (service {service.get('namespace')}/"
                           f"{service.get('name')}; {owner})")


def kubectl_probe(context: str, ambient: bool, kubectl: str = "kubectl") -> Found:
    """Ask the cluster through ``kubectl`` (found on PATH, or the path given)."""
    if not ambient:
        return Found("unknown", "the kubeconfig is a stack setting (a secret the program reads only as an "
                                "Output), so kubectl cannot be pointed at it before resources are registered")
    exe = shutil.which(kubectl)
    if exe is None:
        return Found("unknown", f"{kubectl} is not on PATH")
    command = [exe, "get", "apiservice", API_SERVICE, "-o", "json", f"--request-timeout={TIMEOUT_SECONDS}s"]
    if context:
        command[1:1] = ["--context", context]
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=TIMEOUT_SECONDS + 5, check=False)
    except (OSError, subprocess.TimeoutExpired) as e:
        return Found("unknown", f"kubectl did not answer: {e}")
    if done.returncode != 0:
        # kubectl prints the API's status: 'Error from server (NotFound): apiservices... "<name>" not found'
        if "(NotFound)" in done.stderr:
            return Found("absent", f"APIService {API_SERVICE} not found")
        return Found("unknown", "kubectl failed: " + (done.stderr.strip().splitlines() or ["no output"])[-1])
    try:
        doc = json.loads(done.stdout)
    except ValueError:
        return Found("unknown", "kubectl printed no JSON")
    return owner_of(doc)


_prober: Prober = kubectl_probe


def use(prober: Prober) -> None:
    """Answer with ``prober`` instead of kubectl (the offline harness; tests)."""
    global _prober
    _prober = prober


def probe(context: str, ambient: bool) -> Found:
    return _prober(context, ambient)


def fallback_warning(found: Found, installs: bool) -> str:
    """What a stack is told when the cluster could not be asked."""
    return (f"metricsServer=auto: could not ask the cluster whether {API_SERVICE} is already served "
            f"({found.detail}); falling back to the kube context's name: metrics-server "
            f"{'is installed' if installs else 'is not installed'}. If the cluster ships one (k3s, GKE, AKS, "
            "RKE2), set metricsServer=skip; to always install, metricsServer=install.")
