"""Tartware as deployed, run here: every service from its rendered prod Deployment, on loopback.

    TARTWARE_APP_SRC=/path/to/tartware python -m e2e.run [--plant KIND:...] [--logs DIR]

1. Renders the prod stack (tools.offline + tools.manifests, as ``python -m tools.render``) and
   takes each Deployment's container (env, ports, probes) and the migration hook Job's env.
   Secret references resolve to the program's Secrets with real values generated the way its
   pulumi-random resources would; in-cluster addresses map to loopback (printed).
2. Builds the app at the pinned commit from TARTWARE_APP_SRC (e2e/app.py).
3. Starts PostgreSQL and Redis (Debian's), the Kafka stand-in with the program's topics, and an
   OTLP sink; runs ops/migrate/migrate.sh with the hook Job's env (the migration contract), then
   the operator's first-tenant step (ops/tenant/enable-modules.sh).
4. Starts the 10 services (``node dist/index.js`` in ``Apps/<service>``) with their env and
   ``NODE_ENV`` as rendered, and checks each one's startup, readiness and liveness probe paths,
   with the chart's periods and thresholds.
5. Requests (``CHECKS``): a login through the gateway as the bootstrap admin and a logged-in GET
   through the gateway to a tenant route of each service behind it; a tenant route of the
   availability guard's own HTTP API (it has no gateway route); a reservation write through the
   gateway that reaches the guard over gRPC, then reservations-command-service's own lifecycle
   route through the gateway for that reservation; the public self-service search, which
   guests-service serves by logging in to core as its service account. 2xx expected; the guard's
   release, the write and the GETs retried as a probe would on a slow machine (e2e/patience.py).
   After the load mix: DISABLE_KAFKA (set for no service, e2e/kafka_switch.py) and the migration
   again, at the same commit and as an upgrade, while the services run (e2e/migration_modes.py);
   then that every GET through the gateway went to the service named for it, by the gateway's own
   spans (e2e/upstreams.py).
6. The load tests' request mix through real Locust against the gateway (``check_load_mix``), every
   accepted command checked at the Kafka stand-in by its key (e2e/loadmix.py); with
   ``--mix-plants`` its three planted passes after the clean one, each of which must fail naming
   its object. ``--no-load-mix`` leaves the mix out.

Every failure is collected and named (service, variable, topic, step); exit 1 if any.

Planted defects (``--plant``, repeatable) check that the harness notices what it exists to notice.
They run after the clean run, each on its own, starting only what the defect touches:
``missing-env:<service>:<VAR>`` (that service alone, without the variable),
``missing-topic:<topic>`` (a stand-in without the topic, and the services whose own source names
it), ``skip-migration-step:<step>`` (the database dropped and created anew, the migration into it without
the step, then core-service on it and the logins the migration provides; these run last). A plant counts as caught only if one of
its own failures names it. The exit status is 0 only if the clean run passed and every plant was
caught.
"""

from __future__ import annotations

import argparse
import json
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Optional

from facts.app_source import APP_COMMIT, APP_TOPICS
from facts.catalog import GATEWAY, NAMESPACE
from facts.endpoints import (
    DATABASE_NAMESPACE,
    DEFAULT_ENDPOINTS,
    JAEGER_RELEASE,
    KAFKA_PORT,
    MESSAGING_NAMESPACE,
    OBSERVABILITY_NAMESPACE,
    OTLP_HTTP_PORT,
    REDPANDA_RELEASE,
    SUPERUSER_SECRET,
    service_host,
)

from e2e import app as app_build
from e2e import loadmix
from e2e import kafka_switch, migration_modes, upstreams
from e2e.patience import Outcome, call_patiently
from e2e.kafka_standin import KafkaStandIn
from e2e.local import OtlpSink, Postgres, Redis, port_in_use
from e2e.spec import Loopback, ServiceSpec, SpecError, deployments, random_values, secret_data, service_spec, topics_of

ROOT = Path(__file__).resolve().parent.parent
MIGRATE = ROOT / "ops" / "migrate" / "migrate.sh"
ENABLE_MODULES = ROOT / "ops" / "tenant" / "enable-modules.sh"
SEED = "scripts/data/defaults/default_seed.json"  # the app's default dataset, which the migration seeds
GUARD = "availability-guard-service"
CORE = "core-service"

# One logged-in GET per service, through the gateway, and the gateway route file that proxies it to
# that service (red2n/tartware@a2583469 Apps/api-gateway/src/routes/<file>: the service URL it uses).
# revenue: /v1/revenue/pricing-rules answers 500 at the pin (docs/app.md "Known defects"), goals works.
TENANT_ROUTES: dict[str, tuple[str, str]] = {
    "core-service": ("/v1/properties?tenant_id={tenant}", "core-proxy-routes.ts (coreServiceUrl)"),
    "guests-service": ("/v1/guests?tenant_id={tenant}", "guest-routes.ts (guestsServiceUrl)"),
    "rooms-service": ("/v1/rooms?tenant_id={tenant}", "room-routes.ts (roomsServiceUrl)"),
    "housekeeping-service": ("/v1/housekeeping/tasks?tenant_id={tenant}", "housekeeping-routes.ts"),
    "billing-service": ("/v1/billing/payments?tenant_id={tenant}", "billing-routes.ts (billingServiceUrl)"),
    "notification-service": ("/v1/tenants/{tenant}/notifications/templates", "misc-routes.ts (notificationServiceUrl)"),
    "revenue-service": ("/v1/revenue/goals?tenant_id={tenant}", "revenue-routes.ts (revenueServiceUrl)"),
}
# Further logged-in GETs through the gateway: (service that answers, path, gateway route file).
# GET /v1/reservations is core's: the gateway proxies it with proxyCore (coreServiceUrl,
# reservation-routes.ts:98-111 at the pin).
MORE_TENANT_ROUTES: tuple[tuple[str, str, str], ...] = (
    ("core-service", "/v1/reservations?tenant_id={tenant}", "reservation-routes.ts (proxyCore: coreServiceUrl)"),
)
# reservations-command-service's own tenant route behind the gateway: the lifecycle of one
# reservation (red2n/tartware@a2583469 Apps/api-gateway/src/routes/reservation-routes.ts:129-143,
# reservationCommandServiceUrl -> Apps/reservations-command-service/src/server.ts:204-222, a JSON
# array of its reservation_command_lifecycle rows), asked for the reservation the harness writes
# (check_reservation_reaches_guard).
LIFECYCLE_ROUTE = ("/v1/reservations/{reservation}/lifecycle?tenant_id={tenant}",
                   "reservation-routes.ts (reservationCommandServiceUrl)")
