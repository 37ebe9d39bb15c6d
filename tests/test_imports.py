"""No import circles among the project's modules (stacks/, components/, tools/, __main__.py).

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
PACKAGES = ("stacks", "components", "tools")


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
    assert "stacks.model" in edges["stacks.settings"]  # the loader builds the model
    assert "stacks.budget" in edges["stacks.capacity"]  # a rule uses another rule
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


def test_components_do_not_import_upward_and_stacks_import_no_components():
    edges, _ = _graph()
    for module, targets in edges.items():
        if module.startswith("stacks"):
            assert not [t for t in targets if t.startswith(("components", "tools")) or t == "__main__"], module
        if module.startswith("components"):
            assert not [t for t in targets if t.startswith("tools") or t == "__main__"], module


def test_the_program_and_its_tools_import_nothing_from_tests():
    """Reference data only the tests read lives under tests/ (tests/platform_metrics.py); the program, its
    tools, e2e/ and loadtest/ never load it."""
    found = []
    for path in [p for d in (*PACKAGES, "e2e", "loadtest") for p in (ROOT / d).rglob("*.py")] + [ROOT / "__main__.py"]:
        for node, _ in _imports(ast.parse(path.read_text())):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else [node.module or ""]
            found += [f"{path.relative_to(ROOT)}: {n}" for n in names if n == "tests" or n.startswith("tests.")]
    assert found == []
