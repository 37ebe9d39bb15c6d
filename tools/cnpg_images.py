"""The images CloudNativePG and its Barman Cloud plugin put in the pods they create, from the pins.

tools/cnpg.py models the pods the operator makes (instances, bootstrap Jobs, the Pooler's
Deployment, the plugin's sidecar). Their images come from here, read from the vendored charts of
the pins in facts/versions.py (``CLOUDNATIVE_PG``, ``BARMAN_CLOUD_PLUGIN``), so a chart bump moves
them, or stops the model until it is re-read:

* the operator's image, which the operator also runs as the ``bootstrap-controller`` init container
  of every pod it makes: the cloudnative-pg chart passes ``image.repository:(image.tag or
  appVersion)`` as ``OPERATOR_IMAGE_NAME`` (cloudnative-pg/charts@cloudnative-pg-v0.29.0
  charts/cloudnative-pg/templates/deployment.yaml), which the operator uses instead of its built-in
  ``DefaultOperatorImageName`` (cloudnative-pg/cloudnative-pg@v1.30.0 pkg/versions/versions.go,
  internal/configuration/configuration.go ``OperatorImageName``);
* the sidecar the plugin injects: ``sidecarImage.registry/repository:(tag or appVersion)``, the
  plugin's ``SIDECAR_IMAGE`` (cloudnative-pg/charts@plugin-barman-cloud-v0.7.0
  charts/plugin-barman-cloud/templates/configmap.yaml);
* PgBouncer's image is in no chart: a Pooler without one gets the operator's
  ``PgbouncerImageName``, which the chart leaves at ``DefaultPgbouncerImage``
  (internal/configuration/configuration.go, pkg/versions/versions.go), recorded below per operator
  version.

The model of tools/cnpg.py was read at one operator version and one plugin version (``MODELLED``).
When the vendored charts install another, ``images`` refuses, naming the chart, the version it
installs and the one the model was read at.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Optional

import yaml

from facts import versions
from tools.charts import vendored_chart

# The versions tools/cnpg.py was read at: the operator (cloudnative-pg/cloudnative-pg@v1.30.0 pkg/specs,
# the appVersion of the pinned cloudnative-pg chart, facts/versions.py) and the plugin
# (cloudnative-pg/plugin-barman-cloud@v0.13.0 internal/cnpgi/operator/lifecycle.go, the appVersion of
# the pinned plugin-barman-cloud chart).
MODELLED = {"cloudnative-pg": "1.30.0", "plugin-barman-cloud": "v0.13.0"}
# DefaultPgbouncerImage per operator version (cloudnative-pg/cloudnative-pg@v<version> pkg/versions/versions.go).
DEFAULT_PGBOUNCER_IMAGE = {"1.30.0": "ghcr.io/cloudnative-pg/pgbouncer:1.25.1"}


class ModelOutOfDate(ValueError):
    """The charts install an operator or plugin version the model was not read at."""


@dataclass(frozen=True)
class Images:
    operator: str
    pgbouncer: str
    plugin_sidecar: str


def _chart(path: Path) -> tuple[dict, dict]:
    return (yaml.safe_load((path / "Chart.yaml").read_text()), yaml.safe_load((path / "values.yaml").read_text()))


def _image(values: dict, key: str, app_version: str) -> str:
    """``[registry/]repository:(tag or appVersion)``, as both charts' templates write it."""
    image = values[key]
    repository = "/".join(p for p in (image.get("registry"), image["repository"]) if p)
    return f"{repository}:{image.get('tag') or app_version}"


def images(operator_chart: Optional[Path] = None, plugin_chart: Optional[Path] = None) -> Images:
    """The images of the pinned charts (or of the chart directories given, for tests)."""
    operator_chart = operator_chart or vendored_chart(versions.CLOUDNATIVE_PG.chart, versions.CLOUDNATIVE_PG.version)
    plugin_chart = plugin_chart or vendored_chart(versions.BARMAN_CLOUD_PLUGIN.chart,
                                                  versions.BARMAN_CLOUD_PLUGIN.version)
    found = {}
    for name, path in (("cloudnative-pg", operator_chart), ("plugin-barman-cloud", plugin_chart)):
        meta, values = _chart(path)
        app = str(meta["appVersion"])
        if app != MODELLED[name]:
            raise ModelOutOfDate(
                f"{path / 'Chart.yaml'}: appVersion {app}, but tools/cnpg.py models {name} {MODELLED[name]}; "
                f"re-read the operator's pods at {app} (tools/cnpg.py names the source files) and update "
                f"tools/cnpg_images.py MODELLED{' and DEFAULT_PGBOUNCER_IMAGE' if name == 'cloudnative-pg' else ''}")
        found[name] = (app, values)
    operator_app, operator_values = found["cloudnative-pg"]
    plugin_app, plugin_values = found["plugin-barman-cloud"]
    return Images(operator=_image(operator_values, "image", operator_app),
                  pgbouncer=DEFAULT_PGBOUNCER_IMAGE[operator_app],
                  plugin_sidecar=_image(plugin_values, "sidecarImage", plugin_app))
