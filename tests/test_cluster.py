"""Cluster targets under the mock engine (prod): resources, key arguments, secrets, providers."""

import hashlib
import json
from pathlib import Path

import helm_python
import pytest
import yaml

from components.clusters.rancher import command_with_ca
from components.cluster import build_cluster
from program import compose
from program.load import load_settings
from settings.targets.rancher import MOCK_RANCHER_CA
from tools.offline import DefaultMocks, Secret, contains_secret, run_components, run_program, stack_config
from tests import guide
from tests.helpers import ALLOWED_TARGETS, LB_POOL, VSPHERE, VSPHERE_SECRETS, assert_refused, run_with
from tools.render import render_chart, validate

NS = "tartware-infra"

# The deployment guide's numbers, written out by hand (docs/spec/deployment-guide.md "High Availability
# Setup", "Infrastructure Requirements", and docs/clusters.md's vSphere VM sizes).
CONTROL_PLANE_NODES = 3
COMPUTE_NODES = (5, 100)
MEMORY_NODES = (3, 50)
AVAILABILITY_ZONES = 3
# vSphere VMs: (vCPU, memory GB, disk GB)
VSPHERE_CONTROL_PLANE = (8, 16, 200)
VSPHERE_COMPUTE = (16, 32, 500)
VSPHERE_MEMORY = (12, 64, 500)
# Bare metal: 3 control plane nodes 8 CPU / 16 GB / 200 GB; 8+ workers 16 CPU / 32 GB / 500 GB
BAREMETAL_WORKERS_MIN = 8
GUIDE_RANCHER_HOSTNAME = "rancher.tartware.local"

# Example addresses from the documentation ranges (RFC 5737) and example ARNs.
ADMIN_ARN = "arn:aws:iam::123456789012:role/platform-admin"
CI_ARN = "arn:aws:iam::123456789012:role/github-deploy"
EKS = {"clusterTarget": "eks", "eksPublicAccessCidrs": ["203.0.113.0/24"], "eksAdminRoleArns": [ADMIN_ARN],
       "eksCiRoleArns": [CI_ARN], "eksKubeconfigRoleArn": ADMIN_ARN}
BAREMETAL = {"clusterTarget": "baremetal", "rancherInstall": True,
             "loadBalancerAddresses": "192.168.20.200-192.168.20.220"}


def _run(overrides, secrets=None, stack="prod"):
    config, secret_keys = stack_config(stack, overrides={f"{NS}:{k}": v for k, v in overrides.items()},
                                       secrets={f"{NS}:{k}": v for k, v in (secrets or {}).items()})
    return run_program(stack, config, secret_keys)


@pytest.fixture(scope="module")
def eks():
    return _run(EKS)


@pytest.fixture(scope="module")
def vsphere():
    return _run(VSPHERE, VSPHERE_SECRETS)


@pytest.fixture(scope="module")
def baremetal():
    return _run(BAREMETAL)


def component(run, cls):
    return run.one(f"tartware:cluster:{cls}")


def assert_provider_is_this_clusters(run, cls, kubeconfig_from=None):
    """Every kubernetes: resource above the cluster uses the provider built inside the target."""
    comp = component(run, cls)
    providers = run.of_type("pulumi:providers:kubernetes")
    workload = [p for p in providers if not p.name.endswith("-management-k8s")]
    assert len(workload) == 1, [p.name for p in providers]
    provider = workload[0]
    assert provider.parent == comp.urn
    assert isinstance(provider.inputs["kubeconfig"], Secret)
    if kubeconfig_from:
        assert kubeconfig_from in provider.plain["kubeconfig"]
    management = {p.urn for p in providers} - {provider.urn}
    for r in run.resources:
        if r.type.startswith("kubernetes:"):
            if any(r.provider.startswith(m + "::") for m in management):
                # only Rancher itself goes to the management cluster
                assert "tartware:cluster:RancherServer" in r.parent, r.name
                continue
            assert r.provider.startswith(provider.urn + "::"), f"{r.name} uses {r.provider!r}"
    return provider


# ----------------------------------------------------------------------------------------- EKS


def test_eks_vpc_spans_three_zones_with_nat_per_zone(eks):
    subnets = eks.of_type("aws:ec2/subnet:Subnet")
    public = [s for s in subnets if s.plain["mapPublicIpOnLaunch"]]
    private = [s for s in subnets if not s.plain["mapPublicIpOnLaunch"]]
    assert len(public) == len(private) == AVAILABILITY_ZONES
    assert len({s.plain["availabilityZone"] for s in private}) == AVAILABILITY_ZONES
    assert all(s.plain["tags"]["kubernetes.io/role/internal-elb"] == "1" for s in private)
    assert all(s.plain["tags"]["kubernetes.io/role/elb"] == "1" for s in public)
    nats = eks.of_type("aws:ec2/natGateway:NatGateway")
    assert len(nats) == AVAILABILITY_ZONES  # one per AZ in prod
    public_ids = {f"{s.name}-id" for s in public}
    assert {n.plain["subnetId"] for n in nats} == public_ids
    routes = [r for r in eks.of_type("aws:ec2/route:Route") if "natGatewayId" in r.plain]
    assert {r.plain["natGatewayId"] for r in routes} == {f"{n.name}-id" for n in nats}


def test_eks_control_plane(eks):
    cluster = eks.one("aws:eks/cluster:Cluster")
    assert cluster.plain["version"] == "1.35"  # 1.28 is no longer creatable (docs/clusters.md)
    assert set(cluster.plain["enabledClusterLogTypes"]) == {"api", "audit", "authenticator",
                                                             "controllerManager", "scheduler"}
    # EXTENDED: EKS never upgrades the cluster behind Pulumi's back (no downgrade on the next up)
    assert cluster.plain["upgradePolicy"] == {"supportType": "EXTENDED"}
    assert cluster.protect
    oidc = eks.one("aws:iam/openIdConnectProvider:OpenIdConnectProvider")
    assert oidc.plain["clientIdLists"] == ["sts.amazonaws.com"]
    assert oidc.plain["url"].startswith("https://oidc.eks.")


def node_groups(run):
    """Pool -> its node group (the memory pool: the one of its first zone; all: ``zone_groups``)."""
    return {g.plain["tags"]["tartware.io/pool"]: g for g in reversed(run.of_type("aws:eks/nodeGroup:NodeGroup"))}


def zone_groups(run, pool):
    return [g for g in run.of_type("aws:eks/nodeGroup:NodeGroup") if g.plain["tags"]["tartware.io/pool"] == pool]


