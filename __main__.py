"""tartware-infra: compose the stack. No logic here; see stacks/ and components/."""

from components.cluster import build_cluster
from components.credentials import Credentials
from components.operations import Operations
from components.outputs import export_outputs
from components.platform import Platform
from components.secrets import SecretSource
from components.tartware import TartwareRelease
from stacks.settings import load_settings

settings = load_settings()  # validates everything before any resource is registered

cluster = build_cluster(f"{settings.stack}-cluster", settings)
credentials = Credentials("credentials", protect=settings.protect)
secrets = SecretSource(settings.security, cluster.provider, settings.is_prod, settings.platform.network_policies)
platform = Platform("platform", settings, credentials, cluster, secrets).handle
tartware = TartwareRelease("tartware", settings.tartware, credentials, cluster.provider, platform, secrets,
                           protect=settings.protect)
operations = Operations("operations", settings, cluster, platform, tartware.release, credentials, secrets)

export_outputs(settings, cluster, platform, tartware, operations)
