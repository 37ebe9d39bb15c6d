"""Observability settings. Placeholder section: no keys yet."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Mapping, Optional

from .schema import BuildContext, Setting

NAME = "observability"

DECLARED: tuple[Setting, ...] = ()
OBJECT_SETTINGS: tuple[str, ...] = ()


@dataclass(frozen=True)
class ObservabilitySettings:
    pass


def build(raw: Mapping[str, Any], ctx: BuildContext) -> Optional[ObservabilitySettings]:
    return ObservabilitySettings()
