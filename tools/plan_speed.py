"""How long the offline plan takes against importing the SDKs it uses, side by side in one run.

    python -m tools.plan_speed [--stack prod] [--runs 3] [--limit 3]

Each measurement is a fresh interpreter (wall time, best of ``--runs``): one runs
``python -m tools.plan --stack <stack> --json``; the other only imports the third-party packages that
run loaded (found by running the plan once and listing the top-level modules it loaded from
site-packages). The ratio is what the program itself costs on top of its SDKs; exit 1 when it
exceeds ``--limit`` (docs/architecture.md "Speed").
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# Like with like: pip compiles the SDKs' bytecode when it installs them
# (https://pip.pypa.io/en/stable/cli/pip_install/ --no-compile), and Python caches the program's on its
# first import; a PYTHONDONTWRITEBYTECODE in the environment (set on some CI machines) would have the
# program compiled from source at every run while the SDKs are not. The first run (``sdks``) writes
# the program's cache; every measured run reads it.
ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}

_LIST_SDKS = """
import json, runpy, sys, sysconfig
sys.argv = ["tools.plan", "--stack", STACK, "--json"]
import io, contextlib
with contextlib.redirect_stdout(io.StringIO()):
    try:
        runpy.run_module("tools.plan", run_name="__main__")
    except SystemExit:
        pass
site = sysconfig.get_paths()["purelib"]
top = sorted({name.split(".")[0] for name, m in list(sys.modules.items())
              if getattr(m, "__file__", None) and m.__file__.startswith(site)})
print(json.dumps(top))
"""


def sdks(stack: str) -> list[str]:
    """The third-party top-level packages the plan loads."""
    out = subprocess.run([sys.executable, "-c", _LIST_SDKS.replace("STACK", repr(stack))], cwd=ROOT,
                         capture_output=True, text=True, check=True, env=ENV).stdout
    return json.loads(out.strip().splitlines()[-1])


def wall(argv: list[str], runs: int) -> float:
    best = float("inf")
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(argv, cwd=ROOT, stdout=subprocess.DEVNULL, check=True, env=ENV)
        best = min(best, time.perf_counter() - start)
    return best


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--stack", default="prod")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--limit", type=float, default=3.0)
    args = parser.parse_args(argv)
    packages = sdks(args.stack)
    imports = wall([sys.executable, "-c", "import " + ", ".join(packages)], args.runs)
    plan = wall([sys.executable, "-m", "tools.plan", "--stack", args.stack, "--json"], args.runs)
    ratio = plan / imports
    print(f"import of the SDKs the plan uses ({len(packages)}: {', '.join(packages)}): {imports:.2f} s")
    print(f"python -m tools.plan --stack {args.stack}: {plan:.2f} s")
    print(f"ratio {ratio:.2f} (limit {args.limit})")
    return 0 if ratio <= args.limit else 1


if __name__ == "__main__":
    sys.exit(main())
