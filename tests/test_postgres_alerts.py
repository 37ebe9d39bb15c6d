"""The PostgreSQL alerts (components/platform/postgres_alerts.py) run through Prometheus' own rule
engine: ``promtool check rules`` (syntax, templates) and ``promtool test rules`` (each alert fires on
the series that mean trouble and stays quiet on healthy ones), from Debian's ``prometheus`` package
(.ci/run installs it). The series are the ones CloudNativePG and the Barman Cloud plugin export
(tests/platform_metrics.py names their sources); the thresholds are those of docs/data-and-observability.md
("Alerts"): no base backup in 26 h with the daily schedule, the standbys of a 3-instance cluster.
"""

from __future__ import annotations

import copy
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

from components.platform.postgres_alerts import REPLICATION_LAG_SECONDS, alert_groups
from tests.helpers import sample_args




def _groups(args) -> list:
    """The rules the Postgres part ships for ``args`` (components/platform/postgres.py)."""
    return alert_groups(args.pg, args.instances, args.archive is not None)


PROMTOOL = shutil.which("promtool")
pytestmark = pytest.mark.skipif(PROMTOOL is None, reason="promtool (Debian package prometheus) not installed")

SEL = 'namespace="database", cluster="postgres"'


def series(metric: str, pod: str, values: str, **labels: str) -> dict[str, str]:
    extra = "".join(f', {k}="{v}"' for k, v in labels.items())
    return {"series": f'{metric}{{{SEL}, pod="{pod}"{extra}}}', "values": values}


def fired(name: str, pod: str = "", severity: str = "warning", **labels: str) -> dict:
    exp = {"severity": severity, "team": "tartware", **labels}
    if pod:
        exp.update(namespace="database", cluster="postgres", pod=pod)
    return {"exp_labels": exp}


# (test name, input series, [(eval time, alert, expected alerts)])
CASES = [
    ("archiving fails after the last success", [
        series("cnpg_pg_stat_archiver_last_archived_time", "postgres-1", "1000x20"),
        series("cnpg_pg_stat_archiver_last_failed_time", "postgres-1", "500 1060+60x19"),
    ], [("3m", "PostgresWALArchivingFailing", []),
        ("10m", "PostgresWALArchivingFailing", [fired("PostgresWALArchivingFailing", "postgres-1", "critical")])]),
    ("archiving recovered", [
        series("cnpg_pg_stat_archiver_last_archived_time", "postgres-1", "2000x20"),
        series("cnpg_pg_stat_archiver_last_failed_time", "postgres-1", "1500x20"),
    ], [("15m", "PostgresWALArchivingFailing", [])]),
    ("WAL waits to be archived", [
        series("cnpg_collector_pg_wal_archive_status", "postgres-1", "40x20", value="ready"),
    ], [("15m", "PostgresWALArchiveBacklog", [fired("PostgresWALArchiveBacklog", "postgres-1", value="ready")])]),
    # docs/data-and-observability.md "Alerts": no base backup in 26 h (daily ScheduledBackup + 2 h);
    # the last one at t=0
    ("no base backup in 26 h", [
        series("barman_cloud_cloudnative_pg_io_last_available_backup_timestamp", "postgres-2", "0x1700",
               ),
    ], [("25h59m", "PostgresBaseBackupMissing", []),
        ("26h11m", "PostgresBaseBackupMissing", [{"exp_labels": {"severity": "critical", "team": "tartware",
                                                                  "namespace": "database", "cluster": "postgres"}}])]),
    ("a base backup failed after the last success", [
        series("barman_cloud_cloudnative_pg_io_last_available_backup_timestamp", "postgres-2", "100x5"),
        series("barman_cloud_cloudnative_pg_io_last_failed_backup_timestamp", "postgres-2", "200x5"),
    ], [("1m", "PostgresBaseBackupFailed", [{"exp_labels": {"severity": "warning", "team": "tartware",
                                                             "namespace": "database", "cluster": "postgres"}}])]),
    ("a standby lags", [
        series("cnpg_pg_replication_lag", "postgres-2", f"{REPLICATION_LAG_SECONDS * 2}x10"),
        series("cnpg_pg_replication_lag", "postgres-3", f"{REPLICATION_LAG_SECONDS // 2}x10"),
    ], [("7m", "PostgresReplicationLag", [fired("PostgresReplicationLag", "postgres-2")])]),
    ("a standby does not stream", [
        series("cnpg_pg_replication_in_recovery", "postgres-3", "1x10"),
        series("cnpg_pg_replication_is_wal_receiver_up", "postgres-3", "0x10"),
    ], [("7m", "PostgresStandbyNotStreaming", [fired("PostgresStandbyNotStreaming", "postgres-3")])]),
    # zero-loss mode: one standby short is critical (writes stop when none is left)
    ("a standby is missing", [
        series("cnpg_pg_replication_in_recovery", "postgres-1", "0x10"),
        series("cnpg_pg_replication_streaming_replicas", "postgres-1", "1x10"),
        series("cnpg_pg_replication_in_recovery", "postgres-2", "1x10"),
        series("cnpg_pg_replication_streaming_replicas", "postgres-2", "0x10"),
    ], [("7m", "PostgresStandbysMissing", [{"exp_labels": {"severity": "critical", "team": "tartware",
                                                            "namespace": "database", "cluster": "postgres"}}]),
        ("7m", "PostgresNoPrimary", [])]),
    ("every instance in recovery: no primary", [
        series("cnpg_pg_replication_in_recovery", "postgres-1", "1x10"),
        series("cnpg_pg_replication_in_recovery", "postgres-2", "1x10"),
    ], [("1m", "PostgresNoPrimary", []),
        ("4m", "PostgresNoPrimary", [{"exp_labels": {"severity": "critical", "team": "tartware"}}])]),
    ("a failover promotes postgres-2", [
        series("cnpg_pg_replication_in_recovery", "postgres-2", "1 1 1 0 0 0"),
    ], [("1m", "PostgresFailover", []), ("4m", "PostgresFailover", [fired("PostgresFailover", "postgres-2")])]),
    ("an instance is fenced", [
        series("cnpg_collector_fencing_on", "postgres-3", "0 1 1 1 1"),
    ], [("3m", "PostgresInstanceFenced", [fired("PostgresInstanceFenced", "postgres-3", "critical")])]),
    ("an update waits for a switchover", [
        series("cnpg_collector_manual_switchover_required", "postgres-1", "1x10"),
    ], [("3m", "PostgresSwitchoverRequired", []),
        ("6m", "PostgresSwitchoverRequired", [fired("PostgresSwitchoverRequired", "postgres-1")])]),
    ("an instance is down", [
        series("cnpg_collector_up", "postgres-1", "1 0 0 0 0", **{"cluster_name": "postgres"}),
    ], [("4m", "PostgresInstanceDown", [fired("PostgresInstanceDown", "postgres-1", "critical",
                                              cluster_name="postgres")])]),
]


