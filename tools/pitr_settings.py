"""The WAL-archiving settings the PITR drill (tools/pitr_drill.py) uses: the program's own, so the
drill exercises what a stack deploys rather than a copy of it.

They come from the places the program itself reads them: the prod stack file (``Pulumi.prod.yaml``)
with an off-site bucket set, validated by ``program.load.build_settings``; the archive's
destination from ``program.compose.archive_args`` (``s3://<bucket>/<backupOffsitePrefix>/pitr``); the
``ObjectStore`` configuration from ``components.platform.postgres.object_store_spec`` (the WAL and
base-backup compression, the upload jobs); ``archive_timeout`` from
``settings.data.ARCHIVE_TIMEOUT_SECONDS``; the ``serverName`` is the cluster's name
(``postgresCluster``).
"""

from __future__ import annotations

from dataclasses import dataclass

from components.platform.postgres import object_store_spec
from program import compose
from settings.data import ARCHIVE_TIMEOUT_SECONDS
from settings.errors import CONFIG_NAMESPACE
from program.load import build_settings
from tools.pulumi_cli import plain_stack_values

# The drill's bucket, and the settings that make the stack archive to it. IRSA (a role ARN) is the
# way to name credentials without a secret; the drill's own keys are moto's.
DRILL_BUCKET = "tartware-drill"
WITH_A_BUCKET = {"backupOffsiteOptOut": False, "backupOffsiteBucket": DRILL_BUCKET, "backupOffsiteRegion": "us-east-1",
                 "backupOffsiteRoleArn": "arn:aws:iam::123456789012:role/tartware-drill"}


@dataclass(frozen=True)
class ArchiveSettings:
    archive_timeout: int  # seconds: PostgreSQL's archive_timeout
    server_name: str  # the ObjectStore/plugin serverName: the folder under destinationPath
    bucket: str
    destination_folder: str  # destinationPath below the bucket: s3://<bucket>/<destination_folder>
    wal_compression: str  # barman-cloud-wal-archive --<compression>, "" = none
    backup_compression: str  # barman-cloud-backup --<compression>, "" = none
    backup_jobs: int  # barman-cloud-backup --jobs, 0 = its default


def archive_settings(stack: str = "prod") -> ArchiveSettings:
    """``stack``'s archiving settings, with the drill's bucket as its off-site target."""
    settings = build_settings({**plain_stack_values(stack, CONFIG_NAMESPACE), **WITH_A_BUCKET}, stack=stack)
    archive = compose.archive_args(settings)
    assert archive is not None, "the stack archives no WAL (no PostgreSQL?)"
    spec = object_store_spec(archive, settings.data.pg.backup_retention_days,
                             settings.data.size("barman-sidecar"))
    configuration = spec["configuration"]
    bucket, _, folder = configuration["destinationPath"].removeprefix("s3://").partition("/")
    return ArchiveSettings(
        archive_timeout=ARCHIVE_TIMEOUT_SECONDS,
        server_name=settings.data.pg.cluster,
        bucket=bucket,
        destination_folder=folder,
        wal_compression=configuration.get("wal", {}).get("compression", ""),
        backup_compression=configuration.get("data", {}).get("compression", ""),
        backup_jobs=int(configuration.get("data", {}).get("jobs", 0)),
    )
