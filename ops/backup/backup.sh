#!/bin/sh
# Dump one PostgreSQL database to BACKUP_DIR, prove the dump is readable, and record it in a
# manifest. Prunes expired dumps first, so a full claim makes room before the dump.
#
# Runs the same in the postgres-backup CronJob and on a workstation:
#   PGHOST PGPORT PGUSER PGDATABASE  where to connect (libpq's own variables; in the cluster a
#                                    replica's Service when the database has one)
#   PGPASSWORD_FILE                  file holding the password (optional outside a cluster: libpq's
#                                    usual ~/.pgpass or PGPASSWORD then apply)
#   BACKUP_DIR                       where dumps go (must exist and be writable)
#   BACKUP_RETENTION_DAYS            dumps older than this many days are pruned (>= 1; default 7)
#   BACKUP_PREFIX                    file name prefix (default: tartware)
#   BACKUP_LOCK_WAIT_TIMEOUT         pg_dump --lock-wait-timeout (default 10min): fail instead of
#                                    waiting forever behind a lock a migration holds
#
# Time comes from the server, never from this node's clock: the name's timestamp and the
# manifest's server_epoch are the server's now() when the dump starts. The dump is pg_dump's custom
# format, written as ".<name>.dump.partial" and renamed to "<name>.dump" only when the whole
# archive reads back (pg_restore --list, then pg_restore to /dev/null). Then "<name>.dump.manifest"
# is written (sha256, bytes, server time, source): a dump without a manifest is not a verified
# dump, and "latest" (restore.sh, upload.sh, download.sh) is the manifest with the newest
# server_epoch, never the highest file name.
#
# Pruning runs before the dump, by server time: dumps whose manifest is older than the retention,
# dumps dated in the future (a manifest more than a day ahead of the server, or a file without
# one whose mtime is ahead of this node), files without a manifest older than the retention, and
# partial files of killed runs older than a day. The newest verified dump is always kept.
# Any failure deletes the partial file and exits non-zero with a line starting "backup FAILED:".
# On success the last line is "backup OK: <path> (<bytes> bytes, sha256 <hex>)".
set -eu
umask 077 # dumps, manifests and the password file are readable by this user only

fail() {
    echo "backup FAILED: $*" >&2
    exit 1
}

: "${PGHOST:?backup FAILED: PGHOST is not set}"
: "${PGUSER:?backup FAILED: PGUSER is not set}"
: "${PGDATABASE:?backup FAILED: PGDATABASE is not set}"
: "${BACKUP_DIR:?backup FAILED: BACKUP_DIR is not set}"
PGPORT="${PGPORT:-5432}"
export PGPORT
retention="${BACKUP_RETENTION_DAYS:-7}"
prefix="${BACKUP_PREFIX:-tartware}"
lock_wait="${BACKUP_LOCK_WAIT_TIMEOUT:-10min}"

case "$retention" in
    '' | *[!0-9]*) fail "BACKUP_RETENTION_DAYS must be a whole number of days >= 1, got '$retention'" ;;
esac
[ "$retention" -ge 1 ] || fail "BACKUP_RETENTION_DAYS must be >= 1, got '$retention'"
[ -d "$BACKUP_DIR" ] || fail "BACKUP_DIR '$BACKUP_DIR' is not a directory"
[ -w "$BACKUP_DIR" ] || fail "BACKUP_DIR '$BACKUP_DIR' is not writable"
for tool in pg_dump pg_restore psql sha256sum; do
    command -v "$tool" >/dev/null 2>&1 || fail "$tool not found on PATH"
done

work="$(mktemp -d "${TMPDIR:-/tmp}/backup.XXXXXX")" || fail "cannot create a private temporary directory"
partial=""
cleanup() {
    status=$?
    if [ -n "$partial" ] && [ -e "$partial" ]; then
        rm -f "$partial"
        echo "removed the incomplete dump $partial" >&2
    fi
    rm -rf "$work"
    exit "$status"
}
trap cleanup EXIT
trap 'exit 129' HUP
trap 'exit 130' INT
trap 'exit 143' TERM

# shellcheck source=ops/backup/pgpass.sh
. "$(dirname "$0")/pgpass.sh"
# shellcheck source=ops/backup/manifest.sh
. "$(dirname "$0")/manifest.sh"

# The server's clock: epoch seconds, the name's UTC stamp, and whether it is a replica.
clock="$(psql --no-password --no-psqlrc --quiet --tuples-only --no-align --field-separator=' ' \
    --set=ON_ERROR_STOP=1 --command="SELECT extract(epoch FROM now())::bigint,
        to_char(now() AT TIME ZONE 'UTC', 'YYYYMMDD\"T\"HH24MISS\"Z\"'), pg_is_in_recovery()")" ||
    fail "cannot connect to '$PGDATABASE' on $PGHOST:$PGPORT as '$PGUSER' (see the psql error above); no dump written, nothing pruned"
