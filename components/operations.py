"""Day-2 operations: PostgreSQL backups, VPA right-sizing advice, in-cluster load tests.

* Backups: a CronJob runs ``pg_dump`` (custom format) of the ``tartware`` database into a
  PersistentVolumeClaim every ``backupSchedule`` and prunes dumps older than
  ``backupRetentionDays``. The password comes from a Secret built from the same generated
  credential the database and the app use. The claim is retained on delete and protected in prod.
* Right-sizing: one ``VerticalPodAutoscaler`` per enabled Tartware service with
  ``updateMode: "Off"``, so ``kubectl describe vpa -n tartware-system`` gives advice while the
  HPAs keep scaling (VPA in Auto mode would fight them on CPU/memory, platform §8b.6). The VPA
  CRDs and recommender come from the fairwinds ``vpa`` chart, recommender only.
* Load tests: when ``loadTest`` is not ``off``, the ``LoadTest`` component (components/loadtest.py)
  runs k6 or Locust in the same namespace.

Everything runs in its own namespace ``tartware-ops`` (PSA ``restricted``) except the VPA objects,
which must live next to their Deployments.
"""

from __future__ import annotations

from typing import Optional

import pulumi
import pulumi_kubernetes as k8s

from stacks import catalog, versions
from stacks.endpoints import BACKUP_POD_LABELS, OPS_NAMESPACE
from stacks.ops_settings import BackupSettings
from stacks.settings import StackSettings

from .base import TartwareComponent
from .credentials import Credentials
from .handles import ClusterHandle, PlatformHandle
from .loadtest import LoadTest, network_allows
from .platform.mesh import GATEWAY_POD_LABELS
from .platform.mesh import NAMESPACE as MESH_NAMESPACE
from .platform.common import helm_release
from .platform.namespaces import namespace
from .platform.network import NetworkPolicies
from .secrets import SecretSource

VPA_NAMESPACE = "vpa-system"
BACKUP_DIR = "/backups"
BACKUP_UID = 10001
SKIP_AWAIT = {"pulumi.com/skipAwait": "true"}
LABELS = {"app.kubernetes.io/part-of": catalog.PART_OF, "app.kubernetes.io/managed-by": "pulumi"}

# pg_dump in custom format (compressed, restorable with pg_restore), written under a temporary
# name and renamed when complete, then retention: `find -mtime +N` matches files at least N+1 days
# old, so +(days-1) keeps exactly `days` days of dumps.
BACKUP_SCRIPT = """\
set -eu
# The password is mounted as a file (never an env var); libpq wants a 0600 .pgpass it owns.
printf '%s:%s:%s:%s:%s\\n' "$PGHOST" "$PGPORT" "$PGDATABASE" "$PGUSER" "$(cat /secrets/password)" > /tmp/.pgpass
chmod 600 /tmp/.pgpass
export PGPASSFILE=/tmp/.pgpass
stamp="$(date -u +%Y%m%dT%H%M%SZ)"
out="${BACKUP_DIR}/tartware-${stamp}.dump"
pg_dump --no-password --format=custom --file="${out}.partial"
mv "${out}.partial" "${out}"
echo "wrote ${out} ($(du -h "${out}" | cut -f1))"
find "${BACKUP_DIR}" -maxdepth 1 -name 'tartware-*.dump' -mtime "+$((RETENTION_DAYS - 1))" -print -delete
find "${BACKUP_DIR}" -maxdepth 1 -name 'tartware-*.partial' -mmin +1440 -print -delete
ls -l "${BACKUP_DIR}"
"""


def run_once_pod(labels: dict, uid: int, containers: list, volumes: list, fs_group: bool = False,
                 **extra) -> dict:
    """Pod template of a Job: runs once, non-root as ``uid``, seccomp RuntimeDefault, no token."""
    security = {"runAsNonRoot": True, "runAsUser": uid, "runAsGroup": uid, "seccompProfile": {"type": "RuntimeDefault"}}
    if fs_group:
        security["fsGroup"] = uid  # the volume is writable by the pod's group
    return {"metadata": {"labels": labels},
            "spec": {"restartPolicy": "Never", "automountServiceAccountToken": False, "securityContext": security,
                     **extra, "containers": containers, "volumes": volumes}}


