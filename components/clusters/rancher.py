"""Rancher: the management API provider, optionally Rancher itself, and Rancher-side helpers.

Two ways to reach Rancher (docs/clusters.md, "Rancher"):

* given: ``rancherApiUrl`` + ``rancherToken`` (secret) -> ``rancher2.Provider``.
* installed here (``rancherInstall=true``): cert-manager and the Rancher chart on the management
  cluster (``rancherKubeconfig``/``rancherKubeContext``), a generated bootstrap password (never
  ``admin``), then ``rancher2.Provider(bootstrap=True)`` + ``rancher2.Bootstrap`` (which sets a
  generated admin password and returns an API token) and an admin ``rancher2.Provider`` built from
  that token. All in one ``pulumi up``, provided ``https://<rancherHostname>`` resolves to the
  management cluster's ingress from where ``pulumi up`` runs (see the docs for the two-stack flow).
"""

from __future__ import annotations

import hashlib
from typing import Optional, Sequence

import pulumi
import pulumi_kubernetes as k8s
import pulumi_random as random
import pulumi_rancher2 as rancher2
import yaml

from facts import versions

from ..base import TartwareComponent
from settings.targets.base import PoolArgs
from settings.targets.rancher import EtcdOffsiteArgs, RancherClusterArgs, RancherServerArgs
from settings.targets.vsphere import VsphereClusterArgs
from components.handles import ClusterHandle
from .common import CURRENT_CONTEXT, autoscaler_release, cluster_identifier, current_context_warning, parse_taint, pool_summary

RANCHER_NAMESPACE = "cattle-system"  # the chart requires it
CERT_MANAGER_NAMESPACE = "cert-manager"
FLEET_NAMESPACE = "fleet-default"
# kubernetes/autoscaler cloudprovider/rancher/README.md: min/max per machine pool are read from
# machineDeploymentAnnotations = ClusterV2RkeConfigMachinePoolArgs.annotations (pulumi-rancher2 13.0.1).
AUTOSCALER_MIN = "cluster.provisioning.cattle.io/autoscaler-min-size"
AUTOSCALER_MAX = "cluster.provisioning.cattle.io/autoscaler-max-size"
AUTOSCALER_CLOUD_CONFIG_SECRET = "cluster-autoscaler-rancher"
AUTOSCALER_CONFIG_DIR = "/config"
# Rancher clamps token lifetimes to auth-token-max-ttl-minutes (default 129600 = 90 days); asking
# for exactly that keeps the token valid as long as Rancher allows; then it is renewed on refresh.
AUTOSCALER_TOKEN_TTL_MINUTES = 129600
# What the Rancher cloud provider does with the Rancher API (kubernetes/autoscaler@
# cluster-autoscaler-chart-9.59.0 cluster-autoscaler/cloudprovider/rancher/README.md "Permissions":
# get/update clusters.provisioning.cattle.io, list machines.cluster.x-k8s.io in the cluster's
# namespace; rancher_nodegroup.go markMachineForDeletion also gets and updates a machine to annotate
# it for deletion). Granted through a GlobalRole (autoscaler_identity).
AUTOSCALER_RULES = (
    ("provisioning.cattle.io", "clusters", ("get", "update"), True),  # only this stack's cluster
    ("cluster.x-k8s.io", "machines", ("get", "list", "update"), False),
)
# RKE2 server config (rancher/rke2-docs docs/reference/server_config.md): `disable` lists packaged
# components not to deploy — rke2-ingress-nginx would own IngressClass `nginx`, which our
# ingress-nginx release creates; `ingress-controller: none` is the same for RKE2 releases that
# choose the ingress controller with that key (docs/networking/networking_services.md).
RKE2_DISABLED = ("rke2-ingress-nginx",)


