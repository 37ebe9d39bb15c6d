"""The platform layer: mesh and edge, data tier, observability (issue 4)."""

from __future__ import annotations

from typing import Optional

import pulumi

from stacks.settings import StackSettings

from ..base import TartwareComponent
from ..credentials import Credentials
from ..handles import ClusterHandle, PlatformHandle


class Platform(TartwareComponent):
    """Placeholder until the platform layer lands: the app talks to the default endpoints."""

    AREA = "platform"

    def __init__(self, name: str, settings: StackSettings, credentials: Credentials, cluster: ClusterHandle,
                 opts: Optional[pulumi.ResourceOptions] = None):
        super().__init__(name, opts)
        self.handle = PlatformHandle(hosts={"api": f"api.{settings.domain}"})
        self.register_outputs({})
