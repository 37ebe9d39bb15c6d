"""Cluster settings: which target builds (or adopts) the cluster, and its node pools.

``build`` receives only this section's keys. The targets are plug-ins (settings/targets/): each
declares its own keys, checks them and turns them into its settings class; this module holds the
keys every target reads (the target, the kubeconfig, the cluster name, the pools, the capacity
headroom, the autoscaler, the Spot services), composes the one flat input model of every key (Pulumi
config is flat) and runs the targets' checks in order. Version defaults and their sources are in
docs/clusters.md. Node pools are an object setting (``nodePools.<pool>.<field>``) like
``services``; their allocatable capacity is derived (settings/nodes.py) so the capacity check
(rules/capacity.py) can compare the budget with it before anything is built.
"""

from __future__ import annotations

import datetime
from typing import Annotated, Any, Literal, Mapping, Optional

from pydantic import Field

from facts.catalog import SERVICE_NAMES
from .errors import key
from .nodes import (
    GIB,
    POOL_FIELDS,
    POOL_LABELS,
    POOL_TAINTS,
    SPOT_POOL,
    INSTANCE_TYPES,
    NodePool,
    NodePoolInput,
    PoolDefaults,
    kube_reserved_bytes,
    kube_reserved_millicores,
)
from .schema import BuildContext, Setting, SettingsModel, decode_arrays, hint, validate_section
from .targets import FAMILIES, TARGETS, ClusterSettings, Target, having, owners, reading
from .targets.base import STAGES

NAME = "cluster"

# The guide's "non-critical workloads" among the Tartware services: the asynchronous/back-office
# ones outside the booking path (red2n/tartware@a2583469 Apps/: notification and revenue consume Kafka
# and the database only; housekeeping is one of the guide's "Others"). The API gateway, core,
# reservations, billing, guests, rooms and the availability guard (dialled synchronously by
# reservations, AVAILABILITY_GUARD_TIMEOUT_MS 1500) stay on demand. Reasons: docs/clusters.md.
DEFAULT_SPOT_SERVICES = ("housekeeping-service", "notification-service", "revenue-service")

_NAMES = tuple(TARGETS)
_SUMMARIES = [t.summary for t in TARGETS.values()]
# the targets that create their cluster (the others reach one through a kubeconfig)
_CREATING = tuple(t.name for t in TARGETS.values() if not t.kubeconfig_access)


def _or(names: tuple[str, ...]) -> str:
    return " or ".join(names)


DECLARED: tuple[Setting, ...] = (
    Setting("clusterTarget", "string",
            f"Where Kubernetes comes from: {', '.join(_SUMMARIES[:-1])} or {_SUMMARIES[-1]}.",
            _NAMES[0]),
    Setting("kubeconfig", "string",
            "Kubeconfig contents for clusterTarget=" + " or ".join(having("kubeconfig_access"))
            + ". Unset: the ambient KUBECONFIG / ~/.kube/config.",
            secret=True),
    Setting("kubeContext", "string", "Context in the kubeconfig. Empty: its current context.", ""),
    Setting("clusterName", "string",
            f"Name of the cluster this stack creates (clusterTarget={_or(_CREATING)}). Unset: tartware-<environment>.",
            example="a lower-case name of letters, digits and '-' (at most 40 characters)"),
    Setting("capacityHeadroomPercent", "integer",
            "Share of the max pool capacity kept free by the capacity check (0-50).",
            15),
    Setting("clusterAutoscaler", "boolean",
            f"Install cluster-autoscaler (clusterTarget={_or(reading('autoscaler'))}) honouring each pool's "
            "minNodes/maxNodes.",
            True),
    Setting("spotServices", "array",
            "EKS: Tartware services that prefer the spot node pool (they tolerate its taint and fall back to "
            "on-demand compute). Empty: no spot pool by default, every service on demand.",
            list(DEFAULT_SPOT_SERVICES), items="string",
            example="Tartware service names such as 'notification-service'"),
) + tuple(s for family in FAMILIES for s in family.declared)
OBJECT_SETTINGS: tuple[str, ...] = ("nodePools",)
OBJECT_DOCS = {"nodePools": "per-pool sizes (<pool>: controlPlane, compute, memory or spot, as the target allows); "
                            "fields: " + ", ".join(POOL_FIELDS) + "; defaults per target in settings/targets/"}
# array settings arrive as JSON text from `pulumi config set --path`
ARRAYS = ("spotServices",) + tuple(s.name for family in FAMILIES for s in family.declared if s.type == "array")

hint("taints", "taints as 'key=value:Effect' (Effect: NoSchedule, PreferNoSchedule or NoExecute)")  # nodePools.<pool>


