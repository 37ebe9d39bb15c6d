"""The backup scripts as files: POSIX sh, strict mode, shellcheck-clean, and what the cluster
mounts is exactly what is tested here."""

import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SCRIPTS = sorted((ROOT / "ops" / "backup").glob("*.sh"))


LIBRARY = "pgpass.sh"  # sourced by backup.sh and restore.sh, never run on its own


def test_the_scripts_exist_and_run_in_strict_mode():
    assert {p.name for p in SCRIPTS} == {"backup.sh", "restore.sh", "upload.sh", "download.sh", LIBRARY}
    for script in SCRIPTS:
        if script.name == LIBRARY:
            continue
        text = script.read_text()
        assert text.startswith("#!/bin/sh\n"), script.name  # alpine images have no bash
        assert "\nset -eu\n" in text, script.name


@pytest.mark.skipif(shutil.which("shellcheck") is None, reason="shellcheck not installed (apt-get install shellcheck)")
def test_shellcheck_is_clean():
    done = subprocess.run(["shellcheck", "--shell=sh", "--severity=style", "--external-sources", *map(str, SCRIPTS)],
                          capture_output=True, text=True, cwd=ROOT)
    assert done.returncode == 0, done.stdout + done.stderr


def test_sh_parses_every_script():
    for script in SCRIPTS:
        done = subprocess.run(["sh", "-n", str(script)], capture_output=True, text=True)
        assert done.returncode == 0, done.stderr


# upload.sh with rclone's "local" backend standing in for the bucket: the script's own logic (which
# dump, which key, refusing partial files, failing loudly) without an object store. The S3 options
# themselves are the CronJob's environment (tests/test_backups.py).
UPLOAD = ROOT / "ops" / "backup" / "upload.sh"
needs_rclone = pytest.mark.skipif(shutil.which("rclone") is None, reason="rclone not installed (apt-get install rclone)")


def _upload(tmp_path, backup_dir, **extra):
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "RCLONE_CONFIG": str(tmp_path / "rclone.conf"),
           "RCLONE_CONFIG_OFFSITE_TYPE": "local", "BACKUP_DIR": str(backup_dir),
           "BACKUP_OFFSITE_BUCKET": "bucket", "BACKUP_OFFSITE_PREFIX": "tartware/postgres", **extra}
    return subprocess.run(["/bin/sh", str(UPLOAD)], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=60)


@needs_rclone
def test_upload_copies_the_dump_backup_sh_recorded(tmp_path):
    dumps = tmp_path / "dumps"
    dumps.mkdir()
    dump = dumps / "tartware-20260101T020000Z.dump"
    dump.write_bytes(b"PGDMP" + bytes(range(256)) * 64)
    (dumps / "tartware-20250101T020000Z.dump").write_bytes(b"PGDMP old")
    (dumps / ".latest").write_text(f"{dump}\n")
    done = _upload(tmp_path, dumps)
    assert done.returncode == 0, done.stderr
    copied = tmp_path / "bucket" / "tartware" / "postgres" / dump.name
    assert copied.read_bytes() == dump.read_bytes()
    assert sorted(p.name for p in copied.parent.iterdir()) == [dump.name]  # only the recorded one
    assert f"upload OK: offsite:bucket/tartware/postgres/{dump.name}" in done.stdout


@needs_rclone
def test_upload_refuses_without_a_verified_dump_or_bucket(tmp_path):
    dumps = tmp_path / "dumps"
    dumps.mkdir()
    done = _upload(tmp_path, dumps)
    assert done.returncode != 0 and "upload FAILED" in done.stderr and "no verified dump" in done.stderr
    (dumps / ".tartware-20260101T020000Z.dump.partial").write_bytes(b"PGDMP")
    done = _upload(tmp_path, dumps, BACKUP_FILE=".tartware-20260101T020000Z.dump.partial")
    assert done.returncode != 0 and "incomplete dump" in done.stderr
    done = _upload(tmp_path, dumps, BACKUP_OFFSITE_BUCKET="")
    assert done.returncode != 0 and "BACKUP_OFFSITE_BUCKET" in done.stderr
    assert not (tmp_path / "bucket").exists()


@needs_rclone
def test_a_failed_copy_exits_non_zero(tmp_path):
    dumps = tmp_path / "dumps"
    dumps.mkdir()
    dump = dumps / "tartware-20260101T020000Z.dump"
    dump.write_bytes(b"PGDMP")
    (tmp_path / "bucket").write_text("a file where the bucket directory should be")
    done = _upload(tmp_path, dumps, BACKUP_FILE=dump.name)
    assert done.returncode != 0 and "upload FAILED: rclone could not copy" in done.stderr, done.stderr


DOWNLOAD = ROOT / "ops" / "backup" / "download.sh"


def _download(tmp_path, backup_dir, **extra):
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "RCLONE_CONFIG": str(tmp_path / "rclone.conf"),
           "RCLONE_CONFIG_OFFSITE_TYPE": "local", "BACKUP_DIR": str(backup_dir),
           "BACKUP_OFFSITE_BUCKET": "bucket", "BACKUP_OFFSITE_PREFIX": "tartware/postgres", **extra}
    return subprocess.run(["/bin/sh", str(DOWNLOAD)], cwd=tmp_path, env=env, capture_output=True, text=True,
                          timeout=60)


@needs_rclone
def test_download_fetches_the_newest_or_a_named_dump_and_records_it(tmp_path):
    bucket = tmp_path / "bucket" / "tartware" / "postgres"
    bucket.mkdir(parents=True)
    for stamp, body in (("20260101T020000Z", b"PGDMP one"), ("20260102T020000Z", b"PGDMP two")):
        (bucket / f"tartware-{stamp}.dump").write_bytes(body)
    (bucket / "notes.txt").write_text("not a dump")
    claim = tmp_path / "claim"
    claim.mkdir()
    done = _download(tmp_path, claim)
    assert done.returncode == 0, done.stderr
    newest = claim / "tartware-20260102T020000Z.dump"
    assert newest.read_bytes() == b"PGDMP two"
    assert (claim / ".restore-source").read_text().strip() == str(newest)
    assert sorted(p.name for p in claim.iterdir()) == [".restore-source", newest.name]  # no .download left
    done = _download(tmp_path, claim, BACKUP_FILE="tartware-20260101T020000Z.dump")
    assert done.returncode == 0, done.stderr
    assert (claim / ".restore-source").read_text().strip() == str(claim / "tartware-20260101T020000Z.dump")


@needs_rclone
def test_download_fails_clearly_and_leaves_nothing_that_looks_complete(tmp_path):
    (tmp_path / "bucket" / "tartware" / "postgres").mkdir(parents=True)
    claim = tmp_path / "claim"
    claim.mkdir()
    done = _download(tmp_path, claim)
    assert done.returncode != 0 and "download FAILED: no tartware-*.dump" in done.stderr
    done = _download(tmp_path, claim, BACKUP_FILE="tartware-20260101T020000Z.dump")
    assert done.returncode != 0 and "download FAILED: rclone could not copy" in done.stderr
    done = _download(tmp_path, claim, BACKUP_FILE="../etc/passwd")
    assert done.returncode != 0 and "is not a dump name" in done.stderr
    assert list(claim.iterdir()) == []
