"""The observability charts' values, as functions of the component's args (the wiring is in
observability.py), and the names, alerts and Alloy configuration they carry.

Each function is what one Helm release of components/platform/observability.py receives; the keys
are checked against the chart's values.yaml at its pin (facts/versions.py). The pods' resources and
replica counts come from the workload table, settings/observability_workloads.py (``with_workloads``),
which the capacity check sums too.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Optional

import pulumi

from facts import catalog
from facts.endpoints import JAEGER_RELEASE, OBSERVABILITY_NAMESPACE, service_host
from settings.nodes import Placement
from settings.observability import HTTP_P95, HTTP_RPS, ObservabilitySettings
from settings.observability_workloads import (
    ALLOY,
    JAEGER,
    KPS_RELEASE,
    KUBE_PROMETHEUS_STACK,
    LOKI,
    NODE_EXPORTER_NAMESPACE,
    PROMETHEUS_ADAPTER,
    count,
    with_workloads,
)

from ..kit import restricted_pod
from ..secrets import SecretMaker
from . import signals

GRAFANA_SECRET = "grafana-admin"
GRAFANA_OAUTH_SECRET = "grafana-oauth"  # key client-secret (operatorAccess=sso)
GRAFANA_OAUTH_DIR = "/etc/secrets/grafana-oauth"
MONITORING_API = "monitoring.coreos.com/v1"
RELEASE_LABEL = {"release": KPS_RELEASE}
TARTWARE_NS = catalog.NAMESPACE

# Service names the charts render (kps fullname "kube-prometheus-stack" <= 26 chars; grafana subchart
# "<release>-grafana"; Jaeger 4.x single Service "jaeger"; Loki SingleBinary Service "loki").
PROMETHEUS_SERVICE = (f"{KPS_RELEASE}-prometheus", 9090)
ALERTMANAGER_SERVICE = (f"{KPS_RELEASE}-alertmanager", 9093)
GRAFANA_SERVICE = (f"{KPS_RELEASE}-grafana", 80)
JAEGER_SERVICE = (JAEGER_RELEASE, 16686)
LOKI_SERVICE = ("loki", 3100)
# The kps Prometheus Service selector (templates/prometheus/service.yaml at the pin).
PROMETHEUS_POD_LABELS = {"app.kubernetes.io/name": "prometheus",
                         "operator.prometheus.io/name": f"{KPS_RELEASE}-prometheus"}

# Custom metrics the adapter serves, from the same series as the dashboards and alerts.
ADAPTER_RULES = signals.adapter_rules(HTTP_RPS, HTTP_P95)

# The guide's thresholds ("Key Metrics to Monitor", "Expected Performance") and the platform's
# HighRequestRate (red2n/tartware@a2583469 platform/observability/prometheus-config.yaml).
REQUEST_RATE_MAX = 25000  # req/s
P95_MAX_SECONDS = 0.5
P99_MAX_SECONDS = 1.0
ERROR_RATE_MAX = 0.05
CPU_UTILISATION_MAX = 0.70  # top of the guide's expected 60-70 %
MEMORY_UTILISATION_MAX = 0.80  # top of the guide's expected 70-80 %
POD_COUNT_MAX = 400  # the guide's total capacity "~400 pods"

NS = signals.NS


@dataclass(frozen=True)
class GrafanaSsoArgs:
    """Grafana's own generic OAuth against the operators' OIDC provider: per-person sign-in and roles."""

    client_id: str
    auth_url: str
    token_url: str
    userinfo_url: str
    admin_groups: tuple[str, ...]
    editor_groups: tuple[str, ...]
    client_secret: Optional[pulumi.Input[str]]  # secret; None with the Vault backend
    secrets: SecretMaker


@dataclass(frozen=True)
class ObservabilityArgs:
    observability: ObservabilitySettings
    protect: bool
    domain: str
    meshed: bool = False
    placement: Placement = Placement()
    remote_write_receiver: bool = False  # the k6 load profile writes its samples to Prometheus
    volumes: tuple[pulumi.Resource, ...] = ()  # what the releases' claims wait for (ClusterHandle.volumes)
    grafana_sso: Optional[GrafanaSsoArgs] = None  # operatorAccess=sso: Grafana's own OAuth sign-in


def prometheus_rules() -> list[dict[str, Any]]:
    def alert(name: str, expr: str, for_: str, severity: str, summary: str) -> dict[str, Any]:
        return {"alert": name, "expr": expr, "for": for_, "labels": {"severity": severity, "team": "tartware"},
                "annotations": {"summary": summary}}

    by = signals.SERVICE_LABEL
    p95 = signals.latency_seconds(0.95, by=by)
    p99 = signals.latency_seconds(0.99, by=by)
    errors = signals.error_ratio(signals.API)
    cpu = (f'sum(rate(container_cpu_usage_seconds_total{{{NS},container!=""}}[5m])) / '
           f'sum(kube_pod_container_resource_requests{{{NS},resource="cpu"}})')
    memory = (f'sum(container_memory_working_set_bytes{{{NS},container!=""}}) / '
              f'sum(kube_pod_container_resource_requests{{{NS},resource="memory"}})')
    return [
        {"name": "tartware.recording", "rules": [
            {"record": "tartware:api_requests:rate1m", "expr": signals.rate(signals.API)},
            {"record": "tartware:api_request_duration_seconds:p95", "expr": signals.latency_seconds(0.95, signals.API)},
            {"record": "tartware:api_request_duration_seconds:p99", "expr": signals.latency_seconds(0.99, signals.API)},
            {"record": "tartware:api_errors:ratio5m", "expr": errors},
            {"record": "tartware:pods:count", "expr": f"count(kube_pod_info{{{NS}}})"},
        ]},
        {"name": "tartware.alerts", "rules": [
            alert("TartwareHighRequestRate", f"{signals.rate(signals.API)} > {REQUEST_RATE_MAX}", "1m", "warning",
                  f"Request rate above {REQUEST_RATE_MAX} req/s"),
            alert("TartwareHighLatencyP95", f"{p95} > {P95_MAX_SECONDS}", "2m", "warning",
                  "P95 latency of {{ $labels.destination_workload }} above 500 ms"),
            alert("TartwareHighLatencyP99", f"{p99} > {P99_MAX_SECONDS}", "2m", "critical",
                  "P99 latency of {{ $labels.destination_workload }} above 1 s"),
            alert("TartwareHighErrorRate", f"{errors} > {ERROR_RATE_MAX}", "2m", "critical",
                  "More than 5 % of API requests fail (5xx at api-gateway)"),
            alert("TartwarePodCountAtCapacity", f"count(kube_pod_info{{{NS}}}) > {POD_COUNT_MAX}", "10m", "warning",
                  f"More than {POD_COUNT_MAX} Tartware pods: the guide's total capacity"),
            alert("TartwareHPAMaxedOut", f"kube_horizontalpodautoscaler_status_current_replicas{{{NS}}} >= "
                  f"kube_horizontalpodautoscaler_spec_max_replicas{{{NS}}}", "10m", "critical",
                  "{{ $labels.horizontalpodautoscaler }} is at maxReplicas"),
            alert("TartwareHighCPUUtilisation", f"{cpu} > {CPU_UTILISATION_MAX}", "15m", "warning",
                  "CPU usage above 70 % of requests (guide: 60-70 %)"),
            alert("TartwareHighMemoryUtilisation", f"{memory} > {MEMORY_UTILISATION_MAX}", "15m", "warning",
                  "Memory working set above 80 % of requests (guide: 70-80 %)"),
            alert("TartwareServiceDown", f'up{{{NS}}} == 0', "1m", "critical", "{{ $labels.service }} target is down"),
        ]},
        {"name": "tartware.edge", "rules": edge_alerts(alert)},
    ]


# The edge's thresholds (docs/platform.md "Watching the edge").
EDGE_LIMITED_RATIO_MAX = 0.01  # 429s from the per-client limit: more than 1 % of its decisions
GATEWAY_403_RATIO_MAX = 0.01  # 403s at api-gateway (its in-app limiter's over-limit answer)
EDGE_LATENCY_P99_MAX_SECONDS = 0.025  # half the gateway's 50 ms timeout (ratelimit.RLS_TIMEOUT)


def edge_alerts(alert: Any) -> list[dict[str, Any]]:
    """429s at the edge, 403s from the app's limiter, the limiter's errors and latency, fail-open."""
    s = signals
    return [
        alert("TartwareEdgeRateLimited", f"{s.edge_limited_ratio()} > {EDGE_LIMITED_RATIO_MAX}", "10m", "warning",
              "More than 1 % of edge requests are answered 429 by the per-client limit"),
        alert("TartwareEdgeBackstopRateLimited", f"{s.per_second(s.EDGE_BACKSTOP_LIMITED)} > 1", "10m", "warning",
              "The per-connection backstop answers 429 (one connection above edgeRateLimit)"),
        alert("TartwareGatewayForbiddenShare",
              f"({s.per_second(s.REQUESTS, s.GATEWAY_403)} / {s.per_second(s.REQUESTS, s.API)})"
              f" > {GATEWAY_403_RATIO_MAX}",
              "10m", "warning",
              "More than 1 % of API requests are answered 403 (the gateway's own limiter answers 403)"),
        alert("TartwareEdgeRateLimitErrors",
              # either side may have no series at all (no error yet): `or vector(0)` keeps the sum
              f"(({s.per_second(s.RL_ERRORS)} or vector(0)) + ({s.per_second(s.EDGE_CALL_ERRORS)} or vector(0))) > 0",
              "5m", "critical",
              "The edge rate limit fails: Redis errors in the ratelimit service or failed calls from the gateway"),
        alert("TartwareEdgeRateLimitFailOpen", f"{s.per_second(s.EDGE_FAIL_OPEN)} > 0", "5m", "critical",
              "Requests pass the edge unlimited: the ratelimit service did not answer in time (fail open)"),
        alert("TartwareEdgeRateLimitSlow", f"{s.edge_latency_seconds(0.99)} > {EDGE_LATENCY_P99_MAX_SECONDS}", "10m",
              "warning", "P99 of the ratelimit service's answers above 25 ms (the gateway gives up at 50 ms)"),
    ]


def grafana_role_path(admin: tuple[str, ...], editor: tuple[str, ...]) -> str:
    """JMESPath over the ID token/UserInfo claims that gives each person a Grafana role from the
    ``groups`` claim: Admin, Editor, else Viewer (grafana.com/docs/grafana/latest/setup-grafana/
    configure-security/configure-authentication/generic-oauth, "role_attribute_path"). Group names
    cannot hold quotes (settings/access.py), so they are safe inside the literals."""
    def any_of(groups: tuple[str, ...]) -> str:
        return " || ".join(f"contains(groups || `[]`, '{g}')" for g in groups)
    parts = [f"({any_of(groups)}) && '{role}'" for role, groups in (("Admin", admin), ("Editor", editor)) if groups]
    return " || ".join([*parts, "'Viewer'"])


def grafana_oauth(g: GrafanaSsoArgs) -> dict[str, Any]:
    """grafana.ini [auth.generic_oauth] (Grafana 12.3, the grafana chart 10.5.15 appVersion): sign-in
    with the operators' OIDC client, PKCE, a role from the groups claim on every login. Generic OAuth
    has no OIDC discovery, hence the three endpoints. The client secret is read from the mounted file
    (Grafana's ``$__file{}`` variable expansion), never an environment variable or a values field."""
    return {
        "enabled": True,
        "name": "SSO",
        "client_id": g.client_id,
        "client_secret": f"$__file{{{GRAFANA_OAUTH_DIR}/client-secret}}",
        "scopes": "openid email profile",
        "auth_url": g.auth_url,
        "token_url": g.token_url,
        "api_url": g.userinfo_url,
        "use_pkce": True,
        "allow_sign_up": True,
        "email_attribute_path": "email",
        "login_attribute_path": "preferred_username",
        "role_attribute_path": grafana_role_path(tuple(g.admin_groups), tuple(g.editor_groups)),
    }


def alloy_config(loki_push_url: str) -> str:
    """Alloy: tail pod logs through the Kubernetes API (no hostPath), clustered across replicas."""
    return f"""discovery.kubernetes "pods" {{
  role = "pod"
}}

discovery.relabel "pods" {{
  targets = discovery.kubernetes.pods.targets
  rule {{
    source_labels = ["__meta_kubernetes_namespace"]
    target_label  = "namespace"
  }}
  rule {{
    source_labels = ["__meta_kubernetes_pod_name"]
    target_label  = "pod"
  }}
  rule {{
    source_labels = ["__meta_kubernetes_pod_container_name"]
    target_label  = "container"
  }}
  rule {{
    source_labels = ["__meta_kubernetes_pod_label_app"]
    target_label  = "app"
  }}
}}

loki.source.kubernetes "pods" {{
  targets    = discovery.relabel.pods.output
  forward_to = [loki.write.default.receiver]
  clustering {{
    enabled = true
  }}
}}

loki.write "default" {{
  endpoint {{
    url = "{loki_push_url}"
  }}
}}
"""


def _pvc(s: ObservabilitySettings, size) -> dict[str, Any]:
    spec: dict[str, Any] = {"accessModes": ["ReadWriteOnce"], "resources": {"requests": {"storage": str(size)}}}
    if s.storage_class:
        spec["storageClassName"] = s.storage_class
    return {"volumeClaimTemplate": {"spec": spec}}

def kps_values(args: ObservabilityArgs) -> dict[str, Any]:
    """kube-prometheus-stack (values.yaml at the pin, facts/versions.py; its grafana subchart 10.5.15)."""
    s, domain = args.observability, args.domain
    datasources = []
    if s.loki:
        datasources.append({"name": "Loki", "type": "loki", "uid": "loki", "access": "proxy",
                            "url": f"http://{service_host(LOKI_SERVICE[0], OBSERVABILITY_NAMESPACE)}"
                                   f":{LOKI_SERVICE[1]}"})
    if s.jaeger:
        datasources.append({"name": "Jaeger", "type": "jaeger", "uid": "jaeger", "access": "proxy",
                            "url": f"http://{service_host(JAEGER_SERVICE[0], OBSERVABILITY_NAMESPACE)}"
                                   f":{JAEGER_SERVICE[1]}"})
    grafana: dict[str, Any] = {
        "enabled": True,
        "admin": {"existingSecret": GRAFANA_SECRET, "userKey": "admin-user", "passwordKey": "admin-password"},
        "sidecar": {"dashboards": {"enabled": True, "label": "grafana_dashboard", "labelValue": "1",
                                   "searchNamespace": "ALL"},
                    "datasources": {"enabled": True}},
        "additionalDataSources": datasources,
        "grafana.ini": {"server": {"root_url": f"https://grafana.{domain}"}},
    }
    if args.grafana_sso is not None:
        grafana["grafana.ini"]["auth.generic_oauth"] = grafana_oauth(args.grafana_sso)
        # grafana chart 10.5.15 values.yaml extraSecretMounts
        grafana["extraSecretMounts"] = [{"name": "grafana-oauth", "secretName": GRAFANA_OAUTH_SECRET,
                                         "mountPath": GRAFANA_OAUTH_DIR, "readOnly": True}]
    if s.is_prod:
        # dashboards/users survive restarts; the root chown init container is not needed with
        # fsGroup 472 and would break the restricted profile
        grafana["persistence"] = {"enabled": True, "size": "10Gi",
                                  **({"storageClassName": s.storage_class} if s.storage_class else {})}
        grafana["initChownData"] = {"enabled": False}
    # resources and replicas of the operator, its config-reloader (the operator's
    # --config-reloader-{cpu,memory}-{request,limit} flags for every Prometheus/Alertmanager pod), the
    # admission hook Jobs, kube-state-metrics, node-exporter, Alertmanager, Prometheus and Grafana:
    # the workload table (with_workloads below)
    return with_workloads({
        "crds": {"enabled": True},
        "nodeExporter": {"enabled": True},
        # hostNetwork/hostPID/hostPath: its own privileged namespace
        "prometheus-node-exporter": {"namespaceOverride": NODE_EXPORTER_NAMESPACE},
        "alertmanager": {"enabled": True, "alertmanagerSpec": {
            **({"storage": _pvc(s, "2Gi")} if s.is_prod else {}),
        }},
        "prometheus": {"prometheusSpec": {
            "retention": s.prometheus_retention,
            "scrapeInterval": "15s",  # the stack interval of red2n/tartware@a2583469 platform/observability/
            "storageSpec": _pvc(s, s.prometheus_storage),
            "serviceMonitorSelectorNilUsesHelmValues": False,
            "podMonitorSelectorNilUsesHelmValues": False,
            "ruleSelectorNilUsesHelmValues": False,
            "probeSelectorNilUsesHelmValues": False,
            "scrapeConfigSelectorNilUsesHelmValues": False,
            "externalUrl": f"https://prometheus.{domain}",
            # prometheus.prometheusSpec.nodeSelector / .tolerations (values.yaml at the pin)
            **args.placement.pod_keys(),
            # kps values.yaml prometheus.prometheusSpec.enableRemoteWriteReceiver/enableFeatures:
            # k6's remote-write output sends trends as native histograms (components/operations/loadtest.py)
            **({"enableRemoteWriteReceiver": True, "enableFeatures": ["native-histograms"]}
               if args.remote_write_receiver else {}),
        }},
        "grafana": grafana,
    }, KUBE_PROMETHEUS_STACK, s)

def adapter_values(s: ObservabilitySettings) -> dict[str, Any]:
    """prometheus-adapter (values.yaml at the pin). No resource rules: metrics-server keeps metrics.k8s.io."""
    host = service_host(PROMETHEUS_SERVICE[0], OBSERVABILITY_NAMESPACE)
    (deployment,) = PROMETHEUS_ADAPTER.workloads
    return with_workloads({
        "prometheus": {"url": f"http://{host}", "port": PROMETHEUS_SERVICE[1]},
        "podDisruptionBudget": {"enabled": count(deployment, s) > 1},
        "rules": {"default": False, "custom": ADAPTER_RULES},
    }, PROMETHEUS_ADAPTER, s)

def jaeger_values(s: ObservabilitySettings) -> dict[str, Any]:
    """jaeger (Jaeger v2 all-in-one, built-in config: OTLP receivers, bounded in-memory store)."""
    return with_workloads({
        "jaeger": {  # one replica (the workload table): the in-memory store is per pod
            "podSecurityContext": restricted_pod(10001),
            "securityContext": {"allowPrivilegeEscalation": False, "capabilities": {"drop": ["ALL"]}},
            # Jaeger never calls the Kubernetes API: no token in the pod
            "serviceAccount": {"automountServiceAccountToken": False},
        },
    }, JAEGER, s)

def loki_values(args: ObservabilityArgs) -> dict[str, Any]:
    """loki, SingleBinary (Service `loki` on 3100, the guide's port-forward), filesystem store on a PVC."""
    s = args.observability
    retention = "168h" if s.is_prod else "72h"
    persistence: dict[str, Any] = {"enabled": True, "size": str(s.loki_storage)}
    if s.storage_class:
        persistence["storageClass"] = s.storage_class
    return with_workloads({
        "deploymentMode": "SingleBinary",
        "loki": {
            "auth_enabled": False,
            "commonConfig": {"replication_factor": 1},
            "storage": {"type": "filesystem"},
            "schemaConfig": {"configs": [{"from": "2024-04-01", "store": "tsdb", "object_store": "filesystem",
                                          "schema": "v13", "index": {"prefix": "index_", "period": "24h"}}]},
            "limits_config": {"retention_period": retention},
            "compactor": {"retention_enabled": True, "delete_request_store": "filesystem"},
            "podSecurityContext": restricted_pod(10001),
        },
        # singleBinary.nodeSelector / .tolerations (values.yaml at the pin)
        "singleBinary": {"persistence": persistence, **args.placement.pod_keys()},
        "read": {"replicas": 0}, "write": {"replicas": 0}, "backend": {"replicas": 0},
        "gateway": {"enabled": False},
        "chunksCache": {"enabled": False},
        "resultsCache": {"enabled": False},
        "lokiCanary": {"enabled": False},
        "test": {"enabled": False},
        "monitoring": {"serviceMonitor": {"enabled": True}},
    }, LOKI, s)  # singleBinary's and the loki-sc-rules sidecar's resources, one replica: the workload table

def alloy_values(s: ObservabilitySettings) -> dict[str, Any]:
    """alloy: a clustered Deployment reading logs via the API server (no /var/log hostPath)."""
    push = f"http://{service_host(LOKI_SERVICE[0], OBSERVABILITY_NAMESPACE)}:{LOKI_SERVICE[1]}/loki/api/v1/push"
    return with_workloads({
        "crds": {"create": False},  # PodLogs CRD unused
        "global": {"podSecurityContext": restricted_pod(473)},  # uid of the alloy user in the image
        "controller": {"type": "deployment"},
        "alloy": {
            "configMap": {"create": True, "content": alloy_config(push)},
            "clustering": {"enabled": True},
            "securityContext": {"allowPrivilegeEscalation": False, "capabilities": {"drop": ["ALL"]},
                                "runAsNonRoot": True},
        },
        # alloy.resources, configReloader.resources (the chart's default sets requests only) and
        # controller.replicas: the workload table
    }, ALLOY, s)

def tartware_service_monitor(meshed: bool = False) -> dict[str, Any]:
    """Selects the Services the Tartware chart renders (labels in charts/tartware/templates/_helpers.tpl).

    In the mesh, STRICT mTLS rejects an unmeshed Prometheus on the app port; Istio's metrics
    merging serves the app's /metrics together with the proxy's on the agent port 15020
    (/stats/prometheus, plain text, outside the mTLS capture), which the chart exposes on the
    Service as ``http-monitoring`` when ``mesh.enabled``.
    """
    endpoint = ({"port": "http-monitoring", "path": "/stats/prometheus"} if meshed
                else {"port": "http", "path": "/metrics"})
    return {
        "namespaceSelector": {"matchNames": [TARTWARE_NS]},
        "selector": {"matchLabels": {"app.kubernetes.io/part-of": catalog.PART_OF}},
        "targetLabels": ["app"],
        "endpoints": [{**endpoint, "interval": "15s", "scrapeTimeout": "10s"}],
    }