# The operator's first-tenant step (docs/app.md): the modules the routes above need that the seed
# does not give its tenant's members (default_seed.json userTenantAssociations: core, reservations,
# housekeeping, billing, finance-automation). The gateway's revenue routes require
# revenue-management (Apps/api-gateway/src/routes/revenue-routes.ts:26).
EXTRA_MODULES = ("revenue-management",)
# The guard's lock table: LockRoom over gRPC inserts a row, ReleaseLock marks it released
# (Apps/availability-guard-service/src/repositories/lock-repository.ts).
GUARD_LOCKS_TABLE = "public.inventory_locks_shadow"


@dataclass
class Report:
    failures: list[str] = field(default_factory=list)
    lines: list[str] = field(default_factory=list)

    def fail(self, message: str) -> None:
        self.failures.append(message)
        print(f"FAIL {message}", flush=True)

    def say(self, message: str) -> None:
        self.lines.append(message)
        print(message, flush=True)


def http(method: str, url: str, body: Optional[dict] = None, token: Optional[str] = None,
         timeout: float = 10, headers: Optional[dict[str, str]] = None) -> tuple[int, str]:
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request(url, data=data, method=method)
    if data is not None:
        req.add_header("Content-Type", "application/json")
    if token:
        req.add_header("Authorization", f"Bearer {token}")
    for key, value in (headers or {}).items():
        req.add_header(key, value)
    try:
        with urllib.request.urlopen(req, timeout=timeout) as resp:
            return resp.status, resp.read().decode(errors="replace")
    except urllib.error.HTTPError as err:
        return err.code, err.read().decode(errors="replace")
    except (urllib.error.URLError, ConnectionError, TimeoutError, OSError) as err:
        return 0, str(err)


def tail(path: Path, lines: int = 15) -> str:
    if not path.exists():
        return "(no log)"
    return "\n".join("      " + x for x in path.read_text(errors="replace").splitlines()[-lines:])


# ---------------------------------------------------------------------------- the rendered system


@dataclass
class Rendered:
    services: dict[str, ServiceSpec]
    migration_env: dict[str, str]
    topics: dict[str, int]
    secrets: dict[tuple[str, str], str]
    missing: list[str]


def render(stack: str = "prod") -> Rendered:
    from tools.manifests import render_chart
    from tools.offline import recorded_run
    from tools.render import tartware_values

    run = recorded_run(stack)
    docs = render_chart(tartware_values(run))
    real = random_values(run.resources)
    secrets_ = secret_data(run.resources, NAMESPACE, real)
    # the data tier's own Secret (namespace database) holds the superuser's login the Cluster sets
    secrets_.update({("@database", k): v for (n, k), v in secret_data(run.resources, DATABASE_NAMESPACE, real).items()
                     if n == SUPERUSER_SECRET})
    missing: list[str] = []
    specs = {name: service_spec(d, secrets_, missing) for name, d in deployments(docs).items()}
    jobs = [d for d in docs if d.get("kind") == "Job"]
    if len(jobs) != 1:
        raise SpecError(f"expected one migration hook Job in the render, found {len(jobs)}")
    job = service_spec(jobs[0], secrets_, missing)
    return Rendered(specs, job.env, topics_of(run.resources), secrets_, missing)


@dataclass(frozen=True)
class Seed:
    """What the migration seeds, read from the app's default dataset in the built tree."""

    tenant: str
    property: str
    room_type: str
    rate_code: str
    owner: str  # the tenant's OWNER: the bootstrap admin

    @classmethod
    def read(cls, tree: Path) -> "Seed":
        data = json.loads((tree / SEED).read_text())
        tenant = data["tenants"][0]["id"]
        owner_id = next(a["userId"] for a in data["userTenantAssociations"]
                        if a["tenantId"] == tenant and a.get("role", "OWNER") == "OWNER")
        return cls(tenant, data["properties"][0]["id"], data["roomTypes"][0]["id"],
                   data["rates"][-1]["rateCode"], next(u["username"] for u in data["users"] if u["id"] == owner_id))


def plant_services(kind: str, rest: list[str], services: dict[str, ServiceSpec]) -> list[str]:
    """The services a planted defect touches: the one losing a variable, or those whose own
    source names a topic (facts/app_source.py APP_TOPICS sites under Apps/<service>/)."""
    if kind == "missing-env":
        return [rest[0]]
    if kind == "missing-topic":
        named = {site.split("/")[1] for site in APP_TOPICS.get(rest[0], ()) if site.startswith("Apps/")}
        return sorted(named & set(services))
    return [CORE]


