"""Cluster targets under the mock engine (prod): resources, key arguments, secrets, providers."""

import json

import pytest

from tools.offline import Secret, contains_secret, run_program, stack_config
from tests.test_settings import run_with

NS = "tartware-infra"

# The deployment guide's numbers, written out by hand (deployment-guide.md "High Availability
# Setup", "Infrastructure Requirements", and issue 3's vSphere VM sizes).
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

VSPHERE = {
    "clusterTarget": "vsphere", "rancherApiUrl": "https://rancher.example.com",
    "vsphereVcenter": "vcenter.example.com", "vsphereUsername": "svc-rancher",
    "vsphereDatacenter": "DC1", "vsphereDatastore": "ds-ssd", "vsphereNetwork": "VM Network",
    "vsphereResourcePool": "Cluster1/Resources/tartware", "vsphereFolder": "tartware",
}
VSPHERE_SECRETS = {"rancherToken": "token-abc:rancher-secret", "vspherePassword": "vcenter-secret-pw"}


def _run(overrides, secrets=None, stack="prod"):
    config, secret_keys = stack_config(stack, overrides={f"{NS}:{k}": v for k, v in overrides.items()},
                                       secrets={f"{NS}:{k}": v for k, v in (secrets or {}).items()})
    return run_program(stack, config, secret_keys)


@pytest.fixture(scope="module")
def eks():
    return _run({"clusterTarget": "eks"})


@pytest.fixture(scope="module")
def vsphere():
    return _run(VSPHERE, VSPHERE_SECRETS)


@pytest.fixture(scope="module")
def baremetal():
    return _run({"clusterTarget": "baremetal", "rancherInstall": True})


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
                assert "tartware:cluster:RancherServer" in r.parent, r.name  # only Rancher itself goes to the management cluster
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
    assert cluster.plain["upgradePolicy"] == {"supportType": "STANDARD"}
    assert cluster.protect
    oidc = eks.one("aws:iam/openIdConnectProvider:OpenIdConnectProvider")
    assert oidc.plain["clientIdLists"] == ["sts.amazonaws.com"]
    assert oidc.plain["url"].startswith("https://oidc.eks.")


def test_eks_node_groups_follow_the_guide(eks):
    groups = {g.plain["nodeGroupName"]: g for g in eks.of_type("aws:eks/nodeGroup:NodeGroup")}
    assert set(groups) == {"compute", "memory"}
    for name, (lo, hi) in (("compute", COMPUTE_NODES), ("memory", MEMORY_NODES)):
        scaling = groups[name].plain["scalingConfig"]
        assert (scaling["minSize"], scaling["maxSize"], scaling["desiredSize"]) == (lo, hi, lo)
        assert groups[name].plain["labels"] == {"tartware.io/pool": name}
        assert groups[name].plain["capacityType"] == "ON_DEMAND"
        private = {f"{s.name}-id" for s in eks.of_type("aws:ec2/subnet:Subnet") if not s.plain["mapPublicIpOnLaunch"]}
        assert set(groups[name].plain["subnetIds"]) == private
    assert groups["memory"].plain["taints"] == [{"key": "tartware.io/pool", "value": "memory", "effect": "NO_SCHEDULE"}]
    assert not groups["compute"].plain.get("taints")


def test_eks_spot_option_and_single_nat_outside_prod():
    run = _run({"clusterTarget": "eks", "nodePools": {"compute": {"spot": True,
                                                                 "instanceTypes": ["c6i.4xlarge", "c6a.4xlarge"]}}},
               stack="dev")
    groups = {g.plain["nodeGroupName"]: g for g in run.of_type("aws:eks/nodeGroup:NodeGroup")}
    assert groups["compute"].plain["capacityType"] == "SPOT"
    assert groups["compute"].plain["instanceTypes"] == ["c6i.4xlarge", "c6a.4xlarge"]
    assert groups["memory"].plain["capacityType"] == "ON_DEMAND"
    assert len(run.of_type("aws:ec2/natGateway:NatGateway")) == 1


def test_eks_storage_and_autoscaler(eks):
    addon = eks.one("aws:eks/addon:Addon")
    assert addon.plain["addonName"] == "aws-ebs-csi-driver"
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
    assert f"system:serviceaccount:kube-system:{sa['name']}" in ca_trust["Statement"][0]["Condition"]["StringEquals"].values()
    policy = json.loads(eks.one("aws:iam/rolePolicy:RolePolicy").plain["policy"])
    assert "autoscaling:SetDesiredCapacity" in policy["Statement"][0]["Action"]


