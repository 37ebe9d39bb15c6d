"""Refresh charts/vendor/ from the charts' official git repositories (developers only: needs git and network).

    python -m tools.vendor_charts --mirrors /work/.mirror      # local mirrors laid out <owner>+<name>/repo
    python -m tools.vendor_charts --cache ~/.cache/tartware    # bare clones of https://github.com/<owner>/<name>

For every chart pinned in facts/versions.py (every Istio line too) it exports the chart directory from the
upstream tag, applies the release-time stamping upstream applies before `helm package`, drops what the chart's
.helmignore drops, places each dependency (Chart.lock versions, else Chart.yaml) unpacked under `charts/<name>/`,
and writes charts/vendor/manifest.yaml (repository, tag, commit, path per chart and dependency).
CI never runs this (no network there); tests read the result. See docs/vendored-charts.md.
"""

from __future__ import annotations

import argparse
import fnmatch
import io
import os
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Optional

import yaml

from facts import versions

ROOT = Path(__file__).resolve().parent.parent
VENDOR = ROOT / "charts" / "vendor"
MANIFEST = VENDOR / "manifest.yaml"


class Repo:
    """One upstream git repository (a local mirror or a bare clone)."""

    def __init__(self, name: str, git_dir: Path):
        self.name, self.git_dir = name, git_dir

    def git(self, *args: str) -> bytes:
        return subprocess.run(["git", f"--git-dir={self.git_dir}", *args], check=True, capture_output=True).stdout

    def commit(self, ref: str) -> str:
        return self.git("rev-parse", f"{ref}^{{commit}}").decode().strip()

    def show(self, ref: str, path: str) -> bytes:
        return self.git("show", f"{ref}:{path}")

    def export(self, ref: str, path: str, dest: Path) -> None:
        """The tree ``path`` at ``ref`` (or a packaged ``.tgz`` at that path), unpacked into ``dest``."""
        with tempfile.TemporaryDirectory() as tmp:
            if path.endswith(".tgz"):  # a chart archive as published (one top-level directory)
                with tarfile.open(fileobj=io.BytesIO(self.show(ref, path))) as tar:
                    tar.extractall(tmp, filter="data")
                (top,) = Path(tmp).iterdir()
            else:
                data = self.git("archive", "--format=tar", ref, path)
                with tarfile.open(fileobj=io.BytesIO(data)) as tar:
                    tar.extractall(tmp, filter="data")
                top = Path(tmp) / path
            shutil.rmtree(dest, ignore_errors=True)
            dest.parent.mkdir(parents=True, exist_ok=True)
            shutil.move(str(top), dest)


def open_repo(name: str, mirrors: Optional[Path], cache: Optional[Path]) -> Repo:
    if mirrors and (mirrors / name.replace("/", "+") / "repo").is_dir():
        return Repo(name, mirrors / name.replace("/", "+") / "repo")
    if cache is None:
        raise SystemExit(f"no mirror of {name} under {mirrors}; pass --cache DIR to clone it")
    bare = cache / (name.replace("/", "+") + ".git")
    if not bare.exists():
        subprocess.run(["git", "clone", "--bare", f"https://github.com/{name}.git", str(bare)], check=True)
    return Repo(name, bare)


# ------------------------------------------------------------------------------------ stamping
# Each function applies what the chart's release pipeline does to the source tree before packaging.

def _set_chart_fields(chart_dir: Path, **fields: str) -> None:
    """Rewrite top-level ``key: value`` lines of Chart.yaml in place (comments and order kept)."""
    path = chart_dir / "Chart.yaml"
    text = path.read_text()
    for key, value in fields.items():
        text, n = re.subn(rf"(?m)^{key}:.*$", f"{key}: {value}", text)
        assert n == 1, f"{path}: expected one top-level {key}:"
    path.write_text(text)


