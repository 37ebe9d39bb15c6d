"""Offline plan: run the real program for a stack under Pulumi's mock engine and print what it
would create — (a) the resource tree by component, (b) the service budget at min and max scale
with the node-pool fit and the database connection budget, (c) the DNS records, (d) an estimated time-to-ready of a fresh
environment (from the registered dependency graph and a table of typical creation times) with
its critical path.

    python -m tools.plan --stack prod
    python -m tools.plan --stack dev --json
    python -m tools.plan --stack prod --set loadTest=load --set loadTestUsername=k6-bot --secret loadTestPassword=x

Nothing is contacted: no cloud, no cluster, no Pulumi CLI. Unknown stack or invalid settings:
a clear message on stderr and exit code 2.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from dataclasses import dataclass
from typing import Any, Iterable, Optional

from settings.errors import SettingsError
from rules import capacity, connections, redis_load
from facts import ratelimit
from facts.catalog import SERVICE_NAMES
from program.load import load_settings
from tools.offline import ProgramRun, Registered, run_program, stack_config, unsecret

GIB = 2**30


# ------------------------------------------------------------------------------ (a) resource tree


def resource_tree(run: ProgramRun) -> list[str]:
    by_parent: dict[str, list] = {}
    for r in run.resources:
        by_parent.setdefault(r.parent, []).append(r)
    lines: list[str] = []

    def walk(urn: str, depth: int) -> None:
        for r in sorted(by_parent.get(urn, []), key=lambda r: (r.custom, r.type, r.name)):
            flags = " [protected]" if r.protect else ""
            flags += " [retained on delete]" if r.retain_on_delete else ""
            lines.append(f"{'  ' * depth}{r.type}  {r.name}{flags}")
            walk(r.urn, depth + 1)

    roots = {r.parent for r in run.resources} - {r.urn for r in run.resources}
    for root in sorted(roots):
        walk(root, 0)
    return lines


# ------------------------------------------------------------------------------ (b) budget + pools


def budget_table(budget: dict[str, Any]) -> list[str]:
    rows = [f"{'service':<30} {'replicas':>9}  {'cpu request-limit':>18}  {'memory request-limit':>20}"]
    for name, s in sorted(budget["services"].items(), key=lambda kv: SERVICE_NAMES.index(kv[0])):
        rows.append(f"{name:<30} {s['minReplicas']:>4}-{s['maxReplicas']:<4}  "
                    f"{s['cpuRequest'] + '-' + s['cpuLimit']:>18}  {s['memoryRequest'] + '-' + s['memoryLimit']:>20}")
    for side in ("min", "max"):
        t = budget[side]
        rows.append(f"total at {side}: {t['pods']:g} pods, CPU {t['cpuRequestCores']:g} cores requested / "
                    f"{t['cpuLimitCores']:g} limit, memory {t['memoryRequestGi']:g} GiB requested / "
                    f"{t['memoryLimitGi']:g} GiB limit")
    return rows


def connection_lines(c: Optional[dict[str, Any]]) -> list[str]:
    """The database connection budget (rules/connections.py): pods x DB_POOL_MAX against the server."""
    if c is None:
        return ["not checked: the data tier's PostgreSQL is switched off (dataComponents.postgres)"]
    rows = [f"{'service':<30} {c['variable']:>11}  {'at min':>7}  {'at max':>7}"]
    for name, s in sorted(c["services"].items(), key=lambda kv: SERVICE_NAMES.index(kv[0])):
        rows.append(f"{name:<30} {s['dbPoolMax']:>11}  {s['min']:>7}  {s['max']:>7}")
    server = "the pooler" if c["server"] == "pooler" else "PostgreSQL"
    rows.append(f"total: {c['min']} connections at min, {c['max']} at max; {server} admits {c['limit']} "
                f"({c['limitText']}): {c['max'] * 100 // max(c['limit'], 1)}% used at max")
    if "poolerServerConnections" in c:
        need = c["poolerServerConnections"] + c["reserved"]
        rows.append(f"PostgreSQL's max_connections {c['maxConnections']} holds the pooler's "
                    f"{c['poolerServerConnections']} server connections (a rollout's surge pod included) + "
                    f"{c['reserved']} reserved = {need}: {need * 100 // max(c['maxConnections'], 1)}% used at worst")
    rows.append("reserved: " + ", ".join(f"{who} {n}" for who, n in c["reservedFor"].items()))
    return rows


def node_pool_fit(settings: Any, budget: dict[str, Any]) -> dict[str, Any]:
    """Max capacity of the node pools against the budget's requests at max scale.

    The cluster area's capacity model (rules/capacity.py: allocatable per node minus DaemonSets,
    minus the headroom setting). Only pools a pod without tolerations can use count for the
    Tartware pods. Requests, not limits, decide scheduling.
    """
    cluster = settings.cluster
    pools = cluster.node_pools
    need = budget["max"]
    if not pools:
        return {"known": False, "reason": "the cluster target declares no node pools (an existing cluster); "
                                          "capacity is not checked", "pools": []}
    open_pools = [p for p in pools if p.schedulable_for_any_pod]
    daemonsets = capacity.per_node_daemonsets(settings)
    headroom = cluster.headroom_percent
    usable = capacity.pool_capacity(open_pools, daemonsets, headroom)
    cpu_m, mem_b = usable.cpu, usable.memory
    model = (f"allocatable minus DaemonSets ({daemonsets[0]}m / {round(daemonsets[1] / GIB, 2)} GiB per node) "
             f"minus {headroom}% headroom (rules/capacity.py)")
    rows = []
    for p in pools:
        rows.append({
            "name": p.name, "role": p.role, "minNodes": p.min_nodes, "maxNodes": p.max_nodes,
            "cpuCoresPerNode": p.cpu_millicores / 1000, "memoryGiPerNode": round(p.memory_bytes / GIB, 3),
            "maxPodsPerNode": p.max_pods,
            "schedulable": p in open_pools,
        })
    pods = sum((p.max_pods - capacity.DAEMONSET_PODS_PER_NODE) * p.max_nodes for p in open_pools)
    capacity_at_max = {"pods": pods, "cpuCores": round(cpu_m / 1000, 3), "memoryGi": round(mem_b / GIB, 3)}

    def share(used: float, total: float) -> Optional[float]:
        return round(100 * used / total, 1) if total else None

    usage = {
        "pods": share(need["pods"], capacity_at_max["pods"]),
        "cpu": share(need["cpuRequestCores"], capacity_at_max["cpuCores"]),
        "memory": share(need["memoryRequestGi"], capacity_at_max["memoryGi"]),
    }
    fits = all(u is not None and u <= 100 for u in usage.values())
    return {"known": True, "model": model, "pools": rows, "capacityAtMax": capacity_at_max,
            "budgetAtMax": {"pods": need["pods"], "cpuRequestCores": need["cpuRequestCores"],
                            "memoryRequestGi": need["memoryRequestGi"]},
            "percentUsedAtMax": usage, "fits": fits}


def node_pool_lines(fit: dict[str, Any]) -> list[str]:
    if not fit["known"]:
        return [f"node-pool fit: unknown — {fit['reason']}"]
    lines = [f"{'pool':<20} {'nodes':>9} {'cpu/node':>9} {'mem/node':>10} {'pods/node':>9}  Tartware pods"]
    for p in fit["pools"]:
        lines.append(f"{p['name']:<20} {p['minNodes']:>4}-{p['maxNodes']:<4} {p['cpuCoresPerNode']:>9g} "
                     f"{p['memoryGiPerNode']:>8g}Gi {p['maxPodsPerNode']:>9}  {'yes' if p['schedulable'] else 'no (' + p['role'] + ', tainted)'}")
    c, u = fit["capacityAtMax"], fit["percentUsedAtMax"]
    lines.append(f"capacity at max: {c['pods']} pods, {c['cpuCores']:g} cores, {c['memoryGi']:g} GiB ({fit['model']})")
    lines.append(f"budget at max uses: pods {u['pods']}%, CPU {u['cpu']}%, memory {u['memory']}% of it "
                 f"-> {'fits' if fit['fits'] else 'DOES NOT FIT'}")
    return lines


# ------------------------------------------------------------------------------ (d) time-to-ready


@dataclass(frozen=True)
class Typical:
    seconds: int
    source: str


ESTIMATE = "estimate (observed range of typical installs; not measured here)"

# Creation time until Pulumi considers the resource ready, by type token. Sources are given where a
# vendor states a figure; everything else is an estimate and labelled so (docs/operations.md).
TYPICAL_BY_TYPE: dict[str, Typical] = {
    "aws:eks/cluster:Cluster": Typical(600, "EKS control plane ~10 min (AWS EKS user guide, 'Create a cluster': "
                                            "'Cluster provisioning takes several minutes'; 10-15 min typical) — estimate"),
    "aws:eks/nodeGroup:NodeGroup": Typical(240, "EKS managed node group ~4 min (EC2 launch + kubelet join) — estimate"),
    "aws:eks/addon:Addon": Typical(60, ESTIMATE),
    "aws:ec2/natGateway:NatGateway": Typical(120, "NAT gateway 1-2 min to become available — estimate"),
    "aws:ec2/vpc:Vpc": Typical(5, ESTIMATE),
    "aws:iam/role:Role": Typical(5, ESTIMATE),
    "rancher2:index/clusterV2:ClusterV2": Typical(900, "RKE2 downstream cluster via Rancher ~15 min (VM clone, "
                                                       "RKE2 install, etcd join; the provider's default create timeout "
                                                       "is 30 min) — estimate"),
    "vsphere:index/virtualMachine:VirtualMachine": Typical(300, "vSphere clone + cloud-init ~5 min — estimate"),
    "kubernetes:core/v1:Namespace": Typical(2, ESTIMATE),
    "kubernetes:core/v1:Secret": Typical(1, ESTIMATE),
    "kubernetes:core/v1:ConfigMap": Typical(1, ESTIMATE),
    "kubernetes:core/v1:PersistentVolumeClaim": Typical(30, "Pulumi waits until the claim is Bound — estimate"),
    "kubernetes:batch/v1:Job": Typical(60, "Pulumi waits for the Job to complete — estimate"),
    "kubernetes:apps/v1:Deployment": Typical(60, "Pulumi waits for the rollout — estimate"),
    "kubernetes:apps/v1:StatefulSet": Typical(120, "Pulumi waits for every replica — estimate"),
    "kubernetes:apps/v1:DaemonSet": Typical(60, "Pulumi waits for the rollout — estimate"),
    "kubernetes:batch/v1:CronJob": Typical(1, ESTIMATE),
    # pulumi.com/waitFor condition=Ready (components/platform/postgres.py): initdb, then each standby
    # cloned from the primary one after the other
    "kubernetes:postgresql.cnpg.io/v1:Cluster": Typical(240, "primary initdb + standbys cloned ~4 min "
                                                            "(longer with an import or a recovery) — estimate"),
    "kubernetes:autoscaling.k8s.io/v1:VerticalPodAutoscaler": Typical(1, "custom resource, no await"),
}
TYPICAL_BY_PREFIX: tuple[tuple[str, Typical], ...] = (
    ("pulumi:providers:", Typical(0, "provider configuration, no API call")),
    ("random:", Typical(0, "computed locally")),
    ("tls:", Typical(0, "computed locally")),
    ("aws:", Typical(5, ESTIMATE)),
    ("rancher2:", Typical(10, ESTIMATE)),
    ("vsphere:", Typical(10, ESTIMATE)),
    ("kubernetes:", Typical(5, "plain object: accepted by the API server in about a second (Pulumi awaits "
                               "Deployments/Services readiness; none here outside charts)")),
)
# Helm releases: `helm install --wait` until every workload of the chart is ready, by chart name.
TYPICAL_BY_CHART: dict[str, Typical] = {
    "base": Typical(20, "Istio CRDs only — estimate"),
    "istiod": Typical(90, "istiod Helm release ~1-2 min (image pull + webhook ready) — estimate"),
    "cni": Typical(60, ESTIMATE),
    "gateway": Typical(150, "ingress gateway ~2-3 min incl. cloud LoadBalancer provisioning — estimate"),
    "ingress-nginx": Typical(150, "controller + admission Jobs + LoadBalancer ~2-3 min — estimate"),
    "cert-manager": Typical(90, "cert-manager + startupapicheck Job ~1-2 min — estimate"),
    "postgresql": Typical(180, "stateful release: volume provisioning + initdb ~3 min — estimate"),
    "redis": Typical(120, "stateful release: volume + start ~2 min — estimate"),
    "redis-ha": Typical(180, "stateful, nodes start one after the other (OrderedReady) + HAProxy ~3 min — estimate"),
    "cloudnative-pg": Typical(60, "operator Deployment + CRDs + webhooks ~1 min — estimate"),
    "plugin-barman-cloud": Typical(60, "plugin Deployment after its cert-manager certificates ~1 min — estimate"),
    "redpanda": Typical(360, "stateful, several brokers + post-install config Job ~5-6 min — estimate"),
    "consul": Typical(240, "servers form quorum ~4 min — estimate"),
    "kube-prometheus-stack": Typical(300, "operator, Prometheus, Grafana, CRDs ~5 min — estimate"),
    "prometheus-adapter": Typical(60, ESTIMATE),
    "jaeger": Typical(90, ESTIMATE),
    "loki": Typical(240, "stateful ~4 min — estimate"),
    "alloy": Typical(60, ESTIMATE),
    "external-secrets": Typical(60, ESTIMATE),
    "vault": Typical(120, ESTIMATE),
    "cluster-autoscaler": Typical(60, ESTIMATE),
    "rancher": Typical(420, "Rancher server 3 replicas ~5-8 min — estimate"),
    "vpa": Typical(60, "VPA recommender only ~1 min — estimate"),
    "tartware": Typical(300, "the services' Deployments pull images and pass /ready ~5 min (the guide waits up to 15 min) — estimate"),
}
DEFAULT_RELEASE = Typical(120, "Helm release, unknown chart — estimate")
DEFAULT = Typical(10, "unknown resource type — estimate")


def typical(r: Registered) -> Typical:
    if not r.custom:
        return Typical(0, "component (logical grouping)")
    if r.type == "kubernetes:helm.sh/v3:Release":
        chart = str(r.plain.get("chart") or "").rstrip("/").split("/")[-1].split(":")[0]
        return TYPICAL_BY_CHART.get(chart) or TYPICAL_BY_CHART.get(str(r.plain.get("name"))) or DEFAULT_RELEASE
    annotations = ((r.plain.get("metadata") or {}).get("annotations") or {}) if r.type.startswith("kubernetes:") else {}
    if annotations.get("pulumi.com/skipAwait") == "true":
        return Typical(2, "pulumi.com/skipAwait: not awaited")
    if r.type in TYPICAL_BY_TYPE:
        return TYPICAL_BY_TYPE[r.type]
    for prefix, t in TYPICAL_BY_PREFIX:
        if r.type.startswith(prefix):
            return t
    return DEFAULT


def _provider_urn(ref: str) -> str:
    return ref.rsplit("::", 1)[0] if ref else ""


def dependency_graph(run: ProgramRun) -> dict[str, set[str]]:
    """Custom resource URN -> custom resource URNs it waits for.

    What a resource waits for: its own dependencies (explicit depends_on and the resources its
    inputs come from), its provider, and whatever its ancestor components depend on. A dependency
    on a component means all custom resources under it.
    """
    by_urn = {r.urn: r for r in run.resources}
    children: dict[str, list[str]] = {}
    for r in run.resources:
        children.setdefault(r.parent, []).append(r.urn)

    def custom_under(urn: str) -> set[str]:
        r = by_urn.get(urn)
        if r is None:
            return set()
        if r.custom:
            return {urn}
        out: set[str] = set()
        for c in children.get(urn, []):
            out |= custom_under(c)
        return out

    def descendants(urn: str) -> set[str]:
        out = set()
        for c in children.get(urn, []):
            out.add(c)
            out |= descendants(c)
        return out

    graph: dict[str, set[str]] = {}
    for r in run.resources:
        if not r.custom:
            continue
        raw = set(r.dependencies)
        if r.provider:
            raw.add(_provider_urn(r.provider))
        parent = by_urn.get(r.parent)
        while parent is not None:
            raw |= set(parent.dependencies)
            parent = by_urn.get(parent.parent)
        deps: set[str] = set()
        for d in raw:
            deps |= custom_under(d)
        deps -= {r.urn} | descendants(r.urn)
        graph[r.urn] = deps
    return graph


def time_to_ready(run: ProgramRun) -> dict[str, Any]:
    """Earliest finish of every resource when all independent work runs in parallel (as Pulumi
    does), the total, and the chain of resources that determines it."""
    by_urn = {r.urn: r for r in run.resources}
    graph = dependency_graph(run)
    finish: dict[str, float] = {}
    via: dict[str, Optional[str]] = {}
    visiting: set[str] = set()

    def done(urn: str) -> float:
        if urn in finish:
            return finish[urn]
        if urn in visiting:  # a cycle cannot be deployed either; do not loop
            return 0.0
        visiting.add(urn)
        start, best = 0.0, None
        for d in graph.get(urn, ()):
            f = done(d)
            if f > start or best is None and f == start:
                start, best = f, d
        visiting.discard(urn)
        finish[urn] = start + typical(by_urn[urn]).seconds
        via[urn] = best
        return finish[urn]

    for urn in graph:
        done(urn)
    if not finish:
        return {"seconds": 0, "minutes": 0, "criticalPath": []}
    last = max(finish, key=lambda u: (finish[u], u))
    chain = []
    cur: Optional[str] = last
    while cur is not None:
        chain.append(cur)
        cur = via.get(cur)
    chain.reverse()
    path = []
    for urn in chain:
        r, t = by_urn[urn], typical(by_urn[urn])
        path.append({"type": r.type, "name": r.name, "seconds": t.seconds, "finishSeconds": finish[urn],
                     "basis": t.source})
    total = finish[last]
    return {"seconds": total, "minutes": round(total / 60, 1), "criticalPath": path,
            "resourcesTimed": len(finish)}


def time_lines(ttr: dict[str, Any]) -> list[str]:
    lines = [f"estimated time-to-ready of a fresh environment: ~{ttr['minutes']:g} min "
             f"({ttr['seconds']:g} s; independent work in parallel, typical creation times)",
             "critical path:"]
    for step in ttr["criticalPath"]:
        if step["seconds"] == 0:
            continue
        lines.append(f"  +{step['seconds']:>4g}s -> {step['finishSeconds']:>5g}s  {step['type']}  {step['name']}")
    return lines


# ------------------------------------------------------------------------------ extras


def etcd_snapshots(run: ProgramRun) -> list[dict[str, Any]]:
    """etcd snapshot schedules of RKE2 clusters (rancher2 ClusterV2 rkeConfig.etcd), if any."""
    out = []
    for r in run.of_type("rancher2:index/clusterV2:ClusterV2"):
        etcd = (r.plain.get("rkeConfig") or {}).get("etcd") or {}
        out.append({"cluster": r.plain.get("name", r.name),
                    "schedule": etcd.get("snapshotScheduleCron"),
                    "retention": etcd.get("snapshotRetention"),
                    "s3": bool(etcd.get("s3Config")),
                    "disabled": bool(etcd.get("disableSnapshots"))})
    return out


def _secret_safe(value: Any) -> Any:
    return "[secret]" if type(value).__name__ == "Secret" else unsecret(value)


def plan(stack: str, overrides: Optional[dict[str, Any]] = None,
         secrets: Optional[dict[str, str]] = None) -> dict[str, Any]:
    """The plan of ``stack`` (config overrides/secrets: full keys, as stack_config takes them)."""
    config, secret_keys = stack_config(stack, overrides=overrides, secrets=secrets)
    run = run_program(stack, config, secret_keys)
    settings = load_settings()  # the config the run used is still set; validated again, cheap
    outputs = {k: _secret_safe(v) for k, v in run.outputs.items()}
    budget = outputs.get("budget")
    return {
        "stack": stack,
        "resourceCount": len(run.resources),
        "tree": resource_tree(run),
        "budget": budget,
        "nodePoolFit": node_pool_fit(settings, budget),
        "connections": connections.budget(settings).as_output() if settings.data.postgres else None,
        "dnsRecords": outputs.get("dnsRecords", []),
        "ingressAddress": outputs.get("ingressAddress") or None,
        "timeToReady": time_to_ready(run),
        "etcdSnapshots": etcd_snapshots(run),
        "edge": edge_plan(settings),
        "redis": redis_load.budget(settings).as_output() if settings.data.redis else None,
        "outputs": {k: v for k, v in outputs.items() if k != "budget"},
    }


def edge_plan(settings: Any) -> dict[str, Any]:
    """The edge at the guide's rate: the per-client limit, the ratelimit service's sizing
    (facts/ratelimit.py) and its load on the data tier's Redis, and the load test's path."""
    p, target, lt = settings.platform, settings.cluster.target, settings.ops.load_test
    out: dict[str, Any] = {"perClientLimit": p.edge_rate_limit, "proxyProtocol": p.edge_proxy_protocol(target)}
    if p.istio and p.edge_rate_limit and settings.data.redis:
        replicas, request, _ = p.ratelimit_pods()
        most = p.ratelimit_max_replicas()
        out["ratelimit"] = {
            "minReplicas": replicas, "maxReplicas": most, "cpuRequest": request.cpu,
            "cpuTargetPercent": ratelimit.RATELIMIT_CPU_TARGET,
            "coresAtGuideRate": ratelimit.GUIDE_RATE * ratelimit.CPU_MICROSECONDS_PER_CALL / 1e6,
            "podsAtGuideRate": ratelimit.ratelimit_replicas_for(ratelimit.GUIDE_RATE),
            "podsAtHeadroomRate": ratelimit.ratelimit_replicas_for(ratelimit.HEADROOM_RATE),
            "redisPipelineWindow": ratelimit.REDIS_PIPELINE_WINDOW, "redisPoolSize": ratelimit.REDIS_POOL_SIZE,
            "redisConnectionsAtMax": most * ratelimit.REDIS_POOL_SIZE,
            "redisCommandsPerSecondAtGuideRate": ratelimit.redis_commands_per_second(ratelimit.GUIDE_RATE),
            "redisCommandsPerSecondAtHeadroomRate": ratelimit.redis_commands_per_second(ratelimit.HEADROOM_RATE),
        }
    if lt is not None:
        edge = p.load_test_edge(target, settings.domain)
        endpoint, limit = lt.endpoint(edge), lt.edge_limit(edge)
        test: dict[str, Any] = {"profile": lt.profile, "path": endpoint.path, "url": endpoint.url,
                                "hostHeader": endpoint.host_header, "accounts": lt.accounts(edge),
                                "perClientLimit": limit}
        if endpoint.path != "edge" and p.edge_unavailable_because(target):
            test["edgeUnavailable"] = p.edge_unavailable_because(target)
        if lt.locust is not None:
            workers = lt.locust.workers(limit)
            test.update(sources=workers, perSourceRps=math.ceil(lt.locust.users * 4 / workers))
        else:
            pods = lt.sizing(edge).pods
            test.update(rate=lt.rate, sources=pods, perSourceRps=math.ceil(lt.rate / pods))
        out["loadTest"] = test
    return out


def edge_lines(edge: dict[str, Any]) -> list[str]:
    lines = [f"per-client limit: {edge['perClientLimit']} req/s per address"
             f"{' (PROXY protocol from the load balancer)' if edge['proxyProtocol'] else ''}"]
    r = edge.get("ratelimit")
    if r:
        lines.append(f"ratelimit service: {r['minReplicas']}-{r['maxReplicas']} pods (HPA on CPU, {r['cpuTargetPercent']} % of "
                     f"{r['cpuRequest']}); at {ratelimit.GUIDE_RATE:,} req/s {r['coresAtGuideRate']:g} cores = "
                     f"{r['podsAtGuideRate']} pods, at {ratelimit.HEADROOM_RATE:,} req/s {r['podsAtHeadroomRate']} pods")
        lines.append(f"  REDIS_PIPELINE_WINDOW {r['redisPipelineWindow']}, REDIS_POOL_SIZE {r['redisPoolSize']} per pod "
                     f"(at most {r['redisConnectionsAtMax']} connections)")
        lines.append(f"data tier Redis (redis-master): {r['redisCommandsPerSecondAtGuideRate']:,} commands/s at "
                     f"{ratelimit.GUIDE_RATE:,} req/s, {r['redisCommandsPerSecondAtHeadroomRate']:,} at "
                     f"{ratelimit.HEADROOM_RATE:,} (INCRBY + EXPIRE per request)")
    t = edge.get("loadTest")
    if t:
        rate = f" at {t['rate']:,} req/s" if "rate" in t else ""
        host = f" with Host {t['hostHeader']}" if t["hostHeader"] else ""
        kind = "workers" if t["profile"] == "locust" else "generators"
        limit = f" (per-client limit {t['perClientLimit']})" if t["perClientLimit"] else ""
        lines.append(f"load test {t['profile']}{rate} via the {t['path']} path: {t['url']}{host}; {t['sources']} {kind} at "
                     f"{t['perSourceRps']} req/s each{limit}; {t['accounts']} accounts")
        if t.get("edgeUnavailable"):
            lines.append(f"  edge path unavailable: {t['edgeUnavailable']}; the load test does not exercise the "
                         "limiter (docs/platform.md \"Known limit: no load test through the edge\")")
    return lines


def redis_lines(r: dict[str, Any]) -> list[str]:
    """The data tier's Redis budget (rules/redis_load.py)."""
    def per(commands: dict[str, int]) -> str:
        return " + ".join(f"{who} {n:,}" for who, n in commands.items()) or "none"
    return [
        f"at {ratelimit.GUIDE_RATE:,} req/s: {per(r['commandsPerSecondAtGuideRate'])} commands/s = "
        f"{r['threadMillisecondsAtGuideRate']:g} ms of Redis's thread per second",
        f"at {ratelimit.HEADROOM_RATE:,} req/s: {per(r['commandsPerSecondAtHeadroomRate'])} commands/s = "
        f"{r['threadMillisecondsAtHeadroomRate']:g} ms (budget {r['threadBudgetMilliseconds']:g} ms: "
        f"{redis_load.REDIS_THREAD_SHARE} % of the {r['cpuRequestMillicores']}m request, one thread)",
        f"clients at max scale: {r['connectionsAtMax']:,} of maxclients {r['maxClients']:,} ("
        + ", ".join(f"{who} {n}" for who, n in r["connectionsFrom"].items()) + ")",
    ]


