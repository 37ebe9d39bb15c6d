"""The backup scripts as files: POSIX sh, strict mode, shellcheck-clean, and what the cluster
mounts is exactly what is tested here."""

import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SCRIPTS = sorted((ROOT / "ops" / "backup").glob("*.sh"))


def test_the_scripts_exist_and_run_in_strict_mode():
    assert {p.name for p in SCRIPTS} == {"backup.sh", "restore.sh", "upload.sh"}
    for script in SCRIPTS:
        text = script.read_text()
        assert text.startswith("#!/bin/sh\n"), script.name  # alpine images have no bash
        assert "\nset -eu\n" in text, script.name


@pytest.mark.skipif(shutil.which("shellcheck") is None, reason="shellcheck not installed (apt-get install shellcheck)")
def test_shellcheck_is_clean():
    done = subprocess.run(["shellcheck", "--shell=sh", "--severity=style", *map(str, SCRIPTS)],
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr


def test_sh_parses_every_script():
    for script in SCRIPTS:
        done = subprocess.run(["sh", "-n", str(script)], capture_output=True, text=True)
        assert done.returncode == 0, done.stderr
