"""components/platform/ingress_nginx.py alone."""

from components.platform.ingress_nginx import IngressNginxArgs

from components.platform.ingress_nginx import IngressNginx
from tests.components.helpers import build, deps_names, on, provider, settings, wired

RELEASE = "kubernetes:helm.sh/v3:Release"
PROD = settings(environment="prod").platform
DEV = settings(environment="dev").platform


def test_ingress_nginx_service_type_from_the_args():
    run, _ = build(lambda: IngressNginx("edge", IngressNginxArgs(False, 1, service_type="NodePort"), on(provider())))
    wired(run, "tartware:platform:IngressNginx", "edge")
    release = run.one(RELEASE, "edge-release")
    assert release.plain["values"]["controller"]["service"]["type"] == "NodePort"
    assert deps_names(run, release) == {"edge-namespace"}
