"""The Redis configuration the redis-ha chart renders from the program's values, run by a real
``redis-server`` (Debian's package; .ci/run installs it): the file the chart's init script hands
every node (DandyDeveloper/charts@redis-ha-4.39.0 templates/_configs.tpl ``config-redis.conf``,
``config-init.sh``: it writes the password over the ``replace-default-auth`` placeholder with sed).
The chart's image runs Redis 8.8; every directive used here exists in Redis 7 as well.
"""

from __future__ import annotations


import pytest

from tests.redis_server import PASSWORD, REDIS, redis, rendered_redis_conf  # noqa: F401  (redis: a fixture)

pytestmark = pytest.mark.skipif(REDIS is None, reason="redis-server (Debian package redis-server) not installed")


def test_the_password_contract_holds(redis):
    cli = redis("dev")
    assert cli("PING", auth=False).startswith("NOAUTH")  # redis-credentials' password is required
    assert cli("SET", "tartware:k", "v") == "OK" and cli("GET", "tartware:k") == "v"


def test_persistence_is_an_append_only_file_as_before(redis):
    cli = redis("prod")
    assert cli("CONFIG", "GET", "appendonly").splitlines() == ["appendonly", "yes"]
    assert cli("CONFIG", "GET", "save").splitlines()[1:] in ([], [""])  # save "": no RDB snapshots


def test_a_master_alone_refuses_writes_in_prod_and_accepts_them_in_dev(redis):
    """prod: a write needs a replica to acknowledge it within 5 s (min-replicas-to-write 1), so a
    failover cannot drop acknowledged writes; dev's single node must accept writes (0)."""
    assert redis("prod")("SET", "k", "v").startswith("NOREPLICAS")
    assert redis("dev")("SET", "k", "v") == "OK"


def test_flushall_is_disabled(redis):
    """The chart renames FLUSHDB/FLUSHALL away (redis.disableCommands); the app uses neither."""
    assert "unknown command" in redis("dev")("FLUSHALL")
