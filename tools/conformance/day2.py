"""Day-2 changes: what the engine does with a routine change, and what follows, from the sources.

    python -m tools.conformance.day2            # the table
    python -m tools.conformance.day2 --write    # rewrite docs/day2.md (tests/test_day2.py fails when stale)

A scenario is a setting change (or `pulumi up --replace`). The program runs before and after it under
the mocks (the whole program, or the cluster target alone for node-pool changes); the registrations
are compared by URN and every difference classified the way the engine does:

* ignored properties take their old inputs before the diff (pulumi/pulumi@v3.259.0
  pkg/resource/deploy/step_generator.go 1264-1268, processIgnoreChanges 3026-3048);
* a change under ``replaceOnChanges`` replaces (step_generator.go applyReplaceOnChanges 3120-3214);
* otherwise the provider decides: the properties it forces a new resource for (FORCE_NEW, from each
  provider's source at its pin) replace, the rest update in place;
* a replacement is create-before-delete unless ``deleteBeforeReplace`` is set or the provider asks for
  it (pulumi-kubernetes: a named object replaced under the same name, provider.go 1645-1656);
* a protected resource is not replaced or deleted: the preview stops (step_generator.go 1955-1971,
  step.go 614-650), before anything changes; this is what the data tier's volume-size guards
  (protected RandomIds whose keepers hold a StatefulSet's claim size) turn a new size into;
* a resource no longer registered is deleted; a new one created.

Then what follows, where a provider or the cluster checks it: EKS's own limits on a node group's
sizes (UpdateNodegroupConfig/CreateNodegroup), how many nodes an update drains, whether a replacement
holds data, and Kubernetes' immutable StatefulSet claim templates.
"""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import json
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterator, Optional

from components.cluster import build_cluster
from program import compose
from facts import versions
from settings.errors import SettingsError
from settings.schema import no_secrets
from program.load import build_settings
from tools.conformance.graph import release_info
from tools.offline import DefaultMocks, ProgramRun, Registered, run_components, run_program, stack_config
from tools.pulumi_cli import parse_yaml
from tools.system import release_parts

ROOT = Path(__file__).resolve().parent.parent.parent
EXAMPLES = ROOT / "docs" / "examples" / "stacks"
DOC = ROOT / "docs" / "day2.md"
NS = "tartware-infra"

# The upstream sources the bridged providers are built from, at the versions the pins imply.
# pulumi-aws 7.x bridges terraform-provider-aws v6: pulumi-aws v7.37.0 bridges v6.54.0
# (github.com/pulumi/pulumi-aws/releases/tag/v7.37.0), so the pinned 7.51.1 bridges v6.54.0 or a later
# v6 tag; which one is recorded only in pulumi-aws's `upstream` git submodule, and neither repository
# could be brought here (fetch: 731 MB and 932 MB against a 500 MB limit; the Go module proxy is not
# reachable). pulumi-random bridges terraform-provider-random v3.9.0: pulumi/pulumi-random@v4.21.1 and
# its main at f64d8726 (after v4.21.1) have provider/go.mod require
# terraform-provider-random v1.3.2-0.20260513075824-f8d869dc98d9, the commit tagged v3.9.0; the pinned
# 4.21.4 is not in the mirror, so v3.9.0 is the nearest reachable.
TF_AWS = "hashicorp/terraform-provider-aws v6 (>= v6.54.0, bridged by pulumi-aws 7.51.1)"
TF_RANDOM = "hashicorp/terraform-provider-random@v3.9.0"

# Properties a provider replaces the resource for: type -> (property paths, source at the pin).
# Generated from the providers' sources by tools/provider_rules.py (tools/conformance/provider_rules.json,
# with file:line citations); terraform-provider-aws could not be read here, so its two types stay a
# transcription of internal/service/eks/node_group.go and cluster.go (checked by reading node_group.go
# in the public source index, whose stored version is not tied to a tag), marked so in docs/day2.md.
PROVIDER_RULES = ROOT / "tools" / "conformance" / "provider_rules.json"
TRANSCRIBED = "transcribed, not extracted: the source could not be brought here"
_AWS: dict[str, tuple[tuple[str, ...], str]] = {
    "aws:eks/nodeGroup:NodeGroup": (
        ("amiType", "capacityType", "clusterName", "diskSize", "instanceTypes", "launchTemplate.id",
         "launchTemplate.name", "nodeGroupName", "nodeGroupNamePrefix", "nodeRoleArn", "remoteAccess", "subnetIds"),
        f"{TF_AWS} internal/service/eks/node_group.go (ForceNew; {TRANSCRIBED})"),
    "aws:eks/cluster:Cluster": (
        ("name", "roleArn", "bootstrapSelfManagedAddons", "accessConfig.bootstrapClusterCreatorAdminPermissions",
         "kubernetesNetworkConfig.ipFamily", "kubernetesNetworkConfig.serviceIpv4Cidr", "outpostConfig",
         "remoteNetworkConfig"),
        f"{TF_AWS} internal/service/eks/cluster.go (ForceNew, version updates in place; {TRANSCRIBED})"),
}


