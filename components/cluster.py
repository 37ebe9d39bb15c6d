"""Cluster targets. Each builds (or adopts) a cluster and hands a Kubernetes provider upward.

Everything above the cluster receives ``ClusterHandle.provider`` explicitly.
"""

from __future__ import annotations

from typing import Optional

import pulumi
import pulumi_kubernetes as k8s

from stacks.cluster_settings import ClusterSettings

from .base import TartwareComponent
from .handles import ClusterHandle


class ExistingCluster(TartwareComponent):
    """An existing cluster reached through a kubeconfig/context (kind, k3d, a managed cluster).

    With no ``kubeconfig`` setting the provider uses the ambient one (``KUBECONFIG`` or
    ``~/.kube/config``), which is what ``pulumi up --stack dev`` against kind wants.
    """

    AREA = "cluster"

    def __init__(self, name: str, settings: ClusterSettings, opts: Optional[pulumi.ResourceOptions] = None):
        super().__init__(name, opts)
        self.provider = k8s.Provider(
            f"{name}-k8s",
            kubeconfig=settings.kubeconfig,
            context=settings.context or None,
            enable_server_side_apply=True,
            opts=pulumi.ResourceOptions(parent=self),
        )
        self.cluster_name = pulumi.Output.from_input(settings.context or "current-context")
        self.handle = ClusterHandle(
            provider=self.provider,
            name=self.cluster_name,
            target="existing",
            kubeconfig=settings.kubeconfig,
        )
        self.register_outputs({"clusterName": self.cluster_name, "target": "existing"})


TARGETS = {"existing": ExistingCluster}


def build_cluster(name: str, settings: ClusterSettings) -> ClusterHandle:
    """The cluster target the stack asked for (validated in stacks/cluster_settings.py)."""
    return TARGETS[settings.target](name, settings).handle
