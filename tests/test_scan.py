"""The scanner's gate: failures need a written reason, an empty scan fails."""

import pytest

from tools.scan import SKIP_FILE, Skip, evaluate, load_skips


def report(failed, passed=10, resources=5):
    return {
        "summary": {"passed": passed, "failed": len(failed), "resource_count": resources},
        "results": {"failed_checks": [
            {"check_id": cid, "check_name": "x", "resource": res, "file_path": "/f.yaml"} for cid, res in failed
        ]},
    }


def test_skip_file_entries_all_have_reasons():
    skips = load_skips()
    assert skips, "the skip file is empty"
    for s in skips:
        assert len(s.reason) >= 20 and s.id.startswith("CKV")


def test_unlisted_failure_is_unexplained():
    skips = [Skip("CKV_K8S_43", "images pinned by tag for helm upgrades", resources=("Deployment.tartware-system.*",))]
    unexplained, _ = evaluate("prod", report([("CKV_K8S_43", "Deployment.tartware-system.api-gateway"),
                                              ("CKV_K8S_20", "Deployment.tartware-system.api-gateway")]), skips)
    assert len(unexplained) == 1 and unexplained[0].startswith("CKV_K8S_20")


def test_skip_scoped_to_stack_and_resource():
    skip = Skip("CKV_K8S_15", "dev uses kind side-loaded images", stacks=("dev",), resources=("Deployment.*",))
    assert skip.covers("dev", "CKV_K8S_15", "Deployment.tartware-system.core-service")
    assert not skip.covers("prod", "CKV_K8S_15", "Deployment.tartware-system.core-service")
    assert not skip.covers("dev", "CKV_K8S_15", "CronJob.database.backup")


def test_skip_without_reason_is_refused(tmp_path):
    bad = tmp_path / "skips.yaml"
    bad.write_text("skips:\n  - id: CKV_K8S_43\n    reason: because\n")
    with pytest.raises(ValueError, match="written reason"):
        load_skips(bad)


def test_summary_counts_are_reported():
    _, summary = evaluate("prod", report([], passed=0, resources=0), [])
    assert summary == {"passed": 0, "failed": 0, "resource_count": 0}


def test_skip_file_location():
    assert SKIP_FILE.name == "checkov-skips.yaml"


def test_every_skip_names_objects_of_the_whole_render():
    """No stale skip: each resource pattern matches an object of the dev or prod whole-system render
    (checkov names objects Kind.namespace.name, cluster-scoped ones with namespace `default`)."""
    import fnmatch

    from tests.helpers import system_render

    names = {f"{i.kind}.{i.namespace or 'default'}.{i.name}" for stack in ("dev", "prod")
             for i in system_render(stack).items}
    names |= {"Job.tartware-ops.k6-load-0"}  # the opt-in load test (scan variant prod-loadtest): k6-<profile>-<run>
    # Locust (scan variant prod-locust): components/operations/loadtest.py names its Deployments locust-<role>
    names |= {"Deployment.tartware-ops.locust-master", "Deployment.tartware-ops.locust-worker"}
    # the SSO gate (scan variant prod-sso, rendered once per session: tests/test_access.py)
    from tools.scan import variant_system

    names |= {f"{i.kind}.{i.namespace or 'default'}.{i.name}" for i in variant_system("prod-sso").items}
    # the Vault backend's external-secrets release (scan variant prod-vault): its object names do not
    # depend on our values, so the vendored chart rendered with its defaults names them
    from facts.versions import BARMAN_CLOUD_PLUGIN, EXTERNAL_SECRETS
    from tools.charts import vendored_chart
    from tools.system import ReleaseInfo, render_release

    eso = ReleaseInfo("external-secrets", "external-secrets", EXTERNAL_SECRETS.chart, EXTERNAL_SECRETS.version,
                      vendored_chart(EXTERNAL_SECRETS.chart, EXTERNAL_SECRETS.version), {"installCRDs": True})
    # likewise the Barman Cloud plugin, installed with an off-site bucket (scan variant prod-backup-restore)
    plugin = ReleaseInfo("plugin-barman-cloud", "cnpg-system", BARMAN_CLOUD_PLUGIN.chart, BARMAN_CLOUD_PLUGIN.version,
                         vendored_chart(BARMAN_CLOUD_PLUGIN.chart, BARMAN_CLOUD_PLUGIN.version), {})
    names |= {f"{d['kind']}.{d['metadata'].get('namespace') or 'default'}.{d['metadata']['name']}"
              for d in render_release(eso) + render_release(plugin)}
    for skip in load_skips():
        for pattern in skip.resources:
            assert fnmatch.filter(names, pattern), (skip.id, pattern)
