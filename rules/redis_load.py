"""The data tier's Redis budget: what the edge limiter and the app send to ``redis-master`` at the
guide's rate, against what one Redis master can serve and how many clients it admits.

Redis executes every command on one thread ("Redis uses a mostly single threaded design. This
means that a single process serves all the client requests", redis.io/docs/latest/operate/oss_and_stack/
management/optimization/latency/, "Single threaded nature of Redis"), so the master's capacity is one
core's second, bounded by the redis container's CPU request (``DataSettings.size("redis")``,
settings/data.py SIZES). The demand, per API request (derivation and measurements:
docs/platform.md "The data tier's Redis budget"):

* the edge limiter (envoyproxy/ratelimit, components/platform/ratelimit.py): one INCRBY and one
  EXPIRE in one pipeline (facts/ratelimit.py REDIS_COMMANDS_PER_CALL), when the per-client limit
  is on;
* the gateway's own limiter (red2n/tartware@a2583469 Apps/api-gateway/src/server.ts registers
  @fastify/rate-limit 10.3.0 (pnpm-lock.yaml) with the shared Redis client): one EVALSHA of the
  store's script per request, which runs INCR then PEXPIRE or PTTL
  (fastify/fastify-rate-limit@v10.3.0 store/RedisStore.js).

The cost of each in microseconds of Redis's thread is measured with Redis's own accounting (``INFO
commandstats`` ``usec_per_call``), not assumed. Command execution may take at most
REDIS_THREAD_SHARE of the thread: the rest is left for what commandstats does not count, reading and
writing the sockets, the append-only file's fsync every second and the replication stream.

Connections: every connection counts against Redis ``maxclients``, 10000 by default ("By default
this limit is set to 10000 clients", redis/redis@7.0.15 redis.conf, section CLIENTS; the redis-ha
values set no ``maxclients`` for Redis, components/platform/data.py redis_values). HAProxy in front
opens one server connection per client connection (mode tcp, DandyDeveloper/charts@redis-ha-4.39.0
templates/_configs.tpl ``haproxy.cfg``), so the master sees every client's. The limiter opens
REDIS_POOL_SIZE per pod up to its HPA ceiling; each Tartware process one (ioredis holds one
connection per client, and the app creates one shared client per process where it uses Redis:
Apps/api-gateway/src/lib/redis.ts, Apps/core-service/src/lib/redis.ts). Every service that gets
Redis's address (catalog ``uses_redis``) is counted with one per pod at maxReplicas: an upper bound.

``check`` runs with the other cross-section rules, before any resource is registered: in prod a
stack whose Redis load at the headroom rate exceeds the budget, or whose clients at max scale exceed
maxclients, is refused, naming the settings that change it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from facts import ratelimit
from .budget import Budget
from settings.errors import ProblemCollector, key
from settings.model import StackSettings

# Microseconds of Redis's thread per command (INFO commandstats usec_per_call), measured with Debian's
# redis-server 7.0.15 and redis-benchmark on a 2-core machine (docs/platform.md "The data tier's
# Redis budget"): INCRBY 0.97 and EXPIRE 1.14 (an earlier run: 1.3 each); the limiter's pipeline is
# budgeted at the highest of these per command.
MICROSECONDS_PER_COMMAND = 1.3
# ... and one EVALSHA of a script that runs INCR then PTTL or PEXPIRE, as @fastify/rate-limit's
# store does: 4.85, its inner calls included; budgeted at 5.
MICROSECONDS_PER_GATEWAY_LIMIT = 5.0
REDIS_THREAD_SHARE = 50  # % of the thread's second command execution may take (see the docstring)
REDIS_MAX_CLIENTS = 10000  # redis/redis@7.0.15 redis.conf "maxclients 10000" (the default)
APP_CONNECTIONS_PER_PROCESS = 1  # one shared ioredis client per process (Apps/*/src/lib/redis.ts)
GATEWAY = "api-gateway"


@dataclass(frozen=True)
class RedisBudget:
    """redis-master's load at the guide's rate (and the headroom rate), against its capacity."""

    limiter: bool  # the edge limiter runs and uses redis-master
    gateway_limit: bool  # the gateway's @fastify/rate-limit uses redis-master
    cpu_request_millicores: int  # the redis container's request
    limiter_connections: int  # ratelimit maxReplicas x REDIS_POOL_SIZE
    app_connections: dict[str, int]  # service -> pods at maxReplicas x connections per process
    others: int  # replicas and exporters: one connection each per Redis node

    def commands_per_second(self, rate: int) -> dict[str, int]:
        out = {}
        if self.limiter:
            out["ratelimit"] = ratelimit.redis_commands_per_second(rate)
        if self.gateway_limit:
            out[GATEWAY] = rate  # one EVALSHA per request
        return out

    def thread_milliseconds(self, rate: int) -> float:
        """Milliseconds of Redis's thread per second spent executing the commands at ``rate``."""
        used = 0.0
        if self.limiter:
            used += ratelimit.redis_commands_per_second(rate) * MICROSECONDS_PER_COMMAND
        if self.gateway_limit:
            used += rate * MICROSECONDS_PER_GATEWAY_LIMIT
        return used / 1000

    @property
    def thread_budget_milliseconds(self) -> float:
        """The share of one core (at most the container's CPU request) commands may take."""
        return min(1000, self.cpu_request_millicores) * REDIS_THREAD_SHARE / 100

    @property
    def connections(self) -> int:
        return self.limiter_connections + sum(self.app_connections.values()) + self.others

    def problems(self, edge_rate_limit: int) -> list[tuple[str, str, Any]]:
        """(key, message, value) for a Redis master over its thread budget at the headroom rate, or over
        maxclients at max scale."""
        found: list[tuple[str, str, Any]] = []
        rate = ratelimit.HEADROOM_RATE
        used, room = self.thread_milliseconds(rate), self.thread_budget_milliseconds
        if used > room:
            per = ", ".join(f"{who} {n:,}/s" for who, n in self.commands_per_second(rate).items())
            found.append(("edgeRateLimit",
                          f"at {rate:,} req/s the limiters send redis-master {per}: {used:.0f} ms of its one thread "
                          f"per second, above {REDIS_THREAD_SHARE} % of the redis container's "
                          f"{self.cpu_request_millicores}m request ({room:.0f} ms; docs/platform.md \"The data tier's "
                          "Redis budget\"); allowed: edgeRateLimit 0 (no edge limiter), or a larger redis CPU request",
                          edge_rate_limit))
        if self.connections > REDIS_MAX_CLIENTS:
            biggest = sorted(self.app_connections.items(), key=lambda kv: kv[1], reverse=True)[:3]
            largest = ", ".join(f"{key('services', n, 'maxReplicas')} ({c})" for n, c in biggest)
            found.append(("services",
                          f"at max scale redis-master would hold {self.connections} client connections (ratelimit "
                          f"{self.limiter_connections}, the Tartware pods {sum(self.app_connections.values())}, "
                          f"replicas and exporters {self.others}), above Redis maxclients {REDIS_MAX_CLIENTS} "
                          f"(redis.conf default). Largest: {largest}; allowed: maxReplicas that keep the total at or "
                          f"below {REDIS_MAX_CLIENTS}", self.connections))
        return found

    def as_output(self) -> dict:
        """The plan's ``redis`` (tools/plan.py)."""
        return {
            "commandsPerSecondAtGuideRate": self.commands_per_second(ratelimit.GUIDE_RATE),
            "commandsPerSecondAtHeadroomRate": self.commands_per_second(ratelimit.HEADROOM_RATE),
            "threadMillisecondsAtGuideRate": round(self.thread_milliseconds(ratelimit.GUIDE_RATE), 1),
            "threadMillisecondsAtHeadroomRate": round(self.thread_milliseconds(ratelimit.HEADROOM_RATE), 1),
            "threadBudgetMilliseconds": self.thread_budget_milliseconds,
            "cpuRequestMillicores": self.cpu_request_millicores,
            "connectionsAtMax": self.connections,
            "connectionsFrom": {"ratelimit": self.limiter_connections, **self.app_connections,
                                "replicas+exporters": self.others},
            "maxClients": REDIS_MAX_CLIENTS,
        }


def budget(settings: StackSettings) -> RedisBudget:
    """The Redis budget of ``settings`` (the data tier's Redis may be off: see ``check``)."""
    p, data = settings.platform, settings.data
    limiter = bool(p.istio and p.edge_rate_limit)
    services = [s for s in Budget.of(settings.tartware.services).services if s.definition.uses_redis]
    return RedisBudget(
        limiter=limiter,
        gateway_limit=any(s.name == GATEWAY for s in services),
        cpu_request_millicores=data.size("redis").cpu_request,
        limiter_connections=p.ratelimit_max_replicas() * ratelimit.REDIS_POOL_SIZE if limiter else 0,
        app_connections={s.name: s.max_replicas * APP_CONNECTIONS_PER_PROCESS for s in services},
        others=2 * data.redis_nodes,
    )


def check(settings: StackSettings, problems: ProblemCollector) -> None:
    """In prod (the stack that carries the guide's rate), refuse a Redis master that cannot take the
    limiters' commands at the headroom rate, or more clients at max scale than maxclients."""
    if not settings.data.redis or not settings.data.is_prod:
        return
    for name, message, value in budget(settings).problems(settings.platform.edge_rate_limit):
        problems.add(key(name), message, value)
