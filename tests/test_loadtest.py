"""Load tests: the k6 and Locust scripts (parse, real routes, the guide's thresholds) and what the
program deploys for them (k6 generators + coordinator with one aggregate, Locust master + workers)."""

from __future__ import annotations

import json
import math
import posixpath
import re
import shutil
import subprocess
import sys
import types
from pathlib import Path

import pytest

from stacks.app_source import GATEWAY_ROUTES
from tools.diff import kubernetes_objects
from tools.offline import Secret, run_program, stack_config
from tools.render import validate
from tests.test_settings import assert_refused

ROOT = Path(__file__).resolve().parent.parent
K6 = ROOT / "loadtest" / "k6"
LOCUSTFILE = ROOT / "loadtest" / "locust" / "locustfile.py"
SCRIPTS = sorted(str(p.relative_to(K6)) for p in K6.rglob("*.js"))
NS = "tartware-infra"

# The deployment guide's "Expected Performance" and "Load Test (20k RPS)", written out by hand.
THRESHOLDS = {"http_req_duration": ["p(95)<500", "p(99)<1000"], "http_req_failed": ["rate<0.05"]}
AGGREGATE = {"run_http_req_duration_p95_ms": ["value<500"], "run_http_req_duration_p99_ms": ["value<1000"],
             "run_http_req_failed_rate": ["value<0.05"]}
GUIDE_RPS = 20000
GUIDE_P95_S = 0.5
GUIDE_P99_S = 1.0
# "Alternative: Locust": users 5000, spawn rate 100/s, host https://api.tartware.local, UI 8089.
LOCUST_USERS, LOCUST_SPAWN_RATE, LOCUST_PORT = 5000, 100, 8089
# red2n/tartware@a2583469 platform/rancher/cluster-config.yaml: worker-compute nodes are 16 vCPU / 32 GiB (32768 MB).
WORKER_VCPU = 16
WORKER_MEMORY_MIB = 32768
HIGH_UID = 10000  # our Jobs run as a high non-root UID


def _esprima():
    import esprima  # a second to import: only the xdist worker that runs these tests pays for it

    return esprima


def module(path: str):
    return _esprima().parseModule((K6 / path).read_text(), {"loc": True})


def relative_imports(source: str, path: str) -> set[str]:
    """Files (relative to loadtest/k6) that ``path`` imports; k6 built-ins (k6, k6/http) excluded."""
    found = set()
    for node in _esprima().parseModule(source).body:
        if node.type == "ImportDeclaration" and node.source.value.startswith("."):
            found.add(posixpath.normpath(posixpath.join(posixpath.dirname(path), node.source.value)))
    return found


def literal(node):
    """Python value of an object/array/string literal (None for anything computed)."""
    if node.type == "Literal":
        return node.value
    if node.type == "ArrayExpression":
        return [literal(e) for e in node.elements]
    if node.type == "ObjectExpression":
        return {(p.key.name if p.key.type == "Identifier" else p.key.value): literal(p.value) for p in node.properties}
    return None


def exported_const(path: str, name: str):
    for node in module(path).body:
        if node.type == "ExportNamedDeclaration" and node.declaration and node.declaration.type == "VariableDeclaration":
            for d in node.declaration.declarations:
                if d.id.name == name:
                    return d.init
    raise AssertionError(f"{path} exports no const {name}")


def route_exists(method: str, path: str) -> str:
    """The gateway route file that serves ``method path`` at the pinned app commit (fastify syntax)."""
    for key, source in GATEWAY_ROUTES.items():
        m, pattern = key.split(" ", 1)
        if m not in (method, "ALL"):
            continue
        regex = "^" + re.sub(r":[A-Za-z]+", "[^/]+", re.escape(pattern).replace(r"\*", ".*").replace(r"\:", ":")) + "$"
        if re.match(regex, path):
            return source
    return ""


# ------------------------------------------------------------------ scripts


def test_every_script_parses_as_an_es_module():
    assert {"smoke.js", "load.js", "coordinator.js", "lib/config.js", "lib/aggregate.js"} <= set(SCRIPTS)
    for path in SCRIPTS:
        module(path)


@pytest.mark.skipif(shutil.which("node") is None, reason="node not installed")
def test_node_accepts_the_syntax():
    for path in SCRIPTS:
        proc = subprocess.run(["node", "--check", "--input-type=module"], input=(K6 / path).read_text(),
                              capture_output=True, text=True)
        assert proc.returncode == 0, f"{path}: {proc.stderr}"