def test_eks_node_groups_follow_the_guide(eks):
    groups = node_groups(eks)
    assert set(groups) == {"compute", "memory", "spot"}  # spot: tests/test_spot.py, below
    private = {f"{s.name}-id" for s in eks.of_type("aws:ec2/subnet:Subnet") if not s.plain["mapPublicIpOnLaunch"]}
    for name, (lo, hi) in (("compute", COMPUTE_NODES), ("memory", MEMORY_NODES)):
        members = zone_groups(eks, name)
        scaling = [g.plain["scalingConfig"] for g in members]
        # the pool's bounds, split over its groups without going below them
        assert sum(s["minSize"] for s in scaling) >= lo and sum(s["maxSize"] for s in scaling) >= hi
        assert all(s["desiredSize"] == s["minSize"] for s in scaling)
        for g in members:
            assert g.plain["labels"] == {"tartware.io/pool": name}
            assert g.plain["capacityType"] == "ON_DEMAND"
        assert {s for g in members for s in g.plain["subnetIds"]} == private
    assert (sum(g.plain["scalingConfig"]["minSize"] for g in zone_groups(eks, "compute")),
            sum(g.plain["scalingConfig"]["maxSize"] for g in zone_groups(eks, "compute"))) == COMPUTE_NODES
    assert groups["memory"].plain["taints"] == [{"key": "tartware.io/pool", "value": "memory", "effect": "NO_SCHEDULE"}]
    assert not groups["compute"].plain.get("taints")


def test_eks_memory_pool_is_one_node_group_per_zone(eks):
    """Its pods use zonal EBS volumes: one group per zone, so a scale-up lands where the volume is
    (kubernetes/autoscaler cluster-autoscaler/cloudprovider/aws/README.md, with
    --balance-similar-node-groups)."""
    memory = zone_groups(eks, "memory")
    private = sorted(s.name for s in eks.of_type("aws:ec2/subnet:Subnet") if not s.plain["mapPublicIpOnLaunch"])
    assert sorted(s for g in memory for s in g.plain["subnetIds"]) == sorted(f"{n}-id" for n in private)
    assert all(len(g.plain["subnetIds"]) == 1 for g in memory) and len(memory) == len(private) == 3
    assert sorted(g.plain["nodeGroupNamePrefix"] for g in memory) == ["memory-0-", "memory-1-", "memory-2-"]
    ca = eks.one("kubernetes:helm.sh/v3:Release", "prod-cluster-autoscaler")
    assert ca.plain["values"]["extraArgs"]["balance-similar-node-groups"] is True


def test_eks_spot_option_and_single_nat_outside_prod():
    run = _run({"clusterTarget": "eks", "nodePools": {"compute": {"spot": True,
                                                                 "instanceTypes": ["c6i.4xlarge", "c6a.4xlarge"]}}},
               stack="dev")
    groups = node_groups(run)
    assert groups["compute"].plain["capacityType"] == "SPOT"
    assert groups["compute"].plain["instanceTypes"] == ["c6i.4xlarge", "c6a.4xlarge"]
    assert groups["memory"].plain["capacityType"] == "ON_DEMAND"
    assert len(run.of_type("aws:ec2/natGateway:NatGateway")) == 1
    # outside prod the public endpoint is open unless listed; no role to assume unless set
    assert run.one("aws:eks/cluster:Cluster").plain["vpcConfig"]["publicAccessCidrs"] == ["0.0.0.0/0"]
    kubeconfig = json.loads(run.outputs["kubeconfig"].value)
    assert "--role-arn" not in kubeconfig["users"][0]["user"]["exec"]["args"]


def test_eks_storage_and_autoscaler(eks):
    addon = eks.one("aws:eks/addon:Addon", "prod-cluster-ebs-csi")
    assert addon.plain["addonName"] == "aws-ebs-csi-driver"
    # the node plugin runs on the tainted memory pool too (the data tier's volumes are mounted there)
    assert json.loads(addon.plain["configurationValues"]) == {"node": {"tolerateAllTaints": True}}
    roles = {r.name: r for r in eks.of_type("aws:iam/role:Role")}
    ebs_trust = json.loads(roles["prod-cluster-ebs-csi"].plain["assumeRolePolicy"])
    cond = ebs_trust["Statement"][0]["Condition"]["StringEquals"]
    assert "system:serviceaccount:kube-system:ebs-csi-controller-sa" in cond.values()
    assert addon.plain["serviceAccountRoleArn"] == roles["prod-cluster-ebs-csi"].outputs["arn"]
    ca = eks.one("kubernetes:helm.sh/v3:Release", "prod-cluster-autoscaler")
    values = ca.plain["values"]
    assert values["cloudProvider"] == "aws"
    assert values["autoDiscovery"]["clusterName"] == "tartware-prod"
    assert values["image"]["tag"] == "v1.35.0"
    sa = values["rbac"]["serviceAccount"]
    assert sa["annotations"]["eks.amazonaws.com/role-arn"] == roles["prod-cluster-cluster-autoscaler"].outputs["arn"]
    ca_trust = json.loads(roles["prod-cluster-cluster-autoscaler"].plain["assumeRolePolicy"])
    trusted = ca_trust["Statement"][0]["Condition"]["StringEquals"].values()
    assert f"system:serviceaccount:kube-system:{sa['name']}" in trusted
    policy = json.loads(eks.one("aws:iam/rolePolicy:RolePolicy").plain["policy"])
    assert "autoscaling:SetDesiredCapacity" in policy["Statement"][0]["Action"]


def test_eks_kubeconfig_is_secret_and_provider_is_this_clusters(eks):
    assert isinstance(eks.outputs["kubeconfig"], Secret)
    provider = assert_provider_is_this_clusters(eks, "EksCluster", kubeconfig_from='"get-token"')
    groups = {g.urn for g in eks.of_type("aws:eks/nodeGroup:NodeGroup")}
    assert groups <= set(provider.dependencies)  # workloads wait for nodes


def test_eks_enforces_network_policies_with_the_vpc_cni_addon(eks):
    # docs.aws.amazon.com/eks/latest/userguide/cni-network-policy-configure.html: the add-on's
    # configuration enableNetworkPolicy "true" (a string) turns on the network policy agent
    cni = eks.one("aws:eks/addon:Addon", "prod-cluster-vpc-cni")
    assert cni.plain["addonName"] == "vpc-cni"
    assert json.loads(cni.plain["configurationValues"]) == {"enableNetworkPolicy": "true"}
    assert cni.plain["resolveConflictsOnCreate"] == "OVERWRITE"  # EKS pre-installs vpc-cni
    for group in eks.of_type("aws:eks/nodeGroup:NodeGroup"):
        assert cni.urn in group.dependencies  # nodes join with enforcement already configured


