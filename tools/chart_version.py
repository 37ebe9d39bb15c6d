"""A change to the Tartware chart's files bumps its version: the digest of every released version is
recorded, and the current files must match the current version's record.

    python -m tools.chart_version --check        # exit 1 if the chart changed without a new version
    python -m tools.chart_version --bump patch   # bump Chart.yaml's version (major|minor|patch), record it

Helm treats a chart version as immutable: a repository serves one package per name and version, and
``helm upgrade`` does not fetch again a version it has (https://helm.sh/docs/topics/charts/ "Charts
and Versioning": "Every chart must have a version number ... Packages in repositories are identified
by name plus version"). chart-testing enforces the bump against the git base branch
(``ct lint --check-version-increment``, https://github.com/helm/chart-testing/blob/main/doc/ct_lint.md);
this repository's tests run on a plain checkout without that history or the ``ct`` binary, so the
history is a small committed file instead: ``charts/chart-versions.json``, ``{version: digest}``.

The digest covers what ``helm package`` puts in the package: every file of the chart except those
its ``.helmignore`` drops (the rules of helm/helm@v3.18.6 pkg/ignore/rules.go, as tools/vendor_charts.py
applies them), with the ``version:`` line of Chart.yaml left out so the digest names the content.
The README and ``ci/`` values are packaged too, so they count.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import sys
from pathlib import Path

from tools.vendor_charts import packaged_files

ROOT = Path(__file__).resolve().parent.parent
CHART = ROOT / "charts" / "tartware"
RECORD = ROOT / "charts" / "chart-versions.json"
_VERSION = re.compile(r"^version:\s*(\S+)\s*$", re.M)
PARTS = ("major", "minor", "patch")


def version_of(chart: Path) -> str:
    match = _VERSION.search((chart / "Chart.yaml").read_text())
    if not match:
        raise ValueError(f"{chart / 'Chart.yaml'} has no version")
    return match.group(1).strip("'\"")


def _semver(version: str) -> tuple[int, int, int]:
    """MAJOR.MINOR.PATCH (https://semver.org, as Helm requires of a chart version); no pre-release here."""
    match = re.fullmatch(r"(\d+)\.(\d+)\.(\d+)", version)
    if not match:
        raise ValueError(f"chart version {version!r} is not MAJOR.MINOR.PATCH")
    major, minor, patch = (int(g) for g in match.groups())
    return major, minor, patch


def digest(chart: Path) -> str:
    """SHA-256 over the packaged files' relative paths and contents (Chart.yaml without its version)."""
    h = hashlib.sha256()
    for path in packaged_files(chart):
        rel = path.relative_to(chart).as_posix()
        data = path.read_bytes()
        if rel == "Chart.yaml":
            data = _VERSION.sub("version: <recorded>", data.decode()).encode()
        h.update(rel.encode() + b"\0" + hashlib.sha256(data).digest())
    return "sha256:" + h.hexdigest()


def load(record: Path) -> dict[str, str]:
    return json.loads(record.read_text()) if record.exists() else {}


def problems(chart: Path = CHART, record: Path = RECORD) -> list[str]:
    """What is wrong between the chart and its record; empty when the current version is recorded
    with the current files and is the newest version."""
    versions = load(record)
    current = version_of(chart)
    found = []
    if current not in versions:
        found.append(f"version {current} is not recorded in {record.name}: "
                     "run python -m tools.chart_version --bump patch")
    elif versions[current] != digest(chart):
        found.append(f"{chart.name} changed since version {current} was recorded: a changed chart needs a new "
                     f"version (python -m tools.chart_version --bump patch|minor|major)")
    ordered = list(versions)
    if [_semver(v) for v in ordered] != sorted({_semver(v) for v in ordered}):
        found.append(f"{record.name}: versions must increase, each once: {ordered}")
    if ordered and current in versions and ordered[-1] != current:
        found.append(f"Chart.yaml's version {current} is older than the newest recorded, {ordered[-1]}")
    return found


def bump(part: str, chart: Path = CHART, record: Path = RECORD) -> str:
    """Raise ``part`` of Chart.yaml's version (lower parts to 0) and record the new version's digest."""
    major, minor, patch = _semver(version_of(chart))
    new = {"major": (major + 1, 0, 0), "minor": (major, minor + 1, 0), "patch": (major, minor, patch + 1)}[part]
    version = ".".join(str(n) for n in new)
    chart_yaml = chart / "Chart.yaml"
    chart_yaml.write_text(_VERSION.sub(f"version: {version}", chart_yaml.read_text(), count=1))
    versions = load(record)
    versions[version] = digest(chart)
    record.write_text(json.dumps(versions, indent=2) + "\n")
    return version


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    group = parser.add_mutually_exclusive_group(required=True)
    group.add_argument("--check", action="store_true", help="exit 1 if the chart changed without a new version")
    group.add_argument("--bump", choices=PARTS, help="bump Chart.yaml's version and record the new digest")
    args = parser.parse_args(argv)
    if args.bump:
        print(f"{CHART.name} {bump(args.bump)}")
        return 0
    found = problems()
    for problem in found:
        print(f"error: {problem}", file=sys.stderr)
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
