"""The observability workload table (settings/observability_workloads.py) against the charts rendered
at their pins: every pod a table release renders, and every pod any release renders in the
observability namespaces, is a workload of the table, with the table's replica count, its containers
(init containers included) by name, and each container's requests the size the table names; every
workload of an installed release is rendered, none of a release that is off.

Replica counts are read as tools/conformance/resources.py reads them (``spec.replicas``, one when
unset; a DaemonSet's pod once, it runs on every node); a pod's request is what the scheduler sums
(``resources.pod_totals``). ``rendered_overhead`` is the total the capacity check must add, taken from
the render alone.
"""

from __future__ import annotations

from typing import Iterable

from settings.observability_workloads import (
    NODE_EXPORTER_NAMESPACE,
    RELEASES,
    Release,
    Settings,
    Workload,
    count,
    installed,
)
from facts.endpoints import OBSERVABILITY_NAMESPACE
from settings.quantities import Cpu, Memory
from tools.conformance import resources
from tools.conformance.pods import PodTemplate, pod_templates
from tools.system import SystemRender

NAMESPACES = (OBSERVABILITY_NAMESPACE, NODE_EXPORTER_NAMESPACE)


def _ours(system: SystemRender, releases: Iterable[Release]) -> list[PodTemplate]:
    """The pods of the table's releases, and of any release in the observability namespaces."""
    names = {f"release:{r.name}" for r in releases}
    return [p for p in pod_templates(system)
            if p.origin in names or (p.origin.startswith("release:") and p.namespace in NAMESPACES)]


def _requests(container: dict) -> tuple[int, int]:
    req = (container.get("resources") or {}).get("requests") or {}
    return (Cpu.parse(str(req["cpu"])).millicores if req.get("cpu") else 0,
            Memory.parse(str(req["memory"])).bytes if req.get("memory") else 0)


def violations(system: SystemRender, s: Settings, releases: tuple[Release, ...] = RELEASES) -> list[str]:
    """Every difference between the rendered pods and the table, each naming its workload."""
    table: dict[str, tuple[Release, Workload]] = {w.owner: (r, w) for r in releases for w in r.workloads}
    problems: list[str] = []
    seen = set()
    for pod in _ours(system, releases):
        origin = pod.origin.removeprefix("release:")
        if pod.owner not in table:
            problems.append(f"{pod.owner} (release {origin}) is rendered but is not a workload of "
                            "settings/observability_workloads.py")
            continue
        release, w = table[pod.owner]
        seen.add(pod.owner)
        if origin != release.name:
            problems.append(f"{pod.owner}: rendered by release {origin}, the table says {release.name}")
        if not installed(release, s):
            problems.append(f"{pod.owner}: rendered, but the table says release {release.name} is off "
                            f"({release.enabled} is false)")
            continue
        rendered_n, declared_n = resources.replicas(system, pod), (1 if w.per_node else count(w, s))
        if rendered_n != declared_n:
            problems.append(f"{pod.owner}: {rendered_n} replicas rendered, the table counts {declared_n}")
        rendered = {(c["name"], key == "initContainers"): c
                    for key in ("initContainers", "containers") for c in pod.spec.get(key) or []}
        declared = {(c.name, c.init): c for c in w.containers}
        for name, init in sorted(rendered.keys() - declared.keys()):
            problems.append(f"{pod.owner}: {'init ' if init else ''}container {name} is rendered but not in the table")
        for name, init in sorted(declared.keys() - rendered.keys()):
            problems.append(f"{pod.owner}: the table's {'init ' if init else ''}container {name} is not rendered")
        for key in sorted(rendered.keys() & declared.keys()):
            c, size = declared[key], s.size(declared[key].size)
            got = _requests(rendered[key])
            if got != (size.cpu_request, size.memory_request):
                problems.append(f"{pod.owner}: container {c.name} requests {got[0]}m/{got[1]} bytes, the table's "
                                f"size {c.size!r} is {size.cpu_request}m/{size.memory_request} bytes")
    for owner, (release, w) in table.items():
        if installed(release, s) and owner not in seen:
            problems.append(f"{owner}: a workload of release {release.name} in the table, not rendered")
    return problems


def rendered_overhead(system: SystemRender, releases: tuple[Release, ...] = RELEASES
                      ) -> tuple[tuple[float, float], tuple[float, float]]:
    """((millicores, bytes) of every long-running non-DaemonSet pod, replicas counted; (millicores,
    bytes) of one pod of each DaemonSet), as rendered: what ``fixed_overhead`` and
    ``per_node_overhead`` must be."""
    fixed, per_node = [0.0, 0.0], [0.0, 0.0]
    for pod in _ours(system, releases):
        if not pod.long_running:
            continue
        daemonset = pod.owner.startswith("DaemonSet ")
        n = 1 if daemonset else resources.replicas(system, pod)
        cpu, _, mem_mi, _ = resources.pod_totals(pod)
        into = per_node if daemonset else fixed
        into[0] += n * cpu
        into[1] += n * mem_mi * 2**20
    return (fixed[0], fixed[1]), (per_node[0], per_node[1])
