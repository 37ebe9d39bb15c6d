"""The request mix through real Locust against the app the harness runs (docs/operations.md "The
request mix", docs/app.md "The load mix").

After the harness's own checks, with every service up:

1. the load-test accounts are created through the gateway as the bootstrap admin
   (``loadtest/accounts.py``, the operator's documented step);
2. Locust (PyPI, pinned in ``requirements-locust.txt``, its own virtualenv) runs
   ``loadtest/locust/locustfile.py`` with ``loadtest/mix.json`` headless, for a bounded time, with a
   few users, against the gateway on loopback (``--host http://127.0.0.1:<gateway port>``): login,
   lookups, the seed write and every step by weight;
3. the checks: every status the mix does not expect is a failure (Locust's failures and
   exceptions), every step of the mix, the login and each lookup must have been called, and every
   command the app accepted (``command_id`` and the request's ``Idempotency-Key``, written by the
   locustfile to ``LOADTEST_COMMANDS_FILE``) must have reached the Kafka stand-in as a record whose
   key is that ``command_id``, with the headers the gateway sets (``x-command-request-id`` = the
   key, ``x-command-name``; red2n/tartware@a2583469 Apps/api-gateway/src/utils/command-publisher.ts
   publishRecord, Apps/command-center-shared/src/services/command-dispatch.ts headers).

Planted defects, each a short pass of its own against the same running app after the clean one,
applied to a copy of ``loadtest/``: ``mix-drop-header:Idempotency-Key`` (writes without the
header), ``mix-id-field:<lookup>`` (the lookup reads ``id`` instead of the app's field name),
``mix-no-accounts:login`` (the users log in as accounts that were never created). ``--mix-plants``
runs these three; ``--plant`` one of them. A planted pass whose failures do not name its object
(the header, the lookup, the login) fails the run.
"""

from __future__ import annotations

import csv
import json
import os
import shutil
import subprocess
import tempfile
import time
from pathlib import Path
from typing import Any

from loadtest import accounts as load_accounts

ROOT = Path(__file__).resolve().parent.parent
LOADTEST = ROOT / "loadtest"
LOCUST = Path(os.environ.get("TARTWARE_E2E_LOCUST", ROOT / ".venv-locust" / "bin" / "locust"))
PLANTS = ("mix-drop-header", "mix-id-field", "mix-no-accounts")

PREFIX = "e2e-load"  # the accounts' prefix (loadTestUsername)
ACCOUNTS = 3
USERS = 6  # Locust users: 2 logins per account, far inside the login throttle (20 per 60 s)
SPAWN_RATE = 3
RUN_SECONDS = 20
COMMANDS_TOPIC_HEADERS = ("x-command-request-id", "x-command-name")


def plant_copy(plants: list[list[str]], work: Path) -> Path:
    """loadtest/ copied to ``work``, with the mix's planted defects applied."""
    copy = work / "loadtest"
    shutil.copytree(LOADTEST, copy, ignore=shutil.ignore_patterns("k6", "__pycache__"))
    mix = json.loads((copy / "mix.json").read_text())
    for kind, *rest in plants:
        if kind == "mix-drop-header":
            for step in mix["steps"]:
                step.get("headers", {}).pop(rest[0], None)
        elif kind == "mix-id-field":
            lookup = next((x for x in mix["lookups"] if x["name"] == rest[0]), None)
            if lookup is None:
                raise SystemExit(f"--plant mix-id-field:{rest[0]}: the mix has no such lookup")
            lookup["id"] = "id" if lookup["id"] != "id" else "identifier"
    (copy / "mix.json").write_text(json.dumps(mix, indent=1))
    return copy


def read_csv(path: Path) -> list[dict[str, str]]:
    if not path.exists():
        return []
    with path.open(newline="") as f:
        return list(csv.DictReader(f))


def expected_names(mix: dict[str, Any]) -> list[str]:
    """Every request name the run must show: the login, each lookup, each step."""
    return [mix["login"]["name"], *(f"setup:{x['name']}" for x in mix["lookups"]), *(s["name"] for s in mix["steps"])]


def check_commands(commands: list[dict[str, str]], records: list[Any], report: Any) -> int:
    """Every accepted command reached the stand-in keyed by its command_id, with its request id."""
    by_key: dict[str, list[Any]] = {}
    for rec in records:
        if rec.key is not None:
            by_key.setdefault(rec.key.decode(errors="replace"), []).append(rec)
    for cmd in commands:
        found = by_key.get(cmd["command_id"], [])
        if not found:
            report.fail(f"load mix: command {cmd['command_id']} ({cmd['step']}, Idempotency-Key "
                        f"{cmd['idempotency_key']}) was accepted (202) but the Kafka stand-in received no record "
                        "with that key")
            continue
        headers = [{k: v.decode(errors="replace") for k, v in rec.headers} for rec in found]
        if not any(h.get("x-command-request-id") == cmd["idempotency_key"] and h.get("x-command-name") == cmd["command"]
                   for h in headers):
            report.fail(f"load mix: command {cmd['command_id']} ({cmd['step']}) reached the stand-in without its "
                        f"request id {cmd['idempotency_key']} / name {cmd['command']} in the headers: {headers[:2]}")
    return len(commands)


# The planted defects the standard run checks after the clean pass (--mix-plants), each with what
# its failures must name.
STANDARD_PLANTS = (("mix-drop-header", "Idempotency-Key"), ("mix-id-field", "room_type"), ("mix-no-accounts", "login"))


