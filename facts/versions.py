"""Every third-party chart and product version, pinned in one place.

Each entry names the chart's official repository and the exact chart version; the values keys
the components pass were checked against that version's values.yaml (source in the comment).
Each pin has a ``# renovate:`` marker on the line above (datasource, package, registry), read by
the regex manager in renovate.json (https://docs.renovatebot.com/modules/manager/regex/), so a bot
can propose bumps; a bump still needs the values keys re-checked at the new version. The regex reads
a pin whole from the line below its marker (a ChartRef's repository, chart and version; an image's
name, tag and digest), so the few such lines longer than 120 columns stay whole (``# noqa: E501``).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Upstream:
    """Where a chart's source lives: its GitHub repository (owner/name), the tag holding the chart at a
    version (``{version}`` stands for it; a commit where upstream tags none) and the chart's directory
    in that tree (or the path of a published ``.tgz``). tools/vendor_charts.py exports the vendored
    copy from here, so the pin is the one place a chart's source is written."""

    repo: str
    ref: str
    path: str

    def tag(self, version: str) -> str:
        return self.ref.format(version=version)


@dataclass(frozen=True)
class ChartRef:
    repo: str  # Helm repository URL (or oci:// reference)
    chart: str
    version: str
    upstream: Upstream
    checked: str = ""  # the files (under upstream.path, or cited in full) the values keys were verified against

    @property
    def at(self) -> str:
        """``owner/name@tag``: the chart's source repository at the pinned version."""
        return f"{self.upstream.repo}@{self.upstream.tag(self.version)}"

    @property
    def source(self) -> str:
        """Where the values keys were verified: ``owner/name@tag path[/checked]``."""
        return f"{self.at} {self.upstream.path}" + (f"/{self.checked}" if self.checked else "")


# --- mesh and edge -----------------------------------------------------------------------------
# Istio: the guide says 1.22; 1.22.8 is its last patch. 1.22 is EOL (2025-01-22) and supports
# Kubernetes 1.27-1.30 only (istio.io "Supported releases" / endoflife.date products/istio.md), so the
# version is a setting (istioVersion) and the pins below carry the Kubernetes range each one supports.
# Key layout: up to 1.23 the istiod chart reads pilot.* and the cni chart cni.*; from 1.24 both are
# flattened to top level (istio/istio@1.29.6 manifests/charts/istio-control/istio-discovery/values.yaml,
# manifests/charts/istio-cni/values.yaml: `_internal_defaults_do_not_set:` wrapper).
ISTIO_REPO = "https://istio-release.storage.googleapis.com/charts"


@dataclass(frozen=True)
class IstioLine:
    version: str
    kubernetes_min: str  # oldest supported Kubernetes minor
    kubernetes_max: str  # newest supported Kubernetes minor
    flat_values: bool  # istiod/cni values at top level (>= 1.24) instead of pilot.* / cni.*
    source: str


_ISTIO = (
    # renovate: datasource=helm depName=istiod registryUrl=https://istio-release.storage.googleapis.com/charts
    IstioLine("1.22.8", "1.27", "1.30", False,
              "istio/istio@1.22.8 (6abd1e5) manifests/charts/{base,istio-control/istio-discovery,gateway,istio-cni}"),
    # renovate: datasource=helm depName=istiod registryUrl=https://istio-release.storage.googleapis.com/charts
    IstioLine("1.29.6", "1.31", "1.35", True,
              "istio/istio@1.29.6 manifests/charts/{base,istio-control/istio-discovery,gateway,istio-cni}"),
)
ISTIO_LINES = {line.version: line for line in _ISTIO}
ISTIO_VERSION = _ISTIO[0].version  # the guide's line (default of the istioVersion setting)
# Each Istio chart's directory in istio/istio (cni is published from manifests/charts/istio-cni).
ISTIO_CHART_PATHS = {"base": "manifests/charts/base", "istiod": "manifests/charts/istio-control/istio-discovery",
                     "gateway": "manifests/charts/gateway", "cni": "manifests/charts/istio-cni"}


