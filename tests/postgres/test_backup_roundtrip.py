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
The sharp edges of the nightly dump: tests/postgres/test_backup_edges.py, on its own server.
"""

from __future__ import annotations

import hashlib
import os
import resource
import shutil
import signal
import subprocess
import time
from pathlib import Path

import pytest

from tests.backup_server import (  # noqa: F401 (pg, good_dump: fixtures)
    BACKUP, DUMP_NAME, OLD_DUMP, RESTORE, dumps, free_port, good_dump, mount_tiny_tmpfs, pg,
    plant_old_dump,
    pytestmark,
)


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
    result = pg.script(BACKUP, directory, PGPORT=str(free_port()))  # nothing listens there
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
    mounted = mount_tiny_tmpfs(directory, 16)  # far smaller than the ~{size} byte dump
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
    """The fixture's server is quick because it never waits for the disk (initdb --no-sync, fsync=off:
    https://www.postgresql.org/docs/15/runtime-config-wal.html#GUC-FSYNC); that is what is asserted.
    The time is only a loose guard: this step runs beside the app's harness in .ci/run, where a
    seconds-tight bound measures the machine's load, not the fixture (0.8 s alone on a quiet 2-core machine)."""
    assert pg.sql("SHOW fsync").strip() == "off"
    assert pg.startup_seconds < 30
