#!/bin/sh
# Fetch a dump from the off-site bucket into BACKUP_DIR, for restore.sh (a cluster whose claim
# was lost restores from the bucket; in the restore Job this runs as the init container).
#
#   BACKUP_DIR                 where the dump is written (must be writable)
#   BACKUP_FILE                the dump's name in the bucket; empty or "latest": the newest
#                              <prefix>-*.dump there (names carry a UTC timestamp)
#   BACKUP_OFFSITE_BUCKET      bucket name (required)
#   BACKUP_OFFSITE_PREFIX      key prefix inside the bucket (may be empty)
#   BACKUP_PREFIX              file name prefix (default: tartware)
#   RCLONE_CONFIG_OFFSITE_*    the rclone remote "offsite", as for upload.sh
# The dump is written as ".<name>.download" and renamed when rclone has copied and checked it; its
# path is then written to BACKUP_DIR/.restore-source (restore.sh: BACKUP_FILE_FROM). Exits
# non-zero with "download FAILED: ..." on any failure, leaving no file that looks complete.
set -eu

fail() {
    echo "download FAILED: $*" >&2
    exit 1
}

: "${BACKUP_DIR:?download FAILED: BACKUP_DIR is not set}"
: "${BACKUP_OFFSITE_BUCKET:?download FAILED: BACKUP_OFFSITE_BUCKET is not set}"
command -v rclone >/dev/null 2>&1 || fail "rclone not found on PATH"
{ [ -d "$BACKUP_DIR" ] && [ -w "$BACKUP_DIR" ]; } || fail "BACKUP_DIR '$BACKUP_DIR' is not a writable directory"
prefix="${BACKUP_PREFIX:-tartware}"
keys="${BACKUP_OFFSITE_PREFIX:-}"
keys="${keys#/}"
keys="${keys%/}"
if [ -n "$keys" ]; then
    folder="offsite:$BACKUP_OFFSITE_BUCKET/$keys"
else
    folder="offsite:$BACKUP_OFFSITE_BUCKET"
fi

name="${BACKUP_FILE:-latest}"
if [ "$name" = "latest" ]; then
    listing="$(rclone lsf --files-only --include "$prefix-*.dump" "$folder")" ||
        fail "cannot list $folder (see the rclone error above)"
    name="$(printf '%s\n' "$listing" | sort | tail -n 1)"
    [ -n "$name" ] || fail "no $prefix-*.dump in $folder"
fi
case "$name" in
    */* | .* | *.partial) fail "'$name' is not a dump name" ;;
esac

partial="$BACKUP_DIR/.$name.download"
final="$BACKUP_DIR/$name"
echo "downloading $folder/$name to $final"
if ! rclone copyto --retries 3 --low-level-retries 10 --stats-one-line -v "$folder/$name" "$partial"; then
    rm -f "$partial"
    fail "rclone could not copy $folder/$name (see the rclone error above)"
fi
mv "$partial" "$final" || fail "cannot rename $partial to $final"
printf '%s\n' "$final" >"$BACKUP_DIR/.restore-source" || fail "cannot write $BACKUP_DIR/.restore-source"
echo "download OK: $final"
