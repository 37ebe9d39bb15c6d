"""components/platform/mesh.py alone."""

import dataclasses

from program import compose

from components.platform.mesh import Mesh
from tests.components.helpers import build, deps_names, on, provider, settings, wired

RELEASE = "kubernetes:helm.sh/v3:Release"


def _mesh(**changes):
    args = dataclasses.replace(compose.mesh_args(settings(environment="prod"), "1.33", "LoadBalancer"),
                               tls=True, tracing=("jaeger.observability", 4317), **changes)

    def b():
        mesh = Mesh("mesh", args, on(provider()))
        mesh.route("api", "api.example.com", "api-gateway", "tartware-system", 8080)
        mesh.gateway_resource(["api.example.com"])
        return mesh
    return build(b)


def test_istio_releases_in_dependency_order_with_the_provider():
    run, mesh = _mesh()
    comp = wired(run, "tartware:platform:Mesh", "mesh")
    base, istiod = run.one(RELEASE, "mesh-base"), run.one(RELEASE, "mesh-istiod")
    assert base.parent == comp.urn and istiod.parent == comp.urn
    assert deps_names(run, base) == {"mesh-namespace"}
    assert deps_names(run, istiod) == {"mesh-base"}  # the webhook needs the CRDs
    # the gateway Deployment is injected by istiod's webhook: it waits for istiod
    gateway = run.one("kubernetes:apps/v1:Deployment", "mesh-gateway-deployment")
    assert "mesh-istiod" in deps_names(run, gateway)
    assert run.one("kubernetes:core/v1:Namespace", "mesh-namespace").plain["metadata"]["name"] == "istio-system"


def test_tracing_and_tls_come_from_the_args():
    run, _ = _mesh()
    values = run.one(RELEASE, "mesh-istiod").plain["values"]
    assert "jaeger.observability" in str(values) and "4317" in str(values)
    gateway = next(r for r in run.resources if r.name == "mesh-gateway-routes").plain
    assert any(s.get("tls", {}).get("credentialName") for s in gateway["spec"]["servers"])


def test_no_cni_release_without_istio_cni():
    run, _ = _mesh(istio_cni=False)
    assert "mesh-cni" not in {r.name for r in run.of_type(RELEASE)}
