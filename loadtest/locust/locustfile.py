"""Locust, the guide's alternative load test ("Alternative: Locust": 5000 users, spawn rate 100/s,
UI on 8089): the Locust driver of the request mix ``loadtest/mix.json``, the same file the k6
scripts read (loadtest/k6/lib/config.js). Every simulated user logs in (``on_start``) as one of
the load-test accounts, finds the ids the writes need, sends the seed write, then runs the mix's
steps by weight. A Locust run lasts as long as the operator lets it, longer than the app's access
token (``expires_in`` of the login answer: AUTH_JWT_EXPIRES_IN_SECONDS, 3600 by default,
red2n/tartware@a2583469 Apps/config/src/index.ts:75), so a user logs in again RELOGIN_MARGIN_SECONDS
before its token ends (``relogin_after``); the users started spawn-rate per second re-login at the
same pace, which the accounts already allow (docs/operations.md "Accounts and the login throttle").
A status the mix does not expect is a failure; a missing id, token or tenant is
an error that stops the user (``StopUser`` after the failure is recorded), never a silent skip.

Environment:
    LOCUST_USERNAME        the accounts' prefix: account n is <prefix>-<n> (mix.json accounts)
    ACCOUNTS               how many accounts exist (loadTestAccounts)
    WORKERS                worker processes (users are spread over the accounts across workers)
    LOCUST_PASSWORD or LOCUST_PASSWORD_FILE   their password (the file: mounted from the Secret)
    TENANT_ID              tenant to act in (optional: the login's first membership)
    HOST_HEADER            Host header to send (the edge path: api.<domain> on the in-cluster
                           istio-ingressgateway Service); empty: the host of --host
    LOADTEST_COMMANDS_FILE optional: append one JSON line per accepted write (step, idempotency
                           key, command_id), for the end-to-end run's check of what the Kafka
                           stand-in received
"""

from __future__ import annotations

import datetime as dt
import itertools
import json
import os
import re
import time
import uuid
from pathlib import Path
from typing import Any

from locust import HttpUser, between
from locust.exception import StopUser

MIX_FILE = Path(__file__).resolve().parent.parent / "mix.json"
MIX: dict[str, Any] = json.loads(MIX_FILE.read_text(encoding="utf-8"))
PLACEHOLDER = re.compile(r"\$\{([a-z_]+)\}")
WHOLE = re.compile(r"^\$\{([a-z_]+)\}$")
_users = itertools.count()
# Log in again this long before the token ends: a request started just before it must still carry a
# valid token (the same margin k6's runs keep: settings/ops.py LOAD_TEST_TOKEN_MARGIN_SECONDS).
RELOGIN_MARGIN_SECONDS = 60


class MixError(Exception):
    """The app's answer lacks what the mix needs (a field, an id), or a value is missing."""


def fill(value: Any, values: dict[str, Any]) -> Any:
    """Fill ${name} placeholders; a string that is one placeholder takes the value itself."""
    def get(name: str) -> Any:
        if values.get(name) in (None, ""):
            raise MixError(f"no value for ${{{name}}} (mix.json)")
        return values[name]

    if isinstance(value, str):
        whole = WHOLE.match(value)
        if whole:
            return get(whole.group(1))
        return PLACEHOLDER.sub(lambda m: str(get(m.group(1))), value)
    if isinstance(value, list):
        return [fill(v, values) for v in value]
    if isinstance(value, dict):
        return {k: fill(v, values) for k, v in value.items()}
    return value


def extract(body: Any, path: str, what: str) -> Any:
    """A dotted path into a JSON body ("memberships.0.tenant_id"); missing -> MixError."""
    value = body
    for part in path.split(".") if path else []:
        try:
            value = value[int(part)] if isinstance(value, list) else value[part]
        except (KeyError, IndexError, TypeError, ValueError):
            raise MixError(f"{what}: the response has no {path} (mix.json)") from None
    return value


def request_values(session: dict[str, Any]) -> dict[str, Any]:
    """The session's values plus fresh ones for one request."""
    key = str(uuid.uuid4())
    today = dt.date.today()
    return {**session, "unique": key.replace("-", "")[:12], "idempotency_key": key,
            "check_in": str(today + dt.timedelta(days=30)), "check_out": str(today + dt.timedelta(days=32))}


