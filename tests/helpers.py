"""Helpers several test modules share: program runs cached per test session, the "refused before any
resource" check, and the stack configurations and readers more than one file uses.

Test modules import from here (or from tests/guide.py), never from one another:
tests/test_test_layout.py checks it.
"""

from __future__ import annotations

import copy
import sys
import types
from pathlib import Path
from typing import Any

import pytest

from components.platform.postgres import ArchiveArgs
from components.platform.data_tier import DataArgs, postgres_args
from settings import targets
from settings.errors import SettingsError
from program.load import build_settings
from tools.offline import DefaultMocks, ProgramRun, RecordingMonitor, recorded_run, run_program, stack_config
from tools.scan import SSO_EXAMPLE, VARIANTS
from tools.system import PROGRAM, Item, SystemRender, system_of

ROOT = Path(__file__).resolve().parent.parent
NS = "tartware-infra"
RELEASE = "kubernetes:helm.sh/v3:Release"
APP_RELEASE = "tartware-release"  # the platform layer registers third-party releases too
SECRET = "kubernetes:core/v1:Secret"
# The data tier's volume-size guards (components/platform/data_tier.py volume_guard): state-only,
# protected with the stack's data (prod), so a new claim size of a StatefulSet-backed release stops at preview.
VOLUME_GUARDS = {"platform-data-redis-volume-size", "platform-data-redpanda-volume-size",
                 "platform-data-consul-volume-size"}


# --- program runs, once per test session ---------------------------------------------------------

def program_run(stack: str):
    """The real stack run once per test session (the mock engine is not free)."""
    return recorded_run(stack)


_VARIANT_RUNS: dict = {}
_VARIANT_SYSTEMS: dict = {}


def variant_run(stack: str, overrides=None, secrets=None):
    """The program for ``stack`` with config ``overrides`` and ``secrets`` (full keys), run once per
    test session: the files that use the same variants share one work unit (tests/conftest.py SAME_UNIT)."""
    if not overrides and not secrets:
        return recorded_run(stack)
    key = (stack, repr(sorted((overrides or {}).items())), repr(sorted((secrets or {}).items())))
    if key not in _VARIANT_RUNS:
        _VARIANT_RUNS[key] = run_program(stack, *stack_config(stack, overrides=overrides, secrets=secrets))
    return _VARIANT_RUNS[key]


# The example stacks of docs/examples/stacks, by name (Pulumi.<name>.yaml).
EXAMPLE_STACKS = {p.name.split(".")[1]: p
                  for p in sorted((ROOT / "docs" / "examples" / "stacks").glob("Pulumi.*.yaml"))}


def example_run(name: str):
    """The program for an example stack of docs/examples/stacks (tools.offline caches the run per
    process, so the apply simulation's model of the same example shares it)."""
    return run_program(name, *stack_config(name, path=EXAMPLE_STACKS[name]))


def system_render(stack: str):
    """The whole system of a stack (every release from its chart + the program's own objects),
    rendered once per test session from the cached program run (tools/system.py); or of a scan
    variant of tools/scan.py (``prod-backup-restore``: the off-site bucket, so the WAL archive)."""
    if stack in ("dev", "prod"):
        return system_of(stack)
    if stack not in _VARIANT_SYSTEMS:
        from tools.scan import variant_overrides
        from tools.system import render_system

        _VARIANT_SYSTEMS[stack] = render_system(variant_run(*variant_overrides(stack)))
    return _VARIANT_SYSTEMS[stack]


def platform_run(stack: str, overrides=None, secrets=None):
    """From the session cache other files share (``variant_run``)."""
    return variant_run(stack, overrides, secrets)


def releases(run) -> dict:
    """The Helm releases of a run by release name."""
    return {r.plain["name"]: r for r in run.of_type(RELEASE)}


# --- bad input is refused before any resource ----------------------------------------------------

