"""Kubernetes objects the program creates directly (not through a chart), as manifests.

The mock engine records each ``kubernetes:<group>/<version>:<Kind>`` registration with its inputs;
those inputs are the object Pulumi would send to the API server. Secret payloads are replaced by
placeholders so nothing secret is written to disk.
"""

from __future__ import annotations

from typing import Any

from tools.offline import ProgramRun

SKIP_KINDS = {"Release", "Chart"}  # helm.sh resources are not Kubernetes objects


def api_version_of(type_token: str) -> tuple[str, str] | None:
    """``kubernetes:apps/v1:Deployment`` -> ("apps/v1", "Deployment"); core/v1 -> "v1"."""
    if not type_token.startswith("kubernetes:"):
        return None
    _, group_version, kind = type_token.split(":", 2)
    if group_version.startswith("helm.sh/") or kind in SKIP_KINDS or group_version.startswith("yaml/"):
        return None
    if group_version.startswith("core/"):
        group_version = group_version.removeprefix("core/")
    return group_version, kind


def registered_manifests(run: ProgramRun) -> list[dict[str, Any]]:
    manifests = []
    for r in run.resources:
        gv = api_version_of(r.type)  # custom resources register as kubernetes:<apiVersion>:<Kind> too
        if gv is None:
            continue
        body = {"apiVersion": gv[0], "kind": gv[1], **r.plain}
        body.pop("__inputs", None)
        if body.get("kind") == "Secret":
            for field in ("data", "stringData"):
                if field in body:
                    body[field] = {k: "<redacted>" for k in body[field]}
        manifests.append(body)
    return manifests
