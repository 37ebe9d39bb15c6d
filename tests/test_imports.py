"""The project's layers point one way, and its modules import no circle.

The layers, lowest first: ``facts/`` (the catalog, the pins, the endpoints, what the app is),
``settings/`` (the stack settings model), ``rules/`` (checks across settings sections),
``components/`` (the ComponentResources, each with its args), ``program/`` (one stack read and
composed), ``__main__.py``; ``tools/`` on top. A module imports its own package and the layers
below it, never one above; ``__main__.py`` imports only ``program/`` and ``components/``.

Every import counts, module-level and inside functions (an import tucked into a function still
ties the modules together); ``if TYPE_CHECKING:`` imports count too. A project import inside a
function is allowed only with a comment on its line or the line above saying it is needed to set
the mocks before the program loads (the offline harness).
"""

from __future__ import annotations

import ast
import functools
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# The layers, lowest first (docs/architecture.md "One-way layers"); tools/ is on top.
LAYERS = ("facts", "settings", "rules", "components", "program", "__main__", "tools")
PACKAGES = ("facts", "settings", "rules", "components", "program", "tools")


def _modules() -> dict[str, Path]:
    mods = {}
    for path in [p for pkg in PACKAGES for p in (ROOT / pkg).rglob("*.py")] + [ROOT / "__main__.py"]:
        parts = list(path.relative_to(ROOT).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts = parts[:-1]
        mods[".".join(parts)] = path
    return mods


MODULES = _modules()


def _targets(module: str, node: ast.AST, is_package: bool) -> list[str]:
    """The project modules an import statement loads (``from pkg import sub`` loads ``pkg.sub``)."""
    if isinstance(node, ast.Import):
        return [a.name for a in node.names if a.name in MODULES]
    assert isinstance(node, ast.ImportFrom)
    if node.level:
        base = module.split(".") if is_package else module.split(".")[:-1]
        base = base[:len(base) - (node.level - 1)]
        name = ".".join(base + ([node.module] if node.module else []))
    else:
        name = node.module or ""
    subs = [f"{name}.{a.name}" for a in node.names if f"{name}.{a.name}" in MODULES]
    out = list(subs)
    if len(subs) < len(node.names) and name in MODULES:
        out.append(name)
    return out


def _imports(node: ast.AST, in_function: bool = False):
    """Every import statement under ``node``, with whether it sits inside a function."""
    for child in ast.iter_child_nodes(node):
        if isinstance(child, (ast.Import, ast.ImportFrom)):
            yield child, in_function
        elif not isinstance(child, ast.expr):  # expressions hold no import statement
            yield from _imports(child, in_function or isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef)))


def _parse(text: str) -> ast.Module:
    """ast.parse, once more on CPython's spurious "AST constructor recursion depth mismatch"
    SystemError: the AST builder's recursion counter is shared with other threads (here the Pulumi
    SDK's executor threads left by earlier tests in the worker) and can be left unbalanced
    (python/cpython#106905, fixed by python/cpython#106906). Parsing is deterministic: a second
    parse of the same text either succeeds or raises the same real error."""
    try:
        return ast.parse(text)
    except SystemError:
        return ast.parse(text)


@functools.cache  # one parse of the project per session
def _graph() -> tuple[dict[str, set[str]], list[str]]:
    edges: dict[str, set[str]] = {m: set() for m in MODULES}
    unexplained = []
    for module, path in MODULES.items():
        text = path.read_text()
        lines = text.split("\n")
        tree = _parse(text)
        for node, in_function in _imports(tree):
            targets = [t for t in _targets(module, node, path.name == "__init__.py") if t != module]
            edges[module].update(targets)
            if targets and in_function:
                near = " ".join(lines[max(node.lineno - 2, 0):node.lineno])
                if "mocks" not in near:
                    unexplained.append(f"{path.relative_to(ROOT)}:{node.lineno}: {lines[node.lineno - 1].strip()}")
    return edges, unexplained