def run_with(overrides=None, secrets=None, stack="prod"):
    config, secret_keys = stack_config(stack, overrides=overrides, secrets=secrets)
    monitor = RecordingMonitor(DefaultMocks())
    with pytest.raises(SettingsError) as info:
        run_program(stack, config, secret_keys, monitor=monitor)
    assert monitor.registered == [], "resources were registered before validation failed"
    return str(info.value)


def assert_refused(overrides, key, fragments=(), secrets=None, stack="prod"):
    """``stack`` with ``overrides`` and ``secrets`` (keys without the project prefix) is refused before
    any resource is registered, naming ``key`` (with or without the prefix) and saying every
    fragment; returns the message."""
    message = run_with({f"{NS}:{k}": v for k, v in overrides.items()},
                       {f"{NS}:{k}": v for k, v in secrets.items()} if secrets else None, stack)
    assert (key if key.startswith(f"{NS}:") else f"{NS}:{key}") in message, message
    for fragment in fragments:
        assert fragment in message, message
    return message


def case_ids(cases):
    """Test ids for (overrides, key, fragments) cases: the key without the project prefix, numbered."""
    return [c[1].split(":", 1)[1] + f"#{i}" for i, c in enumerate(cases)]


# --- stack configurations several files use ------------------------------------------------------

# Example addresses from the documentation ranges (RFC 5737).
LB_POOL = "192.168.10.224/28"
VSPHERE = {
    "clusterTarget": "vsphere", "rancherApiUrl": "https://rancher.example.com",
    "vsphereVcenter": "vcenter.example.com", "vsphereUsername": "svc-rancher",
    "vsphereDatacenter": "DC1", "vsphereDatastore": "ds-ssd", "vsphereNetwork": "VM Network",
    "vsphereResourcePool": "Cluster1/Resources/tartware", "vsphereFolder": "tartware",
    "loadBalancerAddresses": LB_POOL, "nodeNetworkCidr": "192.168.10.0/24",
}
VSPHERE_SECRETS = {"rancherToken": "token-abc:rancher-secret", "vspherePassword": "vcenter-secret-pw"}

# Data-tier variants (tests/test_data.py, tests/test_postgres_migration.py, tests/test_observability.py).
# The scan variant prod-backup-restore: the bucket through IRSA (the conformance tests render it too).
IRSA = VARIANTS["prod-backup-restore"][1]
IMPORT = {f"{NS}:postgresMigration": "import"}
CUTOVER = {f"{NS}:postgresMigration": "cutover"}
PITR = {**IRSA, f"{NS}:postgresCluster": "postgres-pitr1", f"{NS}:postgresRecoverySource": "postgres",
        f"{NS}:postgresRecoveryTarget": "2026-08-01T10:15:00Z", f"{NS}:postgresSynchronous": "required"}

# clusterTarget's allowed values as pydantic's Literal error lists them ('a', 'b' or 'c'): the registry's
_QUOTED_TARGETS = [f"'{t}'" for t in targets.TARGETS]
ALLOWED_TARGETS = f"{', '.join(_QUOTED_TARGETS[:-1])} or {_QUOTED_TARGETS[-1]}"

# --- cluster targets ----------------------------------------------------------------------------

SSO = {k.split(":", 1)[1]: v for k, v in SSO_EXAMPLE.items()}
ALLOWLIST = {"operatorAccess": "allowlist", "operatorAllowedCidrs": ["203.0.113.0/24", "2001:db8::/48"]}

# The cluster targets of tests/test_audits.py (tests/test_vendored_charts.py renders their releases).
# Every target with a way for operators to reach the tools (operatorAccess): existing keeps the
# committed prod stack's internal, eks an allowlist (the PROXY protocol keeps the client address),
# vsphere single sign-on with a generated cookie secret, baremetal an allowlist (MetalLB, Local), vault
# single sign-on with both secrets from Vault.
TARGETS = {
    "existing": ({}, {}),
    "eks": ({"clusterTarget": "eks", "eksPublicAccessCidrs": ["203.0.113.0/24"], **ALLOWLIST}, {}),
    "vsphere": ({**VSPHERE, **SSO}, {**VSPHERE_SECRETS, "operatorSsoClientSecret": "sso-client-secret-pw"}),
    "baremetal": ({"clusterTarget": "baremetal", "rancherInstall": True,
                   "loadBalancerAddresses": "192.168.20.200-192.168.20.220", **ALLOWLIST}, {}),
    "vault": ({"secretsBackend": "vault", "vaultServer": "https://vault.example.com:8200",
               "registryServer": "registry.example.com", "registryUsername": "ci", **SSO}, {}),
    "registry": ({"registryServer": "registry.example.com", "registryUsername": "ci"},
                 {"registryPassword": "registry-secret-pw"}),
}


