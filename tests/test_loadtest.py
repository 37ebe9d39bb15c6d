"""The k6 scripts parse as ES modules, import only what exists, and carry the guide's thresholds."""

import posixpath
import shutil
import subprocess
from pathlib import Path

import esprima
import pytest

K6 = Path(__file__).resolve().parent.parent / "loadtest" / "k6"
SCRIPTS = sorted(str(p.relative_to(K6)) for p in K6.rglob("*.js"))

# The deployment guide's "Expected Performance", written out by hand.
THRESHOLDS = {"http_req_duration": ["p(95)<500", "p(99)<1000"], "http_req_failed": ["rate<0.05"]}
# tartware-platform.md §6: the API's real routes.
READ_ROUTES = {"/v1/rooms", "/v1/dashboard/stats", "/v1/guests", "/v1/reservations", "/v1/availability", "/health"}


def module(path: str):
    return esprima.parseModule((K6 / path).read_text(), {"loc": True})


def relative_imports(source: str, path: str) -> set[str]:
    """Files (relative to loadtest/k6) that ``path`` imports; k6 built-ins (k6, k6/http) excluded."""
    found = set()
    for node in esprima.parseModule(source).body:
        if node.type == "ImportDeclaration" and node.source.value.startswith("."):
            found.add(posixpath.normpath(posixpath.join(posixpath.dirname(path), node.source.value)))
    return found


def literal(node):
    """Python value of an object/array/string literal (None for anything computed)."""
    if node.type == "Literal":
        return node.value
    if node.type == "ArrayExpression":
        return [literal(e) for e in node.elements]
    if node.type == "ObjectExpression":
        return {(p.key.name if p.key.type == "Identifier" else p.key.value): literal(p.value) for p in node.properties}
    return None


def exported_const(path: str, name: str):
    for node in module(path).body:
        if node.type == "ExportNamedDeclaration" and node.declaration and node.declaration.type == "VariableDeclaration":
            for d in node.declaration.declarations:
                if d.id.name == name:
                    return d.init
    raise AssertionError(f"{path} exports no const {name}")


def test_every_script_parses_as_an_es_module():
    assert {"smoke.js", "load.js", "lib/config.js"} <= set(SCRIPTS)
    for path in SCRIPTS:
        module(path)


@pytest.mark.skipif(shutil.which("node") is None, reason="node not installed")
def test_node_accepts_the_syntax():
    for path in SCRIPTS:
        proc = subprocess.run(["node", "--check", "--input-type=module"], input=(K6 / path).read_text(),
                              capture_output=True, text=True)
        assert proc.returncode == 0, f"{path}: {proc.stderr}"


def test_imports_resolve_to_shipped_files():
    for path in SCRIPTS:
        for imported in relative_imports((K6 / path).read_text(), path):
            assert imported in SCRIPTS, f"{path} imports missing {imported}"


def test_thresholds_are_the_guides():
    thresholds = literal(exported_const("lib/config.js", "THRESHOLDS"))
    for metric, rules in THRESHOLDS.items():
        assert thresholds[metric] == rules
    for script in ("smoke.js", "load.js"):
        text = (K6 / script).read_text()
        assert "THRESHOLDS" in text and "thresholds:" in text, script


def test_smoke_is_30_seconds_and_load_is_20k_per_second_constant_arrival():
    smoke = literal(exported_const("smoke.js", "options"))
    assert smoke["scenarios"]["smoke"]["duration"] == "30s"
    options = exported_const("load.js", "options")
    scenario = next(p.value for p in options.properties if p.key.name == "scenarios").properties[0].value
    fields = {p.key.name: p.value for p in scenario.properties}
    assert literal(fields["executor"]) == "constant-arrival-rate"
    assert literal(fields["timeUnit"]) == "1s"
    text = (K6 / "load.js").read_text()
    assert "__ENV.RATE || '20000'" in text  # 20,000 req/s unless the Job splits it over pods


def test_scripts_hit_the_real_routes_and_commands():
    reads = {e["path"] for e in literal(exported_const("lib/config.js", "READS"))}
    assert reads == READ_ROUTES
    commands = literal(exported_const("lib/config.js", "COMMANDS"))
    assert commands and all("." in c["name"] for c in commands)
    text = (K6 / "lib/config.js").read_text()
    assert "/v1/commands/${cmd.name}/execute" in text and "r.status === 202" in text
    assert "/v1/auth/login" in text
