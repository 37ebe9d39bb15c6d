"""Platform layer, mesh and edge (docs/platform.md): releases, HA, the guide's names, issuers, wiring,
dependencies, bad input. Expected values are written out here from the guide and the charts
(the charts' sources at the versions pinned in facts/versions.py), not read from the code under test."""

import pytest

from settings import platform as platform_settings
from settings import targets
from settings.targets import rancher as rancher_targets
from settings.errors import ProblemCollector, SettingsError
from program import compose
from program.load import build_settings
from tools.offline import DefaultMocks, run_program, stack_config
from tests import guide
from tests.helpers import assert_refused, waiting_load_balancers

NS = "tartware-infra"
RELEASE = "kubernetes:helm.sh/v3:Release"
CR_TYPES = ("kubernetes:networking.istio.io/", "kubernetes:security.istio.io/", "kubernetes:cert-manager.io/")
ISTIO_REPO = "https://istio-release.storage.googleapis.com/charts"

# release name -> (chart, repository, version, namespace), from the notes' pins
EXPECTED = {
    "istio-base": ("base", ISTIO_REPO, "1.22.8", "istio-system"),
    "istiod": ("istiod", ISTIO_REPO, "1.22.8", "istio-system"),
    "istio-cni": ("cni", ISTIO_REPO, "1.22.8", "kube-system"),
    "ingress-nginx": ("ingress-nginx", "https://kubernetes.github.io/ingress-nginx", "4.12.8", "ingress-nginx"),
    "cert-manager": ("cert-manager", "https://charts.jetstack.io", "v1.19.6", "cert-manager"),
}
# the gateway chart's pod labels for release istio-ingressgateway (istio/istio@1.22.8
# manifests/charts/gateway/templates/_helpers.tpl gateway.selectorLabels), which the gateway objects keep
GATEWAY_LABELS = {"app": "istio-ingressgateway", "istio": "ingressgateway"}


def gateway(run, kind):
    """The istio-ingressgateway object of ``kind`` the program registers (no chart: see docs/platform.md)."""
    (found,) = [r for r in run.resources if r.type.split(":")[-1] == kind
                and r.plain.get("metadata", {}).get("name") == "istio-ingressgateway"]
    return found


@pytest.fixture(params=["dev", "prod"])
def run(request, dev_run, prod_run):
    return {"dev": dev_run, "prod": prod_run}[request.param]


def releases(run):
    return {r.plain["name"]: r for r in run.of_type(RELEASE)}


def values(run, release):
    return releases(run)[release].plain["values"]


def custom(run, kind):
    return {r.plain["metadata"]["name"]: r for r in run.resources
            if r.type.startswith(CR_TYPES) and r.plain.get("kind") == kind}


def closure(run, urn, seen=None):
    """Every URN ``urn`` waits for, transitively (explicit dependencies as the engine sees them)."""
    seen = set() if seen is None else seen
    for dep in run.by_urn(urn).dependencies:
        if dep not in seen:
            seen.add(dep)
            try:
                closure(run, dep, seen)
            except KeyError:
                pass
    return seen


# ------------------------------------------------------------------ releases and HA


def test_each_release_chart_repository_version_namespace(run):
    found = releases(run)
    for name, (chart, repo, version, namespace) in EXPECTED.items():
        r = found[name].plain
        assert ((r["chart"], r["repositoryOpts"]["repo"], r["version"], r["namespace"])
                == (chart, repo, version, namespace)), name
        assert r["createNamespace"] is False


def test_prod_is_highly_available(prod_run):
    hpa = gateway(prod_run, "HorizontalPodAutoscaler").plain["spec"]
    assert hpa["minReplicas"] >= 2 and hpa["maxReplicas"] >= 5
    assert gateway(prod_run, "PodDisruptionBudget").plain["spec"]["minAvailable"] == 1
    assert "replicas" not in gateway(prod_run, "Deployment").plain["spec"]  # the HPA owns it, as in the chart
    # prod on `existing` says nothing about a load balancer: NodePort, nothing waits for an address
    assert gateway(prod_run, "Service").plain["spec"]["type"] == "NodePort"
    # 1.22 reads pilot.* (flattened from 1.24: istio/istio@1.24.0
    # manifests/charts/istio-control/istio-discovery/values.yaml)
    pilot = values(prod_run, "istiod")["pilot"]
    assert pilot["autoscaleEnabled"] is True and pilot["autoscaleMin"] >= 2 and pilot["autoscaleMax"] >= 5
    assert values(prod_run, "istiod")["global"]["defaultPodDisruptionBudget"]["enabled"] is True
    nginx = values(prod_run, "ingress-nginx")["controller"]
    assert nginx["replicaCount"] >= 2 and nginx["autoscaling"]["enabled"] is True
    cm = values(prod_run, "cert-manager")
    assert cm["replicaCount"] >= 2 and cm["webhook"]["replicaCount"] >= 2 and cm["podDisruptionBudget"]["enabled"]


