"""Ops settings: in-cluster load tests, PostgreSQL backups, VPA right-sizing advice (issue 5).

Every key is declared here; ``build`` turns them into ``OpsSettings``. The load-test profiles and
the generator sizing rules live here too, so the plan, the docs and the component agree.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Annotated, Any, Literal, Mapping, Optional

import pulumi
from pydantic import Field

from .errors import key
from .schema import BuildContext, MemQ, Setting, SettingsModel, hint, validate_section

NAME = "ops"

LOAD_TEST_PROFILES = ("off", "smoke", "load", "locust")
# The in-cluster gateway Service (chart: Service `api-gateway`, port 8080, ns tartware-system).
DEFAULT_LOAD_TEST_TARGET = "http://api-gateway.tartware-system.svc.cluster.local:8080"
GUIDE_RATE = 20000  # requests/s, the guide's "Load Test (20k RPS)"

DECLARED: tuple[Setting, ...] = (
    Setting("loadTest", "string", "In-cluster load test: off, smoke (k6, 30 s), load (k6 generators at loadTestRate, one aggregate result) or locust (Locust master + workers, the guide's alternative).", "off"),
    Setting("loadTestTargetUrl", "string", "Base URL the k6 generators call (the in-cluster gateway Service by default).", DEFAULT_LOAD_TEST_TARGET),
    Setting("loadTestRate", "integer", "Requests per second of the load profile, summed over all generator pods (the guide: 20000).", GUIDE_RATE),
    Setting("loadTestDuration", "string", "How long the load profile holds its rate, e.g. 10m (k6 duration: <n>s, <n>m or <n>h).", "10m"),
    Setting("loadTestGenerators", "integer", "Number of k6 generator pods. Unset: ceil(loadTestRate / 2500), 2500 req/s per pod (docs/operations.md).", None),
    Setting("loadTestRunId", "string", "Suffix of the load-test Job name; change it to run the test again.", "1"),
    Setting("loadTestUsername", "string", "User the load tests log in as (POST /v1/auth/login; ADMIN in the tenant). Required when loadTest is not off.", ""),
    Setting("loadTestPassword", "string", "Password of loadTestUsername (required when loadTest is not off).", secret=True),
    Setting("loadTestTenantId", "string", "Tenant (UUID) the load tests act in; empty = the user's first membership.", ""),
    Setting("locustUsers", "integer", "Locust users (the guide: 5000).", 5000),
    Setting("locustSpawnRate", "integer", "Locust users started per second (the guide: 100).", 100),
    Setting("locustHost", "string", "Base URL Locust calls. Empty: https://api.<domain> (the guide's host).", ""),
    Setting("locustWorkers", "integer", "Locust worker pods. Unset: ceil(locustUsers / 250), 250 users per worker (docs/operations.md).", None),
    Setting("backupEnabled", "boolean", "Scheduled pg_dump of the tartware database to a PersistentVolumeClaim.", True),
    Setting("backupSchedule", "string", "Cron schedule of the backup CronJob (UTC).", "0 2 * * *"),
    Setting("backupRetentionDays", "integer", "Backups older than this many days are pruned (1-365).", 7),
    Setting("backupStorageSize", "string", "Size of the backup PersistentVolumeClaim. Unset: 5Gi in dev, 100Gi in prod.", None),
    Setting("backupStorageClass", "string", "StorageClass of the backup PersistentVolumeClaim; empty = the cluster default.", ""),
    Setting("vpaEnabled", "boolean", "VerticalPodAutoscalers in recommendation mode (updateMode Off) for every enabled Tartware service.", True),
    Setting("vpaInstallRecommender", "boolean", "Install the VPA CRDs and recommender (fairwinds vpa chart); false if the cluster already runs VPA.", True),
)
OBJECT_SETTINGS: tuple[str, ...] = ()

# --- load-generator sizing (reasons in docs/operations.md "Load tests") ---------------------------
RATE_PER_GENERATOR = 2500  # req/s per k6 pod: keeps each pod well inside one worker node
P95_SECONDS = 0.5  # the guide's p95 bound: VUs in flight at the rate when latency sits at p95
P99_SECONDS = 1.0  # the guide's p99 bound: the most VUs a pod may need before thresholds fail
MILLICORES_PER_1K_RPS = 1000  # estimate: 1 core per 1,000 req/s with checks and JSON, >=20 % idle
MIB_PER_VU = 2  # k6 docs, running large tests: "simple tests will use ~1-5MB per VU"
BASE_MIB = 256  # k6 process, script and summary
SMOKE_VUS = 2


@dataclass(frozen=True)
class GeneratorSizing:
    """How the load is split over k6 pods and what each pod needs."""

    pods: int
    rate_per_pod: int
    pre_allocated_vus: int  # per pod
    max_vus: int  # per pod
    cpu_request_millicores: int
    cpu_limit_millicores: int
    memory_request_mib: int
    memory_limit_mib: int


def generator_sizing(profile: str, rate: int, pods: Optional[int] = None) -> GeneratorSizing:
    """VU and resource math for ``profile`` at ``rate`` requests/s over ``pods`` generators."""
    if profile == "smoke":
        return GeneratorSizing(1, 0, SMOKE_VUS, SMOKE_VUS, 250, 1000, 256, 512)
    pods = pods or max(1, math.ceil(rate / RATE_PER_GENERATOR))
    per_pod = math.ceil(rate / pods)
    pre = math.ceil(per_pod * P95_SECONDS)
    most = max(pre, math.ceil(per_pod * P99_SECONDS))
    cpu = max(250, math.ceil(per_pod * MILLICORES_PER_1K_RPS / 1000))
    return GeneratorSizing(
        pods=pods,
        rate_per_pod=per_pod,
        pre_allocated_vus=pre,
        max_vus=most,
        cpu_request_millicores=cpu,
        cpu_limit_millicores=2 * cpu,
        memory_request_mib=BASE_MIB + pre * MIB_PER_VU,
        memory_limit_mib=BASE_MIB + most * MIB_PER_VU,
    )


LOCUST_USERS_PER_WORKER = 250  # estimate: ~1,000 req/s per worker process at ~4 req/s per user


class OpsInput(SettingsModel):
    load_test: Literal["off", "smoke", "load", "locust"]
    load_test_target_url: Annotated[str, Field(pattern=r"^https?://[A-Za-z0-9.-]+(:\d+)?(/[A-Za-z0-9._~/-]*)?$")]
    load_test_rate: Annotated[int, Field(ge=1, le=200000)]
    load_test_duration: Annotated[str, Field(pattern=r"^[1-9]\d*[smh]$")]
    load_test_generators: Optional[Annotated[int, Field(ge=1, le=100)]] = None
    load_test_run_id: Annotated[str, Field(pattern=r"^[a-z0-9]([a-z0-9-]{0,18}[a-z0-9])?$")]
    load_test_username: Annotated[str, Field(max_length=200)]
    load_test_tenant_id: Annotated[str, Field(pattern=r"^([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})?$")]
    locust_users: Annotated[int, Field(ge=1, le=100000)]
    locust_spawn_rate: Annotated[int, Field(ge=1, le=10000)]
    locust_host: Annotated[str, Field(pattern=r"^(https?://[A-Za-z0-9.-]+(:\d+)?)?$")]
    locust_workers: Optional[Annotated[int, Field(ge=1, le=200)]] = None
    backup_enabled: bool
    backup_schedule: Annotated[str, Field(pattern=r"^(@(hourly|daily|weekly|monthly|yearly)|(\S+\s+){4}\S+)$")]
    backup_retention_days: Annotated[int, Field(ge=1, le=365)]
    backup_storage_size: Optional[MemQ] = None
    backup_storage_class: Annotated[str, Field(pattern=r"^([a-z0-9]([a-z0-9.-]*[a-z0-9])?)?$")]
    vpa_enabled: bool
    vpa_install_recommender: bool


for _field, _text in {
    "loadTestTargetUrl": "an http(s) URL such as 'http://api-gateway.tartware-system.svc.cluster.local:8080'",
    "loadTestDuration": "a k6 duration such as '30s', '10m' or '1h'",
    "loadTestRunId": "a short lower-case name such as '1' or 'after-upgrade' (at most 20 characters)",
    "loadTestTenantId": "a tenant UUID such as '3f2504e0-4f89-11d3-9a0c-0305e82c3301', or empty",
    "locustHost": "an http(s) base URL such as 'https://api.tartware.local', or empty for https://api.<domain>",
    "backupSchedule": "a 5-field cron expression such as '0 2 * * *' or @daily",
    "backupStorageClass": "a lower-case StorageClass name, or empty for the cluster default",
}.items():
    hint(_field, _text)


@dataclass(frozen=True)
class LocustSettings:
    users: int
    spawn_rate: int
    host: str  # empty: https://api.<domain>
    workers: int


@dataclass(frozen=True)
class LoadTestSettings:
    profile: str  # smoke | load | locust
    target_url: str
    rate: int
    duration: str
    run_id: str
    sizing: GeneratorSizing
    username: str
    password: Optional[pulumi.Output]  # secret
    tenant_id: str = ""
    locust: Optional[LocustSettings] = None

    @property
    def duration_seconds(self) -> int:
        return int(self.duration[:-1]) * {"s": 1, "m": 60, "h": 3600}[self.duration[-1]]


@dataclass(frozen=True)
class BackupSettings:
    schedule: str
    retention_days: int
    storage_size: str
    storage_class: str


@dataclass(frozen=True)
class OpsSettings:
    load_test: Optional[LoadTestSettings] = None  # None = off
    backup: Optional[BackupSettings] = None  # None = disabled
    vpa_enabled: bool = True
    vpa_install_recommender: bool = True


def build(raw: Mapping[str, Any], ctx: BuildContext) -> Optional[OpsSettings]:
    inp = validate_section(OpsInput, raw, ctx.problems)
    if inp is None:
        return None
    load_test = None
    if inp.load_test != "off":
        # every /v1 route needs a login: an anonymous load test only measures 401s
        if not inp.load_test_username:
            ctx.problems.add(key("loadTestUsername"), f"required when loadTest is {inp.load_test} (every /v1 route "
                             "needs a login); set a user with the ADMIN role in the tenant", "")
        password = ctx.read_secret("loadTestPassword", True, ctx.problems, " when loadTest is not off")
        if inp.load_test == "load" and inp.load_test_generators and inp.load_test_generators > inp.load_test_rate:
            ctx.problems.add(key("loadTestGenerators"),
                             f"more generator pods than requests per second ({inp.load_test_rate}); "
                             "allowed: 1 to loadTestRate", inp.load_test_generators)
        load_test = LoadTestSettings(
            profile=inp.load_test,
            target_url=inp.load_test_target_url.rstrip("/"),
            rate=inp.load_test_rate,
            duration=inp.load_test_duration,
            run_id=inp.load_test_run_id,
            sizing=generator_sizing(inp.load_test, inp.load_test_rate, inp.load_test_generators),
            username=inp.load_test_username,
            password=password,
            tenant_id=inp.load_test_tenant_id,
            locust=LocustSettings(inp.locust_users, inp.locust_spawn_rate, inp.locust_host.rstrip("/"),
                                  inp.locust_workers or max(1, math.ceil(inp.locust_users / LOCUST_USERS_PER_WORKER)))
            if inp.load_test == "locust" else None,
        )
    backup = None
    if inp.backup_enabled:
        size = str(inp.backup_storage_size) if inp.backup_storage_size is not None else ("100Gi" if ctx.is_prod else "5Gi")
        backup = BackupSettings(inp.backup_schedule, inp.backup_retention_days, size, inp.backup_storage_class)
    return OpsSettings(load_test=load_test, backup=backup, vpa_enabled=inp.vpa_enabled,
                       vpa_install_recommender=inp.vpa_install_recommender)
