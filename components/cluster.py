"""Cluster targets. Each builds (or adopts) a cluster and hands a Kubernetes provider upward.

One ComponentResource per target (components/clusters/), one interface: ``build_cluster``
returns a ``ClusterHandle``. Everything above the cluster receives ``ClusterHandle.provider``
explicitly and is the same on every target.
"""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING, Union


from stacks.cluster_settings import ClusterSettings

from .clusters.baremetal import BareMetalRke2Cluster
from .clusters.eks import EksCluster
from .clusters.existing import ExistingCluster
from .clusters.vsphere import VsphereRancherCluster
from .handles import ClusterHandle

if TYPE_CHECKING:
    from stacks.settings import StackSettings

TARGETS = {
    "existing": ExistingCluster,
    "eks": EksCluster,
    "vsphere": VsphereRancherCluster,
    "baremetal": BareMetalRke2Cluster,
}

__all__ = ["TARGETS", "build_cluster", "ExistingCluster", "EksCluster", "VsphereRancherCluster",
           "BareMetalRke2Cluster"]


def build_cluster(name: str, settings: Union[ClusterSettings, "StackSettings"]) -> ClusterHandle:
    """The cluster target the stack asked for (validated in stacks/cluster_settings.py).

    Accepts the whole StackSettings too, so the stack-level ``protect`` flag and ``domain`` (for
    ``rancher.<domain>``) apply; given ClusterSettings alone, protect follows the environment.
    The target's exports (registration commands, join token, ...) are published by
    components/outputs.py with the other stack outputs.
    """
    cluster = settings
    if not isinstance(settings, ClusterSettings):
        backup = settings.ops.backup
        cluster = dataclasses.replace(settings.cluster, protect=settings.protect, domain=settings.domain,
                                      etcd_offsite=backup.offsite if backup is not None else None)
    return TARGETS[cluster.target](name, cluster).handle