def test_eks_access_entries_for_admin_and_ci_roles(eks):
    entries = {e.plain["principalArn"]: e for e in eks.of_type("aws:eks/accessEntry:AccessEntry")}
    assert set(entries) == {ADMIN_ARN, CI_ARN}
    assert all(e.plain["type"] == "STANDARD" for e in entries.values())
    associations = eks.of_type("aws:eks/accessPolicyAssociation:AccessPolicyAssociation")
    assert {a.plain["principalArn"] for a in associations} == {ADMIN_ARN, CI_ARN}
    for a in associations:
        assert a.plain["policyArn"] == "arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy"
        assert a.plain["accessScope"] == {"type": "cluster"}
    cluster = eks.one("aws:eks/cluster:Cluster")
    assert cluster.plain["accessConfig"]["authenticationMode"] == "API_AND_CONFIG_MAP"


def test_eks_kubeconfig_names_the_role_it_assumes(eks):
    kubeconfig = json.loads(eks.outputs["kubeconfig"].value)
    args = kubeconfig["users"][0]["user"]["exec"]["args"]
    assert args[:2] == ["eks", "get-token"]
    assert args[args.index("--role-arn") + 1] == ADMIN_ARN


class CreatorMocks(DefaultMocks):
    """The identity running Pulumi is an assumed-role session of ``role`` (iam.getSessionContext)."""

    def __init__(self, role):
        super().__init__()
        self.role = role

    def call(self, args):
        if args.token == "aws:iam/getSessionContext:getSessionContext":
            return {"arn": args.args["arn"], "issuerArn": self.role, "id": args.args["arn"]}
        return super().call(args)


def test_eks_kubeconfig_role_needs_an_access_entry():
    """A kubeconfig role without an access entry would be Unauthorized at the stack's first
    Kubernetes call: refused before anything is registered. The creator (the identity of the first
    run) has one from EKS and passes unlisted."""
    other = "arn:aws:iam::123456789012:role/somebody-else"
    assert_refused({**EKS, "eksKubeconfigRoleArn": other}, "eksKubeconfigRoleArn",
                   [other, "has no access entry", ADMIN_ARN, CI_ARN])
    config, secret_keys = stack_config("prod", overrides={f"{NS}:{k}": v for k, v in
                                                          {**EKS, "eksKubeconfigRoleArn": other}.items()})
    # the cluster target alone (the layers above it do not read the role)
    run, _ = run_components(lambda: build_cluster("c", compose.cluster_args(load_settings())), stack="prod",
                            config=config, secret_keys=secret_keys, mocks=CreatorMocks(other))
    assert run.one("aws:eks/cluster:Cluster").plain["accessConfig"]["bootstrapClusterCreatorAdminPermissions"]


def test_eks_public_endpoint_is_listed_in_prod(eks):
    assert eks.one("aws:eks/cluster:Cluster").plain["vpcConfig"]["publicAccessCidrs"] == ["203.0.113.0/24"]
    message = run_with({f"{NS}:clusterTarget": "eks", f"{NS}:environment": "prod"})
    assert f"{NS}:eksPublicAccessCidrs" in message and "required in prod" in message


def test_eks_node_groups_are_replace_safe_and_follow_the_control_plane(eks):
    cluster = eks.one("aws:eks/cluster:Cluster")
    for group in eks.of_type("aws:eks/nodeGroup:NodeGroup"):
        # no fixed name: a replacement is created under a new name before the old group goes
        assert "nodeGroupName" not in group.plain and group.plain["nodeGroupNamePrefix"].startswith(
            group.plain["tags"]["tartware.io/pool"] + "-")
        assert not group.delete_before_replace
        assert group.plain["version"] == cluster.plain["version"] == "1.35"
        # the autoscaler owns desiredSize; minNodes/maxNodes change in place (tests/test_day2.py)
        assert group.ignore_changes == ["scalingConfig.desiredSize"]
        assert group.replace_on_changes == []


# The spot pool (docs/spec/deployment-guide.md "Spot Instances": "use spot instances for non-critical
# workloads"). The non-critical services are chosen in docs/clusters.md ("Spot pool").
SPOT_SERVICES = {"housekeeping-service", "notification-service", "revenue-service"}
SPOT_TOLERATION = {"key": "tartware.io/pool", "operator": "Equal", "value": "spot", "effect": "NoSchedule"}
SPOT_PREFERENCE = [{"weight": 100, "preference": {"matchExpressions": [
    {"key": "tartware.io/pool", "operator": "In", "values": ["spot"]}]}}]
# aws.amazon.com/ec2/instance-types: each of these is 8 vCPU / 16 GiB.
SAME_SIZE_8_16 = {"c6i.2xlarge", "c6a.2xlarge", "c7i.2xlarge"}


def test_eks_registers_a_separate_tainted_spot_node_group(eks):
    groups = node_groups(eks)
    spot = groups["spot"].plain
    assert spot["capacityType"] == "SPOT"
    # diversified over several Spot capacity pools of one size (AWS "Capacity types": same vCPU and memory)
    assert len(spot["instanceTypes"]) >= 2 and set(spot["instanceTypes"]) <= SAME_SIZE_8_16
    assert spot["labels"] == {"tartware.io/pool": "spot"}
    assert spot["taints"] == [{"key": "tartware.io/pool", "value": "spot", "effect": "NO_SCHEDULE"}]
    # one node per availability zone at least (the VPC spans 3); at most 6
    assert (spot["scalingConfig"]["minSize"], spot["scalingConfig"]["maxSize"]) == (3, 6)
    # replace-safe like the other node groups: prefix-named, create-before-delete
    assert "nodeGroupName" not in spot and spot["nodeGroupNamePrefix"] == "spot-"
    assert not groups["spot"].delete_before_replace
    assert groups["spot"].ignore_changes == ["scalingConfig.desiredSize"]
    assert groups["spot"].replace_on_changes == []
    # the critical pools stay on demand
    assert groups["compute"].plain["capacityType"] == groups["memory"].plain["capacityType"] == "ON_DEMAND"


