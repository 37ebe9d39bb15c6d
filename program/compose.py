"""Each component's arguments, from the validated settings and the handles of the layers below.

``__main__.py`` calls these in the order of the architecture (cluster, credentials, secrets,
platform, Tartware, operations, outputs); each returns the frozen args of one component
(each in its component's module) holding exactly what it reads.
"""

from __future__ import annotations

from typing import Any, Optional

import pulumi

from components.credentials import CredentialOutputs, CredentialsArgs
from components.handles import ClusterHandle, PlatformHandle
from components.operations import OperationsArgs, OperationsOutputs
from components.outputs import OutputsArgs
from components.platform import PlatformArgs
from components.platform.cert_manager import CertManagerArgs
from components.platform.data_tier import DataArgs
from components.platform.ingress_nginx import IngressNginxArgs
from components.platform.mesh import MeshArgs
from components.platform.metrics_server import MetricsServerArgs
from components.platform.observability_values import GrafanaSsoArgs, ObservabilityArgs
from components.platform.operator_access import OAuth2ProxyArgs, OperatorAccessArgs
from components.platform.postgres import ArchiveArgs
from components.secrets import ExternalSecretsArgs, SecretMaker, SecretsArgs, VaultSecretsArgs
from components.tartware import TartwareArgs
from facts import metrics_probe
from facts.endpoints import DATABASE_NAMESPACE, POOLER_NAME
from rules.budget import Budget
from settings import targets
from settings.data import ARCHIVE_TIMEOUT_SECONDS, PoolerLimits
from settings.model import StackSettings
from settings.nodes import Placement
from settings.platform import PlatformSettings, metrics_server_wanted
from settings.targets.base import ArgsContext, ClusterArgs


def cluster_args(s: StackSettings) -> ClusterArgs:
    """The target's args (its module, settings/targets/): the stack-level ``protect`` applies to the
    cluster too, the Rancher host defaults to ``rancher.<domain>``, and the RKE2 targets copy their
    etcd snapshots to the backups' off-site bucket."""
    return targets.target(s.cluster.target).args(s.cluster, ArgsContext(s.protect, s.domain, s.ops.offsite))


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


def cert_manager_args(p: PlatformSettings, domain: str) -> Optional[CertManagerArgs]:
    """cert-manager's args with the issuer that signs ``domain`` (None without cert-manager)."""
    if not p.cert_manager:
        return None
    issuer = p.issuer_for(domain)
    assert issuer is not None  # cert-manager is on: there is an issuer
    return CertManagerArgs(p.is_prod, domain, issuer, acme_server=p.acme_server,
                           acme_email=p.acme_email, acme_solver=p.acme_solver)


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
        data=DataArgs(s.data, s.protect, credentials, secrets, placement=placement,
                      zone_spread=s.tartware.zone_spread, archive=archive_args(s), volumes=tuple(cluster.volumes)),
        observability=ObservabilityArgs(s.observability, s.protect, s.domain, meshed=p.istio, placement=placement,
                                        remote_write_receiver=load_test is not None and load_test.profile == "load",
                                        grafana_sso=grafana_sso_args(s, secrets),
                                        volumes=tuple(cluster.volumes)),
        api_route=p.api_route,
        network_policies=p.network_policies,
        acme_solver=p.acme_solver,
        mesh=(mesh_args(s, cluster.kubernetes_version or s.cluster.kubernetes_minor, service_type,
                        load_balancer_waits(service_type, cluster)) if p.istio else None),
        certs=cert_manager_args(p, s.domain),
        edge=(IngressNginxArgs(p.is_prod, p.ingress_nginx_replicas, service_type=service_type,
                               waits_for=load_balancer_waits(service_type, cluster))
              if p.ingress_nginx else None),
        metrics_server=(MetricsServerArgs(p.is_prod, p.metrics_server_insecure_tls)
                        if _metrics_server(s, p) else None),
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
        operator_access=operator_access_args(s, secrets),
        public_operator_hosts=s.access.public_operator_hosts,
    )


def _metrics_server(s: StackSettings, p: PlatformSettings) -> bool:
    """metricsServer: with ``auto`` on a target that asks (``existing``), ask the cluster first
    (facts/metrics_probe.py); when it cannot be asked, the target's rule decides and the stack is told so."""
    if p.metrics_server != "auto" or not targets.target(s.cluster.target).asks_for_metrics_server:
        return metrics_server_wanted(p, s.cluster.target, s.cluster.context)
    found = metrics_probe.probe(s.cluster.context, s.cluster.kubeconfig is None)
    wanted = metrics_server_wanted(p, s.cluster.target, s.cluster.context, found)
    if found.state == "unknown":
        pulumi.log.warn(metrics_probe.fallback_warning(found, wanted))
    return wanted


