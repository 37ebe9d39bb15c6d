"""Values for our Tartware chart, computed from the resolved service catalog.

The program passes exactly these values to the Helm release, the chart tests render the chart
with them, and ``charts/tartware/values.yaml`` is these values for the default prod stack
(regenerate with ``python -m tools.chart_values``; a test keeps it in sync).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from facts import app_env, catalog
from facts.app_source import APP_COMMIT
from facts.endpoints import (
    ADMIN_DATABASE_SECRET,
    AUTH_SECRET,
    DATABASE_SECRET,
    DEFAULT_ENDPOINTS,
    DEFAULT_PASSWORD_KEY,
    DNS_NAMESPACE,
    REDIS_SECRET,
    REGISTRY_SECRET,
    SUPERUSER,
    DataTierEndpoints,
)
from settings.model import ServiceSpec, TartwareSettings

RUN_AS_USER = 10001  # high UID (checkov CKV_K8S_40); the images run any non-root UID
# Cluster-internal address space (RFC 1918) left out of "public" egress when that is allowed.
PRIVATE_RANGES = ("10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16")


def service_env(spec: ServiceSpec, t: TartwareSettings) -> dict[str, str]:
    """``services.<name>.env``: the catalog's extra variables, the gateway's own, and what
    facts/app_env.py computes from the app's required variables."""
    d = spec.definition
    env = dict(d.extra_env)
    if d.name == catalog.GATEWAY:
        env["API_GATEWAY_PORT"] = str(d.port)  # the gateway reads this before PORT
        env.update(dict(t.gateway_rate_limit))  # API_GATEWAY_RATE_* (facts/ratelimit.py)
    enabled = tuple(s.name for s in t.enabled_services)
    env.update(app_env.plain_env(d.name, t.namespace, t.cors_origins, enabled))
    return env


def _callers(t: TartwareSettings) -> dict[str, list[str]]:
    """Callers wired through env (reservations dials the guard's gRPC address, every service
    registers with core at REGISTRY_URL), not through ``calls``: the NetworkPolicy of the called
    service must let them in."""
    found: dict[str, list[str]] = {}
    for s in t.services:
        for value in service_env(s, t).values():
            for other in t.services:
                if other.name != s.name and f"{other.name}.{t.namespace}.svc" in value:
                    found.setdefault(other.name, []).append(s.name)
    return found


# The services that call addresses outside the cluster (red2n/tartware@a2583469 Apps/config/src/index.ts,
# each service's env): the availability guard's six notification webhook/API keys, the notification
# service's NOTIFICATION_WEBHOOK_URL. Only these get the public-egress rule.
PUBLIC_EGRESS_SERVICES = ("availability-guard-service", "notification-service")


def network_policy_defaults(t: TartwareSettings) -> dict[str, Any]:
    """``networkPolicy`` values: off, with the wiring the platform layer fills in when it turns it on."""
    return {
        "enabled": False,
        # any pod of the DNS namespace on port 53 (facts/endpoints.py)
        "dns": {"namespace": DNS_NAMESPACE},
        "edge": [],
        "scraper": {},
        "dataTier": {},
        "egressTo": [],
        "callers": _callers(t),
        "publicEgress": {"enabled": True, "except": list(PRIVATE_RANGES), "services": list(PUBLIC_EGRESS_SERVICES)},
    }


# Weight of the preferred node affinity for the spot pool: the maximum (1-100), so the scheduler
# ranks spot nodes first, yet a pod still lands on on-demand compute when no spot node has room
# (kubernetes.io/docs/concepts/scheduling-eviction/assign-pod-node/, "preferredDuringScheduling...").
SPOT_AFFINITY_WEIGHT = 100


