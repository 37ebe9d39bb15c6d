"""What a second run of ops/migrate/migrate.sh must do, read from the script itself.

The runner (docs/app.md "Idempotency and versions") has three modes besides its refusals:
``install`` (every step), ``current`` (the database is complete at this commit: only the steps of
its ``EVERY_RUN_STEPS``) and ``upgrade`` (complete at another commit: only its ``UPGRADE_STEPS``).
The harness runs the second and third against the database the clean run installed, while the
services run, as Helm's pre-upgrade hook runs them; these helpers say what to expect and what went
wrong. The step lists are parsed from the script, so a step added to a list is expected at once.
"""

from __future__ import annotations

import re

OTHER_COMMIT = "0" * 40  # "a previous app commit": any 40-hex id but the pin


def declared(script: str, name: str) -> list[str]:
    """A space-separated step list of migrate.sh (``NAME=" a b c "``)."""
    match = re.search(rf'^{name}="([^"]*)"', script, re.MULTILINE)
    if match is None:
        raise ValueError(f"ops/migrate/migrate.sh declares no {name}")
    return match.group(1).split()


def steps_run(stdout: str) -> list[str]:
    """The steps the runner ran, in order: its ``-- <step>`` lines (an upgrade's
    ``-- <step>: install only, ...`` lines name steps it left out)."""
    return [m.group(1) for m in re.finditer(r"^-- ([a-z0-9-]+)$", stdout, re.MULTILINE)]


def expected_steps(mode: str, script: str) -> list[str]:
    if mode == "current":
        return declared(script, "EVERY_RUN_STEPS")
    if mode == "upgrade":
        return declared(script, "UPGRADE_STEPS")
    raise ValueError(f"mode: expected current or upgrade, got {mode!r}")


def as_another_commit(commit: str) -> str:
    """SQL that makes the installed database look completed by another app commit, so the next
    run is an upgrade (the runner compares the commit of the newest ``complete`` row)."""
    if not re.fullmatch(r"[0-9a-f]{40}", commit):
        raise ValueError(f"commit: expected 40 lower-case hex digits, got {commit!r}")
    return (f"UPDATE tartware_infra.app_schema SET app_commit = '{OTHER_COMMIT}' "
            f"WHERE app_commit = '{commit}'")


def problems(mode: str, returncode: int, stdout: str, stderr: str, script: str) -> list[str]:
    """Everything wrong with one run in ``mode``: its exit, its verdict line, the steps it ran."""
    found: list[str] = []
    if returncode != 0:
        last = (stderr.strip().splitlines() or stdout.strip().splitlines() or ["?"])[-1]
        found.append(f"exit {returncode}: {last}")
    lines = stdout.strip().splitlines()
    if not lines or not re.fullmatch(rf"migration OK: app commit [0-9a-f]{{40}} \({mode}\)", lines[-1]):
        found.append(f"its last line is not 'migration OK: ... ({mode})': {lines[-1] if lines else '(no output)'}")
    ran, wanted = steps_run(stdout), expected_steps(mode, script)
    if sorted(ran) != sorted(wanted):
        extra, missing = sorted(set(ran) - set(wanted)), sorted(set(wanted) - set(ran))
        found.append(f"ran steps {' '.join(ran) or 'none'}; expected exactly {' '.join(wanted)}"
                     + (f" (re-applied: {' '.join(extra)})" if extra else "")
                     + (f" (left out: {' '.join(missing)})" if missing else ""))
    return found