def test_chart_puts_exactly_the_spot_services_on_the_spot_pool(eks):
    values = eks.one("kubernetes:helm.sh/v3:Release", "tartware-release").plain["values"]
    docs = render_chart(values)

    def objects(kind):
        return {d["metadata"]["name"]: d for d in docs if d["kind"] == kind}

    deployments = objects("Deployment")
    assert set(deployments) == set(guide.ROW_OF)
    for name, dep in deployments.items():
        spec = dep["spec"]["template"]["spec"]
        if name in SPOT_SERVICES:
            assert spec["tolerations"] == [SPOT_TOLERATION], name
            node_affinity = spec["affinity"]["nodeAffinity"]
            # preferred only: without spot capacity the pods are scheduled on on-demand compute
            assert node_affinity == {"preferredDuringSchedulingIgnoredDuringExecution": SPOT_PREFERENCE}, name
        else:
            assert "tolerations" not in spec and "affinity" not in spec, name
    assert validate([d for d in docs if d["kind"] == "Deployment"], "1.28.0") == []
    # interruptions drain the node: every spot service keeps a PodDisruptionBudget
    assert SPOT_SERVICES <= set(objects("PodDisruptionBudget"))



# ------------------------------------------------------------------------------------- vSphere


def test_vsphere_machine_pools_follow_the_guide(vsphere):
    configs = {c.name.rsplit("-", 1)[1]: c.plain["vsphereConfig"] for c in
               vsphere.of_type("rancher2:index/machineConfigV2:MachineConfigV2")}
    for pool, (cpu, mem_gb, disk_gb) in (("controlPlane", VSPHERE_CONTROL_PLANE), ("compute", VSPHERE_COMPUTE),
                                         ("memory", VSPHERE_MEMORY)):
        c = configs[pool]
        assert (c["cpuCount"], c["memorySize"], c["diskSize"]) == (str(cpu), str(mem_gb * 1024), str(disk_gb * 1024))
        assert c["cfgparams"] == ["disk.enableUUID=TRUE"]
        assert c["creationType"] == "template"
        assert c["cloneFrom"] == "/DC1/vm/ubuntu-22.04-cloudinit"
        assert ((c["datacenter"], c["datastore"], c["networks"])
                == ("/DC1", "/DC1/datastore/ds-ssd", ["/DC1/network/VM Network"]))
        assert c["pool"] == "/DC1/host/Cluster1/Resources/tartware" and c["folder"] == "/DC1/vm/tartware"
    cluster = vsphere.one("rancher2:index/clusterV2:ClusterV2")
    assert cluster.plain["kubernetesVersion"] == "v1.34.1+rke2r1"
    assert cluster.plain["enableNetworkPolicy"] is True
    assert cluster.protect
    rke = cluster.plain["rkeConfig"]
    assert rke["etcd"]["snapshotScheduleCron"] and rke["etcd"]["snapshotRetention"] >= 1
    pools = {p["name"]: p for p in rke["machinePools"]}
    cp = pools["controlplane"]
    assert ((cp["quantity"], cp["controlPlaneRole"], cp["etcdRole"], cp.get("workerRole", False))
            == (CONTROL_PLANE_NODES, True, True, False))
    for name, (lo, hi) in (("compute", COMPUTE_NODES), ("memory", MEMORY_NODES)):
        assert pools[name]["quantity"] == lo and pools[name]["workerRole"] is True
        assert pools[name]["annotations"] == {"cluster.provisioning.cattle.io/autoscaler-min-size": str(lo),
                                              "cluster.provisioning.cattle.io/autoscaler-max-size": str(hi)}
        assert pools[name]["machineLabels"] == {"tartware.io/pool": name}
    assert pools["memory"]["taints"] == [{"key": "tartware.io/pool", "value": "memory", "effect": "NoSchedule"}]


def test_vsphere_objects_are_looked_up_by_name(vsphere):
    looked_up = {tok.rsplit(":", 1)[1]: args for tok, args in vsphere.invokes if tok.startswith("vsphere:")}
    assert looked_up["getDatacenter"]["name"] == "DC1"
    assert looked_up["getDatastore"]["name"] == "ds-ssd"
    assert looked_up["getNetwork"]["name"] == "VM Network"
    assert looked_up["getResourcePool"]["name"] == "Cluster1/Resources/tartware"
    assert looked_up["getFolder"]["path"] == "/DC1/vm/tartware"
    assert looked_up["getVirtualMachine"]["name"] == "ubuntu-22.04-cloudinit"


def test_vsphere_secrets_and_provider(vsphere):
    cred = vsphere.one("rancher2:index/cloudCredential:CloudCredential")
    assert contains_secret(cred.inputs["vsphereCredentialConfig"])
    assert "vcenter-secret-pw" not in repr(cred.inputs)
    rancher = vsphere.one("pulumi:providers:rancher2")
    assert isinstance(rancher.inputs["tokenKey"], Secret)
    assert isinstance(vsphere.outputs["kubeconfig"], Secret)
    assert_provider_is_this_clusters(vsphere, "VsphereRancherCluster", kubeconfig_from="kind: Config")
    # cluster-autoscaler with the Rancher cloud provider; its cloud config (API token) is secret
    values = vsphere.one("kubernetes:helm.sh/v3:Release", "prod-cluster-autoscaler").plain["values"]
    assert values["cloudProvider"] == "rancher" and values["image"]["tag"] == "v1.34.0"
    config = vsphere.one("kubernetes:core/v1:Secret", "prod-cluster-autoscaler-cloud-config")
    assert contains_secret(config.inputs["stringData"])
    assert "clusterNamespace: fleet-default" in config.plain["stringData"]["cloud-config"]
    assert "vcenter-secret-pw" not in repr(vsphere.outputs) and "rancher-secret" not in repr(unsecret_outputs(vsphere))


def unsecret_outputs(run):
    return {k: v for k, v in run.outputs.items() if not contains_secret(v)}


# ---------------------------------------------------------------------------------- bare metal


