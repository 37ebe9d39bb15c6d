"""Data-tier settings: which stateful systems to install, their replica counts and volume sizes.

The data area. Every size and count has an environment default computed in
``build()`` when the key is unset (dev: one small instance each; prod: HA).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any, Mapping, Optional

from pydantic import Field

from .errors import key
from .quantities import Memory
from .schema import BuildContext, MemQ, Setting, SettingsModel, hint, validate_section

NAME = "data"

COMPONENTS = ("postgres", "redis", "redpanda", "consul")
GI = 2**30
# Accepted range of every data-tier volume: 1Gi (a dev toy) .. 16Ti (the EBS gp3 maximum).
MIN_VOLUME = 1 * GI
MAX_VOLUME = 16 * 1024 * GI

DECLARED: tuple[Setting, ...] = (
    Setting("postgresStorageSize", "string", "PVC size of the PostgreSQL primary and each read replica (1Gi-16Ti). Unset: 8Gi in dev, 500Gi in prod."),
    Setting("postgresReadReplicas", "integer", "PostgreSQL streaming read replicas (0-10); 0 = standalone. Unset: 0 in dev, 2 in prod."),
    Setting("redisStorageSize", "string", "PVC size of each Redis node (1Gi-16Ti). Unset: 2Gi in dev, 16Gi in prod."),
    Setting("redisNodes", "integer", "Redis nodes: 1 = standalone, 3-9 = replication with Sentinel. Unset: 1 in dev, 3 in prod."),
    Setting("redpandaBrokers", "integer", "Redpanda brokers (1-15; at least 3 in prod). Unset: 1 in dev, 3 in prod."),
    Setting("redpandaStorageSize", "string", "PVC size of each Redpanda broker (1Gi-16Ti). Unset: 10Gi in dev, 200Gi in prod."),
    Setting("consulServers", "integer", "Consul servers: 1, 3 or 5 (at least 3 in prod). Unset: 1 in dev, 3 in prod."),
    Setting("consulStorageSize", "string", "PVC size of each Consul server (1Gi-16Ti). Unset: 1Gi in dev, 10Gi in prod."),
    Setting("dataStorageClass", "string", "StorageClass of every data-tier PVC; empty = the cluster's default class.", ""),
    Setting("postgresMaxConnections", "integer", "PostgreSQL max_connections (20-20000), on the primary and every "
            "read replica. The Tartware pods' pools must fit in it at max scale (docs/budget.md). Unset: 200 in dev, "
            "1000 in prod."),
)
OBJECT_SETTINGS: tuple[str, ...] = ("dataComponents",)

hint("dataStorageClass", "a lower-case StorageClass name such as 'gp3', or empty for the cluster default")


class DataComponentsInput(SettingsModel):
    """``dataComponents``: switch systems off (``pulumi config set --path dataComponents.consul false``)."""

    postgres: bool = True
    redis: bool = True
    redpanda: bool = True
    consul: bool = True


class DataInput(SettingsModel):
    postgres_storage_size: Optional[MemQ] = None
    postgres_read_replicas: Optional[Annotated[int, Field(ge=0, le=10)]] = None
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
class Sizing:
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
SIZES: dict[str, dict[str, Sizing]] = {
    "dev": {
        "postgres": Sizing(250, 512 * MI, 1000, 1 * GI),
        "redis": Sizing(100, 128 * MI, 500, 256 * MI),
        "redis-sentinel": Sizing(50, 64 * MI, 200, 128 * MI),
        "consul": Sizing(100, 200 * MI, 100, 200 * MI),  # the chart's default (requests = limits)
        "exporter": Sizing(25, 32 * MI, 100, 64 * MI),
        "kubectl": Sizing(10, 32 * MI, 100, 64 * MI),
        "topic-job": Sizing(100, 128 * MI, 500, 256 * MI),
    },
    "prod": {
        "postgres": Sizing(2000, 8 * GI, 4000, 16 * GI),
        "redis": Sizing(1000, 4 * GI, 2000, 8 * GI),
        "redis-sentinel": Sizing(100, 128 * MI, 250, 256 * MI),
        "consul": Sizing(500, 1 * GI, 1000, 2 * GI),
        "exporter": Sizing(50, 64 * MI, 200, 128 * MI),
        "kubectl": Sizing(10, 32 * MI, 100, 64 * MI),
        "topic-job": Sizing(100, 128 * MI, 500, 256 * MI),
    },
}
# Redpanda sizes by whole cores and container memory (chart keys resources.cpu.cores and
# resources.memory.container.max; requests = limits). The chart asks for >= 2.5Gi per core and
# "4 cores, 10Gi or greater" for production (values.yaml comments at 25.3.2).
REDPANDA_CORES = {"dev": 1, "prod": 4}
REDPANDA_MEMORY = {"dev": 5 * GI // 2, "prod": 10 * GI}
# Sidecar + configurator containers of each broker pod (chart sets no requests; our estimate).
REDPANDA_SIDECAR = Sizing(100, 128 * MI, 100, 128 * MI)

DEFAULTS = {
    # key: (dev, prod)
    "postgres_storage_size": (8 * GI, 500 * GI),  # platform README: "3 replicas, 500GB"
    "postgres_read_replicas": (0, 2),
    "redis_storage_size": (2 * GI, 16 * GI),
    "redis_nodes": (1, 3),
    "redpanda_brokers": (1, 3),
    "redpanda_storage_size": (10 * GI, 200 * GI),
    "consul_servers": (1, 3),
    "consul_storage_size": (1 * GI, 10 * GI),
    # What the pods' pools need at max scale, with room (docs/budget.md "Database connections");
    # PostgreSQL's own default is 100 (https://www.postgresql.org/docs/16/runtime-config-connection.html).
    "postgres_max_connections": (200, 1000),
}


@dataclass(frozen=True)
class PoolerLimits:
    """A PgBouncer pooler between the Tartware pods and PostgreSQL (transaction pooling, which the
    app supports: red2n/tartware@a2583469 Apps/config/src/db.ts). The data tier returns one from
    ``DataSettings.pooler_limits`` when it installs a pooler; the connection budget (stacks/connections.py) then counts the pods' pools against
    the pooler's client limit, and the pooler's server connections against max_connections.
    https://www.pgbouncer.org/config.html: max_client_conn, default_pool_size."""

    instances: int  # pooler pods behind the app's database address
    max_client_conn: int  # client connections one instance accepts
    default_pool_size: int  # server connections one instance opens (one database/user pair: tartware)
    settings: tuple[str, ...] = ()  # the config keys that size it, named when the budget does not fit


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
    storage_class: str = ""
    postgres_max_connections: int = 100  # max_connections of the primary and the read replicas

    @property
    def is_prod(self) -> bool:
        return self.environment == "prod"

    @property
    def redis_sentinel(self) -> bool:
        return self.redis_nodes > 1

    def pooler_limits(self) -> Optional[PoolerLimits]:
        """The PgBouncer pooler in front of PostgreSQL, if the data tier installs one; None: the
        Tartware pods connect to PostgreSQL directly (the connection budget, stacks/connections.py)."""
        return None

    def size(self, container: str) -> Sizing:
        return SIZES[self.environment][container]

    def memory_pool_pods(self) -> list[tuple[str, int, int, int]]:
        """(what, count, millicores, bytes per pod) of the pods pinned to the memory pool when the
        cluster has one: PostgreSQL, Redis and Redpanda server pods with their sidecars
        (components/platform/data.py Placement). Consul and the topic Job are not pinned."""
        pods = []
        if self.postgres:
            pg, ex = self.size("postgres"), self.size("exporter")
            pods.append(("postgres", 1 + self.postgres_read_replicas, pg.cpu_request + ex.cpu_request,
                         pg.memory_request + ex.memory_request))
        if self.redis:
            cpu = self.size("redis").cpu_request + self.size("exporter").cpu_request
            mem = self.size("redis").memory_request + self.size("exporter").memory_request
            if self.redis_sentinel:
                for extra in ("redis-sentinel", "kubectl"):
                    cpu += self.size(extra).cpu_request
                    mem += self.size(extra).memory_request
            pods.append(("redis", self.redis_nodes, cpu, mem))
        if self.redpanda:
            env = self.environment
            pods.append(("redpanda", self.redpanda_brokers, REDPANDA_CORES[env] * 1000 + REDPANDA_SIDECAR.cpu_request,
                         REDPANDA_MEMORY[env] + REDPANDA_SIDECAR.memory_request))
        return pods

    def fixed_overhead(self) -> tuple[int, int]:
        """(millicores, bytes) requested by every pod the data tier installs, at its configured size."""
        cpu = mem = 0

        def add(sizing: Sizing, count: int = 1) -> None:
            nonlocal cpu, mem
            cpu += sizing.cpu_request * count
            mem += sizing.memory_request * count

        if self.postgres:
            pods = 1 + self.postgres_read_replicas
            add(self.size("postgres"), pods)
            add(self.size("exporter"), pods)
        if self.redis:
            add(self.size("redis"), self.redis_nodes)
            add(self.size("exporter"), self.redis_nodes)
            if self.redis_sentinel:
                add(self.size("redis-sentinel"), self.redis_nodes)
                add(self.size("kubectl"), self.redis_nodes)
        if self.redpanda:
            env = self.environment
            add(Sizing(REDPANDA_CORES[env] * 1000, REDPANDA_MEMORY[env], 0, 0), self.redpanda_brokers)
            add(REDPANDA_SIDECAR, self.redpanda_brokers)
            add(self.size("topic-job"))
        if self.consul:
            add(self.size("consul"), self.consul_servers)
        return cpu, mem


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
            value = Memory(value) if field.endswith("storage_size") else value
        out[field] = value
    return out


