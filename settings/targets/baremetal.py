"""clusterTarget=baremetal: a Rancher custom ``ClusterV2`` (RKE2); machines register with the
command the stack outputs (components/clusters/baremetal.py). Reads the Rancher family
(settings/targets/rancher.py) and its storage key."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any, ClassVar, Literal

from ..nodes import PoolDefaults
from ..schema import BuildContext, Setting, SettingsModel
from . import rancher
from .base import ArgsContext, Family, PoolArgs, Target, pool_args

DECLARED: tuple[Setting, ...] = (
    Setting("bareMetalStorage", "string",
            "baremetal: volume provisioner and default StorageClass: longhorn (replicated block storage, survives a "
            "node loss) or local-path (node-local disks, no replication).",
            "longhorn"),
)


class BareMetalInput(SettingsModel):
    bare_metal_storage: Literal["longhorn", "local-path"] = "longhorn"


def _refuse(stage: str, inp: Any, ctx: BuildContext, target: Target, owners: tuple[str, ...]) -> None:
    """bareMetalStorage has a default, so it is not refused elsewhere."""


def _check(stage: str, inp: Any, ctx: BuildContext, today: datetime.date) -> dict[str, Any]:
    return {"bare_metal_storage": inp.bare_metal_storage} if stage == "machines" else {}


FAMILY = Family("baremetal", DECLARED, BareMetalInput, _refuse, _check)


@dataclass(frozen=True, kw_only=True)
class BareMetalClusterSettings(rancher.RancherClusterSettings):
    bare_metal_storage: str = "longhorn"


@dataclass(frozen=True)
class BareMetalClusterArgs(rancher.RancherClusterArgs):
    node_pools: tuple[PoolArgs, ...] = ()
    bare_metal_storage: str = "longhorn"  # longhorn | local-path
    TARGET: ClassVar[str] = "baremetal"


def cluster_args(c: BareMetalClusterSettings, ctx: ArgsContext) -> BareMetalClusterArgs:
    return BareMetalClusterArgs(**rancher.common_args(c, ctx), node_pools=pool_args(PoolArgs, c.node_pools),
                                bare_metal_storage=c.bare_metal_storage)


# The guide's numbers in prod: control plane 3 nodes of 8 CPU / 16 GB / 200 GB; bare-metal workers
# 16 CPU / 32 GB / 500 GB, "8+" of them (see the capacity note in docs/clusters.md).
TARGET = Target(
    name=BareMetalClusterArgs.TARGET,
    summary="baremetal (Rancher custom RKE2)",
    families=(rancher.FAMILY, FAMILY),
    settings=BareMetalClusterSettings,
    args=cluster_args,
    prod_pools={"controlPlane": PoolDefaults(3, 3, 8, 16, 200),
                "compute": PoolDefaults(8, 24, 16, 32, 500)},
    dev_pools={"controlPlane": PoolDefaults(1, 1, 4, 8, 100),
               "compute": PoolDefaults(1, 3, 8, 16, 200)},
    **rancher.TRAITS,
)
