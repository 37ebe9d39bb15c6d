"""Property-based: any budget override either builds a consistent budget or is rejected cleanly."""

from hypothesis import HealthCheck, given, settings, strategies as st

from rules.budget import Budget
from facts.catalog import SERVICE_NAMES
from settings.errors import SettingsError
from settings.quantities import Cpu, Memory
from program.load import build_settings

GI = 2**30
MI = 2**20

cpu_text = st.one_of(
    st.integers(1, 16000).map(lambda m: f"{m}m"),
    st.integers(1, 16).map(str),
)
mem_text = st.one_of(
    st.integers(1, 65536).map(lambda m: f"{m}Mi"),
    st.integers(1, 64).map(lambda g: f"{g}Gi"),
)
override = st.fixed_dictionaries(
    {},
    optional={
        "minReplicas": st.integers(-5, 300),
        "maxReplicas": st.integers(-5, 300),
        "cpuRequest": cpu_text,
        "cpuLimit": cpu_text,
        "memoryRequest": mem_text,
        "memoryLimit": mem_text,
        "cpuTarget": st.integers(-10, 150),
    },
)
overrides = st.dictionaries(st.sampled_from(SERVICE_NAMES), override, max_size=4)


def connections_fit(env, pods, pool, max_connections, phase):
    """Independent oracle of the connection budget (docs/budget.md "Database connections"): behind
    the Pooler (phase none) the pods' pools within the pooler pods but one, and the pooler's server
    connections with a rollout's surge pod plus the reserve within max_connections (Kubernetes'
    Deployment default: maxSurge 25 % rounded up); without it, the pods' pools plus the reserve within
    max_connections. The pooler's sizes and the reserve are the program's (their own tests check
    them against PgBouncer's and CloudNativePG's sources)."""
    import math

    from rules.connections import reserved
    from settings.data import POOLER_SIZES
    from program.load import build_settings as plain

    reserve = sum(n for _, n, _ in reserved(plain({"environment": env, "postgresMigration": phase,
                                                   "postgresMaxConnections": 20000})))
    if phase != "none":
        return pods * pool + reserve <= max_connections
    p = POOLER_SIZES[env]
    clients = (p.instances - (1 if p.instances > 1 else 0)) * p.max_client_conn
    server = (p.instances + math.ceil(p.instances / 4)) * p.max_db_connections
    return pods * pool <= clients and server + reserve <= max_connections


def expected_valid(env, services, pool=1, max_connections=20000, phase="none"):
    """Independent oracle for validity (the services.<name>.* rules of the README's "Settings" section
    and docs/budget.md "Database connections"), and the connection budget."""
    from facts.catalog import PROFILES

    pods = sum(services.get(name, {}).get("maxReplicas", PROFILES[env][name].max_replicas) for name in SERVICE_NAMES)
    if not connections_fit(env, pods, pool, max_connections, phase):
        return False
    for name, o in services.items():
        base = PROFILES[env][name]
        lo = o.get("minReplicas", base.min_replicas)
        hi = o.get("maxReplicas", base.max_replicas)
        if lo < 1 or hi < 1 or lo > 1000 or hi > 1000 or lo > hi:
            return False
        if not 1 <= o.get("cpuTarget", 70) <= 100:
            return False
        if Cpu.parse(o.get("cpuRequest", base.cpu_request)) > Cpu.parse(o.get("cpuLimit", base.cpu_limit)):
            return False
        if (Memory.parse(o.get("memoryRequest", base.memory_request))
                > Memory.parse(o.get("memoryLimit", base.memory_limit))):
            return False
    return True


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(env=st.sampled_from(["dev", "prod"]), services=overrides, pool=st.integers(1, 20),
       max_connections=st.integers(20, 20000), phase=st.sampled_from(["none", "import"]))
def test_valid_budgets_build_and_invalid_ones_are_rejected(env, services, pool, max_connections, phase):
    raw = {"environment": env, "services": services, "dbPoolMax": pool, "postgresMaxConnections": max_connections,
           "postgresMigration": phase}
    try:
        s = build_settings(raw)
    except SettingsError as exc:
        assert not expected_valid(env, services, pool, max_connections, phase), f"valid input rejected: {exc}"
        assert "tartware-infra:services." in str(exc) or "tartware-infra:postgresMaxConnections" in str(exc)
        return
    assert expected_valid(env, services, pool, max_connections, phase), "invalid input accepted"
    budget = Budget.of(s.tartware.services)
    assert budget.max.pods >= budget.min.pods >= len(SERVICE_NAMES)
    assert budget.max.cpu_limit_millicores >= budget.max.cpu_request_millicores
    assert budget.max.memory_limit_bytes >= budget.max.memory_request_bytes
    for spec in s.tartware.services:
        o = services.get(spec.name, {})
        if "maxReplicas" in o:
            assert spec.max_replicas == o["maxReplicas"]


@settings(max_examples=100, deadline=None)
@given(text=st.text(min_size=1, max_size=8))
def test_unparsable_quantities_are_always_rejected(text):
    """Any CPU string that is not digits[.digits][m] is rejected with the key named."""
    import re

    valid = re.fullmatch(r"[0-9]+(\.[0-9]+)?m?", text.strip()) is not None
    raw = {"environment": "prod", "services": {"billing-service": {"cpuLimit": text}}}
    try:
        build_settings(raw)
    except SettingsError as exc:
        if not valid:
            assert "tartware-infra:services.billing-service.cpuLimit" in str(exc)
        return
    assert valid, f"{text!r} accepted as a CPU quantity"
