"""Cross-section check: does the service budget fit the cluster's node pools?

Runs after every section is valid, before any resource is
registered. The formula (docs/clusters.md, "Capacity check"):

    per node   = allocatable (node size - kube-reserved, settings/nodes.py)
                 - DaemonSets per node (cluster's own + platform + observability)
    capacity   = sum over pools of per node x maxNodes, x (1 - headroom)

    Tartware   = sum over enabled services of maxReplicas x (request + mesh sidecar request)
    pinned     = PostgreSQL, Redis, Redpanda, Prometheus, Loki pods: on the memory pool if there is one
    fixed      = platform + data tier + observability fixed overhead (requests), minus pinned

    Each workload is placed on the pools it can run on:
    1. Tartware + fixed (+ pinned without a memory pool) <= capacity of the untainted workers
       (none of these pods tolerates a taint)
    2. pinned <= capacity of the memory pool; its largest pod fits one node; Redpanda's brokers
       (one per node: the chart's required pod anti-affinity) <= the pool's maxNodes
    3. Tartware pods <= (110 - DaemonSet pods) x maxNodes of the untainted pools
    4. spot (EKS spot pool): the services in spotServices at maxReplicas (with sidecars) <= capacity
       of the spot pool, their largest pod fits one spot node, their pods <= its pod slots. They
       stay counted in 1 and 3 too: they only *prefer* the spot pool and fall back to the
       untainted pools when Spot capacity is gone, which those must then hold.
    5. database connections: pods x dbPoolMax at maxReplicas <= what PostgreSQL (or a pooler in
       front of it) admits (rules/connections.py, docs/budget.md "Database connections").

Requests, not limits: requests are what the scheduler has to place; limits may overcommit.
Each settings section reports its own overhead (``sidecar_per_pod``, ``daemonset_per_node``,
``per_node_overhead``, ``fixed_overhead``).
"""

from __future__ import annotations

from dataclasses import dataclass

from . import connections
from .budget import Budget
from settings.nodes import NodePool, memory_pool, spot_pool
from settings.errors import ProblemCollector, key
from settings.model import StackSettings

MI = 2**20
GI = 2**30

# The cluster's own DaemonSets on every node: CNI (canal / VPC CNI), kube-proxy, CSI node plugin.
CLUSTER_DAEMONSETS = (250, 384 * MI)
DAEMONSET_PODS_PER_NODE = 8  # pods those DaemonSets take out of the kubelet's max-pods


@dataclass(frozen=True)
class Demand:
    cpu: int
    memory: int

    def __add__(self, other: "Demand") -> "Demand":
        return Demand(self.cpu + other.cpu, self.memory + other.memory)


def _cores(millicores: float) -> str:
    return f"{millicores / 1000:.1f} cores"


def _gib(nbytes: float) -> str:
    return f"{nbytes / GI:.1f} GiB"


def per_node_daemonsets(settings: StackSettings) -> tuple[int, int]:
    parts = [CLUSTER_DAEMONSETS, settings.platform.daemonset_per_node(), settings.observability.per_node_overhead()]
    return sum(p[0] for p in parts), sum(p[1] for p in parts)


def fixed_overhead(settings: StackSettings) -> Demand:
    parts = [settings.platform.fixed_overhead(), settings.data.fixed_overhead(settings.archives_wal),
             settings.observability.fixed_overhead(), settings.access.fixed_overhead()]
    return Demand(sum(p[0] for p in parts), sum(p[1] for p in parts))


def pool_capacity(pools: list[NodePool], daemonsets: tuple[int, int], headroom_percent: int) -> Demand:
    keep = (100 - headroom_percent) / 100
    cpu = sum(max(p.cpu_millicores - daemonsets[0], 0) * p.max_nodes for p in pools)
    mem = sum(max(p.memory_bytes - daemonsets[1], 0) * p.max_nodes for p in pools)
    return Demand(int(cpu * keep), int(mem * keep))