def istio_chart(chart: str, version: str = ISTIO_VERSION) -> "ChartRef":
    """base, istiod, gateway or cni (published name of manifests/charts/istio-cni) at ``version``.

    The gateway chart is not installed (components/platform/mesh.py builds the same objects); its
    pin names the source those objects are compared with."""
    return ChartRef(ISTIO_REPO, chart, version, Upstream("istio/istio", "{version}", ISTIO_CHART_PATHS[chart]))


# Envoy's global rate limit service (the per-client-address edge limit, components/platform/edge_rate_limit.py).
# It has no releases after v1.4.0 (2024); images are pushed per commit on main, tagged with the
# commit's first 8 characters (envoyproxy/ratelimit Makefile GIT_REF = git rev-parse --short=8,
# .github/workflows/main.yaml "Push image tagged with git sha"). Commit aba2384d163183e347c407da600b4f73fa2fa672
# (2026-07-01, main): every env var and port used here was read in src/settings/settings.go there;
# the image is distroless static:nonroot (Dockerfile: uid 65532, entrypoint /bin/ratelimit).
# renovate: datasource=docker depName=docker.io/envoyproxy/ratelimit
RATELIMIT_IMAGE = "docker.io/envoyproxy/ratelimit:aba2384d"
RATELIMIT_SOURCE = "envoyproxy/ratelimit@aba2384d163183e347c407da600b4f73fa2fa672"

# ingress-nginx is retired (kubernetes.io/blog/2025/11/11/ingress-nginx-retirement: no releases or
# security fixes after March 2026). 4.12.8 = controller v1.12.x, tested on Kubernetes 1.28-1.32.
# renovate: datasource=helm depName=ingress-nginx registryUrl=https://kubernetes.github.io/ingress-nginx
INGRESS_NGINX = ChartRef("https://kubernetes.github.io/ingress-nginx", "ingress-nginx", "4.12.8",
                         Upstream("kubernetes/ingress-nginx", "helm-chart-{version}", "charts/ingress-nginx"),
                         "values.yaml")
# Chart versions carry the v prefix. crds.enabled/crds.keep replace the deprecated installCRDs.
# renovate: datasource=helm depName=cert-manager registryUrl=https://charts.jetstack.io
CERT_MANAGER = ChartRef("https://charts.jetstack.io", "cert-manager", "v1.19.6",
                        Upstream("cert-manager/cert-manager", "{version}", "deploy/charts/cert-manager"),
                        "values.yaml")

# renovate: datasource=helm depName=metrics-server registryUrl=https://kubernetes-sigs.github.io/metrics-server/
METRICS_SERVER = ChartRef("https://kubernetes-sigs.github.io/metrics-server/", "metrics-server", "3.13.1",
                          Upstream("kubernetes-sigs/metrics-server", "metrics-server-helm-chart-{version}",
                                   "charts/metrics-server"),
                          "values.yaml")

# --- data tier ----------------------------------------------------------------------------------
# PostgreSQL runs on CloudNativePG (docs/data-and-observability.md, "PostgreSQL on CloudNativePG"):
# the operator chart cloudnative-pg 0.29.0 = operator 1.30.0 (cloudnative-pg/charts@cloudnative-pg-v0.29.0
# charts/cloudnative-pg/{Chart.yaml,values.yaml}; the CRDs are in its templates/crds/crds.yaml). Its
# kubeVersion is ">=1.29.0-0". The Cluster/Pooler/ScheduledBackup fields used were read in
# cloudnative-pg/cloudnative-pg@v1.30.0 api/v1/{cluster,pooler,scheduledbackup}_types.go. Newer charts
# exist upstream (0.29.1) but not as a source that can be vendored here: docs/vendored-charts.md,
# "Newer upstream releases not vendored".
# renovate: datasource=helm depName=cloudnative-pg registryUrl=https://cloudnative-pg.github.io/charts
CLOUDNATIVE_PG = ChartRef("https://cloudnative-pg.github.io/charts", "cloudnative-pg", "0.29.0",
                          Upstream("cloudnative-pg/charts", "cloudnative-pg-v{version}", "charts/cloudnative-pg"),
                          "values.yaml")
