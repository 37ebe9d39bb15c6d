"""The Rancher family: RKE2 clusters provisioned through Rancher (clusterTarget vsphere and baremetal).

Its keys (the RKE2 version, the Rancher API or the Rancher installed here, etcd snapshots, the
MetalLB address pool), their checks, the settings and args both targets share, the traits they
share (``TRAITS``) and the offline mocks' answers for the rancher2 resources
(components/clusters/rancher.py). Version defaults and their sources: docs/clusters.md.
"""

from __future__ import annotations

import datetime
import ipaddress
from dataclasses import dataclass
from typing import Annotated, Any, Mapping, Optional

import pulumi
from pydantic import Field

from facts import versions
from ..errors import key
from ..nodes import POOL_NAMES
from ..schema import BuildContext, Setting, SettingsModel, env_default
from .base import (MIN_KUBERNETES_MINOR, ArgsContext, BundledMetricsServer, ClusterArgs, ClusterSettings, Family, Pools,
                   Target)

# RKE2: v1.28.5+rke2r1 (the guide's) is in no Rancher KDM channel and no maintained Rancher (2.12+)
# offers 1.28 any more; v1.34.1+rke2r1 is offered by Rancher 2.13 (rancher/rancher test fixtures,
# rancher/rancher#52477). See docs/clusters.md.
DEFAULT_RKE2_VERSION = "v1.34.1+rke2r1"

DECLARED: tuple[Setting, ...] = (
    Setting("rke2Version", "string",
            f"RKE2 version for vsphere/baremetal (v1.<minor>.<patch>+rke2r<n>). Unset: {DEFAULT_RKE2_VERSION}.",
            example=f"an RKE2 version such as '{DEFAULT_RKE2_VERSION}'"),
    Setting("rancherApiUrl", "string",
            "Rancher API URL for vsphere/baremetal (https://rancher.example.com). Unset with rancherInstall=true: "
            "https://<rancherHostname>.",
            example="an https URL such as 'https://rancher.example.com'"),
    Setting("rancherToken", "string",
            "Rancher API token (secret) for vsphere/baremetal; not needed with rancherInstall=true.",
            secret=True),
    Setting("rancherInsecure", "boolean",
            "Skip TLS verification of the Rancher API (self-signed Rancher CA). Unset: true with rancherInstall=true, "
            "else false."),
    Setting("rancherInstall", "boolean",
            "Install Rancher (and its cert-manager) onto the management cluster in this stack (vsphere/baremetal).",
            False),
    Setting("rancherHostname", "string",
            "Hostname of the installed Rancher (published as a DNS record). Unset: rancher.<domain> "
            "(rancher.tartware.local)."),
    Setting("rancherVersion", "string",
            f"Rancher chart version to install. Unset: {versions.RANCHER.version}.",
            example=f"a Rancher chart version such as '{versions.RANCHER.version}'"),
    Setting("rancherReplicas", "integer", "Rancher server replicas.", per_env=(1, 3)),
    Setting("rancherKubeconfig", "string",
            "Kubeconfig of the management cluster Rancher is installed on. Unset: the ambient one.",
            secret=True),
    Setting("rancherKubeContext", "string",
            "Context of the management cluster in that kubeconfig. Empty: its current context.",
            ""),
    Setting("etcdSnapshotSchedule", "string",
            "vsphere/baremetal: etcd snapshot cron schedule.",
            "0 */6 * * *", example="a 5-field cron schedule such as '0 */6 * * *'"),
    Setting("etcdSnapshotRetention", "integer", "vsphere/baremetal: etcd snapshots kept.", 28),
    Setting("loadBalancerAddresses", "string",
            "vsphere/baremetal: MetalLB address pool for LoadBalancer Services (the Istio gateway, ingress-nginx): a "
            "CIDR such as 192.168.10.240/28 or a range such as 192.168.10.240-192.168.10.250. Required on those "
            "targets.",
            ""),
    Setting("nodeNetworkCidr", "string",
            "vsphere/baremetal: the nodes' network (CIDR). When set, loadBalancerAddresses must lie inside it "
            "(MetalLB L2 answers ARP on that segment). Empty: not checked.",
            ""),
    Setting("clusterActiveTimeoutMinutes", "integer",
            "vsphere/baremetal: how long to wait for the cluster to become Active.",
            60),
)


Hostname = Annotated[str, Field(pattern=r"^([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$")]


