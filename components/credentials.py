"""Generated credentials shared by the data tier and the Tartware services.

One RandomPassword per credential; the same Output feeds the database/cache releases and the
app's Kubernetes Secrets, so the two can never disagree. All values are Pulumi secrets.

The two data-encryption keys are RandomBytes: 32 bytes, handed to the app as 64 hexadecimal
characters. The app checks them at start (red2n/tartware@a2583469
Apps/core-service/src/lib/compliance-policies.ts, Apps/guests-service/src/lib/compliance.ts,
Apps/billing-service/src/lib/compliance-policies.ts: at least 16 characters, not the development
placeholder; Apps/config/src/index.ts validateProductionSecrets: no match of its insecure-value
patterns, each of which contains a letter outside a-f, so no hexadecimal string matches one).
They are generated once and never regenerated: no keepers, the length is never changed
(``ignore_changes``), and they are protected in prod. How to back them up and why this program
does not rotate them: docs/app.md "Data-encryption keys".
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Optional, Protocol

import pulumi
import pulumi_random as random

from facts.endpoints import DEFAULT_ENDPOINTS

from .base import TartwareComponent

# 32 random bytes (256 bits) per data-encryption key, given to the app as 64 hex characters: hex can
# never start like one of the app's insecure patterns, and 64 characters pass its 16-character floor.
DATA_KEY_BYTES = 32


class CredentialOutputs(Protocol):
    """The generated credentials (``Credentials`` below): Pulumi secrets."""

    database_username: str
    database_password: pulumi.Output
    database_admin_password: pulumi.Output
    database_replication_password: pulumi.Output
    redis_password: pulumi.Output
    jwt_secret: pulumi.Output
    default_password: pulumi.Output  # AUTH_DEFAULT_PASSWORD
    service_password: pulumi.Output  # SERVICE_AUTH_PASSWORD
    guest_data_key: pulumi.Output  # GUEST_DATA_ENCRYPTION_KEY
    billing_data_key: pulumi.Output  # BILLING_DATA_ENCRYPTION_KEY


@dataclass(frozen=True)
class CredentialsArgs:
    protect: bool


class Credentials(TartwareComponent):
    AREA = "secrets"

    def __init__(self, name: str, args: CredentialsArgs, opts: Optional[pulumi.ResourceOptions] = None):
        super().__init__(name, opts)
        protect = args.protect

        def password(suffix: str, length: int) -> random.RandomPassword:
            # Alphanumeric only: these land in connection strings and shell runbooks unescaped.
            return random.RandomPassword(
                f"{name}-{suffix}",
                length=length,
                special=False,
                min_lower=2,
                min_upper=2,
                min_numeric=2,
                # Regenerating would lock the apps out of existing data: protect in prod.
                opts=self.child(protect=protect),
            )

        self.database_username = DEFAULT_ENDPOINTS.database_user
        self.database_password = pulumi.Output.secret(password("database", 32).result)
        self.database_admin_password = pulumi.Output.secret(password("database-admin", 32).result)
        self.database_replication_password = pulumi.Output.secret(password("database-replication", 32).result)
        self.redis_password = pulumi.Output.secret(password("redis", 32).result)
        self.jwt_secret = pulumi.Output.secret(password("jwt", 64).result)
        # AUTH_DEFAULT_PASSWORD (core's bootstrap admin and the password of users created without
        # one) and SERVICE_AUTH_PASSWORD (the account guests-service logs in to core with).
        self.default_password = pulumi.Output.secret(password("default-password", 32).result)
        self.service_password = pulumi.Output.secret(password("service-password", 32).result)

        def data_key(suffix: str) -> random.RandomBytes:
            # No keepers: nothing but deleting the resource makes a new key. ignore_changes on the
            # length: a later edit of DATA_KEY_BYTES cannot replace a key that encrypts stored data.
            return random.RandomBytes(f"{name}-{suffix}", length=DATA_KEY_BYTES,
                                      opts=self.child(protect=protect, ignore_changes=["length", "keepers"]))

        self.guest_data_key = pulumi.Output.secret(data_key("guest-data-key").hex)
        self.billing_data_key = pulumi.Output.secret(data_key("billing-data-key").hex)
        self.register_outputs({})
