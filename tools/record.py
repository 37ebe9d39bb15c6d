"""A strict offline record of what one checkout deploys for one stack, and the comparison of two.

    python tools/record.py snapshot ROOT STACK CONFIG OUT   # ROOT: a checkout (e.g. `git archive` of main)
    python tools/record.py compare BEFORE_DIR AFTER_DIR     # every *.json in both

The record holds every registered resource by URN (type, parent, provider, protect,
retainOnDelete, dependencies, ignoreChanges, replaceOnChanges, deleteBeforeReplace, inputs with
their secret markers), every stack output, the budget, and every manifest (the Tartware chart
rendered from the release's values plus the Kubernetes objects Pulumi creates; tools/diff.py
``build_snapshot``). It is stricter than ``python -m tools.diff``, which compares inputs only.
The order in which the engine receives registrations is left out: it varies from run to run of
the same revision (asyncio). Run snapshots with ``PYTHONHASHSEED=0``: the mocks derive the Rancher
cluster id from ``hash(name)`` (tools/offline.py).

``snapshot`` imports ROOT's own harness (tools.offline, tools.diff), so each checkout is recorded
by its own code; this file must therefore not import ``tools`` at load time.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Any, Protocol


class _Secret(Protocol):
    """What ``_encode`` reads of a secret (tools/offline.py ``Secret``)."""

    value: Any


def _encode(value: Any, secret_type: type[_Secret]) -> Any:
    if isinstance(value, secret_type):
        return {"__secret__": _encode(value.value, secret_type)}
    if isinstance(value, dict):
        return {k: _encode(v, secret_type) for k, v in value.items()}
    if isinstance(value, list):
        return [_encode(v, secret_type) for v in value]
    return value


def snapshot(root: Path, stack: str, config: Path) -> dict[str, Any]:
    sys.path.insert(0, str(root))
    os.chdir(root)
    import helm_python
    import yaml

    # ROOT's own harness (it sets the mocks before ROOT's program loads), imported after sys.path
    import tools.diff as diff  # ROOT's, for the mocks
    from tools.offline import Secret, run_program, stack_config  # ROOT's, sets the mocks

    values, secret_keys = stack_config(stack, path=config)
    run = run_program(stack, values, secret_keys)
    resources = {r.urn: {"type": r.type, "name": r.name, "parent": r.parent, "custom": r.custom,
                         "protect": r.protect, "retain_on_delete": r.retain_on_delete, "provider": r.provider,
                         "dependencies": sorted(r.dependencies), "inputs": _encode(r.inputs, Secret),
                         "ignore_changes": sorted(r.ignore_changes),
                         "replace_on_changes": sorted(r.replace_on_changes),
                         "delete_before_replace": r.delete_before_replace}
                 for r in run.resources}

    def render(chart_values: dict) -> list[dict]:
        rendered = helm_python.Chart.load(str(root / "charts" / "tartware")).render(
            chart_values, name="tartware", namespace="tartware-system", is_install=True)
        return [d for path in sorted(rendered) if not path.endswith("NOTES.txt")
                for d in yaml.safe_load_all(rendered[path]) if d]

    snap = diff.build_snapshot(run, render)
    return {"resources": resources, "outputs": _encode(run.outputs, Secret), "budget": snap["budget"],
            "manifests": snap["manifests"]}


def compare(before: dict[str, Any], after: dict[str, Any]) -> list[str]:
    """What differs, per part and key; empty when the records are identical."""
    out = []
    for part in ("resources", "outputs", "budget", "manifests"):
        a, b = before.get(part, {}), after.get(part, {})
        for k in sorted(set(a) | set(b)):
            if a.get(k) != b.get(k):
                out.append(f"{part}: {k}")
    return out


def main(argv: list[str]) -> int:
    if argv[:1] == ["snapshot"] and len(argv) == 5:
        root, stack, config, out = Path(argv[1]).resolve(), argv[2], Path(argv[3]).resolve(), Path(argv[4]).resolve()
        out.write_text(json.dumps(snapshot(root, stack, config), sort_keys=True, indent=1, default=str))
        return 0
    if argv[:1] == ["compare"] and len(argv) == 3:
        failed = 0
        for path in sorted(Path(argv[1]).glob("*.json")):
            diffs = compare(json.loads(path.read_text()), json.loads((Path(argv[2]) / path.name).read_text()))
            print(f"{path.stem}: {'identical' if not diffs else f'{len(diffs)} differences'}")
            for d in diffs[:20]:
                print(f"  {d}")
            failed |= bool(diffs)
        return failed
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