def extracted_force_new() -> dict[str, tuple[tuple[str, ...], str]]:
    """The replacement fields tools/provider_rules.py read from the providers' sources."""
    data = json.loads(PROVIDER_RULES.read_text())
    return {t: (tuple(e["fields"]), e["source"]) for t, e in data["types"].items()}


FORCE_NEW: dict[str, tuple[tuple[str, ...], str]] = {**_AWS, **extracted_force_new()}
IN_PLACE_SOURCES = {
    "aws:eks/nodeGroup:NodeGroup": f"{TF_AWS} internal/service/eks/node_group.go "
                                   "resourceNodeGroupUpdate (UpdateNodegroupConfig, UpdateNodegroupVersion)",
    "aws:eks/cluster:Cluster": f"{TF_AWS} internal/service/eks/cluster.go "
                               "resourceClusterUpdate (UpdateClusterVersion)",
    "kubernetes:helm.sh/v3:Release": "pulumi/pulumi-kubernetes@v4.32.0 provider/pkg/provider/helm_release.go "
                                     "helmUpdate (helm upgrade)",
    "kubernetes:postgresql.cnpg.io/v1:Cluster": "pulumi/pulumi-kubernetes@v4.32.0 provider/pkg/provider/diff.go "
                                                "forceNewProperties: only its name or namespace would replace it; "
                                                "a server-side apply of the spec, awaited until Ready again",
}
ENGINE = "pulumi/pulumi@v3.259.0 pkg/resource/deploy/step_generator.go"
# Resources that hold data: replacing one loses it (charts: those whose releases keep volumes).
STATEFUL_TYPES = {"aws:eks/cluster:Cluster", "rancher2:index/clusterV2:ClusterV2",
                  "kubernetes:core/v1:PersistentVolumeClaim", "kubernetes:core/v1:Namespace",
                  "kubernetes:postgresql.cnpg.io/v1:Cluster"}
STATEFUL_CHARTS = {"postgresql", "redis-ha", "redpanda", "consul", "loki", "kube-prometheus-stack", "longhorn"}
CNPG_CLUSTER = "kubernetes:postgresql.cnpg.io/v1:Cluster"
CNPG = "cloudnative-pg/cloudnative-pg@v1.30.0"


@dataclass(frozen=True)
class Change:
    urn: str
    type: str
    name: str
    action: str  # create, update, replace (create-before-delete), replace (delete-before-replace), delete,
    #              refused, same
    paths: tuple[str, ...]
    why: str  # the source line behind the action
    old: Optional[Registered] = None
    new: Optional[Registered] = None


def _flatten(value: Any, prefix: str = "") -> dict[str, Any]:
    if isinstance(value, dict):
        if not value:
            return {prefix: {}}
        out: dict[str, Any] = {}
        for k, v in value.items():
            out.update(_flatten(v, f"{prefix}.{k}" if prefix else str(k)))
        return out
    if isinstance(value, list):
        if not value:
            return {prefix: []}
        out = {}
        for i, v in enumerate(value):
            out.update(_flatten(v, f"{prefix}[{i}]"))
        return out
    return {prefix: value}


def _under(path: str, prefix: str) -> bool:
    return prefix == "" or path == prefix or path.startswith(prefix + ".") or path.startswith(prefix + "[")


def changed_paths(old: Registered, new: Registered) -> tuple[str, ...]:
    """Input paths that differ once the new inputs take the old values of ignored properties."""
    a, b = _flatten(old.plain), _flatten(new.plain)
    paths = {p for p in set(a) | set(b) if a.get(p, _MISSING) != b.get(p, _MISSING)}
    return tuple(sorted(p for p in paths if not any(_under(p, i) for i in new.ignore_changes)))


_MISSING = object()


def _chart(r: Registered) -> str:
    return str(r.plain.get("chart", "")).rstrip("/").rsplit("/", 1)[-1]


def is_stateful(r: Registered) -> bool:
    if r.type in STATEFUL_TYPES:
        return True
    return r.type == "kubernetes:helm.sh/v3:Release" and _chart(r) in STATEFUL_CHARTS