def test_imports_resolve_to_shipped_files():
    for path in SCRIPTS:
        for imported in relative_imports((K6 / path).read_text(), path):
            assert imported in SCRIPTS, f"{path} imports missing {imported}"


def test_thresholds_are_the_guides():
    thresholds = literal(exported_const("lib/config.js", "THRESHOLDS"))
    for metric, rules in THRESHOLDS.items():
        assert thresholds[metric] == rules
    for script in ("smoke.js", "load.js"):
        text = (K6 / script).read_text()
        assert "THRESHOLDS" in text and "thresholds:" in text, script
    # the coordinator judges the whole run with the same numbers
    aggregate = literal(exported_const("coordinator.js", "AGGREGATE_THRESHOLDS"))
    for metric, rules in AGGREGATE.items():
        assert aggregate[metric] == rules


def test_smoke_is_30_seconds_and_load_is_20k_per_second_constant_arrival():
    smoke = literal(exported_const("smoke.js", "options"))
    assert smoke["scenarios"]["smoke"]["duration"] == "30s"
    options = exported_const("load.js", "options")
    scenario = next(p.value for p in options.properties if p.key.name == "scenarios").properties[0].value
    fields = {p.key.name: p.value for p in scenario.properties}
    assert literal(fields["executor"]) == "constant-arrival-rate"
    assert literal(fields["timeUnit"]) == "1s"
    text = (K6 / "load.js").read_text()
    assert "__ENV.RATE || '20000'" in text
    # generators split the same scenario by execution segment (k6 options executionSegment[Sequence])
    assert "options.executionSegment =" in text and "options.executionSegmentSequence =" in text
    assert "JOB_COMPLETION_INDEX" in text


def test_k6_routes_exist_in_the_app_source_and_are_listed_with_it():
    routes = literal(exported_const("lib/config.js", "ROUTES"))
    login = literal(exported_const("lib/config.js", "LOGIN"))
    lookups = literal(exported_const("lib/config.js", "LOOKUPS"))
    assert login["path"] == "/v1/auth/login" and login["method"] == "POST"
    for r in routes + [login] + lookups:
        concrete = r["path"].replace(":tenantId", "3f2504e0-4f89-11d3-9a0c-0305e82c3301")
        source = route_exists(r["method"], concrete)
        assert source, f"{r['method']} {r['path']} is not a gateway route"
        assert r["source"] == source, r
    text = (K6 / "lib/config.js").read_text()
    for r in routes:
        assert r["path"] in text.split("import http")[0], f"{r['path']} not listed in the header"
    # reads and writes, weights summing to 100 (80 % reads)
    assert sum(r["weight"] for r in routes) == 100
    assert sum(r["weight"] for r in routes if r["method"] == "GET") == 80
    assert {r["expect"] for r in routes if r["method"] == "POST"} == {202}
    # tenant-scoped: every /v1 route carries the tenant (query, body or path)
    assert all(r["tenant"] != "none" for r in routes if r["path"].startswith("/v1/"))
    # the generic command route has a fixed 120/min limit in the app: not used
    assert not any("/execute" in r["path"] for r in routes)


# ------------------------------------------------------------------ Locust


@pytest.fixture(scope="module")
def locustfile():
    """Import the locustfile with a stub ``locust`` module (Locust is not installable here)."""
    stub = types.ModuleType("locust")

    class HttpUser:  # the attributes the locustfile uses
        pass

    stub.HttpUser = HttpUser
    stub.between = lambda a, b: (a, b)
    stub.task = lambda weight=1: (lambda f: f)
    saved = sys.modules.get("locust")
    sys.modules["locust"] = stub
    try:
        namespace: dict = {"__name__": "locustfile"}
        exec(compile(LOCUSTFILE.read_text(), str(LOCUSTFILE), "exec"), namespace)
    finally:
        if saved is None:
            sys.modules.pop("locust", None)
        else:
            sys.modules["locust"] = saved
    return namespace


def test_locustfile_follows_the_k6_routes_and_login(locustfile):
    k6 = {(r["method"], r["path"], r["weight"], r["expect"]) for r in literal(exported_const("lib/config.js", "ROUTES"))}
    locust = {(m, p, w, e) for _n, m, p, w, e, _s in locustfile["ROUTES"]}
    assert locust == k6
    assert locustfile["LOGIN_PATH"] == "/v1/auth/login"
    for _n, method, path, _w, _e, source in locustfile["ROUTES"]:
        assert route_exists(method, path.replace(":tenantId", "t")) == source
    user = locustfile["TartwareUser"]
    assert sorted(user.tasks.values()) == sorted(r[3] for r in locustfile["ROUTES"])  # one task per route, its weight


