"""components/platform/edge_rate_limit.py alone: the gateway's EnvoyFilter and the envoyproxy/ratelimit
service, with a hand-made secret source, Redis and CRD stand-ins."""

import yaml

from components.platform.edge_rate_limit import EdgeRateLimitArgs, RateLimitServiceArgs
from components.secrets import SecretsArgs
from settings.platform import CpuMemory
from facts.ratelimit import Exemption

from components.platform.edge_rate_limit import EdgeRateLimit
from components.secrets import SecretSource
from tests.components.helpers import build, credentials, deps_names, find_key, on, provider, stand_in, wired
from tests.envoy_ratelimit import check_rls_config, rls_limit

ENVOY_FILTER = "kubernetes:networking.istio.io/v1alpha3:EnvoyFilter"
GATEWAY = {"istio": "ingressgateway"}


def _build(service: bool, exempt: Exemption = Exemption()):
    def b():
        p = provider()
        crds, redis, monitoring = stand_in("istio-base", p), stand_in("redis", p), stand_in("kps", p)
        s = None
        if service:
            source = SecretSource("external-secrets", SecretsArgs(), on(p))  # generated passwords
            s = RateLimitServiceArgs(replicas=3, request=CpuMemory("250m", "128Mi"),
                                     limit=CpuMemory("1000m", "256Mi"), exempt=exempt,
                                     redis_host="redis-master.cache.svc.cluster.local", redis_port=6379,
                                     redis_password=credentials().redis_password, secrets=source, redis=(redis,),
                                     monitoring_crds=monitoring)
        return EdgeRateLimit("ratelimit", EdgeRateLimitArgs("istio-system", 500, 1000, GATEWAY, depends_on=(crds,),
                                                            service=s), on(p))
    return build(b)


def test_backstop_alone_waits_for_what_installs_its_crd():
    run, _ = _build(service=False)
    wired(run, "tartware:platform:EdgeRateLimit", "ratelimit", stand_ins=("istio-base", "redis", "kps"))
    envoy = run.one(ENVOY_FILTER, "ratelimit-envoyfilter")
    assert deps_names(run, envoy) == {"istio-base"}
    assert envoy.plain["metadata"]["namespace"] == "istio-system"
    (bucket,) = find_key(envoy.plain["spec"], "token_bucket")
    assert (bucket["max_tokens"], bucket["tokens_per_fill"]) == (1000, 500)
    assert not find_key(envoy.plain["spec"], "rate_limit_service")  # no service: no global filter
    assert not run.of_type("kubernetes:apps/v1:Deployment")


def test_service_on_redis_with_its_secret_config_and_monitor():
    run, comp = _build(service=True)
    wired(run, "tartware:platform:EdgeRateLimit", "ratelimit", stand_ins=("istio-base", "redis", "kps"))
    ns = run.one("kubernetes:core/v1:Namespace", "ratelimit-namespace")
    labels = ns.plain["metadata"]["labels"]
    assert labels["pod-security.kubernetes.io/enforce"] == "restricted" and "istio-injection" not in labels
    dep = run.one("kubernetes:apps/v1:Deployment", "ratelimit-deployment")
    assert {"redis", "ratelimit-namespace", "ratelimit-config"} <= deps_names(run, dep)
    pod = dep.plain["spec"]["template"]["spec"]
    assert pod["securityContext"]["runAsNonRoot"] and pod["automountServiceAccountToken"] is False
    (c,) = pod["containers"]
    assert c["securityContext"]["allowPrivilegeEscalation"] is False and c["securityContext"]["readOnlyRootFilesystem"]
    assert c["resources"] == {"requests": {"cpu": "250m", "memory": "128Mi"},
                              "limits": {"cpu": "1000m", "memory": "256Mi"}}
    # the Redis password reaches the pod from a Secret in its own namespace, a Pulumi secret end to end
    (secret,) = run.of_type("kubernetes:core/v1:Secret")
    assert (secret.plain["metadata"]["namespace"] == "ratelimit"
            and secret.plain["metadata"]["name"] == "redis-credentials")
    assert type(secret.inputs["stringData"]).__name__ == "Secret"
    env = {e["name"]: e for e in c["env"]}
    assert env["REDIS_AUTH"]["valueFrom"]["secretKeyRef"] == {"name": "redis-credentials", "key": "password"}
    assert run.one("kubernetes:policy/v1:PodDisruptionBudget").plain["spec"]["maxUnavailable"] == 1
    monitor = run.one("kubernetes:monitoring.coreos.com/v1:ServiceMonitor")
    assert "kps" in deps_names(run, monitor)
    assert monitor.plain["spec"]["endpoints"] == [{"port": "metrics", "interval": "30s"}]
    doc = yaml.safe_load(run.one("kubernetes:core/v1:ConfigMap", "ratelimit-config").plain["data"]["config.yaml"])
    check_rls_config(doc)
    assert doc["descriptors"] == [{"key": "remote_address", "rate_limit": {"unit": "second", "requests_per_unit": 500}}]
    spec = run.one(ENVOY_FILTER, "ratelimit-envoyfilter").plain["spec"]
    names = [p["patch"]["value"].get("name") for p in spec["configPatches"]]
    assert names == ["envoy.filters.http.local_ratelimit", "envoy.filters.http.ratelimit", None]
    assert comp.service_namespace == "ratelimit"


def test_exempt_networks_are_unlimited_and_every_other_address_is_limited():
    run, _ = _build(service=True, exempt=Exemption(("10.244.0.0/16", "10.245.0.0/16"), 16))
    doc = yaml.safe_load(run.one("kubernetes:core/v1:ConfigMap", "ratelimit-config").plain["data"]["config.yaml"])
    check_rls_config(doc)
    for net, ip in (("10.244.0.0/16", "10.244.1.2"), ("10.245.0.0/16", "10.245.9.9")):
        assert rls_limit(doc, [("masked_remote_address", net), ("remote_address", ip)])[0] == {"unlimited": True}
    a = rls_limit(doc, [("masked_remote_address", "203.0.0.0/16"), ("remote_address", "203.0.113.7")])
    b = rls_limit(doc, [("masked_remote_address", "203.0.0.0/16"), ("remote_address", "203.0.113.8")])
    assert a[0]["requests_per_unit"] == 500 and a[1] != b[1]  # one counter per address
    spec = run.one(ENVOY_FILTER, "ratelimit-envoyfilter").plain["spec"]
    (limits,) = find_key(spec, "rate_limits")
    assert limits == [{"actions": [{"masked_remote_address": {"v4_prefix_mask_len": 16}}, {"remote_address": {}}]}]
