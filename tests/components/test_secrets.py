"""components/secrets.py alone: generated Secrets, or ExternalSecrets from Vault."""

import pulumi

from components.secrets import ExternalSecretsArgs, SecretsArgs, VaultSecretsArgs

from components.secrets import SecretSource
from tests.components.helpers import Owner, build, on, provider, provider_name, wired


def _make(args):
    def b():
        p = provider()
        owner = Owner()
        source = SecretSource("external-secrets", args, on(p))
        source.secret(owner, "db-secret", "database-credentials", "tartware-system",
                      {"password": pulumi.Output.secret("pw")}, "database")
        return source
    return build(b)


def test_generated_backend_makes_a_plain_secret_with_secret_data():
    run, source = _make(SecretsArgs())
    assert not source.uses_vault
    secret = run.one("kubernetes:core/v1:Secret", "db-secret")
    assert provider_name(secret) == "k8s"
    assert type(secret.inputs["stringData"]).__name__ == "Secret"  # a Pulumi secret end to end
    assert not run.of_type("tartware:secrets:ExternalSecretsOperator")


def test_vault_backend_installs_the_operator_and_syncs_from_vault():
    operator = ExternalSecretsArgs(server="https://vault.example.com", kv_mount="secret", auth_mount="kubernetes",
                                   role="tartware", prod=True)
    run, source = _make(SecretsArgs(VaultSecretsArgs(operator, path_prefix="tartware", refresh_interval="1h")))
    assert source.uses_vault
    op = wired(run, "tartware:secrets:ExternalSecretsOperator", "external-secrets", stand_ins=("db-secret", "owner"))
    store = run.one("kubernetes:external-secrets.io/v1:ClusterSecretStore", "external-secrets-store")
    assert store.parent == op.urn
    assert store.plain["spec"]["provider"]["vault"]["server"] == "https://vault.example.com"
    ext = run.one("kubernetes:external-secrets.io/v1:ExternalSecret", "db-secret")
    assert run.by_urn(ext.dependencies[0]).name == "external-secrets-store"
    assert ext.plain["spec"]["target"]["name"] == "database-credentials"
