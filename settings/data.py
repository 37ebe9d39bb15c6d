"""Data-tier settings: which stateful systems to install, their replica counts and volume sizes,
and PostgreSQL's high availability, backups, point-in-time recovery and connection pooling.

The data area. Every size and count has an environment default computed in
``build()`` when the key is unset (dev: one small instance each; prod: HA). The PostgreSQL
connection numbers (the Pooler's and the server's) are declared here once (``POOLER_SIZES``, and
the setting ``postgresMaxConnections``): the components, the plan and the connection budget read them.
docs/data-and-observability.md explains every choice.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Annotated, Any, Literal, Mapping, Optional

from pydantic import Field

from . import cron, data_workloads
from .errors import key
from .quantities import Memory
from .schema import BuildContext, MemQ, Setting, SettingsModel, env_defaults, validate_section

NAME = "data"

COMPONENTS = ("postgres", "redis", "redpanda", "consul")
GI = 2**30
# Accepted range of every data-tier volume: 1Gi (a dev toy) .. 16Ti (the EBS gp3 maximum).
MIN_VOLUME = 1 * GI
MAX_VOLUME = 16 * 1024 * GI

# The three sizes below sit in StatefulSets' claim templates, which Kubernetes never updates: on a
# deployed stack a new one stops at preview (components/platform/data_tier.py volume_guard).
GROW_BY_HAND = ('On a deployed stack a new size stops at preview (its volume-size guard): grow the claims by '
                'hand first, docs/operations.md "Resizing the Redis, Redpanda and Consul volumes".')
DECLARED: tuple[Setting, ...] = (
    # prod: the platform README's "3 replicas, 500GB"
    Setting("postgresStorageSize", "string",
            "PVC size of the PostgreSQL primary and each read replica (1Gi-16Ti).", per_env=("8Gi", "500Gi")),
    Setting("postgresReadReplicas", "integer",
            "PostgreSQL standby instances of the CloudNativePG cluster (0-8): hot standbys that take over on a "
            "failover and serve the read-only Service <cluster>-ro; the cluster runs 1 + this many instances, "
            "spread over zones; at least 2 in prod.", per_env=(0, 2)),
    Setting("postgresSynchronous", "string",
            "Commit durability across instances: off (asynchronous streaming; a failover can lose the last "
            "commits), preferred (synchronous to one standby while one is reachable), required (zero-loss "
            "failover: every commit waits for a standby; writes stop when none answers; needs 2 standbys).", "off"),
    Setting("postgresBaseBackupSchedule", "string",
            "When the ScheduledBackup takes a base backup to the off-site bucket: six cron fields, seconds first "
            "(0 0 3 * * * = 03:00 UTC daily), or @daily/@weekly.", "0 0 3 * * *"),
    Setting("postgresBackupRetentionDays", "integer",
            "Days of base backups and archived WAL kept in the off-site bucket (1-365): the point-in-time "
            "recovery window.", 30),
    Setting("postgresCluster", "string",
            "Name of the serving CloudNativePG cluster (pods <name>-N, Services <name>-rw/-ro/-r) and of its "
            "folder (serverName) in the bucket. A point-in-time recovery moves to a new name "
            "(postgresRecoverySource).", "postgres",
            example="a lower-case name of 1-40 letters, digits and '-', starting with a letter, such as 'postgres' "
                    "or 'postgres-pitr1'"),
    Setting("postgresRecoverySource", "string",
            "Bootstrap postgresCluster by point-in-time recovery from the archive of this cluster (its serverName "
            "in the off-site bucket, e.g. postgres); empty = a new database (initdb).", "",
            example="the name (serverName) of the cluster whose archive to recover from, such as "
                    "'postgres', or empty"),
    Setting("postgresRecoveryTarget", "string",
            "With postgresRecoverySource: latest (every archived transaction) or a UTC time such as "
            "2026-08-01T10:15:00Z (the last transaction committed before it).", "latest",
            example="'latest' or a UTC time such as '2026-08-01T10:15:00Z'"),
    Setting("postgresMigration", "string",
            "Moving a stack from the bitnami PostgreSQL release (docs/data-and-observability.md): none, import "
            "(the old release stays; the new cluster imports the tartware database from it), cutover (the old "
            "release is removed).", "none"),
    Setting("redisStorageSize", "string", "PVC size of each Redis node (1Gi-16Ti). " + GROW_BY_HAND,
            per_env=("2Gi", "16Gi")),
    Setting("redisNodes", "integer", "Redis nodes: 1 = standalone, 3-9 = replication with Sentinel.", per_env=(1, 3)),
    Setting("redpandaBrokers", "integer", "Redpanda brokers (1-15; at least 3 in prod).", per_env=(1, 3)),
    Setting("redpandaStorageSize", "string", "PVC size of each Redpanda broker (1Gi-16Ti). " + GROW_BY_HAND,
            per_env=("10Gi", "200Gi")),
    Setting("consulServers", "integer", "Consul servers: 1, 3 or 5 (at least 3 in prod).", per_env=(1, 3)),
    Setting("consulStorageSize", "string", "PVC size of each Consul server (1Gi-16Ti). " + GROW_BY_HAND,
            per_env=("1Gi", "10Gi")),
    Setting("dataStorageClass", "string",
            "StorageClass of every data-tier PVC; empty = the cluster's default class. Choose it before the "
            "first `pulumi up`: on a deployed stack a new class stops at preview (the volume-size guards).", "",
            example="a lower-case StorageClass name such as 'gp3', or empty for the cluster default"),
    Setting("postgresMaxConnections", "integer", "PostgreSQL max_connections (20-20000), on every instance of the "
            "cluster (and of the bitnami release while a stack moves from it). The Pooler's server connections and "
            "the reserve (or, without the Pooler, the Tartware pods' pools at max scale) must fit in it "
            "(docs/budget.md).",
            # the Pooler's server connections and the reserve at their worst, with room (docs/budget.md
            # "Database connections"); PostgreSQL's own default is 100
            # (https://www.postgresql.org/docs/17/runtime-config-connection.html)
            per_env=(200, 1000)),
)
OBJECT_SETTINGS: tuple[str, ...] = ("dataComponents",)


CLUSTER_NAME = r"[a-z]([a-z0-9-]{0,38}[a-z0-9])?"
SYNCHRONOUS = ("off", "preferred", "required")
MIGRATIONS = ("none", "import", "cutover")
# A ScheduledBackup's schedule is parsed by robfig/cron v1.2.0 cron.Parse (cloudnative-pg/cloudnative-pg@v1.30.0
# internal/webhook/v1/scheduledbackup_webhook.go, go.mod github.com/robfig/cron v1.2.0): six fields,
# SECONDS first (robfig/cron@v1.2.0 parser.go defaultParser: Second | Minute | Hour | Dom | Month |
# DowOptional | Descriptor). A five-field CronJob schedule is accepted there too, shifted one field:
# "0 2 * * *" would mean second 0, minute 2, EVERY hour. So five fields are refused here.
SIX_FIELD_DESCRIPTORS = ("@yearly", "@annually", "@monthly", "@weekly", "@daily", "@midnight", "@hourly")
# archive_timeout: PostgreSQL switches to a new WAL segment at least this often when there was
# activity, so the archive is never more than this behind (postgresql.org/docs/17/runtime-config-wal.html
# #GUC-ARCHIVE-TIMEOUT): the RPO of a loss of the whole cluster with archiving healthy.
ARCHIVE_TIMEOUT_SECONDS = 300
# A base backup of the guide's 500Gi volume may take this long after its scheduled time before the
# "no base backup" alert fires (daily schedule: 24 h + 2 h = 26 h).
BASE_BACKUP_GRACE_SECONDS = 2 * 3600


class DataComponentsInput(SettingsModel):
    """``dataComponents``: switch systems off (``pulumi config set --path dataComponents.consul false``)."""

    postgres: bool = True
    redis: bool = True
    redpanda: bool = True
    consul: bool = True


class DataInput(SettingsModel):
    postgres_storage_size: Optional[MemQ] = None
    postgres_read_replicas: Optional[Annotated[int, Field(ge=0, le=8)]] = None
    postgres_synchronous: Literal["off", "preferred", "required"]
    postgres_base_backup_schedule: Annotated[str, Field(max_length=100)]
    postgres_backup_retention_days: Annotated[int, Field(ge=1, le=365)]
    postgres_cluster: Annotated[str, Field(pattern=rf"^{CLUSTER_NAME}$")]
    postgres_recovery_source: Annotated[str, Field(pattern=rf"^({CLUSTER_NAME})?$")]
    postgres_recovery_target: Annotated[str, Field(pattern=r"^(latest|\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z)$")]
    postgres_migration: Literal["none", "import", "cutover"]
    redis_storage_size: Optional[MemQ] = None
    redis_nodes: Optional[Annotated[int, Field(ge=1, le=9)]] = None
    redpanda_brokers: Optional[Annotated[int, Field(ge=1, le=15)]] = None
    redpanda_storage_size: Optional[MemQ] = None
    consul_servers: Optional[Annotated[int, Field(ge=1, le=5)]] = None
    consul_storage_size: Optional[MemQ] = None
    data_storage_class: Annotated[str, Field(pattern=r"^([a-z0-9]([a-z0-9.-]{0,251}[a-z0-9])?)?$")] = ""
    postgres_max_connections: Optional[Annotated[int, Field(ge=20, le=20000)]] = None
    data_components: DataComponentsInput = Field(default_factory=DataComponentsInput)


@dataclass(frozen=True)
class ContainerSizing:
    """Requests/limits of one container: (millicores, bytes)."""

    cpu_request: int
    memory_request: int
    cpu_limit: int
    memory_limit: int

    def k8s(self) -> dict[str, dict[str, str]]:
        return {
            "requests": {"cpu": f"{self.cpu_request}m", "memory": str(Memory(self.memory_request))},
            "limits": {"cpu": f"{self.cpu_limit}m", "memory": str(Memory(self.memory_limit))},
        }


MI = 2**20
# Container sizes per environment. Prod sizes are ours (the guide does not size the data tier);
# dev keeps a laptop/kind cluster light.
# PostgreSQL (CloudNativePG): "postgres" is every instance's postgres container and its
# bootstrap-controller init container (cloudnative-pg/cloudnative-pg@v1.30.0 pkg/specs/pods.go,
# containers.go: both get spec.resources); "barman-sidecar" the Barman Cloud plugin's sidecar in each
# instance (ObjectStore spec.instanceSidecarConfiguration.resources); "pooler" each PgBouncer pod
# (Pooler spec.template; its bootstrap init container gets the same); "cnpg-operator" and
# "barman-plugin" the two Deployments in cnpg-system. Redis (redis-ha): "redis", "redis-sentinel",
# "redis-split-brain" and "exporter" per node, "redis-init" its config-init container, "haproxy" per
# HAProxy pod (and its config-init).
SIZES: dict[str, dict[str, ContainerSizing]] = {
    "dev": {
        "postgres": ContainerSizing(250, 512 * MI, 1000, 1 * GI),
        "barman-sidecar": ContainerSizing(50, 128 * MI, 500, 512 * MI),
        "pooler": ContainerSizing(50, 64 * MI, 500, 128 * MI),
        "cnpg-operator": ContainerSizing(50, 128 * MI, 500, 256 * MI),
        "barman-plugin": ContainerSizing(25, 64 * MI, 200, 128 * MI),
        "redis": ContainerSizing(100, 128 * MI, 500, 256 * MI),
        "redis-sentinel": ContainerSizing(50, 64 * MI, 200, 128 * MI),
        "redis-split-brain": ContainerSizing(10, 32 * MI, 100, 64 * MI),
        "redis-init": ContainerSizing(10, 32 * MI, 100, 64 * MI),
        "haproxy": ContainerSizing(50, 64 * MI, 250, 128 * MI),
        "consul": ContainerSizing(100, 200 * MI, 100, 200 * MI),  # the chart's default (requests = limits)
        "exporter": ContainerSizing(25, 32 * MI, 100, 64 * MI),
        "topic-job": ContainerSizing(100, 128 * MI, 500, 256 * MI),
        "redpanda": ContainerSizing(1000, 5 * GI // 2, 1000, 5 * GI // 2),
        "redpanda-sidecar": ContainerSizing(100, 128 * MI, 100, 128 * MI),
        "redpanda-bootstrap": ContainerSizing(100, 125 * MI, 100, 125 * MI),
    },
    "prod": {
        "postgres": ContainerSizing(2000, 8 * GI, 4000, 16 * GI),
        # barman-cloud-wal-archive compresses and uploads every segment (WAL of 20k req/s): a core at most
        "barman-sidecar": ContainerSizing(250, 256 * MI, 1000, 1 * GI),
        # PgBouncer is one process on one core (pgbouncer.org/config.html, "so_reuseport"): 1 core limit
        "pooler": ContainerSizing(500, 256 * MI, 1000, 512 * MI),
        "cnpg-operator": ContainerSizing(100, 256 * MI, 1000, 512 * MI),
        "barman-plugin": ContainerSizing(50, 64 * MI, 500, 256 * MI),
        "redis": ContainerSizing(1000, 4 * GI, 2000, 8 * GI),
        "redis-sentinel": ContainerSizing(100, 128 * MI, 250, 256 * MI),
        "redis-split-brain": ContainerSizing(10, 32 * MI, 100, 64 * MI),
        "redis-init": ContainerSizing(10, 32 * MI, 100, 64 * MI),
        "haproxy": ContainerSizing(250, 128 * MI, 1000, 256 * MI),
        "consul": ContainerSizing(500, 1 * GI, 1000, 2 * GI),
        "exporter": ContainerSizing(50, 64 * MI, 200, 128 * MI),
        "topic-job": ContainerSizing(100, 128 * MI, 500, 256 * MI),
        "redpanda": ContainerSizing(4000, 10 * GI, 4000, 10 * GI),
        "redpanda-sidecar": ContainerSizing(100, 128 * MI, 100, 128 * MI),
        "redpanda-bootstrap": ContainerSizing(100, 125 * MI, 100, 125 * MI),
    },
}
# "redpanda" is each broker, in whole cores and container memory (the chart's keys resources.cpu.cores
# and resources.memory.container, requests = limits: settings/data_workloads.py redpanda_resources).
# The chart asks for >= 2.5Gi per core and "4 cores, 10Gi or greater" for production (values.yaml
# comments at the pin, facts/versions.py). "redpanda-sidecar" is each broker's sidecar and configurator
# and the post-install Job (the chart sets no requests; our estimate); "redpanda-bootstrap" the
# chart's own size of its bootstrap-yaml-envsubst init containers (templates/_statefulset.go.tpl,
# _post-install-upgrade-job.go.tpl at the pin). Which pod runs which size: settings/data_workloads.py.


@dataclass(frozen=True)
class PoolerSizing:
    """The PgBouncer Pooler in front of the primary (transaction pooling), per environment.

    PgBouncer's settings (pgbouncer.org/config.html): ``max_client_conn`` client connections each
    pooler pod accepts; ``default_pool_size`` server connections per (user, database) pair and pod;
    ``reserve_pool_size`` extra ones for a burst; ``max_db_connections`` the cap per database and pod.
    What they admit and open together is ``PoolerLimits``.
    """

    instances: int
    max_client_conn: int
    default_pool_size: int
    reserve_pool_size: int
    max_db_connections: int


# THE one declaration of the Pooler's numbers (the Tartware side, pods x DB_POOL_MAX at maximum
# scale, must fit ``PoolerLimits.client_capacity``; its server connections plus the reserve must fit
# max_connections, the setting postgresMaxConnections: rules/connections.py, docs/budget.md
# "Database connections"). Prod: three pooler pods spread over zones, any two of them admit 20,000
# clients (the guide's budget at maximum scale with the app's own pool of 15 opens far fewer:
# docs/budget.md "Database connections"); 80 server connections per pod keep the primary's active
# backends near what its 4 cores can run (a transaction pool's server connections are busy).
POOLER_SIZES: dict[str, PoolerSizing] = {
    "dev": PoolerSizing(instances=1, max_client_conn=1000, default_pool_size=20, reserve_pool_size=5,
                        max_db_connections=30),
    "prod": PoolerSizing(instances=3, max_client_conn=10000, default_pool_size=60, reserve_pool_size=10,
                         max_db_connections=80),
}

DEFAULTS = env_defaults(DECLARED)  # input field -> (dev, prod)


# The Pooler's PodDisruptionBudget (components/platform/postgres.py, with more than one pod): a drain
# or an eviction takes at most this many pooler pods at once.
POOLER_MAX_UNAVAILABLE = 1
# The Pooler's Deployment keeps Kubernetes' default rolling update (cloudnative-pg/cloudnative-pg@v1.30.0
# pkg/specs/pgbouncer/deployments.go getDeploymentStrategy: an empty strategy unless the Pooler sets
# spec.deploymentStrategy): maxSurge 25 % rounded up, maxUnavailable 25 % rounded down
# (https://kubernetes.io/docs/concepts/workloads/controllers/deployment/#max-surge, #max-unavailable).
DEPLOYMENT_ROLLOUT_PERCENT = 25


@dataclass(frozen=True)
class PoolerLimits:
    """What the PgBouncer Pooler between the Tartware pods and PostgreSQL admits and opens, at its
    worst moment (transaction pooling, which the app supports: red2n/tartware@a2583469
    Apps/config/src/db.ts). ``DataSettings.pooler_limits`` returns one while the Pooler serves the
    app's address; the connection budget (rules/connections.py) then counts the pods' pools against
    ``client_capacity`` and ``server_connections`` (plus the reserve, the auth pools among it)
    against max_connections. PgBouncer's rules: pgbouncer/pgbouncer@pgbouncer_1_25_1 (the image
    CloudNativePG 1.30.0 runs, pkg/versions/versions.go DefaultPgbouncerImage), src/objects.c
    launch_new_connection and src/server.c pool_pool_size."""

    instances: int  # pooler pods the Deployment keeps
    max_client_conn: int  # client connections one pod accepts
    max_db_connections: int  # server connections one pod opens to one database, whatever the user
    auth_pool_size: int  # server connections one pod's auth_query pool opens (database postgres)
    source: str = "settings/data.py POOLER_SIZES"  # where the numbers are declared

    @classmethod
    def of(cls, p: PoolerSizing) -> PoolerLimits:
        # The auth_query runs in a pool of its own, (auth_user cnpg_pooler_pgbouncer, auth_dbname
        # postgres) (cloudnative-pg/cloudnative-pg@v1.30.0 pkg/management/pgbouncer/config/config.go,
        # api/v1/pooler_types.go PoolerAuthDBName; pgbouncer src/client.c start_auth_query), sized like
        # every pool: default_pool_size, reserve_pool_size after reserve_pool_timeout, and capped by
        # max_db_connections of its database. Every client login runs it (the app's user is not in the
        # auth file), so a reconnect storm can fill it.
        return cls(p.instances, p.max_client_conn, p.max_db_connections,
                   min(p.default_pool_size + p.reserve_pool_size, p.max_db_connections))

    @property
    def pods_lost(self) -> int:
        """Pods that may be down while the app connects: one (the PodDisruptionBudget), or a rollout's
        maxUnavailable if that is more; none with a single pod (no other pod could take its clients)."""
        if self.instances == 1:
            return 0
        return max(POOLER_MAX_UNAVAILABLE, self.instances * DEPLOYMENT_ROLLOUT_PERCENT // 100)

    @property
    def client_pods(self) -> int:
        return self.instances - self.pods_lost

    @property
    def server_pods(self) -> int:
        """Pods that may hold server connections at once: the instances and a rollout's surge pods
        (the old pod still holds its connections while the new one takes clients)."""
        return self.instances + -(-self.instances * DEPLOYMENT_ROLLOUT_PERCENT // 100)

    @property
    def client_capacity(self) -> int:
        """Client connections the pooler admits with ``pods_lost`` pods down."""
        return self.client_pods * self.max_client_conn

    @property
    def server_connections(self) -> int:
        """The most server connections the pooler opens to the app's database."""
        return self.server_pods * self.max_db_connections

    @property
    def auth_connections(self) -> int:
        """The most server connections the pooler's auth_query pools open (database postgres)."""
        return self.server_pods * self.auth_pool_size