def classify(old: Optional[Registered], new: Optional[Registered], replaced: frozenset[str] = frozenset()) -> Change:
    r = new or old
    assert r is not None
    if old is None:
        return Change(r.urn, r.type, r.name, "create", (), "a new registration: the engine creates it", None, new)
    if new is None:
        if old.protect:
            return Change(r.urn, r.type, r.name, "refused", (), "deleting a protected resource stops the preview "
                          "(pulumi/pulumi@v3.259.0 pkg/resource/deploy/step.go 614-650)", old, None)
        return Change(r.urn, r.type, r.name, "delete", (), "no longer registered: the engine deletes it", old, None)
    paths = changed_paths(old, new)
    forced = r.urn in replaced
    if not paths and not forced:
        return Change(r.urn, r.type, r.name, "same", (), "", old, new)
    replace_on = [p for p in paths if any(_under(p, q) for q in new.replace_on_changes)]
    force_new, source = FORCE_NEW.get(r.type, ((), ""))
    provider_forced = [p for p in paths if any(_under(p, f) for f in force_new)]
    if forced:
        why = "`pulumi up --replace`: the engine replaces it whatever the diff"
    elif replace_on:
        why = f"replaceOnChanges {new.replace_on_changes} ({ENGINE} applyReplaceOnChanges 3120-3214)"
    elif provider_forced:
        why = f"{', '.join(provider_forced[:3])} forces a new resource ({source})"
    else:
        return Change(r.urn, r.type, r.name, "update", paths,
                      f"{', '.join(paths[:3])}{'...' if len(paths) > 3 else ''}: updated in place "
                      f"({IN_PLACE_SOURCES.get(r.type, 'the provider updates it')})", old, new)
    if old.protect and new.protect:
        return Change(r.urn, r.type, r.name, "refused", paths, why + "; a protected resource is not replaced: the "
                      f"preview stops ({ENGINE} 1955-1971)", old, new)
    named_k8s = r.type.startswith("kubernetes:") and "Release" not in r.type and (
        (new.plain.get("metadata") or {}).get("name") == (old.plain.get("metadata") or {}).get("name") is not None)
    if new.delete_before_replace or named_k8s:
        return Change(r.urn, r.type, r.name, "replace (delete-before-replace)", paths,
                      why + ("; deleteBeforeReplace" if new.delete_before_replace else
                             "; a named object keeps its name (pulumi/pulumi-kubernetes@v4.32.0 "
                             "provider/pkg/provider/provider.go 1645-1656)"), old, new)
    return Change(r.urn, r.type, r.name, "replace (create-before-delete)", paths, why, old, new)


def compare(base: ProgramRun, after: ProgramRun, replaced: frozenset[str] = frozenset()) -> list[Change]:
    old = {r.urn: r for r in base.resources if r.custom}
    new = {r.urn: r for r in after.resources if r.custom}
    changes = [classify(old.get(u), new.get(u), replaced) for u in dict.fromkeys([*old, *new])]
    # the registration order varies from run to run (asyncio): a stable order for the table
    return sorted((c for c in changes if c.action != "same"), key=lambda c: (c.type, c.name))


# ------------------------------------------------------------------------------ what follows


@dataclass(frozen=True)
class LiveGroup:
    """A node group as EKS reports it during the change."""

    prefix: str
    desired: int
    min: int
    max: int
    instance_types: tuple[str, ...]
    capacity_type: str = "ON_DEMAND"
    disk_size: int = 100

    @property
    def name(self) -> str:
        return f"{self.prefix}{'0' * 26}"


class LiveMocks(DefaultMocks):
    """DefaultMocks whose EKS lookups (components/clusters/eks.py ``live_scaling``) find ``groups``."""

    def __init__(self, cluster: str, groups: tuple[LiveGroup, ...]):
        self.cluster, self.groups = cluster, {g.name: g for g in groups}

    def call(self, args):
        if args.token == "aws:eks/getClusters:getClusters":
            return {"id": "clusters", "names": [self.cluster]}
        if args.token == "aws:eks/getNodeGroups:getNodeGroups":
            return {"id": self.cluster, "clusterName": self.cluster, "names": list(self.groups)}
        if args.token == "aws:eks/getNodeGroup:getNodeGroup":
            g = self.groups[args.args["nodeGroupName"]]
            return {"id": g.name, "clusterName": self.cluster, "nodeGroupName": g.name,
                    "scalingConfigs": [{"desiredSize": g.desired, "minSize": g.min, "maxSize": g.max}],
                    "instanceTypes": list(g.instance_types), "capacityType": g.capacity_type, "diskSize": g.disk_size}
        return super().call(args)


@dataclass
class Outcome:
    text: str
    drained_pool: bool = False  # every node of a pool drained before replacement capacity exists
    stateful_replaced: bool = False
    provider_refused: Optional[str] = None  # a provider's or the API server's own validation fails


