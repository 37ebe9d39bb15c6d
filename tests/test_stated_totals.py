"""The totals the docs state, recomputed from tests/guide.py (the spec's table written out by hand).

docs/budget.md is the one document that works the budget out; docs/clusters.md quotes the requests
at max, docs/data-and-observability.md links to the budget instead. Those figures are written by
``python -m tools.budget_doc`` from the code (tests/test_budget_doc.py checks they are current);
here every number is computed independently from ``guide.TABLE`` / ``guide.ROW_OF``, never copied
and never taken from the code, so a generator or catalog that disagrees with the spec fails here.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests import guide

DOCS = Path(__file__).resolve().parent.parent / "docs"
BUDGET = (DOCS / "budget.md").read_text()

# The app's own pool size per process, DB_POOL_MAX's default (red2n/tartware@a2583469
# Apps/config/src/index.ts:43, databaseSchema).
APP_POOL = 15
# The prod profile's pool per pod without the Pooler in front (docs/budget.md "Why these numbers").
DIRECT_POOL = 2
DEV_DIRECT_POOL = 4  # the dev profile's (the same section)


def _n(x: float) -> str:
    """A figure as the docs print it: 170, 10.5, 1.6 (no trailing .0)."""
    return f"{round(x, 3):g}"


def _thousands(x: int) -> str:
    return f"{x:,}"


def _row_totals(row: str, side: int) -> tuple[int, int, float, float, float, float]:
    """(services, pods, cpu req, cpu lim cores, memory req, lim GiB) of one guide row at min (0) or max (1)."""
    services = sum(1 for r in guide.ROW_OF.values() if r == row)
    lo_hi_cpu_mem = guide.TABLE[row]
    pods = services * lo_hi_cpu_mem[side]
    return (services, pods, pods * lo_hi_cpu_mem[2] / 1000, pods * lo_hi_cpu_mem[3] / 1000,
            pods * lo_hi_cpu_mem[4] / guide.GI, pods * lo_hi_cpu_mem[5] / guide.GI)


def _cells(services, mx, mn) -> list[str]:
    return [str(services), _n(mx[1]), f"{_n(mx[2])} / {_n(mx[3])}", f"{_n(mx[4])} / {_n(mx[5])}",
            _n(mn[1]), f"{_n(mn[2])} / {_n(mn[3])}", f"{_n(mn[4])} / {_n(mn[5])}"]


def _totals_table() -> list[list[str]]:
    section = BUDGET.split("## Totals", 1)[1].split("\n## ", 1)[0]
    rows = [line for line in section.splitlines() if line.startswith("| ")]
    return [[c.strip().strip("*") for c in r.strip("|").split("|")] for r in rows[1:]]  # no header


def test_the_totals_table_is_the_guides_table_summed():
    rows = _totals_table()
    assert len(rows) == len(guide.TABLE) + 1, "one line per guide row and the total"
    for cells, row in zip(rows, guide.TABLE):
        mx, mn = _row_totals(row, 1), _row_totals(row, 0)
        assert cells[1:] == _cells(mx[0], mx, mn), (row, cells)
    e = guide.expected_totals()
    total = ("total", len(guide.ROW_OF))
    mx = (None, e["max"]["pods"], e["max"]["cpuRequestCores"], e["max"]["cpuLimitCores"],
          e["max"]["memoryRequestGi"], e["max"]["memoryLimitGi"])
    mn = (None, e["min"]["pods"], e["min"]["cpuRequestCores"], e["min"]["cpuLimitCores"],
          e["min"]["memoryRequestGi"], e["min"]["memoryLimitGi"])
    assert rows[-1][0] == total[0]
    assert rows[-1][1:] == _cells(total[1], mx, mn)


def _stated() -> list[tuple[str, str]]:
    """(document, phrase) for every total the docs quote, with the numbers computed from the guide."""
    e = guide.expected_totals()
    mx, mn = e["max"], e["min"]
    pods_max, pods_min = mx["pods"], mn["pods"]
    others = sum(1 for r in guide.ROW_OF.values() if r == "Others")
    one_other = pods_max - (others - 1) * guide.TABLE["Others"][1]
    one_other_cpu = mx["cpuLimitCores"] - (others - 1) * guide.TABLE["Others"][1] * guide.TABLE["Others"][3] / 1000
    memory_tb = mx["memoryLimitGi"] * guide.GI / 1e12
    dev_max = guide.DEV_REPLICAS[1] * len(guide.ROW_OF)
    return [
        ("budget.md", f"| pods | ~{guide.STATED_MAX['pods']} | {pods_max} |"),
        ("budget.md", f"(one \"Others\" would give {one_other})"),
        ("budget.md", f"| {_n(mx['memoryLimitGi'])} GiB = {memory_tb:.2f} TB (limits) |"),
        ("budget.md", f"| {_n(mx['cpuLimitCores'])} cores (limits) |"),
        ("budget.md", f"the table's own limits sum to {_n(mx['cpuLimitCores'])} ({_n(one_other_cpu)} even"),
        ("budget.md", f"requests are {_n(mx['cpuRequestCores'])}."),
        ("budget.md", f"the requests ({_n(mx['cpuRequestCores'])} cores, {_n(mx['memoryRequestGi'])} GiB)"),
        ("budget.md", f"All {len(guide.ROW_OF)} services use the database"),
        ("budget.md", f"{pods_min} x {APP_POOL} = {_thousands(pods_min * APP_POOL)} connections at minimum scale"),
        ("budget.md", f"{pods_max} x {APP_POOL} = {_thousands(pods_max * APP_POOL)} at"),
        ("budget.md", f"| pods at min / max | {guide.DEV_REPLICAS[0] * len(guide.ROW_OF)} / "
                      f"{guide.DEV_REPLICAS[1] * len(guide.ROW_OF)} | {pods_min} / {pods_max} |"),
        ("budget.md", f"| {_thousands(pods_min * APP_POOL)} / {_thousands(pods_max * APP_POOL)} |"),
        ("budget.md", f"| prod | `import` | {pods_max} × {DIRECT_POOL} = {pods_max * DIRECT_POOL} |"),
        ("budget.md", f"| prod | `cutover` | {pods_max} × {DIRECT_POOL} = {pods_max * DIRECT_POOL} |"),
        ("budget.md", f"| dev | `import` | {dev_max} × {DEV_DIRECT_POOL} = {dev_max * DEV_DIRECT_POOL} |"),
        ("budget.md", f"over {pods_max} pods is"),
        ("clusters.md", f"requests {_n(mx['cpuRequestCores'])} cores / {_n(mx['memoryRequestGi'])} GiB "
                        "at `maxReplicas`"),
        ("clusters.md", f"of mesh sidecars for {pods_max} pods)"),
        ("data-and-observability.md", "[budget.md](budget.md#database-connections), generated"),
    ]


@pytest.mark.parametrize("doc,phrase", _stated(), ids=lambda v: v[:50])
def test_the_docs_quote_the_guides_totals(doc, phrase):
    assert phrase in (DOCS / doc).read_text(), f"docs/{doc} should say: {phrase!r}"


def test_the_readme_points_to_the_budget_rather_than_restating_it():
    """The README states no total (it links docs/budget.md), so a new service changes no README line."""
    readme = (DOCS.parent / "README.md").read_text()
    e = guide.expected_totals()["max"]
    for figure in (f"{e['pods']} pods", f"{_n(e['cpuRequestCores'])}/{_n(e['cpuLimitCores'])} cores"):
        assert figure not in readme
    assert re.search(r"\[docs/budget\.md\]\(docs/budget\.md\)", readme)


def test_data_and_observability_links_the_budget_rather_than_restating_it():
    text = (DOCS / "data-and-observability.md").read_text()
    pods_max = guide.expected_totals()["max"]["pods"]
    assert _thousands(pods_max * APP_POOL) not in text and f"{pods_max} pods" not in text
