"""ops/backup/backup.sh and restore.sh against a real, throwaway PostgreSQL server.

The server is Debian's (``apt-get install postgresql``, which .ci/run does when it is missing):
initdb into a private directory, started with pg_ctl on a free localhost port, password
(SCRAM) authentication for the application user. PostgreSQL refuses to run as root, so when the
tests run as root the server - and the scripts, as the CronJob runs them non-root - run as the
``postgres`` system user the Debian package creates.

Round trip: seed -> backup.sh -> drop and recreate the database -> restore.sh -> identical data.
Failure cases: a wrong password, an unreachable server, a read-only and a full BACKUP_DIR, a
truncated dump, a non-empty target database. Each exits non-zero with a clear message, removes
its partial file and prunes no good dump.
The sharp edges of the nightly dump: tests/test_backup_edges.py, on its own server.
"""

from __future__ import annotations

import glob
import hashlib
import os
import pwd
import re
import resource
import shutil
import signal
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


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """A PostgreSQL cluster in ``base`` (data/, sock/, backups/) on 127.0.0.1:``port``."""

    def __init__(self, base: Path, bindir: Path, user: str | None):
        self.base, self.bindir, self.user = base, bindir, user
        self.data, self.sock = base / "data", base / "sock"
        self.port = _free_port()
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

    def script(self, path: Path, backup_dir: Path, preexec_fn=None, timeout=60, **extra: str) -> subprocess.CompletedProcess:
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


def test_backup_then_restore_into_a_recreated_database_gives_identical_data(pg):
    directory = pg.backup_dir("roundtrip")
    result = pg.script(BACKUP, directory)
    assert result.returncode == 0, result.stderr
    (name,) = [n for n in dumps(directory) if n.endswith(".dump")]
    assert DUMP_NAME.match(name)
    assert dumps(directory) == [name, f"{name}.manifest"]  # no partial file left behind
    assert f"backup OK: {directory / name}" in result.stdout
    # a custom-format archive: pg_dump's magic "PGDMP" (pg_backup_archiver.c)
    assert (directory / name).read_bytes()[:5] == b"PGDMP"

    pg.recreate_database()
    assert pg.sql("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'", "tartware") == "0\n"
    result = pg.script(RESTORE, directory)
    assert result.returncode == 0, result.stderr
    assert "restore OK" in result.stdout
    assert pg.fingerprint() == pg.expected
    # the view, the constraints and the index came back too
    assert pg.sql("SELECT count(*) FROM pg_indexes WHERE indexname = 'reservations_arrives'", "tartware") == "1\n"
    with pytest.raises(subprocess.CalledProcessError):
        pg.sql("INSERT INTO reservations (id, guest_id, room, nights, arrives) VALUES (-1, 1, 'X', 0, now())",
               "tartware", "tartware")
    assert pg.script_env(directory)["PGPASSWORD_FILE"]  # the password only ever came from the file


def test_restore_picks_a_named_file_and_refuses_a_non_empty_database_unless_told(pg, good_dump):
    pg.sql("DELETE FROM reservations WHERE id % 2 = 0", "tartware", "tartware")
    changed = pg.fingerprint()
    result = pg.script(RESTORE, good_dump.parent, BACKUP_FILE=good_dump.name)
    assert result.returncode != 0
    assert "restore FAILED" in result.stderr and "is not empty" in result.stderr
    assert "RESTORE_OVERWRITE=true" in result.stderr
    assert pg.fingerprint() == changed  # untouched
    result = pg.script(RESTORE, good_dump.parent, BACKUP_FILE=good_dump.name, RESTORE_OVERWRITE="true")
    assert result.returncode == 0, result.stderr
    assert pg.fingerprint() == pg.expected


def test_restore_reads_the_dump_path_download_sh_recorded(pg, good_dump):
    pointer = pg.base / "restore-source"
    pointer.write_text(f"{good_dump}\n")
    pg.own(pointer)
    pg.recreate_database()
    result = pg.script(RESTORE, pg.base / "good", BACKUP_FILE="no-such.dump", BACKUP_FILE_FROM=str(pointer))
    assert result.returncode == 0, result.stderr
    assert pg.fingerprint() == pg.expected


def test_a_successful_backup_prunes_dumps_older_than_the_retention(pg, good_dump):
    directory = pg.backup_dir("prune")
    old = plant_old_dump(directory, good_dump, pg)
    recent = directory / "tartware-20990101T000000Z.dump"  # mtime now: within the retention
    shutil.copyfile(good_dump, recent)
    pg.own(recent)
    result = pg.script(BACKUP, directory)
    assert result.returncode == 0, result.stderr
    assert not old.exists() and recent.exists()
    assert f"pruned {old}" in result.stdout


def assert_failed_cleanly(directory: Path, result: subprocess.CompletedProcess, before: list[str], *fragments: str):
    assert result.returncode != 0
    assert "backup FAILED:" in result.stderr, result.stderr
    for fragment in fragments:
        assert fragment in result.stderr, result.stderr
    assert dumps(directory) == before  # nothing pruned, nothing new, no partial file
    assert "backup OK" not in result.stdout


