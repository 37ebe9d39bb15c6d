"""Stack outputs: names and shapes documented in the README, stable across cluster targets."""

from __future__ import annotations

import pulumi

from stacks.budget import Budget
from stacks.settings import StackSettings

from .handles import ClusterHandle, PlatformHandle
from .tartware import TartwareRelease


def export_outputs(settings: StackSettings, cluster: ClusterHandle, platform: PlatformHandle,
                   tartware: TartwareRelease) -> None:
    pulumi.export("environment", settings.environment)
    pulumi.export("clusterTarget", cluster.target)
    pulumi.export("clusterName", cluster.name)
    pulumi.export("namespace", settings.tartware.namespace)
    pulumi.export("releaseName", settings.tartware.release_name)
    pulumi.export("apiUrl", tartware.api_url)
    pulumi.export("secretNames", tartware.secret_names)
    pulumi.export("budget", Budget.of(settings.tartware.services).as_output())