def eks_scaling(change: Change, live: dict[str, LiveGroup]) -> Outcome:
    """What EKS does with a node group change: UpdateNodegroupConfig sends min, max and desired
    (node_group.go resourceNodeGroupUpdate, expandNodegroupScalingConfig) and refuses min > desired or
    desired > max ("Minimum capacity X can't be greater than desired size Y"); a replacement is created
    (CreateNodegroup, same limits) before the old group is drained (create-before-delete)."""
    new = change.new.plain["scalingConfig"] if change.new else None
    old = change.old.plain["scalingConfig"] if change.old else None
    side = change.new or change.old
    scaling = old or new
    assert side is not None and scaling is not None, "a change has an old side, a new one or both"
    prefix = side.plain["nodeGroupNamePrefix"]
    group = live.get(prefix)
    current = group.desired if group else scaling["desiredSize"]
    if change.action == "update" and any(p.startswith("scalingConfig") for p in change.paths):
        assert change.new is not None and new is not None and old is not None, "an update has both sides"
        sent = (new["desiredSize"] if "scalingConfig.desiredSize" not in change.new.ignore_changes
                else old["desiredSize"])
        if not new["minSize"] <= sent <= new["maxSize"]:
            which = (f"Minimum capacity {new['minSize']} can't be greater than desired size {sent}"
                     if sent < new["minSize"]
                     else f"Desired capacity {sent} can't be greater than max size {new['maxSize']}")
            return Outcome(f"EKS refuses UpdateNodegroupConfig: InvalidParameterException: {which}",
                           provider_refused=which)
        delta = sent - current
        text = ("nodes unchanged" if delta == 0 else f"{delta:+d} nodes ({current} -> {sent})")
        return Outcome(f"in place: min {old['minSize']}->{new['minSize']}, max {old['maxSize']}->{new['maxSize']}, "
                       f"desired {sent} (live {current}): {text}", drained_pool=sent == 0 < current)
    if change.action.startswith("replace"):
        assert change.new is not None and new is not None and old is not None, "a replacement has both sides"
        # the replacement is created with the inputs the diff saw: ignored properties keep their old values
        desired = old["desiredSize"] if "scalingConfig.desiredSize" in change.new.ignore_changes else new["desiredSize"]
        if not new["minSize"] <= desired <= new["maxSize"]:
            which = f"Minimum capacity {new['minSize']} can't be greater than desired size {desired}"
            return Outcome(f"EKS refuses CreateNodegroup: InvalidParameterException: {which}", provider_refused=which)
        cbd = "create-before-delete" in change.action
        return Outcome(f"a new group of {desired} nodes is Active before the old one ({current} nodes) is "
                       "drained and deleted" if cbd else "the old group is drained and deleted before the new one "
                       "exists: the whole pool goes", drained_pool=not cbd)
    if change.action == "update" and "version" in change.paths:
        return Outcome("rolling update once the control plane is upgraded (its version is the cluster's output): "
                       "nodes replaced 25 % at a time (updateConfig.maxUnavailablePercentage, UpdateNodegroupVersion)")
    if change.action == "delete":
        return Outcome(f"drained and deleted after the new groups are created (deletes run last: {ENGINE} "
                       "GenerateDeletes)")
    return Outcome(change.action)


def statefulset_claims(release: Registered) -> dict[str, Any]:
    """{StatefulSet: volumeClaimTemplates} as the release's chart renders them (tools/system.py); empty
    when the chart version is not vendored (a bump)."""
    info = release_info(release)
    if info.path is None:
        return {}
    _, docs = release_parts(info, [])
    return {d["metadata"]["name"]: (d.get("spec") or {}).get("volumeClaimTemplates")
            for d in docs if d.get("kind") == "StatefulSet"}


GUARD = "random:index/randomId:RandomId"  # the data tier's volume-size guards (components/platform/data_tier.py)
RESIZE_RUNBOOK = 'docs/operations.md "Resizing the Redis, Redpanda and Consul volumes"'


