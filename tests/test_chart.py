"""Our chart, rendered with the values the program passes, validated as Kubernetes 1.28 objects."""

import copy

import helm_python
import pytest

from facts.app_source import APP_COMMIT

from settings.quantities import Cpu, Memory
from tools.render import CHART, ROOT, render_chart, validate
from tests import guide
from tests.helpers import APP_RELEASE, RELEASE

ISTIO_KINDS = {"PeerAuthentication"}  # custom resources (security.istio.io): no built-in schema


def app_values(run):
    return run.one(RELEASE, APP_RELEASE).plain["values"]


@pytest.fixture(scope="module", params=["dev", "prod"])
def rendered(request, dev_run, prod_run):
    run = {"dev": dev_run, "prod": prod_run}[request.param]
    values = app_values(run)
    return request.param, values, render_chart(values)


def objects(docs, kind):
    return {d["metadata"]["name"]: d for d in docs if d["kind"] == kind}


def test_every_object_validates_strict_for_1_28(rendered):
    _, values, docs = rendered
    # per service (Deployment, Service, ServiceAccount, HPA, PDB, NetworkPolicy) + default-deny
    # NetworkPolicy + the namespace's STRICT PeerAuthentication; the API is routed by the Istio
    # gateway, so no Ingress (apiRoute=istio); + the migration hook's ConfigMap, NetworkPolicy and Job.
    assert len(docs) == len(guide.ROW_OF) * 6 + 1 + 1 + 3
    assert validate([d for d in docs if d["kind"] not in ISTIO_KINDS], "1.28.0") == []
    assert {d["apiVersion"] for d in docs if d["kind"] in ISTIO_KINDS} == {"security.istio.io/v1beta1"}


def test_lint_strict_is_clean(rendered):
    _, values, _ = rendered
    result = helm_python.lint(str(CHART), values, strict=True)
    assert result["errors"] == []
    assert [m for m in result["messages"] if m["severity"] > 1] == []  # nothing above INFO


def test_guide_names_and_labels(rendered):
    _, _, docs = rendered
    deployments = objects(docs, "Deployment")
    assert set(deployments) == set(guide.ROW_OF)
    assert set(objects(docs, "HorizontalPodAutoscaler")) == {f"{s}-hpa" for s in guide.ROW_OF}
    for d in docs:
        assert d["metadata"]["namespace"] == guide.NAMESPACE
    for name, dep in deployments.items():
        labels = dep["spec"]["template"]["metadata"]["labels"]
        assert labels["app"] == name
        assert labels["app.kubernetes.io/name"] == name
        assert labels["app.kubernetes.io/part-of"] == "tartware"
        # the selector only uses labels the pods carry
        for k, v in dep["spec"]["selector"]["matchLabels"].items():
            assert labels[k] == v


def test_hpas_follow_the_guide(rendered):
    env, values, docs = rendered
    for name, hpa in objects(docs, "HorizontalPodAutoscaler").items():
        service = name.removesuffix("-hpa")
        spec = hpa["spec"]
        assert hpa["apiVersion"] == "autoscaling/v2"
        assert spec["scaleTargetRef"] == {"apiVersion": "apps/v1", "kind": "Deployment", "name": service}
        if env == "prod":
            lo, hi = guide.TABLE[guide.ROW_OF[service]][:2]
            assert (spec["minReplicas"], spec["maxReplicas"]) == (lo, hi)
        resource = {m["resource"]["name"]: m["resource"]["target"] for m in spec["metrics"] if m["type"] == "Resource"}
        assert resource["cpu"] == {"type": "Utilization", "averageUtilization": guide.HPA_CPU}
        assert resource["memory"] == {"type": "Utilization", "averageUtilization": guide.HPA_MEMORY}
        up, down = spec["behavior"]["scaleUp"], spec["behavior"]["scaleDown"]
        assert [(p["type"], p["value"], p["periodSeconds"]) for p in up["policies"]] == [("Percent", *guide.SCALE_UP)]
        assert ([(p["type"], p["value"], p["periodSeconds"]) for p in down["policies"]]
                == [("Percent", *guide.SCALE_DOWN)])
        assert down["stabilizationWindowSeconds"] == guide.SCALE_DOWN_WINDOW


