"""Each component's arguments, from the validated settings and the handles of the layers below.

``__main__.py`` calls these in the order of the architecture (cluster, credentials, secrets,
platform, Tartware, operations, outputs); each returns the frozen args of one component
(stacks/args.py) holding exactly what it reads.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from .args import (
    CLUSTER_ARGS,
    CertManagerArgs,
    ClusterArgs,
    CredentialOutputs,
    CredentialsArgs,
    DataArgs,
    IngressNginxArgs,
    MeshArgs,
    MetricsServerArgs,
    ObservabilityArgs,
    OperationsArgs,
    OperationsOutputs,
    OutputsArgs,
    PlatformArgs,
    SecretMaker,
    SecretsArgs,
    TartwareArgs,
)
from .handles import ClusterHandle, PlatformHandle
from .model import StackSettings
from .platform_settings import metrics_server_wanted


def cluster_args(s: StackSettings) -> ClusterArgs:
    """The target's args; the stack-level ``protect``, ``domain`` (``rancher.<domain>``) and the
    etcd snapshots' off-site target apply to the cluster too."""
    backup = s.ops.backup
    cluster = dataclasses.replace(s.cluster, protect=s.protect, domain=s.domain,
                                  etcd_offsite=backup.offsite if backup is not None else None)
    return CLUSTER_ARGS[cluster.target](cluster)


def credentials_args(s: StackSettings) -> CredentialsArgs:
    return CredentialsArgs(protect=s.protect)


def secrets_args(s: StackSettings) -> SecretsArgs:
    return SecretsArgs(security=s.security, prod=s.is_prod, network_policies=s.platform.network_policies)


def platform_args(s: StackSettings, cluster: ClusterHandle, credentials: CredentialOutputs,
                  secrets: SecretMaker) -> PlatformArgs:
    p = s.platform
    load_test = s.ops.load_test
    backup = s.ops.backup
    # LoadBalancer Services only where something assigns their address (loadBalancer setting):
    # both Helm's wait and pulumi-kubernetes' Service await block until it does.
    service_type = p.edge_service_type(s.cluster.target)
    return PlatformArgs(
        platform=p,
        domain=s.domain,
        data=DataArgs(s.data, s.protect, credentials, secrets, node_pools=cluster.node_pools),
        observability=ObservabilityArgs(s.observability, s.protect, s.domain, meshed=p.istio,
                                        node_pools=cluster.node_pools,
                                        remote_write_receiver=load_test is not None and load_test.profile == "load"),
        mesh=(MeshArgs(p, s.domain, cluster.kubernetes_version or s.cluster.kubernetes_minor,
                       service_type=service_type, proxy_protocol=p.edge_proxy_protocol(s.cluster.target))
              if p.istio else None),
        certs=(CertManagerArgs(p.is_prod, s.domain, p.issuer_for(s.domain), acme_server=p.acme_server,
                               acme_email=p.acme_email, acme_solver=p.acme_solver) if p.cert_manager else None),
        edge=(IngressNginxArgs(p.is_prod, p.ingress_nginx_replicas, service_type=service_type)
              if p.ingress_nginx else None),
        metrics_server=(MetricsServerArgs(p.is_prod, p.metrics_server_insecure_tls)
                        if metrics_server_wanted(p, s.cluster.target) else None),
        tartware_namespace=s.tartware.namespace,
        chart_ingress=s.tartware.ingress_enabled and p.api_route == "ingress",
        load_test_profile=load_test.profile if load_test is not None else None,
        backup=backup is not None,
        restore=backup is not None and backup.restore is not None,
        edge_exempt=p.edge_exemption_for(s.cluster.target, cluster.egress_addresses),
    )


def tartware_args(s: StackSettings, credentials: CredentialOutputs, platform: PlatformHandle,
                  secrets: SecretMaker) -> TartwareArgs:
    return TartwareArgs(s.tartware, credentials, platform, secrets, protect=s.protect)


def operations_args(s: StackSettings, platform: PlatformHandle, release: Any, credentials: CredentialOutputs,
                    secrets: SecretMaker) -> OperationsArgs:
    return OperationsArgs(ops=s.ops, domain=s.domain, protect=s.protect,
                          network_policies=s.platform.network_policies, tartware_namespace=s.tartware.namespace,
                          services=s.tartware.enabled_services, platform=platform, release=release,
                          credentials=credentials, secrets=secrets)


def outputs_args(s: StackSettings, cluster: ClusterHandle, platform: PlatformHandle, tartware: Any,
                 operations: Any) -> OutputsArgs:
    """``tartware``: the TartwareRelease (api_url, secret_names); ``operations``: the Operations."""
    load_test = operations.load_test
    return OutputsArgs(
        environment=s.environment, domain=s.domain, tartware=s.tartware, cluster=cluster, platform=platform,
        api_url=tartware.api_url, secret_names=tartware.secret_names,
        operations=OperationsOutputs(
            namespace=operations.namespace_name, backup_claim=operations.backup_claim_name,
            backup_schedule=operations.backup_schedule, backup_offsite=operations.backup_offsite,
            restore_job=operations.restore_job_name, load_test_job=operations.load_test_job_name,
            load_test_summary=load_test.summary if load_test is not None else None,
            vpa_names=tuple(operations.vpa_names)))