# WAL archiving and base backups go through the Barman Cloud CNPG-I plugin (the in-core
# spec.backup.barmanObjectStore is deprecated since CloudNativePG 1.26). Chart plugin-barman-cloud
# 0.7.0 = plugin v0.13.0 (cloudnative-pg/charts@plugin-barman-cloud-v0.7.0 charts/plugin-barman-cloud;
# the sidecar it injects runs barman 3.19.1: cloudnative-pg/plugin-barman-cloud@v0.13.0
# containers/sidecar-requirements.in). Not the newest: charts 0.7.1, 0.8.0 (plugin v0.15.0) and 0.8.1 were
# released upstream, but their sources cannot be vendored here (docs/vendored-charts.md, "Newer upstream
# releases not vendored"); the marker below lets renovate propose them.
# renovate: datasource=helm depName=plugin-barman-cloud registryUrl=https://cloudnative-pg.github.io/charts
BARMAN_CLOUD_PLUGIN = ChartRef("https://cloudnative-pg.github.io/charts", "plugin-barman-cloud", "0.7.0",
                               Upstream("cloudnative-pg/charts", "plugin-barman-cloud-v{version}",
                                        "charts/plugin-barman-cloud"),
                               "values.yaml, cloudnative-pg/plugin-barman-cloud@v0.13.0 api/v1/objectstore_types.go")
# The PostgreSQL operand: PostgreSQL 17 (the major the bitnami release ran, 17.6, so pg_dump 17 of
# the nightly dump and a logical import both work), the "standard" image (no in-core barman-cloud:
# the plugin's sidecar brings it), pinned by tag and digest as published in the official image catalog
# (cloudnative-pg/artifacts@ce5057c5 image-catalogs/catalog-standard-trixie.yaml, 2026-08-17).
# renovate: datasource=docker depName=ghcr.io/cloudnative-pg/postgresql
POSTGRES_IMAGE = "ghcr.io/cloudnative-pg/postgresql:17.11-202608170816-standard-trixie@sha256:91e0de662d53895a45f1396f4ee1a75daeb0c26fc87853afc9c8f43e01fdaa21"  # noqa: E501 (renovate reads the pin from one line)
POSTGRES_MAJOR = 17
# The Pooler runs the operator's default PgBouncer image (cloudnative-pg/cloudnative-pg@v1.30.0
# pkg/versions/versions.go DefaultPgbouncerImage): it moves with the operator pin; tools/cnpg_images.py
# records it per operator version and reads the operator and sidecar images from the pinned charts.

# Redis: the redis-ha chart (DandyDeveloper/charts, the chart the Argo CD project installs for its own
# HA Redis) on the official images: redis (public.ecr.aws/docker/library/redis, Docker Official Image),
# Sentinel in every pod, HAProxy (official haproxy image) in front sending clients to the current
# master, redis_exporter (oliver006). Chart 4.39.0 = Redis 8.8.0 (DandyDeveloper/charts@redis-ha-4.39.0
# charts/redis-ha/{Chart.yaml,values.yaml,templates/*}). docs/data-and-observability.md, "Redis".
# renovate: datasource=helm depName=redis-ha registryUrl=https://dandydeveloper.github.io/charts
REDIS_HA = ChartRef("https://dandydeveloper.github.io/charts", "redis-ha", "4.39.0",
                    Upstream("DandyDeveloper/charts", "redis-ha-{version}", "charts/redis-ha"),
                    "{values.yaml,templates/*}")