def test_custom_pods_metric_is_optional(rendered):
    _, values, _ = rendered
    values = copy.deepcopy(values)
    values["services"]["api-gateway"]["autoscaling"]["customMetrics"] = [
        {"name": "http_requests_per_second", "averageValue": "300"}
    ]
    hpa = objects(render_chart(values), "HorizontalPodAutoscaler")["api-gateway-hpa"]
    pods = [m for m in hpa["spec"]["metrics"] if m["type"] == "Pods"]
    assert pods == [{"type": "Pods", "pods": {"metric": {"name": "http_requests_per_second"},
                                               "target": {"type": "AverageValue", "averageValue": "300"}}}]
    assert validate([hpa]) == []


def test_deployments_are_hardened_and_wired(rendered):
    env, values, docs = rendered
    for name, dep in objects(docs, "Deployment").items():
        pod = dep["spec"]["template"]["spec"]
        assert "replicas" not in dep["spec"]  # the HPA owns the count
        assert pod["automountServiceAccountToken"] is False
        assert pod["serviceAccountName"] == name
        assert pod["securityContext"]["runAsNonRoot"] is True
        assert pod["securityContext"]["seccompProfile"] == {"type": "RuntimeDefault"}
        zones = [t for t in pod["topologySpreadConstraints"] if t["topologyKey"] == "topology.kubernetes.io/zone"]
        assert zones and zones[0]["labelSelector"]["matchLabels"]["app"] == name
        (c,) = pod["containers"]
        sc = c["securityContext"]
        assert sc["readOnlyRootFilesystem"] is True
        assert sc["allowPrivilegeEscalation"] is False
        assert sc["capabilities"] == {"drop": ["ALL"]}
        assert c["image"] == f"docker.io/tartware/{name}:v1.0.0"
        port = guide.PORTS[name]
        assert c["ports"][0] == {"name": "http", "containerPort": port, "protocol": "TCP"}
        assert c["livenessProbe"]["httpGet"] == {"path": "/health", "port": "http"}
        assert c["readinessProbe"]["httpGet"] == {"path": "/ready", "port": "http"}
        mounts = {m["mountPath"] for m in c["volumeMounts"]}
        assert {"/tmp", "/app/.cache"} <= mounts
        env_vars = {e["name"]: e for e in c["env"]}
        assert env_vars["PORT"]["value"] == str(port)
        assert env_vars["AUTH_JWT_SECRET"]["valueFrom"]["secretKeyRef"]["name"] == "tartware-auth"
        if "DB_HOST" in env_vars:
            assert env_vars["DB_HOST"]["value"] == "postgres-postgresql.database.svc.cluster.local"
            assert env_vars["DB_PORT"]["value"] == "5432"
            assert (env_vars["DB_PASSWORD"]["valueFrom"]["secretKeyRef"]
                    == {"name": "database-credentials", "key": "password"})
        if "REDIS_PASSWORD" in env_vars:
            assert (env_vars["REDIS_PASSWORD"]["valueFrom"]["secretKeyRef"]
                    == {"name": "redis-credentials", "key": "password"})
        if env == "prod":
            lo, hi, cpu_req, cpu_lim, mem_req, mem_lim = guide.TABLE[guide.ROW_OF[name]]
            r = c["resources"]
            assert Cpu.parse(r["requests"]["cpu"]).millicores == cpu_req
            assert Cpu.parse(r["limits"]["cpu"]).millicores == cpu_lim
            assert Memory.parse(r["requests"]["memory"]).bytes == mem_req
            assert Memory.parse(r["limits"]["memory"]).bytes == mem_lim