def check_plants(plants: list[list[str]], rendered: Rendered) -> None:
    """Refuse a plant that names nothing the rendered system has, before anything starts."""
    for kind, *rest in plants:
        if kind == "missing-env":
            if len(rest) != 2 or rest[0] not in rendered.services or rest[1] not in rendered.services[rest[0]].env:
                raise SystemExit(f"--plant missing-env:{':'.join(rest)}: expected <service>:<VAR> of a rendered "
                                 "Deployment's env")
        elif kind == "missing-topic":
            if len(rest) != 1 or rest[0] not in rendered.topics:
                raise SystemExit(f"--plant missing-topic:{':'.join(rest)}: not in the program's topic list")
            if not plant_services(kind, rest, rendered.services):
                raise SystemExit(f"--plant missing-topic:{rest[0]}: no service's own source names it")
        elif kind == "skip-migration-step":
            if len(rest) != 1 or f"run {rest[0]} " not in MIGRATE.read_text():
                raise SystemExit(f"--plant skip-migration-step:{':'.join(rest)}: not a step of {MIGRATE.name}")
        elif kind in loadmix.PLANTS:
            if len(rest) != 1:
                raise SystemExit(f"--plant {kind}:{':'.join(rest)}: expected {kind}:<what> (e2e/loadmix.py)")
        else:
            raise SystemExit(f"unknown --plant kind {kind} (missing-env, missing-topic, skip-migration-step, "
                             f"{', '.join(loadmix.PLANTS)})")


# ---------------------------------------------------------------------------- the running system


@dataclass
class System:
    """What runs on loopback, for the checks (and for harness extensions that add their own)."""

    rendered: Rendered
    seed: Seed
    tree: Path
    tools: app_build.Toolchain
    work: Path
    logs: Path
    pg: Postgres
    kafka: KafkaStandIn
    otlp: OtlpSink
    envs: dict[str, dict[str, str]]  # per service, in-cluster addresses mapped
    migration_env: dict[str, str]
    procs: dict[str, subprocess.Popen] = field(default_factory=dict)
    log_of: dict[str, Path] = field(default_factory=dict)  # each started service's log
    token: str = ""  # the bootstrap admin's access token, once logged in
    reservation: str = ""  # the id of the reservation the harness writes (check_reservation_reaches_guard)
    routed: list[tuple[str, str]] = field(default_factory=list)  # (service, path) of each GET through the gateway
    mix_plants: Optional[list[list[str]]] = None  # the request mix's planted passes; None: no mix

    @property
    def services(self) -> dict[str, ServiceSpec]:
        return self.rendered.services

    def url(self, service: str, path: str = "") -> str:
        return f"http://127.0.0.1:{self.services[service].port}{path}"

    def start(self, names: list[str], env_for: Optional[Callable[[str, dict[str, str]], dict[str, str]]] = None,
              log_suffix: str = "") -> None:
        for name in names:
            env = {**self.envs[name], "PATH": self.tools.path, "HOME": str(self.work)}
            if env_for is not None:
                env = env_for(name, env)
            self.log_of[name] = self.logs / f"{name}{log_suffix}.log"
            out = self.log_of[name].open("wb")
            self.procs[name] = subprocess.Popen([str(self.tools.node_bin / "node"), "dist/index.js"],
                                                cwd=self.tree / "Apps" / name, env=env,
                                                stdout=out, stderr=subprocess.STDOUT)

    def stop(self, names: Optional[list[str]] = None) -> None:
        names = list(self.procs) if names is None else names
        for name in names:
            if self.procs[name].poll() is None:
                self.procs[name].terminate()
        for name in names:
            try:
                self.procs[name].wait(10)
            except subprocess.TimeoutExpired:
                self.procs[name].kill()
                self.procs[name].wait(5)
            del self.procs[name]

    def migrate(self, database: str, skip: str = "") -> subprocess.CompletedProcess:
        env = {**self.migration_env, "PGDATABASE": database, "TARTWARE_APP_DIR": str(self.tree),
               "PATH": self.tools.path, "HOME": str(self.work), "TMPDIR": str(self.work), "MIGRATE_SKIP_STEPS": skip}
        return subprocess.run(["sh", str(MIGRATE)], env=env, capture_output=True, text=True, timeout=600)


def start_system(rendered: Rendered, tree: Path, tools: app_build.Toolchain, work: Path, logs: Path,
                 report: Report, stack: list[Any]) -> System:
    db_user = rendered.secrets[("database-credentials", "username")]
    pg = Postgres(work / "pg", rendered.secrets[("@database", "password")], db_user,
                  rendered.secrets[("database-credentials", "password")], DEFAULT_ENDPOINTS.database_name).start()
    stack.append(pg)
    redis = Redis(work / "redis", rendered.secrets[("redis-credentials", "password")]).start()
    stack.append(redis)
    kafka = KafkaStandIn(rendered.topics).start()
    stack.append(kafka)
    otlp = OtlpSink().start()
    stack.append(otlp)

    ep = DEFAULT_ENDPOINTS
    # the app's address (the Pooler) and the primary's (the migration) are both this one PostgreSQL:
    # no PgBouncer here (tests/pooler runs the app's queries through one)
    ports = {(ep.database_host, ep.database_port): pg.port, (ep.database_primary_host, ep.database_port): pg.port,
             (ep.redis_host, ep.redis_port): redis.port,
             (service_host(REDPANDA_RELEASE, MESSAGING_NAMESPACE), KAFKA_PORT): kafka.port,
             (service_host(JAEGER_RELEASE, OBSERVABILITY_NAMESPACE), OTLP_HTTP_PORT): otlp.port}
    for i in range(16):  # the brokers' stable names (facts/endpoints.py kafka_seed_brokers)
        ports[(f"{REDPANDA_RELEASE}-{i}.{service_host(REDPANDA_RELEASE, MESSAGING_NAMESPACE)}", KAFKA_PORT)] = kafka.port
    for name, s in rendered.services.items():
        for p in s.ports.values():
            ports[(service_host(name, NAMESPACE), p)] = p
    loop = Loopback(ports)
    envs = {name: loop.map_env(s.env, name) for name, s in rendered.services.items()}
    migration_env = loop.map_env(rendered.migration_env, "migration Job")
    report.say("in-cluster addresses mapped to loopback:")
    for cluster, local in sorted(loop.used.items()):
        report.say(f"  {cluster} -> {local}")
    report.say(f"Kafka stand-in on 127.0.0.1:{kafka.port}: topics {', '.join(sorted(rendered.topics))}")
    return System(rendered, Seed.read(tree), tree, tools, work, logs, pg, kafka, otlp, envs, migration_env)