def check(settings: StackSettings, problems: ProblemCollector) -> None:
    """Record a problem if a pool cannot hold, at max scale, what is placed on it, or if the pods'
    database pools at max scale exceed what the database admits (rules/connections.py)."""
    connections.check(settings, problems)
    cluster = settings.cluster
    workers = list(cluster.worker_pools)
    if not workers:
        return  # an existing cluster whose pools were not declared: unknown, not checked
    budget = Budget.of(settings.tartware.services)
    sidecar = settings.platform.sidecar_per_pod()
    daemonsets = per_node_daemonsets(settings)
    pods = budget.max.pods
    tartware = Demand(budget.max.cpu_request_millicores + pods * sidecar[0],
                      budget.max.memory_request_bytes + pods * sidecar[1])
    headroom = cluster.headroom_percent
    open_pools = [p for p in workers if p.schedulable_for_any_pod]
    memory = memory_pool(workers)
    pinned_pods = settings.data.memory_pool_pods(settings.archives_wal) + settings.observability.memory_pool_pods()
    pinned = Demand(sum(n * c for _, n, c, _ in pinned_pods), sum(n * m for _, n, _, m in pinned_pods))
    fixed = fixed_overhead(settings)
    if memory is not None:
        fixed = Demand(fixed.cpu - pinned.cpu, fixed.memory - pinned.memory)

    biggest = sorted(budget.services, key=lambda s: s.max_replicas * s.cpu_request.millicores, reverse=True)[:3]
    services_hint = ", ".join(
        f"{key('services', s.name, 'maxReplicas')} ({s.max_replicas} x {s.cpu_request}/{s.memory_request})"
        for s in biggest)
    demand_text = (f"the Tartware services at maxReplicas request {_cores(budget.max.cpu_request_millicores)} / "
                   f"{_gib(budget.max.memory_request_bytes)} plus mesh sidecars "
                   f"{_cores(pods * sidecar[0])} / {_gib(pods * sidecar[1])} for {pods} pods")

    def pools_text(pools: list[NodePool]) -> str:
        return " + ".join(f"{p.name} {p.max_nodes} x {_cores(p.cpu_millicores)} / {_gib(p.memory_bytes)}"
                          for p in pools)

    def short_of(need: Demand, have: Demand) -> list[str]:
        short = []
        if need.cpu > have.cpu:
            short.append(f"CPU {_cores(need.cpu)} > {_cores(have.cpu)}")
        if need.memory > have.memory:
            short.append(f"memory {_gib(need.memory)} > {_gib(have.memory)}")
        return short

    def report(pools: list[NodePool], need: Demand, have: Demand, what: str, lower: str) -> bool:
        short = short_of(need, have)
        if not short:
            return False
        target = max(pools, key=lambda p: p.max_nodes) if pools else workers[0]
        problems.add(
            key("nodePools", target.name, "maxNodes"),
            f"the budget does not fit the node pools ({'; '.join(short)}): {what}; the pools give at most "
            f"{pools_text(pools)} allocatable per node, minus DaemonSets {_cores(daemonsets[0])} / "
            f"{_gib(daemonsets[1])} per node, minus {headroom}% headroom (capacityHeadroomPercent). "
            f"Raise nodePools.{target.name}.maxNodes or the node size, or lower {lower}",
            target.max_nodes)
        return True

    if not open_pools:
        problems.add(key("nodePools"), "no worker pool without a NoSchedule/NoExecute taint: the Tartware "
                     "services (no tolerations) could not be scheduled; remove the taints of one pool",
                     [p.name for p in workers])
        return
    # 1. the untainted pools: the services, and every fixed pod that tolerates no taint
    if not report(open_pools, tartware, pool_capacity(open_pools, daemonsets, headroom), demand_text,
                  f"the largest services: {services_hint}"):
        on_open = tartware + fixed  # fixed holds the data tier too when there is no memory pool
        report(open_pools, on_open, pool_capacity(open_pools, daemonsets, headroom),
               f"{demand_text}, and the platform, observability{' and data tier' if memory is None else ''} "
               f"(whose pods tolerate no taint) request {_cores(on_open.cpu - tartware.cpu)} / "
               f"{_gib(on_open.memory - tartware.memory)}", f"the largest services: {services_hint}")
    # 2. the memory pool: what is pinned to it
    if memory is not None and pinned_pods:
        pinned_text = ", ".join(f"{what} {n} x {_cores(c)} / {_gib(m)}" for what, n, c, m in pinned_pods)
        lower = "what is pinned to it (postgresReadReplicas, redisNodes, redpandaBrokers, prometheusReplicas)"
        report([memory], pinned, pool_capacity([memory], daemonsets, headroom),
               f"the pods pinned to the memory pool request {_cores(pinned.cpu)} / {_gib(pinned.memory)} "
               f"({pinned_text})", lower)
        node_cpu, node_mem = memory.cpu_millicores - daemonsets[0], memory.memory_bytes - daemonsets[1]
        for what, _, cpu, mem in pinned_pods:
            if cpu > node_cpu or mem > node_mem:
                problems.add(key("nodePools", memory.name, "memoryGb" if mem > node_mem else "cpus"),
                             f"one {what} pod requests {_cores(cpu)} / {_gib(mem)}, more than a memory-pool node "
                             f"offers after kube-reserved and DaemonSets ({_cores(node_cpu)} / {_gib(node_mem)}); "
                             f"use larger memory nodes", memory.memory_gib if mem > node_mem else memory.cpus)
        brokers = next((n for what, n, _, _ in pinned_pods if what == "redpanda"), 0)
        if brokers > memory.max_nodes:
            problems.add(key("nodePools", memory.name, "maxNodes"),
                         f"{brokers} Redpanda brokers need {brokers} memory-pool nodes (one broker per node: "
                         f"the chart's required pod anti-affinity); raise maxNodes or lower redpandaBrokers",
                         memory.max_nodes)
    # 4. the spot pool: the services that prefer it (also counted on the untainted pools above)
    spot = spot_pool(workers)
    on_spot = [s for s in budget.services if s.name in cluster.spot_services]
    if spot is not None and on_spot:
        spot_pods = sum(s.max_replicas for s in on_spot)
        spot_need = Demand(sum(s.max_replicas * s.cpu_request.millicores for s in on_spot) + spot_pods * sidecar[0],
                           sum(s.max_replicas * s.memory_request.bytes for s in on_spot) + spot_pods * sidecar[1])
        spot_text = ", ".join(f"{s.name} {s.max_replicas} x {s.cpu_request}/{s.memory_request}" for s in on_spot)
        report([spot], spot_need, pool_capacity([spot], daemonsets, headroom),
               f"the services in spotServices at maxReplicas request {_cores(spot_need.cpu)} / "
               f"{_gib(spot_need.memory)} with mesh sidecars ({spot_text}); a spot pool that cannot hold them "
               f"pushes the rest onto on-demand compute (their preferred affinity falls back), which defeats it",
               "their maxReplicas or the list spotServices")
        node_cpu, node_mem = spot.cpu_millicores - daemonsets[0], spot.memory_bytes - daemonsets[1]
        for s in on_spot:
            cpu, mem = s.cpu_request.millicores + sidecar[0], s.memory_request.bytes + sidecar[1]
            if cpu > node_cpu or mem > node_mem:
                problems.add(key("nodePools", spot.name, "instanceTypes"),
                             f"one {s.name} pod requests {_cores(cpu)} / {_gib(mem)} with its sidecar, more than a "
                             f"spot node offers after kube-reserved and DaemonSets ({_cores(node_cpu)} / "
                             f"{_gib(node_mem)}); use larger spot instance types", list(spot.instance_types))
        spot_slots = (spot.max_pods - DAEMONSET_PODS_PER_NODE) * spot.max_nodes
        if spot_pods > spot_slots:
            problems.add(key("nodePools", spot.name, "maxNodes"),
                         f"{spot_pods} pods of spotServices at maxReplicas exceed the {spot_slots} pods the spot pool "
                         f"can run ({spot.max_pods} per node, {DAEMONSET_PODS_PER_NODE} taken by DaemonSets)",
                         spot.max_nodes)
    max_pods = sum((p.max_pods - DAEMONSET_PODS_PER_NODE) * p.max_nodes for p in open_pools)
    if pods > max_pods:
        target = max(open_pools, key=lambda p: p.max_nodes)
        problems.add(key("nodePools", target.name, "maxNodes"),
                     f"{pods} Tartware pods at maxReplicas exceed the {max_pods} pods the untainted pools can run "
                     f"({open_pools[0].max_pods} per node, {DAEMONSET_PODS_PER_NODE} taken by DaemonSets); raise "
                     f"nodePools.{target.name}.maxNodes or lower: {services_hint}", target.max_nodes)
