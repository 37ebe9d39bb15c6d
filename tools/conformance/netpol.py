"""NetworkPolicy reachability over the whole render.

Semantics implemented (kubernetes.io/docs/concepts/services-networking/network-policies/ and the
API reference of networking.k8s.io/v1 NetworkPolicy, kubernetes/kubernetes@v1.32.0
staging/src/k8s.io/api/networking/v1/types.go):

* a pod is isolated for ingress (egress) when at least one policy in its namespace selects it
  (``spec.podSelector``) and lists ``Ingress`` (``Egress``) in ``policyTypes``; ``policyTypes``
  defaults to ``[Ingress]`` plus ``Egress`` when the policy has an ``egress`` section;
* a connection is allowed when the destination is not isolated for ingress or some selecting
  policy has an ingress rule admitting it, AND the source is not isolated for egress or some
  selecting policy has an egress rule admitting it;
* a rule admits a peer when ``from``/``to`` is absent or empty (everyone) or one peer matches:
  ``podSelector`` alone = pods of the policy's namespace; ``namespaceSelector`` alone = every pod of
  the selected namespaces; both = the selected pods in the selected namespaces; ``ipBlock`` = the
  CIDR (sources outside the cluster — the API server, load balancer clients — are matched only by
  ``ipBlock`` or by an absent ``from``; pods only by 0.0.0.0/0 or ::/0 without ``except``);
* ports: absent or empty = every port; a number, a named port (resolved against the destination
  container's ports), ``endPort`` ranges; protocol defaults to TCP;
* label selectors: ``matchLabels`` and ``matchExpressions`` (In, NotIn, Exists, DoesNotExist); every
  namespace carries ``kubernetes.io/metadata.name`` (set by the API server).
* hostNetwork pods are not subject to NetworkPolicy (not in a pod network namespace).

The flows it checks are derived elsewhere, from what the render declares and never from the policies
themselves (tools/conformance/flows.py).
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass, field
from typing import Any, Iterable, Mapping, Optional, Union

from tools.conformance.pods import pod_templates
from tools.system import Item, SystemRender

EXTERNAL = "external"  # the API server, load balancer clients: outside the pod network
Port = Union[int, str]


def selector_matches(selector: Optional[Mapping[str, Any]], labels: Mapping[str, str]) -> bool:
    """metav1.LabelSelector semantics; an empty selector matches everything."""
    if selector is None:
        return False
    for k, v in (selector.get("matchLabels") or {}).items():
        if labels.get(k) != v:
            return False
    for expr in selector.get("matchExpressions") or []:
        key, op, values = expr["key"], expr["operator"], expr.get("values") or []
        if op == "In" and labels.get(key) not in values:
            return False
        if op == "NotIn" and key in labels and labels[key] in values:
            return False
        if op == "Exists" and key not in labels:
            return False
        if op == "DoesNotExist" and key in labels:
            return False
    return True


@dataclass
class Pod:
    """A pod of the render (one per template), as NetworkPolicy sees it."""

    owner: str
    namespace: str
    labels: dict[str, str]
    ports: dict[str, int]  # named container ports
    host_network: bool = False
    external: bool = False  # the outside world (API server, LB clients)
    long_running: bool = True  # False: a Job's pod (a Service it matches is not a destination)

    @property
    def ident(self) -> str:
        return "outside the cluster" if self.external else self.owner


OUTSIDE = Pod(EXTERNAL, "", {}, {}, external=True)
# CoreDNS/kube-dns is the cluster's, not in the render: its pods carry k8s-app=kube-dns in kube-system
# (kubernetes/kubernetes@v1.32.0 cluster/addons/dns/coredns/coredns.yaml.base; EKS and RKE2 keep the label)
KUBE_DNS = Pod("Deployment kube-system/coredns", "kube-system", {"k8s-app": "kube-dns"}, {"dns": 53, "dns-tcp": 53})
# The guide's runbook debug pod (kubectl run debug), which reaches PostgreSQL (flows.py RUNBOOK).
RUNBOOK_DEBUG = Pod("Pod default/debug", "default", {"run": "debug"}, {})


@dataclass(frozen=True)
class Flow:
    """Traffic the platform needs: ``src`` pods to ``dst`` pods on ``port`` (number or named port)."""

    src: str  # pod owner key, or EXTERNAL
    dst: str  # pod owner key
    port: Port
    protocol: str
    why: str


@dataclass
class Network:
    pods: list[Pod]
    policies: list[Item]
    namespaces: dict[str, dict[str, str]]
    by_owner: dict[str, Pod] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.by_owner = {p.owner: p for p in self.pods}

    def ns_labels(self, ns: str) -> dict[str, str]:
        return {"kubernetes.io/metadata.name": ns, **self.namespaces.get(ns, {})}

    def selecting(self, pod: Pod, direction: str) -> list[Item]:
        out = []
        for pol in self.policies:
            if pol.namespace != pod.namespace:
                continue
            spec = pol.doc.get("spec") or {}
            types = spec.get("policyTypes") or (["Ingress"] + (["Egress"] if "egress" in spec else []))
            if direction in types and selector_matches(spec.get("podSelector", {}), pod.labels):
                out.append(pol)
        return out

    def peer_matches(self, peer: Mapping[str, Any], policy_ns: Optional[str], other: Pod) -> bool:
        if "ipBlock" in peer:
            block = peer["ipBlock"]
            net = ipaddress.ip_network(block["cidr"], strict=False)
            if other.external:
                return net.prefixlen == 0 or False
            return net.prefixlen == 0 and not block.get("except")
        if other.external:
            return False
        ns_sel, pod_sel = peer.get("namespaceSelector"), peer.get("podSelector")
        if ns_sel is None:
            in_ns = other.namespace == policy_ns
        else:
            in_ns = selector_matches(ns_sel, self.ns_labels(other.namespace))
        if not in_ns:
            return False
        return pod_sel is None or selector_matches(pod_sel, other.labels)

    def port_matches(self, rule_ports: Optional[list], port: int, protocol: str, dst: Pod) -> bool:
        if not rule_ports:
            return True
        for p in rule_ports:
            if (p.get("protocol") or "TCP") != protocol:
                continue
            want = p.get("port")
            if want is None:
                return True
            if isinstance(want, str) and not want.isdigit():
                if dst.ports.get(want) == port:
                    return True
                continue
            lo = int(want)
            hi = int(p.get("endPort") or lo)
            if lo <= port <= hi:
                return True
        return False

    def rules_admitting(self, src: Pod, dst: Pod, port: int, protocol: str, direction: str) -> Optional[list[tuple]]:
        """None if ``direction`` does not isolate the pod it applies to; else the (policy, rule index)
        pairs that admit the connection (empty: denied)."""
        subject, other = (dst, src) if direction == "Ingress" else (src, dst)
        if subject.external or subject.host_network:
            return None
        pols = self.selecting(subject, direction)
        if not pols:
            return None
        key, peers_key = ("ingress", "from") if direction == "Ingress" else ("egress", "to")
        hits = []
        for pol in pols:
            for i, rule in enumerate((pol.doc.get("spec") or {}).get(key) or []):
                peers = rule.get(peers_key)
                if peers and not any(self.peer_matches(p, pol.namespace, other) for p in peers):
                    continue
                if self.port_matches(rule.get("ports"), port, protocol, dst):
                    hits.append((pol.key, key, i))
        return hits

    def resolve_port(self, dst: Pod, port: Port) -> Optional[int]:
        if isinstance(port, int):
            return port
        return dst.ports.get(port)


def build_network(system: SystemRender) -> Network:
    pods = []
    for tpl in pod_templates(system):
        named = {p["name"]: p["containerPort"] for c in tpl.containers(init=True) for p in c.get("ports") or []
                 if p.get("name") and p.get("containerPort")}
        pods.append(Pod(tpl.owner, tpl.namespace, dict((tpl.metadata or {}).get("labels") or {}), named,
                        bool(tpl.spec.get("hostNetwork")), long_running=tpl.long_running))
    namespaces = {i.name: dict((i.doc.get("metadata") or {}).get("labels") or {}) for i in system.of_kind("Namespace")}
    pods.append(KUBE_DNS)
    pods.append(RUNBOOK_DEBUG)
    return Network(pods, system.of_kind("NetworkPolicy"), namespaces)


# ---------------------------------------------------------------------------------- checking


def check_flows(net: Network, flows: Iterable[Flow]) -> tuple[list[str], set[tuple]]:
    """Blocked flows, and every (policy, section, rule) some flow used."""
    problems, used = [], set()
    for f in flows:
        src = OUTSIDE if f.src == EXTERNAL else net.by_owner.get(f.src)
        dst = OUTSIDE if f.dst == EXTERNAL else net.by_owner.get(f.dst)
        if src is None or dst is None:
            problems.append(f"{f.why}: no such pod {f.src if src is None else f.dst}")
            continue
        port = net.resolve_port(dst, f.port)
        if port is None:
            problems.append(f"{f.why}: {dst.owner} has no container port named {f.port!r}")
            continue
        for direction in ("Egress", "Ingress"):
            hits = net.rules_admitting(src, dst, port, f.protocol, direction)
            if hits is None:
                continue
            if not hits:
                side = dst if direction == "Ingress" else src
                problems.append(f"{f.why}: {src.ident} -> {dst.ident}:{port}/{f.protocol} denied by the "
                                f"{direction.lower()} policies of {side.namespace}")
            used.update(hits)
    return problems, used


def empty_policies(net: Network) -> list[str]:
    """Policies whose podSelector selects no pod of their namespace."""
    out = []
    for pol in net.policies:
        sel = (pol.doc.get("spec") or {}).get("podSelector", {})
        if not any(p.namespace == pol.namespace and selector_matches(sel, p.labels) for p in net.pods):
            out.append(f"NetworkPolicy {pol.namespace}/{pol.name} selects no pod ({sel})")
    return out


def unused_rules(net: Network, used: set[tuple]) -> list[str]:
    """Allow rules no flow needs (a default-deny policy has none)."""
    out = []
    for pol in net.policies:
        spec = pol.doc.get("spec") or {}
        for key in ("ingress", "egress"):
            for i, rule in enumerate(spec.get(key) or []):
                if (pol.key, key, i) not in used:
                    out.append(f"{pol.key} {key}[{i}] allows traffic no flow needs: {rule}")
    return out