# istio/release-builder@<version> pkg/build/helm.go: the chart version and appVersion become the release
# version (1.22: sanitizeChart, 1.29: stampChartForRelease); in values.yaml the development hubs
# gcr.io/istio-testing and gcr.io/istio-release become the release hub (release/build.sh:
# DOCKER_HUB=docker.io/istio) and `tag: latest`, `tag: *-latest-daily`, `tag: 1.x-dev` the release version;
# kustomization.yaml files are dropped from the packaged charts (dropKustomize).
ISTIO_HUB = "docker.io/istio"


def stamp_istio(chart_dir: Path, version: str, repo: Repo, ref: str) -> None:
    _set_chart_fields(chart_dir, version=version, appVersion=version)
    values = chart_dir / "values.yaml"
    text = values.read_text()
    for hub in ("gcr.io/istio-testing", "gcr.io/istio-release"):
        text = text.replace(f"hub: {hub}", f"hub: {ISTIO_HUB}").replace(f'"hub": "{hub}"', f'"hub": "{ISTIO_HUB}"')
    for pattern in (r"tag: .*-latest-daily", r"tag: latest", r"tag: 1\..-dev"):
        text = re.sub(pattern, f"tag: {version}", text)
    values.write_text(text.replace('"tag": "latest"', f'"tag": "{version}"'))
    for kustomization in chart_dir.rglob("kustomization.yaml"):
        kustomization.unlink()


# cert-manager/cert-manager@v1.19.6 make/manifests.mk (Helm Targets): the package holds Chart.yaml built by yq
# from Chart.template.yaml (version and appVersion = the release, artifacthub.io/prerelease "false" for a
# release, artifacthub.io/signKey from signkey_annotation.txt), README.md from README.template.md with
# {{RELEASE_VERSION}} replaced, values.yaml, values.schema.json and templates/.
def stamp_cert_manager(chart_dir: Path, version: str, repo: Repo, ref: str) -> None:
    chart = yaml.safe_load((chart_dir / "Chart.template.yaml").read_text())
    chart["annotations"]["artifacthub.io/signKey"] = (chart_dir / "signkey_annotation.txt").read_text()
    chart["annotations"]["artifacthub.io/prerelease"] = "false"
    chart["version"] = chart["appVersion"] = version
    (chart_dir / "Chart.yaml").write_text(yaml.safe_dump(chart, sort_keys=False))
    readme = (chart_dir / "README.template.md").read_text().replace("{{RELEASE_VERSION}}", version)
    (chart_dir / "README.md").write_text(readme)
    keep = {"Chart.yaml", "README.md", "values.yaml", "values.schema.json", "templates"}
    for entry in chart_dir.iterdir():
        if entry.name not in keep:
            shutil.rmtree(entry) if entry.is_dir() else entry.unlink()


# rancher/rancher@v2.13.3 scripts/chart/build + scripts/version: %VERSION% = the tag without "v",
# %APP_VERSION% = the tag; the post-delete and pre-upgrade hook images = build.yaml defaultShellVersion.
def stamp_rancher(chart_dir: Path, version: str, repo: Repo, ref: str) -> None:
    build = yaml.safe_load(repo.show(ref, "build.yaml"))
    image, tag = build["defaultShellVersion"].split(":")
    chart = chart_dir / "Chart.yaml"
    chart.write_text(chart.read_text().replace("%VERSION%", version).replace("%APP_VERSION%", f"v{version}"))
    values = chart_dir / "values.yaml"
    text = values.read_text()
    for hook in ("POST_DELETE", "PRE_UPGRADE"):
        text = text.replace(f"%{hook}_IMAGE_NAME%", image).replace(f"%{hook}_IMAGE_TAG%", tag)
    values.write_text(text)


# `helm package --version V --app-version V` (external-secrets/bitwarden-sdk-server@v0.6.0
# .github/workflows/release.yaml): the chart's Chart.yaml keeps a placeholder version in git.
def stamp_helm_package(chart_dir: Path, version: str, repo: Repo, ref: str) -> None:
    _set_chart_fields(chart_dir, version=version, appVersion=f'"{version}"')


# ------------------------------------------------------------------------------------ sources

Stamp = Callable[[Path, str, Repo, str], None]


