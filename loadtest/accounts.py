#!/usr/bin/env python3
"""Create the load-test accounts through the Tartware API, as an operator would by hand.

Accounts are named as loadtest/mix.json says (``accounts.username``: ``<prefix>-<n>``, n = 1 ..
count), each with the given password and the ADMIN role in the tenant (the mix's dashboard step
needs ADMIN, its commands MANAGER). The bootstrap admin that the migration creates (docs/app.md,
"Migration contract") logs in once and creates them with ``POST /v1/users {tenant_id, username,
email, password, first_name, last_name, role}`` (red2n/tartware@a2583469
Apps/core-service/src/routes/users.ts, schema/src/api/users.ts CreateTenantUserSchema: username
3-50 characters, password at least 8). An account that exists already (409) is left as it is, so
the script can run again. Only the standard library: it runs wherever python3 does.

    python3 loadtest/accounts.py --base-url http://127.0.0.1:8080 [--host api.tartware.local] \\
        --admin-user setup.admin --admin-password-file FILE --prefix k6-bot --count 250 \\
        --password-file FILE [--tenant UUID]
"""

from __future__ import annotations

import argparse
import json
import sys
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any, Optional

MIX = json.loads((Path(__file__).resolve().parent / "mix.json").read_text(encoding="utf-8"))


def account_name(prefix: str, n: int) -> str:
    return MIX["accounts"]["username"].replace("${prefix}", prefix).replace("${n}", str(n))


def call(base: str, host: str, method: str, path: str, body: Optional[dict] = None,
         token: str = "") -> tuple[int, Any]:
    headers = {"Content-Type": "application/json"}
    if host:
        headers["Host"] = host
    if token:
        headers["Authorization"] = f"Bearer {token}"
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(base.rstrip("/") + path, data=data, method=method, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=30) as res:
            return res.status, json.loads(res.read() or b"null")
    except urllib.error.HTTPError as err:
        text = err.read()
        try:
            return err.code, json.loads(text or b"null")
        except ValueError:
            return err.code, text.decode(errors="replace")


def create_accounts(base: str, host: str, admin_user: str, admin_password: str, prefix: str, count: int,
                    password: str, tenant: str = "") -> dict[str, int]:
    """Log in as the admin and create accounts 1..count; returns {"created": n, "existing": n}."""
    login = MIX["login"]
    status, body = call(base, host, login["method"], login["path"],
                        {"username": admin_user, "password": admin_password})
    if status not in login["expect"]:
        raise SystemExit(f"admin login as {admin_user}: HTTP {status} {body}")
    token = body[login["extract"]["token"]]
    if not tenant:
        memberships = body.get("memberships") or []
        if not memberships:
            raise SystemExit(f"{admin_user} has no tenant membership; pass --tenant")
        tenant = memberships[0]["tenant_id"]
    counts = {"created": 0, "existing": 0}
    for n in range(1, count + 1):
        username = account_name(prefix, n)
        status, body = call(base, host, "POST", "/v1/users", {
            "tenant_id": tenant, "username": username, "email": f"{username}@loadtest.invalid",
            "password": password, "first_name": "Load", "last_name": f"Test {n}", "role": "ADMIN"}, token)
        if status == 201:
            counts["created"] += 1
        elif status == 409:
            counts["existing"] += 1
        else:
            raise SystemExit(f"creating {username}: HTTP {status} {body}")
    return counts


def main(argv: Optional[list[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--base-url", required=True)
    parser.add_argument("--host", default="", help="Host header (the edge: api.<domain>)")
    parser.add_argument("--admin-user", required=True)
    parser.add_argument("--admin-password-file", required=True, type=Path)
    parser.add_argument("--prefix", required=True, help="loadTestUsername")
    parser.add_argument("--count", required=True, type=int, help="loadTestAccounts")
    parser.add_argument("--password-file", required=True, type=Path, help="a file holding loadTestPassword")
    parser.add_argument("--tenant", default="", help="tenant UUID (default: the admin's first membership)")
    args = parser.parse_args(argv)
    counts = create_accounts(args.base_url, args.host, args.admin_user, args.admin_password_file.read_text().strip(),
                             args.prefix, args.count, args.password_file.read_text().strip(), args.tenant)
    print(f"accounts {args.prefix}-1..{args.count}: {counts['created']} created, {counts['existing']} existed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
