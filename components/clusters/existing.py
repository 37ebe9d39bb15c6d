"""clusterTarget=existing: a kubeconfig/context (kind, k3d, a managed cluster). The dev default."""

from __future__ import annotations

from typing import Optional

import pulumi
import pulumi_kubernetes as k8s

from settings.targets.existing import ExistingClusterArgs

from ..base import TartwareComponent
from components.handles import ClusterHandle
from .common import CURRENT_CONTEXT, cluster_identifier, current_context_warning


class ExistingCluster(TartwareComponent):
    """An existing cluster reached through a kubeconfig/context.

    With no ``kubeconfig`` setting the provider uses the ambient one (``KUBECONFIG`` or
    ``~/.kube/config``), which is what ``pulumi up --stack dev`` against kind wants.
    """

    AREA = "cluster"

    def __init__(self, name: str, args: ExistingClusterArgs, opts: Optional[pulumi.ResourceOptions] = None):
        super().__init__(name, opts)
        if not args.context:
            pulumi.log.warn(current_context_warning("kubeContext"), resource=self)
        self.provider = k8s.Provider(
            f"{name}-k8s",
            kubeconfig=args.kubeconfig,
            context=args.context or None,
            enable_server_side_apply=True,
            # components/clusters/common.py cluster_identifier: the context names the cluster
            cluster_identifier=cluster_identifier("existing", args.context or CURRENT_CONTEXT),
            opts=pulumi.ResourceOptions(parent=self),
        )
        self.cluster_name = pulumi.Output.from_input(args.context or CURRENT_CONTEXT)
        self.handle = ClusterHandle(
            provider=self.provider,
            name=self.cluster_name,
            target="existing",
            kubeconfig=args.kubeconfig,
        )
        self.register_outputs({"clusterName": self.cluster_name, "target": "existing"})