@dataclass(frozen=True)
class Source:
    repo: str  # owner/name on GitHub
    ref: str  # tag (or commit where upstream tags none) holding the chart at the version
    path: str  # chart directory in the repository, or a published .tgz
    stamp: Optional[Stamp] = None


# What each upstream repository's release pipeline does to a chart before packaging (the functions above).
STAMPS: dict[str, Stamp] = {
    "istio/istio": stamp_istio,
    "cert-manager/cert-manager": stamp_cert_manager,
    "rancher/rancher": stamp_rancher,
    "external-secrets/bitwarden-sdk-server": stamp_helm_package,
}


def _prometheus(name: str) -> versions.Upstream:
    return versions.Upstream("prometheus-community/helm-charts", name + "-{version}", f"charts/{name}")


# Charts vendored only as a dependency of a pinned chart (their version comes from the parent's Chart.lock,
# else its Chart.yaml): no pin names their source, so it is written here. A pinned chart's source is its
# pin's ``upstream`` (facts/versions.py); tests/test_vendored_charts.py checks no chart is in both.
DEPENDENCIES: dict[str, versions.Upstream] = {
    # cloudnative-pg's optional Grafana-dashboard subchart (alias `monitoring`), from its own repository
    "cluster": versions.Upstream("cloudnative-pg/grafana-dashboards", "cluster-v{version}", "charts/cluster"),
    "common": versions.Upstream("bitnami/charts", "common/{version}", "bitnami/common"),
    "kube-state-metrics": _prometheus("kube-state-metrics"),
    "prometheus-node-exporter": _prometheus("prometheus-node-exporter"),
    "prometheus-windows-exporter": _prometheus("prometheus-windows-exporter"),
    "grafana": versions.Upstream("grafana/helm-charts", "grafana-{version}", "charts/grafana"),
    "grafana-agent-operator": versions.Upstream("grafana/helm-charts", "grafana-agent-operator-{version}",
                                                "charts/agent-operator"),
    "rollout-operator": versions.Upstream("grafana/helm-charts", "rollout-operator-{version}",
                                          "charts/rollout-operator"),
    # charts.min.io serves the archives committed in minio/minio helm-releases/ (its index.yaml urls);
    # 43a74029 is the commit that published minio-5.4.0.tgz (sha256 25fa2740... as in that index.yaml).
    "minio": versions.Upstream("minio/minio", "43a74029685512ce9b1b76c053d48b43fc8d64fc",
                               "helm-releases/minio-{version}.tgz"),
    "frr-k8s": versions.Upstream("metallb/frr-k8s", "v{version}", "charts/frr-k8s"),
    "bitwarden-sdk-server": versions.Upstream("external-secrets/bitwarden-sdk-server", "{version}",
                                              "deploy/charts/bitwarden-sdk-server"),
}


def pins() -> list[versions.ChartRef]:
    """Every third-party chart facts/versions.py pins, each Istio chart of every Istio line included."""
    found = [versions.istio_chart(c, v) for v in versions.ISTIO_LINES for c in versions.ISTIO_CHART_PATHS]
    found += [value for value in vars(versions).values() if isinstance(value, versions.ChartRef)]
    return found


def upstream(chart: str, version: str) -> versions.Upstream:
    """The source of ``chart`` at ``version``: its pin's, else (a dependency only) the table above."""
    for pin in pins():
        if (pin.chart, pin.version) == (chart, version):
            return pin.upstream
    return DEPENDENCIES[chart]


def chart_source(chart: str, version: str) -> Source:
    up = upstream(chart, version)
    return Source(up.repo, up.tag(version), up.path.format(version=version), STAMPS.get(up.repo))


# A dependency given as a range with no Chart.lock is resolved by `helm dependency build` when upstream
# packages the chart; the version here is the newest matching release tagged before the parent's tag
# (prometheus-community/helm-charts: prometheus-windows-exporter-0.12.3 2026-01-31, kube-prometheus-stack-81.5.0
# 2026-02-03, next 0.12.4 2026-03-20).
RESOLVED = {("kube-prometheus-stack", "prometheus-windows-exporter"): "0.12.3"}

