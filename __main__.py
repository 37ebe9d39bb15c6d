"""tartware-infra: compose the stack. No logic here; see program/ and components/.

Each layer is built as ``Component(name, args, opts)``: program/compose.py turns the validated
settings and the handles of the layers below into that component's args; the Kubernetes provider
of the cluster goes in ``opts``.
"""

import pulumi

from components.cluster import build_cluster
from components.credentials import Credentials
from components.operations import Operations
from components.outputs import export_outputs
from components.platform import Platform
from components.secrets import SecretSource
from components.tartware import TartwareRelease
from program import compose
from program.load import load_settings

settings = load_settings()  # validates everything before any resource is registered

cluster = build_cluster(f"{settings.stack}-cluster", compose.cluster_args(settings))
on_cluster = pulumi.ResourceOptions(provider=cluster.provider)
credentials = Credentials("credentials", compose.credentials_args(settings))
secrets = SecretSource("external-secrets", compose.secrets_args(settings), on_cluster)
platform = Platform("platform", compose.platform_args(settings, cluster, credentials, secrets), on_cluster).handle
tartware = TartwareRelease("tartware", compose.tartware_args(settings, credentials, platform, secrets), on_cluster)
operations = Operations("operations", compose.operations_args(settings, platform, tartware.release, credentials,
                                                              secrets), on_cluster)

export_outputs(compose.outputs_args(settings, cluster, platform, tartware, operations))
