"""The database connection budget: what the Tartware pods may open against what the server admits.

Each service process opens one node-postgres pool (``createDbPool``, red2n/tartware@a2583469
Apps/*/src/lib/db.ts) of at most ``DB_POOL_MAX`` connections (``stacks/app_source.py`` APP_DB_POOL:
the variable and its default, read from Apps/config/src/index.ts). So the pods' demand at a scale is

    clients = sum over enabled services that use the database of pods x dbPoolMax

at minReplicas and at maxReplicas. What admits them (``server_side``):

* PostgreSQL directly: ``max_connections`` (``postgresMaxConnections``) minus ``RESERVED``, the
  connections other clients need;
* a PgBouncer pooler in front (``DataSettings.pooler_limits()``, filled by the data tier when it installs one):
  the clients count against the pooler's client limit (instances x max_client_conn), and the pooler's
  own server connections (instances x default_pool_size) against max_connections minus ``RESERVED``.

``check`` runs with the capacity check (stacks/capacity.py), before any resource is registered: a
stack whose pods at maxReplicas would open more than the server side admits is refused, naming the
settings involved. Derivation of the defaults: docs/budget.md "Database connections".
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

from .app_source import APP_DB_POOL
from .budget import Budget
from .errors import ProblemCollector, key
from .model import StackSettings

# Connections PostgreSQL must keep for clients other than the Tartware pods.
RESERVED: tuple[tuple[str, int, str], ...] = (
    ("superuser_reserved_connections", 3,
     "PostgreSQL's default, https://www.postgresql.org/docs/16/runtime-config-connection.html"),
    ("metrics exporter", 1, "the postgres_exporter sidecar (bitnami/postgresql metrics.enabled) keeps one"),
    ("backup or restore Job", 1, "pg_dump, or pg_restore --single-transaction: one connection each (ops/backup/)"),
    ("migration Job", 1, "the schema and seed step runs one psql session at a time"),
    ("operator sessions", 5, "the guide's debug pod and kubectl exec psql sessions"),
)
RESERVED_TOTAL = sum(n for _, n, _ in RESERVED)
POOL_VARIABLE = APP_DB_POOL[0]


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
    pooler_server_connections: Optional[int] = None  # what a pooler opens to PostgreSQL

    @property
    def min(self) -> int:
        return sum(s.min for s in self.services)

    @property
    def max(self) -> int:
        return sum(s.max for s in self.services)

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
            "reserved": RESERVED_TOTAL,
            **({"poolerServerConnections": self.pooler_server_connections}
               if self.pooler_server_connections is not None else {}),
            "services": {s.name: {"dbPoolMax": s.pool, "min": s.min, "max": s.max} for s in self.services},
        }


def budget(settings: StackSettings) -> ConnectionBudget:
    """The connection budget of ``settings`` (the database may be switched off: see ``check``)."""
    services = tuple(ServiceConnections(s.name, s.db_pool_max, s.min_replicas, s.max_replicas)
                     for s in Budget.of(settings.tartware.services).services if s.definition.uses_database)
    data = settings.data
    pooler = data.pooler_limits()
    if pooler is None:
        return ConnectionBudget(services, "postgres", data.postgres_max_connections - RESERVED_TOTAL,
                                f"max_connections {data.postgres_max_connections} - {RESERVED_TOTAL} reserved",
                                data.postgres_max_connections)
    return ConnectionBudget(services, "pooler", pooler.instances * pooler.max_client_conn,
                            f"pooler {pooler.instances} x max_client_conn {pooler.max_client_conn}",
                            data.postgres_max_connections, pooler.instances * pooler.default_pool_size)


def check(settings: StackSettings, problems: ProblemCollector) -> None:
    """Refuse a stack whose pods at maxReplicas would open more connections than the server side admits."""
    if not settings.data.postgres:
        return  # the database is not ours: its limit is unknown here
    b = budget(settings)
    biggest = sorted(b.services, key=lambda s: s.max, reverse=True)[:3]
    largest = ", ".join(f"{key('services', s.name, 'maxReplicas')} ({s.max_pods} x {s.pool} = {s.max})" for s in biggest)
    pools = ", ".join(str(p) for p in sorted({s.pool for s in b.services}))
    if b.max > b.limit:
        where = (f"PostgreSQL admits {b.limit} ({b.limit_text}; postgresMaxConnections)" if b.server == "postgres"
                 else f"the pooler admits {b.limit} ({b.limit_text}; "
                      f"{', '.join(settings.data.pooler_limits().settings) or 'the pooler settings'})")
        problems.add(key("dbPoolMax"),
                     f"at maxReplicas the Tartware pods' database pools open up to {b.max} connections "
                     f"(pods x {POOL_VARIABLE}), but {where}. Largest: {largest}. Lower dbPoolMax (or "
                     f"services.<name>.dbPoolMax) or the services' maxReplicas, or raise "
                     f"{'postgresMaxConnections' if b.server == 'postgres' else 'the pooler client limit'}", pools)
    server_limit = b.max_connections - RESERVED_TOTAL
    if b.pooler_server_connections is not None and b.pooler_server_connections > server_limit:
        pooler = settings.data.pooler_limits()
        problems.add(key("postgresMaxConnections"),
                     f"the pooler opens up to {b.pooler_server_connections} server connections ({pooler.instances} x "
                     f"default_pool_size {pooler.default_pool_size}), more than PostgreSQL admits: "
                     f"max_connections {b.max_connections} - {RESERVED_TOTAL} reserved = {server_limit}. Raise "
                     f"postgresMaxConnections or lower {', '.join(pooler.settings) or 'the pooler pool size'}",
                     b.max_connections)
