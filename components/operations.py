"""Day-2 operations: PostgreSQL backups, VPA right-sizing advice, in-cluster k6 load tests (issue 5).

* Backups: a CronJob runs ``pg_dump`` (custom format) of the ``tartware`` database into a
  PersistentVolumeClaim every ``backupSchedule`` and prunes dumps older than
  ``backupRetentionDays``. The password comes from a Secret built from the same generated
  credential the database and the app use. The claim is retained on delete and protected in prod.
* Right-sizing: one ``VerticalPodAutoscaler`` per enabled Tartware service with
  ``updateMode: "Off"``, so ``kubectl describe vpa -n tartware-system`` gives advice while the
  HPAs keep scaling (VPA in Auto mode would fight them on CPU/memory, platform §8b.6). The VPA
  CRDs and recommender come from the fairwinds ``vpa`` chart, recommender only.
* Load tests: when ``loadTest`` is ``smoke`` or ``load``, a Job runs the k6 scripts from
  ``loadtest/k6`` (shipped as a ConfigMap, every imported file included) against the in-cluster
  gateway, split over ``GeneratorSizing.pods`` generator pods.

Everything runs in its own namespace ``tartware-ops`` (PSA ``restricted``) except the VPA objects,
which must live next to their Deployments.
"""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import pulumi
import pulumi_kubernetes as k8s

from stacks import catalog, versions
from stacks.endpoints import BACKUP_POD_LABELS, LOAD_TEST_POD_LABELS, OPS_NAMESPACE
from stacks.ops_settings import BackupSettings, LoadTestSettings
from stacks.settings import StackSettings

from .base import TartwareComponent
from .credentials import Credentials
from .handles import ClusterHandle, PlatformHandle
from .platform.common import helm_release
from .platform.namespaces import namespace
from .platform.network import NetworkPolicies
from .secrets import SecretSource

VPA_NAMESPACE = "vpa-system"
K6_DIR = Path(__file__).resolve().parent.parent / "loadtest" / "k6"
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


def k6_files(root: Path = K6_DIR) -> dict[str, str]:
    """Every script file under loadtest/k6, by path relative to it (``lib/config.js``, ...)."""
    return {str(p.relative_to(root)): p.read_text() for p in sorted(root.rglob("*.js"))}


