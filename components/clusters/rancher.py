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

from typing import Optional

import pulumi
import pulumi_kubernetes as k8s
import pulumi_random as random
import pulumi_rancher2 as rancher2
import yaml

from stacks import versions
from stacks.cluster_settings import ClusterSettings, NodePool

from ..base import TartwareComponent
from ..handles import ClusterHandle
from .common import autoscaler_release, parse_taint, pool_summary

RANCHER_NAMESPACE = "cattle-system"  # the chart requires it
CERT_MANAGER_NAMESPACE = "cert-manager"
FLEET_NAMESPACE = "fleet-default"
# kubernetes/autoscaler cloudprovider/rancher/README.md: min/max per machine pool are read from
# machineDeploymentAnnotations = ClusterV2RkeConfigMachinePoolArgs.annotations (notes §B.5).
AUTOSCALER_MIN = "cluster.provisioning.cattle.io/autoscaler-min-size"
AUTOSCALER_MAX = "cluster.provisioning.cattle.io/autoscaler-max-size"
AUTOSCALER_CLOUD_CONFIG_SECRET = "cluster-autoscaler-rancher"


class RancherServer(TartwareComponent):
    """Rancher (and its cert-manager) installed onto a management cluster, bootstrapped."""

    AREA = "cluster"

    def __init__(self, name: str, settings: ClusterSettings, opts: Optional[pulumi.ResourceOptions] = None):
        super().__init__(name, opts)
        rs = settings.rancher
        self.hostname = rs.hostname_for(settings.domain)
        self.url = f"https://{self.hostname}"
        self.management = k8s.Provider(f"{name}-management-k8s", kubeconfig=rs.kubeconfig,
                                       context=rs.context or None, enable_server_side_apply=True,
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
                                                        opts=self.child(protect=settings.protect))
        self.admin_password = random.RandomPassword(f"{name}-admin-password", length=32, special=False,
                                                    opts=self.child(protect=settings.protect))
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
            opts=self.child(self.management, depends_on=[self.cert_manager], protect=settings.protect))
        bootstrap_provider = rancher2.Provider(
            f"{name}-bootstrap", api_url=self.url, bootstrap=True, insecure=rs.insecure, timeout="300s",
            opts=self.child(depends_on=[self.release]))
        self.bootstrap = rancher2.Bootstrap(
            f"{name}-bootstrap", initial_password=self.bootstrap_password.result,
            password=self.admin_password.result, token_ttl=0,
            opts=self.child(bootstrap_provider, protect=settings.protect))
        self.token = pulumi.Output.secret(self.bootstrap.token)
        self.register_outputs({"hostname": self.hostname, "url": self.bootstrap.url})


def rancher_provider(component: TartwareComponent, name: str, settings: ClusterSettings
                     ) -> tuple[rancher2.Provider, Optional[RancherServer], str, pulumi.Output]:
    """(admin provider, the installed server or None, API URL, API token (secret))."""
    rs = settings.rancher
    server = None
    if rs.install:
        server = RancherServer(f"{name}-rancher", settings, opts=pulumi.ResourceOptions(parent=component))
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


def etcd_s3_endpoint(offsite) -> str:
    """RKE2's etcd-s3-endpoint is a host[:port] without scheme (default s3.amazonaws.com)."""
    if offsite.endpoint:
        return offsite.endpoint.split("://", 1)[-1]
    return f"s3.{offsite.region}.amazonaws.com"


def etcd_args(settings: ClusterSettings, component: Optional[TartwareComponent] = None,
              rancher: Optional[rancher2.Provider] = None, name: str = "") -> rancher2.ClusterV2RkeConfigEtcdArgs:
    """Snapshot schedule and retention; with an off-site target (``settings.etcd_offsite``), the
    snapshots also go to its bucket under <prefix>/etcd, with the same retention, through a Rancher
    S3 cloud credential holding the access keys (pulumi-rancher2 13.0.1: CloudCredential
    s3_credential_config, ClusterV2RkeConfigEtcdS3ConfigArgs bucket/endpoint/cloud_credential_name/
    folder/region/retention; the provider's "Customize the ETCD snapshot feature" example passes
    the credential's id as cloud_credential_name)."""
    s3 = None
    offsite = settings.etcd_offsite
    if offsite is not None and component is not None:
        credential = rancher2.CloudCredential(
            f"{name}-etcd-s3-credential", name=f"{settings.name}-etcd-s3",
            description="etcd snapshots to the off-site backup bucket",
            s3_credential_config=rancher2.CloudCredentialS3CredentialConfigArgs(
                access_key=offsite.access_key_id, secret_key=offsite.secret_access_key,
                default_bucket=offsite.bucket, default_region=offsite.region),
            opts=component.child(rancher))
        s3 = rancher2.ClusterV2RkeConfigEtcdS3ConfigArgs(
            bucket=offsite.bucket, endpoint=etcd_s3_endpoint(offsite), cloud_credential_name=credential.id,
            folder=offsite.folder("etcd"), region=offsite.region, retention=settings.etcd_snapshot_retention)
    return rancher2.ClusterV2RkeConfigEtcdArgs(snapshot_schedule_cron=settings.etcd_snapshot_schedule,
                                               snapshot_retention=settings.etcd_snapshot_retention,
                                               s3_config=s3)


