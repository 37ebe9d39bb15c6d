"""Cluster targets. Each builds (or adopts) a cluster and hands a Kubernetes provider upward.

One ComponentResource per target (components/clusters/), one interface: ``build_cluster``
returns a ``ClusterHandle``. Everything above the cluster receives ``ClusterHandle.provider``
explicitly and is the same on every target.
"""

from __future__ import annotations

from typing import Optional

import pulumi

from settings.targets.base import ClusterArgs
from components.handles import ClusterHandle

from .clusters.baremetal import BareMetalRke2Cluster
from .clusters.eks import EksCluster
from .clusters.existing import ExistingCluster
from .clusters.vsphere import VsphereRancherCluster

TARGETS = {
    "existing": ExistingCluster,
    "eks": EksCluster,
    "vsphere": VsphereRancherCluster,
    "baremetal": BareMetalRke2Cluster,
}

__all__ = ["TARGETS", "build_cluster", "ExistingCluster", "EksCluster", "VsphereRancherCluster",
           "BareMetalRke2Cluster"]


def build_cluster(name: str, args: ClusterArgs, opts: Optional[pulumi.ResourceOptions] = None) -> ClusterHandle:
    """The cluster target of ``args`` (one args class per target, settings/targets/).

    The target's exports (registration commands, join token, ...) are published by
    components/outputs.py with the other stack outputs.
    """
    return TARGETS[args.TARGET](name, args, opts).handle