def relogin_after(expires_in: Any) -> float:
    """Seconds after a login at which the user logs in again: RELOGIN_MARGIN_SECONDS before the token
    ends, and never later than half its life for a short-lived token."""
    try:
        life = float(expires_in)
    except (TypeError, ValueError):
        raise MixError(f"login: expires_in {expires_in!r} is not a number of seconds (mix.json)") from None
    if life <= 0:
        raise MixError(f"login: expires_in {expires_in!r} is not a number of seconds (mix.json)")
    return max(life - RELOGIN_MARGIN_SECONDS, life / 2)


def account_name(prefix: str, n: int) -> str:
    return MIX["accounts"]["username"].replace("${prefix}", prefix).replace("${n}", str(n))


def _password() -> str:
    if os.environ.get("LOCUST_PASSWORD"):
        return os.environ["LOCUST_PASSWORD"]
    path = os.environ.get("LOCUST_PASSWORD_FILE", "")
    if not path:
        return ""
    with open(path, encoding="utf-8") as f:
        return f.read().strip()


def _problem(res) -> str:
    """The app's reason (its problem+json `code` and `detail`), so a failure says why."""
    try:
        body = res.json()
    except ValueError:
        return ""
    if not isinstance(body, dict):
        return ""
    parts = [str(body[k]) for k in ("code", "detail", "message") if body.get(k)]
    return (": " + " - ".join(parts))[:240] if parts else ""


def _step_task(step: dict[str, Any]):
    def run(self: "TartwareUser") -> None:
        self.fresh_token()
        self.call(step)
    run.__name__ = step["name"].replace(".", "_").replace("-", "_")
    return run


