"""The Redis configuration the redis-ha chart renders from the program's values, run by a real
``redis-server`` (Debian's package; .ci/run installs it): the file the chart's init script hands
every node (DandyDeveloper/charts@redis-ha-4.39.0 templates/_configs.tpl ``config-redis.conf``,
``config-init.sh``: it writes the password over the ``replace-default-auth`` placeholder with sed).
The chart's image runs Redis 8.8; every directive used here exists in Redis 7 as well.
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import time

import pytest

from tools.manifests import render_chart
from tools.offline import recorded_run
from tools.system import vendored_path

REDIS = shutil.which("redis-server")
pytestmark = pytest.mark.skipif(REDIS is None, reason="redis-server (Debian package redis-server) not installed")
PASSWORD = "s3cret/with&specials"  # the init script escapes '/' and '&' before its sed


def rendered_redis_conf(stack: str) -> str:
    (release,) = [r for r in recorded_run(stack).of_type("kubernetes:helm.sh/v3:Release") if r.plain["name"] == "redis"]
    path, _ = vendored_path(release.plain["chart"], release.plain["version"])
    docs = render_chart(release.plain["values"], name="redis", namespace="cache", chart=path)
    (cm,) = [d for d in docs if d["kind"] == "ConfigMap" and d["metadata"]["name"] == "redis-redis-ha-configmap"]
    return cm["data"]["redis.conf"]


def _port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def redis(tmp_path):
    """Start redis-server on the rendered file of a stack, as a node would (password filled in the
    way init.sh does, the data directory and port made local); yields a redis-cli runner."""
    started = []

    def start(stack: str):
        port = _port()
        conf = rendered_redis_conf(stack).replace('dir "/data"', f'dir "{tmp_path}"').replace("port 6379", f"port {port}")
        # init.sh: sed "s/replace-default-auth/${ESCAPED_AUTH}/" with '/' and '&' escaped: the password itself
        (tmp_path / "redis.conf").write_text(conf.replace("replace-default-auth", PASSWORD))
        proc = subprocess.Popen([REDIS, str(tmp_path / "redis.conf"), "--bind", "127.0.0.1"],
                                stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        started.append(proc)

        def cli(*args: str, auth: bool = True) -> str:
            cmd = ["redis-cli", "-p", str(port)] + (["-a", PASSWORD, "--no-auth-warning"] if auth else []) + list(args)
            return subprocess.run(cmd, capture_output=True, text=True, timeout=10).stdout.strip()
        for _ in range(100):
            if cli("PING") == "PONG":
                return cli
            time.sleep(0.05)
        proc.kill()
        pytest.fail(f"redis-server did not start on the rendered config: {proc.stdout.read()}")
    yield start
    for proc in started:
        proc.terminate()
        proc.wait(timeout=10)


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
