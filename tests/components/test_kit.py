"""components/kit.py alone: NetworkPolicies and the namespace helper."""

import pulumi

from components.kit import NetworkPoliciesArgs
from components.network import ANYWHERE, Allow, NamespacePolicies, Peer

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
