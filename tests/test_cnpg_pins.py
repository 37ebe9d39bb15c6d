"""What CloudNativePG and its Barman Cloud plugin run follows the pins in facts/versions.py.

* The images tools/cnpg.py puts in the pods the operator makes come from the vendored charts of the
  pins (tools/cnpg_images.py), and a chart of another operator or plugin version than the model was
  read at is refused, naming the file and both versions.
* The PITR drill's barman-cloud (requirements-drill.txt) is the one the plugin's sidecar runs at the
  pinned plugin version.

The expected images and pins are written out from the upstream sources at those versions, never
read from the code under test.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
import yaml

from facts import versions
from tools import cnpg, cnpg_images
from tools.charts import vendored_chart

ROOT = Path(__file__).resolve().parent.parent

# cloudnative-pg/cloudnative-pg@v1.30.0 pkg/versions/versions.go: DefaultOperatorImageName and
# DefaultPgbouncerImage; the plugin's sidecar image is ghcr.io/cloudnative-pg/plugin-barman-cloud-sidecar
# at the plugin's tag (cloudnative-pg/charts@plugin-barman-cloud-v0.7.0 charts/plugin-barman-cloud/values.yaml
# sidecarImage, Chart.yaml appVersion v0.13.0).
UPSTREAM_IMAGES = {
    "operator": "ghcr.io/cloudnative-pg/cloudnative-pg:1.30.0",
    "pgbouncer": "ghcr.io/cloudnative-pg/pgbouncer:1.25.1",
    "plugin_sidecar": "ghcr.io/cloudnative-pg/plugin-barman-cloud-sidecar:v0.13.0",
}

# What the plugin's sidecar installs, per plugin version: cloudnative-pg/plugin-barman-cloud@<version>
# containers/sidecar-requirements.txt (pip-compile of containers/sidecar-requirements.in,
# barman[azure,cloud,google,snappy,zstandard,lz4]). Only the packages the drill installs (it speaks S3
# only: no Azure or Google extras).
SIDECAR_REQUIREMENTS = {
    "v0.13.0": {"barman": "3.19.1", "boto3": "1.43.26", "botocore": "1.43.26", "s3transfer": "0.18.0",
                "psycopg2": "2.9.12", "zstandard": "0.25.0", "lz4": "4.4.5", "python-snappy": "0.7.3",
                "cramjam": "2.11.0"},
}
PIN_LINE = re.compile(r"^([A-Za-z0-9_.-]+)(?:\[[^\]]*\])?==(\S+)")


def _plugin_version() -> str:
    path = vendored_chart(versions.BARMAN_CLOUD_PLUGIN.chart, versions.BARMAN_CLOUD_PLUGIN.version)
    return str(yaml.safe_load((path / "Chart.yaml").read_text())["appVersion"])


def drill_pin_errors(requirements: str, plugin_version: str) -> list[str]:
    """Where requirements-drill.txt's text differs from the sidecar of ``plugin_version``."""
    if plugin_version not in SIDECAR_REQUIREMENTS:
        return [f"plugin-barman-cloud {plugin_version}: no sidecar pins recorded; read "
                f"cloudnative-pg/plugin-barman-cloud@{plugin_version} containers/sidecar-requirements.txt "
                f"into SIDECAR_REQUIREMENTS (recorded: {', '.join(sorted(SIDECAR_REQUIREMENTS))})"]
    pinned = {m.group(1).lower(): m.group(2) for m in map(PIN_LINE.match, requirements.splitlines()) if m}
    errors = []
    for package, version in SIDECAR_REQUIREMENTS[plugin_version].items():
        if pinned.get(package) != version:
            errors.append(f"requirements-drill.txt: {package}=={pinned.get(package, '(missing)')}, but the sidecar of "
                          f"plugin-barman-cloud {plugin_version} runs {package}=={version} "
                          f"(cloudnative-pg/plugin-barman-cloud@{plugin_version} containers/sidecar-requirements.txt)")
    return errors


def test_the_model_runs_the_images_of_the_pinned_operator_and_plugin():
    found = cnpg_images.images()
    assert {"operator": found.operator, "pgbouncer": found.pgbouncer, "plugin_sidecar": found.plugin_sidecar} \
        == UPSTREAM_IMAGES
    assert (cnpg.OPERATOR_IMAGE, cnpg.PGBOUNCER_IMAGE, cnpg.PLUGIN_SIDECAR_IMAGE) == \
        (found.operator, found.pgbouncer, found.plugin_sidecar)


