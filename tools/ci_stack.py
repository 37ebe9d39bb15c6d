"""For CI: a stack's cluster target and whether ``pulumi refresh`` must run before preview/up.

    python -m tools.ci_stack prod      # prints target=<clusterTarget> and refresh=true|false

The targets whose API tokens expire (``tokens_expire``, settings/targets/: vsphere and baremetal talk
to Rancher with rancher2 Token resources and the Bootstrap token) may have a stale token in the
state read from the backend, so the workflows run ``pulumi preview --refresh`` / ``pulumi up
--refresh`` there (docs/operations.md "CI").
"""

from __future__ import annotations

import sys
from pathlib import Path

import yaml

from settings import targets

ROOT = Path(__file__).resolve().parent.parent
EXPIRING = targets.having("tokens_expire")
DEFAULT = next(iter(targets.TARGETS))  # clusterTarget's default


def target(stack: str, root: Path = ROOT) -> str:
    doc = yaml.safe_load((root / f"Pulumi.{stack}.yaml").read_text()) or {}
    config = doc.get("config") or {}
    return str(config.get("tartware-infra:clusterTarget", config.get("clusterTarget", DEFAULT)))


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
