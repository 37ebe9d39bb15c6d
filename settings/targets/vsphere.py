"""clusterTarget=vsphere: a Rancher ``ClusterV2`` (RKE2) with vSphere machine pools
(components/clusters/vsphere.py). Reads the Rancher family (settings/targets/rancher.py) and its own
vCenter keys."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any, ClassVar, Mapping, Optional

import pulumi

from ..errors import key
from ..nodes import PoolDefaults
from ..schema import BuildContext, Setting, SettingsModel
from . import rancher
from .base import ArgsContext, Family, Target, VmPoolArgs, pool_args

DECLARED: tuple[Setting, ...] = (
    Setting("vsphereVcenter", "string", "vsphere: vCenter host name.", ""),
    Setting("vsphereUsername", "string", "vsphere: vCenter user.", ""),
    Setting("vspherePassword", "string", "vsphere: vCenter password (secret).", secret=True),
    Setting("vsphereInsecure", "boolean", "vsphere: skip vCenter TLS verification.", False),
    Setting("vsphereDatacenter", "string", "vsphere: datacenter name.", ""),
    Setting("vsphereDatastore", "string", "vsphere: datastore name.", ""),
    Setting("vsphereNetwork", "string", "vsphere: VM network (port group) name.", ""),
    Setting("vsphereResourcePool", "string",
            "vsphere: resource pool path below the datacenter's hosts, e.g. Cluster1/Resources/tartware.",
            ""),
    Setting("vsphereFolder", "string",
            "vsphere: VM folder below the datacenter's vm folder (must exist). Empty: the vm folder itself.",
            ""),
    Setting("vsphereTemplate", "string",
            "vsphere: the Ubuntu 22.04 cloud-init VM template to clone (path below the vm folder).",
            "ubuntu-22.04-cloudinit"),
)


class VsphereInput(SettingsModel):
    vsphere_vcenter: str
    vsphere_username: str
    vsphere_insecure: bool
    vsphere_datacenter: str
    vsphere_datastore: str
    vsphere_network: str
    vsphere_resource_pool: str
    vsphere_folder: str
    vsphere_template: str


@dataclass(frozen=True)
class VsphereSettings:
    vcenter: str
    username: str
    password: Optional[pulumi.Output]  # secret; None only with the problem "missing required secret" reported
    insecure: bool
    datacenter: str
    datastore: str
    network: str
    resource_pool: str
    folder: str
    template: str


def _refuse(stage: str, inp: Any, ctx: BuildContext, target: Target, owners: tuple[str, ...]) -> None:
    """The vCenter keys are not refused elsewhere (their declared defaults are not empty)."""


def _check(stage: str, inp: Any, ctx: BuildContext, today: datetime.date) -> dict[str, Any]:
    if stage != "machines":
        return {}
    problems = ctx.problems
    required = {"vsphereVcenter": inp.vsphere_vcenter, "vsphereUsername": inp.vsphere_username,
                "vsphereDatacenter": inp.vsphere_datacenter, "vsphereDatastore": inp.vsphere_datastore,
                "vsphereNetwork": inp.vsphere_network, "vsphereResourcePool": inp.vsphere_resource_pool,
                "vsphereTemplate": inp.vsphere_template}
    for name, value in required.items():
        if not value:
            problems.add(key(name), "required for clusterTarget=vsphere (the vCenter object is looked up by this name)")
    password = ctx.read_secret("vspherePassword", True, problems, " for clusterTarget=vsphere")
    return {"vsphere": VsphereSettings(
        vcenter=inp.vsphere_vcenter, username=inp.vsphere_username, password=password,
        insecure=inp.vsphere_insecure, datacenter=inp.vsphere_datacenter.strip("/"),
        datastore=inp.vsphere_datastore, network=inp.vsphere_network,
        resource_pool=inp.vsphere_resource_pool.strip("/"), folder=inp.vsphere_folder.strip("/"),
        template=inp.vsphere_template.strip("/"),
    )}


def _mock_outputs(typ: str, name: str, inputs: Mapping[str, Any]) -> dict[str, Any]:
    if typ == "rancher2:index/machineConfigV2:MachineConfigV2":
        return dict(name=f"{inputs.get('generateName', 'nc')}-mock1", kind="VmwarevsphereConfig")
    return {}


def _mock_call(token: str, args: Mapping[str, Any]) -> Optional[dict[str, Any]]:
    """vCenter look-ups (vsphere.get_*): found, with an id from the name or path."""
    if not token.startswith("vsphere:index/get"):
        return None
    kind = token.rsplit(":", 1)[-1][3:].lower()
    found = dict(args)
    found["id"] = f"{kind}-{found.get('name') or found.get('path')}"
    if kind == "virtualmachine":
        found.update(guestId="ubuntu64Guest", firmware="efi", scsiType="pvscsi",
                     networkInterfaceTypes=["vmxnet3"],
                     disks=[{"size": 40, "thinProvisioned": True, "eagerlyScrub": False,
                             "label": "disk0", "unitNumber": 0}])
    return found


FAMILY = Family("vsphere", DECLARED, VsphereInput, _refuse, _check, mock_outputs=_mock_outputs, mock_call=_mock_call)


@dataclass(frozen=True, kw_only=True)
class VsphereClusterSettings(rancher.RancherClusterSettings):
    vsphere: VsphereSettings


@dataclass(frozen=True)
class VsphereClusterArgs(rancher.RancherClusterArgs):
    node_pools: tuple[VmPoolArgs, ...] = ()
    vsphere: Optional[VsphereSettings] = None
    autoscaler: bool = True
    TARGET: ClassVar[str] = "vsphere"


def cluster_args(c: VsphereClusterSettings, ctx: ArgsContext) -> VsphereClusterArgs:
    return VsphereClusterArgs(**rancher.common_args(c, ctx), node_pools=pool_args(VmPoolArgs, c.node_pools),
                              vsphere=c.vsphere, autoscaler=c.autoscaler)


# The guide's numbers in prod: control plane 3 nodes of 8 CPU / 16 GB / 200 GB; compute workers
# 16 vCPU / 32 GB / 500 GB, 5-100 of them; memory workers 12 vCPU / 64 GB / 500 GB, 3-50.
TARGET = Target(
    name=VsphereClusterArgs.TARGET,
    summary="vsphere (Rancher + vSphere)",
    families=(rancher.FAMILY, FAMILY),
    settings=VsphereClusterSettings,
    args=cluster_args,
    prod_pools={"controlPlane": PoolDefaults(3, 3, 8, 16, 200),
                "compute": PoolDefaults(5, 100, 16, 32, 500),
                "memory": PoolDefaults(3, 50, 12, 64, 500)},
    dev_pools={"controlPlane": PoolDefaults(1, 1, 4, 8, 100),
               "compute": PoolDefaults(1, 3, 8, 16, 200),
               "memory": PoolDefaults(1, 2, 8, 32, 200)},
    **rancher.TRAITS,
)