def outcome(change: Change, live: dict[str, LiveGroup]) -> Outcome:
    if change.action == "refused":
        text = "refused at preview, nothing changes: " + change.why.rsplit("; ", 1)[-1]
        if change.type == GUARD and change.new is not None:
            text += (f"; the way through: {RESIZE_RUNBOOK} (grow the claims, orphan the StatefulSet, "
                     "`pulumi state unprotect` the guard, `pulumi up`)")
        return Outcome(text)
    if change.type == "aws:eks/nodeGroup:NodeGroup":
        return eks_scaling(change, live)
    stateful = (change.action.startswith("replace") and (is_stateful(change.old) if change.old else False))
    if change.type == "kubernetes:helm.sh/v3:Release" and change.action == "update":
        assert change.old is not None and change.new is not None, "an update has both sides"
        before, after = statefulset_claims(change.old), statefulset_claims(change.new)
        for sts, templates in after.items():
            if sts in before and _sizes(before[sts]) != _sizes(templates):
                refusal = (f"StatefulSet.apps \"{sts}\" is invalid: spec: Forbidden: updates to "
                           "statefulset spec for fields other than 'replicas', 'ordinals', 'template', "
                           "'updateStrategy', 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are "
                           "forbidden")
                return Outcome(f"helm upgrade fails: {refusal} (kubernetes/kubernetes@v1.32.0 pkg/apis/apps/validation "
                               "ValidateStatefulSetUpdate)", provider_refused=refusal)
        crds = "version" in change.paths and _chart(change.new) == "kube-prometheus-stack"
        return Outcome("helm upgrade in place" + (
            "; Helm installs a chart's crds/ on install only, never on upgrade (helm/helm@v3.20.2 "
            "pkg/action/upgrade.go has no CRD step): apply the new chart's CRDs first (kube-prometheus-stack "
            "README \"Upgrading Chart\")" if crds else ""))
    if change.type == "aws:eks/cluster:Cluster" and change.paths == ("version",):
        return Outcome("the control plane is upgraded in place, one minor version per update (UpdateClusterVersion: "
                       "docs.aws.amazon.com/eks/latest/userguide/update-cluster.html)")
    if change.type == CNPG_CLUSTER and change.action == "update":
        return Outcome(cnpg_cluster_update(change))
    if change.type == "random:index/randomPassword:RandomPassword" and change.action.startswith("replace"):
        return Outcome("a new value; the Secrets built from it update in place, the pods read it at their next start")
    if change.type == "kubernetes:core/v1:Secret" and change.action == "update" and change.new is not None and \
            (change.new.plain.get("metadata") or {}).get("namespace") == "database":
        return Outcome("CloudNativePG sets the owner's password from the changed Secret on the primary (a new "
                       f"resourceVersion: {CNPG} internal/management/controller/instance_controller.go "
                       "reconcileUser; the managed role's passwordSecret, roles/runnable.go) and the Pooler looks "
                       "logins up anew (auth_query); the app's pods read database-credentials at start: restart "
                       "them (`kubectl rollout restart deployment -n tartware-system`), or new connections of pods "
                       "still holding the old password are refused")
    return Outcome(change.action, stateful_replaced=stateful)


def cnpg_cluster_update(change: Change) -> str:
    """What CloudNativePG does with an updated ``Cluster`` (the paths the diff holds), from its source."""
    assert change.old is not None and change.new is not None, "an update has both sides"
    old, new = change.old.plain.get("spec") or {}, change.new.plain.get("spec") or {}
    out = []
    if (old.get("storage") or {}).get("size") != (new.get("storage") or {}).get("size"):
        out.append(f"every instance's claim is patched to {new['storage']['size']} by the operator ({CNPG} "
                   "pkg/reconciler/persistentvolumeclaim/existing.go reconcilePVCQuantity, resizeInUseVolumes "
                   "true by default) and expanded by the StorageClass's CSI resizer (allowVolumeExpansion), "
                   "online where the driver supports it; no pod is replaced; a smaller size is refused by the "
                   "operator's webhook at preview (\"can't shrink existing storage\", "
                   "internal/webhook/v1/cluster_webhook.go validateStorageConfigurationChange)")
    if old.get("instances") != new.get("instances"):
        if new["instances"] > old["instances"]:
            out.append(f"instances {old['instances']} -> {new['instances']}: each new standby is cloned from the "
                       "primary by a join Job (pg_basebackup) and starts streaming; the running instances are not "
                       "touched (internal/controller/cluster_create.go joinReplicaInstance)")
        else:
            out.append(f"instances {old['instances']} -> {new['instances']}: the highest-numbered ready standby and "
                       "its claim are removed, never the primary (internal/controller/cluster_scale.go "
                       "scaleDownCluster, replicas.go findDeletableInstance)")
    params_old = (old.get("postgresql") or {}).get("parameters") or {}
    params_new = (new.get("postgresql") or {}).get("parameters") or {}
    if params_old != params_new or old.get("resources") != new.get("resources"):
        out.append("a rolling restart where a parameter needs one (max_connections) or the pods change: the "
                   "standbys one at a time, most lagged first, then the primary, restarted in place "
                   "(primaryUpdateStrategy unsupervised, primaryUpdateMethod restart by default: "
                   "internal/controller/cluster_upgrade.go updatePrimaryPod); a decrease of a hot-standby "
                   "parameter restarts the primary first (PendingRestartForDecrease)")
    return "; ".join(out) or "updated in place; CloudNativePG reconciles the instances"


