"""Requests and limits: every container (init containers included) of every pod the render runs —
long-running pods and Jobs alike — sets CPU and memory requests and limits.

Without requests a pod is BestEffort, or Burstable with requests defaulted from nothing, and is
evicted first under node pressure (kubernetes.io/docs/concepts/workloads/pods/pod-qos/,
"Quality of Service classes"; kubernetes/kubernetes@v1.32.0 pkg/apis/core/v1/helper/qos/qos.go).
"""

from __future__ import annotations

from dataclasses import dataclass

from settings.quantities import Cpu, Memory
from tools.conformance.pods import PodTemplate, pod_templates
from tools.system import SystemRender


def limit_range_defaults(system: SystemRender) -> dict[str, dict[str, dict[str, str]]]:
    """namespace -> {"requests": ..., "limits": ...} a LimitRange fills into containers without them.

    LimitRanger admission (kubernetes/kubernetes@v1.32.0 plugin/pkg/admission/limitranger/admission.go,
    ``defaultContainerResourceRequirements``/``mergeContainerResources``): a ``type: Container``
    limit's ``default`` becomes the missing limits, ``defaultRequest`` the missing requests (and
    without ``defaultRequest``, ``default`` is the request too).
    """
    out: dict[str, dict[str, dict[str, str]]] = {}
    for item in system.of_kind("LimitRange"):
        for lim in (item.doc.get("spec") or {}).get("limits") or []:
            if lim.get("type") != "Container":
                continue
            d = out.setdefault(item.namespace or "default", {"requests": {}, "limits": {}})
            d["limits"].update(lim.get("default") or {})
            d["requests"].update(lim.get("defaultRequest") or lim.get("default") or {})
    return out


def missing(pod: PodTemplate, defaults: dict[str, dict[str, dict[str, str]]] | None = None) -> list[str]:
    out = []
    fill = (defaults or {}).get(pod.namespace, {})
    for c in pod.containers(init=True):
        res = c.get("resources") or {}
        res = {section: {**fill.get(section, {}), **(res.get(section) or {})} for section in ("requests", "limits")}
        gaps = [f"{section}.{r}" for section in ("requests", "limits") for r in ("cpu", "memory")
                if not (res.get(section) or {}).get(r)]
        if gaps:
            out.append(f"{pod.owner} container {c['name']}: no {', '.join(gaps)}")
    return out


def violations(system: SystemRender) -> list[str]:
    defaults = limit_range_defaults(system)
    return [v for pod in pod_templates(system) for v in missing(pod, defaults)]


@dataclass
class Totals:
    pods: int = 0
    cpu_request_m: float = 0
    cpu_limit_m: float = 0
    memory_request_mi: float = 0
    memory_limit_mi: float = 0


def replicas(system: SystemRender, pod: PodTemplate) -> int:
    kind, _, rest = pod.owner.partition(" ")
    ns, _, name = rest.partition("/")
    item = system.find(kind, name, ns)
    if item is None:
        return 1
    spec = item.doc.get("spec") or {}
    if kind == "DaemonSet":
        return 1  # one per node; counted once here, per node by the capacity check
    return int(spec.get("replicas", 1) if spec.get("replicas") is not None else 1)


def pod_totals(pod: PodTemplate) -> tuple[float, float, float, float]:
    """Effective pod requests/limits, as the scheduler sums them: the app containers plus every
    sidecar (an init container with ``restartPolicy: Always`` keeps running beside them), or the
    largest init container plus the sidecars started before it, whichever is more
    (kubernetes.io/docs/concepts/workloads/pods/sidecar-containers/#resource-sharing-within-containers;
    kubernetes/kubernetes@v1.32.0 staging/src/k8s.io/component-helpers/resource/helpers.go PodRequests)."""
    def amount(c, section, r):
        v = ((c.get("resources") or {}).get(section) or {}).get(r)
        if not v:
            return 0.0
        return float(Cpu.parse(str(v)).millicores) if r == "cpu" else Memory.parse(str(v)).bytes / 2**20

    vals = []
    for section, r in (("requests", "cpu"), ("limits", "cpu"), ("requests", "memory"), ("limits", "memory")):
        main = sum(amount(c, section, r) for c in pod.spec.get("containers") or [])
        sidecars = init = 0.0
        for c in pod.spec.get("initContainers") or []:
            if c.get("restartPolicy") == "Always":
                sidecars += amount(c, section, r)
                main += amount(c, section, r)
                init = max(init, sidecars)
            else:
                init = max(init, amount(c, section, r) + sidecars)
        vals.append(max(main, init))
    return tuple(vals)  # type: ignore[return-value]


def platform_totals(system: SystemRender, daemonsets: bool = False,
                    exclude_namespaces: tuple[str, ...] = ("tartware-system",)) -> Totals:
    """Requests and limits of the long-running pods outside ``exclude_namespaces``, replicas counted:
    the Deployments/StatefulSets/operator pods (``daemonsets=False``), or one pod of each DaemonSet,
    what every node carries (``daemonsets=True``). hostNetwork DaemonSets count too: they take node
    resources all the same."""
    t = Totals()
    for pod in pod_templates(system):
        if not pod.long_running or pod.namespace in exclude_namespaces:
            continue
        if pod.owner.startswith("DaemonSet ") != daemonsets:
            continue
        n = replicas(system, pod)
        cr, cl, mr, ml = pod_totals(pod)
        t.pods += n
        t.cpu_request_m += n * cr
        t.cpu_limit_m += n * cl
        t.memory_request_mi += n * mr
        t.memory_limit_mi += n * ml
    return t
