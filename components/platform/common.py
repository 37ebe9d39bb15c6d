"""Small builders shared by the platform components: pinned Helm releases and custom resources."""

from __future__ import annotations

from typing import Any, Mapping, Optional, Sequence

import pulumi
import pulumi_kubernetes as k8s

from stacks import catalog
from stacks.versions import ChartRef

from ..base import TartwareComponent

LABELS = {"app.kubernetes.io/part-of": catalog.PART_OF, "app.kubernetes.io/managed-by": "pulumi"}


def chart_args(ref: ChartRef) -> dict[str, Any]:
    """chart/version/repository arguments of a helm.v3.Release for a pinned chart (https or OCI)."""
    if ref.repo.startswith("oci://"):
        return {"chart": f"{ref.repo}/{ref.chart}", "version": ref.version}
    return {"chart": ref.chart, "version": ref.version,
            "repository_opts": k8s.helm.v3.RepositoryOptsArgs(repo=ref.repo)}


def helm_release(owner: TartwareComponent, resource_name: str, chart: ChartRef, release_name: str,
                 namespace: str, values: Mapping[str, Any], provider: k8s.Provider,
                 depends_on: Sequence[pulumi.Resource] = (), timeout: int = 900,
                 protect: bool = False) -> k8s.helm.v3.Release:
    """A third-party chart from its official repository, pinned in stacks/versions.py.

    ``helm.v3.Release`` (not ``helm.v4.Chart``): a real Helm release the `helm` CLI sees, and it runs
    the charts' hooks (ingress-nginx admission certificate Jobs, cert-manager startupapicheck,
    Redpanda's post-install Job) — pulumi-kubernetes issue #3284.
    """
    return k8s.helm.v3.Release(
        resource_name,
        name=release_name,
        namespace=namespace,
        create_namespace=False,
        values=dict(values),
        timeout=timeout,
        cleanup_on_fail=True,
        max_history=10,
        **chart_args(chart),
        opts=owner.child(provider, depends_on=list(depends_on), protect=protect),
    )


def custom_resource(owner: TartwareComponent, resource_name: str, api_version: str, kind: str, name: str,
                    namespace: Optional[str], spec: Mapping[str, Any], provider: k8s.Provider,
                    depends_on: Sequence[pulumi.Resource]) -> k8s.apiextensions.CustomResource:
    """A custom resource; ``depends_on`` must include the release that installs its CRD."""
    return k8s.apiextensions.CustomResource(
        resource_name,
        api_version=api_version,
        kind=kind,
        metadata=k8s.meta.v1.ObjectMetaArgs(name=name, namespace=namespace, labels=dict(LABELS)),
        spec=dict(spec),
        opts=owner.child(provider, depends_on=list(depends_on)),
    )


# Pod Security Standards "restricted" (https://kubernetes.io/docs/concepts/security/pod-security-standards/#restricted)
# for the pods this program writes itself (Jobs, CronJobs, load generators), plus a read-only root
# filesystem and a high UID (checkov CKV_K8S_22, CKV_K8S_40).
def restricted_pod(uid: int) -> dict[str, Any]:
    return {"runAsNonRoot": True, "runAsUser": uid, "runAsGroup": uid, "fsGroup": uid,
            "fsGroupChangePolicy": "OnRootMismatch", "seccompProfile": {"type": "RuntimeDefault"}}


def restricted_container_security(uid: int) -> dict[str, Any]:
    return {
        "runAsNonRoot": True,
        "runAsUser": uid,
        "runAsGroup": uid,
        "readOnlyRootFilesystem": True,
        "allowPrivilegeEscalation": False,
        "capabilities": {"drop": ["ALL"]},
        "seccompProfile": {"type": "RuntimeDefault"},
    }
