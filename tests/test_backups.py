"""Backups in the cluster: the off-site copy, the restore Job, the alerts, etcd snapshots to the
bucket, and the prod rule that backups leave the cluster unless the stack opts out by name."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

from settings import cron
from tests.helpers import VSPHERE, VSPHERE_SECRETS
from tests.helpers import assert_refused, run_with
from tools.diff import kubernetes_objects
from tools.offline import Secret, contains_secret, run_program, stack_config
from tools.render import validate

NS = "tartware-infra"
ROOT = Path(__file__).resolve().parent.parent
BUCKET = "tartware-prod-backups"
ROLE = "arn:aws:iam::123456789012:role/tartware-backups"
ACCESS_KEY, SECRET_KEY = "AKIAEXAMPLEKEY000001", "very/secret+key-material"
OFFSITE = {"backupOffsiteOptOut": False, "backupOffsiteBucket": BUCKET, "backupOffsiteRegion": "eu-west-1"}
KEYS = {"backupOffsiteAccessKeyId": ACCESS_KEY, "backupOffsiteSecretAccessKey": SECRET_KEY}
# The namespace's PSA level and the restricted profile's fields (kubernetes.io/docs/concepts/
# security/pod-security-standards, "Restricted"): non-root, no privilege escalation, drop ALL,
# seccomp RuntimeDefault or Localhost.
RESTRICTED_FIELDS = {"runAsNonRoot": True, "allowPrivilegeEscalation": False}
HIGH_UID = 10000


def _run(overrides, secrets=None, stack="prod"):
    config, keys = stack_config(stack, overrides={f"{NS}:{k}": v for k, v in overrides.items()},
                                secrets={f"{NS}:{k}": v for k, v in (secrets or {}).items()})
    return run_program(stack, config, keys)


def objects(run):
    return {f"{d['kind']}/{d['metadata'].get('namespace', '')}/{d['metadata']['name']}": d
            for d in kubernetes_objects(run.resources)}


@pytest.fixture(scope="module")
def vsphere_offsite():
    """prod on vSphere with access keys, an S3-compatible endpoint and a restore asked for."""
    return _run({**VSPHERE, **OFFSITE, "backupOffsiteEndpoint": "https://minio.example.com:9000",
                 "backupOffsiteProvider": "Minio", "backupRestoreFrom": "tartware-20260101T020000Z.dump",
                 "backupRestoreOverwrite": True},
                {**VSPHERE_SECRETS, **KEYS})


@pytest.fixture(scope="module")
def irsa_run():
    return _run({"backupOffsiteBucket": BUCKET, "backupOffsiteRegion": "eu-west-1", "backupOffsiteRoleArn": ROLE,
                 "backupRestoreFrom": "offsite:latest", "backupOffsiteEncryption": "aws:kms",
                 "backupOffsiteKmsKeyId": "arn:aws:kms:eu-west-1:123456789012:key/abcd-1234"}, stack="dev")


def _pod(cron_or_job):
    spec = cron_or_job["spec"]
    return (spec["jobTemplate"]["spec"] if "jobTemplate" in spec else spec)["template"]["spec"]


def assert_restricted(pod):
    assert pod["securityContext"]["runAsNonRoot"] is True and pod["securityContext"]["runAsUser"] >= HIGH_UID
    assert pod["automountServiceAccountToken"] is False
    for c in pod.get("initContainers", []) + pod["containers"]:
        sc = c["securityContext"]
        for k, v in RESTRICTED_FIELDS.items():
            assert sc[k] == v, (c["name"], k)
        assert sc["capabilities"]["drop"] == ["ALL"] and sc["seccompProfile"] == {"type": "RuntimeDefault"}
        assert sc["runAsUser"] >= HIGH_UID and sc["readOnlyRootFilesystem"] is True
        assert c["resources"]["limits"] and c["resources"]["requests"]
        assert not any(e["name"] in ("PGPASSWORD", "AWS_SECRET_ACCESS_KEY", "AWS_ACCESS_KEY_ID") for e in c["env"])
        assert not any("valueFrom" in e for e in c["env"])  # every secret is a mounted file


def test_without_offsite_the_dump_is_the_only_container(prod_run):
    docs = objects(prod_run)
    cronjob = docs["CronJob/tartware-ops/postgres-backup"]
    pod = _pod(cronjob)
    assert [c["name"] for c in pod["containers"]] == ["pg-dump"] and "initContainers" not in pod
    assert_restricted(pod)
    assert prod_run.outputs["operations"]["backupOffsite"] is None
    assert prod_run.outputs["operations"]["restoreJob"] is None


def test_scripts_configmap_ships_the_repository_files(prod_run):
    cm = objects(prod_run)["ConfigMap/tartware-ops/postgres-backup-scripts"]
    for name in ("backup.sh", "restore.sh", "upload.sh", "download.sh"):
        assert cm["data"][name] == (ROOT / "ops" / "backup" / name).read_text()
    assert validate([cm], "1.28.0") == []


def test_offsite_upload_runs_after_the_verified_dump_with_keys_from_a_secret_file(vsphere_offsite):
    docs = objects(vsphere_offsite)
    cronjob = docs["CronJob/tartware-ops/postgres-backup"]
    assert validate([cronjob], "1.28.0") == []
    pod = _pod(cronjob)
    assert_restricted(pod)
    (dump,) = pod["initContainers"]  # an init container must succeed before the upload starts
    (upload,) = pod["containers"]
    # a failed upload is retried in the same pod: OnFailure re-runs the failed container, not the
    # init container that already succeeded (kubernetes.io/docs/concepts/workloads/controllers/job/,
    # "Handling Pod and container failures"); before, restartPolicy Never with backoffLimit 2 took
    # up to three dumps a night
    assert pod["restartPolicy"] == "OnFailure"
    assert dump["command"] == ["/bin/sh", "/scripts/backup.sh"]
    assert upload["command"] == ["/bin/sh", "/scripts/upload.sh"]
    assert upload["image"].startswith("docker.io/rclone/rclone:1.75.0@sha256:")
    env = {e["name"]: e["value"] for e in upload["env"]}
    # rclone/rclone@v1.75.0 docs/content/docs.md: RCLONE_CONFIG_<REMOTE>_<OPTION>; s3.md option names
    assert env["RCLONE_CONFIG_OFFSITE_TYPE"] == "s3"
    assert env["RCLONE_CONFIG_OFFSITE_PROVIDER"] == "Minio"
    assert env["RCLONE_CONFIG_OFFSITE_ENDPOINT"] == "https://minio.example.com:9000"
    assert env["RCLONE_CONFIG_OFFSITE_REGION"] == "eu-west-1"
    # MinIO without a KMS rejects an SSE-S3 request: unset, the encryption is the bucket's own
    assert "RCLONE_CONFIG_OFFSITE_SERVER_SIDE_ENCRYPTION" not in env
    assert env["RCLONE_CONFIG_OFFSITE_ENV_AUTH"] == "true"
    # the default prefix holds the stack: two stacks sharing a bucket never see each other's dumps
    assert env["BACKUP_OFFSITE_BUCKET"] == BUCKET and env["BACKUP_OFFSITE_PREFIX"] == "tartware/prod/postgres"
    mounts = {m["mountPath"]: m for m in upload["volumeMounts"]}
    volumes = {v["name"]: v for v in pod["volumes"]}
    assert env["AWS_SHARED_CREDENTIALS_FILE"] == "/secrets/offsite/credentials"
    assert volumes[mounts["/secrets/offsite"]["name"]]["secret"]["secretName"] == "postgres-backup-offsite"
    assert mounts["/backups"]["readOnly"] is True  # the upload cannot damage the dumps
    secret = next(r for r in vsphere_offsite.of_type("kubernetes:core/v1:Secret")
                  if r.plain["metadata"]["name"] == "postgres-backup-offsite")
    assert contains_secret(secret.inputs["stringData"])
    body = secret.plain["stringData"]["credentials"]
    assert f"aws_access_key_id = {ACCESS_KEY}" in body and f"aws_secret_access_key = {SECRET_KEY}" in body
    assert vsphere_offsite.outputs["operations"]["backupOffsite"] == f"s3://{BUCKET}/tartware/prod/postgres/"


def test_etcd_snapshots_go_to_the_same_bucket_on_rancher_targets(vsphere_offsite):
    cluster = vsphere_offsite.one("rancher2:index/clusterV2:ClusterV2")
    etcd = cluster.plain["rkeConfig"]["etcd"]
    s3 = etcd["s3Config"]
    assert s3["bucket"] == BUCKET and s3["folder"] == "tartware/prod/etcd" and s3["region"] == "eu-west-1"
    assert s3["endpoint"] == "minio.example.com:9000"  # RKE2's etcd-s3-endpoint: host[:port], no scheme
    assert s3["retention"] == etcd["snapshotRetention"] == 28
    (credential,) = [r for r in vsphere_offsite.of_type("rancher2:index/cloudCredential:CloudCredential")
                     if r.name.endswith("-etcd-s3-credential")]
    cfg = credential.inputs["s3CredentialConfig"]
    assert isinstance(cfg["accessKey"], Secret) or isinstance(cfg, Secret) or contains_secret(cfg)
    assert credential.urn in cluster.dependencies
    assert credential.provider and "rancher" in credential.provider


def test_restore_job_is_rendered_admitted_and_restricted(vsphere_offsite):
    docs = objects(vsphere_offsite)
    job = docs["Job/tartware-ops/postgres-restore-1"]
    assert validate([job, docs["Namespace//tartware-ops"]], "1.28.0") == []
    pod = _pod(job)
    assert_restricted(pod)
    (c,) = pod["containers"]
    assert c["command"] == ["/bin/sh", "/scripts/restore.sh"]
    env = {e["name"]: e["value"] for e in c["env"]}
    assert env["BACKUP_FILE"] == "tartware-20260101T020000Z.dump" and env["RESTORE_OVERWRITE"] == "true"
    # restore.sh creates a database and renames it over the old one, as the database's owner
    assert env["PGUSER"] == "tartware" and env["PGDATABASE"] == "tartware"
    assert env["PGPASSWORD_FILE"] == "/secrets/password"
    assert env["PGHOST"] == "postgres-rw.database.svc.cluster.local"  # the primary: no pooler, no replica
    # ... which needs CREATEDB (PostgreSQL docs, ALTER DATABASE), granted as a CloudNativePG managed role
    (cluster,) = [d for d in docs.values() if d["kind"] == "Cluster"]
    (role,) = cluster["spec"]["managed"]["roles"]
    assert role["name"] == "tartware" and role["createdb"] is True and role["login"] is True
    # ... without changing its password: CloudNativePG sets a managed role's password from its
    # passwordSecret (username checked against the role) and the owner's from the bootstrap's Secret
    # (cloudnative-pg/cloudnative-pg@v1.30.0 internal/management/controller/roles/runnable.go
    # getPassword; instance_controller.go reconcileUser): the same Secret, so the same value
    bootstrap = cluster["spec"]["bootstrap"]
    (method,) = bootstrap.values()
    assert role["passwordSecret"] == method["secret"] and method["owner"] == role["name"]
    assert {k: v for k, v in role.items() if k not in ("name", "ensure", "login", "createdb", "passwordSecret")} == {}
    assert job["spec"]["backoffLimit"] == 0
    labels = job["spec"]["template"]["metadata"]["labels"]
    assert labels["app.kubernetes.io/name"] == "postgres-restore"
    # the database namespace admits exactly these pods on 5432
    allow = docs["NetworkPolicy/database/allow-restore"]
    (rule,) = allow["spec"]["ingress"]
    assert rule["from"] == [{"namespaceSelector": {"matchLabels": {"kubernetes.io/metadata.name": "tartware-ops"}},
                             "podSelector": {"matchLabels": {"app.kubernetes.io/name": "postgres-restore"}}}]
    assert [p["port"] for p in rule["ports"]] == [5432]
    assert docs["Namespace//tartware-ops"]["metadata"]["labels"]["pod-security.kubernetes.io/enforce"] == "restricted"
    assert vsphere_offsite.outputs["operations"]["restoreJob"] == "postgres-restore-1"


def test_no_restore_policy_without_a_restore(prod_run):
    names = {r.plain["metadata"]["name"] for r in prod_run.of_type("kubernetes:networking.k8s.io/v1:NetworkPolicy")}
    assert "allow-backup" in names and "allow-restore" not in names


def test_irsa_uses_a_projected_token_and_no_keys(irsa_run):
    docs = objects(irsa_run)
    pod = _pod(docs["CronJob/tartware-ops/postgres-backup"])
    (upload,) = pod["containers"]
    env = {e["name"]: e["value"] for e in upload["env"]}
    assert env["AWS_ROLE_ARN"] == ROLE
    assert env["AWS_WEB_IDENTITY_TOKEN_FILE"] == "/var/run/secrets/offsite-identity/token"
    assert env["RCLONE_CONFIG_OFFSITE_SERVER_SIDE_ENCRYPTION"] == "aws:kms"
    assert env["RCLONE_CONFIG_OFFSITE_SSE_KMS_KEY_ID"].startswith("arn:aws:kms:")
    assert "AWS_SHARED_CREDENTIALS_FILE" not in env and "RCLONE_CONFIG_OFFSITE_ENDPOINT" not in env
    volumes = {v["name"]: v for v in pod["volumes"]}
    (source,) = volumes["offsite-identity"]["projected"]["sources"]
    assert source["serviceAccountToken"]["audience"] == "sts.amazonaws.com"
    assert pod["serviceAccountName"] == "postgres-backup"
    assert "Secret/tartware-ops/postgres-backup-offsite" not in docs
    assert validate([docs["ServiceAccount/tartware-ops/postgres-backup"]], "1.28.0") == []


def test_restore_from_the_bucket_downloads_first(irsa_run):
    docs = objects(irsa_run)
    job = docs["Job/tartware-ops/postgres-restore-1"]
    assert validate([job], "1.28.0") == []
    pod = _pod(job)
    assert_restricted(pod)
    (download,) = pod["initContainers"]
    (restore,) = pod["containers"]
    assert download["command"] == ["/bin/sh", "/scripts/download.sh"]
    denv = {e["name"]: e["value"] for e in download["env"]}
    assert denv["BACKUP_FILE"] == "latest" and denv["AWS_ROLE_ARN"] == ROLE
    assert {m["mountPath"]: m.get("readOnly", False) for m in download["volumeMounts"]}["/backups"] is False
    renv = {e["name"]: e["value"] for e in restore["env"]}
    assert renv["BACKUP_FILE_FROM"] == "/backups/.restore-source" and "BACKUP_FILE" not in renv
    assert "offsite-identity" in {v["name"] for v in pod["volumes"]}


# --- alerts ------------------------------------------------------------------------------------

def test_alerts_use_real_kube_state_metrics_series(prod_run):
    rule = objects(prod_run)["PrometheusRule/observability/postgres-backup"]
    assert rule["metadata"]["labels"]["release"] == "kube-prometheus-stack"
    alerts = {r["alert"]: r for g in rule["spec"]["groups"] for r in g["rules"]}
    missing, failed = alerts["PostgresBackupMissing"], alerts["PostgresBackupJobFailed"]
    # kubernetes/kube-state-metrics@v2.20.0 docs/metrics/workload/{cronjob,job}-metrics.md
    assert 'kube_cronjob_status_last_successful_time{namespace="tartware-ops", cronjob="postgres-backup"}' in missing["expr"]
    assert "kube_cronjob_created" in missing["expr"]
    assert "kube_job_status_failed" in failed["expr"] and 'owner_name="postgres-backup"' in failed["expr"]
    assert 'owner_kind="CronJob"' in failed["expr"]
    # a retry (restartPolicy OnFailure) is a container restart in the same pod, not a failed pod
    # (kube-state-metrics docs/metrics/workload/pod-metrics.md)
    retried = alerts["PostgresBackupRetried"]["expr"]
    assert "kube_pod_container_status_restarts_total" in retried and 'container=~"pg-dump|upload"' in retried
    # daily at 02:00: one day between runs + 1 h starting deadline + 6 h active deadline
    assert missing["expr"].endswith(f"> {24 * 3600 + 3600 + 6 * 3600}")
    (crds,) = [r for r in prod_run.of_type("kubernetes:helm.sh/v3:Release")
               if r.plain["chart"] == "kube-prometheus-stack"]
    (backup_rule,) = [r for r in prod_run.of_type("kubernetes:monitoring.coreos.com/v1:PrometheusRule")
                      if r.plain["metadata"]["name"] == "postgres-backup"]
    assert crds.urn in backup_rule.dependencies


def test_alert_threshold_follows_the_schedule():
    from components.operations import backup_alert_rules
    from program.load import build_settings

    backup = build_settings({"backupSchedule": "0 */6 * * *"}).ops.backup
    (group,) = backup_alert_rules(backup.schedule, backup.stale_after_seconds)
    (missing,) = [r for r in group["rules"] if r["alert"] == "PostgresBackupMissing"]
    assert missing["expr"].endswith(f"> {6 * 3600 + 3600 + 6 * 3600}")


@pytest.mark.parametrize("schedule,hours", [
    ("0 2 * * *", 24), ("@daily", 24), ("0 */6 * * *", 6), ("*/15 * * * *", 0.25), ("0 3 * * 1-5", 72),
    ("0 0 1 * *", 31 * 24), ("30 4 * * sun", 7 * 24), ("0 0 1,15 * 5", 7 * 24),
])
def test_longest_gap_between_runs(schedule, hours):
    assert cron.max_interval_seconds(schedule) == hours * 3600


@pytest.mark.parametrize("schedule,fragment", [
    ("daily", "expected 5 fields"), ("0 0 31 2 *", "never fires"), ("61 * * * *", "outside 0-59"),
    ("0 0 * * 7", "outside 0-6"),  # robfig/cron@v3.0.1 spec.go: dow bounds 0-6
    ("*/0 * * * *", "positive"), ("0 0 1 foo *", "not a number"), ("@every 1h", "unknown descriptor"),
    ("5-1 * * * *", "backwards"),
])
def test_unparsable_schedules(schedule, fragment):
    with pytest.raises(cron.CronError, match=fragment):
        cron.max_interval_seconds(schedule)


# --- prod refuses to keep backups only in the cluster -------------------------------------------

def test_prod_without_an_offsite_target_is_refused_unless_opted_out_by_name():
    message = run_with({f"{NS}:backupOffsiteOptOut": False})
    assert f"{NS}:backupOffsiteBucket" in message and "backupOffsiteOptOut=true" in message


def test_the_offsite_rule_is_a_deployment_policy_of_prod_only():
    from settings.errors import SettingsError
    from program.load import build_settings

    with pytest.raises(SettingsError, match="backupOffsiteBucket"):
        build_settings({"environment": "prod"}, deploying=True)
    # (operatorAccess: a prod stack chooses one too, another deployment policy)
    assert build_settings({"environment": "prod", "backupOffsiteOptOut": True, "operatorAccess": "internal"},
                          deploying=True).ops.backup.offsite is None
    assert build_settings({"environment": "dev"}, deploying=True).ops.backup.offsite is None
    assert build_settings({"environment": "prod", "backupEnabled": False, "backupOptOut": True,
                           "operatorAccess": "internal"},
                          deploying=True).ops.backup is None
    # tools that only compute values from settings (chart values, budgets) are not deployments
    assert build_settings({"environment": "prod"}).ops.backup is not None


def test_prod_may_drop_the_nightly_dump_only_by_name():
    message = run_with({f"{NS}:backupEnabled": False})
    assert f"{NS}:backupEnabled = False" in message and "backupOptOut=true" in message


def test_the_encryption_default_fits_the_provider():
    from program.load import build_settings

    def encryption(provider: str, given: str = "") -> str:
        raw = {"backupOffsiteBucket": BUCKET, "backupOffsiteRegion": "us-east-1", "backupOffsiteProvider": provider,
               "backupOffsiteRoleArn": ROLE, "backupOffsiteEncryption": given}
        return build_settings(raw).ops.backup.offsite.encryption

    assert encryption("AWS") == "AES256"  # AWS S3 encrypts with SSE-S3 on request
    for provider in ("Minio", "Ceph", "Cloudflare", "DigitalOcean", "Wasabi", "Other"):
        assert encryption(provider) == "bucket-default", provider  # MinIO without a KMS rejects AES256
    assert encryption("Minio", "AES256") == "AES256"  # a MinIO with a KMS, said explicitly


def test_the_default_prefix_holds_the_stack():
    from program.load import build_settings

    raw = {"backupOffsiteBucket": BUCKET, "backupOffsiteRegion": "us-east-1", "backupOffsiteRoleArn": ROLE}
    folders = {stack: build_settings(raw, stack=stack).ops.backup.offsite.folder("postgres") for stack in ("dev", "prod")}
    assert folders == {"dev": "tartware/dev/postgres", "prod": "tartware/prod/postgres"}
    given = build_settings({**raw, "backupOffsitePrefix": "shared/tartware"}, stack="prod")
    assert given.ops.backup.offsite.folder("postgres") == "shared/tartware/postgres"


def test_the_committed_prod_stack_opts_out_explicitly():
    text = (ROOT / "Pulumi.prod.yaml").read_text()
    assert "tartware-infra:backupOffsiteOptOut: true" in text


BAD = [
    ({"backupSchedule": "0 0 31 2 *"}, {}, "backupSchedule", ["never fires"]),
    ({"backupSchedule": "0 0 * * 7"}, {}, "backupSchedule", ["outside 0-6"]),
    ({"backupOffsiteEndpoint": "https://minio.example.com"}, {}, "backupOffsiteBucket",
     ["required when backupOffsiteEndpoint is set"]),
    ({**OFFSITE}, {}, "backupOffsiteAccessKeyId", ["missing required secret"]),
    ({**OFFSITE, "backupOffsiteRegion": ""}, KEYS, "backupOffsiteRegion", ["required when backupOffsiteBucket"]),
    ({"backupOffsiteBucket": "Tartware_Backups"}, {}, "backupOffsiteBucket", ["S3 bucket name"]),
    ({**OFFSITE, "backupOffsiteEndpoint": "minio.example.com"}, KEYS, "backupOffsiteEndpoint", ["http(s) URL"]),
    ({**OFFSITE, "backupOffsiteEncryption": "none"}, KEYS, "backupOffsiteEncryption", ["'AES256', 'aws:kms' or 'bucket-default'"]),
    ({**OFFSITE, "backupOffsiteRoleArn": ROLE}, KEYS, "backupOffsiteAccessKeyId", ["not both"]),
    ({**OFFSITE, **VSPHERE, "backupOffsiteRoleArn": ROLE}, VSPHERE_SECRETS, "backupOffsiteRoleArn", ["IRSA is for EKS"]),
    ({**OFFSITE, "backupOffsiteOptOut": True}, KEYS, "backupOffsiteOptOut", ["not both"]),
    ({"backupRestoreFrom": "yesterday"}, {}, "backupRestoreFrom", ["'latest' or a dump name"]),
    ({"backupRestoreFrom": "offsite:latest"}, {}, "backupRestoreFrom", ["needs backupOffsiteBucket"]),
    ({"backupEnabled": False, "backupRestoreFrom": "latest"}, {}, "backupRestoreFrom", ["backupEnabled=true"]),
    # prod keeps the nightly dump unless the stack opts out by name (docs/operations.md,
    # backupOptOut: prod could run with backupEnabled=false and nothing said so)
    ({"backupEnabled": False}, {}, "backupEnabled", ["backupOptOut=true", "backupEnabled=true"]),
    ({"backupOptOut": True}, {}, "backupOptOut", ["contradicts backupEnabled=true"]),
    # rclone sends no SSE header to these providers (rclone backend/s3/provider/*.yaml)
    ({**OFFSITE, "backupOffsiteProvider": "Cloudflare", "backupOffsiteEncryption": "AES256"}, KEYS,
     "backupOffsiteEncryption", ["provider Cloudflare", "bucket-default"]),
    ({**OFFSITE, "backupOffsiteProvider": "Other", "backupOffsiteEncryption": "aws:kms"}, KEYS,
     "backupOffsiteEncryption", ["provider Other", "AWS, Ceph, Minio"]),
]


@pytest.mark.parametrize("overrides,secrets,key,fragments", BAD, ids=[f"{b[2]}#{i}" for i, b in enumerate(BAD)])
def test_bad_backup_input_is_refused_before_any_resource(overrides, secrets, key, fragments):
    assert_refused(overrides, key, fragments, secrets)


def test_plaintext_offsite_credentials_are_refused():
    message = run_with({f"{NS}:{k}": v for k, v in {**OFFSITE, **KEYS}.items()})
    assert f"{NS}:backupOffsiteSecretAccessKey" in message and "must be stored encrypted" in message
    assert SECRET_KEY not in message


def test_the_security_scan_covers_the_upload_and_the_restore_job():
    from tools.scan import VARIANTS

    stack, overrides = VARIANTS["prod-backup-restore"]
    assert stack == "prod"
    assert overrides[f"{NS}:backupOffsiteBucket"] and overrides[f"{NS}:backupRestoreFrom"] == "offsite:latest"
    assert overrides[f"{NS}:backupOffsiteOptOut"] is False


@pytest.mark.skipif(shutil.which("promtool") is None, reason="promtool not installed (apt-get install prometheus)")
def test_a_retried_upload_raises_the_retry_alert(tmp_path):
    """promtool test rules (Prometheus 2.42, Debian): an upload container restarted once in its pod
    fires PostgresBackupRetried; a pod without restarts does not."""
    from components.operations import backup_alert_rules

    (tmp_path / "rules.yaml").write_text(yaml.safe_dump({"groups": backup_alert_rules("0 2 * * *", 111600)}))
    series = 'kube_pod_container_status_restarts_total{namespace="tartware-ops", pod="postgres-backup-29000000-abcde", container="%s"}'
    (tmp_path / "test.yaml").write_text(yaml.safe_dump({
        "rule_files": ["rules.yaml"], "evaluation_interval": "1m",
        "tests": [{"interval": "1m",
                   "input_series": [{"series": series % "upload", "values": "0 0 1 1 1"},
                                    {"series": series % "pg-dump", "values": "0 0 0 0 0"}],
                   "alert_rule_test": [
                       {"eval_time": "1m", "alertname": "PostgresBackupRetried", "exp_alerts": []},
                       {"eval_time": "4m", "alertname": "PostgresBackupRetried", "exp_alerts": [{
                           "exp_labels": {"severity": "warning", "team": "tartware", "namespace": "tartware-ops",
                                          "pod": "postgres-backup-29000000-abcde", "container": "upload"},
                           "exp_annotations": {
                               "summary": "A PostgreSQL backup container was retried",
                               "description": "postgres-backup-29000000-abcde/upload restarted: kubectl logs -n "
                                              "tartware-ops postgres-backup-29000000-abcde -c upload --previous"}}]}]}]}))
    done = subprocess.run(["promtool", "test", "rules", "test.yaml"], cwd=tmp_path, capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr
