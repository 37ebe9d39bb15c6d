"""Ops settings: in-cluster load tests, PostgreSQL backups (local, off-site, restore), VPA advice.

Every key is declared here; ``build`` turns them into ``OpsSettings``. The load-test profiles and
the generator sizing rules live here too, so the plan, the docs and the component agree.
The rules that need other sections (the cluster target) are ``rules.check_ops`` (rules/cross_section.py).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Annotated, Any, Literal, Mapping, Optional

import pulumi
from pydantic import Field

from . import cron
from .errors import key
from .schema import BuildContext, MemQ, Setting, SettingsModel, env_default, validate_section


NAME = "ops"

LOAD_TEST_PROFILES = ("off", "smoke", "load", "locust")
# The in-cluster gateway Service (chart: Service `api-gateway`, port 8080, ns tartware-system).
DEFAULT_LOAD_TEST_TARGET = "http://api-gateway.tartware-system.svc.cluster.local:8080"
# The edge path: the istio-ingressgateway Service, port 80 (components/platform/mesh.py GATEWAY_SERVICE_PORTS
# "http2"), which serves api.<domain> over HTTP as well (mesh.py gateway_resource).
EDGE_LOAD_TEST_TARGET = "http://istio-ingressgateway.istio-system.svc.cluster.local"
GUIDE_RATE = 20000  # requests/s, the guide's "Load Test (20k RPS)"

# rclone's S3 providers we accept (rclone/rclone@v1.75.0 docs/content/s3.md, "--s3-provider").
OFFSITE_PROVIDERS = ("AWS", "Ceph", "Cloudflare", "DigitalOcean", "Minio", "Wasabi", "Other")
OFFSITE_ENCRYPTION = ("AES256", "aws:kms", "bucket-default")
# Which providers take rclone's server_side_encryption option at all: rclone/rclone@7303276e
# backend/s3/provider/{AWS,Ceph,Minio}.yaml list it; Cloudflare, DigitalOcean, Wasabi and Other do not.
SSE_PROVIDERS = ("AWS", "Ceph", "Minio")
# The encryption an unset backupOffsiteEncryption means, per provider. AWS S3 encrypts with
# SSE-S3 (AES256) on request. MinIO answers an SSE-S3 request only with a KMS configured (minio/minio
# docs/kms/README.md: "MinIO uses a key-management-system (KMS) to support SSE-S3"), so without one
# it rejects AES256; Ceph RGW's SSE-S3/SSE-KMS need a key manager too (docs.ceph.com radosgw
# encryption). Every other provider: the bucket's own default encryption.
DEFAULT_OFFSITE_ENCRYPTION = {"AWS": "AES256"}
# The default key prefix: one folder per stack, so two stacks sharing a bucket never read each
# other's dumps ("offsite:latest").
DEFAULT_PREFIX_ROOT = "tartware"
# The Job's time budget after its scheduled time (components/operations/backups.py): it may start up to
# startingDeadlineSeconds late and run for activeDeadlineSeconds.
BACKUP_STARTING_DEADLINE_SECONDS = 3600
BACKUP_ACTIVE_DEADLINE_SECONDS = 6 * 3600

DECLARED: tuple[Setting, ...] = (
    Setting("loadTest", "string",
            "In-cluster load test: off, smoke (k6, 30 s), load (k6 generators at loadTestRate, one aggregate result) "
            "or locust (Locust master + workers, the guide's alternative).", "off"),
    Setting("loadTestTarget", "string",
            "Where the load tests send their requests: edge (the in-cluster istio-ingressgateway Service with Host "
            "api.<domain>: the gateway and the per-client limit, every generator below edgeRateLimit) or service (the "
            "api-gateway Service, past the edge). Unset: edge where the API is routed through Istio and the gateway "
            "takes connections without the PROXY protocol, else service (docs/operations.md \"Load tests\")."),
    Setting("loadTestTargetUrl", "string",
            "Base URL the load tests call instead of loadTestTarget's (sent with its own Host); empty = from "
            "loadTestTarget.", "",
            example="an http(s) URL such as 'http://api-gateway.tartware-system.svc.cluster.local:8080', or empty"),
    Setting("loadTestRate", "integer",
            "Requests per second of the load profile, summed over all generator pods (the guide: 20000).", GUIDE_RATE),
    Setting("loadTestDuration", "string",
            "How long the load profile holds its rate, e.g. 10m (k6 duration: <n>s, <n>m or <n>h); at most 59m, the "
            "app's access token's life less setup and k6's graceful stop (docs/operations.md).", "10m",
            example="a k6 duration such as '30s', '10m' or '1h'"),
    Setting("loadTestGenerators", "integer",
            "Number of k6 generator pods. Unset: ceil(loadTestRate / 2500), 2500 req/s per pod, and on the edge path "
            "enough pods that each stays at or below 80 % of edgeRateLimit (docs/operations.md).", None),
    Setting("loadTestRunId", "string", "Suffix of the load-test Job name; change it to run the test again.", "1",
            example="a short lower-case name such as '1' or 'after-upgrade' (at most 20 characters)"),
    Setting("loadTestUsername", "string",
            "Prefix of the load-test accounts <prefix>-1 .. <prefix>-<loadTestAccounts> (loadtest/mix.json accounts; "
            "each with the ADMIN role in the tenant, created with loadtest/accounts.py). Required when loadTest is "
            "not off.", ""),
    Setting("loadTestPassword", "string", "Password of the load-test accounts (required when loadTest is not off).",
            secret=True),
    Setting("loadTestAccounts", "integer",
            "How many load-test accounts the logins are spread over. Unset: the fewest that keep every account within "
            "core-service's login throttle (20 logins per 60 s per username).", None),
    Setting("loadTestTenantId", "string", "Tenant (UUID) the load tests act in; empty = the user's first membership.",
            "", example="a tenant UUID such as '3f2504e0-4f89-11d3-9a0c-0305e82c3301', or empty"),
    Setting("locustUsers", "integer", "Locust users (the guide: 5000).", 5000),
    Setting("locustSpawnRate", "integer", "Locust users started per second (the guide: 100).", 100),
    Setting("locustHost", "string", "Base URL Locust calls instead of loadTestTarget's. Empty: the same target as k6.",
            "", example="an http(s) base URL such as 'http://api-gateway.tartware-system.svc.cluster.local:8080', "
                        "or empty for loadTestTarget's"),
    Setting("locustWorkers", "integer",
            "Locust worker pods. Unset: ceil(locustUsers / 250), 250 users per worker, and on the edge path enough "
            "workers that each stays at or below 80 % of edgeRateLimit (docs/operations.md).", None),
    Setting("backupEnabled", "boolean",
            "Scheduled pg_dump of the tartware database to a PersistentVolumeClaim. prod refuses false unless "
            "backupOptOut=true.", True),
    Setting("backupOptOut", "boolean",
            "prod only: run without the nightly logical dump (backupEnabled=false). Says so explicitly; false refuses "
            "such a prod stack.", False),
    Setting("backupSchedule", "string", "Cron schedule of the backup CronJob (UTC).", "0 2 * * *",
            example="a 5-field cron expression such as '0 2 * * *' or @daily"),
    Setting("backupRetentionDays", "integer", "Backups older than this many days are pruned (1-365).", 7),
    Setting("backupStorageSize", "string", "Size of the backup PersistentVolumeClaim.", per_env=("5Gi", "100Gi")),
    Setting("backupStorageClass", "string",
            "StorageClass of the backup PersistentVolumeClaim; empty = the cluster default.", "",
            example="a lower-case StorageClass name, or empty for the cluster default"),
    Setting("backupOffsiteBucket", "string",
            "S3-compatible bucket every verified dump is copied to (and, on vsphere/baremetal, the etcd snapshots); "
            "empty = no off-site copy. prod requires it unless backupOffsiteOptOut=true.", "",
            example="an S3 bucket name: 3-63 lower-case letters, digits, '.' or '-' (or empty: no off-site copy)"),
    Setting("backupOffsitePrefix", "string",
            "Key prefix in the bucket: dumps under <prefix>/postgres/, etcd snapshots under <prefix>/etcd/. Empty: "
            "tartware/<stack>, one folder per stack.", "",
            example="a key prefix such as 'tartware/prod' (no leading or trailing '/'), or empty for tartware/<stack>"),
    Setting("backupOffsiteEndpoint", "string",
            "Endpoint URL of an S3-compatible store (https://minio.example.com); empty = AWS S3.", "",
            example="an http(s) URL of the store such as 'https://minio.example.com:9000' (or empty for AWS S3)"),
    Setting("backupOffsiteRegion", "string",
            "Region of the bucket (required with backupOffsiteBucket; e.g. eu-west-1, or us-east-1 for most "
            "S3-compatible stores).", "", example="a region name such as 'eu-west-1'"),
    Setting("backupOffsiteProvider", "string",
            "rclone S3 provider of the store: " + ", ".join(OFFSITE_PROVIDERS) + ".", "AWS"),
    Setting("backupOffsiteAccessKeyId", "string",
            "Access key ID for the bucket (secret). Required with backupOffsiteBucket unless backupOffsiteRoleArn is "
            "set.", secret=True),
    Setting("backupOffsiteSecretAccessKey", "string",
            "Secret access key for the bucket (secret). Required with backupOffsiteAccessKeyId.", secret=True),
    Setting("backupOffsiteRoleArn", "string",
            "IAM role the backup pods assume with their service-account token (IRSA; EKS clusters) instead of access "
            "keys.", "", example="an IAM role ARN such as 'arn:aws:iam::123456789012:role/tartware-backups'"),
    Setting("backupOffsiteEncryption", "string",
            "Server-side encryption of uploaded dumps: AES256, aws:kms, or bucket-default (the store encrypts every "
            "object itself; it must be configured to). Empty: AES256 on AWS, bucket-default on every other provider "
            "(MinIO without a KMS rejects AES256).", ""),
    Setting("backupOffsiteKmsKeyId", "string",
            "KMS key ARN for backupOffsiteEncryption=aws:kms; empty = the account's aws/s3 key.", "",
            example="a KMS key ARN such as 'arn:aws:kms:eu-west-1:123456789012:key/<id>'"),
    Setting("backupOffsiteOptOut", "boolean",
            "prod only: accept backups that never leave the cluster (no backupOffsiteBucket). Says so explicitly; "
            "false refuses such a prod stack.", False),
    Setting("backupRestoreFrom", "string",
            "Run the restore Job: latest (newest dump in the claim) or a dump name such as "
            "tartware-20260101T020000Z.dump; offsite:latest or offsite:<name> fetches it from backupOffsiteBucket "
            "first; empty = no restore Job.", "",
            example="'latest' or a dump name such as 'tartware-20260101T020000Z.dump', each optionally "
                    "prefixed 'offsite:' (or empty: no restore)"),
    Setting("backupRestoreRunId", "string",
            "Suffix of the restore Job name (postgres-restore-<runId>); change it to restore again.", "1",
            example="a short lower-case name such as '1' or 'after-incident' (at most 20 characters)"),
    Setting("backupRestoreOverwrite", "boolean",
            "Let the restore Job replace the objects of a database that already holds tables (the runbook's case); "
            "false refuses a non-empty database.", False),
    Setting("vpaEnabled", "boolean",
            "VerticalPodAutoscalers in recommendation mode (updateMode Off) for every enabled Tartware service.", True),
    Setting("vpaInstallRecommender", "boolean",
            "Install the VPA CRDs and recommender (fairwinds vpa chart); false if the cluster already runs VPA.", True),
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
    pre_allocated_vus: int  # per pod
    max_vus: int  # per pod
    cpu_request_millicores: int
    cpu_limit_millicores: int
    memory_request_mib: int
    memory_limit_mib: int


def generator_sizing(profile: str, rate: int, pods: Optional[int] = None) -> GeneratorSizing:
    """VU and resource math for ``profile`` at ``rate`` requests/s over ``pods`` generators."""
    if profile == "smoke":
        return GeneratorSizing(1, SMOKE_VUS, SMOKE_VUS, 250, 1000, 256, 512)
    pods = pods or max(1, math.ceil(rate / RATE_PER_GENERATOR))
    per_pod = math.ceil(rate / pods)
    pre = math.ceil(per_pod * P95_SECONDS)
    most = max(pre, math.ceil(per_pod * P99_SECONDS))
    cpu = max(250, math.ceil(per_pod * MILLICORES_PER_1K_RPS / 1000))
    return GeneratorSizing(
        pods=pods,
        pre_allocated_vus=pre,
        max_vus=most,
        cpu_request_millicores=cpu,
        cpu_limit_millicores=2 * cpu,
        memory_request_mib=BASE_MIB + pre * MIB_PER_VU,
        memory_limit_mib=BASE_MIB + most * MIB_PER_VU,
    )


LOCUST_USERS_PER_WORKER = 250  # estimate: ~1,000 req/s per worker process at ~4 req/s per user
LOCUST_RPS_PER_USER = 4  # the guide's Locust run: 5000 users for its 20,000 req/s

# core-service's login throttle, per username, successful logins included (red2n/tartware@a2583469
# Apps/core-service/src/lib/tenant-auth-throttle.ts; defaults Apps/config/src/index.ts:88-89
# TENANT_AUTH_THROTTLE_MAX_ATTEMPTS 20, TENANT_AUTH_THROTTLE_WINDOW_SECONDS 60; the chart does not set them).
LOGIN_THROTTLE_ATTEMPTS = 20
LOGIN_THROTTLE_WINDOW_SECONDS = 60
# The app's access token lives AUTH_JWT_EXPIRES_IN_SECONDS, 3600 s by default (red2n/tartware@a2583469
# Apps/config/src/index.ts:75; the chart does not set it), and each k6 generator logs in once, in
# setup(), which k6 runs after the coordinator resumes it (grafana/k6@v1.7.1
# internal/execution/scheduler.go Run). The token must outlast setup's lookups (mix.json wait_seconds,
# 30 s) and the scenario's graceful stop past the duration (30 s, lib/executor/base_config.go
# DefaultGracefulStopValue): a longer loadTestDuration is refused. Locust users log in again instead
# (loadtest/locust/locustfile.py relogin_after: a Locust run has no set length).
APP_TOKEN_LIFETIME_SECONDS = 3600
LOAD_TEST_TOKEN_MARGIN_SECONDS = 60
MAX_LOAD_TEST_SECONDS = APP_TOKEN_LIFETIME_SECONDS - LOAD_TEST_TOKEN_MARGIN_SECONDS
# On the edge path every generator is one client address of the per-client limit: it sends at most
# this share of edgeRateLimit, so the limit counts it (a Redis write per request, as for any client)
# and never refuses it while the rate holds.
EDGE_SHARE = 0.8


def min_accounts(profile: str, pods: int, users: int = 0, spawn_rate: int = 0) -> int:
    """The fewest load-test accounts that keep each within the login throttle: smoke logs in once,
    each k6 generator once (setup()), each Locust user once as it starts (spawn_rate per second)."""
    if profile == "locust":
        logins_per_window = min(users, spawn_rate * LOGIN_THROTTLE_WINDOW_SECONDS)
    else:
        logins_per_window = pods
    return max(1, math.ceil(logins_per_window / LOGIN_THROTTLE_ATTEMPTS))


@dataclass(frozen=True)
class EdgePath:
    """What the platform offers a load test that goes through the edge (PlatformSettings.load_test_edge)."""

    available: bool  # the API is routed through istio-ingressgateway and takes plain in-cluster connections
    url: str  # the gateway's in-cluster Service
    host_header: str  # api.<domain>: the host the gateway routes to api-gateway
    per_address_limit: int  # edgeRateLimit (0 = off)


@dataclass(frozen=True)
class LoadTestEndpoint:
    """Where the load-test pods send their requests."""

    path: str  # edge | service | url (loadTestTargetUrl / locustHost)
    url: str
    host_header: str  # "" = the URL's host


class OpsInput(SettingsModel):
    load_test: Literal["off", "smoke", "load", "locust"]
    load_test_target: Optional[Literal["edge", "service"]] = None
    load_test_target_url: Annotated[str, Field(pattern=r"^(https?://[A-Za-z0-9.-]+(:\d+)?(/[A-Za-z0-9._~/-]*)?)?$")]
    load_test_rate: Annotated[int, Field(ge=1, le=200000)]
    load_test_duration: Annotated[str, Field(pattern=r"^[1-9]\d*[smh]$")]
    load_test_generators: Optional[Annotated[int, Field(ge=1, le=100)]] = None
    load_test_run_id: Annotated[str, Field(pattern=r"^[a-z0-9]([a-z0-9-]{0,18}[a-z0-9])?$")]
    load_test_username: Annotated[str, Field(max_length=40)]
    load_test_accounts: Optional[Annotated[int, Field(ge=1, le=10000)]] = None
    load_test_tenant_id: Annotated[str, Field(
        pattern=r"^([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})?$")]
    locust_users: Annotated[int, Field(ge=1, le=100000)]
    locust_spawn_rate: Annotated[int, Field(ge=1, le=10000)]
    locust_host: Annotated[str, Field(pattern=r"^(https?://[A-Za-z0-9.-]+(:\d+)?)?$")]
    locust_workers: Optional[Annotated[int, Field(ge=1, le=200)]] = None
    backup_enabled: bool
    backup_opt_out: bool
    backup_schedule: Annotated[str, Field(pattern=r"^(@(hourly|daily|weekly|monthly|yearly)|(\S+\s+){4}\S+)$")]
    backup_retention_days: Annotated[int, Field(ge=1, le=365)]
    backup_storage_size: Optional[MemQ] = None
    backup_storage_class: Annotated[str, Field(pattern=r"^([a-z0-9]([a-z0-9.-]*[a-z0-9])?)?$")]
    # AWS "General purpose bucket naming rules": 3-63 characters, lower-case letters, digits, '.'
    # and '-', beginning and ending with a letter or digit.
    backup_offsite_bucket: Annotated[str, Field(pattern=r"^([a-z0-9][a-z0-9.-]{1,61}[a-z0-9])?$")]
    backup_offsite_prefix: Annotated[str, Field(pattern=r"^([A-Za-z0-9!_.*'()-]+(/[A-Za-z0-9!_.*'()-]+)*)?$",
                                                max_length=200)]
    backup_offsite_endpoint: Annotated[str, Field(pattern=r"^(https?://[A-Za-z0-9.-]+(:\d+)?/?)?$")]
    backup_offsite_region: Annotated[str, Field(pattern=r"^([a-z0-9][a-z0-9-]{0,30})?$")]
    backup_offsite_provider: Literal["AWS", "Ceph", "Cloudflare", "DigitalOcean", "Minio", "Wasabi", "Other"]
    backup_offsite_role_arn: Annotated[str, Field(
        pattern=r"^(arn:aws[a-z-]*:iam::\d{12}:role/[A-Za-z0-9+=,.@_/-]{1,512})?$")]
    backup_offsite_encryption: Literal["", "AES256", "aws:kms", "bucket-default"]
    backup_offsite_kms_key_id: Annotated[str, Field(
        pattern=r"^(arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:(key|alias)/[A-Za-z0-9/_-]+)?$")]
    backup_offsite_opt_out: bool
    backup_restore_from: Annotated[str, Field(pattern=r"^((offsite:)?(latest|[A-Za-z0-9_-]+-\d{8}T\d{6}Z\.dump))?$")]
    backup_restore_run_id: Annotated[str, Field(pattern=r"^[a-z0-9]([a-z0-9-]{0,18}[a-z0-9])?$")]
    backup_restore_overwrite: bool
    vpa_enabled: bool
    vpa_install_recommender: bool


@dataclass(frozen=True)
class LocustSettings:
    users: int
    spawn_rate: int
    host: str  # empty: the same target as k6 (loadTestTarget)
    workers_setting: Optional[int]  # None: computed (workers)

    def workers(self, edge_limit: int) -> int:
        """Worker pods: 250 users each, and on the edge path each at most EDGE_SHARE of the per-address limit."""
        if self.workers_setting:
            return self.workers_setting
        workers = max(1, math.ceil(self.users / LOCUST_USERS_PER_WORKER))
        if edge_limit:
            workers = max(workers, math.ceil(self.users * LOCUST_RPS_PER_USER / (edge_limit * EDGE_SHARE)))
        return workers


@dataclass(frozen=True)
class LoadTestSettings:
    profile: str  # smoke | load | locust
    target: Optional[str]  # edge | service; None: edge where the platform offers it (endpoint)
    target_url: str  # "" = from target
    rate: int
    duration: str
    run_id: str
    generators: Optional[int]  # None: computed (sizing)
    username: str  # the accounts' prefix
    password: Optional[pulumi.Output]  # secret
    accounts_setting: Optional[int] = None  # None: min_accounts
    tenant_id: str = ""
    locust: Optional[LocustSettings] = None

    @property
    def duration_seconds(self) -> int:
        return int(self.duration[:-1]) * {"s": 1, "m": 60, "h": 3600}[self.duration[-1]]

    def endpoint(self, edge: EdgePath) -> LoadTestEndpoint:
        """loadTestTargetUrl (or locustHost) as given; else the edge when chosen or, unset, when
        available; else the api-gateway Service."""
        explicit = self.locust.host if self.locust is not None and self.locust.host else self.target_url
        if explicit:
            return LoadTestEndpoint("url", explicit, "")
        if self.target == "edge" or (self.target is None and edge.available):
            return LoadTestEndpoint("edge", edge.url, edge.host_header)
        return LoadTestEndpoint("service", DEFAULT_LOAD_TEST_TARGET, "")

    def edge_limit(self, edge: EdgePath) -> int:
        """The per-address limit each load-test pod meets (0: none on its path)."""
        return edge.per_address_limit if self.endpoint(edge).path == "edge" else 0

    def sizing(self, edge: EdgePath) -> GeneratorSizing:
        pods = self.generators
        limit = self.edge_limit(edge)
        if self.profile == "load" and not pods and limit:
            pods = max(math.ceil(self.rate / RATE_PER_GENERATOR), math.ceil(self.rate / (limit * EDGE_SHARE)))
        return generator_sizing(self.profile, self.rate, pods)

    def accounts(self, edge: EdgePath) -> int:
        return self.accounts_setting or self.min_accounts(edge)

    def min_accounts(self, edge: EdgePath) -> int:
        if self.locust is not None:
            return min_accounts("locust", 0, self.locust.users, self.locust.spawn_rate)
        return min_accounts(self.profile, self.sizing(edge).pods)

    def problems(self, edge: EdgePath, why_not: str = "") -> list[tuple[str, str, Any]]:
        """(key, message, value) for what the platform cannot carry: an edge that is not there, a
        pod above the per-address limit, too few accounts for the login throttle."""
        found: list[tuple[str, str, Any]] = []
        if self.target == "edge" and not edge.available and not self.target_url:
            found.append(("loadTestTarget", f"the edge path is not available: {why_not}; allowed: service, "
                          "or loadTestTargetUrl", "edge"))
        limit = self.edge_limit(edge)
        if limit and self.profile == "load":
            per_pod = math.ceil(self.rate / self.sizing(edge).pods)
            if per_pod > limit * EDGE_SHARE:
                found.append(("loadTestGenerators", f"each of {self.sizing(edge).pods} generators would send {per_pod} "
                              f"req/s through the edge, above {int(EDGE_SHARE * 100)} % of edgeRateLimit={limit} per "
                              f"client address; allowed: at least {math.ceil(self.rate / (limit * EDGE_SHARE))} "
                              "(or unset), or loadTestTarget=service", self.generators))
        if limit and self.locust is not None:
            workers = self.locust.workers(limit)
            per_worker = math.ceil(self.locust.users * LOCUST_RPS_PER_USER / workers)
            if per_worker > limit * EDGE_SHARE:
                found.append(("locustWorkers", f"each of {workers} workers would send ~{per_worker} req/s through the "
                              f"edge, above {int(EDGE_SHARE * 100)} % of edgeRateLimit={limit} per client address; "
                              "allowed: at least "
                              f"{math.ceil(self.locust.users * LOCUST_RPS_PER_USER / (limit * EDGE_SHARE))}"
                              " (or unset), or loadTestTarget=service", self.locust.workers_setting))
        if self.profile == "load" and self.duration_seconds > MAX_LOAD_TEST_SECONDS:
            found.append(("loadTestDuration", f"{self.duration} ({self.duration_seconds} s) outlives the app's access "
                          f"token, which each k6 generator gets once in setup(): AUTH_JWT_EXPIRES_IN_SECONDS "
                          f"{APP_TOKEN_LIFETIME_SECONDS} s less {LOAD_TEST_TOKEN_MARGIN_SECONDS} s for setup's lookups "
                          f"and k6's graceful stop; allowed: at most {MAX_LOAD_TEST_SECONDS}s "
                          f"({MAX_LOAD_TEST_SECONDS // 60}m), or several runs (loadTestRunId)", self.duration))
        need = self.min_accounts(edge)
        if self.accounts_setting is not None and self.accounts_setting < need:
            found.append(("loadTestAccounts", f"too few for core-service's login throttle ({LOGIN_THROTTLE_ATTEMPTS} "
                          f"logins per {LOGIN_THROTTLE_WINDOW_SECONDS} s per username): this profile logs in "
                          f"{self._logins()} times; allowed: at least {need}", self.accounts_setting))
        return found

    def _logins(self) -> str:
        if self.locust is not None:
            return f"{self.locust.users} times, {self.locust.spawn_rate} per second"
        return "once per generator pod"


@dataclass(frozen=True)
class OffsiteSettings:
    """An S3-compatible target for the dumps (and the etcd snapshots of the Rancher targets)."""

    bucket: str
    prefix: str  # without leading/trailing '/'; dumps under <prefix>/postgres, etcd under <prefix>/etcd
    endpoint: str  # "" = AWS S3
    region: str
    provider: str  # rclone --s3-provider
    encryption: str  # AES256 | aws:kms | bucket-default
    kms_key_id: str
    role_arn: str  # IRSA; "" = access keys
    access_key_id: Optional[pulumi.Output] = None  # secret
    secret_access_key: Optional[pulumi.Output] = None  # secret

    def folder(self, kind: str) -> str:
        return f"{self.prefix}/{kind}" if self.prefix else kind


@dataclass(frozen=True)
class RestoreSettings:
    source: str  # "latest" or a dump name (in the claim, or in the bucket when from_offsite)
    run_id: str
    overwrite: bool
    from_offsite: bool = False


@dataclass(frozen=True)
class BackupSettings:
    schedule: str
    retention_days: int
    storage_size: str
    storage_class: str
    max_interval_seconds: int = 86400  # longest gap between two scheduled runs
    offsite: Optional[OffsiteSettings] = None
    restore: Optional[RestoreSettings] = None

    @property
    def stale_after_seconds(self) -> int:
        """Age of the last success after which a backup is overdue: the longest gap between runs
        plus the time one run may take to start and finish."""
        return self.max_interval_seconds + BACKUP_STARTING_DEADLINE_SECONDS + BACKUP_ACTIVE_DEADLINE_SECONDS


@dataclass(frozen=True)
class OpsSettings:
    load_test: Optional[LoadTestSettings] = None  # None = off
    backup: Optional[BackupSettings] = None  # None = disabled
    vpa_enabled: bool = True
    vpa_install_recommender: bool = True

    @property
    def offsite(self) -> Optional[OffsiteSettings]:
        """The off-site bucket, if any: the dumps' copies and PostgreSQL's WAL archive and base backups."""
        return self.backup.offsite if self.backup is not None else None


PATTERN_TEXT = {"backupSchedule": "a 5-field cron expression such as '0 2 * * *' or @daily"}

# Settings that describe an off-site target: setting any of them without a bucket is a mistake.
_OFFSITE_DETAILS = ("backupOffsiteEndpoint", "backupOffsiteRegion", "backupOffsiteRoleArn", "backupOffsiteKmsKeyId")


def default_prefix(stack: str) -> str:
    return f"{DEFAULT_PREFIX_ROOT}/{stack}"


def offsite_encryption(provider: str, given: str) -> str:
    """The server-side encryption uploads ask for: ``given``, or the provider's default."""
    return given or DEFAULT_OFFSITE_ENCRYPTION.get(provider, "bucket-default")