def test_baremetal_custom_cluster_and_secret_registration(baremetal):
    cluster = baremetal.one("rancher2:index/clusterV2:ClusterV2")
    assert "machinePools" not in cluster.plain.get("rkeConfig", {})  # custom cluster
    assert cluster.plain["kubernetesVersion"] == "v1.34.1+rke2r1"
    assert cluster.plain["rkeConfig"]["etcd"]["snapshotScheduleCron"]
    assert cluster.protect
    out = baremetal.outputs
    for name in ("registrationCommand", "registrationCommands", "kubeconfig", "rancherAdminPassword"):
        assert contains_secret(out[name]), name
    # machines join through Rancher's system agent only: no RKE2 token of our own
    assert "joinToken" not in out
    assert not [r for r in baremetal.of_type("random:index/randomPassword:RandomPassword") if "join" in r.name]
    commands = (out["registrationCommands"].value if isinstance(out["registrationCommands"], Secret)
                else out["registrationCommands"])
    commands = {k: (v.value if isinstance(v, Secret) else v) for k, v in commands.items()}
    assert "--etcd --controlplane" in commands["controlPlane"]
    assert "--worker" in commands["compute"] and "tartware.io/pool=compute" in commands["compute"]
    sync = baremetal.one("rancher2:index/clusterSync:ClusterSync")
    assert sync.plain["clusterId"] == cluster.outputs["clusterV1Id"]
    assert_provider_is_this_clusters(baremetal, "BareMetalRke2Cluster", kubeconfig_from="synced")
    pools = out["nodePools"]
    assert pools["controlPlane"]["minNodes"] == CONTROL_PLANE_NODES and pools["controlPlane"]["cpus"] == 8
    assert pools["compute"]["minNodes"] == BAREMETAL_WORKERS_MIN
    assert (pools["compute"]["cpus"], pools["compute"]["memoryGi"]) == (16, 32)


def test_rancher_install_bootstraps_with_generated_password(baremetal):
    rancher = baremetal.one("kubernetes:helm.sh/v3:Release", "prod-cluster-rancher-rancher")
    assert rancher.plain["namespace"] == "cattle-system"
    assert rancher.protect
    values = rancher.inputs["values"]
    assert contains_secret(values)
    plain = rancher.plain["values"]
    assert plain["hostname"] == GUIDE_RANCHER_HOSTNAME
    assert plain["bootstrapPassword"] != "admin" and len(plain["bootstrapPassword"]) >= 32
    cert_manager = baremetal.one("kubernetes:helm.sh/v3:Release", "prod-cluster-rancher-cert-manager")
    assert cert_manager.urn in rancher.dependencies
    boot = baremetal.one("rancher2:index/bootstrap:Bootstrap")
    assert isinstance(boot.inputs["initialPassword"], Secret) and isinstance(boot.inputs["password"], Secret)
    assert boot.plain["initialPassword"] == plain["bootstrapPassword"]
    assert boot.plain["password"] != "admin"
    providers = {p.name: p for p in baremetal.of_type("pulumi:providers:rancher2")}
    assert providers["prod-cluster-rancher-bootstrap"].plain["bootstrap"] in (True, "true")
    assert providers["prod-cluster-rancher-bootstrap"].plain["apiUrl"] == f"https://{GUIDE_RANCHER_HOSTNAME}"
    assert isinstance(providers["prod-cluster-rancher-api"].inputs["tokenKey"], Secret)
    assert baremetal.outputs["rancherUrl"] == f"https://{GUIDE_RANCHER_HOSTNAME}"


# ------------------------------------------------------------- Rancher targets: what RKE2 lacks

ROOT = Path(__file__).resolve().parent.parent
# The vendored chart at its pin (facts/versions.py CLUSTER_AUTOSCALER = 9.59.0).
AUTOSCALER_CHART = ROOT / "charts" / "vendor" / "cluster-autoscaler-9.59.0"
MEMORY_TAINT_TOLERATION = {"key": "tartware.io/pool", "operator": "Equal", "value": "memory", "effect": "NoSchedule"}


def rke2_config(run):
    return yaml.safe_load(run.one("rancher2:index/clusterV2:ClusterV2").plain["rkeConfig"]["machineGlobalConfig"])


@pytest.mark.parametrize("target", ["vsphere", "baremetal"])
def test_rke2_bundled_ingress_nginx_is_disabled(target, vsphere, baremetal):
    # rancher/rke2-docs docs/reference/server_config.md: `disable` takes the packaged component
    # rke2-ingress-nginx (its IngressClass `nginx` would clash with ours); newer RKE2 also read
    # `ingress-controller: none` (docs/networking/networking_services.md)
    config = rke2_config({"vsphere": vsphere, "baremetal": baremetal}[target])
    assert "rke2-ingress-nginx" in config["disable"]
    assert config["ingress-controller"] == "none"
    assert config["cni"] == "canal"


def test_vsphere_cpi_csi_and_default_storage_class(vsphere):
    # rancher/rke2-docs docs/install/airgap.md: the vSphere CPI/CSI charts come with
    # cloud-provider-name rancher-vsphere; keys: rancher/vsphere-charts charts/rancher-vsphere-*/values.yaml
    assert rke2_config(vsphere)["cloud-provider-name"] == "rancher-vsphere"
    cluster = vsphere.one("rancher2:index/clusterV2:ClusterV2")
    assert contains_secret(cluster.inputs["rkeConfig"])  # the vCenter password is inside chartValues
    values = yaml.load(cluster.plain["rkeConfig"]["chartValues"], Loader=yaml.CSafeLoader)
    cpi, csi = values["rancher-vsphere-cpi"]["vCenter"], values["rancher-vsphere-csi"]["vCenter"]
    for vc in (cpi, csi):
        assert (vc["host"], vc["datacenters"], vc["username"], vc["password"]) == (
            "vcenter.example.com", "DC1", "svc-rancher", "vcenter-secret-pw")
    assert csi["insecureFlag"] == "0" and cpi["insecureFlag"] is False
    sc = values["rancher-vsphere-csi"]["storageClass"]
    assert sc["enabled"] is True and sc["isDefault"] is True and sc["reclaimPolicy"] == "Retain"  # prod keeps data
    # the CSI node plugin must run on the tainted memory pool, where the data tier mounts its volumes
    assert MEMORY_TAINT_TOLERATION in values["rancher-vsphere-csi"]["csiNode"]["tolerations"]
    assert "vcenter-secret-pw" not in repr(unsecret_outputs(vsphere))


@pytest.mark.parametrize("target,addresses", [("vsphere", LB_POOL), ("baremetal", "192.168.20.200-192.168.20.220")])
def test_metallb_gives_load_balancers_an_address(target, addresses, vsphere, baremetal):
    run = {"vsphere": vsphere, "baremetal": baremetal}[target]
    release = run.one("kubernetes:helm.sh/v3:Release", "prod-cluster-metallb-metallb")
    assert (release.plain["chart"], release.plain["version"]) == ("metallb", "0.15.2")
    assert release.plain["namespace"] == "metallb-system"
    if target == "vsphere":  # the memory pool (bare metal has none by default)
        assert MEMORY_TAINT_TOLERATION in release.plain["values"]["speaker"]["tolerations"]
    ns = run.one("kubernetes:core/v1:Namespace", "prod-cluster-metallb-namespace")
    assert ns.plain["metadata"]["labels"]["pod-security.kubernetes.io/enforce"] == "privileged"
    pool = run.one("kubernetes:metallb.io/v1beta1:IPAddressPool")
    assert pool.plain["spec"]["addresses"] == [addresses] and release.urn in pool.dependencies
    l2 = run.one("kubernetes:metallb.io/v1beta1:L2Advertisement")
    assert l2.plain["spec"]["ipAddressPools"] == [pool.plain["metadata"]["name"]]


