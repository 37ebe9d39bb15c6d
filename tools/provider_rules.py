"""Write tools/conformance/provider_rules.json: which input properties make a provider replace a resource,
read from the providers' own sources at the versions the pinned Pulumi packages bridge.

    python -m tools.provider_rules --mirrors /work/.mirror          # rewrite the data file
    python -m tools.provider_rules --mirrors /work/.mirror --check  # exit 1 when it is stale

Developers only (it needs git and the repositories' mirrors, laid out ``<owner>+<name>/repo``, as
tools/vendor_charts.py reads them); the tests read the result (tests/test_provider_rules.py) and the
day-2 table uses it (tools/conformance/day2.py FORCE_NEW). Only names and file:line citations are
written, never the providers' code.

What is read, for the resource types the day-2 scenarios touch:

* pulumi-kubernetes ``provider/pkg/provider/diff.go``: the ``forceNew`` table (per group, version
  and kind, a list or a ``var`` holding one; ``metadataForceNewProperties`` for every kind) and
  ``helm_release.go``'s ``forceNewFields`` for a Helm release;
* terraform-provider-random ``internal/provider/resource_password.go``: the attributes of the
  current schema (``passwordSchemaV3``) whose plan modifiers include a ``RequiresReplace``; likewise
  ``resource_id.go``'s ``Schema`` method (``RandomId``, the data tier's volume-size guards).

Versions: pulumi-kubernetes 4.34.2 is pinned, the newest tag reachable is v4.32.0 (the one cited
across tools/conformance/); pulumi-random 4.21.4 is pinned, and pulumi-random's provider/go.mod at
v4.21.1 and at main f64d8726 requires terraform-provider-random at the commit tagged v3.9.0.
terraform-provider-aws (what pulumi-aws 7.51.1 bridges) could not be brought here (its snapshot
exceeds the fetch limit): its rows stay a transcription in tools/conformance/day2.py, marked as
such in docs/day2.md.
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "tools" / "conformance" / "provider_rules.json"
FORMAT = 1
KUBERNETES = ("pulumi/pulumi-kubernetes", "v4.32.0")
RANDOM = ("hashicorp/terraform-provider-random", "v3.9.0")
DIFF_GO = "provider/pkg/provider/diff.go"
HELM_GO = "provider/pkg/provider/helm_release.go"
PASSWORD_GO = "internal/provider/resource_password.go"
ID_GO = "internal/provider/resource_id.go"


@dataclass(frozen=True)
class Field:
    path: str  # the Pulumi input path (camelCase, dots)
    line: int


Extractor = Callable[[list[str]], list[Field]]


def _literals(lines: list[str], start: int) -> tuple[list[Field], int]:
    """The string items of the Go composite literal opening on ``lines[start]``, to its closing brace;
    the items of nested calls (``labelSelectorForceNewProperties(...)``) are prefixes, not fields."""
    depth, out, i = 0, [], start
    while i < len(lines):
        text = lines[i]
        item = re.fullmatch(r'\s*"(\.[^"]+)",?\s*', text)
        if item and depth == 1:
            out.append(Field(item.group(1).lstrip("."), i + 1))
        depth += text.count("{") - text.count("}")
        if depth <= 0 and i > start or depth <= 0 and "}" in text:
            return out, i
        i += 1
    raise ValueError(f"unterminated literal at line {start + 1}")


def kubernetes_kind(group: str, version: str, kind: str) -> Extractor:
    """The forceNew fields of ``kind`` (its own list, or the ``var`` it names) under ``group``/``version``."""

    def extract(lines: list[str]) -> list[Field]:
        table = "var core = " if group in ("", "core") else "var forceNew = "
        begin = next(i for i, t in enumerate(lines) if t.startswith(table))
        end = _literals_end(lines, begin)
        section = begin
        if table == "var forceNew = ":
            section = next(i for i in range(begin, end)
                           if re.match(rf'\s*"{re.escape(group)}": _versions\{{', lines[i]))
        v = next(i for i in range(section, end) if re.match(rf'\s*"{re.escape(version)}":\s*_kinds\{{', lines[i]))
        for i in range(v, end):
            m = re.search(rf'"{re.escape(kind)}":\s*(?:(\w+)[,}}]|append\(|properties\{{)', lines[i])
            if m is None:
                continue
            if m.group(1):  # a var holding the list
                i = next(k for k, t in enumerate(lines) if t.startswith(f"var {m.group(1)} = "))
            start = next(k for k in range(i, len(lines)) if "properties{" in lines[k])
            return _literals(lines, start)[0]
        raise ValueError(f"no forceNew entry for {group}/{version} {kind}")

    return extract


def _literals_end(lines: list[str], start: int) -> int:
    depth = 0
    for i in range(start, len(lines)):
        depth += lines[i].count("{") - lines[i].count("}")
        if depth == 0 and i > start:
            return i
    return len(lines)


def kubernetes_metadata(lines: list[str]) -> list[Field]:
    """``metadataForceNewProperties(".metadata")``: every kind's name and namespace."""
    j = next(i for i, t in enumerate(lines) if t.startswith("func metadataForceNewProperties("))
    out = []
    for i in range(j, _literals_end(lines, j) + 1):
        m = re.fullmatch(r'\s*prefix \+ "(\.[^"]+)",?\s*', lines[i])
        if m:
            out.append(Field("metadata" + m.group(1), i + 1))
    return out