def test_dev_is_light(dev_run):
    assert gateway(dev_run, "Deployment").plain["spec"]["replicas"] == 1
    kinds = {r.type.split(":")[-1] for r in dev_run.resources
             if r.plain.get("metadata", {}).get("name") == "istio-ingressgateway"}
    assert "HorizontalPodAutoscaler" not in kinds and "PodDisruptionBudget" not in kinds
    istiod = values(dev_run, "istiod")
    assert istiod["pilot"]["autoscaleEnabled"] is False and istiod["pilot"]["replicaCount"] == 1
    assert istiod["global"]["defaultPodDisruptionBudget"]["enabled"] is False
    assert values(dev_run, "ingress-nginx")["controller"]["replicaCount"] == 1
    cm = values(dev_run, "cert-manager")
    assert (cm["replicaCount"], cm["webhook"]["replicaCount"], cm["cainjector"]["replicaCount"]) == (1, 1, 1)


def test_cert_manager_installs_its_crds(run):
    assert values(run, "cert-manager")["crds"] == {"enabled": True, "keep": True}
    assert "installCRDs" not in values(run, "cert-manager")


def test_istio_cni_is_used_and_injection_runs_without_net_admin(run):
    assert values(run, "istiod")["pilot"]["cni"] == {"enabled": True}
    assert values(run, "istio-cni")["cni"]["cniConfDir"] == "/etc/cni/net.d"


@pytest.mark.parametrize("target", sorted(targets.TARGETS))
def test_istio_cni_directories_are_the_targets_unless_set(target):
    """istioCniBinDir / istioCniConfDir unset: the target's CNI directories (its ``cni_dirs`` trait);
    set: the set ones, on every target."""
    p = build_settings({"environment": "prod"}).platform
    dirs = targets.target(target).cni_dirs
    assert p.cni_dirs_for(target) == (dirs.bin_dir, dirs.conf_dir)
    if dirs == targets.base.CniDirs():  # a target without its own: the istio-cni chart's defaults
        # istio/istio@1.29.6 manifests/charts/istio-cni/values.yaml: cniBinDir /opt/cni/bin, cniConfDir /etc/cni/net.d
        assert p.cni_dirs_for(target) == ("/opt/cni/bin", "/etc/cni/net.d")
    set_dirs = build_settings({"environment": "prod", "istioCniBinDir": "/var/lib/cni/bin",
                               "istioCniConfDir": "/var/lib/cni/net.d"}).platform
    assert set_dirs.cni_dirs_for(target) == ("/var/lib/cni/bin", "/var/lib/cni/net.d")


def test_istio_cni_on_rke2_uses_the_directories_canal_installs_into():
    """The Rancher targets (RKE2, ``cni: canal``): istio-cni chains into canal's directories, the
    rke2-canal chart's hostPaths, not a path under /var/lib/rancher/rke2."""
    rke2 = [t.name for t in targets.TARGETS.values() if rancher_targets.FAMILY in t.families]
    assert rke2
    p = build_settings({"environment": "prod"}).platform
    for target in rke2:
        # rancher/rke2-charts@792a8f4 charts/rke2-canal/rke2-canal/v3.30.3-build2025090900/templates/daemonset.yaml
        # (pinned by rancher/rke2@v1.34.1+rke2r1 charts/chart_versions.yaml): volumes cni-bin-dir, cni-net-dir
        assert p.cni_dirs_for(target) == ("/opt/cni/bin", "/etc/cni/net.d")


# ------------------------------------------------------------------ the guide's names


