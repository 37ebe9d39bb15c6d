"""Every third-party chart and product version, pinned in one place.

Each entry names the chart's official repository and the exact chart version; the values keys
the components pass were checked against that version's values.yaml (source in the comment).
Research notes behind these pins: chart repositories read at the tags given.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ChartRef:
    repo: str  # Helm repository URL (or oci:// reference)
    chart: str
    version: str
    source: str  # where the values keys were verified


# --- mesh and edge -----------------------------------------------------------------------------
# Istio 1.22 is the guide's version; its last patch. Note: 1.22 is EOL (2025-01-22) and supports
# Kubernetes 1.27-1.30 only (istio.io support matrix) — see components/platform and docs.
ISTIO_REPO = "https://istio-release.storage.googleapis.com/charts"
ISTIO_VERSION = "1.22.8"  # istio/istio tag 1.22.8, manifests/charts/{base,istio-control/istio-discovery,gateway}
ISTIO_BASE = ChartRef(ISTIO_REPO, "base", ISTIO_VERSION, "istio/istio@1.22.8 manifests/charts/base/values.yaml")
ISTIOD = ChartRef(ISTIO_REPO, "istiod", ISTIO_VERSION, "istio/istio@1.22.8 manifests/charts/istio-control/istio-discovery/values.yaml")
ISTIO_GATEWAY = ChartRef(ISTIO_REPO, "gateway", ISTIO_VERSION, "istio/istio@1.22.8 manifests/charts/gateway/values.yaml")
INGRESS_NGINX = ChartRef("https://kubernetes.github.io/ingress-nginx", "ingress-nginx", "4.12.8",
                         "kubernetes/ingress-nginx@helm-chart-4.12.8 charts/ingress-nginx/values.yaml")
CERT_MANAGER = ChartRef("https://charts.jetstack.io", "cert-manager", "v1.19.6",
                        "cert-manager/cert-manager@v1.19.6 deploy/charts/cert-manager/values.yaml")

# --- data tier ----------------------------------------------------------------------------------
POSTGRESQL = ChartRef("oci://registry-1.docker.io/bitnamicharts", "postgresql", "16.7.27",
                      "bitnami/charts@postgresql/16.7.27 bitnami/postgresql/values.yaml")
REDIS = ChartRef("oci://registry-1.docker.io/bitnamicharts", "redis", "22.0.7",
                 "bitnami/charts@redis/22.0.7 bitnami/redis/values.yaml")
REDPANDA = ChartRef("https://charts.redpanda.com", "redpanda", "25.3.2",
                    "redpanda-data/redpanda-operator@charts/redpanda/v25.3.2 charts/redpanda/values.yaml")
CONSUL = ChartRef("https://helm.releases.hashicorp.com", "consul", "1.9.3",
                  "hashicorp/consul-k8s@v1.9.3 charts/consul/values.yaml")

# --- observability ------------------------------------------------------------------------------
KUBE_PROMETHEUS_STACK = ChartRef("https://prometheus-community.github.io/helm-charts", "kube-prometheus-stack", "81.5.0",
                                 "prometheus-community/helm-charts@kube-prometheus-stack-81.5.0")
PROMETHEUS_ADAPTER = ChartRef("https://prometheus-community.github.io/helm-charts", "prometheus-adapter", "5.3.0",
                              "prometheus-community/helm-charts@prometheus-adapter-5.3.0")
JAEGER = ChartRef("https://jaegertracing.github.io/helm-charts", "jaeger", "4.11.1",
                  "jaegertracing/helm-charts@jaeger-4.11.1")
LOKI = ChartRef("https://grafana.github.io/helm-charts", "loki", "6.55.0", "grafana/loki@helm-loki-6.55.0 production/helm/loki/values.yaml")
ALLOY = ChartRef("https://grafana.github.io/helm-charts", "alloy", "1.11.1", "grafana/alloy chart 1.11.1")

# --- secrets ------------------------------------------------------------------------------------
EXTERNAL_SECRETS = ChartRef("https://charts.external-secrets.io", "external-secrets", "2.9.0",
                            "external-secrets/external-secrets@helm-chart-2.9.0")
VAULT = ChartRef("https://helm.releases.hashicorp.com", "vault", "0.34.1", "hashicorp/vault-helm@v0.34.1")

# --- cluster ------------------------------------------------------------------------------------
CLUSTER_AUTOSCALER = ChartRef("https://kubernetes.github.io/autoscaler", "cluster-autoscaler", "9.59.0",
                              "kubernetes/autoscaler@cluster-autoscaler-chart-9.59.0")
RANCHER = ChartRef("https://releases.rancher.com/server-charts/stable", "rancher", "2.8.5", "rancher/rancher@v2.8.5 chart/values.yaml")
