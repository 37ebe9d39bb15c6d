"""Write the ``config:`` block of Pulumi.yaml from the declared settings (stacks/settings.py).

    python -m tools.project_file          # rewrite Pulumi.yaml
    python -m tools.project_file --check  # exit 1 if it is out of date
"""

from __future__ import annotations

import sys
from pathlib import Path

import yaml

from stacks.settings import all_declared
from tools import generated

ROOT = Path(__file__).resolve().parent.parent
PROJECT_FILE = ROOT / "Pulumi.yaml"

HEADER = """\
name: tartware-infra
description: The Tartware hotel platform on Kubernetes (cluster, platform, Tartware release), per stack.
runtime:
  name: python
  options:
    toolchain: pip
    virtualenv: .venv
# Refresh before every preview/update/destroy: Rancher tokens (the workload kubeconfig's, the
# cluster-autoscaler's) expire and are replaced only when a refresh reads them as expired
# (Pulumi project file `options.refresh: always`; docs/clusters.md, "Token refresh").
options:
  refresh: always
# Every setting, with its type and default. GENERATED from stacks/settings.py by
# `python -m tools.project_file`; a test keeps the two identical.
#
# Object-valued settings (Pulumi's project schema cannot declare object types); set them with
# `pulumi config set --path`, e.g. `pulumi config set --path 'services.api-gateway.maxReplicas' 150`:
{object_settings}"""


def render() -> str:
    config: dict = {}
    for s in all_declared():
        entry: dict = {"type": s.type, "description": s.description}
        if s.items:
            entry["items"] = {"type": s.items}
        if s.secret:
            entry["secret"] = True
        if s.default is not None:
            entry["default"] = s.default
        config[s.name] = entry  # project namespace: no prefix
    from stacks.settings import OBJECT_DOCS

    objects = "".join(f"#   {name}: {text}\n" for name, text in OBJECT_DOCS().items())
    return HEADER.format(object_settings=objects) + yaml.safe_dump({"config": config}, sort_keys=False, width=120)


def main(argv: list[str] | None = None) -> int:
    return generated.main(PROJECT_FILE, render, "python -m tools.project_file", __doc__, argv)


if __name__ == "__main__":
    sys.exit(main())