def test_guides_edge_names(run):
    svc = gateway(run, "Service").plain["metadata"]
    assert svc["namespace"] == "istio-system"  # kubectl get svc -n istio-system istio-ingressgateway
    assert gateway(run, "Deployment").plain["metadata"]["namespace"] == "istio-system"
    (gw,) = custom(run, "Gateway").values()
    assert gw.plain["apiVersion"].startswith("networking.istio.io/")
    assert gw.plain["metadata"]["namespace"] == "istio-system"
    selector = gw.plain["spec"]["selector"]
    assert all(GATEWAY_LABELS[k] == v for k, v in selector.items())  # selects the gateway's pods
    pod_labels = gateway(run, "Deployment").plain["spec"]["template"]["metadata"]["labels"]
    assert all(pod_labels[k] == v for k, v in selector.items())


def test_tartware_namespace_is_injected_and_restricted(run):
    ns = [n for n in run.of_type("kubernetes:core/v1:Namespace") if n.plain["metadata"]["name"] == guide.NAMESPACE]
    (ns,) = ns
    labels = ns.plain["metadata"]["labels"]
    assert labels["istio-injection"] == "enabled"
    assert labels["pod-security.kubernetes.io/enforce"] == "restricted"  # with istio-cni


def test_strict_mtls_in_tartware_system(run):
    from tools.render import render_chart
    docs = render_chart(releases(run)["tartware"].plain["values"])
    (pa,) = [d for d in docs if d["kind"] == "PeerAuthentication"]
    assert pa["metadata"] == {**pa["metadata"], "name": "default", "namespace": guide.NAMESPACE}
    assert pa["spec"] == {"mtls": {"mode": "STRICT"}}
    assert "selector" not in pa["spec"]  # namespace-wide


def test_routes_for_the_guides_hosts(run):
    services = custom(run, "VirtualService")
    hosts = {name: vs.plain["spec"]["hosts"] for name, vs in services.items()}
    assert hosts["api"] == ["api.tartware.local"]
    if run.stack == "dev":  # lab: the guide's operator hosts too
        assert hosts["grafana"] == ["grafana.tartware.local"]
        assert hosts["prometheus"] == ["prometheus.tartware.local"]
    else:  # the committed prod stack: operatorAccess internal, no operator route (tests/test_access.py)
        assert set(hosts) == {"api"}
    api = services["api"].plain["spec"]
    assert api["gateways"] == ["istio-system/tartware-gateway"]
    assert api["http"][0]["route"][0]["destination"] == {
        "host": "api-gateway.tartware-system.svc.cluster.local", "port": {"number": 8080}}
    (gateway,) = custom(run, "Gateway").values()
    served = {h for s in gateway.plain["spec"]["servers"] for h in s["hosts"]}
    assert {h for hs in hosts.values() for h in hs} <= served
    https = [s for s in gateway.plain["spec"]["servers"] if s["port"]["protocol"] == "HTTPS"]
    assert https and https[0]["tls"]["credentialName"] == "tartware-gateway-tls"


def test_the_api_ingress_is_off_in_istio_mode_and_back_in_ingress_mode(prod_run):
    assert releases(prod_run)["tartware"].plain["values"]["ingress"]["enabled"] is False
    config, secret_keys = stack_config("prod", overrides={f"{NS}:apiRoute": "ingress"})
    run = run_program("prod", config, secret_keys)
    v = releases(run)["tartware"].plain["values"]
    assert v["ingress"]["enabled"] is True
    assert v["mesh"]["permissivePorts"] == {"api-gateway": [8080]}  # the unmeshed nginx speaks plain text
    from tools.render import render_chart
    docs = {(d["kind"], d["metadata"]["name"]): d for d in render_chart(v)}
    permissive = docs[("PeerAuthentication", "api-gateway-permissive")]["spec"]
    assert permissive["portLevelMtls"] == {"8080": {"mode": "PERMISSIVE"}}
    assert permissive["selector"]["matchLabels"]["app"] == "api-gateway"
    assert docs[("Ingress", "api-gateway")]["spec"]["ingressClassName"] == "nginx"
    assert "api" not in custom(run, "VirtualService")
    app = releases(run)["tartware"]
    assert releases(run)["ingress-nginx"].urn in app.dependencies  # its admission webhook checks the Ingress


# ------------------------------------------------------------------ certificates


