"""What a stack's Kubernetes providers point at, on every target: the identity that keeps a provider
(and so every Kubernetes resource) from being replaced, who the EKS provider calls the API server as,
and the vSphere CSI driver's resize switches.

The runs are those of the apply simulation (tests/test_apply.py ``model``: dev, prod and every
example of docs/examples/stacks), shared in one work unit (tests/conftest.py SAME_UNIT).
"""

from __future__ import annotations

import dataclasses
import logging

import pytest
import yaml

from components.cluster import build_cluster
from program import compose
from program.load import load_settings
from settings import targets
from tests.apply_model import EXAMPLES, STACKS, model, violations
from tools.conformance import admission, cluster_access, resize
from tools.conformance.apply import first_run
from tools.conformance.graph import Model, Node, build
from tools.offline import Registered, run_components, stack_config

NS = "tartware-infra"
PROVIDER = "pulumi:providers:kubernetes"


def config_of(stack: str) -> dict:
    config, _ = stack_config(stack, path=EXAMPLES[stack]) if stack in EXAMPLES else stack_config(stack)
    return {k.removeprefix(f"{NS}:"): v for k, v in config.items()}


def unidentified(providers: list[Registered]) -> list[str]:
    """Providers without a clusterIdentifier: pulumi-kubernetes replaces such a provider, and every
    resource it manages, when its kubeconfig is unknown in a preview or names another server
    (pulumi/pulumi-kubernetes@v4.32.0 provider/pkg/provider/provider.go DiffConfig 486-515)."""
    return [p.name for p in providers if not p.plain.get("clusterIdentifier")]


@pytest.mark.parametrize("stack", STACKS)
def test_every_kubernetes_provider_names_its_cluster(stack):
    run = model(stack).run
    providers = run.of_type(PROVIDER)
    assert providers and unidentified(providers) == []
    cfg = config_of(stack)
    target = targets.target(cfg.get("clusterTarget") or next(iter(targets.TARGETS)))  # unset: the first
    for p in providers:
        identifier = p.plain["clusterIdentifier"]
        if p.name.endswith("-management-k8s"):  # Rancher's management cluster, reached by its context
            assert identifier.endswith("/" + (cfg.get("rancherKubeContext") or "current-context")), identifier
        elif target.kubeconfig_access:  # a cluster made elsewhere, reached by its context
            assert identifier.endswith("/" + (cfg.get("kubeContext") or "current-context")), identifier
        else:  # the cluster this stack creates: its clusterName setting, tartware-<environment> unset
            name = cfg.get("clusterName") or f"tartware-{cfg.get('environment', stack)}"
            assert identifier.endswith("/" + name), identifier


def test_a_provider_without_its_identifier_is_found():
    providers = model("baremetal").run.of_type(PROVIDER)
    assert len(providers) == 2  # the management cluster's and the new cluster's
    stripped = dataclasses.replace(providers[1], inputs={k: v for k, v in providers[1].inputs.items()
                                                         if k != "clusterIdentifier"})
    assert unidentified([providers[0], stripped]) == [providers[1].name]


def context_warnings(stack: str, caplog) -> list[str]:
    """The warnings the cluster target alone logs for ``stack`` (the mock engine logs them through
    Python's logging: pulumi 3.272 sdk/python/lib/pulumi/runtime/mocks.py MockEngine.Log)."""
    config, keys = stack_config(stack, path=EXAMPLES[stack]) if stack in EXAMPLES else stack_config(stack)
    caplog.clear()
    with caplog.at_level(logging.WARNING):
        run_components(lambda: build_cluster("c", compose.cluster_args(load_settings())), stack=stack,
                       config=config, secret_keys=keys)
    return [r.getMessage() for r in caplog.records if "KubeContext is empty" in r.getMessage()
            or "kubeContext is empty" in r.getMessage()]


def test_existing_without_a_context_warns_that_it_follows_the_current_context(caplog):
    """No kubeContext: the ambient kubeconfig's current context is the cluster, so `kubectl config
    use-context` retargets the stack with no diff; the program says so instead of doing it silently."""
    assert not config_of("existing").get("kubeContext")
    (warning,) = context_warnings("existing", caplog)
    assert warning.startswith("kubeContext is empty") and "kubectl config use-context" in warning
    assert context_warnings("dev", caplog) == []  # dev names its context (kind-tartware)


# -------------------------------------------------------------------- EKS: who the provider calls as


# The example's kubeconfig is the creator's (no role); these stacks assume a platform role that the
# stack itself grants access to (example ARNs).
ADMIN_ARN = "arn:aws:iam::123456789012:role/platform-admin"
_EKS_ROLE: list = []


def eks_with_a_role():
    """The eks example's cluster target with ``eksKubeconfigRoleArn`` one of its ``eksAdminRoleArns``
    (the layers above the cluster do not change who the provider calls as)."""
    if not _EKS_ROLE:
        overrides = {f"{NS}:eksAdminRoleArns": [ADMIN_ARN], f"{NS}:eksKubeconfigRoleArn": ADMIN_ARN}
        config, keys = stack_config("eks", path=EXAMPLES["eks"], overrides=overrides)
        run, _ = run_components(lambda: build_cluster("c", compose.cluster_args(load_settings())), stack="eks",
                                config=config, secret_keys=keys)
        _EKS_ROLE.append(build(run, "eks"))
    return _EKS_ROLE[0]


