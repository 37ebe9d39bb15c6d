"""The k6 driver of the request mix (loadtest/k6/lib/config.js), run under node with stand-ins for
k6's modules and for the app's answers (tests/k6stub: the answers follow the app's source at the
pin, as tests/test_loadtest.py lists them). k6 itself is a Go binary no registry here ships; Locust,
the other driver, runs against the real app in the end-to-end harness (docs/app.md "The load mix").

The session logs in as account (JOB_COMPLETION_INDEX mod ACCOUNTS) + 1, reads the ids by the app's
field names, sends the seed, then looks the guest up; every step then answers what the mix expects,
the replay gets the seed's command_id, every write carries a fresh Idempotency-Key and every request
the Host header. Planted: the header removed (400s fail the checks), a field name changed (the
session fails naming it).
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
STUB = ROOT / "tests" / "k6stub"
MIX = json.loads((ROOT / "loadtest" / "mix.json").read_text())


def run_driver(tmp_path: Path, mix: dict) -> dict:
    node = shutil.which("node")
    if node is None:
        pytest.skip("node not installed")
    (tmp_path / "lib").mkdir()
    shutil.copy(ROOT / "loadtest" / "k6" / "lib" / "config.js", tmp_path / "lib" / "config.mjs")
    k6 = tmp_path / "node_modules" / "k6"
    k6.mkdir(parents=True)
    (k6 / "package.json").write_text(json.dumps({"name": "k6", "type": "module",
                                                 "exports": {".": "./index.js", "./http": "./http.js"}}))
    shutil.copy(STUB / "k6.js", k6 / "index.js")
    shutil.copy(STUB / "k6_http.js", k6 / "http.js")
    for name in ("fake_app.mjs", "run.mjs"):
        shutil.copy(STUB / name, tmp_path / name)
    (tmp_path / "mix.json").write_text(json.dumps(mix))
    proc = subprocess.run([node, "run.mjs", "mix.json"], cwd=tmp_path, capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)


def test_the_k6_driver_runs_the_whole_mix_as_the_app_expects(tmp_path):
    out = run_driver(tmp_path, MIX)
    assert out["error"] is None
    failed = [c["name"] for c in out["checks"] if not c["passed"]]
    assert failed == []
    names = [r["name"] for r in out["requests"]]
    # login (account 3 mod 2 + 1 = 2), lookups before the seed, the seed, the guest after it, every step
    assert names[:5] == ["login", "setup:property", "setup:room_type", MIX["seed"], "setup:guest"]
    assert set(names[5:]) == {s["name"] for s in MIX["steps"]}
    login = out["requests"][0]
    assert login["headers"]["Host"] == "api.tartware.local"
    keys = [r["headers"].get("Idempotency-Key") for r in out["requests"]
            if r["method"] == "POST" and r["name"] != "login"]
    replays = [s["name"] for s in MIX["steps"] if s.get("replay")]
    fresh = [r["headers"]["Idempotency-Key"] for r in out["requests"]
             if r["method"] == "POST" and r["name"] not in ("login", *replays)]
    assert all(keys) and len(set(fresh)) == len(fresh)  # a new key for every write, the replay reuses the seed's
    assert any(c["name"].endswith("same command_id") and c["passed"] for c in out["checks"])


def test_without_the_idempotency_key_the_writes_fail_their_checks(tmp_path):
    mix = json.loads(json.dumps(MIX))
    for step in mix["steps"]:
        step.get("headers", {}).pop("Idempotency-Key", None)
    out = run_driver(tmp_path, mix)
    # the seed write is refused: the session stops, naming it
    assert out["error"] and "was not accepted" in out["error"]
    assert any(not c["passed"] and c["name"].startswith(MIX["seed"]) for c in out["checks"])


def test_a_wrong_field_name_stops_the_session_naming_it(tmp_path):
    mix = json.loads(json.dumps(MIX))
    next(x for x in mix["lookups"] if x["name"] == "room_type")["id"] = "id"
    out = run_driver(tmp_path, mix)
    assert out["error"] and "room_type (/v1/room-types): the response has no id" in out["error"]
