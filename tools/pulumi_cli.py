"""What the Pulumi CLI does with ``Pulumi.yaml`` and a stack file before the program starts.

The CLI is not available offline, so its rules are re-implemented here from its source, line by
line, and applied in tests to every stack file and every documented target example. Source:
pulumi/pulumi@v3.259.0 (commit 0ac56e876614aedf12771d73ef7e80959b8a6fd4, the newest tag in the
mirror used; the rules below are unchanged since they moved to pkg/workspace/config.go):

1. Loading the project (sdk/go/common/workspace/loaders.go ``LoadProjectBytes``, lines 109-149):
   ``ValidateProject`` (project.go 569-647) checks a non-empty ``name`` and validates the document
   against the embedded JSON schema ``sdk/go/common/workspace/project.json`` (vendored as
   tests/data/pulumi/project.json); ``RewriteShorthandConfigValues`` (project.go 486-517) turns a
   bare ``key: value`` into ``{default: value}``; ``Project.Validate`` (project.go 837-889) rejects
   ``default`` together with ``value``, an ``array`` without ``items`` and a ``default`` that does
   not match its declared ``type``.
2. Loading a stack file (loaders.go ``LoadProjectStackBytes`` 173-233,
   ``stackConfigNamespacedWithProject`` 61-89): keys without ``:`` get the project's namespace.
   Values become ``config.Value``s (resource/config/object.go ``unmarshalObject`` 467-538,
   ``MarshalString`` 403-420): a map with the single key ``secure`` is a secret; booleans and numbers
   become their JSON text; lists and maps become JSON "object" values (secret when any leaf is).
3. ``mergeConfig`` (pkg/workspace/config.go 255-366): every declared key in the project's namespace
   that the stack does not set and that has neither ``default`` nor ``value`` is *missing*; all
   missing keys are reported together as ``Stack '<stack>' is missing configuration values ...``
   (lines 316-325, 351-355). A key the stack does not set gets its ``value``/``default`` written onto
   the stack config *in plaintext* (lines 327-348, ``createConfigValue`` 179-193: a string, int or
   bool becomes ``fmt.Sprintf("%v")``, anything else JSON) -- this is what the program reads.
4. ``validateStackConfigValues`` (config.go 66-117) then checks every explicitly typed declared key
   (``validateStackConfigValue`` 119-157): ``secret: true`` and a value that is not ``secure`` ->
   ``must be encrypted as it's secret`` (lines 128-134), which includes a default just applied in
   plaintext; otherwise the value must match its type (``ValidateConfigValue``, project.go 771-831:
   ``string`` any string; ``integer`` an int, a whole float or a string ``strconv.Atoi`` accepts;
   ``boolean`` a bool or the strings ``true``/``false``; ``object`` a map; ``array`` a list whose
   every item matches ``items``) -> ``must be of type '<type>'``. Declared keys are checked in sorted
   order and the first failure stops the run.
"""

from __future__ import annotations

import functools
import json
import math
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Mapping, Optional

import yaml

_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when PyYAML has it: same YAML, faster


def parse_yaml(text: str) -> Any:
    """A project or stack file's YAML (safe loading)."""
    return yaml.load(text, Loader=_LOADER)

ROOT = Path(__file__).resolve().parent.parent
PROJECT_SCHEMA = ROOT / "tests" / "data" / "pulumi" / "project.json"

_INT = re.compile(r"^[+-]?\d+$")  # strconv.Atoi: optional sign, decimal digits


class CliError(Exception):
    """What the CLI prints before it stops (its message, verbatim)."""


@dataclass(frozen=True)
class Value:
    """resource/config ``Value``: its string form, whether it is secure and whether it is an object."""

    text: str
    secure: bool = False
    object: bool = False

    def content(self) -> Any:
        """What ``validateStackConfigValue`` type-checks (config.go 136-143).

        Secure values cannot be decrypted here; their decrypted text stands in as a string.
        """
        if self.object:
            return json.loads(self.text)
        return self.text


def _is_secure_map(v: Any) -> bool:
    # object.go isSecureValue (541-552): a map of length one with a string "secure".
    return isinstance(v, dict) and list(v) == ["secure"] and isinstance(v["secure"], str)


def plain_stack_values(stack: str, namespace: str) -> dict[str, Any]:
    """The plain (not ``secure:``) values ``Pulumi.<stack>.yaml`` sets under ``namespace``, by setting
    name: the settings a stack file gives the program, where its secrets cannot be decrypted."""
    config = (parse_yaml((ROOT / f"Pulumi.{stack}.yaml").read_text()) or {}).get("config") or {}
    prefix = f"{namespace}:"
    return {k[len(prefix):]: v for k, v in config.items() if k.startswith(prefix) and not _is_secure_map(v)}