# ------------------------------------------------------------------ deployed objects


def objects(run):
    return {f"{d['kind']}/{d['metadata']['name']}": d for d in kubernetes_objects(run.resources)}


def load_test_run(profile: str, extra: dict | None = None):
    overrides = {f"{NS}:loadTest": profile, f"{NS}:loadTestUsername": "k6-bot", **(extra or {})}
    config, keys = stack_config("prod", overrides=overrides, secrets={f"{NS}:loadTestPassword": "hunter2-k6"})
    return run_program("prod", config, keys)


@pytest.fixture(scope="module")
def load_run():
    return load_test_run("load")


@pytest.fixture(scope="module")
def locust_run():
    # Locust calls https://api.<domain> through the gateway: the prod stack (an existing cluster,
    # pod network unknown) must exempt its pod network from the per-client edge limit (kind's here);
    # its UI is routed where the operator tools are public (here an allowlist; docs/platform.md
    # "Operator access")
    return load_test_run("locust", {f"{NS}:edgeRateLimitExemptCidrs": ["10.244.0.0/16"],
                                    f"{NS}:operatorAccess": "allowlist", f"{NS}:operatorAllowedCidrs": ["203.0.113.0/24"]})


def test_no_load_test_by_default(dev_run, prod_run):
    for run in (dev_run, prod_run):
        assert all(not j.plain["metadata"]["name"].startswith("k6-") for j in run.of_type("kubernetes:batch/v1:Job"))
        assert run.outputs["operations"]["loadTestJob"] is None


def test_load_generators_split_one_20k_scenario_and_fail_alone(load_run):
    docs = objects(load_run)
    job = docs["Job/k6-load-1"]
    assert validate([job, docs["ConfigMap/k6-scripts"], docs["Namespace/tartware-ops"],
                     docs["Service/k6-generators"]], "1.30.0") == []
    spec = job["spec"]
    pods = spec["parallelism"]
    assert spec["completions"] == pods > 1 and spec["completionMode"] == "Indexed"
    # one failing generator does not stop the others (Job API backoffLimitPerIndex)
    assert spec["backoffLimitPerIndex"] == 0 and spec["maxFailedIndexes"] == pods and "backoffLimit" not in spec
    pod = spec["template"]["spec"]
    (c,) = pod["containers"]
    env = {e["name"]: e.get("value") for e in c["env"]}
    assert int(env["RATE"]) == GUIDE_RPS and int(env["GENERATORS"]) == pods  # the whole rate, split by segment
    assert int(env["PRE_ALLOCATED_VUS"]) >= math.ceil(GUIDE_RPS * GUIDE_P95_S)
    assert int(env["MAX_VUS"]) >= math.ceil(GUIDE_RPS * GUIDE_P99_S)
    # start paused behind the REST API, no per-pod verdict, samples to Prometheus under one testid
    args = c["args"]
    assert "--paused" in args and "--no-thresholds" in args
    assert args[args.index("--address") + 1] == "0.0.0.0:6565"
    assert args[args.index("--out") + 1] == "experimental-prometheus-rw"
    assert args[args.index("--tag") + 1] == "testid=k6-load-1"
    assert env["K6_PROMETHEUS_RW_TREND_AS_NATIVE_HISTOGRAM"] == "true"
    assert env["K6_PROMETHEUS_RW_SERVER_URL"].endswith(":9090/api/v1/write")
    assert pod["subdomain"] == "k6-generators"
    assert docs["Service/k6-generators"]["spec"]["clusterIP"] == "None"
    lim = c["resources"]["limits"]
    assert int(lim["cpu"].removesuffix("m")) <= WORKER_VCPU * 1000 / 2
    assert int(lim["memory"].removesuffix("Mi")) <= WORKER_MEMORY_MIB / 2
    assert job["metadata"]["annotations"]["pulumi.com/skipAwait"] == "true"