class Collected:
    """A report for a planted pass: its failures are what the plant must cause, not the run's."""

    def __init__(self, report: Any):
        self.failures: list[str] = []
        self._report = report

    def fail(self, message: str) -> None:
        self.failures.append(message)

    def say(self, message: str) -> None:
        self._report.say("    " + message)


def run(gateway_port: int, admin_user: str, admin_password: str, tenant: str, kafka: Any, report: Any,
        plants: list[list[str]], logs: Path) -> None:
    """The clean pass of the mix (failures go to ``report``), then each planted pass (``plants``, of
    the kinds in PLANTS): a plant whose pass does not fail naming its object is a failure of the run."""
    if not LOCUST.exists():
        report.fail(f"load mix: Locust is not installed at {LOCUST} (python3 -m venv .venv-locust && "
                    ".venv-locust/bin/pip install -r requirements-locust.txt)")
        return
    base = f"http://127.0.0.1:{gateway_port}"
    password = "e2e-" + os.urandom(12).hex()
    try:
        made = load_accounts.create_accounts(base, "", admin_user, admin_password, PREFIX, ACCOUNTS, password, tenant)
    except SystemExit as err:
        report.fail(f"load mix: creating the load-test accounts: {err}")
        return
    report.say(f"load-test accounts {PREFIX}-1..{ACCOUNTS} (loadtest/accounts.py as {admin_user}): "
               f"{made['created']} created, {made['existing']} existed")
    one_pass(base, password, tenant, kafka, report, [], logs / "locust", USERS, RUN_SECONDS)
    for plant in plants:
        name = ":".join(plant)
        report.say(f"load mix, planted {name}:")
        collected = Collected(report)
        one_pass(base, password, tenant, kafka, collected, [plant], logs / f"locust-{plant[0]}", 3, 8)
        caught = [f for f in collected.failures if plant[-1] in f]
        if caught:
            report.say(f"  planted {name}: caught ({len(collected.failures)} failures, e.g. {caught[0][:200]})")
        else:
            report.fail(f"load mix: planted {name} NOT CAUGHT: no failure of its pass names {plant[-1]} "
                        f"({collected.failures[:3]})")


def one_pass(base: str, password: str, tenant: str, kafka: Any, report: Any, plants: list[list[str]],
             csv_prefix: Path, users: int, seconds: int) -> None:
    """Locust with the mix (planted as asked) against ``base``; the checks go to ``report``."""
    no_accounts = any(p[0] == "mix-no-accounts" for p in plants)
    with tempfile.TemporaryDirectory(prefix="tartware-e2e-mix-") as tmp:
        work = Path(tmp)
        copy = plant_copy(plants, work)
        mix = json.loads((copy / "mix.json").read_text())
        commands_file = work / "commands.jsonl"
        env = {**os.environ, "LOCUST_USERNAME": "e2e-absent" if no_accounts else PREFIX, "ACCOUNTS": str(ACCOUNTS),
               "WORKERS": "1", "LOCUST_PASSWORD": password, "TENANT_ID": tenant,
               "LOADTEST_COMMANDS_FILE": str(commands_file)}
        t0 = time.monotonic()
        received_before = len(kafka.records)
        proc = subprocess.run(
            [str(LOCUST), "-f", str(copy / "locust" / "locustfile.py"), "--headless", "--users", str(users),
             "--spawn-rate", str(SPAWN_RATE), "--run-time", f"{seconds}s", "--stop-timeout", "5",
             "--host", base, "--csv", str(csv_prefix), "--only-summary", "--loglevel", "WARNING"],
            env=env, capture_output=True, text=True, timeout=seconds + 120)
        Path(f"{csv_prefix}.log").write_text(proc.stdout + proc.stderr)
        time.sleep(1)  # the gateway's last produce reaches the stand-in
        commands = ([json.loads(line) for line in commands_file.read_text().splitlines()]
                    if commands_file.exists() else [])
    stats = {row["Name"]: row for row in read_csv(Path(f"{csv_prefix}_stats.csv")) if row["Name"] != "Aggregated"}
    total = sum(int(r["Request Count"]) for r in stats.values())
    report.say(f"load mix: Locust {users} users for {seconds} s against {base}: {total} requests in "
               f"{time.monotonic() - t0:.0f} s (log {csv_prefix}.log)")
    for name in expected_names(mix):
        row = stats.get(name)
        count = int(row["Request Count"]) if row else 0
        fails = int(row["Failure Count"]) if row else 0
        report.say(f"  {name:28} {count:5} requests, {fails} failed")
        if count == 0:
            report.fail(f"load mix: {name} was never called")
    for row in read_csv(Path(f"{csv_prefix}_failures.csv")):
        report.fail(f"load mix: {row['Name']} failed {row['Occurrences']}x: {row['Error']}")
    for row in read_csv(Path(f"{csv_prefix}_exceptions.csv")):
        report.fail(f"load mix: exception {row.get('Count', '?')}x: {row.get('Message', '')[:300]}")
    checked = check_commands(commands, kafka.records[received_before:], report)
    accepted = {s["name"]: sum(1 for c in commands if c["step"] == s["name"]) for s in mix["steps"] if s.get("returns")}
    for name, n in accepted.items():
        if n == 0:
            report.fail(f"load mix: no {name} was accepted, so none could be checked at the Kafka stand-in")
    report.say(f"load mix: {checked} accepted commands checked at the Kafka stand-in "
               f"({', '.join(f'{k} {v}' for k, v in accepted.items())})")
