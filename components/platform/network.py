"""NetworkPolicies of the platform namespaces: default-deny ingress, then explicit allows.

tartware-system's policies are rendered by the Tartware chart (``networkPolicy`` values), because
the namespace and the services' ports belong to that release. Here: every other namespace this
stack creates. Peers match namespaces by ``kubernetes.io/metadata.name`` (set by the API server on
every namespace) and pods by labels their charts really set (docs/platform.md lists the sources).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Mapping, Optional, Sequence

import pulumi
import pulumi_kubernetes as k8s

from ..base import TartwareComponent
from .common import LABELS


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

    def __init__(self, name: str, provider: k8s.Provider, opts: Optional[pulumi.ResourceOptions] = None):
        super().__init__(name, opts)
        self.res_name = name
        self.provider = provider
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
