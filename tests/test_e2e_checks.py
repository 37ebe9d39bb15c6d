"""The harness's newer checks on canned inputs, each with a planted defect it must catch: the
bounded retries (e2e/patience.py) against a real local HTTP server, reservations-command-service's
own route through the gateway, the DISABLE_KAFKA switch (e2e/kafka_switch.py) and the judgement
of a second migration run (e2e/migration_modes.py). The real runs are the harness's (docs/app.md)."""

from __future__ import annotations

import http.server as http_server
import json
import threading
from pathlib import Path
from types import SimpleNamespace
from typing import Callable, Iterator

import pytest

from e2e import kafka_switch, upstreams
from e2e.migration_modes import as_another_commit, declared, problems, steps_run
from e2e.patience import ATTEMPTS, PERIOD_SECONDS, call_patiently
from e2e.run import Report, check_kafka_switch, check_reservation_lifecycle, http

ROOT = Path(__file__).resolve().parent.parent
TENANT = "11111111-1111-1111-1111-111111111111"
RESERVATION = "c9898800-5350-49d5-9b71-92a3e89cba4c"


class Canned:
    """A local HTTP server answering from a list of (status, body), the last one repeated."""

    def __init__(self, answers: list[tuple[int, str]]):
        self.answers, self.paths = list(answers), list[str]()
        canned = self

        class Handler(http_server.BaseHTTPRequestHandler):
            def _answer(self) -> None:
                self.rfile.read(int(self.headers.get("Content-Length") or 0))
                canned.paths.append(self.path)
                status, body = canned.answers.pop(0) if len(canned.answers) > 1 else canned.answers[0]
                data = body.encode()
                self.send_response(status)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            do_GET = do_POST = _answer  # noqa: N815 (http.server's names)

            def log_message(self, *args: object) -> None:
                pass

        self.server = http_server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, args=(0.05,), daemon=True).start()

    def url(self, path: str = "/") -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def close(self) -> None:
        self.server.shutdown()


@pytest.fixture
def canned() -> Iterator[Callable[[list[tuple[int, str]]], Canned]]:
    servers: list[Canned] = []

    def make(answers: list[tuple[int, str]]) -> Canned:
        servers.append(Canned(answers))
        return servers[-1]

    yield make
    for s in servers:
        s.close()


def no_wait(seconds: float) -> None:
    pass


def test_the_retry_bounds_are_the_kubelets_probe_defaults():
    # Kubernetes API core/v1 Probe: periodSeconds "Default to 10 seconds", failureThreshold "Defaults to 3"
    assert (ATTEMPTS, PERIOD_SECONDS) == (3, 10)


def test_a_transient_500_passes_on_a_later_try_and_says_so(canned):
    server = canned([(500, '{"message":"timeout exceeded when trying to connect"}'), (200, '{"released":0}')])
    outcome = call_patiently(lambda t: http("POST", server.url("/v1/locks/bulk-release"), {}, timeout=t), sleep=no_wait)
    assert (outcome.code, len(outcome.tries)) == (200, 2)
    assert outcome.retried and "try 1: 500" in outcome.story() and "at most 3 tries 10 s apart" in outcome.story()


def test_a_planted_lasting_500_still_fails_after_the_bounded_tries(canned):
    server = canned([(500, "pool timeout")])
    outcome = call_patiently(lambda t: http("GET", server.url(), timeout=t), sleep=no_wait)
    assert outcome.code == 500 and len(outcome.tries) == ATTEMPTS == len(server.paths)


def test_a_4xx_is_the_services_verdict_and_is_not_retried(canned):
    server = canned([(403, '{"code":"TENANT_MODULE_NOT_ENABLED"}'), (200, "{}")])
    outcome = call_patiently(lambda t: http("GET", server.url(), timeout=t), sleep=no_wait)
    assert outcome.code == 403 and len(server.paths) == 1 and not outcome.retried


