"""Render our Tartware chart offline (helm-python-sdk) and validate what Kubernetes would receive.

    python -m tools.render --stack prod --out rendered/prod   # write one file per object
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any, Iterable

import yaml

ROOT = Path(__file__).resolve().parent.parent
CHART = ROOT / "charts" / "tartware"
KUBE_VERSION = "1.28.0"


def render_chart(values: dict[str, Any], name: str = "tartware", namespace: str = "tartware-system",
                 chart: Path = CHART) -> list[dict[str, Any]]:
    """Every object the chart renders with ``values``, in a stable order."""
    import helm_python

    rendered = helm_python.Chart.load(str(chart)).render(values, name=name, namespace=namespace, is_install=True)
    docs: list[dict[str, Any]] = []
    for path in sorted(rendered):
        if path.endswith("NOTES.txt"):
            continue
        docs.extend(d for d in yaml.safe_load_all(rendered[path]) if d)
    return docs


def validate(docs: Iterable[dict[str, Any]], kube_version: str = KUBE_VERSION) -> list[str]:
    """kubernetes-validate --strict on each object. A missing schema for a built-in kind is an error."""
    import kubernetes_validate

    errors = []
    for doc in docs:
        ident = f"{doc.get('kind')}/{doc.get('metadata', {}).get('name')}"
        try:
            kubernetes_validate.validate(doc, kube_version, strict=True)
        except kubernetes_validate.SchemaNotFoundError as exc:
            errors.append(f"{ident}: no schema for {doc.get('apiVersion')} in Kubernetes {kube_version}: {exc}")
        except kubernetes_validate.ValidationError as exc:
            errors.append(f"{ident}: {exc.message} at {'/'.join(map(str, exc.path))}")
    return errors


def object_filename(doc: dict[str, Any]) -> str:
    return f"{doc['kind'].lower()}-{doc['metadata']['name']}.yaml"


def write_manifests(docs: Iterable[dict[str, Any]], out: Path) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    for old in out.glob("*.yaml"):
        old.unlink()
    paths = []
    for doc in docs:
        path = out / object_filename(doc)
        path.write_text(yaml.safe_dump(doc, sort_keys=True))
        paths.append(path)
    return paths


def stack_values(stack: str) -> dict[str, Any]:
    """The values the program passes to the release for ``stack`` (run under mocks)."""
    from tools.offline import run_program

    return run_program(stack).one("kubernetes:helm.sh/v3:Release").plain["values"]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--stack", default="prod")
    parser.add_argument("--out", type=Path, default=None)
    args = parser.parse_args(argv)
    try:
        values = stack_values(args.stack)
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    docs = render_chart(values)
    errors = validate(docs)
    for e in errors:
        print(f"invalid: {e}", file=sys.stderr)
    out = args.out or ROOT / "rendered" / args.stack
    paths = write_manifests(docs, out)
    print(f"{len(paths)} objects written to {out}")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