def run_target_config(stack, overrides, secrets):
    """``stack`` with ``overrides`` and ``secrets`` (keys without the project prefix), run (no cache)."""
    config, keys = stack_config(stack, overrides={f"{NS}:{k}": v for k, v in overrides.items()},
                                secrets={f"{NS}:{k}": v for k, v in secrets.items()})
    return run_program(stack, config, keys)


_CACHE: dict[tuple[str, str], ProgramRun] = {}


def target_run(stack, target):
    """``stack`` on one of TARGETS, run once per test session."""
    if (stack, target) not in _CACHE:
        _CACHE[(stack, target)] = run_target_config(stack, *TARGETS[target])
    return _CACHE[(stack, target)]


# --- the k6 scripts (tests/test_loadtest.py, tests/test_coordinator.py) -----------------------------

K6 = ROOT / "loadtest" / "k6"


def _esprima():
    import esprima  # a second to import: only the xdist worker that runs these tests pays for it

    return esprima


def module(path: str):
    return _esprima().parseModule((K6 / path).read_text(), {"loc": True})


def exported_const(path: str, name: str):
    for node in module(path).body:
        if (node.type == "ExportNamedDeclaration" and node.declaration
                and node.declaration.type == "VariableDeclaration"):
            for d in node.declaration.declarations:
                if d.id.name == name:
                    return d.init
    raise AssertionError(f"{path} exports no const {name}")


# --- the PostgreSQL cluster's args (tests/test_postgres_alerts.py, tests/test_promql_metrics.py) -----

ARCHIVE = ArchiveArgs(destination="s3://b/tartware/pitr", endpoint="", region="eu-west-1", encryption="AES256",
                      kms_key_id="", role_arn="arn:aws:iam::123456789012:role/b")


def sample_args(archive: bool = True, synchronous: str = "required"):
    """The prod cluster's PostgresArgs as the DataTier makes them (3 instances, the default daily
    base backup), with or without an archive."""
    settings = build_settings({"environment": "prod", "postgresSynchronous": synchronous})
    data = DataArgs(settings.data, True, None, None, archive=ARCHIVE if archive else None)  # type: ignore[arg-type]
    return postgres_args(data, None, None, "tartware", "tartware")


# --- what waits for a LoadBalancer address (tests/test_real_waits.py, tests/test_platform.py) --------

# Values switches that make a chart render a LoadBalancer Service, with the chart's default, from
# the chart sources at the pinned versions (charts' values.yaml):
#   release -> [(path to the switch, default, value that means "a LoadBalancer Service")]
LOAD_BALANCER_SWITCHES = {
    # kubernetes/ingress-nginx@helm-chart-4.12.8 charts/ingress-nginx/values.yaml controller.service
    "ingress-nginx": [(("controller", "service", "type"), "LoadBalancer", "LoadBalancer")],
    # hashicorp/consul-k8s@v1.9.11 charts/consul/values.yaml: server.exposeService (enabled "-" follows
    # global.adminPartitions.enabled, false), meshGateway.enabled false, ingressGateways.enabled false
    "consul": [(("server", "exposeService", "enabled"), "-", True),
               (("global", "adminPartitions", "enabled"), False, True),
               (("meshGateway", "enabled"), False, True),
               (("ingressGateways", "enabled"), False, True)],
    # DandyDeveloper/charts@redis-ha-4.39.0 charts/redis-ha/values.yaml haproxy.service.type ClusterIP
    # (the node Services and the announce Services have no type switch: ClusterIP)
    "redis": [(("haproxy", "service", "type"), "ClusterIP", "LoadBalancer")],
    # cloudnative-pg/charts@cloudnative-pg-v0.29.0 charts/cloudnative-pg/values.yaml service.type ClusterIP
    # (the webhook Service); the Services the operator creates for a Cluster and a Pooler are
    # ClusterIP (pkg/specs/services.go, pgbouncer/services.go)
    "cnpg": [(("service", "type"), "ClusterIP", "LoadBalancer")],
    # prometheus-community/helm-charts kube-prometheus-stack-81.5.0 values.yaml
    # prometheus.thanosServiceExternal.enabled false (type LoadBalancer)
    "kube-prometheus-stack": [(("prometheus", "thanosServiceExternal", "enabled"), False, True)],
}


