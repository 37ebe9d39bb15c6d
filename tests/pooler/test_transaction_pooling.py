"""Transaction pooling with a real PgBouncer in front of a real PostgreSQL (Debian's ``pgbouncer`` and
``postgresql`` packages): what the Pooler ``postgres-postgresql`` (``poolMode: transaction``) does to
the app's way of scoping a tenant, and why a session-level setting would be wrong there.

One server connection (``default_pool_size = 1``) is shared by every client, as a busy transaction
pool shares them: the app's ``SELECT set_config('app.current_tenant_id', $1, true)`` inside
``BEGIN ... COMMIT`` (red2n/tartware@a2583469 Apps/config/src/db.ts) ends with the transaction and
never reaches the next client; a session ``SET`` would (the app has none: docs/data-and-observability.md,
"Connection pooling"). The Pooler's own parameters (settings/data.py ``POOLER_SIZES``) are
accepted by PgBouncer.

A step of .ci/run of its own (it starts two servers): ``TARTWARE_REAL_POOLER=1 pytest -n 0 tests/pooler``.
"""

from __future__ import annotations

import os
import subprocess
import time

import pytest

from components.platform.postgres import pooler_parameters
from components.platform.data_tier import DataArgs, postgres_args
from program.load import build_settings
from tests.pooler.helpers import BINDIRS, PGBOUNCER, _port, server

pytestmark = pytest.mark.skipif(not BINDIRS or PGBOUNCER is None,
                                reason="needs Debian's postgresql and pgbouncer packages")
PASSWORD = "app-password"


@pytest.fixture(scope="module")
def pooled():
    """PostgreSQL with the app's user and database, PgBouncer in transaction mode in front; both run
    as the ``postgres`` system user when the tests run as root (neither runs as root)."""
    with server("tartware-pooler-") as pg:
        base, bouncer_port = pg.base, _port()
        for sql in (f"CREATE ROLE tartware LOGIN PASSWORD '{PASSWORD}'", "CREATE DATABASE tartware OWNER tartware"):
            pg.sql(sql)
        prod = build_settings({"environment": "prod"}).data
        params = pooler_parameters(postgres_args(DataArgs(prod, True, None, None), None, None, "tartware",
                                                         "tartware"))
        params.update(default_pool_size="1", reserve_pool_size="0")  # one server connection for every client
        (base / "users.txt").write_text(f'"tartware" "{PASSWORD}"\n')
        (base / "pgbouncer.ini").write_text("\n".join([
            "[databases]", f"tartware = host=127.0.0.1 port={pg.port} dbname=tartware",
            "[pgbouncer]", "listen_addr = 127.0.0.1", f"listen_port = {bouncer_port}", f"unix_socket_dir = {base}",
            "auth_type = scram-sha-256", f"auth_file = {base / 'users.txt'}", "pool_mode = transaction",
            f"logfile = {base / 'pgbouncer.log'}", f"pidfile = {base / 'pgbouncer.pid'}",
            *(f"{k} = {v}" for k, v in params.items()), ""]))
        pg.own()
        try:
            bouncer = pg.run([PGBOUNCER, "-d", base / "pgbouncer.ini"])
            assert bouncer.returncode == 0, bouncer.stderr + (base / "pgbouncer.log").read_text()

            def psql(sql: str) -> str:
                env = {**os.environ, "PGPASSWORD": PASSWORD}
                out = subprocess.run([pg.bindir / "psql", "-h", "127.0.0.1", "-p", str(bouncer_port), "-U",
                                      "tartware", "-d", "tartware", "-X", "-Atq", "-v", "ON_ERROR_STOP=1", "-c", sql],
                                     capture_output=True, text=True, env=env, timeout=30)
                assert out.returncode == 0, out.stderr
                return out.stdout.strip()
            for _ in range(50):
                try:
                    psql("select 1")
                    break
                except AssertionError:
                    time.sleep(0.1)
            yield psql, params
        finally:  # also when the set-up failed half-way: no PgBouncer outlives the tests
            if (base / "pgbouncer.pid").exists():
                pg.run(["kill", (base / "pgbouncer.pid").read_text().strip()])


def test_one_server_connection_serves_every_client(pooled):
    psql, _ = pooled
    first = psql("select pg_backend_pid()")
    assert psql("select pg_backend_pid()") == first  # a new client, the same server session


def test_the_apps_transaction_local_tenant_does_not_reach_the_next_client(pooled):
    psql, _ = pooled
    scoped = psql("BEGIN; SELECT set_config('app.current_tenant_id', 'tenant-a', true); "
                  "SELECT current_setting('app.current_tenant_id'); COMMIT;")
    assert scoped.splitlines()[-1] == "tenant-a"
    assert psql("select coalesce(current_setting('app.current_tenant_id', true), '')") == ""


def test_a_session_setting_would_leak_to_the_next_client(pooled):
    """Why session state is not allowed behind a transaction pooler (the app sets none)."""
    psql, _ = pooled
    psql("SET app.current_tenant_id = 'tenant-b'")
    assert psql("select current_setting('app.current_tenant_id', true)") == "tenant-b"
    psql("RESET app.current_tenant_id")


def test_the_poolers_parameters_are_pgbouncers(pooled):
    psql, params = pooled
    assert {"max_client_conn", "default_pool_size", "reserve_pool_size", "max_db_connections"} <= set(params)