def test_local_domain_gets_the_self_signed_ca(run):
    issuers = custom(run, "ClusterIssuer")
    assert set(issuers) == {"tartware-selfsigned", "tartware-ca"}
    assert issuers["tartware-selfsigned"].plain["spec"] == {"selfSigned": {}}
    ca_secret = issuers["tartware-ca"].plain["spec"]["ca"]["secretName"]
    root = custom(run, "Certificate")[ca_secret].plain
    assert root["spec"]["isCA"] is True and root["metadata"]["namespace"] == "cert-manager"
    assert root["spec"]["issuerRef"]["name"] == "tartware-selfsigned"
    gw_cert = custom(run, "Certificate")["tartware-gateway-tls"].plain
    assert gw_cert["metadata"]["namespace"] == "istio-system"  # where the gateway reads credentialName
    assert gw_cert["spec"]["issuerRef"] == {"name": "tartware-ca", "kind": "ClusterIssuer", "group": "cert-manager.io"}
    assert "api.tartware.local" in gw_cert["spec"]["dnsNames"]


def test_public_domain_gets_acme():
    config, secret_keys = stack_config("prod", overrides={f"{NS}:domain": "tartware.example.com",
                                                          f"{NS}:acmeEmail": "ops@example.com"})
    run = run_program("prod", config, secret_keys)
    issuers = custom(run, "ClusterIssuer")
    acme = issuers["letsencrypt"].plain["spec"]["acme"]
    assert acme["email"] == "ops@example.com"
    assert acme["server"] == "https://acme-v02.api.letsencrypt.org/directory"
    assert acme["solvers"] == [{"http01": {"ingress": {"class": "istio"}}}]
    cert = custom(run, "Certificate")["tartware-gateway-tls"].plain["spec"]
    assert cert["issuerRef"]["name"] == "letsencrypt"
    assert "api.tartware.example.com" in cert["dnsNames"]
    # the solver pods in istio-system may be reached by the gateway
    pol = [p for p in run.of_type("kubernetes:networking.k8s.io/v1:NetworkPolicy")
           if p.plain["metadata"]["name"] == "allow-acme-solver"][0].plain["spec"]
    assert pol["podSelector"]["matchLabels"] == {"acme.cert-manager.io/http01-solver": "true"}


def test_custom_resources_wait_for_their_crds(run):
    crd_release = {"networking.istio.io": releases(run)["istio-base"].urn,
                   "security.istio.io": releases(run)["istio-base"].urn,
                   "cert-manager.io": releases(run)["cert-manager"].urn}
    crs = [r for r in run.resources if r.type.startswith(CR_TYPES)]
    assert crs
    for r in crs:
        group = r.plain["apiVersion"].split("/")[0]
        assert crd_release[group] in r.dependencies, r.name


# ------------------------------------------------------------------ parallelism


def test_no_needless_dependency_chains(run):
    rel = releases(run)
    istio = {rel[n].urn for n in ("istio-base", "istiod", "istio-cni")} | {gateway(run, "Deployment").urn}
    obs = {r.urn for r in run.resources if ":observability:" in r.urn or "observability" in r.name}
    data_rel = [r for r in run.of_type(RELEASE) if r.name.startswith("platform-data-")]
    assert data_rel
    for r in data_rel:
        deps = closure(run, r.urn)
        assert not deps & obs, f"{r.name} waits for observability"
        assert not deps & istio, f"{r.name} waits for istio"
    for name in ("ingress-nginx", "cert-manager"):
        deps = closure(run, rel[name].urn)
        assert not deps & istio, f"{name} waits for istio"
        assert not deps & {r.urn for r in data_rel}, f"{name} waits for the data tier"
    for urn in [rel[n].urn for n in ("istio-base", "istiod", "istio-cni")] + [gateway(run, "Deployment").urn]:
        assert rel["cert-manager"].urn not in closure(run, urn)
    assert rel["istio-cni"].dependencies == []  # node plugin: independent of everything


def test_the_app_waits_for_real_dependencies_only(run):
    rel = releases(run)
    app = rel["tartware"]
    deps = set(app.dependencies)
    assert rel["istiod"].urn in deps and rel["istio-cni"].urn in deps  # injection needs both
    for r in run.of_type(RELEASE):
        if r.name in ("platform-data-postgres", "platform-data-redis", "platform-data-redpanda"):
            assert r.urn in deps, r.name
    assert rel["cert-manager"].urn not in deps
    assert gateway(run, "Deployment").urn not in deps
    assert rel["ingress-nginx"].urn not in deps  # no Ingress in istio mode


