"""The rules across settings sections, run by the loader once every section is valid.

Every rule of ``rules/`` takes the settings model (``settings/model.py`` ``StackSettings``) and
records problems; none reads configuration. The capacity rule is in ``capacity.py`` (with the
budget of ``budget.py``); the others are here.
"""

from __future__ import annotations

from typing import Optional

from . import capacity, redis_load
from settings import targets
from settings.errors import ProblemCollector, key
from settings.model import StackSettings
from settings.platform import (
    ACME_ISSUER,
    CA_ISSUER,
    LOAD_BALANCERS,
    SELF_SIGNED_ISSUER,
    check_kubernetes,
    is_public,
)


def check(settings: StackSettings, problems: ProblemCollector) -> None:
    """Every cross-section rule: capacity, platform, operations, the data tier's needs."""
    capacity.check(settings, problems)
    check_platform(settings, problems)
    check_ops(settings, problems)
    check_data(settings, problems)
    check_access(settings, problems)
    check_load_test(settings, problems)
    redis_load.check(settings, problems)


# CloudNativePG's chart and the Barman Cloud plugin's chart both declare kubeVersion ">=1.29.0-0"
# (cloudnative-pg/charts@cloudnative-pg-v0.29.0 and @plugin-barman-cloud-v0.7.0 Chart.yaml): Helm
# refuses to install them on an older cluster; the plugin's sidecar is a native sidecar (an init
# container with restartPolicy Always, cloudnative-pg/plugin-barman-cloud@v0.13.0
# internal/cnpgi/operator/lifecycle.go), on by default from Kubernetes 1.29.
CNPG_KUBERNETES_MIN = (1, 29)


def check_data(settings: StackSettings, problems: ProblemCollector) -> None:
    """The PostgreSQL cluster's needs outside its own section.

    * a point-in-time recovery reads the archive in the off-site bucket: ``postgresRecoverySource``
      needs ``backupOffsiteBucket``;
    * WAL archiving runs through the Barman Cloud plugin, whose gRPC certificates cert-manager issues
      (its chart renders cert-manager Issuer/Certificates): with a bucket, cert-manager must be on;
    * CloudNativePG needs Kubernetes 1.29+ where the target pins the version.
    """
    d = settings.data
    if not d.postgres:
        return
    offsite = settings.ops.offsite
    if d.pg.recovery_source and offsite is None:
        problems.add(key("postgresRecoverySource"), "a point-in-time recovery reads the WAL archive in the off-site "
                     "bucket: set backupOffsiteBucket (with its region and credentials) first", d.pg.recovery_source)
    if offsite is not None and not settings.platform.cert_manager:
        problems.add(key("platformComponents", "certManager"), "WAL archiving to backupOffsiteBucket runs through the "
                     "Barman Cloud plugin, whose certificates cert-manager issues; allowed: true, or no "
                     "backupOffsiteBucket", False)
    minor = settings.cluster.kubernetes_minor
    if minor and tuple(int(x) for x in minor.split(".")[:2]) < CNPG_KUBERNETES_MIN:
        setting = targets.target(settings.cluster.target).version_key or "kubernetesVersion"
        problems.add(key(setting), f"CloudNativePG (PostgreSQL) needs Kubernetes 1.{CNPG_KUBERNETES_MIN[1]} or newer, "
                     f"the cluster runs {minor}; allowed: 1.{CNPG_KUBERNETES_MIN[1]}+ (or dataComponents.postgres "
                     "false)", minor)


