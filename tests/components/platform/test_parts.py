"""The small platform parts alone: cert-manager, ingress-nginx, metrics-server, the edge rate limit."""

from stacks.args import CertManagerArgs, EdgeRateLimitArgs, IngressNginxArgs, MetricsServerArgs

from components.platform.certs import CertManager
from components.platform.edge import IngressNginx
from components.platform.metrics import MetricsServer
from components.platform.ratelimit import EdgeRateLimit
from tests.components.conftest import build, deps_names, find_key, on, provider, settings, stand_in, wired

RELEASE = "kubernetes:helm.sh/v3:Release"
PROD = settings(environment="prod").platform
DEV = settings(environment="dev").platform


def test_cert_manager_installs_its_crds_before_the_issuers():
    run, certs = build(lambda: CertManager("certs", CertManagerArgs(PROD, "tartware.local"), on(provider())))
    comp = wired(run, "tartware:platform:CertManager", "certs")
    release = run.one(RELEASE, "certs-release")
    assert release.parent == comp.urn and release.plain["name"] == "cert-manager"
    assert release.plain["namespace"] == "cert-manager"
    issuers = [r for r in run.resources if r.plain.get("kind") == "ClusterIssuer"]
    assert issuers and all("certs-release" in deps_names(run, i) for i in issuers)
    # a private domain: no ACME, the stack's own CA
    assert certs.issuer != "letsencrypt"


def test_ingress_nginx_service_type_from_the_args():
    run, _ = build(lambda: IngressNginx("edge", IngressNginxArgs(DEV, service_type="NodePort"), on(provider())))
    wired(run, "tartware:platform:IngressNginx", "edge")
    release = run.one(RELEASE, "edge-release")
    assert release.plain["values"]["controller"]["service"]["type"] == "NodePort"
    assert deps_names(run, release) == {"edge-namespace"}


def test_metrics_server_replicas_by_environment():
    run, _ = build(lambda: MetricsServer("metrics", MetricsServerArgs(PROD), on(provider())))
    wired(run, "tartware:platform:MetricsServer", "metrics")
    values = run.one(RELEASE, "metrics-release").plain["values"]
    assert values["replicas"] == 2
    assert values["podDisruptionBudget"] == {"enabled": True, "minAvailable": 1}
    run, _ = build(lambda: MetricsServer("metrics", MetricsServerArgs(DEV), on(provider())))
    assert run.one(RELEASE, "metrics-release").plain["values"]["replicas"] == 1


def test_edge_rate_limit_waits_for_what_installs_its_crd():
    def b():
        p = provider()
        crds = stand_in("istio-base", p)
        return EdgeRateLimit("ratelimit", EdgeRateLimitArgs("istio-system", 500, 1000, {"istio": "ingressgateway"},
                                                            depends_on=(crds,)), on(p))

    run, _ = build(b)
    wired(run, "tartware:platform:EdgeRateLimit", "ratelimit", stand_ins=("istio-base",))
    envoy = run.one("kubernetes:networking.istio.io/v1alpha3:EnvoyFilter", "ratelimit-envoyfilter")
    assert deps_names(run, envoy) == {"istio-base"}
    assert envoy.plain["metadata"]["namespace"] == "istio-system"
    bucket = find_key(envoy.plain["spec"], "token_bucket")[0]
    assert (bucket["max_tokens"], bucket["tokens_per_fill"]) == (1000, 500)