class CommonInput(SettingsModel):
    """The keys every target reads."""

    cluster_target: Literal[_NAMES]  # type: ignore[valid-type]  # the registry's names (settings/targets)
    kube_context: str
    cluster_name: Optional[Annotated[str, Field(pattern=r"^[a-z][a-z0-9-]{0,38}[a-z0-9]$")]] = None
    capacity_headroom_percent: Annotated[int, Field(ge=0, le=50)]
    cluster_autoscaler: bool
    node_pools: Mapping[str, NodePoolInput] = Field(default_factory=dict)
    spot_services: tuple[str, ...] = DEFAULT_SPOT_SERVICES


# Every key of the section: the common ones and each target family's (Pulumi config is flat). Pydantic
# takes the fields of the last base first: the common keys, then the families in their order.
ClusterInput: type[SettingsModel] = type("ClusterInput", (*(f.input for f in reversed(FAMILIES)), CommonInput),
                                         {"__module__": __name__})


# ---------------------------------------------------------------- node pools

def _pool_key(pool: str, fld: str) -> str:
    return key("nodePools", pool, fld)


def _build_pool(name: str, target: Target, inp: NodePoolInput, defaults: Optional[PoolDefaults],
                ctx: BuildContext) -> Optional[NodePool]:
    problems = ctx.problems
    d = defaults or PoolDefaults(None, None)
    d_min, d_max, d_cpus, d_mem = d.min_nodes, d.max_nodes, d.cpus, d.memory_gib
    d_disk, d_types = d.disk_gib, d.instance_types
    role = "control-plane" if name == "controlPlane" else "worker"

    if role == "control-plane":
        for fld in ("min_nodes", "max_nodes", "spot", "instance_types"):
            if getattr(inp, fld) is not None:
                problems.add(_pool_key(name, fields_of_alias(fld)), "not used for the control plane; set "
                                                                    "nodePools.controlPlane.count", getattr(inp, fld))
        count = inp.count if inp.count is not None else d_min
        min_n = max_n = count
        if count is not None and ctx.is_prod and count < 3:
            problems.add(_pool_key(name, "count"), "a prod control plane needs at least 3 nodes (etcd quorum; the "
                                                   "guide's 3)", count)
        if count is not None and count % 2 == 0:
            problems.add(_pool_key(name, "count"), "etcd needs an odd number of control-plane nodes (1, 3, 5, ...)",
                         count)
    else:
        if inp.count is not None and (inp.min_nodes is not None or inp.max_nodes is not None):
            problems.add(_pool_key(name, "count"), "set either count (a fixed size) or minNodes/maxNodes, not both",
                         inp.count)
        min_n = inp.count if inp.count is not None else (inp.min_nodes if inp.min_nodes is not None else d_min)
        max_n = inp.count if inp.count is not None else (inp.max_nodes if inp.max_nodes is not None else d_max)
        if min_n is None or max_n is None:
            missing = "minNodes" if min_n is None else "maxNodes"
            problems.add(_pool_key(name, missing), f"required for a {name} pool on clusterTarget={target.name}")
            return None
        if min_n > max_n:
            culprit = "minNodes" if inp.min_nodes is not None and inp.max_nodes is None else "maxNodes"
            problems.add(_pool_key(name, culprit),
                         f"minNodes ({min_n}) must not exceed maxNodes ({max_n})",
                         min_n if culprit == "minNodes" else max_n)

    if name == SPOT_POOL and inp.spot is False:
        problems.add(_pool_key(name, "spot"), "the spot pool is always Spot capacity; to run every service on demand "
                                              "set spotServices to []", False)
    if not target.spot_pool and inp.spot is not None:
        problems.add(_pool_key(name, "spot"), "spot capacity applies to "
                                              f"clusterTarget={' or '.join(having('spot_pool'))} only",
                     inp.spot)
    if not target.instance_types and inp.instance_types is not None:
        problems.add(_pool_key(name, "instanceTypes"), "instance types apply to clusterTarget="
                     f"{' or '.join(having('instance_types'))} only; set cpus and memoryGb", list(inp.instance_types))

    instance_types = tuple(inp.instance_types) if inp.instance_types is not None else tuple(d_types)
    cpus, mem = inp.cpus or d_cpus, inp.memory_gb or d_mem
    if target.instance_types and (cpus is None or mem is None):
        unknown = [t for t in instance_types if t not in INSTANCE_TYPES]
        if not instance_types:
            problems.add(_pool_key(name, "instanceTypes"), "at least one EC2 instance type is required", [])
            return None
        if unknown:
            problems.add(_pool_key(name, "instanceTypes"),
                         f"unknown size of {', '.join(unknown)}; known: c/m/r 5th-7th generation "
                         f"(e.g. c6i.4xlarge, m6i.2xlarge, r6i.2xlarge), or set nodePools.{name}.cpus and memoryGb",
                         list(instance_types))
            return None
        # several types: size the pool by the smallest (what the autoscaler may get)
        cpus = cpus or min(INSTANCE_TYPES[t][0] for t in instance_types)
        mem = mem or min(INSTANCE_TYPES[t][1] for t in instance_types)
    if cpus is None or mem is None:
        missing = "cpus" if cpus is None else "memoryGb"
        problems.add(_pool_key(name, missing), f"required to size the {name} pool (node vCPU / memory GiB)")
        return None
    if min_n is None or max_n is None:
        return None
    return NodePool(
        name=name,
        role=role,
        min_nodes=min_n,
        max_nodes=max_n,
        cpu_millicores=cpus * 1000 - kube_reserved_millicores(cpus),
        memory_bytes=mem * GIB - kube_reserved_bytes(mem),
        labels=dict(inp.labels) if inp.labels is not None else dict(POOL_LABELS.get(name, {})),
        taints=tuple(inp.taints) if inp.taints is not None else POOL_TAINTS.get(name, ()),
        cpus=cpus,
        memory_gib=mem,
        disk_gib=inp.disk_gb or d_disk,
        instance_types=instance_types if target.instance_types else (),
        spot=(bool(inp.spot) or name == SPOT_POOL) if target.spot_pool else False,
    )


