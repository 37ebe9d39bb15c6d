"""The hand-written numbers of tests/guide.py against the guide itself (docs/spec/deployment-guide.md).

tests/guide.py is what the other tests compare the program with; this test is what keeps it equal
to the specification, so neither can drift alone.
"""

import re
from pathlib import Path

from tests import guide

SPEC = (Path(__file__).resolve().parent.parent / "docs" / "spec" / "deployment-guide.md").read_text()


def _quantity(text: str) -> int:
    """'512Mi' / '2Gi' -> bytes; '500m' -> millicores."""
    units = {"Mi": guide.MI, "Gi": guide.GI, "m": 1}
    m = re.fullmatch(r"(\d+)(Mi|Gi|m)", text)
    assert m, text
    return int(m.group(1)) * units[m.group(2)]


def test_resource_table_matches_the_guide():
    rows = {}
    for line in SPEC.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) == 5 and cells[1].isdigit():
            cpu_lo, cpu_hi = cells[3].split("-")
            mem_lo, mem_hi = cells[4].split("-")
            rows[cells[0]] = (int(cells[1]), int(cells[2]), _quantity(cpu_lo), _quantity(cpu_hi),
                              _quantity(mem_lo), _quantity(mem_hi))
    assert rows == guide.TABLE


def test_scaling_numbers_match_the_guide():
    assert f"CPU utilization ({guide.HPA_CPU}% threshold)" in SPEC
    assert f"Memory utilization ({guide.HPA_MEMORY}% threshold)" in SPEC
    assert f"{guide.SCALE_UP[0]}% increase every {guide.SCALE_UP[1]}s" in SPEC
    assert f"{guide.SCALE_DOWN[0]}% decrease every {guide.SCALE_DOWN[1]}s" in SPEC


def test_stated_totals_match_the_guide():
    assert f"CPU: ~{guide.STATED_MAX['cpu_cores']} cores" in SPEC
    assert f"Memory: ~{guide.STATED_MAX['memory_tb']}TB" in SPEC
    assert f"Pods: ~{guide.STATED_MAX['pods']}" in SPEC


def test_names_match_the_guide():
    assert f"--namespace {guide.NAMESPACE}" in SPEC
    assert f"helm upgrade --install {guide.RELEASE} ." in SPEC
    assert "20,000 operations per second" in SPEC