def configmap_key(relative_path: str) -> str:
    """ConfigMap keys cannot hold '/': ``lib/config.js`` -> ``lib__config.js``."""
    return relative_path.replace("/", "__")


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
            if settings.platform.network_policies:  # nothing connects to backups or k6: deny all ingress
                NetworkPolicies(f"{name}-network", cluster.provider, opts=pulumi.ResourceOptions(parent=self)) \
                    .namespace(OPS_NAMESPACE, [], [self.namespace])
        if ops.backup is not None:
            self._backups(ops.backup, settings, platform, credentials, secrets)
        if ops.vpa_enabled:
            self._vpas(settings, release, install_recommender=ops.vpa_install_recommender)
        if ops.load_test is not None:
            self._load_test(ops.load_test, release)

        self.register_outputs({
            "namespace": OPS_NAMESPACE if self.namespace is not None else None,
            "backupClaim": self.backup_claim_name,
            "backupSchedule": self.backup_schedule,
            "loadTestJob": self.load_test_job_name,
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
                # recommender.resources: the chart's requests (50m/500Mi, values.yaml) plus limits
                "recommender": {"enabled": True, "resources": {"requests": {"cpu": "50m", "memory": "500Mi"},
                                                               "limits": {"cpu": "200m", "memory": "1000Mi"}}},
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

    # ------------------------------------------------------------------ load tests

    def _load_test(self, lt: LoadTestSettings, release: pulumi.Resource) -> None:
        name, provider = self._name, self._provider
        files = k6_files()
        scripts = k8s.core.v1.ConfigMap(
            f"{name}-k6-scripts",
            metadata=k8s.meta.v1.ObjectMetaArgs(name="k6-scripts", namespace=OPS_NAMESPACE, labels=LABELS),
            data={configmap_key(path): text for path, text in files.items()},
            opts=self.child(provider, depends_on=[self.namespace]),
        )
        env = [
            {"name": "BASE_URL", "value": lt.target_url},
            {"name": "PROFILE", "value": lt.profile},
            {"name": "K6_NO_USAGE_REPORT", "value": "true"},
        ]
        waits_for: list[pulumi.Resource] = [self.namespace, scripts, release]
        if lt.profile == "load":
            s = lt.sizing
            env += [
                {"name": "RATE", "value": str(s.rate_per_pod)},
                {"name": "DURATION", "value": lt.duration},
                {"name": "PRE_ALLOCATED_VUS", "value": str(s.pre_allocated_vus)},
                {"name": "MAX_VUS", "value": str(s.max_vus)},
            ]
        if lt.username:
            creds = k8s.core.v1.Secret(
                f"{name}-k6-credentials",
                metadata=k8s.meta.v1.ObjectMetaArgs(name="k6-credentials", namespace=OPS_NAMESPACE, labels=LABELS),
                type="Opaque",
                string_data={"username": lt.username, "password": lt.password},
                opts=self.child(provider, depends_on=[self.namespace]),
            )
            waits_for.append(creds)
            env += [
                {"name": "K6_USERNAME", "valueFrom": {"secretKeyRef": {"name": "k6-credentials", "key": "username"}}},
                {"name": "K6_PASSWORD", "valueFrom": {"secretKeyRef": {"name": "k6-credentials", "key": "password"}}},
            ]
        s = lt.sizing
        job_name = f"k6-{lt.profile}-{lt.run_id}"
        labels = {**LABELS, **LOAD_TEST_POD_LABELS, "tartware.io/load-test": job_name}
        k6 = {
            "name": "k6",
            "image": versions.K6_IMAGE,  # uid 12345 in the image
            "imagePullPolicy": "Always",
            "command": ["k6"],
            "args": ["run", "--no-color", f"/scripts/{lt.profile}.js"],
            "env": env,
            "resources": {
                "requests": {"cpu": f"{s.cpu_request_millicores}m", "memory": f"{s.memory_request_mib}Mi"},
                "limits": {"cpu": f"{s.cpu_limit_millicores}m", "memory": f"{s.memory_limit_mib}Mi"},
            },
            "securityContext": restricted_container_security(12345),
            "volumeMounts": [{"name": "scripts", "mountPath": "/scripts", "readOnly": True},
                             {"name": "tmp", "mountPath": "/tmp"}],
        }
        self.load_test_job = k8s.batch.v1.Job(
            f"{name}-k6-{lt.profile}",
            # skipAwait: `pulumi up` must not wait for (or fail with) the test; read the result with
            # `kubectl logs -n tartware-ops -l tartware.io/load-test=<job> --tail=60`.
            metadata=k8s.meta.v1.ObjectMetaArgs(name=job_name, namespace=OPS_NAMESPACE, labels=labels,
                                                annotations=SKIP_AWAIT),
            spec={
                "parallelism": s.pods,
                "completions": s.pods,
                "backoffLimit": 0,
                "template": run_once_pod(labels, 12345, [k6], [
                    {"name": "scripts", "configMap": {
                        "name": "k6-scripts",
                        "items": [{"key": configmap_key(p), "path": p} for p in files],
                    }},
                    {"name": "tmp", "emptyDir": {"sizeLimit": "256Mi"}},
                ], topologySpreadConstraints=[{
                    # one generator per node where possible: they must not share a NIC or CPUs
                    "maxSkew": 1,
                    "topologyKey": "kubernetes.io/hostname",
                    "whenUnsatisfiable": "ScheduleAnyway",
                    "labelSelector": {"matchLabels": {"tartware.io/load-test": job_name}},
                }]),
            },
            opts=self.child(provider, depends_on=waits_for),
        )
        self.load_test_job_name = job_name