# shellcheck disable=SC2086  # three words: epoch, stamp, t/f
set -- $clock
now="$1" stamp="$2" replica="$3"

# --- prune first, by the server's time, keeping the newest verified dump -----------------------
newest="$(manifest_latest "$BACKUP_DIR" "$prefix" "$now" || true)"
oldest_kept=$((now - retention * 86400))
future=$((now + 86400))
for manifest in "$BACKUP_DIR/$prefix"-*.dump.manifest; do
    [ -f "$manifest" ] || continue
    dump="${manifest%.manifest}"
    [ "$dump" = "$newest" ] && continue
    epoch="$(manifest_field "$manifest" server_epoch)"
    case "$epoch" in '' | *[!0-9]*) epoch=0 ;; esac
    if [ "$epoch" -lt "$oldest_kept" ] || [ "$epoch" -gt "$future" ]; then
        when="$(manifest_field "$manifest" server_time)"
        rm -f "$dump" "$manifest"
        echo "pruned $dump (server time $when)"
    fi
done
# Files without a manifest: never verified (or written before manifests existed). Gone when older
# than the retention by mtime, or dated ahead of this node's clock.
touch "$work/now"
find "$BACKUP_DIR" -maxdepth 1 -type f -name "${prefix}-*.dump" \
    \( -mtime "+$((retention - 1))" -o -newer "$work/now" \) -print | while IFS= read -r dump; do
    [ -e "$dump.manifest" ] && continue
    rm -f "$dump"
    echo "pruned $dump (no manifest)"
done
find "$BACKUP_DIR" -maxdepth 1 -type f -name "${prefix}-*.dump.manifest" -print | while IFS= read -r manifest; do
    [ -e "${manifest%.manifest}" ] || { rm -f "$manifest" && echo "removed $manifest (its dump is gone)"; }
done
# Leftovers of runs killed outright (SIGKILL, node loss) older than a day.
find "$BACKUP_DIR" -maxdepth 1 -type f -name ".${prefix}-*.dump.partial" -mmin +1440 \
    -print -exec rm -f {} + | sed 's/^/removed stale /'

# --- dump and verify ---------------------------------------------------------------------------
name="${prefix}-${stamp}.dump"
final="$BACKUP_DIR/$name"
partial="$BACKUP_DIR/.${name}.partial"
[ ! -e "$final" ] || fail "$final already exists; not overwriting a dump"

source_kind="primary"
[ "$replica" = "t" ] && source_kind="replica"
echo "dumping database '$PGDATABASE' from $PGHOST:$PGPORT ($source_kind) as '$PGUSER' to $final"
if ! pg_dump --no-password --format=custom --lock-wait-timeout="$lock_wait" --file="$partial"; then
    fail "pg_dump of '$PGDATABASE' on $PGHOST:$PGPORT failed (see the pg_dump error above; a lock held longer than BACKUP_LOCK_WAIT_TIMEOUT=$lock_wait ends it too); no dump written"
fi
if ! pg_restore --list "$partial" >"$work/toc"; then
    fail "the dump's table of contents does not read back (pg_restore --list)"
fi
if ! pg_restore --file=/dev/null "$partial"; then
    fail "the dump does not read back completely (pg_restore to /dev/null)"
fi
entries="$(grep -c -v '^;' "$work/toc" || true)"
sum="$(sha256sum "$partial" | cut -d ' ' -f 1)"
bytes="$(wc -c <"$partial" | tr -d ' ')"
mv "$partial" "$final" || fail "cannot rename $partial to $final"
partial=""

# --- the manifest, last: its presence is what makes the dump "verified" -------------------------
{
    echo "format=1"
    echo "dump=$name"
    echo "sha256=$sum"
    echo "bytes=$bytes"
    echo "server_epoch=$now"
    echo "server_time=$stamp"
    echo "database=$PGDATABASE"
    echo "source=$PGHOST:$PGPORT"
    echo "source_is_replica=$replica"
    echo "toc_entries=$entries"
} >"$work/manifest" || fail "cannot write the manifest"
if ! { cp "$work/manifest" "$final.manifest.tmp" && mv "$final.manifest.tmp" "$final.manifest"; }; then
    rm -f "$final.manifest.tmp"
    fail "the dump $final is complete, but its manifest could not be written; it is not counted as verified"
fi
echo "verified $final: $bytes bytes, $entries table-of-contents entries"
echo "backup OK: $final ($bytes bytes, sha256 $sum)"
