#!/bin/sh
# Copy the newest verified dump off-site to S3-compatible object storage with rclone.
#
# Runs after backup.sh (in the CronJob: the next container of the same pod), or by hand:
#   ops/backup/backup.sh && ops/backup/upload.sh
#   BACKUP_DIR                 where backup.sh wrote the dump
#   BACKUP_FILE                the dump to upload; default: the path backup.sh recorded in BACKUP_DIR/.latest
#   BACKUP_OFFSITE_BUCKET      bucket name (required)
#   BACKUP_OFFSITE_PREFIX      key prefix inside the bucket (may be empty)
#   RCLONE_CONFIG_OFFSITE_*    the rclone remote "offsite" (type s3, provider, region, endpoint,
#                              env_auth, server_side_encryption, ...), as rclone reads remotes from
#                              the environment (rclone docs "Config file": RCLONE_CONFIG_<REMOTE>_<OPTION>)
# Credentials come from the AWS SDK chain (env_auth): a shared credentials file named by
# AWS_SHARED_CREDENTIALS_FILE, or IRSA's web identity token on EKS. Exits non-zero with
# "upload FAILED: ..." when anything goes wrong; the local dump is never touched.
set -eu

fail() {
    echo "upload FAILED: $*" >&2
    exit 1
}

: "${BACKUP_DIR:?upload FAILED: BACKUP_DIR is not set}"
: "${BACKUP_OFFSITE_BUCKET:?upload FAILED: BACKUP_OFFSITE_BUCKET is not set}"
command -v rclone >/dev/null 2>&1 || fail "rclone not found on PATH"

file="${BACKUP_FILE:-}"
if [ -z "$file" ]; then
    [ -r "$BACKUP_DIR/.latest" ] || fail "$BACKUP_DIR/.latest is missing: no verified dump to upload (did backup.sh succeed?)"
    file="$(cat "$BACKUP_DIR/.latest")"
fi
case "$file" in
    */*) ;;
    *) file="$BACKUP_DIR/$file" ;;
esac
case "$file" in
    *.partial) fail "$file is an incomplete dump; refusing to upload it" ;;
esac
[ -f "$file" ] || fail "dump '$file' does not exist"

prefix="${BACKUP_OFFSITE_PREFIX:-}"
prefix="${prefix#/}"
prefix="${prefix%/}"
name="$(basename "$file")"
if [ -n "$prefix" ]; then
    target="offsite:$BACKUP_OFFSITE_BUCKET/$prefix/$name"
else
    target="offsite:$BACKUP_OFFSITE_BUCKET/$name"
fi

echo "uploading $file to $target"
# copyto checks size and checksum after the transfer; the object gets its final key only once
# complete (S3 PUT / multipart completion are atomic), so no partial object looks complete.
rclone copyto --no-check-dest --retries 3 --low-level-retries 10 --stats-one-line -v "$file" "$target" ||
    fail "rclone could not copy $file to $target (see the rclone error above)"
echo "upload OK: $target"
