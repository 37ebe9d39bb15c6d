"""Network policies (docs/platform.md): default-deny everywhere we create a namespace, explicit allows whose
selectors match labels that exist — the Tartware chart's rendered pod labels, and for third-party
pods the labels their charts set at the pinned versions (sources in facts/versions.py), written out
here by hand."""

import pytest

from tools.render import render_chart, validate
from tests import guide

NP = "kubernetes:networking.k8s.io/v1:NetworkPolicy"
RELEASE = "kubernetes:helm.sh/v3:Release"

# Pod labels of third-party pods, from the notes (chart templates at the pinned tags).
NOTES_POD_LABELS = {
    "istio-ingressgateway": {"app": "istio-ingressgateway", "istio": "ingressgateway",
                             "sidecar.istio.io/inject": "true"},
    "istiod": {"app": "istiod", "istio": "pilot", "istio.io/rev": "default", "sidecar.istio.io/inject": "false"},
    "ingress-nginx": {"app.kubernetes.io/name": "ingress-nginx", "app.kubernetes.io/instance": "ingress-nginx",
                      "app.kubernetes.io/component": "controller", "app.kubernetes.io/part-of": "ingress-nginx"},
    "cert-manager-webhook": {"app": "webhook", "app.kubernetes.io/name": "webhook",
                             "app.kubernetes.io/instance": "cert-manager", "app.kubernetes.io/component": "webhook"},
    # CloudNativePG 1.30.0 (pkg/specs/pgbouncer/deployments.go, pkg/specs/pods.go buildInstance) and its
    # chart's selector labels (cloudnative-pg/charts@cloudnative-pg-v0.29.0 templates/_helpers.tpl)
    "postgres-pooler": {"cnpg.io/poolerName": "postgres-postgresql", "cnpg.io/cluster": "postgres",
                        "cnpg.io/podRole": "pooler", "app.kubernetes.io/name": "postgresql"},
    "postgres-instance": {"cnpg.io/cluster": "postgres", "cnpg.io/podRole": "instance",
                          "cnpg.io/instanceName": "postgres-1", "cnpg.io/instanceRole": "primary"},
    "cnpg-operator": {"app.kubernetes.io/name": "cloudnative-pg", "app.kubernetes.io/instance": "cnpg"},
    # redis-ha 4.39.0 (templates/redis-haproxy-deployment.yaml, redis-ha-statefulset.yaml)
    "redis-haproxy": {"app": "redis-ha-haproxy", "release": "redis"},
    "redis-node": {"app": "redis-ha", "release": "redis", "redis-redis-ha": "replica"},
    "redpanda": {"app.kubernetes.io/name": "redpanda", "app.kubernetes.io/instance": "redpanda",
                 "app.kubernetes.io/component": "redpanda-statefulset"},
    "consul": {"app": "consul", "release": "consul", "component": "server"},
    # cert-manager's ACME http01 solver pods
    "acme-solver": {"acme.cert-manager.io/http01-solver": "true"},
}


@pytest.fixture(params=["dev", "prod"])
def run(request, dev_run, prod_run):
    return {"dev": dev_run, "prod": prod_run}[request.param]


def app_values(run):
    return run.one(RELEASE, "tartware-release").plain["values"]


def chart_docs(run):
    return render_chart(app_values(run))


def pod_labels(docs):
    """The labels of every pod the chart runs: the services' Deployments and the migration hook Job."""
    return {d["metadata"]["name"]: d["spec"]["template"]["metadata"]["labels"]
            for d in docs if d["kind"] in ("Deployment", "Job")}


def matches(selector, labels):
    return all(labels.get(k) == v for k, v in selector.items())


def platform_policies(run):
    return {(p.plain["metadata"]["namespace"], p.plain["metadata"]["name"]): p.plain["spec"] for p in run.of_type(NP)}


def test_every_namespace_we_create_denies_ingress_by_default(run):
    created = {n.plain["metadata"]["name"] for n in run.of_type("kubernetes:core/v1:Namespace")}
    policies = platform_policies(run)
    chart = {d["metadata"]["name"]: d for d in chart_docs(run) if d["kind"] == "NetworkPolicy"}
    for ns in created:
        if ns == guide.NAMESPACE:
            deny = chart["default-deny"]["spec"]
            assert deny == {"podSelector": {}, "policyTypes": ["Ingress", "Egress"]}
        else:
            if ns not in {k[0] for k in policies}:
                continue  # a namespace of another area's component with no platform role (reported)
            assert policies[(ns, "default-deny-ingress")] == {"podSelector": {}, "policyTypes": ["Ingress"]}, ns
    for ns in ("istio-system", "ingress-nginx", "cert-manager", "database", "cache", "messaging", "observability"):
        assert (ns, "default-deny-ingress") in policies, ns


