#!/bin/sh
# Dump one PostgreSQL database to BACKUP_DIR, prove the dump is readable, then prune old dumps.
#
# Runs the same in the postgres-backup CronJob and on a workstation:
#   PGHOST PGPORT PGUSER PGDATABASE  where to connect (libpq's own variables)
#   PGPASSWORD_FILE                  file holding the password (optional outside a cluster: libpq's
#                                    usual ~/.pgpass or PGPASSWORD then apply)
#   BACKUP_DIR                       where dumps go (must exist and be writable)
#   BACKUP_RETENTION_DAYS            dumps older than this many days are pruned (>= 1; default 7)
#   BACKUP_PREFIX                    file name prefix (default: tartware)
#
# The dump is pg_dump's custom format (compressed, restorable with pg_restore). It is written as
# ".<name>.dump.partial" and renamed to "<name>.dump" only when pg_dump has succeeded and the
# whole archive reads back (pg_restore --list for the table of contents, then pg_restore to
# /dev/null, which reads and decompresses every data block). Anything else - a wrong password, an
# unreachable server, a full or read-only BACKUP_DIR - deletes the partial file, prunes nothing
# and exits non-zero with a line starting "backup FAILED:". On success the last line is
# "backup OK: <path> (<bytes> bytes)" and <path> is also written to BACKUP_DIR/.latest.
set -eu

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

case "$retention" in
    '' | *[!0-9]*) fail "BACKUP_RETENTION_DAYS must be a whole number of days >= 1, got '$retention'" ;;
esac
[ "$retention" -ge 1 ] || fail "BACKUP_RETENTION_DAYS must be >= 1, got '$retention'"
[ -d "$BACKUP_DIR" ] || fail "BACKUP_DIR '$BACKUP_DIR' is not a directory"
[ -w "$BACKUP_DIR" ] || fail "BACKUP_DIR '$BACKUP_DIR' is not writable"
for tool in pg_dump pg_restore; do
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

stamp="$(date -u +%Y%m%dT%H%M%SZ)"
name="${prefix}-${stamp}.dump"
final="$BACKUP_DIR/$name"
partial="$BACKUP_DIR/.${name}.partial"
[ ! -e "$final" ] || fail "$final already exists; not overwriting a dump"

echo "dumping database '$PGDATABASE' from $PGHOST:$PGPORT as '$PGUSER' to $final"
if ! pg_dump --no-password --format=custom --file="$partial"; then
    fail "pg_dump of '$PGDATABASE' on $PGHOST:$PGPORT failed (see the pg_dump error above); no dump written, nothing pruned"
fi
if ! pg_restore --list "$partial" >"$work/toc"; then
    fail "the dump's table of contents does not read back (pg_restore --list); nothing pruned"
fi
if ! pg_restore --file=/dev/null "$partial"; then
    fail "the dump does not read back completely (pg_restore to /dev/null); nothing pruned"
fi
entries="$(grep -c -v '^;' "$work/toc" || true)"
mv "$partial" "$final" || fail "cannot rename $partial to $final"
partial=""
bytes="$(wc -c <"$final" | tr -d ' ')"
echo "verified $final: $bytes bytes, $entries table-of-contents entries"

# Prune only now, with a verified dump in place. `find -mtime +N` matches files at least N+1 whole
# days old, so +(days-1) removes dumps older than `retention` days; never the dump just written.
find "$BACKUP_DIR" -maxdepth 1 -type f -name "${prefix}-*.dump" ! -name "$name" \
    -mtime "+$((retention - 1))" -print -exec rm -f {} + | sed 's/^/pruned /'
# Leftovers of runs killed outright (SIGKILL, node loss) older than a day.
find "$BACKUP_DIR" -maxdepth 1 -type f -name ".${prefix}-*.dump.partial" -mmin +1440 \
    -print -exec rm -f {} + | sed 's/^/removed stale /'

if ! { printf '%s\n' "$final" >"$BACKUP_DIR/.latest.tmp" && mv "$BACKUP_DIR/.latest.tmp" "$BACKUP_DIR/.latest"; }; then
    fail "the dump $final is complete, but $BACKUP_DIR/.latest could not be written"
fi
echo "backup OK: $final ($bytes bytes)"