class RancherServer(TartwareComponent):
    """Rancher (and its cert-manager) installed onto a management cluster, bootstrapped."""

    AREA = "cluster"

    def __init__(self, name: str, args: RancherServerArgs, opts: Optional[pulumi.ResourceOptions] = None):
        super().__init__(name, opts)
        args = rs = args
        self.hostname = args.hostname
        self.url = f"https://{self.hostname}"
        if not rs.context:
            pulumi.log.warn(current_context_warning("rancherKubeContext"), resource=self)
        self.management = k8s.Provider(f"{name}-management-k8s", kubeconfig=rs.kubeconfig,
                                       context=rs.context or None, enable_server_side_apply=True,
                                       cluster_identifier=cluster_identifier(
                                           "rancher-management", rs.context or CURRENT_CONTEXT),
                                       opts=self.child())
        cm = versions.RANCHER_CERT_MANAGER
        self.cert_manager = k8s.helm.v3.Release(
            f"{name}-cert-manager", name="cert-manager", chart=cm.chart, version=cm.version,
            namespace=CERT_MANAGER_NAMESPACE, create_namespace=True,
            repository_opts=k8s.helm.v3.RepositoryOptsArgs(repo=cm.repo),
            values={"crds": {"enabled": True}},  # cert-manager >= 1.15: crds.enabled (charts.md)
            opts=self.child(self.management))
        # Generated, never the guide's "admin"; Rancher reads it once (chart value bootstrapPassword)
        self.bootstrap_password = random.RandomPassword(f"{name}-bootstrap-password", length=32, special=False,
                                                        opts=self.child(protect=args.protect))
        self.admin_password = random.RandomPassword(f"{name}-admin-password", length=32, special=False,
                                                    opts=self.child(protect=args.protect))
        chart = versions.RANCHER
        self.release = k8s.helm.v3.Release(
            f"{name}-rancher", name="rancher", chart=chart.chart, version=rs.version,
            namespace=RANCHER_NAMESPACE, create_namespace=True,
            repository_opts=k8s.helm.v3.RepositoryOptsArgs(repo=chart.repo),
            values={
                "hostname": self.hostname,
                "bootstrapPassword": self.bootstrap_password.result,  # secret: the values become secret
                "replicas": rs.replicas,
                "ingress": {"tls": {"source": "rancher"}},  # Rancher-generated CA via cert-manager
            },
            timeout=1200,
            opts=self.child(self.management, depends_on=[self.cert_manager], protect=args.protect))
        bootstrap_provider = rancher2.Provider(
            f"{name}-bootstrap", api_url=self.url, bootstrap=True, insecure=rs.insecure, timeout="300s",
            opts=self.child(depends_on=[self.release]))
        self.bootstrap = rancher2.Bootstrap(
            f"{name}-bootstrap", initial_password=self.bootstrap_password.result,
            password=self.admin_password.result, token_ttl=0,
            opts=self.child(bootstrap_provider, protect=args.protect))
        self.token = pulumi.Output.secret(self.bootstrap.token)
        self.register_outputs({"hostname": self.hostname, "url": self.bootstrap.url})


def rancher_provider(component: TartwareComponent, name: str, args: RancherClusterArgs
                     ) -> tuple[rancher2.Provider, Optional[RancherServer], str, pulumi.Output]:
    """(admin provider, the installed server or None, API URL, API token (secret))."""
    rs = args.rancher
    server = None
    if rs.server is not None:
        server = RancherServer(f"{name}-rancher", rs.server, opts=pulumi.ResourceOptions(parent=component))
        url: pulumi.Input[str] = server.bootstrap.url
        token = server.token
        api_url = server.url
    else:
        url = rs.api_url
        token = rs.token
        api_url = rs.api_url
    provider = rancher2.Provider(f"{name}-rancher-api", api_url=url, token_key=token, insecure=rs.insecure,
                                 timeout="300s", opts=component.child())
    return provider, server, api_url, token


def machine_global_config(cloud_provider: Optional[str] = None) -> str:
    """RKE2 config shared by every node: CNI, no bundled ingress controller, the cloud provider."""
    config: dict = {"cni": "canal", "disable": list(RKE2_DISABLED), "ingress-controller": "none"}
    if cloud_provider:
        config["cloud-provider-name"] = cloud_provider
    return yaml.safe_dump(config, sort_keys=False)


