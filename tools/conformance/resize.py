"""Whether every claim of a stack can grow: the rule behind a volume resize (``postgresStorageSize`` up).

A claim grows in two steps, each of which can stop it:

* the API server admits the larger request only if the claim's StorageClass has
  ``allowVolumeExpansion: true``; otherwise the patch (CloudNativePG's, Helm's) is refused
  (kubernetes/kubernetes@v1.32.0 plugin/pkg/admission/storage/persistentvolume/resize/admission.go
  Validate, allowResize);
* the class's CSI driver must then apply it: a controller-side csi-resizer sidecar, and node-side
  expansion of a volume in use. Where the rendered values switch those off (rancher-vsphere-csi:
  tools/conformance/admission.py ``installer_classes``) the API accepts the new size and nothing
  ever applies it: the claim stays at its old capacity with no error.

The classes are those the stack creates or makes its installer create, read from the rendered
objects and values (admission.storage_classes); a claim on a class the stack does not make (an
``existing`` cluster's own default) is not this stack's to check.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

from tools.conformance import admission as adm
from tools.conformance.graph import Model

FORBIDDEN = ("persistentvolumeclaims \"{claim}\" is forbidden: only dynamically provisioned pvc can be resized and "
             "the storageclass that provisions the pvc must support resize")
SOURCE = ("kubernetes/kubernetes@v1.32.0 plugin/pkg/admission/storage/persistentvolume/resize/admission.go "
          "Validate/allowResize; rancher/vsphere-charts@9db6d94 charts/rancher-vsphere-csi "
          "templates/controller/deployment.yaml 118 (csi-resizer), templates/configmap.yaml 6 (online-volume-extend)")


@dataclass(frozen=True)
class Refusal:
    claim: str
    owner: str  # the object that makes the claim
    storage_class: str
    reason: str
    error: str  # what the real resize reports

    def __str__(self) -> str:
        return (f"RESIZE {self.owner}: claim {self.claim} on StorageClass {self.storage_class}: {self.reason}\n"
                f"  real outcome: {self.error}\n  rule: {SOURCE}")


def refusals(model: Model) -> list[Refusal]:
    """Every claim of ``model`` a resize would not grow, and why."""
    classes = adm.storage_classes(model)
    default: Optional[adm.StorageClass] = next((c for c in classes.values() if c.default), None)
    out = []
    for owner, claim, cls in adm.claims(model):
        if cls == "":
            continue  # statically bound: no class, nothing to expand
        sc = classes.get(cls) if cls else default
        if sc is None:
            continue
        if not sc.expansion:
            out.append(Refusal(claim, owner.key, sc.name, "its class has no allowVolumeExpansion",
                               FORBIDDEN.format(claim=claim)))
        elif sc.resizer:
            out.append(Refusal(claim, owner.key, sc.name, sc.resizer,
                               "the API accepts the new size and the claim keeps its old capacity"))
    return out