@dataclass(frozen=True)
class PostgresSettings:
    """The CloudNativePG cluster's high availability, backups, recovery and migration settings."""

    synchronous: str  # off | preferred | required
    base_backup_schedule: str  # six cron fields, seconds first
    base_backup_interval_seconds: int  # the longest gap between two scheduled base backups
    backup_retention_days: int
    cluster: str  # the serving cluster's name = its serverName in the bucket
    recovery_source: str  # "" = initdb; else the serverName recovered from
    recovery_target: str  # latest | YYYY-MM-DDTHH:MM:SSZ
    migration: str  # none | import | cutover

    @property
    def pooled(self) -> bool:
        """The Pooler serves the app's address: after the move from the bitnami release (during
        import the bitnami Service holds the name, during cutover nothing does)."""
        return self.migration == "none"

    @property
    def base_backup_stale_after_seconds(self) -> int:
        return self.base_backup_interval_seconds + BASE_BACKUP_GRACE_SECONDS


@dataclass(frozen=True)
class DataSettings:
    environment: str
    postgres: bool
    redis: bool
    redpanda: bool
    consul: bool
    postgres_storage: Memory
    postgres_read_replicas: int
    redis_storage: Memory
    redis_nodes: int
    redpanda_brokers: int
    redpanda_storage: Memory
    consul_servers: int
    consul_storage: Memory
    pg: PostgresSettings
    storage_class: str = ""
    postgres_max_connections: int = 100  # max_connections of every instance (postgresMaxConnections)

    @property
    def is_prod(self) -> bool:
        return self.environment == "prod"

    @property
    def postgres_instances(self) -> int:
        return 1 + self.postgres_read_replicas

    @property
    def redis_sentinel(self) -> bool:
        return self.redis_nodes > 1

    def pooler_limits(self) -> Optional[PoolerLimits]:
        """The Pooler in front of PostgreSQL while it serves the app's address; None: the Tartware
        pods connect to PostgreSQL directly (the bitnami release during postgresMigration=import, or
        no server during cutover) or the database is not ours (the connection budget,
        rules/connections.py)."""
        return PoolerLimits.of(self.pooler) if self.postgres and self.pg.pooled else None

    @property
    def pooler(self) -> PoolerSizing:
        return POOLER_SIZES[self.environment]

    @property
    def max_connections(self) -> int:
        """PostgreSQL's max_connections: the setting postgresMaxConnections, on every instance."""
        return self.postgres_max_connections

    def size(self, container: str) -> ContainerSizing:
        return SIZES[self.environment][container]

    def memory_pool_pods(self, archiving: bool = False) -> list[tuple[str, int, int, int]]:
        """(what, count, millicores, bytes per pod) of the pods pinned to the memory pool when the
        cluster has one: PostgreSQL instances (with the backup sidecar when WAL is archived), Redis
        nodes and Redpanda brokers with their sidecars (components/platform/data_tier.py Placement;
        settings/data_workloads.py MEMORY_POOL). Consul, the pooler, the operators and the topic Job
        are not pinned."""
        return data_workloads.memory_pool_pods(data_workloads.DataWorkloads(self, archiving))

    def fixed_overhead(self, archiving: bool = False) -> tuple[int, int]:
        """(millicores, bytes) requested by every pod the data tier runs, at its configured size
        (the pods of settings/data_workloads.py): with ``archiving`` (an off-site bucket) the Barman
        Cloud plugin and its sidecars too."""
        return data_workloads.overhead(data_workloads.DataWorkloads(self, archiving))

    @property
    def cnpg_operator_replicas(self) -> int:
        """Two in prod: the operator's admission webhooks (failurePolicy Fail) keep answering while
        one restarts; its controllers elect a leader (--leader-elect)."""
        return 2 if self.is_prod else 1

    @property
    def haproxy_replicas(self) -> int:
        """HAProxy pods in front of Redis: one per Redis node, at most 3 (redis-ha haproxy.replicas)."""
        return min(3, self.redis_nodes)


