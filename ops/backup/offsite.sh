# Sourced by upload.sh and download.sh (not run on its own): where the dumps live in the off-site
# bucket, the one layout both the upload and the download read.
# shellcheck shell=sh

# offsite_folder: rclone's path of the folder of dumps, "offsite:<bucket>" or
# "offsite:<bucket>/<prefix>", from BACKUP_OFFSITE_BUCKET and BACKUP_OFFSITE_PREFIX (its leading
# and trailing slash dropped).
offsite_folder() {
    keys="${BACKUP_OFFSITE_PREFIX:-}"
    keys="${keys#/}"
    keys="${keys%/}"
    if [ -n "$keys" ]; then
        printf 'offsite:%s/%s\n' "$BACKUP_OFFSITE_BUCKET" "$keys"
    else
        printf 'offsite:%s\n' "$BACKUP_OFFSITE_BUCKET"
    fi
}
