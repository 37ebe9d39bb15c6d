"""The NetworkPolicy vocabulary: who may connect (``Peer``), to what (``Allow``), where a namespace's
pods may connect to (``EgressAllow``), and the policies of one namespace (``NamespacePolicies``). Plain
data; components/kit.py ``NetworkPolicies`` turns it into objects. Peers match namespaces by
``kubernetes.io/metadata.name`` (set by the API server on every namespace), pods by labels their charts
really set (docs/platform.md lists the sources), and addresses outside the cluster by ``ipBlock``.

Semantics (kubernetes.io/docs/concepts/services-networking/network-policies/): a pod selected by a
policy whose ``policyTypes`` lists ``Egress`` may connect only where the ``egress`` rules of the
policies selecting it allow; ports name the protocol (TCP unless said), so DNS lists UDP and TCP.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Mapping, Optional, Sequence

import pulumi


@dataclass(frozen=True)
class Peer:
    """Who may connect: pods (labels) in a namespace; ``namespace=None`` and no labels = anyone
    (the API server calling a webhook, a LoadBalancer's clients)."""

    namespace: Optional[str] = None
    pod_labels: Mapping[str, str] = field(default_factory=dict)
    anywhere: bool = False
    all_namespaces: bool = False  # pods of every namespace (sidecars dialling istiod)
    cidr: Optional[str] = None  # an address block (``ipBlock``): the outside world an egress rule reaches

    def rule(self) -> dict[str, Any]:
        peer: dict[str, Any] = {}
        if self.all_namespaces:
            return {"namespaceSelector": {}}
        if self.cidr is not None:
            return {"ipBlock": {"cidr": self.cidr}}
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


@dataclass(frozen=True)
class EgressAllow:
    """Egress from ``pods`` (labels; empty = every pod) to ``peers`` (at least one: an egress allow always
    names where) on ``ports`` (at least one), each port for every one of ``protocols``."""

    name: str
    pods: Mapping[str, str]
    peers: Sequence[Peer]
    ports: Sequence[int]
    protocols: Sequence[str] = ("TCP",)

    def __post_init__(self) -> None:
        if not self.peers or not self.ports or any(p.anywhere for p in self.peers):
            raise ValueError(f"egress allow {self.name}: name its peers (a namespace, pods or a cidr) and ports")

    def spec(self) -> dict[str, Any]:
        rule = {"to": [p.rule() for p in self.peers],
                "ports": [{"protocol": proto, "port": port} for port in self.ports for proto in self.protocols]}
        return {"podSelector": {"matchLabels": dict(self.pods)} if self.pods else {},
                "policyTypes": ["Egress"], "egress": [rule]}


def default_deny_egress() -> dict[str, Any]:
    return {"podSelector": {}, "policyTypes": ["Egress"]}


@dataclass(frozen=True)
class PolicyHome:
    """Where the platform keeps its NetworkPolicies: components/kit.py ``NetworkPolicies``, each policy
    the resource ``<prefix>-<namespace>-<name>`` under the component whose URN is ``parent_urn``. A
    part whose own resources need some of its policies first (the PostgreSQL Cluster: what its
    standbys and its import connect to, with a default-deny already in place on a deployed stack)
    makes those itself under the same names, aliased to ``parent_urn``, where stacks deployed
    before held them (pulumi ResourceOptions aliases: the same resource, no replacement)."""

    prefix: str
    parent_urn: Any  # pulumi.Output[str]


@dataclass(frozen=True)
class NamespacePolicies:
    """Default-deny ingress in ``namespace`` plus ``allows``; ``depends_on``: what creates the namespace.
    ``egress``: None (the default) leaves the namespace's egress open, no policy; a sequence (even an
    empty one) adds ``default-deny-egress`` plus those allows, the only places its pods may connect to."""

    namespace: str
    allows: Sequence[Allow]
    depends_on: Sequence[pulumi.Resource]
    egress: Optional[Sequence[EgressAllow]] = None