# The bitnami PostgreSQL release is registered only while a stack moves to CloudNativePG
# (postgresMigration=import, docs/data-and-observability.md "Moving from the bitnami release"):
# unchanged from before, so Pulumi sees no difference and the old data keeps serving the import.
# Bitnami stopped publishing versioned images in 2025 (bitnami/containers#83267): the chart's
# images are the frozen copies in docker.io/bitnamilegacy (no CVE fixes), which is why it goes.
# renovate: datasource=docker depName=registry-1.docker.io/bitnamicharts/postgresql
POSTGRESQL = ChartRef("oci://registry-1.docker.io/bitnamicharts", "postgresql", "16.7.27",
                      Upstream("bitnami/charts", "postgresql/{version}", "bitnami/postgresql"),
                      "{values.yaml,templates/_helpers.tpl}")
BITNAMI_LEGACY_REGISTRY = "docker.io"
BITNAMI_IMAGES = {
    # renovate: datasource=docker depName=docker.io/bitnamilegacy/postgresql
    "postgresql": ("bitnamilegacy/postgresql", "17.6.0-debian-12-r4"),
    # renovate: datasource=docker depName=docker.io/bitnamilegacy/postgres-exporter
    "postgres-exporter": ("bitnamilegacy/postgres-exporter", "0.17.1-debian-12-r16"),
    # renovate: datasource=docker depName=docker.io/bitnamilegacy/os-shell
    "os-shell": ("bitnamilegacy/os-shell", "12-debian-12-r51"),
}
# renovate: datasource=helm depName=redpanda registryUrl=https://charts.redpanda.com
REDPANDA = ChartRef("https://charts.redpanda.com", "redpanda", "25.3.2",
                    Upstream("redpanda-data/redpanda-operator", "charts/redpanda/v{version}", "charts/redpanda/chart"),
                    "values.yaml")
# The broker image of that chart (Chart.yaml appVersion); the topic Job runs rpk from it.
# renovate: datasource=docker depName=docker.io/redpandadata/redpanda
REDPANDA_IMAGE = "docker.io/redpandadata/redpanda:v25.3.6@sha256:ac152ec27adccf9482af2649d293f398eb03c860d7469fc49f86e30d870ea408"  # noqa: E501 (renovate reads the pin from one line)
# 1.9.11 (Consul 1.22.7): latest 1.9.x patch; renders identically to 1.9.3 with our values.
# renovate: datasource=helm depName=consul registryUrl=https://helm.releases.hashicorp.com
CONSUL = ChartRef("https://helm.releases.hashicorp.com", "consul", "1.9.11",
                  Upstream("hashicorp/consul-k8s", "v{version}", "charts/consul"),
                  "values.yaml")

# --- observability ------------------------------------------------------------------------------
# renovate: datasource=helm depName=kube-prometheus-stack registryUrl=https://prometheus-community.github.io/helm-charts
KUBE_PROMETHEUS_STACK = ChartRef("https://prometheus-community.github.io/helm-charts", "kube-prometheus-stack", "81.5.0",  # noqa: E501 (renovate reads the pin from one line)
                                 Upstream("prometheus-community/helm-charts", "kube-prometheus-stack-{version}",
                                          "charts/kube-prometheus-stack"),
                                 "values.yaml (+ grafana/helm-charts@grafana-10.5.15, prometheus-node-exporter-4.51.1)")
# renovate: datasource=helm depName=prometheus-adapter registryUrl=https://prometheus-community.github.io/helm-charts
PROMETHEUS_ADAPTER = ChartRef("https://prometheus-community.github.io/helm-charts", "prometheus-adapter", "5.3.0",
                              Upstream("prometheus-community/helm-charts", "prometheus-adapter-{version}",
                                       "charts/prometheus-adapter"),
                              "values.yaml")
# Jaeger v2 all-in-one (chart 4.x); one Service `jaeger` (OTLP 4317/4318, query 16686).
# renovate: datasource=helm depName=jaeger registryUrl=https://jaegertracing.github.io/helm-charts
JAEGER = ChartRef("https://jaegertracing.github.io/helm-charts", "jaeger", "4.11.1",
                  Upstream("jaegertracing/helm-charts", "jaeger-{version}", "charts/jaeger"),
                  "{values.yaml,templates/jaeger/*}")
