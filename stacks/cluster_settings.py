"""Cluster settings: which target builds (or adopts) the cluster, its versions and its node pools.

``build`` receives only this section's keys. Targets:

* ``existing``  – a kubeconfig/context (kind, k3d, any managed cluster); the dev default.
* ``eks``       – AWS EKS built with plain pulumi-aws (VPC, control plane, managed node groups).
* ``vsphere``   – a Rancher ``ClusterV2`` (RKE2) with vSphere machine pools.
* ``baremetal`` – a Rancher custom ``ClusterV2`` (RKE2); machines register with a command.

Version defaults and their sources are in docs/clusters.md. Node pools are an object setting
(``nodePools.<pool>.<field>``) like ``services``; their allocatable capacity is derived here so
the capacity check (stacks/capacity.py) can compare the budget with it before anything is built.
"""

from __future__ import annotations

import datetime
import ipaddress
import json
from dataclasses import dataclass, field
from typing import Annotated, Any, Literal, Mapping, Optional, Sequence

import pulumi
from pydantic import Field

from . import versions
from .catalog import SERVICE_NAMES
from .errors import key
from .schema import BuildContext, from_input, Setting, SettingsModel, fields_of, hint, validate_section

NAME = "cluster"

TARGETS = ("existing", "eks", "vsphere", "baremetal")
RANCHER_TARGETS = ("vsphere", "baremetal")
POOL_NAMES = ("controlPlane", "compute", "memory")
WORKER_POOLS = ("compute", "memory")
# EKS only: a separate pool of Spot capacity for the services listed in spotServices (the guide's
# "Spot Instances": "use spot instances for non-critical workloads"; docs/clusters.md "Spot pool").
SPOT_POOL = "spot"
# The guide's "non-critical workloads" among the Tartware services: the asynchronous/back-office
# ones outside the booking path (red2n/tartware@a2583469 Apps/: notification and revenue consume Kafka
# and the database only; housekeeping is one of the guide's "Others"). The API gateway, core,
# reservations, billing, guests, rooms and the availability guard (dialled synchronously by
# reservations, AVAILABILITY_GUARD_TIMEOUT_MS 1500) stay on demand. Reasons: docs/clusters.md.
DEFAULT_SPOT_SERVICES = ("housekeeping-service", "notification-service", "revenue-service")

# The guide's floor ("Kubernetes Version: v1.28.5+", "EKS 1.28+").
MIN_KUBERNETES_MINOR = 28
# EKS: 1.28 can no longer be created (end of extended support 2025-11-26); 1.35 is in standard
# support until 2027-03-27. Source: docs.aws.amazon.com/eks/latest/userguide/kubernetes-versions.html
DEFAULT_EKS_VERSION = "1.35"
# End of EKS extended support: after this date EKS refuses to create the version (same source).
EKS_END_OF_EXTENDED_SUPPORT = {
    28: datetime.date(2025, 11, 26),
    29: datetime.date(2026, 3, 23),
    30: datetime.date(2026, 7, 23),
    31: datetime.date(2026, 11, 26),
    32: datetime.date(2027, 3, 23),
    33: datetime.date(2027, 7, 29),
    34: datetime.date(2027, 12, 2),
    35: datetime.date(2028, 3, 27),
}
# RKE2: v1.28.5+rke2r1 (the guide's) is in no Rancher KDM channel and no maintained Rancher (2.12+)
# offers 1.28 any more; v1.34.1+rke2r1 is offered by Rancher 2.13 (rancher/rancher test fixtures,
# rancher/rancher#52477). See docs/clusters.md.
DEFAULT_RKE2_VERSION = "v1.34.1+rke2r1"