# Locked dependency versions with no source in the official repository: (parent, dependency, locked) ->
# (version vendored instead, reason). Recorded as such in the manifest and in docs/vendored-charts.md.
SUBSTITUTED = {
    ("jaeger", "common", "2.34.0"): (
        "2.31.10",
        "bitnami/charts has no common 2.34.0 (its newest bitnami/common is 2.31.10, tag common/2.31.10); "
        "jaeger's lock was resolved from the charts.bitnami.com index, with no source in the repository",
    ),
}


def pinned() -> list[tuple[str, str]]:
    """(chart, version) of every third-party chart facts/versions.py pins, Istio lines included."""
    return sorted({(pin.chart, pin.version) for pin in pins()})


def vendor_dir(chart: str, version: str) -> Path:
    return VENDOR / f"{chart}-{version}"


# ------------------------------------------------------------------------------------ .helmignore
# helm/helm@v3.18.6 pkg/ignore/rules.go (Rules.Ignore, parseRule): rules in file order, the first positive
# match ignores; a trailing `/` restricts a rule to directories; a rule with a leading `/` or any `/`
# matches the path from the chart root, any other the base name; `!rule` ignores every path it does NOT
# match (Helm's own reading of negation); globs as Go's filepath.Match (`*` stops at `/`).

def _glob(pattern: str, name: str) -> bool:
    return fnmatch.fnmatchcase(name, pattern) and name.count("/") == pattern.count("/")


def _ignored(rel: str, is_dir: bool, rules: list[str]) -> bool:
    for rule in rules:
        negate = rule.startswith("!")
        pattern = rule[1:] if negate else rule
        must_dir = pattern.endswith("/")
        pattern = pattern[:-1] if must_dir else pattern
        if pattern.startswith("/") or "/" in pattern:
            hit = _glob(pattern.lstrip("/"), rel)
        else:
            hit = _glob(pattern, rel.rsplit("/", 1)[-1])
        if negate:
            if (must_dir and not is_dir) or not hit:
                return True
            continue
        if must_dir and not is_dir:
            continue
        if hit:
            return True
    return False


def _rules(chart_dir: Path) -> list[str]:
    path = chart_dir / ".helmignore"
    if not path.exists():
        return []
    return [r for r in (line.strip() for line in path.read_text().splitlines()) if r and not r.startswith("#")]


def packaged_files(chart_dir: Path) -> list[Path]:
    """The files ``helm package`` would put in the chart's package (.helmignore applied), sorted."""
    rules = _rules(chart_dir)
    found = []
    for dirpath, dirnames, filenames in os.walk(chart_dir, topdown=True):
        base = Path(dirpath)
        dirnames[:] = sorted(d for d in dirnames
                             if not _ignored((base / d).relative_to(chart_dir).as_posix(), True, rules))
        found += [base / n for n in filenames
                  if n == ".helmignore" or not _ignored((base / n).relative_to(chart_dir).as_posix(), False, rules)]
    return sorted(found)


def apply_helmignore(chart_dir: Path) -> None:
    rules = _rules(chart_dir)
    if not rules:
        return
    for dirpath, dirnames, filenames in os.walk(chart_dir, topdown=True):
        base = Path(dirpath)
        for name in list(dirnames):
            rel = (base / name).relative_to(chart_dir).as_posix()
            if rel != "charts" and _ignored(rel, True, rules):
                shutil.rmtree(base / name)
                dirnames.remove(name)
        for name in filenames:
            rel = (base / name).relative_to(chart_dir).as_posix()
            if name != ".helmignore" and _ignored(rel, False, rules):
                (base / name).unlink()


# ------------------------------------------------------------------------------------ export

def chart_yaml(chart_dir: Path) -> dict:
    return yaml.safe_load((chart_dir / "Chart.yaml").read_text())


