"""Locust, the guide's alternative load test ("Alternative: Locust": 5000 users, spawn rate 100/s,
host https://api.<domain>, UI on 8089): the same login and routes as the k6 scripts
(loadtest/k6/lib/config.js), each with the gateway route file that serves it at the pinned app
commit (stacks/app_source.py):

    POST /v1/auth/login                      Apps/api-gateway/src/routes/core-proxy-routes.ts (-> core-service auth.ts)
    GET  /health                             Apps/api-gateway/src/routes/health-routes.ts
    GET  /v1/rooms?tenant_id=                Apps/api-gateway/src/routes/room-routes.ts
    GET  /v1/guests?tenant_id=               Apps/api-gateway/src/routes/guest-routes.ts
    GET  /v1/reservations?tenant_id=         Apps/api-gateway/src/routes/reservation-routes.ts
    GET  /v1/dashboard/stats?tenant_id=      Apps/api-gateway/src/routes/core-proxy-routes.ts
    POST /v1/guests                          Apps/api-gateway/src/routes/guest-routes.ts (guest.register, 202)
    POST /v1/tenants/:tenantId/reservations  Apps/api-gateway/src/routes/reservation-routes.ts (reservation.create, 202)
    GET  /v1/properties, /v1/room-types      core-proxy-routes.ts, room-routes.ts (on start, ids for reservation.create)

Environment: LOCUST_USERNAME, LOCUST_PASSWORD or LOCUST_PASSWORD_FILE (the password file mounted from
the Secret k6-credentials), TENANT_ID,
PROPERTY_ID, ROOM_TYPE_ID, GUEST_ID (optional). Each simulated user logs in once (on_start).
"""

from __future__ import annotations

import datetime as dt
import os
import uuid

from locust import HttpUser, between

ROUTES = [  # (name, method, path, weight, expected status, source) -- the k6 mix
    ("rooms", "GET", "/v1/rooms", 25, 200, "Apps/api-gateway/src/routes/room-routes.ts"),
    ("guests", "GET", "/v1/guests", 20, 200, "Apps/api-gateway/src/routes/guest-routes.ts"),
    ("reservations", "GET", "/v1/reservations", 25, 200, "Apps/api-gateway/src/routes/reservation-routes.ts"),
    ("dashboard-stats", "GET", "/v1/dashboard/stats", 5, 200, "Apps/api-gateway/src/routes/core-proxy-routes.ts"),
    ("health", "GET", "/health", 5, 200, "Apps/api-gateway/src/routes/health-routes.ts"),
    ("guest.register", "POST", "/v1/guests", 10, 202, "Apps/api-gateway/src/routes/guest-routes.ts"),
    ("reservation.create", "POST", "/v1/tenants/:tenantId/reservations", 10, 202,
     "Apps/api-gateway/src/routes/reservation-routes.ts"),
]
LOGIN_PATH = "/v1/auth/login"
LOOKUPS = {"property": ("/v1/properties", "PROPERTY_ID"), "room_type": ("/v1/room-types", "ROOM_TYPE_ID"),
           "guest": ("/v1/guests", "GUEST_ID")}


def _password() -> str:
    if os.environ.get("LOCUST_PASSWORD"):
        return os.environ["LOCUST_PASSWORD"]
    path = os.environ.get("LOCUST_PASSWORD_FILE", "")
    if not path:
        return ""
    with open(path, encoding="utf-8") as f:
        return f.read().strip()


def _first_id(body) -> str:
    items = body if isinstance(body, list) else (body.get("data") or body.get("items") or body.get("results") or [])
    return str(items[0]["id"]) if items and isinstance(items[0], dict) and items[0].get("id") else ""


def _make_task(name: str, method: str, path: str, expect: int):
    def run(self: "TartwareUser") -> None:
        if name == "reservation.create" and not all(self.ids.values()):
            return  # no property, room type or guest in the tenant: left out, as in the k6 mix
        self._call(name, method, path, expect)
    run.__name__ = name.replace(".", "_").replace("-", "_")
    return run


class TartwareUser(HttpUser):
    # 5000 users at ~4 requests/s each = the guide's 20,000 req/s
    wait_time = between(0.15, 0.35)
    # task functions get the user (docs.locust.io "Tasks": tasks = {callable: weight})
    tasks = {_make_task(name, method, path, expect): weight for name, method, path, weight, expect, _src in ROUTES}

    def on_start(self) -> None:
        res = self.client.post(LOGIN_PATH, json={"username": os.environ.get("LOCUST_USERNAME", ""),
                                                 "password": _password()}, name="login")
        body = res.json() if res.status_code == 200 else {}
        self.token = body.get("access_token", "")
        memberships = body.get("memberships") or []
        self.tenant = os.environ.get("TENANT_ID") or (memberships[0].get("tenant_id", "") if memberships else "")
        self.headers = {"Authorization": f"Bearer {self.token}"}
        self.ids = {}
        for key, (path, env) in LOOKUPS.items():
            value = os.environ.get(env, "")
            if not value:
                r = self.client.get(path, params={"tenant_id": self.tenant}, headers=self.headers, name=f"setup:{key}")
                value = _first_id(r.json()) if r.status_code == 200 else ""
            self.ids[key] = value

    def _call(self, name: str, method: str, path: str, expect: int) -> None:
        url = path.replace(":tenantId", self.tenant)
        with self._request(name, method, url) as res:
            if res.status_code != expect:
                res.failure(f"{name}: HTTP {res.status_code}, expected {expect}")

    def _request(self, name: str, method: str, url: str):
        if method == "GET":
            params = {} if url == "/health" else {"tenant_id": self.tenant}
            return self.client.get(url, params=params, headers=self.headers, name=name, catch_response=True)
        return self.client.post(url, json=self._payload(name), headers=self.headers, name=name, catch_response=True)

    def _payload(self, name: str) -> dict:
        stamp = uuid.uuid4().hex[:12]
        if name == "guest.register":
            return {"tenant_id": self.tenant, "first_name": "Load", "last_name": f"Test {stamp}",
                    "email": f"locust-{stamp}@example.invalid"}
        today = dt.date.today()
        return {"property_id": self.ids.get("property"), "guest_id": self.ids.get("guest"),
                "room_type_id": self.ids.get("room_type"),
                "check_in_date": str(today + dt.timedelta(days=30)), "check_out_date": str(today + dt.timedelta(days=32)),
                "total_amount": 200, "currency": "USD", "source": "DIRECT", "notes": f"locust {stamp}"}
