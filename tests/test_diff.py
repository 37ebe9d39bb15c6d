"""The offline diff reports what Kubernetes would receive differently between two settings/revisions."""

import json
import subprocess

import pytest

from tools import diff
from tools.diff import compare, markdown, take_snapshot
from tests import guide

NS = "tartware-infra"
MAX_PODS = guide.expected_totals()["max"]["pods"]
GATEWAY_MAX = guide.TABLE[guide.ROW_OF["api-gateway"]][1]


@pytest.fixture(scope="module")
def changes():
    base = take_snapshot("prod")
    head = take_snapshot("prod", overrides={f"{NS}:services": {"api-gateway": {"maxReplicas": 150, "cpuLimit": "3"}}})
    return compare(base, head)


def test_budget_changes(changes):
    rows = {(r["service"], r["field"]): (r["base"], r["head"]) for r in changes["budget"]}
    assert rows == {("api-gateway", "maxReplicas"): (GATEWAY_MAX, 150),
                    ("api-gateway", "cpuLimit"): (f"{guide.TABLE['API Gateway'][3]}m", "3000m")}
    totals = {(r["scale"], r["field"]): (r["base"], r["head"]) for r in changes["totals"]}
    assert totals[("max", "pods")] == (MAX_PODS, MAX_PODS + 150 - GATEWAY_MAX)  # the guide's total + 50 gateway pods
    assert ("min", "pods") not in totals


def test_manifest_changes_show_the_hpa_maximum_and_the_cpu_limit(changes):
    objs = {c["object"]: {f["path"]: (f["base"], f["head"]) for f in c["fields"]}
            for c in changes["manifests"]["changed"]}
    hpa = objs["HorizontalPodAutoscaler tartware-system/api-gateway-hpa"]
    assert hpa["spec.maxReplicas"] == (GATEWAY_MAX, 150)
    dep = objs["Deployment tartware-system/api-gateway"]
    assert dep["spec.template.spec.containers[api-gateway].resources.limits.cpu"] == (
        f"{guide.TABLE['API Gateway'][3]}m", "3000m")
    assert not changes["manifests"]["added"] and not changes["manifests"]["removed"]


def test_resource_changes_name_the_changed_inputs(changes):
    res = changes["resources"]
    assert not res["added"] and not res["removed"]
    release = next(c for c in res["changed"] if c["name"] == "tartware-release")
    assert release["inputKeys"] == ["values"]
    assert any(p.startswith("values.services.api-gateway.") and "max" in p.lower() for p in release["paths"])


def test_markdown_summary(changes):
    text = markdown(changes, "prod", "main", "pr")
    assert f"| api-gateway | maxReplicas | `{GATEWAY_MAX}` | `150` |" in text
    assert f"| `spec.maxReplicas` | `{GATEWAY_MAX}` | `150` |" in text
    assert "`HorizontalPodAutoscaler tartware-system/api-gateway-hpa`" in text
    assert f"| **total at max** | pods | `{MAX_PODS}` | `{MAX_PODS + 150 - GATEWAY_MAX}` |" in text


def test_missing_revision_is_a_clear_error(capsys):
    assert diff.main(["--base", "no-such-revision-0000"]) == 2
    err = capsys.readouterr().err
    assert "unknown git revision 'no-such-revision-0000'" in err


def _is_git_checkout():
    return subprocess.run(["git", "-C", str(diff.ROOT), "rev-parse", "HEAD"], capture_output=True).returncode == 0


@pytest.mark.skipif(not _is_git_checkout(), reason="not a git checkout")
def test_git_path_head_against_working_tree(monkeypatch, capsys):
    """--base HEAD: HEAD is exported with `git archive` and snapshotted in its own Python process.
    The working-tree side, which the CLI computes the same way in a second process, is this
    process's snapshot here (one subprocess less); on a clean checkout the two must be equal."""
    in_subprocess = diff.snapshots_of

    def head_in_subprocess(revs, stack):
        assert revs == ["HEAD", diff.WORKTREE]
        (base,) = in_subprocess(["HEAD"], stack)
        here = json.loads(json.dumps(diff.take_snapshot(stack), default=str))  # as the subprocess hands it over
        return [base, here]

    monkeypatch.setattr(diff, "snapshots_of", head_in_subprocess)
    assert diff.main(["--base", "HEAD", "--stack", "dev", "--json"]) == 0
    changes = json.loads(capsys.readouterr().out)
    clean = subprocess.run(["git", "-C", str(diff.ROOT), "status", "--porcelain"], capture_output=True,
                           text=True).stdout == ""
    if clean:  # CI's fresh checkout: HEAD through git archive in a subprocess == the tree in-process
        assert changes == compare({}, {}), changes
    out = markdown(changes, "dev", "HEAD", "working tree")
    assert out.startswith("## Offline plan diff — stack `dev`: `HEAD` → `working tree`")
    for section in ("### Budget", "### Pulumi resources", "### Kubernetes manifests"):
        assert section in out
