"""The vocabulary of a workload table: the pods a Helm release (or an operator, or the program itself)
runs, declared once, with what is computed from it.

A table (settings/observability_workloads.py, settings/data_workloads.py) lists per release each
workload as rendered (kind, name), its containers (each one's size key and where the release's values
set its resources), its replica count and where the values set it, and the settings flags that install
the release or the workload. From it come both

* the resources and replica counts in the values (``release_values``, ``with_workloads``), and
* what the capacity check adds (``overhead``).

tools/conformance/workloads.py checks a table against the render: every pod is a workload of it, with
its containers, sizes and replica count.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable, Mapping, Optional, Protocol, Union

Path = tuple[str, ...]
# A replica count: a fixed number, (dev, prod), or the name of the settings attribute that holds it.
Replicas = Union[int, tuple[int, int], str]


class Sizing(Protocol):
    @property
    def cpu_request(self) -> int: ...

    @property
    def memory_request(self) -> int: ...

    def k8s(self) -> dict[str, dict[str, str]]: ...


class Settings(Protocol):
    """What a table reads of its settings (flags, replica fields and name parts by name)."""

    @property
    def is_prod(self) -> bool: ...

    def size(self, container: str) -> Sizing: ...


def k8s_resources(size: Sizing) -> Any:
    """A container's ``resources`` as Kubernetes writes them (requests and limits)."""
    return size.k8s()


@dataclass(frozen=True)
class Container:
    name: str  # the container's name in the rendered pod
    # its key in the section's sizes; None: nobody sets its resources (it requests nothing as rendered)
    size: Optional[str]
    # where the release's values set its resources; None: not written from the table (the chart's own
    # default, or a list of containers the chart merges by name, written by the values function)
    values: Optional[Path]
    init: bool = False  # an init container: runs before the others, so it adds nothing to the pod's request
    # a restartable init container (restartPolicy Always, a native sidecar): runs beside the others,
    # so it adds to the pod's request (kubernetes.io/docs/concepts/workloads/pods/sidecar-containers/
    # #resource-sharing-within-containers)
    sidecar: bool = False
    form: Callable[[Sizing], Any] = k8s_resources  # the value written at ``values``
    enabled: Optional[str] = None  # the settings flag that adds it to its pod; None: always there


@dataclass(frozen=True)
class Workload:
    # Deployment, StatefulSet, DaemonSet, Job, or the custom resource an operator turns into pods
    # (Prometheus, Alertmanager; CloudNativePG's Cluster and Pooler)
    kind: str
    name: str  # may hold {fields} of the settings' ``names`` (a name taken from a setting)
    containers: tuple[Container, ...]
    replicas: Replicas = 1
    replicas_at: Optional[Path] = None  # where the values set the count; None: the chart's default, one
    namespace: str = ""
    enabled: Optional[str] = None  # the settings flag that runs it within its release; None: always

    @property
    def owner(self) -> str:
        """How tools/conformance/pods.py names the pod's owner: ``Deployment observability/jaeger``."""
        return f"{self.kind} {self.namespace}/{self.name}"

    def owner_in(self, s: Settings) -> str:
        """``owner`` with the settings' name parts filled in."""
        return self.owner.format_map(getattr(s, "names", {})) if "{" in self.name else self.owner

    @property
    def per_node(self) -> bool:
        return self.kind == "DaemonSet"

    @property
    def long_running(self) -> bool:
        return self.kind != "Job"


@dataclass(frozen=True)
class Release:
    name: str
    enabled: Optional[str]  # the settings flag that installs it; None: always installed
    workloads: tuple[Workload, ...]
    # where its objects come from in the render (tools/system.py): ``release:<name>`` for a Helm release
    # (None), else the operator's or the program's origin
    origin: Optional[str] = None

    @property
    def rendered_by(self) -> str:
        return self.origin or f"release:{self.name}"


def installed(release: Release, s: Settings) -> bool:
    return release.enabled is None or bool(getattr(s, release.enabled))


def active(workload: Workload, s: Settings) -> bool:
    return workload.enabled is None or bool(getattr(s, workload.enabled))


def containers(workload: Workload, s: Settings) -> tuple[Container, ...]:
    """The containers of ``workload``'s pod for these settings."""
    return tuple(c for c in workload.containers if c.enabled is None or getattr(s, c.enabled))


def count(workload: Workload, s: Settings) -> int:
    """The workload's replicas for these settings (a DaemonSet: one, on every node)."""
    r = workload.replicas
    if isinstance(r, str):
        return int(getattr(s, r))
    if isinstance(r, tuple):
        return r[1 if s.is_prod else 0]
    return r


