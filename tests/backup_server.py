"""A real, throwaway PostgreSQL server for the tests of ops/backup/backup.sh and restore.sh
(tests/postgres/test_backup_roundtrip.py and tests/postgres/test_backup_edges.py, each on its own server: the
``pg`` fixture is module-scoped).

The server is Debian's (``apt-get install postgresql``, which .ci/run does when it is missing):
initdb into a private directory, started with pg_ctl on a free localhost port, password
(SCRAM) authentication for the application user. PostgreSQL refuses to run as root, so when the
tests run as root the server - and the scripts, as the CronJob runs them non-root - run as the
``postgres`` system user the Debian package creates.
"""

from __future__ import annotations

import glob
import os
import pwd
import re
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
BACKUP = ROOT / "ops" / "backup" / "backup.sh"
RESTORE = ROOT / "ops" / "backup" / "restore.sh"
# Debian's layout: /usr/lib/postgresql/<major>/bin (postgresql-common).
BINDIRS = sorted(glob.glob("/usr/lib/postgresql/*/bin/postgres"), key=lambda p: int(p.split("/")[4]))
PASSWORD = r"s3cret:with\colon"  # ':' and '\' must be escaped in .pgpass (libpq docs, "The Password File")
DUMP_NAME = re.compile(r"^tartware-\d{8}T\d{6}Z\.dump$")
OLD_DUMP = "tartware-20000101T000000Z.dump"  # a good dump far older than the retention

pytestmark = pytest.mark.skipif(
    not BINDIRS, reason="no PostgreSQL server binaries in /usr/lib/postgresql/*/bin (apt-get install postgresql)")

