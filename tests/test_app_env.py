"""Everything the Tartware app requires at start is set by the rendered Deployments.

The required variables are read from the app's source (facts/app_source.py, generated); the
expected values below (issuer, audience, ports, source lines) are read by hand from
red2n/tartware@a2583469, not from the code under test.
"""

from __future__ import annotations

import copy
from pathlib import Path

import pytest

from facts import app_env
from facts.app_source import APP_REQUIRED_ENV, APP_TOPICS
from facts.catalog import SERVICE_NAMES
from components.tartware_values import chart_values
from program.load import build_settings
from tests import guide
from tests.helpers import assert_refused
from tools.app_contract import container_env, missing_env
from tools.offline import Secret
from tools.render import render_chart

RELEASE = "kubernetes:helm.sh/v3:Release"
SECRET = "kubernetes:core/v1:Secret"


def deployments_of(values) -> dict:
    return {d["metadata"]["name"]: d for d in render_chart(values) if d["kind"] == "Deployment"}


@pytest.fixture(scope="module", params=["dev", "prod"])
def rendered(request, dev_run, prod_run):
    run = {"dev": dev_run, "prod": prod_run}[request.param]
    values = run.one(RELEASE, "tartware-release").plain["values"]
    return run, values, deployments_of(values)


def test_every_required_variable_is_set(rendered):
    _, _, deployments = rendered
    assert set(deployments) == set(guide.ROW_OF)
    assert missing_env(deployments) == []


def test_a_planted_missing_variable_names_the_service_and_the_source_line(rendered):
    """guests-service throws at start in production without SERVICE_AUTH_PASSWORD: its config calls
    ensureServiceAuthPassword() at red2n/tartware@a2583469 Apps/guests-service/src/config.ts:20."""
    _, _, deployments = rendered
    planted = copy.deepcopy(deployments)
    container = planted["guests-service"]["spec"]["template"]["spec"]["containers"][0]
    container["env"] = [e for e in container["env"] if e["name"] != "SERVICE_AUTH_PASSWORD"]
    (problem,) = missing_env(planted)
    assert problem.startswith("guests-service: SERVICE_AUTH_PASSWORD is not set")
    assert "Apps/guests-service/src/config.ts:20" in problem


def test_a_planted_gap_in_the_values_is_found_through_the_chart(rendered):
    """Drop core's Secret-backed variables from the values (null deletes a key of the chart's
    defaults, as `helm --set key=null` does): the chart renders no secretKeyRef for them and the check
    names every one, with core's config lines (Apps/core-service/src/config.ts:21 calls
    ensureDefaultPassword(); :57 and :58 default the two keys to the refused placeholders)."""
    _, values, _ = rendered
    planted = copy.deepcopy(values)
    planted["services"]["core-service"]["secretEnv"] = dict.fromkeys(values["services"]["core-service"]["secretEnv"])
    problems = missing_env(deployments_of(planted))
    assert [p.split(" ", 2)[1] for p in problems] == [
        "AUTH_DEFAULT_PASSWORD", "BILLING_DATA_ENCRYPTION_KEY", "GUEST_DATA_ENCRYPTION_KEY"]
    assert all(p.startswith("core-service: ") for p in problems)
    assert "Apps/core-service/src/config.ts:21" in problems[0]
    assert "Apps/core-service/src/config.ts:58" in problems[1] and "Apps/core-service/src/config.ts:57" in problems[2]


def test_a_planted_refused_value_is_found(rendered):
    """SHADOW_MODE=true stops billing in production (Apps/billing-service/src/lib/compliance-policies.ts:44)."""
    _, _, deployments = rendered
    planted = copy.deepcopy(deployments)
    container = planted["billing-service"]["spec"]["template"]["spec"]["containers"][0]
    for e in container["env"]:
        if e["name"] == "SHADOW_MODE":
            e["value"] = "true"
    (problem,) = missing_env(planted)
    assert problem.startswith("billing-service: SHADOW_MODE is 'true', must be 'false'")
    assert "Apps/billing-service/src/lib/compliance-policies.ts:44" in problem