# ------------------------------------------------------------------ ingress address


class LoadBalancerMocks(DefaultMocks):
    """A LoadBalancer Service gets its address, as pulumi-kubernetes waits for it before it returns."""

    def new_resource(self, args):
        rid, outputs = super().new_resource(args)
        if args.typ == "kubernetes:core/v1:Service" and args.inputs.get("spec", {}).get("type") == "LoadBalancer":
            outputs["status"] = {"loadBalancer": {"ingress": [{"hostname": "tartware-nlb.elb.amazonaws.com"}]}}
        return rid, outputs


def test_ingress_address_is_the_gateway_services_load_balancer():
    config, secret_keys = stack_config("dev", overrides={f"{NS}:loadBalancer": "cloud-provider-kind"})
    run = run_program("dev", config, secret_keys, mocks=LoadBalancerMocks())
    assert gateway(run, "Service").plain["spec"]["type"] == "LoadBalancer"
    assert run.outputs["ingressAddress"] == "tartware-nlb.elb.amazonaws.com"
    assert sorted(waiting_load_balancers(run)) == ["Service istio-system/istio-ingressgateway",
                                                   "release ingress-nginx: controller.service.type"]


def test_without_a_load_balancer_there_is_no_address_to_wait_for(dev_run):
    assert gateway(dev_run, "Service").plain["spec"]["type"] == "NodePort"
    assert dev_run.outputs["ingressAddress"] == ""


# ------------------------------------------------------------------ capacity hooks


def test_sidecar_and_daemonset_overheads():
    prod = build_settings({"environment": "prod"}).platform
    assert prod.sidecar_per_pod() == (100, 128 * 2**20)  # Istio's default proxy request
    assert prod.daemonset_per_node() == (100, 100 * 2**20)  # istio-cni chart default
    off = build_settings({"environment": "dev", "platformComponents": {"istio": False, "istioCni": False}}).platform
    assert off.sidecar_per_pod() == (0, 0) and off.daemonset_per_node() == (0, 0)


# ------------------------------------------------------------------ bad input

CASES = [
    ({"platformComponents": {"linkerd": True}}, f"{NS}:platformComponents.linkerd",
     ["unknown setting", "istio", "ingressNginx", "certManager"]),
    ({"platformComponents": {"istio": "maybe"}}, f"{NS}:platformComponents.istio", ["valid boolean"]),
    ({"istioVersion": "1.23.0"}, f"{NS}:istioVersion", ["'1.23.0'", "'1.22.8'", "'1.29.6'"]),
    ({"certIssuer": "acme"}, f"{NS}:acmeEmail", ["required when certIssuer=acme"]),
    ({"acmeEmail": "not-an-email"}, f"{NS}:acmeEmail", ["e-mail address"]),
    ({"certIssuer": "vault"}, f"{NS}:certIssuer", ["'auto'", "'selfSigned'", "'acme'"]),
    ({"istioGatewayMinReplicas": 0}, f"{NS}:istioGatewayMinReplicas", ["greater than or equal to 1"]),
    ({"istioGatewayMinReplicas": 8, "istioGatewayMaxReplicas": 4}, f"{NS}:istioGatewayMaxReplicas",
     ["istioGatewayMinReplicas (8) must not exceed istioGatewayMaxReplicas (4)"]),
    ({"ingressNginxReplicas": 100}, f"{NS}:ingressNginxReplicas", ["less than or equal to 20"]),
    ({"platformComponents": {"istio": False}, "apiRoute": "istio"}, f"{NS}:apiRoute", ["istio needs Istio"]),
    ({"platformComponents": {"istio": False}}, f"{NS}:platformComponents.istioCni", ["istio-cni needs Istio"]),
    ({"istioCniConfDir": "etc/cni"}, f"{NS}:istioCniConfDir", ["absolute host path"]),
    ({"domain": "Tartware_Local"}, f"{NS}:domain", ["lower-case DNS name"]),
]


@pytest.mark.parametrize("overrides,key,fragments", CASES,
                         ids=[c[1].split(":", 1)[1] + f"#{i}" for i, c in enumerate(CASES)])
def test_bad_platform_input_is_rejected_before_any_resource(overrides, key, fragments):
    assert_refused(overrides, key, fragments)