def test_chart_policies_validate_and_select_rendered_pods(run):
    docs = chart_docs(run)
    labels = pod_labels(docs)
    policies = [d for d in docs if d["kind"] == "NetworkPolicy"]
    assert validate(policies) == []
    assert len(policies) == len(labels) + 1
    for p in policies:
        sel = p["spec"]["podSelector"].get("matchLabels", {})
        assert sel == {} or sum(matches(sel, pod) for pod in labels.values()) == 1, p["metadata"]["name"]
        for rule in p["spec"].get("ingress", []) + p["spec"].get("egress", []):
            for peer in rule.get("from", []) + rule.get("to", []):
                if "namespaceSelector" not in peer and "podSelector" in peer:  # same namespace: our pods
                    assert any(matches(peer["podSelector"]["matchLabels"], pod) for pod in labels.values()), peer


def ingress_peers(policy):
    return [(peer, [p["port"] for p in rule.get("ports", [])])
            for rule in policy["spec"].get("ingress", []) for peer in rule.get("from", [])]


def test_gateway_reaches_api_gateway_and_api_gateway_reaches_the_services(run):
    docs = chart_docs(run)
    labels = pod_labels(docs)
    policies = {d["metadata"]["name"]: d for d in docs if d["kind"] == "NetworkPolicy"}
    api = policies["api-gateway"]
    edge = [(peer, ports) for peer, ports in ingress_peers(api) if "namespaceSelector" in peer
            and peer["namespaceSelector"]["matchLabels"]["kubernetes.io/metadata.name"] == "istio-system"]
    (peer, ports), = edge
    assert matches(peer["podSelector"]["matchLabels"], NOTES_POD_LABELS["istio-ingressgateway"])
    assert ports == [guide.PORTS["api-gateway"]]
    for service in ("core-service", "billing-service", "guests-service", "rooms-service"):
        allowed = [p for p, ports in ingress_peers(policies[service])
                   if "namespaceSelector" not in p and matches(p["podSelector"]["matchLabels"], labels["api-gateway"])]
        assert allowed, f"api-gateway cannot reach {service}"
    guard = policies["availability-guard-service"]
    grpc = [ports for p, ports in ingress_peers(guard)
            if "namespaceSelector" not in p and matches(p["podSelector"]["matchLabels"],
                                                         labels["reservations-command-service"])]
    assert grpc and 4400 in grpc[0]  # reservations dials the guard over gRPC
    # no service other than the gateway is reachable from outside the namespace except by Prometheus
    for name, policy in policies.items():
        if name in ("default-deny", "api-gateway"):
            continue
        for peer, _ in ingress_peers(policy):
            if "namespaceSelector" in peer:
                assert peer["namespaceSelector"]["matchLabels"]["kubernetes.io/metadata.name"] == "observability"


def test_services_reach_data_tier_dns_and_istiod(prod_run):
    docs = chart_docs(prod_run)
    policies = {d["metadata"]["name"]: d for d in docs if d["kind"] == "NetworkPolicy"}
    egress = policies["core-service"]["spec"]["egress"]
    by_ns = {}
    for rule in egress:
        for peer in rule["to"]:
            ns = peer.get("namespaceSelector", {}).get("matchLabels", {}).get("kubernetes.io/metadata.name")
            by_ns.setdefault(ns, []).append((peer.get("podSelector", {}).get("matchLabels", {}),
                                             {(p["protocol"], p["port"]) for p in rule.get("ports", [])}))
    assert ("UDP", 53) in by_ns["kube-system"][0][1] and ("TCP", 53) in by_ns["kube-system"][0][1]
    (db_sel, db_ports), = by_ns["database"]
    assert ("TCP", 5432) in db_ports and matches(db_sel, NOTES_POD_LABELS["postgres-pooler"])  # through the Pooler
    (redis_sel, redis_ports), = by_ns["cache"]
    assert redis_ports == {("TCP", 6379)}  # the app has no Sentinel client: HAProxy only
    assert matches(redis_sel, NOTES_POD_LABELS["redis-haproxy"])
    (kafka_sel, _), = by_ns["messaging"]
    assert matches(kafka_sel, NOTES_POD_LABELS["redpanda"])
    (istiod_sel, istiod_ports), = by_ns["istio-system"]
    assert matches(istiod_sel, NOTES_POD_LABELS["istiod"]) and ("TCP", 15012) in istiod_ports
    assert ("TCP", 4318) in by_ns["observability"][0][1]  # OTLP/HTTP the apps export with
    # revenue-service does not use Redis: no egress to the cache
    revenue = {peer.get("namespaceSelector", {}).get("matchLabels", {}).get("kubernetes.io/metadata.name")
               for rule in policies["revenue-service"]["spec"]["egress"] for peer in rule["to"]}
    assert "cache" not in revenue


