"""Write the ``config:`` block of Pulumi.yaml, the settings reference (docs/settings.md) and the
README's settings table (between its marker comments) from the declared settings
(settings/declared.py): each setting's one declaration (``settings.schema.Setting``).

    python -m tools.project_file          # rewrite Pulumi.yaml, docs/settings.md and the README's table
    python -m tools.project_file --check  # exit 1 if any is out of date
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import yaml

from settings.schema import Setting
from settings import model
from settings.declared import OBJECT_DOCS, SECTIONS, all_declared
from tools import generated

ROOT = Path(__file__).resolve().parent.parent
PROJECT_FILE = ROOT / "Pulumi.yaml"
SETTINGS_DOC = ROOT / "docs" / "settings.md"
README = ROOT / "README.md"
README_BEGIN = ("<!-- BEGIN settings table: generated from the settings' declarations by "
                "`python -m tools.project_file`; edit the declarations, not this table -->")
README_END = "<!-- END settings table -->"

# How the README presents each section: what it is about, and the guides that explain it (the keys,
# their defaults and descriptions come from the declarations).
AREAS: dict[str, tuple[str, str]] = {
    "core": ("the stack, images, the services and their autoscaling, the app's own limits",
             "[budget](docs/budget.md), [app](docs/app.md), [image contract](docs/app.md#the-image-contract)"),
    "cluster": ("where Kubernetes comes from (the target) and its node pools", "[clusters](docs/clusters.md)"),
    "platform": ("mesh and edge, certificates, load balancer, metrics-server, the edge rate limit",
                 "[platform](docs/platform.md), [rate limiting](docs/platform.md#rate-limiting), "
                 "[real tools](docs/real-tools.md)"),
    "data": ("PostgreSQL, Redis, Redpanda, Consul: sizes, replicas, backups, recovery",
             "[data and observability](docs/data-and-observability.md)"),
    "observability": ("metrics, logs, traces, the custom-metrics adapter",
                      "[data and observability](docs/data-and-observability.md)"),
    "ops": ("load tests, the nightly dump and its off-site copies, restore, VPA", "[operations](docs/operations.md)"),
    "security": ("where the application secrets come from", "[Secrets](#secrets)"),
    "access": ("how people reach Grafana, Prometheus, Jaeger, Locust",
               "[Operator access](#operator-access), [platform](docs/platform.md#operator-access)"),
}

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
# GENERATED from settings/declared.py by `python -m tools.project_file`; a test keeps the two identical,
# another applies the Pulumi CLI's own rules to it and to every stack file (tests/test_pulumi_cli_rules.py).
#
# Every key declared under `config:` has a default: the CLI treats a declared key without `default`
# or `value` as required on every stack, and writes a default onto the stack config in plaintext
# (pulumi/pulumi@v3.259.0 pkg/workspace/config.go mergeConfig). An empty string default means
# "unset": the program then computes the value (the description says how).
#
# Optional settings NOT declared here, so that the CLI neither requires them nor applies a
# plaintext default to a secret (config.go validateStackConfigValue: a `secret: true` key must be
# encrypted on every stack). The program validates them (type, range, and that a secret is stored
# encrypted, naming the key). Set secrets with `pulumi config set --secret <key> <value>`:
{optional_settings}#
# Object-valued settings; set them with `pulumi config set --path`,
# e.g. `pulumi config set --path 'services.api-gateway.maxReplicas' 150`:
{object_settings}"""


def project_default(setting: Setting) -> Any:
    """The default declared in Pulumi.yaml, or None when the key is left undeclared.

    A secret is never declared: with a default the CLI would write it in plaintext and then refuse
    it as unencrypted; without one it would be required on every stack. An optional string is
    declared with the empty default the program reads as "unset"; an optional integer, boolean or
    array has no such value and is left undeclared.
    """
    if setting.secret:
        return None
    if setting.default is not None:
        return setting.default
    return "" if setting.type == "string" else None


def render() -> str:
    config: dict = {}
    optional = []
    for s in all_declared():
        default = project_default(s)
        if default is None:
            kind = f"{s.type}<{s.items}>" if s.items else s.type
            optional.append(f"#   {s.name} ({kind}{', secret' if s.secret else ''}): {s.full_description}\n")
            continue
        entry: dict = {"type": s.type, "description": s.full_description}
        if s.items:
            entry["items"] = {"type": s.items}
        entry["default"] = default
        config[s.name] = entry  # project namespace: no prefix
    objects = "".join(f"#   {name}: {text}\n" for name, text in OBJECT_DOCS().items())
    return (HEADER.format(optional_settings="".join(optional), object_settings=objects)
            + yaml.safe_dump({"config": config}, sort_keys=False, width=120))


def _default_text(s: Setting) -> str:
    if s.secret:
        return "secret, unset"
    if s.per_env is not None:
        return f"dev `{_plain(s.per_env[0])}`, prod `{_plain(s.per_env[1])}`"
    if s.default is None or s.default == "" or s.default == []:
        return "unset"
    return f"`{_plain(s.default)}`"


def _plain(value: Any) -> str:
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, list):
        return ", ".join(map(str, value))
    return str(value)


def _sections() -> list[tuple[str, tuple[Setting, ...], tuple[str, ...]]]:
    """(name, declared settings, object settings) of the core keys and of every section."""
    return ([("core", model.DECLARED, model.OBJECT_SETTINGS)]
            + [(section.NAME, section.DECLARED, section.OBJECT_SETTINGS) for section in SECTIONS])


def render_readme_table() -> str:
    """The table between the README's markers, one row per section: what it is about, every key
    (secrets and objects marked), the section of the settings reference and the guides."""
    out = ["", "| area | keys | reference | guides |", "|---|---|---|---|"]
    for name, declared, objects in _sections():
        what, guides = AREAS[name]
        keys = [f"`{s.name}`" + (" (secret)" if s.secret else "") for s in declared]
        keys += [f"`{o}` ([object](docs/settings.md#object-settings))" for o in objects]
        out.append(f"| **{name}**: {what} | {', '.join(keys)} | [{name}](docs/settings.md#{name}) | {guides} |")
    return "\n".join(out + [""])


def render_readme() -> str:
    """README.md with the settings table between its markers regenerated."""
    return generated.splice(README.read_text(), README_BEGIN, README_END, render_readme_table(),
                            f"{README.name}: the settings table's markers are missing")


def render_doc() -> str:
    """Every setting, per section, with its type, default and description: the settings reference."""
    out = ["# Settings reference", "",
           "GENERATED from the settings' declarations (settings/, `Setting`) by `python -m tools.project_file`;",
           "a test keeps it current. Set a key with `pulumi config set <key> <value>` (secrets with `--secret`,",
           "objects with `--path`). \"unset\": the program computes the value (the description says how).", ""]
    for name, declared, _ in _sections():
        out += [f"## {name}", "", "| key | type | default | description |", "|---|---|---|---|"]
        for s in declared:
            kind = f"{s.type}<{s.items}>" if s.items else s.type
            text = s.full_description.replace("|", "\\|")
            out.append(f"| `{s.name}` | {kind} | {_default_text(s)} | {text} |")
        out.append("")
    out += ["## object settings", "", "| key | fields |", "|---|---|"]
    out += [f"| `{name}` | {text} |" for name, text in OBJECT_DOCS().items()]
    return "\n".join(out) + "\n"


def main(argv: list[str] | None = None) -> int:
    return generated.main_many({PROJECT_FILE: render, SETTINGS_DOC: render_doc, README: render_readme},
                               "python -m tools.project_file", __doc__, argv)


if __name__ == "__main__":
    sys.exit(main())
