"""rules/connections.py: pods x DB_POOL_MAX against what the database side admits.

Pods come from the guide's table (tests/guide.py). Upstream numbers are written out by hand here:
the app's pool default, 15 (red2n/tartware@a2583469 Apps/config/src/index.ts:43, databaseSchema
DB_POOL_MAX); PostgreSQL's superuser_reserved_connections default, 3
(https://www.postgresql.org/docs/17/runtime-config-connection.html); CloudNativePG's instance manager
pools, 3 connections per database (cloudnative-pg/cloudnative-pg@v1.30.0
pkg/management/postgres/pool/pool.go SetMaxOpenConns(3)); a Deployment's default rollout, maxSurge
25 % rounded up and maxUnavailable 25 % rounded down
(https://kubernetes.io/docs/concepts/workloads/controllers/deployment/#max-surge); PgBouncer's pool
rule, default_pool_size plus reserve_pool_size within max_db_connections (pgbouncer_1_25_1
src/objects.c launch_new_connection). The pooler's own sizes are read from the Pooler the program
renders (components/platform/postgres.py ``pooler_spec``), as PgBouncer would read them.
"""

import dataclasses
import math

import pytest

from components.platform.postgres import pooler_spec
from rules import connections
from components.platform.data_tier import DataArgs, postgres_args
from settings.data import PoolerLimits
from settings.errors import ProblemCollector
from program.load import build_settings
from tests import guide
from tests.helpers import assert_refused

NS = "tartware-infra"
APP_DEFAULT_POOL = 15
PG_SUPERUSER_RESERVED = 3
CNPG_POOL = 3  # connections per database of one instance-manager pool
BUCKET = {"backupOffsiteBucket": "tartware-prod-backups", "backupOffsiteRegion": "eu-west-1",
          "backupOffsiteRoleArn": "arn:aws:iam::123456789012:role/b"}


def _problems(settings) -> dict[str, str]:
    problems = ProblemCollector()
    connections.check(settings, problems)
    return {p.key: p.message for p in problems.problems}


def rendered_pooler(settings) -> tuple[int, dict[str, int]]:
    """The Pooler's pods and PgBouncer parameters as the program renders them."""
    # postgres_args reads neither the credentials nor the secret maker: None stands in for both
    data = DataArgs(settings.data, True, None, None)  # type: ignore[arg-type]
    spec = pooler_spec(postgres_args(data, None, None,
                                             "tartware", "tartware"))
    return spec["instances"], {k: int(v) for k, v in spec["pgbouncer"]["parameters"].items()}


def pooler_by_hand(settings) -> dict[str, int]:
    """What the rendered Pooler admits and opens at its worst, by the upstream rules above."""
    pods, p = rendered_pooler(settings)
    lost = 0 if pods == 1 else max(1, math.floor(pods * 0.25))  # its PodDisruptionBudget lets one go
    server_pods = pods + math.ceil(pods * 0.25)  # a rollout's surge pod holds connections too
    return {"clients": (pods - lost) * p["max_client_conn"],
            "server": server_pods * p["max_db_connections"],
            "auth": server_pods * min(p["default_pool_size"] + p["reserve_pool_size"], p["max_db_connections"])}


def test_the_budget_is_pods_times_the_pool_at_both_scales():
    totals = guide.expected_totals()
    for pool in (1, 2, 7):
        b = connections.budget(build_settings({"environment": "prod", "dbPoolMax": pool,
                                               "postgresMaxConnections": 5000}))
        assert (b.min, b.max) == (totals["min"]["pods"] * pool, totals["max"]["pods"] * pool)
        assert {s.name for s in b.services} == set(guide.ROW_OF)  # every service opens a pool


def test_behind_the_pooler_every_pod_keeps_the_apps_own_pool():
    """The arithmetic of docs/budget.md ("Database connections"): the guide's pods at min and at max,
    15 connections each (tests/test_stated_totals.py checks the numbers stated there), which two of
    the three pooler pods admit."""
    totals = guide.expected_totals()
    s = build_settings({"environment": "prod"})
    assert {svc.db_pool_max for svc in s.tartware.services} == {APP_DEFAULT_POOL}
    b = connections.budget(s)
    assert (b.min, b.max) == (totals["min"]["pods"] * APP_DEFAULT_POOL, totals["max"]["pods"] * APP_DEFAULT_POOL)
    expected = pooler_by_hand(s)
    assert (b.server, b.limit, b.pooler_server_connections) == ("pooler", expected["clients"], expected["server"])
    assert b.max <= b.limit
    assert _problems(s) == {}