def machine_taints(pool: NodePool) -> list[rancher2.ClusterV2RkeConfigMachinePoolTaintArgs]:
    # the provider's default effect is NoExecute: always set it (notes §B.2)
    return [rancher2.ClusterV2RkeConfigMachinePoolTaintArgs(key=k, value=v, effect=e)
            for k, v, e in map(parse_taint, pool.taints)]


def autoscaler_annotations(pool: NodePool, enabled: bool) -> dict[str, str]:
    if not (enabled and pool.autoscaled):
        return {}
    return {AUTOSCALER_MIN: str(pool.min_nodes), AUTOSCALER_MAX: str(pool.max_nodes)}


def rancher_autoscaler(component: TartwareComponent, name: str, settings: ClusterSettings,
                       rancher: rancher2.Provider, api_url: str, cluster_name: pulumi.Input[str],
                       workload: k8s.Provider, depends_on: list) -> k8s.helm.v3.Release:
    """cluster-autoscaler --cloud-provider=rancher inside the downstream cluster.

    It scales the machine pools through the Rancher API (cloud config: url, token, clusterName,
    clusterNamespace — kubernetes/autoscaler cloudprovider/rancher/examples/config.yaml). The token
    is a non-expiring API token of the Rancher user this stack uses; it needs update rights on the
    provisioning cluster (docs/clusters.md).
    """
    token = rancher2.Token(f"{name}-autoscaler-token", description=f"cluster-autoscaler for {settings.name}",
                           ttl=0, opts=component.child(rancher))
    cloud_config = pulumi.Output.secret(pulumi.Output.all(token.token, cluster_name).apply(
        lambda a: yaml.safe_dump({"url": api_url, "token": a[0], "clusterName": a[1],
                                  "clusterNamespace": FLEET_NAMESPACE})))
    secret = k8s.core.v1.Secret(
        f"{name}-autoscaler-cloud-config",
        metadata=k8s.meta.v1.ObjectMetaArgs(name=AUTOSCALER_CLOUD_CONFIG_SECRET, namespace="kube-system"),
        string_data={"cloud-config": cloud_config},
        opts=component.child(workload))
    return autoscaler_release(component, name, workload, settings, {
        "cloudProvider": "rancher",
        "cloudConfigPath": "/config/cloud-config",
        "extraVolumeSecrets": {"rancher-cloud-config": {"name": AUTOSCALER_CLOUD_CONFIG_SECRET,
                                                        "mountPath": "/config"}},
    }, depends_on=[secret, *depends_on])


def rancher_cluster_handle(target: str, settings: ClusterSettings, cluster: rancher2.ClusterV2,
                           provider: k8s.Provider, kubeconfig: pulumi.Output, server: Optional[RancherServer],
                           exports: dict) -> ClusterHandle:
    """The handle of a Rancher-provisioned RKE2 cluster (vsphere, baremetal)."""
    exports = {"kubeconfig": kubeconfig, "rancherClusterId": cluster.cluster_v1_id, **exports,
               "nodePools": pool_summary(settings.node_pools)}
    if server is not None:
        exports["rancherAdminPassword"] = pulumi.Output.secret(server.admin_password.result)
    return ClusterHandle(
        provider=provider,
        name=cluster.name,
        target=target,
        kubeconfig=kubeconfig,
        resources=[cluster],
        rancher_hostname=server.hostname if server else None,
        kubernetes_version=settings.rke2_version[1:].split("+")[0],  # v1.34.1+rke2r1 -> 1.34.1
        exports=exports,
        node_pools=settings.node_pools,
    )