DECLARED: tuple[Setting, ...] = (
    Setting("clusterTarget", "string", "Where Kubernetes comes from: existing (a kubeconfig/context), eks, vsphere (Rancher + vSphere) or baremetal (Rancher custom RKE2).", "existing"),
    Setting("kubeconfig", "string", "Kubeconfig contents for clusterTarget=existing. Unset: the ambient KUBECONFIG / ~/.kube/config.", secret=True),
    Setting("kubeContext", "string", "Context in the kubeconfig. Empty: its current context.", ""),
    Setting("clusterName", "string", "Name of the cluster this stack creates (EKS cluster / Rancher cluster). Unset: tartware-<environment>."),
    Setting("kubernetesVersion", "string", f"EKS Kubernetes version (1.<minor>, at least 1.{MIN_KUBERNETES_MINOR}). Unset: {DEFAULT_EKS_VERSION}."),
    Setting("rke2Version", "string", f"RKE2 version for vsphere/baremetal (v1.<minor>.<patch>+rke2r<n>). Unset: {DEFAULT_RKE2_VERSION}."),
    Setting("capacityHeadroomPercent", "integer", "Share of the max pool capacity kept free by the capacity check (0-50).", 15),
    Setting("clusterAutoscaler", "boolean", "Install cluster-autoscaler (eks, vsphere) honouring each pool's minNodes/maxNodes.", True),
    # --- EKS
    Setting("vpcCidr", "string", "EKS: the VPC's IPv4 CIDR (a /16 is split into 3 private /18 and 3 public /20).", "10.0.0.0/16"),
    Setting("natGatewayPerAz", "boolean", "EKS: one NAT gateway per availability zone. Unset: true when environment=prod, else one shared NAT."),
    Setting("eksPublicAccessCidrs", "array", "EKS: CIDRs allowed to reach the public API endpoint. Empty: 0.0.0.0/0 outside prod; prod must list them.", [], items="string"),
    Setting("eksAdminRoleArns", "array", "EKS: IAM role ARNs given cluster-admin through an access entry (AmazonEKSClusterAdminPolicy).", [], items="string"),
    Setting("eksCiRoleArns", "array", "EKS: IAM role ARNs of CI/CD given cluster-admin through an access entry (Pulumi installs cluster-scoped objects).", [], items="string"),
    Setting("spotServices", "array", "EKS: Tartware services that prefer the spot node pool (they tolerate its taint and fall back to on-demand compute). Empty: no spot pool by default, every service on demand.", list(DEFAULT_SPOT_SERVICES), items="string"),
    Setting("eksKubeconfigRoleArn", "string", "EKS: IAM role ARN the exported kubeconfig assumes (aws eks get-token --role-arn). Empty: the caller's own identity.", ""),
    # --- Rancher (vsphere, baremetal)
    Setting("rancherApiUrl", "string", "Rancher API URL for vsphere/baremetal (https://rancher.example.com). Unset with rancherInstall=true: https://<rancherHostname>."),
    Setting("rancherToken", "string", "Rancher API token (secret) for vsphere/baremetal; not needed with rancherInstall=true.", secret=True),
    Setting("rancherInsecure", "boolean", "Skip TLS verification of the Rancher API (self-signed Rancher CA). Unset: true with rancherInstall=true, else false."),
    Setting("rancherInstall", "boolean", "Install Rancher (and its cert-manager) onto the management cluster in this stack (vsphere/baremetal).", False),
    Setting("rancherHostname", "string", "Hostname of the installed Rancher (published as a DNS record). Unset: rancher.<domain> (rancher.tartware.local)."),
    Setting("rancherVersion", "string", f"Rancher chart version to install. Unset: {versions.RANCHER.version}."),
    Setting("rancherReplicas", "integer", "Rancher server replicas. Unset: 3 when environment=prod, else 1."),
    Setting("rancherKubeconfig", "string", "Kubeconfig of the management cluster Rancher is installed on. Unset: the ambient one.", secret=True),
    Setting("rancherKubeContext", "string", "Context of the management cluster in that kubeconfig. Empty: its current context.", ""),
    Setting("etcdSnapshotSchedule", "string", "vsphere/baremetal: etcd snapshot cron schedule.", "0 */6 * * *"),
    Setting("etcdSnapshotRetention", "integer", "vsphere/baremetal: etcd snapshots kept.", 28),
    Setting("loadBalancerAddresses", "string", "vsphere/baremetal: MetalLB address pool for LoadBalancer Services (the Istio gateway, ingress-nginx): a CIDR such as 192.168.10.240/28 or a range such as 192.168.10.240-192.168.10.250. Required on those targets.", ""),
    Setting("nodeNetworkCidr", "string", "vsphere/baremetal: the nodes' network (CIDR). When set, loadBalancerAddresses must lie inside it (MetalLB L2 answers ARP on that segment). Empty: not checked.", ""),
    Setting("bareMetalStorage", "string", "baremetal: volume provisioner and default StorageClass: longhorn (replicated block storage, survives a node loss) or local-path (node-local disks, no replication).", "longhorn"),
    Setting("clusterActiveTimeoutMinutes", "integer", "vsphere/baremetal: how long to wait for the cluster to become Active.", 60),
    # --- vSphere
    Setting("vsphereVcenter", "string", "vsphere: vCenter host name.", ""),
    Setting("vsphereUsername", "string", "vsphere: vCenter user.", ""),
    Setting("vspherePassword", "string", "vsphere: vCenter password (secret).", secret=True),
    Setting("vsphereInsecure", "boolean", "vsphere: skip vCenter TLS verification.", False),
    Setting("vsphereDatacenter", "string", "vsphere: datacenter name.", ""),
    Setting("vsphereDatastore", "string", "vsphere: datastore name.", ""),
    Setting("vsphereNetwork", "string", "vsphere: VM network (port group) name.", ""),
    Setting("vsphereResourcePool", "string", "vsphere: resource pool path below the datacenter's hosts, e.g. Cluster1/Resources/tartware.", ""),
    Setting("vsphereFolder", "string", "vsphere: VM folder below the datacenter's vm folder (must exist). Empty: the vm folder itself.", ""),
    Setting("vsphereTemplate", "string", "vsphere: the Ubuntu 22.04 cloud-init VM template to clone (path below the vm folder).", "ubuntu-22.04-cloudinit"),
)
OBJECT_SETTINGS: tuple[str, ...] = ("nodePools",)

