"""Offline diff of two revisions: what the program and Kubernetes would receive, as markdown.

    python -m tools.diff --base origin/main                 # base revision vs the working tree
    python -m tools.diff --base HEAD~1 --head HEAD --stack dev

For each revision the real program runs under Pulumi's mock engine — in a subprocess, from a
``git archive`` copy of that revision (the working tree for the default ``--head``), so the two
programs never share Python module state — and the Tartware chart of that revision is rendered
with that revision's values. The summary lists:

* budget changes: per service min/max replicas, requests and limits, and the totals;
* Pulumi resources added, removed and changed (by URN, with the changed input keys);
* manifest changes per object (chart objects and the Kubernetes objects Pulumi creates itself):
  kind/name and each changed field, old -> new.

A ``helm.v3.Release`` preview shows only a values diff; this shows the objects. Unknown revision,
not a git repository, or a revision whose program fails: a clear message and a non-zero exit.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path
from typing import Any, Callable, Mapping, Optional

ROOT = Path(__file__).resolve().parent.parent
WORKTREE = "WORKTREE"  # --head default: the files as they are on disk
MAX_FIELDS_PER_OBJECT = 40
MAX_CHARS = 60000  # GitHub comments are limited to 65,536 characters


class DiffError(Exception):
    """A problem the user has to fix (bad revision, failing program)."""


# ------------------------------------------------------------------------------ snapshots


def _load_manifests():
    """tools/manifests.py of THIS revision, loaded by path: the snapshot subprocess must import the
    checkout's own ``tools`` package (its harness), so this module does not import ``tools``."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("_tartware_manifests",
                                                  Path(__file__).resolve().with_name("manifests.py"))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


_manifests = _load_manifests()
_mask = _manifests.mask
object_key = _manifests.object_key
kubernetes_objects = _manifests.kubernetes_objects


def build_snapshot(run: Any, render: Callable[[dict], list[dict]]) -> dict[str, Any]:
    """What one revision would deploy: budget, Pulumi resources (inputs) and manifests."""
    outputs = {k: _mask(v) for k, v in run.outputs.items()}
    resources = {}
    for r in run.resources:
        resources[r.urn] = {"type": r.type, "name": r.name, "custom": r.custom,
                            "inputs": _mask(r.inputs) if r.custom else {}}
    manifests: dict[str, Any] = {}
    for r in run.resources:
        if r.type == "kubernetes:helm.sh/v3:Release" and r.plain.get("name") == "tartware":
            for doc in render(r.plain["values"]):
                manifests[object_key(doc)] = doc
    for doc in kubernetes_objects(run.resources):
        manifests.setdefault(object_key(doc), doc)
    return {"budget": outputs.get("budget") or {}, "resources": resources, "manifests": manifests}


def take_snapshot(stack: str, overrides: Optional[Mapping[str, Any]] = None) -> dict[str, Any]:
    """Snapshot of the current code, in this process (tests use it to compare two settings)."""
    # This module imports no `tools` module at load time (the snapshot subprocess needs its
    # checkout's own harness); here, this tree's harness sets the mocks before the program loads.
    from tools.offline import run_program, stack_config

    config, secret_keys = stack_config(stack, overrides=overrides)
    return build_snapshot(run_program(stack, config, secret_keys), _manifests.render_chart)


def _snapshot_in_checkout(root: Path, stack: str) -> dict[str, Any]:
    """Runs inside the subprocess: import the checkout's own modules and snapshot them."""
    sys.path.insert(0, str(root))
    os.chdir(root)
    # the checkout's harness, which sets the mocks before that revision's program loads
    from tools.offline import run_program, stack_config

    import helm_python
    import yaml

    chart = root / "charts" / "tartware"

    def render(values: dict) -> list[dict]:
        rendered = helm_python.Chart.load(str(chart)).render(values, name="tartware", namespace="tartware-system",
                                                            is_install=True)
        docs: list[dict] = []
        for path in sorted(rendered):
            if not path.endswith("NOTES.txt"):
                docs.extend(d for d in yaml.safe_load_all(rendered[path]) if d)
        return docs

    config, secret_keys = stack_config(stack)
    return build_snapshot(run_program(stack, config, secret_keys), render)


def _git(*args: str, binary: bool = False) -> subprocess.CompletedProcess:
    return subprocess.run(["git", "-C", str(ROOT), *args], capture_output=True, text=not binary)


def resolve(rev: str) -> str:
    """The commit a revision names, or a DiffError that says what is wrong."""
    if _git("rev-parse", "--is-inside-work-tree").returncode != 0:
        raise DiffError(f"{ROOT} is not a git repository; cannot read revision {rev!r}")
    found = _git("rev-parse", "--verify", "--quiet", f"{rev}^{{commit}}")
    if found.returncode != 0 or not found.stdout.strip():
        raise DiffError(f"unknown git revision {rev!r} (not a commit, branch or tag in {ROOT}; "
                        "in CI fetch it first, e.g. actions/checkout with fetch-depth: 0)")
    return found.stdout.strip()


