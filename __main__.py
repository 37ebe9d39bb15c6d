"""tartware-infra: compose the stack. No logic here; see stacks/ and components/."""

from components.cluster import build_cluster
from components.credentials import Credentials
from components.operations import Operations
from components.outputs import export_outputs
from components.platform import Platform
from components.tartware import TartwareRelease
from stacks.settings import load_settings

settings = load_settings()  # validates everything before any resource is registered

cluster = build_cluster(f"{settings.stack}-cluster", settings.cluster)
credentials = Credentials("credentials", protect=settings.protect)
platform = Platform("platform", settings, credentials, cluster).handle
tartware = TartwareRelease("tartware", settings.tartware, credentials, cluster.provider, platform,
                           protect=settings.protect)
operations = Operations("operations", settings, cluster, platform, tartware.release)

export_outputs(settings, cluster, platform, tartware)
