"""Each component's arguments, from the validated settings and the handles of the layers below.

``__main__.py`` calls these in the order of the architecture (cluster, credentials, secrets,
platform, Tartware, operations, outputs); each returns the frozen args of one component
(stacks/args.py) holding exactly what it reads.
"""

from __future__ import annotations

import dataclasses
from typing import Any, Optional

from .args import (
    BareMetalClusterArgs,
    CertManagerArgs,
    ClusterArgs,
    CredentialOutputs,
    CredentialsArgs,
    DataArgs,
    EksClusterArgs,
    EtcdOffsiteArgs,
    ExistingClusterArgs,
    ExternalSecretsArgs,
    IngressNginxArgs,
    MeshArgs,
    MetricsServerArgs,
    NodeGroupArgs,
    ObservabilityArgs,
    OperationsArgs,
    OperationsOutputs,
    OutputsArgs,
    PlatformArgs,
    PoolArgs,
    RancherArgs,
    RancherServerArgs,
    SecretMaker,
    SecretsArgs,
    TartwareArgs,
    VaultSecretsArgs,
    VmPoolArgs,
    VsphereClusterArgs,
)
from .budget import Budget
from .cluster_settings import NodePool, Placement
from .handles import ClusterHandle, PlatformHandle
from .model import StackSettings
from .platform_settings import metrics_server_wanted


def cluster_args(s: StackSettings) -> ClusterArgs:
    """The target's args; the stack-level ``protect`` applies to the cluster too, the Rancher host
    defaults to ``rancher.<domain>``, and the RKE2 targets copy their etcd snapshots to the backups'
    off-site bucket."""
    c = s.cluster
    if c.target == "existing":
        return ExistingClusterArgs(kubeconfig=c.kubeconfig, context=c.context)
    if c.target == "eks":
        assert c.kubernetes_version is not None
        return EksClusterArgs(
            name=c.name, environment=c.environment, protect=s.protect, kubernetes_version=c.kubernetes_version,
            node_pools=_pools(NodeGroupArgs, c.node_pools), autoscaler=c.autoscaler, vpc_cidr=c.vpc_cidr,
            availability_zones=c.availability_zones, nat_gateway_per_az=c.nat_gateway_per_az,
            public_access_cidrs=c.public_access_cidrs, admin_role_arns=c.admin_role_arns,
            ci_role_arns=c.ci_role_arns, kubeconfig_role_arn=c.kubeconfig_role_arn)
    assert c.rancher is not None and c.rke2_version is not None
    r = c.rancher
    server = (RancherServerArgs(hostname=r.hostname_for(s.domain), version=r.version, replicas=r.replicas,
                                kubeconfig=r.kubeconfig, context=r.context, insecure=r.insecure, protect=s.protect)
              if r.install else None)
    rancher = (RancherArgs(insecure=r.insecure, server=server) if server is not None
               else RancherArgs(insecure=r.insecure, api_url=r.api_url, token=r.token))
    backup = s.ops.backup
    offsite = backup.offsite if backup is not None else None
    common = dict(
        name=c.name, protect=s.protect, rke2_version=c.rke2_version, rancher=rancher,
        etcd_snapshot_schedule=c.etcd_snapshot_schedule, etcd_snapshot_retention=c.etcd_snapshot_retention,
        etcd_offsite=(EtcdOffsiteArgs(bucket=offsite.bucket, prefix=offsite.prefix, endpoint=offsite.endpoint,
                                      region=offsite.region, access_key_id=offsite.access_key_id,
                                      secret_access_key=offsite.secret_access_key)
                      if offsite is not None else None),
        active_timeout_minutes=c.active_timeout_minutes, load_balancer_addresses=c.load_balancer_addresses)
    if c.target == "vsphere":
        return VsphereClusterArgs(**common, node_pools=_pools(VmPoolArgs, c.node_pools), vsphere=c.vsphere,
                                  autoscaler=c.autoscaler)
    return BareMetalClusterArgs(**common, node_pools=_pools(PoolArgs, c.node_pools),
                                bare_metal_storage=c.bare_metal_storage)


def _pools(cls: type[PoolArgs], pools: tuple[NodePool, ...]) -> tuple[Any, ...]:
    """The fields of each pool the target builds it from (``cls``)."""
    return tuple(cls(**{f.name: getattr(p, f.name) for f in dataclasses.fields(cls)}) for p in pools)


def credentials_args(s: StackSettings) -> CredentialsArgs:
    return CredentialsArgs(protect=s.protect)


def external_secrets_args(s: StackSettings) -> Optional[ExternalSecretsArgs]:
    """The external-secrets operator's args with the Vault backend (None with generated Secrets)."""
    vault = s.security.vault
    if not s.security.uses_vault or vault is None:
        return None
    return ExternalSecretsArgs(server=vault.server, kv_mount=vault.kv_mount, auth_mount=vault.auth_mount,
                               role=vault.role, prod=s.is_prod, network_policies=s.platform.network_policies)


def secrets_args(s: StackSettings) -> SecretsArgs:
    operator = external_secrets_args(s)
    vault = s.security.vault
    if operator is None or vault is None:
        return SecretsArgs()
    return SecretsArgs(VaultSecretsArgs(operator, path_prefix=vault.path_prefix,
                                        refresh_interval=vault.refresh_interval))


