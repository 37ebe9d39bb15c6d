"""The PostgreSQL alerts (PrometheusRule ``observability/postgres``), on the series the instances'
metrics endpoint exports (port 9187, PodMonitor ``database/postgres-instances``, which adds the
``cluster`` label):

* CloudNativePG's collector (cloudnative-pg/cloudnative-pg@v1.30.0 pkg/management/postgres/webserver/
  metricserver/pg_collector.go: ``cnpg_collector_up``, ``cnpg_collector_fencing_on``,
  ``cnpg_collector_manual_switchover_required``, ``cnpg_collector_pg_wal_archive_status{value}``);
* the default monitoring queries the operator chart ships (cloudnative-pg/charts@cloudnative-pg-v0.29.0
  values.yaml ``monitoringQueriesConfigMap``: ``pg_replication`` -> ``cnpg_pg_replication_{lag,
  in_recovery,is_wal_receiver_up,streaming_replicas}``, ``pg_stat_archiver`` ->
  ``cnpg_pg_stat_archiver_{last_archived_time,last_failed_time}``);
* the Barman Cloud plugin's backup metrics (cloudnative-pg/plugin-barman-cloud@v0.13.0
  internal/cnpgi/instance/metrics.go: ``barman_cloud_cloudnative_pg_io_last_{available,failed}_backup_timestamp``).

The archiving and replication rules follow CloudNativePG's sample rules (docs/src/samples/monitoring/
prometheusrule.yaml at v1.30.0: LastFailedArchiveTime, ReplicaFailingReplication, PGReplication).
tests/test_postgres_alerts.py runs every rule through ``promtool test rules``.
"""

from __future__ import annotations

from typing import Any

from facts.endpoints import DATABASE_NAMESPACE
from settings.data import PostgresSettings

# A failover with asynchronous replication loses what the promoted standby had not received: warn
# when a standby is this far behind (seconds) for 5 minutes.
REPLICATION_LAG_SECONDS = 60
# WAL segments waiting in pg_wal/archive_status (.ready) before the archive counts as falling behind
# (each segment is 16 MiB; archive_timeout forces one at least every 5 minutes).
ARCHIVE_BACKLOG_SEGMENTS = 10
LABELS = {"team": "tartware"}


def _alert(name: str, expr: str, for_: str, severity: str, summary: str, description: str) -> dict[str, Any]:
    return {"alert": name, "expr": expr, "for": for_, "labels": {"severity": severity, **LABELS},
            "annotations": {"summary": summary, "description": description}}


