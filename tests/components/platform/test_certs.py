"""components/platform/cert_manager.py alone."""

from components.platform.cert_manager import CertManagerArgs

from components.platform.cert_manager import CertManager
from tests.components.helpers import build, deps_names, on, provider, settings, wired

RELEASE = "kubernetes:helm.sh/v3:Release"
PROD = settings(environment="prod").platform
DEV = settings(environment="dev").platform


def test_acme_issuer_with_the_solver_from_the_args():
    args = CertManagerArgs(False, "example.com", "letsencrypt", acme_server="https://acme.test/directory",
                           acme_email="ops@example.com", acme_solver="nginx")
    run, certs = build(lambda: CertManager("certs", args, on(provider())))
    acme = next(r.plain for r in run.resources if r.plain.get("kind") == "ClusterIssuer"
                and "acme" in r.plain.get("spec", {}))
    assert acme["spec"]["acme"]["server"] == "https://acme.test/directory"
    assert acme["spec"]["acme"]["solvers"] == [{"http01": {"ingress": {"ingressClassName": "nginx"}}}]
    assert run.one(RELEASE, "certs-release").plain["values"]["replicaCount"] == 1


def test_cert_manager_installs_its_crds_before_the_issuers():
    run, certs = build(lambda: CertManager("certs", CertManagerArgs(True, "tartware.local", "tartware-ca"), on(provider())))
    comp = wired(run, "tartware:platform:CertManager", "certs")
    release = run.one(RELEASE, "certs-release")
    assert release.parent == comp.urn and release.plain["name"] == "cert-manager"
    assert release.plain["namespace"] == "cert-manager"
    issuers = [r for r in run.resources if r.plain.get("kind") == "ClusterIssuer"]
    assert issuers and all("certs-release" in deps_names(run, i) for i in issuers)
    assert certs.issuer == "tartware-ca"
    assert len(issuers) == 2  # self-signed and the stack's CA; no ACME issuer for a private domain
    assert run.one(RELEASE, "certs-release").plain["values"]["replicaCount"] == 2