def check_volume(problems, config_key: str, value: Memory) -> None:
    if not MIN_VOLUME <= value.bytes <= MAX_VOLUME:
        problems.add(key(config_key), "volume size out of range; allowed: 1Gi to 16Ti", str(value))


def resolve(inp: Any, defaults: Mapping[str, tuple[Any, Any]], is_prod: bool) -> dict[str, Any]:
    """Each field of ``defaults``: the given value, else its (dev, prod) default; sizes as Memory."""
    out = {}
    for field, pair in defaults.items():
        value = getattr(inp, field)
        if value is None:
            value = pair[1 if is_prod else 0]
            value = Memory.parse(value) if field.endswith("storage_size") else value
        out[field] = value
    return out


def components_raw(raw: Mapping[str, Any], ctx: BuildContext, setting: str,
                   components: tuple[str, ...]) -> Mapping[str, Any]:
    """``raw`` without a component switch object that is not a map (reported)."""
    value = raw.get(setting)
    if value is None or isinstance(value, dict):
        return raw
    ctx.problems.add(key(setting), f"must be a map of component to true/false; components: {', '.join(components)}",
                     value)
    return {k: v for k, v in raw.items() if k != setting}


def validate_with_components(model, raw: Mapping[str, Any], ctx: BuildContext, setting: str,
                             components: tuple[str, ...]):
    raw = components_raw(raw, ctx, setting, components)
    return validate_section(model, raw, ctx.problems,
                            lambda loc: ", ".join(components) if loc[0] == setting else "see Pulumi.yaml")


