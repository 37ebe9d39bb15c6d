"""The helpers every component shares, below the components: pinned Helm releases, custom resources,
restricted pod security, namespaces with Pod Security Admission labels, and NetworkPolicies.

NetworkPolicies: default-deny ingress per namespace, then explicit allows. tartware-system's
policies are rendered by the Tartware chart (``networkPolicy`` values), because the namespace and
the services' ports belong to that release. Peers match namespaces by
``kubernetes.io/metadata.name`` (set by the API server on every namespace) and pods by labels their
charts really set (docs/platform.md lists the sources).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal, Mapping, Optional, Sequence

import pulumi
import pulumi_kubernetes as k8s

from stacks import catalog
from stacks.versions import ChartRef

from .base import TartwareComponent

# ---------------------------------------------------------------- Helm releases, custom resources, pod security

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
    Redpanda's post-install Job) — https://github.com/pulumi/pulumi-kubernetes/issues/3284.
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

# ---------------------------------------------------------------- namespaces

PsaLevel = Literal["restricted", "baseline", "privileged"]


def psa_labels(level: PsaLevel) -> dict[str, str]:
    """Enforce ``level``; always audit and warn at ``restricted`` so gaps stay visible."""
    return {
        "pod-security.kubernetes.io/enforce": level,
        "pod-security.kubernetes.io/enforce-version": "latest",
        "pod-security.kubernetes.io/audit": "restricted",
        "pod-security.kubernetes.io/warn": "restricted",
    }


def namespace(
    resource_name: str,
    name: str,
    psa: PsaLevel,
    provider: k8s.Provider,
    parent: pulumi.Resource,
    protect: bool = False,
    extra_labels: Optional[Mapping[str, str]] = None,
) -> k8s.core.v1.Namespace:
    labels = {
        "kubernetes.io/metadata.name": name,
        "app.kubernetes.io/part-of": catalog.PART_OF,
        "app.kubernetes.io/managed-by": "pulumi",
        **psa_labels(psa),
        **(extra_labels or {}),
    }
    return k8s.core.v1.Namespace(
        resource_name,
        metadata=k8s.meta.v1.ObjectMetaArgs(name=name, labels=labels),
        opts=pulumi.ResourceOptions(parent=parent, provider=provider, protect=protect),
    )

# ---------------------------------------------------------------- NetworkPolicies

@dataclass(frozen=True)
class Peer:
    """Who may connect: pods (labels) in a namespace; ``namespace=None`` and no labels = anyone
    (the API server calling a webhook, a LoadBalancer's clients)."""

    namespace: Optional[str] = None
    pod_labels: Mapping[str, str] = field(default_factory=dict)
    anywhere: bool = False
    all_namespaces: bool = False  # pods of every namespace (sidecars dialling istiod)

    def rule(self) -> dict[str, Any]:
        peer: dict[str, Any] = {}
        if self.all_namespaces:
            return {"namespaceSelector": {}}
        if self.namespace is not None:
            peer["namespaceSelector"] = {"matchLabels": {"kubernetes.io/metadata.name": self.namespace}}
        if self.pod_labels:
            peer["podSelector"] = {"matchLabels": dict(self.pod_labels)}
        if not peer:
            peer["podSelector"] = {}  # same namespace, any pod
        return peer


ANYWHERE = Peer(anywhere=True)
ALL_PODS = Peer(all_namespaces=True)


@dataclass(frozen=True)
class Allow:
    """Ingress to ``pods`` (labels; empty = every pod) from ``peers`` on ``ports`` (empty = any)."""

    name: str
    pods: Mapping[str, str]
    peers: Sequence[Peer]
    ports: Sequence[int] = ()

    def spec(self) -> dict[str, Any]:
        rule: dict[str, Any] = {}
        if not any(p.anywhere for p in self.peers):
            rule["from"] = [p.rule() for p in self.peers]
        if self.ports:
            rule["ports"] = [{"protocol": "TCP", "port": port} for port in self.ports]
        return {"podSelector": {"matchLabels": dict(self.pods)} if self.pods else {},
                "policyTypes": ["Ingress"], "ingress": [rule]}


def default_deny() -> dict[str, Any]:
    return {"podSelector": {}, "policyTypes": ["Ingress"]}


class NetworkPolicies(TartwareComponent):
    AREA = "platform"

    def __init__(self, name: str, opts: pulumi.ResourceOptions):
        """Reads nothing but the Kubernetes provider in ``opts``; ``namespace`` adds the policies."""
        super().__init__(name, opts)
        self.res_name = name
        self.policies: dict[tuple[str, str], k8s.networking.v1.NetworkPolicy] = {}
        self.register_outputs({})

    def namespace(self, ns: str, allows: Sequence[Allow], depends_on: Sequence[pulumi.Resource]) -> None:
        """Default-deny ingress in ``ns`` plus ``allows``; ``depends_on``: what creates ``ns``."""
        self._policy(ns, "default-deny-ingress", default_deny(), depends_on)
        for allow in allows:
            self._policy(ns, allow.name, allow.spec(), depends_on)

    def _policy(self, ns: str, name: str, spec: dict[str, Any], depends_on: Sequence[pulumi.Resource]) -> None:
        self.policies[(ns, name)] = k8s.networking.v1.NetworkPolicy(
            f"{self.res_name}-{ns}-{name}",
            metadata=k8s.meta.v1.ObjectMetaArgs(name=name, namespace=ns, labels=dict(LABELS)),
            spec=spec,
            opts=self.child(self.provider, depends_on=list(depends_on)),
        )
