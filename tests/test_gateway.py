"""istio-ingressgateway: Istio's gateway-injection Deployment, built without the gateway chart.

Why (docs/platform.md): the gateway chart 1.22.8 fails Helm's values-schema check under the Helm
pulumi-kubernetes embeds (istio/istio#57354), and a newer chart would run a proxy ahead of the 1.22
control plane, which Istio does not support (istio.io docs/releases/supported-releases, "Control
Plane/Data Plane Skew"). The expected objects are written out from istio/istio@1.22.8
manifests/charts/gateway (templates/*.yaml, _helpers.tpl, values.yaml defaults).
"""

import copy
import json
import shutil
from pathlib import Path

import pytest
import yaml

from program.load import build_settings
from components.platform import mesh
from tools.offline import run_program, stack_config
from tools.render import validate

ROOT = Path(__file__).resolve().parent.parent
NS = "tartware-infra"
NAME = "istio-ingressgateway"
SELECTOR = {"app": "istio-ingressgateway", "istio": "ingressgateway"}  # _helpers.tpl gateway.selectorLabels
POD_ANNOTATIONS = {  # values.yaml podAnnotations
    "prometheus.io/port": "15020", "prometheus.io/scrape": "true", "prometheus.io/path": "/stats/prometheus",
    "inject.istio.io/templates": "gateway", "sidecar.istio.io/inject": "true"}
SERVICE_PORTS = [  # values.yaml service.ports
    {"name": "status-port", "port": 15021, "protocol": "TCP", "targetPort": 15021},
    {"name": "http2", "port": 80, "protocol": "TCP", "targetPort": 80},
    {"name": "https", "port": 443, "protocol": "TCP", "targetPort": 443}]
PROXY_SECURITY = {  # deployment.yaml containerSecurityContext default
    "capabilities": {"drop": ["ALL"]}, "allowPrivilegeEscalation": False, "privileged": False,
    "readOnlyRootFilesystem": True, "runAsUser": 1337, "runAsGroup": 1337, "runAsNonRoot": True}


def objects(run):
    """The gateway's own objects (the Prometheus Operator's PodMonitor of the same name scrapes it)."""
    return {r.type.split(":")[-1]: r for r in run.resources
            if r.plain.get("metadata", {}).get("name") == NAME and r.type.startswith("kubernetes:")
            and "monitoring.coreos.com" not in r.type}


@pytest.fixture(params=["dev", "prod"])
def run(request, dev_run, prod_run):
    return {"dev": dev_run, "prod": prod_run}[request.param]


def test_no_gateway_chart_release_on_any_line(run):
    charts = [r.plain.get("chart") for r in run.of_type("kubernetes:helm.sh/v3:Release")]
    assert "gateway" not in charts and NAME not in [r.plain.get("name") for r in run.of_type("kubernetes:helm.sh/v3:Release")]


def test_the_objects_the_chart_renders(run):
    objs = objects(run)
    expected = {"ServiceAccount", "Role", "RoleBinding", "Service", "Deployment"}
    if run.stack == "prod":
        expected |= {"HorizontalPodAutoscaler", "PodDisruptionBudget"}
    assert set(objs) == expected
    for r in objs.values():
        assert r.plain["metadata"]["namespace"] == "istio-system"
        assert {k: r.plain["metadata"]["labels"][k] for k in SELECTOR} == SELECTOR
    dep = objs["Deployment"].plain["spec"]
    assert dep["selector"]["matchLabels"] == SELECTOR
    pod = dep["template"]
    assert pod["metadata"]["labels"]["sidecar.istio.io/inject"] == "true"
    annotations = dict(pod["metadata"]["annotations"])
    # ours on top: the proxy's config, which keeps the edge limit's Envoy stats (docs/platform.md)
    proxy_config = json.loads(annotations.pop("proxy.istio.io/config"))
    assert annotations == POD_ANNOTATIONS
    assert any("http_edge_rate_limiter" in r for r in proxy_config["proxyStatsMatcher"]["inclusionRegexps"])
    assert pod["spec"]["serviceAccountName"] == NAME
    (proxy,) = pod["spec"]["containers"]
    assert (proxy["name"], proxy["image"]) == ("istio-proxy", "auto")
    assert proxy["securityContext"] == PROXY_SECURITY
    assert proxy["ports"] == [{"containerPort": 15090, "protocol": "TCP", "name": "http-envoy-prom"}]
    assert {"name": "net.ipv4.ip_unprivileged_port_start", "value": "0"} in pod["spec"]["securityContext"]["sysctls"]
    assert pod["spec"]["terminationGracePeriodSeconds"] == 30
    svc = objs["Service"].plain["spec"]
    assert svc["ports"] == SERVICE_PORTS and svc["selector"] == SELECTOR
    assert objs["Role"].plain["rules"] == [{"apiGroups": [""], "resources": ["secrets"], "verbs": ["get", "watch", "list"]}]
    assert objs["RoleBinding"].plain["roleRef"] == {"apiGroup": "rbac.authorization.k8s.io", "kind": "Role", "name": NAME}
    assert objs["RoleBinding"].plain["subjects"] == [{"kind": "ServiceAccount", "name": NAME}]
    if run.stack == "prod":
        hpa = objs["HorizontalPodAutoscaler"].plain["spec"]
        assert hpa["scaleTargetRef"] == {"apiVersion": "apps/v1", "kind": "Deployment", "name": NAME}
        assert hpa["metrics"] == [{"type": "Resource", "resource": {"name": "cpu", "target": {
            "averageUtilization": 80, "type": "Utilization"}}}]  # targetCPUUtilizationPercentage 80
        assert objs["PodDisruptionBudget"].plain["spec"] == {"selector": {"matchLabels": SELECTOR}, "minAvailable": 1}


