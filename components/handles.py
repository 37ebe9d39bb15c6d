"""What each layer hands to the layers above it. Plain, typed, no behaviour."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Mapping, Optional, Sequence

import pulumi
import pulumi_kubernetes as k8s

from facts.endpoints import DEFAULT_ENDPOINTS, DataTierEndpoints


@dataclass(frozen=True)
class ClusterHandle:
    """Every cluster target exposes this; everything above receives ``provider`` explicitly."""

    provider: k8s.Provider
    name: pulumi.Output
    target: str
    kubeconfig: Optional[pulumi.Output]  # secret; None when the ambient kubeconfig is used
    resources: Sequence[pulumi.Resource] = ()  # stateful cluster resources (for audits)
    rancher_hostname: Optional[str] = None  # set when this stack manages Rancher (DNS record)
    kubernetes_version: Optional[str] = None  # when the target pins it: EKS "1.35", RKE2 "1.34.1"
    # Stack outputs the target publishes (registration commands, join token, kubeconfig, ...);
    # secret values stay secret. Exported by components/cluster.py:build_cluster.
    exports: Mapping[str, Any] = field(default_factory=dict)
    # Public IPv4 addresses pods reach the internet (and the cluster's own public load balancer)
    # from, when the target creates them: EKS, the NAT gateways' Elastic IPs. Outputs.
    egress_addresses: Sequence[Any] = ()
    # What a LoadBalancer Service waits for before it can get an address (MetalLB's pool and
    # advertisement on the RKE2 targets; nothing where the cloud or the environment assigns them).
    load_balancers: Sequence[pulumi.Resource] = ()
    # What a PersistentVolumeClaim waits for before it can bind: the default StorageClass and its
    # provisioner when this stack installs them (EKS gp3 + EBS CSI, bare-metal Longhorn/local-path).
    volumes: Sequence[pulumi.Resource] = ()


@dataclass(frozen=True)
class PlatformHandle:
    """What the platform layer gives the Tartware release and the outputs."""

    endpoints: DataTierEndpoints = DEFAULT_ENDPOINTS
    # Labels for the tartware-system namespace (mesh injection, Pod Security Admission level).
    tartware_namespace_labels: Mapping[str, str] = field(default_factory=dict)
    # Deep-merged into the Tartware chart values (route mode, ServiceMonitor, metrics, ...).
    chart_overrides: Mapping[str, Any] = field(default_factory=dict)
    # What the Tartware release must wait for (real dependencies only: mesh webhook, data tier).
    release_dependencies: Sequence[pulumi.Resource] = ()
    # LoadBalancer hostname or IP of the edge (istio-ingressgateway), when known.
    ingress_address: Optional[pulumi.Output] = None
    # Public hostnames by route name: {"api": "api.tartware.local", ...}
    hosts: Mapping[str, str] = field(default_factory=dict)
    # Route names of operator tools kept off the public gateway (operatorAccess=internal): no DNS record
    internal_routes: tuple[str, ...] = ()
    # True when the edge serves the routes over HTTPS (the gateway holds a cert-manager certificate).
    tls: bool = False
    # The release that installs the Prometheus Operator CRDs (PrometheusRule, ServiceMonitor, ...).
    monitoring_crds: Optional[pulumi.Resource] = None
    # What the restore Job waits for: the PostgreSQL Cluster (Ready) and the NetworkPolicies that
    # admit their pods (a restore Job runs once, backoffLimit 0, and is not awaited).
    database: Sequence[pulumi.Resource] = ()
    # What an in-cluster client of istio-ingressgateway's Service waits for (the load tests on the
    # edge path, PlatformSettings.load_test_edge): the gateway's Deployment, Service and routes.
    edge: Sequence[pulumi.Resource] = ()
