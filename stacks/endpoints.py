"""In-cluster addresses of the data tier and telemetry, as the Tartware pods dial them.

Defined once: the platform components install releases with exactly these release names and
namespaces, and the Tartware chart values are computed from the same constants, so the two
cannot drift apart (the published deployment used port 5433 in one place and 5432 in
another, platform §8b.4).
"""

from __future__ import annotations

from dataclasses import dataclass

CLUSTER_DOMAIN = "svc.cluster.local"


def service_host(service: str, namespace: str) -> str:
    return f"{service}.{namespace}.{CLUSTER_DOMAIN}"


@dataclass(frozen=True)
class DataTierEndpoints:
    database_host: str = service_host("postgres-postgresql", "database")  # release postgres, ns database
    database_port: int = 5432
    database_name: str = "tartware"
    database_user: str = "tartware"
    redis_host: str = service_host("redis-master", "cache")  # release redis, ns cache
    redis_port: int = 6379
    kafka_brokers: str = service_host("redpanda", "messaging") + ":9092"  # release redpanda, ns messaging
    # The apps export with OTLP over HTTP (platform §8b.7), so the HTTP port, not 4317.
    otlp_endpoint: str = "http://" + service_host("jaeger-collector", "observability") + ":4318"


DEFAULT_ENDPOINTS = DataTierEndpoints()

# Secrets the Tartware pods read. Every one of them is created by this program.
DATABASE_SECRET = "database-credentials"  # keys: username, password (guide "Configure Secrets")
REDIS_SECRET = "redis-credentials"  # key: password
AUTH_SECRET = "tartware-auth"  # key: jwt-secret (AUTH_JWT_SECRET is required in production)
REGISTRY_SECRET = "regcred"  # kubernetes.io/dockerconfigjson, only when a registry is configured
