"""clusterTarget=eks: AWS EKS built with plain pulumi-aws (VPC over three zones, the control plane,
managed node groups, one of them Spot). Its keys, their checks, its settings and args, its pool
defaults and the offline mocks' answers for the AWS resources it makes (components/clusters/eks.py).
"""

from __future__ import annotations

import dataclasses
import datetime
import ipaddress
import zlib
from dataclasses import dataclass
from typing import Annotated, Any, ClassVar, Mapping, Optional

from pydantic import Field

from ..errors import key
from ..nodes import SPOT_POOL, WORKER_POOLS, PoolDefaults, memory_pool
from ..schema import BuildContext, Setting, SettingsModel, env_default, hint
from .base import (
    MIN_KUBERNETES_MINOR,
    ArgsContext,
    ClusterArgs,
    ClusterSettings,
    Family,
    Pools,
    Target,
    VmPoolArgs,
    foreign,
    pool_args,
)

# EKS: 1.28 can no longer be created (end of extended support 2025-11-26); 1.35 is in standard
# support until 2027-03-27. Source: docs.aws.amazon.com/eks/latest/userguide/kubernetes-versions.html
DEFAULT_EKS_VERSION = "1.35"
# End of EKS extended support: after this date EKS refuses to create the version (same source).
EKS_END_OF_EXTENDED_SUPPORT = {
    28: datetime.date(2025, 11, 26),
    29: datetime.date(2026, 3, 23),
    30: datetime.date(2026, 7, 23),
    31: datetime.date(2026, 11, 26),
    32: datetime.date(2027, 3, 23),
    33: datetime.date(2027, 7, 29),
    34: datetime.date(2027, 12, 2),
    35: datetime.date(2028, 3, 27),
}

DECLARED: tuple[Setting, ...] = (
    Setting("kubernetesVersion", "string",
            f"EKS Kubernetes version (1.<minor>, at least 1.{MIN_KUBERNETES_MINOR}). Unset: {DEFAULT_EKS_VERSION}.",
            example=f"an EKS version such as '{DEFAULT_EKS_VERSION}' (1.<minor>)"),
    Setting("vpcCidr", "string",
            "EKS: the VPC's IPv4 CIDR (a /16 is split into 3 private /18 and 3 public /20).",
            "10.0.0.0/16", example="an IPv4 /16 CIDR such as '10.0.0.0/16'"),
    Setting("natGatewayPerAz", "boolean",
            "EKS: one NAT gateway per availability zone (false: one shared NAT).",
            per_env=(False, True)),
    Setting("eksPublicAccessCidrs", "array",
            "EKS: CIDRs allowed to reach the public API endpoint. Empty: 0.0.0.0/0 outside prod; prod must list them.",
            [], items="string", example="IPv4 CIDRs such as '203.0.113.0/24'"),
    Setting("eksAdminRoleArns", "array",
            "EKS: IAM role ARNs given cluster-admin through an access entry (AmazonEKSClusterAdminPolicy).",
            [], items="string", example="IAM role ARNs such as 'arn:aws:iam::123456789012:role/platform-admin'"),
    Setting("eksCiRoleArns", "array",
            "EKS: IAM role ARNs of CI/CD given cluster-admin through an access entry (Pulumi installs cluster-scoped "
            "objects).",
            [], items="string", example="IAM role ARNs such as 'arn:aws:iam::123456789012:role/github-deploy'"),
    Setting("eksKubeconfigRoleArn", "string",
            "EKS: IAM role ARN the exported kubeconfig assumes (aws eks get-token --role-arn). Empty: the caller's "
            "own identity.",
            "", example="an IAM role ARN such as 'arn:aws:iam::123456789012:role/platform-admin'"),
)
hint("instanceTypes", "EC2 instance types such as 'c6i.4xlarge'")  # nodePools.<pool>.instanceTypes

