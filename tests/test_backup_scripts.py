"""The backup scripts as files: POSIX sh, strict mode, shellcheck-clean, and what the cluster
mounts is exactly what is tested here."""

import hashlib
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SCRIPTS = sorted((ROOT / "ops" / "backup").glob("*.sh"))


LIBRARIES = {"pgpass.sh", "manifest.sh", "offsite.sh"}  # sourced by the scripts, never run on their own


def test_the_scripts_exist_and_run_in_strict_mode_with_a_private_umask():
    assert {p.name for p in SCRIPTS} == {"backup.sh", "restore.sh", "upload.sh", "download.sh"} | LIBRARIES
    for script in SCRIPTS:
        if script.name in LIBRARIES:
            continue
        text = script.read_text()
        assert text.startswith("#!/bin/sh\n"), script.name  # alpine images have no bash
        assert "\nset -eu\numask 077" in text, script.name  # every file they write is private


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
needs_rclone = pytest.mark.skipif(shutil.which("rclone") is None,
                                  reason="rclone not installed (apt-get install rclone)")


def _upload(tmp_path, backup_dir, **extra):
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "RCLONE_CONFIG": str(tmp_path / "rclone.conf"),
           "RCLONE_CONFIG_OFFSITE_TYPE": "local", "BACKUP_DIR": str(backup_dir),
           "BACKUP_OFFSITE_BUCKET": "bucket", "BACKUP_OFFSITE_PREFIX": "tartware/postgres", **extra}
    return subprocess.run(["/bin/sh", str(UPLOAD)], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=60)


def _verified(directory: Path, name: str, body: bytes, epoch: int) -> Path:
    """A dump and the manifest backup.sh writes after verifying it (ops/backup/backup.sh)."""
    dump = directory / name
    dump.write_bytes(body)
    fields = {"format": "1", "dump": name, "sha256": hashlib.sha256(body).hexdigest(), "bytes": str(len(body)),
              "server_epoch": str(epoch), "server_time": name.split("-")[-1].removesuffix(".dump")}
    (directory / f"{name}.manifest").write_text("".join(f"{k}={v}\n" for k, v in fields.items()))
    return dump


NIGHT_1, NIGHT_2 = 1767232800, 1767319200  # 2026-01-01T02:00Z, 2026-01-02T02:00Z


@needs_rclone
def test_upload_sends_every_verified_dump_not_in_the_bucket_yet(tmp_path):
    dumps = tmp_path / "dumps"
    dumps.mkdir()
    one = _verified(dumps, "tartware-20260101T020000Z.dump", b"PGDMP one" * 100, NIGHT_1)
    two = _verified(dumps, "tartware-20260102T020000Z.dump", b"PGDMP two" * 100, NIGHT_2)
    (dumps / "tartware-20251231T020000Z.dump").write_bytes(b"PGDMP never verified")  # no manifest: stays home
    done = _upload(tmp_path, dumps)
    assert done.returncode == 0, done.stderr
    bucket = tmp_path / "bucket" / "tartware" / "postgres"
    assert sorted(p.name for p in bucket.iterdir()) == [one.name, f"{one.name}.manifest",
                                                        two.name, f"{two.name}.manifest"]
    assert (bucket / two.name).read_bytes() == two.read_bytes()
    assert done.stdout.index(one.name) < done.stdout.index(two.name)  # oldest first
    again = _upload(tmp_path, dumps)
    assert again.returncode == 0 and "already in" in again.stdout


@needs_rclone
def test_a_failed_upload_is_retried_without_a_new_dump_and_a_later_night_catches_up(tmp_path):
    """The upload failed and the whole pod (dump included) ran again; a night whose upload failed
    never reached the bucket. Now the upload is retried on its own, and the next night's run sends
    whatever is missing."""
    dumps = tmp_path / "dumps"
    dumps.mkdir()
    one = _verified(dumps, "tartware-20260101T020000Z.dump", b"PGDMP one", NIGHT_1)
    (tmp_path / "bucket").write_text("a file where the bucket should be")  # the store is unreachable
    failed = _upload(tmp_path, dumps)
    assert failed.returncode != 0 and "upload FAILED" in failed.stderr
    (tmp_path / "bucket").unlink()
    retried = _upload(tmp_path, dumps)  # the container restarted: no dump in between
    assert retried.returncode == 0, retried.stderr
    assert sorted(p.name for p in dumps.iterdir()) == [one.name, f"{one.name}.manifest"]
    # night 1 failed for good, night 2 succeeded: night 2's run sends both
    (tmp_path / "bucket" / "tartware" / "postgres" / one.name).unlink()
    (tmp_path / "bucket" / "tartware" / "postgres" / f"{one.name}.manifest").unlink()
    two = _verified(dumps, "tartware-20260102T020000Z.dump", b"PGDMP two", NIGHT_2)
    caught_up = _upload(tmp_path, dumps)
    assert caught_up.returncode == 0, caught_up.stderr
    assert {one.name, two.name} <= {p.name for p in (tmp_path / "bucket" / "tartware" / "postgres").iterdir()}


