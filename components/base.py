"""Shared plumbing for our ComponentResources."""

from __future__ import annotations

from typing import Optional, Sequence

import pulumi

TYPE_PREFIX = "tartware"


def type_token(area: str, cls: str) -> str:
    """Namespaced type token: tartware:<area>:<Class>."""
    return f"{TYPE_PREFIX}:{area}:{cls}"


class TartwareComponent(pulumi.ComponentResource):
    """A ComponentResource whose children are parented to it and get providers explicitly."""

    AREA = "core"

    def __init__(self, name: str, opts: Optional[pulumi.ResourceOptions] = None):
        super().__init__(type_token(self.AREA, type(self).__name__), name, None, opts)
        # The Kubernetes provider the component was given in ``opts``; handed to each child explicitly.
        self.provider: Optional[pulumi.ProviderResource] = opts.provider if opts is not None else None

    def child(
        self,
        provider: Optional[pulumi.ProviderResource] = None,
        depends_on: Optional[Sequence[pulumi.Resource]] = None,
        protect: bool = False,
        **kwargs,
    ) -> pulumi.ResourceOptions:
        """Options for a child: parent=self, the given provider, explicit dependencies, protection."""
        return pulumi.ResourceOptions(
            parent=self,
            provider=provider,
            depends_on=list(depends_on or []),
            protect=protect,
            **kwargs,
        )
