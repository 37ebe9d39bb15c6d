"""redis-server on the configuration the redis-ha chart renders for a stack (tests/test_redis_config.py,
tests/test_edge_plan.py): the ``redis`` fixture starts one server per stack for a module."""

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
PASSWORD = "s3cret/with&specials"  # the init script escapes '/' and '&' before its sed


def rendered_redis_conf(stack: str) -> str:
    (release,) = [r for r in recorded_run(stack).of_type("kubernetes:helm.sh/v3:Release") if r.plain["name"] == "redis"]
    path, why = vendored_path(release.plain["chart"], release.plain["version"])
    assert path is not None, why
    docs = render_chart(release.plain["values"], name="redis", namespace="cache", chart=path)
    (cm,) = [d for d in docs if d["kind"] == "ConfigMap" and d["metadata"]["name"] == "redis-redis-ha-configmap"]
    return cm["data"]["redis.conf"]


def _port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def redis(tmp_path_factory):
    """Start redis-server on the rendered file of a stack, as a node would (password filled in the
    way init.sh does, the data directory and port made local); yields a redis-cli runner. One
    server per stack for the module: the tests read its configuration and write only their own keys."""
    started = {}
    procs = []

    def start(stack: str):
        if stack in started:
            return started[stack]
        tmp_path = tmp_path_factory.mktemp(f"redis-{stack}")
        port = _port()
        conf = (rendered_redis_conf(stack).replace('dir "/data"', f'dir "{tmp_path}"')
                .replace("port 6379", f"port {port}"))
        # init.sh: sed "s/replace-default-auth/${ESCAPED_AUTH}/" with '/' and '&' escaped: the password itself
        (tmp_path / "redis.conf").write_text(conf.replace("replace-default-auth", PASSWORD))
        assert REDIS is not None  # the tests that start it are skipped without redis-server
        proc = subprocess.Popen([REDIS, str(tmp_path / "redis.conf"), "--bind", "127.0.0.1"],
                                stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        procs.append(proc)

        def cli(*args: str, auth: bool = True) -> str:
            cmd = ["redis-cli", "-p", str(port)] + (["-a", PASSWORD, "--no-auth-warning"] if auth else []) + list(args)
            return subprocess.run(cmd, capture_output=True, text=True, timeout=10).stdout.strip()
        for _ in range(100):
            if cli("PING") == "PONG":
                started[stack] = cli
                return cli
            time.sleep(0.05)
        proc.kill()
        assert proc.stdout is not None  # stdout=PIPE
        pytest.fail(f"redis-server did not start on the rendered config: {proc.stdout.read()}")
    yield start
    for proc in procs:
        proc.terminate()
        proc.wait(timeout=10)