def helm_release(lines: list[str]) -> list[Field]:
    for i, t in enumerate(lines):
        m = re.search(r"forceNewFields := \[\]string\{([^}]*)\}", t)
        if m:
            return [Field(s.lstrip("."), i + 1) for s in re.findall(r'"([^"]+)"', m.group(1))]
    raise ValueError("no forceNewFields in helm_release.go")


def _camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(w.title() for w in rest)


def requires_replace(function: str) -> Extractor:
    """The attributes of the framework schema ``function`` whose plan modifiers include RequiresReplace*."""

    def extract(lines: list[str]) -> list[Field]:
        j = next(i for i, t in enumerate(lines) if t.startswith(f"func {function}("))
        end = _literals_end(lines, next(i for i in range(j, len(lines)) if "{" in lines[i]))
        out, current = [], None
        for i in range(j, end):
            m = re.match(r'\t\t\t"(\w+)": schema\.\w+Attribute\{', lines[i])
            if m:
                current = (m.group(1), i + 1)
            elif current and re.search(r"\bRequiresReplace\w*\(", lines[i]):
                out.append(Field(_camel(current[0]), current[1]))
                current = None
        return out

    return extract


# type -> (repository, ref, path, extractor, what)
SOURCES: dict[str, tuple[tuple[str, str], str, Extractor, str]] = {
    "kubernetes:batch/v1:Job": (KUBERNETES, DIFF_GO, kubernetes_kind("batch", "v1", "Job"), "forceNew batch/v1 Job"),
    "kubernetes:core/v1:PersistentVolumeClaim": (KUBERNETES, DIFF_GO,
                                                 kubernetes_kind("core", "v1", "PersistentVolumeClaim"),
                                                 "forceNew core/v1 PersistentVolumeClaim"),
    "kubernetes:core/v1:Secret": (KUBERNETES, DIFF_GO, kubernetes_kind("core", "v1", "Secret"),
                                  "forceNew core/v1 Secret"),
    "kubernetes:storage.k8s.io/v1:StorageClass": (KUBERNETES, DIFF_GO,
                                                  kubernetes_kind("storage.k8s.io", "v1", "StorageClass"),
                                                  "forceNew storage.k8s.io/v1 StorageClass"),
    # a custom resource has no kind entry: only metadataForceNewProperties (name, namespace)
    "kubernetes:postgresql.cnpg.io/v1:Cluster": (KUBERNETES, DIFF_GO, kubernetes_metadata,
                                                 "metadataForceNewProperties; no kind entry for postgresql.cnpg.io"),
    "kubernetes:helm.sh/v3:Release": (KUBERNETES, HELM_GO, helm_release,
                                      "forceNewFields; everything else is helm upgrade"),
    "random:index/randomPassword:RandomPassword": (RANDOM, PASSWORD_GO, requires_replace("passwordSchemaV3"),
                                                   "passwordSchemaV3 attributes with a RequiresReplace plan modifier"),
    "random:index/randomId:RandomId": (RANDOM, ID_GO, requires_replace("(r *idResource) Schema"),
                                       "idResource Schema attributes with a RequiresReplace plan modifier"),
}


def _git(mirrors: Path, repo: str, *args: str) -> str:
    git_dir = mirrors / repo.replace("/", "+") / "repo"
    return subprocess.run(["git", f"--git-dir={git_dir}", *args], capture_output=True, text=True,
                          check=True).stdout


def extract(mirrors: Path) -> dict:
    types: dict[str, dict] = {}
    for type_, ((repo, ref), path, extractor, what) in SOURCES.items():
        commit = _git(mirrors, repo, "rev-parse", f"{ref}^{{commit}}").strip()
        fields = extractor(_git(mirrors, repo, "show", f"{ref}:{path}").splitlines())
        if not fields:
            raise ValueError(f"{type_}: nothing extracted from {repo}@{ref} {path}")
        types[type_] = {"fields": [f.path for f in fields],
                        "source": f"{repo}@{ref} ({commit[:12]}) {path}:"
                                  + ",".join(str(n) for n in sorted({f.line for f in fields})) + f" ({what})"}
    return {"format": FORMAT, "generated_by": "python -m tools.provider_rules --mirrors <mirrors>", "types": types}


def render(data: dict) -> str:
    return json.dumps(data, indent=1, sort_keys=True) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--mirrors", type=Path, required=True)
    parser.add_argument("--check", action="store_true")
    args = parser.parse_args(argv)
    text = render(extract(args.mirrors))
    if args.check:
        current = OUT.read_text() if OUT.exists() else ""
        if current != text:
            print(f"{OUT.relative_to(ROOT)} is stale: run python -m tools.provider_rules --mirrors {args.mirrors}")
            return 1
        return 0
    OUT.write_text(text)
    print(f"wrote {OUT.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