def _sizes(templates: Any) -> list:
    return [((t.get("spec") or {}).get("resources") or {}).get("requests", {}).get("storage") for t in templates or []]


# ------------------------------------------------------------------------------ scenarios


@dataclass(frozen=True)
class Scenario:
    id: str
    change: str  # the text of the table
    stack: str  # dev, prod, or an example of docs/examples/stacks (its Pulumi.<stack>.yaml)
    overrides: dict[str, Any] = field(default_factory=dict)
    base: dict[str, Any] = field(default_factory=dict)  # settings of the stack before the change
    scope: str = "program"  # program: the whole program; cluster: the cluster target alone
    live: tuple[LiveGroup, ...] = ()
    replace: tuple[str, ...] = ()  # resource names given to `pulumi up --replace`
    mocks: Optional[Callable[[], Any]] = None


@contextlib.contextmanager
def _pin(*pins: tuple[str, str]) -> Iterator[None]:
    """facts/versions.py with other chart versions (what a renovate bump changes)."""
    old = {name: getattr(versions, name) for name, _ in pins}
    for name, version in pins:
        setattr(versions, name, dataclasses.replace(old[name], version=version))
    try:
        yield
    finally:
        for name, ref in old.items():
            setattr(versions, name, ref)


# The EKS example's pools (settings/targets/eks.py prod defaults): compute 5-100, memory 3-50 (one
# group per zone: 1-17 each), spot 3-6. Live sizes: what the autoscaler has made of them.
COMPUTE_IDLE = LiveGroup("compute-", 5, 5, 100, ("c6i.4xlarge",))
COMPUTE_BUSY = LiveGroup("compute-", 60, 5, 100, ("c6i.4xlarge",))
MEMORY = tuple(LiveGroup(f"memory-{i}-", 4, 1, 17, ("r6i.2xlarge",)) for i in range(3))
SPOT = LiveGroup("spot-", 3, 3, 6, ("c6i.2xlarge", "c6a.2xlarge", "c7i.2xlarge"), "SPOT")


def _eks(*compute: LiveGroup) -> tuple[LiveGroup, ...]:
    return (*compute, *MEMORY, SPOT)


SCENARIOS = (
    Scenario("min-up", "raise `nodePools.compute.minNodes` 5 -> 8 (live 5)", "eks",
             {"nodePools": {"compute": {"minNodes": 8}}}, scope="cluster", live=_eks(COMPUTE_IDLE)),
    Scenario("min-down", "lower `nodePools.compute.minNodes` 5 -> 3 (live 60)", "eks",
             {"nodePools": {"compute": {"minNodes": 3}}}, scope="cluster", live=_eks(COMPUTE_BUSY)),
    Scenario("max-up", "raise `nodePools.compute.maxNodes` 100 -> 150 (live 60)", "eks",
             {"nodePools": {"compute": {"maxNodes": 150}}}, scope="cluster", live=_eks(COMPUTE_BUSY)),
    Scenario("max-down", "lower `nodePools.compute.maxNodes` 100 -> 40 (live 60)", "eks",
             {"nodePools": {"compute": {"maxNodes": 40}}}, scope="cluster", live=_eks(COMPUTE_BUSY)),
    Scenario("instance-types", "change `nodePools.compute.instanceTypes` to m6i.4xlarge (live 60)", "eks",
             {"nodePools": {"compute": {"instanceTypes": ["m6i.4xlarge"]}}}, scope="cluster", live=_eks(COMPUTE_BUSY)),
    Scenario("kubernetes", "bump `kubernetesVersion` 1.34 -> 1.35", "eks", {"kubernetesVersion": "1.35"},
             base={"kubernetesVersion": "1.34"}, scope="cluster", live=_eks(COMPUTE_BUSY)),
    Scenario("kubernetes-next", "bump `kubernetesVersion` 1.35 -> 1.36", "eks", {"kubernetesVersion": "1.36"},
             scope="cluster", live=_eks(COMPUTE_BUSY)),
    Scenario("chart", f"bump chart versions (cert-manager {versions.CERT_MANAGER.version} -> v1.19.7, "
             f"kube-prometheus-stack {versions.KUBE_PROMETHEUS_STACK.version} -> 81.6.0)", "dev",
             mocks=lambda: _pin(("CERT_MANAGER", "v1.19.7"), ("KUBE_PROMETHEUS_STACK", "81.6.0"))),
    Scenario("resize", "resize the PostgreSQL volume (`postgresStorageSize` 8Gi -> 16Gi)", "dev",
             {"postgresStorageSize": "16Gi"}),
    Scenario("resize-prod", "resize the PostgreSQL volumes in prod (`postgresStorageSize` 500Gi -> 1Ti)", "prod",
             {"postgresStorageSize": "1Ti"}),
    Scenario("resize-import", "resize the PostgreSQL volume while moving from the bitnami release "
             "(`postgresMigration=import`, `postgresStorageSize` 500Gi -> 1Ti)", "prod",
             {"postgresStorageSize": "1Ti"}, base={"postgresMigration": "import"}),
    Scenario("resize-redis", "grow the Redis volumes in prod (`redisStorageSize` 16Gi -> 32Gi)", "prod",
             {"redisStorageSize": "32Gi"}),
    Scenario("resize-redpanda", "grow the Redpanda volumes in prod (`redpandaStorageSize` 200Gi -> 400Gi)", "prod",
             {"redpandaStorageSize": "400Gi"}),
    Scenario("resize-consul", "grow the Consul volumes in prod (`consulStorageSize` 10Gi -> 20Gi)", "prod",
             {"consulStorageSize": "20Gi"}),
    Scenario("storage-class", "choose a StorageClass for the data tier in prod (`dataStorageClass` unset -> "
             "fast-ssd)", "prod", {"dataStorageClass": "fast-ssd"}),
    Scenario("standby", "add a PostgreSQL standby (`postgresReadReplicas` 2 -> 3)", "prod",
             {"postgresReadReplicas": 3}),
    Scenario("standby-dev", "add the first PostgreSQL standby (`postgresReadReplicas` 0 -> 1)", "dev",
             {"postgresReadReplicas": 1}),
    Scenario("max-connections", "raise PostgreSQL's `postgresMaxConnections` 1000 -> 1200", "prod",
             {"postgresMaxConnections": 1200}),
    Scenario("jaeger-off", "turn Jaeger off (`observabilityComponents.jaeger: false`)", "prod",
             {"observabilityComponents": {"jaeger": False}}),
    Scenario("consul-off", "turn Consul off (`dataComponents.consul: false`)", "prod",
             {"dataComponents": {"consul": False}}),
    Scenario("rotate", "rotate a generated password (`pulumi up --replace` on credentials-database)", "dev",
             replace=("credentials-database",)),
    Scenario("rotate-prod", "rotate a generated password in prod", "prod", replace=("credentials-database",)),
)