def export_revision(commit: str, dest: Path) -> None:
    """The files of ``commit`` into ``dest`` with ``git archive`` (read-only for the repository)."""
    # the program and the Tartware chart; the vendored third-party charts (24 MB) are not rendered here
    archive = _git("archive", "--format=tar", commit, "--", ".", ":(exclude)charts/vendor", binary=True)
    if archive.returncode != 0:
        raise DiffError(f"git archive {commit} failed: {archive.stderr.decode(errors='replace').strip()}")
    with tarfile.open(fileobj=io.BytesIO(archive.stdout)) as tar:
        tar.extractall(dest, filter="data")


def snapshots_of(revs: list[str], stack: str) -> list[dict[str, Any]]:
    """Snapshots of ``revs`` (git revisions, or WORKTREE), each computed in its own Python process;
    the processes run in parallel."""
    with tempfile.TemporaryDirectory(prefix="tartware-diff-") as tmp:
        env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}
        env.pop("PYTHONPATH", None)
        running = []
        for i, rev in enumerate(revs):
            if rev == WORKTREE:
                root = ROOT
            else:
                root = Path(tmp) / f"tree-{i}"
                root.mkdir()
                export_revision(resolve(rev), root)
            out = Path(tmp) / f"snapshot-{i}.json"
            proc = subprocess.Popen(
                [sys.executable, str(Path(__file__).resolve()), "--snapshot-root", str(root), "--stack", stack,
                 "--snapshot-out", str(out)],
                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env, cwd=str(root))
            running.append((rev, proc, out))
        snapshots = []
        for rev, proc, out in running:
            stdout, stderr = proc.communicate()
            if proc.returncode != 0:
                tail = "\n".join((stderr or stdout).strip().splitlines()[-15:])
                raise DiffError(f"the program of revision {rev!r} failed for stack {stack!r}:\n{tail}")
            snapshots.append(json.loads(out.read_text()))
        return snapshots


# ------------------------------------------------------------------------------ comparison


def flatten(value: Any, prefix: str = "") -> dict[str, Any]:
    """Leaf paths of nested data. List items that carry a ``name`` are addressed by it."""
    out: dict[str, Any] = {}
    if isinstance(value, dict):
        if not value and prefix:
            out[prefix] = {}
        for k, v in value.items():
            out.update(flatten(v, f"{prefix}.{k}" if prefix else str(k)))
    elif isinstance(value, list):
        if not value and prefix:
            out[prefix] = []
        names = [v.get("name") for v in value if isinstance(v, dict)]
        named = (len(names) == len(value) and all(isinstance(n, str) for n in names)
                 and len(set(names)) == len(names))
        for i, v in enumerate(value):
            label = f"[{v['name']}]" if named else f"[{i}]"
            out.update(flatten(v, f"{prefix}{label}"))
    else:
        out[prefix] = value
    return out


def changed_fields(old: Any, new: Any) -> list[tuple[str, Any, Any]]:
    a, b = flatten(old), flatten(new)
    missing = object()
    rows = []
    for path in sorted(set(a) | set(b)):
        va, vb = a.get(path, missing), b.get(path, missing)
        if va != vb:
            rows.append((path, None if va is missing else va, None if vb is missing else vb))
    return rows


BUDGET_FIELDS = ("minReplicas", "maxReplicas", "cpuRequest", "cpuLimit", "memoryRequest", "memoryLimit")
TOTAL_FIELDS = ("pods", "cpuRequestCores", "cpuLimitCores", "memoryRequestGi", "memoryLimitGi")


def compare(base: Mapping[str, Any], head: Mapping[str, Any]) -> dict[str, Any]:
    """Structured differences between two snapshots (see ``build_snapshot``)."""
    bb, hb = base.get("budget") or {}, head.get("budget") or {}
    budget = []
    services = sorted(set(bb.get("services", {})) | set(hb.get("services", {})))
    for svc in services:
        o, n = bb.get("services", {}).get(svc), hb.get("services", {}).get(svc)
        for f in BUDGET_FIELDS:
            ov, nv = (o or {}).get(f), (n or {}).get(f)
            if ov != nv:
                budget.append({"service": svc, "field": f, "base": ov, "head": nv})
    totals = []
    for side in ("min", "max"):
        for f in TOTAL_FIELDS:
            ov, nv = (bb.get(side) or {}).get(f), (hb.get(side) or {}).get(f)
            if ov != nv:
                totals.append({"scale": side, "field": f, "base": ov, "head": nv})

    br, hr = base.get("resources", {}), head.get("resources", {})
    added = [{"urn": u, "type": hr[u]["type"], "name": hr[u]["name"]} for u in sorted(set(hr) - set(br))]
    removed = [{"urn": u, "type": br[u]["type"], "name": br[u]["name"]} for u in sorted(set(br) - set(hr))]
    changed = []
    for u in sorted(set(br) & set(hr)):
        rows = changed_fields(br[u].get("inputs"), hr[u].get("inputs"))
        if rows:
            keys = sorted({p.split(".")[0].split("[")[0] for p, _, _ in rows})
            changed.append({"urn": u, "type": hr[u]["type"], "name": hr[u]["name"], "inputKeys": keys,
                            "paths": [p for p, _, _ in rows]})

    bm, hm = base.get("manifests", {}), head.get("manifests", {})
    manifests = {
        "added": sorted(set(hm) - set(bm)),
        "removed": sorted(set(bm) - set(hm)),
        "changed": [{"object": k, "fields": [{"path": p, "base": o, "head": n} for p, o, n in rows]}
                    for k in sorted(set(bm) & set(hm)) if (rows := changed_fields(bm[k], hm[k]))],
    }
    return {"budget": budget, "totals": totals,
            "resources": {"added": added, "removed": removed, "changed": changed},
            "manifests": manifests}