class RancherInput(SettingsModel):
    rke2_version: Optional[Annotated[str, Field(pattern=r"^v1\.\d{1,2}\.\d{1,3}\+rke2r\d{1,2}$")]] = None
    load_balancer_addresses: str = ""
    node_network_cidr: str = ""
    rancher_api_url: Optional[Annotated[str, Field(pattern=r"^https://[A-Za-z0-9.-]+(:\d+)?(/.*)?$")]] = None
    rancher_insecure: Optional[bool] = None
    rancher_install: bool
    rancher_hostname: Optional[Hostname] = None
    rancher_version: Optional[Annotated[str, Field(pattern=r"^2\.\d{1,2}\.\d{1,3}$")]] = None
    rancher_replicas: Optional[Annotated[int, Field(ge=1, le=7)]] = None
    rancher_kube_context: str
    etcd_snapshot_schedule: Annotated[str, Field(pattern=r"^\S+( \S+){4}$")]
    etcd_snapshot_retention: Annotated[int, Field(ge=1, le=1000)]
    cluster_active_timeout_minutes: Annotated[int, Field(ge=10, le=600)]


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


# ---------------------------------------------------------------- checks


def _refuse(stage: str, inp: Any, ctx: BuildContext, target: Target, owners: tuple[str, ...]) -> None:
    problems = ctx.problems
    only = f"applies to clusterTarget={' or '.join(owners)} only"
    if stage == "versions" and inp.rke2_version is not None:
        problems.add(key("rke2Version"), only, inp.rke2_version)
    if stage == "network":
        for name, value in (("loadBalancerAddresses", inp.load_balancer_addresses.strip()),
                            ("nodeNetworkCidr", inp.node_network_cidr.strip())):
            if value:
                problems.add(key(name), f"{only} (EKS: AWS load balancers)", value)
    if stage == "rancher":
        for name, value in (("rancherApiUrl", inp.rancher_api_url), ("rancherHostname", inp.rancher_hostname),
                            ("rancherVersion", inp.rancher_version)):
            if value is not None:
                problems.add(key(name), only, value)
        if inp.rancher_install:
            problems.add(key("rancherInstall"), f"{only} (Rancher manages those clusters)", True)


def _check(stage: str, inp: Any, ctx: BuildContext, today: datetime.date) -> dict[str, Any]:
    if stage == "versions":
        return {"rke2_version": _check_version(inp, ctx)}
    if stage == "network":
        _check_network(inp, ctx)
        return {"load_balancer_addresses": inp.load_balancer_addresses.strip(),
                "node_network_cidr": inp.node_network_cidr.strip()}
    if stage == "rancher":
        return {"rancher": _rancher(inp, ctx), "etcd_snapshot_schedule": inp.etcd_snapshot_schedule,
                "etcd_snapshot_retention": inp.etcd_snapshot_retention,
                "active_timeout_minutes": inp.cluster_active_timeout_minutes}
    return {}


def _check_version(inp: Any, ctx: BuildContext) -> str:
    rke2_version = inp.rke2_version or DEFAULT_RKE2_VERSION
    minor = int(rke2_version[1:].split(".")[1])
    if minor < MIN_KUBERNETES_MINOR:
        ctx.problems.add(key("rke2Version"), f"Kubernetes below the guide's floor 1.{MIN_KUBERNETES_MINOR}; allowed: "
                                             f"v1.{MIN_KUBERNETES_MINOR}.x+rke2rN or newer (default "
                                             f"{DEFAULT_RKE2_VERSION})", rke2_version)
    return rke2_version


def _check_network(inp: Any, ctx: BuildContext) -> None:
    """MetalLB pool (required) and the node network it must lie in."""
    problems, target = ctx.problems, inp.cluster_target
    pool_text, net_text = inp.load_balancer_addresses.strip(), inp.node_network_cidr.strip()
    example = "a CIDR such as 192.168.10.240/28 or a range such as 192.168.10.240-192.168.10.250"
    network = None
    if net_text:
        try:
            network = ipaddress.IPv4Network(net_text, strict=True)
        except ValueError as exc:
            problems.add(key("nodeNetworkCidr"),
                         f"not an IPv4 network ({exc}); expected a CIDR such as 192.168.10.0/24", net_text)
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
    elif (network is not None and network.prefixlen < 31
          and (first == network.network_address or last == network.broadcast_address)):
        problems.add(key("loadBalancerAddresses"),
                     f"includes the network or broadcast address of {network}; allowed: host addresses inside it",
                     pool_text)