def vendor(chart: str, version: str, dest: Path, open_: Callable[[str], Repo], source: Optional[Source] = None,
           repo_ref: Optional[tuple[Repo, str]] = None) -> dict:
    """Export ``chart`` at ``version`` into ``dest`` with its dependencies; return its manifest entry."""
    source = source or chart_source(chart, version)
    repo = repo_ref[0] if repo_ref else open_(source.repo)
    commit = repo.commit(source.ref)
    repo.export(commit, source.path, dest)
    if source.stamp:
        source.stamp(dest, version, repo, commit)
    apply_helmignore(dest)  # before the subcharts go in: each is filtered by its own .helmignore
    meta = chart_yaml(dest)
    if (meta["name"], str(meta["version"])) != (chart, version):
        raise SystemExit(f"{source.repo}@{source.ref} {source.path}: Chart.yaml is {meta['name']} "
                         f"{meta['version']}, not {chart} {version}")
    entry = {"chart": chart, "version": version, "repository": f"https://github.com/{source.repo}",
             "ref": source.ref, "commit": commit, "path": source.path,
             "stamped": bool(source.stamp), "dependencies": []}
    lock = dest / "Chart.lock"
    deps = yaml.safe_load(lock.read_text())["dependencies"] if lock.exists() else meta.get("dependencies") or []
    for dep in deps:
        name, wanted, repository = dep["name"], str(dep["version"]), dep.get("repository") or ""
        sub = dest / "charts" / name
        if not repository:  # shipped inside the parent's own charts/ directory
            got = str(chart_yaml(sub)["version"])
            entry["dependencies"].append({"chart": name, "version": got, "bundled": True})
            continue
        version_ = RESOLVED.get((chart, name), wanted)
        substitute = SUBSTITUTED.get((chart, name, version_))
        if substitute:
            version_ = substitute[0]
        if repository.startswith("file://"):  # a sibling chart in the same repository and tag
            path = os.path.normpath(os.path.join(source.path, repository[len("file://"):]))
            sub_entry = vendor(name, version_, sub, open_, Source(source.repo, source.ref, path), (repo, commit))
        else:
            sub_entry = vendor(name, version_, sub, open_)
            # upstream may commit the packaged dependency too (metallb: charts/frr-k8s-<v>.tgz): Helm
            # would load both copies, so keep only the unpacked one
            (dest / "charts" / f"{name}-{wanted}.tgz").unlink(missing_ok=True)
        sub_entry["locked"] = wanted
        if substitute:
            sub_entry["substituted"] = substitute[1]
        entry["dependencies"].append(sub_entry)
    return entry


def main(argv: Optional[list[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--mirrors", type=Path, help="directory of mirrors <owner>+<name>/repo")
    parser.add_argument("--cache", type=Path, help="directory for bare clones from github.com")
    parser.add_argument("charts", nargs="*", help="only these chart names (default: every pin)")
    args = parser.parse_args(argv)
    repos: dict[str, Repo] = {}

    def open_(name: str) -> Repo:
        if name not in repos:
            repos[name] = open_repo(name, args.mirrors, args.cache)
        return repos[name]

    old = yaml.safe_load(MANIFEST.read_text())["charts"] if MANIFEST.exists() else []
    entries = {(e["chart"], e["version"]): e for e in old}
    wanted = pinned()
    for chart, version in wanted:
        if args.charts and chart not in args.charts:
            continue
        print(f"vendoring {chart} {version}", file=sys.stderr)
        entries[(chart, version)] = vendor(chart, version, vendor_dir(chart, version), open_)
    for key in set(entries) - set(wanted):  # a pin that moved: drop the old copy
        del entries[key]
        shutil.rmtree(vendor_dir(*key), ignore_errors=True)
    header = "# GENERATED by `python -m tools.vendor_charts`: where each vendored chart comes from.\n"
    body = yaml.safe_dump({"charts": [entries[k] for k in sorted(entries)]}, sort_keys=False, width=120)
    MANIFEST.write_text(header + body)
    return 0


if __name__ == "__main__":
    sys.exit(main())