def _has_secure_leaf(v: Any) -> bool:
    if _is_secure_map(v):
        return True
    if isinstance(v, dict):
        return any(_has_secure_leaf(x) for x in v.values())
    if isinstance(v, list):
        return any(_has_secure_leaf(x) for x in v)
    return False


def stack_value(raw: Any) -> Value:
    """A YAML value from a stack file as the CLI holds it (object.go unmarshalObject + MarshalString)."""
    if _is_secure_map(raw):
        return Value(raw["secure"], secure=True)
    if isinstance(raw, bool):
        return Value("true" if raw else "false")
    if isinstance(raw, (int, float)):
        return Value(json.dumps(raw))
    if isinstance(raw, str):
        return Value(raw)
    if raw is None:  # loaders.go checkForEmptyConfig: "currently treated as an empty string"
        return Value("")
    return Value(json.dumps(raw), secure=_has_secure_leaf(raw), object=True)


def default_value(raw: Any) -> Value:
    """config.go createConfigValue (179-193): how a declared default reaches the stack config."""
    if isinstance(raw, bool):  # fmt.Sprintf("%v", true) == "true"
        return Value("true" if raw else "false")
    if isinstance(raw, (int, str)):
        return Value(str(raw))
    return Value(json.dumps(raw), object=True)


def validate_config_value(type_name: str, items: Optional[Mapping[str, Any]], value: Any) -> bool:
    """project.go ValidateConfigValue (771-831)."""
    if type_name == "string":
        return isinstance(value, str)
    if type_name == "integer":
        if isinstance(value, bool):
            return False
        if isinstance(value, int):
            return True
        if isinstance(value, float) and value == math.trunc(value):
            return True
        if isinstance(value, str):
            return bool(_INT.match(value))
        return False
    if type_name == "boolean":
        return value in ("true", "false") or isinstance(value, bool)
    if type_name == "object":
        return isinstance(value, dict)
    if not isinstance(value, list) or items is None:
        return False
    return all(validate_config_value(items.get("type", ""), items.get("items"), item) for item in value)


def full_type_name(type_name: str, items: Optional[Mapping[str, Any]]) -> str:
    """project.go InferFullTypeName (760-766)."""
    if items is not None:
        return f"array<{full_type_name(items.get('type', ''), items.get('items'))}>"
    return type_name


def _namespaced_by_project(project: str, key: str) -> bool:
    return ":" not in key or key.startswith(project + ":")


def _full_key(project: str, key: str) -> str:
    return key if ":" in key else f"{project}:{key}"


def load_project(text: str, schema: Optional[Mapping[str, Any]] = None) -> dict[str, Any]:
    """loaders.go LoadProjectBytes: schema-validate, rewrite shorthand config, Project.Validate."""
    import jsonschema

    raw = parse_yaml(text)
    if not isinstance(raw, dict):
        raise CliError("expected project to be an object")
    name = raw.get("name")
    if not isinstance(name, str) or not name:
        raise CliError("project is missing a non-empty string 'name' attribute")
    validator = jsonschema.Draft202012Validator(schema) if schema is not None else _project_validator()
    errors = sorted(validator.iter_errors(raw), key=lambda e: list(e.absolute_path))
    if errors:
        raise CliError("could not validate 'Pulumi.yaml': " + "; ".join(
            f"#/{'/'.join(str(p) for p in e.absolute_path)}: {e.message}" for e in errors))
    config = dict(raw.get("config") or {}) if isinstance(raw.get("config"), dict) else {}
    for key, value in list(config.items()):  # RewriteShorthandConfigValues
        if not isinstance(value, dict):
            config[key] = {"default": value} if _namespaced_by_project(name, key) else {"value": value}
    for key, decl in config.items():  # Project.Validate
        if "default" in decl and "value" in decl and decl["default"] is not None and decl["value"] is not None:
            raise CliError(f"project config '{key}' cannot have both a 'default' and 'value' attribute")
        typed = decl.get("type") is not None
        if _namespaced_by_project(name, key):
            if typed and decl["type"] == "array" and decl.get("items") is None:
                raise CliError(f"The configuration key '{key}' declares an array but does not specify the "
                               "underlying type via the 'items' attribute")
            if typed and decl.get("default") is not None and not validate_config_value(
                    decl["type"], decl.get("items"), decl["default"]):
                raise CliError(f"The default value specified for configuration key '{key}' is not of the "
                               f"expected type '{full_type_name(decl['type'], decl.get('items'))}'")
        else:
            if typed:
                raise CliError(f"Configuration key '{key}' is not namespaced by the project "
                               "and should not define a type")
            if decl.get("default") is not None:
                raise CliError(f"Configuration key '{key}' is not namespaced by the project "
                               "and should not define a default value. "
                               "Did you mean to use the 'value' attribute instead of 'default'?")
            if decl.get("value") is None:
                raise CliError(f"Configuration key '{key}' is namespaced and must provide an attribute 'value'")
    return {"name": name, "config": config, "raw": raw}


