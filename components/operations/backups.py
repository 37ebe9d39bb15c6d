"""PostgreSQL backups and restores, built into the Operations component (components/operations/).

* A CronJob runs ``ops/backup/backup.sh`` (shipped in the ConfigMap ``postgres-backup-scripts``, the
  same file the CI round trip runs against a real PostgreSQL): a verified custom-format ``pg_dump`` of
  the ``tartware`` database into a PersistentVolumeClaim every ``backupSchedule``, pruning dumps older
  than ``backupRetentionDays``; then, with an off-site target, ``upload.sh`` copies that dump to
  S3-compatible storage with rclone. The password comes from a Secret built from the same generated
  credential the database and the app use, mounted as a file. The claim is retained on delete and
  protected in prod.
* Restore: ``backupRestoreFrom`` runs ``restore.sh`` as the Job ``postgres-restore-<runId>``.
* Alerts: a PrometheusRule on kube-state-metrics' CronJob/Job series (missed or failed backups).

Every resource is a child of the Operations component (``owner``), under the names it always had.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Optional

import pulumi
import pulumi_kubernetes as k8s

from components.credentials import CredentialOutputs
from components.handles import PlatformHandle
from components.secrets import SecretMaker
from facts import catalog, versions
from facts.endpoints import BACKUP_POD_LABELS, OBSERVABILITY_NAMESPACE, OPS_NAMESPACE, RESTORE_POD_LABELS
from settings.ops import BACKUP_ACTIVE_DEADLINE_SECONDS, BACKUP_STARTING_DEADLINE_SECONDS, BackupSettings

from ..base import TartwareComponent
from ..kit import restricted_container_security

BACKUP_DIR = "/backups"
BACKUP_UID = 10001
SKIP_AWAIT = {"pulumi.com/skipAwait": "true"}
LABELS = {"app.kubernetes.io/part-of": catalog.PART_OF, "app.kubernetes.io/managed-by": "pulumi"}

BACKUP_SCRIPTS_DIR = Path(__file__).resolve().parent.parent.parent / "ops" / "backup"
BACKUP_SCRIPTS = ("backup.sh", "restore.sh", "upload.sh", "download.sh", "pgpass.sh", "manifest.sh", "offsite.sh")
SCRIPTS_MOUNT = "/scripts"
SECRETS_MOUNT = "/secrets"
OFFSITE_CREDENTIALS_MOUNT = "/secrets/offsite"
# IRSA: the AWS SDK's web-identity provider reads AWS_ROLE_ARN and AWS_WEB_IDENTITY_TOKEN_FILE; the
# token is a projected service-account token for the audience sts.amazonaws.com (AWS EKS user
# guide, "IAM roles for service accounts"; the AWS SDKs and Tools reference, "Assume role
# credential provider"). Mounted here explicitly rather than by the EKS pod-identity webhook, so it
# works without a ServiceAccount token automount and on any cluster whose OIDC issuer IAM trusts.
WEB_IDENTITY_MOUNT = "/var/run/secrets/offsite-identity"
STS_AUDIENCE = "sts.amazonaws.com"
BACKUP_SERVICE_ACCOUNT = "postgres-backup"
ALERT_LABELS = {"release": "kube-prometheus-stack"}  # Prometheus selects rules by this label too


def backup_scripts(root: Path = BACKUP_SCRIPTS_DIR) -> dict[str, str]:
    """ops/backup/*.sh as shipped in the ConfigMap (the files the CI round trip runs)."""
    return {name: (root / name).read_text() for name in BACKUP_SCRIPTS}


def backup_alert_rules(schedule: str, stale_after_seconds: int) -> list[dict]:
    """Alerts on the kube-state-metrics series of the CronJob and its Jobs.

    kubernetes/kube-state-metrics@v2.20.0 docs/metrics/workload/cronjob-metrics.md:
    ``kube_cronjob_status_last_successful_time`` and ``kube_cronjob_created`` (labels cronjob,
    namespace); job-metrics.md: ``kube_job_status_failed`` (job_name, namespace, reason),
    ``kube_job_owner`` (owner_kind, owner_name), ``kube_job_status_start_time``.
    """
    ns = f'namespace="{OPS_NAMESPACE}"'
    cronjob = f'{ns}, cronjob="postgres-backup"'
    # Never succeeded yet: count from the CronJob's creation instead.
    last = (f"max by (namespace, cronjob) (kube_cronjob_status_last_successful_time{{{cronjob}}}) or "
            f"max by (namespace, cronjob) (kube_cronjob_created{{{cronjob}}})")
    owned = (f'kube_job_owner{{{ns}, owner_kind="CronJob", owner_name="postgres-backup"}}')
    hours = stale_after_seconds / 3600
    return [{"name": "tartware.backups", "rules": [
        {"alert": "PostgresBackupMissing",
         "expr": f"time() - ({last}) > {stale_after_seconds}",
         "for": "5m",
         "labels": {"severity": "critical", "team": "tartware"},
         "annotations": {
             "summary": f"No successful PostgreSQL backup for more than {hours:g} h",
             "description": (f"CronJob {OPS_NAMESPACE}/postgres-backup (schedule '{schedule}') last succeeded "
                             "{{ $value | humanizeDuration }} ago; the schedule allows at most "
                             f"{hours:g} h. kubectl get jobs -n {OPS_NAMESPACE}"),
         }},
        {"alert": "PostgresBackupJobFailed",
         # a failed pod of a backup Job started within the allowed interval (older failures age out)
         "expr": (f"(sum by (namespace, job_name) (kube_job_status_failed{{{ns}}}) > 0) "
                  f"and on (namespace, job_name) {owned} "
                  f"and on (namespace, job_name) "
                  f"(time() - kube_job_status_start_time{{{ns}}} < {stale_after_seconds})"),
         "for": "0m",
         "labels": {"severity": "warning", "team": "tartware"},
         "annotations": {
             "summary": "A PostgreSQL backup Job has failed pods",
             "description": ("Job {{ $labels.namespace }}/{{ $labels.job_name }}: kubectl logs -n "
                             f"{OPS_NAMESPACE} job/{{{{ $labels.job_name }}}} --all-containers"),
         }},
        {"alert": "PostgresBackupRetried",
         # restartPolicy OnFailure retries a failed dump or upload in the same pod: a container
         # restart, not a failed pod (kube-state-metrics docs/metrics/workload/pod-metrics.md)
         "expr": (f'sum by (namespace, pod, container) (increase(kube_pod_container_status_restarts_total{{{ns}, '
                  f'pod=~"postgres-backup-.*", container=~"pg-dump|upload"}}[1h])) > 0'),
         "for": "0m",
         "labels": {"severity": "warning", "team": "tartware"},
         "annotations": {
             "summary": "A PostgreSQL backup container was retried",
             "description": ("{{ $labels.pod }}/{{ $labels.container }} restarted: kubectl logs -n "
                             f"{OPS_NAMESPACE} {{{{ $labels.pod }}}} -c {{{{ $labels.container }}}} --previous"),
         }},
        {"alert": "PostgresRestoreJobFailed",
         "expr": f'sum by (namespace, job_name) (kube_job_status_failed{{{ns}, job_name=~"postgres-restore-.*"}}) > 0',
         "for": "0m",
         "labels": {"severity": "critical", "team": "tartware"},
         "annotations": {"summary": "The PostgreSQL restore Job failed (the restore rolled back)",
                         "description": f"kubectl logs -n {OPS_NAMESPACE} job/{{{{ $labels.job_name }}}}"},
         },
    ]}]


def run_once_pod(labels: dict, uid: int, containers: list, volumes: list, fs_group: bool = False,
                 restart: str = "Never", **extra) -> dict:
    """Pod template of a Job: non-root as ``uid``, seccomp RuntimeDefault, no token. ``restart``
    "OnFailure" retries a failed container in the same pod, without re-running the init
    containers that already succeeded (kubernetes.io/docs/concepts/workloads/controllers/job/,
    "Handling Pod and container failures": with OnFailure "the Pod stays on the node, but the
    container is re-run")."""
    security = {"runAsNonRoot": True, "runAsUser": uid, "runAsGroup": uid, "seccompProfile": {"type": "RuntimeDefault"}}
    if fs_group:
        security["fsGroup"] = uid  # the volume is writable by the pod's group
    return {"metadata": {"labels": labels},
            "spec": {"restartPolicy": restart, "automountServiceAccountToken": False, "securityContext": security,
                     **extra, "containers": containers, "volumes": volumes}}



class Backups:
    """Builds the backup CronJob, its claim, scripts, identity and alerts, and the restore Job, as children
    of ``owner`` (the Operations component) in the ops namespace; keeps the names it reports."""

    def __init__(self, owner: TartwareComponent, name: str, namespace: pulumi.Resource):
        self.owner = owner
        self._name = name
        self._provider = owner.provider
        self.namespace = namespace
        self.offsite_secret: Optional[pulumi.Resource] = None
        self.backup_claim_name: Optional[str] = None
        self.backup_schedule: Optional[str] = None
        self.backup_offsite: Optional[str] = None
        self.restore_job_name: Optional[str] = None

    def build(self, backup: BackupSettings, protect: bool, dump_host: str, platform: PlatformHandle,
              credentials: CredentialOutputs, secrets: SecretMaker) -> None:
        name, provider = self._name, self._provider
        ep = platform.endpoints
        secret = secrets.secret(self.owner, f"{name}-backup-credentials", "postgres-backup-credentials", OPS_NAMESPACE,
                                {"password": credentials.database_password}, "database",
                                depends_on=[self.namespace], labels=LABELS)
        claim_spec = {
            "accessModes": ["ReadWriteOnce"],
            "resources": {"requests": {"storage": backup.storage_size}},
        }
        if backup.storage_class:
            claim_spec["storageClassName"] = backup.storage_class
        claim = k8s.core.v1.PersistentVolumeClaim(
            f"{name}-backup-claim",
            # skipAwait: with a WaitForFirstConsumer StorageClass the claim binds only when the
            # first backup pod is scheduled, which would stall `pulumi up`.
            metadata=k8s.meta.v1.ObjectMetaArgs(name="postgres-backups", namespace=OPS_NAMESPACE, labels=LABELS,
                                                annotations=SKIP_AWAIT),
            spec=claim_spec,
            opts=self.owner.child(provider, depends_on=[self.namespace], protect=protect,
                            retain_on_delete=True),
        )
        scripts = k8s.core.v1.ConfigMap(
            f"{name}-backup-scripts",
            metadata=k8s.meta.v1.ObjectMetaArgs(name="postgres-backup-scripts", namespace=OPS_NAMESPACE,
                                                labels=LABELS),
            data=backup_scripts(),
            opts=self.owner.child(provider, depends_on=[self.namespace]),
        )
        # The pods' identity: no API access (no token automount, no RBAC); with IRSA its projected
        # token is what the bucket's IAM role trusts.
        account = k8s.core.v1.ServiceAccount(
            f"{name}-backup-serviceaccount",
            metadata=k8s.meta.v1.ObjectMetaArgs(name=BACKUP_SERVICE_ACCOUNT, namespace=OPS_NAMESPACE, labels=LABELS),
            automount_service_account_token=False,
            opts=self.owner.child(provider, depends_on=[self.namespace]),
        )
        waits_for: list[pulumi.Resource] = [self.namespace, secret, claim, scripts, account]
        postgres_env = [
            # the primary itself, not the Pooler: pg_dump/pg_restore keep session state (SET, a
            # snapshot, locks) that a transaction pooler would spread over server connections
            {"name": "PGHOST", "value": ep.database_primary_host},
            {"name": "PGPORT", "value": str(ep.database_port)},
            {"name": "PGUSER", "value": ep.database_user},
            {"name": "PGDATABASE", "value": ep.database_name},
            {"name": "PGPASSWORD_FILE", "value": f"{SECRETS_MOUNT}/password"},
            {"name": "BACKUP_DIR", "value": BACKUP_DIR},
            {"name": "HOME", "value": "/tmp"},
            {"name": "TMPDIR", "value": "/tmp"},
        ]
        postgres_mounts: list[dict] = [
            {"name": "backups", "mountPath": BACKUP_DIR},
            {"name": "tmp", "mountPath": "/tmp"},
            {"name": "scripts", "mountPath": SCRIPTS_MOUNT, "readOnly": True},
            {"name": "credentials", "mountPath": SECRETS_MOUNT, "readOnly": True},
        ]
        volumes: list[dict] = [
            {"name": "backups", "persistentVolumeClaim": {"claimName": "postgres-backups"}},
            {"name": "tmp", "emptyDir": {"sizeLimit": "256Mi"}},
            {"name": "scripts", "configMap": {"name": "postgres-backup-scripts", "defaultMode": 0o555}},
            {"name": "credentials", "secret": {"secretName": "postgres-backup-credentials", "defaultMode": 0o440}},
        ]
        labels = {**LABELS, **BACKUP_POD_LABELS}
        # The dump reads from a replica when the database has one (dump_host), sparing the primary.
        dump_env = [{"name": "PGHOST", "value": dump_host} if e["name"] == "PGHOST" else e for e in postgres_env]
        dump = {
            "name": "pg-dump",
            "image": versions.PG_DUMP_IMAGE,
            "imagePullPolicy": "Always",
            "command": ["/bin/sh", f"{SCRIPTS_MOUNT}/backup.sh"],
            "env": [*dump_env, {"name": "BACKUP_RETENTION_DAYS", "value": str(backup.retention_days)}],
            "resources": {"requests": {"cpu": "100m", "memory": "256Mi"},
                          "limits": {"cpu": "1000m", "memory": "1Gi"}},
            # pg_dump needs no particular user: a high UID (checkov CKV_K8S_40), fsGroup for the claim.
            "securityContext": restricted_container_security(BACKUP_UID),
            "volumeMounts": postgres_mounts,
        }
        init_containers: list[dict] = []
        containers = [dump]
        offsite_volumes: list[dict] = []
        if backup.offsite is not None:
            upload, offsite_volumes = self._offsite_container(backup, "upload", "upload.sh", claim_read_only=True)
            if self.offsite_secret is not None:
                waits_for.append(self.offsite_secret)
            # The dump runs first (an init container must succeed before the next starts), then
            # the upload of every verified dump not in the bucket yet (tonight's and any earlier
            # night's that never arrived). A failed upload is retried in the same pod (restartPolicy
            # OnFailure): the dump is not taken again.
            init_containers, containers = [dump], [upload]
            volumes = volumes + offsite_volumes
        pod_extra: dict[str, Any] = {"serviceAccountName": BACKUP_SERVICE_ACCOUNT}
        if init_containers:
            pod_extra["initContainers"] = init_containers
        self.backup_cronjob = k8s.batch.v1.CronJob(
            f"{name}-backup",
            metadata=k8s.meta.v1.ObjectMetaArgs(name="postgres-backup", namespace=OPS_NAMESPACE, labels=labels),
            spec={
                "schedule": backup.schedule,
                "timeZone": "Etc/UTC",
                "concurrencyPolicy": "Forbid",
                "startingDeadlineSeconds": BACKUP_STARTING_DEADLINE_SECONDS,
                "successfulJobsHistoryLimit": 3,
                "failedJobsHistoryLimit": 3,
                "jobTemplate": {
                    "metadata": {"labels": labels},
                    "spec": {
                        "backoffLimit": 2,
                        "activeDeadlineSeconds": BACKUP_ACTIVE_DEADLINE_SECONDS,
                        "template": run_once_pod(labels, BACKUP_UID, containers, volumes, fs_group=True,
                                                 restart="OnFailure", **pod_extra),
                    },
                },
            },
            opts=self.owner.child(provider, depends_on=waits_for),
        )
        self.backup_claim_name = "postgres-backups"
        self.backup_schedule = backup.schedule
        self.backup_offsite = (f"s3://{backup.offsite.bucket}/{backup.offsite.folder('postgres')}/"
                               if backup.offsite is not None else None)

        if backup.restore is not None:
            # restore.sh creates a database and renames it over the old one, as the application's
            # user (its owner, with CREATEDB: components/platform/postgres.py), on the primary
            restore_volumes = volumes[:4] + (offsite_volumes if backup.restore.from_offsite else [])
            # it connects to PostgreSQL once and is not retried: the database and the policy admitting it first
            self._restore_job(backup, postgres_env, postgres_mounts, restore_volumes,
                              [*waits_for, *platform.database])
        if platform.monitoring_crds is not None:
            self.backup_alerts = k8s.apiextensions.CustomResource(
                f"{name}-backup-alerts",
                api_version="monitoring.coreos.com/v1",
                kind="PrometheusRule",
                metadata=k8s.meta.v1.ObjectMetaArgs(
                    name="postgres-backup", namespace=OBSERVABILITY_NAMESPACE,
                    labels={**ALERT_LABELS, "app.kubernetes.io/part-of": catalog.PART_OF}),
                spec={"groups": backup_alert_rules(backup.schedule, backup.stale_after_seconds)},
                opts=self.owner.child(provider, depends_on=[platform.monitoring_crds]),
            )

    def _offsite_container(self, backup: BackupSettings, container_name: str, script: str,
                           claim_read_only: bool) -> tuple[dict, list[dict]]:
        """An rclone container running ``script`` against the remote "offsite" (configured from the
        environment) and the extra volumes it needs. The Secret holding the access keys (not with
        IRSA) is created once, as ``self.offsite_secret``."""
        off = backup.offsite
        assert off is not None
        remote = "RCLONE_CONFIG_OFFSITE_"
        env = [
            {"name": "BACKUP_DIR", "value": BACKUP_DIR},
            {"name": "BACKUP_OFFSITE_BUCKET", "value": off.bucket},
            {"name": "BACKUP_OFFSITE_PREFIX", "value": off.folder("postgres")},
            # rclone/rclone@v1.75.0 docs/content/docs.md: a remote from RCLONE_CONFIG_<REMOTE>_<OPTION>;
            # docs/content/s3.md: provider, env_auth, region, endpoint, server_side_encryption,
            # sse_kms_key_id, no_check_bucket (do not try to create the bucket: least privilege).
            {"name": f"{remote}TYPE", "value": "s3"},
            {"name": f"{remote}PROVIDER", "value": off.provider},
            {"name": f"{remote}ENV_AUTH", "value": "true"},
            {"name": f"{remote}REGION", "value": off.region},
            {"name": f"{remote}NO_CHECK_BUCKET", "value": "true"},
            {"name": "RCLONE_CONFIG", "value": "/tmp/rclone.conf"},
            {"name": "XDG_CACHE_HOME", "value": "/tmp"},
            {"name": "HOME", "value": "/tmp"},
        ]
        if off.endpoint:
            env.append({"name": f"{remote}ENDPOINT", "value": off.endpoint})
        if off.encryption != "bucket-default":
            env.append({"name": f"{remote}SERVER_SIDE_ENCRYPTION", "value": off.encryption})
        if off.kms_key_id:
            env.append({"name": f"{remote}SSE_KMS_KEY_ID", "value": off.kms_key_id})
        mounts = [{"name": "backups", "mountPath": BACKUP_DIR, "readOnly": claim_read_only},
                  {"name": "tmp", "mountPath": "/tmp"},
                  {"name": "scripts", "mountPath": SCRIPTS_MOUNT, "readOnly": True}]
        volumes: list[dict] = []
        if off.role_arn:
            env += [{"name": "AWS_ROLE_ARN", "value": off.role_arn},
                    {"name": "AWS_WEB_IDENTITY_TOKEN_FILE", "value": f"{WEB_IDENTITY_MOUNT}/token"}]
            mounts.append({"name": "offsite-identity", "mountPath": WEB_IDENTITY_MOUNT, "readOnly": True})
            volumes.append({"name": "offsite-identity", "projected": {"sources": [{"serviceAccountToken": {
                "audience": STS_AUDIENCE, "expirationSeconds": 3600, "path": "token"}}]}})
        else:
            # An AWS shared credentials file (the SDK's AWS_SHARED_CREDENTIALS_FILE), never env vars.
            if self.offsite_secret is None:
                self.offsite_secret = self._offsite_credentials(off)
            env.append({"name": "AWS_SHARED_CREDENTIALS_FILE", "value": f"{OFFSITE_CREDENTIALS_MOUNT}/credentials"})
            mounts.append({"name": "offsite-credentials", "mountPath": OFFSITE_CREDENTIALS_MOUNT, "readOnly": True})
            volumes.append({"name": "offsite-credentials",
                            "secret": {"secretName": "postgres-backup-offsite", "defaultMode": 0o440}})
        container = {
            "name": container_name,
            "image": versions.RCLONE_IMAGE,
            "imagePullPolicy": "Always",
            "command": ["/bin/sh", f"{SCRIPTS_MOUNT}/{script}"],
            "env": env,
            "resources": {"requests": {"cpu": "100m", "memory": "128Mi"},
                          "limits": {"cpu": "1000m", "memory": "512Mi"}},
            "securityContext": restricted_container_security(BACKUP_UID),
            "volumeMounts": mounts,
        }
        return container, volumes

    def _offsite_credentials(self, off) -> pulumi.Resource:
        """The access keys as an AWS shared credentials file (AWS_SHARED_CREDENTIALS_FILE), never env vars."""
        body: pulumi.Output[str] = pulumi.Output.secret(
            pulumi.Output.all(off.access_key_id, off.secret_access_key).apply(
                lambda k: f"[default]\naws_access_key_id = {k[0]}\naws_secret_access_key = {k[1]}\n"))
        return k8s.core.v1.Secret(
            f"{self._name}-backup-offsite-credentials",
            metadata=k8s.meta.v1.ObjectMetaArgs(name="postgres-backup-offsite", namespace=OPS_NAMESPACE,
                                                labels=LABELS),
            type="Opaque",
            string_data={"credentials": body},
            opts=self.owner.child(self._provider, depends_on=[self.namespace]),
        )

    def _restore_job(self, backup: BackupSettings, env: list[dict], mounts: list[dict], volumes: list[dict],
                     waits_for: list[pulumi.Resource]) -> None:
        """restore.sh as a one-off Job (docs/operations.md, "Restore": scale the writers down first)."""
        restore = backup.restore
        assert restore is not None
        job_name = f"postgres-restore-{restore.run_id}"
        labels = {**LABELS, **RESTORE_POD_LABELS, "tartware.io/restore": job_name}
        pod_extra: dict = {"serviceAccountName": BACKUP_SERVICE_ACCOUNT}
        if restore.from_offsite:
            # fetch the dump from the bucket into the claim first; restore.sh reads its path from
            # the .restore-source file download.sh writes
            download, _ = self._offsite_container(backup, "download", "download.sh", claim_read_only=False)
            download["env"].append({"name": "BACKUP_FILE", "value": restore.source})
            pod_extra["initContainers"] = [download]
            which = {"name": "BACKUP_FILE_FROM", "value": f"{BACKUP_DIR}/.restore-source"}
        else:
            which = {"name": "BACKUP_FILE", "value": restore.source}
        container = {
            "name": "pg-restore",
            "image": versions.PG_DUMP_IMAGE,
            "imagePullPolicy": "Always",
            "command": ["/bin/sh", f"{SCRIPTS_MOUNT}/restore.sh"],
            "env": [*env, which,
                    {"name": "RESTORE_OVERWRITE", "value": "true" if restore.overwrite else "false"}],
            "resources": {"requests": {"cpu": "250m", "memory": "256Mi"},
                          "limits": {"cpu": "2000m", "memory": "2Gi"}},
            "securityContext": restricted_container_security(BACKUP_UID),
            "volumeMounts": mounts,
        }
        self.restore_job = k8s.batch.v1.Job(
            f"{self._name}-restore",
            # skipAwait: `pulumi up` starts the restore and returns; the runbook waits with
            # `kubectl wait --for=condition=complete` and reads the logs.
            metadata=k8s.meta.v1.ObjectMetaArgs(name=job_name, namespace=OPS_NAMESPACE, labels=labels,
                                                annotations=SKIP_AWAIT),
            spec={
                # the restore is one transaction: a failure rolls back; rerun on purpose, not by retry
                "backoffLimit": 0,
                "activeDeadlineSeconds": BACKUP_ACTIVE_DEADLINE_SECONDS,
                "template": run_once_pod(labels, BACKUP_UID, [container], volumes, fs_group=True, **pod_extra),
            },
            opts=self.owner.child(self._provider, depends_on=waits_for),
        )
        self.restore_job_name = job_name