for _field, _text in {
    "kubernetesVersion": f"an EKS version such as '{DEFAULT_EKS_VERSION}' (1.<minor>)",
    "rke2Version": f"an RKE2 version such as '{DEFAULT_RKE2_VERSION}'",
    "rancherVersion": "a Rancher chart version such as '2.13.3'",
    "rancherApiUrl": "an https URL such as 'https://rancher.example.com'",
    "clusterName": "a lower-case name of letters, digits and '-' (at most 40 characters)",
    "vpcCidr": "an IPv4 /16 CIDR such as '10.0.0.0/16'",
    "eksPublicAccessCidrs": "IPv4 CIDRs such as '203.0.113.0/24'",
    "eksAdminRoleArns": "IAM role ARNs such as 'arn:aws:iam::123456789012:role/platform-admin'",
    "eksCiRoleArns": "IAM role ARNs such as 'arn:aws:iam::123456789012:role/github-deploy'",
    "eksKubeconfigRoleArn": "an IAM role ARN such as 'arn:aws:iam::123456789012:role/platform-admin'",
    "etcdSnapshotSchedule": "a 5-field cron schedule such as '0 */6 * * *'",
    "taints": "taints as 'key=value:Effect' (Effect: NoSchedule, PreferNoSchedule or NoExecute)",
    "instanceTypes": "EC2 instance types such as 'c6i.4xlarge'",
    "spotServices": "Tartware service names such as 'notification-service'",
}.items():
    hint(_field, _text)

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


# ---------------------------------------------------------------- address pools


def parse_address_pool(text: str) -> tuple[ipaddress.IPv4Address, ipaddress.IPv4Address]:
    """'192.168.10.240/28' or '192.168.10.240-192.168.10.250' -> (first, last); ValueError if neither.

    The two forms MetalLB's IPAddressPool.spec.addresses accepts (metallb/metallb@v0.15.2
    api/v1beta1/ipaddresspool_types.go: "a list of IP address ranges ... CIDR or from-to")."""
    text = text.strip()
    if "-" in text:
        first_text, _, last_text = text.partition("-")
        first, last = ipaddress.IPv4Address(first_text.strip()), ipaddress.IPv4Address(last_text.strip())
        if first > last:
            raise ValueError(f"the range starts after it ends ({first} > {last})")
        return first, last
    net = ipaddress.IPv4Network(text, strict=True)
    return net[0], net[-1]


def _check_network(inp: "ClusterInput", ctx: BuildContext) -> None:
    """MetalLB pool (required on vsphere/baremetal) and the node network it must lie in."""
    problems, target = ctx.problems, inp.cluster_target
    pool_text, net_text = inp.load_balancer_addresses.strip(), inp.node_network_cidr.strip()
    example = "a CIDR such as 192.168.10.240/28 or a range such as 192.168.10.240-192.168.10.250"
    if target not in RANCHER_TARGETS:
        for name, value in (("loadBalancerAddresses", pool_text), ("nodeNetworkCidr", net_text)):
            if value:
                problems.add(key(name), "applies to clusterTarget=vsphere or baremetal only (EKS: AWS load balancers)", value)
        return
    network = None
    if net_text:
        try:
            network = ipaddress.IPv4Network(net_text, strict=True)
        except ValueError as exc:
            problems.add(key("nodeNetworkCidr"), f"not an IPv4 network ({exc}); expected a CIDR such as 192.168.10.0/24", net_text)
    if not pool_text:
        problems.add(key("loadBalancerAddresses"),
                     f"required for clusterTarget={target}: MetalLB gives LoadBalancer Services (Istio gateway, "
                     f"ingress-nginx) addresses from this pool; expected {example}")
        return
    try:
        first, last = parse_address_pool(pool_text)
    except ValueError as exc:
        problems.add(key("loadBalancerAddresses"), f"not an address pool ({exc}); expected {example}", pool_text)
        return
    if network is not None and not (first in network and last in network):
        problems.add(key("loadBalancerAddresses"),
                     f"outside nodeNetworkCidr {network}: MetalLB (layer 2) can only announce addresses of the "
                     f"nodes' own network; allowed: addresses inside {network}", pool_text)
    elif network is not None and (first == network.network_address or last == network.broadcast_address) and network.prefixlen < 31:
        problems.add(key("loadBalancerAddresses"),
                     f"includes the network or broadcast address of {network}; allowed: host addresses inside it", pool_text)


def _check_eks_access(inp: "ClusterInput", ctx: BuildContext) -> tuple[str, ...]:
    """Public endpoint CIDRs (open in dev, listed in prod) and the access-entry settings."""
    problems, target = ctx.problems, inp.cluster_target
    if target != "eks":
        for name, value in (("eksPublicAccessCidrs", inp.eks_public_access_cidrs), ("eksAdminRoleArns", inp.eks_admin_role_arns),
                            ("eksCiRoleArns", inp.eks_ci_role_arns), ("eksKubeconfigRoleArn", inp.eks_kubeconfig_role_arn)):
            if value:
                problems.add(key(name), "applies to clusterTarget=eks only", list(value) if isinstance(value, tuple) else value)
        return ()
    for text in inp.eks_public_access_cidrs:
        try:
            ipaddress.IPv4Network(text, strict=True)
        except ValueError as exc:
            problems.add(key("eksPublicAccessCidrs"), f"not an IPv4 network ({exc}); expected {PATTERN_HINT_CIDRS}", text)
    if inp.eks_public_access_cidrs:
        return tuple(inp.eks_public_access_cidrs)
    if ctx.is_prod:
        problems.add(key("eksPublicAccessCidrs"),
                     "required in prod: the public API endpoint is closed until you list who may reach it "
                     f"(your VPN/office egress, the CI runners); expected {PATTERN_HINT_CIDRS} "
                     "(0.0.0.0/0 only if you list it yourself)")
    return ("0.0.0.0/0",)


PATTERN_HINT_CIDRS = "IPv4 CIDRs such as '203.0.113.0/24'"


# ---------------------------------------------------------------- input models

Taint = Annotated[str, Field(pattern=r"^[A-Za-z0-9./_-]+(=[A-Za-z0-9._-]*)?:(NoSchedule|PreferNoSchedule|NoExecute)$")]
Count = Annotated[int, Field(ge=1, le=1000)]
# IAM role ARN (docs.aws.amazon.com/IAM/latest/UserGuide/reference_identifiers.html#identifiers-arns):
# arn:<partition>:iam::<12-digit account>:role/<optional path/><name of [\w+=,.@-]>
RoleArn = Annotated[str, Field(pattern=r"^arn:aws(-cn|-us-gov)?:iam::\d{12}:role/[A-Za-z0-9+=,.@_/-]{1,512}$")]


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


class ClusterInput(SettingsModel):
    cluster_target: Literal["existing", "eks", "vsphere", "baremetal"]
    kube_context: str
    cluster_name: Optional[Annotated[str, Field(pattern=r"^[a-z][a-z0-9-]{0,38}[a-z0-9]$")]] = None
    kubernetes_version: Optional[Annotated[str, Field(pattern=r"^1\.\d{1,2}$")]] = None
    rke2_version: Optional[Annotated[str, Field(pattern=r"^v1\.\d{1,2}\.\d{1,3}\+rke2r\d{1,2}$")]] = None
    capacity_headroom_percent: Annotated[int, Field(ge=0, le=50)]
    cluster_autoscaler: bool
    vpc_cidr: Annotated[str, Field(pattern=r"^(\d{1,3}\.){3}\d{1,3}/16$")]
    nat_gateway_per_az: Optional[bool] = None
    eks_public_access_cidrs: tuple[Annotated[str, Field(pattern=r"^(\d{1,3}\.){3}\d{1,3}/\d{1,2}$")], ...] = ()
    eks_admin_role_arns: tuple[RoleArn, ...] = ()
    eks_ci_role_arns: tuple[RoleArn, ...] = ()
    eks_kubeconfig_role_arn: Optional[RoleArn] = None
    load_balancer_addresses: str = ""
    node_network_cidr: str = ""
    bare_metal_storage: Literal["longhorn", "local-path"] = "longhorn"
    rancher_api_url: Optional[Annotated[str, Field(pattern=r"^https://[A-Za-z0-9.-]+(:\d+)?(/.*)?$")]] = None
    rancher_insecure: Optional[bool] = None
    rancher_install: bool
    rancher_hostname: Optional[Annotated[str, Field(pattern=r"^([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$")]] = None
    rancher_version: Optional[Annotated[str, Field(pattern=r"^2\.\d{1,2}\.\d{1,3}$")]] = None
    rancher_replicas: Optional[Annotated[int, Field(ge=1, le=7)]] = None
    rancher_kube_context: str
    etcd_snapshot_schedule: Annotated[str, Field(pattern=r"^\S+( \S+){4}$")]
    etcd_snapshot_retention: Annotated[int, Field(ge=1, le=1000)]
    cluster_active_timeout_minutes: Annotated[int, Field(ge=10, le=600)]
    vsphere_vcenter: str
    vsphere_username: str
    vsphere_insecure: bool
    vsphere_datacenter: str
    vsphere_datastore: str
    vsphere_network: str
    vsphere_resource_pool: str
    vsphere_folder: str
    vsphere_template: str
    node_pools: Mapping[str, NodePoolInput] = Field(default_factory=dict)
    spot_services: tuple[str, ...] = DEFAULT_SPOT_SERVICES


