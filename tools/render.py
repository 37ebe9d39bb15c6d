"""Render our Tartware chart (or, with --all, the whole system) offline (helm-python-sdk) and validate what Kubernetes would receive.

    python -m tools.render --stack prod --out rendered/prod   # write one file per object
    python -m tools.render --stack prod --all                 # the whole system: every release from its
                                                              # chart source + the objects Pulumi creates itself
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any, Iterable

from tools.manifests import CHART, ROOT, object_filename, render_chart, write_manifests  # noqa: F401 (re-exported)

KUBE_VERSION = "1.28.0"


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
                  "coordination.k8s.io", "discovery.k8s.io", "certificates.k8s.io", "node.k8s.io",
                  "apiregistration.k8s.io", "flowcontrol.apiserver.k8s.io"}


def is_builtin(api_version: str) -> bool:
    """A Kubernetes API group kubernetes-validate has schemas for (not a CRD's group)."""
    return (api_version.rsplit("/", 1)[0] if "/" in api_version else "") in BUILTIN_GROUPS


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
                        help="the whole system: every Helm release rendered from its chart source (charts/tartware, "
                             "charts/vendor) with the values the program sends, plus the Kubernetes objects Pulumi "
                             "creates itself (secrets masked); releases whose chart is missing are listed")
    args = parser.parse_args(argv)
    from stacks.errors import SettingsError
    from tools.offline import run_program

    try:
        run = run_program(args.stack)
    except (ValueError, SettingsError) as exc:  # unknown stack, invalid settings
        print(f"error: {exc}", file=sys.stderr)
        return 2
    if args.all:
        from tools.system import render_system, skipped_report

        system = render_system(run)
        docs = system.docs
        for line in skipped_report(system):
            print(f"WARNING: {line}", file=sys.stderr)
    else:
        docs = render_chart(tartware_values(run))
    errors = validate([d for d in docs if is_builtin(d["apiVersion"])])  # custom resources: tools.conformance.schemas
    for e in errors:
        print(f"invalid: {e}", file=sys.stderr)
    out = args.out or ROOT / "rendered" / args.stack
    paths = write_manifests(docs, out)
    print(f"{len(paths)} objects written to {out}")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
