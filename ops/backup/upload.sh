#!/bin/sh
# Copy every verified dump that is not in the bucket yet off-site, with rclone: tonight's, and any
# earlier night's whose upload failed (catch-up). Never dumps, never deletes.
#
# Runs after backup.sh (in the CronJob: the next container of the same pod, which Kubernetes
# restarts on failure without re-running the dump), or by hand:
#   ops/backup/backup.sh && ops/backup/upload.sh
#   BACKUP_DIR                 where backup.sh wrote the dumps and their manifests
#   BACKUP_FILE                only this dump (a name in BACKUP_DIR or a path); default: every
#                              verified dump whose manifest is not in the bucket, oldest first
#   BACKUP_OFFSITE_BUCKET      bucket name (required)
#   BACKUP_OFFSITE_PREFIX      key prefix inside the bucket (may be empty)
#   BACKUP_PREFIX              file name prefix (default: tartware)
#   RCLONE_CONFIG_OFFSITE_*    the rclone remote "offsite" (type s3, provider, region, endpoint,
#                              env_auth, server_side_encryption, ...), as rclone reads remotes from
#                              the environment (rclone docs "Config file": RCLONE_CONFIG_<REMOTE>_<OPTION>)
# Credentials come from the AWS SDK chain (env_auth): a shared credentials file named by
# AWS_SHARED_CREDENTIALS_FILE, or IRSA's web identity token on EKS. Each dump's sha256 is checked
# against its manifest before it leaves; the dump goes first, its manifest second, so a manifest
# in the bucket means the dump is there whole. Exits non-zero with "upload FAILED: ..." when
# anything goes wrong; the local dumps are never touched.
set -eu
umask 077

fail() {
    echo "upload FAILED: $*" >&2
    exit 1
}

: "${BACKUP_DIR:?upload FAILED: BACKUP_DIR is not set}"
: "${BACKUP_OFFSITE_BUCKET:?upload FAILED: BACKUP_OFFSITE_BUCKET is not set}"
command -v rclone >/dev/null 2>&1 || fail "rclone not found on PATH"
command -v sha256sum >/dev/null 2>&1 || fail "sha256sum not found on PATH"
prefix="${BACKUP_PREFIX:-tartware}"

# shellcheck source=ops/backup/manifest.sh
. "$(dirname "$0")/manifest.sh"

# shellcheck source=ops/backup/offsite.sh
. "$(dirname "$0")/offsite.sh"
folder="$(offsite_folder)"

work="$(mktemp -d "${TMPDIR:-/tmp}/upload.XXXXXX")" || fail "cannot create a private temporary directory"
trap 'rm -rf "$work"' EXIT

# What to send: "<epoch> <path>" lines, oldest first.
if [ -n "${BACKUP_FILE:-}" ]; then
    case "$BACKUP_FILE" in
        */*) file="$BACKUP_FILE" ;;
        *) file="$BACKUP_DIR/$BACKUP_FILE" ;;
    esac
    case "$file" in
        *.partial) fail "$file is an incomplete dump; refusing to upload it" ;;
    esac
    [ -f "$file" ] || fail "dump '$file' does not exist"
    [ -f "$file.manifest" ] || fail "$file has no manifest: backup.sh never verified it; refusing to upload it"
    echo "0 $file" >"$work/todo"
else
    # In the bucket already: the manifests there (rclone exit 3 = directory not found, i.e. none yet).
    status=0
    rclone lsf --files-only --include "$prefix-*.dump.manifest" "$folder" >"$work/present" 2>"$work/lsf.err" || status=$?
    if [ "$status" -ne 0 ] && [ "$status" -ne 3 ]; then
        cat "$work/lsf.err" >&2
        fail "cannot list $folder (see the rclone error above)"
    fi
    : >"$work/todo"
    for manifest in "$BACKUP_DIR/$prefix"-*.dump.manifest; do
        { [ -f "$manifest" ] && [ -f "${manifest%.manifest}" ]; } || continue
        grep -qxF "$(basename "$manifest")" "$work/present" && continue
        echo "$(manifest_field "$manifest" server_epoch) ${manifest%.manifest}" >>"$work/todo"
    done
    if [ ! -s "$work/todo" ]; then
        [ -n "$(ls "$BACKUP_DIR/$prefix"-*.dump.manifest 2>/dev/null)" ] ||
            fail "no verified dump in $BACKUP_DIR (no $prefix-*.dump.manifest; did backup.sh succeed?)"
        echo "upload OK: every verified dump is already in $folder"
        exit 0
    fi
fi

sort -n "$work/todo" | while read -r _ file; do
    name="$(basename "$file")"
    manifest_verify "$file"
    echo "uploading $file to $folder/$name"
    # copyto checks size and checksum after the transfer; the object gets its final key only once
    # complete (S3 PUT / multipart completion are atomic), so no partial object looks complete.
    rclone copyto --no-check-dest --retries 3 --low-level-retries 10 --stats-one-line -v "$file" "$folder/$name" ||
        fail "rclone could not copy $file to $folder/$name (see the rclone error above)"
    rclone copyto --no-check-dest --retries 3 --low-level-retries 10 "$file.manifest" "$folder/$name.manifest" ||
        fail "rclone could not copy $file.manifest to $folder/$name.manifest (see the rclone error above)"
    echo "upload OK: $folder/$name"
done
