"""Observability in ``observability``: kube-prometheus-stack, prometheus-adapter, Jaeger, Loki + Alloy.

* kube-prometheus-stack: Prometheus, Alertmanager, Grafana (admin password generated with
  pulumi-random, read from the existing Secret ``grafana-admin``), the Prometheus Operator CRDs.
  Prometheus selects every ServiceMonitor/PodMonitor/PrometheusRule (``*NilUsesHelmValues:
  false``) and ours carry ``release: kube-prometheus-stack`` as well.
* the Tartware ServiceMonitor (labels the Tartware chart renders on its Services), ServiceMonitors
  for the data tier's exporters, PrometheusRules with the guide's thresholds, and the dashboards.
* prometheus-adapter serving ``http_requests_per_second`` and ``http_request_duration_p95`` as
  Pods custom metrics for the Tartware HPAs, from the mesh's per-pod request series
  (``signals.py``: the same series the dashboards and alerts use).
* Jaeger v2 all-in-one (OTLP in, query UI), Loki SingleBinary (``svc/loki:3100``), Alloy shipping
  pod logs through the Kubernetes API (no hostPath).

Node-exporter needs hostNetwork/hostPID/hostPath, which only the ``privileged`` Pod Security
level allows: it runs in its own namespace ``node-exporter`` so ``observability`` stays
``baseline`` (audit/warn ``restricted``).

This module wires the releases and objects; their values are functions in observability_values.py.
"""

from __future__ import annotations

from typing import Any, Optional

import pulumi
import pulumi_kubernetes as k8s
import pulumi_random as random

from facts import catalog, versions
from components.platform.observability_values import ObservabilityArgs
from facts.endpoints import (
    CACHE_NAMESPACE,
    CONSUL_NAMESPACE,
    DEFAULT_ENDPOINTS,
    JAEGER_RELEASE,
    LOAD_TEST_POD_LABELS,
    MESSAGING_NAMESPACE,
    OBSERVABILITY_NAMESPACE,
    OPS_NAMESPACE,
    OTLP_GRPC_PORT,
    REDPANDA_RELEASE,
    service_host,
)
from settings.observability_workloads import ADAPTER_RELEASE, ALLOY_RELEASE, LOKI_RELEASE

from ..base import TartwareComponent
from ..kit import ANYWHERE, Allow, NamespacePolicies, Peer, helm_release, namespace
from . import observability_values as values
from .dashboards import DASHBOARDS, dashboard_json
from .mesh import NAMESPACE as ISTIO_NAMESPACE
from .observability_values import (  # the names the wiring and its callers use
    GRAFANA_OAUTH_SECRET,
    GRAFANA_SECRET,
    GRAFANA_SERVICE,
    JAEGER_SERVICE,
    KPS_RELEASE,
    LOKI_SERVICE,
    MONITORING_API,
    NODE_EXPORTER_NAMESPACE,
    PROMETHEUS_POD_LABELS,
    PROMETHEUS_SERVICE,
    RELEASE_LABEL,
    prometheus_rules,
)

__all__ = ["Observability", "prometheus_rules"]

# Container ports behind the observability Services the gateway routes to (Grafana 3000,
# Prometheus 9090, Jaeger query UI 16686), allowed next to the Service ports Observability reports.
UI_TARGET_PORTS = {"grafana": 3000, "prometheus": 9090, "jaeger": 16686}
OTLP_PORTS = (4317, 4318)
OBSERVABILITY_WEBHOOK_PORTS = (10250, 6443)  # prometheus-operator admission webhook, prometheus-adapter API