def test_no_answer_is_retried_and_reported_as_such() -> None:
    calls: list[float] = []

    def refused(timeout: float) -> tuple[int, str]:
        calls.append(timeout)
        return 0, "timed out"

    outcome = call_patiently(refused, attempts=2, timeout=4, sleep=no_wait)
    assert calls == [4, 4] and outcome.code == 0 and "try 1: no answer timed out" in outcome.story()


@pytest.mark.parametrize("bad, key", [({"attempts": 0}, "attempts=0"), ({"period": -1}, "period=-1"),
                                      ({"timeout": 0}, "timeout=0")])
def test_bad_bounds_are_refused_naming_the_key(bad, key):
    with pytest.raises(ValueError, match=key):
        call_patiently(lambda t: (200, ""), **bad)


def gateway(server: Canned, reservation: str = RESERVATION) -> SimpleNamespace:
    """What check_reservation_lifecycle reads of the running system, with the gateway canned."""
    return SimpleNamespace(token="t", reservation=reservation, seed=SimpleNamespace(tenant=TENANT), routed=[],
                           url=lambda service, path="": server.url(path))


def test_the_lifecycle_route_passes_with_the_services_list_for_our_reservation(canned):
    entry = {"reservation_id": RESERVATION, "current_state": "PERSISTED"}
    for body in ("[]", json.dumps([entry])):
        server = canned([(200, body)])
        report = Report()
        system = gateway(server)
        check_reservation_lifecycle(system, report)
        assert report.failures == []
        assert system.routed == [("reservations-command-service", server.paths[0])]  # for check_upstreams
        assert server.paths == [f"/v1/reservations/{RESERVATION}/lifecycle?tenant_id={TENANT}"]


@pytest.mark.parametrize("answer, named", [
    ((404, '{"message":"Route GET:/v1/reservations/x/lifecycle not found"}'), "answered 404"),
    # core's answer shape ({data, meta}), as GET /v1/reservations gives: not the service's own route
    ((200, '{"data": [], "meta": {"total": 0}}'), "not the service's lifecycle list"),
    ((200, json.dumps([{"reservation_id": "00000000-0000-0000-0000-000000000000"}])), "not the service's lifecycle"),
])
def test_a_planted_wrong_answer_of_the_lifecycle_route_is_caught(canned, answer, named):
    server = canned([answer])
    report = Report()
    check_reservation_lifecycle(gateway(server), report)
    assert len(report.failures) == 1 and "reservations-command-service" in report.failures[0]
    assert named in report.failures[0]


def app_tree(tmp_path: Path) -> Path:
    for name, text in {"billing-service": "await bootstrapService({ app, config });",
                       "reservations-command-service": 'process.env.DISABLE_KAFKA !== "true"',
                       "api-gateway": "await app.listen({ port });"}.items():
        (tmp_path / "Apps" / name / "src").mkdir(parents=True)
        (tmp_path / "Apps" / name / "src" / "index.ts").write_text(text)
    return tmp_path


def test_the_services_that_read_disable_kafka_come_from_their_source(tmp_path):
    tree = app_tree(tmp_path)
    assert kafka_switch.readers(tree, ["api-gateway", "billing-service", "reservations-command-service"]) == {
        "billing-service": "Apps/billing-service/src/index.ts",
        "reservations-command-service": "Apps/reservations-command-service/src/index.ts"}
    assert kafka_switch.consumers([("g1", "c"), ("g2", "c"), ("g1", "c")]) == {"c": ["g1", "g2"]}


def test_a_planted_disable_kafka_in_a_rendered_env_or_no_consumer_is_caught(tmp_path):
    tree = app_tree(tmp_path)
    clean = SimpleNamespace(tree=tree, services={"billing-service": None}, envs={"billing-service": {}},
                            kafka=SimpleNamespace(joins=[("billing-command-center-consumer",
                                                          "tartware-billing-service")]))
    report = Report()
    check_kafka_switch(clean, report)
    assert report.failures == [] and any("set for none; needed by none" in line for line in report.lines)
    planted = SimpleNamespace(**{**vars(clean), "envs": {"billing-service": {"DISABLE_KAFKA": "true"}},
                                 "kafka": SimpleNamespace(joins=[])})
    report = Report()
    check_kafka_switch(planted, report)
    assert len(report.failures) == 2
    assert report.failures[0].startswith("billing-service: its rendered env sets DISABLE_KAFKA=true")
    assert "no consumer group joined" in report.failures[1]


