"""components/kit.py alone: NetworkPolicies and the namespace helper."""

import pulumi
import pytest

from components.kit import NetworkPoliciesArgs
from components.network import ANYWHERE, Allow, EgressAllow, NamespacePolicies, Peer

from components.kit import NetworkPolicies, namespace
from tests.components.helpers import build, on, provider, provider_name, stand_in, wired

POLICY = "kubernetes:networking.k8s.io/v1:NetworkPolicy"


def test_network_policies_default_deny_then_allows():
    def b():
        p = provider()
        ns = stand_in("ns", p)
        return NetworkPolicies("net", NetworkPoliciesArgs((NamespacePolicies("cache", (
            Allow("allow-app", {"app": "redis"}, (Peer("tartware-system"),), (6379,)),
            Allow("allow-webhook", {}, (ANYWHERE,), (443,))), (ns,)),)), on(p))

    run, _ = build(b)
    wired(run, "tartware:platform:NetworkPolicies", "net", stand_ins=("ns",))
    deny = run.one(POLICY, "net-cache-default-deny-ingress")
    assert deny.plain["spec"] == {"podSelector": {}, "policyTypes": ["Ingress"]}
    allow = run.one(POLICY, "net-cache-allow-app").plain
    assert allow["metadata"]["namespace"] == "cache"
    assert allow["spec"]["ingress"] == [{
        "from": [{"namespaceSelector": {"matchLabels": {"kubernetes.io/metadata.name": "tartware-system"}}}],
        "ports": [{"protocol": "TCP", "port": 6379}]}]
    # from anywhere: no `from` at all
    assert "from" not in run.one(POLICY, "net-cache-allow-webhook").plain["spec"]["ingress"][0]
    for r in run.of_type(POLICY):
        assert {run.by_urn(u).name for u in r.dependencies} == {"ns"}
    # no egress declared: the namespace's egress stays open, no egress policy at all
    assert not [r for r in run.of_type(POLICY) if "Egress" in r.plain["spec"]["policyTypes"]]


def test_a_namespace_that_declares_its_egress_gets_default_deny_egress_then_the_allows():
    def b():
        p = provider()
        ns = stand_in("ns", p)
        return NetworkPolicies("net", NetworkPoliciesArgs((NamespacePolicies("gate", (
            Allow("allow-app", {"app": "gate"}, (Peer("istio-system"),), (4180,)),), (ns,), egress=(
            EgressAllow("allow-egress-dns", {"app": "gate"}, (Peer("kube-system"),), (53,), ("UDP", "TCP")),
            EgressAllow("allow-egress-idp", {"app": "gate"}, (Peer(cidr="0.0.0.0/0"),), (443,)))),)), on(p))

    run, _ = build(b)
    names = {r.name for r in run.of_type(POLICY)}
    assert names == {f"net-gate-{n}" for n in ("default-deny-ingress", "allow-app", "default-deny-egress",
                                                  "allow-egress-dns", "allow-egress-idp")}
    assert run.one(POLICY, "net-gate-default-deny-egress").plain["spec"] == {"podSelector": {},
                                                                              "policyTypes": ["Egress"]}
    dns = run.one(POLICY, "net-gate-allow-egress-dns").plain["spec"]
    assert dns == {"podSelector": {"matchLabels": {"app": "gate"}}, "policyTypes": ["Egress"], "egress": [{
        "to": [{"namespaceSelector": {"matchLabels": {"kubernetes.io/metadata.name": "kube-system"}}}],
        "ports": [{"protocol": "UDP", "port": 53}, {"protocol": "TCP", "port": 53}]}]}
    idp = run.one(POLICY, "net-gate-allow-egress-idp").plain["spec"]["egress"]
    assert idp == [{"to": [{"ipBlock": {"cidr": "0.0.0.0/0"}}], "ports": [{"protocol": "TCP", "port": 443}]}]


@pytest.mark.parametrize("peers,ports", [((), (53,)), ((Peer("kube-system"),), ()), ((ANYWHERE,), (443,))])
def test_an_egress_allow_names_where_and_which_ports(peers, ports):
    with pytest.raises(ValueError, match="name its peers"):
        EgressAllow("allow-egress-x", {}, peers, ports)


def test_namespace_labels_and_protect():
    def b():
        p = provider()
        parent = pulumi.ComponentResource("test:index:Owner", "owner")
        return namespace("ns", "cache", "restricted", p, parent, protect=True, extra_labels={"x": "y"})

    run, _ = build(b)
    ns = run.one("kubernetes:core/v1:Namespace", "ns")
    assert ns.protect and provider_name(ns) == "k8s"
    labels = ns.plain["metadata"]["labels"]
    assert labels["pod-security.kubernetes.io/enforce"] == "restricted"
    assert labels["pod-security.kubernetes.io/warn"] == "restricted"
    assert labels["x"] == "y"