def test_gateway_waits_for_istiod_and_the_app_does_not_wait_for_it(run):
    istiod = [r for r in run.of_type("kubernetes:helm.sh/v3:Release") if r.plain["name"] == "istiod"][0]
    for r in objects(run).values():
        assert istiod.urn in r.dependencies  # injection needs the webhook
    app = [r for r in run.of_type("kubernetes:helm.sh/v3:Release") if r.plain["name"] == "tartware"][0]
    assert objects(run)["Deployment"].urn not in app.dependencies


def test_network_policy_selects_the_gateway_pods(run):
    pods = objects(run)["Deployment"].plain["spec"]["template"]["metadata"]["labels"]
    (policy,) = [r for r in run.of_type("kubernetes:networking.k8s.io/v1:NetworkPolicy")
                 if r.plain["metadata"]["name"] == "allow-ingressgateway" and r.plain["metadata"]["namespace"] == "istio-system"]
    selector = policy.plain["spec"]["podSelector"]["matchLabels"]
    assert selector and all(pods.get(k) == v for k, v in selector.items())


@pytest.mark.parametrize("version,kube", [("1.22.8", "1.28"), ("1.29.6", "1.35")])
def test_the_manifests_are_valid_kubernetes(version, kube):
    """kubernetes-validate --strict, at a Kubernetes version each Istio line supports."""
    prod = build_settings({"environment": "prod"}).platform
    assert validate(mesh.gateway_manifests(prod, version, "LoadBalancer"), kube) == []


def test_the_1_29_line_uses_the_same_deployment():
    config, keys = stack_config("dev", overrides={f"{NS}:istioVersion": "1.29.6"})
    run = run_program("dev", config, keys)
    objs = objects(run)
    assert {"Deployment", "Service"} <= set(objs)
    labels = objs["Deployment"].plain["spec"]["template"]["metadata"]["labels"]
    assert labels["istio.io/dataplane-mode"] == "none"  # 1.29.6 values.yaml labels default
    assert "gateway" not in [r.plain.get("chart") for r in run.of_type("kubernetes:helm.sh/v3:Release")]


# ---------------------------------------------------------------- against the chart itself

def _vendored(version):
    path = ROOT / "charts" / "vendor" / f"gateway-{version}"
    return path if (path / "Chart.yaml").exists() else None


def _strip(obj):
    """Drop empty values and the labels that differ on purpose (Helm's own, ours)."""
    if isinstance(obj, dict):
        return {k: _strip(v) for k, v in obj.items() if v not in (None, {}, [], "")}
    if isinstance(obj, list):
        return [_strip(v) for v in obj]
    return obj


def _comparable(doc):
    doc = copy.deepcopy(doc)
    doc["metadata"].pop("annotations", None)
    doc["metadata"]["labels"] = {k: v for k, v in doc["metadata"].get("labels", {}).items()
                                 if k in SELECTOR or k == "istio.io/dataplane-mode"}
    pod = doc.get("spec", {}).get("template", {})
    if pod:
        pod["metadata"]["labels"] = {k: v for k, v in pod["metadata"]["labels"].items()
                                     if k in SELECTOR or k in ("sidecar.istio.io/inject", "istio.io/dataplane-mode")}
    return _strip(doc)


@pytest.mark.parametrize("version", ["1.22.8", "1.29.6"])
@pytest.mark.parametrize("environment", ["dev", "prod"])
def test_same_objects_as_the_gateway_chart_renders(version, environment, tmp_path):
    """With the vendored chart (charts/vendor), render it as Helm would -- minus values.schema.json,
    whose 1.22.8 version rejects every install -- with the values that mean our settings, and
    compare object by object."""
    chart = _vendored(version)
    if chart is None:
        pytest.skip(f"gateway chart {version} is not vendored under charts/vendor")
    import helm_python

    copy_dir = tmp_path / "gateway"
    shutil.copytree(chart, copy_dir)
    (copy_dir / "values.schema.json").unlink(missing_ok=True)
    p = build_settings({"environment": environment}).platform
    ours = mesh.gateway_manifests(p, version, "NodePort")
    dep = next(d for d in ours if d["kind"] == "Deployment")["spec"]["template"]["spec"]
    autoscale = p.gateway_max_replicas > p.gateway_min_replicas
    values = {"service": {"type": "NodePort", "externalTrafficPolicy": p.edge_external_traffic_policy},
              "autoscaling": {"enabled": autoscale, "minReplicas": p.gateway_min_replicas,
                              "maxReplicas": p.gateway_max_replicas},
              "resources": dep["containers"][0]["resources"], "securityContext": dep["securityContext"],
              # the chart's podAnnotations map, merged by Helm with its defaults: our proxy config on top
              "podAnnotations": {"proxy.istio.io/config": next(d for d in ours if d["kind"] == "Deployment")[
                  "spec"]["template"]["metadata"]["annotations"]["proxy.istio.io/config"]}}
    if not autoscale:
        values["replicaCount"] = p.gateway_min_replicas
    if p.gateway_min_replicas > 1:
        values["podDisruptionBudget"] = {"minAvailable": 1}
    rendered = helm_python.Chart.load(str(copy_dir)).render(values, name=NAME, namespace="istio-system", is_install=True)
    theirs = [d for path, text in rendered.items() if path.endswith(".yaml") for d in yaml.safe_load_all(text) if d]
    assert {d["kind"] for d in theirs} == {d["kind"] for d in ours}
    by_kind = {d["kind"]: _comparable(d) for d in theirs}
    for doc in ours:
        assert _comparable(doc) == by_kind[doc["kind"]], doc["kind"]
