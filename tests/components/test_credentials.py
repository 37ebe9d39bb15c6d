"""components/credentials.py alone."""

from stacks.args import CredentialsArgs

from components.credentials import Credentials
from tests.components.conftest import build, wired

PASSWORD = "random:index/randomPassword:RandomPassword"


def test_one_protected_password_per_credential():
    run, creds = build(lambda: Credentials("credentials", CredentialsArgs(protect=True)))
    comp = wired(run, "tartware:secrets:Credentials", "credentials")
    passwords = run.of_type(PASSWORD)
    assert sorted(p.name for p in passwords) == [
        "credentials-database", "credentials-database-admin", "credentials-database-replication",
        "credentials-jwt", "credentials-redis"]
    assert all(p.parent == comp.urn and p.protect for p in passwords)
    # alphanumeric only: the values land in connection strings unescaped
    assert all(p.plain["special"] is False for p in passwords)
    assert run.one(PASSWORD, "credentials-jwt").plain["length"] == 64


def test_not_protected_when_the_stack_is_not():
    run, _ = build(lambda: Credentials("credentials", CredentialsArgs(protect=False)))
    assert not any(p.protect for p in run.of_type(PASSWORD))
