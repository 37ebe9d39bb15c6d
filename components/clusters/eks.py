"""clusterTarget=eks: VPC over 3 AZs, EKS control plane, IRSA, managed node groups, EBS CSI, autoscaler.

Plain pulumi-aws, not pulumi-eks: pulumi-eks is a remote (multi-language) component whose
children are invisible to the mock engine (pulumi/pulumi#15731), and plain resources give exact
control over tags, IRSA and node groups. Argument names: the generated pulumi-aws 7.51.1 SDK (pinned in requirements.txt).
"""

from __future__ import annotations

import ipaddress
import json
import re
from dataclasses import dataclass
from typing import Optional

import pulumi
import pulumi_aws as aws
import pulumi_kubernetes as k8s

from settings.targets.eks import EksClusterArgs, NodeGroupArgs
from settings.errors import Problem, SettingsError
from settings.errors import key as config_key

from ..base import TartwareComponent
from components.handles import ClusterHandle
from .common import (
    AUTOSCALER_NAMESPACE,
    AUTOSCALER_SERVICE_ACCOUNT,
    autoscaled,
    autoscaler_release,
    cluster_identifier,
    parse_taint,
    pool_summary,
    workload_provider,
)

CONTROL_PLANE_LOGS = ["api", "audit", "authenticator", "controllerManager", "scheduler"]
NODE_POLICIES = {
    "worker": "arn:aws:iam::aws:policy/AmazonEKSWorkerNodePolicy",
    "cni": "arn:aws:iam::aws:policy/AmazonEKS_CNI_Policy",
    "ecr": "arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryReadOnly",
}
EBS_CSI_POLICY = "arn:aws:iam::aws:policy/service-role/AmazonEBSCSIDriverPolicy"
# Access entries (docs.aws.amazon.com/eks/latest/userguide/access-policy-permissions.html): the
# cluster-wide admin policy; Pulumi installs CRDs, ClusterRoles and webhooks, so CI needs it too.
CLUSTER_ADMIN_POLICY = "arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy"
# Amazon VPC CNI enforces NetworkPolicies only when its add-on configuration sets
# enableNetworkPolicy "true" (docs.aws.amazon.com/eks/latest/userguide/cni-network-policy-configure.html).
VPC_CNI_CONFIGURATION = {"enableNetworkPolicy": "true"}
# EBS CSI node plugin on every node, tainted ones too (the memory pool holds the data tier's
# volumes): add-on configuration node.tolerateAllTaints (kubernetes-sigs/aws-ebs-csi-driver
# charts/aws-ebs-csi-driver/values.yaml).
EBS_CSI_CONFIGURATION = {"node": {"tolerateAllTaints": True}}
# EXTENDED: at the end of standard support the cluster stays on its version (extended support,
# billed) instead of being upgraded by AWS behind Pulumi's back, which the next `pulumi up` would
# try to undo as a downgrade (docs.aws.amazon.com/eks/latest/userguide/view-upgrade-policy.html).
UPGRADE_SUPPORT_TYPE = "EXTENDED"
TAINT_EFFECTS = {"NoSchedule": "NO_SCHEDULE", "PreferNoSchedule": "PREFER_NO_SCHEDULE", "NoExecute": "NO_EXECUTE"}
# kubernetes/autoscaler cluster-autoscaler/cloudprovider/aws/README.md, "IAM Policy" (+ auto-discovery)
AUTOSCALER_ACTIONS = [
    "autoscaling:DescribeAutoScalingGroups",
    "autoscaling:DescribeAutoScalingInstances",
    "autoscaling:DescribeLaunchConfigurations",
    "autoscaling:DescribeScalingActivities",
    "autoscaling:DescribeTags",
    "autoscaling:SetDesiredCapacity",
    "autoscaling:TerminateInstanceInAutoScalingGroup",
    "ec2:DescribeImages",
    "ec2:DescribeInstanceTypes",
    "ec2:DescribeLaunchTemplateVersions",
    "ec2:GetInstanceTypesFromInstanceRequirements",
    "eks:DescribeNodegroup",
]


