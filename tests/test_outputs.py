"""Stack outputs: present with the documented shapes (docs/operations.md) for every cluster target."""

import pytest

from components.outputs import dns_records, public_hosts, record_type
from settings import targets
from settings.declared import all_declared
from tools.offline import DefaultMocks, Secret, run_program, stack_config
from tests import guide
from tests.helpers import EXAMPLE_STACKS, example_run

NS = "tartware-infra"

# Every documented key and its JSON type (docs/operations.md, "Stack outputs").
DOCUMENTED = {
    "environment": str, "clusterTarget": str, "clusterName": str, "namespace": str, "releaseName": str,
    "apiUrl": str, "secretNames": list, "budget": dict, "domain": str, "ingressAddress": str,
    "dnsRecords": list, "urls": dict, "kubeconfig": Secret, "kubernetesVersion": str, "namespaces": dict,
    "egressAddresses": list,
    "budgetTotals": dict, "operations": dict, "database": dict,
}
# The guide's "Configure Ingress and DNS" / "Access Points" names.
GUIDE_NAMES = {"api", "grafana", "jaeger", "prometheus"}


@pytest.fixture(scope="module", params=sorted(targets.TARGETS))
def target_run(request):
    """Each target of the registry (settings/targets/) through its example stack of docs/examples/stacks
    (tests/test_pulumi_cli_rules.py: one per target): the target, its example's config, the run."""
    target = request.param
    config, secret_keys = stack_config(target, path=EXAMPLE_STACKS[target])
    return target, config, secret_keys, example_run(target)


def test_documented_outputs_have_their_shapes(target_run):
    target, _, _, run = target_run
    out = run.outputs
    assert set(DOCUMENTED) <= set(out), sorted(set(DOCUMENTED) - set(out))
    for name, kind in DOCUMENTED.items():
        assert isinstance(out[name], kind), (name, type(out[name]))
    assert out["clusterTarget"] == target
    assert out["namespace"] == guide.NAMESPACE and out["releaseName"] == guide.RELEASE
    assert out["budgetTotals"]["max"]["pods"] == guide.expected_totals()["max"]["pods"]
    assert out["budgetTotals"]["min"] == out["budget"]["min"]
    assert out["namespaces"]["tartware"] == guide.NAMESPACE and out["namespaces"]["database"] == "database"


def test_dns_records_and_urls(target_run):
    _, config, _, run = target_run
    out = run.outputs
    records = {r["name"]: r for r in out["dnsRecords"]}
    # the operator tools' names only where they are on the public gateway (operatorAccess allowlist or
    # sso); internal keeps them off it (docs/platform.md)
    names = {"api"} if config.get(f"{NS}:operatorAccess", "internal") == "internal" else GUIDE_NAMES
    expected = {f"{n}.{out['domain']}" for n in names}
    if config.get(f"{NS}:rancherInstall") == "true":  # Rancher installed by this stack: its name is published too
        expected.add(config.get(f"{NS}:rancherHostname") or f"rancher.{out['domain']}")
    assert set(records) == expected
    for r in records.values():
        assert set(r) == {"name", "type", "value"}
        assert r["value"] == (out["ingressAddress"] or None)
        assert r["type"] in ("A", "AAAA", "CNAME", None)
    assert out["urls"]["api"] == out["apiUrl"]
    assert {n for n in out["urls"]} >= names


def test_kubeconfig_is_secret_and_nothing_else_leaks(target_run):
    _, config, secret_keys, run = target_run
    assert isinstance(run.outputs["kubeconfig"], Secret)
    text = repr({k: v for k, v in run.outputs.items() if k != "kubeconfig"})
    for leaked in ("mock-credentials", *(config[k] for k in secret_keys)):
        assert leaked not in text


@pytest.mark.parametrize("address,kind", [("203.0.113.10", "A"), ("2001:db8::1", "AAAA"),
                                          ("a1b2-123.elb.eu-west-1.amazonaws.com", "CNAME"), (None, None)])
def test_record_type_follows_the_address(address, kind):
    assert record_type(address) == kind
    hosts = public_hosts("example.com", {"api": "api.example.com"}, "rancher.example.com")
    recs = dns_records(hosts, address)
    assert [r["name"] for r in recs] == ["api.example.com", "grafana.example.com", "jaeger.example.com",
                                        "prometheus.example.com", "rancher.example.com"]
    assert all(r["type"] == kind and r["value"] == address for r in recs)


class LoadBalancerMocks(DefaultMocks):
    """The edge Service (read by the platform) reports an AWS Classic Load Balancer hostname, as on EKS
    (docs/platform.md)."""

    def new_resource(self, args):
        rid, outputs = super().new_resource(args)
        if args.typ == "kubernetes:core/v1:Service" and args.inputs.get("spec", {}).get("type") == "LoadBalancer":
            outputs["status"] = {"loadBalancer": {"ingress": [{"hostname": ELB}]}}
        return rid, outputs


ELB = "a0123456789abcdef0123456789abcdef-1234567890.eu-west-1.elb.amazonaws.com"


def test_records_follow_a_known_load_balancer_address():
    config, keys = stack_config("prod")
    out = run_program("prod", config, keys, mocks=LoadBalancerMocks()).outputs
    if not out["ingressAddress"]:
        pytest.skip("the platform publishes no edge LoadBalancer address in this stack")
    assert out["ingressAddress"] == ELB
    assert {(r["type"], r["value"]) for r in out["dnsRecords"]} == {("CNAME", ELB)}


def test_the_autoscaler_setting_names_the_targets_whose_run_installs_it(target_run):
    """clusterAutoscaler's description (generated from the targets' cluster args) names this target
    exactly when its example stack's run installs cluster-autoscaler (a release of that name)."""
    target, _, _, run = target_run
    installs = any(r.plain.get("name") == "cluster-autoscaler" for r in run.of_type("kubernetes:helm.sh/v3:Release"))
    described = next(s for s in all_declared() if s.name == "clusterAutoscaler").description
    named = described.split("(clusterTarget=", 1)[1].split(")", 1)[0].split(" or ")
    assert installs == (target in named), (target, installs, described)


def test_egress_addresses_are_the_nat_gateways_public_ips(target_run):
    """egressAddresses: the public IP of each Elastic IP the NAT gateways use, where the stack builds the
    network (eks); none elsewhere."""
    _, _, _, run = target_run
    # by name (<cluster>-nat-<zone index>): the engine receives registrations in no fixed order
    nat_ips = [r.outputs["publicIp"] for r in sorted(run.of_type("aws:ec2/eip:Eip"),
                                                      key=lambda r: int(r.name.rsplit("-", 1)[1]))]
    assert run.outputs["egressAddresses"] == nat_ips
    assert bool(nat_ips) == (run.outputs["clusterTarget"] == "eks")
