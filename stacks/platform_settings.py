"""Platform settings. Placeholder section: no keys yet."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Mapping, Optional

from .schema import BuildContext, Setting

NAME = "platform"

DECLARED: tuple[Setting, ...] = ()
OBJECT_SETTINGS: tuple[str, ...] = ()


@dataclass(frozen=True)
class PlatformSettings:
    pass


def build(raw: Mapping[str, Any], ctx: BuildContext) -> Optional[PlatformSettings]:
    return PlatformSettings()
