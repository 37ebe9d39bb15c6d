"""Helpers shared by the cluster targets."""

from __future__ import annotations

from typing import Sequence

import pulumi
import pulumi_kubernetes as k8s

from facts import versions
from settings.targets.base import PoolArgs
from settings.targets.eks import EksClusterArgs
from settings.targets.rancher import RancherClusterArgs

from ..base import TartwareComponent

AUTOSCALER_NAMESPACE = "kube-system"
AUTOSCALER_SERVICE_ACCOUNT = "cluster-autoscaler"  # rbac.serviceAccount.name (IRSA subject on EKS)


def parse_taint(text: str) -> tuple[str, str, str]:
    """'key=value:Effect' -> (key, value, Effect); value may be empty."""
    kv, effect = text.rsplit(":", 1)
    k, _, v = kv.partition("=")
    return k, v, effect


def autoscaler_image_tag(args: EksClusterArgs | RancherClusterArgs) -> str:
    """cluster-autoscaler's minor must match the cluster's (kubernetes/autoscaler README)."""
    return f"v{args.kubernetes_minor}.0"


# A provider with clusterIdentifier is replaced only when the identifier changes; without it,
# pulumi-kubernetes replaces the provider (and so every Kubernetes resource of the stack) whenever its
# kubeconfig is unknown during a preview or points at another server, e.g. after a token rotation
# (pulumi/pulumi-kubernetes@v4.32.0 provider/pkg/provider/provider.go DiffConfig 486-515; adding the
# identifier to an existing provider replaces nothing: "We don't do this when adding or removing the
# identifier"). The identity of a cluster is the cluster this stack names.
def cluster_identifier(kind: str, name: str) -> str:
    return f"{kind}/{name}"


CURRENT_CONTEXT = "current-context"  # the identifier's name when no context is set


def current_context_warning(key: str) -> str:
    """What a stack without a kube context is told at every preview and update: with no context the
    provider uses the kubeconfig's current context (pulumi/pulumi-kubernetes@v4.32.0
    provider/pkg/provider/provider.go Configure: clientcmd with an empty CurrentContext override), and
    its identifier stays ``<kind>/current-context``, so switching kubectl's context moves the stack to
    another cluster with no diff and no replacement. Naming the context makes the switch explicit: a
    new ``key`` value changes the identifier, and the preview shows the provider replaced."""
    return (f"{key} is empty: this stack deploys to the kubeconfig's current context at each run, so "
            f"`kubectl config use-context` points it at another cluster with no diff. Set {key} to the "
            "context's name (`pulumi config set " + key + " <context>`) to pin the cluster.")


def workload_provider(component: TartwareComponent, name: str, kubeconfig: pulumi.Input[str],
                      identifier: str, depends_on: Sequence[pulumi.Resource] = ()) -> k8s.Provider:
    """The Kubernetes provider handed upward, built from this cluster's (secret) kubeconfig."""
    return k8s.Provider(
        f"{name}-k8s",
        kubeconfig=pulumi.Output.secret(kubeconfig),
        enable_server_side_apply=True,
        cluster_identifier=identifier,
        opts=component.child(depends_on=depends_on),
    )


def autoscaler_release(component: TartwareComponent, name: str, provider: k8s.Provider,
                       args: EksClusterArgs | RancherClusterArgs,
                       values: dict, depends_on: Sequence[pulumi.Resource] = ()) -> k8s.helm.v3.Release:
    """cluster-autoscaler (chart pinned in facts/versions.py; keys per kubernetes/autoscaler@cluster-autoscaler-chart-9.59.0
    charts/cluster-autoscaler/values.yaml)."""
    chart = versions.CLUSTER_AUTOSCALER
    base = {
        "image": {"tag": autoscaler_image_tag(args)},
        "rbac": {"serviceAccount": {"name": AUTOSCALER_SERVICE_ACCOUNT}},
        # rendered as --key=value; the chart's defaults (logtostderr, v) stay (maps merge)
        "extraArgs": {"balance-similar-node-groups": True, "expander": "least-waste",
                      "skip-nodes-with-local-storage": False},
        "replicaCount": 1,
    }
    base.update(values)
    return k8s.helm.v3.Release(
        f"{name}-autoscaler",
        name="cluster-autoscaler",
        chart=chart.chart,
        version=chart.version,
        namespace=AUTOSCALER_NAMESPACE,
        repository_opts=k8s.helm.v3.RepositoryOptsArgs(repo=chart.repo),
        values=base,
        opts=component.child(provider, depends_on=depends_on),
    )


def autoscaled(pools: Sequence[PoolArgs]) -> list[PoolArgs]:
    return [p for p in pools if p.autoscaled]


def pool_summary(pools: Sequence[PoolArgs]) -> dict:
    """Plain description of the pools for outputs and audits."""
    return {
        p.name: {"role": p.role, "minNodes": p.min_nodes, "maxNodes": p.max_nodes, "cpus": p.cpus,
                 "memoryGi": p.memory_gib, "allocatableCpuMillicores": p.cpu_millicores,
                 "allocatableMemoryMi": p.memory_bytes // 2**20}
        for p in pools
    }


def timeouts(args: RancherClusterArgs) -> pulumi.CustomTimeouts:
    minutes = f"{args.active_timeout_minutes}m"
    return pulumi.CustomTimeouts(create=minutes, update=minutes)


