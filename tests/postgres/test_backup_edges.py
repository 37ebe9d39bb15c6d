"""The sharp edges the nightly dump had, each reproduced as it bit and run through the real
PostgreSQL round trip (the server and helpers of tests/backup_server.py, a server of this
module's own): "latest" chosen by file name, a restore over a database a later migration changed or
with writers connected, a full claim, a one-byte change in the table of contents, a dump waiting
forever behind a lock, world-readable dumps, a dump taken from a replica, and a failed upload
through the bucket and back. The same steps fail with the scripts before the fix
(docs/operations.md, "The scripts").
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import time
from pathlib import Path

import pytest

from tests.backup_server import (  # noqa: F401 (pg, good_dump: fixtures)
    BACKUP,
    RESTORE,
    Server,
    dumps,
    free_port,
    good_dump,
    mount_tiny_tmpfs,
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


def _plant_expired_and_recent(pg, directory: Path, good_dump: Path) -> tuple[Path, Path]:
    """Two verified dumps in ``directory``: one 30 days old (past backupRetentionDays' default of 7)
    and one a day old, each with its manifest's server time."""
    now = time.time()
    manifest = _manifest(good_dump)
    expired = _plant(pg, directory, good_dump, "tartware-20000101T000000Z.dump", now - 30 * 86400,
                     {**manifest, "server_epoch": str(int(now - 30 * 86400))})
    recent = _plant(pg, directory, good_dump, "tartware-20000102T000000Z.dump", now - 86400,
                    {**manifest, "server_epoch": str(int(now - 86400))})
    return expired, recent


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
    backup_id = second.stdout.split('backup OK: ')[1].split('/')[-1].split(' ')[0]
    assert f"restore OK: {directory}/{backup_id}" in result.stdout

    time.sleep(1.1)  # the stamp has one-second resolution: the third dump must not take the second's name
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
    if not mount_tiny_tmpfs(directory, kib):
        pytest.skip("needs a tmpfs (root with CAP_SYS_ADMIN) to fill a volume")
    try:
        pg.own(directory)
        directory.chmod(0o755)
        expired, recent = _plant_expired_and_recent(pg, directory, good_dump)
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
    result = pg.script(BACKUP, directory, PGPORT=str(free_port()))  # tonight's dump fails
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
    port = free_port()
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


def _prune_then_a_failing_dump(pg: Server, good_dump: Path, scripts: Path, name: str) -> list[str]:
    """Plant an expired and a recent verified dump, run ``scripts``/backup.sh against a database
    whose dump fails after the connection (a table the backup role may not read: pg_dump's LOCK
    TABLE is refused), and return what is wrong with the order: empty when the expired dump was
    pruned before the dump started, the recent one kept and no new file written. Needs no root,
    unlike the tmpfs of ``test_a_full_claim_frees_space_by_pruning_before_the_dump``."""
    db = pg.clone(f"prune_{name}")
    pg.sql("CREATE TABLE ledger_locked (id int)", db)  # owned by postgres, no grant to tartware
    directory = pg.backup_dir(f"prune-{name}")
    expired, recent = _plant_expired_and_recent(pg, directory, good_dump)
    before = dumps(directory)
    result = pg.run(["/bin/sh", scripts / "backup.sh"], check=False, env=pg.script_env(directory, PGDATABASE=db))
    problems = []
    if result.returncode == 0 or "backup FAILED: pg_dump" not in result.stderr:
        problems.append(f"the dump was meant to fail in pg_dump: rc {result.returncode}, {result.stderr!r}")
    lines = result.stdout.splitlines()
    pruned = [i for i, line in enumerate(lines) if line.startswith(f"pruned {expired}")]
    dumping = [i for i, line in enumerate(lines) if line.startswith("dumping database")]
    if not pruned or not dumping or pruned[0] > dumping[0]:
        problems.append(f"'pruned {expired}' is not printed before 'dumping database': {lines}")
    if expired.exists() or Path(f"{expired}.manifest").exists():
        problems.append(f"the expired dump {expired.name} is still there after a failed dump")
    if not recent.exists() or not Path(f"{recent}.manifest").exists():
        problems.append(f"the recent dump {recent.name} was pruned")
    if set(dumps(directory)) - set(before):
        problems.append(f"a failed dump left files: {sorted(set(dumps(directory)) - set(before))}")
    return problems


def test_pruning_runs_before_the_dump_even_when_the_dump_fails(pg, good_dump):
    """A full claim stopped backups for good when pruning ran only after a successful dump. Proven
    here without a full volume: the dump fails after the prune step, and the expired dump is gone."""
    assert _prune_then_a_failing_dump(pg, good_dump, pg.scripts, "fixed") == []


def test_the_prune_order_check_fails_when_pruning_follows_the_dump(pg, good_dump):
    """Planted defect: backup.sh with its prune step moved after the dump (as it was before the fix)."""
    text = (pg.scripts / "backup.sh").read_text()
    start, end = text.index("# --- prune first"), text.index("# --- dump and verify")
    manifest_at = text.index("# --- the manifest")
    moved = text[:start] + text[end:manifest_at] + text[start:end] + text[manifest_at:]
    assert moved != text and moved.count("# --- prune first") == 1
    planted = pg.base / "scripts-prune-after"
    shutil.copytree(pg.scripts, planted)
    (planted / "backup.sh").write_text(moved)
    pg.own(planted, *planted.iterdir())
    problems = _prune_then_a_failing_dump(pg, good_dump, planted, "planted")
    assert any("is not printed before 'dumping database'" in p for p in problems), problems
    assert any("is still there after a failed dump" in p for p in problems), problems


def test_a_failed_upload_retries_without_a_new_dump_and_the_next_night_catches_up_through_the_bucket(pg):
    """The whole off-site path on the real server: backup.sh -> upload.sh (rclone's local backend
    standing in for the bucket, as in tests/test_backup_scripts.py) -> download.sh -> restore.sh.
    Night 1's upload fails and is retried with no dump in between (in the CronJob the upload is the
    pod's container, restarted alone; the dump is its init container). Night 2's upload fails for
    good; night 3's sends both. The nights that came through a failure come back from the bucket
    into a fresh database with their exact row counts."""
    db = pg.clone("offsite_nights")
    directory = pg.backup_dir("offsite-claim")
    bucket = pg.base / "offsite-bucket"
    offsite = {"RCLONE_CONFIG": str(pg.base / "rclone.conf"), "RCLONE_CONFIG_OFFSITE_TYPE": "local",
               "BACKUP_OFFSITE_BUCKET": str(bucket), "BACKUP_OFFSITE_PREFIX": "tartware/prod/postgres"}
    folder = bucket / "tartware" / "prod" / "postgres"
    upload, download = BACKUP.parent / "upload.sh", BACKUP.parent / "download.sh"

    def night(rows_added: int) -> Path:
        if rows_added:
            pg.sql(f"INSERT INTO reservations (guest_id, room, nights, arrives) SELECT 1, 'night', 1, now() "
                   f"FROM generate_series(1, {rows_added})", db, "tartware")
            time.sleep(1.1)  # the dump's name has one-second resolution
        before = set(dumps(directory))
        done = pg.script(BACKUP, directory, PGDATABASE=db)
        assert done.returncode == 0, done.stderr
        (new,) = [n for n in set(dumps(directory)) - before if n.endswith(".dump")]
        return directory / new

    def unreachable(on: bool) -> None:
        if on:
            bucket.write_text("a file where the bucket should be")
        else:
            bucket.unlink()

    one = night(0)
    unreachable(True)
    failed = pg.script(upload, directory, **offsite)
    assert failed.returncode != 0 and "upload FAILED" in failed.stderr, failed.stdout + failed.stderr
    unreachable(False)
    retried = pg.script(upload, directory, **offsite)  # the container restarted: no backup.sh in between
    assert retried.returncode == 0, retried.stderr
    assert [n for n in dumps(directory) if n.endswith(".dump")] == [one.name]  # still one dump
    assert (folder / one.name).read_bytes() == one.read_bytes()

    two = night(5)
    bucket.rename(pg.base / "offsite-aside")  # night 2: the store is unreachable all night
    unreachable(True)
    assert pg.script(upload, directory, **offsite).returncode != 0
    unreachable(False)
    (pg.base / "offsite-aside").rename(bucket)  # back, holding night 1 only
    assert sorted(p.name for p in folder.iterdir()) == [one.name, f"{one.name}.manifest"]
    three = night(5)
    caught_up = pg.script(upload, directory, **offsite)
    assert caught_up.returncode == 0, caught_up.stderr
    assert caught_up.stdout.index(two.name) < caught_up.stdout.index(three.name)  # oldest first
    assert {p.name for p in folder.iterdir()} == {f"{d.name}{s}" for d in (one, two, three) for s in ("", ".manifest")}

    # the claim is gone: each night comes back from the bucket into a fresh database
    for name, rows in (("latest", 5010), (two.name, 5005)):  # night 1 is byte-identical in the bucket (above)
        landing = pg.backup_dir(f"landing-{rows}")
        fetched = pg.script(download, landing, BACKUP_FILE=name, **offsite)
        assert fetched.returncode == 0, fetched.stderr
        target = f"from_bucket_{rows}"
        pg.sql(f"DROP DATABASE IF EXISTS {target} WITH (FORCE)")
        pg.sql(f"CREATE DATABASE {target} OWNER tartware")
        restored = pg.script(RESTORE, landing, PGDATABASE=target, BACKUP_FILE_FROM=str(landing / ".restore-source"))
        assert restored.returncode == 0, restored.stderr
        assert _count(pg, target) == rows, name
