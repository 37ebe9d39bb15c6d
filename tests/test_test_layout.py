"""The tests' own layout: shared helpers live in helper modules, and every test module has its own name.

* No test module (``test_*.py``) and no ``conftest.py`` imports another test module or a conftest:
  what several files share lives in a helper module (tests/helpers.py, tests/components/helpers.py,
  tests/backup_server.py, tests/pooler/helpers.py, tests/guide.py). Importing a test module runs its
  module-level code again and collects nothing, and pytest's own guidance is never to import a
  conftest (https://docs.pytest.org/en/stable/how-to/fixtures.html "conftest.py: sharing fixtures
  across multiple files").
* No two test modules share a basename anywhere under tests/: pytest's rootdir-relative node ids
  stay distinct either way, but a basename names one file in failure lists, ``--durations`` and
  ``-k`` selections, and with the ``rootdir``/``prepend`` import modes duplicate basenames need
  ``__init__.py`` in every folder to import at all
  (https://docs.pytest.org/en/stable/explanation/goodpractices.html "Choosing an import mode").
"""

from __future__ import annotations

import ast
from collections import defaultdict
from pathlib import Path

TESTS = Path(__file__).resolve().parent
ROOT = TESTS.parent


def _is_test_module(name: str) -> bool:
    """A dotted module name that is a test module or a conftest."""
    last = name.rsplit(".", 1)[-1]
    return last.startswith("test_") or last == "conftest"


def _imported(source: str, package: str) -> list[tuple[int, str]]:
    """(line, module) of every import in ``source`` (a module of ``package``), module-level or
    nested; ``from tests import x`` counts as importing ``tests.x``."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found += [(node.lineno, a.name) for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parent = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join(parent + ([base] if base else []))
            found.append((node.lineno, base))
            found += [(node.lineno, f"{base}.{a.name}") for a in node.names]
    return found


def test_no_test_module_imports_another_test_module():
    offending = []
    for path in sorted(TESTS.rglob("*.py")):
        for line, module in _imported(path.read_text(), ".".join(path.relative_to(ROOT).parent.parts)):
            if module.startswith("tests.") and _is_test_module(module):
                offending.append(f"{path.relative_to(ROOT)}:{line} imports {module}")
    assert offending == [], "move what is shared into a helper module (tests/helpers.py):\n" + "\n".join(offending)


def test_the_scan_sees_every_kind_of_import():
    """Planted: each spelling of an import of a test module is found; a helper import is not."""
    planted = ("import tests.test_settings\n"
               "from tests.test_settings import run_with\n"
               "from tests import test_settings\n"
               "from . import conftest\n"
               "def f():\n    from .components.conftest import build\n"
               "from tests.helpers import run_with\n")
    found = [m for _, m in _imported(planted, "tests") if m.startswith("tests.") and _is_test_module(m)]
    assert found == ["tests.test_settings", "tests.test_settings", "tests.test_settings", "tests.conftest",
                     "tests.components.conftest"]


def test_no_two_test_modules_share_a_basename() -> None:
    by_name: dict[str, list[str]] = defaultdict(list)
    for path in TESTS.rglob("test_*.py"):
        by_name[path.name].append(str(path.relative_to(ROOT)))
    assert {n: sorted(p) for n, p in by_name.items() if len(p) > 1} == {}