def _cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (or a self-loop)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    counter = [0]

    def visit(v: str) -> None:
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on_stack.add(v)
        for w in edges[v]:
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            group = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                group.append(w)
                if w == v:
                    break
            if len(group) > 1:
                found.append(sorted(group))

    for v in sorted(edges):
        if v not in index:
            visit(v)
    return found


def test_the_graph_sees_the_layers():
    edges, _ = _graph()
    assert len(MODULES) > 60
    assert "settings.model" in edges["program.load"]  # the loader builds the model
    assert "settings.data" in edges["settings.model"]  # the model gathers the sections
    assert "rules.budget" in edges["rules.capacity"]  # a rule uses another rule
    assert "components.kit" in edges["components.secrets"]


def test_no_import_circles():
    edges, _ = _graph()
    assert _cycles(edges) == []


def test_no_circle_is_missed():
    """The detector itself: a two-module loop and a longer one are reported."""
    assert _cycles({"a": {"b"}, "b": {"a"}, "c": set()}) == [["a", "b"]]
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == [["a", "b", "c"]]


def test_project_imports_inside_functions_say_why():
    _, unexplained = _graph()
    assert unexplained == []


def _layer(module: str) -> int:
    return LAYERS.index(module.split(".", 1)[0])


def upward(edges: dict[str, set[str]]) -> list[str]:
    """Each import of a module of a higher layer than the importer's (its own package is its layer),
    and each import of ``__main__.py`` of anything but ``program/`` and ``components/``."""
    found = []
    for module, targets in sorted(edges.items()):
        for target in sorted(targets):
            if _layer(target) > _layer(module):
                found.append(f"{module} imports {target}")
            elif module == "__main__" and target.split(".", 1)[0] not in ("program", "components"):
                found.append(f"{module} imports {target}")
    return found


def test_every_import_points_down_the_layers():
    edges, _ = _graph()
    assert upward(edges) == []


def test_an_upward_import_is_found():
    """Planted: a fact importing the settings, the settings a rule, a rule a component, a component the
    program, the program a tool, and ``__main__.py`` the settings are each reported; imports inside a
    layer, and downward, are not."""
    planted = {
        "facts.catalog": {"settings.model", "facts.versions"},
        "settings.model": {"rules.budget", "facts.catalog", "settings.data"},
        "settings.data": set(),
        "rules.budget": {"components.kit", "settings.model"},
        "components.kit": {"program.compose", "facts.versions"},
        "program.compose": {"tools.offline", "components.kit", "rules.budget"},
        "__main__": {"settings.model", "program.compose", "components.kit"},
        "tools.offline": {"__main__", "program.compose", "facts.catalog"},
    }
    assert upward(planted) == [
        "__main__ imports settings.model",
        "components.kit imports program.compose",
        "facts.catalog imports settings.model",
        "program.compose imports tools.offline",
        "rules.budget imports components.kit",
        "settings.model imports rules.budget",
    ]


def test_every_package_is_a_layer():
    """A new top-level package of the program takes its place in LAYERS (and PACKAGES) first."""
    packages = {p.parent.name for p in ROOT.glob("*/__init__.py")} - {"tests", "e2e", "loadtest"}
    assert packages == set(PACKAGES)


def test_the_program_and_its_tools_import_nothing_from_tests():
    """Reference data only the tests read lives under tests/ (tests/platform_metrics.py); the program, its
    tools, e2e/ and loadtest/ never load it."""
    found = []
    for path in [p for d in (*PACKAGES, "e2e", "loadtest") for p in (ROOT / d).rglob("*.py")] + [ROOT / "__main__.py"]:
        for node, _ in _imports(ast.parse(path.read_text())):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else [node.module or ""]
            found += [f"{path.relative_to(ROOT)}: {n}" for n in names if n == "tests" or n.startswith("tests.")]
    assert found == []
