"""Load tests: the k6 and Locust scripts (parse, real routes, the guide's thresholds) and what the
program deploys for them (k6 generators + coordinator with one aggregate, Locust master + workers)."""

from __future__ import annotations

import json
import math
import posixpath
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from facts.app_source import GATEWAY_ROUTES
from tools.diff import kubernetes_objects
from tools.offline import Secret, run_program, stack_config
from tools.render import validate
from tests.helpers import K6, LOCUSTFILE, _esprima, assert_refused, exported_const, locustfile, module  # noqa: F401  (locustfile: a fixture)

ROOT = Path(__file__).resolve().parent.parent
SCRIPTS = sorted(str(p.relative_to(K6)) for p in K6.rglob("*.js"))
NS = "tartware-infra"

# The deployment guide's "Expected Performance" and "Load Test (20k RPS)", written out by hand.
THRESHOLDS = {"http_req_duration": ["p(95)<500", "p(99)<1000"], "http_req_failed": ["rate<0.05"]}
# the coordinator's thresholds on the whole run (coordinator-queries.json, judged by lib/judge.js)
AGGREGATE = {"failed_rate_max": 0.05, "within_500ms_min": 0.95, "within_1s_min": 0.99, "dropped_rate_max": 0.01}
GUIDE_RPS = 20000
GUIDE_P95_S = 0.5
GUIDE_P99_S = 1.0
# "Alternative: Locust": users 5000, spawn rate 100/s, host https://api.tartware.local, UI 8089.
LOCUST_USERS, LOCUST_SPAWN_RATE, LOCUST_PORT = 5000, 100, 8089
# red2n/tartware@a2583469 platform/rancher/cluster-config.yaml: worker-compute nodes are 16 vCPU / 32 GiB (32768 MB).
WORKER_VCPU = 16
WORKER_MEMORY_MIB = 32768
HIGH_UID = 10000  # our Jobs run as a high non-root UID
EDGE_PER_ADDRESS = GUIDE_RPS // 20  # edgeRateLimit default (docs/platform.md "Rate limiting": 1/20 of the guide's rate)
# The guide's Locust run: 5000 users for its 20,000 req/s, so 4 req/s per user.
LOCUST_RPS_PER_USER = GUIDE_RPS // LOCUST_USERS
# core-service's login throttle per username (red2n/tartware@a2583469 Apps/config/src/index.ts:88-89).
LOGINS_PER_WINDOW, LOGIN_WINDOW_SECONDS = 20, 60
# "a single Locust process (limited to one CPU core) can do around 16000 requests per second using
# FastHttpUser, and 4000 using HttpUser" in the best case (docs.locust.io/en/2.46.7/increase-performance.html;
# the locustfile is an HttpUser): no worker may be asked for more.
LOCUST_PROCESS_BEST_RPS = 4000


def below_the_limit_not_idle(per_source_rps: float, limit: int) -> bool:
    """A load-test source on the edge path: under the per-address limit (never refused while the rate
    holds), and at least half of it (no more sources than twice the fewest that fit)."""
    return limit / 2 <= per_source_rps < limit


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
    # the coordinator judges the whole run with the same numbers: errors < 5 %, p95 < 500 ms as
    # "95 % within 0.5 s", p99 < 1 s as "99 % within 1 s" (lib/judge.js), dropped < 1 %
    spec = json.loads((K6 / "coordinator-queries.json").read_text())
    for name, value in AGGREGATE.items():
        assert spec["thresholds"][name] == value
    assert "histogram_fraction(0, 0.5," in spec["queries"]["within_500ms"]["expr"]
    assert "histogram_fraction(0, 1," in spec["queries"]["within_1s"]["expr"]
    assert literal(exported_const("coordinator.js", "AGGREGATE_THRESHOLDS")) == {"run_passed": ["value>0"]}


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


# ------------------------------------------------------------------ the request mix