# ---------------------------------------------------------------- resolved settings


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


def tolerations_for(pool: NodePool) -> list[dict[str, str]]:
    """Kubernetes tolerations matching every taint of ``pool`` ('key=value:Effect')."""
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


@dataclass(frozen=True)
class VsphereSettings:
    vcenter: str
    username: str
    password: pulumi.Output  # secret
    insecure: bool
    datacenter: str
    datastore: str
    network: str
    resource_pool: str
    folder: str
    template: str


@dataclass(frozen=True)
class RancherSettings:
    api_url: Optional[str]  # None when installed here: https://<hostname>
    token: Optional[pulumi.Output]  # secret; None when installed here (bootstrap token)
    insecure: bool
    install: bool
    hostname: Optional[str]  # None: rancher.<domain>
    version: str  # chart version
    replicas: int
    kubeconfig: Optional[pulumi.Output]  # management cluster, secret
    context: str

    def hostname_for(self, domain: str) -> str:
        return self.hostname or f"rancher.{domain}"


@dataclass(frozen=True)
class ClusterSettings:
    target: str
    kubeconfig: Optional[pulumi.Output]  # secret
    context: str
    node_pools: tuple[NodePool, ...] = ()  # empty: unknown (an existing cluster), capacity not checked
    name: str = "tartware"
    environment: str = "dev"
    kubernetes_version: Optional[str] = None  # EKS "1.35"
    rke2_version: Optional[str] = None  # vsphere/baremetal
    headroom_percent: int = 15
    autoscaler: bool = True
    vpc_cidr: str = "10.0.0.0/16"
    availability_zones: int = 3
    nat_gateway_per_az: bool = True
    public_access_cidrs: tuple[str, ...] = ("0.0.0.0/0",)
    rancher: Optional[RancherSettings] = None
    vsphere: Optional[VsphereSettings] = None
    etcd_snapshot_schedule: str = "0 */6 * * *"
    etcd_snapshot_retention: int = 28
    active_timeout_minutes: int = 60
    admin_role_arns: tuple[str, ...] = ()  # EKS access entries
    ci_role_arns: tuple[str, ...] = ()
    kubeconfig_role_arn: Optional[str] = None
    load_balancer_addresses: str = ""  # MetalLB pool (vsphere, baremetal): a CIDR or first-last
    node_network_cidr: str = ""
    bare_metal_storage: str = "longhorn"
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
        """'1.35' for EKS, '1.34' for RKE2 v1.34.1+rke2r1; None for an existing cluster."""
        if self.kubernetes_version:
            return self.kubernetes_version
        if self.rke2_version:
            return ".".join(self.rke2_version[1:].split(".")[:2])
        return None


# ---------------------------------------------------------------- defaults per target

# (min, max, cpus, memory GiB, disk GiB, instance types) per pool; the guide's numbers in prod:
# control plane 3 nodes of 8 CPU / 16 GB / 200 GB; compute 5-100 nodes; memory 3-50 nodes;
# vSphere compute workers 16 vCPU / 32 GB / 500 GB, memory workers 12 vCPU / 64 GB / 500 GB;
# bare-metal workers 16 CPU / 32 GB / 500 GB, "8+" of them (see capacity note in docs/clusters.md).
_LABELS = {"compute": {"tartware.io/pool": "compute"}, "memory": {"tartware.io/pool": "memory"},
           SPOT_POOL: {"tartware.io/pool": SPOT_POOL}}
_TAINTS = {"compute": (), "memory": ("tartware.io/pool=memory:NoSchedule",),
           SPOT_POOL: ("tartware.io/pool=spot:NoSchedule",)}
# The spot pool (EKS): three instance types of one size (8 vCPU / 16 GiB), so the pool draws on
# several Spot capacity pools and the autoscaler's node template still holds for each (AWS EKS
# managed node groups, "Capacity types": "specify multiple instance types ... same amount of vCPU
# and memory"). 3-6 nodes: one per availability zone at least; at most twice what the default
# spotServices request at maxReplicas (3 x 15 pods x 200m/256Mi + sidecars = 13.5 cores / 16.9 GiB,
# 3 such nodes after DaemonSets and headroom), since Spot capacity may be short in one zone.
_SPOT_TYPES = ("c6i.2xlarge", "c6a.2xlarge", "c7i.2xlarge")
_SPOT_DEV = (1, 3, None, None, 50, ("c6i.large", "c6a.large", "c7i.large"))
_PROD = {
    "eks": {"compute": (5, 100, None, None, 100, ("c6i.4xlarge",)),
            "memory": (3, 50, None, None, 100, ("r6i.2xlarge",)),
            SPOT_POOL: (3, 6, None, None, 100, _SPOT_TYPES)},
    "vsphere": {"controlPlane": (3, 3, 8, 16, 200, ()),
                "compute": (5, 100, 16, 32, 500, ()),
                "memory": (3, 50, 12, 64, 500, ())},
    "baremetal": {"controlPlane": (3, 3, 8, 16, 200, ()),
                  "compute": (8, 24, 16, 32, 500, ())},
    "existing": {},
}
_DEV = {
    "eks": {"compute": (1, 3, None, None, 50, ("c6i.xlarge",)),
            "memory": (1, 2, None, None, 50, ("r6i.large",))},
    "vsphere": {"controlPlane": (1, 1, 4, 8, 100, ()),
                "compute": (1, 3, 8, 16, 200, ()),
                "memory": (1, 2, 8, 32, 200, ())},
    "baremetal": {"controlPlane": (1, 1, 4, 8, 100, ()),
                  "compute": (1, 3, 8, 16, 200, ())},
    "existing": {},
}
_ALLOWED_POOLS = {
    "eks": WORKER_POOLS + (SPOT_POOL,),
    "vsphere": POOL_NAMES,
    "baremetal": POOL_NAMES,
    "existing": WORKER_POOLS,
}


