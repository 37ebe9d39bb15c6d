"""The point-in-time recovery drill: a real PostgreSQL, the barman-cloud tools CloudNativePG's
Barman Cloud plugin runs, and an S3 stand-in on 127.0.0.1.

    python -m tools.pitr_drill --venv /path/to/drill-venv [--seed-mib 64] [--json out.json]

``--venv`` is a virtualenv holding ``requirements-drill.txt`` (barman[cloud] at the plugin
sidecar's pin, moto[server]); it must be readable and executable by the user PostgreSQL runs as
(``postgres`` when this runs as root), so make it with ``/usr/bin/python3`` in a directory that
user can enter. ``.ci/run`` does exactly that.

What it does, with the archiving settings the program deploys (tools/pitr_settings.py reads them
from the program: ``archive_timeout``, the compression and upload jobs, the bucket path and the
``serverName``; docs/operations.md, "Point-in-time recovery drill: RPO and RTO"):

1. moto's S3 server on a free loopback port, behind a small TCP relay that the drill can cut to
   play an unreachable archive. The barman tools reach it with ``--endpoint-url``, the option the
   plugin passes for MinIO and every other S3-compatible store.
2. A primary (Debian PostgreSQL, ``initdb``) archiving with ``archive_command =
   barman-cloud-wal-archive <the plugin's options> <destinationPath> <serverName> %p``, after
   ``barman-cloud-check-wal-archive`` found the archive empty, as the plugin checks.
3. ``barman-cloud-backup``; rows A; a target time from the server's clock; rows B.
4. ``barman-cloud-restore`` (backup chosen by the target time, as the plugin does) into a new data
   directory, ``restore_command = barman-cloud-wal-restore ...``, ``recovery_target_time``:
   exactly the seed plus A.
5. Failure cases. The archive unreachable: WAL piles up (``.ready`` files), ``pg_stat_archiver``
   counts failures, and once it is back a restore to the latest WAL has every row (seed, A, B and
   the rows written during the outage). A corrupted WAL segment and a
   missing one: a restore to a time past it refuses to finish (PostgreSQL: "recovery ended before
   configured recovery target was reached"). A target before the first backup: no candidate
   backup. A reused ``serverName``: ``barman-cloud-check-wal-archive`` refuses the non-empty
   archive.
6. Planted defects: the drill's own checks must fail on a wrong target time (the exact row count)
   and on a missing WAL segment (the restore); a check that passes them is a broken drill.
7. RTO: the database carries a second table grown to ``--seed-mib`` before the base backup, and
   the restore to the target time is timed from ``barman-cloud-restore`` until the restored server
   is promoted and answers.

Exits non-zero with ``PITR drill FAILED: <what>`` on the first broken expectation; prints one line
per step with its time, and the measurements at the end (``--json`` writes them to a file).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import pwd
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator, NoReturn, Optional

from tools.pitr_settings import ArchiveSettings, archive_settings

REGION = "us-east-1"
# moto's server accepts any key pair; the barman tools (boto3) read them from the environment, as
# the plugin's sidecar gets them from the ObjectStore's Secret.
AWS_ENV = {"AWS_ACCESS_KEY_ID": "drill", "AWS_SECRET_ACCESS_KEY": "drill-secret", "AWS_DEFAULT_REGION": REGION}
TABLE = "reservations"
SEED_ROWS, ROWS_A, ROWS_B, ROWS_C = 2000, 137, 89, 53


class DrillFailure(AssertionError):
    """An expectation of the drill did not hold."""


def fail(message: str) -> NoReturn:
    raise DrillFailure(message)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_port(port: int, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), timeout=0.5):
            return
        time.sleep(0.05)
    fail(f"nothing listens on 127.0.0.1:{port} after {seconds} s")


# ----------------------------------------------------------------------------------- S3 stand-in


class Relay:
    """A TCP relay 127.0.0.1:port -> 127.0.0.1:target that can be cut and restored: an archive that
    becomes unreachable (connection refused) and comes back, while the store keeps its objects."""

    def __init__(self, target: int):
        self.target, self.port = target, _free_port()
        self._server: Optional[socket.socket] = None
        self._conns: list[socket.socket] = []
        self._lock = threading.Lock()

    def up(self) -> None:
        server = socket.socket()
        server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        server.bind(("127.0.0.1", self.port))
        server.listen(64)
        self._server = server
        threading.Thread(target=self._accept, args=(server,), daemon=True).start()

    def down(self) -> None:
        with self._lock:
            server, self._server = self._server, None
            conns, self._conns = self._conns, []
        if server is not None:
            server.close()
        for c in conns:
            with contextlib.suppress(OSError):
                c.close()

    def _accept(self, server: socket.socket) -> None:
        while True:
            try:
                client, _ = server.accept()
            except OSError:
                return
            try:
                upstream = socket.create_connection(("127.0.0.1", self.target))
            except OSError:
                client.close()
                continue
            with self._lock:
                self._conns += [client, upstream]
            for a, b in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pipe, args=(a, b), daemon=True).start()

    @staticmethod
    def _pipe(src: socket.socket, dst: socket.socket) -> None:
        try:
            while chunk := src.recv(65536):
                dst.sendall(chunk)
        except OSError:
            pass
        finally:
            for s in (src, dst):
                with contextlib.suppress(OSError):
                    s.shutdown(socket.SHUT_RDWR)


class S3StandIn:
    """moto's S3 server (moto[server], ``moto_server``) on loopback, reached through a Relay."""

    def __init__(self, venv: Path, base: Path, bucket: str):
        self.venv, self.base, self.bucket = venv, base, bucket
        self.port = _free_port()
        self.proc: Optional[subprocess.Popen] = None
        self.relay = Relay(self.port)

    @property
    def endpoint(self) -> str:
        return f"http://127.0.0.1:{self.relay.port}"

    def start(self) -> None:
        log = open(self.base / "moto.log", "w")
        self.proc = subprocess.Popen([str(self.venv / "bin" / "moto_server"), "-H", "127.0.0.1", "-p", str(self.port)],
                                     stdout=log, stderr=subprocess.STDOUT, env={**os.environ, **AWS_ENV})
        _wait_port(self.port)
        self.relay.up()
        self._request("PUT", f"/{self.bucket}")

    def stop(self) -> None:
        self.relay.down()
        if self.proc is not None:
            self.proc.terminate()
            with contextlib.suppress(subprocess.TimeoutExpired):
                self.proc.wait(10)
            if self.proc.poll() is None:
                self.proc.kill()

    def _request(self, method: str, path: str) -> bytes:
        # moto's server mode accepts an unsigned request that creates a bucket; objects the barman
        # tools wrote belong to their key pair, so object operations go through boto3 (below).
        req = urllib.request.Request(f"http://127.0.0.1:{self.port}{path}", method=method)
        with urllib.request.urlopen(req, timeout=30) as resp:
            return resp.read()

    def _boto(self, op: str, key: str = "", body: bytes = b"") -> bytes:
        """One S3 call with boto3 from the drill's virtualenv (the one the barman tools use)."""
        script = (
            "import boto3, sys\n"
            f"s3 = boto3.client('s3', endpoint_url='http://127.0.0.1:{self.port}', region_name='{REGION}')\n"
            f"op, bucket, key = sys.argv[1], '{self.bucket}', sys.argv[2]\n"
            "if op == 'list':\n"
            "    for page in s3.get_paginator('list_objects_v2').paginate(Bucket=bucket, Prefix=key):\n"
            "        for o in page.get('Contents', []): print(o['Key'])\n"
            "elif op == 'get': sys.stdout.buffer.write(s3.get_object(Bucket=bucket, Key=key)['Body'].read())\n"
            "elif op == 'put': s3.put_object(Bucket=bucket, Key=key, Body=sys.stdin.buffer.read())\n"
            "elif op == 'delete': s3.delete_object(Bucket=bucket, Key=key)\n"
        )
        done = subprocess.run([str(self.venv / "bin" / "python"), "-c", script, op, key], input=body,
                              capture_output=True, env={**os.environ, **AWS_ENV}, timeout=120)
        if done.returncode != 0:
            fail(f"S3 {op} {key}: {done.stderr.decode()[-500:]}")
        return done.stdout

    def keys(self, prefix: str) -> list[str]:
        return self._boto("list", prefix).decode().split()

    def get(self, key: str) -> bytes:
        return self._boto("get", key)

    def put(self, key: str, body: bytes) -> None:
        self._boto("put", key, body)

    def delete(self, key: str) -> None:
        self._boto("delete", key)


