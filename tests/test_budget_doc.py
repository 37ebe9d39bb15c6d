"""The generated parts of docs/budget.md and docs/clusters.md are current (``python -m tools.budget_doc``).

Their figures are checked against the spec's table in tests/test_stated_totals.py; here only that
the docs say what the generator writes from the code now, and that a part without its markers is
refused by name rather than skipped.
"""

from __future__ import annotations

import pytest

from tools import budget_doc


def test_the_generated_parts_are_current():
    for path, render in budget_doc.renderers().items():
        assert path.read_text() == render(), f"docs/{path.name} is out of date: run {budget_doc.COMMAND}"


def test_a_part_without_markers_is_refused_by_name():
    with pytest.raises(ValueError, match="the markers of 'totals' are missing"):
        budget_doc.splice("no markers here\n", "totals", "| a |", "budget.md")


def test_a_part_is_replaced_between_its_markers_only():
    text = f"before\n{budget_doc.begin('x')}\nold\n{budget_doc.end('x')}\nafter\n"
    assert budget_doc.splice(text, "x", "new", "doc") == (
        f"before\n{budget_doc.begin('x')}\nnew\n{budget_doc.end('x')}\nafter\n")


def test_check_exits_one_naming_the_command_when_stale(tmp_path, monkeypatch, capsys):
    stale = tmp_path / "budget.md"
    stale.write_text(f"{budget_doc.begin('others')}\n{budget_doc.end('others')}\n")
    monkeypatch.setattr(budget_doc, "renderers", lambda: {stale: lambda: budget_doc.splice(
        stale.read_text(), "others", budget_doc.others_table(), stale.name)})
    assert budget_doc.main(["--check"]) == 1
    assert budget_doc.COMMAND in capsys.readouterr().err