def base_backup_interval(problems, schedule: str) -> int:
    """The longest gap between two runs of a six-field ScheduledBackup schedule (seconds first), or
    a problem naming ``postgresBaseBackupSchedule``. Only a fixed second is accepted (a base backup
    more often than once a minute makes no sense); the other five fields follow the CronJob rules
    of settings/cron.py (the same day-matching logic in robfig/cron v1.2.0 spec.go dayMatches)."""
    config_key = key("postgresBaseBackupSchedule")
    if schedule in SIX_FIELD_DESCRIPTORS:
        return cron.max_interval_seconds(schedule)
    fields = schedule.split()
    if len(fields) == 5:
        problems.add(config_key, "a ScheduledBackup reads six fields, seconds first (robfig/cron v1.2.0): these "
                     f"five would mean second {fields[0]}, minute {fields[1]}, hour {fields[2]}...; allowed: six "
                     f"fields such as '0 {schedule}', or @daily", schedule)
        return 86400
    if len(fields) != 6 or not re.fullmatch(r"[0-5]?\d", fields[0]):
        problems.add(config_key, "expected six cron fields with a fixed second first, such as '0 0 3 * * *' "
                     "(03:00:00 UTC daily), or @daily/@weekly", schedule)
        return 86400
    try:
        return cron.max_interval_seconds(" ".join(fields[1:]))
    except cron.CronError as exc:
        problems.add(config_key, f"{exc}; expected six cron fields with a fixed second first, such as '0 0 3 * * *'",
                     schedule)
        return 86400