# ------------------------------------------------------------------------------------ PostgreSQL


def _bindir() -> Path:
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin/postgres"), key=lambda p: int(p.parts[4]))
    if not found:
        fail("no PostgreSQL server in /usr/lib/postgresql/*/bin (apt-get install postgresql)")
    return found[-1].parent


@dataclass
class Runner:
    """Runs commands as the user PostgreSQL runs as (``postgres`` when the drill runs as root)."""

    user: Optional[str]
    env: dict[str, str]

    def run(self, args: list, check: bool = True, timeout: float = 300, **kw) -> subprocess.CompletedProcess:
        done = subprocess.run([str(a) for a in args], user=self.user, env=self.env, capture_output=True, text=True,
                              timeout=timeout, **kw)
        if check and done.returncode != 0:
            fail(f"{Path(str(args[0])).name} exited {done.returncode}:\n{done.stdout}{done.stderr}")
        return done

    def own(self, *paths: Path) -> None:
        if self.user:
            pw = pwd.getpwnam(self.user)
            for p in paths:
                os.chown(p, pw.pw_uid, pw.pw_gid)

    def mkdir(self, path: Path, mode: int = 0o700) -> Path:
        path.mkdir(parents=True, exist_ok=True)
        path.chmod(mode)
        self.own(path)
        return path


