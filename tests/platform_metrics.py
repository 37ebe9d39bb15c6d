"""Metrics the platform's exporters emit, by exporter, each with the source that documents it.

Every metric named in PromQL we ship (dashboards, PrometheusRules, prometheus-adapter rules, the
load-test collector's queries) must be one of these or one of the app's own
(``facts/app_source.APP_METRICS`` at the pinned app commit); tests/test_promql_metrics.py
checks it. Histograms are listed by their exposed series (``_bucket``).
"""

from __future__ import annotations

EXPORTERS: dict[str, tuple[str, tuple[str, ...]]] = {
    # exporter: (source, metric names)
    "istio": (
        "istio.io/latest/docs/reference/config/metrics (Request Count: istio_requests_total; "
        "Request Duration: istio_request_duration_milliseconds, a distribution)",
        ("istio_requests_total", "istio_request_duration_milliseconds_bucket"),
    ),
    "kube-state-metrics": (
        "kubernetes/kube-state-metrics docs/metrics/workload/pod-metrics.md, "
        "docs/metrics/workload/horizontalpodautoscaler-metrics.md (the pinned kube-prometheus-stack's subchart)",
        ("kube_pod_info", "kube_pod_container_resource_requests", "kube_pod_container_status_restarts_total",
         "kube_horizontalpodautoscaler_status_current_replicas", "kube_horizontalpodautoscaler_spec_max_replicas"),
    ),
    "cadvisor": (
        "google/cadvisor docs/storage/prometheus.md (scraped through the kubelet's /metrics/cadvisor)",
        ("container_cpu_usage_seconds_total", "container_memory_working_set_bytes"),
    ),
    "kubelet": (
        "kubernetes.io/docs/reference/instrumentation/metrics (kubelet_volume_stats_*)",
        ("kubelet_volume_stats_used_bytes", "kubelet_volume_stats_capacity_bytes"),
    ),
    "node-exporter": (
        "prometheus/node_exporter collector/cpu_linux.go (node_cpu_seconds_total), "
        "collector/meminfo.go (node_memory_<field>_bytes from /proc/meminfo)",
        ("node_cpu_seconds_total", "node_memory_MemAvailable_bytes", "node_memory_MemTotal_bytes"),
    ),
    "cloudnative-pg": (
        "cloudnative-pg/cloudnative-pg@v1.30.0 pkg/management/postgres/webserver/metricserver/pg_collector.go "
        "(namespace cnpg, subsystem collector: up, fencing_on, manual_switchover_required, pg_wal_archive_status); "
        "cloudnative-pg/charts@cloudnative-pg-v0.29.0 values.yaml monitoringQueriesConfigMap (cnpg_<query>_<column>: "
        "backends.total, pg_replication.*, pg_stat_archiver.*); pkg/management/pgbouncer/metricsserver/pools.go "
        "(the Pooler: cnpg_pgbouncer_pools_cl_active, cnpg_pgbouncer_pools_cl_waiting)",
        ("cnpg_collector_up", "cnpg_collector_fencing_on", "cnpg_collector_manual_switchover_required",
         "cnpg_collector_pg_wal_archive_status", "cnpg_backends_total", "cnpg_pg_replication_lag",
         "cnpg_pg_replication_in_recovery", "cnpg_pg_replication_is_wal_receiver_up",
         "cnpg_pg_replication_streaming_replicas", "cnpg_pg_stat_archiver_last_archived_time",
         "cnpg_pg_stat_archiver_last_failed_time", "cnpg_pgbouncer_pools_cl_active",
         "cnpg_pgbouncer_pools_cl_waiting"),
    ),
    "barman-cloud-plugin": (
        "cloudnative-pg/plugin-barman-cloud@v0.13.0 internal/cnpgi/instance/metrics.go (the plugin's name "
        "barman-cloud.cloudnative-pg.io with '.'/'-' as '_', exported on the instance's metrics port)",
        ("barman_cloud_cloudnative_pg_io_last_available_backup_timestamp",
         "barman_cloud_cloudnative_pg_io_last_failed_backup_timestamp"),
    ),
    "redis-exporter": (
        "oliver006/redis_exporter exporter/metrics.go (memory_used_bytes, connected_clients; namespace redis)",
        ("redis_memory_used_bytes", "redis_connected_clients"),
    ),
    "redpanda": (
        "docs.redpanda.com/current/reference/public-metrics-reference (redpanda_kafka_request_bytes_total)",
        ("redpanda_kafka_request_bytes_total",),
    ),
    "prometheus": (
        "prometheus.io/docs/concepts/jobs_instances (up: synthetic series of every scrape)",
        ("up",),
    ),
    "envoyproxy-ratelimit": (
        "envoyproxy/ratelimit@aba2384d src/stats/prom/default_mapper.yaml and prometheus_sink_test.go "
        "(USE_PROMETHEUS: decisions per descriptor, should_rate_limit errors, gRPC calls and their latency)",
        ("ratelimit_service_rate_limit_total_hits", "ratelimit_service_rate_limit_over_limit",
         "ratelimit_service_should_rate_limit_error", "ratelimit_service_total_requests",
         "ratelimit_service_response_time_seconds_bucket"),
    ),
    "envoy-gateway-stats": (
        "Envoy's rate limit filter (cluster.<route target cluster>.<stat_prefix>.{error,failure_mode_allowed}: "
        "api/envoy/extensions/filters/http/ratelimit/v3/rate_limit.proto stat_prefix) and local rate limit filter "
        "(<stat_prefix>.http_local_rate_limit.rate_limited: docs configuration/http/http_filters/"
        "local_rate_limit_filter) as the gateway's Istio proxy exposes them (envoy_ prefix, dots to underscores; "
        "kept by proxyStatsMatcher, components/platform/mesh.py GATEWAY_STATS_INCLUSION)",
        ("envoy_cluster_http_edge_rate_limiter_error", "envoy_cluster_http_edge_rate_limiter_failure_mode_allowed",
         "envoy_http_local_rate_limiter_http_local_rate_limit_rate_limited"),
    ),
    "k6": (
        "grafana/k6@v1.7.1 output/prometheusrw (experimental-prometheus-rw: metric k6_<name>, counters "
        "with _total, trends as native histograms with _seconds when K6_PROMETHEUS_RW_TREND_AS_NATIVE_HISTOGRAM)",
        ("k6_http_reqs_total", "k6_http_req_duration_seconds", "k6_dropped_iterations_total"),
    ),
}

PLATFORM_METRICS: dict[str, str] = {m: exporter for exporter, (_src, names) in EXPORTERS.items() for m in names}
