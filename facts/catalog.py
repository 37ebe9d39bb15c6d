"""The Tartware service catalog: defined once, read by settings, chart values, budget and outputs.

Two kinds of facts live here and nowhere else:

* ``SERVICES`` — what each real Tartware service *is* (port, health paths, which data-tier
  systems and sibling services it talks to). Source: red2n/tartware@a2583469, the
  code ports from the root ``package.json`` ``dev:*`` scripts (canonical per the repo's
  ``AGENTS.md``), not the manifests that disagree with them (``platform/helm/values.yaml``).
* ``PROFILES`` — how big each service is allowed to get in each environment. The ``prod``
  profile is the deployment guide's "Resource Allocation" table row by row; the ``dev`` profile
  is the same services at 1-2 replicas with small requests.

"Others" (guide row ``2-15, 200m-1000m, 256Mi-1Gi`` *each*) is the set of real Tartware
services with an application that are not named in the guide's table:
``housekeeping-service``, ``availability-guard-service``, ``notification-service`` and
``revenue-service``. ``settings-service``, ``command-center-service`` and ``roll-service``
have no application of their own (absorbed into core, gateway and billing in red2n/tartware@a2583469 Apps/), so
they are not deployed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Mapping

NAMESPACE = "tartware-system"
PART_OF = "tartware"
RELEASE_NAME = "tartware"
# The schema migration, the release's pre-install/pre-upgrade hook Job (charts/tartware/templates/
# migrate-job.yaml labels its pod with its name and the release), the one client of the superuser.
MIGRATION_JOB = "tartware-migrate"
MIGRATION_POD_LABELS = MappingProxyType({"app.kubernetes.io/name": MIGRATION_JOB,
                                         "app.kubernetes.io/instance": RELEASE_NAME})


@dataclass(frozen=True)
class ExtraPort:
    name: str
    port: int
    protocol: str = "TCP"
    app_protocol: str | None = None


@dataclass(frozen=True)
class ServiceDefinition:
    """Static facts about one Tartware service (not sizing)."""

    name: str
    display: str
    guide_row: str  # the row of the guide's budget table this service is sized by
    port: int
    env_prefix: str  # <PREFIX>_SERVICE_URL is how siblings find it
    calls: tuple[str, ...] = ()  # sibling services it calls over HTTP (env wiring)
    extra_ports: tuple[ExtraPort, ...] = ()
    extra_env: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))
    liveness_path: str = "/health"
    readiness_path: str = "/ready"
    uses_database: bool = True
    uses_redis: bool = True
    uses_kafka: bool = True
    public: bool = False  # reachable from the edge (only the API gateway)


GATEWAY = "api-gateway"

_DEFINITIONS: tuple[ServiceDefinition, ...] = (
    ServiceDefinition(
        name=GATEWAY,
        display="API Gateway",
        guide_row="API Gateway",
        port=8080,  # code: API_GATEWAY_PORT, then PORT (red2n/tartware@a2583469 package.json)
        env_prefix="API_GATEWAY",
        calls=(
            "core-service",
            "reservations-command-service",
            "guests-service",
            "rooms-service",
            "housekeeping-service",
            "billing-service",
            "notification-service",
            "revenue-service",
        ),
        public=True,
    ),
    ServiceDefinition(
        name="core-service",
        display="Core Service",
        guide_row="Core Service",
        port=3000,
        env_prefix="CORE",
    ),
    ServiceDefinition(
        name="reservations-command-service",
        display="Reservations",
        guide_row="Reservations",
        port=3020,
        env_prefix="RESERVATION_COMMAND",
        # reservations dials the guard over gRPC (red2n/tartware@a2583469 Apps/: AVAILABILITY_GUARD_ADDRESS),
        # not over HTTP
        extra_env=MappingProxyType(
            {
                "AVAILABILITY_GUARD_ADDRESS": f"availability-guard-service.{NAMESPACE}.svc.cluster.local:4400",
                "AVAILABILITY_GUARD_ENABLED": "true",
                "AVAILABILITY_GUARD_TIMEOUT_MS": "1500",
            }
        ),
    ),
    ServiceDefinition(
        name="billing-service",
        display="Billing Service",
        guide_row="Billing Service",
        port=3025,
        env_prefix="BILLING",
        calls=("core-service",),
    ),
    ServiceDefinition(
        name="guests-service",
        display="Guests Service",
        guide_row="Guests Service",
        port=3010,
        env_prefix="GUESTS",
        calls=("core-service", "rooms-service"),
    ),
    ServiceDefinition(
        name="rooms-service",
        display="Rooms Service",
        guide_row="Rooms Service",
        port=3015,
        env_prefix="ROOMS",
    ),
    ServiceDefinition(
        name="housekeeping-service",
        display="Housekeeping Service",
        guide_row="Others",
        port=3030,
        env_prefix="HOUSEKEEPING",
    ),
    ServiceDefinition(
        name="availability-guard-service",
        display="Availability Guard",
        guide_row="Others",
        port=3045,
        env_prefix="AVAILABILITY_GUARD",
        # gRPC on 4400 is what reservations dials (AVAILABILITY_GUARD_ADDRESS); the published
        # chart (red2n/tartware@a2583469 platform/helm/charts/service-template/) forgot it on the Service,
        # ours exposes it.
        extra_ports=(ExtraPort(name="grpc", port=4400, app_protocol="grpc"),),
        uses_redis=False,
    ),
    ServiceDefinition(
        name="notification-service",
        display="Notification Service",
        guide_row="Others",
        port=3055,
        env_prefix="NOTIFICATION",
        uses_redis=False,
    ),
    ServiceDefinition(
        name="revenue-service",
        display="Revenue Service",
        guide_row="Others",
        port=3060,
        env_prefix="REVENUE",
        uses_redis=False,
    ),
)

SERVICES: Mapping[str, ServiceDefinition] = MappingProxyType({d.name: d for d in _DEFINITIONS})
SERVICE_NAMES: tuple[str, ...] = tuple(SERVICES)


@dataclass(frozen=True)
class BudgetRow:
    """One row of a budget table: replica range and per-pod requests/limits."""

    min_replicas: int
    max_replicas: int
    cpu_request: str
    cpu_limit: str
    memory_request: str
    memory_limit: str


# The deployment guide's "Resource Allocation" table, row by row (the specification).
GUIDE_TABLE: Mapping[str, BudgetRow] = MappingProxyType(
    {
        "API Gateway": BudgetRow(10, 100, "500m", "2000m", "512Mi", "2Gi"),
        "Core Service": BudgetRow(8, 80, "500m", "2000m", "1Gi", "4Gi"),
        "Reservations": BudgetRow(8, 70, "500m", "2000m", "1Gi", "4Gi"),
        "Billing Service": BudgetRow(5, 40, "300m", "1500m", "512Mi", "2Gi"),
        "Guests Service": BudgetRow(5, 35, "300m", "1500m", "512Mi", "2Gi"),
        "Rooms Service": BudgetRow(5, 35, "300m", "1500m", "512Mi", "2Gi"),
        "Others": BudgetRow(2, 15, "200m", "1000m", "256Mi", "1Gi"),
    }
)

# Dev: the same services, 1-2 replicas, small requests (fits a laptop kind cluster: one pod of
# 50m/128Mi per service requested at min scale).
DEV_SIZING = BudgetRow(1, 2, "50m", "500m", "128Mi", "512Mi")

PROFILES: Mapping[str, Mapping[str, BudgetRow]] = MappingProxyType(
    {
        "prod": MappingProxyType({d.name: GUIDE_TABLE[d.guide_row] for d in _DEFINITIONS}),
        "dev": MappingProxyType({d.name: DEV_SIZING for d in _DEFINITIONS}),
    }
)

# DB_POOL_MAX per environment when the pods reach PostgreSQL directly (no Pooler in front: while a
# stack moves from the bitnami release, or with a database that is not ours): the most connections
# one pod's pool opens. The app's default, 15 (red2n/tartware@a2583469 Apps/config/src/index.ts,
# databaseSchema), would open 15 x the prod profile's pods at max scale, more than max_connections;
# these fit it at max scale. Behind the Pooler the app's default applies (rules/connections.py
# default_pool; docs/budget.md "Database connections" works both out).
DB_POOL_MAX: Mapping[str, int] = MappingProxyType({"dev": 4, "prod": 2})

# HPA policy from the guide's "Automatic Scaling" section.
HPA_CPU_TARGET = 70
HPA_MEMORY_TARGET = 80
SCALE_UP_PERCENT = 100
SCALE_UP_PERIOD_SECONDS = 15
SCALE_DOWN_PERCENT = 10
SCALE_DOWN_PERIOD_SECONDS = 60
SCALE_DOWN_STABILIZATION_SECONDS = 300
