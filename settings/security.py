"""Security settings: where the application secrets come from.

``secretsBackend: generated`` (default): pulumi-random generates every password and the program
creates the Kubernetes Secrets from those Pulumi secrets.
``secretsBackend: vault``: the guide's "Secrets Management" — external-secrets (installed by this
stack) syncs the same Secrets (`database-credentials`, `redis-credentials`, `tartware-auth`,
`tartware-data-keys`, `regcred`, and the data tier's own) from HashiCorp Vault KV v2 paths under ``vaultPathPrefix``,
replacing the generated ones. Vault itself (initialised, unsealed, Kubernetes auth enabled) is
an input, not something this stack installs.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any, Literal, Mapping, Optional

from pydantic import Field

from .errors import key
from .schema import BuildContext, Setting, SettingsModel, validate_section

NAME = "security"

DECLARED: tuple[Setting, ...] = (
    Setting("secretsBackend", "string",
            "Where app secrets come from: generated (pulumi-random) or vault (external-secrets + Vault KV v2).",
            "generated"),
    Setting("vaultServer", "string", "Vault address for secretsBackend=vault, e.g. https://vault.example.com:8200.",
            "", example="an http(s) URL such as 'https://vault.example.com:8200'"),
    Setting("vaultKvMount", "string", "Vault KV v2 mount holding the Tartware secrets.", "secret",
            example="a Vault path such as 'secret'"),
    Setting("vaultPathPrefix", "string",
            "Path prefix under the mount: <prefix>/database {username, password, postgres-password, "
            "replication-password}, <prefix>/postgres-superuser {username, password}, <prefix>/redis {password}, "
            "<prefix>/auth {jwt-secret, default-password, service-password}, <prefix>/data-keys {guest-data-key, "
            "billing-data-key}, <prefix>/registry {dockerconfigjson}.",
            "tartware", example="a Vault path such as 'tartware' or 'apps/tartware'"),
    Setting("vaultAuthMount", "string", "Vault Kubernetes auth mount path.", "kubernetes",
            example="a Vault path such as 'kubernetes'"),
    Setting("vaultRole", "string", "Vault Kubernetes auth role bound to the external-secrets service account.",
            "tartware-external-secrets", example="a Vault role name (letters, digits, '-', '_')"),
    Setting("vaultRefreshInterval", "string", "How often external-secrets re-reads Vault (e.g. 1h, 15m).", "1h",
            example="a duration such as '1h', '15m' or '30s'"),
)
OBJECT_SETTINGS: tuple[str, ...] = ()

VaultPath = Annotated[str, Field(pattern=r"^[A-Za-z0-9_-]+(/[A-Za-z0-9_-]+)*$")]


class SecurityInput(SettingsModel):
    secrets_backend: Literal["generated", "vault"]
    vault_server: Annotated[str, Field(pattern=r"^(https?://[A-Za-z0-9.-]+(:[0-9]{1,5})?/?)?$")]
    vault_kv_mount: VaultPath
    vault_path_prefix: VaultPath
    vault_auth_mount: VaultPath
    vault_role: Annotated[str, Field(pattern=r"^[A-Za-z0-9_-]{1,128}$")]
    vault_refresh_interval: Annotated[str, Field(pattern=r"^[1-9][0-9]*(s|m|h)$")]


@dataclass(frozen=True)
class VaultSettings:
    server: str
    kv_mount: str
    path_prefix: str
    auth_mount: str
    role: str
    refresh_interval: str

    def path(self, name: str) -> str:
        """KV key (relative to the mount) of one credential set."""
        return f"{self.path_prefix}/{name}"


@dataclass(frozen=True)
class SecuritySettings:
    backend: str = "generated"
    vault: Optional[VaultSettings] = None

    @property
    def uses_vault(self) -> bool:
        return self.backend == "vault"


def build(raw: Mapping[str, Any], ctx: BuildContext) -> Optional[SecuritySettings]:
    inp = validate_section(SecurityInput, raw, ctx.problems)
    if inp is None:
        return None
    if inp.secrets_backend != "vault":
        return SecuritySettings()
    if not inp.vault_server:
        ctx.problems.add(key("vaultServer"),
                         "required when secretsBackend is vault; e.g. https://vault.example.com:8200", "")
        return None
    if ctx.is_prod and inp.vault_server.startswith("http://") and ".svc" not in inp.vault_server:
        ctx.problems.add(key("vaultServer"), "must use https outside the cluster in prod", inp.vault_server)
        return None
    return SecuritySettings(
        backend="vault",
        vault=VaultSettings(
            server=inp.vault_server.rstrip("/"),
            kv_mount=inp.vault_kv_mount,
            path_prefix=inp.vault_path_prefix,
            auth_mount=inp.vault_auth_mount,
            role=inp.vault_role,
            refresh_interval=inp.vault_refresh_interval,
        ),
    )