def rancher_ca(component: TartwareComponent, rancher: rancher2.Provider) -> pulumi.Output[str]:
    """Rancher's private CA (its ``cacerts`` setting; empty when Rancher uses a public CA)."""
    setting = rancher2.get_setting_output(name="cacerts",
                                          opts=pulumi.InvokeOutputOptions(parent=component, provider=rancher))
    return setting.value.apply(lambda v: (v or "").strip())


def ca_checksum(ca_pem: str) -> str:
    """What Rancher appends as ``--ca-checksum``: the SHA-256 of its cacerts setting
    (rancher/rancher pkg/api/norman/customization/clusterregistrationtokens formatter and test)."""
    return hashlib.sha256(ca_pem.encode()).hexdigest()


CA_FILE_ON_NODE = "/etc/rancher/rancher-ca.pem"


def command_with_ca(node_command: str, ca_pem: str) -> str:
    """Rancher's registration command, verifying Rancher with its private CA instead of failing.

    Rancher's ``nodeCommand`` downloads the installer with ``curl -fL https://<rancher>/...``, which
    fails against a private CA; ``insecureNodeCommand`` skips verification. With a private CA we
    write it to the node first and hand it to curl (``--cacert``); the installer itself checks the
    CA against ``--ca-checksum``.
    """
    if not ca_pem:
        return node_command
    command = node_command.replace("curl --insecure ", "curl ", 1).replace("curl ", f"curl --cacert {CA_FILE_ON_NODE} ", 1)
    if "--ca-checksum" not in command:
        command += f" --ca-checksum {ca_checksum(ca_pem)}"
    pem = ca_pem.replace("'", "")
    return (f"sudo mkdir -p /etc/rancher && printf '%s\\n' '{pem}' | sudo tee {CA_FILE_ON_NODE} >/dev/null && "
            f"{command}")


def etcd_s3_endpoint(offsite: EtcdOffsiteArgs) -> str:
    """RKE2's etcd-s3-endpoint is a host[:port] without scheme (default s3.amazonaws.com): HTTPS unless
    ``etcd-s3-insecure`` (rancher/rke2-docs docs/datastore/backup_restore.md, "S3 Compatible API Support")."""
    if offsite.endpoint:
        return offsite.endpoint.split("://", 1)[-1]
    return f"s3.{offsite.region}.amazonaws.com"


def etcd_args(args: RancherClusterArgs, component: Optional[TartwareComponent] = None,
              rancher: Optional[rancher2.Provider] = None, name: str = "") -> rancher2.ClusterV2RkeConfigEtcdArgs:
    """Snapshot schedule and retention; with an off-site target (``args.etcd_offsite``), the
    snapshots also go to its bucket under <prefix>/etcd, with the same retention, through a Rancher
    S3 cloud credential holding the access keys (pulumi-rancher2 13.0.1: CloudCredential
    s3_credential_config, ClusterV2RkeConfigEtcdS3ConfigArgs bucket/endpoint/cloud_credential_name/
    folder/region/retention; the provider's "Customize the ETCD snapshot feature" example passes
    the credential's id as cloud_credential_name)."""
    s3 = None
    offsite = args.etcd_offsite
    if offsite is not None and component is not None:
        credential = rancher2.CloudCredential(
            f"{name}-etcd-s3-credential", name=f"{args.name}-etcd-s3",
            description="etcd snapshots to the off-site backup bucket",
            s3_credential_config=rancher2.CloudCredentialS3CredentialConfigArgs(
                access_key=offsite.access_key_id, secret_key=offsite.secret_access_key,
                default_bucket=offsite.bucket, default_region=offsite.region),
            opts=component.child(rancher))
        s3 = rancher2.ClusterV2RkeConfigEtcdS3ConfigArgs(
            bucket=offsite.bucket, endpoint=etcd_s3_endpoint(offsite), cloud_credential_name=credential.id,
            folder=offsite.folder("etcd"), region=offsite.region, retention=args.etcd_snapshot_retention)
    return rancher2.ClusterV2RkeConfigEtcdArgs(snapshot_schedule_cron=args.etcd_snapshot_schedule,
                                               snapshot_retention=args.etcd_snapshot_retention,
                                               s3_config=s3)


