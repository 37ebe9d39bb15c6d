"""The Tartware release: namespace, the secrets the pods read, and a helm.v3.Release of our chart.

A ``helm.v3.Release`` (not ``helm.v4.Chart``) so the release is a real Helm release that the
guide's runbook can drive: ``helm upgrade tartware ... --set global.image.tag=v1.1.0`` and
``helm rollback tartware`` work against it.
"""

from __future__ import annotations

import base64
import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Mapping

import pulumi
import pulumi_kubernetes as k8s

from facts import catalog
from components.tartware_values import chart_values
from facts.endpoints import (
    ADMIN_DATABASE_SECRET,
    AUTH_SECRET,
    BILLING_DATA_KEY,
    DATA_KEYS_SECRET,
    DATABASE_SECRET,
    DEFAULT_PASSWORD_KEY,
    GUEST_DATA_KEY,
    JWT_SECRET_KEY,
    REDIS_SECRET,
    REGISTRY_SECRET,
    SERVICE_PASSWORD_KEY,
    SUPERUSER_VAULT_ITEM,
)
from settings.model import RegistrySettings, TartwareSettings

from .base import TartwareComponent
from .credentials import CredentialOutputs
from .handles import PlatformHandle
from .kit import namespace
from .secrets import SecretMaker

CHART_PATH = Path(__file__).resolve().parent.parent / "charts" / "tartware"
# Pulumi runs the program from the project directory; a relative path keeps state identical
# across checkouts.
CHART_REF = "./charts/tartware"


@dataclass(frozen=True)
class TartwareArgs:
    tartware: TartwareSettings
    credentials: CredentialOutputs
    platform: PlatformHandle
    secrets: SecretMaker
    protect: bool = False


def chart_digest(path: Path = CHART_PATH) -> str:
    """SHA-256 over the chart's files.

    pulumi-kubernetes removed Release's checksum of local charts (https://github.com/pulumi/pulumi-kubernetes/pull/2672), so
    a template-only change would not show up as a diff. Passing the digest as a value makes every
    chart change a values change: visible in `pulumi preview` and applied by `pulumi up`.
    """
    digest = hashlib.sha256()
    for file in sorted(p for p in path.rglob("*") if p.is_file() and not _documentation(p.relative_to(path))):
        digest.update(str(file.relative_to(path)).encode())
        digest.update(file.read_bytes())
    return digest.hexdigest()



def _documentation(relative: Path) -> bool:
    """The chart's README and its ``ci/`` values: they do not change what Helm renders."""
    return relative.parts[0] == "ci" or relative.name == "README.md"


def deep_merge(base: dict, overrides: Mapping) -> dict:
    """``base`` with ``overrides`` merged in, recursively for nested maps (base is not modified)."""
    merged = dict(base)
    for k, v in overrides.items():
        if isinstance(v, Mapping) and isinstance(merged.get(k), dict):
            merged[k] = deep_merge(merged[k], v)
        else:
            merged[k] = v
    return merged


def dockerconfigjson(registry: RegistrySettings) -> pulumi.Output:
    def render(password: str) -> str:
        auth = base64.b64encode(f"{registry.username}:{password}".encode()).decode()
        return json.dumps(
            {"auths": {registry.server: {"username": registry.username, "password": password, "auth": auth}}}
        )

    return pulumi.Output.secret(registry.password.apply(render))


class TartwareRelease(TartwareComponent):
    AREA = "app"

    def __init__(self, name: str, args: TartwareArgs, opts: pulumi.ResourceOptions):
        super().__init__(name, opts)
        settings, credentials, provider, platform = args.tartware, args.credentials, self.provider, args.platform
        secrets, protect = args.secrets, args.protect
        ns_name = settings.namespace

        # Every Tartware workload is restricted-compatible; the platform may lower the enforced
        # level (Istio sidecars without istio-cni need NET_ADMIN) through its namespace labels.
        # Deleting the namespace deletes every Tartware object in it: protected in prod.
        self.namespace = namespace(f"{name}-namespace", ns_name, "restricted", provider, self,
                                   protect=protect, extra_labels=platform.tartware_namespace_labels)

        labels = {"app.kubernetes.io/part-of": catalog.PART_OF, "app.kubernetes.io/managed-by": "pulumi"}

        def secret(resource: str, secret_name: str, data: Mapping[str, pulumi.Input[str]], vault_item: str,
                   secret_type: str = "Opaque") -> pulumi.Resource:
            return secrets.secret(self, f"{name}-{resource}", secret_name, ns_name, data, vault_item,
                                  secret_type, depends_on=[self.namespace], labels=labels)

        self.secrets = [
            secret("database-credentials", DATABASE_SECRET,
                   {"username": credentials.database_username, "password": credentials.database_password},
                   "database"),
            # The superuser's password, for the migration hook Job only (docs/app.md "Migration contract"):
            # the one the data tier's Cluster gives `postgres` (facts/endpoints.py SUPERUSER_SECRET).
            secret("database-admin-credentials", ADMIN_DATABASE_SECRET,
                   {"password": credentials.database_admin_password}, SUPERUSER_VAULT_ITEM),
            secret("redis-credentials", REDIS_SECRET, {"password": credentials.redis_password}, "redis"),
            secret("auth", AUTH_SECRET, {JWT_SECRET_KEY: credentials.jwt_secret,
                                         DEFAULT_PASSWORD_KEY: credentials.default_password,
                                         SERVICE_PASSWORD_KEY: credentials.service_password}, "auth"),
            # The data-encryption keys (docs/app.md "Data-encryption keys"): Vault <prefix>/data-keys.
            secret("data-keys", DATA_KEYS_SECRET, {GUEST_DATA_KEY: credentials.guest_data_key,
                                                   BILLING_DATA_KEY: credentials.billing_data_key}, "data-keys"),
        ]
        if settings.registry is not None:
            config = dockerconfigjson(settings.registry) if settings.registry.password is not None else ""
            self.secrets.append(
                secret("regcred", REGISTRY_SECRET, {".dockerconfigjson": config}, "registry",
                       "kubernetes.io/dockerconfigjson")
            )

        self.values = deep_merge(chart_values(settings, platform.endpoints), platform.chart_overrides)
        self.values["global"]["chartDigest"] = chart_digest()
        self.release = k8s.helm.v3.Release(
            f"{name}-release",
            name=settings.release_name,
            chart=CHART_REF,
            namespace=ns_name,
            create_namespace=False,
            values=self.values,
            timeout=settings.helm_timeout_seconds,
            cleanup_on_fail=True,
            max_history=10,
            opts=self.child(provider, depends_on=[self.namespace, *self.secrets, *platform.release_dependencies]),
        )

        self.namespace_name = self.namespace.metadata.apply(lambda m: m["name"] if isinstance(m, dict) else m.name)
        tls = platform.tls or bool(settings.tls_cluster_issuer)
        self.api_url = f"{'https' if tls else 'http'}://{settings.api_host}"
        self.secret_names = [DATABASE_SECRET, ADMIN_DATABASE_SECRET, REDIS_SECRET, AUTH_SECRET, DATA_KEYS_SECRET] + (
            [REGISTRY_SECRET] if settings.registry else []
        )
        self.register_outputs(
            {
                "namespace": ns_name,
                "releaseName": self.release.name,
                "releaseStatus": self.release.status,
                "apiUrl": self.api_url,
                "secretNames": self.secret_names,
            }
        )
