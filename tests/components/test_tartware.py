"""components/tartware.py alone: the Tartware release with a hand-made platform handle."""

import pulumi

from components.secrets import SecretsArgs
from components.tartware import TartwareArgs
from components.handles import PlatformHandle

from components.secrets import SecretSource
from components.tartware import TartwareRelease
from tests.components.helpers import build, credentials, deps_names, on, provider, settings, stand_in, wired


def _release(protect: bool):
    s = settings(environment="prod")

    def b():
        p = provider()
        mesh = stand_in("istiod", p)
        source = SecretSource("external-secrets", SecretsArgs(), on(p))
        handle = PlatformHandle(tartware_namespace_labels={"istio-injection": "enabled"},
                                release_dependencies=(mesh,), hosts={"api": "api.tartware.local"})
        return TartwareRelease("tartware", TartwareArgs(s.tartware, credentials(), handle, source, protect=protect),
                               on(p))
    return build(b)


def test_release_named_by_the_guide_waits_for_the_platform():
    run, rel = _release(protect=True)
    comp = wired(run, "tartware:app:TartwareRelease", "tartware", stand_ins=("istiod",))
    release = run.one("kubernetes:helm.sh/v3:Release", "tartware-release")
    assert release.parent == comp.urn
    assert release.plain["name"] == "tartware" and release.plain["namespace"] == "tartware-system"
    assert {"istiod", "tartware-namespace"} <= deps_names(run, release)
    ns = run.one("kubernetes:core/v1:Namespace", "tartware-namespace")
    assert ns.protect  # deleting it deletes every Tartware object
    assert ns.plain["metadata"]["labels"]["istio-injection"] == "enabled"
    assert isinstance(rel.api_url, (str, pulumi.Output))


def test_credential_secrets_stay_secret():
    run, rel = _release(protect=False)
    secrets = run.of_type("kubernetes:core/v1:Secret")
    names = {s.plain["metadata"]["name"] for s in secrets}
    assert {"database-credentials", "redis-credentials"} <= names
    assert all(type(s.inputs["stringData"]).__name__ == "Secret" for s in secrets)
    assert not run.one("kubernetes:core/v1:Namespace", "tartware-namespace").protect
