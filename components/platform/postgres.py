"""PostgreSQL on CloudNativePG: the operator, the Barman Cloud plugin, the cluster, its Pooler, its
base backups, its monitoring and alerts (docs/data-and-observability.md, "PostgreSQL on CloudNativePG").

* The operator (chart cloudnative-pg) and the Barman Cloud CNPG-I plugin (chart plugin-barman-cloud,
  which needs cert-manager for its gRPC certificates) run in ``cnpg-system``; the plugin must sit
  in the operator's namespace, where the operator finds it by its Service label
  ``cnpg.io/pluginName`` (cloudnative-pg/charts@plugin-barman-cloud-v0.7.0 templates/service.yaml).
* The ``Cluster`` (``postgresCluster``, default ``postgres``) runs 1 + ``postgresReadReplicas``
  instances spread over zones, with automatic failover; ``postgresSynchronous`` chooses
  asynchronous, preferred-synchronous or zero-loss (``dataDurability: required``) commits.
* With an off-site bucket, WAL is archived continuously (``ObjectStore`` + the plugin with
  ``isWALArchiver``), ``archive_timeout`` bounds how far the archive lags, and a ``ScheduledBackup``
  (six-field cron) takes base backups; ``postgresRecoverySource``/``postgresRecoveryTarget``
  bootstrap the cluster by point-in-time recovery from another cluster's archive.
* The ``Pooler`` ``postgres-postgresql`` (PgBouncer, transaction mode) serves the guide's address
  ``postgres-postgresql.database.svc.cluster.local:5432``: CloudNativePG names its Service after
  the Pooler (cloudnative-pg/cloudnative-pg@v1.30.0 pkg/specs/pgbouncer/services.go).
* The app's credentials (Secret ``postgres-credentials``: ``username``, ``password``) become the
  owner of the ``tartware`` database (``bootstrap.initdb.secret``; the operator reads only those two
  keys, internal/management/utils/secrets.go ``GetUserPasswordFromSecret``).

Every field used was read in cloudnative-pg/cloudnative-pg@v1.30.0 api/v1/{cluster,pooler,
scheduledbackup}_types.go and cloudnative-pg/plugin-barman-cloud@v0.13.0 api/v1/objectstore_types.go;
the whole-system render checks each object against the CRDs the charts install
(tools/conformance/schemas.py) and against the operator's own admission rules (tools/conformance/cnpg.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Mapping, Optional, Sequence

import pulumi
import pulumi_kubernetes as k8s

from components.network import Allow, PolicyHome
from facts import catalog, versions
from settings.data import (
    ARCHIVE_TIMEOUT_SECONDS,
    POOLER_MAX_UNAVAILABLE,
    ContainerSizing,
    PoolerSizing,
    PostgresSettings,
)
from settings.data_workloads import CNPG_RELEASE, PLUGIN_RELEASE  # the releases' names, with their pods
from settings.nodes import Placement
from facts.endpoints import (
    CNPG_NAMESPACE,
    DATABASE_NAMESPACE,
    OBSERVABILITY_NAMESPACE,
    POOLER_NAME,
    SUPERUSER_SECRET,
    cluster_service,
    service_host,
)

from ..base import TartwareComponent
from ..kit import helm_release, namespace, network_policy
from .postgres_alerts import alert_groups

PLUGIN_NAME = "barman-cloud.cloudnative-pg.io"  # plugin-barman-cloud@v0.13.0 internal/cnpgi/metadata/constants.go
APP_SECRET = "postgres-credentials"  # in ns database: username, password (+ the bitnami keys while it moves)
OBJECT_STORE = "postgres-archive"
ARCHIVE_SECRET = "postgres-archive-s3"  # region (and access keys) of the bucket, for barman-cloud
SCHEDULED_BACKUP = "postgres-base-backup"
LEGACY_SOURCE = "bitnami"  # externalClusters entry of the import from the bitnami release
CNPG_API = "postgresql.cnpg.io/v1"
BARMAN_API = "barmancloud.cnpg.io/v1"
MONITORING_API = "monitoring.coreos.com/v1"
RELEASE_LABEL = {"release": "kube-prometheus-stack"}  # Prometheus selects monitors and rules by it too
LABELS = {"app.kubernetes.io/part-of": catalog.PART_OF, "app.kubernetes.io/managed-by": "pulumi"}
CLUSTER_READY_TIMEOUT = "2h"

# Pod labels CloudNativePG puts on what it creates (cloudnative-pg/cloudnative-pg@v1.30.0
# pkg/utils/labels_annotations.go; pkg/specs/pods.go buildInstance; pkg/specs/pgbouncer/deployments.go),
# and the operator chart's selector labels (cloudnative-pg/charts@cloudnative-pg-v0.29.0 _helpers.tpl).
CLUSTER_LABEL, POD_ROLE_LABEL, POOLER_LABEL = "cnpg.io/cluster", "cnpg.io/podRole", "cnpg.io/poolerName"
OPERATOR_POD_LABELS = {"app.kubernetes.io/name": "cloudnative-pg", "app.kubernetes.io/instance": CNPG_RELEASE}
PLUGIN_POD_LABELS = {"app.kubernetes.io/name": "plugin-barman-cloud", "app.kubernetes.io/instance": PLUGIN_RELEASE}
POOLER_POD_LABELS = {POOLER_LABEL: POOLER_NAME}
# Ports (cloudnative-pg/cloudnative-pg@v1.30.0 pkg/management/url/url.go, pgbouncer/config/config.go;
# the operator chart's webhook port; the plugin's gRPC port, chart service.port).
POSTGRES_PORT, METRICS_PORT, STATUS_PORT = 5432, 9187, 8000
POOLER_PORT, POOLER_METRICS_PORT = 5432, 9127
WEBHOOK_PORT, OPERATOR_METRICS_PORT, PLUGIN_PORT = 9443, 8080, 9090


@dataclass(frozen=True)
class ArchiveArgs:
    """Where PostgreSQL archives its WAL and base backups: a folder of the backups' off-site bucket
    (settings/ops.py ``OffsiteSettings``), reached with the same credentials or IRSA role."""

    destination: str  # s3://<bucket>/<prefix>/<folder>: barman's destinationPath (one folder per serverName)
    endpoint: str  # "" = AWS S3
    region: str
    encryption: str  # AES256 | aws:kms | bucket-default
    kms_key_id: str
    role_arn: str  # IRSA: the instances' ServiceAccount assumes it ("" = access keys)
    access_key_id: Optional[pulumi.Output] = None  # secret
    secret_access_key: Optional[pulumi.Output] = None  # secret


@dataclass(frozen=True)
class PostgresArgs:
    """The PostgreSQL part of the data tier (``Postgres`` below): the DataTier makes it from its
    DataArgs with ``postgres_args`` (components/platform/data_tier.py) and hands over the
    namespace and the app Secret it created."""

    # the operator's and the plugin's replicas and resources (settings/data_workloads.py release_values)
    operator_values: Mapping[str, Any]
    pg: PostgresSettings
    instances: int
    storage: Any  # Memory
    storage_class: str
    postgres_size: ContainerSizing
    sidecar_size: ContainerSizing
    pooler_size: ContainerSizing
    plugin_values: Mapping[str, Any]
    pooler: PoolerSizing
    max_connections: int
    username: str
    database: str
    protect: bool
    placement: Placement
    zone_spread: str
    namespace: pulumi.Resource  # database
    app_secret: pulumi.Resource  # postgres-credentials
    archive: Optional[ArchiveArgs] = None
    cert_manager: Optional[pulumi.Resource] = None
    monitoring_crds: Optional[pulumi.Resource] = None
    # what the Cluster waits for besides the operator: the StorageClass and provisioner its claims
    # need, and the bitnami release while the cluster imports from it
    waits_for: Sequence[pulumi.Resource] = ()
    # the allows inside the database namespace the Cluster needs (operator, standbys, import, pooler),
    # made before it where the platform keeps its policies (None: networkPolicies off)
    policies: Optional[PolicyHome] = None
    allows: tuple[Allow, ...] = ()


def instance_labels(cluster: str) -> dict[str, str]:
    """The labels selecting every instance of ``cluster`` (whatever its role after a failover)."""
    return {CLUSTER_LABEL: cluster, POD_ROLE_LABEL: "instance"}


def operator_values(args: PostgresArgs) -> dict[str, Any]:
    """cloudnative-pg values (charts/cloudnative-pg/values.yaml at the pin, facts/versions.py). The chart's own
    PodMonitor stays off (``monitoring.podMonitorEnabled``): it would make the operator, and so the
    database, wait for the monitoring CRDs; ours below waits for them instead."""
    return {**args.operator_values, "config": {"clusterWide": True}}


def plugin_values(args: PostgresArgs) -> dict[str, Any]:
    """plugin-barman-cloud values (charts/plugin-barman-cloud/values.yaml at the pin, facts/versions.py)."""
    return dict(args.plugin_values)


def _secret_ref(key: str) -> dict[str, str]:
    return {"name": ARCHIVE_SECRET, "key": key}


def object_store_spec(archive: ArchiveArgs, retention_days: int, sidecar: ContainerSizing) -> dict[str, Any]:
    """The bucket as barman-cloud reaches it (plugin-barman-cloud@v0.13.0 ObjectStoreSpec; the
    ``configuration`` is barman-cloud's BarmanObjectStoreConfiguration, checked against the CRD)."""
    credentials: dict[str, Any] = {"region": _secret_ref("REGION")}
    if archive.role_arn:
        credentials["inheritFromIAMRole"] = True  # the instances' ServiceAccount carries the role (IRSA)
    else:
        credentials.update(accessKeyId=_secret_ref("ACCESS_KEY_ID"), secretAccessKey=_secret_ref("ACCESS_SECRET_KEY"))
    wal: dict[str, Any] = {"compression": "zstd", "maxParallel": 8}
    data: dict[str, Any] = {"compression": "gzip", "jobs": 2}
    if archive.encryption != "bucket-default":
        wal["encryption"] = data["encryption"] = archive.encryption
    if archive.kms_key_id:
        # barman-cloud-wal-archive / barman-cloud-backup --sse-kms-key-id (barman 3.19 docs, "barman-cloud-*")
        wal["archiveAdditionalCommandArgs"] = [f"--sse-kms-key-id={archive.kms_key_id}"]
        data["additionalCommandArgs"] = [f"--sse-kms-key-id={archive.kms_key_id}"]
    configuration: dict[str, Any] = {"destinationPath": archive.destination, "s3Credentials": credentials,
                                     "wal": wal, "data": data}
    if archive.endpoint:
        configuration["endpointURL"] = archive.endpoint
    return {"configuration": configuration, "retentionPolicy": f"{retention_days}d",
            "instanceSidecarConfiguration": {"resources": sidecar.k8s()}}


def recovery_target(target: str) -> dict[str, Any]:
    """``bootstrap.recovery.recoveryTarget``: nothing for latest (replay every archived WAL), else
    ``targetTime`` in RFC 3339 (cloudnative-pg/cloudnative-pg@v1.30.0 api/v1/cluster_types.go
    RecoveryTarget.TargetTime; the webhook accepts RFC 3339, validateRecoveryTarget)."""
    return {} if target == "latest" else {"recoveryTarget": {"targetTime": target}}


def cluster_spec(args: PostgresArgs) -> dict[str, Any]:
    """The ``Cluster`` (postgresql.cnpg.io/v1) of ``args``."""
    pg, name = args.pg, args.pg.cluster
    parameters = {"max_connections": str(args.max_connections)}
    spec: dict[str, Any] = {
        "instances": args.instances,
        "imageName": versions.POSTGRES_IMAGE,
        "primaryUpdateStrategy": "unsupervised",  # a rolling update ends with a switchover, no human step
        # The superuser logs in with the password of SUPERUSER_SECRET: the app's schema migration (the
        # chart's hook Job, docs/app.md "Migration contract") needs a superuser, and the database's
        # NetworkPolicy admits only that Job to the instances from the app's namespace. The operator
        # sets the password from the Secret's username/password (cloudnative-pg/cloudnative-pg@v1.30.0
        # api/v1/cluster_types.go EnableSuperuserAccess, SuperuserSecret).
        "enableSuperuserAccess": True,
        "superuserSecret": {"name": SUPERUSER_SECRET},
        "storage": {"size": str(args.storage), **({"storageClass": args.storage_class} if args.storage_class else {})},
        "resources": args.postgres_size.k8s(),
        # instances on different nodes (preferred), and spread over zones as the app is (zoneSpread)
        "affinity": {"enablePodAntiAffinity": True, "topologyKey": "kubernetes.io/hostname",
                     "podAntiAffinityType": "preferred", **args.placement.pod_keys()},
        "topologySpreadConstraints": [{"maxSkew": 1, "topologyKey": "topology.kubernetes.io/zone",
                                       "whenUnsatisfiable": args.zone_spread,
                                       "labelSelector": {"matchLabels": {CLUSTER_LABEL: name}}}],
        "postgresql": {"parameters": parameters},
        "monitoring": {"enablePodMonitor": False},  # deprecated in 1.30: our PodMonitor below
    }
    # The nightly dump's restore (ops/backup/restore.sh) restores into a fresh database and renames
    # it over the old one, as the application's user: the owner needs CREATEDB for that (PostgreSQL
    # docs, ALTER DATABASE: "non-superuser owners must also have the CREATEDB privilege"). Declared
    # as a managed role attribute (cloudnative-pg.io/docs/1.30/declarative_role_management;
    # api/v1 RoleConfiguration createdb), with the same Secret as its password, so nothing else changes.
    # The password stays what it is (cloudnative-pg/cloudnative-pg@v1.30.0): the role synchronizer
    # sets a managed role's password from its passwordSecret's `password` key, after checking that the
    # Secret's `username` is the role's name (internal/management/controller/roles/runnable.go
    # getPassword, applyRoleCreateUpdate); the instance manager already sets the owner's password from
    # the bootstrap's Secret (internal/management/controller/instance_controller.go
    # refreshCredentialsFromSecret/reconcileUser, api/v1/cluster_funcs.go GetApplicationSecretName),
    # which is this same Secret in every bootstrap below (initdb, import, recovery). Both write the
    # same value; the other attributes left out keep the owner's defaults (inherit, no connection limit,
    # no VALID UNTIL: roles.go DatabaseRoleFromConfiguration).
    spec["managed"] = {"roles": [{"name": args.username, "ensure": "present", "login": True, "createdb": True,
                                  "passwordSecret": {"name": APP_SECRET}}]}
    if pg.synchronous != "off":
        # a commit waits for any one standby (method any, number 1); required never lowers that,
        # preferred does while no standby is available (api/v1/cluster_types.go SynchronousReplicaConfiguration)
        spec["postgresql"]["synchronous"] = {"method": "any", "number": 1, "dataDurability": pg.synchronous}
    initdb: dict[str, Any] = {"database": args.database, "owner": args.username,
                              "secret": {"name": APP_SECRET}}
    external: list[dict[str, Any]] = []
    if pg.recovery_source:
        spec["bootstrap"] = {"recovery": {"source": pg.recovery_source, "database": args.database,
                                          "owner": args.username, "secret": {"name": APP_SECRET},
                                          **recovery_target(pg.recovery_target)}}
        external.append({"name": pg.recovery_source, "plugin": {
            "name": PLUGIN_NAME, "parameters": {"barmanObjectName": OBJECT_STORE, "serverName": pg.recovery_source}}})
    elif pg.migration == "import":
        # a logical import (pg_dump | pg_restore) of the tartware database from the bitnami release
        # (api/v1/cluster_types.go Import, type microservice: one database, its owner becomes ours)
        initdb["import"] = {"type": "microservice", "databases": [args.database],
                            "source": {"externalCluster": LEGACY_SOURCE}}
        spec["bootstrap"] = {"initdb": initdb}
        external.append({"name": LEGACY_SOURCE, "connectionParameters": {
            "host": service_host(POOLER_NAME, DATABASE_NAMESPACE), "user": "postgres", "dbname": args.database},
            "password": {"name": APP_SECRET, "key": "postgres-password"}})
    else:
        spec["bootstrap"] = {"initdb": initdb}
    if external:
        spec["externalClusters"] = external
    if args.archive is not None:
        parameters["archive_timeout"] = f"{ARCHIVE_TIMEOUT_SECONDS // 60}min"
        spec["plugins"] = [{"name": PLUGIN_NAME, "isWALArchiver": True,
                            "parameters": {"barmanObjectName": OBJECT_STORE, "serverName": name}}]
        if args.archive.role_arn:
            # IRSA: the EKS pod identity webhook gives the instances (and the plugin sidecar in them)
            # the role of their ServiceAccount, named after the cluster
            spec["serviceAccountTemplate"] = {"metadata": {"annotations": {
                "eks.amazonaws.com/role-arn": args.archive.role_arn}}}
    return spec


def pooler_parameters(args: PostgresArgs) -> dict[str, str]:
    """PgBouncer settings (pgbouncer.org/config.html), all on the operator's allow list
    (cloudnative-pg/cloudnative-pg@v1.30.0 internal/webhook/v1/pooler_webhook.go)."""
    p = args.pooler
    return {"max_client_conn": str(p.max_client_conn), "default_pool_size": str(p.default_pool_size),
            "reserve_pool_size": str(p.reserve_pool_size), "max_db_connections": str(p.max_db_connections)}


def pooler_spec(args: PostgresArgs) -> dict[str, Any]:
    """The ``Pooler`` (postgresql.cnpg.io/v1) ``postgres-postgresql``: PgBouncer in front of the
    primary. Transaction pooling: the app keeps no session state across transactions (its
    ``SET LOCAL``/``set_config(..., true)``, ``pg_advisory_xact_lock``, no LISTEN, no temporary
    tables, no named prepared statements: docs/data-and-observability.md "Connection pooling")."""
    container = {"name": "pgbouncer", "resources": args.pooler_size.k8s()}
    template_spec: dict[str, Any] = {
        "containers": [container],
        "topologySpreadConstraints": [{"maxSkew": 1, "topologyKey": "topology.kubernetes.io/zone",
                                       "whenUnsatisfiable": args.zone_spread,
                                       "labelSelector": {"matchLabels": dict(POOLER_POD_LABELS)}}],
    }
    return {
        "cluster": {"name": args.pg.cluster},
        "instances": args.pooler.instances,
        "type": "rw",
        "pgbouncer": {"poolMode": "transaction", "parameters": pooler_parameters(args)},
        "template": {"metadata": {"labels": dict(POOLER_POD_LABELS)}, "spec": template_spec},
    }


def scheduled_backup_spec(args: PostgresArgs) -> dict[str, Any]:
    """Base backups through the plugin on ``postgresBaseBackupSchedule`` (six fields, seconds first),
    the first one as soon as the cluster is ready (``immediate``: the WAL archive alone cannot
    restore anything), from a standby when there is one (the default target ``prefer-standby``)."""
    return {"schedule": args.pg.base_backup_schedule, "cluster": {"name": args.pg.cluster},
            "method": "plugin", "pluginConfiguration": {"name": PLUGIN_NAME},
            "immediate": True, "backupOwnerReference": "self"}


def pod_monitors(cluster: str) -> dict[str, dict[str, Any]]:
    """PodMonitors for the instances (metrics 9187: CloudNativePG's collector, the default monitoring
    queries and the plugin's backup metrics) and the poolers (9127), as CloudNativePG documents them
    (cloudnative-pg/cloudnative-pg@v1.30.0 docs/src/samples/monitoring/podmonitor.yaml), with the
    cluster's name as the ``cluster`` label."""
    cluster_label = {"sourceLabels": ["__meta_kubernetes_pod_label_cnpg_io_cluster"], "targetLabel": "cluster"}
    return {
        "postgres-instances": {"selector": {"matchLabels": instance_labels(cluster)},
                               "podMetricsEndpoints": [{"port": "metrics", "interval": "30s",
                                                        "relabelings": [cluster_label]}]},
        "postgres-pooler": {"selector": {"matchLabels": dict(POOLER_POD_LABELS)},
                            "podMetricsEndpoints": [{"port": "metrics", "interval": "30s",
                                                     "relabelings": [cluster_label]}]},
    }


class Postgres(TartwareComponent):
    """The CloudNativePG operator and plugin, and the serving cluster with its pooler and backups."""

    AREA = "data"

    def __init__(self, name: str, args: PostgresArgs, opts: pulumi.ResourceOptions):
        super().__init__(name, opts)
        provider, protect, pg = self.provider, args.protect, args.pg
        self.cluster_name = pg.cluster
        self.archived = args.archive is not None
        # the Pooler takes the bitnami Service's name once the old release is gone (docs/data-and-observability.md,
        # "Moving from the bitnami release": import, cutover, then none)
        self.pooled = pg.pooled
        self.primary_host = service_host(cluster_service(pg.cluster, "rw"), DATABASE_NAMESPACE)
        self.replica_host = service_host(cluster_service(pg.cluster, "ro"), DATABASE_NAMESPACE)
        self.releases: list[pulumi.Resource] = []

        ns = namespace(f"{name}-operator-namespace", CNPG_NAMESPACE, "restricted", provider, self)
        self.operator_namespace = ns
        # the operator's CRDs carry helm.sh/resource-policy: keep, and it watches every cluster: protected
        self.operator = helm_release(self, f"{name}-operator", versions.CLOUDNATIVE_PG, CNPG_RELEASE, CNPG_NAMESPACE,
                                     operator_values(args), provider, [ns], protect=protect)
        self.releases.append(self.operator)
        cluster_deps: list[pulumi.Resource] = [self.operator, args.namespace, args.app_secret, *args.waits_for]
        # the allows inside the database namespace (components/platform/data_tier.py), made where the
        # platform keeps its policies and before the Cluster, which is Ready only through them
        self.policies: list[pulumi.Resource] = []
        if args.policies is not None:
            home = args.policies
            self.policies = [network_policy(self, home.prefix, DATABASE_NAMESPACE, a.name, a.spec(), [args.namespace],
                                            aliases=[pulumi.Alias(parent=home.parent_urn)]) for a in args.allows]
        cluster_deps += self.policies
        if args.archive is not None:
            if args.cert_manager is None:
                raise ValueError("the Barman Cloud plugin needs cert-manager (rules/cross_section.py check_data)")
            self.plugin = helm_release(self, f"{name}-barman-cloud", versions.BARMAN_CLOUD_PLUGIN, PLUGIN_RELEASE,
                                       CNPG_NAMESPACE, plugin_values(args), provider,
                                       [ns, args.cert_manager, self.operator], protect=protect)
            self.releases.append(self.plugin)
            self.archive_secret = self._archive_secret(name, args.archive, args.namespace)
            self.object_store = self._custom(name, "archive", BARMAN_API, "ObjectStore", OBJECT_STORE,
                                             object_store_spec(args.archive, pg.backup_retention_days,
                                                               args.sidecar_size),
                                             [self.plugin, self.archive_secret])
            cluster_deps += [self.plugin, self.object_store]
        # The database: protected in prod, and there kept in Kubernetes when Pulumi drops it (a
        # point-in-time recovery moves to a new cluster; the old one stays until it is deleted on
        # purpose). Only where protected: an unprotected stack's `pulumi destroy` deletes its namespace,
        # and deleting a namespace deletes everything in it (kubernetes pkg/controller/namespace/deletion),
        # a retained Cluster too, in no order with the storage its volumes are on; deleted by Pulumi, it
        # goes before the storage it waits for (docs/conformance.md, the apply simulation's "retain" and
        # "detach" rules).
        # `pulumi up` waits until the cluster reports Ready, as helm --wait did for the bitnami release,
        # so the app starts against a running database (pulumi-kubernetes provider/pkg/metadata/
        # overrides.go ReadyCondition: pulumi.com/waitFor "condition=Ready"; CloudNativePG sets the
        # condition Ready, api/v1/cluster_types.go ConditionClusterReady). An import or a recovery of
        # a large database takes longer: the create may wait up to CLUSTER_READY_TIMEOUT.
        self.cluster = k8s.apiextensions.CustomResource(
            f"{name}-cluster", api_version=CNPG_API, kind="Cluster",
            metadata=k8s.meta.v1.ObjectMetaArgs(name=pg.cluster, namespace=DATABASE_NAMESPACE, labels=dict(LABELS),
                                                annotations={"pulumi.com/waitFor": "condition=Ready"}),
            spec=cluster_spec(args),
            opts=self.child(provider, depends_on=cluster_deps, protect=protect, retain_on_delete=protect,
                            custom_timeouts=pulumi.CustomTimeouts(create=CLUSTER_READY_TIMEOUT,
                                                                  update=CLUSTER_READY_TIMEOUT)))
        self.releases.append(self.cluster)
        if self.pooled:
            self.pooler = self._custom(name, "pooler", CNPG_API, "Pooler", POOLER_NAME, pooler_spec(args),
                                       [self.cluster])
            self.releases.append(self.pooler)
            if args.pooler.instances > 1:
                self.pooler_pdb = k8s.policy.v1.PodDisruptionBudget(
                    f"{name}-pooler-pdb",
                    metadata=k8s.meta.v1.ObjectMetaArgs(name=POOLER_NAME, namespace=DATABASE_NAMESPACE,
                                                        labels=dict(LABELS)),
                    spec=k8s.policy.v1.PodDisruptionBudgetSpecArgs(
                        max_unavailable=POOLER_MAX_UNAVAILABLE,
                        selector=k8s.meta.v1.LabelSelectorArgs(match_labels=dict(POOLER_POD_LABELS))),
                    opts=self.child(provider, depends_on=[args.namespace]))
        if args.archive is not None:
            self.scheduled_backup = self._custom(name, "base-backup", CNPG_API, "ScheduledBackup", SCHEDULED_BACKUP,
                                                 scheduled_backup_spec(args), [self.cluster])
        if args.monitoring_crds is not None:
            for monitor, spec in pod_monitors(pg.cluster).items():
                if monitor == "postgres-pooler" and not self.pooled:
                    continue
                self._custom(name, f"{monitor}-podmonitor", MONITORING_API, "PodMonitor", monitor, spec,
                             [args.monitoring_crds, args.namespace], labels=RELEASE_LABEL)
            # the operator's metrics (container port "metrics", 8080: the chart's deployment.yaml)
            self._custom(name, "operator-podmonitor", MONITORING_API, "PodMonitor", "cnpg-operator",
                         {"selector": {"matchLabels": dict(OPERATOR_POD_LABELS)},
                          "podMetricsEndpoints": [{"port": "metrics", "interval": "30s"}]},
                         [args.monitoring_crds, self.operator], labels=RELEASE_LABEL, namespace_name=CNPG_NAMESPACE)
            self.alerts = self._custom(name, "alerts", MONITORING_API, "PrometheusRule", "postgres",
                                       {"groups": alert_groups(args.pg, args.instances, args.archive is not None)},
                                       [args.monitoring_crds],
                                       labels=RELEASE_LABEL, namespace_name=OBSERVABILITY_NAMESPACE)
        self.register_outputs({
            "cluster": pg.cluster,
            "primaryHost": self.primary_host,
            "archive": args.archive.destination if args.archive is not None else "",
        })

    def _custom(self, name: str, resource: str, api_version: str, kind: str, obj_name: str, spec: dict[str, Any],
                depends_on: list[pulumi.Resource], labels: Optional[dict[str, str]] = None,
                namespace_name: str = DATABASE_NAMESPACE) -> k8s.apiextensions.CustomResource:
        return k8s.apiextensions.CustomResource(
            f"{name}-{resource}", api_version=api_version, kind=kind,
            metadata=k8s.meta.v1.ObjectMetaArgs(name=obj_name, namespace=namespace_name,
                                                labels={**LABELS, **(labels or {})}),
            spec=spec, opts=self.child(self.provider, depends_on=depends_on))

    def _archive_secret(self, name: str, archive: ArchiveArgs, ns: pulumi.Resource) -> k8s.core.v1.Secret:
        """The bucket's region and, without IRSA, its access keys, as barman-cloud reads them
        (ObjectStore s3Credentials: secret key references)."""
        data: dict[str, pulumi.Input[str]] = {"REGION": archive.region}
        if not archive.role_arn:
            assert archive.access_key_id is not None and archive.secret_access_key is not None
            data["ACCESS_KEY_ID"] = pulumi.Output.secret(archive.access_key_id)
            data["ACCESS_SECRET_KEY"] = pulumi.Output.secret(archive.secret_access_key)
        return k8s.core.v1.Secret(
            f"{name}-archive-credentials",
            metadata=k8s.meta.v1.ObjectMetaArgs(name=ARCHIVE_SECRET, namespace=DATABASE_NAMESPACE, labels=dict(LABELS)),
            type="Opaque", string_data=data, opts=self.child(self.provider, depends_on=[ns]))