class RotatedMocks(DefaultMocks):
    """A replaced RandomPassword comes back with a new value."""

    def __init__(self, names: tuple[str, ...]):
        self.names = set(names)

    def new_resource(self, args):
        rid, outputs = super().new_resource(args)
        if args.name in self.names:
            outputs["result"] = f"mock-{args.name}-rotated"
        return rid, outputs


def _raw(stack: str, overrides: dict[str, Any]) -> tuple[dict[str, Any], set[str]]:
    """The plain settings of a stack file, and the names of its secret ones."""
    path = EXAMPLES / f"Pulumi.{stack}.yaml" if (EXAMPLES / f"Pulumi.{stack}.yaml").exists() \
        else ROOT / f"Pulumi.{stack}.yaml"
    raw, secrets = {}, set()
    for k, v in ((parse_yaml(path.read_text()) or {}).get("config") or {}).items():
        if isinstance(v, dict) and set(v) == {"secure"}:
            secrets.add(k.split(":", 1)[1])
        else:
            raw[k.split(":", 1)[1]] = v
    return _merge(raw, overrides), secrets


def _merge(base: dict, extra: dict) -> dict:
    out = dict(base)
    for k, v in extra.items():
        out[k] = _merge(out[k], v) if isinstance(v, dict) and isinstance(out.get(k), dict) else v
    return out


def _program(scenario: Scenario, overrides: dict[str, Any], mocks: Any) -> ProgramRun:
    path = EXAMPLES / f"Pulumi.{scenario.stack}.yaml"
    base = {f"{NS}:{k}": v for k, v in overrides.items()}
    if path.exists():
        config, keys = stack_config(scenario.stack, path=path, overrides=base)
    else:
        config, keys = stack_config(scenario.stack, overrides=base)
    if mocks is None:
        return run_program(scenario.stack, config, keys)
    return run_program(scenario.stack, config, keys, mocks=mocks)


def _cluster(scenario: Scenario, overrides: dict[str, Any], mocks: Any) -> ProgramRun:
    raw, secrets = _raw(scenario.stack, overrides)

    def read_secret(name: str, required: bool, problems: Any, why: str = "") -> Any:
        return f"{name}-stand-in" if name in secrets else no_secrets(name, required, problems, why)

    settings = build_settings(raw, read_secret)
    args = compose.cluster_args(settings)
    run, _ = run_components(lambda: build_cluster(f"{scenario.stack}-cluster", args), mocks=mocks)
    return run