def test_services_ports_agree_with_containers(rendered):
    _, _, docs = rendered
    deployments = objects(docs, "Deployment")
    for name, svc in objects(docs, "Service").items():
        (container,) = deployments[name]["spec"]["template"]["spec"]["containers"]
        container_ports = {p["name"]: p["containerPort"] for p in container["ports"]}
        for p in svc["spec"]["ports"]:
            if p["name"] == "http-monitoring":  # the istio agent's merged metrics port (sidecar, not app)
                assert p["targetPort"] == 15020
                continue
            assert p["targetPort"] in container_ports, (name, p)
        assert svc["spec"]["selector"] == deployments[name]["spec"]["selector"]["matchLabels"]
    guard = objects(docs, "Service")["availability-guard-service"]
    ports = {p["name"]: p["port"] for p in guard["spec"]["ports"] if p["name"] != "http-monitoring"}
    assert ports == {"http": 3045, "grpc": 4400}


def test_gateway_urls_point_at_real_services(rendered):
    _, _, docs = rendered
    services = objects(docs, "Service")
    (gw,) = objects(docs, "Deployment")["api-gateway"]["spec"]["template"]["spec"]["containers"]
    urls = {e["name"]: e["value"] for e in gw["env"] if e["name"].endswith("_SERVICE_URL")}
    assert urls["CORE_SERVICE_URL"] == "http://core-service.tartware-system.svc.cluster.local:3000"
    for url in urls.values():
        host, port = url.removeprefix("http://").split(":")
        name = host.split(".")[0]
        assert int(port) in {p["port"] for p in services[name]["spec"]["ports"]}


def test_pdbs_select_the_pods(rendered):
    _, _, docs = rendered
    deployments = objects(docs, "Deployment")
    pdbs = objects(docs, "PodDisruptionBudget")
    assert set(pdbs) == set(deployments)
    for name, pdb in pdbs.items():
        assert pdb["apiVersion"] == "policy/v1"
        assert "maxUnavailable" in pdb["spec"]
        labels = deployments[name]["spec"]["template"]["metadata"]["labels"]
        for k, v in pdb["spec"]["selector"]["matchLabels"].items():
            assert labels[k] == v


def test_service_accounts_do_not_mount_tokens(rendered):
    _, _, docs = rendered
    for sa in objects(docs, "ServiceAccount").values():
        assert sa["automountServiceAccountToken"] is False


def test_ingress_for_api_host(rendered):
    _, values, _ = rendered
    values = copy.deepcopy(values)
    values["ingress"]["enabled"] = True  # apiRoute=ingress
    docs = render_chart(values)
    assert validate(objects(docs, "Ingress").values()) == []
    (ing,) = objects(docs, "Ingress").values()
    (rule,) = ing["spec"]["rules"]
    assert rule["host"] == "api.tartware.local"
    backend = rule["http"]["paths"][0]["backend"]["service"]
    assert backend == {"name": "api-gateway", "port": {"name": "http"}}


BAD_VALUES = [
    (("services", "api-gateway", "replicas", "min"), 0),
    (("services", "api-gateway", "resources", "limits", "cpu"), "500mm"),
    (("services", "api-gateway", "resources", "requests", "memory"), "2Gb"),
    (("services", "api-gateway", "autoscaling", "cpuUtilization"), 101),
    (("services", "api-gateway", "port"), 70000),
    (("global", "image", "pullPolicy"), "Sometimes"),
    (("global", "topologySpread", "zoneWhenUnsatisfiable"), "Maybe"),
    (("services", "api-gateway", "typo"), 1),
]


@pytest.mark.parametrize("path,bad", BAD_VALUES, ids=[".".join(p) for p, _ in BAD_VALUES])
def test_values_schema_rejects_bad_values(prod_run, path, bad):
    values = copy.deepcopy(app_values(prod_run))
    node = values
    for p in path[:-1]:
        node = node[p]
    node[path[-1]] = bad
    with pytest.raises(helm_python.HelmError):
        render_chart(values)


