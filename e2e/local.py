"""The real data tier on loopback: PostgreSQL (Debian's server binaries) and Redis (Debian's
redis-server), plus a sink for OTLP/HTTP posts. Each in a private directory, on a free port."""

from __future__ import annotations

import glob
import http.server
import os
import pwd
import shutil
import socket
import subprocess
import threading
import time
from pathlib import Path
from typing import Optional

# Debian's layout: /usr/lib/postgresql/<major>/bin (postgresql-common)
PG_BINDIRS = sorted(glob.glob("/usr/lib/postgresql/*/bin"), key=lambda p: int(p.split("/")[4]))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def port_in_use(port: int) -> bool:
    with socket.socket() as s:
        return s.connect_ex(("127.0.0.1", port)) == 0


class Postgres:
    """A throwaway cluster: superuser ``postgres`` with ``admin_password``, the app's role
    ``app_user`` owning database ``database`` (what the Bitnami chart creates), SCRAM over TCP.
    PostgreSQL refuses to run as root: then it runs as the ``postgres`` system user."""

    def __init__(self, base: Path, admin_password: str, app_user: str, app_password: str, database: str):
        if not PG_BINDIRS:
            raise RuntimeError("no PostgreSQL server in /usr/lib/postgresql/*/bin (apt-get install postgresql)")
        self.bindir = Path(PG_BINDIRS[-1])
        self.base, self.port = base, free_port()
        self.admin_password, self.app_user, self.app_password, self.database = (
            admin_password, app_user, app_password, database)
        self.user = "postgres" if os.geteuid() == 0 else None

    def _run(self, args: list, **kw) -> subprocess.CompletedProcess:
        return subprocess.run([str(a) for a in args], user=self.user, capture_output=True, text=True, timeout=120, **kw)

    def start(self) -> "Postgres":
        self.base.mkdir(parents=True, exist_ok=True)
        if self.user:
            pw = pwd.getpwnam(self.user)
            os.chown(self.base, pw.pw_uid, pw.pw_gid)
        pwfile = self.base / "pw"
        pwfile.write_text(self.admin_password + "\n")
        if self.user:
            os.chown(pwfile, pwd.getpwnam(self.user).pw_uid, -1)
        out = self._run([self.bindir / "initdb", "-D", self.base / "data", "-U", "postgres", "-E", "UTF8",
                         "--no-sync", "--auth-local=trust", "--auth-host=scram-sha-256", f"--pwfile={pwfile}"])
        if out.returncode != 0:
            raise RuntimeError(f"initdb failed: {out.stderr}")
        pwfile.unlink()
        options = (f"-p {self.port} -k {self.base} -c listen_addresses=127.0.0.1 -c fsync=off "
                   "-c max_connections=300")
        out = self._run([self.bindir / "pg_ctl", "-D", self.base / "data", "-o", options,
                         "-l", self.base / "server.log", "-w", "start"])
        if out.returncode != 0:
            raise RuntimeError(f"PostgreSQL did not start: {out.stderr}")
        self.sql(f"CREATE ROLE \"{self.app_user}\" LOGIN PASSWORD '{self.app_password}'")
        self.sql(f"CREATE DATABASE \"{self.database}\" OWNER \"{self.app_user}\"")
        return self

    def sql(self, statement: str, database: str = "postgres") -> str:
        out = self._run([self.bindir / "psql", "-h", self.base, "-p", self.port, "-U", "postgres", "-d", database,
                         "-X", "-q", "-At", "-v", "ON_ERROR_STOP=1", "-c", statement])
        if out.returncode != 0:
            raise RuntimeError(f"psql: {out.stderr}")
        return out.stdout

    def stop(self) -> None:
        self._run([self.bindir / "pg_ctl", "-D", self.base / "data", "-m", "immediate", "-w", "stop"])


class Redis:
    def __init__(self, base: Path, password: str):
        self.base, self.password, self.port = base, password, free_port()
        self.proc: Optional[subprocess.Popen] = None

    def start(self) -> "Redis":
        exe = shutil.which("redis-server")
        if exe is None:
            raise RuntimeError("redis-server not found (apt-get install redis-server)")
        self.base.mkdir(parents=True, exist_ok=True)
        conf = self.base / "redis.conf"
        conf.write_text(f"bind 127.0.0.1\nport {self.port}\nrequirepass {self.password}\nsave \"\"\n"
                        f"appendonly no\ndir {self.base}\ndaemonize no\n")
        self.proc = subprocess.Popen([exe, str(conf)], stdout=(self.base / "redis.log").open("wb"),
                                     stderr=subprocess.STDOUT)
        for _ in range(100):
            with socket.socket() as s:
                if s.connect_ex(("127.0.0.1", self.port)) == 0:
                    return self
            time.sleep(0.05)
        raise RuntimeError("redis-server did not start")

    def stop(self) -> None:
        if self.proc is not None:
            self.proc.terminate()
            self.proc.wait(10)


class OtlpSink:
    """Answers OTLP/HTTP posts on /v1/traces (and /v1/logs, /v1/metrics) with 200 and counts them
    by path; any other path gets 404, as Jaeger's OTLP receiver answers. Shows whether the
    services post their spans where the collector listens."""

    def __init__(self) -> None:
        self.port = free_port()
        self.posts: dict[str, int] = {}
        self.bodies: list[bytes] = []  # every posted body, for checks that look for a service's span
        sink = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 (http.server's name)
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                sink.posts[self.path] = sink.posts.get(self.path, 0) + 1
                if self.path == "/v1/traces":
                    sink.bodies.append(body)
                ok = self.path in ("/v1/traces", "/v1/logs", "/v1/metrics")
                self.send_response(200 if ok else 404)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args: object) -> None:
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def start(self) -> "OtlpSink":
        self.thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
