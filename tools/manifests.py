"""Manifests: what Kubernetes would receive, as plain dicts. Shared by render, diff, scan and the tests.

* ``render_chart``: a Helm chart rendered with helm-python-sdk (templates only; hooks included,
  ``NOTES.txt`` dropped), in a stable order.
* ``chart_crds``: the files of the chart's ``crds/`` directories (its own and those of its enabled
  subcharts), which ``helm install`` creates before the templates and ``render`` does not return
  (helm/helm@v3.19.0 pkg/action/install.go ``installCRDs``, pkg/chart/chart.go ``CRDObjects``).
* ``kubernetes_objects``: the objects the program registers directly (not through a chart),
  converted from their recorded inputs, secrets masked.
* ``write_manifests``: one file per object.
"""

from __future__ import annotations

import functools
import hashlib
import json
import re
from pathlib import Path
from typing import Any, Iterable, Mapping, Optional

import yaml

class _Loader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
    """Safe YAML loading as Kubernetes reads it (YAML 1.2-like): a bare ``=`` is the string "=",
    not YAML 1.1's ``value`` type (prometheus-operator CRDs list ``=`` as an enum value)."""


_Loader.add_constructor("tag:yaml.org,2002:value", lambda loader, node: loader.construct_scalar(node))


class _Dumper(getattr(yaml, "CSafeDumper", yaml.SafeDumper)):  # type: ignore[misc]
    """libyaml's emitter (the CRDs run to megabytes), without anchors and aliases: a manifest file
    reads as Kubernetes returns it, and the representer skips its alias bookkeeping (faster)."""

    def ignore_aliases(self, data: Any) -> bool:
        return True


def dump(doc: Any) -> str:
    """One object as a YAML document, keys sorted."""
    return yaml.dump(doc, Dumper=_Dumper, sort_keys=True)


# The documents of each YAML text parsed so far in this process, as JSON. Renders of one chart with
# other values repeat most of its documents (the CRDs, most templates), and the tests render the same
# charts for many stacks: parsing them again with PyYAML's constructor (Python, ~1 MB/s) is the
# larger cost, decoding JSON (C) the smaller. Each call still returns new objects (callers may change
# them). Only texts whose documents survive the JSON round trip unchanged are kept (no timestamps,
# binary or non-string keys).
_PARSED: dict[bytes, str] = {}


def load_all(text: str) -> list[Any]:
    key = hashlib.blake2b(text.encode(), digest_size=16).digest()
    known = _PARSED.get(key)
    if known is not None:
        return json.loads(known)
    docs = list(yaml.load_all(text, Loader=_Loader))
    try:
        encoded = json.dumps(docs)
    except (TypeError, ValueError):
        return docs
    if json.loads(encoded) == docs:
        _PARSED[key] = encoded
    return docs


ROOT = Path(__file__).resolve().parent.parent
CHART = ROOT / "charts" / "tartware"
SECRET_MARK = "[secret]"


# ------------------------------------------------------------------------------ charts


def load_chart(chart: Path) -> Any:
    """helm-python-sdk's loaded chart, fresh for each render: rendering runs Helm's
    ProcessDependencies, which removes the subcharts the values disable from the loaded chart itself
    (helm/helm@v3.19.0 pkg/chartutil/dependencies.go), so a shared copy would lose them for the next
    render (tools/charts.py ``render`` does the same; this module imports no ``tools`` module because
    tools/diff.py loads it by path)."""
    import helm_python

    return helm_python.Chart.load(str(chart))


@functools.lru_cache(maxsize=None)
def _yaml_file(path: Path) -> tuple[Any, ...]:
    """The documents of a YAML file, parsed once per process; callers must not modify them."""
    return tuple(load_all(path.read_text()))


def render_chart(values: dict[str, Any], name: str = "tartware", namespace: str = "tartware-system",
                 chart: Path = CHART) -> list[dict[str, Any]]:
    """Every object the chart renders with ``values`` (as ``helm install`` would), in a stable order."""
    loaded = load_chart(chart)
    try:
        rendered = loaded.render(values, name=name, namespace=namespace, is_install=True)
    finally:
        loaded.close()
    docs: list[dict[str, Any]] = []
    for path in sorted(rendered):
        if path.endswith("NOTES.txt"):
            continue
        docs.extend(split_manifests(rendered[path]))
    return docs


# helm/helm@v3.19.0 pkg/releaseutil/manifest.go: documents are split on this separator, so a
# template's "---# comment" starts a new document
_SEPARATOR = re.compile(r"(?:^|\s*\n)---\s*")


