"""The vendored chart sources (charts/vendor/) and the Helm releases of a recorded program run.

    vendored_chart("gateway", "1.22.8")  -> Path of the chart directory
    release_charts(run)                  -> every helm.v3.Release of a ProgramRun with its chart path and values
    coalesced_values(path, values)       -> the chart's defaults coalesced with ``values``, as Helm renders them
    schema_errors(path, values)          -> Helm's install-time values-schema check (None when it passes)
    render(path, values, release, ns)    -> the chart rendered as an install (template path -> manifest)

Used by tests and tools; the Pulumi program never imports it (it installs charts from their repositories).
Charts are loaded once per process with helm-python-sdk (Helm's own Go code, SDK v4.2.3).
"""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Optional

import helm_python

ROOT = Path(__file__).resolve().parent.parent
VENDOR = ROOT / "charts" / "vendor"
RELEASE_TYPE = "kubernetes:helm.sh/v3:Release"
# The error Helm returns when values fail a chart's schema (helm/helm@v3.18.6 pkg/chartutil/values.go,
# ToRenderValuesWithSchemaValidation; the same text in v4 pkg/chart/common/util/values.go).
SCHEMA_ERROR = "values don't meet the specifications of the schema(s)"


def vendored_chart(chart: str, version: str) -> Path:
    """charts/vendor/<chart>-<version>; KeyError naming the pin when it is not vendored."""
    path = VENDOR / f"{chart}-{version}"
    if not (path / "Chart.yaml").is_file():
        raise KeyError(f"{chart} {version} is not vendored under {VENDOR} (python -m tools.vendor_charts)")
    return path


@functools.lru_cache(maxsize=None)
def load(path: Path) -> helm_python.Chart:
    """The chart at ``path`` (subcharts included), loaded once per process: for reading only.

    Never ``render`` this shared copy: rendering runs Helm's ProcessDependencies, which removes the
    subcharts the values disable from the loaded chart itself, so a later render or schema check with
    other values would silently miss them. Use ``render`` below.
    """
    return helm_python.Chart.load(path)


def render(chart_path: Path, values: dict[str, Any], release: str, namespace: str) -> dict[str, str]:
    """The chart rendered as ``helm install`` would (schema check included), from a fresh load.

    Raises helm_python.HelmError (HelmValuesError for a schema failure, HelmRenderError for a template).
    """
    chart = helm_python.Chart.load(Path(chart_path))  # 20-100 ms; see ``load`` for why not shared
    try:
        return chart.render(values, name=release, namespace=namespace, is_install=True)
    finally:
        chart.close()


@dataclass(frozen=True)
class ReleaseChart:
    resource: str  # Pulumi resource name
    release: str  # Helm release name
    namespace: str
    chart: str  # chart name
    version: Optional[str]  # None for a local chart
    path: Path  # chart directory (vendored, or our own)
    values: dict[str, Any]  # as sent, secrets unwrapped


def chart_name(chart: str) -> str:
    """``cert-manager``, ``oci://registry-1.docker.io/bitnamicharts/redis`` -> ``redis``."""
    return chart.rstrip("/").rsplit("/", 1)[-1]


def release_charts(run) -> list[ReleaseChart]:
    """Every ``helm.v3.Release`` of a recorded run (tools.offline.ProgramRun), with its chart's path.

    A local chart (``./charts/tartware``) resolves against the repository root; any other resolves
    to its vendored copy at the release's ``version``.
    """
    found = []
    for r in run.of_type(RELEASE_TYPE):
        plain = r.plain
        chart, version = plain["chart"], plain.get("version")
        if chart.startswith(("./", "/")):
            path, version = (ROOT / chart).resolve(), None
        else:
            path = vendored_chart(chart_name(chart), version)
        found.append(ReleaseChart(r.name, plain.get("name", r.name), plain.get("namespace", "default"),
                                  chart_name(chart), version, path, plain.get("values") or {}))
    return found


def coalesced_values(chart_path: Path, values: dict[str, Any]) -> dict[str, Any]:
    """The chart's defaults, its subcharts' defaults under their names, with ``values`` on top.

    Helm's CoalesceValues (helm/helm@v3.18.6 pkg/chartutil/coalesce.go; v4 pkg/chart/common/util/coalesce.go),
    here through helm-python-sdk's ``Chart.merge_values``: maps merge key by key, user values win, a
    ``null`` user value deletes the default.
    """
    return load(Path(chart_path)).merge_values(values)


@functools.lru_cache(maxsize=None)
def _schema_errors(chart_path: Path, values_json: str, release: str, namespace: str) -> Optional[str]:
    chart = load(chart_path)
    values = json.loads(values_json)
    try:
        chart.validate_schema(values)
        return None
    except helm_python.HelmValuesError:
        pass
    # validate_schema checks every subchart's schema, even one its condition disables; Helm's install
    # drops disabled subcharts first (pkg/action/install.go: ProcessDependenciesWithMerge before
    # ToRenderValuesWithSchemaValidation). So a failure is confirmed on the install path: render.
    try:
        render(chart_path, values, release, namespace)
    except helm_python.HelmError as err:
        if SCHEMA_ERROR in str(err):
            return str(err)
    return None


def schema_errors(chart_path: Path, values: dict[str, Any], release: str = "release",
                  namespace: str = "default") -> Optional[str]:
    """Helm's values-schema check of an install, or None when ``values`` pass.

    Helm (helm/helm@v3.18.6 pkg/chartutil/values.go ToRenderValuesWithSchemaValidation) first coalesces
    the chart's defaults with the values (CoalesceValues), then validates the result against the chart's
    values.schema.json and each enabled subchart's schema against that subchart's scoped values
    (pkg/chartutil/jsonschema.go ValidateAgainstSchema: ``values[subchart.Name()]``). Since v3.18.5 the
    validator is santhosh-tekuri/jsonschema/v6 (helm/helm commit cb8595bc "json schema fix"), which
    rejects e.g. the Istio gateway chart's own ``defaults:`` key (helm/helm#31160, istio/istio#57354).
    helm-python-sdk runs that same code: ``validate_schema`` coalesces the defaults first.
    """
    return _schema_errors(Path(chart_path), json.dumps(values, sort_keys=True), release, namespace)
