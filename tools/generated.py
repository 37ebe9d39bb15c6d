"""Files generated from code (Pulumi.yaml's config block, the chart's values.yaml, README and CI
values): write or check."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Callable, Mapping


def main(path: Path, render: Callable[[], str], command: str, doc: str, argv: list[str] | None = None) -> int:
    return main_many({path: render}, command, doc, argv)


def main_many(files: Mapping[Path, Callable[[], str]], command: str, doc: str, argv: list[str] | None = None) -> int:
    """Write every file from its render function, or with ``--check`` exit 1 if any is out of date."""
    parser = argparse.ArgumentParser(description=doc, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--check", action="store_true", help="exit 1 if a file is out of date")
    args = parser.parse_args(argv)
    stale = []
    for path, render in files.items():
        text = render()
        if args.check:
            if not path.exists() or path.read_text() != text:
                stale.append(path.name)
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    if stale:
        print(f"{', '.join(stale)} out of date; run {command}", file=sys.stderr)
        return 1
    return 0


def splice(text: str, begin: str, end: str, body: str, missing: str) -> str:
    """``text`` with what stands between the ``begin`` and ``end`` marker lines replaced by ``body``
    (the markers kept); ``ValueError(missing + the two markers)`` when either is not there."""
    i, j = text.find(begin), text.find(end)
    if i < 0 or j < i:
        raise ValueError(f"{missing}:\n{begin}\n{end}")
    return text[:i] + begin + "\n" + body + "\n" + text[j:]