class Observability(TartwareComponent):
    AREA = "observability"

    def __init__(self, name: str, args: ObservabilityArgs, opts: pulumi.ResourceOptions):
        super().__init__(name, opts)
        settings, provider, protect, domain = args.observability, self.provider, args.protect, args.domain
        meshed, remote_write_receiver = args.meshed, args.remote_write_receiver
        # Prometheus and Loki (memory-heavy) run on the memory pool when the cluster has one
        self.placement = args.placement
        self.meshed = meshed
        # the in-cluster load test's generators write their samples here (components/operations/loadtest.py)
        self.remote_write_receiver = remote_write_receiver
        s = settings
        self.settings = s
        self.namespace = OBSERVABILITY_NAMESPACE
        self.node_exporter_namespace = NODE_EXPORTER_NAMESPACE
        self.prometheus_pod_labels = dict(PROMETHEUS_POD_LABELS)
        self.custom_metrics: tuple[str, ...] = s.custom_metrics
        self.otlp_endpoint = DEFAULT_ENDPOINTS.otlp_endpoint  # OTLP/HTTP, what the apps use
        self.otlp_grpc_host = service_host(JAEGER_RELEASE, OBSERVABILITY_NAMESPACE)  # + OTLP_GRPC_PORT, for Istio
        self.otlp_grpc_port = OTLP_GRPC_PORT
        self.services: dict[str, tuple[str, int]] = {"grafana": GRAFANA_SERVICE, "prometheus": PROMETHEUS_SERVICE}
        if s.jaeger:
            self.services["jaeger"] = JAEGER_SERVICE
        if s.loki:
            self.services["loki"] = LOKI_SERVICE
        self.hosts = {"grafana": f"grafana.{domain}", "prometheus": f"prometheus.{domain}",
                      "jaeger": f"jaeger.{domain}"}

        ns_obs = namespace(f"{name}-namespace", OBSERVABILITY_NAMESPACE, "baseline", provider, self, protect=protect)
        ns_node = namespace(f"{name}-node-exporter-namespace", NODE_EXPORTER_NAMESPACE, "privileged", provider, self,
                            protect=protect)

        password = random.RandomPassword(f"{name}-grafana-admin", length=32, special=False, min_lower=2, min_upper=2,
                                         min_numeric=2, opts=self.child(protect=protect))
        self.grafana_admin_password = pulumi.Output.secret(password.result)
        grafana_secret = k8s.core.v1.Secret(
            f"{name}-grafana-admin",
            metadata=k8s.meta.v1.ObjectMetaArgs(name=GRAFANA_SECRET, namespace=OBSERVABILITY_NAMESPACE,
                                                labels={"app.kubernetes.io/part-of": catalog.PART_OF,
                                                        "app.kubernetes.io/managed-by": "pulumi"}),
            type="Opaque",
            string_data={"admin-user": "admin", "admin-password": self.grafana_admin_password},
            opts=self.child(provider, depends_on=[ns_obs]),
        )

        # Grafana's claim (and the operator's for Prometheus and Alertmanager) binds only once the
        # cluster's StorageClass and provisioner exist (args.volumes)
        kps_waits: list[pulumi.Resource] = [ns_obs, ns_node, grafana_secret, *args.volumes]
        self.grafana_sso = args.grafana_sso
        if self.grafana_sso is not None:  # Grafana's OAuth client secret, mounted as a file
            g = self.grafana_sso
            kps_waits.append(g.secrets.secret(
                self, f"{name}-grafana-oauth", GRAFANA_OAUTH_SECRET, OBSERVABILITY_NAMESPACE,
                {"client-secret": g.client_secret if g.client_secret is not None else ""}, "operator-sso",
                depends_on=[ns_obs], labels={"app.kubernetes.io/part-of": catalog.PART_OF,
                                             "app.kubernetes.io/managed-by": "pulumi"}))
        self.crd_release = helm_release(self, f"{name}-kube-prometheus-stack", versions.KUBE_PROMETHEUS_STACK,
                                        KPS_RELEASE, OBSERVABILITY_NAMESPACE, values.kps_values(args), provider,
                                        kps_waits, protect=protect)
        self.releases: list[pulumi.Resource] = [self.crd_release]
        if s.prometheus_adapter:
            # The adapter only queries Prometheus over HTTP: it does not wait for the kps release.
            self.adapter = helm_release(self, f"{name}-prometheus-adapter", versions.PROMETHEUS_ADAPTER,
                                        ADAPTER_RELEASE, OBSERVABILITY_NAMESPACE, values.adapter_values(s),
                                        provider, [ns_obs])
            self.releases.append(self.adapter)
        if s.jaeger:
            self.jaeger = helm_release(self, f"{name}-jaeger", versions.JAEGER, JAEGER_RELEASE, OBSERVABILITY_NAMESPACE,
                                       values.jaeger_values(s), provider, [ns_obs])
            self.releases.append(self.jaeger)
        if s.loki:
            # Loki's own ServiceMonitor needs the CRDs: real dependency on kube-prometheus-stack.
            self.loki = helm_release(self, f"{name}-loki", versions.LOKI, LOKI_RELEASE, OBSERVABILITY_NAMESPACE,
                                     values.loki_values(args), provider, [ns_obs, self.crd_release, *args.volumes],
                                     protect=protect)
            self.alloy = helm_release(self, f"{name}-alloy", versions.ALLOY, ALLOY_RELEASE, OBSERVABILITY_NAMESPACE,
                                      values.alloy_values(s), provider, [ns_obs])
            self.releases += [self.loki, self.alloy]

        def custom(resource: str, kind: str, obj_name: str, spec: dict[str, Any]) -> k8s.apiextensions.CustomResource:
            return k8s.apiextensions.CustomResource(
                f"{name}-{resource}",
                api_version=MONITORING_API,
                kind=kind,
                metadata=k8s.meta.v1.ObjectMetaArgs(
                    name=obj_name, namespace=OBSERVABILITY_NAMESPACE,
                    labels={**RELEASE_LABEL, "app.kubernetes.io/part-of": catalog.PART_OF}),
                spec=spec,
                opts=self.child(provider, depends_on=[self.crd_release]),
            )

        self.service_monitors = [
            custom("tartware-servicemonitor", "ServiceMonitor", "tartware-services",
                   values.tartware_service_monitor(self.meshed)),
            # Redis (redis-ha): redis_exporter on the Service redis-redis-ha and HAProxy's own
            # exporter on redis-redis-ha-haproxy, both on the port named http-exporter-port (the
            # per-node announce Services name theirs http-exporter, so each node is scraped once).
            # PostgreSQL's instances and poolers have PodMonitors of their own (components/platform/postgres.py).
            custom("data-exporters-servicemonitor", "ServiceMonitor", "data-tier-exporters", {
                "namespaceSelector": {"matchNames": [CACHE_NAMESPACE]},
                "selector": {"matchLabels": {"app": "redis-ha"}},
                "endpoints": [{"port": "http-exporter-port", "interval": "30s"}],
            }),
            custom("redpanda-servicemonitor", "ServiceMonitor", "redpanda", {
                "namespaceSelector": {"matchNames": [MESSAGING_NAMESPACE]},
                "selector": {"matchLabels": {"app.kubernetes.io/name": "redpanda",
                                             "app.kubernetes.io/instance": REDPANDA_RELEASE}},
                "endpoints": [{"port": "admin", "path": "/public_metrics", "interval": "30s"}],
            }),
            custom("consul-servicemonitor", "ServiceMonitor", "consul-server", {
                "namespaceSelector": {"matchNames": [CONSUL_NAMESPACE]},
                "selector": {"matchLabels": {"app": "consul", "component": "server"}},
                "endpoints": [{"port": "http", "path": "/v1/agent/metrics", "params": {"format": ["prometheus"]},
                               "interval": "30s"}],
            }),
        ]
        if s.jaeger:
            self.service_monitors.append(custom("jaeger-servicemonitor", "ServiceMonitor", "jaeger", {
                "selector": {"matchLabels": {"app.kubernetes.io/name": "jaeger",
                                             "app.kubernetes.io/instance": JAEGER_RELEASE}},
                "endpoints": [{"port": "internal-metrics", "interval": "30s"}],
            }))
        if self.meshed:
            # The control plane and the edge (istio/istio@1.22.8 samples/addons/extras/prometheus-operator.yaml):
            # istiod's Service port http-monitoring (15014), the ingress gateway's Envoy stats on its
            # http-envoy-prom container port (15090, gateway chart templates/deployment.yaml).
            self.service_monitors.append(custom("istiod-servicemonitor", "ServiceMonitor", "istiod", {
                "namespaceSelector": {"matchNames": [ISTIO_NAMESPACE]},
                "selector": {"matchLabels": {"app": "istiod", "istio": "pilot"}},
                "endpoints": [{"port": "http-monitoring", "interval": "15s"}],
            }))
            self.service_monitors.append(custom("gateway-podmonitor", "PodMonitor", "istio-ingressgateway", {
                "namespaceSelector": {"matchNames": [ISTIO_NAMESPACE]},
                "selector": {"matchLabels": {"istio": "ingressgateway"}},
                "podMetricsEndpoints": [{"port": "http-envoy-prom", "path": "/stats/prometheus", "interval": "15s"}],
            }))
        self.prometheus_rule = custom("tartware-rules", "PrometheusRule", "tartware", {"groups": prometheus_rules()})

        self.dashboards = [
            k8s.core.v1.ConfigMap(
                f"{name}-dashboard-{dash}",
                metadata=k8s.meta.v1.ObjectMetaArgs(
                    name=f"{dash}-dashboard", namespace=OBSERVABILITY_NAMESPACE,
                    labels={"grafana_dashboard": "1", "app.kubernetes.io/part-of": catalog.PART_OF}),
                data={f"{dash}.json": dashboard_json(dash)},
                opts=self.child(provider, depends_on=[ns_obs]),
            )
            for dash in DASHBOARDS
        ]
        self.register_outputs({
            "namespace": self.namespace,
            "services": {k: list(v) for k, v in self.services.items()},
            "customMetrics": list(self.custom_metrics),
            "otlpEndpoint": self.otlp_endpoint,
        })

    def network_policies(self, tartware: Peer, gateway: Optional[Peer], public_operator_hosts: bool
                         ) -> list[NamespacePolicies]:
        """observability's allows: its own pods, OTLP from the Tartware services (and the mesh's gateway,
        ``gateway`` when meshed), the operator UIs through the gateway when their hosts are public, the API
        server to the webhooks, the load test's generators to Prometheus; node-exporter's namespace
        denied (hostNetwork pods: policies do not apply to them)."""
        ui_ports = sorted({*(port for _, port in self.services.values()), *UI_TARGET_PORTS.values()})
        policies = [NamespacePolicies(self.namespace, (
            Allow("allow-same-namespace", {}, [Peer()]),
            Allow("allow-otlp", {}, [tartware] + ([gateway] if gateway is not None else []), OTLP_PORTS),
            *([Allow("allow-ingressgateway", {}, [gateway], ui_ports)]
              if gateway is not None and public_operator_hosts else []),
            Allow("allow-webhooks", {}, [ANYWHERE], OBSERVABILITY_WEBHOOK_PORTS),
            # k6 generators remote-write to Prometheus, the coordinator queries it
            # (components/operations/loadtest.py)
            *([Allow("allow-load-test", self.prometheus_pod_labels,
                     [Peer(OPS_NAMESPACE, LOAD_TEST_POD_LABELS)], (9090,))]
              if self.remote_write_receiver else []),
        ), (self,))]
        extra_ns = self.node_exporter_namespace
        if extra_ns and extra_ns != self.namespace:  # an allow would admit nothing either
            policies.append(NamespacePolicies(extra_ns, (), (self,)))
        return policies
