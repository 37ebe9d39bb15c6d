"""The helpers every component shares, below the components: pinned Helm releases, custom resources,
restricted pod security, namespaces with Pod Security Admission labels, and NetworkPolicies.

NetworkPolicies: default-deny ingress per namespace, then explicit allows; where a namespace declares its
egress, default-deny egress too, then the egress allows (the vocabulary, ``Peer``/``Allow``/
``EgressAllow``/``NamespacePolicies``, is components/network.py). tartware-system's policies are
rendered by the Tartware chart (``networkPolicy`` values), because the namespace and the services'
ports belong to that release.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal, Mapping, Optional, Sequence

import pulumi
import pulumi_kubernetes as k8s

from facts import catalog
# the vocabulary the components build their policies with, re-exported next to NetworkPolicies
from components.network import (ALL_PODS, ANYWHERE, Allow, EgressAllow, NamespacePolicies, Peer,  # noqa: F401
                                default_deny, default_deny_egress)
from facts.versions import ChartRef

from .base import TartwareComponent

# ---------------------------------------------------------------- Helm releases, custom resources, pod security

LABELS = {"app.kubernetes.io/part-of": catalog.PART_OF, "app.kubernetes.io/managed-by": "pulumi"}


@dataclass(frozen=True)
class NetworkPoliciesArgs:
    """``NetworkPolicies``' args: default-deny ingress plus the allows (and, where declared, default-deny
    egress plus the egress allows), per namespace."""

    namespaces: Sequence[NamespacePolicies]


def chart_args(ref: ChartRef) -> dict[str, Any]:
    """chart/version/repository arguments of a helm.v3.Release for a pinned chart (https or OCI)."""
    if ref.repo.startswith("oci://"):
        return {"chart": f"{ref.repo}/{ref.chart}", "version": ref.version}
    return {"chart": ref.chart, "version": ref.version,
            "repository_opts": k8s.helm.v3.RepositoryOptsArgs(repo=ref.repo)}


def helm_release(owner: TartwareComponent, resource_name: str, chart: ChartRef, release_name: str,
                 namespace: str, values: Mapping[str, Any], provider: k8s.Provider,
                 depends_on: Sequence[pulumi.Resource] = (), timeout: int = 900,
                 protect: bool = False, ignore_changes: Sequence[str] = ()) -> k8s.helm.v3.Release:
    """A third-party chart from its official repository, pinned in facts/versions.py.

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
        opts=owner.child(provider, depends_on=list(depends_on), protect=protect,
                         **({"ignore_changes": list(ignore_changes)} if ignore_changes else {})),
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
    retain_on_delete: bool = False,
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
        opts=pulumi.ResourceOptions(parent=parent, provider=provider, protect=protect,
                                    retain_on_delete=retain_on_delete),
    )

# ---------------------------------------------------------------- NetworkPolicies

class NetworkPolicies(TartwareComponent):
    AREA = "platform"

    def __init__(self, name: str, args: NetworkPoliciesArgs, opts: pulumi.ResourceOptions):
        """The policies of every namespace of ``args``, in order; the provider comes in ``opts``."""
        super().__init__(name, opts)
        self.res_name = name
        self.policies: dict[tuple[str, str], k8s.networking.v1.NetworkPolicy] = {}
        for ns in args.namespaces:
            self._policy(ns.namespace, "default-deny-ingress", default_deny(), ns.depends_on)
            for allow in ns.allows:
                self._policy(ns.namespace, allow.name, allow.spec(), ns.depends_on)
            if ns.egress is not None:
                self._policy(ns.namespace, "default-deny-egress", default_deny_egress(), ns.depends_on)
                for out in ns.egress:
                    self._policy(ns.namespace, out.name, out.spec(), ns.depends_on)
        self.register_outputs({})

    def _policy(self, ns: str, name: str, spec: dict[str, Any], depends_on: Sequence[pulumi.Resource]) -> None:
        self.policies[(ns, name)] = network_policy(self, self.res_name, ns, name, spec, depends_on)


def network_policy(owner: TartwareComponent, prefix: str, ns: str, name: str, spec: dict[str, Any],
                   depends_on: Sequence[pulumi.Resource], aliases: Sequence[pulumi.Alias] = ()
                   ) -> k8s.networking.v1.NetworkPolicy:
    """One NetworkPolicy ``name`` in ``ns``, the resource ``<prefix>-<ns>-<name>`` (components/network.py
    ``PolicyHome``)."""
    renamed: dict[str, Any] = {"aliases": list(aliases)} if aliases else {}  # ResourceOptions.aliases
    return k8s.networking.v1.NetworkPolicy(
        f"{prefix}-{ns}-{name}",
        metadata=k8s.meta.v1.ObjectMetaArgs(name=name, namespace=ns, labels=dict(LABELS)),
        spec=spec,
        opts=owner.child(owner.provider, depends_on=list(depends_on), **renamed),
    )