# ---------------------------------------------------------------------------- checks


def check_probes(system: System, names: list[str], report: Report) -> list[str]:
    """Startup probe first (periodSeconds x failureThreshold, as the kubelet allows), then the
    readiness and liveness probes, each on the chart's path and port. Returns the services that
    passed their startup probe."""
    services = system.services
    startup = {n: next(p for p in services[n].probes if p.kind == "startup") for n in names}
    began = time.monotonic()
    pending = set(names)
    ready_at: dict[str, float] = {}
    while pending:
        for name in sorted(pending):
            probe = startup[name]
            code, _ = http("GET", f"http://127.0.0.1:{probe.port}{probe.path}", timeout=2)
            log = system.log_of[name]
            if 200 <= code < 400:
                ready_at[name] = time.monotonic() - began
                pending.discard(name)
            elif system.procs[name].poll() is not None:
                report.fail(f"{name}: exited with {system.procs[name].returncode} before its startup probe "
                            f"{probe.path} passed:\n{tail(log)}")
                pending.discard(name)
            elif time.monotonic() - began > probe.period_seconds * probe.failure_threshold:
                report.fail(f"{name}: startup probe GET {probe.path} on :{probe.port} still failing after "
                            f"{probe.period_seconds * probe.failure_threshold} s (last status {code or 'no answer'}):\n"
                            f"{tail(log)}")
                pending.discard(name)
        if pending:
            time.sleep(1)
    for name in sorted(ready_at):
        results = []
        for probe in services[name].probes:
            if probe.kind == "startup":
                results.append(f"startup {probe.path} 200 after {ready_at[name]:.0f} s")
                continue
            deadline = time.monotonic() + probe.period_seconds * probe.failure_threshold
            while True:
                code, body = http("GET", f"http://127.0.0.1:{probe.port}{probe.path}", timeout=3)
                if 200 <= code < 400 or time.monotonic() > deadline:
                    break
                time.sleep(1)
            results.append(f"{probe.kind} {probe.path} {code}")
            if not 200 <= code < 400:
                report.fail(f"{name}: {probe.kind} probe GET {probe.path} on :{probe.port} answered "
                            f"{code or 'nothing'}: {body[:300]}")
        report.say(f"  {name:30} " + "; ".join(results))
    return sorted(ready_at)


def login(system: System, base: str, username: str, password: str, report: Report, provided_by: str) -> str:
    """POST /v1/auth/login (core-service's route; the gateway proxies it). The token, or '' after a
    failure naming the migration steps that provide the account."""
    code, body = http("POST", f"{base}/v1/auth/login", {"username": username, "password": password})
    if code != 200:
        report.fail(f"login as {username} at {base} answered {code or 'nothing'}: {body[:200]} (the account "
                    f"and its password come from the migration, steps {provided_by})")
        return ""
    return json.loads(body).get("access_token", "")


def check_login(system: System, report: Report) -> None:
    password = system.services[CORE].env.get("AUTH_DEFAULT_PASSWORD", "")
    system.token = login(system, system.url(GATEWAY), system.seed.owner, password, report, "seed and bootstrap-admin")
    if system.token:
        report.say(f"login through the gateway as {system.seed.owner} (AUTH_DEFAULT_PASSWORD): 200")


def patient_get(system: System, path: str) -> Outcome:
    """A logged-in GET through the gateway, retried as a probe would on a slow machine (e2e/patience.py)."""
    return call_patiently(lambda timeout: http("GET", system.url(GATEWAY, path), token=system.token, timeout=timeout))


def say_outcome(report: Report, line: str, outcome: Outcome) -> None:
    report.say(line)
    if outcome.retried:
        report.say(f"    {outcome.story()}")


def check_tenant_routes(system: System, report: Report) -> None:
    if not system.token:
        return
    routes = [(name, *TENANT_ROUTES[name]) for name in sorted(system.services) if name in TENANT_ROUTES]
    for name, path, source in routes + [r for r in MORE_TENANT_ROUTES if r[0] in system.services]:
        path = path.format(tenant=system.seed.tenant)
        system.routed.append((name, path))
        outcome = patient_get(system, path)
        code, body = outcome.code, outcome.body
        say_outcome(report, f"  {name:30} GET {path.split('?')[0]:45} {code} via the gateway ({source})", outcome)
        if not 200 <= code < 300:
            report.fail(f"{name}: logged-in GET {path} through the gateway answered {code or 'nothing'}: {body[:300]}"
                        + (f" ({outcome.story()})" if outcome.retried else ""))


def check_guard(system: System, report: Report) -> None:
    """The availability guard's own HTTP API (not behind the gateway; reservations-command-service
    and Prometheus are the only callers its NetworkPolicy admits): a tenant-scoped bulk release of a
    lock that does not exist answers 200 and releases nothing. The program sets no admin token
    (docs/app.md "The availability guard's admin token"), so the call carries none; the audit and
    manual-release routes are not called: without a token they answer 403 and then kill the
    process (docs/app.md "Known defects")."""
    body = {"tenantId": system.seed.tenant, "lockIds": [str(uuid.uuid4())], "reason": "tartware-infra e2e"}
    # releasing a lock that does not exist changes nothing: safe to repeat (e2e/patience.py)
    outcome = call_patiently(lambda timeout: http("POST", system.url(GUARD, "/v1/locks/bulk-release"), body,
                                                  timeout=timeout))
    code, answer = outcome.code, outcome.body
    say_outcome(report, f"  {GUARD:30} POST {'/v1/locks/bulk-release':44} {code} direct (no gateway route): "
                f"{answer[:60]}", outcome)
    if code != 200:
        report.fail(f"{GUARD}: POST /v1/locks/bulk-release for tenant {system.seed.tenant} answered {code or 'nothing'}: "
                    f"{answer[:300]}" + (f" ({outcome.story()})" if outcome.retried else ""))


