"""What every cluster target is made of: its traits, its settings, its args and its key families.

A cluster target (``clusterTarget``) is one module of this package registered in
``settings/targets/__init__.py``. It gives:

* ``TARGET``: a ``Target`` — the traits everything above the cluster asks (the default load
  balancer, whether the AWS load balancer hides client addresses, whether the cluster ships a
  metrics-server, its pools and their defaults, whether its API tokens expire, what the
  environment provides outside the stack), its settings class and its args builder;
* its settings (a ``ClusterSettings`` subclass: the union of the targets' settings is
  discriminated by ``target``) and its args (a ``ClusterArgs`` subclass, what its component in
  components/clusters/ reads);
* the config keys it owns, as a *key family* (``Family``): their declarations, their pydantic
  input fields, their validation, and the refusal of each of them on a target that does not
  read them. Pulumi config is flat, so every family's keys are in one input model
  (settings/cluster.py ``ClusterInput``); a target reads one family or more (vsphere and
  baremetal share the Rancher family, settings/targets/rancher.py);
* the answers the offline mocks give for its provider's resources (``mock_outputs``,
  ``mock_call``, ``SECRET_OUTPUTS``; tools/offline.py asks every family).

Nothing outside this package compares target names (tests/test_target_plugins.py).
"""

from __future__ import annotations

import dataclasses
import datetime
from dataclasses import dataclass, field
from typing import Any, Callable, ClassVar, Mapping, Optional, Sequence

import pulumi

from ..errors import ProblemCollector, key
from ..nodes import NodePool, PoolDefaults
from ..schema import BuildContext, Setting

# The guide's floor ("Kubernetes Version: v1.28.5+", "EKS 1.28+").
MIN_KUBERNETES_MINOR = 28

# The stages of validation, in the order their problems are reported. At each stage the families
# the stack's target does not read refuse their keys, then the target's own families check theirs.
STAGES = ("versions", "pools", "access", "network", "rancher", "machines")


@dataclass(frozen=True)
class ArgsContext:
    """What a target's args take besides its settings: the stack-level ``protect``, the domain
    (the installed Rancher's host is ``rancher.<domain>``) and the backups' off-site bucket (the
    RKE2 targets copy their etcd snapshots there; settings/ops.py ``OffsiteSettings``)."""

    protect: bool
    domain: str
    offsite: Any  # Optional[settings.ops.OffsiteSettings]


# ---------------------------------------------------------------- settings


@dataclass(frozen=True, kw_only=True)
class ClusterSettings:
    """What every target's settings hold; each target's class adds its own fields."""

    target: str
    kubeconfig: Optional[pulumi.Output]  # secret
    context: str
    node_pools: tuple[NodePool, ...] = ()  # empty: unknown (an existing cluster), capacity not checked
    name: str = "tartware"
    environment: str = "dev"
    headroom_percent: int = 15
    autoscaler: bool = True
    spot_services: tuple[str, ...] = ()  # services that prefer the spot pool (when there is one)

    @property
    def is_prod(self) -> bool:
        return self.environment == "prod"

    def pool(self, name: str) -> Optional[NodePool]:
        return next((p for p in self.node_pools if p.name == name), None)

    @property
    def worker_pools(self) -> tuple[NodePool, ...]:
        return tuple(p for p in self.node_pools if p.role == "worker")

    @property
    def kubernetes_minor(self) -> Optional[str]:
        """'1.35' where the target pins the Kubernetes version; None where it does not (existing)."""
        return None


# ---------------------------------------------------------------- args


@dataclass(frozen=True)
class ClusterArgs:
    """One class per cluster target (``TARGET``); components/cluster.py ``build_cluster`` dispatches on it."""

    TARGET: ClassVar[str] = ""


@dataclass(frozen=True)
class PoolArgs:
    """A node pool as the cluster builds it (from settings/nodes.py ``NodePool``): the
    machines of a bare-metal pool are registered by hand, so their disk is not ours to size."""

    name: str
    role: str  # worker | control-plane
    min_nodes: int
    max_nodes: int
    cpus: int  # node size (vCPU)
    memory_gib: int
    cpu_millicores: int  # allocatable per node (the nodePools output)
    memory_bytes: int
    labels: Mapping[str, str]
    taints: tuple[str, ...]  # key=value:Effect

    @property
    def autoscaled(self) -> bool:
        return self.role == "worker" and self.min_nodes < self.max_nodes


@dataclass(frozen=True)
class VmPoolArgs(PoolArgs):
    """A pool of virtual machines this stack creates (vSphere): with their disk."""

    disk_gib: int


class Pools:
    """The worker pools of a target's args."""

    node_pools: Sequence[PoolArgs]

    @property
    def worker_pools(self) -> tuple[PoolArgs, ...]:
        return tuple(p for p in self.node_pools if p.role == "worker")


def pool_args(cls: type[PoolArgs], pools: tuple[NodePool, ...]) -> tuple[Any, ...]:
    """The fields of each pool the target builds it from (``cls``)."""
    return tuple(cls(**{f.name: getattr(p, f.name) for f in dataclasses.fields(cls) if hasattr(p, f.name)})
                 for p in pools)


# ---------------------------------------------------------------- families and targets