def test_wrong_password_fails_and_prunes_nothing(pg, good_dump):
    directory = pg.backup_dir("wrong-password")
    plant_old_dump(directory, good_dump, pg)
    wrong = pg.base / "wrong-password.txt"
    wrong.write_text("not-the-password")
    pg.own(wrong)
    before = dumps(directory)
    result = pg.script(BACKUP, directory, PGPASSWORD_FILE=str(wrong))
    assert_failed_cleanly(directory, result, before, "password authentication failed", "nothing pruned")


def test_unreachable_server_fails_and_prunes_nothing(pg, good_dump):
    directory = pg.backup_dir("unreachable")
    plant_old_dump(directory, good_dump, pg)
    before = dumps(directory)
    result = pg.script(BACKUP, directory, PGPORT=str(_free_port()))  # nothing listens there
    assert_failed_cleanly(directory, result, before, "Connection refused", "cannot connect to 'tartware'")


def test_read_only_backup_dir_fails_before_dumping(pg, good_dump):
    directory = pg.backup_dir("read-only")
    plant_old_dump(directory, good_dump, pg)
    before = dumps(directory)
    directory.chmod(0o555)
    try:
        result = pg.script(BACKUP, directory)
    finally:
        directory.chmod(0o755)
    assert_failed_cleanly(directory, result, before, "is not writable")


def _mount_tiny_tmpfs(directory: Path, kib: int) -> bool:
    if os.geteuid() != 0 or not shutil.which("mount"):
        return False
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={kib}k,mode=0755", "tmpfs", str(directory)],
                          capture_output=True)
    return done.returncode == 0


def _file_size_limit(limit: int):
    """Fallback where no tmpfs can be mounted (not root, no CAP_SYS_ADMIN): a file-size rlimit.
    With SIGXFSZ ignored, a write past the limit fails with EFBIG instead of killing the writer,
    as a full disk fails with ENOSPC (setrlimit(2), RLIMIT_FSIZE)."""
    def apply():
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))
    return apply


def test_full_backup_dir_fails_and_leaves_no_partial_file(pg, good_dump):
    directory = pg.backup_dir("full")
    size = good_dump.stat().st_size
    mounted = _mount_tiny_tmpfs(directory, 16)  # far smaller than the ~{size} byte dump
    try:
        preexec = None
        if mounted:
            pg.own(directory)
            directory.chmod(0o755)
            expected = "No space left on device"
        else:
            preexec = _file_size_limit(8192)
            expected = "File too large"
        old = directory / OLD_DUMP  # a small stand-in: the real dump would not fit
        old.write_bytes(b"PGDMP")
        pg.own(old)
        os.utime(old, (time.time() - 30 * 86400,) * 2)
        result = pg.script(BACKUP, directory, preexec_fn=preexec)
        assert size > 16 * 1024
        # the expired file went first (pruning makes room before the dump); the dump still does not fit
        assert_failed_cleanly(directory, result, [], expected, "pg_dump of 'tartware'")
        assert "removed the incomplete dump" in result.stderr
    finally:
        if mounted:
            subprocess.run(["umount", str(directory)], check=False)


def test_truncated_dump_is_refused_before_the_database_is_touched(pg, good_dump):
    directory = pg.backup_dir("truncated")
    data = good_dump.read_bytes()
    broken = directory / "tartware-20260101T000000Z.dump"
    broken.write_bytes(data[: len(data) // 2])
    pg.own(broken)
    pg.recreate_database()
    pg.sql("CREATE TABLE canary (x int); INSERT INTO canary VALUES (42)", "tartware", "tartware")
    # its true sha256, so the archive check itself is what refuses it
    result = pg.script(RESTORE, directory, RESTORE_OVERWRITE="true", BACKUP_FILE=broken.name,
                       BACKUP_SHA256=hashlib.sha256(broken.read_bytes()).hexdigest())
    assert result.returncode != 0
    assert "restore FAILED" in result.stderr and "truncated or corrupt" in result.stderr, result.stderr
    assert pg.sql("SELECT x FROM canary", "tartware", "tartware") == "42\n"
    # a partial file is never restored, and a missing one is named
    for name, message in ((f".{OLD_DUMP}.partial", "incomplete dump"), ("tartware-nope.dump", "does not exist")):
        result = pg.script(RESTORE, directory, BACKUP_FILE=name)
        assert result.returncode != 0 and message in result.stderr, result.stderr
    # and the good dump still restores over it
    result = pg.script(RESTORE, good_dump.parent, BACKUP_FILE=good_dump.name, RESTORE_OVERWRITE="true")
    assert result.returncode == 0, result.stderr
    assert pg.fingerprint() == pg.expected


def test_restore_with_a_wrong_password_fails_clearly(pg, good_dump):
    wrong = pg.base / "wrong-restore.txt"
    wrong.write_text("nope")
    pg.own(wrong)
    result = pg.script(RESTORE, good_dump.parent, PGPASSWORD_FILE=str(wrong))
    assert result.returncode != 0
    assert "restore FAILED: cannot connect" in result.stderr and "password authentication failed" in result.stderr


def test_the_server_starts_fast(pg):
    assert pg.startup_seconds < 8