def check_platform(settings: StackSettings, problems: ProblemCollector,
                kubernetes_version: Optional[str] = None) -> None:
    """Rules across sections; run by the settings assembly after every section is valid.

    * ACME cannot issue for a private domain (``.local`` ...): names ``certIssuer``.
    * ``hpaRequestsPerSecondTarget`` > 0 needs the prometheus-adapter to serve
      ``http_requests_per_second``: names ``hpaRequestsPerSecondTarget``.
    * ``tlsClusterIssuer`` must name a ClusterIssuer this stack creates (when cert-manager is ours).
    * the Istio line must support the cluster's Kubernetes version, when the target pins one.
    """
    p = settings.platform
    domain = settings.domain
    if p.cert_issuer == "acme" and not is_public(domain):
        problems.add(key("certIssuer"), f"ACME (Let's Encrypt) cannot issue for the private domain {domain!r}; "
                     "use certIssuer=selfSigned (or auto), or a public domain", "acme")
    served = settings.observability.custom_metrics
    listed = ", ".join(served) or "none"
    rps = settings.requests_per_second_target
    if rps > 0 and "http_requests_per_second" not in served:
        problems.add(key("hpaRequestsPerSecondTarget"),
                     "adds the Pods metric http_requests_per_second to every HPA, but no metrics adapter serves it "
                     f"(served: {listed}); enable the prometheus-adapter in the observability settings or set 0", rps)
    for spec in settings.tartware.enabled_services:
        unserved = [m.name for m in spec.custom_metrics if m.name not in served]
        if unserved and not (rps > 0 and unserved == ["http_requests_per_second"]):
            problems.add(key("services", spec.name, "customMetrics"),
                         f"no metrics adapter serves {', '.join(unserved)}; served: {listed}", unserved)
    issuer = settings.tartware.tls_cluster_issuer if settings.tartware else ""
    if issuer and p.cert_manager:
        ours = {SELF_SIGNED_ISSUER, CA_ISSUER} | ({ACME_ISSUER} if p.issuer_for(domain) == ACME_ISSUER else set())
        if issuer not in ours:
            problems.add(key("tlsClusterIssuer"),
                         f"no such ClusterIssuer in this stack; allowed: {', '.join(sorted(ours))}", issuer)
    target = settings.cluster.target
    traits = targets.target(target)
    if p.load_balancer_setting == "cloud-provider-kind" and not traits.kind_load_balancer:
        problems.add(key("loadBalancer"), "cloud-provider-kind serves kind clusters (clusterTarget="
                     f"{' or '.join(targets.having('kind_load_balancer'))}), not "
                     f"clusterTarget={target}; allowed: {', '.join(LOAD_BALANCERS)}", p.load_balancer_setting)
    if p.load_balancer_setting == "cloud" and not traits.cloud_load_balancer:
        problems.add(key("loadBalancer"), f"clusterTarget={target} (RKE2 through Rancher) installs no cloud load "
                     "balancer; use metallb (installed there from loadBalancerAddresses) or none",
                     p.load_balancer_setting)
    kubernetes_version = kubernetes_version or settings.cluster.kubernetes_minor
    if kubernetes_version:
        check_kubernetes(p, kubernetes_version, problems)
    check_edge_address(settings, problems)
    if (p.istio and p.edge_rate_limit and p.edge_external_traffic_policy == "Cluster"
            and not p.edge_proxy_protocol(target) and not p.edge_trusted_proxies):
        # kubernetes.io/docs/tutorials/services/source-ip ("Source IP for Services with
        # Type=NodePort"): with Cluster the node SNATs the packet to its own address
        problems.add(key("edgeExternalTrafficPolicy"),
                     "Cluster hides the client's address behind a node's (SNAT), so the per-client limit "
                     f"(edgeRateLimit={p.edge_rate_limit}) would count every client of a node as one; allowed: "
                     "Local, or edgeRateLimit 0, or edgeTrustedProxies when a proxy in front sets X-Forwarded-For",
                     "Cluster")


def check_load_test(settings: StackSettings, problems: ProblemCollector) -> None:
    """What the platform can carry of the load test (settings/ops.py LoadTestSettings.problems): the edge
    path where it exists, each generator below the per-client limit there, enough accounts for the
    app's login throttle."""
    lt = settings.ops.load_test
    if lt is None:
        return
    p, target = settings.platform, settings.cluster.target
    for name, message, value in lt.problems(p.load_test_edge(target, settings.domain),
                                            p.edge_unavailable_because(target)):
        problems.add(key(name), message, value)


def check_edge_address(settings: StackSettings, problems: ProblemCollector) -> None:
    """On an existing cluster behind a cloud load balancer the program cannot tell whether the load
    balancer hides client addresses (AWS's does: PROXY protocol) or keeps them: the stack says so."""
    p = settings.platform
    target = settings.cluster.target
    if (targets.target(target).on_aws is None and p.load_balancer_for(target) == "cloud" and p.istio
            and p.edge_rate_limit and p.existing_cluster_cloud is None):
        problems.add(key("existingClusterCloud"),
                     f"required with clusterTarget={target}, loadBalancer=cloud and edgeRateLimit={p.edge_rate_limit}: "
                     "the per-client limit needs each client's address, which an AWS load balancer hides unless "
                     "the PROXY protocol carries it; allowed: aws (enables the PROXY protocol), other (the load "
                     "balancer keeps client addresses with externalTrafficPolicy Local), or edgeRateLimit 0", None)


