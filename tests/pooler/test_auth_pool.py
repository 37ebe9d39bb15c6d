"""The Pooler's auth_query pool with a real PgBouncer and PostgreSQL: how many server connections the
look-ups of the users' passwords take.

CloudNativePG's Pooler knows no user but its own ``auth_user`` (cnpg_pooler_pgbouncer): every client
login runs the ``auth_query`` (cloudnative-pg/cloudnative-pg@v1.30.0 pkg/management/pgbouncer/config/
config.go). PgBouncer runs it on a server connection of a pool of its own, (auth database, auth_user)
(pgbouncer src/client.c start_auth_query), sized like every pool: ``default_pool_size``. One login
takes one connection of it; a burst of logins (the app's pods reconnecting after a pooler pod went)
fills it. So the connection budget reserves, per pooler pod, the pool's size and not one connection
(settings/data.py ``PoolerLimits.of``, rules/connections.py ``reserved``, docs/budget.md).

Debian's PgBouncer 1.18 runs the auth query in the client's database; 1.19 added ``auth_dbname``,
which CloudNativePG sets to ``postgres`` (api/v1/pooler_types.go PoolerAuthDBName): the pool rule is
the same (pgbouncer_1_18_0 and pgbouncer_1_25_1 src/client.c: ``get_pool(<auth database>, auth_user)``,
src/server.c pool_pool_size). The look-up function sleeps 0.3 s so that the burst outlasts a server
login (a stand-in for look-ups under load; CloudNativePG's ``user_search`` reads pg_shadow the same way).

A step of .ci/run with the other tests/pooler tests: ``TARTWARE_REAL_POOLER=1 pytest -n 0 tests/pooler``.
"""

from __future__ import annotations

import os
import socket
import subprocess
import time

import pytest

from tests.pooler.helpers import BINDIRS, PGBOUNCER, _port, server

pytestmark = pytest.mark.skipif(not BINDIRS or PGBOUNCER is None,
                                reason="needs Debian's postgresql and pgbouncer packages")
AUTH_USER = "cnpg_pooler_pgbouncer"  # api/v1/cluster_types.go PGBouncerPoolerUserName
POOL_SIZE = 4
BURST = 12


def test_a_burst_of_logins_fills_the_auth_pool_up_to_its_size():
    with server("tartware-authpool-") as pg:
        base, bouncer_port = pg.base, _port()
        bouncer = None
        try:
            for sql in ("CREATE ROLE tartware LOGIN PASSWORD 'app-password'", "CREATE DATABASE tartware OWNER tartware",
                        f"CREATE ROLE {AUTH_USER} LOGIN PASSWORD 'auth-password'"):
                pg.sql(sql)
            pg.sql("CREATE FUNCTION public.user_search(uname text) RETURNS TABLE (usename name, passwd text) "
                   "LANGUAGE sql SECURITY DEFINER AS $$ SELECT usename, passwd FROM pg_catalog.pg_shadow, "
                   "pg_catalog.pg_sleep(0.3) WHERE usename = uname $$; "
                   f"GRANT EXECUTE ON FUNCTION public.user_search(text) TO {AUTH_USER}", "tartware")
            (base / "users.txt").write_text(f'"{AUTH_USER}" "auth-password"\n')
            (base / "pgbouncer.ini").write_text("\n".join([
                "[databases]", f"tartware = host=127.0.0.1 port={pg.port} dbname=tartware",
                "[pgbouncer]", "listen_addr = 127.0.0.1", f"listen_port = {bouncer_port}", f"unix_socket_dir = {base}",
                "auth_type = scram-sha-256", f"auth_file = {base / 'users.txt'}", f"auth_user = {AUTH_USER}",
                "auth_query = SELECT usename, passwd FROM public.user_search($1)", "pool_mode = transaction",
                f"default_pool_size = {POOL_SIZE}", "reserve_pool_size = 0", "max_db_connections = 100",
                "max_client_conn = 100", f"logfile = {base / 'pgbouncer.log'}",
                f"pidfile = {base / 'pgbouncer.pid'}", ""]))
            pg.own()
            # in the foreground, a child of this test: stopped in ``finally`` whatever happened
            bouncer = subprocess.Popen([PGBOUNCER, str(base / "pgbouncer.ini")], user=pg.user,
                                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            for _ in range(100):  # listening (a TCP connect, no login: the logins below are counted)
                try:
                    socket.create_connection(("127.0.0.1", bouncer_port), timeout=1).close()
                    break
                except OSError:
                    time.sleep(0.05)

            def login() -> subprocess.Popen:
                return subprocess.Popen([str(pg.bindir / "psql"), "-h", "127.0.0.1", "-p", str(bouncer_port),
                                         "-U", "tartware", "-d", "tartware", "-XAtqc", "select 1"],
                                        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                        env={**os.environ, "PGPASSWORD": "app-password"})

            def auth_connections() -> int:
                return int(pg.sql(f"select count(*) from pg_stat_activity where usename = '{AUTH_USER}'"))

            def finish(clients: list[subprocess.Popen]) -> None:
                for c in clients:
                    out, err = c.communicate(timeout=60)
                    assert c.returncode == 0 and out.strip() == "1", err + (base / "pgbouncer.log").read_text()

            finish([login()])
            assert auth_connections() == 1  # one login: one look-up connection
            finish([login() for _ in range(BURST)])
            assert auth_connections() == POOL_SIZE  # a burst: the pool's size, never more
        finally:  # also when the set-up failed half-way: no PgBouncer outlives the test
            if bouncer is not None:
                bouncer.terminate()
                bouncer.wait(timeout=30)