def load_balancer_waits(service_type: str, cluster: ClusterHandle) -> tuple[Any, ...]:
    """What a Service of ``service_type`` waits for before it can get an address."""
    return tuple(cluster.load_balancers) if service_type == "LoadBalancer" else ()


# The folder of the off-site bucket that holds barman's catalog: one sub-folder per cluster
# (serverName) with its base/ and wals/ (docs/data-and-observability.md "Continuous archiving").
ARCHIVE_FOLDER = "pitr"


def archive_args(s: StackSettings) -> Optional[ArchiveArgs]:
    """PostgreSQL's WAL archive in the backups' off-site bucket, or None without one (the plan then
    states the RPO of the nightly dump)."""
    off = s.ops.offsite
    if off is None or not s.archives_wal:
        return None
    return ArchiveArgs(destination=f"s3://{off.bucket}/{off.folder(ARCHIVE_FOLDER)}", endpoint=off.endpoint,
                       region=off.region, encryption=off.encryption, kms_key_id=off.kms_key_id,
                       role_arn=off.role_arn, access_key_id=off.access_key_id,
                       secret_access_key=off.secret_access_key)


def operator_access_args(s: StackSettings, secrets: SecretMaker) -> Optional[OperatorAccessArgs]:
    """The guard of the operator hosts: oauth2-proxy and a CUSTOM policy (sso), or a source allowlist;
    None where nothing guards them (lab) or they are not routed (internal)."""
    access = s.access
    if access.mode == "allowlist":
        return OperatorAccessArgs(mode="allowlist", allowed_cidrs=access.allowed_cidrs)
    if access.mode != "sso" or access.sso is None:
        return None
    sso = access.sso
    replicas, request, limit = access.gate_pods()
    return OperatorAccessArgs(mode="sso", sso=OAuth2ProxyArgs(
        issuer_url=sso.issuer_url, client_id=sso.client_id,
        email_domains=sso.email_domains, allowed_groups=sso.allowed_groups, client_secret=sso.client_secret,
        secrets=secrets, replicas=replicas, request=request, limit=limit))


def grafana_sso_args(s: StackSettings, secrets: SecretMaker) -> Optional[GrafanaSsoArgs]:
    """Grafana's own OAuth sign-in with the operators' OIDC client (operatorAccess=sso)."""
    sso = s.access.sso
    if s.access.mode != "sso" or sso is None:
        return None
    return GrafanaSsoArgs(client_id=sso.client_id, auth_url=sso.auth_url, token_url=sso.token_url,
                          userinfo_url=sso.userinfo_url, admin_groups=sso.grafana_admin_groups,
                          editor_groups=sso.grafana_editor_groups, client_secret=sso.client_secret, secrets=secrets)


def mesh_args(s: StackSettings, kubernetes_version: Optional[str], service_type: str,
              load_balancers: tuple[Any, ...] = ()) -> MeshArgs:
    """Istio's args; the chart version is the set one, or the line that supports the cluster."""
    p = s.platform
    cni_bin_dir, cni_conf_dir = p.cni_dirs_for(s.cluster.target)
    return MeshArgs(
        is_prod=p.is_prod, domain=s.domain, version=p.istio_version_for(kubernetes_version),
        istio_cni=p.istio_cni, cni_bin_dir=cni_bin_dir, cni_conf_dir=cni_conf_dir, cni_request=p.cni_request,
        istiod_min_replicas=p.istiod_min_replicas, istiod_max_replicas=p.istiod_max_replicas,
        gateway_min_replicas=p.gateway_min_replicas, gateway_max_replicas=p.gateway_max_replicas,
        edge_external_traffic_policy=p.edge_external_traffic_policy, edge_trusted_proxies=p.edge_trusted_proxies,
        sidecar_request=p.sidecar_request, sidecar_limit=p.sidecar_limit, service_type=service_type,
        proxy_protocol=p.edge_proxy_protocol(s.cluster.target), load_balancers=load_balancers)


def tartware_args(s: StackSettings, credentials: CredentialOutputs, platform: PlatformHandle,
                  secrets: SecretMaker) -> TartwareArgs:
    return TartwareArgs(s.tartware, credentials, platform, secrets, protect=s.protect)