def test_prod_gateway_scales_on_requests_per_second_too(prod_run):
    """docs/spec/deployment-guide.md "Automatic Scaling": CPU, memory and custom metrics (requests/second)."""
    values = prod_run.one(RELEASE, APP_RELEASE).plain["values"]
    hpa = objects(render_chart(values), "HorizontalPodAutoscaler")["api-gateway-hpa"]
    pods = [m["pods"] for m in hpa["spec"]["metrics"] if m["type"] == "Pods"]
    assert pods == [{"metric": {"name": "http_requests_per_second"},
                     "target": {"type": "AverageValue", "averageValue": "300"}}]
    served = [r for r in prod_run.of_type(RELEASE) if r.plain["name"] == "prometheus-adapter"]
    assert served, "no adapter serves the metric"


# --- the chart on its own: charts/tartware/ci/*-values.yaml (chart-testing's convention) -------

CI_FILES = sorted((CHART / "ci").glob("*-values.yaml"))
VALUES = (CHART / "values.yaml").read_text()


def test_ci_values_are_one_scenario_each():
    """prometheus-community style: the program's two stacks plus one file per less common branch."""
    assert [p.name for p in CI_FILES] == [
        "dev-values.yaml", "ingress-tls-values.yaml", "netpol-without-mesh-values.yaml", "one-service-values.yaml",
        "pdb-percentage-values.yaml", "pods-metric-values.yaml", "private-registry-values.yaml",
        "prod-values.yaml", "zone-spread-hard-values.yaml"]
    for path in CI_FILES:  # small: a scenario, not a copy of values.yaml
        assert len(path.read_text().splitlines()) < len(VALUES.splitlines()) / 2, path.name


def coalesce(defaults, overrides):
    """Helm's coalescing of a values file over the chart's values.yaml, written out from
    https://helm.sh/docs/chart_template_guide/values_files/ ("Deleting a default key") and
    helm/helm@v3.19.0 pkg/chartutil/coalesce.go: maps merge, other values replace, null deletes."""
    out = copy.deepcopy(defaults)
    for key, value in overrides.items():
        if value is None:
            out.pop(key, None)
        elif isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = coalesce(out[key], value)
        else:
            out[key] = copy.deepcopy(value)
    return out


@pytest.mark.parametrize("stack", ["dev", "prod"])
def test_ci_values_are_what_the_program_passes(stack, dev_run, prod_run):
    import yaml

    run = {"dev": dev_run, "prod": prod_run}[stack]
    passed = copy.deepcopy(app_values(run))
    passed["global"].pop("chartDigest")  # the program's hash of the chart files (components/tartware.py)
    scenario = yaml.load((CHART / "ci" / f"{stack}-values.yaml").read_text(), Loader=yaml.CSafeLoader)
    assert coalesce(yaml.load(VALUES, Loader=yaml.CSafeLoader), scenario) == passed, "run python -m tools.chart_values"
    # and Helm itself, which coalesces the file with values.yaml, renders what the program's values render
    assert render_chart(scenario) == render_chart(passed)


def test_the_coalescing_follows_helm():
    """Planted: the rules of ``coalesce`` against Helm's own rendering (a null deletes a default map
    key, a list replaces the default list, maps merge)."""
    import yaml

    defaults = yaml.load(VALUES, Loader=yaml.CSafeLoader)
    gw = defaults["services"]["api-gateway"]
    planted = {"global": {"podDisruptionBudget": {"maxUnavailable": "10%"}},
               "services": {"api-gateway": {"autoscaling": {"customMetrics": [
                   {"name": "http_requests_per_second", "averageValue": "300"}]}, "env": None}}}
    merged = coalesce(defaults, planted)
    assert merged["global"]["podDisruptionBudget"]["maxUnavailable"] == "10%"
    assert merged["global"]["image"] == defaults["global"]["image"]  # a sibling map kept
    assert "env" not in merged["services"]["api-gateway"] and "env" in gw
    # Helm, which coalesces again with values.yaml, renders the file as the merged values (maps and lists)
    del planted["services"]["api-gateway"]["env"]
    assert render_chart(planted) == render_chart(coalesce(defaults, planted))
    # and its null deletes the default map: none of the gateway's default env variables is rendered
    docs = render_chart({"services": {"api-gateway": {"env": None}}})
    (c,) = [c for c in objects(docs, "Deployment")["api-gateway"]["spec"]["template"]["spec"]["containers"]
            if c["name"] == "api-gateway"]
    assert not {e["name"] for e in c["env"]} & set(gw["env"])