def _pool_key(pool: str, fld: str) -> str:
    return key("nodePools", pool, fld)


def _build_pool(name: str, target: str, inp: NodePoolInput, defaults: Optional[tuple], ctx: BuildContext) -> Optional[NodePool]:
    problems = ctx.problems
    d_min, d_max, d_cpus, d_mem, d_disk, d_types = defaults or (None, None, None, None, 100, ())
    role = "control-plane" if name == "controlPlane" else "worker"

    if role == "control-plane":
        for fld in ("min_nodes", "max_nodes", "spot", "instance_types"):
            if getattr(inp, fld) is not None:
                problems.add(_pool_key(name, fields_of_alias(fld)), "not used for the control plane; set nodePools.controlPlane.count", getattr(inp, fld))
        count = inp.count if inp.count is not None else d_min
        min_n = max_n = count
        if count is not None and ctx.is_prod and count < 3:
            problems.add(_pool_key(name, "count"), "a prod control plane needs at least 3 nodes (etcd quorum; the guide's 3)", count)
        if count is not None and count % 2 == 0:
            problems.add(_pool_key(name, "count"), "etcd needs an odd number of control-plane nodes (1, 3, 5, ...)", count)
    else:
        if inp.count is not None and (inp.min_nodes is not None or inp.max_nodes is not None):
            problems.add(_pool_key(name, "count"), "set either count (a fixed size) or minNodes/maxNodes, not both", inp.count)
        min_n = inp.count if inp.count is not None else (inp.min_nodes if inp.min_nodes is not None else d_min)
        max_n = inp.count if inp.count is not None else (inp.max_nodes if inp.max_nodes is not None else d_max)
        if min_n is None or max_n is None:
            missing = "minNodes" if min_n is None else "maxNodes"
            problems.add(_pool_key(name, missing), f"required for a {name} pool on clusterTarget={target}")
            return None
        if min_n > max_n:
            culprit = "minNodes" if inp.min_nodes is not None and inp.max_nodes is None else "maxNodes"
            problems.add(_pool_key(name, culprit),
                         f"minNodes ({min_n}) must not exceed maxNodes ({max_n})",
                         min_n if culprit == "minNodes" else max_n)

    if name == SPOT_POOL and inp.spot is False:
        problems.add(_pool_key(name, "spot"), "the spot pool is always Spot capacity; to run every service on demand set spotServices to []", False)
    if target != "eks":
        if inp.spot is not None:
            problems.add(_pool_key(name, "spot"), "spot capacity applies to clusterTarget=eks only", inp.spot)
        if inp.instance_types is not None:
            problems.add(_pool_key(name, "instanceTypes"), "instance types apply to clusterTarget=eks only; set cpus and memoryGb", list(inp.instance_types))

    instance_types = tuple(inp.instance_types) if inp.instance_types is not None else tuple(d_types)
    cpus, mem = inp.cpus or d_cpus, inp.memory_gb or d_mem
    if target == "eks" and (cpus is None or mem is None):
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
    if min_n is None:
        return None
    return NodePool(
        name=name,
        role=role,
        min_nodes=min_n,
        max_nodes=max_n,
        cpu_millicores=cpus * 1000 - kube_reserved_millicores(cpus),
        memory_bytes=mem * GIB - kube_reserved_bytes(mem),
        labels=dict(inp.labels) if inp.labels is not None else dict(_LABELS.get(name, {})),
        taints=tuple(inp.taints) if inp.taints is not None else _TAINTS.get(name, ()),
        cpus=cpus,
        memory_gib=mem,
        disk_gib=inp.disk_gb or d_disk,
        instance_types=instance_types if target == "eks" else (),
        spot=(bool(inp.spot) or name == SPOT_POOL) if target == "eks" else False,
    )


def fields_of_alias(python_name: str) -> str:
    return NodePoolInput.model_fields[python_name].alias or python_name


