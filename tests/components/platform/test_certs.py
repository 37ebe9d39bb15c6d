"""components/platform/certs.py alone."""

from stacks.args import CertManagerArgs

from components.platform.certs import CertManager
from tests.components.conftest import build, deps_names, on, provider, settings, wired

RELEASE = "kubernetes:helm.sh/v3:Release"
PROD = settings(environment="prod").platform
DEV = settings(environment="dev").platform


def test_cert_manager_installs_its_crds_before_the_issuers():
    run, certs = build(lambda: CertManager("certs", CertManagerArgs(PROD, "tartware.local"), on(provider())))
    comp = wired(run, "tartware:platform:CertManager", "certs")
    release = run.one(RELEASE, "certs-release")
    assert release.parent == comp.urn and release.plain["name"] == "cert-manager"
    assert release.plain["namespace"] == "cert-manager"
    issuers = [r for r in run.resources if r.plain.get("kind") == "ClusterIssuer"]
    assert issuers and all("certs-release" in deps_names(run, i) for i in issuers)
    # a private domain: no ACME, the stack's own CA
    assert certs.issuer != "letsencrypt"
