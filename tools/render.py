"""Render our Tartware chart (or, with --all, the whole system) offline (helm-python-sdk) and validate what Kubernetes would receive.

    python -m tools.render --stack prod --out rendered/prod   # write one file per object
    python -m tools.render --stack prod --all                 # the whole system: every release from its
                                                              # chart source + the objects Pulumi creates itself
"""

from __future__ import annotations

import argparse
import functools
import json
import sys
from pathlib import Path
from typing import Any, Iterable, Optional

from settings.errors import SettingsError
from tools.offline import recorded_run
from tools.system import skipped_report, system_of
from tools.manifests import CHART, ROOT, object_filename, render_chart, write_manifests  # noqa: F401 (re-exported)

KUBE_VERSION = "1.28.0"


@functools.lru_cache(maxsize=None)
def _validator(kube_version: str, kind: str, api_version: str):
    """kubernetes-validate's strict validator for one kind, built once per process.

    Same schemas and steps as ``kubernetes_validate.validate(doc, version, strict=True)``
    (kubernetes-validate 1.x kubernetes_validate/utils.py), which re-reads the whole definitions file
    on every call; None when the version has no schema for the kind.
    """
    import re

    import jsonschema
    from kubernetes_validate import utils
    from referencing import Registry, Resource

    version = [v for v in utils.all_versions() if utils.major_minor(v) <= utils.major_minor(kube_version)][-1]
    group = re.sub(r"^([^./]*)(?:\.[^/]*)?/", r"\1-", api_version)
    schema_dir = f"v{version}-local-strict"
    try:
        schema = utils.schema_contents(f"kubernetes-json-schema/{schema_dir}/{kind.lower()}-{group}.json", kube_version)
    except FileNotFoundError:
        return None
    registry = Resource.from_contents(schema) @ Registry()
    registry = _definitions(schema_dir, kube_version) @ registry
    return jsonschema.validators.Draft202012Validator(schema, registry=registry)


@functools.lru_cache(maxsize=None)
def _definitions(schema_dir: str, kube_version: str):
    from kubernetes_validate import utils
    from referencing import Resource

    return Resource.from_contents(utils.schema_contents(f"kubernetes-json-schema/{schema_dir}/_definitions.json",
                                                        kube_version))


def validate(docs: Iterable[dict[str, Any]], kube_version: str = KUBE_VERSION) -> list[str]:
    """kubernetes-validate --strict on each object. A missing schema for a built-in kind is an error."""
    errors = []
    for doc in docs:
        error = _object_error(kube_version, json.dumps(doc, sort_keys=True, default=str))
        if error is not None:
            errors.append(error)
    return errors


@functools.lru_cache(maxsize=4096)
def _object_error(kube_version: str, text: str) -> Optional[str]:
    """The first schema error of one object (given as canonical JSON), once per process: the dev and
    prod systems, and the checks that read them, share most objects."""
    doc = json.loads(text)
    ident = f"{doc.get('kind')}/{doc.get('metadata', {}).get('name')}"
    validator = _validator(kube_version, doc.get("kind", ""), doc.get("apiVersion", ""))
    if validator is None:
        return f"{ident}: no schema for {doc.get('apiVersion')} in Kubernetes {kube_version}"
    error = next(iter(sorted(validator.iter_errors(doc), key=lambda e: list(e.path))), None)
    return None if error is None else f"{ident}: {error.message} at {'/'.join(map(str, error.path))}"


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
    try:
        run = recorded_run(args.stack)
    except (ValueError, SettingsError) as exc:  # unknown stack, invalid settings
        print(f"error: {exc}", file=sys.stderr)
        return 2
    if args.all:
        system = system_of(args.stack)
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
