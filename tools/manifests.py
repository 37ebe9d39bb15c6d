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

from pathlib import Path
from typing import Any, Iterable, Mapping, Optional

import yaml

ROOT = Path(__file__).resolve().parent.parent
CHART = ROOT / "charts" / "tartware"
SECRET_MARK = "[secret]"


# ------------------------------------------------------------------------------ charts


def render_chart(values: dict[str, Any], name: str = "tartware", namespace: str = "tartware-system",
                 chart: Path = CHART) -> list[dict[str, Any]]:
    """Every object the chart renders with ``values`` (as ``helm install`` would), in a stable order."""
    import helm_python

    rendered = helm_python.Chart.load(str(chart)).render(values, name=name, namespace=namespace, is_install=True)
    docs: list[dict[str, Any]] = []
    for path in sorted(rendered):
        if path.endswith("NOTES.txt"):
            continue
        docs.extend(d for d in yaml.safe_load_all(rendered[path]) if isinstance(d, dict) and d)
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
            docs.extend(d for d in yaml.safe_load_all(path.read_text()) if isinstance(d, dict) and d)
    meta = yaml.safe_load((chart / "Chart.yaml").read_text()) or {}
    defaults = yaml.safe_load((chart / "values.yaml").read_text()) if (chart / "values.yaml").exists() else {}
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
    paths = []
    for doc in docs:
        path = out / object_filename(doc)
        n = 1
        while path in paths:
            n += 1
            path = out / object_filename(doc).replace(".yaml", f"-{n}.yaml")
        path.write_text(yaml.safe_dump(doc, sort_keys=True))
        paths.append(path)
    return paths
