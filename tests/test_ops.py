"""Operations: the pg_dump CronJob and the VPA objects, rendered from the recorded inputs into
manifests and validated; their settings and bad-input cases (load tests: tests/test_loadtest.py)."""


from pathlib import Path

import pytest

from tools.diff import kubernetes_objects
from tools.offline import contains_secret, run_program, stack_config
from tools.render import validate
from tests import guide
from tests.helpers import assert_refused

NS = "tartware-infra"
ROOT = Path(__file__).resolve().parent.parent

# The guide's "Database Connection Issues": host, user and database.
# the primary itself (CloudNativePG's Service <cluster>-rw), not the Pooler: pg_dump keeps session state
DB_HOST = "postgres-rw.database.svc.cluster.local"


def objects(run):
    return {f"{d['kind']}/{d['metadata']['name']}": d for d in kubernetes_objects(run.resources)}


def test_backup_cronjob_validates_and_is_hardened(prod_run):
    docs = objects(prod_run)
    cron = docs["CronJob/postgres-backup"]
    assert validate([cron], "1.28.0") == []
    assert cron["spec"]["concurrencyPolicy"] == "Forbid"
    pod = cron["spec"]["jobTemplate"]["spec"]["template"]["spec"]
    assert pod["securityContext"]["runAsNonRoot"] is True
    assert pod["securityContext"]["seccompProfile"] == {"type": "RuntimeDefault"}
    (c,) = pod["containers"]
    sc = c["securityContext"]
    assert sc["readOnlyRootFilesystem"] is True and sc["allowPrivilegeEscalation"] is False
    assert sc["capabilities"]["drop"] == ["ALL"]
    mounts = {m["mountPath"]: m["name"] for m in c["volumeMounts"]}
    volumes = {v["name"]: v for v in pod["volumes"]}
    assert "emptyDir" in volumes[mounts["/tmp"]]
    assert volumes[mounts["/backups"]]["persistentVolumeClaim"]["claimName"] == "postgres-backups"
    env = {e["name"]: e for e in c["env"]}
    # prod has standbys: the dump reads from their read-only Service (CloudNativePG <cluster>-ro,
    # cloudnative-pg/cloudnative-pg@v1.30.0 pkg/specs/services.go), sparing the primary
    assert env["PGHOST"]["value"] == "postgres-ro.database.svc.cluster.local"
    assert env["PGUSER"]["value"] == "tartware" and env["PGDATABASE"]["value"] == "tartware"
    assert "PGPASSWORD" not in env  # the password is a mounted file, never an environment variable
    assert volumes[mounts["/secrets"]]["secret"]["secretName"] == "postgres-backup-credentials"
    assert env["PGPASSWORD_FILE"]["value"] == "/secrets/password"
    assert pod["securityContext"]["runAsUser"] >= 10000 and sc["runAsUser"] >= 10000
    assert env["BACKUP_RETENTION_DAYS"]["value"] == "7"
    # the script is the repository's file, mounted from the ConfigMap
    assert c["command"] == ["/bin/sh", "/scripts/backup.sh"]
    assert volumes[mounts["/scripts"]]["configMap"]["name"] == "postgres-backup-scripts"
    cm = docs["ConfigMap/postgres-backup-scripts"]
    assert cm["data"]["backup.sh"] == (ROOT / "ops" / "backup" / "backup.sh").read_text()


def test_backup_password_is_the_generated_credential_and_secret(prod_run):
    secret = next(r for r in prod_run.of_type("kubernetes:core/v1:Secret")
                  if r.plain["metadata"]["name"] == "postgres-backup-credentials")
    assert contains_secret(secret.inputs["stringData"])
    app = next(r for r in prod_run.of_type("kubernetes:core/v1:Secret")
               if r.plain["metadata"]["name"] == "database-credentials")
    # the same RandomPassword feeds the app's Secret and the backup's
    assert secret.plain["stringData"]["password"] == app.plain["stringData"]["password"]
    assert "mock-credentials-database" in secret.plain["stringData"]["password"]


def test_backup_claim_retained_and_protected_in_prod_only(prod_run, dev_run):
    claim = prod_run.one("kubernetes:core/v1:PersistentVolumeClaim", "operations-backup-claim")
    assert claim.retain_on_delete and claim.protect
    assert validate([objects(prod_run)["PersistentVolumeClaim/postgres-backups"]], "1.28.0") == []
    dev_claim = dev_run.one("kubernetes:core/v1:PersistentVolumeClaim", "operations-backup-claim")
    assert dev_claim.retain_on_delete and not dev_claim.protect
    assert dev_claim.plain["spec"]["resources"]["requests"]["storage"] == "5Gi"
    assert claim.plain["spec"]["resources"]["requests"]["storage"] == "100Gi"


# Written by hand from the VPA v1 API (autoscaling.k8s.io/v1 VerticalPodAutoscaler): the fields we set.
VPA_SCHEMA = {
    "type": "object",
    "required": ["apiVersion", "kind", "metadata", "spec"],
    "properties": {
        "apiVersion": {"const": "autoscaling.k8s.io/v1"},
        "kind": {"const": "VerticalPodAutoscaler"},
        "spec": {
            "type": "object", "required": ["targetRef"], "additionalProperties": False,
            "properties": {
                "targetRef": {"type": "object", "required": ["kind", "name"],
                              "properties": {"apiVersion": {"type": "string"}, "kind": {"type": "string"},
                                             "name": {"type": "string"}}, "additionalProperties": False},
                "updatePolicy": {"type": "object", "additionalProperties": False, "properties": {
                    "updateMode": {"enum": ["Off", "Initial", "Recreate", "InPlaceOrRecreate", "Auto"]}}},
                "resourcePolicy": {"type": "object", "additionalProperties": False, "properties": {
                    "containerPolicies": {"type": "array", "items": {
                        "type": "object", "additionalProperties": False, "properties": {
                            "containerName": {"type": "string"},
                            "mode": {"enum": ["Auto", "Off"]},
                            "controlledResources": {"type": "array", "items": {"enum": ["cpu", "memory"]}},
                            "controlledValues": {"enum": ["RequestsAndLimits", "RequestsOnly"]},
                        }}}}},
            },
        },
    },
}