def machine_taints(pool: PoolArgs) -> list[rancher2.ClusterV2RkeConfigMachinePoolTaintArgs]:
    # the provider's default taint effect is NoExecute (pulumi-rancher2 13.0.1 docs): always set it
    return [rancher2.ClusterV2RkeConfigMachinePoolTaintArgs(key=k, value=v, effect=e)
            for k, v, e in map(parse_taint, pool.taints)]


def autoscaler_annotations(pool: PoolArgs, enabled: bool) -> dict[str, str]:
    if not (enabled and pool.autoscaled):
        return {}
    return {AUTOSCALER_MIN: str(pool.min_nodes), AUTOSCALER_MAX: str(pool.max_nodes)}


def autoscaler_identity(component: TartwareComponent, name: str, args: RancherClusterArgs,
                        rancher: rancher2.Provider) -> pulumi.Output:
    """A Rancher user that may only scale machine pools, and a token of that user (secret).

    The user logs in through ``user-base`` (the minimum Rancher requires for a token,
    pulumi-rancher2 13.0.1 CustomUserToken docs) and holds one GlobalRole whose ``rules`` Rancher
    applies in the local cluster, where the provisioning objects live. pulumi-rancher2 13.0.1 has no
    ``namespacedRules`` (its ``inheritedNamespacedRules`` apply to downstream clusters), so the
    rules are cluster-wide in the local cluster: clusters only by this cluster's name, machines of
    any cluster (their names are generated).
    """
    password = random.RandomPassword(f"{name}-autoscaler-password", length=40, special=False,
                                     opts=component.child(protect=args.protect))
    user = rancher2.User(f"{name}-autoscaler-user", username=f"{args.name}-autoscaler",
                         name=f"cluster-autoscaler of {args.name}", password=password.result, enabled=True,
                         opts=component.child(rancher))
    role = rancher2.GlobalRole(
        f"{name}-autoscaler-role", name=f"{args.name}-cluster-autoscaler",
        description=f"cluster-autoscaler: scale the machine pools of {args.name}",
        rules=[rancher2.GlobalRoleRuleArgs(api_groups=[group], resources=[resource], verbs=list(verbs),
                                           resource_names=[args.name] if only_ours else None)
               for group, resource, verbs, only_ours in AUTOSCALER_RULES],
        new_user_default=False, opts=component.child(rancher))
    bindings = [
        rancher2.GlobalRoleBinding(f"{name}-autoscaler-login", global_role_id="user-base", user_id=user.id,
                                   opts=component.child(rancher)),
        rancher2.GlobalRoleBinding(f"{name}-autoscaler-binding", global_role_id=role.id, user_id=user.id,
                                   opts=component.child(rancher)),
    ]
    # renew: the provider replaces the token once Rancher reports it expired (read on refresh)
    token = rancher2.CustomUserToken(
        f"{name}-autoscaler-token", username=user.username, password=password.result,
        description=f"cluster-autoscaler for {args.name}", ttl=AUTOSCALER_TOKEN_TTL_MINUTES * 60, renew=True,
        opts=component.child(rancher, depends_on=bindings))
    component.autoscaler_user, component.autoscaler_role = user, role
    return pulumi.Output.secret(token.token)


