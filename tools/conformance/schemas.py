"""Schemas: built-in kinds validated strictly with kubernetes-validate at the stack's Kubernetes
version; custom resources validated against the ``openAPIV3Schema`` of the CRD in the render that
serves their group/version/kind (apiextensions.k8s.io/v1 CustomResourceDefinition,
``spec.versions[].schema.openAPIV3Schema``: an OpenAPI v3 subset the API server validates with —
kubernetes/kubernetes@v1.32.0 staging/src/k8s.io/apiextensions-apiserver/pkg/apiserver/validation/).
The ``x-kubernetes-*`` extensions are not JSON Schema keywords and are ignored; ``metadata`` is
checked by the API server itself, not by the CRD schema, so it is left out.
"""

from __future__ import annotations

from typing import Any, Optional

from tools.render import KUBE_VERSION, is_builtin, validate
from tools.system import SystemRender


def crd_schemas(system: SystemRender) -> dict[tuple[str, Optional[str]], dict[str, Any]]:
    """(apiVersion, kind) -> openAPIV3Schema of every served version of every CRD in the render (a CRD
    without ``spec.names.kind``, which the API server refuses, is keyed by None)."""
    out: dict[tuple[str, Optional[str]], dict[str, Any]] = {}
    for crd in system.of_kind("CustomResourceDefinition"):
        spec = crd.doc.get("spec") or {}
        group, kind = spec.get("group"), (spec.get("names") or {}).get("kind")
        for v in spec.get("versions") or []:
            schema = (v.get("schema") or {}).get("openAPIV3Schema")
            if v.get("served", True) and schema:
                out[(f"{group}/{v['name']}", kind)] = schema
    return out


def _strip_metadata(schema: dict[str, Any]) -> dict[str, Any]:
    """The schema without ``metadata``: its property, and its place in ``required`` (CloudNativePG's
    CRDs list ``required: [metadata, spec]``)."""
    props = dict(schema.get("properties") or {})
    props.pop("metadata", None)
    out = {**schema, "properties": props}
    if "required" in schema:
        out["required"] = [r for r in schema["required"] if r != "metadata"]
    return out


def custom_resource_errors(system: SystemRender, schemas: Optional[dict] = None) -> tuple[list[str], list[str]]:
    """(errors, custom resources whose CRD is not in the render)."""
    import jsonschema

    schemas = crd_schemas(system) if schemas is None else schemas
    errors, unknown = [], []
    for item in system.items:
        api = item.doc.get("apiVersion", "")
        if is_builtin(api):
            continue
        schema = schemas.get((api, item.kind))
        if schema is None:
            unknown.append(f"{item.key} ({api})")
            continue
        doc = {k: v for k, v in item.doc.items() if k != "metadata"}
        validator = jsonschema.Draft4Validator(_strip_metadata(schema))
        for err in sorted(validator.iter_errors(doc), key=lambda e: list(e.path)):
            errors.append(f"{item.key}: {err.message} at {'/'.join(map(str, err.path)) or '.'}")
    return errors, unknown


def builtin_errors(system: SystemRender, kube_version: str = KUBE_VERSION) -> list[str]:
    docs = [i.doc for i in system.items if is_builtin(i.doc.get("apiVersion", ""))]
    return validate(docs, kube_version)