def check_reservation_reaches_guard(system: System, report: Report) -> None:
    """reservation.create through the gateway (202) -> commands.primary on the stand-in ->
    reservations-command-service -> LockRoom over gRPC -> a row in the guard's lock table."""
    if not system.token:
        return
    reservation = system.reservation = str(uuid.uuid4())
    body = {"reservation_id": reservation, "property_id": system.seed.property, "guest_id": str(uuid.uuid4()),
            "room_type_id": system.seed.room_type, "check_in_date": "2030-01-10", "check_out_date": "2030-01-12",
            "total_amount": 300, "rate_code": system.seed.rate_code}
    path = f"/v1/tenants/{system.seed.tenant}/reservations"
    # one Idempotency-Key for every try: a retried write is the same command, which the gateway
    # accepts again under its key (Apps/api-gateway/src/utils/command-publisher.ts at the pin)
    key = str(uuid.uuid4())
    outcome = call_patiently(lambda timeout: http("POST", system.url(GATEWAY, path), body, token=system.token,
                                                  timeout=timeout, headers={"Idempotency-Key": key}))
    code, answer = outcome.code, outcome.body
    say_outcome(report, f"  reservation.create            POST {path.split(system.seed.tenant)[0]}{{tenant}}/reservations "
                f"{code} via the gateway", outcome)
    if code != 202:
        report.fail(f"reservations-command-service: POST {path} through the gateway answered {code or 'nothing'}: "
                    f"{answer[:300]}" + (f" ({outcome.story()})" if outcome.retried else ""))
        return
    command_id = json.loads(answer).get("command_id", "")
    lock = ""
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and not lock:
        time.sleep(1)
        lock = system.pg.sql(f"SELECT status || ' ' || COALESCE(release_reason, '') FROM {GUARD_LOCKS_TABLE} "
                             f"WHERE reservation_id = '{reservation}' ORDER BY created_at LIMIT 1",
                             DEFAULT_ENDPOINTS.database_name).strip()
    arrived = any(command_id and command_id.encode() in (r.value or b"") for r in system.kafka.records
                  if r.topic == "commands.primary")
    report.say(f"    command {command_id} on commands.primary at the stand-in: {'yes' if arrived else 'NO'}; "
               f"the guard's lock for reservation {reservation} over gRPC: {lock or 'NONE'}")
    if not arrived:
        report.fail(f"reservation.create {command_id}: the gateway answered 202 but the Kafka stand-in has no record "
                    "of it on commands.primary")
    if not lock:
        report.fail(f"{GUARD}: no lock for reservation {reservation} in {GUARD_LOCKS_TABLE} within 30 s: the "
                    "reservation command did not reach the guard over gRPC (AVAILABILITY_GUARD_ADDRESS):\n"
                    f"{tail(system.log_of['reservations-command-service'])}")
    elif lock.startswith("RELEASED TRANSACTION_FAILURE"):
        report.say("    (released again: the reservation's own transaction fails at the pin, docs/app.md "
                   "\"Known defects\"; the guard's gRPC path worked)")


def check_reservation_lifecycle(system: System, report: Report) -> None:
    """reservations-command-service over HTTP through the gateway: its own tenant route, the
    lifecycle of the reservation the harness wrote (LIFECYCLE_ROUTE). 2xx and a JSON array whose
    entries all belong to that reservation. At the pin the write itself fails after the guard's
    lock (docs/app.md "Known defects"), so its lifecycle rows roll back with it and the array is
    empty; the route, the service's query and its tenant check run all the same."""
    if not system.token or not system.reservation:
        return
    name = "reservations-command-service"
    template, source = LIFECYCLE_ROUTE
    path = template.format(reservation=system.reservation, tenant=system.seed.tenant)
    system.routed.append((name, path))
    outcome = patient_get(system, path)
    code, body = outcome.code, outcome.body
    entries: object = None
    if 200 <= code < 300:
        try:
            entries = json.loads(body)
        except json.JSONDecodeError:
            entries = None
    shown = f"{len(entries)} entries" if isinstance(entries, list) else body[:60]
    say_outcome(report, f"  {name:30} GET {'/v1/reservations/{id}/lifecycle':45} {code} via the gateway ({source}): "
                f"{shown}", outcome)
    if not 200 <= code < 300:
        report.fail(f"{name}: logged-in GET {path} through the gateway answered {code or 'nothing'}: {body[:300]}"
                    + (f" ({outcome.story()})" if outcome.retried else ""))
    elif not isinstance(entries, list) or any(
            not isinstance(e, dict) or e.get("reservation_id") != system.reservation for e in entries):
        report.fail(f"{name}: GET {path} through the gateway answered {code} but not the service's lifecycle list "
                    f"(a JSON array of reservation {system.reservation}'s entries): {body[:300]}")


