"""The vendored chart sources (charts/vendor/) match the pins, and every release's values pass its chart's
values schema the way Helm checks them at install.
"""

import re
from pathlib import Path

import helm_python
import pytest
import yaml

from facts import versions
from tools.charts import VENDOR, coalesced_values, load, release_charts, render, schema_errors, vendored_chart
from tests.helpers import program_run, target_run

ISTIO_CHARTS = ("base", "istiod", "gateway", "cni")  # published names of manifests/charts/{base,...,istio-cni}


def pins():
    """(chart, version) of every third-party chart facts/versions.py pins, every Istio line included."""
    found = {(c, line) for line in versions.ISTIO_LINES for c in ISTIO_CHARTS}
    found |= {(v.chart, v.version) for v in vars(versions).values() if isinstance(v, versions.ChartRef)}
    return sorted(found)


def chart_yaml(path: Path) -> dict:
    return yaml.load((path / "Chart.yaml").read_text(), Loader=yaml.CSafeLoader)


def manifest():
    charts = yaml.load((VENDOR / "manifest.yaml").read_text(), Loader=yaml.CSafeLoader)["charts"]
    return {(e["chart"], e["version"]): e for e in charts}


# ----------------------------------------------------------------------------- pins <-> vendored copies


@pytest.mark.parametrize("chart,version", pins())
def test_every_pin_is_vendored_at_exactly_its_version(chart, version):
    meta = chart_yaml(vendored_chart(chart, version))
    assert (meta["name"], str(meta["version"])) == (chart, version)


def test_every_vendored_chart_is_pinned():
    dirs = {p.name for p in VENDOR.iterdir() if p.is_dir()}
    assert dirs == {f"{c}-{v}" for c, v in pins()}
    assert set(manifest()) == set(pins())


def test_both_istio_lines_and_all_four_istio_charts_are_vendored():
    # facts/versions.py ISTIO_LINES: the guide's 1.22 line and 1.29 for Kubernetes >= 1.31
    assert {v for c, v in pins() if c == "gateway"} == {"1.22.8", "1.29.6"}
    for line in ("1.22.8", "1.29.6"):
        for chart in ISTIO_CHARTS:
            assert chart_yaml(vendored_chart(chart, line))["version"] == line


def test_manifest_names_the_upstream_commit_of_every_chart_and_dependency():
    def check(entry):
        assert re.fullmatch(r"[0-9a-f]{40}", entry["commit"]), entry["chart"]
        assert entry["repository"].startswith("https://github.com/")
        for dep in entry["dependencies"]:
            if not dep.get("bundled"):
                check(dep)

    for entry in manifest().values():
        check(entry)


DOC = Path(__file__).resolve().parent.parent / "docs" / "vendored-charts.md"


def doc_rows() -> dict[tuple[str, str], list[str]]:
    """The rows of docs/vendored-charts.md "What is vendored", by (chart, version): the cells without
    their code quotes."""
    text = DOC.read_text().split("## What is vendored", 1)[1]
    rows = {}
    for line in text.split("\n\n", 2)[1].splitlines()[2:]:
        cells = [c.strip().strip("`") for c in line.strip("|").split("|")]
        rows[(cells[0], cells[1])] = cells
    return rows


def test_the_docs_table_says_what_the_manifest_says():
    """docs/vendored-charts.md lists each vendored chart once, with the manifest's upstream, tag,
    commit, path and stamping (the dependency notes are the doc's own words)."""
    rows, entries = doc_rows(), manifest()
    assert set(rows) == set(entries), (sorted(set(entries) - set(rows)), sorted(set(rows) - set(entries)))
    for key, e in entries.items():
        repo = e["repository"].removeprefix("https://github.com/")
        tag = e["ref"] if e["ref"] != e["commit"] else f"commit `{e['commit'][:8]}` (no tags)"  # a chart with no tag
        want = [e["chart"], e["version"], repo, tag, e["commit"][:12], e["path"], "yes" if e["stamped"] else "—"]
        assert rows[key][:7] == want, (key, rows[key][:7], want)


def test_refresh_script_knows_a_source_for_every_pin_and_wrote_this_manifest():
    from tools import vendor_charts

    assert vendor_charts.pinned() == pins()
    for (chart, version), entry in manifest().items():
        source = vendor_charts.chart_source(chart, version)
        assert (f"https://github.com/{source.repo}", source.ref, source.path) == (
            entry["repository"], entry["ref"], entry["path"])


