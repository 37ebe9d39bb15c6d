"""The fast part of the PITR drill (tools/pitr_drill.py runs whole as its own step of .ci/run): the
command lines it hands PostgreSQL are the ones the Barman Cloud plugin builds, with the program's
archiving settings."""

from __future__ import annotations

from pathlib import Path

from tools import pitr_drill
from tools.pitr_settings import archive_settings


def test_the_drill_reads_the_programs_archiving_settings():
    from settings.data import ARCHIVE_TIMEOUT_SECONDS

    settings = archive_settings()
    assert settings.archive_timeout == ARCHIVE_TIMEOUT_SECONDS
    assert settings.server_name == "postgres"  # postgresCluster's default: the cluster's name
    # the stack's default prefix (tartware/<stack>) and the archive's folder
    assert settings.destination_folder == "tartware/prod/pitr"
    assert archive_settings("dev").destination_folder == "tartware/dev/pitr"


def test_the_drill_archives_with_the_plugins_command_lines(tmp_path):
    settings = archive_settings()
    drill = pitr_drill.Drill(Path("/opt/drill-venv"), tmp_path, settings, seed_mib=1)
    endpoint = drill.s3.endpoint
    # cloudnative-pg/barman-cloud@950b0f57 pkg/archiver/command.go: [--<compression>] ...
    # --endpoint-url <url> --cloud-provider aws-s3 <destinationPath> <serverName>
    archive = drill.wal_archive_command(settings.server_name).split()
    assert archive[0] == "/opt/drill-venv/bin/barman-cloud-wal-archive"
    assert archive[1:] == [*([f"--{settings.wal_compression}"] if settings.wal_compression else []),
                           "--endpoint-url", endpoint, "--cloud-provider", "aws-s3",
                           f"s3://{settings.bucket}/{settings.destination_folder}", settings.server_name, "%p"]
    # pkg/command/commandbuilder.go CloudWalRestoreOptions: no compression flag on the way back
    restore = drill.wal_restore_command(settings.server_name).split()
    assert restore[1:] == ["--endpoint-url", endpoint, "--cloud-provider", "aws-s3",
                           f"s3://{settings.bucket}/{settings.destination_folder}", settings.server_name, "%f", "%p"]
    assert "%p" in pitr_drill._quote_option(drill.wal_archive_command(settings.server_name))


def test_option_values_survive_pg_ctl_splitting():
    assert pitr_drill._quote_option("300") == "300"
    assert pitr_drill._quote_option("a b") == "'a b'"
    assert pitr_drill._quote_option("it's") == "'it''s'"


def test_a_corrupted_segment_differs_in_the_middle_only():
    body = bytes(range(256)) * 64
    bad = pitr_drill._corrupt(body)
    assert len(bad) == len(body) and bad[:100] == body[:100] and bad[-100:] == body[-100:] and bad != body