MIX = json.loads((ROOT / "loadtest" / "mix.json").read_text())
UUID = "3f2504e0-4f89-11d3-9a0c-0305e82c3301"
# The app's answers, by route, with the field each id is read from (red2n/tartware@a2583469), as
# the serving service sends them (the gateway proxies the body as it is; the end-to-end run found
# that its declared {data, meta} schemas for room types and guests are not what arrives):
# schema/src/api/properties.ts PropertyListResponseSchema (a bare array of PropertySchema: `id`),
# Apps/rooms-service/src/routes/room-types.ts:32 (a bare array of RoomTypeItemSchema: `room_type_id`),
# Apps/guests-service/src/routes/guests.ts:37 (a bare array of GuestWithStatsSchema: `id`).
APP_LIST_IDS = {"/v1/properties": ("", "id"), "/v1/room-types": ("", "room_type_id"), "/v1/guests": ("", "id")}
# Apps/core-service/src/routes/auth.ts login answer: access_token, memberships[].tenant_id, and
# expires_in (auth.ts:148; schema/src/api/auth.ts:71, seconds).
APP_LOGIN_FIELDS = {"token": "access_token", "tenant": "memberships.0.tenant_id", "expires_in": "expires_in"}
# Required payload fields: schema/src/events/commands/guests.ts GuestRegisterCommandSchema,
# schema/src/events/commands/reservations.ts ReservationCreateCommandSchema (and the gateway's
# forwardGuestRegisterCommand reads tenant_id from the body, Apps/api-gateway/src/routes/command-helpers.ts).
APP_REQUIRED = {"guest.register": {"tenant_id", "first_name", "last_name", "email"},
                "reservation.create": {"property_id", "guest_id", "room_type_id", "check_in_date", "check_out_date",
                                       "total_amount"}}
# Apps/api-gateway/src/utils/command-publisher.ts: Idempotency-Key required on every command write;
# schema/src/api/command-center.ts IDEMPOTENCY_KEY_PATTERN.
IDEMPOTENCY_KEY = re.compile(r"^[A-Za-z0-9_:-]{8,128}$")
# The accepted answer's id of the command (command-publisher.ts reply 202: command_id).
COMMAND_ID_FIELD = "command_id"


def concrete(path: str) -> str:
    return re.sub(r"\$\{[a-z_]+\}", UUID, path)


def requests_of_mix():
    yield MIX["login"]
    yield from MIX["lookups"]
    for step in MIX["steps"]:
        yield {**step, **({k: v for k, v in _step(step["replay"]).items() if k in ("method", "path")}
                          if step.get("replay") else {})}


def _step(name):
    return next(s for s in MIX["steps"] if s["name"] == name)


def test_every_route_of_the_mix_exists_in_the_app_source_with_its_file():
    for r in requests_of_mix():
        source = route_exists(r["method"], concrete(r["path"]))
        assert source, f"{r['method']} {r['path']} is not a gateway route"
        assert r["source"] == source, r
    # the generic command route has a fixed 120/min limit in the app: not used
    assert not any("/execute" in r["path"] for r in requests_of_mix())


def test_mix_weights_statuses_and_tenant():
    steps = MIX["steps"]
    assert sum(s["weight"] for s in steps) == 100
    writes = [s for s in steps if "body" in s or s.get("replay")]
    assert sum(s["weight"] for s in steps if s not in writes) == 80  # 80 % reads, 20 % writes
    assert all(s["expect"] == [202] for s in writes) and all(s["expect"] == [200] for s in steps if s not in writes)
    for s in steps:
        if s.get("path", "").startswith("/v1/"):  # every tenant route carries the tenant
            text = json.dumps({k: s.get(k) for k in ("path", "query", "body")})
            assert "${tenant}" in text, s["name"]


def test_every_write_sends_a_fresh_idempotency_key_and_the_payload_the_app_requires(locustfile):
    for s in MIX["steps"]:
        if "body" not in s:
            continue
        assert s["headers"]["Idempotency-Key"] == "${idempotency_key}", s["name"]
        assert APP_REQUIRED[s["command"]] <= set(s["body"]), s["name"]
        assert s["returns"] == COMMAND_ID_FIELD
    seed = _step(MIX["seed"])
    assert "body" in seed and any(s.get("replay") == seed["name"] for s in MIX["steps"])
    # the Locust driver makes a new key per request, of the app's pattern (the k6 driver: FRESH)
    a, b = (locustfile["request_values"]({"tenant": UUID}) for _ in range(2))
    assert IDEMPOTENCY_KEY.match(a["idempotency_key"]) and a["idempotency_key"] != b["idempotency_key"]
    assert "idempotency_key" in literal_array("lib/config.js", "FRESH")


def test_ids_are_read_with_the_apps_field_names():
    assert MIX["login"]["extract"] == APP_LOGIN_FIELDS
    for lookup in MIX["lookups"]:
        assert (lookup["list"], lookup["id"]) == APP_LIST_IDS[lookup["path"]], lookup["name"]
    # the writes use exactly the looked-up ids
    names = {lookup["name"] for lookup in MIX["lookups"]}
    used = set(re.findall(r"\$\{([a-z_]+)\}", json.dumps(_step("reservation.create")["body"])))
    assert names <= used