def _scenario(name):
    import yaml

    return render_chart(yaml.load((CHART / "ci" / f"{name}-values.yaml").read_text(), Loader=yaml.CSafeLoader))


@pytest.mark.parametrize("path", CI_FILES, ids=lambda p: p.name)
def test_ci_values_render_validate_and_lint_alone(path):
    import yaml

    values = yaml.load(path.read_text(), Loader=yaml.CSafeLoader)
    docs = render_chart(values)  # the chart's defaults coalesced with the file, as `helm install -f`
    assert docs and validate([d for d in docs if d["kind"] not in ISTIO_KINDS], "1.28.0") == []
    result = helm_python.lint(str(CHART), values, strict=True)
    assert result["errors"] == [] and [m for m in result["messages"] if m["severity"] > 1] == []


def test_scenario_one_service():
    assert set(objects(_scenario("one-service"), "Deployment")) == {"api-gateway"}


def test_scenario_ingress_with_tls():
    ingress = objects(_scenario("ingress-tls"), "Ingress")["api-gateway"]
    assert ingress["spec"]["rules"][0]["host"] == "api.example.com" and ingress["spec"]["tls"]


def test_scenario_pods_metric():
    hpa = objects(_scenario("pods-metric"), "HorizontalPodAutoscaler")["api-gateway-hpa"]
    assert {m["type"] for m in hpa["spec"]["metrics"]} == {"Resource", "Pods"}


def test_scenario_pdb_percentage():
    assert objects(_scenario("pdb-percentage"), "PodDisruptionBudget")["api-gateway"]["spec"]["maxUnavailable"] == "10%"


def test_scenario_network_policies_without_the_mesh():
    docs = _scenario("netpol-without-mesh")
    assert objects(docs, "NetworkPolicy") and not objects(docs, "PeerAuthentication")


def test_scenario_hard_zone_spread():
    for name, dep in objects(_scenario("zone-spread-hard"), "Deployment").items():
        spread = dep["spec"]["template"]["spec"]["topologySpreadConstraints"]
        zone = [c for c in spread if c["topologyKey"] == "topology.kubernetes.io/zone"]
        assert zone and all(c["whenUnsatisfiable"] == "DoNotSchedule" for c in zone), name


def test_scenario_private_registry():
    for name, dep in objects(_scenario("private-registry"), "Deployment").items():
        pod = dep["spec"]["template"]["spec"]
        assert pod["imagePullSecrets"] == [{"name": "regcred"}], name
        (c,) = [c for c in pod["containers"] if c["name"] == name]
        assert c["image"].startswith("registry.example.com:5000/tartware/") and c["image"].endswith(":v1.1.0")
        assert c["imagePullPolicy"] == "Always"


def test_image_digest_pins_the_pull():
    """services.<name>.imageDigest: the image is <registry>/<image>:<tag>@<digest>; a reference with a
    digest is pulled by digest (distribution/reference grammar: name[:tag][@digest])."""
    from components.tartware_values import chart_values
    from program.load import build_settings

    digest = "sha256:" + "0123456789abcdef" * 4
    settings = build_settings({"environment": "prod", "services": {"api-gateway": {"imageDigest": digest}}})
    deployments = objects(render_chart(chart_values(settings.tartware)), "Deployment")
    assert deployments["api-gateway"]["spec"]["template"]["spec"]["containers"][0]["image"] == \
        f"docker.io/tartware/api-gateway:v1.0.0@{digest}"
    assert "@" not in deployments["core-service"]["spec"]["template"]["spec"]["containers"][0]["image"]


# ---------------------------------------------------------------------------- the migration hook


def hooks(docs):
    return {d["kind"]: d for d in docs if "helm.sh/hook" in d["metadata"].get("annotations", {})}