def _pools(inp: ClusterInput, ctx: BuildContext) -> tuple[NodePool, ...]:
    target = inp.cluster_target
    defaults = (_PROD if ctx.is_prod else _DEV)[target]
    allowed = _ALLOWED_POOLS[target]
    for name in inp.node_pools:
        if name not in allowed:
            why = " (EKS runs the control plane)" if target == "eks" and name == "controlPlane" else ""
            if name == SPOT_POOL:
                why = " (a Spot pool needs clusterTarget=eks)"
            problems_msg = f"unknown node pool for clusterTarget={target}{why}; allowed: {', '.join(allowed)}"
            ctx.problems.add(key("nodePools", name), problems_msg, name)
    names = [n for n in allowed if n in defaults or n in inp.node_pools]
    if SPOT_POOL in inp.node_pools and SPOT_POOL not in defaults:
        defaults = {**defaults, SPOT_POOL: _SPOT_DEV}  # declared outside prod: small defaults
    if SPOT_POOL in names and not inp.spot_services:
        # nothing would run there: the default pool is left out, a declared one is refused
        names.remove(SPOT_POOL)
        if SPOT_POOL in inp.node_pools:
            ctx.problems.add(key("spotServices"), "is empty, so nothing would run on the declared nodePools.spot; "
                             f"list services (allowed: {', '.join(SERVICE_NAMES)}) or remove nodePools.spot", [])
    if target == "existing":
        names = [n for n in allowed if n in inp.node_pools]  # unknown unless declared
    pools = []
    for name in names:
        pool = _build_pool(name, target, inp.node_pools.get(name, NodePoolInput()), defaults.get(name), ctx)
        if pool is not None:
            pools.append(pool)
    return tuple(pools)


def _check_versions(inp: ClusterInput, ctx: BuildContext, today: datetime.date) -> tuple[Optional[str], Optional[str]]:
    problems, target = ctx.problems, inp.cluster_target
    eks_version = rke2_version = None
    if inp.kubernetes_version is not None and target != "eks":
        problems.add(key("kubernetesVersion"), "applies to clusterTarget=eks only"
                     + ("; set rke2Version for vsphere/baremetal" if target in RANCHER_TARGETS else ""), inp.kubernetes_version)
    if inp.rke2_version is not None and target not in RANCHER_TARGETS:
        problems.add(key("rke2Version"), "applies to clusterTarget=vsphere or baremetal only", inp.rke2_version)
    if target == "eks":
        eks_version = inp.kubernetes_version or DEFAULT_EKS_VERSION
        minor = int(eks_version.split(".")[1])
        if minor < MIN_KUBERNETES_MINOR:
            problems.add(key("kubernetesVersion"), f"below the guide's floor 1.{MIN_KUBERNETES_MINOR}; allowed: 1.{MIN_KUBERNETES_MINOR} or newer (default {DEFAULT_EKS_VERSION})", eks_version)
        elif minor in EKS_END_OF_EXTENDED_SUPPORT and today > EKS_END_OF_EXTENDED_SUPPORT[minor]:
            creatable = sorted(m for m, end in EKS_END_OF_EXTENDED_SUPPORT.items() if today <= end)
            problems.add(key("kubernetesVersion"),
                         f"EKS no longer creates 1.{minor} clusters (extended support ended {EKS_END_OF_EXTENDED_SUPPORT[minor]}); "
                         f"allowed: {', '.join(f'1.{m}' for m in creatable)} or newer (default {DEFAULT_EKS_VERSION})", eks_version)
    if target in RANCHER_TARGETS:
        rke2_version = inp.rke2_version or DEFAULT_RKE2_VERSION
        minor = int(rke2_version[1:].split(".")[1])
        if minor < MIN_KUBERNETES_MINOR:
            problems.add(key("rke2Version"), f"Kubernetes below the guide's floor 1.{MIN_KUBERNETES_MINOR}; allowed: v1.{MIN_KUBERNETES_MINOR}.x+rke2rN or newer (default {DEFAULT_RKE2_VERSION})", rke2_version)
    return eks_version, rke2_version


