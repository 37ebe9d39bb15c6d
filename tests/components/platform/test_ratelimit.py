"""components/platform/ratelimit.py alone."""

from stacks.args import EdgeRateLimitArgs

from components.platform.ratelimit import EdgeRateLimit
from tests.components.conftest import build, deps_names, find_key, on, provider, settings, stand_in, wired

RELEASE = "kubernetes:helm.sh/v3:Release"
PROD = settings(environment="prod").platform
DEV = settings(environment="dev").platform


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