def dns_lines(records: Iterable[dict[str, Any]], address: Optional[str]) -> list[str]:
    lines = []
    for rec in records:
        lines.append(f"{rec['name']:<40} {rec.get('type') or 'A/CNAME':<7} "
                     f"{rec.get('value') or '<LoadBalancer address, known after pulumi up>'}")
    if not address:
        lines.append("(type A for an IP address, CNAME for a hostname such as an AWS load balancer's: "
                     "`pulumi stack output dnsRecords --json` after `pulumi up`)")
    return lines


def database_lines(db: dict[str, Any]) -> list[str]:
    p = db["pooler"]
    return [
        f"app address {db['address']}: Pooler {p['name']} (PgBouncer, {p['poolMode']} mode), {p['instances']} pod(s) "
        f"x {p['maxClientConnections']} clients (admits {p['clientCapacity']} with {p['podsLost']} pod(s) down), "
        f"{p['maxDbConnections']} server connections each ({p['serverConnections']} with a rollout's surge pod); "
        f"max_connections {db['maxConnections']}",
        f"cluster {db['cluster']}: {db['instances']} instance(s), primary {db['primary']}"
        + (f", standbys {db['replicas']}" if db["replicas"] else "") + f", synchronous {db['synchronous']}",
        f"WAL archive: {db['walArchive'] or 'none (no backupOffsiteBucket)'}"
        + (f", base backups '{db['baseBackupSchedule']}' (six fields, seconds first)" if db["baseBackupSchedule"] else ""),
        f"RPO: {db['rpo']}",
        "runbook (the guide's commands here):",
        *(f"  {cmd}" for cmd in db["runbook"].values()),
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--stack", default="prod", help="stack name: a Pulumi.<stack>.yaml must exist")
    parser.add_argument("--json", action="store_true", help="machine-readable output")
    parser.add_argument("--set", action="append", default=[], metavar="KEY=VALUE",
                        help="a setting on top of the stack file, as `pulumi config set` would (e.g. loadTest=load)")
    parser.add_argument("--secret", action="append", default=[], metavar="KEY=VALUE",
                        help="a secret setting (e.g. loadTestPassword=...); shown as [secret]")
    args = parser.parse_args(argv)

    def pairs(items: list[str]) -> dict[str, str]:
        out = {}
        for item in items:
            name, _, value = item.partition("=")
            out[name if ":" in name else f"tartware-infra:{name}"] = value
        return out
    try:
        result = plan(args.stack, pairs(args.set) or None, pairs(args.secret) or None)
    except ValueError as exc:  # unknown stack
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except SettingsError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    if args.json:
        print(json.dumps(result, indent=2, default=str))
        return 0
    print(f"Offline plan for stack '{args.stack}' (mock engine; nothing was contacted)\n")
    print(f"Resources ({result['resourceCount']}):")
    print("\n".join("  " + line for line in result["tree"]))
    print("\nService budget:")
    print("\n".join("  " + line for line in budget_table(result["budget"])))
    print("\nNode-pool fit (requests at max scale vs max pool capacity):")
    print("\n".join("  " + line for line in node_pool_lines(result["nodePoolFit"])))
    print("\nDatabase connections (pods x DB_POOL_MAX vs what the database admits):")
    print("\n".join("  " + line for line in connection_lines(result["connections"])))
    print("\nEdge:")
    print("\n".join("  " + line for line in edge_lines(result["edge"])))
    if result["redis"]:
        print("\nData tier Redis (redis-master: the limiters' commands and the clients at max scale vs what it admits):")
        print("\n".join("  " + line for line in redis_lines(result["redis"])))
    print("\nDNS records:")
    print("\n".join("  " + line for line in dns_lines(result["dnsRecords"], result["ingressAddress"])))
    if result["outputs"].get("database"):
        print("\nDatabase (PostgreSQL on CloudNativePG):")
        print("\n".join("  " + line for line in database_lines(result["outputs"]["database"])))
    print("\nTime to ready:")
    print("\n".join("  " + line for line in time_lines(result["timeToReady"])))
    if result["etcdSnapshots"]:
        print("\netcd snapshots:")
        for e in result["etcdSnapshots"]:
            print(f"  {e['cluster']}: schedule {e['schedule']}, keep {e['retention']}, "
                  f"{'S3' if e['s3'] else 'local'}{' (DISABLED)' if e['disabled'] else ''}")
    print("\nOutputs:")
    for k, v in result["outputs"].items():
        print(f"  {k}: {json.dumps(v, default=str)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
