#!/bin/sh
# Fetch a dump and its manifest from the off-site bucket into BACKUP_DIR, for restore.sh (a cluster
# whose claim was lost restores from the bucket; in the restore Job this runs as the init container).
#
#   BACKUP_DIR                 where the dump is written (must be writable)
#   BACKUP_FILE                the dump's name in the bucket; empty or "latest": the dump whose
#                              manifest there has the newest server time (never the highest name;
#                              a manifest more than a day ahead of this node's clock is ignored)
#   BACKUP_OFFSITE_BUCKET      bucket name (required)
#   BACKUP_OFFSITE_PREFIX      key prefix inside the bucket (may be empty)
#   BACKUP_PREFIX              file name prefix (default: tartware)
#   RCLONE_CONFIG_OFFSITE_*    the rclone remote "offsite", as for upload.sh
# The dump is written as ".<name>.download", checked against its manifest's sha256 and renamed;
# its path is then written to BACKUP_DIR/.restore-source (restore.sh: BACKUP_FILE_FROM). Exits
# non-zero with "download FAILED: ..." on any failure, leaving no file that looks complete.
set -eu
umask 077

fail() {
    echo "download FAILED: $*" >&2
    exit 1
}

: "${BACKUP_DIR:?download FAILED: BACKUP_DIR is not set}"
: "${BACKUP_OFFSITE_BUCKET:?download FAILED: BACKUP_OFFSITE_BUCKET is not set}"
command -v rclone >/dev/null 2>&1 || fail "rclone not found on PATH"
command -v sha256sum >/dev/null 2>&1 || fail "sha256sum not found on PATH"
{ [ -d "$BACKUP_DIR" ] && [ -w "$BACKUP_DIR" ]; } || fail "BACKUP_DIR '$BACKUP_DIR' is not a writable directory"
prefix="${BACKUP_PREFIX:-tartware}"
# shellcheck source=ops/backup/offsite.sh
. "$(dirname "$0")/offsite.sh"
folder="$(offsite_folder)"

# shellcheck source=ops/backup/manifest.sh
. "$(dirname "$0")/manifest.sh"

work="$(mktemp -d "${TMPDIR:-/tmp}/download.XXXXXX")" || fail "cannot create a private temporary directory"
partial=""
cleanup() {
    status=$?
    [ -z "$partial" ] || rm -f "$partial" "$partial.manifest"
    rm -rf "$work"
    exit "$status"
}
trap cleanup EXIT

name="${BACKUP_FILE:-latest}"
if [ "$name" = "latest" ]; then
    # The manifests are small: fetch them all and choose by server time. manifest_latest needs the
    # dumps beside them; stand-ins mark which dumps the bucket holds.
    rclone copy --include "$prefix-*.dump.manifest" "$folder" "$work/manifests" ||
        fail "cannot fetch the manifests from $folder (see the rclone error above)"
    rclone lsf --files-only --include "$prefix-*.dump" "$folder" >"$work/dumps" ||
        fail "cannot list $folder (see the rclone error above)"
    while IFS= read -r dump; do
        : >"$work/manifests/$dump"
    done <"$work/dumps"
    latest="$(manifest_latest "$work/manifests" "$prefix" "$(date -u +%s)")" ||
        fail "no verified dump in $folder (no $prefix-*.dump with its .manifest)"
    name="$(basename "$latest")"
fi
case "$name" in
    */* | .* | *.partial) fail "'$name' is not a dump name" ;;
esac

partial="$BACKUP_DIR/.$name.download"
final="$BACKUP_DIR/$name"
echo "downloading $folder/$name to $final"
if ! rclone copyto --retries 3 --low-level-retries 10 --stats-one-line -v "$folder/$name" "$partial"; then
    fail "rclone could not copy $folder/$name (see the rclone error above)"
fi
rclone copyto --retries 3 --low-level-retries 10 "$folder/$name.manifest" "$partial.manifest" ||
    fail "rclone could not copy $folder/$name.manifest: a dump without its manifest was never verified (see the rclone error above)"
manifest_verify "$partial" "$(manifest_field "$partial.manifest" sha256)"
mv "$partial.manifest" "$final.manifest" || fail "cannot rename $partial.manifest"
mv "$partial" "$final" || fail "cannot rename $partial to $final"
partial=""
printf '%s\n' "$final" >"$BACKUP_DIR/.restore-source" || fail "cannot write $BACKUP_DIR/.restore-source"
echo "download OK: $final (sha256 checked)"