def test_the_pods_the_model_makes_carry_those_images():
    cluster = {"apiVersion": cnpg.CNPG_API, "kind": "Cluster", "metadata": {"name": "p", "namespace": "database"},
               "spec": {"instances": 1, "imageName": "operand:17",
                        "plugins": [{"name": cnpg.PLUGIN_NAME, "isWALArchiver": True,
                                     "parameters": {"barmanObjectName": "store"}}]}}
    pooler = {"apiVersion": cnpg.CNPG_API, "kind": "Pooler", "metadata": {"name": "pool", "namespace": "database"},
              "spec": {"cluster": {"name": "p"}, "instances": 1, "type": "rw"}}
    made = cnpg.operator_objects([cluster, pooler])
    used = {c["image"] for d in made if d["kind"] in ("Pod", "Deployment", "Job")
            for spec in [d["spec"] if d["kind"] == "Pod" else d["spec"]["template"]["spec"]]
            for c in spec.get("initContainers", []) + spec.get("containers", [])}
    assert used == {"operand:17", *UPSTREAM_IMAGES.values()}  # PostgreSQL's own image is the Cluster's


def _chart_copy(tmp_path: Path, chart: versions.ChartRef, **changes) -> Path:
    """Chart.yaml and values.yaml of the vendored pin, with top-level Chart.yaml fields changed."""
    source = vendored_chart(chart.chart, chart.version)
    target = tmp_path / f"{chart.chart}-planted"
    target.mkdir()
    shutil.copy(source / "values.yaml", target / "values.yaml")
    meta = yaml.safe_load((source / "Chart.yaml").read_text())
    (target / "Chart.yaml").write_text(yaml.safe_dump({**meta, **changes}))
    return target


def test_a_chart_of_another_operator_version_stops_the_model(tmp_path):
    """Planted defect: the cloudnative-pg chart bumped to an operator the model was not read at."""
    planted = _chart_copy(tmp_path, versions.CLOUDNATIVE_PG, appVersion="1.31.0")
    with pytest.raises(cnpg_images.ModelOutOfDate) as err:
        cnpg_images.images(operator_chart=planted)
    assert f"{planted / 'Chart.yaml'}: appVersion 1.31.0" in str(err.value)
    assert "models cloudnative-pg 1.30.0" in str(err.value) and "DEFAULT_PGBOUNCER_IMAGE" in str(err.value)


def test_a_chart_of_another_plugin_version_stops_the_model(tmp_path):
    planted = _chart_copy(tmp_path, versions.BARMAN_CLOUD_PLUGIN, appVersion="v0.15.0")
    with pytest.raises(cnpg_images.ModelOutOfDate, match="appVersion v0.15.0, but tools/cnpg.py models "
                                                         "plugin-barman-cloud v0.13.0"):
        cnpg_images.images(plugin_chart=planted)


def test_the_images_are_read_from_the_chart_not_written_in_the_model(tmp_path):
    """The sidecar image follows the chart's sidecarImage (a planted registry), and an image tag set in
    the chart's values wins over its appVersion, as the templates write it."""
    planted = _chart_copy(tmp_path, versions.BARMAN_CLOUD_PLUGIN)
    values = yaml.safe_load((planted / "values.yaml").read_text())
    values["sidecarImage"]["registry"] = "registry.example.com"
    values["sidecarImage"]["tag"] = "v0.13.0-patched"
    (planted / "values.yaml").write_text(yaml.safe_dump(values))
    found = cnpg_images.images(plugin_chart=planted)
    assert found.plugin_sidecar == "registry.example.com/cloudnative-pg/plugin-barman-cloud-sidecar:v0.13.0-patched"


def test_the_drill_runs_the_barman_of_the_pinned_plugins_sidecar():
    assert drill_pin_errors((ROOT / "requirements-drill.txt").read_text(), _plugin_version()) == []


def test_the_drill_pin_check_fails_on_another_barman():
    """Planted defects: barman one patch behind the sidecar; boto3 missing; a plugin bump whose
    sidecar pins were not read."""
    text = (ROOT / "requirements-drill.txt").read_text()
    older = text.replace("barman[cloud,snappy,zstandard,lz4]==3.19.1", "barman[cloud,snappy,zstandard,lz4]==3.19.0")
    assert older != text
    (error,) = drill_pin_errors(older, "v0.13.0")
    assert error.startswith("requirements-drill.txt: barman==3.19.0, but the sidecar of plugin-barman-cloud v0.13.0 "
                            "runs barman==3.19.1")
    without = "\n".join(line for line in text.splitlines() if not line.startswith("boto3=="))
    assert drill_pin_errors(without, "v0.13.0") == [
        "requirements-drill.txt: boto3==(missing), but the sidecar of plugin-barman-cloud v0.13.0 runs boto3==1.43.26 "
        "(cloudnative-pg/plugin-barman-cloud@v0.13.0 containers/sidecar-requirements.txt)"]
    (error,) = drill_pin_errors(text, "v0.15.0")
    assert "no sidecar pins recorded" in error and "plugin-barman-cloud@v0.15.0" in error
