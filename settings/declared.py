"""Every setting's declaration, collected: the core keys (``model.DECLARED``) and each section's.

What ``Pulumi.yaml``, ``docs/settings.md`` (tools/project_file.py) and the loader
(``program/load.py``) read to know which keys exist; each setting itself is declared once, in its
section's module.
"""

from __future__ import annotations

from . import access, cluster, data, observability, ops, platform, security
from .model import DECLARED, OBJECT_SETTINGS, OVERRIDE_FIELDS
from .schema import Setting

# One section per area; each declares its keys and builds its own typed settings.
SECTIONS = (
    cluster,
    platform,
    data,
    observability,
    ops,
    security,
    access,
)


def all_declared() -> tuple[Setting, ...]:
    return DECLARED + tuple(s for section in SECTIONS for s in section.DECLARED)


def OBJECT_DOCS() -> dict[str, str]:  # noqa: N802 - reads like the constant it documents
    """One line per object-valued setting, for Pulumi.yaml's header."""
    docs = {"services": "per-service overrides; fields: " + ", ".join(OVERRIDE_FIELDS)}
    for section in SECTIONS:
        for name in section.OBJECT_SETTINGS:
            docs[name] = getattr(section, "OBJECT_DOCS", {}).get(
                name, f"map; fields documented in settings/{section.__name__.rsplit('.', 1)[-1]}.py")
    return docs


def all_object_settings() -> tuple[str, ...]:
    return OBJECT_SETTINGS + tuple(o for section in SECTIONS for o in section.OBJECT_SETTINGS)