def platform_args(s: StackSettings, cluster: ClusterHandle, credentials: CredentialOutputs,
                  secrets: SecretMaker) -> PlatformArgs:
    p = s.platform
    load_test = s.ops.load_test
    backup = s.ops.backup
    # LoadBalancer Services only where something assigns their address (loadBalancer setting):
    # both Helm's wait and pulumi-kubernetes' Service await block until it does.
    service_type = p.edge_service_type(s.cluster.target)
    placement = Placement.for_pools(s.cluster.node_pools)  # the memory pool, if the cluster declares one
    return PlatformArgs(
        domain=s.domain,
        data=DataArgs(s.data, s.protect, credentials, secrets, placement=placement),
        observability=ObservabilityArgs(s.observability, s.protect, s.domain, meshed=p.istio, placement=placement,
                                        remote_write_receiver=load_test is not None and load_test.profile == "load"),
        api_route=p.api_route,
        network_policies=p.network_policies,
        acme_solver=p.acme_solver,
        mesh=mesh_args(s, cluster.kubernetes_version or s.cluster.kubernetes_minor, service_type) if p.istio else None,
        certs=(CertManagerArgs(p.is_prod, s.domain, p.issuer_for(s.domain), acme_server=p.acme_server,
                               acme_email=p.acme_email, acme_solver=p.acme_solver) if p.cert_manager else None),
        edge=(IngressNginxArgs(p.is_prod, p.ingress_nginx_replicas, service_type=service_type)
              if p.ingress_nginx else None),
        metrics_server=(MetricsServerArgs(p.is_prod, p.metrics_server_insecure_tls)
                        if metrics_server_wanted(p, s.cluster.target) else None),
        edge_rate_limit=p.edge_rate_limit,
        edge_rate_limit_burst=p.edge_rate_limit_burst,
        edge_rate_limit_pods=p.ratelimit_pods(),
        edge_rate_limit_max_replicas=p.ratelimit_max_replicas(),
        tartware_namespace=s.tartware.namespace,
        chart_ingress=s.tartware.ingress_enabled and p.api_route == "ingress",
        load_test_profile=load_test.profile if load_test is not None else None,
        backup=backup is not None,
        restore=backup is not None and backup.restore is not None,
        edge_exempt=p.edge_exemption(),
    )


def mesh_args(s: StackSettings, kubernetes_version: Optional[str], service_type: str) -> MeshArgs:
    """Istio's args; the chart version is the set one, or the line that supports the cluster."""
    p = s.platform
    return MeshArgs(
        is_prod=p.is_prod, domain=s.domain, version=p.istio_version_for(kubernetes_version),
        istio_cni=p.istio_cni, cni_bin_dir=p.cni_bin_dir, cni_conf_dir=p.cni_conf_dir, cni_request=p.cni_request,
        istiod_min_replicas=p.istiod_min_replicas, istiod_max_replicas=p.istiod_max_replicas,
        gateway_min_replicas=p.gateway_min_replicas, gateway_max_replicas=p.gateway_max_replicas,
        edge_external_traffic_policy=p.edge_external_traffic_policy, edge_trusted_proxies=p.edge_trusted_proxies,
        sidecar_request=p.sidecar_request, sidecar_limit=p.sidecar_limit, service_type=service_type,
        proxy_protocol=p.edge_proxy_protocol(s.cluster.target))


def tartware_args(s: StackSettings, credentials: CredentialOutputs, platform: PlatformHandle,
                  secrets: SecretMaker) -> TartwareArgs:
    return TartwareArgs(s.tartware, credentials, platform, secrets, protect=s.protect)


def operations_args(s: StackSettings, platform: PlatformHandle, release: Any, credentials: CredentialOutputs,
                    secrets: SecretMaker) -> OperationsArgs:
    return OperationsArgs(ops=s.ops, domain=s.domain, protect=s.protect,
                          network_policies=s.platform.network_policies, tartware_namespace=s.tartware.namespace,
                          vpa_services=tuple(svc.name for svc in s.tartware.enabled_services), platform=platform, release=release,
                          credentials=credentials, secrets=secrets,
                          load_test_edge=(s.platform.load_test_edge(s.cluster.target, s.domain)
                                          if s.ops.load_test is not None else None))


def outputs_args(s: StackSettings, cluster: ClusterHandle, platform: PlatformHandle, tartware: Any,
                 operations: Any) -> OutputsArgs:
    """``tartware``: the TartwareRelease (api_url, secret_names); ``operations``: the Operations."""
    load_test = operations.load_test
    return OutputsArgs(
        environment=s.environment, domain=s.domain, tartware_namespace=s.tartware.namespace,
        release_name=s.tartware.release_name, tls_cluster_issuer=s.tartware.tls_cluster_issuer,
        budget=Budget.of(s.tartware.services).as_output(), cluster=cluster, platform=platform,
        api_url=tartware.api_url, secret_names=tartware.secret_names,
        operations=OperationsOutputs(
            namespace=operations.namespace_name, backup_claim=operations.backup_claim_name,
            backup_schedule=operations.backup_schedule, backup_offsite=operations.backup_offsite,
            restore_job=operations.restore_job_name, load_test_job=operations.load_test_job_name,
            load_test_summary=load_test.summary if load_test is not None else None,
            vpa_names=tuple(operations.vpa_names)))