def _request(s: Settings, c: Container) -> tuple[int, int]:
    if c.size is None:
        return 0, 0
    z = s.size(c.size)
    return z.cpu_request, z.memory_request


def pod_request(workload: Workload, s: Settings) -> tuple[int, int]:
    """(millicores, bytes) one pod requests: its containers' and native sidecars' sum, or its largest
    init container if that is more (kubernetes.io/docs/concepts/workloads/pods/init-containers/
    #resource-sharing-within-containers)."""
    main = [_request(s, c) for c in containers(workload, s) if not c.init or c.sidecar]
    init = [_request(s, c) for c in containers(workload, s) if c.init and not c.sidecar]
    return (max(sum(z[0] for z in main), max((z[0] for z in init), default=0)),
            max(sum(z[1] for z in main), max((z[1] for z in init), default=0)))


def overhead(s: Settings, per_node: bool, releases: tuple[Release, ...]) -> tuple[int, int]:
    """(millicores, bytes) the installed releases' long-running pods request: in total, replicas
    counted (``per_node=False``), or on every node, one pod of each DaemonSet (``per_node=True``)."""
    cpu = mem = 0
    for release in releases:
        if not installed(release, s):
            continue
        for w in release.workloads:
            if w.long_running and w.per_node == per_node and active(w, s):
                n = 1 if w.per_node else count(w, s)
                c, m = pod_request(w, s)
                cpu, mem = cpu + n * c, mem + n * m
    return cpu, mem


def release_values(release: Release, s: Settings) -> dict[str, Any]:
    """The values that size ``release``'s running workloads: each container's resources and each
    declared replica count at its path. Two containers that share a path must share a size."""
    out: dict[str, Any] = {}
    for w in release.workloads:
        if not active(w, s):
            continue
        for c in containers(w, s):
            if c.values is not None and c.size is not None:
                _put(out, c.values, c.form(s.size(c.size)), f"{w.owner} container {c.name}")
        if w.replicas_at is not None:
            _put(out, w.replicas_at, count(w, s), f"{w.owner} replicas")
    return out


def with_workloads(values: dict[str, Any], release: Release, s: Settings,
                   table: str = "settings/observability_workloads.py") -> dict[str, Any]:
    """``values`` with ``release_values`` merged in; a path the values already set is an error (the
    table is the one place these are written)."""
    def merge(into: dict[str, Any], extra: dict[str, Any], path: Path) -> None:
        for k, v in extra.items():
            if isinstance(v, dict) and isinstance(into.get(k), dict) and not _is_leaf(v):
                merge(into[k], v, (*path, k))
            elif k in into:
                raise ValueError(f"release {release.name}: values set {'.'.join((*path, k))}, which {table} sets")
            else:
                into[k] = v
    merge(values, release_values(release, s), ())
    return values


# A workload a table places on the memory pool when the cluster has one: (what, its release, kind, name).
MemoryPoolEntry = tuple[str, "Release", str, str]


def memory_pool_pods(s: Settings, entries: tuple[MemoryPoolEntry, ...]) -> list[tuple[str, int, int, int]]:
    """(what, count, millicores, bytes per pod) of the installed workloads of ``entries``: each pod
    with every container that runs beside its main one (``pod_request``)."""
    out = []
    for what, release, kind, name in entries:
        if installed(release, s):
            w = workload(release, kind, name)
            if active(w, s):
                out.append((what, count(w, s), *pod_request(w, s)))
    return out


def workload(release: Release, kind: str, name: str) -> Workload:
    """The workload ``kind``/``name`` (its name as declared) of ``release``."""
    (w,) = [w for w in release.workloads if (w.kind, w.name) == (kind, name)]
    return w


def container_size(release: Release, kind: str, name: str, container: str, s: Settings) -> Sizing:
    """The size the table gives ``container`` of workload ``kind``/``name``: for a spec the program
    writes itself (a custom resource, its own Job) rather than through a release's values."""
    (c,) = [c for c in workload(release, kind, name).containers if c.name == container]
    assert c.size is not None, f"{kind} {name} container {container} has no size"
    return s.size(c.size)


def _is_leaf(v: Mapping[str, Any]) -> bool:
    return set(v) <= {"requests", "limits"}


def _put(tree: dict[str, Any], path: Path, value: Any, what: str) -> None:
    *parents, leaf = path
    for p in parents:
        tree = tree.setdefault(p, {})
    if leaf in tree and tree[leaf] != value:
        raise ValueError(f"{what}: {'.'.join(path)} is set to {tree[leaf]!r} by another entry, not {value!r}")
    tree[leaf] = value