def restricted_container_security(uid: int) -> dict:
    return {
        "runAsNonRoot": True,
        "runAsUser": uid,
        "runAsGroup": uid,
        "readOnlyRootFilesystem": True,
        "allowPrivilegeEscalation": False,
        "capabilities": {"drop": ["ALL"]},
        "seccompProfile": {"type": "RuntimeDefault"},
    }


class Operations(TartwareComponent):
    AREA = "ops"

    def __init__(self, name: str, settings: StackSettings, cluster: ClusterHandle, platform: PlatformHandle,
                 release: pulumi.Resource, credentials: Credentials, secrets: SecretSource,
                 opts: Optional[pulumi.ResourceOptions] = None):
        super().__init__(name, opts)
        self._name = name
        self._provider = cluster.provider
        ops = settings.ops
        self.namespace = None
        self.backup_claim_name: Optional[str] = None
        self.backup_schedule: Optional[str] = None
        self.load_test_job_name: Optional[str] = None
        self.vpa_names: list[str] = []

        if ops.backup is not None or ops.load_test is not None:
            # Holds the backup claim: deleting the namespace would delete the dumps, so it is
            # protected in prod and kept by `pulumi destroy` when backups are on.
            self.namespace = namespace(f"{name}-namespace", OPS_NAMESPACE, "restricted", cluster.provider, self,
                                       protect=settings.protect)
            if settings.platform.network_policies:  # deny all ingress but what the load test needs
                NetworkPolicies(f"{name}-network", cluster.provider, opts=pulumi.ResourceOptions(parent=self)) \
                    .namespace(OPS_NAMESPACE, network_allows(ops.load_test, GATEWAY_POD_LABELS, MESH_NAMESPACE),
                               [self.namespace])
        if ops.backup is not None:
            self._backups(ops.backup, settings, platform, credentials, secrets)
        if ops.vpa_enabled:
            self._vpas(settings, release, install_recommender=ops.vpa_install_recommender)
        self.load_test = None
        if ops.load_test is not None:
            self.load_test = LoadTest(f"{name}-load-test", ops.load_test, settings.domain, cluster.provider,
                                      self.namespace, release, opts=pulumi.ResourceOptions(parent=self))
            self.load_test_job_name = self.load_test.job_name

        self.register_outputs({
            "namespace": OPS_NAMESPACE if self.namespace is not None else None,
            "backupClaim": self.backup_claim_name,
            "backupSchedule": self.backup_schedule,
            "loadTestJob": self.load_test_job_name,
            "loadTestSummary": self.load_test.summary if self.load_test is not None else None,
            "verticalPodAutoscalers": self.vpa_names,
        })

    # ------------------------------------------------------------------ backups

    def _backups(self, backup: BackupSettings, settings: StackSettings, platform: PlatformHandle,
                 credentials: Credentials, secrets: SecretSource) -> None:
        name, provider = self._name, self._provider
        ep = platform.endpoints
        secret = secrets.secret(self, f"{name}-backup-credentials", "postgres-backup-credentials", OPS_NAMESPACE,
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
            opts=self.child(provider, depends_on=[self.namespace], protect=settings.protect,
                            retain_on_delete=True),
        )
        labels = {**LABELS, **BACKUP_POD_LABELS}
        container = {
            "name": "pg-dump",
            "image": versions.PG_DUMP_IMAGE,
            "imagePullPolicy": "Always",
            "command": ["/bin/sh", "-c", BACKUP_SCRIPT],
            "env": [
                {"name": "PGHOST", "value": ep.database_host},
                {"name": "PGPORT", "value": str(ep.database_port)},
                {"name": "PGUSER", "value": ep.database_user},
                {"name": "PGDATABASE", "value": ep.database_name},
                {"name": "BACKUP_DIR", "value": BACKUP_DIR},
                {"name": "RETENTION_DAYS", "value": str(backup.retention_days)},
                {"name": "HOME", "value": "/tmp"},
            ],
            "resources": {"requests": {"cpu": "100m", "memory": "256Mi"},
                          "limits": {"cpu": "1000m", "memory": "1Gi"}},
            # pg_dump needs no particular user: a high UID (checkov CKV_K8S_40), fsGroup for the claim.
            "securityContext": restricted_container_security(BACKUP_UID),
            "volumeMounts": [{"name": "backups", "mountPath": BACKUP_DIR}, {"name": "tmp", "mountPath": "/tmp"},
                             {"name": "credentials", "mountPath": "/secrets", "readOnly": True}],
        }
        self.backup_cronjob = k8s.batch.v1.CronJob(
            f"{name}-backup",
            metadata=k8s.meta.v1.ObjectMetaArgs(name="postgres-backup", namespace=OPS_NAMESPACE, labels=labels),
            spec={
                "schedule": backup.schedule,
                "timeZone": "Etc/UTC",
                "concurrencyPolicy": "Forbid",
                "startingDeadlineSeconds": 3600,
                "successfulJobsHistoryLimit": 3,
                "failedJobsHistoryLimit": 3,
                "jobTemplate": {
                    "metadata": {"labels": labels},
                    "spec": {
                        "backoffLimit": 2,
                        "activeDeadlineSeconds": 6 * 3600,
                        "template": run_once_pod(labels, BACKUP_UID, [container], [
                            {"name": "backups", "persistentVolumeClaim": {"claimName": "postgres-backups"}},
                            {"name": "tmp", "emptyDir": {"sizeLimit": "256Mi"}},
                            {"name": "credentials", "secret": {"secretName": "postgres-backup-credentials",
                                                               "defaultMode": 0o440}},
                        ], fs_group=True),
                    },
                },
            },
            opts=self.child(provider, depends_on=[self.namespace, secret, claim]),
        )
        self.backup_claim_name = "postgres-backups"
        self.backup_schedule = backup.schedule

    # ------------------------------------------------------------------ right-sizing

    def _vpas(self, settings: StackSettings, release: pulumi.Resource, install_recommender: bool) -> None:
        name, provider = self._name, self._provider
        waits_for: list[pulumi.Resource] = [release]  # the namespace and the Deployments it targets
        if install_recommender:
            vpa_ns = namespace(f"{name}-vpa-namespace", VPA_NAMESPACE, "restricted", provider, self)
            if settings.platform.network_policies:  # the recommender only calls out (API server, metrics)
                NetworkPolicies(f"{name}-vpa-network", provider, opts=pulumi.ResourceOptions(parent=self)) \
                    .namespace(VPA_NAMESPACE, [], [vpa_ns])
            # Recommendation only: no updater (evictions) and no admission controller (no webhook
            # rewriting pod requests under the HPAs). metrics-server is a cluster prerequisite the
            # HPAs need as well.
            self.vpa_release = helm_release(self, f"{name}-vpa", versions.VPA, "vpa", VPA_NAMESPACE, {
                "recommender": {"enabled": True},
                "updater": {"enabled": False},
                "admissionController": {"enabled": False},
                "metrics-server": {"enabled": False},
            }, provider, [vpa_ns])
            waits_for.append(self.vpa_release)  # the CRDs
        for svc in settings.tartware.enabled_services:
            vpa_name = f"{svc.name}-vpa"
            k8s.apiextensions.CustomResource(
                f"{name}-vpa-{svc.name}",
                api_version="autoscaling.k8s.io/v1",
                kind="VerticalPodAutoscaler",
                metadata=k8s.meta.v1.ObjectMetaArgs(
                    name=vpa_name, namespace=settings.tartware.namespace,
                    labels={**LABELS, "app": svc.name, "app.kubernetes.io/name": svc.name},
                ),
                spec={
                    "targetRef": {"apiVersion": "apps/v1", "kind": "Deployment", "name": svc.name},
                    "updatePolicy": {"updateMode": "Off"},
                    "resourcePolicy": {"containerPolicies": [
                        {"containerName": "istio-proxy", "mode": "Off"},  # the mesh sidecar, if injected
                        {"containerName": "*", "controlledResources": ["cpu", "memory"],
                         "controlledValues": "RequestsAndLimits"},
                    ]},
                },
                opts=self.child(provider, depends_on=waits_for),
            )
            self.vpa_names.append(vpa_name)