def eks_provider(m):
    (p,) = [n for n in m.nodes.values() if n.type == PROVIDER]
    return p


def test_eks_provider_assumes_the_kubeconfig_role_and_waits_for_its_access():
    m = eks_with_a_role()
    provider = eks_provider(m)
    assert cluster_access.assumed_role(provider) == ADMIN_ARN
    grants = cluster_access.grants(m, ADMIN_ARN)
    assert {g.type for g in grants} == set(cluster_access.GRANTS)
    assert all(m.before(provider, g) for g in grants)
    assert violations(first_run(m), "access") == []
    # the creator's kubeconfig (the example) assumes no role: EKS grants the creator at creation
    assert cluster_access.assumed_role(eks_provider(model("eks"))) is None


def test_access_the_provider_before_the_roles_policy_association():
    m = eks_with_a_role()
    provider = eks_provider(m)
    associations = {g.urn: g.label for g in cluster_access.grants(m, ADMIN_ARN)
                    if g.type == "aws:eks/accessPolicyAssociation:AccessPolicyAssociation"}
    assert associations and set(associations) <= provider.deps
    # the planted defect: the provider no longer waits for the role's AccessPolicyAssociation
    dropped = Node(provider.reg, provider.deps - set(associations), provider.release)
    found = violations(first_run(Model(m.stack, m.target, {**m.nodes, provider.urn: dropped}, m.run)), "access")
    assert found, "dropping the wait for the AccessPolicyAssociation went unnoticed"
    assert found[0].error == ("configured Kubernetes cluster is unreachable: unable to load schema information "
                              "from the API server: the server has asked for the client to provide credentials")
    assert any(label in v.needs for v in found for label in associations.values())
    assert "401 Unauthorized" in found[0].needs


# -------------------------------------------------------------------- vSphere CSI: resizing claims


def csi_values(stack: str = "vsphere") -> dict:
    (cluster,) = model(stack).run.of_type("rancher2:index/clusterV2:ClusterV2")
    return yaml.safe_load(cluster.plain["rkeConfig"]["chartValues"])["rancher-vsphere-csi"]


def test_vsphere_csi_resizes_claims():
    # rancher/vsphere-charts@9db6d94 charts/rancher-vsphere-csi/values.yaml: csiController.csiResizer.enabled
    # and onlineVolumeExtend.enabled default to false; storageClass.allowVolumeExpansion lets claims grow
    csi = csi_values()
    assert csi["csiController"]["csiResizer"]["enabled"] is True
    assert csi["onlineVolumeExtend"]["enabled"] is True
    assert csi["storageClass"]["allowVolumeExpansion"] is True


def with_csi_values(m: Model, change) -> Model:
    """``m`` with the ClusterV2's rancher-vsphere-csi values changed by ``change(values)``."""
    (cluster,) = [n for n in m.nodes.values() if n.type == "rancher2:index/clusterV2:ClusterV2"]
    values = yaml.safe_load(cluster.plain["rkeConfig"]["chartValues"])
    change(values["rancher-vsphere-csi"])
    inputs = {**cluster.reg.inputs, "rkeConfig": {**cluster.plain["rkeConfig"], "chartValues": yaml.safe_dump(values)}}
    node = Node(dataclasses.replace(cluster.reg, inputs=inputs), cluster.deps, cluster.release)
    return Model(m.stack, m.target, {**m.nodes, cluster.urn: node}, m.run)


def test_the_vsphere_class_comes_from_the_rendered_values():
    (sc,) = [c for c in admission.storage_classes(model("vsphere")).values()
             if c.provisioner == "csi.vsphere.vmware.com"]
    values = csi_values()["storageClass"]
    assert (sc.name, sc.default, sc.expansion, sc.resizer) == (values["name"], values["isDefault"], True, None)
    # the chart's own default (values.yaml storageClass.allowVolumeExpansion: false) when our values say nothing
    (bare,) = [c for c in admission.storage_classes(with_csi_values(
        model("vsphere"), lambda v: v["storageClass"].pop("allowVolumeExpansion"))).values()
        if c.provisioner == "csi.vsphere.vmware.com"]
    assert bare.expansion is False


@pytest.mark.parametrize("stack", STACKS)
def test_every_claim_can_grow(stack):
    assert [str(r) for r in resize.refusals(model(stack))] == []


@pytest.mark.parametrize("change, expected", [
    # the API server's own refusal (resize admission plugin)
    (lambda v: v["storageClass"].update(allowVolumeExpansion=False),
     "is forbidden: only dynamically provisioned pvc can be resized and the storageclass that provisions the pvc "
     "must support resize"),
    # accepted, never applied: no csi-resizer sidecar
    (lambda v: v["csiController"]["csiResizer"].update(enabled=False), "csiController.csiResizer.enabled is false"),
    # accepted, not applied to a mounted volume
    (lambda v: v["onlineVolumeExtend"].update(enabled=False), "onlineVolumeExtend.enabled is false"),
])
def test_resize_a_claim_the_vsphere_driver_cannot_grow(change, expected):
    found = resize.refusals(with_csi_values(model("vsphere"), change))
    assert found, "the planted defect went unnoticed"
    assert all(r.storage_class == "vsphere-csi-sc" for r in found)
    assert expected in str(found[0])
