"""Files generated from code (Pulumi.yaml's config block, the chart's values.yaml): write or check."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Callable


def main(path: Path, render: Callable[[], str], command: str, doc: str, argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=doc, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--check", action="store_true", help="exit 1 if the file is out of date")
    args = parser.parse_args(argv)
    text = render()
    if args.check:
        if path.read_text() != text:
            print(f"{path.name} is out of date; run {command}", file=sys.stderr)
            return 1
        return 0
    path.write_text(text)
    return 0
