"""Generated credentials shared by the data tier and the Tartware services.

One RandomPassword per credential; the same Output feeds the database/cache releases and the
app's Kubernetes Secrets, so the two can never disagree. All values are Pulumi secrets.
"""

from __future__ import annotations

from typing import Optional

import pulumi
import pulumi_random as random

from stacks.args import CredentialsArgs
from stacks.endpoints import DEFAULT_ENDPOINTS

from .base import TartwareComponent


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
        self.register_outputs({})
