"""Offline plan: run the real program for a stack under Pulumi's mock engine and print what it
would create — the resource tree by component and the service budget.

    python -m tools.plan --stack prod
    python -m tools.plan --stack dev --json
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from stacks.errors import SettingsError
from tools.offline import ProgramRun, run_program, stack_config, unsecret


def resource_tree(run: ProgramRun) -> list[str]:
    by_parent: dict[str, list] = {}
    for r in run.resources:
        by_parent.setdefault(r.parent, []).append(r)
    lines: list[str] = []

    def walk(urn: str, depth: int) -> None:
        for r in sorted(by_parent.get(urn, []), key=lambda r: (r.custom, r.type, r.name)):
            flags = " [protected]" if r.protect else ""
            lines.append(f"{'  ' * depth}{r.type}  {r.name}{flags}")
            walk(r.urn, depth + 1)

    roots = {r.parent for r in run.resources} - {r.urn for r in run.resources}
    for root in sorted(roots):
        walk(root, 0)
    return lines


def budget_table(budget: dict[str, Any]) -> list[str]:
    rows = [f"{'service':<30} {'replicas':>9}  {'cpu request-limit':>18}  {'memory request-limit':>20}"]
    from stacks.catalog import SERVICE_NAMES

    for name, s in sorted(budget["services"].items(), key=lambda kv: SERVICE_NAMES.index(kv[0])):
        rows.append(f"{name:<30} {s['minReplicas']:>4}-{s['maxReplicas']:<4}  "
                    f"{s['cpuRequest'] + '-' + s['cpuLimit']:>18}  {s['memoryRequest'] + '-' + s['memoryLimit']:>20}")
    for side in ("min", "max"):
        t = budget[side]
        rows.append(f"total at {side}: {t['pods']:g} pods, CPU {t['cpuRequestCores']:g} cores requested / "
                    f"{t['cpuLimitCores']:g} limit, memory {t['memoryRequestGi']:g} GiB requested / "
                    f"{t['memoryLimitGi']:g} GiB limit")
    return rows


def plan(stack: str) -> dict[str, Any]:
    config, secret_keys = stack_config(stack)
    run = run_program(stack, config, secret_keys)
    outputs = {k: ("[secret]" if type(v).__name__ == "Secret" else unsecret(v)) for k, v in run.outputs.items()}
    return {
        "stack": stack,
        "resourceCount": len(run.resources),
        "tree": resource_tree(run),
        "budget": outputs.get("budget"),
        "outputs": {k: v for k, v in outputs.items() if k != "budget"},
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--stack", default="prod", help="stack name: a Pulumi.<stack>.yaml must exist")
    parser.add_argument("--json", action="store_true", help="machine-readable output")
    args = parser.parse_args(argv)
    try:
        result = plan(args.stack)
    except ValueError as exc:  # unknown stack
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except SettingsError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    if args.json:
        print(json.dumps(result, indent=2, default=str))
        return 0
    print(f"Offline plan for stack '{args.stack}' (mock engine; nothing was contacted)\n")
    print(f"Resources ({result['resourceCount']}):")
    print("\n".join("  " + line for line in result["tree"]))
    print("\nService budget:")
    print("\n".join("  " + line for line in budget_table(result["budget"])))
    print("\nOutputs:")
    for k, v in result["outputs"].items():
        print(f"  {k}: {json.dumps(v, default=str)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
