"""The PR workflow parses and does what docs/operations.md says; every secret it reads is documented."""

import re
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
WORKFLOWS = ROOT / ".github" / "workflows"
DOCS = (ROOT / "docs" / "operations.md").read_text()


def load(name):
    doc = yaml.safe_load((WORKFLOWS / name).read_text())
    doc["on"] = doc.pop(True, doc.get("on"))  # YAML 1.1 reads the key `on` as true
    return doc


def steps(job):
    return job["steps"]


def test_every_workflow_parses():
    files = sorted(WORKFLOWS.glob("*.yml"))
    assert files
    for f in files:
        doc = load(f.name)
        assert doc["jobs"], f


def test_pull_request_workflow():
    wf = load("pull-request.yml")
    assert "pull_request" in wf["on"]
    jobs = wf["jobs"]
    assert any(s.get("run", "").strip() == "bash .ci/run" for s in steps(jobs["tests"]))

    diff = jobs["plan-diff"]
    runs = " ".join(s.get("run", "") for s in steps(diff))
    assert "python -m tools.diff --base" in runs and "github.event.pull_request.base.sha" in str(diff)
    checkout = next(s for s in steps(diff) if s.get("uses", "").startswith("actions/checkout@"))
    assert checkout["with"]["fetch-depth"] == 0
    assert diff["permissions"]["pull-requests"] == "write"

    preview = jobs["preview"]
    assert set(preview["strategy"]["matrix"]["stack"]) == {"dev", "prod"}
    (pulumi,) = [s for s in steps(preview) if s.get("uses", "").startswith("pulumi/actions@")]
    assert re.fullmatch(r"pulumi/actions@v\d+", pulumi["uses"])  # a pinned major version
    assert pulumi["with"]["command"] == "preview"
    assert pulumi["with"]["comment-on-pr"] is True
    assert pulumi["with"]["stack-name"] == "${{ matrix.stack }}"
    assert "secrets.PULUMI_BACKEND_URL" in pulumi["with"]["cloud-url"]
    assert "secrets.PULUMI_CONFIG_PASSPHRASE" in preview["env"]["PULUMI_CONFIG_PASSPHRASE"]


def test_every_secret_the_workflows_read_is_documented():
    used = set()
    for f in WORKFLOWS.glob("*.yml"):
        used |= set(re.findall(r"secrets\.([A-Z_]+)", f.read_text()))
    used.discard("GITHUB_TOKEN")  # provided by GitHub
    assert {"PULUMI_BACKEND_URL", "PULUMI_CONFIG_PASSPHRASE", "AWS_ROLE_TO_ASSUME", "RANCHER_URL"} <= used
    for name in used:
        assert f"`{name}`" in DOCS, f"secret {name} is not documented in docs/operations.md"
