"""What both PgBouncer test modules need: Debian's PostgreSQL and PgBouncer binaries, a free port, and a
throwaway PostgreSQL server (``server``)."""

from __future__ import annotations

import contextlib
import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator, Optional

# Debian's layout: /usr/lib/postgresql/<major>/bin (postgresql-common); pgbouncer from its package.
BINDIRS = sorted(glob.glob("/usr/lib/postgresql/*/bin/postgres"), key=lambda p: int(p.split("/")[4]))
PGBOUNCER = shutil.which("pgbouncer") or ("/usr/sbin/pgbouncer" if Path("/usr/sbin/pgbouncer").exists() else None)


def _port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Server:
    """A throwaway PostgreSQL on loopback (``server``): its work directory, port and binaries, and
    ``run`` for commands as the user that owns it."""

    base: Path
    port: int
    bindir: Path
    user: Optional[str]

    def run(self, args, **kw) -> subprocess.CompletedProcess:
        return subprocess.run([str(a) for a in args], user=self.user, capture_output=True, text=True, timeout=60,
                              **kw)

    def sql(self, statement: str, db: str = "postgres") -> str:
        out = self.run([self.bindir / "psql", "-h", self.base, "-p", self.port, "-U", "postgres", "-d", db,
                        "-XAtqc", statement])
        assert out.returncode == 0, out.stderr
        return out.stdout.strip()

    def own(self) -> None:
        """Hand every file of ``base`` to the server's user (PgBouncer runs as that user too)."""
        if self.user:
            pw = pwd.getpwnam(self.user)
            for f in self.base.iterdir():
                os.chown(f, pw.pw_uid, pw.pw_gid)


@contextlib.contextmanager
def server(prefix: str) -> Iterator[Server]:
    """initdb (no fsync), pg_ctl start on a free port with SCRAM for TCP logins; as the ``postgres``
    system user when the tests run as root (PostgreSQL refuses root). Stopped and removed on exit,
    also when the set-up failed half-way."""
    user = "postgres" if os.geteuid() == 0 else None
    base = Path(tempfile.mkdtemp(prefix=prefix))
    if user:
        pw = pwd.getpwnam(user)
        os.chown(base, pw.pw_uid, pw.pw_gid)
    pg = Server(base, _port(), Path(BINDIRS[-1]).parent, user)
    data = base / "data"
    try:
        pg.run([pg.bindir / "initdb", "-D", data, "-U", "postgres", "--no-sync", "--auth-local=trust",
                "--auth-host=scram-sha-256"], check=True)
        started = pg.run([pg.bindir / "pg_ctl", "-D", data, "-l", base / "pg.log", "-w", "-o",
                          f"-p {pg.port} -k {base} -c listen_addresses=127.0.0.1 -c fsync=off", "start"])
        assert started.returncode == 0, started.stderr
        yield pg
    finally:
        if (data / "postmaster.pid").exists():
            pg.run([pg.bindir / "pg_ctl", "-D", data, "-m", "immediate", "-w", "stop"])
        shutil.rmtree(base, ignore_errors=True)
