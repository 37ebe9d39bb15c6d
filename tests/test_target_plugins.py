"""The cluster targets are plug-ins (settings/targets/): nothing outside them compares target names.

Everything above the cluster asks a target's traits (``settings.targets.target(name).<trait>``);
a comparison with a target's name (``target == "eks"``, ``target in ("vsphere", "baremetal")``)
or a table keyed by target names outside the target modules is a second place a target is
written down, and adding one would mean finding them all. The scan parses every module with
``ast``; the planted examples below prove it finds each form.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from components.cluster import TARGETS as COMPONENTS  # the components' dispatch table
from settings import targets

ROOT = Path(__file__).resolve().parent.parent
SCANNED = ("facts", "settings", "rules", "components", "program", "tools", "e2e", "loadtest", "ops")
# The target modules: each target's own (settings/targets/), its component (components/clusters/) and
# the components' dispatch table (components/cluster.py).
PLUGINS = ("settings/targets/", "components/clusters/", "components/cluster.py")
NAMES = frozenset(targets.TARGETS)


def _names_in(node: ast.AST) -> set[str]:
    if isinstance(node, ast.Constant) and node.value in NAMES:
        return {node.value}
    if isinstance(node, (ast.Tuple, ast.List, ast.Set)):
        return {e.value for e in node.elts if isinstance(e, ast.Constant) and e.value in NAMES}
    return set()


def findings(source: str) -> list[str]:
    """Each comparison with a target name, and each table keyed by two target names or more."""
    out = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Compare):
            found = set().union(*(_names_in(n) for n in [node.left, *node.comparators]))
            if found:
                out.append(f"line {node.lineno}: compares with {', '.join(sorted(found))}")
        elif isinstance(node, ast.Dict):
            keys = {k.value for k in node.keys if isinstance(k, ast.Constant) and k.value in NAMES}
            if len(keys) > 1:
                out.append(f"line {node.lineno}: a table keyed by {', '.join(sorted(keys))}")
    return out


def _modules() -> list[Path]:
    paths = [p for d in SCANNED for p in (ROOT / d).rglob("*.py")] + [ROOT / "__main__.py"]
    return [p for p in paths if not str(p.relative_to(ROOT)).startswith(PLUGINS)]


def test_no_target_name_comparisons_outside_the_target_modules():
    found = [f"{p.relative_to(ROOT)} {f}" for p in _modules() for f in findings(p.read_text())]
    assert found == []


@pytest.mark.parametrize("planted", [
    'if target == "eks": pass',
    'ok = "existing" != target',
    'rancher = target in ("vsphere", "baremetal")',
    'other = t not in ["eks"]',
    'lb = {"eks": "cloud", "vsphere": "metallb"}.get(target, "none")',
])
def test_the_scan_finds_a_planted_comparison(planted):
    assert findings(planted)


def test_the_scan_leaves_other_uses_of_the_words_alone():
    # a counter named "existing" (loadtest/accounts.py), a default value, a message
    assert findings('counts["existing"] += 1\nname = x or "existing"\nmsg = f"clusterTarget=eks only"') == []


def test_every_registered_target_has_a_component():
    assert set(COMPONENTS) == set(targets.TARGETS) == set(targets.CLUSTER_ARGS)
