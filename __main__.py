"""tartware-infra: compose the stack. No logic here; see stacks/ and components/."""

import pulumi

from components.cluster import build_cluster
from components.credentials import Credentials
from components.tartware import TartwareRelease
from stacks.budget import Budget
from stacks.settings import load_settings

settings = load_settings()  # validates everything before any resource is registered

cluster = build_cluster(f"{settings.stack}-cluster", settings.cluster)
credentials = Credentials("credentials", protect=settings.protect)
tartware = TartwareRelease(
    "tartware",
    settings.tartware,
    credentials,
    provider=cluster.provider,
    protect=settings.protect,
)

pulumi.export("environment", settings.environment)
pulumi.export("clusterTarget", cluster.target)
pulumi.export("clusterName", cluster.name)
pulumi.export("namespace", settings.tartware.namespace)
pulumi.export("releaseName", settings.tartware.release_name)
pulumi.export("apiUrl", tartware.api_url)
pulumi.export("secretNames", tartware.secret_names)
pulumi.export("budget", Budget.of(settings.tartware.services).as_output())