def test_baremetal_longhorn_is_the_default_storage(baremetal):
    release = baremetal.one("kubernetes:helm.sh/v3:Release", "prod-cluster-storage-longhorn")
    assert (release.plain["chart"], release.plain["version"]) == ("longhorn", "1.12.1")
    values = release.plain["values"]
    # longhorn/longhorn@v1.12.1 chart/values.yaml: the chart's StorageClass `longhorn` is the default
    assert values["persistence"]["defaultClass"] is True
    assert values["persistence"]["defaultClassReplicaCount"] == 3 and values["persistence"]["reclaimPolicy"] == "Retain"
    assert release.protect


def test_baremetal_local_path_option():
    run = _run({**BAREMETAL, "bareMetalStorage": "local-path"})
    manifest = run.one("kubernetes:yaml/v2:ConfigFile")
    assert manifest.plain["file"] == ("https://raw.githubusercontent.com/rancher/local-path-provisioner/"
                                      "v0.0.37/deploy/local-path-storage.yaml")
    sc = run.one("kubernetes:storage.k8s.io/v1:StorageClass")
    assert sc.plain["provisioner"] == "rancher.io/local-path"  # deploy/local-path-storage.yaml at v0.0.37
    assert sc.plain["metadata"]["annotations"]["storageclass.kubernetes.io/is-default-class"] == "true"
    assert sc.plain["volumeBindingMode"] == "WaitForFirstConsumer"
    assert not [r for r in run.of_type("kubernetes:helm.sh/v3:Release") if r.plain["chart"] == "longhorn"]


def render_autoscaler(values):
    rendered = helm_python.Chart.load(str(AUTOSCALER_CHART)).render(
        values, name="cluster-autoscaler", namespace="kube-system", is_install=True)
    return [d for path, text in rendered.items() if path.endswith(".yaml")
            for d in yaml.safe_load_all(text) if isinstance(d, dict) and "kind" in d]


def test_rancher_autoscaler_values_make_the_chart_render_its_deployment(vsphere):
    values = vsphere.one("kubernetes:helm.sh/v3:Release", "prod-cluster-autoscaler").plain["values"]
    assert values["autoDiscovery"]["clusterName"] == "tartware-prod"
    objects = render_autoscaler(values)
    deployments = [o for o in objects if o["kind"] == "Deployment"]
    assert len(deployments) == 1
    container = deployments[0]["spec"]["template"]["spec"]["containers"][0]
    assert "--cloud-provider=rancher" in container["command"]
    assert "--cloud-config=/config/cloud-config" in container["command"]
    mounts = {m["mountPath"] for m in container["volumeMounts"]}
    assert "/config" in mounts
    # Rancher's private CA reaches the cloud provider's Go client through SSL_CERT_FILE
    assert {"name": "SSL_CERT_FILE", "value": "/config/ca.crt"} in container["env"]
    # a new token (after a refresh) changes the pod template, so the provider restarts with it
    assert "tartware.io/cloud-config-sha256" in deployments[0]["spec"]["template"]["metadata"]["annotations"]
    # without autoDiscovery.clusterName the chart renders no Deployment (templates/deployment.yaml line 1)
    bare = {k: v for k, v in values.items() if k != "autoDiscovery"}
    assert not [o for o in render_autoscaler(bare) if o["kind"] == "Deployment"]


def test_eks_autoscaler_values_render_auto_discovery(eks):
    values = eks.one("kubernetes:helm.sh/v3:Release", "prod-cluster-autoscaler").plain["values"]
    (deployment,) = [o for o in render_autoscaler(values) if o["kind"] == "Deployment"]
    command = deployment["spec"]["template"]["spec"]["containers"][0]["command"]
    assert "--cloud-provider=aws" in command
    # the chart's default autoDiscovery.tags: the tags EKS puts on managed node groups' ASGs
    assert ("--node-group-auto-discovery=asg:tag=k8s.io/cluster-autoscaler/enabled,"
            "k8s.io/cluster-autoscaler/tartware-prod") in command


def test_rancher_autoscaler_has_its_own_least_privileged_user(vsphere):
    assert not vsphere.of_type("rancher2:index/token:Token")  # no token of the administrator
    user = vsphere.one("rancher2:index/user:User")
    assert user.plain["username"] == "tartware-prod-autoscaler"
    role = vsphere.one("rancher2:index/globalRole:GlobalRole")
    assert not role.plain.get("inheritedClusterRoles") and not role.plain.get("newUserDefault")
    rules = {(r["apiGroups"][0], r["resources"][0]): r for r in role.plain["rules"]}
    # kubernetes/autoscaler cloudprovider/rancher README "Permissions" + rancher_nodegroup.go
    assert set(rules) == {("provisioning.cattle.io", "clusters"), ("cluster.x-k8s.io", "machines")}
    assert set(rules["provisioning.cattle.io", "clusters"]["verbs"]) == {"get", "update"}
    assert rules["provisioning.cattle.io", "clusters"]["resourceNames"] == ["tartware-prod"]
    assert set(rules["cluster.x-k8s.io", "machines"]["verbs"]) == {"get", "list", "update"}
    bound = {b.plain["globalRoleId"] for b in vsphere.of_type("rancher2:index/globalRoleBinding:GlobalRoleBinding")}
    assert "user-base" in bound and len(bound) == 2  # login + the autoscaler role, nothing else
    token = vsphere.one("rancher2:index/customUserToken:CustomUserToken")
    assert token.plain["username"] == "tartware-prod-autoscaler" and isinstance(token.inputs["password"], Secret)
    assert token.plain["ttl"] == 129600 * 60  # seconds: Rancher's default auth-token-max-ttl-minutes
    assert token.plain["renew"] is True  # replaced once expired (read by the refresh)
    secret = vsphere.one("kubernetes:core/v1:Secret", "prod-cluster-autoscaler-cloud-config")
    assert secret.plain["stringData"]["ca.crt"] == MOCK_RANCHER_CA
    assert contains_secret(secret.inputs["stringData"])