def scheduling(name: str, t: TartwareSettings) -> dict[str, Any]:
    """``services.<name>.scheduling``: for a service in spotServices, when the cluster has a spot
    pool, tolerate the pool's taint and prefer (not require) its label; otherwise nothing."""
    spot = t.spot_placement
    if spot is None or name not in t.spot_services:
        return {"tolerations": [], "preferredNodes": []}
    return {"tolerations": [dict(x) for x in spot.tolerations],
            "preferredNodes": ([{"weight": SPOT_AFFINITY_WEIGHT, "labels": dict(spot.node_selector)}]
                               if spot.node_selector else [])}


def _service_values(spec: ServiceSpec, t: TartwareSettings) -> dict[str, Any]:
    d = spec.definition
    env = service_env(spec, t)
    secret_env = app_env.secret_env(d.name)
    uses = {"database": d.uses_database, "redis": d.uses_redis, "kafka": d.uses_kafka}
    if spec.enabled:
        enabled = {s.name for s in t.enabled_services}
        calls = tuple(c for c in d.calls if c in enabled)
        # the URL of a service switched off is not missing: calls to it fail, as switching it off means
        off = {f"{catalog.SERVICES[s.name].env_prefix}_SERVICE_URL" for s in t.services if s.name not in enabled}
        app_env.check_provided(d.name, app_env.provided_by_template(uses, calls) | set(env)
                               | set(secret_env) | off)
    return {
        "enabled": spec.enabled,
        "image": spec.image,
        **({"imageDigest": spec.image_digest} if spec.image_digest else {}),
        "port": d.port,
        "extraPorts": [
            {"name": p.name, "port": p.port, **({"appProtocol": p.app_protocol} if p.app_protocol else {})}
            for p in d.extra_ports
        ],
        "envPrefix": d.env_prefix,
        "calls": list(d.calls),
        "uses": uses,
        "probes": {"liveness": d.liveness_path, "readiness": d.readiness_path},
        "replicas": {"min": spec.min_replicas, "max": spec.max_replicas},
        "resources": {
            "requests": {"cpu": str(spec.cpu_request), "memory": str(spec.memory_request)},
            "limits": {"cpu": str(spec.cpu_limit), "memory": str(spec.memory_limit)},
        },
        "autoscaling": {
            "enabled": True,
            "cpuUtilization": spec.cpu_target,
            "memoryUtilization": spec.memory_target,
            "customMetrics": [
                {"name": m.name, "averageValue": m.average_value} for m in spec.custom_metrics
            ],
        },
        "env": env,
        "secretEnv": {name: {"secretName": ref.secret, "key": ref.key} for name, ref in secret_env.items()},
        **({"dbPoolMax": spec.db_pool_max} if d.uses_database else {}),
        "scheduling": scheduling(d.name, t),
    }


def chart_values(t: TartwareSettings, endpoints: DataTierEndpoints = DEFAULT_ENDPOINTS) -> dict[str, Any]:
    """The complete values document for one release of charts/tartware."""
    return {
        "global": {
            "partOf": catalog.PART_OF,
            "environment": "production",
            "image": {"registry": t.image_registry, "tag": t.image_tag, "pullPolicy": t.image_pull_policy},
            "imagePullSecrets": [REGISTRY_SECRET] if t.registry else [],
            "podSecurity": {"runAsUser": RUN_AS_USER},
            "topologySpread": {"zoneWhenUnsatisfiable": t.zone_spread},
            "podDisruptionBudget": {"maxUnavailable": _int_or_str(t.pdb_max_unavailable)},
            "autoscaling": {
                "behavior": {
                    "scaleUp": {
                        "stabilizationWindowSeconds": 0,
                        "percent": catalog.SCALE_UP_PERCENT,
                        "periodSeconds": catalog.SCALE_UP_PERIOD_SECONDS,
                    },
                    "scaleDown": {
                        "stabilizationWindowSeconds": catalog.SCALE_DOWN_STABILIZATION_SECONDS,
                        "percent": catalog.SCALE_DOWN_PERCENT,
                        "periodSeconds": catalog.SCALE_DOWN_PERIOD_SECONDS,
                    },
                }
            },
            "auth": {"secretName": AUTH_SECRET, "issuer": app_env.JWT_ISSUER, "audience": app_env.JWT_AUDIENCE},
            "dataTier": {
                "database": {
                    "host": endpoints.database_host,
                    "port": endpoints.database_port,
                    "name": endpoints.database_name,
                    "secretName": DATABASE_SECRET,
                },
                "redis": {"host": endpoints.redis_host, "port": endpoints.redis_port, "secretName": REDIS_SECRET},
                "kafka": {"brokers": endpoints.kafka_brokers},
                "otlp": {"tracesEndpoint": endpoints.otlp_traces_endpoint},
            },
        },
        "services": {s.name: _service_values(s, t) for s in t.services},
        "ingress": {
            "enabled": t.ingress_enabled,
            "className": t.ingress_class_name,
            "host": t.api_host,
            "service": catalog.GATEWAY,
            "annotations": {},
            "tls": {
                "clusterIssuer": t.tls_cluster_issuer,
                "secretName": f"{catalog.GATEWAY}-tls",
            },
        },
        "mesh": {"enabled": False, "mtls": "STRICT", "holdApplicationUntilProxyStarts": True, "permissivePorts": {}},
        "networkPolicy": network_policy_defaults(t),
        "migration": migration_values(endpoints),
    }


