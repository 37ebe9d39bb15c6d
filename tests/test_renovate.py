"""Every pin in facts/versions.py carries a `# renovate:` marker that renovate.json's regex
manager reads (https://docs.renovatebot.com/modules/manager/regex/: named groups datasource,
depName, registryUrl, currentValue, currentDigest), and the manager captures exactly the pinned version."""

import json
import re
from pathlib import Path

from facts import versions

ROOT = Path(__file__).resolve().parent.parent
SOURCE = (ROOT / "facts" / "versions.py").read_text()
# A pin: a ChartRef, an Istio line, an image, a Bitnami image entry, a release version.
PIN = re.compile(r'^\s*(?:[A-Z0-9_]+ = ChartRef\(|IstioLine\("|[A-Z0-9_]+_IMAGE = "|"[^"]+": \("|[A-Z0-9_]+_VERSION = ")')
DATASOURCES = {"helm", "docker", "github-tags"}


def _match_strings() -> list[re.Pattern]:
    config = json.loads((ROOT / "renovate.json").read_text())
    (manager,) = config["customManagers"]
    assert manager["customType"] == "regex"
    assert any(re.search(p.strip("/"), "facts/versions.py") for p in manager["managerFilePatterns"])
    # JavaScript named groups (?<name>...) are Python's (?P<name>...)
    return [re.compile(m.replace("(?<", "(?P<")) for m in manager["matchStrings"]]


def test_every_pin_has_a_marker_above_it():
    lines = SOURCE.split("\n")
    pins = [i for i, line in enumerate(lines) if PIN.match(line)]
    assert len(pins) >= 30
    for i in pins:
        marker = lines[i - 1].strip()
        assert marker.startswith("# renovate: datasource="), f"no marker above: {lines[i]}"
        fields = dict(part.split("=", 1) for part in marker.removeprefix("# renovate: ").split())
        assert fields["datasource"] in DATASOURCES and fields["depName"]
        if fields["datasource"] == "helm":
            assert fields["registryUrl"].startswith("https://")


def test_the_manager_captures_each_pinned_version():
    patterns = _match_strings()
    found = [m.groupdict() for p in patterns for m in p.finditer(SOURCE)]
    assert len(found) == SOURCE.count("# renovate: datasource=")  # every marker is read
    captured = {(f["depName"], f["currentValue"]) for f in found}
    for ref in [v for v in vars(versions).values() if isinstance(v, versions.ChartRef)]:
        dep = ref.chart if not ref.repo.startswith("oci://") else f"{ref.repo.removeprefix('oci://')}/{ref.chart}"
        assert (dep, ref.version) in captured, ref
    for line in versions.ISTIO_LINES.values():
        assert ("istiod", line.version) in captured
    assert ("docker.io/grafana/k6", "1.7.1") in captured
    # an image pinned by tag and digest: renovate reads both (currentDigest), so it bumps them together
    digests = {f["depName"]: f.get("currentDigest") for f in found if f.get("currentDigest")}
    assert digests["docker.io/grafana/k6"] == "sha256:" + versions.K6_IMAGE.rsplit("@sha256:", 1)[1]
    assert set(digests) == {"docker.io/grafana/k6", "docker.io/library/postgres", "docker.io/rclone/rclone",
                            "docker.io/redpandadata/redpanda", "ghcr.io/cloudnative-pg/postgresql",
                            "quay.io/oauth2-proxy/oauth2-proxy"}
    assert ("docker.io/bitnamilegacy/postgresql", versions.BITNAMI_IMAGES["postgresql"][1]) in captured
    assert ("rancher/local-path-provisioner", versions.LOCAL_PATH_VERSION) in captured