def test_values_refuse_a_required_variable_nothing_provides(monkeypatch):
    """A variable the app starts to require with no provider in facts/app_env.py stops the program
    when it computes the chart values, naming the service and the line."""
    required = copy.deepcopy(app_env.APP_REQUIRED_ENV)
    required["rooms-service"]["NEW_REQUIRED_SETTING"] = (
        "Apps/rooms-service/src/config.ts:99", "loopback-default", "Apps/rooms-service/src/config.ts:99", "")
    monkeypatch.setattr(app_env, "APP_REQUIRED_ENV", required)
    with pytest.raises(app_env.MissingEnv, match=r"rooms-service: nothing provides NEW_REQUIRED_SETTING "
                                                 r"\(needed at Apps/rooms-service/src/config.ts:99"):
        chart_values(build_settings({"environment": "prod"}).tartware)


def test_a_service_switched_off_is_not_a_gap():
    """README: `services.revenue-service.enabled false`. The gateway then has no REVENUE_SERVICE_URL,
    which is not a missing variable (its revenue routes fail, as switching revenue off means)."""
    values = chart_values(build_settings({"environment": "prod", "services": {"revenue-service": {"enabled": False}}}).tartware)
    deployments = deployments_of(values)
    assert "revenue-service" not in deployments
    assert "REVENUE_SERVICE_URL" not in container_env(deployments["api-gateway"])
    assert missing_env(deployments) == []


def test_one_jwt_issuer_and_audience_everywhere(rendered):
    """core signs with issuer tartware-core-service and audience tartware-core (its
    ensureAuthDefaults override, Apps/core-service/src/config.ts:20); the other services would verify
    with tartware-core / tartware (Apps/config/src/service-config-helpers.ts:47-49)."""
    _, _, deployments = rendered
    for name, dep in deployments.items():
        env = container_env(dep)
        assert env["AUTH_JWT_ISSUER"]["value"] == "tartware-core-service", name
        assert env["AUTH_JWT_AUDIENCE"]["value"] == "tartware-core", name
        assert env["AUTH_JWT_SECRET"]["valueFrom"]["secretKeyRef"] == {"name": "tartware-auth", "key": "jwt-secret"}


def test_secret_backed_variables_come_from_the_programs_secrets(rendered):
    run, _, deployments = rendered
    created = {s.plain["metadata"]["name"]: set(s.plain["stringData"]) for s in run.of_type(SECRET)
               if s.plain["metadata"]["namespace"] == guide.NAMESPACE}
    refs = {}
    for name, dep in deployments.items():
        for var, e in container_env(dep).items():
            ref = (e.get("valueFrom") or {}).get("secretKeyRef")
            if ref:
                assert ref["key"] in created[ref["name"]], (name, var, ref)
                refs.setdefault(var, set()).add(name)
    assert refs["AUTH_DEFAULT_PASSWORD"] == {"core-service"}
    assert refs["SERVICE_AUTH_PASSWORD"] == {"guests-service"}
    assert refs["GUEST_DATA_ENCRYPTION_KEY"] == {"core-service", "guests-service"}
    assert refs["BILLING_DATA_ENCRYPTION_KEY"] == {"core-service", "billing-service"}


def test_data_keys_are_secret_hex_and_distinct(prod_run):
    """64 hex characters: over the app's 16-character floor, and no hex string matches its insecure
    patterns (each has a letter outside a-f: Apps/config/src/index.ts INSECURE_PATTERNS)."""
    (secret,) = [s for s in prod_run.of_type(SECRET) if s.plain["metadata"]["name"] == "tartware-data-keys"]
    data = secret.inputs["stringData"]
    values = data.value if isinstance(data, Secret) else {k: v.value for k, v in data.items()}
    assert isinstance(data, Secret) or all(isinstance(v, Secret) for v in data.values())
    keys = [values["guest-data-key"], values["billing-data-key"]]
    assert all(len(k) == 64 and set(k) <= set("0123456789abcdef") for k in keys)
    assert keys[0] != keys[1]


