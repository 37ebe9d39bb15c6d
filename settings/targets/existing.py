"""clusterTarget=existing: a cluster reached through a kubeconfig/context (kind, k3d, any managed
cluster); the dev default. It reads no keys of its own (``kubeconfig`` and ``kubeContext`` are
read on every target); its pools are unknown unless declared, so the capacity check runs only
on what the stack declares (docs/clusters.md)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar, Optional

import pulumi

from ..nodes import WORKER_POOLS
from .base import ArgsContext, BundledMetricsServer, ClusterArgs, ClusterSettings, Target


@dataclass(frozen=True, kw_only=True)
class ExistingSettings(ClusterSettings):
    """An existing cluster: the common settings only."""


@dataclass(frozen=True)
class ExistingClusterArgs(ClusterArgs):
    """A cluster reached through a kubeconfig."""

    kubeconfig: Optional[pulumi.Output]  # secret; None: the ambient kubeconfig
    context: str
    TARGET: ClassVar[str] = "existing"


def cluster_args(c: ExistingSettings, ctx: ArgsContext) -> ExistingClusterArgs:
    return ExistingClusterArgs(kubeconfig=c.kubeconfig, context=c.context)


# An existing cluster says which distribution made it only through its kubeconfig context's name
# (the stack cannot ask the cluster before it runs): k3d names its contexts k3d-<cluster> (k3d.io
# "k3d cluster create": "kubeconfig context k3d-<name>") and runs k3s, which deploys metrics-server
# itself (docs.k3s.io "Packaged Components": metrics-server in kube-system); a second one from our
# release collides with it (Helm: "invalid ownership metadata"). kind's contexts are kind-<cluster>
# (kind.sigs.k8s.io quick start) and kind ships none.
BUNDLED_METRICS_CONTEXTS = {
    "k3d-": BundledMetricsServer(
        "k3s (k3d)", ("APIService v1beta1.metrics.k8s.io", "Deployment kube-system/metrics-server"),
        "docs.k3s.io \"Packaged Components\" (metrics-server); k3d names its contexts k3d-<cluster>"),
}

TARGET = Target(
    name=ExistingClusterArgs.TARGET,
    summary="existing (a kubeconfig/context)",
    families=(),
    settings=ExistingSettings,
    args=cluster_args,
    pools=WORKER_POOLS,
    prod_pools={},
    dev_pools={},
    pools_declared_only=True,
    kubeconfig_access=True,
    # `loadBalancer` unset: none (kind has no load balancer; docs/real-tools.md); cloud-provider-kind
    # serves kind clusters only; the stack says whether its cloud is AWS (existingClusterCloud)
    default_load_balancer="none",
    kind_load_balancer=True,
    on_aws=None,
    bundled_metrics_contexts=BUNDLED_METRICS_CONTEXTS,
    asks_for_metrics_server=True,
    environment_load_balancer=True,
    environment_storage=True,
)