def check_self_service(system: System, report: Report) -> None:
    """The public room search, which guests-service answers by logging in to core as its service
    account (SERVICE_AUTH_USERNAME) and asking rooms-service (Apps/guests-service/src/lib/internal-api.ts)."""
    s = system.seed
    path = (f"/v1/self-service/search?tenant_id={s.tenant}&property_id={s.property}"
            "&check_in_date=2030-01-10&check_out_date=2030-01-12&adults=1")
    system.routed.append(("guests-service", path))
    code, body = http("GET", system.url(GATEWAY, path))
    report.say(f"  {'guests-service':30} GET {path.split('?')[0]:45} {code} via the gateway, no login "
               "(guests logs in as its service account)")
    if code != 200:
        user = system.services["guests-service"].env.get("SERVICE_AUTH_USERNAME", "?")
        report.fail(f"guests-service: public GET {path.split('?')[0]} answered {code or 'nothing'}: {body[:200]} (guests "
                    f"logs in to core as {user}, created by the migration step service-account):\n"
                    f"{tail(system.log_of['guests-service'], 5)}")


def check_load_mix(system: System, report: Report) -> None:
    """The request mix through real Locust, then its planted passes (e2e/loadmix.py)."""
    if system.mix_plants is None:
        return
    password = system.services[CORE].env.get("AUTH_DEFAULT_PASSWORD", "")
    loadmix.run(system.services[GATEWAY].port, system.seed.owner, password, system.seed.tenant, system.kafka, report,
                system.mix_plants, system.logs)


def check_kafka_switch(system: System, report: Report) -> None:
    """DISABLE_KAFKA: which services read it, that none has it and none needs it (e2e/kafka_switch.py)."""
    names = sorted(system.services)
    readers = kafka_switch.readers(system.tree, names)
    off = kafka_switch.switched_off(system.envs)
    report.say(f"{kafka_switch.VARIABLE}: read by {len(readers)} services ({', '.join(sorted(readers))}; "
               "Apps/fastify-server/src/bootstrap.ts:61); set for "
               f"{', '.join(off) if off else 'none'}; needed by none: every consumer runs against the Kafka stand-in")
    for name in off:
        report.fail(f"{name}: its rendered env sets {kafka_switch.VARIABLE}=true, which skips its Kafka consumers "
                    "(Apps/fastify-server/src/bootstrap.ts:99-107)")
    groups = kafka_switch.consumers(system.kafka.joins)
    report.say(f"  consumer groups joined at the stand-in: {sum(len(g) for g in groups.values())} by "
               f"{len(groups)} clients: " + "; ".join(f"{c} ({', '.join(g)})" for c, g in groups.items()))
    if not groups:
        report.fail(f"Kafka: no consumer group joined at the stand-in, though {len(readers)} services start consumers")


def check_migration_reruns(system: System, report: Report) -> None:
    """The migration again while the services run, as the pre-upgrade hook runs it: at the same
    commit ("current": only the every-run steps), then as an upgrade from another commit (only the
    steps marked safe to repeat); each must pass, re-apply nothing else, and leave a login and a
    tenant route through the gateway working (e2e/migration_modes.py)."""
    database = DEFAULT_ENDPOINTS.database_name
    script = MIGRATE.read_text()
    for mode in ("current", "upgrade"):
        if mode == "upgrade":
            system.pg.sql(migration_modes.as_another_commit(APP_COMMIT), database)
        t0 = time.monotonic()
        result = system.migrate(database)
        (system.logs / f"migrate-{mode}.log").write_text(result.stdout + result.stderr)
        problems = migration_modes.problems(mode, result.returncode, result.stdout, result.stderr, script)
        ran = migration_modes.steps_run(result.stdout)
        report.say(f"migration again ({mode}) in {time.monotonic() - t0:.0f} s: exit {result.returncode}, "
                   f"steps {' '.join(ran) or 'none'}: {(result.stdout.strip().splitlines() or [''])[-1]}")
        for problem in problems:
            report.fail(f"migration ({mode}): {problem} (log {system.logs / f'migrate-{mode}.log'})")
        if mode == "upgrade":  # one login only: core-service throttles logins per username
            password = system.services[CORE].env.get("AUTH_DEFAULT_PASSWORD", "")
            token = login(system, system.url(GATEWAY), system.seed.owner, password, report, "seed and bootstrap-admin")
            if not token:
                continue
            system.token = token
            report.say(f"  after it: login through the gateway as {system.seed.owner}: 200")
        if not system.token:
            continue
        path = TENANT_ROUTES[CORE][0].format(tenant=system.seed.tenant)
        outcome = patient_get(system, path)
        say_outcome(report, f"  after it: GET {path.split('?')[0]} {outcome.code} via the gateway", outcome)
        if not 200 <= outcome.code < 300:
            report.fail(f"after the {mode} migration: GET {path} through the gateway answered "
                        f"{outcome.code or 'nothing'}: {outcome.body[:300]}")


def check_upstreams(system: System, report: Report) -> None:
    """Each GET through the gateway reached the service the harness names for it: the gateway's
    own CLIENT spans at the OTLP sink give the port of every call it proxied (e2e/upstreams.py).
    Spans leave in batches (the OpenTelemetry SDK's BatchSpanProcessor, OTEL_BSP_SCHEDULE_DELAY
    5000 ms by default: https://opentelemetry.io/docs/specs/otel/configuration/sdk-environment-variables/),
    so a missing one is waited for up to 20 s."""
    if not system.routed:
        return
    expected = [(name, path, system.services[name].port) for name, path in system.routed]
    owner = {port: n for n, s in system.services.items() for port in s.ports.values()}
    deadline = time.monotonic() + 20
    while True:
        problems = upstreams.misrouted(expected, upstreams.client_calls(system.otlp.bodies, GATEWAY), owner)
        if not problems or time.monotonic() > deadline:
            break
        time.sleep(1)
    report.say(f"gateway spans: {len(expected) - len(problems)} of {len(expected)} GETs went to the service named "
               "for them (the port of the gateway's call, url.full)")
    for problem in problems:
        report.fail(problem)


