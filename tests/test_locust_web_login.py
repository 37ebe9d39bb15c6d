"""Locust's own web login, run for real: the master command the program deploys, on loopback.

Locust 2.47.0 (the image's version, facts/versions.py) is installed from PyPI into its own virtualenv
by ``.ci/run`` (requirements-locust.txt) and this file runs as its own step there, with
``TARTWARE_LOCUST`` naming the ``locust`` executable; in the main suite it is skipped. The command,
arguments and environment are those of the ``locust-master`` Deployment in the render, with the
ConfigMap and Secret mounts replaced by their files here.
"""

from __future__ import annotations

import http.cookiejar
import os
import socket
import subprocess
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from tools.diff import kubernetes_objects
from tools.offline import run_program, stack_config

ROOT = Path(__file__).resolve().parent.parent
NS = "tartware-infra"
LOCUST = os.environ.get("TARTWARE_LOCUST", "")

pytestmark = pytest.mark.skipif(not LOCUST, reason="runs as its own step of .ci/run (TARTWARE_LOCUST=<locust>)")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def master_container():
    config, keys = stack_config("prod", overrides={f"{NS}:loadTest": "locust", f"{NS}:loadTestUsername": "admin"},
                                secrets={f"{NS}:loadTestPassword": "pw"})
    docs = kubernetes_objects(run_program("prod", config, keys).resources)
    (master,) = [d for d in docs if d["kind"] == "Deployment" and d["metadata"]["name"] == "locust-master"]
    pod = master["spec"]["template"]["spec"]
    (container,) = pod["containers"]
    return container, pod["volumes"]


def _start(container, volumes, tmp_path, password: str):
    """The master as deployed: mounts become local files, the ports loopback ones."""
    mounts = {m["name"]: m["mountPath"] for m in container["volumeMounts"]}
    web_login = next(v for v in volumes if v["name"] == "web-login")
    password_file = tmp_path / web_login["secret"]["items"][0]["path"]
    password_file.write_text(password)
    # the ConfigMap is mounted in the repository's layout under loadtest/ (components/operations/loadtest.py)
    local = {mounts["locustfile"]: str(ROOT / "loadtest"), mounts["web-login"]: str(tmp_path)}
    command = []
    for arg in container["command"]:
        for mounted, here in local.items():
            arg = arg.replace(mounted, here)
        command.append(arg)
    web_port, master_port = _free_port(), _free_port()
    command = [LOCUST, *command[1:]]
    command[command.index("--web-port") + 1] = str(web_port)
    # the master binds --master-bind-port (default 5557; --master-port is the workers' option)
    command += ["--web-host", "127.0.0.1", "--master-bind-host", "127.0.0.1", "--master-bind-port", str(master_port)]
    env = {"PATH": os.environ.get("PATH", ""), "HOME": str(tmp_path)}
    for e in container["env"]:
        if "value" in e:
            value = e["value"]
            for mounted, here in local.items():
                value = value.replace(mounted, here)
            env[e["name"]] = value
    proc = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    return proc, f"http://127.0.0.1:{web_port}"


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def _client():
    opener = urllib.request.build_opener(_NoRedirect, urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))

    def call(base: str, path: str, form=None) -> tuple[int, str]:
        data = urllib.parse.urlencode(form).encode() if form is not None else None
        try:
            r = opener.open(base + path, data=data, timeout=5)
            return r.status, r.headers.get("Location") or ""
        except urllib.error.HTTPError as e:
            return e.code, e.headers.get("Location") or ""
    return call


def _wait(base: str, proc) -> None:
    for _ in range(100):
        if proc.poll() is not None:
            raise AssertionError(f"locust exited with {proc.returncode}: {proc.stdout.read()}")
        try:
            urllib.request.urlopen(base + "/login", timeout=1)
            return
        except (urllib.error.URLError, ConnectionError, OSError):
            time.sleep(0.1)
    raise AssertionError("the Locust web UI did not come up in 10 s")


def test_the_deployed_master_runs_with_web_login(master_container):
    container, _ = master_container
    command = container["command"]
    assert "--web-login" in command
    # a later -f wins (argparse "store"): the master loads the locustfile and the login module
    files = [command[i + 1] for i, a in enumerate(command) if a == "-f"]
    mount = next(m["mountPath"] for m in container["volumeMounts"] if m["name"] == "locustfile")
    assert files[-1].split(",") == [f"{mount}/locust/locustfile.py", f"{mount}/locust/web_login.py"]


def test_every_ui_route_needs_the_login_and_only_the_password_opens_it(master_container, tmp_path):
    container, volumes = master_container
    proc, base = _start(container, volumes, tmp_path, "correct horse battery")
    try:
        _wait(base, proc)
        call = _client()
        assert call(base, "/") == (302, "/login?next=%2F")
        # starting a test is refused without the login (Flask-Login redirects to the form)
        assert call(base, "/swarm", {"user_count": 5000, "spawn_rate": 100})[0] == 302
        assert call(base, "/stats/requests")[0] == 302
        assert call(base, "/login_submit", {"username": "locust", "password": "wrong"}) == (302, "/login")
        assert call(base, "/login_submit", {"username": "admin", "password": "correct horse battery"}) == (302, "/login")
        assert call(base, "/")[0] == 302
        assert call(base, "/login_submit", {"username": "locust", "password": "correct horse battery"}) == (302, "/")
        assert call(base, "/")[0] == 200
        assert call(base, "/stats/requests")[0] == 200
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def test_an_empty_password_stops_the_master(master_container, tmp_path):
    container, volumes = master_container
    proc, _ = _start(container, volumes, tmp_path, "")
    out, _ = proc.communicate(timeout=30)
    assert proc.returncode != 0 and "LOCUST_WEB_PASSWORD_FILE is empty" in out