def autoscaler_values(cluster_name: pulumi.Input[str], ca_pem: pulumi.Input[str]) -> dict:
    """cluster-autoscaler chart values (at the pin) for --cloud-provider=rancher.

    templates/deployment.yaml renders the Deployment only when autoDiscovery.clusterName (or
    autoscalingGroups, ...) is set; for the rancher provider the name is not passed on (the cloud
    config names the cluster), so it is set to the cluster's name. The provider's Rancher client has
    no CA option (cloudprovider/rancher/rancher_provider.go: rest.Config with Host and BearerToken
    only), so a private Rancher CA reaches it through Go's SSL_CERT_FILE (crypto/x509 root_unix.go).
    """
    env = pulumi.Output.from_input(ca_pem).apply(
        lambda pem: {"SSL_CERT_FILE": f"{AUTOSCALER_CONFIG_DIR}/ca.crt"} if pem else {})
    return {
        "cloudProvider": "rancher",
        "autoDiscovery": {"clusterName": cluster_name},
        "cloudConfigPath": f"{AUTOSCALER_CONFIG_DIR}/cloud-config",
        "extraVolumeSecrets": {"rancher-cloud-config": {"name": AUTOSCALER_CLOUD_CONFIG_SECRET,
                                                        "mountPath": AUTOSCALER_CONFIG_DIR}},
        "extraEnv": env,
    }


def rancher_autoscaler(component: TartwareComponent, name: str, args: VsphereClusterArgs,
                       rancher: rancher2.Provider, api_url: str, cluster_name: pulumi.Input[str],
                       workload: k8s.Provider, depends_on: list, ca_pem: pulumi.Input[str] = "") -> k8s.helm.v3.Release:
    """cluster-autoscaler --cloud-provider=rancher inside the downstream cluster.

    It scales the machine pools through the Rancher API (cloud config: url, token, clusterName,
    clusterNamespace — kubernetes/autoscaler cloudprovider/rancher/examples/config.yaml) with the
    token of its own least-privileged Rancher user (``autoscaler_identity``); a private Rancher CA
    reaches its client through SSL_CERT_FILE (``autoscaler_values``).
    """
    token = autoscaler_identity(component, name, args, rancher)
    cloud_config = pulumi.Output.secret(pulumi.Output.all(token, cluster_name).apply(
        lambda a: yaml.safe_dump({"url": api_url, "token": a[0], "clusterName": a[1],
                                  "clusterNamespace": FLEET_NAMESPACE})))
    data = {"cloud-config": cloud_config, "ca.crt": pulumi.Output.from_input(ca_pem)}
    secret = k8s.core.v1.Secret(
        f"{name}-autoscaler-cloud-config",
        metadata=k8s.meta.v1.ObjectMetaArgs(name=AUTOSCALER_CLOUD_CONFIG_SECRET, namespace="kube-system"),
        string_data=data,
        opts=component.child(workload))
    values = autoscaler_values(cluster_name, ca_pem)
    # the provider reads its cloud config once at start: a new token (refresh) rolls the pod
    values["podAnnotations"] = {"tartware.io/cloud-config-sha256": pulumi.Output.secret(
        cloud_config.apply(lambda c: hashlib.sha256(c.encode()).hexdigest()))}
    return autoscaler_release(component, name, workload, args, values, depends_on=[secret, *depends_on])


def rancher_cluster_handle(target: str, args: RancherClusterArgs, cluster: rancher2.ClusterV2,
                           provider: k8s.Provider, kubeconfig: pulumi.Output, server: Optional[RancherServer],
                           exports: dict, load_balancers: Sequence[pulumi.Resource] = (),
                           volumes: Sequence[pulumi.Resource] = ()) -> ClusterHandle:
    """The handle of a Rancher-provisioned RKE2 cluster (vsphere, baremetal)."""
    exports = {"kubeconfig": kubeconfig, "rancherClusterId": cluster.cluster_v1_id, **exports,
               "nodePools": pool_summary(args.node_pools)}
    if server is not None:
        exports["rancherAdminPassword"] = pulumi.Output.secret(server.admin_password.result)
    return ClusterHandle(
        provider=provider,
        name=cluster.name,
        target=target,
        kubeconfig=kubeconfig,
        resources=[cluster],
        rancher_hostname=server.hostname if server else None,
        kubernetes_version=args.rke2_version[1:].split("+")[0],  # v1.34.1+rke2r1 -> 1.34.1
        exports=exports,
        load_balancers=tuple(load_balancers),
        volumes=tuple(volumes),
    )