def check_topics_and_telemetry(system: System, report: Report) -> None:
    for api, topic, client in sorted(set(system.kafka.refused)):
        report.fail(f"Kafka: {client} asked for topic {topic} ({api}), which the program does not create")
    counts = {t: sum(1 for r in system.kafka.records if r.topic == t) for t in sorted(system.rendered.topics)}
    report.say(f"Kafka stand-in: {len(system.kafka.records)} records received {json.dumps(counts)}")
    report.say(f"OTLP sink: posts by path {json.dumps(system.otlp.posts, sort_keys=True)}")
    if not system.otlp.posts.get("/v1/traces"):
        report.fail("OTLP: no spans arrived on /v1/traces (OTEL_EXPORTER_OTLP_TRACES_ENDPOINT)")


def check_alive(system: System, report: Report) -> None:
    for name, proc in system.procs.items():
        if proc.poll() is not None:
            report.fail(f"{name} exited with {proc.returncode} during the run:\n{tail(system.log_of[name])}")


# The requests of a clean run, in order (a harness extension appends its own).
CHECKS: list[Callable[[System, Report], None]] = [
    check_login, check_tenant_routes, check_guard, check_reservation_reaches_guard, check_reservation_lifecycle,
    check_self_service, check_load_mix, check_kafka_switch, check_migration_reruns, check_upstreams,
    check_topics_and_telemetry, check_alive,
]


# ---------------------------------------------------------------------------- runs


def clean_run(system: System, report: Report) -> None:
    t0 = time.monotonic()
    result = system.migrate(DEFAULT_ENDPOINTS.database_name)
    (system.logs / "migrate.log").write_text(result.stdout + result.stderr)
    if result.returncode != 0:
        report.fail(f"migration: {(result.stderr.strip().splitlines() or ['?'])[-1]} (log {system.logs / 'migrate.log'})")
        return
    report.say(f"migration in {time.monotonic() - t0:.0f} s: " + (result.stdout.strip().splitlines() or [""])[-1])
    modules = subprocess.run(["sh", str(ENABLE_MODULES), system.seed.tenant, *EXTRA_MODULES], capture_output=True,
                             text=True, timeout=60, env={**system.migration_env, "PATH": system.tools.path})
    if modules.returncode != 0:
        report.fail(f"enabling {', '.join(EXTRA_MODULES)}: {(modules.stdout + modules.stderr).strip()[-300:]}")
    else:
        report.say(f"first-tenant step (ops/tenant/enable-modules.sh): {modules.stdout.strip()}")

    names = sorted(system.services)
    system.start(names)
    envs = sorted({system.envs[n].get("NODE_ENV", "?") for n in names})
    report.say(f"started {len(names)} services (node dist/index.js, NODE_ENV={envs})")
    check_probes(system, names, report)
    for check in CHECKS:
        check(system, report)


def plant_run(system: System, kind: str, rest: list[str], report: Report) -> None:
    """One planted defect, on its own, starting only what it touches (module docstring)."""
    names = plant_services(kind, rest, system.services)
    if kind == "missing-env":
        service, var = rest

        def without(name: str, env: dict[str, str]) -> dict[str, str]:
            return {k: v for k, v in env.items() if k != var}

        system.start(names, without, log_suffix=f".plant-{var}")
        check_probes(system, names, report)
        system.stop()
    elif kind == "missing-topic":
        topic = rest[0]
        port = system.kafka.port
        clean = system.kafka
        clean.stop()
        planted = KafkaStandIn({t: p for t, p in system.rendered.topics.items() if t != topic}, port=port).start()
        system.kafka = planted
        try:
            system.start(names, log_suffix=f".plant-{topic}")
            check_probes(system, names, report)
            deadline = time.monotonic() + 15
            while time.monotonic() < deadline and not any(t == topic for _, t, _ in planted.refused):
                time.sleep(1)
            for api, t, client in sorted(set(planted.refused)):
                report.fail(f"Kafka: {client} asked for topic {t} ({api}), which the program does not create")
            system.stop()
        finally:
            planted.stop()
            system.kafka = KafkaStandIn(system.rendered.topics, port=port).start()
    elif kind == "skip-migration-step":
        # A fresh database, under the same name: the app's SQL connects to its database by name
        # (scripts/01-database-setup.sql `\c tartware`). Plants of this kind run last.
        step = rest[0]
        database = DEFAULT_ENDPOINTS.database_name
        system.pg.sql(f'DROP DATABASE "{database}" WITH (FORCE)')
        system.pg.sql(f'CREATE DATABASE "{database}" OWNER "{system.envs[CORE]["DB_USER"]}"')
        result = system.migrate(database, skip=step)
        (system.logs / f"migrate-plant-{step}.log").write_text(result.stdout + result.stderr)
        if result.returncode != 0:
            report.fail(f"migration: {(result.stderr.strip().splitlines() or ['?'])[-1]}")
            return
        report.say(f"  migration into a fresh {database} without step {step}: {result.stdout.strip().splitlines()[-1]}")
        system.start(names, log_suffix=f".plant-{step}")
        if check_probes(system, names, report):
            core = system.url(CORE)
            admin = system.services[CORE].env.get("AUTH_DEFAULT_PASSWORD", "")
            if login(system, core, system.seed.owner, admin, report, "seed and bootstrap-admin"):
                report.say(f"  login at core-service as {system.seed.owner}: 200")
            guests = system.services["guests-service"].env
            if login(system, core, guests.get("SERVICE_AUTH_USERNAME", ""), guests.get("SERVICE_AUTH_PASSWORD", ""),
                     report, "service-account"):
                report.say(f"  login at core-service as {guests.get('SERVICE_AUTH_USERNAME')}: 200")
        system.stop()


def caught(plant: list[str], report: Report) -> bool:
    """A plant counts only when one of its own failures names what was planted."""
    return any(plant[-1] in failure for failure in report.failures)