def test_a_second_migrations_verdict_reads_the_scripts_own_step_lists():
    script = (ROOT / "ops" / "migrate" / "migrate.sh").read_text()
    # docs/app.md "Migration contract": the steps marked "on upgrade: yes", and service-account every time
    assert declared(script, "UPGRADE_STEPS") == ["command-templates", "fk-indexes", "procedures", "triggers",
                                                 "constraint-messages", "app-migrations", "roles", "service-account"]
    assert declared(script, "EVERY_RUN_STEPS") == ["service-account"]
    ok = "the database is already at app commit x\n-- service-account\n   done\nmigration OK: app commit " + \
        "a" * 40 + " (current)\n"
    assert steps_run(ok) == ["service-account"] and problems("current", 0, ok, "", script) == []
    planted = ok.replace("-- service-account", "-- enums\n-- service-account")
    assert "re-applied: enums" in problems("current", 0, planted, "", script)[0]
    assert problems("current", 1, "", "migration FAILED: step service-account failed (output above)", script)[0] == \
        "exit 1: migration FAILED: step service-account failed (output above)"
    with pytest.raises(ValueError, match="commit: expected 40"):
        as_another_commit("abc")


def otlp_body(service: str, *calls: tuple[int, str], kind: int = 3) -> bytes:
    """One OTLP/JSON export (https://opentelemetry.io/docs/specs/otlp/#json-protobuf-encoding) with a
    span per call, as the gateway's undici instrumentation records them (kind 3: SPAN_KIND_CLIENT)."""
    spans = [{"name": "GET", "kind": kind, "attributes": [
        {"key": "url.full", "value": {"stringValue": f"http://127.0.0.1:{port}{path}?tenant_id={TENANT}"}}]}
        for port, path in calls]
    return json.dumps({"resourceSpans": [{
        "resource": {"attributes": [{"key": "service.name", "value": {"stringValue": service}}]},
        "scopeSpans": [{"scope": {"name": "@opentelemetry/instrumentation-undici"}, "spans": spans}]}]}).encode()


def test_the_gateways_client_spans_say_which_port_each_call_went_to():
    bodies = [otlp_body("api-gateway", (3000, "/v1/reservations"), (3020, "/v1/reservations/x/lifecycle")),
              otlp_body("guests-service", (3015, "/v1/rooms/availability")),  # another service's call
              otlp_body("api-gateway", (3010, "/v1/guests"), kind=2),  # a SERVER span: not a call it made
              b"\x0a\x12protobuf"]  # not JSON: skipped
    calls = upstreams.client_calls(bodies, "api-gateway")
    assert calls == {(3000, "/v1/reservations"), (3020, "/v1/reservations/x/lifecycle")}
    owner = {3000: "core-service", 3020: "reservations-command-service"}
    assert upstreams.misrouted([("core-service", f"/v1/reservations?tenant_id={TENANT}", 3000),
                                ("reservations-command-service", "/v1/reservations/x/lifecycle", 3020)],
                               calls, owner) == []


def test_a_planted_mislabelled_route_is_caught_naming_the_service_that_answered():
    calls = upstreams.client_calls([otlp_body("api-gateway", (3000, "/v1/reservations"))], "api-gateway")
    owner = {3000: "core-service", 3020: "reservations-command-service"}
    # the label main had: GET /v1/reservations as reservations-command-service's route
    (problem,) = upstreams.misrouted([("reservations-command-service", "/v1/reservations", 3020)], calls, owner)
    assert problem == ("reservations-command-service: the gateway sent GET /v1/reservations to :3000 (core-service), "
                       "not to reservations-command-service on :3020")
    (problem,) = upstreams.misrouted([("rooms-service", "/v1/rooms", 3015)], calls, owner)
    assert "no span of the gateway's call of GET /v1/rooms" in problem
