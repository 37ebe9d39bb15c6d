"""The WAL-archiving settings the PITR drill (tools/pitr_drill.py) uses: the program's own, so the
drill exercises what a stack deploys rather than a copy of it."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ArchiveSettings:
    archive_timeout: int  # seconds: PostgreSQL's archive_timeout
    server_name: str  # the ObjectStore/plugin serverName: the folder under destinationPath
    destination_folder: str  # destinationPath below the bucket: s3://<bucket>/<destination_folder>
    wal_compression: str  # barman-cloud-wal-archive --<compression>, "" = none
    backup_compression: str  # barman-cloud-backup --<compression>, "" = none
    backup_jobs: int  # barman-cloud-backup --jobs, 0 = its default


def archive_settings() -> ArchiveSettings:
    """The prod stack's archiving settings."""
    return ArchiveSettings(archive_timeout=300, server_name="postgres", destination_folder="tartware/prod/pitr",
                           wal_compression="zstd", backup_compression="gzip", backup_jobs=2)