# ops/migrate/migrate.sh: the migration runner the chart's hook Job runs (docs/app.md "Migration
# contract"); shipped in the values so the chart holds it on its own (`helm upgrade --reuse-values`).
MIGRATE_SCRIPT = Path(__file__).resolve().parent.parent / "ops" / "migrate" / "migrate.sh"
MIGRATION_IMAGE = "db-migrate"
# The app's schema install took 17 s against PostgreSQL 15 on 2 cores (the harness, docs/app.md);
# the deadline leaves room for a slow volume, within the release timeout (helmTimeoutSeconds, 900).
# Requests/limits: psql and one node process.
MIGRATION_DEADLINE_SECONDS = 600


def migration_values(endpoints: DataTierEndpoints = DEFAULT_ENDPOINTS) -> dict[str, Any]:
    """``migration``: the pre-install/pre-upgrade hook Job (templates/migrate-job.yaml)."""
    return {
        "enabled": True,
        "name": catalog.MIGRATION_JOB,
        "image": MIGRATION_IMAGE,
        "appCommit": APP_COMMIT,
        "activeDeadlineSeconds": MIGRATION_DEADLINE_SECONDS,
        # the PostgreSQL superuser: the app's SQL creates roles and seeds tables under row-level
        # security (red2n/tartware@a2583469 executables/setup-database/setup-database.sh runs it as postgres)
        # to the primary itself, not the Pooler: the app's SQL keeps session state (\c, SET) a
        # transaction pooler would spread over server connections
        "admin": {"username": SUPERUSER, "secretName": ADMIN_DATABASE_SECRET, "key": "password",
                  "host": endpoints.database_primary_host, "port": endpoints.database_port},
        "bootstrapPassword": {"secretName": AUTH_SECRET, "key": DEFAULT_PASSWORD_KEY},
        # the account guests-service logs in as (SERVICE_AUTH_USERNAME/SERVICE_AUTH_PASSWORD): the
        # migration creates it and keeps its password current (ops/migrate/migrate.sh step service-account)
        "serviceAccount": {"username": app_env.SERVICE_ACCOUNT,
                           "secretName": app_env.SECRET_ENV["SERVICE_AUTH_PASSWORD"].secret,
                           "key": app_env.SECRET_ENV["SERVICE_AUTH_PASSWORD"].key},
        "resources": {"requests": {"cpu": "100m", "memory": "256Mi"}, "limits": {"cpu": "1000m", "memory": "1Gi"}},
        "script": MIGRATE_SCRIPT.read_text(),
    }


def _int_or_str(value: str) -> int | str:
    return int(value) if value.isdigit() else value