def _assume_service(service: str) -> str:
    return json.dumps({"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Principal": {"Service": service}, "Action": "sts:AssumeRole"}]})


def _irsa_trust(provider_arn: str, issuer: str, namespace: str, service_account: str) -> str:
    host = issuer.replace("https://", "")
    return json.dumps({"Version": "2012-10-17", "Statement": [{
        "Effect": "Allow",
        "Principal": {"Federated": provider_arn},
        "Action": "sts:AssumeRoleWithWebIdentity",
        "Condition": {"StringEquals": {f"{host}:aud": "sts.amazonaws.com",
                                       f"{host}:sub": f"system:serviceaccount:{namespace}:{service_account}"}},
    }]})


def _kubeconfig(args: list, role_arn: Optional[str] = None) -> str:
    """Kubeconfig with the `aws eks get-token` exec plugin (awsdocs create-kubeconfig).

    With ``role_arn`` the plugin assumes that role (``aws eks get-token --role-arn``, AWS CLI
    reference eks/get-token), so anyone whose identity may assume it can use the kubeconfig.
    """
    name, endpoint, ca_data, region = args
    token_args = ["eks", "get-token", "--cluster-name", name, "--region", region]
    if role_arn:
        token_args += ["--role-arn", role_arn]
    return json.dumps({
        "apiVersion": "v1", "kind": "Config",
        "clusters": [{"name": name, "cluster": {"server": endpoint, "certificate-authority-data": ca_data}}],
        "contexts": [{"name": name, "context": {"cluster": name, "user": name}}],
        "current-context": name,
        "users": [{"name": name, "user": {"exec": {
            "apiVersion": "client.authentication.k8s.io/v1beta1",
            "command": "aws",
            "args": token_args,
            "interactiveMode": "Never",
        }}}],
    })


def subnet_cidrs(vpc_cidr: str, zones: int) -> tuple[list[str], list[str]]:
    """Private /18s (pods take VPC IPs with the VPC CNI) and public /20s from a /16."""
    vpc = ipaddress.ip_network(vpc_cidr, strict=False)
    quarters = list(vpc.subnets(new_prefix=18))
    private = [str(q) for q in quarters[:zones]]
    public = [str(s) for s in list(quarters[3].subnets(new_prefix=20))[:zones]]
    return private, public