def test_coordinator_aggregates_every_generator_and_keeps_the_summary(load_run):
    docs = objects(load_run)
    gen = docs["Job/k6-load-1"]
    coord = docs["Job/k6-load-1-summary"]
    assert validate([coord, docs["PersistentVolumeClaim/load-test-results"]], "1.30.0") == []
    pod = coord["spec"]["template"]["spec"]
    (c,) = pod["containers"]
    env = {e["name"]: e.get("value") for e in c["env"]}
    hosts = env["GENERATOR_HOSTS"].split(",")
    assert hosts == [f"k6-load-1-{i}.k6-generators.tartware-ops.svc.cluster.local:6565"
                     for i in range(gen["spec"]["parallelism"])]
    assert env["TESTID"] == "k6-load-1" and int(env["RATE"]) == GUIDE_RPS
    assert c["args"][-1] == "/scripts/coordinator.js"
    volumes = {v["name"]: v for v in pod["volumes"]}
    mounts = {m["mountPath"]: m["name"] for m in c["volumeMounts"]}
    assert volumes[mounts["/results"]]["persistentVolumeClaim"]["claimName"] == "load-test-results"
    assert load_run.outputs["operations"]["loadTestSummary"] == "load-test-results:/k6-load-1.json"
    # Prometheus accepts the generators' remote writes (kps values) and the policies let them in
    kps = next(r for r in load_run.of_type("kubernetes:helm.sh/v3:Release")
               if r.plain["name"] == "kube-prometheus-stack").plain["values"]["prometheus"]["prometheusSpec"]
    assert kps["enableRemoteWriteReceiver"] is True and "native-histograms" in kps["enableFeatures"]
    policy = docs["NetworkPolicy/allow-load-test"]
    assert policy["metadata"]["namespace"] == "observability"
    assert docs["NetworkPolicy/allow-k6-coordinator"]["spec"]["ingress"][0]["ports"] == [{"protocol": "TCP", "port": 6565}]


def test_load_test_pods_run_as_a_high_uid_hardened(load_run, locust_run):
    docs = {**objects(load_run), **objects(locust_run)}
    workloads = [d for k, d in docs.items() if k.startswith(("Job/k6-", "Deployment/locust-"))]
    assert len(workloads) == 4
    for w in workloads:
        pod = w["spec"]["template"]["spec"]
        assert pod["securityContext"]["runAsUser"] >= HIGH_UID and pod["automountServiceAccountToken"] is False
        for c in pod["containers"]:
            sc = c["securityContext"]
            assert sc["runAsUser"] >= HIGH_UID and sc["runAsNonRoot"] and sc["readOnlyRootFilesystem"]
            assert sc["capabilities"]["drop"] == ["ALL"] and sc["allowPrivilegeEscalation"] is False
            assert not c["image"].endswith(":latest")


def test_k6_jobs_pull_grafana_k6_by_digest(load_run):
    """k6 1.7.1 by tag and digest (stacks/versions.py; tests/test_conformance.py checks the grammar)."""
    jobs = [d for k, d in objects(load_run).items() if k.startswith("Job/k6-")]
    assert len(jobs) == 2  # the generators and the coordinator
    for job in jobs:
        for c in job["spec"]["template"]["spec"]["containers"]:
            assert re.fullmatch(r"docker\.io/grafana/k6:1\.7\.1@sha256:[0-9a-f]{64}", c["image"])


def test_scripts_ship_every_imported_file_and_no_credentials(load_run):
    docs = objects(load_run)
    cm = docs["ConfigMap/k6-scripts"]
    job = docs["Job/k6-load-1"]
    volume = next(v for v in job["spec"]["template"]["spec"]["volumes"] if v["name"] == "scripts")
    shipped = {i["path"] for i in volume["configMap"]["items"]}
    assert set(SCRIPTS) == shipped
    for path in shipped:
        for imported in relative_imports(cm["data"][path.replace("/", "__")], path):
            assert imported in shipped
    assert "hunter2-k6" not in json.dumps(cm)
    pod = job["spec"]["template"]["spec"]
    env = {e["name"]: e for e in pod["containers"][0]["env"]}
    # the password is a file from the Secret, never an environment variable (checkov CKV_K8S_35)
    assert "K6_PASSWORD" not in env and not any("valueFrom" in e for e in env.values())
    mount = {m["name"]: m["mountPath"] for m in pod["containers"][0]["volumeMounts"]}["credentials"]
    assert env["K6_PASSWORD_FILE"]["value"] == f"{mount}/password"
    volume = next(v for v in pod["volumes"] if v["name"] == "credentials")
    assert volume["secret"]["secretName"] == "k6-credentials"
    creds = next(r for r in load_run.of_type("kubernetes:core/v1:Secret")
                 if r.plain["metadata"]["name"] == "k6-credentials")
    assert isinstance(creds.inputs["stringData"], Secret) or isinstance(creds.inputs["stringData"]["password"], Secret)
    assert "hunter2-k6" not in repr(load_run.outputs)


