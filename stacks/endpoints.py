"""In-cluster addresses of the data tier and telemetry, as the Tartware pods dial them.

Defined once: the platform components install releases with exactly these release names and
namespaces, and the Tartware chart values are computed from the same constants, so the two
cannot drift apart (the published deployment used port 5433 in one place and 5432 in
another: red2n/tartware@a2583469 platform/helm/values.yaml and its database-config).
"""

from __future__ import annotations

from dataclasses import dataclass

CLUSTER_DOMAIN = "svc.cluster.local"


def service_host(service: str, namespace: str) -> str:
    return f"{service}.{namespace}.{CLUSTER_DOMAIN}"


# Release names and namespaces of the data tier and telemetry (components/platform/{data,observability}.py).
POSTGRES_RELEASE, DATABASE_NAMESPACE = "postgres", "database"
REDIS_RELEASE, CACHE_NAMESPACE = "redis", "cache"
REDPANDA_RELEASE, MESSAGING_NAMESPACE = "redpanda", "messaging"
CONSUL_RELEASE, CONSUL_NAMESPACE = "consul", "consul"
JAEGER_RELEASE, OBSERVABILITY_NAMESPACE = "jaeger", "observability"

# Redpanda chart 25.3.2: the internal Kafka listener is 9093 (listeners.kafka.port), not 9092;
# the headless Service is named after the release and each broker is <release>-<n>.<release>.
KAFKA_PORT = 9093
OTLP_GRPC_PORT = 4317
OTLP_HTTP_PORT = 4318
# https://opentelemetry.io/docs/specs/otlp/#otlphttp-request: the default URL path for traces.
OTLP_TRACES_PATH = "/v1/traces"


def kafka_seed_brokers(brokers: int) -> str:
    """Comma-separated seed list of every broker (stable pod DNS names of the StatefulSet)."""
    return ",".join(
        f"{REDPANDA_RELEASE}-{i}.{service_host(REDPANDA_RELEASE, MESSAGING_NAMESPACE)}:{KAFKA_PORT}" for i in range(brokers)
    )


@dataclass(frozen=True)
class DataTierEndpoints:
    # Bitnami postgresql, release postgres: Service postgres-postgresql in standalone AND in
    # replication mode (we set primary.name to "" so the primary keeps the guide's name).
    database_host: str = service_host(f"{POSTGRES_RELEASE}-postgresql", DATABASE_NAMESPACE)
    database_port: int = 5432
    database_name: str = "tartware"
    database_user: str = "tartware"
    # Bitnami redis, release redis: Service redis-master in standalone mode, and in Sentinel mode
    # through sentinel.masterService (a Service that follows the elected master), so the app,
    # which has no Sentinel client, always writes to the master.
    redis_host: str = service_host(f"{REDIS_RELEASE}-master", CACHE_NAMESPACE)
    redis_port: int = 6379
    kafka_brokers: str = service_host(REDPANDA_RELEASE, MESSAGING_NAMESPACE) + f":{KAFKA_PORT}"
    # The apps export with OTLP over HTTP (red2n/tartware@a2583469 Apps/telemetry/package.json), so the HTTP port, not 4317. Jaeger
    # chart 4.x (Jaeger v2 all-in-one) has one Service named after the release: no -collector.
    otlp_endpoint: str = f"http://{service_host(JAEGER_RELEASE, OBSERVABILITY_NAMESPACE)}:{OTLP_HTTP_PORT}"

    @property
    def otlp_traces_endpoint(self) -> str:
        """What the apps get as OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: the exporter posts to the URL as
        given (red2n/tartware@a2583469 Apps/telemetry/src/index.ts:541,574; the OTLP exporter spec:
        a signal-specific endpoint is used as-is), so it carries the OTLP/HTTP traces path."""
        return self.otlp_endpoint + OTLP_TRACES_PATH


DEFAULT_ENDPOINTS = DataTierEndpoints()

# Secrets the Tartware pods read. Every one of them is created by this program.
DATABASE_SECRET = "database-credentials"  # keys: username, password (guide "Configure Secrets")
REDIS_SECRET = "redis-credentials"  # key: password
# The PostgreSQL superuser's password (key postgres-password), read only by the migration hook Job.
ADMIN_DATABASE_SECRET = "database-admin-credentials"
AUTH_SECRET = "tartware-auth"  # keys below (AUTH_JWT_SECRET is required in production)
JWT_SECRET_KEY = "jwt-secret"  # AUTH_JWT_SECRET, every service
DEFAULT_PASSWORD_KEY = "default-password"  # AUTH_DEFAULT_PASSWORD: the bootstrap admin, users created without one
SERVICE_PASSWORD_KEY = "service-password"  # SERVICE_AUTH_PASSWORD: the service account guests-service logs in as
# The data-encryption keys core, guests and billing check at start: generated once, never rotated
# by this program (docs/app.md "Data-encryption keys").
DATA_KEYS_SECRET = "tartware-data-keys"
GUEST_DATA_KEY = "guest-data-key"  # GUEST_DATA_ENCRYPTION_KEY
BILLING_DATA_KEY = "billing-data-key"  # BILLING_DATA_ENCRYPTION_KEY
REGISTRY_SECRET = "regcred"  # kubernetes.io/dockerconfigjson, only when a registry is configured

# Day-2 workloads (components/operations.py) and the peers the network policies admit for them.
OPS_NAMESPACE = "tartware-ops"
BACKUP_POD_LABELS = {"app.kubernetes.io/name": "postgres-backup"}  # pg_dump -> postgres:5432
RESTORE_POD_LABELS = {"app.kubernetes.io/name": "postgres-restore"}  # pg_restore -> postgres:5432
LOAD_TEST_POD_LABELS = {"app.kubernetes.io/name": "k6"}  # k6 -> api-gateway