PATTERN_HINT_CIDRS = "IPv4 CIDRs such as '203.0.113.0/24'"
# IAM role ARN (docs.aws.amazon.com/IAM/latest/UserGuide/reference_identifiers.html#identifiers-arns):
# arn:<partition>:iam::<12-digit account>:role/<optional path/><name of [\w+=,.@-]>
RoleArn = Annotated[str, Field(pattern=r"^arn:aws(-cn|-us-gov)?:iam::\d{12}:role/[A-Za-z0-9+=,.@_/-]{1,512}$")]


class EksInput(SettingsModel):
    kubernetes_version: Optional[Annotated[str, Field(pattern=r"^1\.\d{1,2}$")]] = None
    vpc_cidr: Annotated[str, Field(pattern=r"^(\d{1,3}\.){3}\d{1,3}/16$")]
    nat_gateway_per_az: Optional[bool] = None
    eks_public_access_cidrs: tuple[Annotated[str, Field(pattern=r"^(\d{1,3}\.){3}\d{1,3}/\d{1,2}$")], ...] = ()
    eks_admin_role_arns: tuple[RoleArn, ...] = ()
    eks_ci_role_arns: tuple[RoleArn, ...] = ()
    eks_kubeconfig_role_arn: Optional[RoleArn] = None


# ---------------------------------------------------------------- checks


def _refuse(stage: str, inp: Any, ctx: BuildContext, target: Target, owners: tuple[str, ...]) -> None:
    only = f"applies to clusterTarget={' or '.join(owners)} only"
    if stage == "versions" and inp.kubernetes_version is not None:
        ctx.problems.add(key("kubernetesVersion"), only + target.version_hint, inp.kubernetes_version)
    if stage == "access":
        foreign(ctx.problems, (("eksPublicAccessCidrs", inp.eks_public_access_cidrs),
                               ("eksAdminRoleArns", inp.eks_admin_role_arns),
                               ("eksCiRoleArns", inp.eks_ci_role_arns),
                               ("eksKubeconfigRoleArn", inp.eks_kubeconfig_role_arn)), only)


def _check(stage: str, inp: Any, ctx: BuildContext, today: datetime.date) -> dict[str, Any]:
    if stage == "versions":
        return {"kubernetes_version": _check_version(inp, ctx, today)}
    if stage == "access":
        return {"public_access_cidrs": _check_access(inp, ctx), "vpc_cidr": inp.vpc_cidr,
                "nat_gateway_per_az": (inp.nat_gateway_per_az if inp.nat_gateway_per_az is not None
                                       else env_default(DECLARED, "natGatewayPerAz", ctx.is_prod)),
                "admin_role_arns": tuple(inp.eks_admin_role_arns), "ci_role_arns": tuple(inp.eks_ci_role_arns),
                "kubeconfig_role_arn": inp.eks_kubeconfig_role_arn}
    return {}


def _check_version(inp: Any, ctx: BuildContext, today: datetime.date) -> str:
    problems = ctx.problems
    eks_version = inp.kubernetes_version or DEFAULT_EKS_VERSION
    minor = int(eks_version.split(".")[1])
    if minor < MIN_KUBERNETES_MINOR:
        problems.add(key("kubernetesVersion"), f"below the guide's floor 1.{MIN_KUBERNETES_MINOR}; allowed: "
                                               f"1.{MIN_KUBERNETES_MINOR} or newer (default {DEFAULT_EKS_VERSION})",
                                               eks_version)
    elif minor in EKS_END_OF_EXTENDED_SUPPORT and today > EKS_END_OF_EXTENDED_SUPPORT[minor]:
        creatable = sorted(m for m, end in EKS_END_OF_EXTENDED_SUPPORT.items() if today <= end)
        problems.add(key("kubernetesVersion"),
                     f"EKS no longer creates 1.{minor} clusters (extended support ended "
                     f"{EKS_END_OF_EXTENDED_SUPPORT[minor]}); "
                     f"allowed: {', '.join(f'1.{m}' for m in creatable)} or newer (default {DEFAULT_EKS_VERSION})",
                     eks_version)
    return eks_version