def test_urls_and_switches_the_app_reads(rendered):
    _, _, deployments = rendered
    env = {name: {k: e.get("value") for k, e in container_env(d).items()} for name, d in deployments.items()}
    # guests calls its own routes at GUESTS_SERVICE_URL (Apps/guests-service/src/config.ts:50): its own port
    assert env["guests-service"]["GUESTS_SERVICE_URL"] == f"http://localhost:{guide.PORTS['guests-service']}"
    # the registry lives in core; every service registers there, core reads it back
    core_url = env["api-gateway"]["CORE_SERVICE_URL"]
    assert {e["REGISTRY_URL"] for e in env.values()} == {core_url}
    # SHADOW_MODE is refused in production where it is read (billing and the availability guard)
    assert {n for n, e in env.items() if "SHADOW_MODE" in e} == {"billing-service", "availability-guard-service"}
    assert {e["SHADOW_MODE"] for e in env.values() if "SHADOW_MODE" in e} == {"false"}
    # traces only, with the path; no generic endpoint that would also route logs
    for e in env.values():
        assert e["OTEL_EXPORTER_OTLP_TRACES_ENDPOINT"].endswith(":4318/v1/traces")
        assert "OTEL_EXPORTER_OTLP_ENDPOINT" not in e and "OTEL_EXPORTER_OTLP_LOGS_ENDPOINT" not in e
    assert env["api-gateway"]["CORS_ORIGIN"] == "https://app.tartware.local"
    assert env["guests-service"]["SERVICE_AUTH_USERNAME"] == app_env.SERVICE_ACCOUNT != "setup.admin"


def test_db_pool_max_per_service(rendered):
    run, values, deployments = rendered
    for name, dep in deployments.items():
        assert container_env(dep)["DB_POOL_MAX"]["value"] == str(values["services"][name]["dbPoolMax"])


def test_cors_origins_and_pool_settings():
    t = build_settings({"environment": "prod", "domain": "example.com",
                        "corsOrigins": "https://app.example.com,https://admin.example.com:8443",
                        "dbPoolMax": 3, "postgresMaxConnections": 2000,
                        "services": {"api-gateway": {"dbPoolMax": 1}}}).tartware
    values = chart_values(t)
    assert values["services"]["api-gateway"]["env"]["CORS_ORIGIN"] == \
        "https://app.example.com,https://admin.example.com:8443"
    assert values["services"]["api-gateway"]["dbPoolMax"] == 1
    assert values["services"]["core-service"]["dbPoolMax"] == 3
    assert build_settings({"environment": "dev", "corsOrigins": "*"}).tartware.cors_origins == "*"


@pytest.mark.parametrize("raw,key", [
    ({"environment": "prod", "corsOrigins": "*"}, "corsOrigins"),
    ({"corsOrigins": "https://app.example.com/ui"}, "corsOrigins"),
    ({"dbPoolMax": 0}, "dbPoolMax"),
    ({"services": {"core-service": {"dbPoolMax": 101}}}, "services.core-service.dbPoolMax"),
])
def test_bad_app_settings_are_refused(raw, key):
    assert_refused(raw, key)


def test_docs_name_every_required_variable_topic_and_image():
    """docs/app.md is the operator's view of the same list: a variable, topic or image it does not
    mention is one the docs forgot."""
    text = (Path(__file__).resolve().parent.parent / "docs" / "app.md").read_text()
    variables = {v for needs in APP_REQUIRED_ENV.values() for v in needs}
    assert sorted(v for v in variables if v not in text and not v.endswith("_SERVICE_URL")) == []
    assert sorted(t for t in APP_TOPICS if f"`{t}`" not in text) == []
    assert sorted(s for s in SERVICE_NAMES if f"| `{s}` |" not in text) == []