def test_pulumi_refreshes_before_every_update_so_expired_rancher_tokens_are_replaced():
    # Pulumi project file: options.refresh "always" runs a refresh as part of preview/update/destroy
    project = yaml.load((ROOT / "Pulumi.yaml").read_text(), Loader=yaml.CSafeLoader)
    assert project["options"]["refresh"] == "always"


def test_registration_commands_verify_rancher_with_its_ca(baremetal):
    out = baremetal.outputs["registrationCommands"]
    commands = out.value if isinstance(out, Secret) else out
    worker = commands["compute"].value if isinstance(commands["compute"], Secret) else commands["compute"]
    assert "--cacert /etc/rancher/rancher-ca.pem" in worker and "--insecure" not in worker
    assert "--worker" in worker


def test_command_with_ca_rewrites_rancher_node_command():
    # Rancher's custom-cluster nodeCommand: curl -fL <installer> | sudo sh -s - ... --ca-checksum <sha256(cacerts)>
    pem = "-----BEGIN CERTIFICATE-----\nabc\n-----END CERTIFICATE-----"
    checksum = hashlib.sha256(pem.encode()).hexdigest()
    rancher = ("curl -fL https://rancher.example.com/system-agent-install.sh | sudo  sh -s - "
               "--server https://rancher.example.com --label 'cattle.io/os=linux' --token t0k "
               f"--ca-checksum {checksum}")
    out = command_with_ca(rancher, pem)
    assert out.startswith("sudo mkdir -p /etc/rancher && printf")
    assert "curl --cacert /etc/rancher/rancher-ca.pem -fL https://rancher.example.com/" in out
    assert out.count("--ca-checksum") == 1
    assert command_with_ca(rancher, "") == rancher  # public CA: Rancher's command as is
    assert f"--ca-checksum {checksum}" in command_with_ca(rancher.split(" --ca-checksum")[0], pem)


# ------------------------------------------------------------------- the memory pool is used

DATA_RELEASES = {"redis": "redis-ha-4.39.0", "redpanda": "redpanda-25.3.2"}
MEMORY_SELECTOR = {"tartware.io/pool": "memory"}


def data_release(run, release):
    return next(r for r in run.of_type("kubernetes:helm.sh/v3:Release") if r.plain.get("name") == release)


def rendered_pod_specs(release, values):
    chart = helm_python.Chart.load(str(ROOT / "charts" / "vendor" / DATA_RELEASES[release]))
    rendered = chart.render(values, name=release, namespace="data", is_install=True)
    docs = [d for path, text in rendered.items() if path.endswith(".yaml") for d in yaml.safe_load_all(text)
            if isinstance(d, dict) and d.get("kind") == "StatefulSet"]
    return [d["spec"]["template"]["spec"] for d in docs]


def test_data_tier_pods_tolerate_and_select_the_memory_pool(eks, vsphere):
    for release in DATA_RELEASES:
        values = data_release(vsphere, release).plain["values"]
        specs = rendered_pod_specs(release, values)  # the pinned chart renders our keys into the pods
        assert specs, release
        for spec in specs:
            assert spec["nodeSelector"] == MEMORY_SELECTOR, release
            assert MEMORY_TAINT_TOLERATION in spec["tolerations"], release
        # EKS's memory node group carries the same label and taint: the same values
        assert data_release(eks, release).plain["values"] == values, release
    # PostgreSQL: the operator puts the Cluster's affinity.nodeSelector/tolerations on every instance
    # pod (cloudnative-pg/cloudnative-pg@v1.30.0 pkg/specs/pods.go createClusterPodSpec; tools/cnpg.py)
    from tools.cnpg import operator_objects

    (cluster,) = vsphere.of_type("kubernetes:postgresql.cnpg.io/v1:Cluster")
    doc = {"apiVersion": "postgresql.cnpg.io/v1", "kind": "Cluster", **cluster.plain}
    pods = [d["spec"] for d in operator_objects([doc]) if d["kind"] == "Pod"]
    assert len(pods) == 3
    for spec in pods:
        assert spec["nodeSelector"] == MEMORY_SELECTOR and MEMORY_TAINT_TOLERATION in spec["tolerations"]
    (eks_cluster,) = eks.of_type("kubernetes:postgresql.cnpg.io/v1:Cluster")
    assert eks_cluster.plain["spec"]["affinity"] == cluster.plain["spec"]["affinity"]


def test_prometheus_and_loki_run_on_the_memory_pool(vsphere):
    kps = data_release(vsphere, "kube-prometheus-stack").plain["values"]["prometheus"]["prometheusSpec"]
    loki = data_release(vsphere, "loki").plain["values"]["singleBinary"]
    for spec in (kps, loki):
        assert spec["nodeSelector"] == MEMORY_SELECTOR and MEMORY_TAINT_TOLERATION in spec["tolerations"]
    # the keys exist at the pinned charts (vendored values.yaml)
    vendor = ROOT / "charts" / "vendor"
    kps_values = (vendor / "kube-prometheus-stack-81.5.0" / "values.yaml").read_text()
    kps_defaults = yaml.load(kps_values, Loader=yaml.CSafeLoader)
    loki_defaults = yaml.load((vendor / "loki-6.55.0" / "values.yaml").read_text(), Loader=yaml.CSafeLoader)
    for defaults in (kps_defaults["prometheus"]["prometheusSpec"], loki_defaults["singleBinary"]):
        assert defaults["nodeSelector"] == {} and defaults["tolerations"] == []


def test_without_a_memory_pool_the_data_tier_runs_anywhere(dev_run):
    (cluster,) = dev_run.of_type("kubernetes:postgresql.cnpg.io/v1:Cluster")
    affinity = cluster.plain["spec"]["affinity"]
    assert "nodeSelector" not in affinity and "tolerations" not in affinity
    values = data_release(dev_run, "redis").plain["values"]
    assert "nodeSelector" not in values and "tolerations" not in values


def test_dev_stays_on_the_existing_cluster(dev_run):
    comp = dev_run.one("tartware:cluster:ExistingCluster")
    provider = dev_run.one("pulumi:providers:kubernetes")
    assert provider.parent == comp.urn and provider.plain["context"] == "kind-tartware"
    assert not [r for r in dev_run.resources if r.type.split(":")[0] in ("aws", "rancher2", "vsphere")]


# ------------------------------------------------------------------------------------- bad input