@functools.lru_cache(maxsize=None)
def _project_validator() -> Any:
    """The validator of the vendored project.json, built once (its refs are resolved lazily and kept)."""
    import jsonschema

    return jsonschema.Draft202012Validator(json.loads(PROJECT_SCHEMA.read_text()))


def load_stack(project: Mapping[str, Any], text: str) -> dict[str, Value]:
    """loaders.go LoadProjectStackBytes: namespaced keys -> config values."""
    doc = parse_yaml(text) or {}
    return {_full_key(project["name"], k): stack_value(v) for k, v in (doc.get("config") or {}).items()}


def _missing_error(stack: str, keys: list[str]) -> str:
    """config.go formatMissingKeys / missingStackConfigurationKeysError (30-64)."""
    keys = sorted(keys)
    if len(keys) == 1:
        listed = f"'{keys[0]}'"
    else:
        listed = "".join(f"'{k}', " for k in keys[:-2]) + f"'{keys[-2]}' and '{keys[-1]}'"
    return f"Stack '{stack}' is missing configuration {'value' if len(keys) == 1 else 'values'} {listed}"


def merge_config(project: Mapping[str, Any], stack: str, config: Mapping[str, Value]) -> dict[str, Value]:
    """config.go mergeConfig + validateStackConfigValues: the config the program receives, or CliError."""
    name = project["name"]
    merged = dict(config)
    missing: list[str] = []
    for key in sorted(project["config"]):
        decl = project["config"][key]
        full = _full_key(name, key)
        found = full in merged
        has_default = decl.get("default") is not None
        has_value = decl.get("value") is not None
        if not found and not has_value and not has_default and full.split(":", 1)[0] == name:
            missing.append(key)
            continue
        if not found and (has_value or has_default):
            merged[full] = default_value(decl["default"] if has_default else decl["value"])
    if missing:
        raise CliError(_missing_error(stack, missing))
    for key in sorted(project["config"]):
        decl = project["config"][key]
        if decl.get("type") is None:
            continue
        value = merged.get(_full_key(name, key), Value(""))
        if decl.get("secret") and not value.secure:
            raise CliError(f"Stack '{stack}' with configuration key '{key}' must be encrypted as it's secret")
        if not validate_config_value(decl["type"], decl.get("items"), value.content()):
            raise CliError(f"Stack '{stack}' with configuration key '{key}' must be of type "
                           f"'{full_type_name(decl['type'], decl.get('items'))}'")
    return merged


def preflight(project_text: str, stack_text: str, stack: str) -> dict[str, Value]:
    """Everything the CLI checks before ``pulumi preview``/``up`` starts the program."""
    project = load_project(project_text)
    return merge_config(project, stack, load_stack(project, stack_text))


def wire_config(merged: Mapping[str, Value]) -> tuple[dict[str, str], list[str]]:
    """The merged config as the engine hands it to the program (key -> string, secret keys)."""
    return ({k: v.text for k, v in merged.items()}, [k for k, v in merged.items() if v.secure])


def apply_project_defaults(config: Mapping[str, str], project_file: Path = ROOT / "Pulumi.yaml") -> dict[str, str]:
    """config.go ``ApplyProjectConfig`` (388-398, through mergeConfig): declared defaults written onto
    the unset keys of a wire-form config, without validation -- what the program then reads."""
    project = _project_cached(project_file)
    merged = dict(config)
    for key in sorted(project["config"]):
        decl = project["config"][key]
        full = _full_key(project["name"], key)
        if full in merged:
            continue
        if decl.get("default") is not None:
            merged[full] = default_value(decl["default"]).text
        elif decl.get("value") is not None:
            merged[full] = default_value(decl["value"]).text
    return merged


_PROJECTS: dict[tuple[Path, float], dict[str, Any]] = {}


def _project_cached(path: Path) -> dict[str, Any]:
    stamp = (path, path.stat().st_mtime)
    if stamp not in _PROJECTS:
        _PROJECTS[stamp] = load_project(path.read_text())
    return _PROJECTS[stamp]