@dataclass(frozen=True, eq=False)  # compared and hashed by identity: one object per family
class Family:
    """The config keys one module owns (its ``Input`` fields, its ``DECLARED`` settings) and their checks.

    ``refuse(stage, inp, ctx, target, owners)``: the problems of this family's keys set on
    ``target``, a target that does not read them (``owners``: the targets that do).
    ``prepare(raw)``: adjusts this family's raw values before validation.
    ``check(stage, inp, ctx, today)``: validates this family's keys for a target that reads them
    and returns the settings fields they resolve to.
    """

    name: str
    declared: tuple[Setting, ...]
    input: type  # a pydantic mixin of SettingsModel: this family's input fields
    refuse: Callable[[str, Any, BuildContext, "Target", tuple[str, ...]], None]
    check: Callable[[str, Any, BuildContext, datetime.date], dict[str, Any]]
    prepare: Callable[[dict[str, Any]], None] = lambda raw: None  # adjusts the raw values before validation
    mock_outputs: Callable[[str, str, Mapping[str, Any]], dict[str, Any]] = lambda typ, name, inputs: {}
    mock_call: Callable[[str, Mapping[str, Any]], Optional[dict[str, Any]]] = lambda token, args: None
    secret_outputs: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    resource_ids: Mapping[str, str] = field(default_factory=dict)  # type -> id prefix before the name


@dataclass(frozen=True)
class BundledMetricsServer:
    """The metrics-server a cluster's distribution deploys itself: a second one from our release
    collides with these objects (Helm: "invalid ownership metadata"; tools/conformance/apply.py)."""

    distribution: str  # how the messages name it
    objects: tuple[str, ...]  # "<Kind> <namespace>/<name>", or "<Kind> <name>" cluster-wide
    source: str  # where the distribution says it deploys them


@dataclass(frozen=True)
class CniDirs:
    """The host directories of the cluster's CNI: where istio-cni installs its plugin binary and
    chains its configuration (the istioCniBinDir / istioCniConfDir settings, when they are unset)."""

    bin_dir: str = "/opt/cni/bin"
    conf_dir: str = "/etc/cni/net.d"


@dataclass(frozen=True, eq=False)  # one object per target
class Target:
    """One cluster target: the traits everything above the cluster asks, and how it is built."""

    name: str
    summary: str  # the clusterTarget description's words for it
    families: tuple[Family, ...]
    settings: type[ClusterSettings]
    args: Callable[[Any, ArgsContext], ClusterArgs]  # (its settings, the context) -> its args
    # pools: the names allowed, the defaults per environment, where unset pools are unknown
    pools: tuple[str, ...]
    prod_pools: Mapping[str, PoolDefaults]
    dev_pools: Mapping[str, PoolDefaults]
    # defaults of a pool declared where the environment gives it none (the EKS spot pool in dev)
    declared_pool_defaults: Mapping[str, PoolDefaults] = field(default_factory=dict)
    pools_declared_only: bool = False  # True: the cluster's pools are unknown unless declared
    instance_types: bool = False  # pools sized by cloud instance types (with Spot capacity)
    spot_pool: bool = False  # offers the separate Spot pool (settings/nodes.py SPOT_POOL)
    pool_note: Mapping[str, str] = field(default_factory=dict)  # why a pool is not allowed here
    # the setting that pins the cluster's Kubernetes version (None: the cluster's own)
    version_key: Optional[str] = None
    version_hint: str = ""  # appended when another family's version key is set on this target
    # edge: the load balancer when `loadBalancer` is unset, which ones are refused, the PROXY protocol
    default_load_balancer: str = "none"
    cloud_load_balancer: bool = True  # "cloud": a cloud provider assigns LoadBalancer addresses
    kind_load_balancer: bool = False  # "cloud-provider-kind": kind clusters only
    on_aws: Optional[bool] = False  # None: the stack says so (existingClusterCloud)
    # the stack reaches a cluster made elsewhere through the kubeconfig/kubeContext settings (it
    # creates none): the Kubernetes provider's identity is the context, not clusterName
    kubeconfig_access: bool = False
    # metrics-server: shipped with the cluster (RKE2), or where the kubeconfig context says so
    # (context prefix -> what that distribution ships; an existing cluster says what it runs only
    # through its context's name)
    bundled_metrics_server: Optional[BundledMetricsServer] = None
    bundled_metrics_contexts: Mapping[str, BundledMetricsServer] = field(default_factory=dict)
    # metricsServer=auto asks the cluster first whether the metrics API is served (facts/metrics_probe.py)
    asks_for_metrics_server: bool = False
    # etcd snapshots go to the backups' bucket through Rancher (access keys and https only)
    etcd_offsite: bool = False
    # API tokens that expire (CI refreshes state before preview/up; tools/ci_stack.py)
    tokens_expire: bool = False
    # istio-cni's host directories where istioCniBinDir / istioCniConfDir are unset
    cni_dirs: CniDirs = CniDirs()
    # apply simulation (tools/conformance/apply.py): what the environment gives outside this stack
    environment_load_balancer: bool = False  # LoadBalancer addresses (the cloud, or `loadBalancer`)
    environment_storage: bool = False  # the default StorageClass and its provisioner

    def uses(self, family: Family) -> bool:
        return family in self.families

    def bundled_metrics(self, context: str) -> Optional[BundledMetricsServer]:
        """The metrics-server the cluster reached through ``context`` ships, if it ships one."""
        return self.bundled_metrics_server or next(
            (b for prefix, b in self.bundled_metrics_contexts.items() if context.startswith(prefix)), None)

    def ships_metrics_server(self, context: str) -> bool:
        return self.bundled_metrics(context) is not None

    def aws_load_balancer(self, existing_cluster_cloud: Optional[str]) -> bool:
        """True where a Service of type LoadBalancer gets an AWS load balancer."""
        return self.on_aws if self.on_aws is not None else existing_cluster_cloud == "aws"


def foreign(problems: ProblemCollector, keys: Sequence[tuple[str, Any]], message: str, shown: Callable[[Any], Any]
            = lambda v: list(v) if isinstance(v, tuple) else v) -> None:
    """Refuse each set key of ``keys`` ((config key, value)) with ``message``."""
    for name, value in keys:
        if value:
            problems.add(key(name), message, shown(value))