def test_the_reserve_under_cloudnative_pg():
    """On the primary, besides the pooler's connections to the app's database: the superuser slots,
    the instance manager (postgres, template1, tartware) and its metrics exporter (postgres, tartware),
    each standby's replication slot synchronizer, the pooler's auth_query pools, a base backup with an
    archive, the dump or restore Job, the migration Job and people."""
    s = build_settings({"environment": "prod"})
    standbys = 2  # three instances across zones: the primary and two standbys
    expected = {"superuser_reserved_connections": PG_SUPERUSER_RESERVED,
                "CloudNativePG instance manager": CNPG_POOL * 3,
                "CloudNativePG metrics exporter": CNPG_POOL * 2,
                "standbys' replication slot sync": CNPG_POOL * standbys,
                "pooler auth_query pools": pooler_by_hand(s)["auth"],
                "backup or restore Job": 1, "migration Job": 1, "operator sessions": 5}
    assert {who: n for who, n, _ in connections.reserved(s)} == expected
    archived = build_settings({"environment": "prod", **BUCKET}, stack="prod")
    assert {who: n for who, n, _ in connections.reserved(archived)} == {**expected, "base backup": 1}
    dev = build_settings({"environment": "dev"})  # one instance: no standby
    assert "standbys' replication slot sync" not in {who for who, _, _ in connections.reserved(dev)}
    for who, _, source in connections.reserved(s):
        assert source, who  # every line says where its number comes from


def test_the_server_side_fits_max_connections_at_its_worst():
    """Pooler server connections (a rollout's surge pod included) plus the reserve within
    postgresMaxConnections, in both environments; the dev pooler has one pod, so no pod is spared."""
    for env in ("dev", "prod"):
        s = build_settings({"environment": env})
        b = connections.budget(s)
        by_hand = pooler_by_hand(s)
        assert b.server_side == by_hand["server"] + b.reserved_total
        assert b.server_side <= s.data.max_connections, env
        assert b.max <= by_hand["clients"], env
    dev = build_settings({"environment": "dev"})
    pods, params = rendered_pooler(dev)
    assert pods == 1 and connections.budget(dev).limit == params["max_client_conn"]


def test_too_small_a_max_connections_is_refused_naming_it():
    s = build_settings({"environment": "prod"})
    need = pooler_by_hand(s)["server"] + connections.budget(s).reserved_total
    refused = dataclasses.replace(s, data=dataclasses.replace(s.data, postgres_max_connections=need - 1))
    message = _problems(refused)[f"{NS}:postgresMaxConnections"]
    assert f"at least {need}" in message and "auth_query" in message and "POOLER_SIZES" in message
    assert_refused({"postgresMaxConnections": 400}, "postgresMaxConnections", [f"at least {need}"])
    build_settings({"environment": "prod", "postgresMaxConnections": need})


def test_an_overflowing_pooler_is_refused_before_any_resource():
    s = build_settings({"environment": "prod"})
    clients = pooler_by_hand(s)["clients"]
    pool = clients // guide.expected_totals()["max"]["pods"] + 1  # the smallest pool that overflows it
    assert_refused({"dbPoolMax": pool}, "dbPoolMax",
                   [f"the pooler admits {clients}", f"services.api-gateway.maxReplicas (100 x {pool} = {100 * pool})"])


def test_without_the_pooler_the_pods_meet_postgresql_directly():
    """While a stack moves from the bitnami release there is no Pooler: the direct default keeps the
    pods within max_connections minus the bitnami release's reserve, and the app's own 15 would not."""
    totals = guide.expected_totals()
    for phase in ("import", "cutover"):
        s = build_settings({"environment": "prod", "postgresMigration": phase})
        b = connections.budget(s)
        assert s.data.pooler_limits() is None and b.server == "postgres" and b.pooler_server_connections is None
        assert b.max + b.reserved_total <= s.data.max_connections and _problems(s) == {}
    imported = build_settings({"environment": "prod", "postgresMigration": "import"})
    assert {who: n for who, n, _ in connections.reserved(imported)} == {
        "superuser_reserved_connections": PG_SUPERUSER_RESERVED, "metrics exporter": 1, "the cluster's import": 1,
        "migration Job": 1, "operator sessions": 5}
    assert_refused({"postgresMigration": "import", "dbPoolMax": APP_DEFAULT_POOL}, "dbPoolMax",
                   [f"{totals['max']['pods'] * APP_DEFAULT_POOL} connections", "postgresMaxConnections",
                    f"{NS}:services.api-gateway.maxReplicas (100 x 15 = 1500)"])
    assert_refused({"postgresMigration": "import", "dbPoolMax": 3}, "dbPoolMax",
                   [f"{totals['max']['pods'] * 3} connections", "PostgreSQL admits"])


def test_not_checked_without_our_database():
    s = build_settings({"environment": "prod", "dbPoolMax": APP_DEFAULT_POOL, "dataComponents": {"postgres": False}})
    assert _problems(s) == {}


def test_pooler_limits_follow_the_rollout_rules():
    """maxSurge 25 % rounded up, maxUnavailable 25 % rounded down, never less than the PDB's one."""
    for pods in range(1, 10):
        limits = PoolerLimits(instances=pods, max_client_conn=100, max_db_connections=10, auth_pool_size=5)
        lost = 0 if pods == 1 else max(1, math.floor(pods * 0.25))
        assert limits.client_capacity == (pods - lost) * 100
        assert limits.server_connections == (pods + math.ceil(pods * 0.25)) * 10
        assert limits.auth_connections == (pods + math.ceil(pods * 0.25)) * 5


@pytest.mark.parametrize("value", [10, 20001])
def test_max_connections_out_of_range_is_refused(value):
    assert_refused({"postgresMaxConnections": value}, "postgresMaxConnections")
