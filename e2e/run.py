"""Tartware as deployed, run here: every service from its rendered prod Deployment, on loopback.

    TARTWARE_APP_SRC=/path/to/tartware python -m e2e.run [--plant KIND:...] [--logs DIR]

1. Renders the prod stack (tools.offline + tools.manifests, as ``python -m tools.render``) and
   takes each Deployment's container (env, ports, probes) and the migration hook Job's env.
   Secret references resolve to the program's Secrets with real values generated the way its
   pulumi-random resources would; in-cluster addresses map to loopback (printed).
2. Builds the app at the pinned commit from TARTWARE_APP_SRC (e2e/app.py).
3. Starts PostgreSQL and Redis (Debian's), the Kafka stand-in with the program's topics, and an
   OTLP sink; runs ops/migrate/migrate.sh with the hook Job's env (the migration contract).
4. Starts the 10 services (``node dist/index.js`` in ``Apps/<service>``) with their env and
   ``NODE_ENV`` as rendered, and checks each one's startup, readiness and liveness probe paths,
   with the chart's periods and thresholds.
5. Logs in through the gateway as the bootstrap admin, then sends a logged-in request through the
   gateway to a tenant route of each service (the availability guard has no gateway route: its
   own tenant route, with the same token) and expects 2xx.
6. Runs the load tests' request mix through real Locust against the gateway, and checks every
   accepted command at the Kafka stand-in by its key (e2e/loadmix.py).

Every failure is collected and named (service, variable, topic, step); exit 1 if any. Planted
defects (``--plant``) check that the harness notices: ``missing-env:<service>:<VAR>``,
``missing-topic:<topic>``, ``skip-migration-step:<step>``, and the mix's (e2e/loadmix.py). With plants the exit is 0 only if each
planted defect caused a failure that names it.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Optional

from stacks.app_source import APP_COMMIT
from stacks.catalog import GATEWAY, NAMESPACE
from stacks.endpoints import (DEFAULT_ENDPOINTS, JAEGER_RELEASE, KAFKA_PORT, MESSAGING_NAMESPACE, OBSERVABILITY_NAMESPACE,
                              OTLP_HTTP_PORT, REDPANDA_RELEASE, service_host)

from e2e import app as app_build
from e2e import loadmix
from e2e.kafka_standin import KafkaStandIn
from e2e.local import OtlpSink, Postgres, Redis, port_in_use
from e2e.spec import Loopback, ServiceSpec, SpecError, deployments, random_values, secret_data, service_spec, topics_of

ROOT = Path(__file__).resolve().parent.parent
MIGRATE = ROOT / "ops" / "migrate" / "migrate.sh"
SEED_TENANT = "11111111-1111-1111-1111-111111111111"  # scripts/data/defaults/default_seed.json tenants[0]
BOOTSTRAP_USER = "setup.admin"  # default_seed.json users[0]: the seeded tenant's OWNER

# One logged-in GET per service, through the gateway, and the gateway route file that proxies it to
# that service (red2n/tartware@a2583469 Apps/api-gateway/src/routes/<file>: the service URL it uses).
TENANT_ROUTES: dict[str, tuple[str, str]] = {
    "core-service": ("/v1/properties?tenant_id={tenant}", "core-proxy-routes.ts (coreServiceUrl)"),
    "reservations-command-service": ("/v1/reservations?tenant_id={tenant}", "reservation-routes.ts"),
    "guests-service": ("/v1/guests?tenant_id={tenant}", "guest-routes.ts (guestsServiceUrl)"),
    "rooms-service": ("/v1/rooms?tenant_id={tenant}", "room-routes.ts (roomsServiceUrl)"),
    "housekeeping-service": ("/v1/housekeeping/tasks?tenant_id={tenant}", "housekeeping-routes.ts"),
    "billing-service": ("/v1/billing/payments?tenant_id={tenant}", "billing-routes.ts (billingServiceUrl)"),
    "notification-service": ("/v1/tenants/{tenant}/notifications/templates", "misc-routes.ts (notificationServiceUrl)"),
    "revenue-service": ("/v1/revenue/pricing-rules?tenant_id={tenant}", "revenue-routes.ts (revenueServiceUrl)"),
}
# Not behind the gateway (reservations reaches it over gRPC, AVAILABILITY_GUARD_ADDRESS): its own
# tenant route, whose HTTP API takes the guard's admin token (x-guard-admin-token), not the login's
# JWT (red2n/tartware@a2583469 Apps/availability-guard-service/src/routes/locks.ts
# ensureAdminAuthorized). Called with the token and reported; it cannot answer 2xx to a login.
# Not called: at the pin a GET of its tenant route /v1/locks/audit without that token answers 403
# and then kills the process (ERR_HTTP_HEADERS_SENT), so the harness checks the guard by its probes.
DIRECT_ROUTES: dict[str, str] = {}
# Modules the routes above need that the seed does not enable for its tenant (default_seed.json
# userTenantAssociations modules; the gateway's revenue-routes.ts requiredModules). The operator's
# first-tenant step: PUT /v1/tenants/{id}/modules as the tenant's admin (docs/app.md).
EXTRA_MODULES = ("revenue-management",)


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
         timeout: float = 10) -> tuple[int, str]:
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request(url, data=data, method=method)
    if data is not None:
        req.add_header("Content-Type", "application/json")
    if token:
        req.add_header("Authorization", f"Bearer {token}")
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
    migration_refs: dict[str, tuple[str, str]]
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
    # the data tier's own Secret (namespace database) holds the superuser password PostgreSQL is created with
    secrets_.update({("@database", k): v for (n, k), v in secret_data(run.resources, "database", real).items()
                     if n == "postgres-credentials"})
    missing: list[str] = []
    specs = {name: service_spec(d, secrets_, missing) for name, d in deployments(docs).items()}
    jobs = [d for d in docs if d.get("kind") == "Job"]
    if len(jobs) != 1:
        raise SpecError(f"expected one migration hook Job in the render, found {len(jobs)}")
    job = service_spec(jobs[0], secrets_, missing)
    return Rendered(specs, job.env, job.secret_env, topics_of(run.resources), secrets_, missing)


# ---------------------------------------------------------------------------- the run


def run(args: argparse.Namespace) -> int:
    report = Report()
    plants = [p.split(":") for p in args.plant]
    started = time.monotonic()
    try:
        src = app_build.app_source()
    except app_build.AppSourceError as err:
        print(f"e2e: SKIPPED: {err}")
        return 0 if args.skip_ok else 3

    logs = Path(args.logs or tempfile.mkdtemp(prefix="tartware-e2e-"))
    logs.mkdir(parents=True, exist_ok=True)
    report.say(f"e2e: app {APP_COMMIT} from {src}; logs in {logs}")
    rendered = render()
    services = rendered.services
    report.say(f"rendered prod: {len(services)} Deployments, migration Job, {len(rendered.topics)} topics")
    for message in rendered.missing:
        report.fail(message + "; a generated value stands in so the run goes on")

    for kind, *rest in plants:
        if kind == "missing-env":
            svc, var = rest
            if var not in services[svc].env:
                raise SystemExit(f"--plant {kind}:{svc}:{var}: {svc} has no {var} in its rendered env")
            del services[svc].env[var]
        elif kind == "missing-topic":
            if rest[0] not in rendered.topics:
                raise SystemExit(f"--plant missing-topic:{rest[0]}: not in the program's topic list")
            del rendered.topics[rest[0]]
        elif kind != "skip-migration-step" and kind not in loadmix.PLANTS:
            raise SystemExit(f"unknown --plant kind {kind}")
    skip_steps = " ".join(rest[0] for kind, *rest in plants if kind == "skip-migration-step")

    cache = app_build.cache_dir()
    cache.mkdir(parents=True, exist_ok=True)
    t0 = time.monotonic()
    tools = app_build.toolchain(cache, logs / "build.log")
    tree, spent = app_build.build(src, sorted(services), cache, tools, logs / "build.log")
    report.say(f"app built in {tree} ({'cached' if spent == 0 else f'{spent:.0f} s'}; toolchain and build "
               f"{time.monotonic() - t0:.0f} s)")

    busy = [f"{n}:{p}" for n, s in services.items() for p in s.ports.values() if port_in_use(p)]
    if busy:
        report.fail("ports the services must listen on are in use here: " + ", ".join(busy))
        return 1

    work = Path(tempfile.mkdtemp(prefix="tartware-e2e-data-"))
    work.chmod(0o711)  # PostgreSQL runs as its own user when we are root: it must reach work/pg
    stack: list[Any] = []
    procs: dict[str, subprocess.Popen] = {}
    try:
        db_user = rendered.secrets[("database-credentials", "username")]
        pg = Postgres(work / "pg", rendered.secrets[("@database", "postgres-password")], db_user,
                      rendered.secrets[("database-credentials", "password")], DEFAULT_ENDPOINTS.database_name).start()
        stack.append(pg)
        redis = Redis(work / "redis", rendered.secrets[("redis-credentials", "password")]).start()
        stack.append(redis)
        kafka = KafkaStandIn(rendered.topics).start()
        stack.append(kafka)
        otlp = OtlpSink().start()
        stack.append(otlp)

        ep = DEFAULT_ENDPOINTS
        ports = {(ep.database_host, ep.database_port): pg.port, (ep.redis_host, ep.redis_port): redis.port,
                 (service_host(REDPANDA_RELEASE, MESSAGING_NAMESPACE), KAFKA_PORT): kafka.port,
                 (service_host(JAEGER_RELEASE, OBSERVABILITY_NAMESPACE), OTLP_HTTP_PORT): otlp.port}
        for i in range(16):  # the brokers' stable names (stacks/endpoints.py kafka_seed_brokers)
            ports[(f"{REDPANDA_RELEASE}-{i}.{service_host(REDPANDA_RELEASE, MESSAGING_NAMESPACE)}", KAFKA_PORT)] = kafka.port
        for name, s in services.items():
            for p in s.ports.values():
                ports[(service_host(name, NAMESPACE), p)] = p
        loop = Loopback(ports)
        envs = {name: loop.map_env(s.env, name) for name, s in services.items()}
        migration_env = loop.map_env(rendered.migration_env, "migration Job")
        report.say("in-cluster addresses mapped to loopback:")
        for cluster, local in sorted(loop.used.items()):
            report.say(f"  {cluster} -> {local}")
        report.say(f"Kafka stand-in on 127.0.0.1:{kafka.port}: topics {', '.join(sorted(rendered.topics))}")

        # ---- the migration, through the contract
        t0 = time.monotonic()
        menv = {**migration_env, "TARTWARE_APP_DIR": str(tree), "PATH": tools.path,
                "HOME": str(work), "TMPDIR": str(work), "MIGRATE_SKIP_STEPS": skip_steps}
        result = subprocess.run(["sh", str(MIGRATE)], env=menv, capture_output=True, text=True, timeout=600)
        (logs / "migrate.log").write_text(result.stdout + result.stderr)
        if result.returncode != 0:
            report.fail(f"migration: {(result.stderr.strip().splitlines() or ['?'])[-1]} (log {logs / 'migrate.log'})")
            return finish(report, [p for p in plants if p[0] not in loadmix.PLANTS], started)
        report.say(f"migration OK in {time.monotonic() - t0:.0f} s: "
                   + (result.stdout.strip().splitlines() or [""])[-1])
        if skip_steps:
            report.say(f"  (planted: steps skipped: {skip_steps})")

        # ---- the services
        for name in sorted(services):
            env = {**envs[name], "PATH": tools.path, "HOME": str(work)}
            cwd = tree / "Apps" / name
            out = (logs / f"{name}.log").open("wb")
            procs[name] = subprocess.Popen([str(tools.node_bin / "node"), "dist/index.js"], cwd=cwd, env=env,
                                           stdout=out, stderr=subprocess.STDOUT)
        report.say(f"started {len(procs)} services (node dist/index.js, NODE_ENV="
                   f"{sorted({e.get('NODE_ENV', '?') for e in envs.values()})})")
        check_probes(services, procs, logs, report)

        # ---- login and a tenant route of each service
        check_routes(services, report)
        # ---- the request mix through Locust; its commands at the Kafka stand-in (e2e/loadmix.py)
        if not args.no_load_mix:
            loadmix.run(services[GATEWAY].port, BOOTSTRAP_USER, services["core-service"].env.get("AUTH_DEFAULT_PASSWORD", ""),
                        SEED_TENANT, kafka, report, plants, logs, standard_plants=args.mix_plants)
        for api, topic, client in sorted(set(kafka.refused)):
            report.fail(f"Kafka: {client} asked for topic {topic} ({api}), which the program does not create")
        report.say(f"Kafka stand-in: {len(kafka.records)} records received "
                   + json.dumps({t: sum(1 for r in kafka.records if r.topic == t) for t in sorted(rendered.topics)}))
        report.say(f"OTLP sink: posts by path {json.dumps(otlp.posts, sort_keys=True)}")
        for name, proc in procs.items():
            if proc.poll() is not None:
                report.fail(f"{name} exited with {proc.returncode} during the run:\n{tail(logs / f'{name}.log')}")
    except SpecError as err:
        report.fail(str(err))
    finally:
        for proc in procs.values():
            if proc.poll() is None:
                proc.terminate()
        for proc in procs.values():
            try:
                proc.wait(10)
            except subprocess.TimeoutExpired:
                proc.kill()
        for part in reversed(stack):
            part.stop()
        shutil.rmtree(work, ignore_errors=True)
    return finish(report, [p for p in plants if p[0] not in loadmix.PLANTS], started)


def check_probes(services: dict[str, ServiceSpec], procs: dict[str, subprocess.Popen], logs: Path,
                 report: Report) -> None:
    """Startup probe first (periodSeconds x failureThreshold, as the kubelet allows), then the
    readiness and liveness probes, each on the chart's path and port."""
    startup = {n: next(p for p in s.probes if p.kind == "startup") for n, s in services.items()}
    began = time.monotonic()
    pending = set(services)
    ready_at: dict[str, float] = {}
    while pending:
        for name in sorted(pending):
            probe = startup[name]
            code, _ = http("GET", f"http://127.0.0.1:{probe.port}{probe.path}", timeout=2)
            if 200 <= code < 400:
                ready_at[name] = time.monotonic() - began
                pending.discard(name)
            elif procs[name].poll() is not None:
                report.fail(f"{name}: exited with {procs[name].returncode} before its startup probe "
                            f"{probe.path} passed:\n{tail(logs / f'{name}.log')}")
                pending.discard(name)
            elif time.monotonic() - began > probe.period_seconds * probe.failure_threshold:
                report.fail(f"{name}: startup probe GET {probe.path} on :{probe.port} still failing after "
                            f"{probe.period_seconds * probe.failure_threshold} s (last status {code or 'no answer'}):\n"
                            f"{tail(logs / f'{name}.log')}")
                pending.discard(name)
        time.sleep(1)
    for name in sorted(services):
        if name not in ready_at:
            continue
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