def _check_access(inp: Any, ctx: BuildContext) -> tuple[str, ...]:
    """Public endpoint CIDRs (open in dev, listed in prod)."""
    problems = ctx.problems
    for text in inp.eks_public_access_cidrs:
        try:
            ipaddress.IPv4Network(text, strict=True)
        except ValueError as exc:
            problems.add(key("eksPublicAccessCidrs"),
                         f"not an IPv4 network ({exc}); expected {PATTERN_HINT_CIDRS}", text)
    if inp.eks_public_access_cidrs:
        return tuple(inp.eks_public_access_cidrs)
    if ctx.is_prod:
        problems.add(key("eksPublicAccessCidrs"),
                     "required in prod: the public API endpoint is closed until you list who may reach it "
                     f"(your VPN/office egress, the CI runners); expected {PATTERN_HINT_CIDRS} "
                     "(0.0.0.0/0 only if you list it yourself)")
    return ("0.0.0.0/0",)


# ---------------------------------------------------------------- offline mocks (tools/offline.py)

REGION = "eu-west-1"
ACCOUNT = "123456789012"


def _mock_outputs(typ: str, name: str, inputs: Mapping[str, Any]) -> dict[str, Any]:
    if typ == "aws:eks/cluster:Cluster":
        return dict(
            endpoint=f"https://{name.upper()}.gr7.{REGION}.eks.amazonaws.com",
            certificateAuthority={"data": "LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0tCg=="},
            identities=[{"oidcs": [{"issuer": f"https://oidc.eks.{REGION}.amazonaws.com/id/MOCK{name.upper()}"}]}],
            status="ACTIVE",
        )
    if typ == "aws:ec2/eip:Eip":  # an address of TEST-NET-2 (RFC 5737), one per Elastic IP
        return {"publicIp": f"198.51.100.{zlib.crc32(name.encode()) % 250 + 1}"}
    if typ == "aws:eks/nodeGroup:NodeGroup":
        return {"resources": [{"autoscalingGroups": [{"name": f"eks-{name}-asg"}]}]}
    return {}


def _mock_call(token: str, args: Mapping[str, Any]) -> Optional[dict[str, Any]]:
    if token == "aws:index/getAvailabilityZones:getAvailabilityZones":
        return {"names": [f"{REGION}a", f"{REGION}b", f"{REGION}c"],
                "zoneIds": ["euw1-az1", "euw1-az2", "euw1-az3"], "id": REGION, "state": "available"}
    if token == "aws:index/getRegion:getRegion":
        return {"region": REGION, "name": REGION, "id": REGION}
    if token == "aws:index/getCallerIdentity:getCallerIdentity":
        return {"accountId": ACCOUNT, "arn": f"arn:aws:iam::{ACCOUNT}:user/mock", "userId": "MOCK", "id": ACCOUNT}
    return None


def _prepare(raw: dict[str, Any]) -> None:
    if raw.get("eksKubeconfigRoleArn") == "":
        raw.pop("eksKubeconfigRoleArn")  # the declared default: no role


FAMILY = Family("eks", DECLARED, EksInput, _refuse, _check, prepare=_prepare, mock_outputs=_mock_outputs,
                mock_call=_mock_call)


# ---------------------------------------------------------------- settings and args


@dataclass(frozen=True, kw_only=True)
class EksSettings(ClusterSettings):
    kubernetes_version: str  # "1.35"
    vpc_cidr: str = "10.0.0.0/16"
    availability_zones: int = 3
    nat_gateway_per_az: bool = True
    public_access_cidrs: tuple[str, ...] = ("0.0.0.0/0",)
    admin_role_arns: tuple[str, ...] = ()  # access entries
    ci_role_arns: tuple[str, ...] = ()
    kubeconfig_role_arn: Optional[str] = None

    @property
    def kubernetes_minor(self) -> Optional[str]:
        return self.kubernetes_version


@dataclass(frozen=True)
class NodeGroupArgs(VmPoolArgs):
    """An EKS managed node group: with its instance types and capacity type."""

    instance_types: tuple[str, ...]
    spot: bool
    # one managed node group per availability zone: the pool the data tier's zonal volumes live on
    per_zone: bool = False