class TartwareUser(HttpUser):
    # 5000 users at ~4 requests/s each = the guide's 20,000 req/s
    wait_time = between(0.15, 0.35)
    # task functions get the user (docs.locust.io "Tasks": tasks = {callable: weight})
    tasks = {_step_task(step): step["weight"] for step in MIX["steps"]}

    def on_start(self) -> None:
        runner = self.environment.runner
        index = getattr(runner, "worker_index", 0) if runner is not None else 0
        accounts = int(os.environ.get("ACCOUNTS", "1"))
        workers = int(os.environ.get("WORKERS", "1"))
        n = (index + next(_users) * workers) % accounts + 1
        self.username = account_name(os.environ.get("LOCUST_USERNAME", ""), n)
        self.host_header = os.environ.get("HOST_HEADER", "")
        self.commands_file = os.environ.get("LOADTEST_COMMANDS_FILE", "")
        try:
            self._session()
        except MixError as exc:
            self._stop("setup", exc)

    def _stop(self, name: str, exc: MixError) -> None:
        """A setup step failed: recorded as a failure named ``name`` (Locust's statistics), the user stops."""
        self.environment.events.request.fire(request_type="SETUP", name=name, response_time=0,
                                             response_length=0, exception=exc, context={})
        raise StopUser() from exc

    def _login(self) -> None:
        """Log in: the token, the tenant, and when to log in again (relogin_after)."""
        login = MIX["login"]
        res = self._send(login, {}, {}, fill(login["body"], {"username": self.username, "password": _password()}),
                         login["name"])
        if res is None:
            raise MixError(f"login as {self.username}: HTTP status not in {login['expect']}")
        body = res.json()
        values = {"token": extract(body, login["extract"]["token"], "login"),
                  "tenant": os.environ.get("TENANT_ID") or extract(body, login["extract"]["tenant"], "login")}
        self.relogin_at = time.monotonic() + relogin_after(extract(body, login["extract"]["expires_in"], "login"))
        self.values: dict[str, Any] = {**getattr(self, "values", {}), **values}

    def fresh_token(self) -> None:
        """Before a step: log in again once the token is near its end; a failed login stops the user."""
        if time.monotonic() < self.relogin_at:
            return
        try:
            self._login()
        except MixError as exc:
            self._stop("relogin", exc)

    def _session(self) -> None:
        self._login()
        before = [x for x in MIX["lookups"] if not x.get("after_seed")]
        for lookup in before:
            self._lookup(lookup)
        self.seed = self._write(self.step(MIX["seed"]))
        if self.seed is None:
            raise MixError(f"the seed write {MIX['seed']} was not accepted")
        for lookup in MIX["lookups"]:
            if lookup not in before:
                self._lookup(lookup)

    def _lookup(self, lookup: dict[str, Any]) -> None:
        """The first id of a list; polled once a second up to wait_seconds while the list is empty."""
        what = f"{lookup['name']} ({lookup['path']})"
        deadline = time.monotonic() + lookup.get("wait_seconds", 0)
        while True:
            r = self._send(lookup, self.values, fill(MIX["auth"], self.values), None, f"setup:{lookup['name']}")
            if r is None:
                raise MixError(f"{what}: HTTP status not in {lookup['expect']}")
            items = extract(r.json(), lookup["list"], what)
            if items:
                self.values[lookup["name"]] = str(extract(items[0], lookup["id"], what))
                return
            if time.monotonic() >= deadline:
                raise MixError(f"{what}: the tenant has none; seed one first")
            time.sleep(1)

    @staticmethod
    def step(name: str) -> dict[str, Any]:
        for step in MIX["steps"]:
            if step["name"] == name:
                return step
        raise MixError(f"mix.json: no step {name}")

    def _headers(self, extra: dict[str, str]) -> dict[str, str]:
        headers = {"Content-Type": "application/json", **extra}
        if self.host_header:
            headers["Host"] = self.host_header
        return headers

    def _send(self, request: dict[str, Any], values: dict[str, Any], headers: dict[str, str], body: Any,
              name: str, check=None):
        """One request; a status outside ``expect`` (or a failed ``check``) is a failure. Returns the
        response when it was expected and passed the check, else None."""
        url = fill(request["path"], values)
        params = fill(request.get("query", {}), values)
        kwargs: dict[str, Any] = {"params": params, "headers": self._headers(headers), "name": name,
                                  "catch_response": True}
        if body is not None:
            kwargs["data"] = json.dumps(body)
        with self.client.request(request["method"], url, **kwargs) as res:
            if res.status_code not in request["expect"]:
                res.failure(f"{name}: HTTP {res.status_code}, expected {request['expect']}{_problem(res)}")
                return None
            problem = check(res) if check else None
            if problem:
                res.failure(f"{name}: {problem}")
                return None
            res.success()
            return res

    def _returned(self, step: dict[str, Any], expected: Any = None):
        field = step["returns"]

        def check(res) -> str:
            try:
                value = res.json().get(field)
            except ValueError:
                return f"the answer is not JSON, no {field}"
            if not isinstance(value, str) or not value:
                return f"the answer has no {field}"
            if expected is not None and value != expected:
                return f"{field} {value} is not the seed's {expected}"
            return ""
        return check

    def _write(self, step: dict[str, Any]):
        values = request_values(self.values)
        headers = fill(step.get("headers", {}), values)
        body = fill(step["body"], values)
        res = self._send(step, values, {**fill(MIX["auth"], values), **headers}, body, step["name"],
                         self._returned(step))
        if res is None:
            return None
        sent = {"headers": headers, "body": body, step["returns"]: res.json()[step["returns"]]}
        self._record(step, headers, sent[step["returns"]])
        return sent

    def _record(self, step: dict[str, Any], headers: dict[str, str], command_id: str) -> None:
        if self.commands_file:
            with open(self.commands_file, "a", encoding="utf-8") as f:
                f.write(json.dumps({"step": step["name"], "command": step.get("command") or step.get("replay"),
                                    "idempotency_key": headers.get("Idempotency-Key", ""),
                                    "command_id": command_id}) + "\n")

    def call(self, step: dict[str, Any]) -> None:
        if step.get("replay"):
            seed = self.seed
            request = {**self.step(step["replay"]), "expect": step["expect"]}  # the seed's method and path
            res = self._send(request, self.values, {**fill(MIX["auth"], self.values), **seed["headers"]}, seed["body"],
                             step["name"], self._returned(step, seed[step["returns"]]))
            if res is not None:
                self._record(step, seed["headers"], seed[step["returns"]])
        elif "body" in step:
            self._write(step)
        else:
            self._send(step, self.values, fill(MIX["auth"], self.values), None, step["name"])