def _cell(value: Any) -> str:
    if value is None:
        return "—"
    text = value if isinstance(value, str) else json.dumps(value, sort_keys=True)
    text = text.replace("|", "\\|").replace("\n", " ")
    return f"`{text[:77] + '...' if len(text) > 80 else text}`"


def markdown(changes: Mapping[str, Any], stack: str, base_label: str, head_label: str) -> str:
    out = [f"## Offline plan diff — stack `{stack}`: `{base_label}` → `{head_label}`", "",
           "_Pulumi mock engine + rendered Tartware chart (`python -m tools.diff`); nothing was contacted._", ""]
    out += ["### Budget", ""]
    if not changes["budget"] and not changes["totals"]:
        out += ["No budget changes.", ""]
    else:
        out += ["| service | field | base | head |", "|---|---|---|---|"]
        out += [f"| {r['service']} | {r['field']} | {_cell(r['base'])} | {_cell(r['head'])} |"
                for r in changes["budget"]]
        out += [f"| **total at {r['scale']}** | {r['field']} | {_cell(r['base'])} | {_cell(r['head'])} |"
                for r in changes["totals"]]
        out.append("")
    res = changes["resources"]
    out += ["### Pulumi resources", ""]
    if not (res["added"] or res["removed"] or res["changed"]):
        out += ["No resources added, removed or changed.", ""]
    for title, items in (("Added", res["added"]), ("Removed", res["removed"])):
        if items:
            out.append(f"**{title} ({len(items)})**")
            out += [f"- `{i['type']}` `{i['name']}` — `{i['urn']}`" for i in items]
            out.append("")
    if res["changed"]:
        out.append(f"**Changed ({len(res['changed'])})**")
        for c in res["changed"]:
            paths = ", ".join(f"`{p}`" for p in c["paths"][:8]) + (" …" if len(c["paths"]) > 8 else "")
            out.append(f"- `{c['type']}` `{c['name']}` — inputs {', '.join(c['inputKeys'])}: {paths}")
        out.append("")
    man = changes["manifests"]
    out += ["### Kubernetes manifests", ""]
    if not (man["added"] or man["removed"] or man["changed"]):
        out += ["No manifest changes.", ""]
    for title, items in (("Added", man["added"]), ("Removed", man["removed"])):
        if items:
            out.append(f"**{title} ({len(items)})**: " + ", ".join(f"`{i}`" for i in items))
            out.append("")
    for c in man["changed"]:
        out += [f"**`{c['object']}`**", "", "| field | base | head |", "|---|---|---|"]
        for f in c["fields"][:MAX_FIELDS_PER_OBJECT]:
            out.append(f"| `{f['path']}` | {_cell(f['base'])} | {_cell(f['head'])} |")
        if len(c["fields"]) > MAX_FIELDS_PER_OBJECT:
            out.append(f"| … {len(c['fields']) - MAX_FIELDS_PER_OBJECT} more fields | | |")
        out.append("")
    text = "\n".join(out)
    if len(text) > MAX_CHARS:
        text = text[:MAX_CHARS] + "\n\n… (truncated; run `python -m tools.diff` locally for the whole diff)\n"
    return text


# ------------------------------------------------------------------------------ command line


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--base", help="git revision to compare against (e.g. origin/main)")
    parser.add_argument("--head", default=WORKTREE, help="git revision, or WORKTREE (default: the files on disk)")
    parser.add_argument("--stack", default="prod", help="stack name: a Pulumi.<stack>.yaml must exist in both")
    parser.add_argument("--json", action="store_true", help="structured differences instead of markdown")
    parser.add_argument("--snapshot-root", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--snapshot-out", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    if args.snapshot_root is not None:  # internal: the subprocess that snapshots one revision
        snap = _snapshot_in_checkout(args.snapshot_root.resolve(), args.stack)
        args.snapshot_out.write_text(json.dumps(snap, default=str))
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(0)  # skip interpreter shutdown (joining the engine's worker threads): ~1 s per revision
    if not args.base:
        parser.error("--base is required")
    try:
        for rev in (args.base, args.head):
            if rev != WORKTREE:
                resolve(rev)
        base, head = snapshots_of([args.base, args.head], args.stack)
    except DiffError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    changes = compare(base, head)
    if args.json:
        print(json.dumps(changes, indent=2, default=str))
    else:
        head_label = "working tree" if args.head == WORKTREE else args.head
        print(markdown(changes, args.stack, args.base, head_label))
    return 0


if __name__ == "__main__":
    sys.exit(main())