def _offsite(inp: OpsInput, ctx: BuildContext) -> Optional[OffsiteSettings]:
    problems = ctx.problems
    details = {name: getattr(inp, _snake(name)) for name in _OFFSITE_DETAILS}
    if not inp.backup_offsite_bucket:
        # (secrets are read only when a configuration needs them, as registryPassword is)
        given = [name for name, value in details.items() if value]
        if given:
            problems.add(key("backupOffsiteBucket"), f"required when {', '.join(given)} is set: the off-site "
                         "target needs a bucket", "")
        return None
    if not inp.backup_offsite_region:
        problems.add(key("backupOffsiteRegion"), "required when backupOffsiteBucket is set (e.g. eu-west-1; "
                     "us-east-1 for most S3-compatible stores)", "")
    encryption = offsite_encryption(inp.backup_offsite_provider, inp.backup_offsite_encryption)
    if inp.backup_offsite_kms_key_id and encryption != "aws:kms":
        problems.add(key("backupOffsiteKmsKeyId"), "only used with backupOffsiteEncryption=aws:kms",
                     inp.backup_offsite_kms_key_id)
    if encryption != "bucket-default" and inp.backup_offsite_provider not in SSE_PROVIDERS:
        problems.add(key("backupOffsiteEncryption"), f"rclone sends no server-side encryption header to "
                     f"provider {inp.backup_offsite_provider}; allowed for it: bucket-default (or unset). "
                     f"AES256 and aws:kms need provider {', '.join(SSE_PROVIDERS)}", encryption)
    access_key = secret_key = None
    if inp.backup_offsite_role_arn:
        for secret_name in ("backupOffsiteAccessKeyId", "backupOffsiteSecretAccessKey"):
            if ctx.read_secret(secret_name, False, problems, "") is not None:
                problems.add(key(secret_name), "set either access keys or backupOffsiteRoleArn (IRSA), not both")
    else:
        why = " when backupOffsiteBucket is set without backupOffsiteRoleArn"
        access_key = ctx.read_secret("backupOffsiteAccessKeyId", True, problems, why)
        secret_key = ctx.read_secret("backupOffsiteSecretAccessKey", True, problems, why)
    return OffsiteSettings(
        bucket=inp.backup_offsite_bucket,
        prefix=inp.backup_offsite_prefix.strip("/") or default_prefix(ctx.stack),
        endpoint=inp.backup_offsite_endpoint.rstrip("/"),
        region=inp.backup_offsite_region,
        provider=inp.backup_offsite_provider,
        encryption=encryption,
        kms_key_id=inp.backup_offsite_kms_key_id,
        role_arn=inp.backup_offsite_role_arn,
        access_key_id=access_key,
        secret_access_key=secret_key,
    )