@dataclass
class Result:
    scenario: Scenario
    refused: Optional[str] = None  # refused before anything changes (settings)
    changes: list[tuple[Change, Outcome]] = field(default_factory=list)

    @property
    def outcomes(self) -> list[Outcome]:
        return [o for _, o in self.changes]


_BEFORE: dict[str, ProgramRun] = {}


def _before(s: Scenario) -> ProgramRun:
    """The run before the change; scenarios that start from the same stack, settings and live state
    share it (the program is deterministic)."""
    key = json.dumps([s.stack, s.scope, s.base, [dataclasses.astuple(g) for g in s.live]], sort_keys=True)
    if key not in _BEFORE:
        build = _cluster if s.scope == "cluster" else _program
        _BEFORE[key] = build(s, s.base, LiveMocks("tartware-prod", s.live) if s.live else None)
    return _BEFORE[key]


def run_scenario(s: Scenario) -> Result:
    """Run the program before and after ``s`` and classify every difference."""
    mocks = (LiveMocks("tartware-prod", s.live) if s.live else
             RotatedMocks(s.replace) if s.replace else DefaultMocks())
    build = _cluster if s.scope == "cluster" else _program
    base = _before(s)
    protected = [r for r in base.resources if r.name in s.replace and r.protect]
    if protected and not s.overrides:  # the engine refuses before it looks further: no second run needed
        return Result(s, changes=[(c, outcome(c, {})) for c in (classify(r, r, frozenset({r.urn})) for r in protected)])
    try:
        if s.mocks is not None:
            with s.mocks():
                after = build(s, _merge(s.base, s.overrides), mocks)
        else:
            after = build(s, _merge(s.base, s.overrides), mocks)
    except SettingsError as exc:
        return Result(s, refused=str(exc).strip().splitlines()[-1].strip())
    replaced = frozenset(r.urn for r in base.resources if r.name in s.replace)
    return Result(s, changes=assess(compare(base, after, replaced), {g.prefix: g for g in s.live}))


def assess(changes: list[Change], live: dict[str, LiveGroup]) -> list[tuple[Change, Outcome]]:
    """Each change with what follows; once the engine refuses one at preview, none of the others runs."""
    stopped = any(c.action == "refused" for c in changes)
    out = []
    for change in changes:
        follows = outcome(change, live)
        if stopped and change.action != "refused":  # the preview failed: the update does not start
            text = f"not applied: the preview stops at the refusal ({change.action} only once it is lifted)"
            if follows.provider_refused:
                text += f"; lifted alone, it would fail: {follows.text}"
            follows = Outcome(text)
        out.append((change, follows))
    return out


def _short(type_: str) -> str:
    return type_.rsplit(":", 1)[-1]


def table(results: list[Result]) -> str:
    lines = ["| change | engine | why (source) | outcome |", "|---|---|---|---|"]
    for res in results:
        s = res.scenario
        if res.refused:
            lines.append(f"| {s.change} | refused by the program before any resource is registered | "
                         f"settings validation (program/load.py) | {res.refused} |")
            continue
        if not res.changes:
            lines.append(f"| {s.change} | no change | | nothing happens |")
            continue
        for change, out in res.changes:
            lines.append(f"| {s.change} | {change.action}: {_short(change.type)} `{change.name}` | {change.why} | "
                         f"{out.text} |")
    return "\n".join(lines)


HEADER = """# Day-2 changes: what `pulumi up` does

Generated by `python -m tools.conformance.day2 --write` (tests/test_day2.py fails when this file is stale).
Each row is one resource the change touches: the engine's action, the source line it comes from, and
what follows. The program runs before and after the change under Pulumi's mock engine (the EKS pool
changes run the cluster target alone, with the live node-group sizes in the change's text); the rules are
in tools/conformance/day2.py. Which properties make a provider replace a resource is read from the
providers' sources by tools/provider_rules.py (tools/conformance/provider_rules.json, each with its
file:line); terraform-provider-aws could not be read where this was generated, so its rows say
"transcribed, not extracted". Totals: {drains} whole-pool drains, {stateful} stateful replacements,
{refusals} changes a provider refuses.

"""


def results() -> list[Result]:
    return [run_scenario(s) for s in SCENARIOS]


def document(res: Optional[list[Result]] = None) -> str:
    res = results() if res is None else res
    outs = [o for r in res for o in r.outcomes]
    return HEADER.format(drains=sum(o.drained_pool for o in outs), stateful=sum(o.stateful_replaced for o in outs),
                         refusals=sum(o.provider_refused is not None for o in outs)) + table(res) + "\n"


def main(argv: Optional[list[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--write", action="store_true", help=f"rewrite {DOC.relative_to(ROOT)}")
    args = parser.parse_args(argv)
    text = document()
    if args.write:
        DOC.write_text(text)
    else:
        print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
