"""components/credentials.py alone."""

from components.credentials import CredentialsArgs

from components.credentials import Credentials
from tests.components.helpers import build, wired

PASSWORD = "random:index/randomPassword:RandomPassword"
BYTES = "random:index/randomBytes:RandomBytes"


def test_one_protected_password_per_credential():
    run, creds = build(lambda: Credentials("credentials", CredentialsArgs(protect=True)))
    comp = wired(run, "tartware:secrets:Credentials", "credentials")
    passwords = run.of_type(PASSWORD)
    assert sorted(p.name for p in passwords) == [
        "credentials-database", "credentials-database-admin", "credentials-database-replication",
        "credentials-default-password", "credentials-jwt", "credentials-redis", "credentials-service-password"]
    assert all(p.parent == comp.urn and p.protect for p in passwords)
    # alphanumeric only: the values land in connection strings unescaped
    assert all(p.plain["special"] is False for p in passwords)
    assert run.one(PASSWORD, "credentials-jwt").plain["length"] == 64


def test_not_protected_when_the_stack_is_not():
    run, _ = build(lambda: Credentials("credentials", CredentialsArgs(protect=False)))
    assert not any(p.protect for p in run.of_type(PASSWORD) + run.of_type(BYTES))


def test_data_keys_are_generated_once_and_never_regenerated():
    """docs/app.md "Data-encryption keys": 32 random bytes each, no keepers (nothing but deleting the
    resource makes a new key), the length ignored on update (an edit of it cannot replace a key),
    protected. (Their values in the Secret: tests/test_app_env.py.)"""
    run, _ = build(lambda: Credentials("credentials", CredentialsArgs(protect=True)))
    comp = wired(run, "tartware:secrets:Credentials", "credentials")
    keys = {k.name: k for k in run.of_type(BYTES)}
    assert sorted(keys) == ["credentials-billing-data-key", "credentials-guest-data-key"]
    for k in keys.values():
        assert k.parent == comp.urn and k.protect
        assert k.plain["length"] == 32 and "keepers" not in k.plain
        assert set(k.ignore_changes) == {"length", "keepers"}