# Last OSS release in grafana/helm-charts before the move to grafana-community (2026-03-16).
# renovate: datasource=helm depName=loki registryUrl=https://grafana.github.io/helm-charts
LOKI = ChartRef("https://grafana.github.io/helm-charts", "loki", "6.55.0",
                Upstream("grafana/loki", "helm-loki-{version}", "production/helm/loki"),
                "values.yaml")
# renovate: datasource=helm depName=alloy registryUrl=https://grafana.github.io/helm-charts
ALLOY = ChartRef("https://grafana.github.io/helm-charts", "alloy", "1.11.1",
                 Upstream("grafana/alloy", "helm-chart/{version}", "operations/helm/charts/alloy"),
                 "values.yaml")

# --- secrets ------------------------------------------------------------------------------------
# renovate: datasource=helm depName=external-secrets registryUrl=https://charts.external-secrets.io
EXTERNAL_SECRETS = ChartRef("https://charts.external-secrets.io", "external-secrets", "2.9.0",
                            Upstream("external-secrets/external-secrets", "helm-chart-{version}",
                                     "deploy/charts/external-secrets"))

# --- operator access (docs/platform.md "Operator access") -------------------------------------
# oauth2-proxy, the single sign-on gate in front of the operator tools (operatorAccess=sso): an Istio
# external authorization provider (envoyExtAuthzHttp) the gateway asks about every request to an
# operator host. Chart 10.7.0 (2026-06-09, the newest tag of oauth2-proxy/manifests) runs oauth2-proxy
# v7.15.3 (Chart.yaml appVersion). Keys read there: config.{existingSecret,requiredSecretKeys,
# emailDomains,upstreams}, extraArgs, extraVolumes, extraVolumeMounts, proxyVarsAsSecrets, replicaCount,
# resources, podDisruptionBudget, serviceAccount.automountServiceAccountToken, metrics.serviceMonitor
# (values.yaml, templates/deployment.yaml); flags read in oauth2-proxy/oauth2-proxy@v7.15.3.
# renovate: datasource=helm depName=oauth2-proxy registryUrl=https://oauth2-proxy.github.io/manifests
OAUTH2_PROXY = ChartRef("https://oauth2-proxy.github.io/manifests", "oauth2-proxy", "10.7.0",
                        Upstream("oauth2-proxy/manifests", "oauth2-proxy-{version}", "helm/oauth2-proxy"),
                        "{values.yaml,templates/deployment.yaml}")
# The chart's image (quay.io/oauth2-proxy/oauth2-proxy:v<appVersion>), pinned by tag and digest (the chart's
# image.tag is used verbatim: <registry>/<repository>:<tag>). The digest is the one ten public
# repositories pin for this tag independently (searched 2026-12); distroless static:nonroot (uid 65532,
# oauth2-proxy@v7.15.3 Makefile DOCKER_BUILD_RUNTIME_IMAGE). Check with
# `docker buildx imagetools inspect quay.io/oauth2-proxy/oauth2-proxy:v7.15.3` before bumping.
# renovate: datasource=docker depName=quay.io/oauth2-proxy/oauth2-proxy
OAUTH2_PROXY_IMAGE = "quay.io/oauth2-proxy/oauth2-proxy:v7.15.3@sha256:10a1165743a192e1940b4708fb9647027185ce11a681a1c5519b442ff7f1f561"  # noqa: E501 (renovate reads the pin from one line)

# --- cluster ------------------------------------------------------------------------------------
# cluster-autoscaler: the chart is version-agnostic; components set image.tag to v<cluster minor>.0
# because the binary's minor must match the cluster's (kubernetes/autoscaler README, "Releases").
# renovate: datasource=helm depName=cluster-autoscaler registryUrl=https://kubernetes.github.io/autoscaler
CLUSTER_AUTOSCALER = ChartRef("https://kubernetes.github.io/autoscaler", "cluster-autoscaler", "9.59.0",
                              Upstream("kubernetes/autoscaler", "cluster-autoscaler-chart-{version}",
                                       "cluster-autoscaler/charts/cluster-autoscaler"))
