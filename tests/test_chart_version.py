"""A change to charts/tartware bumps its version (tools/chart_version.py, charts/chart-versions.json)."""

from __future__ import annotations

import json
import shutil

import pytest
import yaml

from tools import chart_version
from tools.chart_version import CHART, RECORD, bump, digest, problems, version_of


def test_the_current_chart_is_its_versions_record():
    assert problems() == []


def test_chart_yaml_names_home_and_sources():
    meta = yaml.safe_load((CHART / "Chart.yaml").read_text())
    assert meta["home"].startswith("https://")
    assert meta["sources"] and all(s.startswith("https://") for s in meta["sources"])


@pytest.fixture
def chart(tmp_path):
    """A copy of the chart and its record to plant changes in."""
    copy = tmp_path / "charts" / "tartware"
    shutil.copytree(CHART, copy)
    record = tmp_path / "charts" / RECORD.name
    shutil.copy(RECORD, record)
    return copy, record


@pytest.mark.parametrize("changed", ["templates/deployment.yaml", "values.yaml", "README.md",
                                     "ci/pdb-percentage-values.yaml"])
def test_a_changed_file_without_a_bump_is_refused(chart, changed):
    copy, record = chart
    with (copy / changed).open("a") as f:
        f.write("\n# planted\n")
    (found,) = problems(copy, record)
    assert "changed since version" in found and "--bump" in found


def test_a_new_file_is_a_change_and_an_ignored_one_is_not(chart):
    copy, record = chart
    (copy / "templates" / "notes.bak").write_text("ignored by .helmignore (*.bak)")
    assert problems(copy, record) == []
    (copy / "templates" / "extra.yaml").write_text("# planted\n")
    assert problems(copy, record) != []


def test_a_bump_records_the_new_digest(chart):
    copy, record = chart
    (copy / "templates" / "deployment.yaml").write_text((copy / "templates" / "deployment.yaml").read_text() + "\n")
    before = version_of(copy)
    after = bump("minor", copy, record)
    major, minor, _ = (int(n) for n in before.split("."))
    assert after == f"{major}.{minor + 1}.0" == version_of(copy)
    assert json.loads(record.read_text())[after] == digest(copy)
    assert problems(copy, record) == []


def test_only_the_version_line_of_chart_yaml_is_left_out(chart):
    copy, record = chart
    meta = copy / "Chart.yaml"
    meta.write_text(meta.read_text().replace("keywords:", "keywords:\n  - planted"))
    assert problems(copy, record) != []


def test_an_older_or_unrecorded_version_is_refused(chart):
    copy, record = chart
    meta = copy / "Chart.yaml"
    meta.write_text(meta.read_text().replace(f"version: {version_of(copy)}", "version: 0.9.0"))
    assert any("not recorded" in p for p in problems(copy, record))
    versions = json.loads(record.read_text())
    record.write_text(json.dumps({**versions, "0.9.0": digest(copy)}))
    assert any("must increase" in p for p in problems(copy, record))


def test_the_cli_check(capsys):
    assert chart_version.main(["--check"]) == 0