def check_ops(settings: StackSettings, problems: ProblemCollector) -> None:
    """Rules that need the cluster target; run once every section is valid.

    * etcd snapshots of the Rancher targets (vsphere, baremetal) go to the same bucket through a
      Rancher cloud credential, which holds access keys: IRSA alone cannot serve them.
    """
    offsite = settings.ops.offsite
    if offsite is None:
        return
    target = settings.cluster.target
    etcd_offsite = targets.target(target).etcd_offsite
    if offsite.role_arn and etcd_offsite:
        problems.add(key("backupOffsiteRoleArn"), f"IRSA is for EKS; clusterTarget={target} sends etcd snapshots "
                     "to the bucket with access keys: set backupOffsiteAccessKeyId and backupOffsiteSecretAccessKey "
                     "instead", offsite.role_arn)
    if offsite.endpoint.startswith("http://") and etcd_offsite:
        problems.add(key("backupOffsiteEndpoint"), f"clusterTarget={target} sends etcd snapshots there and "
                     "Rancher's S3 settings offer no plain-http switch: use an https endpoint", offsite.endpoint)


def check_access(settings: StackSettings, problems: ProblemCollector) -> None:
    """operatorAccess against the platform (docs/platform.md "Operator access").

    * sso and allowlist guard routes on the Istio gateway: without Istio there is no gateway to guard
      (and no operator route): use internal.
    * sso: oauth2-proxy's session cookie is ``Secure`` (oauth2-proxy@v7.15.3 ``--cookie-secure``
      default true), so the operator hosts must be served over HTTPS: the gateway certificate comes
      from cert-manager. The client secret is a Pulumi secret with generated Secrets; with Vault it is
      read from ``<vaultPathPrefix>/operator-sso``.
    * allowlist matches ``remoteIpBlocks``, the client address Envoy derives at the gateway (the
      connection's peer, or X-Forwarded-For with edgeTrustedProxies): with
      ``edgeExternalTrafficPolicy: Cluster`` the node SNATs the client to its own address
      (kubernetes.io/docs/tutorials/services/source-ip), so unless the PROXY protocol (eks) or a
      trusted proxy carries it there is no client address to match.
    """
    access, p = settings.access, settings.platform
    mode = access.mode
    if mode in ("sso", "allowlist") and not p.istio:
        problems.add(key("operatorAccess"), f"{mode} guards the operator hosts on the Istio gateway, and "
                     "platformComponents.istio is false (no operator host is routed); allowed: internal", mode)
        return
    if mode == "sso":
        if not p.cert_manager:
            problems.add(key("operatorAccess"), "sso needs HTTPS on the operator hosts (oauth2-proxy's session "
                         "cookie is Secure) and platformComponents.certManager is false; allowed: "
                         "platformComponents.certManager=true, or operatorAccess allowlist/internal", mode)
        sso = access.sso
        if sso is not None and sso.client_secret is None and not settings.security.uses_vault:
            problems.add(key("operatorSsoClientSecret"), "missing required secret when operatorAccess=sso; set it "
                         "with `pulumi config set --secret operatorSsoClientSecret <value>` (or use "
                         "secretsBackend=vault: <vaultPathPrefix>/operator-sso {client-secret, cookie-secret})")
    target = settings.cluster.target
    # On an existing cluster behind a cloud load balancer the program cannot tell whether the load
    # balancer keeps client addresses: AWS's Classic Load Balancer connects from its own address ("the
    # access logs ... contain the IP address of the load balancer instead of the originating client",
    # docs.aws.amazon.com/elasticloadbalancing/latest/classic/enable-proxy-protocol.html), so an
    # allowlist would match the load balancer's addresses. The stack says which cloud (aws enables the
    # PROXY protocol), as check_edge_address asks when the per-client limit is on.
    if (mode == "allowlist" and targets.target(target).on_aws is None and p.load_balancer_for(target) == "cloud"
            and p.existing_cluster_cloud is None and not p.edge_trusted_proxies and not p.edge_rate_limit):
        problems.add(key("existingClusterCloud"),
                     f"required with operatorAccess=allowlist on clusterTarget={target} with loadBalancer=cloud: the "
                     "allowlist matches each client's address, which an AWS load balancer hides unless the PROXY "
                     "protocol carries it; allowed: aws (enables the PROXY protocol), other (the load balancer keeps "
                     "client addresses with externalTrafficPolicy Local), or operatorAccess sso/internal", None)
    if (mode == "allowlist" and p.edge_external_traffic_policy == "Cluster" and not p.edge_proxy_protocol(target)
            and not p.edge_trusted_proxies):
        problems.add(key("operatorAllowedCidrs"),
                     "no client address to match: edgeExternalTrafficPolicy=Cluster hides it behind a node's "
                     f"(SNAT), and on clusterTarget={target} no PROXY protocol carries it; allowed: "
                     "edgeExternalTrafficPolicy=Local, edgeTrustedProxies when a proxy in front sets "
                     "X-Forwarded-For, or operatorAccess sso/internal", list(access.allowed_cidrs))