def test_vpa_per_enabled_service_in_recommendation_mode(prod_run):
    import jsonschema

    vpas = {d["metadata"]["name"]: d for d in kubernetes_objects(prod_run.resources)
            if d["kind"] == "VerticalPodAutoscaler"}
    assert set(vpas) == {f"{s}-vpa" for s in guide.ROW_OF}
    for name, vpa in vpas.items():
        jsonschema.validate(vpa, VPA_SCHEMA)
        assert vpa["metadata"]["namespace"] == guide.NAMESPACE
        assert vpa["spec"]["updatePolicy"]["updateMode"] == "Off"  # advice only: never fights the HPA
        assert vpa["spec"]["targetRef"] == {"apiVersion": "apps/v1", "kind": "Deployment",
                                            "name": name.removesuffix("-vpa")}
    assert set(prod_run.outputs["operations"]["verticalPodAutoscalers"]) == set(vpas)


def test_vpa_follows_disabled_services():
    config, keys = stack_config("dev", overrides={f"{NS}:services": {"revenue-service": {"enabled": False}}})
    run = run_program("dev", config, keys)
    names = {d["metadata"]["name"] for d in kubernetes_objects(run.resources) if d["kind"] == "VerticalPodAutoscaler"}
    assert "revenue-service-vpa" not in names and len(names) == len(guide.ROW_OF) - 1


def test_vpa_validates_against_the_pinned_charts_crd(prod_run):
    """The CRD of the vendored vpa chart (FairwindsOps/charts@5f478fce stable/vpa/crds, charts/vendor/vpa-5.0.0)."""
    import jsonschema
    import yaml

    from tools.charts import vendored_chart

    text = (vendored_chart("vpa", "5.0.0") / "crds" / "vpa-v1-crd.yaml").read_text()
    crd = next(d for d in yaml.safe_load_all(text) if d and d["spec"]["names"]["kind"] == "VerticalPodAutoscaler")
    schema = next(v for v in crd["spec"]["versions"] if v["name"] == "v1")["schema"]["openAPIV3Schema"]
    for d in kubernetes_objects(prod_run.resources):
        if d["kind"] == "VerticalPodAutoscaler":
            jsonschema.validate({k: v for k, v in d.items() if k != "metadata"}, schema)


def test_vpa_recommender_only_release(prod_run):
    from facts import versions

    rel = prod_run.one("kubernetes:helm.sh/v3:Release", "operations-vpa")
    assert rel.plain["chart"] == "vpa" and rel.plain["version"] == versions.VPA.version
    assert rel.plain["repositoryOpts"]["repo"] == "https://charts.fairwinds.com/stable"
    v = rel.plain["values"]
    assert v["recommender"]["enabled"] is True
    assert v["updater"]["enabled"] is False and v["admissionController"]["enabled"] is False
    for vpa in prod_run.of_type("kubernetes:autoscaling.k8s.io/v1:VerticalPodAutoscaler"):
        assert rel.urn in vpa.dependencies  # the CRDs first


def test_no_load_test_by_default(dev_run, prod_run):
    for run in (dev_run, prod_run):
        assert run.of_type("kubernetes:batch/v1:Job") == [] or all(
            not j.plain["metadata"]["name"].startswith("k6-") for j in run.of_type("kubernetes:batch/v1:Job"))
        assert run.outputs["operations"]["loadTestJob"] is None


@pytest.mark.parametrize("overrides,key,fragments", [
    ({"backupRetentionDays": 0}, "backupRetentionDays", ["greater than or equal to 1"]),
    ({"backupSchedule": "daily"}, "backupSchedule", ["cron"]),
    ({"backupStorageSize": "100GB"}, "backupStorageSize", ["'100GB'"]),
], ids=lambda v: v if isinstance(v, str) else None)
def test_bad_ops_input_is_rejected_before_any_resource(overrides, key, fragments):
    assert_refused(overrides, key, fragments)


def test_render_all_writes_and_validates_the_operations_objects(tmp_path, capsys):
    from tools import render

    assert render.main(["--stack", "dev", "--out", str(tmp_path), "--all"]) == 0
    names = {p.name for p in tmp_path.iterdir()}
    assert {"cronjob-tartware-ops-postgres-backup.yaml", "verticalpodautoscaler-api-gateway-vpa.yaml",
            "persistentvolumeclaim-tartware-ops-postgres-backups.yaml"} <= names
    secret = (tmp_path / "secret-tartware-ops-postgres-backup-credentials.yaml").read_text()
    assert "[secret]" in secret and "mock-credentials" not in secret


def test_without_replicas_the_dump_reads_from_the_primary(dev_run):
    (cron,) = [d for d in kubernetes_objects(dev_run.resources) if d["kind"] == "CronJob"]
    (c,) = cron["spec"]["jobTemplate"]["spec"]["template"]["spec"]["containers"]
    env = {e["name"]: e["value"] for e in c["env"]}
    assert env["PGHOST"] == DB_HOST  # dev has no standby: the primary
