"""Cluster settings: which target builds (or adopts) the cluster, and its node pools.

Owned by the cluster area (issue 3). ``build`` receives only this section's keys.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal, Mapping, Optional

import pulumi

from .schema import BuildContext, Setting, SettingsModel, validate_section

NAME = "cluster"

DECLARED: tuple[Setting, ...] = (
    Setting("clusterTarget", "string", "Where Kubernetes comes from: existing (a kubeconfig/context).", "existing"),
    Setting("kubeconfig", "string", "Kubeconfig contents for clusterTarget=existing. Unset: the ambient KUBECONFIG / ~/.kube/config.", secret=True),
    Setting("kubeContext", "string", "Context in the kubeconfig. Empty: its current context.", ""),
)
OBJECT_SETTINGS: tuple[str, ...] = ()


class ClusterInput(SettingsModel):
    cluster_target: Literal["existing"]
    kube_context: str


@dataclass(frozen=True)
class NodePool:
    """A node pool as the capacity check sees it."""

    name: str
    min_nodes: int
    max_nodes: int
    cpu_millicores: int  # allocatable per node
    memory_bytes: int  # allocatable per node
    labels: Mapping[str, str]
    taints: tuple[str, ...] = ()


@dataclass(frozen=True)
class ClusterSettings:
    target: str
    kubeconfig: Optional[pulumi.Output]  # secret
    context: str
    node_pools: tuple[NodePool, ...] = ()  # empty: unknown (an existing cluster), capacity not checked


def build(raw: Mapping[str, Any], ctx: BuildContext) -> Optional[ClusterSettings]:
    inp = validate_section(ClusterInput, raw, ctx.problems)
    kubeconfig = ctx.read_secret("kubeconfig", False, ctx.problems, "")
    if inp is None:
        return None
    return ClusterSettings(target=inp.cluster_target, kubeconfig=kubeconfig, context=inp.kube_context)