@needs_rclone
def test_upload_refuses_a_dump_that_changed_after_it_was_verified(tmp_path):
    dumps = tmp_path / "dumps"
    dumps.mkdir()
    dump = _verified(dumps, "tartware-20260101T020000Z.dump", b"PGDMP one", NIGHT_1)
    dump.write_bytes(b"PGDMP 0ne")
    done = _upload(tmp_path, dumps)
    assert done.returncode != 0 and "does not match its sha256" in done.stderr
    assert not (tmp_path / "bucket" / "tartware" / "postgres" / dump.name).exists()


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


DOWNLOAD = ROOT / "ops" / "backup" / "download.sh"


def _download(tmp_path, backup_dir, **extra):
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "RCLONE_CONFIG": str(tmp_path / "rclone.conf"),
           "RCLONE_CONFIG_OFFSITE_TYPE": "local", "BACKUP_DIR": str(backup_dir),
           "BACKUP_OFFSITE_BUCKET": "bucket", "BACKUP_OFFSITE_PREFIX": "tartware/postgres", **extra}
    return subprocess.run(["/bin/sh", str(DOWNLOAD)], cwd=tmp_path, env=env, capture_output=True, text=True,
                          timeout=60)


@needs_rclone
def test_download_latest_is_the_newest_manifest_never_the_highest_name(tmp_path):
    bucket = tmp_path / "bucket" / "tartware" / "postgres"
    bucket.mkdir(parents=True)
    real = _verified(bucket, "tartware-20260102T020000Z.dump", b"PGDMP newest", NIGHT_2)
    # named (by a clock that ran ahead) in 2030, but its server time is night 1
    _verified(bucket, "tartware-20300101T000000Z.dump", b"PGDMP older", NIGHT_1)
    (bucket / "tartware-20310101T000000Z.dump").write_bytes(b"PGDMP no manifest")
    (bucket / "notes.txt").write_text("not a dump")
    claim = tmp_path / "claim"
    claim.mkdir()
    done = _download(tmp_path, claim)
    assert done.returncode == 0, done.stderr
    got = claim / real.name
    assert got.read_bytes() == b"PGDMP newest" and (claim / f"{real.name}.manifest").exists()
    assert (claim / ".restore-source").read_text().strip() == str(got)
    assert sorted(p.name for p in claim.iterdir()) == [".restore-source", real.name, f"{real.name}.manifest"]
    done = _download(tmp_path, claim, BACKUP_FILE="tartware-20300101T000000Z.dump")  # by name, on purpose
    assert done.returncode == 0, done.stderr
    assert (claim / ".restore-source").read_text().strip() == str(claim / "tartware-20300101T000000Z.dump")


@needs_rclone
def test_download_fails_clearly_and_leaves_nothing_that_looks_complete(tmp_path):
    bucket = tmp_path / "bucket" / "tartware" / "postgres"
    bucket.mkdir(parents=True)
    claim = tmp_path / "claim"
    claim.mkdir()
    done = _download(tmp_path, claim)
    assert done.returncode != 0 and "download FAILED: no verified dump" in done.stderr
    done = _download(tmp_path, claim, BACKUP_FILE="tartware-20260101T020000Z.dump")
    assert done.returncode != 0 and "download FAILED: rclone could not copy" in done.stderr
    done = _download(tmp_path, claim, BACKUP_FILE="../etc/passwd")
    assert done.returncode != 0 and "is not a dump name" in done.stderr
    # changed in the bucket after it was verified: refused, nothing left behind
    dump = _verified(bucket, "tartware-20260101T020000Z.dump", b"PGDMP one", NIGHT_1)
    dump.write_bytes(b"PGDMP 0ne")
    done = _download(tmp_path, claim)
    assert done.returncode != 0 and "does not match its sha256" in done.stderr
    assert list(claim.iterdir()) == []
