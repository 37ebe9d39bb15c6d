"""Stack outputs: names and shapes documented in docs/operations.md, stable across cluster targets.

A DNS stack reads them through a ``StackReference``, CI through ``pulumi stack output --json``.
Every key is always present. Pulumi drops top-level ``null`` outputs, so what a target cannot know
is an empty string there (``ingressAddress`` before the edge has a LoadBalancer, ``kubeconfig``
when the ambient kubeconfig is used); inside objects it is ``null`` (a DNS record's ``value``).
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass
from typing import Any, Mapping, Optional

import pulumi

from components.operations import OperationsOutputs
from components.handles import ClusterHandle, PlatformHandle

# Public names under the stack's domain, in output order; `rancher` only when the stack manages it.
DNS_NAMES = ("api", "grafana", "jaeger", "prometheus")


@dataclass(frozen=True)
class OutputsArgs:
    environment: str
    domain: str
    tartware_namespace: str
    release_name: str  # the Tartware Helm release
    tls_cluster_issuer: str  # the chart's Ingress certificate issuer ("" = none)
    budget: Mapping[str, Any]  # the guide's budget of the enabled services (rules/budget.py as_output)
    cluster: ClusterHandle
    platform: PlatformHandle
    api_url: Any  # str or Output[str]
    secret_names: Any
    operations: OperationsOutputs
    database: Mapping[str, Any]  # PostgreSQL's addresses, pooler, archive, RPO, runbook (program/compose.py)


def record_type(address: Optional[str]) -> Optional[str]:
    """``A`` for an IPv4 address, ``AAAA`` for IPv6, ``CNAME`` for a hostname (an AWS load balancer)."""
    if not address:
        return None
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return "CNAME"
    return "A" if ip.version == 4 else "AAAA"


def public_hosts(domain: str, platform_hosts: Mapping[str, str], rancher_hostname: Optional[str],
                 internal: tuple[str, ...] = ()) -> dict[str, str]:
    """Hostname per public name: the platform's, else ``<name>.<domain>``; Rancher's when managed. The
    operator tools kept off the public gateway (``internal``: operatorAccess=internal) get no record."""
    hosts = {name: platform_hosts.get(name) or f"{name}.{domain}" for name in DNS_NAMES if name not in internal}
    if rancher_hostname:
        hosts["rancher"] = rancher_hostname
    return hosts


def dns_records(hosts: Mapping[str, str], address: Optional[str]) -> list[dict[str, Any]]:
    """One record per public host, all pointing at the edge's LoadBalancer address."""
    kind = record_type(address)
    return [{"name": host, "type": kind, "value": address or None} for host in hosts.values()]


def public_urls(hosts: Mapping[str, str], tls: bool, api_url: Optional[str] = None) -> dict[str, str]:
    scheme = "https" if tls else "http"
    urls = {name: f"{scheme}://{host}" for name, host in hosts.items()}
    if api_url:
        urls["api"] = api_url
    if "rancher" in urls:
        urls["rancher"] = f"https://{hosts['rancher']}"  # Rancher serves TLS only
    return urls


def _namespace_of(address: str) -> str:
    """The namespace of an in-cluster address: ``redis-master.cache.svc.cluster.local:6379`` ->
    ``cache``; URLs, pod DNS names (``redpanda-0.redpanda.messaging.svc...``) and seed lists too."""
    host = address.split("://")[-1].split(",")[0].split(":")[0]
    labels = host.split(".")
    return labels[labels.index("svc") - 1] if "svc" in labels else labels[1]


def namespaces(tartware_namespace: str, platform: PlatformHandle, operations: OperationsOutputs) -> dict[str, str]:
    """Namespace per role (where to point kubectl), from the same endpoints the pods dial."""
    ep = platform.endpoints
    ns = {
        "tartware": tartware_namespace,
        "database": _namespace_of(ep.database_host),
        "cache": _namespace_of(ep.redis_host),
        "messaging": _namespace_of(ep.kafka_brokers),
        "observability": _namespace_of(ep.otlp_endpoint),
        "edge": "istio-system",  # the guide: kubectl get svc -n istio-system istio-ingressgateway
    }
    if operations.namespace is not None:
        ns["operations"] = operations.namespace
    return ns


def export_outputs(args: OutputsArgs) -> None:
    """Every stack output, from the layers' handles (program/compose.py ``outputs_args``)."""
    cluster, platform, operations = args.cluster, args.platform, args.operations
    pulumi.export("environment", args.environment)
    pulumi.export("clusterTarget", cluster.target)
    pulumi.export("clusterName", cluster.name)
    pulumi.export("namespace", args.tartware_namespace)
    pulumi.export("releaseName", args.release_name)
    pulumi.export("apiUrl", args.api_url)
    pulumi.export("secretNames", args.secret_names)
    pulumi.export("budget", dict(args.budget))

    hosts = public_hosts(args.domain, platform.hosts, cluster.rancher_hostname, tuple(platform.internal_routes))
    address = platform.ingress_address
    tls = platform.tls or bool(args.tls_cluster_issuer)
    pulumi.export("domain", args.domain)
    # Pulumi drops top-level null outputs, so "not known (yet)" is an empty string; keys stay stable.
    if address is None:
        pulumi.export("ingressAddress", "")
        pulumi.export("dnsRecords", dns_records(hosts, None))
    else:  # an Output: the record type (A or CNAME) is known only with the address
        pulumi.export("ingressAddress", pulumi.Output.from_input(address).apply(lambda a: a or ""))
        pulumi.export("dnsRecords", pulumi.Output.from_input(address).apply(lambda a: dns_records(hosts, a)))
    pulumi.export("urls", public_urls(hosts, tls, args.api_url))
    kubeconfig = cluster.kubeconfig
    pulumi.export("kubeconfig", pulumi.Output.secret(kubeconfig if kubeconfig is not None else ""))
    pulumi.export("kubernetesVersion", cluster.kubernetes_version or "")
    # where the pods' traffic to the internet comes from, for third parties' allowlists
    pulumi.export("egressAddresses", list(cluster.egress_addresses))
    pulumi.export("namespaces", namespaces(args.tartware_namespace, platform, operations))
    pulumi.export("budgetTotals", {"min": args.budget["min"], "max": args.budget["max"]})
    # target-specific outputs (bare-metal registration command and join token, Rancher URL, ...)
    for key, value in cluster.exports.items():
        pulumi.export(key, value)
    if cluster.rancher_hostname:
        pulumi.export("rancherUrl", f"https://{cluster.rancher_hostname}")
    pulumi.export("operations", {
        "backupClaim": operations.backup_claim,
        "backupSchedule": operations.backup_schedule,
        "backupOffsite": operations.backup_offsite,
        "restoreJob": operations.restore_job,
        "loadTestJob": operations.load_test_job,
        # where the run's one aggregate summary is kept (components/operations/loadtest.py)
        "loadTestSummary": operations.load_test_summary,
        "verticalPodAutoscalers": list(operations.vpa_names),
    })
    # PostgreSQL: the app's address (the Pooler), the primary, the archive, the RPO of these
    # settings and the guide's runbook commands for this deployment (docs/operations.md)
    pulumi.export("database", dict(args.database))
