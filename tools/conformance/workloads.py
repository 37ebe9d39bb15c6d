"""A workload table (settings/workloads.py) against the render, pod by pod: the observability table
(settings/observability_workloads.py) against the charts rendered at their pins, the data tier's
(settings/data_workloads.py) against its charts, the pods the CloudNativePG operator makes of the
Cluster and the Pooler (tools/cnpg.py, from the operator's source) and the program's own topic Job.

Every pod a table release renders, and every pod a Helm release (or, for the data tier, the operator or
the program) renders in the table's namespaces, is a workload of the table, with the table's replica
count, its containers (init containers included) by name, and each container's requests the size the
table names; every workload of an installed release is rendered, none of a release that is off.

Replica counts are read as tools/conformance/resources.py reads them (``spec.replicas``, one when
unset; a DaemonSet's pod once, it runs on every node); a pod's request is what the scheduler sums
(``resources.pod_totals``). The operator's instance Pods are one workload, their Cluster
(``Cluster database/postgres``: the Pods labelled ``cnpg.io/podRole: instance`` of ``cnpg.io/cluster``,
counted), and the Deployment it makes of a Pooler is the Pooler (``cnpg.io/poolerName``), as
CloudNativePG creates them (cloudnative-pg/cloudnative-pg@v1.30.0 pkg/specs/pods.go buildInstance,
pkg/specs/pgbouncer/deployments.go Deployment). ``rendered_overhead`` is the total the capacity check
must add, taken from the render alone.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable, Mapping, Optional

from settings import data_workloads
from settings.observability_workloads import NODE_EXPORTER_NAMESPACE, RELEASES
from settings.workloads import Release, Settings, Workload, active, containers, count, installed
from facts.endpoints import OBSERVABILITY_NAMESPACE
from settings.quantities import Cpu, Memory
from tools.conformance import resources
from tools.conformance.pods import PodTemplate, pod_templates
from tools.system import SystemRender

NAMESPACES = (OBSERVABILITY_NAMESPACE, NODE_EXPORTER_NAMESPACE)


@dataclass(frozen=True)
class Table:
    releases: tuple[Release, ...]
    namespaces: tuple[str, ...]  # where any release's pod must be a workload of the table
    file: str


OBSERVABILITY = Table(RELEASES, NAMESPACES, "settings/observability_workloads.py")
DATA = Table(data_workloads.RELEASES, data_workloads.NAMESPACES, data_workloads.TABLE)


def _ours(system: SystemRender, releases: Iterable[Release], namespaces: tuple[str, ...]) -> list[PodTemplate]:
    """The pods of the table's Helm releases, and of any Helm release (or other origin of the table)
    in its namespaces."""
    releases = tuple(releases)
    names = {r.rendered_by for r in releases if r.origin is None}
    origins = {r.rendered_by for r in releases}
    return [p for p in pod_templates(system)
            if p.origin in names or (p.namespace in namespaces
                                     and (p.origin.startswith("release:") or p.origin in origins))]


def owner(pod: PodTemplate) -> str:
    """The workload a rendered pod belongs to: its own owner, or for CloudNativePG's pods the
    custom resource they are made of."""
    labels = pod.metadata.get("labels") or {}
    if pod.origin == data_workloads.OPERATOR_ORIGIN:
        if pod.owner.startswith("Pod ") and labels.get("cnpg.io/podRole") == "instance":
            return f"Cluster {pod.namespace}/{labels['cnpg.io/cluster']}"
        if pod.owner.startswith("Deployment ") and "cnpg.io/poolerName" in labels:
            return f"Pooler {pod.namespace}/{labels['cnpg.io/poolerName']}"
    return pod.owner


def _requests(container: dict) -> tuple[int, int]:
    req = (container.get("resources") or {}).get("requests") or {}
    return (Cpu.parse(str(req["cpu"])).millicores if req.get("cpu") else 0,
            Memory.parse(str(req["memory"])).bytes if req.get("memory") else 0)


def _size(s: Settings, key: Optional[str]) -> tuple[int, int]:
    if key is None:
        return 0, 0
    z = s.size(key)
    return z.cpu_request, z.memory_request


def violations(system: SystemRender, s: Settings, releases: Optional[tuple[Release, ...]] = None,
               table: Table = OBSERVABILITY) -> list[str]:
    """Every difference between the rendered pods and the table, each naming its workload."""
    releases = table.releases if releases is None else releases
    declared_at: dict[str, tuple[Release, Workload]] = {w.owner_in(s): (r, w) for r in releases for w in r.workloads}
    problems: list[str] = []
    names = getattr(s, "names", {})
    pods: dict[str, list[PodTemplate]] = {}  # by workload, in the render's order
    for pod in _ours(system, releases, table.namespaces):
        pods.setdefault(owner(pod), []).append(pod)
    seen = set()
    for at, group in pods.items():
        pod = group[0]  # the pods of one workload (a Cluster's instances) share their containers
        origin = pod.origin.removeprefix("release:")
        kind = "release " if pod.origin.startswith("release:") else ""
        if at not in declared_at:
            problems += [f"{at} ({kind}{origin}) is rendered but is not a workload of {table.file}"]
            continue
        release, w = declared_at[at]
        seen.add(at)
        if pod.origin != release.rendered_by:
            problems.append(f"{at}: rendered by {kind}{origin}, the table says {release.name}")
        if not installed(release, s):
            problems.append(f"{at}: rendered, but the table says release {release.name} is off "
                            f"({release.enabled} is false)")
            continue
        if not active(w, s):
            problems.append(f"{at}: rendered, but the table says it is off ({w.enabled} is false)")
            continue
        rendered_n = sum(resources.replicas(system, p) for p in group)
        declared_n = 1 if w.per_node else count(w, s)
        if rendered_n != declared_n:
            problems.append(f"{at}: {rendered_n} replicas rendered, the table counts {declared_n}")
        rendered = {(c["name"], key == "initContainers"): c
                    for key in ("initContainers", "containers") for c in pod.spec.get(key) or []}
        declared = {(c.name.format_map(names) if "{" in c.name else c.name, c.init): c for c in containers(w, s)}
        for name, init in sorted(rendered.keys() - declared.keys()):
            problems.append(f"{at}: {'init ' if init else ''}container {name} is rendered but not in the table")
        for name, init in sorted(declared.keys() - rendered.keys()):
            problems.append(f"{at}: the table's {'init ' if init else ''}container {name} is not rendered")
        for key in sorted(rendered.keys() & declared.keys()):
            c = declared[key]
            got, want = _requests(rendered[key]), _size(s, c.size)
            if got != want:
                problems.append(f"{at}: container {key[0]} requests {got[0]}m/{got[1]} bytes, the table's "
                                f"size {c.size!r} is {want[0]}m/{want[1]} bytes")
    for at, (release, w) in declared_at.items():
        if installed(release, s) and active(w, s) and at not in seen:
            problems.append(f"{at}: a workload of release {release.name} in the table, not rendered")
    return problems


def rendered_overhead(system: SystemRender, releases: Optional[tuple[Release, ...]] = None,
                      table: Table = OBSERVABILITY) -> tuple[tuple[float, float], tuple[float, float]]:
    """((millicores, bytes) of every long-running non-DaemonSet pod, replicas counted; (millicores,
    bytes) of one pod of each DaemonSet), as rendered: what ``fixed_overhead`` and
    ``per_node_overhead`` must be. A run-to-completion pod counts where the table reserves room for
    it (settings/data_workloads.py ``reserve``)."""
    releases = table.releases if releases is None else releases
    reserved = {w.owner for r in releases for w in r.workloads if w.long_running and w.kind == "Job"}
    fixed, per_node = [0.0, 0.0], [0.0, 0.0]
    for pod in _ours(system, releases, table.namespaces):
        if not pod.long_running and pod.owner not in reserved:
            continue
        daemonset = pod.owner.startswith("DaemonSet ")
        n = 1 if daemonset else resources.replicas(system, pod)
        cpu, _, mem_mi, _ = resources.pod_totals(pod)
        into = per_node if daemonset else fixed
        into[0] += n * cpu
        into[1] += n * mem_mi * 2**20
    return (fixed[0], fixed[1]), (per_node[0], per_node[1])


def memory_pool_violations(system: SystemRender, selector: Mapping[str, str],
                           counted: Iterable[tuple[str, int, int, int]]) -> list[str]:
    """The long-running pods rendered with the memory pool's ``nodeSelector`` (every pod the scheduler
    may only place there), replicas counted, against what the tables count on the memory pool
    (``DataSettings.memory_pool_pods``, ``ObservabilitySettings.memory_pool_pods``: what the capacity
    check, rules/capacity.py, holds against that pool). Empty when they agree in pods and requests."""
    pods, cpu, mem = 0, 0.0, 0.0
    rendered = []
    for pod in pod_templates(system):
        node_selector = pod.spec.get("nodeSelector") or {}
        if not pod.long_running or any(node_selector.get(k) != v for k, v in selector.items()):
            continue
        n = resources.replicas(system, pod)
        c, _, m_mi, _ = resources.pod_totals(pod)
        pods, cpu, mem = pods + n, cpu + n * c, mem + n * m_mi * 2**20
        rendered.append(f"{owner(pod)} {n} x {c:g}m/{m_mi:g}Mi")
    counted = list(counted)
    want = (sum(n for _, n, _, _ in counted), sum(n * c for _, n, c, _ in counted),
            sum(n * m for _, n, _, m in counted))
    if (pods, cpu, mem) == want:
        return []
    listed = ", ".join(f"{what} {n} x {c}m/{m // 2**20}Mi" for what, n, c, m in counted)
    return [f"the memory pool runs {pods} pods requesting {cpu:g}m/{mem / 2**20:g}Mi as rendered "
            f"({'; '.join(rendered)}), the tables count {want[0]} pods, {want[1]}m/{want[2] / 2**20:g}Mi ({listed})"]
