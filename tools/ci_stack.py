"""For CI: a stack's cluster target and whether ``pulumi refresh`` must run before preview/up.

    python -m tools.ci_stack prod      # prints target=<clusterTarget> and refresh=true|false

vsphere and baremetal stacks talk to Rancher with API tokens that expire (rancher2 Token resources,
the Bootstrap token): state read from the backend may hold a stale token, so the workflows run
``pulumi preview --refresh`` / ``pulumi up --refresh`` there (docs/operations.md "CI").
"""

from __future__ import annotations

import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
EXPIRING = ("vsphere", "baremetal")


def target(stack: str, root: Path = ROOT) -> str:
    doc = yaml.safe_load((root / f"Pulumi.{stack}.yaml").read_text()) or {}
    config = doc.get("config") or {}
    return str(config.get("tartware-infra:clusterTarget", config.get("clusterTarget", "existing")))


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 1:
        print("usage: python -m tools.ci_stack <stack>", file=sys.stderr)
        return 2
    t = target(args[0])
    print(f"target={t}")
    print(f"refresh={'true' if t in EXPIRING else 'false'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
