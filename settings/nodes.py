"""Node pools: the pool model the cluster targets build and the capacity check reads.

A pool is declared per stack (``nodePools.<pool>.<field>``, an object setting like ``services``);
each cluster target (settings/targets/) gives the defaults and the allowed pools. Its allocatable
capacity is derived here (node size minus kube-reserved) so the capacity check (rules/capacity.py)
can compare the budget with it before anything is built.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Annotated, Any, Mapping, Optional, Protocol, Sequence

from pydantic import Field

from .schema import SettingsModel, fields_of

POOL_NAMES = ("controlPlane", "compute", "memory")
WORKER_POOLS = ("compute", "memory")
# EKS only: a separate pool of Spot capacity for the services listed in spotServices (the guide's
# "Spot Instances": "use spot instances for non-critical workloads"; docs/clusters.md "Spot pool").
SPOT_POOL = "spot"

# ---------------------------------------------------------------- node sizes

GIB = 2**30
MIB = 2**20
# EC2 instance types we know the size of: vCPU, memory GiB (aws.amazon.com/ec2/instance-types).
_SIZES = {"large": 2, "xlarge": 4, "2xlarge": 8, "4xlarge": 16, "8xlarge": 32, "12xlarge": 48, "16xlarge": 64}
_GIB_PER_VCPU = {"c": 2, "m": 4, "r": 8}
INSTANCE_TYPES: dict[str, tuple[int, int]] = {
    f"{family}.{size}": (vcpu, vcpu * _GIB_PER_VCPU[family[0]])
    for family in ("c6i", "c6a", "c7i", "m6i", "m6a", "m7i", "r6i", "r6a", "r7i", "m5", "r5")
    for size, vcpu in _SIZES.items()
}
MAX_PODS_PER_NODE = 110  # kubelet default; EKS recommends 110 for instances under 30 vCPU


def kube_reserved_millicores(cpus: int) -> int:
    """CPU kept for the kubelet/runtime: 6 % of the 1st core, 1 % of the 2nd, 0.5 % of the
    3rd-4th, 0.25 % above 4 (the EKS AMI bootstrap and GKE formula)."""
    tiers = ((1, 60), (1, 10), (2, 5), (10**6, 2.5))
    left, reserved = cpus, 0.0
    for cores, per_core in tiers:
        take = min(left, cores)
        reserved += take * per_core
        left -= take
    return int(round(reserved))


def kube_reserved_bytes(memory_gib: int) -> int:
    """Memory kept for the kubelet/runtime plus the 100Mi hard-eviction threshold: 25 % of the
    first 4 GiB, 20 % of the next 4, 10 % of the next 8, 6 % of the next 112, 2 % above 128 GiB
    (GKE's formula; more conservative than EKS's 255Mi + 11Mi/pod for these sizes)."""
    tiers = ((4, 0.25), (4, 0.20), (8, 0.10), (112, 0.06), (10**6, 0.02))
    left, reserved = float(memory_gib), 0.0
    for gib, share in tiers:
        take = min(left, gib)
        reserved += take * share
        left -= take
    return int(reserved * GIB) + 100 * MIB


Taint = Annotated[str, Field(pattern=r"^[A-Za-z0-9./_-]+(=[A-Za-z0-9._-]*)?:(NoSchedule|PreferNoSchedule|NoExecute)$")]
Count = Annotated[int, Field(ge=1, le=1000)]


class NodePoolInput(SettingsModel):
    """``nodePools.<pool>``: every field optional; unset fields take the target's defaults."""

    count: Optional[Count] = None  # fixed size: minNodes = maxNodes = count (control plane)
    min_nodes: Optional[Annotated[int, Field(ge=0, le=1000)]] = None
    max_nodes: Optional[Count] = None
    instance_types: Optional[tuple[Annotated[str, Field(pattern=r"^[a-z0-9-]+\.[a-z0-9]+$")], ...]] = None
    spot: Optional[bool] = None
    cpus: Optional[Annotated[int, Field(ge=1, le=512)]] = None
    memory_gb: Optional[Annotated[int, Field(ge=1, le=16384)]] = None
    disk_gb: Optional[Annotated[int, Field(ge=20, le=65536)]] = None
    labels: Optional[Mapping[str, str]] = None
    taints: Optional[tuple[Taint, ...]] = None


POOL_FIELDS = fields_of(NodePoolInput)


