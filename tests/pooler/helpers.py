"""What both PgBouncer test modules need: Debian's PostgreSQL and PgBouncer binaries, a free port."""

from __future__ import annotations

import glob
import shutil
import socket
from pathlib import Path

# Debian's layout: /usr/lib/postgresql/<major>/bin (postgresql-common); pgbouncer from its package.
BINDIRS = sorted(glob.glob("/usr/lib/postgresql/*/bin/postgres"), key=lambda p: int(p.split("/")[4]))
PGBOUNCER = shutil.which("pgbouncer") or ("/usr/sbin/pgbouncer" if Path("/usr/sbin/pgbouncer").exists() else None)


def _port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]
