"""No release or resource waits for what its target cannot give (docs/real-tools.md).

What waits, read from the sources:
* ``helm.v3.Release`` with skipAwait false (our releases) installs with ``client.Wait = true``
  (pulumi/pulumi-kubernetes@v4.32.0 provider/pkg/provider/helm_release.go 608, 734), i.e. Helm's
  ``--wait``: helm/helm@v3.20.2 (the Helm pulumi-kubernetes embeds, provider/go.mod) pkg/kube/ready.go
  ``serviceReady`` 253-280: a LoadBalancer Service is ready only with ``status.loadBalancer.ingress``
  (or ``spec.externalIPs``); ``volumeReady`` 282-288: a PersistentVolumeClaim only when Bound;
  Deployments when their new ReplicaSet is available; Jobs only with waitForJobs (not set here).
* a ``kubernetes:core/v1:Service`` of type LoadBalancer waits for its ingress address unless annotated
  ``pulumi.com/skipAwait: "true"`` (provider/pkg/await/service.go 299-315; metadata/overrides.go 39-42).

Nothing gives a LoadBalancer an address on a plain kind, RKE2 or bare-metal cluster, so there the edge
Services are NodePort (setting ``loadBalancer``, default ``none`` on an existing cluster).
"""

from pathlib import Path

import pytest
import yaml

from tests.helpers import assert_refused, waiting_load_balancers

ROOT = Path(__file__).resolve().parent.parent
NS = "tartware-infra"
RELEASE = "kubernetes:helm.sh/v3:Release"

def test_dev_on_plain_kind_waits_for_no_load_balancer(dev_run):
    assert waiting_load_balancers(dev_run) == []


def test_prod_on_existing_without_a_declared_load_balancer_waits_for_none(prod_run):
    assert waiting_load_balancers(prod_run) == []


# An existing cluster that has one (loadBalancer=cloud-provider-kind) gets LoadBalancer edge Services:
# tests/test_platform.py::test_ingress_address_is_the_gateway_services_load_balancer.


def test_every_release_on_existing_is_checked_for_load_balancers(dev_run):
    """Releases whose charts at the pinned versions have no LoadBalancer Service at all (their
    values.yaml and templates name none) need no switch; the others are listed above."""
    names = {r.plain["name"] for r in dev_run.of_type(RELEASE)}
    assert {"ingress-nginx", "consul", "redis", "cnpg", "kube-prometheus-stack"} <= names


def test_eks_defaults_to_its_cloud_load_balancer():
    from program.load import build_settings

    s = build_settings({"environment": "prod", "clusterTarget": "eks", "eksPublicAccessCidrs": ["203.0.113.0/24"]})
    assert s.platform.load_balancer_for(s.cluster.target) == "cloud"
    assert s.platform.edge_service_type(s.cluster.target) == "LoadBalancer"
    assert s.platform.load_balancer_for("existing") == "none"
    for target in ("vsphere", "baremetal"):  # the cluster layer installs MetalLB there (docs/clusters.md)
        assert s.platform.load_balancer_for(target) == "metallb"


@pytest.mark.parametrize("settings,fragments", [
    ({"loadBalancer": "nginx"}, ["'none', 'cloud', 'metallb' or 'cloud-provider-kind'"]),
    ({"loadBalancer": "cloud-provider-kind", "clusterTarget": "eks", "eksPublicAccessCidrs": ["203.0.113.0/24"]},
     ["serves kind clusters"]),
    ({"loadBalancer": "cloud", "clusterTarget": "baremetal", "rancherInstall": True,
      "loadBalancerAddresses": "192.168.10.240/28"}, ["no cloud load balancer"]),
])
def test_bad_load_balancer_is_refused_naming_the_key(settings, fragments):
    assert_refused(settings, "loadBalancer", fragments)


def test_the_ingress_nginx_chart_renders_no_load_balancer_on_dev(dev_run, tmp_path):
    """With the vendored chart (charts/vendor), render the release as Helm would and look."""
    (release,) = [r.plain for r in dev_run.of_type(RELEASE) if r.plain["name"] == "ingress-nginx"]
    chart = ROOT / "charts" / "vendor" / f"ingress-nginx-{release['version']}"
    if not (chart / "Chart.yaml").exists():
        pytest.skip("ingress-nginx is not vendored under charts/vendor")
    import helm_python

    rendered = helm_python.Chart.load(str(chart)).render(release["values"], name=release["name"],
                                                          namespace=release["namespace"], is_install=True)
    types = [d.get("spec", {}).get("type", "ClusterIP") for path, text in rendered.items() if path.endswith(".yaml")
             for d in yaml.safe_load_all(text) if isinstance(d, dict) and d.get("kind") == "Service"]
    assert types and "LoadBalancer" not in types