@dataclass(frozen=True)
class EksClusterArgs(ClusterArgs, Pools):
    name: str
    environment: str  # the environment tag
    protect: bool
    kubernetes_version: str  # "1.35"
    node_pools: tuple[NodeGroupArgs, ...]
    autoscaler: bool
    vpc_cidr: str
    availability_zones: int
    nat_gateway_per_az: bool
    public_access_cidrs: tuple[str, ...]
    admin_role_arns: tuple[str, ...]  # access entries
    ci_role_arns: tuple[str, ...]
    kubeconfig_role_arn: Optional[str]
    TARGET: ClassVar[str] = "eks"

    @property
    def kubernetes_minor(self) -> str:
        return self.kubernetes_version


def cluster_args(c: EksSettings, ctx: ArgsContext) -> EksClusterArgs:
    """The memory pool is one node group per zone (its volumes are zonal)."""
    memory = getattr(memory_pool(c.node_pools), "name", None)
    return EksClusterArgs(
        name=c.name, environment=c.environment, protect=ctx.protect, kubernetes_version=c.kubernetes_version,
        node_pools=tuple(dataclasses.replace(g, per_zone=g.name == memory)
                         for g in pool_args(NodeGroupArgs, c.node_pools)),
        autoscaler=c.autoscaler, vpc_cidr=c.vpc_cidr,
        availability_zones=c.availability_zones, nat_gateway_per_az=c.nat_gateway_per_az,
        public_access_cidrs=c.public_access_cidrs, admin_role_arns=c.admin_role_arns,
        ci_role_arns=c.ci_role_arns, kubeconfig_role_arn=c.kubeconfig_role_arn)


# ---------------------------------------------------------------- the target

# The guide's numbers in prod: compute 5-100 nodes; memory 3-50 nodes (sizes from the instance
# types, settings/nodes.py INSTANCE_TYPES).
# The spot pool: three instance types of one size (8 vCPU / 16 GiB), so the pool draws on
# several Spot capacity pools and the autoscaler's node template still holds for each (AWS EKS
# managed node groups, "Capacity types": "specify multiple instance types ... same amount of vCPU
# and memory"). 3-6 nodes: one per availability zone at least; at most twice what the default
# spotServices request at maxReplicas (3 x 15 pods x 200m/256Mi + sidecars = 13.5 cores / 16.9 GiB,
# 3 such nodes after DaemonSets and headroom), since Spot capacity may be short in one zone.
SPOT_TYPES = ("c6i.2xlarge", "c6a.2xlarge", "c7i.2xlarge")
SPOT_DEV = PoolDefaults(1, 3, disk_gib=50, instance_types=("c6i.large", "c6a.large", "c7i.large"))

TARGET = Target(
    name=EksClusterArgs.TARGET,
    summary="eks",
    families=(FAMILY,),
    settings=EksSettings,
    args=cluster_args,
    pools=WORKER_POOLS + (SPOT_POOL,),
    prod_pools={"compute": PoolDefaults(5, 100, instance_types=("c6i.4xlarge",)),
                "memory": PoolDefaults(3, 50, instance_types=("r6i.2xlarge",)),
                SPOT_POOL: PoolDefaults(3, 6, instance_types=SPOT_TYPES)},
    dev_pools={"compute": PoolDefaults(1, 3, disk_gib=50, instance_types=("c6i.xlarge",)),
               "memory": PoolDefaults(1, 2, disk_gib=50, instance_types=("r6i.large",))},
    declared_pool_defaults={SPOT_POOL: SPOT_DEV},  # declared outside prod: small defaults
    instance_types=True,
    spot_pool=True,
    pool_note={"controlPlane": " (EKS runs the control plane)"},
    version_key="kubernetesVersion",
    # the AWS cloud provider gives LoadBalancer Services a Classic Load Balancer (docs/platform.md)
    default_load_balancer="cloud",
    on_aws=True,
    environment_load_balancer=True,
)