def components_raw(raw: Mapping[str, Any], ctx: BuildContext, setting: str, components: tuple[str, ...]) -> Mapping[str, Any]:
    """``raw`` without a component switch object that is not a map (reported)."""
    value = raw.get(setting)
    if value is None or isinstance(value, dict):
        return raw
    ctx.problems.add(key(setting), f"must be a map of component to true/false; components: {', '.join(components)}", value)
    return {k: v for k, v in raw.items() if k != setting}


def validate_with_components(model, raw: Mapping[str, Any], ctx: BuildContext, setting: str, components: tuple[str, ...]):
    raw = components_raw(raw, ctx, setting, components)
    return validate_section(model, raw, ctx.problems,
                            lambda loc: ", ".join(components) if loc[0] == setting else "see Pulumi.yaml")


def build(raw: Mapping[str, Any], ctx: BuildContext) -> Optional[DataSettings]:
    inp = validate_with_components(DataInput, raw, ctx, "dataComponents", COMPONENTS)
    if inp is None:
        return None
    env = "prod" if ctx.is_prod else "dev"
    problems = ctx.problems
    resolved = resolve(inp, DEFAULTS, ctx.is_prod)
    for field, config_key in (("postgres_storage_size", "postgresStorageSize"), ("redis_storage_size", "redisStorageSize"),
                              ("redpanda_storage_size", "redpandaStorageSize"), ("consul_storage_size", "consulStorageSize")):
        check_volume(problems, config_key, resolved[field])
    if resolved["redis_nodes"] == 2:
        problems.add(key("redisNodes"), "Sentinel needs a majority that survives one failure; allowed: 1 (standalone) or 3-9", 2)
    if resolved["consul_servers"] not in (1, 3, 5):
        problems.add(key("consulServers"), "Raft needs an odd number of servers; allowed: 1, 3 or 5", resolved["consul_servers"])
    if ctx.is_prod:
        if resolved["redpanda_brokers"] < 3:
            problems.add(key("redpandaBrokers"), "prod needs at least 3 brokers (replication factor 3); allowed: 3-15",
                         resolved["redpanda_brokers"])
        if resolved["consul_servers"] < 3:
            problems.add(key("consulServers"), "prod needs 3 or 5 servers to survive a node loss", resolved["consul_servers"])
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
        storage_class=inp.data_storage_class,
        postgres_max_connections=resolved["postgres_max_connections"],
    )
