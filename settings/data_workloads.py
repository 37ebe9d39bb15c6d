"""The pods the data tier runs, declared once (the vocabulary: settings/workloads.py).

Every workload of the data tier's Helm releases (the CloudNativePG operator and the Barman Cloud
plugin, the bitnami PostgreSQL release while a stack moves from it, redis-ha, Redpanda, Consul), of the
custom resources the CloudNativePG operator turns into pods (the ``Cluster``'s instances and bootstrap
Job, the ``Pooler``'s Deployment), and the topic Job the program registers itself: its containers
(each one's size in settings/data.py ``SIZES`` and where the values set its resources), its replica
count and where the values set it, and the settings that run it. From this table come

* the resources and replica counts in the charts' values (``release_values`` / ``with_workloads``,
  merged by the values functions of components/platform/data_tier.py and postgres.py), and the sizes
  and counts the program writes into the specs it registers itself (``container_size``, ``count``:
  the Cluster, the Pooler, the ObjectStore's sidecar, the topic Job; ``postgres_args``);
* what the capacity check adds for the data tier (``DataSettings.fixed_overhead``) and the pods it
  pins to the memory pool (``DataSettings.memory_pool_pods``).

tools/conformance/workloads.py checks the table against the render: the charts at their pins, the
operator's pods as tools/cnpg.py builds them from CloudNativePG's source, the program's own objects.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol

from facts.endpoints import (
    CACHE_NAMESPACE,
    CNPG_NAMESPACE,
    CONSUL_NAMESPACE,
    DATABASE_NAMESPACE,
    MESSAGING_NAMESPACE,
    POOLER_NAME,
    POSTGRES_RELEASE,
    REDIS_RELEASE,
    REDPANDA_RELEASE,
    CONSUL_RELEASE,
)
from settings.quantities import Memory

from . import workloads
from .workloads import Container, Release, Sizing

CNPG_RELEASE = "cnpg"  # the chart README's release name; Deployment cnpg-cloudnative-pg
PLUGIN_RELEASE = "plugin-barman-cloud"  # the chart README's release name
# the origins of what the operator and the program add to a render (tools/cnpg.py OPERATOR,
# tools/system.py PROGRAM)
OPERATOR_ORIGIN = "operator:cloudnative-pg"
PROGRAM_ORIGIN = "program"
NAMESPACES = (DATABASE_NAMESPACE, CNPG_NAMESPACE, CACHE_NAMESPACE, MESSAGING_NAMESPACE, CONSUL_NAMESPACE)
TABLE = "settings/data_workloads.py"


@dataclass(frozen=True)
class Workload(workloads.Workload):
    """A workload of settings/workloads.py; ``reserve``: a run-to-completion pod the capacity check
    still makes room for (the topic Job runs again at every change of the topic list)."""

    reserve: bool = False

    @property
    def long_running(self) -> bool:
        return self.kind != "Job" or self.reserve


def redpanda_resources(size: Sizing) -> dict[str, Any]:
    """The redpanda chart's own resources format (charts/redpanda/chart/values.yaml at the pin):
    whole cores (``resources.cpu.cores``) and the container's memory (``resources.memory.container``),
    from which the chart writes requests = limits (rendered: the table's check)."""
    cores, rest = divmod(size.cpu_request, 1000)
    if rest:
        raise ValueError(f"the redpanda chart sizes a broker in whole cores, not {size.cpu_request}m")
    memory = str(Memory(size.memory_request))
    return {"cpu": {"cores": cores}, "memory": {"container": {"min": memory, "max": memory}}}


class Data(Protocol):
    """What the table reads of settings/data.py ``DataSettings`` (it may not import that module, which
    imports this one)."""

    @property
    def is_prod(self) -> bool: ...

    def size(self, container: str) -> Sizing: ...

    @property
    def postgres(self) -> bool: ...

    @property
    def redis(self) -> bool: ...

    @property
    def redpanda(self) -> bool: ...

    @property
    def consul(self) -> bool: ...

    @property
    def redis_nodes(self) -> int: ...

    @property
    def redpanda_brokers(self) -> int: ...

    @property
    def consul_servers(self) -> int: ...

    @property
    def postgres_read_replicas(self) -> int: ...

    @property
    def postgres_instances(self) -> int: ...

    @property
    def cnpg_operator_replicas(self) -> int: ...

    @property
    def haproxy_replicas(self) -> int: ...

    @property
    def pg(self) -> Any: ...

    @property
    def pooler(self) -> Any: ...


@dataclass(frozen=True)
class DataWorkloads:
    """The data settings as the table reads them: flags, counts and name parts by name."""

    data: Data
    archive: bool = False  # WAL archived to an off-site bucket (the Barman Cloud plugin and sidecars)

    @property
    def is_prod(self) -> bool:
        return self.data.is_prod

    def size(self, container: str) -> Sizing:
        return self.data.size(container)

    # which releases and workloads run
    @property
    def postgres(self) -> bool:
        return self.data.postgres

    @property
    def archiving(self) -> bool:
        return self.data.postgres and self.archive

    @property
    def importing(self) -> bool:
        """The bitnami release runs beside the new cluster while it imports (postgresMigration=import)."""
        return self.data.postgres and self.data.pg.migration == "import"

    @property
    def replicating(self) -> bool:
        """The bitnami release's architecture: replication with read replicas, else standalone
        (components/platform/data_tier.py bitnami_postgres_values)."""
        return self.data.postgres_read_replicas > 0

    @property
    def pooled(self) -> bool:
        """The Pooler takes the bitnami Service's name after the move (PostgresSettings.pooled)."""
        return self.data.pg.pooled

    @property
    def recovering(self) -> bool:
        return bool(self.data.pg.recovery_source)

    @property
    def redis(self) -> bool:
        return self.data.redis

    @property
    def redpanda(self) -> bool:
        return self.data.redpanda

    @property
    def consul(self) -> bool:
        return self.data.consul

    # counts
    @property
    def postgres_instances(self) -> int:
        return self.data.postgres_instances

    @property
    def postgres_read_replicas(self) -> int:
        return self.data.postgres_read_replicas

    @property
    def cnpg_operator_replicas(self) -> int:
        return self.data.cnpg_operator_replicas

    @property
    def pooler_instances(self) -> int:
        return int(self.data.pooler.instances)

    @property
    def redis_nodes(self) -> int:
        return self.data.redis_nodes

    @property
    def haproxy_replicas(self) -> int:
        return self.data.haproxy_replicas

    @property
    def redpanda_brokers(self) -> int:
        return self.data.redpanda_brokers

    @property
    def consul_servers(self) -> int:
        return self.data.consul_servers

    @property
    def names(self) -> dict[str, str]:
        """The parts of workload names taken from settings: the cluster's name (postgresCluster) and its
        bootstrap Job's role (cloudnative-pg/cloudnative-pg@v1.30.0 pkg/specs/jobs.go CreatePrimaryJob:
        initdb, import through initdb, or full-recovery)."""
        pg = self.data.pg
        role = "full-recovery" if pg.recovery_source else "import" if pg.migration == "import" else "initdb"
        return {"cluster": pg.cluster, "bootstrap": role}


# ---------------------------------------------------------------------------------------------- PostgreSQL

# cloudnative-pg at its pin (facts/versions.py; cloudnative-pg/charts@cloudnative-pg-v0.29.0
# templates/deployment.yaml: container "manager", replicaCount, resources)
CLOUDNATIVE_PG = Release(CNPG_RELEASE, "postgres", (
    Workload("Deployment", "cnpg-cloudnative-pg", (Container("manager", "cnpg-operator", ("resources",)),),
             "cnpg_operator_replicas", ("replicaCount",), CNPG_NAMESPACE),
))
# plugin-barman-cloud at its pin (cloudnative-pg/charts@plugin-barman-cloud-v0.7.0 templates/
# deployment.yaml: container "barman-cloud", resources): only with an off-site bucket
BARMAN_CLOUD_PLUGIN = Release(PLUGIN_RELEASE, "archiving", (
    Workload("Deployment", PLUGIN_RELEASE, (Container("barman-cloud", "barman-plugin", ("resources",)),),
             namespace=CNPG_NAMESPACE),
))
# What the operator makes of the Cluster and the Pooler (cloudnative-pg/cloudnative-pg@v1.30.0, as
# tools/cnpg.py builds it): a Cluster of N ``instances`` is N Pods <cluster>-1..N, no StatefulSet
# (pkg/specs/pods.go buildInstance), each with the ``postgres`` container and the
# ``bootstrap-controller`` init container, both sized by the Cluster's spec.resources
# (pkg/specs/containers.go); with WAL archived the Barman Cloud plugin injects its sidecar, a
# restartable init container sized by the ObjectStore's instanceSidecarConfiguration
# (cloudnative-pg/plugin-barman-cloud@v0.13.0 internal/cnpgi/operator/lifecycle.go reconcilePodSpec).
# The first instance is bootstrapped by a Job <cluster>-1-<role> with the same resources
# (pkg/specs/jobs.go CreatePrimaryJob; its main container is named after the role). A Pooler of N
# ``instances`` is one Deployment named after it with N replicas, its ``pgbouncer`` container sized
# by the template and its ``bootstrap-controller`` init container alike (pkg/specs/pgbouncer/
# deployments.go). The program writes these specs itself (components/platform/postgres.py), so no
# values path: postgres_args takes the sizes and counts from here.
_SIDECAR = Container("plugin-barman-cloud", "barman-sidecar", None, init=True, sidecar=True, enabled="archiving")
CLOUDNATIVE_PG_PODS = Release("cloudnative-pg's Cluster and Pooler", "postgres", (
    Workload("Cluster", "{cluster}", (
        Container("bootstrap-controller", "postgres", None, init=True),
        Container("postgres", "postgres", None),
        _SIDECAR,
    ), "postgres_instances", namespace=DATABASE_NAMESPACE),
    Workload("Job", "{cluster}-1-{bootstrap}", (
        Container("bootstrap-controller", "postgres", None, init=True),
        Container("{bootstrap}", "postgres", None),
        Container("plugin-barman-cloud", "barman-sidecar", None, init=True, sidecar=True, enabled="recovering"),
    ), namespace=DATABASE_NAMESPACE),
    Workload("Pooler", POOLER_NAME, (
        Container("bootstrap-controller", "pooler", None, init=True),
        Container("pgbouncer", "pooler", None),
    ), "pooler_instances", namespace=DATABASE_NAMESPACE, enabled="pooled"),
), origin=OPERATOR_ORIGIN)
# bitnami/postgresql at its pin, only while a stack moves from it (postgresMigration=import): the
# primary StatefulSet and, with read replicas, the read StatefulSet (templates/primary/statefulset.yaml,
# templates/read/statefulset.yaml: containers "postgresql" and, with metrics.enabled, "metrics")
BITNAMI_POSTGRESQL = Release(POSTGRES_RELEASE, "importing", (
    Workload("StatefulSet", "postgres-postgresql", (
        Container("postgresql", "postgres", ("primary", "resources")),
        Container("metrics", "exporter", ("metrics", "resources")),
    ), namespace=DATABASE_NAMESPACE),
    Workload("StatefulSet", "postgres-postgresql-read", (
        Container("postgresql", "postgres", ("readReplicas", "resources")),
        Container("metrics", "exporter", ("metrics", "resources")),
    ), "postgres_read_replicas", ("readReplicas", "replicaCount"), DATABASE_NAMESPACE, "replicating"),
))

# ---------------------------------------------------------------------------------------------- Redis
# redis-ha at its pin (DandyDeveloper/charts@redis-ha-4.39.0 charts/redis-ha/templates/
# redis-ha-statefulset.yaml, redis-haproxy-deployment.yaml; values.yaml): every node runs redis, a
# Sentinel, the split-brain fix and the exporter after the config-init init container; the HAProxy
# pods run haproxy after their own config-init
REDIS_HA = Release(REDIS_RELEASE, "redis", (
    Workload("StatefulSet", "redis-redis-ha-server", (
        Container("config-init", "redis-init", ("init", "resources"), init=True),
        Container("redis", "redis", ("redis", "resources")),
        Container("sentinel", "redis-sentinel", ("sentinel", "resources")),
        Container("split-brain-fix", "redis-split-brain", ("splitBrainDetection", "resources")),
        Container("redis-exporter", "exporter", ("exporter", "resources")),
    ), "redis_nodes", ("replicas",), CACHE_NAMESPACE),
    Workload("Deployment", "redis-redis-ha-haproxy", (
        Container("config-init", "redis-init", ("haproxy", "init", "resources"), init=True),
        Container("haproxy", "haproxy", ("haproxy", "resources")),
    ), "haproxy_replicas", ("haproxy", "replicas"), CACHE_NAMESPACE),
))

# ---------------------------------------------------------------------------------------------- Redpanda
# redpanda at its pin (redpanda-data/redpanda-operator charts/redpanda/chart: values.yaml, templates/
# _statefulset.go.tpl, _post-install-upgrade-job.go.tpl). The broker's resources are the chart's own
# format (``redpanda_resources``). The chart gives the sidecar, the redpanda-configurator and the
# post-install containers no resources: the values set them in the podTemplate's container lists,
# which the chart merges by name (chart "Merge Semantics"), so they are written by
# components/platform/data_tier.py redpanda_values with the sizes named here (no values path).
# bootstrap-yaml-envsubst is sized by the chart itself (100m/125Mi, requests = limits, in both
# templates), which the table counts as "redpanda-bootstrap".
REDPANDA = Release(REDPANDA_RELEASE, "redpanda", (
    Workload("StatefulSet", "redpanda", (
        Container("redpanda-configurator", "redpanda-sidecar", None, init=True),
        Container("bootstrap-yaml-envsubst", "redpanda-bootstrap", None, init=True),
        Container("redpanda", "redpanda", ("resources",), form=redpanda_resources),
        Container("sidecar", "redpanda-sidecar", None),
    ), "redpanda_brokers", ("statefulset", "replicas"), MESSAGING_NAMESPACE),
    Workload("Job", "redpanda-configuration", (
        Container("bootstrap-yaml-envsubst", "redpanda-bootstrap", None, init=True),
        Container("post-install", "redpanda-sidecar", None),
    ), namespace=MESSAGING_NAMESPACE),
))
# The topic Job the program registers (components/platform/data_tier.py DataTier._topic_job): counted
# as if it ran all the time, it runs again whenever the topic list changes
TOPICS = Release("redpanda-topics", "redpanda", (
    Workload("Job", "redpanda-topics", (Container("rpk", "topic-job", None),), namespace=MESSAGING_NAMESPACE,
             reserve=True),
), origin=PROGRAM_ORIGIN)

# ---------------------------------------------------------------------------------------------- Consul
# consul at its pin (hashicorp/consul-k8s@v1.9.11 charts/consul/templates/server-statefulset.yaml): the
# locality-init init container has no resources key in the chart (the namespace's LimitRange gives it
# defaults at admission, components/platform/data_tier.py CONTAINER_DEFAULTS; an init container smaller
# than the server adds nothing to the pod's request)
CONSUL = Release(CONSUL_RELEASE, "consul", (
    Workload("StatefulSet", "consul-server", (
        Container("locality-init", None, None, init=True),
        Container("consul", "consul", ("server", "resources")),
    ), "consul_servers", ("server", "replicas"), CONSUL_NAMESPACE),
))

RELEASES: tuple[Release, ...] = (CLOUDNATIVE_PG, BARMAN_CLOUD_PLUGIN, CLOUDNATIVE_PG_PODS, BITNAMI_POSTGRESQL,
                                 REDIS_HA, REDPANDA, TOPICS, CONSUL)
# The pods pinned to the memory pool when the cluster has one (components/platform/data_tier.py
# Placement): the PostgreSQL instances (and, while a stack moves from it, the bitnami release's primary
# and read replicas: its primary and readReplicas nodeSelector/tolerations), the Redis nodes and the
# HAProxy pods in front of them (redis-ha's
# top-level nodeSelector/tolerations apply to its haproxy Deployment too: templates/
# redis-haproxy-deployment.yaml at the pin), the Redpanda brokers. tools/conformance/workloads.py
# ``memory_pool_violations`` checks them against the pods rendered with the memory pool's nodeSelector.
MEMORY_POOL: tuple[workloads.MemoryPoolEntry, ...] = (
    ("postgres", CLOUDNATIVE_PG_PODS, "Cluster", "{cluster}"),
    ("bitnami postgres primary", BITNAMI_POSTGRESQL, "StatefulSet", "postgres-postgresql"),
    ("bitnami postgres read replicas", BITNAMI_POSTGRESQL, "StatefulSet", "postgres-postgresql-read"),
    ("redis", REDIS_HA, "StatefulSet", "redis-redis-ha-server"),
    ("redis haproxy", REDIS_HA, "Deployment", "redis-redis-ha-haproxy"),
    ("redpanda", REDPANDA, "StatefulSet", "redpanda"),
)


def overhead(s: DataWorkloads) -> tuple[int, int]:
    """(millicores, bytes) every pod the data tier runs requests, replicas counted."""
    return workloads.overhead(s, False, RELEASES)


def memory_pool_pods(s: DataWorkloads) -> list[tuple[str, int, int, int]]:
    """(what, count, millicores, bytes per pod) of the installed ``MEMORY_POOL`` workloads."""
    return workloads.memory_pool_pods(s, MEMORY_POOL)