def _snake(name: str) -> str:
    return "".join(f"_{c.lower()}" if c.isupper() else c for c in name)


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
            target=inp.load_test_target,
            target_url=inp.load_test_target_url.rstrip("/"),
            rate=inp.load_test_rate,
            duration=inp.load_test_duration,
            run_id=inp.load_test_run_id,
            generators=inp.load_test_generators if inp.load_test == "load" else None,
            username=inp.load_test_username,
            password=password,
            accounts_setting=inp.load_test_accounts,
            tenant_id=inp.load_test_tenant_id,
            locust=LocustSettings(inp.locust_users, inp.locust_spawn_rate, inp.locust_host.rstrip("/"),
                                  inp.locust_workers)
            if inp.load_test == "locust" else None,
        )
    backup = None
    if inp.backup_enabled:
        size = (str(inp.backup_storage_size) if inp.backup_storage_size is not None
                else env_default(DECLARED, "backupStorageSize", ctx.is_prod))
        try:
            interval = cron.max_interval_seconds(inp.backup_schedule)
        except cron.CronError as exc:
            ctx.problems.add(key("backupSchedule"), f"{exc}; expected {PATTERN_TEXT['backupSchedule']}",
                             inp.backup_schedule)
            interval = 86400
        offsite = _offsite(inp, ctx)
        restore = None
        if inp.backup_restore_from:
            source = inp.backup_restore_from.removeprefix("offsite:")
            from_offsite = source != inp.backup_restore_from
            if from_offsite and not inp.backup_offsite_bucket:
                ctx.problems.add(key("backupRestoreFrom"), "restoring from the off-site copy needs "
                                 "backupOffsiteBucket (and its credentials)", inp.backup_restore_from)
            restore = RestoreSettings(source, inp.backup_restore_run_id, inp.backup_restore_overwrite, from_offsite)
        backup = BackupSettings(inp.backup_schedule, inp.backup_retention_days, size, inp.backup_storage_class,
                                max_interval_seconds=interval, offsite=offsite, restore=restore)
        if (ctx.deploying and ctx.is_prod and backup.offsite is None and inp.backup_offsite_bucket == ""
                and not inp.backup_offsite_opt_out):
            ctx.problems.add(key("backupOffsiteBucket"),
                             "prod keeps a copy of every backup outside the cluster: set backupOffsiteBucket "
                             "(with backupOffsiteRegion and credentials), or set backupOffsiteOptOut=true to accept "
                             "backups that are lost with the cluster", "")
        if inp.backup_offsite_opt_out and inp.backup_offsite_bucket:
            ctx.problems.add(key("backupOffsiteOptOut"), "contradicts backupOffsiteBucket: opt out of the off-site "
                             "copy or configure one, not both", True)
        if inp.backup_opt_out:
            ctx.problems.add(key("backupOptOut"), "contradicts backupEnabled=true: opt out of the nightly dump "
                             "or keep it, not both", True)
    else:
        if inp.backup_restore_from:
            ctx.problems.add(key("backupRestoreFrom"), "needs backupEnabled=true (the dumps live in its claim)",
                             inp.backup_restore_from)
        if ctx.deploying and ctx.is_prod and not inp.backup_opt_out:
            ctx.problems.add(key("backupEnabled"), "prod keeps the nightly logical dump as a second line beside "
                             "the WAL archive: set backupEnabled=true, or set backupOptOut=true to run prod "
                             "without it", False)
    return OpsSettings(load_test=load_test, backup=backup, vpa_enabled=inp.vpa_enabled,
                       vpa_install_recommender=inp.vpa_install_recommender)