@dataclass(frozen=True)
class PoolDefaults:
    """A target's default size of one pool (unset ``nodePools.<pool>`` fields take these)."""

    min_nodes: Optional[int]
    max_nodes: Optional[int]
    cpus: Optional[int] = None  # node vCPU; None: from the instance types (EKS)
    memory_gib: Optional[int] = None
    disk_gib: int = 100
    instance_types: tuple[str, ...] = ()  # EKS


# Labels and taints of the worker pools, the same on every target.
POOL_LABELS = {"compute": {"tartware.io/pool": "compute"}, "memory": {"tartware.io/pool": "memory"},
           SPOT_POOL: {"tartware.io/pool": SPOT_POOL}}
POOL_TAINTS = {"compute": (), "memory": ("tartware.io/pool=memory:NoSchedule",),
           SPOT_POOL: ("tartware.io/pool=spot:NoSchedule",)}

@dataclass(frozen=True)
class NodePool:
    """A node pool as the components build it and the capacity check sees it."""

    name: str
    min_nodes: int
    max_nodes: int
    cpu_millicores: int  # allocatable per node
    memory_bytes: int  # allocatable per node
    labels: Mapping[str, str]
    taints: tuple[str, ...] = ()  # "key=value:Effect"
    role: str = "worker"  # "worker" or "control-plane" (control-plane pools run no workloads)
    cpus: int = 0  # node size (vCPU) before kube-reserved
    memory_gib: int = 0  # node size before kube-reserved
    disk_gib: int = 0
    instance_types: tuple[str, ...] = ()  # EKS
    spot: bool = False  # EKS capacity type SPOT
    max_pods: int = MAX_PODS_PER_NODE

    @property
    def autoscaled(self) -> bool:
        return self.role == "worker" and self.min_nodes < self.max_nodes

    @property
    def schedulable_for_any_pod(self) -> bool:
        """True when pods without tolerations can land here (no NoSchedule/NoExecute taint)."""
        return self.role == "worker" and not any(t.endswith((":NoSchedule", ":NoExecute")) for t in self.taints)


def memory_pool(pools) -> Optional[NodePool]:
    """The worker pool the data tier is pinned to: the one named ``memory``, if the cluster has it."""
    return next((p for p in pools if p.name == "memory" and p.role == "worker"), None)


def spot_pool(pools) -> Optional[NodePool]:
    """The separate Spot pool (EKS) the services in spotServices prefer, if the cluster has it."""
    return next((p for p in pools if p.name == SPOT_POOL and p.role == "worker"), None)


class Tainted(Protocol):
    """A pool as far as its tolerations go: a ``NodePool``, or the ``PoolArgs`` a cluster builds from
    one (settings/targets/base.py)."""

    @property
    def taints(self) -> Sequence[str]: ...  # "key=value:Effect"


def tolerations_for(pool: Tainted) -> list[dict[str, str]]:
    """Kubernetes tolerations matching every taint of ``pool`` ('key=value:Effect'); it reads the
    taints only, so a cluster's ``PoolArgs`` serve as well as a ``NodePool``."""
    out = []
    for taint in pool.taints:
        kv, effect = taint.rsplit(":", 1)
        k, _, v = kv.partition("=")
        out.append({"key": k, "operator": "Equal", "value": v, "effect": effect} if v
                   else {"key": k, "operator": "Exists", "effect": effect})
    return out


@dataclass(frozen=True)
class Placement:
    """Where pods run: on a pool (tolerate its taints, select its labels), or anywhere. The data
    tier and the observability stack are placed on the memory pool, the spotServices on the Spot pool."""

    node_selector: Mapping[str, str] = field(default_factory=dict)
    tolerations: Sequence[Mapping[str, str]] = ()

    @classmethod
    def on(cls, pool: NodePool) -> "Placement":
        return cls(dict(pool.labels), tuple(tolerations_for(pool)))

    @classmethod
    def for_pools(cls, pools: Sequence[NodePool]) -> "Placement":
        """Pinned to the memory pool when the cluster has one; anywhere otherwise (dev, existing)."""
        pool = memory_pool(pools)
        return cls() if pool is None else cls.on(pool)

    def pod_keys(self) -> dict[str, Any]:
        """``nodeSelector`` and ``tolerations``: the key names every chart here uses for them (bitnami
        primary/readReplicas/master/replica, redpanda statefulset.podTemplate.spec,
        kube-prometheus-stack prometheus.prometheusSpec, loki singleBinary)."""
        out: dict[str, Any] = {}
        if self.node_selector:
            out["nodeSelector"] = dict(self.node_selector)
        if self.tolerations:
            out["tolerations"] = [dict(t) for t in self.tolerations]
        return out