BAD = [
    ({"clusterTarget": "openstack"}, {}, "clusterTarget",
     ["'openstack'", ALLOWED_TARGETS]),
    ({**VSPHERE, "vsphereDatacenter": ""}, VSPHERE_SECRETS, "vsphereDatacenter",
     ["required for clusterTarget=vsphere"]),
    ({**VSPHERE, "rancherApiUrl": None}, VSPHERE_SECRETS, "rancherApiUrl",
     ["required for clusterTarget=vsphere", "rancherInstall"]),
    ({"clusterTarget": "baremetal"}, {}, "rancherApiUrl", ["required for clusterTarget=baremetal"]),
    ({"clusterTarget": "eks", "nodePools": {"compute": {"minNodes": 20, "maxNodes": 10}}}, {},
     "nodePools.compute.maxNodes", ["minNodes (20) must not exceed maxNodes (10)"]),
    ({"clusterTarget": "eks", "nodePools": {"memory": {"minNodes": 60}}}, {},
     "nodePools.memory.minNodes", ["= 60", "minNodes (60) must not exceed maxNodes (50)"]),
    ({"clusterTarget": "eks", "kubernetesVersion": "1.27"}, {}, "kubernetesVersion",
     ["'1.27'", "below the guide's floor 1.28"]),
    ({"clusterTarget": "eks", "kubernetesVersion": "1.28"}, {}, "kubernetesVersion",
     ["no longer creates 1.28", "2025-11-26"]),
    ({**VSPHERE, "rke2Version": "v1.27.9+rke2r1"}, VSPHERE_SECRETS, "rke2Version", ["below the guide's floor 1.28"]),
    ({**VSPHERE, "nodePools": {"controlPlane": {"count": 1}}}, VSPHERE_SECRETS, "nodePools.controlPlane.count",
     ["= 1", "at least 3 nodes"]),
    ({"clusterTarget": "baremetal", "rancherInstall": True, "nodePools": {"controlPlane": {"count": 2}}}, {},
     "nodePools.controlPlane.count", ["at least 3 nodes"]),
    ({"clusterTarget": "eks", "nodePools": {"controlPlane": {"count": 3}}}, {}, "nodePools.controlPlane",
     ["EKS runs the control plane"]),
    ({"clusterTarget": "eks", "nodePools": {"compute": {"instanceTypes": ["x9z.huge"]}}}, {},
     "nodePools.compute.instanceTypes", ["unknown size of x9z.huge", "cpus and memoryGb"]),
    ({**VSPHERE, "nodePools": {"compute": {"spot": True}}}, VSPHERE_SECRETS, "nodePools.compute.spot", ["eks only"]),
    ({"clusterTarget": "eks", "nodePools": {"gpu": {"maxNodes": 3}}}, {}, "nodePools.gpu",
     ["allowed: compute, memory"]),
    ({"clusterTarget": "eks", "nodePools": {"compute": {"maxNode": 3}}}, {}, "nodePools.compute.maxNode",
     ["unknown setting", "maxNodes"]),
]


@pytest.mark.parametrize("overrides,secrets,bad_key,fragments", BAD,
                         ids=[f"{c[2]}#{i}" for i, c in enumerate(BAD)])
def test_bad_cluster_input_is_rejected_before_any_resource(overrides, secrets, bad_key, fragments):
    assert_refused(overrides, bad_key, fragments, secrets)


def test_missing_vsphere_password_is_named():
    message = run_with({f"{NS}:{k}": v for k, v in VSPHERE.items()}, secrets={f"{NS}:rancherToken": "t"})
    assert f"{NS}:vspherePassword" in message and "pulumi config set --secret vspherePassword" in message


# ------------------------------------------------------------------ the client's address at the edge
# (the per-client rate limit keys on it: docs/platform.md "Rate limiting"; rules in tests/envoy_ratelimit.py)


def test_eks_carries_the_client_address_with_the_proxy_protocol(eks):
    from tests.envoy_ratelimit import PER_CLIENT_RPS, check_rls_config, edge_filter, objects, rls_config, rls_limit

    docs = objects(eks)
    # the AWS cloud provider's Classic Load Balancer connects from its own address: the PROXY protocol
    # on it (kubernetes/cloud-provider-aws pkg/providers/v1/aws.go: only "*" is accepted) ...
    svc = docs["Service/istio-system/istio-ingressgateway"]
    assert svc["metadata"]["annotations"]["service.beta.kubernetes.io/aws-load-balancer-proxy-protocol"] == "*"
    # ... and on the gateway's listeners (Istio ProxyConfig gatewayTopology.proxyProtocol)
    pod = docs["Deployment/istio-system/istio-ingressgateway"]["spec"]["template"]["metadata"]
    assert json.loads(pod["annotations"]["proxy.istio.io/config"])["gatewayTopology"] == {"proxyProtocol": {}}
    # nothing is exempt by default: the NAT gateways' addresses are limited like any client's (the
    # in-cluster load tests do not call the public host: docs/operations.md "Load tests")
    nats = [e.outputs["publicIp"] for e in eks.of_type("aws:ec2/eip:Eip")]
    assert len(nats) == 3  # one NAT gateway per zone in prod
    doc = rls_config(docs)
    check_rls_config(doc)
    (limit,) = edge_filter(docs)["configPatches"][2]["patch"]["value"]["rate_limits"]
    assert limit["actions"] == [{"remote_address": {}}]
    for ip in nats:
        assert rls_limit(doc, [("remote_address", ip)])[0] == {"unit": "second", "requests_per_unit": PER_CLIENT_RPS}


def test_rke2_targets_limit_every_address_and_keep_it_without_proxy_protocol(vsphere):
    from tests.envoy_ratelimit import PER_CLIENT_RPS, check_rls_config, edge_filter, objects, rls_config, rls_limit

    docs = objects(vsphere)
    (limit,) = edge_filter(docs)["configPatches"][2]["patch"]["value"]["rate_limits"]
    assert limit["actions"] == [{"remote_address": {}}]  # the pod network is no longer exempt by default
    doc = rls_config(docs)
    check_rls_config(doc)
    # rancher/rke2-docs docs/reference/server_config.md: cluster-cidr defaults to 10.42.0.0/16
    pod_address = rls_limit(doc, [("remote_address", "10.42.3.9")])
    assert pod_address[0] == {"unit": "second", "requests_per_unit": PER_CLIENT_RPS}
    # MetalLB with externalTrafficPolicy Local keeps the source address: no PROXY protocol
    svc = docs["Service/istio-system/istio-ingressgateway"]
    assert svc["spec"]["externalTrafficPolicy"] == "Local" and not svc["metadata"].get("annotations")
    pod = docs["Deployment/istio-system/istio-ingressgateway"]["spec"]["template"]["metadata"]
    assert "gatewayTopology" not in json.loads(pod["annotations"]["proxy.istio.io/config"])
