"""The database connection budget: what the Tartware pods may open against what the server admits.

Each service process opens one node-postgres pool (``createDbPool``, red2n/tartware@a2583469
Apps/*/src/lib/db.ts) of at most ``DB_POOL_MAX`` connections (``facts/app_source.py`` APP_DB_POOL:
the variable and its default, read from Apps/config/src/index.ts). So the pods' demand at a scale is

    clients = sum over enabled services that use the database of pods x dbPoolMax

at minReplicas and at maxReplicas. What admits them (``server_side``):

* the CloudNativePG Pooler (PgBouncer, ``DataSettings.pooler_limits()``), which serves the app's
  address once a stack has moved from the bitnami release: the clients count against the pooler's
  client limit with one pooler pod down (``PoolerLimits.client_capacity``), and the pooler's own server
  connections (``PoolerLimits.server_connections``) plus the ``reserved`` ones, its auth_query pools
  among them, against PostgreSQL's ``max_connections`` (``postgresMaxConnections``);
* PostgreSQL directly, while there is no Pooler (``postgresMigration`` import or cutover):
  ``max_connections`` minus the ``reserved`` connections.

``check`` runs with the capacity check (rules/capacity.py), before any resource is registered: a
stack whose pods at maxReplicas would open more than the server side admits, or whose pooler and
reserve would not fit max_connections, is refused, naming the settings involved. Derivation of the
numbers: docs/budget.md "Database connections".
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

from facts import catalog
from facts.app_source import APP_DB_POOL
from .budget import Budget
from settings.data import DataSettings
from settings.errors import ProblemCollector, key
from settings.model import StackSettings

POOL_VARIABLE, APP_POOL_DEFAULT, APP_POOL_SOURCE = APP_DB_POOL

# One database/sql pool of CloudNativePG's instance manager holds at most this many connections
# (cloudnative-pg/cloudnative-pg@v1.30.0 pkg/management/postgres/pool/pool.go newConnection:
# SetMaxOpenConns(3)); it keeps one pool per database it connects to.
CNPG_POOL_MAX = 3
# The databases each pool connects to, besides the app's: the instance manager (user postgres) visits
# every database that allows connections, template1 included (internal/management/controller/
# instance_controller.go reconcileDatabases, getAllAccessibleDatabases "datallowconn"); the metrics
# exporter (user cnpg_metrics_exporter) runs the default query on every non-template database
# (pkg/management/postgres/webserver/metricserver/pg_collector.go DefaultQueries target_databases
# "*", pkg/management/postgres/metrics/collector.go getAllAccessibleDatabases).
CNPG_MANAGER_DATABASES = ("postgres", "template1")
CNPG_METRICS_DATABASES = ("postgres",)
APP_DATABASES = 1  # tartware (facts/endpoints.py DATABASE_NAME)

Reserve = tuple[str, int, str]  # (who, connections, source)


def reserved(settings: StackSettings) -> tuple[Reserve, ...]:
    """The connections PostgreSQL must keep for clients other than the Tartware pods, on the server
    the app uses: the CloudNativePG primary, or the bitnami release while the cluster imports from it
    (postgresMigration=import). Replication is not among them: WAL senders count against
    max_wal_senders, not max_connections (https://www.postgresql.org/docs/17/runtime-config-replication.html)."""
    d = settings.data
    common: tuple[Reserve, ...] = (
        ("superuser_reserved_connections", 3,
         "PostgreSQL's default, https://www.postgresql.org/docs/17/runtime-config-connection.html (CloudNativePG "
         "leaves it)"),
    )
    people: tuple[Reserve, ...] = (
        ("migration Job", 1, "the schema and seed step runs one psql session at a time"),
        ("operator sessions", 5, "the guide's debug pod and kubectl exec psql sessions"),
    )
    if d.pg.migration == "import":
        return common + (
            ("metrics exporter", 1, "the postgres_exporter sidecar (bitnami/postgresql metrics.enabled) keeps one"),
            ("the cluster's import", 1, "pg_dump -Fd without --jobs: one connection (cloudnative-pg/cloudnative-pg@"
             "v1.30.0 pkg/management/postgres/logicalimport/database.go)"),
        ) + people
    standbys = d.postgres_read_replicas
    out = common + (
        ("CloudNativePG instance manager", CNPG_POOL_MAX * (len(CNPG_MANAGER_DATABASES) + APP_DATABASES),
         f"{CNPG_POOL_MAX} per database (postgres, template1, the app's): cloudnative-pg/cloudnative-pg@v1.30.0 "
         "pkg/management/postgres/pool/pool.go, internal/management/controller/instance_controller.go"),
        ("CloudNativePG metrics exporter", CNPG_POOL_MAX * (len(CNPG_METRICS_DATABASES) + APP_DATABASES),
         f"{CNPG_POOL_MAX} per non-template database: pkg/management/postgres/metrics/collector.go"),
    )
    if standbys:
        out += (("standbys' replication slot sync", CNPG_POOL_MAX * standbys,
                 f"{CNPG_POOL_MAX} per standby to the primary's postgres database (replicationSlots.highAvailability, "
                 "on by default): internal/management/controller/slots/runner/runner.go, api/v1/cluster_types.go"),)
    if settings.ops.offsite is not None:
        out += (("base backup", 1, "barman-cloud-backup holds one connection (barman 3.19.1 barman/clients/"
                 "cloud_backup.py, the plugin's sidecar: plugin-barman-cloud@v0.13.0); a standby's when there is one"),)
    pooler = d.pooler_limits()
    if pooler is not None:
        out += (("pooler auth_query pools", pooler.auth_connections,
                 f"{pooler.server_pods} pooler pods x {pooler.auth_pool_size} (auth_user cnpg_pooler_pgbouncer on "
                 "database postgres: cloudnative-pg/cloudnative-pg@v1.30.0 "
                 "pkg/management/pgbouncer/config/config.go)"),)
    out += (("backup or restore Job", 1, "pg_dump, or pg_restore --single-transaction: one connection each "
             "(ops/backup/)"),)
    return out + people


def default_pool(environment: str, data: Optional[DataSettings]) -> int:
    """DB_POOL_MAX of a service that sets none: the app's own default behind the Pooler, whose client
    connections cost the server nothing; ``catalog.DB_POOL_MAX`` when the pods reach PostgreSQL
    directly (docs/budget.md "Database connections")."""
    if data is not None and data.pooler_limits() is not None:
        return APP_POOL_DEFAULT
    return catalog.DB_POOL_MAX[environment]


@dataclass(frozen=True)
class ServiceConnections:
    name: str
    pool: int  # dbPoolMax of its pods
    min_pods: int
    max_pods: int

    @property
    def min(self) -> int:
        return self.min_pods * self.pool

    @property
    def max(self) -> int:
        return self.max_pods * self.pool


@dataclass(frozen=True)
class ConnectionBudget:
    services: tuple[ServiceConnections, ...]
    server: str  # "postgres" or "pooler"
    limit: int  # client connections the server side admits
    limit_text: str  # how ``limit`` is made up
    max_connections: int  # PostgreSQL's
    reserved: tuple[Reserve, ...]
    pooler_server_connections: Optional[int] = None  # what the pooler opens to the app's database

    @property
    def min(self) -> int:
        return sum(s.min for s in self.services)

    @property
    def max(self) -> int:
        return sum(s.max for s in self.services)

    @property
    def reserved_total(self) -> int:
        return sum(n for _, n, _ in self.reserved)

    @property
    def server_side(self) -> int:
        """What PostgreSQL must hold at worst besides the pods (direct) or instead of them (pooler)."""
        return (self.pooler_server_connections or 0) + self.reserved_total

    def as_output(self) -> dict:
        """The plan's ``connections`` (tools/plan.py)."""
        return {
            "variable": POOL_VARIABLE,
            "min": self.min,
            "max": self.max,
            "server": self.server,
            "limit": self.limit,
            "limitText": self.limit_text,
            "maxConnections": self.max_connections,
            "reserved": self.reserved_total,
            "reservedFor": {who: n for who, n, _ in self.reserved},
            **({"poolerServerConnections": self.pooler_server_connections}
               if self.pooler_server_connections is not None else {}),
            "services": {s.name: {"dbPoolMax": s.pool, "min": s.min, "max": s.max} for s in self.services},
        }


def budget(settings: StackSettings) -> ConnectionBudget:
    """The connection budget of ``settings`` (the database may be switched off: see ``check``)."""
    services = tuple(ServiceConnections(s.name, s.db_pool_max, s.min_replicas, s.max_replicas)
                     for s in Budget.of(settings.tartware.services).services if s.definition.uses_database)
    data = settings.data
    reserve = reserved(settings)
    total = sum(n for _, n, _ in reserve)
    pooler = data.pooler_limits()
    if pooler is None:
        return ConnectionBudget(services, "postgres", data.max_connections - total,
                                f"max_connections {data.max_connections} - {total} reserved",
                                data.max_connections, reserve)
    return ConnectionBudget(services, "pooler", pooler.client_capacity,
                            f"pooler {pooler.client_pods} of {pooler.instances} pods x max_client_conn "
                            f"{pooler.max_client_conn}", data.max_connections, reserve, pooler.server_connections)


def check(settings: StackSettings, problems: ProblemCollector) -> None:
    """Refuse a stack whose pods at maxReplicas would open more connections than the server side
    admits, or whose pooler and reserve would not fit max_connections."""
    if not settings.data.postgres:
        return  # the database is not ours: its limit is unknown here
    b = budget(settings)
    pooler = settings.data.pooler_limits()
    biggest = sorted(b.services, key=lambda s: s.max, reverse=True)[:3]
    largest = ", ".join(f"{key('services', s.name, 'maxReplicas')} ({s.max_pods} x {s.pool} = {s.max})"
                        for s in biggest)
    pools = ", ".join(str(p) for p in sorted({s.pool for s in b.services}))
    if b.max > b.limit:
        where = (f"PostgreSQL admits {b.limit} ({b.limit_text}; postgresMaxConnections)" if pooler is None
                 else f"the pooler admits {b.limit} ({b.limit_text}; {pooler.source})")
        problems.add(key("dbPoolMax"),
                     f"at maxReplicas the Tartware pods' database pools open up to {b.max} connections "
                     f"(pods x {POOL_VARIABLE}), but {where}. Largest: {largest}. Lower dbPoolMax (or "
                     f"services.<name>.dbPoolMax) or the services' maxReplicas, or raise "
                     f"{'postgresMaxConnections' if pooler is None else 'the pooler client limit'}", pools)
    if pooler is not None and b.server_side > b.max_connections:
        problems.add(key("postgresMaxConnections"),
                     f"the pooler opens up to {b.pooler_server_connections} server connections ({pooler.server_pods} "
                     f"pods, a rollout's surge included, x max_db_connections {pooler.max_db_connections}) and "
                     f"{b.reserved_total} more are reserved (its auth_query pools, CloudNativePG's own, backups, "
                     f"people): {b.server_side}, more than max_connections {b.max_connections}. Raise "
                     f"postgresMaxConnections to at least {b.server_side}, or lower the pooler's sizes "
                     f"({pooler.source})", b.max_connections)