def _rancher(inp: Any, ctx: BuildContext) -> "RancherSettings":
    problems, target = ctx.problems, inp.cluster_target
    install = inp.rancher_install
    token = None
    if not install:
        if inp.rancher_api_url is None:
            problems.add(key("rancherApiUrl"), f"required for clusterTarget={target} (or set rancherInstall=true to "
                                               "install Rancher here); e.g. https://rancher.example.com")
        token = ctx.read_secret("rancherToken", True, problems, f" for clusterTarget={target} (or set "
                                                                "rancherInstall=true)")
    return RancherSettings(
        api_url=inp.rancher_api_url,
        token=token,
        insecure=inp.rancher_insecure if inp.rancher_insecure is not None else install,
        install=install,
        hostname=inp.rancher_hostname,
        version=inp.rancher_version or versions.RANCHER.version,
        replicas=inp.rancher_replicas or env_default(DECLARED, "rancherReplicas", ctx.is_prod),
        kubeconfig=ctx.read_secret("rancherKubeconfig", False, problems, "") if install else None,
        context=inp.rancher_kube_context,
    )


# ---------------------------------------------------------------- offline mocks (tools/offline.py)

# the mock Rancher runs with a private CA (as rancherInstall's self-signed one)
MOCK_RANCHER_CA = "-----BEGIN CERTIFICATE-----\nMIIBmockRancherCA\n-----END CERTIFICATE-----"


def _mock_outputs(typ: str, name: str, inputs: Mapping[str, Any]) -> dict[str, Any]:
    if typ == "rancher2:index/clusterV2:ClusterV2":
        cluster_id = f"c-m-{abs(hash(name)) % 10**8:08d}"
        return dict(
            clusterV1Id=cluster_id,
            kubeConfig=f"apiVersion: v1\nkind: Config\nclusters:\n- name: {name}\n",
            clusterRegistrationToken={
                "nodeCommand": f"curl -fL https://rancher.mock/system-agent-install.sh | sudo sh -s - "
                               f"--server https://rancher.mock --token mock-{name}-registration --ca-checksum abc",
                "insecureNodeCommand": "curl --insecure -fL https://rancher.mock/system-agent-install.sh | sudo sh -s "
                                       "- "
                                       f"--server https://rancher.mock --token mock-{name}-registration",
                "token": f"mock-{name}-registration",
                "clusterId": cluster_id,
            },
        )
    if typ == "rancher2:index/clusterSync:ClusterSync":
        return dict(kubeConfig=f"apiVersion: v1\nkind: Config\n# synced {name}\n", synced=True)
    if typ == "rancher2:index/bootstrap:Bootstrap":
        return dict(url="https://rancher.mock", token=f"token-mock:{name}", user="admin",
                    currentPassword=inputs.get("password"))
    if typ == "rancher2:index/token:Token":
        return dict(token=f"token-mock:{name}-secret", name=f"token-{name}")
    if typ == "rancher2:index/cloudCredential:CloudCredential" and "name" not in inputs:
        return {"name": name}
    return {}


def _mock_call(token: str, args: Mapping[str, Any]) -> Optional[dict[str, Any]]:
    if token == "rancher2:index/getSetting:getSetting":
        value = MOCK_RANCHER_CA if args.get("name") == "cacerts" else ""
        return {"name": args.get("name"), "value": value, "id": args.get("name")}
    return None


FAMILY = Family(
    "rancher", DECLARED, RancherInput, _refuse, _check, mock_outputs=_mock_outputs, mock_call=_mock_call,
    secret_outputs={  # the rancher2 provider's additionalSecretOutputs
        "rancher2:index/clusterV2:ClusterV2": ("kubeConfig", "clusterRegistrationToken"),
        "rancher2:index/clusterSync:ClusterSync": ("kubeConfig",),
        "rancher2:index/bootstrap:Bootstrap": ("currentPassword", "initialPassword", "password", "tempToken", "token"),
        "rancher2:index/token:Token": ("token", "secretKey", "accessKey"),
    },
    resource_ids={"rancher2:index/cloudCredential:CloudCredential": "cattle-global-data:cc-"},
)


# ---------------------------------------------------------------- settings and args


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


@dataclass(frozen=True, kw_only=True)
class RancherClusterSettings(ClusterSettings):
    rke2_version: str  # v1.34.1+rke2r1
    rancher: RancherSettings
    etcd_snapshot_schedule: str = "0 */6 * * *"
    etcd_snapshot_retention: int = 28
    active_timeout_minutes: int = 60
    load_balancer_addresses: str = ""  # MetalLB pool: a CIDR or first-last
    node_network_cidr: str = ""

    @property
    def kubernetes_minor(self) -> Optional[str]:
        """'1.34' for RKE2 v1.34.1+rke2r1."""
        return ".".join(self.rke2_version[1:].split(".")[:2])


