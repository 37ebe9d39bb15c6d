"""components/platform/__init__.py alone: the platform parts composed from hand-made args."""

from components.platform.cert_manager import CertManagerArgs
from components.platform.data_tier import DataArgs
from components.platform.ingress_nginx import IngressNginxArgs
from components.platform.observability_values import ObservabilityArgs
from components.platform import PlatformArgs
from components.secrets import SecretsArgs
from program import compose

from components.platform import Platform
from components.secrets import SecretSource
from tests.components.helpers import build, credentials, on, provider, settings, wired


def _platform(load_test_profile=None):
    s = settings(environment="prod")

    def b():
        k8s = provider()
        source = SecretSource("external-secrets", SecretsArgs(), on(k8s))
        args = PlatformArgs(
            domain="example.com",
            data=DataArgs(s.data, True, credentials(), source),
            observability=ObservabilityArgs(s.observability, True, "example.com", meshed=True),
            api_route="istio", network_policies=True, acme_solver="istio",
            mesh=compose.mesh_args(s, "1.33", "LoadBalancer"),
            certs=CertManagerArgs(True, "example.com", "tartware-ca"),
            edge=IngressNginxArgs(True, 2), tartware_namespace="tartware-system", load_test_profile=load_test_profile)
        return Platform("platform", args, on(k8s))
    return build(b)


def test_parts_are_children_and_the_handle_reports_routes():
    run, platform = _platform()
    comp = wired(run, "tartware:platform:Platform", "platform")
    for token, name in [("tartware:data:DataTier", "platform-data"), ("tartware:platform:Mesh", "platform-mesh"),
                        ("tartware:observability:Observability", "platform-observability"),
                        ("tartware:platform:CertManager", "platform-certs"),
                        ("tartware:platform:IngressNginx", "platform-edge")]:
        assert run.one(token, name).parent == comp.urn
    handle = platform.handle
    assert handle.hosts["api"] == "api.example.com"
    assert handle.tls  # the mesh serves HTTPS with cert-manager
    assert handle.chart_overrides["mesh"]["mtls"] == "STRICT"
    # the mesh traces to the observability part's collector (filled in by the platform)
    assert platform.mesh.tls and platform.observability.otlp_grpc_host in str(
        run.one("kubernetes:helm.sh/v3:Release", "platform-mesh-istiod").plain["values"])


def test_locust_route_only_with_the_locust_profile():
    run, platform = _platform("locust")
    assert "locust" in platform.mesh.hosts
    run, platform = _platform()
    assert "locust" not in platform.mesh.hosts
