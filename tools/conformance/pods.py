"""Every pod the render makes Kubernetes run, with its pod spec and namespace.

* workload templates: Deployment, StatefulSet, DaemonSet, ReplicaSet, Job (``spec.template``),
  CronJob (``spec.jobTemplate.spec.template``), bare Pods; Helm hook Jobs are rendered templates too;
* pods operators create from custom resources: prometheus-operator turns each ``Prometheus`` and
  ``Alertmanager`` into a StatefulSet whose pod carries ``spec.securityContext``, the main container
  with ``spec.resources``, the ``config-reloader`` sidecar and ``init-config-reloader`` init
  container (resources from the operator's ``--config-reloader-{cpu,memory}-{request,limit}`` flags),
  every container with readOnlyRootFilesystem, no privilege escalation and ALL capabilities dropped,
  and ``spec.containers``/``spec.initContainers`` merged by name; ports ``web`` (9090 / 9093) and
  ``reloader-web`` (8080); pod labels ``app.kubernetes.io/{name,instance,managed-by}``, ``<kind>: <name>``
  and, for Prometheus, ``operator.prometheus.io/{name,shard}``; the resource's ``nodeSelector``,
  ``tolerations`` and ``affinity``
  (prometheus-operator/prometheus-operator@v0.88.0 pkg/prometheus/server/statefulset.go,
  pkg/alertmanager/statefulset.go, pkg/operator/config_reloader.go).
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from typing import Any, Iterable, Optional

from tools.system import Item, SystemRender

WORKLOADS = {"Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "Job"}
OPERATOR_POD_KINDS = {"Prometheus": "prometheus", "Alertmanager": "alertmanager"}
OPERATOR_CONTAINER_SECURITY = {"readOnlyRootFilesystem": True, "allowPrivilegeEscalation": False,
                               "capabilities": {"drop": ["ALL"]}}
OPERATOR_WEB_PORTS = {"Prometheus": 9090, "Alertmanager": 9093}
RELOADER_FLAGS = {("requests", "cpu"): "--config-reloader-cpu-request",
                  ("limits", "cpu"): "--config-reloader-cpu-limit",
                  ("requests", "memory"): "--config-reloader-memory-request",
                  ("limits", "memory"): "--config-reloader-memory-limit"}


@dataclass
class PodTemplate:
    owner: str  # "Deployment observability/grafana"
    namespace: str
    metadata: dict[str, Any]
    spec: dict[str, Any]
    long_running: bool  # a Deployment/StatefulSet/DaemonSet/operator pod, not a run-to-completion Job
    origin: str

    def containers(self, init: bool = True) -> list[dict[str, Any]]:
        keys = ("initContainers", "containers") if init else ("containers",)
        return [c for k in keys for c in (self.spec.get(k) or [])]


def _reloader_resources(system: SystemRender) -> dict[str, Any]:
    """The config-reloader resources the operator Deployment passes in its args."""
    res: dict[str, dict[str, str]] = {}
    for item in system.of_kind("Deployment"):
        for c in (item.doc.get("spec", {}).get("template", {}).get("spec", {}).get("containers") or []):
            args = c.get("args") or []
            if not any(str(a).startswith("--prometheus-config-reloader") for a in args):
                continue
            for a in args:
                for (section, resource), flag in RELOADER_FLAGS.items():
                    if str(a).startswith(flag + "="):
                        value = str(a).split("=", 1)[1]
                        if value and value != "0":
                            res.setdefault(section, {})[resource] = value
    return res


def _merge_by_name(base: list[dict[str, Any]], overrides: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    out = [copy.deepcopy(c) for c in base]
    for o in overrides or []:
        for c in out:
            if c["name"] == o.get("name"):
                _deep_merge(c, o)
                break
        else:
            out.append(copy.deepcopy(o))
    return out


def _deep_merge(into: dict[str, Any], extra: dict[str, Any]) -> None:
    for k, v in extra.items():
        if isinstance(v, dict) and isinstance(into.get(k), dict):
            _deep_merge(into[k], v)
        else:
            into[k] = copy.deepcopy(v)


def operator_pod(item: Item, reloader: dict[str, Any]) -> PodTemplate:
    spec = item.doc.get("spec") or {}
    main = OPERATOR_POD_KINDS[item.kind]
    sidecar = {"name": "config-reloader", "securityContext": dict(OPERATOR_CONTAINER_SECURITY),
               "resources": copy.deepcopy(reloader), "ports": [{"name": "reloader-web", "containerPort": 8080}]}
    web = {"name": "web", "containerPort": OPERATOR_WEB_PORTS[item.kind]}
    containers = [{"name": main, "securityContext": copy.deepcopy(OPERATOR_CONTAINER_SECURITY),
                   "resources": copy.deepcopy(spec.get("resources") or {}), "ports": [web]}, sidecar]
    init = [{"name": "init-config-reloader", "securityContext": copy.deepcopy(OPERATOR_CONTAINER_SECURITY),
             "resources": copy.deepcopy(reloader)}]
    pod_spec = {
        "securityContext": copy.deepcopy(spec.get("securityContext") or {}),
        "containers": _merge_by_name(containers, spec.get("containers") or []),
        "initContainers": _merge_by_name(init, spec.get("initContainers") or []),
        "volumes": copy.deepcopy(spec.get("volumes") or []),
        "serviceAccountName": spec.get("serviceAccountName", "default"),
        "hostNetwork": bool(spec.get("hostNetwork", False)),
        # where it runs, as the custom resource says (prometheus-operator@v0.88.0
        # pkg/prometheus/server/statefulset.go 355-360, pkg/alertmanager/statefulset.go 802-811)
        **{k: copy.deepcopy(spec[k]) for k in ("nodeSelector", "tolerations", "affinity") if spec.get(k)},
    }
    labels = {"app.kubernetes.io/name": main, main: item.name,
              "app.kubernetes.io/instance": item.name, "app.kubernetes.io/managed-by": "prometheus-operator",
              **({"operator.prometheus.io/name": item.name, "operator.prometheus.io/shard": "0"}
                 if item.kind == "Prometheus" else {}),
              **((spec.get("podMetadata") or {}).get("labels") or {})}
    return PodTemplate(item.key, item.namespace or "default", {"labels": labels}, pod_spec, True, item.origin)


def pod_templates(system: SystemRender) -> list[PodTemplate]:
    out: list[PodTemplate] = []
    reloader: Optional[dict[str, Any]] = None
    for item in system.items:
        doc = item.doc
        ns = item.namespace or "default"
        if item.kind in WORKLOADS:
            tpl = (doc.get("spec") or {}).get("template") or {}
            out.append(PodTemplate(item.key, ns, tpl.get("metadata") or {}, tpl.get("spec") or {},
                                   item.kind != "Job", item.origin))
        elif item.kind == "CronJob":
            tpl = (((doc.get("spec") or {}).get("jobTemplate") or {}).get("spec") or {}).get("template") or {}
            out.append(PodTemplate(item.key, ns, tpl.get("metadata") or {}, tpl.get("spec") or {}, False, item.origin))
        elif item.kind == "Pod":
            out.append(PodTemplate(item.key, ns, doc.get("metadata") or {}, doc.get("spec") or {}, True, item.origin))
        elif item.kind in OPERATOR_POD_KINDS and str(doc.get("apiVersion", "")).startswith("monitoring.coreos.com/"):
            if reloader is None:
                reloader = _reloader_resources(system)
            out.append(operator_pod(item, reloader))
    return out