def literal_array(path: str, name: str) -> list:
    for node in module(path).body:
        if node.type == "VariableDeclaration":
            for d in node.declarations:
                if d.id.name == name:
                    return literal(d.init)
    raise AssertionError(f"{path} has no const {name}")


def string_literals(node, found=None) -> list[str]:
    found = [] if found is None else found
    if isinstance(node, list):
        for n in node:
            string_literals(n, found)
    elif hasattr(node, "type"):
        if node.type == "Literal" and isinstance(node.value, str):
            found.append(node.value)
        if node.type == "TemplateElement":
            found.append(node.value.raw)
        for v in vars(node).values():
            if isinstance(v, (list,)) or hasattr(v, "type"):
                string_literals(v, found)
    return found


def test_k6_and_locust_use_exactly_the_mix_steps(locustfile):
    """Both drivers take every route, header, body, weight and status from loadtest/mix.json."""
    for script in ("smoke.js", "load.js"):
        text = (K6 / script).read_text()
        assert "loadMix(open('../mix.json'))" in text, script  # relative to the entry script: loadtest/mix.json
    assert (K6 / ".." / "mix.json").resolve() == (ROOT / "loadtest" / "mix.json")
    literals = string_literals(module("lib/config.js").body) + string_literals(module("load.js").body)
    routes = {r["path"] for r in requests_of_mix()}
    assert not routes & set(literals), "a route is written in the k6 scripts instead of the mix"
    assert not any(lit.startswith("/v1/") for lit in literals)
    # Locust: one task per step, its weight, from the same file
    assert Path(locustfile["MIX_FILE"]).resolve() == (ROOT / "loadtest" / "mix.json")
    user = locustfile["TartwareUser"]
    tasks = {f.__name__: w for f, w in user.tasks.items()}
    assert tasks == {s["name"].replace(".", "_").replace("-", "_"): s["weight"] for s in MIX["steps"]}
    assert not routes & set(re.findall(r'"(/v1/[^"]*)"', LOCUSTFILE.read_text()))


def test_logins_are_spread_over_named_accounts(locustfile):
    assert locustfile["account_name"]("k6-bot", 3) == MIX["accounts"]["username"].replace(
        "${prefix}", "k6-bot").replace("${n}", "3") == "k6-bot-3"
    text = (K6 / "lib/config.js").read_text()
    assert "accountName(mix, __ENV.K6_USERNAME, (GENERATOR % accounts) + 1)" in text


def test_the_drivers_refuse_missing_values_and_fields(locustfile):
    fill, extract, error = locustfile["fill"], locustfile["extract"], locustfile["MixError"]
    assert fill({"a": "${tenant}", "b": "x-${tenant}", "n": 200}, {"tenant": "t"}) == {"a": "t", "b": "x-t", "n": 200}
    with pytest.raises(error, match="no value for"):
        fill("${guest}", {"tenant": "t"})
    assert extract({"memberships": [{"tenant_id": "t"}]}, "memberships.0.tenant_id", "login") == "t"
    for body in ({"memberships": []}, {"data": [{"id": "x"}]}):
        with pytest.raises(error, match="has no"):
            extract(body, "memberships.0.tenant_id", "login")
    with pytest.raises(error, match="room_type_id"):
        extract({"id": "x"}, "room_type_id", "/v1/room-types")  # the old `id` read is refused, never skipped


