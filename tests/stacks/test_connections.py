"""stacks/connections.py: pods x DB_POOL_MAX against what the database admits.

Pods come from the guide's table (tests/guide.py); the app's pool default, 15, is read by hand from
red2n/tartware@a2583469 Apps/config/src/index.ts:43 (databaseSchema DB_POOL_MAX), and PostgreSQL's
superuser_reserved_connections default, 3, from
https://www.postgresql.org/docs/16/runtime-config-connection.html.
"""

import dataclasses
from typing import Optional

import pytest

from stacks import connections
from stacks.data_settings import DataSettings, PoolerLimits
from stacks.errors import ProblemCollector
from stacks.settings import build_settings
from tests import guide
from tests.test_settings import assert_refused

NS = "tartware-infra"
APP_DEFAULT_POOL = 15
PG_SUPERUSER_RESERVED = 3


@dataclasses.dataclass(frozen=True)
class _PooledData(DataSettings):
    """The data settings as the data tier fills them when it installs a pooler."""

    limits: Optional[PoolerLimits] = None

    def pooler_limits(self) -> Optional[PoolerLimits]:
        return self.limits


def _pooled(settings, pooler: PoolerLimits):
    data = _PooledData(**{f.name: getattr(settings.data, f.name) for f in dataclasses.fields(DataSettings)},
                       limits=pooler)
    return dataclasses.replace(settings, data=data)


def _problems(settings) -> dict[str, str]:
    problems = ProblemCollector()
    connections.check(settings, problems)
    return {p.key: p.message for p in problems.problems}


def test_the_budget_is_pods_times_the_pool_at_both_scales():
    totals = guide.expected_totals()
    for pool in (1, 2, 7):
        b = connections.budget(build_settings({"environment": "prod", "dbPoolMax": pool, "postgresMaxConnections": 5000}))
        assert (b.min, b.max) == (totals["min"]["pods"] * pool, totals["max"]["pods"] * pool)
        assert {s.name for s in b.services} == set(guide.ROW_OF)  # every service opens a pool


def test_the_apps_own_default_would_not_fit():
    """The issue's arithmetic: 49 pods at min and 420 at max, 15 connections each, is 735 to 6,300."""
    totals = guide.expected_totals()
    s = build_settings({"environment": "prod", "dbPoolMax": APP_DEFAULT_POOL, "postgresMaxConnections": 20000})
    b = connections.budget(s)
    assert (b.min, b.max) == (totals["min"]["pods"] * APP_DEFAULT_POOL, totals["max"]["pods"] * APP_DEFAULT_POOL) \
        == (735, 6300)
    refused = dataclasses.replace(s, data=dataclasses.replace(s.data, postgres_max_connections=1000))
    message = _problems(refused)[f"{NS}:dbPoolMax"]
    for fragment in ("6300 connections", "postgresMaxConnections", f"{NS}:services.api-gateway.maxReplicas (100 x 15 = 1500)"):
        assert fragment in message


def test_the_defaults_fit_with_the_reserve():
    assert connections.RESERVED[0][:2] == ("superuser_reserved_connections", PG_SUPERUSER_RESERVED)
    for env in ("dev", "prod"):
        s = build_settings({"environment": env})
        b = connections.budget(s)
        assert b.max + connections.RESERVED_TOTAL <= s.data.postgres_max_connections, env
        assert _problems(s) == {}


def test_an_overflowing_stack_is_refused_before_any_resource():
    assert_refused({"dbPoolMax": 3}, "dbPoolMax", ["1260 connections", "PostgreSQL admits 989"])
    assert_refused({"services": {"api-gateway": {"maxReplicas": 200}}, "dbPoolMax": 2}, "dbPoolMax",
                   ["services.api-gateway.maxReplicas (200 x 2 = 400)"])
    # raising the server's limit admits it
    build_settings({"environment": "prod", "dbPoolMax": 3, "postgresMaxConnections": 1300})


def test_a_pooler_moves_the_limit_to_its_clients_and_its_pool_to_postgres():
    s = build_settings({"environment": "prod", "dbPoolMax": APP_DEFAULT_POOL, "postgresMaxConnections": 7000})
    s = dataclasses.replace(s, data=dataclasses.replace(s.data, postgres_max_connections=1000))
    pooler = PoolerLimits(instances=3, max_client_conn=2000, default_pool_size=60,
                          settings=("postgresPoolerInstances", "postgresPoolerMaxClientConn"))
    with_pooler = _pooled(s, pooler)
    b = connections.budget(with_pooler)
    assert (b.server, b.limit, b.pooler_server_connections) == ("pooler", 6000, 180)
    message = _problems(with_pooler)[f"{NS}:dbPoolMax"]  # 6300 clients > 6000
    assert "the pooler admits 6000" in message and "postgresPoolerMaxClientConn" in message
    roomy = dataclasses.replace(pooler, max_client_conn=2500)
    assert _problems(_pooled(s, roomy)) == {}
    # the pooler's own connections must fit PostgreSQL
    greedy = dataclasses.replace(roomy, default_pool_size=400)
    message = _problems(_pooled(s, greedy))[f"{NS}:postgresMaxConnections"]
    assert "1200 server connections" in message and "max_connections 1000" in message


def test_not_checked_without_our_database():
    s = build_settings({"environment": "prod", "dbPoolMax": APP_DEFAULT_POOL, "dataComponents": {"postgres": False}})
    assert _problems(s) == {}


@pytest.mark.parametrize("value", [10, 20001])
def test_max_connections_out_of_range_is_refused(value):
    assert_refused({"postgresMaxConnections": value}, "postgresMaxConnections")
