"""The app's access token against the length of a load test.

The token lives AUTH_JWT_EXPIRES_IN_SECONDS, 3600 s by default (red2n/tartware@a2583469
Apps/config/src/index.ts:75), and the login answers it as ``expires_in``
(Apps/core-service/src/routes/auth.ts:148). k6 logs in once per generator (setup()), so a longer
loadTestDuration is refused; Locust users log in again before their token ends.
"""

from __future__ import annotations

import json
import types
from pathlib import Path

import pytest

from settings import ops as ops_settings
from program.load import build_settings
from tests.helpers import assert_refused, locustfile  # noqa: F401  (locustfile: a fixture)
from tools.render import render_chart

ROOT = Path(__file__).resolve().parent.parent
MIX = json.loads((ROOT / "loadtest" / "mix.json").read_text())
TOKEN_SECONDS = 3600  # AUTH_JWT_EXPIRES_IN_SECONDS default, Apps/config/src/index.ts:75
K6_GRACEFUL_STOP = 30  # grafana/k6@v1.7.1 lib/executor/base_config.go DefaultGracefulStopValue
LOAD = {"loadTest": "load", "loadTestUsername": "u"}


def test_a_k6_run_longer_than_the_token_is_refused_naming_the_key():
    setup_wait = sum(lookup.get("wait_seconds", 0) for lookup in MIX["lookups"])
    longest = TOKEN_SECONDS - setup_wait - K6_GRACEFUL_STOP  # 3540 s
    message = assert_refused({**LOAD, "loadTestDuration": f"{longest + 1}s"}, "loadTestDuration",
                             ["AUTH_JWT_EXPIRES_IN_SECONDS 3600", f"allowed: at most {longest}s"],
                             secrets={"loadTestPassword": "pw"})
    assert "loadTestRunId" in message
    assert_refused({**LOAD, "loadTestDuration": "2h"}, "loadTestDuration", ["7200 s"],
                   secrets={"loadTestPassword": "pw"})
    ok = build_settings({"environment": "prod", **LOAD, "loadTestDuration": f"{longest // 60}m"},
                        read_secret=lambda *_: "pw")
    assert ok.ops.load_test.duration_seconds == longest == ops_settings.MAX_LOAD_TEST_SECONDS


def test_the_chart_leaves_the_apps_token_lifetime_at_its_default(prod_run):
    """The limit above is the app's default: no rendered Tartware container sets the variable."""
    values = next(r for r in prod_run.of_type("kubernetes:helm.sh/v3:Release")
                  if r.plain["name"] == "tartware").plain["values"]
    envs = [e["name"] for d in render_chart(values) if d["kind"] == "Deployment"
            for c in d["spec"]["template"]["spec"]["containers"] for e in c.get("env", [])]
    assert envs and "AUTH_JWT_EXPIRES_IN_SECONDS" not in envs


# ------------------------------------------------------------------ Locust logs in again


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def monotonic(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.now += seconds


class Answer:
    def __init__(self, status: int, body) -> None:
        self.status_code, self.body, self.failed = status, body, None

    def json(self):
        return self.body

    def failure(self, why: str) -> None:
        self.failed = why

    def success(self) -> None:
        pass

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        return None


class FakeApp:
    """The answers the mix expects (the app's field names, as tests/test_loadtest.py checks them)."""

    def __init__(self, expires_in=TOKEN_SECONDS, login_ok=True) -> None:
        self.expires_in, self.login_ok, self.logins, self.tokens_used = expires_in, login_ok, 0, []

    def request(self, method: str, url: str, headers=None, **_):
        if url == MIX["login"]["path"]:
            if not self.login_ok:
                return Answer(401, {"code": "INVALID_CREDENTIALS"})
            self.logins += 1
            body = {"access_token": f"tok-{self.logins}", "memberships": [{"tenant_id": "t"}]}
            if self.expires_in is not None:
                body["expires_in"] = self.expires_in
            return Answer(200, body)
        self.tokens_used.append((headers or {}).get("Authorization"))
        if method == "GET" and url in ("/v1/properties", "/v1/room-types", "/v1/guests"):
            key = "room_type_id" if url == "/v1/room-types" else "id"
            return Answer(200, [{key: "x"}])
        if method == "POST":
            return Answer(202, {"command_id": "c"})
        return Answer(200, {})


def _user(namespace, app: FakeApp):
    events = []
    user = namespace["TartwareUser"]()
    user.client = app
    user.environment = types.SimpleNamespace(
        runner=None, events=types.SimpleNamespace(request=types.SimpleNamespace(fire=lambda **kw: events.append(kw))))
    return user, events


@pytest.fixture
def clocked(locustfile):  # noqa: F811
    clock = FakeClock()
    saved = locustfile["time"]
    locustfile["time"] = clock
    yield locustfile, clock
    locustfile["time"] = saved


def _task(namespace, name: str):
    return next(t for t in namespace["TartwareUser"].tasks if t.__name__ == name.replace(".", "_").replace("-", "_"))


def test_a_locust_user_logs_in_again_before_its_token_ends(clocked, monkeypatch):
    namespace, clock = clocked
    monkeypatch.setenv("LOCUST_PASSWORD", "pw")
    app = FakeApp()
    user, events = _user(namespace, app)
    user.on_start()
    assert app.logins == 1 and events == []
    step = _task(namespace, "rooms")  # a read: GET /v1/rooms with the token
    clock.now += TOKEN_SECONDS - namespace["RELOGIN_MARGIN_SECONDS"] - 1
    step(user)
    assert app.logins == 1 and app.tokens_used[-1] == "Bearer tok-1"
    clock.now += 1  # RELOGIN_MARGIN_SECONDS before the token ends
    step(user)
    assert app.logins == 2 and app.tokens_used[-1] == "Bearer tok-2"
    assert user.values["property"] == "x"  # the looked-up ids are kept
    assert namespace["RELOGIN_MARGIN_SECONDS"] >= K6_GRACEFUL_STOP  # a request started before still fits


def test_a_login_without_a_lifetime_is_an_error_not_a_silent_skip(clocked, monkeypatch):
    namespace, _ = clocked
    monkeypatch.setenv("LOCUST_PASSWORD", "pw")
    user, events = _user(namespace, FakeApp(expires_in=None))
    with pytest.raises(namespace["StopUser"]):
        user.on_start()
    assert "expires_in" in str(events[0]["exception"])
    with pytest.raises(namespace["MixError"]):
        namespace["relogin_after"]("soon")
    assert namespace["relogin_after"](TOKEN_SECONDS) == TOKEN_SECONDS - namespace["RELOGIN_MARGIN_SECONDS"]
    assert namespace["relogin_after"](60) == 30  # a short-lived token: at half its life


def test_a_failed_relogin_stops_the_user_and_is_recorded(clocked, monkeypatch):
    namespace, clock = clocked
    monkeypatch.setenv("LOCUST_PASSWORD", "pw")
    app = FakeApp()
    user, events = _user(namespace, app)
    user.on_start()
    app.login_ok = False
    clock.now += TOKEN_SECONDS
    with pytest.raises(namespace["StopUser"]):
        user.fresh_token()
    assert events[-1]["name"] == "relogin" and "login as" in str(events[-1]["exception"])