# ------------------------------------------------------------------ Locust


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
    # the guide's 5000 users through the edge: sized below the per-client limit, nothing exempt; its
    # UI is routed where the operator tools are public (here an allowlist; docs/platform.md
    # "Operator access")
    return load_test_run("locust", {f"{NS}:operatorAccess": "allowlist", f"{NS}:operatorAllowedCidrs": ["203.0.113.0/24"]})


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
    # start paused behind the REST API, no per-pod verdict, samples to Prometheus tagged with the run
    # and the pod (load.js options.tags; a --tag would replace them: grafana/k6@v1.7.1 lib/options.go)
    args = c["args"]
    assert "--paused" in args and "--no-thresholds" in args and "--tag" not in args
    assert args[args.index("--address") + 1] == "0.0.0.0:6565"
    assert args[args.index("--out") + 1] == "experimental-prometheus-rw"
    assert args[-1] == "/loadtest/k6/load.js"
    assert env["TESTID"] == "k6-load-1"
    tags = next(p.value for p in exported_const("load.js", "options").properties if p.key.name == "tags")
    assert {p.key.name for p in tags.properties} == {"testid", "generator"}
    assert "generator: String(GENERATOR)" in (K6 / "load.js").read_text()
    assert "parseInt(__ENV.JOB_COMPLETION_INDEX" in (K6 / "lib/config.js").read_text()
    # the edge path: the in-cluster gateway Service with the API's host, each pod below the per-address
    # limit (docs/platform.md: 1,000 req/s per client address by default)
    assert env["BASE_URL"] == "http://istio-ingressgateway.istio-system.svc.cluster.local"
    assert env["HOST_HEADER"] == "api.tartware.local"
    assert below_the_limit_not_idle(GUIDE_RPS / pods, EDGE_PER_ADDRESS)
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
    assert c["args"][-1] == "/loadtest/k6/coordinator.js" and int(env["GENERATORS"]) == gen["spec"]["parallelism"]
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
    """k6 1.7.1 by tag and digest (facts/versions.py; tests/test_conformance.py checks the grammar)."""
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
    # the repository's layout under /loadtest: the k6 files, their data files and the mix
    assert shipped == {f"k6/{p}" for p in SCRIPTS} | {"k6/coordinator-queries.json", "mix.json"}
    for path in shipped:
        if path.endswith(".js"):
            for imported in relative_imports(cm["data"][path.replace("/", "__")], path.removeprefix("k6/")):
                assert f"k6/{imported}" in shipped
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
    # inside the cluster on every target: the gateway Service with the API's host (no DNS, no CA)
    assert cmd[cmd.index("--host") + 1] == "http://istio-ingressgateway.istio-system.svc.cluster.local"
    env = {e["name"]: e.get("value") for e in m["env"]}
    # every user logs in as it starts, spawn-rate per second: the logins of one throttle window, spread
    logins = min(LOCUST_USERS, LOCUST_SPAWN_RATE * LOGIN_WINDOW_SECONDS)
    assert env["HOST_HEADER"] == "api.tartware.local" and int(env["ACCOUNTS"]) >= math.ceil(logins / LOGINS_PER_WINDOW)
    assert cmd[cmd.index("--web-port") + 1] == str(LOCUST_PORT) and "--master" in cmd
    (w,) = worker["spec"]["template"]["spec"]["containers"]
    assert "--worker" in w["command"] and worker["spec"]["replicas"] >= 1
    data = docs["ConfigMap/locustfile"]["data"]
    assert data["locust__locustfile.py"] == LOCUSTFILE.read_text()
    assert data["mix.json"] == (ROOT / "loadtest" / "mix.json").read_text()
    # the guide's 20,000 req/s over the workers, each one client address under the per-address limit
    assert below_the_limit_not_idle(LOCUST_USERS * LOCUST_RPS_PER_USER / worker["spec"]["replicas"], EDGE_PER_ADDRESS)
    # the UI through the Istio gateway: locust.<domain> -> locust-master:8089, and the policy lets it in
    vs = docs["VirtualService/locust"]
    dest = vs["spec"]["http"][0]["route"][0]["destination"]
    assert vs["spec"]["hosts"] == ["locust.tartware.local"]
    assert dest == {"host": "locust-master.tartware-ops.svc.cluster.local", "port": {"number": LOCUST_PORT}}
    ui = docs["NetworkPolicy/allow-locust-ui"]["spec"]
    assert ui["ingress"][0]["ports"] == [{"protocol": "TCP", "port": LOCUST_PORT}]


def test_locust_settings_are_settings():
    from settings.schema import BuildContext
    from settings.errors import ProblemCollector
    from settings import ops as ops_settings

    raw = {x.name: x.default for x in ops_settings.DECLARED if x.default is not None and not x.secret}
    raw.update({"loadTest": "locust", "loadTestUsername": "u", "locustUsers": 200, "locustSpawnRate": 10,
                "locustHost": "https://api.example.com", "locustWorkers": 3})
    ctx = BuildContext("prod", ProblemCollector(), lambda *a: "secret")
    loc = ops_settings.build(raw, ctx).load_test.locust
    assert (loc.users, loc.spawn_rate, loc.host, loc.workers(0)) == (200, 10, "https://api.example.com", 3)
    raw.pop("locustWorkers")
    raw["locustUsers"] = LOCUST_USERS
    loc = ops_settings.build(raw, ctx).load_test.locust
    # past the edge: no worker asked for more than one Locust process does at best
    assert LOCUST_USERS * LOCUST_RPS_PER_USER / loc.workers(0) <= LOCUST_PROCESS_BEST_RPS
    # through it: each worker one client address under the per-address limit
    assert below_the_limit_not_idle(LOCUST_USERS * LOCUST_RPS_PER_USER / loc.workers(EDGE_PER_ADDRESS), EDGE_PER_ADDRESS)


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