def _postgres(inp: DataInput, replicas: int, ctx: BuildContext) -> PostgresSettings:
    problems = ctx.problems
    interval = base_backup_interval(problems, inp.postgres_base_backup_schedule)
    # synchronous replication waits for a standby: preferred needs one, required two (with one, its
    # loss or restart stops every write: CloudNativePG docs "Replication", dataDurability required)
    needed = {"off": 0, "preferred": 1, "required": 2}[inp.postgres_synchronous]
    if replicas < needed:
        problems.add(key("postgresSynchronous"), f"{inp.postgres_synchronous} needs at least {needed} standby "
                     f"instance(s) (postgresReadReplicas is {replicas}); allowed: off, or more postgresReadReplicas",
                     inp.postgres_synchronous)
    source, cluster = inp.postgres_recovery_source, inp.postgres_cluster
    if source and source == cluster:
        # barman-cloud-check-wal-archive refuses to archive into a folder that already holds WAL:
        # the recovered cluster needs its own serverName (CloudNativePG docs "Recovery")
        problems.add(key("postgresRecoverySource"), f"the recovered cluster archives under its own name, so it must "
                     f"differ from the source: set postgresCluster to a new name such as '{source}-pitr1'", source)
    if not source and inp.postgres_recovery_target != "latest":
        problems.add(key("postgresRecoveryTarget"), "only used with postgresRecoverySource (the archive to recover "
                     "from)", inp.postgres_recovery_target)
    if source and inp.postgres_migration != "none":
        problems.add(key("postgresMigration"), "finish the move from the bitnami release before a point-in-time "
                     "recovery; allowed with postgresRecoverySource: none", inp.postgres_migration)
    return PostgresSettings(
        synchronous=inp.postgres_synchronous, base_backup_schedule=inp.postgres_base_backup_schedule,
        base_backup_interval_seconds=interval, backup_retention_days=inp.postgres_backup_retention_days,
        cluster=cluster, recovery_source=source, recovery_target=inp.postgres_recovery_target,
        migration=inp.postgres_migration)