class EksCluster(TartwareComponent):
    AREA = "cluster"

    def __init__(self, name: str, args: EksClusterArgs, opts: Optional[pulumi.ResourceOptions] = None):
        refusal = kubeconfig_role_refusal(args.name, args.kubeconfig_role_arn,
                                          (*args.admin_role_arns, *args.ci_role_arns))
        if refusal:  # before any resource is registered (the cluster is the stack's first component)
            raise SettingsError([Problem(config_key("eksKubeconfigRoleArn"), refusal, args.kubeconfig_role_arn)])
        super().__init__(name, opts)
        cname = self.cluster_name = args.name
        tags = {"tartware.io/cluster": cname, "tartware.io/environment": args.environment}
        protect = args.protect

        # --- network: 3 AZs, public + private subnets, NAT per AZ in prod ---------------------
        zones = args.availability_zones
        azs = aws.get_availability_zones_output(state="available", opts=pulumi.InvokeOutputOptions(parent=self))

        def zone(i: int) -> pulumi.Output[str]:
            def pick(names: list[str]) -> str:
                if len(names) < zones:
                    raise pulumi.RunError(f"the region offers {len(names)} availability zones; the guide needs {zones}")
                return names[i]
            return azs.names.apply(pick)

        self.vpc = aws.ec2.Vpc(f"{name}-vpc", cidr_block=args.vpc_cidr, enable_dns_hostnames=True,
                               enable_dns_support=True, tags={**tags, "Name": f"{cname}-vpc"}, opts=self.child())
        igw = aws.ec2.InternetGateway(f"{name}-igw", vpc_id=self.vpc.id, tags={**tags, "Name": f"{cname}-igw"},
                                      opts=self.child())
        public_rt = aws.ec2.RouteTable(f"{name}-public", vpc_id=self.vpc.id, tags={**tags, "Name": f"{cname}-public"},
                                       opts=self.child())
        aws.ec2.Route(f"{name}-public-default", route_table_id=public_rt.id, destination_cidr_block="0.0.0.0/0",
                      gateway_id=igw.id, opts=self.child())
        private_cidrs, public_cidrs = subnet_cidrs(args.vpc_cidr, zones)
        self.public_subnets, self.private_subnets, self.nat_gateways = [], [], []
        self.nat_addresses: list[pulumi.Output] = []
        for i in range(zones):
            az = zone(i)
            pub = aws.ec2.Subnet(f"{name}-public-{i}", vpc_id=self.vpc.id, availability_zone=az,
                                 cidr_block=public_cidrs[i], map_public_ip_on_launch=True,
                                 tags={**tags, "Name": f"{cname}-public-{i}", "kubernetes.io/role/elb": "1",
                                       f"kubernetes.io/cluster/{cname}": "shared"},
                                 opts=self.child())
            aws.ec2.RouteTableAssociation(f"{name}-public-{i}", subnet_id=pub.id, route_table_id=public_rt.id,
                                          opts=self.child())
            self.public_subnets.append(pub)
            if args.nat_gateway_per_az or i == 0:
                eip = aws.ec2.Eip(f"{name}-nat-{i}", domain="vpc", tags={**tags, "Name": f"{cname}-nat-{i}"},
                                  opts=self.child())
                self.nat_addresses.append(eip.public_ip)
                self.nat_gateways.append(aws.ec2.NatGateway(
                    f"{name}-nat-{i}", allocation_id=eip.id, subnet_id=pub.id,
                    tags={**tags, "Name": f"{cname}-nat-{i}"}, opts=self.child(depends_on=[igw])))
        for i in range(zones):
            priv = aws.ec2.Subnet(f"{name}-private-{i}", vpc_id=self.vpc.id, availability_zone=zone(i),
                                  cidr_block=private_cidrs[i], map_public_ip_on_launch=False,
                                  tags={**tags, "Name": f"{cname}-private-{i}", "kubernetes.io/role/internal-elb": "1",
                                        f"kubernetes.io/cluster/{cname}": "shared"},
                                  opts=self.child())
            rt = aws.ec2.RouteTable(f"{name}-private-{i}", vpc_id=self.vpc.id,
                                    tags={**tags, "Name": f"{cname}-private-{i}"}, opts=self.child())
            nat = self.nat_gateways[i] if args.nat_gateway_per_az else self.nat_gateways[0]
            aws.ec2.Route(f"{name}-private-{i}-default", route_table_id=rt.id, destination_cidr_block="0.0.0.0/0",
                          nat_gateway_id=nat.id, opts=self.child())
            aws.ec2.RouteTableAssociation(f"{name}-private-{i}", subnet_id=priv.id, route_table_id=rt.id,
                                          opts=self.child())
            self.private_subnets.append(priv)

        # --- control plane ------------------------------------------------------------------
        cluster_role = aws.iam.Role(f"{name}-cluster-role", assume_role_policy=_assume_service("eks.amazonaws.com"),
                                    tags=tags, opts=self.child())
        cluster_policy = aws.iam.RolePolicyAttachment(
            f"{name}-cluster-policy", role=cluster_role.name,
            policy_arn="arn:aws:iam::aws:policy/AmazonEKSClusterPolicy", opts=self.child())
        self.cluster = aws.eks.Cluster(
            f"{name}-eks",
            name=cname,
            role_arn=cluster_role.arn,
            version=args.kubernetes_version,
            vpc_config=aws.eks.ClusterVpcConfigArgs(
                subnet_ids=[s.id for s in self.private_subnets + self.public_subnets],
                endpoint_private_access=True,
                endpoint_public_access=True,
                public_access_cidrs=list(args.public_access_cidrs),
            ),
            enabled_cluster_log_types=CONTROL_PLANE_LOGS,
            access_config=aws.eks.ClusterAccessConfigArgs(authentication_mode="API_AND_CONFIG_MAP",
                                                          bootstrap_cluster_creator_admin_permissions=True),
            upgrade_policy=aws.eks.ClusterUpgradePolicyArgs(support_type=UPGRADE_SUPPORT_TYPE),
            tags=tags,
            opts=self.child(depends_on=[cluster_policy], protect=protect),
        )
        issuer = self.cluster.identities.apply(lambda ids: ids[0].oidcs[0].issuer)
        self.oidc = aws.iam.OpenIdConnectProvider(f"{name}-oidc", url=issuer, client_id_lists=["sts.amazonaws.com"],
                                                  tags=tags, opts=self.child())

        def irsa_role(role_name: str, namespace: str, service_account: str) -> aws.iam.Role:
            trust = pulumi.Output.all(self.oidc.arn, issuer).apply(
                lambda a: _irsa_trust(a[0], a[1], namespace, service_account))
            return aws.iam.Role(f"{name}-{role_name}", assume_role_policy=trust, tags=tags, opts=self.child())

        # --- NetworkPolicy enforcement: the vpc-cni add-on, adopted with policy enforcement on ------
        self.vpc_cni = aws.eks.Addon(
            f"{name}-vpc-cni", cluster_name=self.cluster.name, addon_name="vpc-cni",
            configuration_values=json.dumps(VPC_CNI_CONFIGURATION),
            # EKS installs vpc-cni itself on cluster creation: take it over with our configuration
            resolve_conflicts_on_create="OVERWRITE", resolve_conflicts_on_update="OVERWRITE",
            tags=tags, opts=self.child())

        # --- access entries: admin and CI roles (API_AND_CONFIG_MAP authentication) ---------------
        self.access_entries = {}
        self.access_policies: list[aws.eks.AccessPolicyAssociation] = []
        for kind, arns in (("admin", args.admin_role_arns), ("ci", args.ci_role_arns)):
            for i, arn in enumerate(arns):
                entry = aws.eks.AccessEntry(f"{name}-{kind}-{i}", cluster_name=self.cluster.name, principal_arn=arn,
                                            type="STANDARD", tags=tags, opts=self.child())
                self.access_policies.append(aws.eks.AccessPolicyAssociation(
                    f"{name}-{kind}-{i}", cluster_name=self.cluster.name, principal_arn=entry.principal_arn,
                    policy_arn=CLUSTER_ADMIN_POLICY,
                    access_scope=aws.eks.AccessPolicyAssociationAccessScopeArgs(type="cluster"),
                    opts=self.child()))
                self.access_entries[arn] = entry

        # --- node groups ----------------------------------------------------------------------
        node_role = aws.iam.Role(f"{name}-node-role", assume_role_policy=_assume_service("ec2.amazonaws.com"),
                                 tags=tags, opts=self.child())
        node_policies = [aws.iam.RolePolicyAttachment(f"{name}-node-{k}", role=node_role.name, policy_arn=arn,
                                                      opts=self.child())
                         for k, arn in NODE_POLICIES.items()]
        self.node_groups: dict[str, aws.eks.NodeGroup] = {}
        for p in args.worker_pools:
            for key, group in self._node_groups(name, p, node_role, [*node_policies, self.vpc_cni], tags, zones).items():
                self.node_groups[key] = group

        # --- storage: EBS CSI add-on (IRSA) + a default gp3 StorageClass ---------------------
        ebs_role = irsa_role("ebs-csi", "kube-system", "ebs-csi-controller-sa")
        ebs_policy = aws.iam.RolePolicyAttachment(f"{name}-ebs-csi", role=ebs_role.name, policy_arn=EBS_CSI_POLICY,
                                                  opts=self.child())
        self.ebs_csi = aws.eks.Addon(
            f"{name}-ebs-csi", cluster_name=self.cluster.name, addon_name="aws-ebs-csi-driver",
            service_account_role_arn=ebs_role.arn, configuration_values=json.dumps(EBS_CSI_CONFIGURATION),
            resolve_conflicts_on_create="OVERWRITE",
            resolve_conflicts_on_update="OVERWRITE", tags=tags,
            opts=self.child(depends_on=[ebs_policy, *self.node_groups.values()]))  # the add-on needs nodes

        # --- kubeconfig and the provider handed upward --------------------------------------
        region = aws.get_region_output(opts=pulumi.InvokeOutputOptions(parent=self)).region
        self.kubeconfig = pulumi.Output.secret(pulumi.Output.all(
            self.cluster.name, self.cluster.endpoint, self.cluster.certificate_authority.data, region,
        ).apply(lambda a: _kubeconfig(a, args.kubeconfig_role_arn)))
        # The first Kubernetes call needs nodes (the add-ons' pods) and, when the kubeconfig assumes
        # eksKubeconfigRoleArn (one of the access-entry roles: kubeconfig_role_refusal), that role's
        # access: an AccessEntry grants nothing until its AccessPolicyAssociation exists.
        self.provider = workload_provider(self, name, self.kubeconfig, cluster_identifier("eks", cname),
                                          depends_on=[*self.node_groups.values(), *self.access_policies])
        self.storage_class = k8s.storage.v1.StorageClass(
            f"{name}-gp3",
            metadata=k8s.meta.v1.ObjectMetaArgs(name="gp3", annotations={
                "storageclass.kubernetes.io/is-default-class": "true"}),
            provisioner="ebs.csi.aws.com",
            parameters={"type": "gp3", "encrypted": "true"},
            volume_binding_mode="WaitForFirstConsumer",
            allow_volume_expansion=True,
            # Prod keeps the EBS volume (and its data) when a PVC or the whole stack is deleted.
            reclaim_policy="Retain" if protect else "Delete",
            opts=self.child(self.provider, depends_on=[self.ebs_csi]),
        )

        # --- cluster autoscaler (IRSA + auto-discovery of the node groups' ASGs) -------------
        self.autoscaler = None
        if args.autoscaler and autoscaled(args.worker_pools):
            ca_role = irsa_role("cluster-autoscaler", AUTOSCALER_NAMESPACE, AUTOSCALER_SERVICE_ACCOUNT)
            ca_policy = aws.iam.RolePolicy(f"{name}-cluster-autoscaler", role=ca_role.id, policy=json.dumps({
                "Version": "2012-10-17",
                "Statement": [{"Effect": "Allow", "Action": AUTOSCALER_ACTIONS, "Resource": ["*"]}]}),
                opts=self.child())
            # EKS tags managed node groups' ASGs with k8s.io/cluster-autoscaler/enabled and
            # k8s.io/cluster-autoscaler/<cluster> (awsdocs managed-node-groups), so auto-discovery
            # finds them and reads each ASG's min/max = the pool's minNodes/maxNodes.
            self.autoscaler = autoscaler_release(self, name, self.provider, args, {
                "cloudProvider": "aws",
                "awsRegion": region,
                "autoDiscovery": {"clusterName": self.cluster.name},
                "rbac": {"serviceAccount": {"name": AUTOSCALER_SERVICE_ACCOUNT,
                                            "annotations": {"eks.amazonaws.com/role-arn": ca_role.arn}}},
            }, depends_on=[ca_policy])

        self.handle = ClusterHandle(
            provider=self.provider,
            name=self.cluster.name,
            target="eks",
            kubeconfig=self.kubeconfig,
            resources=[self.cluster],
            kubernetes_version=args.kubernetes_version,
            exports={"kubeconfig": self.kubeconfig, "clusterEndpoint": self.cluster.endpoint,
                     "nodePools": pool_summary(args.node_pools)},
            egress_addresses=tuple(self.nat_addresses),
            volumes=(self.storage_class,),  # the default class, created once the EBS CSI add-on is active
        )
        self.register_outputs({"clusterName": self.cluster.name, "endpoint": self.cluster.endpoint,
                               "kubeconfig": self.kubeconfig, "oidcProviderArn": self.oidc.arn})

    def _node_groups(self, name: str, pool: NodeGroupArgs, role: aws.iam.Role, depends_on: list, tags: dict,
                     zones: int) -> dict[str, aws.eks.NodeGroup]:
        """The pool's managed node groups: one across the private subnets, or, for a pool whose pods
        use zonal EBS volumes (``pool.per_zone``: the memory pool of the data tier), one per
        availability zone. A volume lives in one zone; with one group spanning three, a pending pod
        whose volume is in zone a can make the autoscaler add a node in zone b, where it still cannot
        run. kubernetes/autoscaler@cluster-autoscaler-chart-9.59.0 cluster-autoscaler/cloudprovider/aws/
        README.md ("Common Notes and Gotchas": an ASG per AZ with --balance-similar-node-groups, which
        components/clusters/common.py sets). Sizes are split so the zones add up to at least the pool's."""
        if not pool.per_zone:
            return {pool.name: self._node_group(f"{name}-{pool.name}", f"{pool.name}-", pool,
                                                pool.min_nodes, pool.max_nodes, self.private_subnets, role,
                                                depends_on, tags)}
        return {f"{pool.name}-{i}": self._node_group(
            f"{name}-{pool.name}-{i}", f"{pool.name}-{i}-", pool, -(-pool.min_nodes // zones),
            -(-pool.max_nodes // zones), [self.private_subnets[i]], role, depends_on, tags)
            for i in range(zones)}

    def _node_group(self, resource: str, prefix: str, pool: NodeGroupArgs, min_nodes: int, max_nodes: int,
                    subnets: list, role: aws.iam.Role, depends_on: list, tags: dict) -> aws.eks.NodeGroup:
        """A managed node group that can be replaced and resized safely.

        * Named by prefix (``node_group_name_prefix``): a change that forces a new group (capacity
          type, instance types, disk size, subnets: ForceNew in hashicorp/terraform-provider-aws v6
          (>= v6.54.0, what pulumi-aws 7.51.1 bridges: tools/conformance/day2.py TF_AWS)
          internal/service/eks/node_group.go) creates the new group under
          a fresh name before the old one is drained and deleted (Pulumi's default create-before-delete),
          instead of colliding with a fixed name (pulumi-aws NodeGroup ``nodeGroupNamePrefix``).
        * ``minSize``/``maxSize`` change in place (UpdateNodegroupConfig: node_group.go
          resourceNodeGroupUpdate), which always sends ``desiredSize`` too. ``desiredSize`` belongs to
          the cluster autoscaler: Pulumi's ignoreChanges would send the value recorded at creation
          (pulumi/pulumi@v3.259.0 pkg/resource/deploy/step_generator.go processIgnoreChanges: ignored
          properties take their old *inputs*), which EKS refuses under a raised minimum ("Minimum
          capacity X can't be greater than desired size Y") and which would shrink a scaled-out group.
          So the group's live state is read first (``live_scaling``): unchanged bounds keep desiredSize
          ignored; changed bounds send the live size kept inside them, so nothing scales but what the
          new bounds require; a change that replaces the group (instance types, capacity type, disk)
          starts the new group at the live size too, so the pool keeps its capacity while the old group
          drains.
        * ``version`` follows the control plane, so a control-plane upgrade rolls the nodes after it.
        """
        taints = [aws.eks.NodeGroupTaintArgs(key=k, value=v or None, effect=TAINT_EFFECTS[e])
                  for k, v, e in map(parse_taint, pool.taints)]
        live = live_scaling(self.cluster_name, prefix)
        desired, ignore = min_nodes, ["scalingConfig.desiredSize"]
        capacity = "SPOT" if pool.spot else "ON_DEMAND"
        if live is not None and (live.bounds != (min_nodes, max_nodes)
                                 or live.replaced_by(pool.instance_types, capacity, pool.disk_gib)):
            desired, ignore = min(max(live.desired, min_nodes), max_nodes), []
        return aws.eks.NodeGroup(
            resource,
            cluster_name=self.cluster.name,
            node_group_name_prefix=prefix,
            version=self.cluster.version,
            node_role_arn=role.arn,
            subnet_ids=[s.id for s in subnets],
            scaling_config=aws.eks.NodeGroupScalingConfigArgs(min_size=min_nodes, max_size=max_nodes,
                                                              desired_size=desired),
            instance_types=list(pool.instance_types),
            capacity_type=capacity,
            disk_size=pool.disk_gib,
            labels=dict(pool.labels),
            taints=taints,
            update_config=aws.eks.NodeGroupUpdateConfigArgs(max_unavailable_percentage=25),
            tags={**tags, "tartware.io/pool": pool.name},
            # the cluster autoscaler owns the desired size (Pulumi property paths are camelCase)
            opts=self.child(depends_on=depends_on, ignore_changes=ignore),
        )


def kubeconfig_role_refusal(cluster: str, role: Optional[str], granted: tuple[str, ...]) -> Optional[str]:
    """Why the kubeconfig role (eksKubeconfigRoleArn) would be Unauthorized, or None when it has access.

    The exported kubeconfig and the stack's own Kubernetes provider assume the role, and a role gets
    access only through an access entry (docs.aws.amazon.com/eks/latest/userguide/access-entries.html):
    those of eksAdminRoleArns/eksCiRoleArns, or the one EKS gives the cluster's creator
    (``bootstrapClusterCreatorAdminPermissions``), which must not be listed again (a second entry for the
    same principal is refused). So an unlisted role passes only as the creator: on the first run the
    identity running Pulumi (pulumi-aws getCallerIdentity + iam.getSessionContext, whose issuerArn is
    the role behind an assumed-role session), later one whose access entry exists (eks.getAccessEntry).
    """
    if not role or role in granted:
        return None
    if cluster in (aws.eks.get_clusters().names or []):
        try:
            aws.eks.get_access_entry(cluster_name=cluster, principal_arn=role)
            return None
        except Exception:  # the lookup fails when the cluster has no entry for that principal
            pass
    else:
        caller = aws.get_caller_identity()
        if aws.iam.get_session_context(arn=caller.arn).issuer_arn == role:
            return None  # the creator: EKS gives it an access entry itself
    allowed = ", ".join(granted) if granted else "none listed yet"
    return ("has no access entry on the cluster: list it in eksAdminRoleArns or eksCiRoleArns (allowed now: "
            f"{allowed}), or run the first `pulumi up` as that role (the cluster's creator), or leave "
            "eksKubeconfigRoleArn empty to use the identity running pulumi")


# The suffix terraform-plugin-sdk appends to a name prefix (helper/id PrefixedUniqueId:
# UniqueIDSuffixLength 26, a timestamp and a counter in hexadecimal digits).
NAME_SUFFIX = r"[0-9a-f]{26}"


@dataclass(frozen=True)
class LiveGroup:
    """A node group as EKS describes it now."""

    desired: int
    bounds: tuple[int, int]  # minSize, maxSize
    instance_types: tuple[str, ...]
    capacity_type: str
    disk_size: int

    def replaced_by(self, instance_types: tuple[str, ...], capacity_type: str, disk_size: int) -> bool:
        """Whether these values force a new group (ForceNew in node_group.go)."""
        return (tuple(instance_types), capacity_type, disk_size) != (self.instance_types, self.capacity_type,
                                                                      self.disk_size)


def live_scaling(cluster: str, prefix: str) -> Optional[LiveGroup]:
    """The existing node group named ``<prefix><suffix>`` of ``cluster``, or None before the cluster or
    the group exists (the first `pulumi up`). Read with the EKS API at preview and update time
    (pulumi-aws eks.getClusters/getNodeGroups/getNodeGroup); the largest group wins while a
    replacement briefly runs two."""
    clusters = aws.eks.get_clusters().names or []
    if cluster not in clusters:
        return None
    pattern = re.compile(re.escape(prefix) + NAME_SUFFIX + "$")
    found = []
    for name in aws.eks.get_node_groups(cluster_name=cluster).names or []:
        if not pattern.match(name):
            continue
        group = aws.eks.get_node_group(cluster_name=cluster, node_group_name=name)
        config = (group.scaling_configs or [None])[0]
        if config is not None:
            found.append(LiveGroup(config.desired_size, (config.min_size, config.max_size),
                                   tuple(group.instance_types or ()), group.capacity_type, group.disk_size))
    return max(found, key=lambda g: g.desired) if found else None