class Server:
    """One PostgreSQL instance in ``data`` on 127.0.0.1:port (trust over its private socket)."""

    def __init__(self, runner: Runner, bindir: Path, data: Path, sock: Path):
        self.runner, self.bindir, self.data, self.sock = runner, bindir, data, sock
        self.port = _free_port()
        self.log = data.parent / f"{data.name}.log"

    def pg_ctl(self, *args, check: bool = True, timeout: float = 600) -> subprocess.CompletedProcess:
        return self.runner.run([self.bindir / "pg_ctl", "-D", self.data, *args], check=check, timeout=timeout)

    def start(self, settings: dict[str, str], wait: bool = True) -> subprocess.CompletedProcess:
        opts = [f"-p {self.port}", f"-k {self.sock}", "-c listen_addresses=127.0.0.1"]
        opts += [f"-c {k}={_quote_option(v)}" for k, v in settings.items()]
        self.log.touch()
        self.runner.own(self.log)
        return self.pg_ctl("-o", " ".join(opts), "-l", self.log, *(["-w", "-t", "600"] if wait else ["-W"]), "start",
                           check=False)

    def stop(self) -> None:
        self.pg_ctl("-m", "immediate", "-w", "stop", check=False, timeout=60)

    def sql(self, statement: str, check: bool = True) -> str:
        done = self.runner.run([self.bindir / "psql", "-h", self.sock, "-p", self.port, "-U", "postgres",
                                "-d", "postgres", "-X", "-q", "-At", "-v", "ON_ERROR_STOP=1", "-c", statement],
                               check=check, timeout=600)
        return done.stdout.strip()

    def alive(self) -> bool:
        return self.pg_ctl("status", check=False, timeout=30).returncode == 0

    def rows(self) -> int:
        return int(self.sql(f"SELECT count(*) FROM {TABLE}"))