SEED = """
CREATE TABLE guests (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, name text NOT NULL,
                     email text UNIQUE, profile jsonb, photo bytea);
CREATE TABLE reservations (id serial PRIMARY KEY, guest_id bigint NOT NULL REFERENCES guests(id),
                           room text NOT NULL, nights int CHECK (nights > 0), amount numeric(12, 2),
                           arrives timestamptz NOT NULL);
CREATE INDEX reservations_arrives ON reservations (arrives);
CREATE VIEW long_stays AS SELECT * FROM reservations WHERE nights >= 7;
INSERT INTO guests (name, email, profile, photo)
  SELECT 'Gäst ' || i || ' ''quoted'' ☃', 'guest' || i || '@example.com',
         jsonb_build_object('vip', i % 7 = 0, 'tags', jsonb_build_array('a', i)), decode(md5(i::text), 'hex')
  FROM generate_series(1, 2000) AS i;
INSERT INTO reservations (guest_id, room, nights, amount, arrives)
  SELECT 1 + (i % 2000), 'R' || (100 + i % 250), 1 + i % 14, (i * 37.5) / 3,
         timestamptz '2026-01-01 00:00:00+00' + i * interval '37 minutes'
  FROM generate_series(1, 5000) AS i;
"""
FINGERPRINT = """
SELECT 'guests', count(*), md5(string_agg(g::text, '|' ORDER BY id)) FROM guests g
UNION ALL SELECT 'reservations', count(*), md5(string_agg(r::text, '|' ORDER BY id)) FROM reservations r
UNION ALL SELECT 'long_stays', count(*), '' FROM long_stays
UNION ALL SELECT 'guests_id_seq', last_value, is_called::text FROM guests_id_seq
UNION ALL SELECT 'reservations_id_seq', last_value, is_called::text FROM reservations_id_seq
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """A PostgreSQL cluster in ``base`` (data/, sock/, backups/) on 127.0.0.1:``port``."""

    def __init__(self, base: Path, bindir: Path, user: str | None):
        self.base, self.bindir, self.user = base, bindir, user
        self.data, self.sock = base / "data", base / "sock"
        self.port = free_port()
        self.password_file = base / "password"
        self.scripts = base / "scripts"  # a copy of ops/backup the server's user can read

    def run(self, args, check=True, env=None, timeout=60, **kw) -> subprocess.CompletedProcess:
        return subprocess.run([str(a) for a in args], user=self.user, capture_output=True, text=True,
                              check=check, env=env, timeout=timeout, **kw)

    def start(self) -> None:
        self.sock.mkdir()
        self.own(self.sock)
        self.run([self.bindir / "initdb", "-D", self.data, "-U", "postgres", "-E", "UTF8", "--no-sync",
                  "--auth-local=trust", "--auth-host=scram-sha-256"])
        options = f"-p {self.port} -k {self.sock} -c listen_addresses=127.0.0.1 -c fsync=off"
        started = self.run([self.bindir / "pg_ctl", "-D", self.data, "-o", options, "-l", self.base / "server.log",
                            "-w", "start"], check=False)
        if started.returncode != 0:
            log = (self.base / "server.log").read_text() if (self.base / "server.log").exists() else ""
            pytest.fail(f"PostgreSQL did not start: {started.stderr}\n{log}")

    def stop(self) -> None:
        self.run([self.bindir / "pg_ctl", "-D", self.data, "-m", "immediate", "-w", "stop"], check=False)

    def sql(self, statement: str, database: str = "postgres", user: str = "postgres") -> str:
        """Run SQL over the Unix socket (trust for local connections: the test's admin path)."""
        out = self.run([self.bindir / "psql", "-h", self.sock, "-p", self.port, "-U", user, "-d", database,
                        "-X", "-q", "-At", "-v", "ON_ERROR_STOP=1", "-c", statement])
        return out.stdout

    def script_env(self, backup_dir: Path, **extra: str) -> dict[str, str]:
        env = {
            "PATH": f"{self.bindir}:/usr/bin:/bin",
            "HOME": str(self.base),
            "LANG": "C.UTF-8",
            "PGHOST": "127.0.0.1",
            "PGPORT": str(self.port),
            "PGUSER": "tartware",
            "PGDATABASE": "tartware",
            "PGPASSWORD_FILE": str(self.password_file),
            "PGCONNECT_TIMEOUT": "3",
            "BACKUP_DIR": str(backup_dir),
            "BACKUP_RETENTION_DAYS": "7",
        }
        env.update(extra)
        return env

    def script(self, path: Path, backup_dir: Path, preexec_fn=None, timeout=60,
               **extra: str) -> subprocess.CompletedProcess:
        """ops/backup/<script> run from the server's own copy of the folder: the checkout may sit in a
        directory the server's user cannot read (a ``mktemp -d`` clone is 0700 and root's)."""
        return self.run(["/bin/sh", self.scripts / path.name], check=False, env=self.script_env(backup_dir, **extra),
                        preexec_fn=preexec_fn, timeout=timeout)

    def own(self, *paths: Path) -> None:
        if self.user:
            pw = pwd.getpwnam(self.user)
            for p in paths:
                os.chown(p, pw.pw_uid, pw.pw_gid)

    def backup_dir(self, name: str) -> Path:
        d = self.base / name
        d.mkdir()
        self.own(d)
        return d

    def fingerprint(self, database: str = "tartware") -> str:
        return self.sql(FINGERPRINT, database, "tartware")

    def clone(self, database: str) -> str:
        """A copy of the seeded database for a test that changes its data."""
        self.sql(f"DROP DATABASE IF EXISTS {database} WITH (FORCE)")
        self.sql(f"CREATE DATABASE {database} TEMPLATE tartware OWNER tartware")
        return database

    def recreate_database(self) -> None:
        self.sql("DROP DATABASE IF EXISTS tartware WITH (FORCE)")
        self.sql("CREATE DATABASE tartware OWNER tartware")


@pytest.fixture(scope="module")
def pg():
    bindir = Path(BINDIRS[-1]).parent
    user = None
    if os.geteuid() == 0:  # initdb and postgres refuse to run as root
        user = "postgres"
        try:
            pwd.getpwnam(user)
        except KeyError:
            pytest.fail("running as root but there is no 'postgres' user to run the server as "
                        "(Debian's postgresql package creates it)")
    base = Path(tempfile.mkdtemp(prefix="tartware-pg-"))  # not under pytest's root-only tmp dirs
    server = Server(base, bindir, user)
    server.own(base)
    shutil.copytree(BACKUP.parent, server.scripts)  # backup.sh sources pgpass.sh from its own folder
    server.own(server.scripts, *server.scripts.iterdir())
    server.password_file.write_text(PASSWORD)
    server.password_file.chmod(0o600)
    server.own(server.password_file)
    started = time.monotonic()
    try:
        server.start()
        quoted = PASSWORD.replace("'", "''")
        # CREATEDB: restore.sh restores into a fresh database and renames it (ALTER DATABASE ...
        # RENAME needs the owner with CREATEDB, or a superuser; PostgreSQL docs, ALTER DATABASE).
        server.sql(f"CREATE ROLE tartware LOGIN CREATEDB PASSWORD '{quoted}'")
        server.sql("CREATE DATABASE tartware OWNER tartware")
        server.sql(SEED, "tartware", "tartware")
        server.expected = server.fingerprint()
        server.startup_seconds = time.monotonic() - started
        yield server
    finally:
        server.stop()
        shutil.rmtree(base, ignore_errors=True)


def dumps(directory: Path) -> list[str]:
    return sorted(p.name for p in directory.iterdir())


def plant_old_dump(directory: Path, source: Path, server: Server) -> Path:
    """A good dump 30 days old: pruned only by a successful run."""
    old = directory / OLD_DUMP
    shutil.copyfile(source, old)
    server.own(old)
    month_ago = time.time() - 30 * 86400
    os.utime(old, (month_ago, month_ago))
    return old


@pytest.fixture(scope="module")
def good_dump(pg):
    """One successful backup of the seeded database (copied aside for the other cases)."""
    directory = pg.backup_dir("good")
    result = pg.script(BACKUP, directory)
    assert result.returncode == 0, result.stderr
    (name,) = [n for n in dumps(directory) if n.endswith(".dump")]
    return directory / name


def mount_tiny_tmpfs(directory: Path, kib: int) -> bool:
    if os.geteuid() != 0 or not shutil.which("mount"):
        return False
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={kib}k,mode=0755", "tmpfs", str(directory)],
                          capture_output=True)
    return done.returncode == 0