def _get(values, path, default):
    for key in path:
        if not isinstance(values, dict) or key not in values:
            return default
        values = values[key]
    return values


def waiting_load_balancers(run):
    """Every LoadBalancer Service something would wait for: registered Services without skipAwait,
    and the LoadBalancer Services the releases render (by the switches above)."""
    found = []
    for r in run.of_type("kubernetes:core/v1:Service"):
        spec = r.plain.get("spec") or {}
        annotations = (r.plain.get("metadata") or {}).get("annotations") or {}
        if spec.get("type") == "LoadBalancer" and annotations.get("pulumi.com/skipAwait") != "true":
            found.append(f"Service {r.plain['metadata'].get('namespace')}/{r.plain['metadata']['name']}")
    for r in run.of_type(RELEASE):
        p = r.plain
        if p.get("skipAwait"):
            continue
        for path, default, on in LOAD_BALANCER_SWITCHES.get(p["name"], ()):
            if _get(p.get("values") or {}, path, default) == on:
                found.append(f"release {p['name']}: {'.'.join(path)}")
    return found


# ------------------------------------------------------------------ the locustfile

LOCUSTFILE = ROOT / "loadtest" / "locust" / "locustfile.py"


@pytest.fixture(scope="module")
def locustfile() -> dict[str, Any]:
    """Import the locustfile with a stub ``locust`` module (the real one runs in the end-to-end run)."""
    stub = types.ModuleType("locust")
    exc = types.ModuleType("locust.exception")

    class HttpUser:  # the attributes the locustfile uses
        pass

    class StopUser(Exception):
        pass

    # module attributes made at run time: setattr, as a type checker knows no such attribute
    setattr(stub, "HttpUser", HttpUser)
    setattr(stub, "between", lambda a, b: (a, b))
    setattr(exc, "StopUser", StopUser)
    saved = {name: sys.modules.get(name) for name in ("locust", "locust.exception")}
    sys.modules["locust"], sys.modules["locust.exception"] = stub, exc
    try:
        namespace: dict[str, Any] = {"__name__": "locustfile", "__file__": str(LOCUSTFILE)}
        exec(compile(LOCUSTFILE.read_text(), str(LOCUSTFILE), "exec"), namespace)
    finally:
        for name, mod in saved.items():
            if mod is None:
                sys.modules.pop(name, None)
            else:
                sys.modules[name] = mod
    return namespace


# ------------------------------------------------------------------ planted whole-system renders


def planted_system(system: SystemRender, add=(), change=None, drop=(), kinds=None) -> SystemRender:
    """A copy of ``system`` with ``add`` items appended, the items keyed in ``drop`` left out, and
    ``change(key, doc)`` applied to copies of the items of ``kinds`` (every kind when None; only those
    are copied; an item is kept when ``change`` returns True)."""
    items = []
    for item in system.items:
        if item.key in drop:
            continue
        if change is not None and (kinds is None or item.kind in kinds):
            doc = copy.deepcopy(item.doc)
            if change(item.key, doc):
                items.append(Item(doc, item.origin))
                continue
        items.append(item)
    return SystemRender(system.stack, items + [Item(d, PROGRAM) for d in add], system.releases, system.skipped)