def run(args: argparse.Namespace) -> int:
    started = time.monotonic()
    # the migration's plants replace the database: after the others; the mix's run inside the clean
    # run, against the app it started (check_load_mix)
    every = [p.split(":") for p in args.plant]
    mix_plants = [p for p in every if p[0] in loadmix.PLANTS]
    if args.mix_plants:
        mix_plants += [[kind, what] for kind, what in loadmix.STANDARD_PLANTS]
    plants = sorted((p for p in every if p[0] not in loadmix.PLANTS), key=lambda p: p[0] == "skip-migration-step")
    try:
        src = app_build.app_source()
    except app_build.AppSourceError as err:
        print(f"e2e: SKIPPED: {err}")
        return 0 if args.skip_ok else 3

    report = Report()
    logs = Path(args.logs or tempfile.mkdtemp(prefix="tartware-e2e-"))
    logs.mkdir(parents=True, exist_ok=True)
    report.say(f"e2e: app {APP_COMMIT} from {src}; logs in {logs}")
    rendered = render()
    check_plants(every, rendered)
    report.say(f"rendered prod: {len(rendered.services)} Deployments, migration Job, {len(rendered.topics)} topics")
    for message in rendered.missing:
        report.fail(message + "; a generated value stands in so the run goes on")

    cache = app_build.cache_dir()
    cache.mkdir(parents=True, exist_ok=True)
    t0 = time.monotonic()
    tools = app_build.toolchain(cache, logs / "build.log")
    tree, spent = app_build.build(src, sorted(rendered.services), cache, tools, logs / "build.log")
    timings = {"build": time.monotonic() - t0}
    report.say(f"app built in {tree} ({'cached' if spent == 0 else f'{spent:.0f} s'}; toolchain and build "
               f"{timings['build']:.0f} s)")

    busy = [f"{n}:{p}" for n, s in rendered.services.items() for p in s.ports.values() if port_in_use(p)]
    if busy:
        report.fail("ports the services must listen on are in use here: " + ", ".join(busy))
        return 1

    work = Path(tempfile.mkdtemp(prefix="tartware-e2e-data-"))
    work.chmod(0o711)  # PostgreSQL runs as its own user when we are root: it must reach work/pg
    stack: list[Any] = []
    system: Optional[System] = None
    results: list[tuple[str, bool]] = []
    try:
        t0 = time.monotonic()
        system = start_system(rendered, tree, tools, work, logs, report, stack)
        system.mix_plants = None if args.no_load_mix else mix_plants
        clean_run(system, report)
        system.stop()
        timings["clean run"] = time.monotonic() - t0
        clean_ok = not report.failures
        print(f"e2e: clean run {'PASSED' if clean_ok else 'FAILED'}: {len(report.failures)} failures in "
              f"{timings['clean run']:.0f} s", flush=True)
        if plants and not clean_ok:
            print("e2e: planted defects not run: the clean run must pass first", flush=True)
        elif plants:
            for plant in plants:
                t0 = time.monotonic()
                name = ":".join(plant)
                print(f"-- planted {name}: starting {', '.join(plant_services(plant[0], plant[1:], rendered.services))}",
                      flush=True)
                own = Report()
                try:
                    plant_run(system, plant[0], plant[1:], own)
                except SpecError as err:
                    own.fail(str(err))
                finally:
                    system.stop()
                results.append((name, caught(plant, own)))
                timings[f"plant {name}"] = time.monotonic() - t0
                print(f"planted {name}: {'caught' if results[-1][1] else 'NOT CAUGHT'} in {timings[f'plant {name}']:.0f} s",
                      flush=True)
    except SpecError as err:
        report.fail(str(err))
        clean_ok = False
    finally:
        if system is not None:
            system.stop()
            if system.kafka not in stack:  # a plant replaced the stand-in
                system.kafka.stop()
        for part in reversed(stack):
            part.stop()
        shutil.rmtree(work, ignore_errors=True)
    return summary(report, results, plants, timings, time.monotonic() - started)


def summary(report: Report, results: list[tuple[str, bool]], plants: list[list[str]], timings: dict[str, float],
            took: float) -> int:
    """The last lines of every run: the verdict, each plant, and where the time went."""
    ok = not report.failures
    print("e2e: timings: " + ", ".join(f"{k} {v:.0f} s" for k, v in timings.items()))
    for message in report.failures:
        print(f"e2e: failure: {message.splitlines()[0]}")
    missed = [":".join(p) for p in plants if (":".join(p), True) not in results]
    if plants:
        print(f"e2e: planted defects: {len(plants) - len(missed)} of {len(plants)} caught"
              + (f"; missed: {', '.join(missed)}" if missed else ""))
    print(f"e2e: {'PASSED' if ok and not missed else 'FAILED'}: clean run {'passed' if ok else 'failed'} "
          f"({len(report.failures)} failures) in {took:.0f} s")
    return 0 if ok and not missed else 1


def _terminated(signum: int, frame: object) -> None:
    raise SystemExit(128 + signum)  # so the run's finally stops every process it started


def main(argv: list[str] | None = None) -> int:
    signal.signal(signal.SIGTERM, _terminated)
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--plant", action="append", default=[],
                        help="missing-env:<service>:<VAR> | missing-topic:<topic> | skip-migration-step:<step> | "
                             "mix-drop-header:<header> | mix-id-field:<lookup> | mix-no-accounts:login")
    parser.add_argument("--no-load-mix", action="store_true", help="leave out the request mix through Locust")
    parser.add_argument("--mix-plants", action="store_true",
                        help="after the clean pass of the mix, its three planted passes (e2e/loadmix.py), each must fail")
    parser.add_argument("--logs", help="directory for the service, build and migration logs")
    parser.add_argument("--skip-ok", action="store_true",
                        help="exit 0 when TARTWARE_APP_SRC is missing or invalid (after saying why)")
    return run(parser.parse_args(argv))


if __name__ == "__main__":
    sys.exit(main())
