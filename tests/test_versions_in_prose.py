"""A chart's version is written once, in its pin (facts/versions.py, where Renovate bumps it).

Elsewhere in the code a pinned version may appear only inside a citation of a source at a tag
(``owner/repo@<tag> path``, which the project's rule "cite the source" asks for and which a bump
must revisit anyway); prose says "at the pin" instead of restating the number (``kube-prometheus-stack
81.5.0``, ``values.yaml at 81.5.0``), so a bump leaves no stale number behind. The Istio lines are
left out: two lines are pinned at once and the text speaks about a particular one.
"""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

import pytest

from facts import versions

ROOT = Path(__file__).resolve().parent.parent
SCANNED = ("facts", "settings", "rules", "components", "program", "tools", "e2e", "loadtest")
PINS = sorted({v.version.lstrip("v") for v in vars(versions).values()
               if dataclasses.is_dataclass(v) and isinstance(v, versions.ChartRef)} - set(versions.ISTIO_LINES),
              key=len, reverse=True)
# a pinned version not part of a citation's tag (@v0.15.2, @redis-ha-4.39.0, helm-chart/1.11.1)
VERSION = re.compile(r"(?<![@\w.\-/])v?(" + "|".join(map(re.escape, PINS)) + r")(?![\w.])")


def in_prose(line: str) -> list[str]:
    return [m.group(0) for m in VERSION.finditer(line)]


def test_no_pinned_version_in_prose():
    found = [f"{p.relative_to(ROOT)}:{i}: {v}" for d in SCANNED for p in sorted((ROOT / d).rglob("*.py"))
             if p != ROOT / "facts" / "versions.py"
             for i, line in enumerate(p.read_text().split("\n"), 1) for v in in_prose(line)]
    assert found == []


@pytest.mark.parametrize("line", [f"# kube-prometheus-stack {versions.KUBE_PROMETHEUS_STACK.version}: Prometheus",
                                  f"(values.yaml at {versions.KUBE_PROMETHEUS_STACK.version})",
                                  f"# chart {versions.EXTERNAL_SECRETS.version} webhook.port"])
def test_a_version_in_prose_is_found(line):
    assert in_prose(line)


def test_a_citation_at_a_tag_is_not_prose():
    assert in_prose(f"# metallb/metallb@v{versions.METALLB.version.lstrip('v')} internal/k8s/k8s.go") == []
    assert in_prose(f"DandyDeveloper/charts@redis-ha-{versions.REDIS_HA.version} charts/redis-ha") == []