def test_a_pinned_charts_source_is_written_once_in_its_pin():
    """The refresh script reads a pinned chart's source from the pin (facts/versions.py ``upstream``); its
    own table holds only charts that are vendored as a dependency and pinned nowhere."""
    from tools import vendor_charts

    pinned = {chart for chart, _ in pins()}
    assert pinned.isdisjoint(vendor_charts.DEPENDENCIES)
    for ref in [v for v in vars(versions).values() if isinstance(v, versions.ChartRef)]:
        assert vendor_charts.upstream(ref.chart, ref.version) is ref.upstream
        entry = manifest()[(ref.chart, ref.version)]
        # the pin's citation names the tag and path the vendored copy was exported from
        assert ref.source.startswith(f"{entry['repository'].removeprefix('https://github.com/')}@{entry['ref']} "
                                     f"{entry['path']}"), ref.chart
    # every dependency the manifest records comes from the pins or the table, or is a sibling chart in its
    # parent's tree (a file:// dependency, exported from the parent's tag: redpanda's console)
    def deps(entry):
        for dep in entry["dependencies"]:
            if not dep.get("bundled"):
                if (dep["repository"], dep["ref"]) != (entry["repository"], entry["ref"]):
                    yield dep
                yield from deps(dep)

    named = {dep["chart"] for entry in manifest().values() for dep in deps(entry)}
    assert named - pinned == set(vendor_charts.DEPENDENCIES)


def test_helmignore_rules_follow_helm():
    """helm/helm@v3.18.6 pkg/ignore/rules.go: `dir/` matches directories only; a pattern with a slash matches
    the path from the chart root (a leading `/` too), any other the base name at any depth; the first
    positive match ignores, and a `!` rule ignores whatever it does not match."""
    from tools.vendor_charts import _ignored

    assert _ignored("ci", True, ["ci/"]) and not _ignored("ci", False, ["ci/"])
    assert _ignored("templates/tests/x.yaml", False, ["*.yaml"]) and _ignored("a/b/OWNERS", False, ["OWNERS"])
    assert _ignored("files/dashboards", True, ["files/dashboards/"])
    assert not _ignored("charts/x/files/dashboards", True, ["files/dashboards/"])
    assert _ignored("tests", True, ["/tests/"]) and not _ignored("templates/tests", True, ["/tests/"])
    assert _ignored("keep.md", False, ["*.md", "!keep.md"])  # the first match wins
    assert _ignored("other.txt", False, ["!keep.md"]) and not _ignored("keep.md", False, ["!keep.md"])


# Dependency versions that differ from the Chart.lock (or Chart.yaml) entry, each for a reason the
# manifest records: (parent, dependency) -> (declared, vendored).
NOT_AS_LOCKED = {
    # no Chart.lock; `helm dependency build` at release resolved the range to the newest 0.12.x tagged before
    # kube-prometheus-stack-81.5.0 (2026-02-03) in prometheus-community/helm-charts: 0.12.3 (2026-01-31)
    ("kube-prometheus-stack", "prometheus-windows-exporter"): ("0.12.*", "0.12.3"),
    # jaeger's Chart.lock names bitnami common 2.34.0, which has no source in bitnami/charts (newest tag
    # common/2.31.10): the newest official source is vendored instead and recorded as substituted
    ("jaeger", "common"): ("2.34.0", "2.31.10"),
}


def _vendored_dirs():
    return sorted(p for p in VENDOR.iterdir() if p.is_dir())


@pytest.mark.parametrize("path", _vendored_dirs(), ids=lambda p: p.name)
def test_subcharts_are_present_at_their_locked_versions(path):
    """A Release whose Chart.yaml dependencies are missing from charts/ fails (pulumi/pulumi-kubernetes@v4.32.0
    provider/pkg/provider/helm_release.go calls helm/helm pkg/action/install.go CheckDependencies, as
    cmd/helm/install.go does); the versions are those of Chart.lock (helm/helm@v3.18.6
    pkg/downloader/manager.go Build), nested subcharts included."""
    def check(chart_dir: Path):
        meta = chart_yaml(chart_dir)
        lock = chart_dir / "Chart.lock"
        declared = yaml.safe_load(lock.read_text())["dependencies"] if lock.exists() else meta.get("dependencies") or []
        for dep in declared:
            sub = chart_dir / "charts" / dep["name"]
            got = str(chart_yaml(sub)["version"])
            want = str(dep["version"])
            if (meta["name"], dep["name"]) in NOT_AS_LOCKED:
                assert NOT_AS_LOCKED[(meta["name"], dep["name"])] == (want, got)
            elif dep.get("repository"):
                assert got == want, f"{chart_dir.name}/charts/{dep['name']}"
            check(sub)

    check(path)


def test_substitutions_are_recorded_in_the_manifest():
    (jaeger_common,) = manifest()[("jaeger", "4.11.1")]["dependencies"]
    assert (jaeger_common["locked"], jaeger_common["version"]) == ("2.34.0", "2.31.10")
    assert "no common 2.34.0" in jaeger_common["substituted"]