def test_the_migration_runs_as_a_pre_install_and_pre_upgrade_hook(rendered):
    """Helm runs pre-install/pre-upgrade hooks in ascending weight before the release's objects and
    waits for a Job to complete; a failed hook fails the release (helm/helm@v3.19.0
    pkg/action/hooks.go execHook, pkg/release/hook.go). The script's ConfigMap and the Job's
    NetworkPolicy must exist first (lower weight)."""
    _, values, docs = rendered
    found = hooks(docs)
    assert set(found) == {"ConfigMap", "NetworkPolicy", "Job"}
    for d in found.values():
        notes = d["metadata"]["annotations"]
        assert notes["helm.sh/hook"] == "pre-install,pre-upgrade"
        assert notes["helm.sh/hook-delete-policy"] == "before-hook-creation"  # the failed run's log stays
    weight = {k: int(d["metadata"]["annotations"]["helm.sh/hook-weight"]) for k, d in found.items()}
    assert weight["ConfigMap"] < weight["Job"] and weight["NetworkPolicy"] < weight["Job"]
    assert found["ConfigMap"]["data"]["migrate.sh"] == (ROOT / "ops" / "migrate" / "migrate.sh").read_text()
    job = found["Job"]
    assert job["spec"]["backoffLimit"] == 0  # the schema steps are not all repeatable
    container = job["spec"]["template"]["spec"]["containers"][0]
    assert container["command"] == ["/bin/sh", "/migrate/migrate.sh"]
    assert container["image"].split("/")[-1].startswith("db-migrate:")
    env = {e["name"]: e for e in container["env"]}
    assert env["TARTWARE_APP_COMMIT"]["value"] == APP_COMMIT
    assert env["PGUSER"]["value"] == "postgres"
    assert env["PGPASSWORD"]["valueFrom"]["secretKeyRef"] == {"name": "database-admin-credentials", "key": "password"}
    # the primary itself, CloudNativePG's -rw Service (cloudnative-pg/cloudnative-pg@v1.30.0
    # pkg/specs/services.go), not the Pooler at the app's address
    assert env["PGHOST"]["value"] == "postgres-rw.database.svc.cluster.local" and env["PGPORT"]["value"] == "5432"
    assert env["SERVICE_AUTH_USERNAME"]["value"] == "tartware.service"
    assert (env["SERVICE_AUTH_PASSWORD"]["valueFrom"]["secretKeyRef"]
            == {"name": "tartware-auth", "key": "service-password"})
    assert env["AUTH_DEFAULT_PASSWORD"]["valueFrom"]["secretKeyRef"]["name"] == "tartware-auth"
    assert env["APP_DB_USER"]["valueFrom"]["secretKeyRef"] == {"name": "database-credentials", "key": "username"}


def test_the_migration_pod_is_restricted(rendered):
    """Pod Security Standards "restricted" (kubernetes.io/docs/concepts/security/pod-security-standards/)."""
    _, _, docs = rendered
    pod = hooks(docs)["Job"]["spec"]["template"]["spec"]
    assert pod["securityContext"]["runAsNonRoot"] is True
    assert pod["securityContext"]["seccompProfile"] == {"type": "RuntimeDefault"}
    assert pod["automountServiceAccountToken"] is False
    c = pod["containers"][0]["securityContext"]
    assert c["allowPrivilegeEscalation"] is False and c["capabilities"]["drop"] == ["ALL"]
    assert c["readOnlyRootFilesystem"] is True


def test_the_release_runs_hooks_and_waits_long_enough(prod_run):
    """pulumi-kubernetes helm.v3.Release: ``disableWebhooks`` is the one that turns hooks off
    ("Prevent hooks from running", sdk/python/pulumi_kubernetes/helm/v3/Release.py); the release's
    timeout covers the hook Job's deadline."""
    release = [r for r in prod_run.of_type("kubernetes:helm.sh/v3:Release") if r.plain.get("name") == "tartware"][0]
    assert not release.plain.get("disableWebhooks")
    deadline = release.plain["values"]["migration"]["activeDeadlineSeconds"]
    assert release.plain["timeout"] > deadline