def test_load_test_waits_for_the_release_and_is_its_own_component(load_run):
    job = load_run.one("kubernetes:batch/v1:Job", "operations-load-test-k6-load")
    release = next(r for r in load_run.of_type("kubernetes:helm.sh/v3:Release") if r.plain["name"] == "tartware")
    assert release.urn in job.dependencies
    assert "tartware:ops:LoadTest" in job.urn


def test_locust_master_and_workers_with_the_guides_settings(locust_run):
    docs = objects(locust_run)
    master, worker = docs["Deployment/locust-master"], docs["Deployment/locust-worker"]
    assert validate([master, worker, docs["Service/locust-master"], docs["ConfigMap/locustfile"]], "1.30.0") == []
    (m,) = master["spec"]["template"]["spec"]["containers"]
    cmd = m["command"]
    assert cmd[cmd.index("--users") + 1] == str(LOCUST_USERS)
    assert cmd[cmd.index("--spawn-rate") + 1] == str(LOCUST_SPAWN_RATE)
    assert cmd[cmd.index("--host") + 1] == "https://api.tartware.local"
    assert cmd[cmd.index("--web-port") + 1] == str(LOCUST_PORT) and "--master" in cmd
    (w,) = worker["spec"]["template"]["spec"]["containers"]
    assert "--worker" in w["command"] and worker["spec"]["replicas"] >= 1
    assert docs["ConfigMap/locustfile"]["data"]["locustfile.py"] == LOCUSTFILE.read_text()
    # the UI through the Istio gateway: locust.<domain> -> locust-master:8089, and the policy lets it in
    vs = docs["VirtualService/locust"]
    dest = vs["spec"]["http"][0]["route"][0]["destination"]
    assert vs["spec"]["hosts"] == ["locust.tartware.local"]
    assert dest == {"host": "locust-master.tartware-ops.svc.cluster.local", "port": {"number": LOCUST_PORT}}
    ui = docs["NetworkPolicy/allow-locust-ui"]["spec"]
    assert ui["ingress"][0]["ports"] == [{"protocol": "TCP", "port": LOCUST_PORT}]


def test_locust_settings_are_settings():
    from stacks.schema import BuildContext
    from stacks.errors import ProblemCollector
    from stacks import ops_settings

    raw = {x.name: x.default for x in ops_settings.DECLARED if x.default is not None and not x.secret}
    raw.update({"loadTest": "locust", "loadTestUsername": "u", "locustUsers": 200, "locustSpawnRate": 10,
                "locustHost": "https://api.example.com", "locustWorkers": 3})
    ctx = BuildContext("prod", ProblemCollector(), lambda *a: "secret")
    loc = ops_settings.build(raw, ctx).load_test.locust
    assert (loc.users, loc.spawn_rate, loc.host, loc.workers) == (200, 10, "https://api.example.com", 3)
    raw.pop("locustWorkers")
    raw["locustUsers"] = LOCUST_USERS
    assert ops_settings.build(raw, ctx).load_test.locust.workers == 20  # 5000 users / 250 per worker


@pytest.mark.parametrize("overrides,key,fragments", [
    ({"loadTest": "stress"}, "loadTest", ["'stress'", "'off', 'smoke', 'load' or 'locust'"]),
    ({"loadTest": "load"}, "loadTestUsername", ["required when loadTest is load", "needs a login"]),
    ({"loadTest": "smoke", "loadTestUsername": "k6-bot"}, "loadTestPassword", ["missing required secret"]),
    ({"loadTestRate": 0}, "loadTestRate", ["greater than or equal to 1"]),
    ({"loadTestDuration": "ten minutes"}, "loadTestDuration", ["k6 duration"]),
    ({"loadTestTenantId": "acme"}, "loadTestTenantId", ["tenant UUID"]),
    ({"locustUsers": 0}, "locustUsers", ["greater than or equal to 1"]),
    ({"locustSpawnRate": 0}, "locustSpawnRate", ["greater than or equal to 1"]),
    ({"locustHost": "api.tartware.local"}, "locustHost", ["http(s) base URL"]),
    ({"locustWorkers": 500}, "locustWorkers", ["less than or equal to 200"]),
], ids=lambda v: v if isinstance(v, str) else None)
def test_bad_load_test_input_is_rejected_before_any_resource(overrides, key, fragments):
    assert_refused(overrides, key, fragments)