@pytest.mark.parametrize("chart,version", pins())
def test_every_vendored_chart_loads_with_its_subcharts(chart, version):
    path = vendored_chart(chart, version)
    declared = {d["name"] for d in chart_yaml(path).get("dependencies") or []}
    assert {d["name"] for d in load(path).dependencies} == declared


# ----------------------------------------------------------------------------- release-time stamping


@pytest.mark.parametrize("line", ["1.22.8", "1.29.6"])
def test_istio_charts_carry_the_release_stamping(line):
    """istio/release-builder@<line> pkg/build/helm.go: version/appVersion = the release; hub
    gcr.io/istio-testing -> docker.io/istio (release/build.sh DOCKER_HUB); tag latest -> the release."""
    for chart in ISTIO_CHARTS:
        meta = chart_yaml(vendored_chart(chart, line))
        assert (meta["version"], meta["appVersion"]) == (line, line)
    for chart in ("istiod", "cni"):
        text = (vendored_chart(chart, line) / "values.yaml").read_text()
        assert "gcr.io/istio-testing" not in text and not re.search(r"(?m)^\s*tag: latest$", text)
    istiod = load(vendored_chart("istiod", line)).values
    # the chart's defaults sit under a wrapper key: `defaults:` (1.22), `_internal_defaults_do_not_set:` (1.29)
    defaults = istiod["defaults"] if line == "1.22.8" else istiod["_internal_defaults_do_not_set"]
    assert defaults["global"]["hub"] == "docker.io/istio" and defaults["global"]["tag"] == line


def test_cert_manager_chart_is_built_from_its_template():
    """cert-manager/cert-manager@v1.19.6 make/manifests.mk: Chart.yaml from Chart.template.yaml via yq."""
    path = vendored_chart("cert-manager", "v1.19.6")
    meta = chart_yaml(path)
    assert (meta["version"], meta["appVersion"]) == ("v1.19.6", "v1.19.6")
    assert meta["annotations"]["artifacthub.io/prerelease"] == "false"
    assert "1020CF3C033D4F35BAE1C19E1226061C665DF13E" in meta["annotations"]["artifacthub.io/signKey"]
    assert not (path / "Chart.template.yaml").exists() and "{{RELEASE_VERSION}}" not in (path / "README.md").read_text()


def test_rancher_chart_placeholders_are_filled():
    """rancher/rancher@v2.13.3 scripts/chart/build; hook images = build.yaml defaultShellVersion
    rancher/shell:v0.6.2."""
    path = vendored_chart("rancher", "2.13.3")
    assert "%" not in (path / "Chart.yaml").read_text()
    assert not re.search(r"%[A-Z_]+%", (path / "values.yaml").read_text())
    meta = chart_yaml(path)
    assert (meta["version"], meta["appVersion"]) == ("2.13.3", "v2.13.3")
    values = load(path).values
    assert values["postDelete"]["image"] == {"repository": "rancher/shell", "tag": "v0.6.2"}


# ----------------------------------------------------------------------------- Helm's schema check


def test_helm_python_validates_after_coalescing_the_chart_defaults():
    """The Istio gateway chart 1.22.8 ships values.yaml with a top-level `defaults:` key and a schema whose
    root has additionalProperties: false (istio/istio@1.22.8 manifests/charts/gateway). Helm coalesces the
    defaults before validating (helm/helm@v3.18.6 pkg/chartutil/values.go ToRenderValuesWithSchemaValidation),
    so from Helm 3.18.5 (santhosh-tekuri/jsonschema v6) every install fails whatever values are passed
    (helm/helm#31160, istio/istio#57354). Empty user values fail here too: the defaults were merged."""
    gateway = vendored_chart("gateway", "1.22.8")
    assert "defaults" in load(gateway).values
    error = schema_errors(gateway, {})
    assert error and "additional properties 'defaults' not allowed" in error
    assert schema_errors(gateway, {"service": {"type": "ClusterIP"}})  # any values: still refused
    assert schema_errors(vendored_chart("gateway", "1.29.6"), {}) is None  # fixed upstream by 1.29.6


def test_coalescing_merges_defaults_subchart_defaults_and_null_deletes():
    """helm/helm@v3.18.6 pkg/chartutil/coalesce.go: user values win, maps merge key by key, a null user
    value deletes the default, subchart defaults sit under the subchart's name."""
    kps = vendored_chart("kube-prometheus-stack", "81.5.0")
    merged = coalesced_values(kps, {"grafana": {"replicas": 3}})
    assert merged["grafana"]["replicas"] == 3
    assert merged["grafana"]["adminUser"] == "admin"  # grafana/helm-charts@grafana-10.5.15 values.yaml
    ms = coalesced_values(vendored_chart("metrics-server", "3.13.1"), {"args": None, "replicas": 2})
    assert "args" not in ms and ms["replicas"] == 2