def alert_groups(pg: PostgresSettings, instances: int, archived: bool) -> list[dict[str, Any]]:
    """The rules for the serving cluster ``pg.cluster`` of ``instances`` instances; archiving and backup
    rules only when it archives (``PostgresArgs.archive``)."""
    cluster = pg.cluster
    sel = f'namespace="{DATABASE_NAMESPACE}", cluster="{cluster}"'
    kubectl = f"kubectl get cluster -n {DATABASE_NAMESPACE} {cluster}; kubectl get pods -n {DATABASE_NAMESPACE} -l cnpg.io/cluster={cluster} -L cnpg.io/instanceRole"
    rules = [
        _alert("PostgresInstanceDown", f"cnpg_collector_up{{{sel}}} == 0", "2m", "critical",
               "A PostgreSQL instance is not running",
               "{{ $labels.pod }}: the instance manager cannot reach PostgreSQL. " + kubectl),
        _alert("PostgresNoPrimary", f"absent(cnpg_pg_replication_in_recovery{{{sel}}} == 0)", "2m", "critical",
               "The PostgreSQL cluster has no primary (failing over, or down)",
               f"No instance of {cluster} accepts writes. {kubectl}"),
        _alert("PostgresFailover", f"changes(cnpg_pg_replication_in_recovery{{{sel}}}[10m]) > 0", "0m", "warning",
               "A PostgreSQL instance changed role (failover or switchover)",
               "{{ $labels.pod }} was promoted or demoted in the last 10 minutes. " + kubectl),
        _alert("PostgresInstanceFenced", f"cnpg_collector_fencing_on{{{sel}}} == 1", "1m", "critical",
               "A PostgreSQL instance is fenced",
               "{{ $labels.pod }} is fenced (PostgreSQL stopped on purpose, cnpg.io/fencedInstances). " + kubectl),
        _alert("PostgresSwitchoverRequired", f"cnpg_collector_manual_switchover_required{{{sel}}} == 1", "5m",
               "warning", "A PostgreSQL update waits for a manual switchover",
               "{{ $labels.pod }}: primaryUpdateStrategy needs a switchover to finish an update. " + kubectl),
    ]
    standbys = instances - 1
    if standbys > 0:
        rules += [
            _alert("PostgresReplicationLag", f"cnpg_pg_replication_lag{{{sel}}} > {REPLICATION_LAG_SECONDS}", "5m",
                   "warning", f"A PostgreSQL standby is more than {REPLICATION_LAG_SECONDS} s behind the primary",
                   "{{ $labels.pod }} replays {{ $value | humanizeDuration }} behind: a failover now would lose "
                   "what it has not received (postgresSynchronous off)."),
            _alert("PostgresStandbyNotStreaming",
                   f"cnpg_pg_replication_in_recovery{{{sel}}} > cnpg_pg_replication_is_wal_receiver_up{{{sel}}}",
                   "5m", "warning", "A PostgreSQL standby is not streaming from the primary",
                   "{{ $labels.pod }} is in recovery without a WAL receiver. " + kubectl),
            _alert("PostgresStandbysMissing",
                   f"max by (namespace, cluster) (cnpg_pg_replication_streaming_replicas{{{sel}}} "
                   f"and on (pod) (cnpg_pg_replication_in_recovery{{{sel}}} == 0)) < {standbys}",
                   "5m", "critical" if pg.synchronous == "required" else "warning",
                   f"Fewer than {standbys} standbys stream from the PostgreSQL primary",
                   "{{ $value }} standby(s) connected: a failover has fewer targets"
                   + ("; with postgresSynchronous=required, writes stop when none is left."
                      if pg.synchronous == "required" else ".")),
        ]
    if archived:
        stale = pg.base_backup_stale_after_seconds
        last_ok = f"max by (namespace, cluster) (barman_cloud_cloudnative_pg_io_last_available_backup_timestamp{{{sel}}})"
        last_failed = f"max by (namespace, cluster) (barman_cloud_cloudnative_pg_io_last_failed_backup_timestamp{{{sel}}})"
        rules += [
            _alert("PostgresWALArchivingFailing",
                   f"(cnpg_pg_stat_archiver_last_failed_time{{{sel}}} - cnpg_pg_stat_archiver_last_archived_time{{{sel}}}) > 1",
                   "5m", "critical", "PostgreSQL cannot archive WAL to the off-site bucket",
                   "{{ $labels.pod }}: the last archive attempt failed after the last success; WAL piles up in "
                   "pg_wal and the point-in-time recovery window stops moving. kubectl logs -n "
                   f"{DATABASE_NAMESPACE} " + "{{ $labels.pod }} -c plugin-barman-cloud"),
            _alert("PostgresWALArchiveBacklog",
                   f'cnpg_collector_pg_wal_archive_status{{{sel}, value="ready"}} > {ARCHIVE_BACKLOG_SEGMENTS}',
                   "10m", "warning", "WAL segments wait to be archived",
                   "{{ $labels.pod }}: {{ $value }} segments are ready but not archived yet."),
            _alert("PostgresBaseBackupMissing", f"time() - {last_ok} > {stale}", "10m", "critical",
                   f"No PostgreSQL base backup for more than {stale // 3600} h",
                   f"The last base backup of {cluster} is " + "{{ $value | humanizeDuration }} old (ScheduledBackup "
                   f"'{pg.base_backup_schedule}'). kubectl get backups -n {DATABASE_NAMESPACE}"),
            _alert("PostgresBaseBackupFailed", f"{last_failed} > {last_ok}", "0m", "warning",
                   "The last PostgreSQL base backup failed",
                   f"kubectl get backups -n {DATABASE_NAMESPACE} --sort-by=.metadata.creationTimestamp"),
        ]
    return [{"name": "tartware.postgres", "rules": rules}]