def check_routes(services: dict[str, ServiceSpec], report: Report) -> None:
    gateway = services[GATEWAY].port
    password = services["core-service"].env.get("AUTH_DEFAULT_PASSWORD", "")
    code, body = http("POST", f"http://127.0.0.1:{gateway}/v1/auth/login",
                      {"username": BOOTSTRAP_USER, "password": password})
    if code != 200:
        report.fail(f"login through the gateway as {BOOTSTRAP_USER} with AUTH_DEFAULT_PASSWORD answered "
                    f"{code or 'nothing'}: {body[:300]} (the account comes from the migration steps seed and "
                    "bootstrap-admin, the answer from core-service behind the gateway)")
        return
    token = json.loads(body).get("access_token")
    report.say(f"login through the gateway as {BOOTSTRAP_USER}: 200")
    modules_url = f"http://127.0.0.1:{gateway}/v1/tenants/{SEED_TENANT}/modules"
    code, body = http("GET", modules_url, token=token)
    answer = json.loads(body) if code == 200 else []
    current = answer if isinstance(answer, list) else answer.get("modules", [])
    code, body = http("PUT", modules_url, {"modules": sorted(set(current) | set(EXTRA_MODULES))}, token=token)
    report.say(f"enable modules {', '.join(EXTRA_MODULES)} for the seeded tenant (PUT {modules_url.split(':', 2)[2][5:]}): {code}")
    if not 200 <= code < 300:
        report.fail(f"enabling modules {EXTRA_MODULES} through the gateway answered {code}: {body[:300]}")
    for name in sorted(services):
        if name in TENANT_ROUTES:
            path, source = TENANT_ROUTES[name]
            url = f"http://127.0.0.1:{gateway}{path.format(tenant=SEED_TENANT)}"
            via = f"via the gateway ({source})"
        elif name in DIRECT_ROUTES:
            url = f"http://127.0.0.1:{services[name].port}{DIRECT_ROUTES[name].format(tenant=SEED_TENANT)}"
            via = "direct (no gateway route)"
        else:
            continue
        code, body = http("GET", url, token=token)
        line = f"  {name:30} GET {url.split(':', 2)[2].split('/', 1)[1]:55} {code} {via}"
        report.say(line)
        if name in DIRECT_ROUTES:
            report.say(f"    (not counted: its HTTP API takes x-guard-admin-token, not a login; answer {body[:80]})")
            continue
        if not 200 <= code < 300:
            report.fail(f"{name}: logged-in GET {url} answered {code or 'nothing'}: {body[:300]}")