def _parent_with_strict_subchart(root: Path) -> Path:
    """parent 1.0.0 with subchart sub (condition sub.enabled, default true) whose schema is strict."""
    import json

    parent = root / "parent"
    sub = parent / "charts" / "sub"
    (sub / "templates").mkdir(parents=True)
    (parent / "templates").mkdir()
    (parent / "Chart.yaml").write_text("apiVersion: v2\nname: parent\nversion: 1.0.0\ndependencies:\n"
                                       "- name: sub\n  version: 1.0.0\n  condition: sub.enabled\n")
    (parent / "values.yaml").write_text("sub:\n  enabled: true\n")
    (sub / "Chart.yaml").write_text("apiVersion: v2\nname: sub\nversion: 1.0.0\n")
    (sub / "values.yaml").write_text("enabled: true\nreplicas: 1\n")
    (sub / "templates" / "cm.yaml").write_text("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: sub\n")
    (sub / "values.schema.json").write_text(json.dumps({
        "type": "object", "additionalProperties": False,
        "properties": {"enabled": {"type": "boolean"}, "replicas": {"type": "integer"}, "global": {}}}))
    return parent


def test_subchart_schemas_check_their_scoped_values_only_when_enabled(tmp_path):
    """helm/helm@v3.18.6 pkg/chartutil/jsonschema.go ValidateAgainstSchema validates each subchart's schema
    against values[<subchart>]; pkg/action/install.go drops disabled subcharts first
    (ProcessDependenciesWithMerge). A minimal parent with a strict subchart shows both."""
    parent = _parent_with_strict_subchart(tmp_path)
    assert schema_errors(parent, {"sub": {"replicas": 2}}) is None
    enabled = schema_errors(parent, {"sub": {"bogusKey": 1}})
    assert enabled and "sub:" in enabled and "'bogusKey' not allowed" in enabled
    typed = schema_errors(parent, {"sub": {"replicas": "two"}})  # the subchart's types, on its scoped values
    assert typed and "'/replicas': got string, want integer" in typed
    # disabled: Helm's install never validates it; validate_schema alone would (hence the render check)
    assert schema_errors(parent, {"sub": {"enabled": False, "bogusKey": 1}}) is None
    with pytest.raises(helm_python.HelmValuesError):
        load(parent).validate_schema({"sub": {"enabled": False, "bogusKey": 1}})


def test_rendering_never_strips_subcharts_from_the_shared_chart(tmp_path):
    """Helm's ProcessDependencies removes disabled subcharts from the loaded chart in place
    (helm/helm@v3.18.6 pkg/chartutil/dependencies.go processDependencyEnabled: c.SetDependencies(...)).
    helm-python-sdk's render does the same to its handle, so tools.charts.render loads afresh."""
    parent = _parent_with_strict_subchart(tmp_path)
    shared = load(parent)
    assert "charts/sub/templates/cm.yaml" not in str(render(parent, {"sub": {"enabled": False}}, "r", "ns"))
    assert [d["name"] for d in shared.dependencies] == ["sub"]
    assert any(k.endswith("charts/sub/templates/cm.yaml") for k in render(parent, {}, "r", "ns"))
    stripped = helm_python.Chart.load(parent)
    stripped.render({"sub": {"enabled": False}}, name="r", namespace="ns", is_install=True)
    assert stripped.dependencies == []  # what a shared handle would have become


# ----------------------------------------------------------------------------- every release of every run


def _runs():
    return {"dev": lambda: program_run("dev"), "prod": lambda: program_run("prod"),
            "prod-eks": lambda: target_run("prod", "eks"), "prod-vsphere": lambda: target_run("prod", "vsphere"),
            "prod-baremetal": lambda: target_run("prod", "baremetal")}


@pytest.mark.parametrize("run_name", list(_runs()))
def test_every_release_passes_its_chart_schema_with_defaults_merged(run_name):
    run = _runs()[run_name]()
    releases = release_charts(run)
    assert len(releases) >= 10  # the platform's third-party releases and ours
    failures = {r.resource: schema_errors(r.path, r.values, r.release, r.namespace) for r in releases}
    assert {k: v for k, v in failures.items() if v} == {}


@pytest.mark.parametrize("run_name", list(_runs()))
def test_no_stack_installs_a_gateway_chart_that_fails_its_own_schema(run_name):
    # The gateway chart 1.22.8 cannot install under Helm >= 3.18.5 (istio/istio#57354, proven by
    # test_helm_python_validates_after_coalescing_the_chart_defaults): istio-ingressgateway is
    # Istio's gateway-injection Deployment instead, on every Istio line (docs/platform.md).
    assert [r.resource for r in release_charts(_runs()[run_name]()) if r.chart == "gateway"] == []
