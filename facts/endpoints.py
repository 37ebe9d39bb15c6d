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
# POSTGRES_RELEASE: the bitnami PostgreSQL release a stack ran before CloudNativePG (kept only while
# it moves, postgresMigration=import); its Service postgres-postgresql is the address the app and the
# guide's runbook use, which the CloudNativePG Pooler of that name now serves.
POSTGRES_RELEASE, DATABASE_NAMESPACE = "postgres", "database"
POOLER_NAME = f"{POSTGRES_RELEASE}-postgresql"  # the Pooler and the Service CloudNativePG creates for it
CNPG_NAMESPACE = "cnpg-system"  # the CloudNativePG operator and the Barman Cloud plugin
REDIS_RELEASE, CACHE_NAMESPACE = "redis", "cache"
REDPANDA_RELEASE, MESSAGING_NAMESPACE = "redpanda", "messaging"
CONSUL_RELEASE, CONSUL_NAMESPACE = "consul", "consul"
JAEGER_RELEASE, OBSERVABILITY_NAMESPACE = "jaeger", "observability"
# Where the cluster's DNS runs: NetworkPolicies let pods reach any pod of this namespace on 53, UDP and TCP,
# since CoreDNS's pod labels differ between distributions (the Tartware chart's networkPolicy.dns, the
# SSO gate's egress in components/platform/operator_access.py).
DNS_NAMESPACE, DNS_PORT = "kube-system", 53

# The pinned Redpanda chart: the internal Kafka listener is 9093 (listeners.kafka.port), not 9092;
# the headless Service is named after the release and each broker is <release>-<n>.<release>.
KAFKA_PORT = 9093
OTLP_GRPC_PORT = 4317
OTLP_HTTP_PORT = 4318
# https://opentelemetry.io/docs/specs/otlp/#otlphttp-request: the default URL path for traces.
OTLP_TRACES_PATH = "/v1/traces"


def kafka_seed_brokers(brokers: int) -> str:
    """Comma-separated seed list of every broker (stable pod DNS names of the StatefulSet)."""
    return ",".join(
        f"{REDPANDA_RELEASE}-{i}.{service_host(REDPANDA_RELEASE, MESSAGING_NAMESPACE)}:{KAFKA_PORT}"
        for i in range(brokers)
    )


def cluster_service(cluster: str, role: str) -> str:
    """The Services CloudNativePG creates for a cluster (cloudnative-pg/cloudnative-pg@v1.30.0
    pkg/specs/services.go): ``rw`` the primary, ``ro`` the standbys, ``r`` any instance."""
    assert role in ("rw", "ro", "r")
    return f"{cluster}-{role}"


@dataclass(frozen=True)
class DataTierEndpoints:
    # The guide's address: Service postgres-postgresql, the CloudNativePG Pooler (PgBouncer in
    # transaction mode) in front of the primary; before the move, the bitnami release's primary.
    database_host: str = service_host(POOLER_NAME, DATABASE_NAMESPACE)
    database_port: int = 5432
    # The primary itself, without the pooler (pg_dump/pg_restore use session state a transaction
    # pooler cannot keep), and the standbys: the serving cluster's Services (DataTier sets them).
    database_primary_host: str = service_host(cluster_service("postgres", "rw"), DATABASE_NAMESPACE)
    database_replica_host: str = service_host(cluster_service("postgres", "ro"), DATABASE_NAMESPACE)
    database_name: str = "tartware"
    database_user: str = "tartware"
    # Redis, release redis (redis-ha chart): Service redis-master, ours, in front of the chart's
    # HAProxy pods, which send every connection to the current master (Sentinel elects it), so the
    # app, which has no Sentinel client, always writes to the master. The bitnami release had a
    # Service of the same name.
    redis_host: str = service_host(f"{REDIS_RELEASE}-master", CACHE_NAMESPACE)
    redis_port: int = 6379
    kafka_brokers: str = service_host(REDPANDA_RELEASE, MESSAGING_NAMESPACE) + f":{KAFKA_PORT}"
    # The apps export with OTLP over HTTP (red2n/tartware@a2583469 Apps/telemetry/package.json), so the
    # HTTP port, not 4317. Jaeger chart 4.x (Jaeger v2 all-in-one) has one Service named after the
    # release: no -collector.
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
# The PostgreSQL superuser `postgres`: CloudNativePG sets its password from Secret SUPERUSER_SECRET
# in the database namespace (keys username, password; the Cluster's superuserSecret), and the
# migration hook Job, the only client that logs in as it, reads the password (key password) from
# ADMIN_DATABASE_SECRET in the app's namespace. Vault: <prefix>/postgres-superuser {username, password}.
SUPERUSER_SECRET = "postgres-superuser"
ADMIN_DATABASE_SECRET = "database-admin-credentials"
SUPERUSER_VAULT_ITEM = "postgres-superuser"
SUPERUSER = "postgres"
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

# Day-2 workloads (components/operations/) and the peers the network policies admit for them.
OPS_NAMESPACE = "tartware-ops"
BACKUP_POD_LABELS = {"app.kubernetes.io/name": "postgres-backup"}  # pg_dump -> postgres:5432
RESTORE_POD_LABELS = {"app.kubernetes.io/name": "postgres-restore"}  # pg_restore -> postgres:5432
LOAD_TEST_POD_LABELS = {"app.kubernetes.io/name": "k6"}  # k6 -> api-gateway