def operations_args(s: StackSettings, platform: PlatformHandle, release: Any, credentials: CredentialOutputs,
                    secrets: SecretMaker) -> OperationsArgs:
    ep = platform.endpoints
    dump_host = ep.database_replica_host if s.data.postgres_read_replicas > 0 else ep.database_primary_host
    return OperationsArgs(ops=s.ops, dump_host=dump_host, domain=s.domain, protect=s.protect,
                          network_policies=s.platform.network_policies, tartware_namespace=s.tartware.namespace,
                          vpa_services=tuple(svc.name for svc in s.tartware.enabled_services),
                          platform=platform, release=release,
                          credentials=credentials, secrets=secrets,
                          load_test_edge=(s.platform.load_test_edge(s.cluster.target, s.domain)
                                          if s.ops.load_test is not None else None))


def _hours(seconds: int) -> str:
    return f"{seconds / 3600:g} h"


def recovery_point(s: StackSettings) -> str:
    """The recovery point objective of the stack's settings, as the plan and the outputs state it
    (docs/data-and-observability.md "Recovery objectives")."""
    backup = s.ops.backup
    archive = archive_args(s)
    if archive is not None:
        return (f"<= {ARCHIVE_TIMEOUT_SECONDS // 60} min for the loss of the whole cluster (WAL archived continuously "
                f"to {archive.destination}, archive_timeout {ARCHIVE_TIMEOUT_SECONDS} s); a failover loses "
                + ("nothing (postgresSynchronous=required)" if s.data.pg.synchronous == "required" else
                   "what the promoted standby had not received (replication lag; 0 with postgresSynchronous=required)"))
    if backup is None:
        return "no backup: everything since the cluster was created (backupEnabled=false)"
    return (f"up to {_hours(backup.max_interval_seconds)} (+ the dump's run) for the loss of the cluster: no WAL "
            f"archive without backupOffsiteBucket, only the nightly pg_dump ('{backup.schedule}') in the cluster; "
            f"a failed night doubles it (the backup alert fires at {_hours(backup.stale_after_seconds)}); a failover "
            "loses what the promoted standby had not received")


def database_output(s: StackSettings, platform: PlatformHandle) -> dict[str, Any]:
    """The ``database`` stack output: where PostgreSQL is, its pooler and archive, the RPO, and the
    guide's runbook commands for this deployment."""
    d, ep = s.data, platform.endpoints
    if not d.postgres:
        return {}
    cluster, pooler = d.pg.cluster, d.pooler
    limits = PoolerLimits.of(pooler)
    archive = archive_args(s)
    primary_pod = (f"$(kubectl get pod -n {DATABASE_NAMESPACE} -l cnpg.io/cluster={cluster},"
                   f"cnpg.io/instanceRole=primary -o name)")
    return {
        "address": f"{ep.database_host}:{ep.database_port}",
        "primary": f"{ep.database_primary_host}:{ep.database_port}",
        "replicas": f"{ep.database_replica_host}:{ep.database_port}" if d.postgres_read_replicas else "",
        "cluster": cluster,
        "instances": d.postgres_instances,
        "synchronous": d.pg.synchronous,
        "maxConnections": d.max_connections,
        "pooler": {"name": POOLER_NAME, "poolMode": "transaction", "instances": pooler.instances,
                   "maxClientConnections": pooler.max_client_conn, "defaultPoolSize": pooler.default_pool_size,
                   "maxDbConnections": pooler.max_db_connections,
                   "podsLost": limits.pods_lost, "clientCapacity": limits.client_capacity,
                   "serverConnections": limits.server_connections},
        "walArchive": f"{archive.destination}/{cluster}" if archive is not None else "",
        "baseBackupSchedule": d.pg.base_backup_schedule if archive is not None else "",
        "rpo": recovery_point(s),
        "runbook": {
            "psql": (f"kubectl run -it --rm debug --image=postgres:16 --restart=Never -- psql -h {ep.database_host} "
                     f"-U {ep.database_user} -d {ep.database_name}"),
            "pgDump": (f"kubectl exec -n {DATABASE_NAMESPACE} {primary_pod} -c postgres -- pg_dump -d "
                       f"{ep.database_name} > backup.sql"),
            "pods": f"kubectl get pods -n {DATABASE_NAMESPACE} -L cnpg.io/instanceRole",
        },
    }


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
            vpa_names=tuple(operations.vpa_names)),
        database=database_output(s, platform))
