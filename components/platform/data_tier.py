"""The data tier: PostgreSQL (CloudNativePG, components/platform/postgres.py), Redis (redis-ha),
Redpanda (Kafka API) and Consul.

Names are the deployment guide's contract: in namespace ``database`` the Service
``postgres-postgresql`` (now the CloudNativePG Pooler in front of the primary; the runbook's pod
``postgres-postgresql-0`` becomes the cluster's primary, docs/data-and-observability.md "The
guide's names"), release ``redis`` in ``cache`` (Service ``redis-master``, ours, in front of the
chart's HAProxy), release ``redpanda`` in ``messaging``, release ``consul`` in ``consul``. Every
value key below was checked against the pinned chart (facts/versions.py gives the tag and file)
and the charts are rendered with these values by the whole-system render.

Passwords never enter Helm values (Release values land in the state in plaintext,
https://github.com/pulumi/pulumi-kubernetes/issues/2003): the generated Credentials feed Kubernetes
Secrets here, and the charts and the operator read them from there.

While a stack moves from the bitnami PostgreSQL release (``postgresMigration=import``) that release
is registered exactly as before (``bitnami_postgres_values``), so Pulumi leaves it alone and the new
cluster imports from it.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any, Mapping, Optional, Sequence

import pulumi
import pulumi_kubernetes as k8s
import pulumi_random as random

from components.credentials import CredentialOutputs
from components.network import ANYWHERE, Allow, NamespacePolicies, Peer, PolicyHome
from components.secrets import SecretMaker
from facts import catalog, versions
from settings.nodes import Placement
from settings import data_workloads as table
from settings.data import DataSettings, ContainerSizing
from settings.workloads import Sizing, container_size, count, release_values, with_workloads, workload
from facts.endpoints import (
    BACKUP_POD_LABELS,
    CACHE_NAMESPACE,
    CNPG_NAMESPACE,
    CONSUL_NAMESPACE,
    CONSUL_RELEASE,
    DATABASE_NAMESPACE,
    DEFAULT_ENDPOINTS,
    KAFKA_PORT,
    MESSAGING_NAMESPACE,
    OPS_NAMESPACE,
    POOLER_NAME,
    POSTGRES_RELEASE,
    REDIS_RELEASE,
    REDPANDA_RELEASE,
    RESTORE_POD_LABELS,
    SUPERUSER,
    SUPERUSER_SECRET,
    SUPERUSER_VAULT_ITEM,
    DataTierEndpoints,
    kafka_seed_brokers,
)
from facts.topics import DEFAULT_PARTITIONS, Topic, tartware_topics

from ..base import TartwareComponent
from ..kit import helm_release, namespace, restricted_pod
from . import postgres as pg_part
from .postgres import ArchiveArgs, PostgresArgs

POSTGRES_SECRET = pg_part.APP_SECRET  # in ns database: username, password (+ the bitnami chart's keys while it moves)
# The bitnami release's claim sizes, as it was installed (only while a stack moves from it):
# postgresStorageSize sizes the new cluster, and a new size in this release's values would be an
# update of its StatefulSets' volumeClaimTemplates, which the API server forbids (kubernetes
# pkg/apis/apps/validation ValidateStatefulSetUpdate), failing the helm upgrade of the release.
LEGACY_CLAIM_SIZE_VALUES = ("values.primary.persistence.size", "values.readReplicas.persistence.size")
# redis-ha, Redpanda and Consul size their volumes through their StatefulSets' volumeClaimTemplates,
# which the API server refuses to update (kubernetes/kubernetes@v1.32.0 pkg/apis/apps/validation
# ValidateStatefulSetUpdate): a new size in the values would fail the helm upgrade half way through a
# `pulumi up`. Each such release waits for a state-only guard holding the size in its keepers: a new
# size replaces the guard (hashicorp/terraform-provider-random@v3.9.0 internal/provider/resource_id.go
# keepers, RequiresReplaceIfValuesNotNull), and the guard is protected where the stack protects its data
# (`protect`, prod by default), so the engine refuses that replacement at preview ("unable to replace
# resource ... as it is currently marked for protection", pulumi/pulumi@v3.259.0
# pkg/resource/deploy/step_generator.go 1955-1971), before the release is upgraded. docs/operations.md
# "Resizing the Redis, Redpanda and Consul volumes" grows the claims by hand and lifts the guard once.
# A new dataStorageClass reaches the same templates: the guard holds it too.
REDIS_SECRET = "redis-credentials"  # in ns cache; same name as the app's secret in tartware-system
REDIS_MASTER_SERVICE = f"{REDIS_RELEASE}-master"  # the app's address (facts/endpoints.py)

# The bitnami release's pods (bitnami common.labels.matchLabels at the postgresql pin): only while a
# stack moves from it.
BITNAMI_POSTGRES_PODS = {"app.kubernetes.io/name": "postgresql", "app.kubernetes.io/instance": POSTGRES_RELEASE}
# redis-ha pod labels (templates/_helpers.tpl, rendered): the Redis nodes and the HAProxy pods.
REDIS_NODE_PODS = {"app": "redis-ha", "release": REDIS_RELEASE}
REDIS_HAPROXY_PODS = {"app": "redis-ha-haproxy", "release": REDIS_RELEASE}

# Pod labels of the pods the app dials in each namespace, as the charts and the operator create them
# (checked by the whole-system render: the Pooler's PgBouncer pods, redis-ha's HAProxy, the redpanda
# statefulset selector, the consul server).
POD_SELECTORS: dict[str, dict[str, str]] = {
    "database": dict(pg_part.POOLER_POD_LABELS),
    "cache": dict(REDIS_HAPROXY_PODS),
    "messaging": {"app.kubernetes.io/name": "redpanda", "app.kubernetes.io/instance": REDPANDA_RELEASE,
                  "app.kubernetes.io/component": "redpanda-statefulset"},
    "consul": {"app": "consul", "release": CONSUL_RELEASE, "component": "server"},
}
# TCP ports clients use (Kafka 9093, Schema Registry 8081, HTTP proxy 8082; Consul HTTP/gRPC/DNS).
CLIENT_PORTS: dict[str, list[int]] = {
    "database": [5432],
    "cache": [6379],
    "messaging": [KAFKA_PORT, 8081, 8082],
    "consul": [8500, 8502, 8600],
}
# Ports Prometheus scrapes (exporters / admin API), for network policies and ServiceMonitors:
# PostgreSQL instances 9187 and PgBouncer 9127 (CloudNativePG), redis_exporter 9121 and HAProxy 9101.
METRICS_PORTS: dict[str, list[int]] = {
    "database": [pg_part.METRICS_PORT, pg_part.POOLER_METRICS_PORT],
    "cache": [9121, 9101],
    "messaging": [9644],
    "consul": [8500],
}
# Pods of one release also talk to each other (replication, Raft, Sentinel, Redpanda RPC).
PEER_PORTS: dict[str, list[int]] = {
    "database": [5432],
    "cache": [6379, 26379],
    "messaging": [KAFKA_PORT, 9644, 33145],
    "consul": [8300, 8301, 8302, 8500, 8502],
}

# Restricted-PSA security contexts for charts that do not set them (Redpanda, the topic Job).
RESTRICTED_CONTAINER = {"allowPrivilegeEscalation": False, "capabilities": {"drop": ["ALL"]}, "runAsNonRoot": True}
REDPANDA_UID = 101  # the chart's default runAsUser/fsGroup
JOB_UID = 10001  # our own Jobs run as a high UID (checkov CKV_K8S_40)
# DataTier logical names -> the Tartware chart's `uses` keys (what its services connect to)
USES = {"database": "database", "cache": "redis", "messaging": "kafka"}


@dataclass(frozen=True)
class DataArgs:
    data: DataSettings
    protect: bool
    credentials: CredentialOutputs
    secrets: SecretMaker
    placement: Placement = Placement()
    zone_spread: str = "ScheduleAnyway"  # whenUnsatisfiable of the instances' and poolers' zone spread
    archive: Optional[ArchiveArgs] = None  # None: no off-site bucket, no WAL archive
    volumes: tuple[pulumi.Resource, ...] = ()  # what the releases' claims wait for (ClusterHandle.volumes)
    # filled by the platform from its siblings: cert-manager's release (the Barman Cloud plugin's
    # certificates) and kube-prometheus-stack's (the PodMonitor/PrometheusRule CRDs)
    cert_manager: Optional[pulumi.Resource] = None
    monitoring_crds: Optional[pulumi.Resource] = None
    # where the platform keeps its NetworkPolicies (None: networkPolicies off); the PostgreSQL part
    # makes the allows its Cluster needs there itself, before the Cluster (filled by the platform)
    policies: Optional[PolicyHome] = None


def volume_guard(owner: TartwareComponent, name: str, part: str, s: DataSettings, size: str,
                 protect: bool) -> random.RandomId:
    """The guard of ``part``'s claim template: ``<name>-<part>-volume-size``, the size and the StorageClass
    ("" for the cluster's default) the release's values give that template in its keepers (the preview
    shows the old and the new ones); protected with the stack's data (where it is not, dev by default, a
    new size is the helm upgrade the API server refuses, as without the guard)."""
    return random.RandomId(f"{name}-{part}-volume-size", byte_length=1,
                           keepers={"storage": size, "storageClass": s.storage_class},
                           opts=pulumi.ResourceOptions(parent=owner, protect=protect))


def _image(name: str) -> dict[str, str]:
    repository, tag = versions.BITNAMI_IMAGES[name]
    return {"registry": versions.BITNAMI_LEGACY_REGISTRY, "repository": repository, "tag": tag}


def _persistence(size, storage_class: str) -> dict[str, Any]:
    return {"enabled": True, "size": str(size), "storageClass": storage_class}


# values.yaml primary.pgHbaConfiguration (at the postgresql pin); repl_user = auth.replicationUsername default.
PG_HBA = "\n".join([
    "local all all trust",
    "host all all 127.0.0.1/32 md5",
    "host all all ::1/128 md5",
    "host all all 0.0.0.0/0 md5",
    "host all all ::/0 md5",
    "host replication repl_user 0.0.0.0/0 md5",
    "host replication repl_user ::/0 md5",
])


def bitnami_postgres_values(s: DataSettings, username: str, database: str,
                            placement: Placement = Placement()) -> dict[str, Any]:
    """bitnami/postgresql values (keys: values.yaml at the pin), exactly as the release was
    installed before the move to CloudNativePG: registered only with ``postgresMigration=import``."""
    replication = s.postgres_read_replicas > 0
    server = {
        **placement.pod_keys(),
        "persistence": _persistence(s.postgres_storage, s.storage_class),
        # Our NetworkPolicies (components/kit.py) govern this namespace; the chart's
        # own ones default to allowExternal=true, opening 5432 to every pod (values.yaml
        # primary/readReplicas.networkPolicy at the pin).
        "networkPolicy": {"enabled": False},
        # appended to postgresql.conf (values.yaml primary/readReplicas.extendedConfiguration at
        # the pin); a hot standby refuses to start with a lower max_connections than its primary
        # (https://www.postgresql.org/docs/16/hot-standby.html#HOT-STANDBY-ADMIN), so both get it.
        "extendedConfiguration": f"max_connections = {s.postgres_max_connections}\n",
    }
    values: dict[str, Any] = {
        "global": {"security": {"allowInsecureImages": True}},  # bitnamilegacy images (common 2.31.4 guard)
        "image": _image("postgresql"),
        "volumePermissions": {"enabled": False, "image": _image("os-shell")},  # root init container: keep off (PSA)
        "architecture": "replication" if replication else "standalone",
        "auth": {
            "enablePostgresUser": True,
            "username": username,
            "database": database,
            "existingSecret": POSTGRES_SECRET,
            # the chart's default key names, spelled out (our Secret is built with them)
            "secretKeys": {"adminPasswordKey": "postgres-password", "userPasswordKey": "password",
                           "replicationPasswordKey": "replication-password"},
        },
        # _helpers.tpl postgresql.v1.primary.fullname: in replication the primary is
        # "<fullname>-<primary.name>" | trimSuffix "-"; an empty name keeps StatefulSet/Service
        # "postgres-postgresql" and pod "postgres-postgresql-0" (rendered to confirm).
        "primary": {"name": "" if replication else "primary", **server,
                    # The guide's backup runbook (`kubectl exec -n database postgres-postgresql-0 --
                    # pg_dump -U tartware tartware`) connects over the local socket without a
                    # password; the bitnami image otherwise turns every `trust` into md5. The socket
                    # is only reachable from inside the pod; every network client needs its password.
                    "pgHbaConfiguration": PG_HBA},
        "metrics": {
            "enabled": True,
            "image": _image("postgres-exporter"),
        },
    }
    if replication:
        values["readReplicas"] = {"name": "read", **server}
    # the pods' resources and the read replicas' count: settings/data_workloads.py
    return with_workloads(values, table.BITNAMI_POSTGRESQL, table.DataWorkloads(s), table.TABLE)


def redis_values(s: DataSettings, placement: Placement = Placement()) -> dict[str, Any]:
    """redis-ha values (DandyDeveloper/charts@redis-ha-4.39.0 charts/redis-ha/values.yaml).

    Every node runs redis and a Sentinel (quorum: a majority of the nodes); HAProxy pods in front
    check each node's ``role:master`` and send every connection to the master (templates/_configs.tpl
    ``haproxy.cfg``), so clients without a Sentinel client (the app's ioredis, Envoy's rate limit
    service) always reach the master through one address. The images are the official ``redis`` and
    ``haproxy`` (public.ecr.aws/docker/library, Docker Official Images) and oliver006/redis_exporter,
    at the chart's defaults.
    """
    nodes = s.redis_nodes
    config: dict[str, Any] = {
        # persistence as the bitnami release had it: an append-only file, no RDB snapshots
        # (bitnami/charts@redis/22.0.7 values.yaml commonConfiguration: appendonly yes, save "")
        "appendonly": "yes", "save": "",
        # with one node nothing can acknowledge a write; with several, the chart's default (a write
        # needs one replica within 5 s) keeps a failover from losing acknowledged writes
        "min-replicas-to-write": 1 if nodes > 1 else 0,
    }
    values: dict[str, Any] = {
        "auth": True, "existingSecret": REDIS_SECRET, "authKey": "password",
        "redis": {"config": config},
        "sentinel": {"quorum": nodes // 2 + 1},
        "exporter": {"enabled": True},
        "persistentVolume": {"enabled": True, "size": str(s.redis_storage),
                             **({"storageClass": s.storage_class} if s.storage_class else {})},
        "hardAntiAffinity": s.is_prod,  # one node per machine in prod; a one-node kind cluster in dev
        # every container writes only to its mounts (/data, /health): a read-only root, as the bitnami
        # release had (the chart's containerSecurityContext, merged key by key with this)
        "containerSecurityContext": {"readOnlyRootFilesystem": True},
        "podDisruptionBudget": {"maxUnavailable": 1},
        **placement.pod_keys(),
        "haproxy": {
            "enabled": True,
            "hardAntiAffinity": s.is_prod,
            # the config (/usr/local/etc/haproxy) and the runtime socket (/run/haproxy) are emptyDirs
            "containerSecurityContext": {"readOnlyRootFilesystem": True},
            "metrics": {"enabled": True},  # HAProxy's own exporter on 9101 (scraped by our ServiceMonitor)
            "podDisruptionBudget": {"maxUnavailable": 1},
            # HAProxy needs no API access (its config comes from a ConfigMap)
            "serviceAccount": {"create": True, "automountToken": False},
        },
        # Our NetworkPolicies (components/kit.py) govern the namespace
        "networkPolicy": {"enabled": False},
    }
    # the pods' resources and counts (nodes, HAProxy pods): settings/data_workloads.py
    return with_workloads(values, table.REDIS_HA, table.DataWorkloads(s), table.TABLE)


def redpanda_values(s: DataSettings, placement: Placement = Placement()) -> dict[str, Any]:
    """redpanda values (redpanda-data/redpanda-operator charts/redpanda/chart/values.yaml at the pin)."""
    view = table.DataWorkloads(s)
    # podTemplate specs are merged by container name (chart "Merge Semantics"); these make every
    # container restricted-compatible (rendered: redpanda, sidecar, redpanda-configurator,
    # bootstrap-yaml-envsubst; the post-install Job's post-install + bootstrap-yaml-envsubst).
    # The chart gives the sidecar, redpanda-configurator and post-install containers no resources:
    # set them here, in the lists the chart merges by name, with the sizes of settings/data_workloads.py.
    def size(kind: str, name: str, container: str) -> dict[str, dict[str, str]]:
        return container_size(table.REDPANDA, kind, name, container, view).k8s()
    sts_containers = [{"name": "redpanda", "securityContext": RESTRICTED_CONTAINER},
                      {"name": "sidecar", "securityContext": RESTRICTED_CONTAINER,
                       "resources": size("StatefulSet", "redpanda", "sidecar")}]
    sts_init = [{"name": "redpanda-configurator", "securityContext": RESTRICTED_CONTAINER,
                 "resources": size("StatefulSet", "redpanda", "redpanda-configurator")},
                {"name": "bootstrap-yaml-envsubst", "securityContext": RESTRICTED_CONTAINER}]
    values: dict[str, Any] = {
        "statefulset": {
            # statefulset.podTemplate.spec.nodeSelector / .tolerations (values.yaml at the pin)
            "podTemplate": {"spec": {"securityContext": restricted_pod(REDPANDA_UID),
                                     "containers": sts_containers, "initContainers": sts_init,
                                     **placement.pod_keys()}},
        },
        "post_install_job": {
            "podTemplate": {"spec": {
                "securityContext": restricted_pod(REDPANDA_UID),
                "containers": [{"name": "post-install", "securityContext": RESTRICTED_CONTAINER,
                                "resources": size("Job", "redpanda-configuration", "post-install")}],
                "initContainers": [{"name": "bootstrap-yaml-envsubst", "securityContext": RESTRICTED_CONTAINER}],
            }},
        },
        # tune_aio_events runs a privileged init container: off, so the namespace stays restricted.
        "tuning": {"tune_aio_events": False},
        # In-cluster only; the app has no Kafka TLS/SASL settings (chart_values passes brokers only).
        "tls": {"enabled": False},
        "external": {"enabled": False},
        "auth": {"sasl": {"enabled": False}},
        "console": {"enabled": False},
        "storage": {"persistentVolume": {"enabled": True, "size": str(s.redpanda_storage),
                                         "storageClass": s.storage_class}},
        "monitoring": {"enabled": False},  # scraped by the ServiceMonitor observability creates
        "config": {"cluster": {
            # topics come from the topic Job (red2n/tartware@a2583469 platform/helmfile.yaml redpanda values:
            # auto-create off)
            "auto_create_topics_enabled": False,
            "default_topic_replications": min(3, s.redpanda_brokers),
            "default_topic_partitions": DEFAULT_PARTITIONS[s.environment],
        }},
    }
    # the brokers' resources (the chart's own format) and count: settings/data_workloads.py
    return with_workloads(values, table.REDPANDA, view, table.TABLE)


# Defaults the consul namespace's LimitRange gives containers without resources (locality-init)
CONTAINER_DEFAULTS = {"defaultRequest": {"cpu": "10m", "memory": "32Mi"}, "default": {"cpu": "100m", "memory": "64Mi"}}


def consul_values(s: DataSettings) -> dict[str, Any]:
    """hashicorp/consul values (at the pin). Service catalog/KV only: Istio is the mesh, so no connect injection."""
    values = {
        "global": {"name": "consul", "datacenter": "dc1",
                   "metrics": {"enabled": True, "enableAgentMetrics": True}},
        "server": {
            "storage": str(s.consul_storage),
            **({"storageClass": s.storage_class} if s.storage_class else {}),
            "disruptionBudget": {"enabled": True},
        },
        "ui": {"enabled": True},
        "connectInject": {"enabled": False},
        "client": {"enabled": False},
    }
    # the servers' resources and count: settings/data_workloads.py
    return with_workloads(values, table.CONSUL, table.DataWorkloads(s), table.TABLE)


def topic_script(topics: Sequence[Topic], brokers: str) -> str:
    """Idempotent: waits for the cluster, creates missing topics, leaves existing ones alone."""
    lines = [
        "set -eu",
        f'B="{brokers}"',
        'for i in $(seq 1 60); do rpk cluster info -X brokers="$B" >/dev/null 2>&1 && break; sleep 5; done',
        "create() {",
        '  t="$1"; shift',
        '  if rpk topic describe "$t" -X brokers="$B" >/dev/null 2>&1; then echo "exists: $t"; '
        'else rpk topic create "$t" -X brokers="$B" "$@"; fi',
        "}",
    ]
    for t in topics:
        flags = " ".join(f"-c {k}={v}" for k, v in t.config)
        lines.append(f"create {t.name} -p {t.partitions} -r {t.replicas} {flags}".rstrip())
    return "\n".join(lines) + "\n"


def postgres_args(data: DataArgs, namespace: Any, app_secret: Any, username: str, database: str,
                  waits_for: tuple[Any, ...] = (), allows: tuple[Any, ...] = ()) -> PostgresArgs:
    """What the DataTier hands its PostgreSQL part: the settings it reads, the namespace and app
    Secret it created, what the cluster waits for besides its operator: the cluster's StorageClass
    and provisioner (ClusterHandle.volumes: its claims bind only then) and, while a stack moves from
    it, the bitnami release the cluster imports from; and the allows of the database namespace it
    makes before the cluster (where the platform keeps NetworkPolicies)."""
    d = data.data
    # the pods' sizes and counts: settings/data_workloads.py (the operator's and the plugin's values;
    # the specs the program writes for the Cluster, the Pooler and the ObjectStore's sidecar)
    view = table.DataWorkloads(d, archive=data.archive is not None)
    pods = table.CLOUDNATIVE_PG_PODS

    def size(kind: str, name: str, container: str) -> ContainerSizing:
        found = container_size(pods, kind, name, container, view)
        assert isinstance(found, ContainerSizing)
        return found
    return PostgresArgs(
        operator_values=release_values(table.CLOUDNATIVE_PG, view), pg=d.pg,
        instances=count(workload(pods, "Cluster", "{cluster}"), view), storage=d.postgres_storage,
        storage_class=d.storage_class, postgres_size=size("Cluster", "{cluster}", "postgres"),
        sidecar_size=size("Cluster", "{cluster}", "plugin-barman-cloud"),
        pooler_size=size("Pooler", POOLER_NAME, "pgbouncer"),
        plugin_values=release_values(table.BARMAN_CLOUD_PLUGIN, view),
        pooler=d.pooler, max_connections=d.max_connections, username=username, database=database,
        protect=data.protect, placement=data.placement, zone_spread=data.zone_spread, namespace=namespace,
        app_secret=app_secret, archive=data.archive, cert_manager=data.cert_manager,
        monitoring_crds=data.monitoring_crds, waits_for=(*data.volumes, *waits_for),
        policies=data.policies, allows=tuple(allows) if data.policies is not None else ())


class DataTier(TartwareComponent):
    """PostgreSQL, Redis, Redpanda and Consul, each in its own namespace, in parallel."""

    AREA = "data"

    def __init__(self, name: str, args: DataArgs, opts: pulumi.ResourceOptions):
        super().__init__(name, opts)
        settings, credentials, provider, protect = args.data, args.credentials, self.provider, args.protect
        secrets = args.secrets
        # PostgreSQL, Redis and Redpanda live on the memory pool (tolerate its taint, select it)
        self.placement = placement = args.placement
        # each release's claims bind only once the cluster's StorageClass and provisioner exist
        volumes = list(args.volumes)
        s = settings
        self.settings = s
        self.releases: list[pulumi.Resource] = []
        self.namespaces: dict[str, str] = {}
        self.pod_selectors: dict[str, dict[str, str]] = {}
        self.ports: dict[str, list[int]] = {}
        self.metrics_ports: dict[str, list[int]] = {}
        self.peer_ports: dict[str, list[int]] = {}
        self.topics: tuple[Topic, ...] = ()
        self.topic_job: Optional[k8s.batch.v1.Job] = None
        self.internal_policies: dict[str, list[Allow]] = {}  # allows inside a part (logical namespace -> allows)
        self.backup_target_pods: dict[str, str] = {}  # the pods the nightly pg_dump reaches (the instances)
        endpoints = DEFAULT_ENDPOINTS
        labels = {"app.kubernetes.io/part-of": catalog.PART_OF, "app.kubernetes.io/managed-by": "pulumi"}

        def ns(logical: str, ns_name: str) -> k8s.core.v1.Namespace:
            # Every data-tier workload fits `restricted` with the values below (rendered and checked);
            # deleting a namespace deletes its PVCs: protected in prod.
            self.namespaces[logical] = ns_name
            self.pod_selectors[logical] = dict(POD_SELECTORS[logical])
            self.ports[logical] = list(CLIENT_PORTS[logical])
            self.metrics_ports[logical] = list(METRICS_PORTS[logical])
            self.peer_ports[logical] = list(PEER_PORTS[logical])
            return namespace(f"{name}-{logical}-namespace", ns_name, "restricted", provider, self, protect=protect)

        def secret(resource: str, secret_name: str, ns_name: str, nsr: pulumi.Resource,
                   data: Mapping[str, pulumi.Input[str]], vault_item: str) -> pulumi.Resource:
            # Generated values, or an ExternalSecret from Vault (<prefix>/<vault_item>, same keys).
            return secrets.secret(self, f"{name}-{resource}", secret_name, ns_name, data, vault_item,
                                  depends_on=[nsr], labels=labels)

        if s.postgres:
            self._postgres(name, args, ns("database", DATABASE_NAMESPACE), secret)
            endpoints = dataclasses.replace(endpoints, database_primary_host=self.postgres.primary_host,
                                            database_replica_host=self.postgres.replica_host)
        if s.redis:
            nsr = ns("cache", CACHE_NAMESPACE)
            self.redis_secret = secret("redis-credentials", REDIS_SECRET, CACHE_NAMESPACE, nsr,
                                       {"password": credentials.redis_password}, "redis")
            # Same resource and release name as the bitnami release before: the chart changes in
            # place (a helm upgrade; pulumi-kubernetes replaces a Release only when its name or
            # namespace changes), and Helm removes the bitnami objects, its Service redis-master
            # included, before the Service below takes that name.
            values = redis_values(s, placement)
            self.redis_volume_guard = volume_guard(self, name, "redis", s, str(s.redis_storage), protect)
            self.redis = helm_release(self, f"{name}-redis", versions.REDIS_HA, REDIS_RELEASE, CACHE_NAMESPACE,
                                      values, provider,
                                      [nsr, self.redis_secret, *volumes, self.redis_volume_guard], protect=protect)
            self.redis_master = k8s.core.v1.Service(
                f"{name}-redis-master",
                metadata=k8s.meta.v1.ObjectMetaArgs(name=REDIS_MASTER_SERVICE, namespace=CACHE_NAMESPACE,
                                                    labels=labels),
                spec=k8s.core.v1.ServiceSpecArgs(
                    type="ClusterIP", selector=dict(REDIS_HAPROXY_PODS),
                    # the HAProxy container's port "redis" (templates/redis-haproxy-deployment.yaml)
                    ports=[k8s.core.v1.ServicePortArgs(name="tcp-redis", port=endpoints.redis_port,
                                                       target_port="redis", protocol="TCP")]),
                opts=self.child(provider, depends_on=[self.redis]))
            self.releases += [self.redis, self.redis_master]
        if s.redpanda:
            nsr = ns("messaging", MESSAGING_NAMESPACE)
            values = redpanda_values(s, placement)
            self.redpanda_volume_guard = volume_guard(self, name, "redpanda", s, str(s.redpanda_storage), protect)
            self.redpanda = helm_release(self, f"{name}-redpanda", versions.REDPANDA, REDPANDA_RELEASE,
                                         MESSAGING_NAMESPACE, values, provider,
                                         [nsr, *volumes, self.redpanda_volume_guard], protect=protect)
            self.releases.append(self.redpanda)
            brokers = kafka_seed_brokers(s.redpanda_brokers)
            endpoints = dataclasses.replace(endpoints, kafka_brokers=brokers)
            self.topics = tartware_topics(s.environment, s.redpanda_brokers)  # the app's own list
            self.topic_job = self._topic_job(
                name, provider, brokers, labels,
                container_size(table.TOPICS, "Job", "redpanda-topics", "rpk", table.DataWorkloads(s)))
            self.releases.append(self.topic_job)
        if s.consul:
            nsr = ns("consul", CONSUL_NAMESPACE)
            # The server StatefulSet's locality-init container has no resources key in the chart
            # (hashicorp/consul-k8s@v1.9.11 charts/consul/templates/server-statefulset.yaml): a
            # LimitRange gives it (and any container without its own) requests and limits at admission.
            self.consul_limits = k8s.core.v1.LimitRange(
                f"{name}-consul-limits",
                metadata=k8s.meta.v1.ObjectMetaArgs(name="container-defaults", namespace=CONSUL_NAMESPACE,
                                                    labels=labels),
                spec={"limits": [{"type": "Container", **CONTAINER_DEFAULTS}]},
                opts=self.child(provider, depends_on=[nsr]))
            values = consul_values(s)
            self.consul_volume_guard = volume_guard(self, name, "consul", s, str(s.consul_storage), protect)
            self.consul = helm_release(self, f"{name}-consul", versions.CONSUL, CONSUL_RELEASE, CONSUL_NAMESPACE,
                                       values, provider, [nsr, self.consul_limits, *volumes, self.consul_volume_guard],
                                       protect=protect)
            self.releases.append(self.consul)

        self.endpoints: DataTierEndpoints = endpoints
        self.register_outputs({
            "namespaces": self.namespaces,
            "databaseHost": endpoints.database_host,
            "redisHost": endpoints.redis_host,
            "kafkaBrokers": endpoints.kafka_brokers,
            "topics": [t.name for t in self.topics],
        })

    def _postgres(self, name: str, args: DataArgs, nsr: pulumi.Resource, secret) -> None:
        """The app's Secret, the bitnami release while the stack moves from it, and the
        CloudNativePG part (components/platform/postgres.py)."""
        s, credentials, provider = args.data, args.credentials, self.provider
        migration = s.pg.migration
        data: dict[str, pulumi.Input[str]] = {"username": credentials.database_username,
                                              "password": credentials.database_password}
        if migration == "import":  # the keys the bitnami chart reads (auth.secretKeys), the import's login
            data.update({"postgres-password": credentials.database_admin_password,
                         "replication-password": credentials.database_replication_password})
        self.postgres_secret = secret("postgres-credentials", POSTGRES_SECRET, DATABASE_NAMESPACE, nsr, data,
                                      "database")
        # the superuser's login (the Cluster's superuserSecret; facts/endpoints.py SUPERUSER_SECRET):
        # the same generated password the bitnami release's postgres-password carried
        self.superuser_secret = secret("postgres-superuser", SUPERUSER_SECRET, DATABASE_NAMESPACE, nsr,
                                       {"username": SUPERUSER, "password": credentials.database_admin_password},
                                       SUPERUSER_VAULT_ITEM)
        legacy: tuple[pulumi.Resource, ...] = ()
        if migration == "import":
            # unchanged from before the move: same resource, release, chart and values (its claim
            # sizes as installed: LEGACY_CLAIM_SIZE_VALUES)
            self.legacy_postgres = helm_release(
                self, f"{name}-postgres", versions.POSTGRESQL, POSTGRES_RELEASE, DATABASE_NAMESPACE,
                bitnami_postgres_values(s, credentials.database_username, DEFAULT_ENDPOINTS.database_name,
                                        args.placement),
                provider, [nsr, self.postgres_secret, *args.volumes], protect=args.protect,
                ignore_changes=LEGACY_CLAIM_SIZE_VALUES)
            self.releases.append(self.legacy_postgres)
            legacy = (self.legacy_postgres,)
            self.pod_selectors["database"] = dict(BITNAMI_POSTGRES_PODS)  # the app stays on it meanwhile
        policies = self._postgres_policies(s, migration, archived=args.archive is not None)
        # The allows inside the database namespace are made by the PostgreSQL part, before its Cluster:
        # on a deployed stack the namespace's default-deny is already in place, and the Cluster is
        # awaited until Ready, which a new standby (allow-replication) or the import (allow-import)
        # reaches only through them; made by the platform, after the data tier, they would wait for
        # the Cluster that waits for them (docs/conformance.md, the apply simulation's update runs).
        self.postgres = pg_part.Postgres(
            f"{name}-postgresql",
            postgres_args(args, nsr, self.postgres_secret, credentials.database_username,
                                  DEFAULT_ENDPOINTS.database_name, waits_for=(*legacy, self.superuser_secret),
                                  allows=tuple(policies.pop("database"))),
            pulumi.ResourceOptions(parent=self, provider=provider))
        self.releases += self.postgres.releases
        self.namespaces["database-operator"] = CNPG_NAMESPACE
        self.internal_policies = policies  # the operator's namespace: made by the platform
        self.backup_target_pods = pg_part.instance_labels(s.pg.cluster)

    @staticmethod
    def _postgres_policies(s: DataSettings, migration: str, archived: bool) -> dict[str, list[Allow]]:
        """The traffic inside the PostgreSQL part (tools/conformance/netpol.py checks each against the
        flows CloudNativePG needs): the operator asks every instance's status port; standbys stream
        from the primary; the pooler connects to the primary; the operator calls the plugin over
        gRPC; the API server calls the operator's webhooks; the import Job reads the bitnami release; the
        app's schema migration logs in on the primary."""
        cluster = s.pg.cluster
        instances = pg_part.instance_labels(cluster)
        operator = Peer(CNPG_NAMESPACE, pg_part.OPERATOR_POD_LABELS)
        database = [Allow("allow-operator", instances, [operator], (pg_part.STATUS_PORT,))]
        if s.postgres_instances > 1:
            database.append(Allow("allow-replication", instances, [Peer(DATABASE_NAMESPACE, instances)],
                                  (pg_part.POSTGRES_PORT,)))
        if migration == "import" and s.postgres_read_replicas > 0:
            # the bitnami release's read replicas stream from its primary
            database.append(Allow("allow-legacy-replication", BITNAMI_POSTGRES_PODS,
                                  [Peer(DATABASE_NAMESPACE, BITNAMI_POSTGRES_PODS)], (pg_part.POSTGRES_PORT,)))
        if migration == "import":
            database.append(Allow("allow-import", BITNAMI_POSTGRES_PODS,
                                  [Peer(DATABASE_NAMESPACE,
                                        {pg_part.CLUSTER_LABEL: cluster, "cnpg.io/jobRole": "import"})],
                                  (pg_part.POSTGRES_PORT,)))
        if s.pg.pooled:
            database.append(Allow("allow-pooler", instances, [Peer(DATABASE_NAMESPACE, pg_part.POOLER_POD_LABELS)],
                                  (pg_part.POSTGRES_PORT,)))
        # The app's schema migration (the Tartware chart's pre-install/pre-upgrade hook Job) logs in as the
        # superuser on the primary. Helm runs it before the release's other objects and fails the release
        # when it fails (helm/helm@v3.20.2 pkg/action/install.go performInstall, pkg/action/hooks.go
        # execHook); the release waits for the Cluster, so the allow is made here, before the Cluster,
        # not by the platform after the data tier (the apply simulation's `connection` rule).
        database.append(Allow("allow-migration", instances, [Peer(catalog.NAMESPACE, catalog.MIGRATION_POD_LABELS)],
                              (pg_part.POSTGRES_PORT,)))
        operator_ns = [Allow("allow-webhook", pg_part.OPERATOR_POD_LABELS, [ANYWHERE], (pg_part.WEBHOOK_PORT,))]
        if archived:
            operator_ns.append(Allow("allow-operator", pg_part.PLUGIN_POD_LABELS, [operator], (pg_part.PLUGIN_PORT,)))
        return {"database": database, "database-operator": operator_ns}

    def _topic_job(self, name: str, provider: k8s.Provider, brokers: str, labels: Mapping[str, str],
                   size: Sizing) -> k8s.batch.v1.Job:
        """A Job running rpk from the broker image: creates the Tartware topics after the release.

        A changed topic list changes the pod template, so Pulumi replaces the Job and it runs again
        (delete before replace: the name is fixed). No ttlSecondsAfterFinished: a Job that deletes
        itself would be recreated by every `pulumi up`.
        """
        container = k8s.core.v1.ContainerArgs(
            name="rpk",
            image=versions.REDPANDA_IMAGE,
            image_pull_policy="Always",
            command=["/bin/bash", "-c", topic_script(self.topics, brokers)],
            env=[k8s.core.v1.EnvVarArgs(name="HOME", value="/tmp")],
            resources=k8s.core.v1.ResourceRequirementsArgs(**size.k8s()),
            security_context=k8s.core.v1.SecurityContextArgs(
                allow_privilege_escalation=False, read_only_root_filesystem=True, run_as_non_root=True,
                capabilities=k8s.core.v1.CapabilitiesArgs(drop=["ALL"])),
            volume_mounts=[k8s.core.v1.VolumeMountArgs(name="tmp", mount_path="/tmp")],
        )
        return k8s.batch.v1.Job(
            f"{name}-redpanda-topics",
            metadata=k8s.meta.v1.ObjectMetaArgs(name="redpanda-topics", namespace=MESSAGING_NAMESPACE,
                                                labels={**labels, "app.kubernetes.io/name": "redpanda-topics"}),
            spec=k8s.batch.v1.JobSpecArgs(
                backoff_limit=6,
                template=k8s.core.v1.PodTemplateSpecArgs(
                    metadata=k8s.meta.v1.ObjectMetaArgs(labels={"app.kubernetes.io/name": "redpanda-topics"}),
                    spec=k8s.core.v1.PodSpecArgs(
                        restart_policy="OnFailure",
                        automount_service_account_token=False,
                        security_context=k8s.core.v1.PodSecurityContextArgs(
                            # rpk only talks to the brokers (HOME=/tmp): any high UID works (CKV_K8S_40).
                            run_as_non_root=True, run_as_user=JOB_UID, run_as_group=JOB_UID,
                            seccomp_profile=k8s.core.v1.SeccompProfileArgs(type="RuntimeDefault")),
                        containers=[container],
                        volumes=[k8s.core.v1.VolumeArgs(name="tmp", empty_dir=k8s.core.v1.EmptyDirVolumeSourceArgs())],
                    ),
                ),
            ),
            opts=self.child(provider, depends_on=[self.redpanda], delete_before_replace=True),
        )

    def network_policies(self, tartware: Peer, prometheus: Sequence[Peer], rate_limit: Optional[Peer],
                         backup: bool, restore: bool) -> list[NamespacePolicies]:
        """Each data namespace's allows: its own pods among themselves where a release needs it, the
        precise PostgreSQL allows (``internal_policies``), Prometheus, the Tartware services on the
        ports they use, the edge rate limit's counters in Redis (``rate_limit``), the backup and
        restore Jobs (components/operations/backups.py) and the guide's runbook debug pod."""
        d = self.settings
        # pods of a release that talk to each other: Sentinel and HAProxy (always, even with one
        # Redis node), Raft/gossip; Redpanda's post-install Job configures the brokers over the admin
        # API even with one broker. PostgreSQL's own traffic has precise allows (internal_policies).
        peers = {"cache": True, "messaging": True, "consul": d.consul_servers > 1}
        policies = []
        for logical, ns in self.namespaces.items():
            allows = [*([Allow("allow-same-namespace", {}, [Peer()])] if peers.get(logical) else []),
                      *self.internal_policies.get(logical, []), Allow("allow-prometheus", {}, prometheus)]
            ports = self.ports.get(logical) or []
            app_pods = self.pod_selectors.get(logical) or {}
            if ports and logical in USES:  # only what the chart's services connect to (consul: nothing)
                allows.append(Allow("allow-tartware", app_pods, [tartware], ports))
            if logical == "cache" and rate_limit is not None:  # the edge rate limit's counters
                allows.append(Allow("allow-ratelimit", app_pods, [rate_limit], (self.endpoints.redis_port,)))
            if logical == "database" and ports and backup:
                # the nightly pg_dump CronJob (components/operations/backups.py) dials the primary itself
                # (pg_dump keeps session state a transaction pooler cannot): the cluster's instances
                instances = self.backup_target_pods
                allows.append(Allow("allow-backup", instances, [Peer(OPS_NAMESPACE, BACKUP_POD_LABELS)], ports))
                if restore:  # the restore Job, only while it is asked for
                    allows.append(Allow("allow-restore", instances, [Peer(OPS_NAMESPACE, RESTORE_POD_LABELS)],
                                        ports))
            if logical == "database" and ports:
                # The guide's "Database Connection Issues" runbook:
                #   kubectl run -it --rm debug --image=postgres:16 --restart=Never -- psql -h ...
                # runs in `default`, and `kubectl run` labels the pod run=debug.
                allows.append(Allow("allow-runbook-debug-pod", app_pods, [Peer("default", {"run": "debug"})], ports))
            policies.append(NamespacePolicies(ns, tuple(allows), (self,)))
        return policies