# Rancher: the guide names 2.8, but 2.8 is EOL (2025-07-22, SUSE lifecycle), its last community
# chart 2.8.5 refuses Kubernetes >= 1.29 (chart kubeVersion "< 1.29.0-0") and 2.8.6+ are Prime-only
# (rancher/rancher#46562). 2.13 matches pulumi-rancher2 13.x (provider major = Rancher minor) and
# installs on management clusters < 1.35 (chart kubeVersion "< 1.35.0-0"). See docs/clusters.md.
# renovate: datasource=helm depName=rancher registryUrl=https://releases.rancher.com/server-charts/stable
RANCHER = ChartRef("https://releases.rancher.com/server-charts/stable", "rancher", "2.13.3",
                   Upstream("rancher/rancher", "v{version}", "chart"),
                   "values.yaml (hostname, bootstrapPassword, replicas, ingress.tls.source)")
# Rancher's own cert-manager (ingress.tls.source=rancher needs it): the pinned cert-manager.
RANCHER_CERT_MANAGER = CERT_MANAGER

# --- cluster add-ons on the Rancher targets (vsphere, baremetal) --------------------------------
# MetalLB: LoadBalancer Services get an address from an IPAddressPool announced over layer 2
# (L2Advertisement). Chart version = app version; CRDs ship with the chart (crds.enabled).
# renovate: datasource=helm depName=metallb registryUrl=https://metallb.github.io/metallb
METALLB = ChartRef("https://metallb.github.io/metallb", "metallb", "0.15.2",
                   Upstream("metallb/metallb", "v{version}", "charts/metallb"),
                   "{Chart.yaml,values.yaml}, api/v1beta1/ipaddresspool_types.go")
# Longhorn (bare metal default storage): replicated block storage, default StorageClass `longhorn`
# (persistence.defaultClass, persistence.defaultClassReplicaCount, persistence.reclaimPolicy,
# defaultSettings.taintToleration); kubeVersion >= 1.25. Nodes need open-iscsi and NFSv4 client.
# renovate: datasource=helm depName=longhorn registryUrl=https://charts.longhorn.io
LONGHORN = ChartRef("https://charts.longhorn.io", "longhorn", "1.12.1",
                    Upstream("longhorn/longhorn", "v{version}", "chart"),
                    "{Chart.yaml,values.yaml}")
# local-path-provisioner: not published to a Helm repository (its README installs the manifest
# or the in-repo chart), so the pinned release manifest is applied as is; the default
# StorageClass is ours (components/clusters/addons.py).
# renovate: datasource=github-tags depName=rancher/local-path-provisioner
LOCAL_PATH_VERSION = "v0.0.37"
LOCAL_PATH_MANIFEST = ("https://raw.githubusercontent.com/rancher/local-path-provisioner/"
                       f"{LOCAL_PATH_VERSION}/deploy/local-path-storage.yaml")
LOCAL_PATH_SOURCE = "rancher/local-path-provisioner@v0.0.37 deploy/local-path-storage.yaml, README.md"
# vSphere CPI/CSI: not installed by us. RKE2 ships rancher-vsphere-cpi / rancher-vsphere-csi and
# deploys them with `cloud-provider-name: rancher-vsphere`; Rancher passes our values to them
# through ClusterV2 rkeConfig.chartValues. Keys read at rancher/vsphere-charts@9db6d94
# charts/rancher-vsphere-{cpi,csi}/values.yaml (cpi 1.15.3, csi 3.7.2-rancher4).
VSPHERE_CHARTS_SOURCE = ("rancher/vsphere-charts@9db6d94 charts/rancher-vsphere-cpi/values.yaml, "
                         "charts/rancher-vsphere-csi/values.yaml")