def finish(report: Report, plants: list[list[str]], started: float) -> int:
    took = time.monotonic() - started
    if not plants:
        print(f"e2e: {'FAILED' if report.failures else 'PASSED'}: {len(report.failures)} failures in {took:.0f} s")
        return 1 if report.failures else 0
    text = "\n".join(report.failures)
    missed = [":".join(p) for p in plants if p[-1] not in text]
    for p in plants:
        print(f"planted {':'.join(p)}: {'caught' if ':'.join(p) not in missed else 'NOT CAUGHT'}")
    print(f"e2e: planted defects {'all caught' if not missed else 'missed: ' + ', '.join(missed)} in {took:.0f} s")
    return 1 if missed else 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--plant", action="append", default=[],
                        help="missing-env:<service>:<VAR> | missing-topic:<topic> | skip-migration-step:<step> | "
                             "mix-drop-header:<header> | mix-id-field:<lookup> | mix-no-accounts:login")
    parser.add_argument("--no-load-mix", action="store_true", help="skip the request mix through Locust")
    parser.add_argument("--mix-plants", action="store_true",
                        help="after the clean pass of the mix, its three planted passes (e2e/loadmix.py), each must fail")
    parser.add_argument("--logs", help="directory for the service, build and migration logs")
    parser.add_argument("--skip-ok", action="store_true",
                        help="exit 0 when TARTWARE_APP_SRC is missing or invalid (after saying why)")
    return run(parser.parse_args(argv))


if __name__ == "__main__":
    sys.exit(main())