@dataclass(frozen=True)
class EtcdOffsiteArgs:
    """Where RKE2 copies its etcd snapshots: the backups' off-site bucket (settings/ops.py
    ``OffsiteSettings``), under ``<prefix>/etcd``."""

    bucket: str
    prefix: str
    endpoint: str  # "" = AWS S3
    region: str
    access_key_id: Optional[pulumi.Output]  # secret
    secret_access_key: Optional[pulumi.Output]  # secret

    def folder(self, kind: str) -> str:
        return f"{self.prefix}/{kind}" if self.prefix else kind


@dataclass(frozen=True)
class RancherServerArgs:
    """Rancher installed onto a management cluster (rancherInstall), then bootstrapped."""

    hostname: str  # rancherHostname, or rancher.<domain>
    version: str  # the Rancher chart version
    replicas: int
    kubeconfig: Optional[pulumi.Output]  # the management cluster's, secret; None: the ambient one
    context: str
    insecure: bool
    protect: bool


@dataclass(frozen=True)
class RancherArgs:
    """The Rancher API a cluster is created through: an existing one, or ``server`` installed here."""

    insecure: bool
    api_url: Optional[str] = None
    token: Optional[pulumi.Output] = None  # secret
    server: Optional[RancherServerArgs] = None


@dataclass(frozen=True)
class RancherClusterArgs(ClusterArgs, Pools):
    """What both Rancher-provisioned RKE2 targets read."""

    name: str
    protect: bool
    rke2_version: str  # v1.34.1+rke2r1
    rancher: RancherArgs
    etcd_snapshot_schedule: str
    etcd_snapshot_retention: int
    etcd_offsite: Optional[EtcdOffsiteArgs]
    active_timeout_minutes: int
    load_balancer_addresses: str  # the MetalLB pool

    @property
    def kubernetes_minor(self) -> str:
        """'1.34' for v1.34.1+rke2r1 (the cluster-autoscaler image follows it)."""
        return ".".join(self.rke2_version[1:].split(".")[:2])


def common_args(c: RancherClusterSettings, ctx: ArgsContext) -> dict[str, Any]:
    """The fields of ``RancherClusterArgs``: the stack-level ``protect`` applies to the cluster too,
    the Rancher host defaults to ``rancher.<domain>``, and the etcd snapshots are copied to the
    backups' off-site bucket."""
    r = c.rancher
    server = (RancherServerArgs(hostname=r.hostname_for(ctx.domain), version=r.version, replicas=r.replicas,
                                kubeconfig=r.kubeconfig, context=r.context, insecure=r.insecure, protect=ctx.protect)
              if r.install else None)
    rancher = (RancherArgs(insecure=r.insecure, server=server) if server is not None
               else RancherArgs(insecure=r.insecure, api_url=r.api_url, token=r.token))
    offsite = ctx.offsite
    return dict(
        name=c.name, protect=ctx.protect, rke2_version=c.rke2_version, rancher=rancher,
        etcd_snapshot_schedule=c.etcd_snapshot_schedule, etcd_snapshot_retention=c.etcd_snapshot_retention,
        etcd_offsite=(EtcdOffsiteArgs(bucket=offsite.bucket, prefix=offsite.prefix, endpoint=offsite.endpoint,
                                      region=offsite.region, access_key_id=offsite.access_key_id,
                                      secret_access_key=offsite.secret_access_key)
                      if offsite is not None else None),
        active_timeout_minutes=c.active_timeout_minutes, load_balancer_addresses=c.load_balancer_addresses)


# The traits both Rancher targets share (their Target adds its name, families, settings, args, pools).
TRAITS: dict[str, Any] = dict(
    pools=POOL_NAMES,
    version_key="rke2Version",
    version_hint="; set rke2Version for vsphere/baremetal",
    # the cluster layer installs MetalLB from loadBalancerAddresses (docs/clusters.md); RKE2 through
    # Rancher installs no cloud load balancer
    default_load_balancer="metallb",
    cloud_load_balancer=False,
    # Rancher-provisioned RKE2 bundles rke2-metrics-server
    bundled_metrics_server=BundledMetricsServer(
        "RKE2", ("APIService v1beta1.metrics.k8s.io",),
        "rancher/rke2-docs docs/reference/server_config.md (rke2-metrics-server is deployed unless disabled)"),
    etcd_offsite=True,
    # cni_dirs: the default (/opt/cni/bin, /etc/cni/net.d) is RKE2's, whose default CNI canal installs there
    # (rancher/rke2-charts@792a8f4 charts/rke2-canal/rke2-canal/v3.30.3-build2025090900/templates/daemonset.yaml,
    # the chart rancher/rke2@v1.34.1+rke2r1 charts/chart_versions.yaml pins; more at settings/platform.py)
    # rancher2 Token resources and the Bootstrap token expire: CI refreshes state first
    tokens_expire=True,
)