def _without_annotations(groups):
    """promtool compares expected annotations exactly: the firing logic is tested without them
    (``promtool check rules`` checks the annotations' templates on the real rules)."""
    groups = copy.deepcopy(groups)
    for g in groups:
        for r in g["rules"]:
            r.pop("annotations", None)
    return groups


def _minutes(duration: str) -> int:
    """A promtool eval_time such as ``26h11m`` in minutes."""
    hours, _, rest = duration.rpartition("h")
    return int(hours or 0) * 60 + int(rest.rstrip("m") or 0)


# promtool evaluates every rule of a test file's rule_files at every interval up to a case's last
# eval_time (prometheus/prometheus cmd/promtool/unittest.go testGroup.test: `for ts := mint; ...;
# ts = ts.Add(evalInterval)` runs g.Eval for every group; Debian's promtool is 2.42.0): a case that
# looks a day ahead gets a file of its own holding only the alerts it tests, so the other rules are
# not evaluated 1,571 times.
LONG_CASE_MINUTES = 60


def _only(groups, alerts: set[str]) -> list:
    return [{**g, "rules": [r for r in g["rules"] if r.get("alert") in alerts]} for g in groups
            if any(r.get("alert") in alerts for r in g["rules"])]


def promtool_test(tmp_path: Path, groups, cases=CASES) -> subprocess.CompletedProcess:
    groups = _without_annotations(groups)
    short = [c for c in cases if max(_minutes(t) for t, _, _ in c[2]) <= LONG_CASE_MINUTES]
    files = [(groups, short)] if short else []
    files += [(_only(groups, {a for _, a, _ in c[2]}), [c]) for c in cases if c not in short]
    names = []
    for i, (rules, file_cases) in enumerate(files):
        (tmp_path / f"rules{i}.yaml").write_text(yaml.safe_dump({"groups": rules}))
        tests = [{"name": name, "interval": "1m", "input_series": inputs,
                  "alert_rule_test": [{"eval_time": t, "alertname": a, "exp_alerts": exp} for t, a, exp in evals]}
                 for name, inputs, evals in file_cases]
        (tmp_path / f"test{i}.yaml").write_text(yaml.safe_dump({"rule_files": [f"rules{i}.yaml"],
                                                                "evaluation_interval": "1m", "tests": tests}))
        names.append(f"test{i}.yaml")
    assert PROMTOOL is not None  # the tests that call this are skipped without promtool
    return subprocess.run([PROMTOOL, "test", "rules", *names], cwd=tmp_path, capture_output=True, text=True)


def test_promtool_accepts_the_rules(tmp_path):
    files = []
    for i, args in enumerate((sample_args(), sample_args(archive=False, synchronous="off"))):
        (tmp_path / f"rules{i}.yaml").write_text(yaml.safe_dump({"groups": _groups(args)}))
        files.append(f"rules{i}.yaml")
    out = subprocess.run([PROMTOOL, "check", "rules", *files], cwd=tmp_path, capture_output=True, text=True)
    assert out.returncode == 0 and out.stdout.count("SUCCESS") == 2, out.stdout + out.stderr


def test_every_alert_fires_on_trouble_and_not_on_health(tmp_path):
    out = promtool_test(tmp_path, _groups(sample_args()))
    assert out.returncode == 0, out.stdout + out.stderr
    names = {r["alert"] for g in _groups(sample_args()) for r in g["rules"]}
    tested = {a for _, _, evals in CASES for _, a, _ in evals}
    assert names == tested  # no rule goes untested


def test_the_test_fails_on_a_planted_24_hour_threshold(tmp_path):
    """A rule that fires after 24 h instead of the 26 h of docs/data-and-observability.md ("Alerts") is caught."""
    groups = _groups(sample_args())
    for r in groups[0]["rules"]:
        if r["alert"] == "PostgresBaseBackupMissing":
            r["expr"] = r["expr"].replace(str(26 * 3600), str(24 * 3600))
    out = promtool_test(tmp_path, groups, [c for c in CASES if c[0] == "no base backup in 26 h"])
    assert out.returncode != 0 and "PostgresBaseBackupMissing" in out.stdout + out.stderr


def test_without_an_archive_there_are_no_archive_alerts():
    names = {r["alert"] for g in _groups(sample_args(archive=False, synchronous="off")) for r in g["rules"]}
    assert not names & {"PostgresWALArchivingFailing", "PostgresWALArchiveBacklog", "PostgresBaseBackupMissing",
                        "PostgresBaseBackupFailed"}
    assert "PostgresFailover" in names and "PostgresInstanceFenced" in names