def test_eks_kubeconfig_is_secret_and_provider_is_this_clusters(eks):
    assert isinstance(eks.outputs["kubeconfig"], Secret)
    provider = assert_provider_is_this_clusters(eks, "EksCluster", kubeconfig_from='"get-token"')
    groups = {g.urn for g in eks.of_type("aws:eks/nodeGroup:NodeGroup")}
    assert groups <= set(provider.dependencies)  # workloads wait for nodes


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
        assert (c["datacenter"], c["datastore"], c["networks"]) == ("/DC1", "/DC1/datastore/ds-ssd", ["/DC1/network/VM Network"])
        assert c["pool"] == "/DC1/host/Cluster1/Resources/tartware" and c["folder"] == "/DC1/vm/tartware"
    cluster = vsphere.one("rancher2:index/clusterV2:ClusterV2")
    assert cluster.plain["kubernetesVersion"] == "v1.34.1+rke2r1"
    assert cluster.plain["enableNetworkPolicy"] is True
    assert cluster.protect
    rke = cluster.plain["rkeConfig"]
    assert rke["etcd"]["snapshotScheduleCron"] and rke["etcd"]["snapshotRetention"] >= 1
    pools = {p["name"]: p for p in rke["machinePools"]}
    cp = pools["controlplane"]
    assert (cp["quantity"], cp["controlPlaneRole"], cp["etcdRole"], cp.get("workerRole", False)) == (CONTROL_PLANE_NODES, True, True, False)
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
    for name in ("registrationCommand", "registrationCommands", "joinToken", "kubeconfig", "rancherAdminPassword"):
        assert contains_secret(out[name]), name
    commands = out["registrationCommands"].value if isinstance(out["registrationCommands"], Secret) else out["registrationCommands"]
    commands = {k: (v.value if isinstance(v, Secret) else v) for k, v in commands.items()}
    assert "--etcd --controlplane" in commands["controlPlane"]
    assert "--worker" in commands["compute"] and "tartware.io/pool=compute" in commands["compute"]
    token = baremetal.one("random:index/randomPassword:RandomPassword", "prod-cluster-join-token")
    assert token.plain["length"] >= 32 and token.protect
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


def test_dev_stays_on_the_existing_cluster(dev_run):
    comp = dev_run.one("tartware:cluster:ExistingCluster")
    provider = dev_run.one("pulumi:providers:kubernetes")
    assert provider.parent == comp.urn and provider.plain["context"] == "kind-tartware"
    assert not [r for r in dev_run.resources if r.type.split(":")[0] in ("aws", "rancher2", "vsphere")]


# ------------------------------------------------------------------------------------- bad input

BAD = [
    ({"clusterTarget": "openstack"}, {}, "clusterTarget", ["'openstack'", "'existing', 'eks', 'vsphere' or 'baremetal'"]),
    ({**VSPHERE, "vsphereDatacenter": ""}, VSPHERE_SECRETS, "vsphereDatacenter", ["required for clusterTarget=vsphere"]),
    ({**VSPHERE, "rancherApiUrl": None}, VSPHERE_SECRETS, "rancherApiUrl", ["required for clusterTarget=vsphere", "rancherInstall"]),
    ({"clusterTarget": "baremetal"}, {}, "rancherApiUrl", ["required for clusterTarget=baremetal"]),
    ({"clusterTarget": "eks", "nodePools": {"compute": {"minNodes": 20, "maxNodes": 10}}}, {},
     "nodePools.compute.maxNodes", ["minNodes (20) must not exceed maxNodes (10)"]),
    ({"clusterTarget": "eks", "nodePools": {"memory": {"minNodes": 60}}}, {},
     "nodePools.memory.minNodes", ["= 60", "minNodes (60) must not exceed maxNodes (50)"]),
    ({"clusterTarget": "eks", "kubernetesVersion": "1.27"}, {}, "kubernetesVersion", ["'1.27'", "below the guide's floor 1.28"]),
    ({"clusterTarget": "eks", "kubernetesVersion": "1.28"}, {}, "kubernetesVersion", ["no longer creates 1.28", "2025-11-26"]),
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
    ({"clusterTarget": "eks", "nodePools": {"gpu": {"maxNodes": 3}}}, {}, "nodePools.gpu", ["allowed: compute, memory"]),
    ({"clusterTarget": "eks", "nodePools": {"compute": {"maxNode": 3}}}, {}, "nodePools.compute.maxNode",
     ["unknown setting", "maxNodes"]),
]


@pytest.mark.parametrize("overrides,secrets,bad_key,fragments", BAD,
                         ids=[f"{c[2]}#{i}" for i, c in enumerate(BAD)])
def test_bad_cluster_input_is_rejected_before_any_resource(overrides, secrets, bad_key, fragments):
    message = run_with({f"{NS}:{k}": v for k, v in overrides.items()},
                       secrets={f"{NS}:{k}": v for k, v in secrets.items()})
    assert f"{NS}:{bad_key}" in message, message
    for fragment in fragments:
        assert fragment in message, message


def test_missing_vsphere_password_is_named():
    message = run_with({f"{NS}:{k}": v for k, v in VSPHERE.items()}, secrets={f"{NS}:rancherToken": "t"})
    assert f"{NS}:vspherePassword" in message and "pulumi config set --secret vspherePassword" in message
