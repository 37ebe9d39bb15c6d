"""Day-2 operations: load tests, backups, right-sizing (issue 5)."""

from __future__ import annotations

from typing import Optional

import pulumi

from stacks.settings import StackSettings

from .base import TartwareComponent
from .handles import ClusterHandle, PlatformHandle


class Operations(TartwareComponent):
    """Placeholder until the operations layer lands."""

    AREA = "ops"

    def __init__(self, name: str, settings: StackSettings, cluster: ClusterHandle, platform: PlatformHandle,
                 release: pulumi.Resource, opts: Optional[pulumi.ResourceOptions] = None):
        super().__init__(name, opts)
        self.register_outputs({})
