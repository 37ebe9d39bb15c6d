"""What ``pulumi up`` would do to a stack whose state holds one program's resources when it runs
another program: the engine's steps, from the engine's and the Kubernetes provider's own rules.

    python -m tools.engine condense RECORD.json > STATE.json   # a tools/record.py snapshot -> a state

The rules (pulumi/pulumi pkg/resource/deploy, stored commits 00285a9b/004205f2, the engine of the
pinned CLI line; pulumi/pulumi-kubernetes provider/pkg/provider):

* a resource the program registers under a URN the state does not hold is **created**; one it holds
  with the same inputs is **same**; with other inputs the provider's Diff decides between an
  in-place **update** and a **replace** (step_generator.go ``generateSteps``);
* the Kubernetes provider replaces an object whose ``metadata.name`` or ``metadata.namespace``
  changes (provider.go Diff: ``forceNewFields``) and a Helm release whose ``name`` or ``namespace``
  changes; any other change of a release (chart, version, repository, values) is an update, a
  ``helm upgrade`` (helm_release.go Diff: ``forceNewFields := []string{".name", ".namespace"}``);
* a replace of a resource protected in the state and in the program is refused before anything is
  done (step_generator.go: "unable to replace resource ... as it is currently marked for protection");
* resources of the state the program no longer registers are **deleted after** every create and
  update (deployment_executor.go: ``GenerateDeletes`` once the program has finished); a protected one
  is refused (step.go ``deleteProtectedError``), a ``retainOnDelete`` one is dropped from the state
  and left running (step.go ``DeleteStep.Apply``).

A Helm release's delete is ``helm uninstall``: Helm removes what the release rendered, and Kubernetes
keeps the claims a StatefulSet created from its volumeClaimTemplates (their
persistentVolumeClaimRetentionPolicy defaults to Retain: kubernetes.io/docs/concepts/workloads/
controllers/statefulset/#persistentvolumeclaim-retention).

The per-kind immutable fields beyond name and namespace (a Job's template, a Secret's type, ...) are
not modelled: the resources a stack moves between programs here (releases, custom resources,
Secrets' data) have none.
"""

from __future__ import annotations

import hashlib
import json
import sys
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Iterable, Optional

from tools.offline import unsecret

RELEASE = "kubernetes:helm.sh/v3:Release"


@dataclass(frozen=True)
class StateEntry:
    """What the engine compares of a resource: type, identity, inputs (by hash), protect, retain."""

    urn: str
    type: str
    identity: tuple[str, str]  # (name, namespace) of the Kubernetes object or Helm release
    inputs: str  # sha256 of the canonical inputs
    protect: bool
    retain_on_delete: bool


@dataclass(frozen=True)
class Step:
    op: str  # same | update | replace | create | delete | delete-retained
    urn: str
    error: str = ""  # the engine's refusal, word for word

    @property
    def name(self) -> str:
        return self.urn.rsplit("::", 1)[-1]


def _identity(type_: str, inputs: dict[str, Any]) -> tuple[str, str]:
    if type_ == RELEASE:
        return str(inputs.get("name", "")), str(inputs.get("namespace", ""))
    meta = inputs.get("metadata") or {}
    return str(meta.get("name", "")), str(meta.get("namespace", ""))


def _digest(inputs: Any) -> str:
    return hashlib.sha256(json.dumps(inputs, sort_keys=True, default=str).encode()).hexdigest()


def entry(urn: str, type_: str, inputs: dict[str, Any], protect: bool, retain: bool) -> StateEntry:
    return StateEntry(urn, type_, _identity(type_, inputs), _digest(inputs), bool(protect), bool(retain))


def state_of_run(run: Any) -> dict[str, StateEntry]:
    """The state a ``pulumi up`` of ``run``'s program leaves (tools/offline.py ProgramRun); secret
    inputs count by their value, as the engine compares them."""
    return {r.urn: entry(r.urn, r.type, unsecret(r.inputs), r.protect, r.retain_on_delete) for r in run.resources}


def state_of_record(record: dict[str, Any]) -> dict[str, StateEntry]:
    """The state from a tools/record.py snapshot of a checkout (secret inputs by their value)."""
    def plain(v: Any) -> Any:
        if isinstance(v, dict):
            return plain(v["__secret__"]) if set(v) == {"__secret__"} else {k: plain(x) for k, x in v.items()}
        if isinstance(v, list):
            return [plain(x) for x in v]
        return v
    return {urn: entry(urn, r["type"], plain(r["inputs"]), r["protect"], r["retain_on_delete"])
            for urn, r in record["resources"].items()}


def load_state(path: Path) -> dict[str, StateEntry]:
    doc = json.loads(path.read_text())
    return {e["urn"]: StateEntry(e["urn"], e["type"], tuple(e["identity"]), e["inputs"], e["protect"],
                                 e["retain_on_delete"]) for e in doc["resources"]}


def steps(old: dict[str, StateEntry], new: Iterable[StateEntry]) -> list[Step]:
    """The engine's steps from ``old`` (the state) to ``new`` (the program's registrations, in order)."""
    out: list[Step] = []
    seen: set[str] = set()
    for n in new:
        seen.add(n.urn)
        o = old.get(n.urn)
        if o is None:
            out.append(Step("create", n.urn))
        elif o.inputs == n.inputs and o.identity == n.identity:
            out.append(Step("same", n.urn))
        elif o.identity != n.identity:
            error = ""
            if o.protect and n.protect:
                error = (f'unable to replace resource "{n.urn}"\nas it is currently marked for protection. To '
                         "unprotect the resource, remove the `protect` flag from the resource in your Pulumi "
                         "program and run `pulumi up`")
            out.append(Step("replace", n.urn, error))
        else:
            out.append(Step("update", n.urn))
    for urn, o in old.items():  # after the program finished: deletes
        if urn in seen:
            continue
        if o.protect:
            out.append(Step("delete", urn, f'resource "{urn}" cannot be deleted\nbecause it is protected. To '
                                           "unprotect the resource, either remove the `protect` flag from the "
                                           "resource in your Pulumi program and run `pulumi up`, or use the "
                                           f"command:\n`pulumi state unprotect '{urn}'`"))
        else:
            out.append(Step("delete-retained" if o.retain_on_delete else "delete", urn))
    return out


def refused(plan: list[Step]) -> list[Step]:
    return [s for s in plan if s.error]


def by_op(plan: list[Step], op: str) -> list[str]:
    return [s.name for s in plan if s.op == op]


def unprotect(state: dict[str, StateEntry], *names: str) -> dict[str, StateEntry]:
    """``pulumi state unprotect`` of the resources named ``names``."""
    return {u: replace(e, protect=False) if u.rsplit("::", 1)[-1] in names else e for u, e in state.items()}


def condense(record: dict[str, Any]) -> dict[str, Any]:
    st = state_of_record(record)
    return {"resources": [{"urn": e.urn, "type": e.type, "identity": list(e.identity), "inputs": e.inputs,
                           "protect": e.protect, "retain_on_delete": e.retain_on_delete}
                          for e in sorted(st.values(), key=lambda e: e.urn)]}


def main(argv: Optional[list[str]] = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if args[:1] == ["condense"] and len(args) == 2:
        print(json.dumps(condense(json.loads(Path(args[1]).read_text())), indent=1, sort_keys=True))
        return 0
    print(__doc__.split("\n\n")[1], file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main())