def split_manifests(text: str) -> list[dict[str, Any]]:
    docs: list[dict[str, Any]] = []
    for part in _SEPARATOR.split(text):
        if part.strip():
            docs.extend(d for d in load_all(part) if isinstance(d, dict) and d)
    return docs


def _lookup(values: Mapping[str, Any], dotted: str) -> Any:
    node: Any = values
    for part in dotted.split("."):
        if not isinstance(node, Mapping) or part not in node:
            return None
        node = node[part]
    return node


def _enabled(dep: Mapping[str, Any], values: Mapping[str, Any], defaults: Mapping[str, Any]) -> bool:
    """Helm's dependency ``condition``: the first path that resolves to a bool decides; none = enabled
    (helm/helm@v3.19.0 pkg/chartutil/dependencies.go ``processDependencyConditions``)."""
    for path in str(dep.get("condition") or "").split(","):
        path = path.strip()
        if not path:
            continue
        for source in (values, defaults):
            found = _lookup(source, path)
            if isinstance(found, bool):
                return found
    return True


def chart_crds(chart: Path, values: Optional[Mapping[str, Any]] = None) -> list[dict[str, Any]]:
    """The CRDs in ``crds/`` of ``chart`` and of each subchart its values enable."""
    values = values or {}
    docs: list[dict[str, Any]] = []
    crd_dir = chart / "crds"
    if crd_dir.is_dir():
        for path in sorted(p for p in crd_dir.rglob("*") if p.suffix in (".yaml", ".yml", ".json")):
            docs.extend(d for d in _yaml_file(path) if isinstance(d, dict) and d)
    meta = (_yaml_file(chart / "Chart.yaml") or ({},))[0] or {}
    defaults = ((_yaml_file(chart / "values.yaml") or ({},))[0] or {}) if (chart / "values.yaml").exists() else {}
    sub_dir = chart / "charts"
    for dep in meta.get("dependencies") or []:
        if not _enabled(dep, values, defaults or {}):
            continue
        sub = sub_dir / dep["name"]
        if not (sub / "Chart.yaml").exists():
            continue
        key = dep.get("alias") or dep["name"]
        sub_values = values.get(key) if isinstance(values.get(key), Mapping) else {}
        docs.extend(chart_crds(sub, sub_values))
    return docs


# ------------------------------------------------------------------------------ program objects


def mask(value: Any) -> Any:
    """Plain JSON data with every Pulumi secret replaced by a marker (nothing secret is printed)."""
    if type(value).__name__ == "Secret":
        inner = getattr(value, "value", None)
        if isinstance(inner, dict):  # a whole secret map (e.g. stringData): keep its keys
            return {k: SECRET_MARK for k in inner}
        return SECRET_MARK
    if isinstance(value, dict):
        return {k: mask(v) for k, v in value.items()}
    if isinstance(value, list):
        return [mask(v) for v in value]
    return value


def kubernetes_objects(resources: Iterable[Any]) -> list[dict[str, Any]]:
    """The Kubernetes objects Pulumi creates itself (not through a chart), from their inputs."""
    docs = []
    for r in resources:
        if not r.type.startswith("kubernetes:") or r.type.startswith("kubernetes:helm.sh/"):
            continue
        if r.type.startswith("kubernetes:yaml") or r.type == "pulumi:providers:kubernetes":
            continue
        body = mask(r.inputs)
        if not isinstance(body, dict) or "kind" not in body or "metadata" not in body:
            continue
        body.pop("__inputs", None)
        docs.append(body)
    return docs


# ------------------------------------------------------------------------------ identity and files


def object_key(doc: Mapping[str, Any]) -> str:
    meta = doc.get("metadata") or {}
    ns = meta.get("namespace")
    return f"{doc.get('kind')} {ns + '/' if ns else ''}{meta.get('name')}"


def object_filename(doc: dict[str, Any]) -> str:
    """``<kind>-<name>.yaml``; objects outside tartware-system carry their namespace too."""
    ns = doc["metadata"].get("namespace")
    middle = f"{ns}-" if ns and ns != "tartware-system" else ""
    return f"{doc['kind'].lower()}-{middle}{doc['metadata']['name']}.yaml"


def write_manifests(docs: Iterable[dict[str, Any]], out: Path) -> list[Path]:
    """One file per object into ``out`` (emptied first); same-named objects get a numeric suffix."""
    out.mkdir(parents=True, exist_ok=True)
    for old in out.glob("*.yaml"):
        old.unlink()
    paths: list[Path] = []
    taken: set[str] = set()
    for doc in docs:
        name = object_filename(doc)
        n = 1
        while name in taken:
            n += 1
            name = object_filename(doc).replace(".yaml", f"-{n}.yaml")
        taken.add(name)
        path = out / name
        path.write_text(dump(doc))
        paths.append(path)
    return paths
