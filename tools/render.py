"""Render our Tartware chart offline (helm-python-sdk) and validate what Kubernetes would receive.

    python -m tools.render --stack prod --out rendered/prod   # write one file per object
    python -m tools.render --stack prod --all                 # + the objects Pulumi creates itself
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


BUILTIN_GROUPS = {"", "apps", "batch", "policy", "autoscaling", "rbac.authorization.k8s.io", "networking.k8s.io",
                  "storage.k8s.io", "admissionregistration.k8s.io", "apiextensions.k8s.io", "scheduling.k8s.io",
                  "coordination.k8s.io", "discovery.k8s.io", "certificates.k8s.io", "node.k8s.io"}


def is_builtin(api_version: str) -> bool:
    """A Kubernetes API group kubernetes-validate has schemas for (not a CRD's group)."""
    return (api_version.rsplit("/", 1)[0] if "/" in api_version else "") in BUILTIN_GROUPS


def object_filename(doc: dict[str, Any]) -> str:
    """``<kind>-<name>.yaml``; objects outside tartware-system carry their namespace too."""
    ns = doc["metadata"].get("namespace")
    middle = f"{ns}-" if ns and ns != "tartware-system" else ""
    return f"{doc['kind'].lower()}-{middle}{doc['metadata']['name']}.yaml"


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


def tartware_values(run) -> dict[str, Any]:
    """The values of the Tartware release (helm release ``tartware``) among the stack's releases."""
    releases = [r for r in run.of_type("kubernetes:helm.sh/v3:Release") if r.plain.get("name") == "tartware"]
    if len(releases) != 1:
        raise AssertionError(f"expected one Helm release named 'tartware', found {len(releases)}")
    return releases[0].plain["values"]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--stack", default="prod")
    parser.add_argument("--out", type=Path, default=None)
    parser.add_argument("--all", action="store_true",
                        help="also write the Kubernetes objects Pulumi creates itself (secrets masked); "
                             "custom resources are written but not validated")
    args = parser.parse_args(argv)
    from stacks.errors import SettingsError
    from tools.offline import run_program

    try:
        run = run_program(args.stack)
    except (ValueError, SettingsError) as exc:  # unknown stack, invalid settings
        print(f"error: {exc}", file=sys.stderr)
        return 2
    docs = render_chart(tartware_values(run))
    errors = validate([d for d in docs if is_builtin(d["apiVersion"])])  # CRs (mesh routes): no schema
    if args.all:
        from tools.diff import kubernetes_objects

        extra = kubernetes_objects(run.resources)
        errors += validate([d for d in extra if is_builtin(d["apiVersion"])])
        docs = docs + extra
    for e in errors:
        print(f"invalid: {e}", file=sys.stderr)
    out = args.out or ROOT / "rendered" / args.stack
    paths = write_manifests(docs, out)
    print(f"{len(paths)} objects written to {out}")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
