"""The sharp edges the nightly dump had, each reproduced as it bit and run through the real
PostgreSQL round trip (the server and helpers of tests/test_backup_roundtrip.py, a server of this
module's own): "latest" chosen by file name, a restore over a database a later migration changed or
with writers connected, a full claim, a one-byte change in the table of contents, a dump waiting
forever behind a lock, world-readable dumps, and a dump taken from a replica. The same steps fail
with the scripts before the fix (docs/operations.md, "The scripts").
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import time
from pathlib import Path

import pytest

from tests.test_backup_roundtrip import (  # noqa: F401 (pg, good_dump: fixtures)
    BACKUP,
    RESTORE,
    Server,
    _free_port,
    _mount_tiny_tmpfs,
    dumps,
    good_dump,
    pg,
    pytestmark,
)


def _manifest(dump: Path) -> dict[str, str]:
    return dict(line.split("=", 1) for line in Path(f"{dump}.manifest").read_text().splitlines())


def _plant(pg: Server, directory: Path, source: Path, name: str, mtime: float,
           manifest: dict[str, str] | None = None) -> Path:
    """A copy of ``source`` named ``name`` with ``mtime``; with ``manifest``, the manifest backup.sh
    would have written for it (sha256 and size of the copy)."""
    dump = directory / name
    shutil.copyfile(source, dump)
    files = [dump]
    if manifest is not None:
        body = {**manifest, "dump": name, "sha256": hashlib.sha256(dump.read_bytes()).hexdigest()}
        Path(f"{dump}.manifest").write_text("".join(f"{k}={v}\n" for k, v in body.items()))
        files.append(Path(f"{dump}.manifest"))
    for f in files:
        pg.own(f)
        os.utime(f, (mtime, mtime))
    return dump


def _count(pg: Server, database: str) -> int:
    return int(pg.sql("SELECT count(*) FROM reservations", database, "tartware"))


YEAR_2030 = 1893456000.0  # 2030-01-01T00:00:00Z


def test_latest_is_the_newest_manifest_by_server_time_and_a_future_dated_dump_cannot_win(pg):
    """A dump written while a node's clock ran ahead (name and mtime in 2030) was restored as
    "latest" instead of the real newest: the lower row count. Latest is now the manifest with the
    newest server time, and the next backup prunes the future-dated files."""
    db = pg.clone("latest_by_manifest")
    directory = pg.backup_dir("latest")
    first = pg.script(BACKUP, directory, PGDATABASE=db)
    assert first.returncode == 0, first.stderr
    (older,) = [directory / n for n in dumps(directory) if n.endswith(".dump")]
    pg.sql("INSERT INTO reservations (guest_id, room, nights, arrives) SELECT 1, 'late', 1, now() "
           "FROM generate_series(1, 5)", db, "tartware")
    time.sleep(1.1)  # the stamp has one-second resolution
    second = pg.script(BACKUP, directory, PGDATABASE=db)
    assert second.returncode == 0, second.stderr
    newest_rows = _count(pg, db)
    # written eight days ago while the node's clock ran ahead: name and mtime in 2030, the server's
    # time as it was (past the 7-day retention now)
    ahead = _plant(pg, directory, older, "tartware-20300101T000000Z.dump", YEAR_2030,
                   {**_manifest(older), "server_epoch": str(int(time.time() - 8 * 86400))})
    # no manifest at all (an old-style file)
    stray = _plant(pg, directory, older, "tartware-20310101T000000Z.dump", YEAR_2030 + 365 * 86400)
    # the server's clock ran ahead: its manifest says 2030
    server_ahead = _plant(pg, directory, older, "tartware-20290101T000000Z.dump", time.time(),
                          {**_manifest(older), "server_epoch": str(int(YEAR_2030))})

    pg.sql(f"DROP DATABASE {db} WITH (FORCE)")
    pg.sql(f"CREATE DATABASE {db} OWNER tartware")
    result = pg.script(RESTORE, directory, PGDATABASE=db)
    assert result.returncode == 0, result.stderr
    assert _count(pg, db) == newest_rows == 5005
    assert f"restore OK: {directory}/{second.stdout.split('backup OK: ')[1].split('/')[-1].split(' ')[0]}" in result.stdout

    third = pg.script(BACKUP, directory, PGDATABASE=db)
    assert third.returncode == 0, third.stderr
    for planted in (ahead, stray, server_ahead):
        assert not planted.exists() and not Path(f"{planted}.manifest").exists(), planted
        assert f"pruned {planted}" in third.stdout


def test_restore_goes_into_a_fresh_database_then_swaps_it_in(pg, good_dump):
    """A later migration added a table with a foreign key to a dumped table: the restore over the
    live database failed ("cannot drop constraint ... other objects depend on it"); without the
    foreign key the later table kept its rows and the script printed "restore OK". Now the dump
    goes into a fresh database that replaces the old one whole; the old one is kept aside."""
    db = pg.clone("swap_target")
    pg.sql("CREATE TABLE folios (id int PRIMARY KEY, reservation_id int REFERENCES reservations(id)); "
           "INSERT INTO folios SELECT i, i FROM generate_series(1, 10) i; "
           "CREATE TABLE audit (id int); INSERT INTO audit SELECT generate_series(1, 7)", db, "tartware")
    result = pg.script(RESTORE, good_dump.parent, PGDATABASE=db, BACKUP_FILE=good_dump.name, RESTORE_OVERWRITE="true")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "restore OK" in result.stdout
    assert pg.fingerprint(db) == pg.expected
    # exactly the dump's state: the later tables are not in the restored database
    assert pg.sql("SELECT to_regclass('folios') IS NULL AND to_regclass('audit') IS NULL", db) == "t\n"
    (previous,) = pg.sql(f"SELECT datname FROM pg_database WHERE datname LIKE '{db}_before_%'").split()
    assert pg.sql("SELECT count(*) FROM audit", previous) == "7\n"  # kept aside, untouched
    assert f"kept as '{previous}'" in result.stdout
    # objects belong to the application's role, as before
    assert pg.sql("SELECT tableowner FROM pg_tables WHERE tablename = 'reservations'", db) == "tartware\n"


def test_restore_stops_with_a_clear_message_while_writers_are_connected(pg, good_dump):
    db = pg.clone("with_writers")
    pg.sql("DELETE FROM reservations WHERE id > 4000", db, "tartware")
    changed = pg.fingerprint(db)
    writer = subprocess.Popen([str(pg.bindir / "psql"), "-h", str(pg.sock), "-p", str(pg.port), "-U", "tartware",
                               "-d", db, "-X", "-c", "SELECT pg_sleep(30)"], user=pg.user,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        for _ in range(100):
            if pg.sql(f"SELECT count(*) FROM pg_stat_activity WHERE datname = '{db}'") != "0\n":
                break
            time.sleep(0.05)
        result = pg.script(RESTORE, good_dump.parent, PGDATABASE=db, BACKUP_FILE=good_dump.name,
                           RESTORE_OVERWRITE="true")
    finally:
        writer.kill()
        writer.wait()
    assert result.returncode != 0
    assert f"1 session(s) connected to '{db}': tartware@local" in result.stderr, result.stderr
    assert "Stop the writers first" in result.stderr and "nothing was changed" in result.stderr
    assert "restore OK" not in result.stdout
    assert pg.fingerprint(db) == changed
    assert pg.sql(f"SELECT count(*) FROM pg_database WHERE datname LIKE '{db}_%'") == "0\n"


def test_a_full_claim_frees_space_by_pruning_before_the_dump(pg, good_dump):
    """One expired dump on a full volume made every later night fail with ENOSPC, because pruning
    ran only after a successful dump. Now expired dumps go first; the newest verified one stays."""
    directory = pg.backup_dir("full-claim")
    size = good_dump.stat().st_size
    kib = (size * 5 // 2) // 1024 + 8  # room for two and a half dumps
    if not _mount_tiny_tmpfs(directory, kib):
        pytest.skip("needs a tmpfs (root with CAP_SYS_ADMIN) to fill a volume")
    try:
        pg.own(directory)
        directory.chmod(0o755)
        now = time.time()
        manifest = _manifest(good_dump)
        expired = _plant(pg, directory, good_dump, "tartware-20000101T000000Z.dump", now - 30 * 86400,
                         {**manifest, "server_epoch": str(int(now - 30 * 86400))})
        recent = _plant(pg, directory, good_dump, "tartware-20000102T000000Z.dump", now - 86400,
                        {**manifest, "server_epoch": str(int(now - 86400))})
        free = os.statvfs(directory)
        assert free.f_bavail * free.f_frsize < size  # the claim is full: the next dump cannot fit
        result = pg.script(BACKUP, directory)
        assert result.returncode == 0, result.stderr
        assert f"pruned {expired}" in result.stdout
        assert not expired.exists() and recent.exists()
        assert len([n for n in dumps(directory) if n.endswith(".dump")]) == 2
    finally:
        subprocess.run(["umount", str(directory)], check=False)


def test_the_newest_verified_dump_is_kept_even_when_expired(pg, good_dump):
    directory = pg.backup_dir("all-expired")
    now = time.time()
    manifest = _manifest(good_dump)
    older = _plant(pg, directory, good_dump, "tartware-20000101T000000Z.dump", now - 40 * 86400,
                   {**manifest, "server_epoch": str(int(now - 40 * 86400))})
    newer = _plant(pg, directory, good_dump, "tartware-20000102T000000Z.dump", now - 30 * 86400,
                   {**manifest, "server_epoch": str(int(now - 30 * 86400))})
    result = pg.script(BACKUP, directory, PGPORT=str(_free_port()))  # tonight's dump fails
    assert result.returncode != 0
    assert older.exists() and newer.exists()  # nothing pruned when the server is unreachable
    result = pg.script(BACKUP, directory)
    assert result.returncode == 0, result.stderr
    assert not older.exists() and newer.exists()


def test_a_one_byte_change_in_the_table_of_contents_is_refused(pg, good_dump):
    """Both pg_restore passes accepted a dump whose table of contents had one byte changed, and it
    restored with "restore OK". The sha256 in the manifest refuses it before anything is touched."""
    directory = pg.backup_dir("tampered")
    dump = _plant(pg, directory, good_dump, good_dump.name, time.time(), _manifest(good_dump))
    data = bytearray(dump.read_bytes())
    at = data.index(b"reservations_arrives")  # an index name in the TOC, near the start
    data[at + len("reservations_arrive")] = ord("z")
    dump.write_bytes(bytes(data))
    db = pg.clone("tampered_target")
    before = pg.fingerprint(db)
    result = pg.script(RESTORE, directory, PGDATABASE=db, RESTORE_OVERWRITE="true")
    assert result.returncode != 0
    assert "does not match its sha256" in result.stderr, result.stderr
    assert "restore OK" not in result.stdout
    assert pg.fingerprint(db) == before
    # a dump without a manifest needs its sum given explicitly
    Path(f"{dump}.manifest").unlink()
    result = pg.script(RESTORE, directory, PGDATABASE=db, BACKUP_FILE=dump.name, RESTORE_OVERWRITE="true")
    assert result.returncode != 0 and "has no manifest" in result.stderr and "BACKUP_SHA256" in result.stderr


def test_dumps_are_private_and_a_held_lock_ends_the_dump_instead_of_hanging(pg):
    db = pg.clone("locked")
    directory = pg.backup_dir("private")
    result = pg.script(BACKUP, directory, PGDATABASE=db)
    assert result.returncode == 0, result.stderr
    for name in dumps(directory):
        assert (directory / name).stat().st_mode & 0o077 == 0, name  # umask 077
    locker = subprocess.Popen([str(pg.bindir / "psql"), "-h", str(pg.sock), "-p", str(pg.port), "-U", "postgres",
                               "-d", db, "-X", "-c", "BEGIN; LOCK TABLE guests IN ACCESS EXCLUSIVE MODE; "
                               "SELECT pg_sleep(30);"], user=pg.user, stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL)
    try:
        for _ in range(100):
            if pg.sql("SELECT count(*) FROM pg_locks l JOIN pg_class c ON c.oid = l.relation "
                      "WHERE c.relname = 'guests' AND l.mode = 'AccessExclusiveLock'", db) == "1\n":
                break
            time.sleep(0.05)
        started = time.monotonic()
        result = pg.script(BACKUP, pg.backup_dir("behind-a-lock"), PGDATABASE=db, BACKUP_LOCK_WAIT_TIMEOUT="1s",
                           timeout=20)
        took = time.monotonic() - started
    finally:
        locker.kill()
        locker.wait()
    assert result.returncode != 0 and took < 15
    # pg_dump's --lock-wait-timeout is a statement_timeout around its LOCK TABLE (pg_dump docs)
    assert "statement timeout" in result.stderr and "LOCK TABLE" in result.stderr, result.stderr
    assert "BACKUP_LOCK_WAIT_TIMEOUT=1s" in result.stderr


def test_the_dump_runs_from_a_streaming_replica(pg):
    """The CronJob dumps from the replica Service when there is one: pg_dump on a hot standby,
    with the manifest saying so, restores to the same data."""
    standby = pg.base / "standby"
    pg.run([pg.bindir / "pg_basebackup", "-h", pg.sock, "-p", pg.port, "-U", "postgres", "-D", standby,
            "-R", "-X", "stream", "--no-sync", "--checkpoint=fast"])
    port = _free_port()
    started = pg.run([pg.bindir / "pg_ctl", "-D", standby, "-o",
                      f"-p {port} -k {pg.sock} -c listen_addresses=127.0.0.1 -c fsync=off",
                      "-l", pg.base / "standby.log", "-w", "start"], check=False)
    assert started.returncode == 0, started.stderr
    try:
        assert pg.run([pg.bindir / "psql", "-h", pg.sock, "-p", port, "-U", "postgres", "-Atc",
                       "SELECT pg_is_in_recovery()"]).stdout == "t\n"
        directory = pg.backup_dir("from-replica")
        result = pg.script(BACKUP, directory, PGPORT=str(port))
        assert result.returncode == 0, result.stderr
        assert "(replica)" in result.stdout
        (dump,) = [directory / n for n in dumps(directory) if n.endswith(".dump")]
        assert _manifest(dump)["source_is_replica"] == "t"
        db = "from_replica"
        pg.sql(f"DROP DATABASE IF EXISTS {db} WITH (FORCE)")
        pg.sql(f"CREATE DATABASE {db} OWNER tartware")
        result = pg.script(RESTORE, directory, PGDATABASE=db)
        assert result.returncode == 0, result.stderr
        assert pg.fingerprint(db) == pg.expected
    finally:
        pg.run([pg.bindir / "pg_ctl", "-D", standby, "-m", "immediate", "-w", "stop"], check=False)