# --- operations (docs/operations.md) --------------------------------------------------------------------------
# VPA recommender + CRDs only (updater and admission controller off): FairwindsOps/charts
# stable/vpa, chart 5.0.0 / VPA 1.7.1 (commit 5f478fce, 2026-08-11; kubeVersion >= 1.28). Keys read
# there: recommender.enabled, updater.enabled, admissionController.enabled, metrics-server.enabled;
# CRDs ship in crds/vpa-v1-crd.yaml (installed by Helm on first install).
# renovate: datasource=helm depName=vpa registryUrl=https://charts.fairwinds.com/stable
VPA = ChartRef("https://charts.fairwinds.com/stable", "vpa", "5.0.0",
               Upstream("FairwindsOps/charts", "5f478fcec32f69a0818a7f78f4be5cbe7a1719c4", "stable/vpa"),
               "values.yaml")
# The images of our own Jobs and CronJobs (the topic Job above, k6, pg_dump, rclone) are pinned by
# tag AND digest: <name>:<tag>@sha256:<index digest>. The runtime pulls by the digest (the tag is
# for readers and renovate; distribution/reference grammar name[:tag][@digest]), so a moved tag
# cannot change what runs. Each digest is the multi-platform image index that tag pointed to when
# it was recorded; a digest is a content address inside its repository, so it can only resolve to an
# image that repository published. No registry is reachable from this repository's CI, so each
# digest was taken from public repositories that pin the same tag@digest independently and pull it
# (k6: six, one noting "resolved on 2026-07-23 from Docker Hub Registry v2 Docker-Content-Digest";
# postgres 17.6-alpine: seven; rclone 1.75.0: six, one naming it the index digest; redpanda
# v25.3.6: one project that pulls it into kind). Check one with
# `docker buildx imagetools inspect <name>:<tag>` before bumping; renovate updates tag and digest
# together (renovate.json captures currentDigest). docs/conformance.md, "The checks", row "Image digests".
# Load generator: grafana/k6 (runs as uid 12345, entrypoint k6). Backups: pg_dump must be at least
# the server's major version (PostgreSQL 17, POSTGRES_IMAGE above) -> official
# postgres 17.6 on alpine (uid 70 = postgres).
# renovate: datasource=docker depName=docker.io/grafana/k6
K6_IMAGE = "docker.io/grafana/k6:1.7.1@sha256:4fd3a694926b064d3491d9b02b01cde886583c4931f1223816e3d9a7bdfa7e0f"
# Locust, the guide's alternative: the official image locustio/locust, tagged with the PyPI release
# (pypi.org/project/locust 2.47.0; CLI flags read in locust-2.47.0 locust/argument_parser.py:
# --master, --worker, --master-host, --master-port 5557, --web-port 8089, --users, --spawn-rate,
# --host, --expect-workers).
# renovate: datasource=docker depName=docker.io/locustio/locust
LOCUST_IMAGE = "docker.io/locustio/locust:2.47.0"
# renovate: datasource=docker depName=docker.io/library/postgres
PG_DUMP_IMAGE = "docker.io/library/postgres:17.6-alpine@sha256:ef257d85f76e48da1c64832459b59fcaba1a4dac97bf5d7450c77753542eee94"  # noqa: E501 (renovate reads the pin from one line)
# Off-site upload of the dumps: rclone, one static binary on alpine (/bin/sh for upload.sh), speaks
# S3 to AWS and S3-compatible stores, reads credentials through the AWS SDK chain (shared
# credentials file or IRSA web identity) and verifies size and checksum after each copy.
# rclone/rclone@v1.75.0 Dockerfile (FROM alpine, ENTRYPOINT rclone) and
# .github/workflows/build_publish_docker_image.yml (tags type=semver {{version}}: 1.75.0).
# renovate: datasource=docker depName=docker.io/rclone/rclone
RCLONE_IMAGE = "docker.io/rclone/rclone:1.75.0@sha256:b06aed988cf5967de7c25be5925240983981c757f4ed1ac9d2fa659d51d60548"