def build(raw: Mapping[str, Any], ctx: BuildContext) -> Optional[DataSettings]:
    inp = validate_with_components(DataInput, raw, ctx, "dataComponents", COMPONENTS)
    if inp is None:
        return None
    env = "prod" if ctx.is_prod else "dev"
    problems = ctx.problems
    resolved = resolve(inp, DEFAULTS, ctx.is_prod)
    for field, config_key in (("postgres_storage_size", "postgresStorageSize"),
                              ("redis_storage_size", "redisStorageSize"),
                              ("redpanda_storage_size", "redpandaStorageSize"),
                              ("consul_storage_size", "consulStorageSize")):
        check_volume(problems, config_key, resolved[field])
    if resolved["redis_nodes"] == 2:
        problems.add(key("redisNodes"),
                     "Sentinel needs a majority that survives one failure; allowed: 1 (standalone) or 3-9", 2)
    if resolved["consul_servers"] not in (1, 3, 5):
        problems.add(key("consulServers"), "Raft needs an odd number of servers; allowed: 1, 3 or 5",
                     resolved["consul_servers"])
    if ctx.is_prod:
        if resolved["postgres_read_replicas"] < 2:
            problems.add(key("postgresReadReplicas"), "prod runs 3 PostgreSQL instances across zones (a failover "
                         "target left while one is down); allowed: 2-8", resolved["postgres_read_replicas"])
        if resolved["redpanda_brokers"] < 3:
            problems.add(key("redpandaBrokers"), "prod needs at least 3 brokers (replication factor 3); allowed: 3-15",
                         resolved["redpanda_brokers"])
        if resolved["consul_servers"] < 3:
            problems.add(key("consulServers"), "prod needs 3 or 5 servers to survive a node loss",
                         resolved["consul_servers"])
    c = inp.data_components
    return DataSettings(
        environment=env,
        postgres=c.postgres,
        redis=c.redis,
        redpanda=c.redpanda,
        consul=c.consul,
        postgres_storage=resolved["postgres_storage_size"],
        postgres_read_replicas=resolved["postgres_read_replicas"],
        redis_storage=resolved["redis_storage_size"],
        redis_nodes=resolved["redis_nodes"],
        redpanda_brokers=resolved["redpanda_brokers"],
        redpanda_storage=resolved["redpanda_storage_size"],
        consul_servers=resolved["consul_servers"],
        consul_storage=resolved["consul_storage_size"],
        pg=_postgres(inp, resolved["postgres_read_replicas"], ctx),
        storage_class=inp.data_storage_class,
        postgres_max_connections=resolved["postgres_max_connections"],
    )