def fields_of_alias(python_name: str) -> str:
    return NodePoolInput.model_fields[python_name].alias or python_name


def _pools(inp: Any, target: Target, ctx: BuildContext) -> tuple[NodePool, ...]:
    defaults = target.prod_pools if ctx.is_prod else target.dev_pools
    allowed = target.pools
    for name in inp.node_pools:
        if name not in allowed:
            why = target.pool_note.get(name, "")
            if name == SPOT_POOL:
                why = f" (a Spot pool needs clusterTarget={' or '.join(having('spot_pool'))})"
            problems_msg = f"unknown node pool for clusterTarget={target.name}{why}; allowed: {', '.join(allowed)}"
            ctx.problems.add(key("nodePools", name), problems_msg, name)
    names = [n for n in allowed if n in defaults or n in inp.node_pools]
    for name, pool_defaults in target.declared_pool_defaults.items():
        if name in inp.node_pools and name not in defaults:
            defaults = {**defaults, name: pool_defaults}  # declared where the environment has none
    if SPOT_POOL in names and not inp.spot_services:
        # nothing would run there: the default pool is left out, a declared one is refused
        names.remove(SPOT_POOL)
        if SPOT_POOL in inp.node_pools:
            ctx.problems.add(key("spotServices"), "is empty, so nothing would run on the declared nodePools.spot; "
                             f"list services (allowed: {', '.join(SERVICE_NAMES)}) or remove nodePools.spot", [])
    if target.pools_declared_only:
        names = [n for n in allowed if n in inp.node_pools]  # unknown unless declared
    pools = []
    for name in names:
        pool = _build_pool(name, target, inp.node_pools.get(name, NodePoolInput()), defaults.get(name), ctx)
        if pool is not None:
            pools.append(pool)
    return tuple(pools)


def build(raw: Mapping[str, Any], ctx: BuildContext,
          today: Optional[datetime.date] = None) -> Optional[ClusterSettings]:
    problems = ctx.problems
    raw = dict(raw)
    pools_raw = raw.get("nodePools", {})
    if not isinstance(pools_raw, dict):
        problems.add(key("nodePools"),
                     "must be a map of pool name to settings (set it with `pulumi config set --path`)", pools_raw)
        raw["nodePools"] = {}
    decode_arrays(raw, ARRAYS)
    for family in FAMILIES:
        family.prepare(raw)
    inp: Any = validate_section(ClusterInput, raw, problems,
                                lambda loc: (", ".join(POOL_FIELDS) if len(loc) >= 3 and loc[0] == "nodePools"
                                             else "see Pulumi.yaml"))
    kubeconfig = ctx.read_secret("kubeconfig", False, problems, "")
    if inp is None:
        return None
    target = TARGETS[inp.cluster_target]
    unknown_services = [n for n in inp.spot_services if n not in SERVICE_NAMES]
    if unknown_services:
        problems.add(key("spotServices"), f"unknown service {', '.join(unknown_services)}; allowed: "
                                          f"{', '.join(SERVICE_NAMES)}",
                     list(inp.spot_services))
    today = today or datetime.date.today()
    fields: dict[str, Any] = {}
    pools: tuple[NodePool, ...] = ()
    for stage in STAGES:
        if stage == "pools":
            pools = _pools(inp, target, ctx)
            continue
        for family in FAMILIES:
            if family not in target.families:
                family.refuse(stage, inp, ctx, target, owners(family))
        for family in target.families:
            fields.update(family.check(stage, inp, ctx, today))
    return target.settings(
        target=target.name,
        kubeconfig=kubeconfig,
        context=inp.kube_context,
        node_pools=pools,
        name=inp.cluster_name or f"tartware-{ctx.environment}",
        environment=ctx.environment,
        headroom_percent=inp.capacity_headroom_percent,
        autoscaler=inp.cluster_autoscaler,
        spot_services=tuple(dict.fromkeys(inp.spot_services)),
        **fields,
    )