def cross(raw):
    """The problems the settings assembly reports for ``raw`` (rules.check_platform among
    them), or "" when it accepts it."""
    try:
        build_settings(raw)
    except SettingsError as exc:
        return str(exc)
    return ""


def test_acme_is_refused_for_a_local_domain():
    message = cross({"environment": "prod", "certIssuer": "acme", "acmeEmail": "ops@example.com"})
    assert f"{NS}:certIssuer" in message and "private domain 'tartware.local'" in message
    assert cross({"environment": "prod", "certIssuer": "acme", "acmeEmail": "ops@example.com",
                  "domain": "tartware.example.com"}) == ""


def test_requests_per_second_needs_the_adapter():
    message = cross({"environment": "prod", "hpaRequestsPerSecondTarget": 300,
                     "observabilityComponents": {"prometheusAdapter": False}})
    assert f"{NS}:hpaRequestsPerSecondTarget" in message and "no metrics adapter serves it" in message
    assert cross({"environment": "prod", "hpaRequestsPerSecondTarget": 300}) == ""


def test_tls_cluster_issuer_must_exist():
    message = cross({"environment": "prod", "tlsClusterIssuer": "letsencrypt-prod"})
    assert f"{NS}:tlsClusterIssuer" in message and "tartware-ca" in message
    assert cross({"environment": "prod", "tlsClusterIssuer": "tartware-ca"}) == ""


def test_istio_version_against_a_pinned_kubernetes_version():
    p = build_settings({"environment": "prod"}).platform
    assert p.istio_version_for(None) == "1.22.8"  # the guide's line
    assert p.istio_version_for("1.29") == "1.22.8"
    assert p.istio_version_for("1.33") == "1.29.6"  # unset: the newest pinned line that supports it
    explicit = build_settings({"environment": "prod", "istioVersion": "1.22.8"}).platform
    problems = ProblemCollector()
    platform_settings.check_kubernetes(explicit, "1.33", problems)
    (problem,) = problems.problems
    assert problem.key == f"{NS}:istioVersion"
    assert "supports Kubernetes 1.27-1.30" in problem.message and "1.29.6" in problem.message


def test_istio_1_29_uses_the_flattened_istiod_keys():
    from components.platform.mesh import cni_values, istiod_values
    # istio's args as the program builds them (the CNI directories are the target's unless set)
    p = compose.mesh_args(build_settings({"environment": "prod", "istioVersion": "1.29.6"}), None, "LoadBalancer")
    v = istiod_values(p, "1.29.6")
    assert "pilot" not in v and v["autoscaleMin"] == 2 and v["cni"] == {"enabled": True}
    assert "cni" not in cni_values(p, "1.29.6") and cni_values(p, "1.29.6")["cniBinDir"] == "/opt/cni/bin"


def test_metrics_server_serves_the_hpas_resource_metrics():
    """HPAs on CPU/memory and `kubectl top` need metrics.k8s.io: installed where the cluster lacks it."""
    from tools.offline import run_program, stack_config
    from tests.helpers import VSPHERE, VSPHERE_SECRETS

    def metrics_releases(stack, overrides=None, secrets=None):
        run = run_program(stack, *stack_config(stack, overrides=overrides, secrets=secrets))
        return [r.plain for r in run.of_type("kubernetes:helm.sh/v3:Release") if r.plain["name"] == "metrics-server"]

    (dev,) = metrics_releases("dev")
    assert dev["namespace"] == "kube-system"
    assert dev["repositoryOpts"]["repo"] == "https://kubernetes-sigs.github.io/metrics-server/"
    assert dev["values"]["args"] == ["--kubelet-insecure-tls"]  # kind kubelets: self-signed serving certs
    (prod,) = metrics_releases("prod", {"tartware-infra:clusterTarget": "eks",
                                          "tartware-infra:eksPublicAccessCidrs": ["203.0.113.0/24"]})
    assert "args" not in prod["values"] and prod["values"]["replicas"] == 2
    ns = "tartware-infra"
    rke2 = metrics_releases("prod", {f"{ns}:{k}": v for k, v in VSPHERE.items()},
                            {f"{ns}:{k}": v for k, v in VSPHERE_SECRETS.items()})
    assert rke2 == []  # RKE2 bundles rke2-metrics-server