def _quote_option(value: str) -> str:
    """A value for ``pg_ctl -o "-c name=value"``: postgres splits -o on spaces, so quote with '...'
    the way postgresql.conf values are read; a single quote inside is doubled."""
    if value.replace("_", "").replace(".", "").replace("-", "").isalnum():
        return value
    return "'" + value.replace("'", "''") + "'"


# ----------------------------------------------------------------------------------------- drill


@dataclass
class Measurements:
    steps: dict[str, float] = field(default_factory=dict)
    values: dict[str, object] = field(default_factory=dict)


class Drill:
    def __init__(self, venv: Path, base: Path, settings: ArchiveSettings, seed_mib: int):
        self.venv, self.base, self.settings, self.seed_mib = venv, base, settings, seed_mib
        user = "postgres" if os.geteuid() == 0 else None
        env = {"PATH": f"{venv / 'bin'}:/usr/bin:/bin", "HOME": str(base), "LANG": "C.UTF-8", "TZ": "UTC", **AWS_ENV}
        self.runner = Runner(user, env)
        self.bindir = _bindir()
        self.s3 = S3StandIn(venv, base, settings.bucket)
        self.sock = self.runner.mkdir(base / "sock", 0o755)
        self.servers: list[Server] = []
        self.m = Measurements()
        self.counter = 0
        self.fill_rows = 0

    # --- the plugin's command lines (cloudnative-pg/barman-cloud@950b0f57 pkg/archiver/command.go,
    # pkg/command/commandbuilder.go: [--<compression>] --endpoint-url <url> --cloud-provider aws-s3
    # <destinationPath> <serverName>)

    def tool(self, name: str) -> str:
        return str(self.venv / "bin" / name)

    def common(self) -> list[str]:
        return ["--endpoint-url", self.s3.endpoint, "--cloud-provider", "aws-s3"]

    def destination(self) -> str:
        return f"s3://{self.settings.bucket}/{self.settings.destination_folder}"

    def wal_archive_command(self, server_name: str) -> str:
        compression = [f"--{self.settings.wal_compression}"] if self.settings.wal_compression else []
        return " ".join([self.tool("barman-cloud-wal-archive"), *compression, *self.common(), self.destination(),
                         server_name, "%p"])

    def wal_restore_command(self, server_name: str) -> str:
        return " ".join([self.tool("barman-cloud-wal-restore"), *self.common(), self.destination(), server_name,
                         "%f", "%p"])

    def check_wal_archive(self, server_name: str) -> subprocess.CompletedProcess:
        return self.runner.run([self.tool("barman-cloud-check-wal-archive"), *self.common(), self.destination(),
                                server_name], check=False, timeout=120)

    # --- helpers

    @contextlib.contextmanager
    def step(self, name: str) -> Iterator[None]:
        started = time.monotonic()
        yield
        took = time.monotonic() - started
        self.m.steps[name] = round(took, 2)
        print(f"  ok  {name} ({took:.1f} s)", flush=True)

    def new_server(self, name: str) -> Server:
        data = self.base / name
        server = Server(self.runner, self.bindir, data, self.sock)
        self.servers.append(server)
        return server

    def wal_keys(self, server_name: str) -> list[str]:
        return sorted(k for k in self.s3.keys(f"{self.settings.destination_folder}/{server_name}/wals/")
                      if not k.endswith(".history"))

    def switch_and_wait_archived(self, primary: Server, timeout: float = 120) -> str:
        """Close the current WAL segment and wait until the archiver has shipped it."""
        segment = primary.sql("SELECT pg_walfile_name(pg_switch_wal())")
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            last = primary.sql("SELECT coalesce(last_archived_wal, '') FROM pg_stat_archiver")
            if last >= segment:
                return segment
            time.sleep(0.1)
        fail(f"segment {segment} was not archived within {timeout} s: "
             f"{primary.sql('SELECT * FROM pg_stat_archiver')}")
        return ""

    def restore(self, server_name: str, target_time: Optional[str] = None, backup_id: str = "auto",
                measure: str = "") -> tuple[Optional[Server], str]:
        """barman-cloud-restore into a new data directory, then recovery (to ``target_time`` or the
        end of the archive) and promotion. Returns the promoted server, or None and the reason."""
        self.counter += 1
        server = self.new_server(f"restored{self.counter}")
        started = time.monotonic()
        args = [self.tool("barman-cloud-restore"), *self.common()]
        if target_time is not None:
            args += ["--target-time", target_time]
        done = self.runner.run([*args, self.destination(), server_name, backup_id, server.data], check=False,
                               timeout=1800)
        if done.returncode != 0:
            return None, (done.stdout + done.stderr).strip()
        restored = time.monotonic()
        (server.data / "recovery.signal").touch()
        self.runner.own(server.data / "recovery.signal")
        settings = {
            "restore_command": self.wal_restore_command(server_name),
            "recovery_target_action": "promote",
            "recovery_target_timeline": "latest",
            # a restored copy must never write into the archive it reads (the plugin gives a new
            # cluster its own serverName; here it simply does not archive)
            "archive_mode": "off",
            "fsync": "off",
        }
        if target_time is not None:
            settings["recovery_target_time"] = target_time
        server.start(settings, wait=False)
        deadline = time.monotonic() + 1800
        while time.monotonic() < deadline:
            if (server.sql("SELECT 1", check=False) == "1"
                    and server.sql("SELECT pg_is_in_recovery()", check=False) == "f"):
                break
            if not server.alive() and time.monotonic() - restored > 2:
                lines = server.log.read_text().strip().splitlines()
                # (the drill's own polling during startup logs "the database system is starting up")
                fatal = [line for line in lines if ("FATAL:" in line or "PANIC:" in line)
                         and "the database system is" not in line]
                return None, "\n".join(fatal or lines[-1:]) or "the server stopped"
            time.sleep(0.1)
        else:
            fail(f"restored server {server.data} not promoted within 30 min")
        if measure:
            self.m.values[measure] = {"restore_seconds": round(restored - started, 2),
                                      "recovery_seconds": round(time.monotonic() - restored, 2),
                                      "total_seconds": round(time.monotonic() - started, 2)}
        return server, ""

    def expect_rows(self, server: Optional[Server], expected: int, what: str, why: str = "") -> None:
        if server is None:
            fail(f"{what}: the restore failed: {why}")
        got = server.rows()
        if got != expected:
            fail(f"{what}: {got} rows restored, expected exactly {expected}")
        server.stop()

    def expect_refused(self, server: Optional[Server], why: str, fragment: str, what: str) -> None:
        if server is not None:
            rows = server.rows()
            server.stop()
            fail(f"{what}: the restore finished ({rows} rows) instead of refusing")
        if fragment not in why:
            fail(f"{what}: refused, but not with '{fragment}': {why}")

    # --- the drill

    def run(self) -> Measurements:
        s = self.settings
        server_name = s.server_name
        self.m.values["settings"] = {"archive_timeout": s.archive_timeout, "server_name": server_name,
                                     "destination": f"s3://<bucket>/{s.destination_folder}",
                                     "wal_compression": s.wal_compression or "none",
                                     "backup_compression": s.backup_compression or "none",
                                     "backup_jobs": s.backup_jobs}
        with self.step("S3 stand-in (moto) up, bucket created"):
            self.s3.start()

        primary = self.new_server("primary")
        with self.step("primary initialised; the archive is empty (barman-cloud-check-wal-archive)"):
            self.runner.run([self.bindir / "initdb", "-D", primary.data, "-U", "postgres", "-E", "UTF8",
                             "--no-sync", "--auth=trust"])
            check = self.check_wal_archive(server_name)
            if check.returncode != 0:
                fail(f"a fresh archive was refused: {check.stderr}")
            started = primary.start({"wal_level": "replica", "archive_mode": "on",
                                     "archive_command": self.wal_archive_command(server_name),
                                     "archive_timeout": str(s.archive_timeout), "fsync": "off",
                                     "max_wal_size": "1GB"})
            if started.returncode != 0:
                fail(f"the primary did not start: {started.stderr}\n{primary.log.read_text()}")
            primary.sql(f"CREATE TABLE {TABLE} (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, "
                        "batch text NOT NULL, room text, nights int, amount numeric(12, 2), "
                        "created timestamptz NOT NULL DEFAULT clock_timestamp(), notes text)")
            self.insert(primary, "seed", SEED_ROWS)
            self.fill(primary)
            primary.sql("CHECKPOINT")
            size = int(primary.sql("SELECT pg_database_size('postgres')"))
            self.switch_and_wait_archived(primary)

        with self.step(f"base backup (barman-cloud-backup) of the {size / 2**20:.0f} MiB database"):
            backup_started = time.monotonic()
            self.base_backup(primary, server_name)
            backup_seconds = time.monotonic() - backup_started

        with self.step("rows A, target time from the server's clock, rows B, WAL archived"):
            self.insert(primary, "A", ROWS_A)
            time.sleep(0.5)
            target = primary.sql("SELECT to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS.US') || '+00:00'")
            time.sleep(0.5)
            self.insert(primary, "B", ROWS_B)
            time.sleep(0.5)
            after_b = primary.sql("SELECT to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS.US') || '+00:00'")
            segment_b = self.switch_and_wait_archived(primary)
            self.m.values["target_time"] = target

        with self.step(f"restore to the target time: exactly {SEED_ROWS} + {ROWS_A} rows (timed: the RTO)"):
            restored, why = self.restore(server_name, target, measure="rto")
            if restored is not None and int(restored.sql("SELECT count(*) FROM stays_history")) != self.fill_rows:
                fail(f"restore to the target time: stays_history lost rows (expected {self.fill_rows})")
            self.expect_rows(restored, SEED_ROWS + ROWS_A, "restore to the target time", why)
        rto = self.m.values["rto"]
        assert isinstance(rto, dict)
        rto.update({"database_bytes": size, "backup_seconds": round(backup_seconds, 2),
                    "base_restore_mib_per_second": round(size / 2**20 / rto["restore_seconds"], 1)})

        self.unreachable_archive(primary, server_name)

        with self.step("planted defect, a wrong target time (after rows B): the exact count fails"):
            restored, why = self.restore(server_name, after_b)
            try:
                self.expect_rows(restored, SEED_ROWS + ROWS_A, "restore to a wrong target time", why)
            except DrillFailure as caught:
                print(f"      caught as it must be: {caught}")
            else:
                fail("the exact row count did not catch a wrong target time")

        wal_key = self.wal_key_of(server_name, segment_b)
        with self.step("planted defect, a missing WAL segment: the restore to a time past it fails"):
            body = self.s3.get(wal_key)
            self.s3.delete(wal_key)
            try:
                restored, why = self.restore(server_name, after_b)
                self.expect_rows(restored, SEED_ROWS + ROWS_A + ROWS_B, "restore across a missing WAL", why)
            except DrillFailure as caught:
                print(f"      caught as it must be: {str(caught)[:200]}")
            else:
                fail("a missing WAL segment went unnoticed")
            finally:
                self.s3.put(wal_key, body)

        with self.step("a corrupted WAL segment: the restore to a time past it refuses to finish"):
            body = self.s3.get(wal_key)
            self.s3.put(wal_key, _corrupt(body))
            try:
                restored, why = self.restore(server_name, after_b)
                self.expect_refused(restored, why, "recovery ended before configured recovery target was reached",
                                    "restore across a corrupted WAL segment")
                self.m.values["corrupted_wal_refusal"] = why
            finally:
                self.s3.put(wal_key, body)

        with self.step("a target before the first backup: no candidate backup"):
            first = self.first_backup_start(server_name)
            before = "2000-01-01 00:00:00+00:00"
            restored, why = self.restore(server_name, before)
            self.expect_refused(restored, why, "Cannot find any candidate backup for recovery",
                                f"restore to {before} (first backup began {first})")

        with self.step("a reused serverName: barman-cloud-check-wal-archive refuses the non-empty archive"):
            check = self.check_wal_archive(server_name)
            if check.returncode == 0 or "Expected empty archive" not in check.stdout + check.stderr:
                fail(f"check-wal-archive accepted the used serverName '{server_name}': {check.stdout}{check.stderr}")
            fresh = self.check_wal_archive(f"{server_name}-restore-1")
            if fresh.returncode != 0:
                fail(f"check-wal-archive refused a new serverName: {fresh.stderr}")

        self.rpo(primary)
        return self.m

    def insert(self, server: Server, batch: str, rows: int) -> None:
        server.sql(f"INSERT INTO {TABLE} (batch, room, nights, amount, notes) "
                   f"SELECT '{batch}', 'R' || (100 + i % 250), "
                   f"1 + i % 14, (i * 37.5) / 3, repeat(md5(i::text), 4) FROM generate_series(1, {rows}) AS i")

    def base_backup(self, primary: Server, server_name: str) -> None:
        # cloudnative-pg/barman-cloud@950b0f57 pkg/backup/backup.go: [--<compression>] [--jobs N]
        # [--endpoint-url] --cloud-provider ... (--immediate-checkpoint: the drill's, for speed)
        compression = [f"--{self.settings.backup_compression}"] if self.settings.backup_compression else []
        jobs = ["--jobs", str(self.settings.backup_jobs)] if self.settings.backup_jobs else []
        self.runner.run([self.tool("barman-cloud-backup"), *compression, *jobs, *self.common(),
                         "--immediate-checkpoint", "-h", self.sock, "-p", primary.port, "-U", "postgres",
                         self.destination(), server_name],
                        timeout=1800)

    def wal_key_of(self, server_name: str, segment: str) -> str:
        keys = [k for k in self.wal_keys(server_name) if k.rsplit("/", 1)[-1].split(".")[0] == segment]
        if not keys:
            fail(f"segment {segment} is not in the archive: {self.wal_keys(server_name)[-5:]}")
        return keys[0]

    def first_backup_start(self, server_name: str) -> str:
        infos = [k for k in self.s3.keys(f"{self.settings.destination_folder}/{server_name}/base/")
                 if k.endswith("backup.info")]
        if not infos:
            fail("no backup.info in the archive")
        text = self.s3.get(sorted(infos)[0]).decode()
        return next((line.split("=", 1)[1] for line in text.splitlines() if line.startswith("begin_time=")), "?")

    def unreachable_archive(self, primary: Server, server_name: str) -> None:
        with self.step("archive unreachable: WAL piles up, pg_stat_archiver fails; once back, a restore to "
                       "the latest WAL has every row"):
            failed_before = int(primary.sql("SELECT failed_count FROM pg_stat_archiver"))
            self.s3.relay.down()
            try:
                for _ in range(3):
                    self.insert(primary, "C", ROWS_C)
                    primary.sql("SELECT pg_switch_wal()")
                deadline = time.monotonic() + 60
                while time.monotonic() < deadline:
                    failed = int(primary.sql("SELECT failed_count FROM pg_stat_archiver"))
                    ready = int(primary.sql("SELECT count(*) FROM pg_ls_archive_statusdir() WHERE name LIKE '%.ready'"))
                    if failed > failed_before and ready >= 2:
                        break
                    time.sleep(0.2)
                else:
                    fail(f"with the archive unreachable: failed_count {failed} (before {failed_before}), "
                         f"{ready} .ready segments; expected failures and >= 2 waiting segments")
                last_failed = primary.sql("SELECT last_failed_wal FROM pg_stat_archiver")
                self.m.values["unreachable_archive"] = {"failed_count": failed - failed_before,
                                                        "segments_waiting": ready, "last_failed_wal": last_failed}
            finally:
                self.s3.relay.up()
            self.switch_and_wait_archived(primary, timeout=180)
            if int(primary.sql("SELECT count(*) FROM pg_ls_archive_statusdir() WHERE name LIKE '%.ready'")):
                fail("segments still waiting after the archive came back")
            expected = SEED_ROWS + ROWS_A + ROWS_B + 3 * ROWS_C
            restored, why = self.restore(server_name)
            self.expect_rows(restored, expected, "restore to the latest WAL after the archive outage", why)

    def fill(self, primary: Server) -> None:
        """A second table grown to about ``seed_mib`` MiB, so the restores (and the timed one) carry a
        database of a stated size; ``reservations`` keeps the exact counts."""
        rows = max(1, self.seed_mib) * 4096  # about 256 bytes a row with its index and TOAST-free text
        primary.sql(f"CREATE TABLE stays_history AS SELECT i AS id, md5(i::text) AS guest, "
                    f"repeat(md5((i * 7)::text), 5) AS notes, now() AS at FROM generate_series(1, {rows}) AS i")
        primary.sql("ALTER TABLE stays_history ADD PRIMARY KEY (id)")
        self.fill_rows = rows

    def rpo(self, primary: Server) -> None:
        """The archive's share of the RPO: a committed row is lost with the primary until its segment
        is archived, i.e. at most archive_timeout (a switch forced under low traffic) plus the time
        one segment takes to ship. Measured: how long barman-cloud-wal-archive takes for one."""
        with self.step("RPO: time to archive one segment after a switch"):
            samples = []
            for _ in range(5):
                self.insert(primary, "rpo", 10)
                started = time.monotonic()
                self.switch_and_wait_archived(primary)
                samples.append(time.monotonic() - started)
            self.m.values["rpo"] = {"archive_timeout_seconds": self.settings.archive_timeout,
                                    "segment_ship_seconds_max": round(max(samples), 2),
                                    "segment_ship_seconds_median": round(sorted(samples)[len(samples) // 2], 2),
                                    "rpo_bound_seconds": round(self.settings.archive_timeout + max(samples), 1)}

    def close(self) -> None:
        for server in self.servers:
            with contextlib.suppress(Exception):
                server.stop()
        self.s3.stop()


def _corrupt(body: bytes) -> bytes:
    """Flip bytes in the middle of a segment (compressed or not), where records of the last rows sit."""
    middle = len(body) // 2
    return body[:middle] + bytes(b ^ 0xFF for b in body[middle:middle + 64]) + body[middle + 64:]


def main(argv: Optional[list[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--venv", type=Path, required=True, help="virtualenv with requirements-drill.txt")
    parser.add_argument("--seed-mib", type=int, default=64, help="about how large the restored database is (MiB)")
    parser.add_argument("--json", type=Path, help="write the measurements here")
    parser.add_argument("--keep", action="store_true", help="keep the working directory (for debugging)")
    args = parser.parse_args(argv)
    settings = archive_settings()
    base = Path(tempfile.mkdtemp(prefix="tartware-pitr-"))
    started = time.monotonic()
    print(f"PITR drill in {base}: serverName {settings.server_name}, archive_timeout {settings.archive_timeout} s")
    drill = Drill(args.venv.resolve(), base, settings, args.seed_mib)
    base.chmod(0o755)
    drill.runner.own(base)
    try:
        m = drill.run()
    except DrillFailure as exc:
        print(f"PITR drill FAILED: {exc}", file=sys.stderr)
        return 1
    finally:
        drill.close()
        if not args.keep:
            shutil.rmtree(base, ignore_errors=True)
    m.values["drill_seconds"] = round(time.monotonic() - started, 1)
    print(json.dumps(m.values, indent=2))
    if args.json:
        args.json.write_text(json.dumps({"steps": m.steps, **m.values}, indent=2) + "\n")
    print(f"PITR drill OK ({m.values['drill_seconds']} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