def build(raw: Mapping[str, Any], ctx: BuildContext, today: Optional[datetime.date] = None) -> Optional[ClusterSettings]:
    problems = ctx.problems
    raw = dict(raw)
    pools_raw = raw.get("nodePools", {})
    if not isinstance(pools_raw, dict):
        problems.add(key("nodePools"), "must be a map of pool name to settings (set it with `pulumi config set --path`)", pools_raw)
        raw["nodePools"] = {}
    for array in ("eksPublicAccessCidrs", "eksAdminRoleArns", "eksCiRoleArns", "spotServices"):
        value = raw.get(array)
        if isinstance(value, str):  # array settings arrive as JSON text from `pulumi config set --path`
            try:
                raw[array] = json.loads(value)
            except json.JSONDecodeError:
                pass  # pydantic reports it with the key
    if raw.get("eksKubeconfigRoleArn") == "":
        raw.pop("eksKubeconfigRoleArn")  # the declared default: no role
    inp = validate_section(ClusterInput, raw, problems,
                           lambda loc: ", ".join(POOL_FIELDS) if len(loc) >= 3 and loc[0] == "nodePools" else "see Pulumi.yaml")
    kubeconfig = ctx.read_secret("kubeconfig", False, problems, "")
    if inp is None:
        return None
    target = inp.cluster_target
    unknown_services = [n for n in inp.spot_services if n not in SERVICE_NAMES]
    if unknown_services:
        problems.add(key("spotServices"), f"unknown service {', '.join(unknown_services)}; allowed: {', '.join(SERVICE_NAMES)}",
                     list(inp.spot_services))
    eks_version, rke2_version = _check_versions(inp, ctx, today or datetime.date.today())
    pools = _pools(inp, ctx)
    public_cidrs = _check_eks_access(inp, ctx)
    _check_network(inp, ctx)

    rancher = vsphere = None
    if target in RANCHER_TARGETS:
        install = inp.rancher_install
        token = None
        if not install:
            if inp.rancher_api_url is None:
                problems.add(key("rancherApiUrl"), f"required for clusterTarget={target} (or set rancherInstall=true to install Rancher here); e.g. https://rancher.example.com")
            token = ctx.read_secret("rancherToken", True, problems, f" for clusterTarget={target} (or set rancherInstall=true)")
        rancher = RancherSettings(
            api_url=inp.rancher_api_url,
            token=token,
            insecure=inp.rancher_insecure if inp.rancher_insecure is not None else install,
            install=install,
            hostname=inp.rancher_hostname,
            version=inp.rancher_version or versions.RANCHER.version,
            replicas=inp.rancher_replicas or (3 if ctx.is_prod else 1),
            kubeconfig=ctx.read_secret("rancherKubeconfig", False, problems, "") if install else None,
            context=inp.rancher_kube_context,
        )
    else:
        for name, value in (("rancherApiUrl", inp.rancher_api_url), ("rancherHostname", inp.rancher_hostname),
                            ("rancherVersion", inp.rancher_version)):
            if value is not None:
                problems.add(key(name), "applies to clusterTarget=vsphere or baremetal only", value)
        if inp.rancher_install:
            problems.add(key("rancherInstall"), "applies to clusterTarget=vsphere or baremetal only (Rancher manages those clusters)", True)

    if target == "vsphere":
        required = {"vsphereVcenter": inp.vsphere_vcenter, "vsphereUsername": inp.vsphere_username,
                    "vsphereDatacenter": inp.vsphere_datacenter, "vsphereDatastore": inp.vsphere_datastore,
                    "vsphereNetwork": inp.vsphere_network, "vsphereResourcePool": inp.vsphere_resource_pool,
                    "vsphereTemplate": inp.vsphere_template}
        for name, value in required.items():
            if not value:
                problems.add(key(name), "required for clusterTarget=vsphere (the vCenter object is looked up by this name)")
        password = ctx.read_secret("vspherePassword", True, problems, " for clusterTarget=vsphere")
        vsphere = VsphereSettings(
            vcenter=inp.vsphere_vcenter, username=inp.vsphere_username, password=password,
            insecure=inp.vsphere_insecure, datacenter=inp.vsphere_datacenter.strip("/"),
            datastore=inp.vsphere_datastore, network=inp.vsphere_network,
            resource_pool=inp.vsphere_resource_pool.strip("/"), folder=inp.vsphere_folder.strip("/"),
            template=inp.vsphere_template.strip("/"),
        )

    return from_input(
        ClusterSettings, inp,
        target=target,
        kubeconfig=kubeconfig,
        context=inp.kube_context,
        node_pools=pools,
        name=inp.cluster_name or f"tartware-{ctx.environment}",
        environment=ctx.environment,
        kubernetes_version=eks_version,
        rke2_version=rke2_version,
        headroom_percent=inp.capacity_headroom_percent,
        autoscaler=inp.cluster_autoscaler,
        nat_gateway_per_az=inp.nat_gateway_per_az if inp.nat_gateway_per_az is not None else ctx.is_prod,
        public_access_cidrs=public_cidrs,
        rancher=rancher,
        vsphere=vsphere,
        active_timeout_minutes=inp.cluster_active_timeout_minutes,
        admin_role_arns=tuple(inp.eks_admin_role_arns),
        ci_role_arns=tuple(inp.eks_ci_role_arns),
        kubeconfig_role_arn=inp.eks_kubeconfig_role_arn,
        load_balancer_addresses=inp.load_balancer_addresses.strip(),
        node_network_cidr=inp.node_network_cidr.strip(),
        bare_metal_storage=inp.bare_metal_storage,
        spot_services=tuple(dict.fromkeys(inp.spot_services)),
    )