def test_platform_policy_selectors_match_third_party_pods(prod_run):
    policies = platform_policies(prod_run)
    expect = {
        ("istio-system", "allow-ingressgateway"): "istio-ingressgateway",
        ("istio-system", "allow-istiod-xds"): "istiod",
        ("istio-system", "allow-istiod-webhook"): "istiod",
        ("ingress-nginx", "allow-controller"): "ingress-nginx",
        ("cert-manager", "allow-webhook"): "cert-manager-webhook",
        ("database", "allow-tartware"): "postgres-pooler",
        ("database", "allow-pooler"): "postgres-instance",
        ("database", "allow-operator"): "postgres-instance",
        ("database", "allow-replication"): "postgres-instance",
        ("cnpg-system", "allow-webhook"): "cnpg-operator",
        ("cache", "allow-tartware"): "redis-haproxy",
        ("messaging", "allow-tartware"): "redpanda",
    }
    for key, pod in expect.items():
        selector = policies[key]["podSelector"]["matchLabels"]
        assert matches(selector, NOTES_POD_LABELS[pod]), (key, selector)
    # tartware.local is private: the CA issuer, no ACME HTTP-01 solver pods, so no policy for them
    assert ("istio-system", "allow-acme-solver") not in policies
    assert ("consul", "allow-tartware") not in policies  # no Tartware service is configured with Consul
    # the operator reaches the instances' status port only; the pooler and standbys their 5432
    (rule,) = policies[("database", "allow-operator")]["ingress"]
    assert rule["ports"] == [{"protocol": "TCP", "port": 8000}]
    assert matches(rule["from"][0]["podSelector"]["matchLabels"], NOTES_POD_LABELS["cnpg-operator"])
    (rule,) = policies[("database", "allow-pooler")]["ingress"]
    assert matches(rule["from"][0]["podSelector"]["matchLabels"], NOTES_POD_LABELS["postgres-pooler"])
    # the data tier is reached from tartware pods only (label the chart renders on every pod)
    (rule,) = policies[("database", "allow-tartware")]["ingress"]
    (peer,) = rule["from"]
    assert peer["namespaceSelector"]["matchLabels"] == {"kubernetes.io/metadata.name": guide.NAMESPACE}
    labels = pod_labels(chart_docs(prod_run))
    assert all(matches(peer["podSelector"]["matchLabels"], pod) for pod in labels.values())
    # webhooks are called by the API server (not a pod): open on the webhook port only
    (rule,) = policies[("cert-manager", "allow-webhook")]["ingress"]
    assert "from" not in rule and rule["ports"] == [{"protocol": "TCP", "port": 10250}]
    (rule,) = policies[("istio-system", "allow-istiod-webhook")]["ingress"]
    assert "from" not in rule and rule["ports"] == [{"protocol": "TCP", "port": 15017}]


def test_prometheus_may_scrape_everywhere(prod_run):
    policies = platform_policies(prod_run)
    obs_values = app_values(prod_run)["networkPolicy"]["scraper"]
    assert obs_values["namespace"] == "observability"
    for ns in ("istio-system", "ingress-nginx", "cert-manager", "database", "cache", "messaging"):
        (rule,) = policies[(ns, "allow-prometheus")]["ingress"]
        (peer,) = rule["from"]
        assert peer["podSelector"]["matchLabels"] == obs_values["podLabels"]
    docs = chart_docs(prod_run)
    api = [d for d in docs if d["kind"] == "NetworkPolicy" and d["metadata"]["name"] == "api-gateway"][0]
    scrape = [ports for peer, ports in ingress_peers(api) if peer.get("podSelector", {}).get("matchLabels") ==
              obs_values["podLabels"]]
    assert scrape and {8080, 15020} <= set(scrape[0])  # app port and Istio's merged metrics


def test_policies_off_keep_todays_chart():
    from components.tartware_values import chart_values
    from program.load import build_settings
    values = chart_values(build_settings({"environment": "prod"}).tartware)
    kinds = {d["kind"] for d in render_chart(values)}
    assert "NetworkPolicy" not in kinds and "PeerAuthentication" not in kinds
