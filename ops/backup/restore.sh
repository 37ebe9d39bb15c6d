#!/bin/sh
# Restore a dump written by backup.sh into PGDATABASE.
#
#   PGHOST PGPORT PGUSER PGDATABASE  where to restore (libpq's own variables)
#   PGPASSWORD_FILE                  file holding the password (as for backup.sh)
#   BACKUP_DIR                       where the dumps are
#   BACKUP_FILE                      the dump to restore: a file name in BACKUP_DIR or a path;
#                                    unset, empty or "latest": the newest <prefix>-*.dump in BACKUP_DIR
#   BACKUP_FILE_FROM                 instead of BACKUP_FILE: a file holding the dump's path (the
#                                    .restore-source download.sh writes)
#   RESTORE_OVERWRITE                "true" to restore over a database that already holds tables;
#                                    anything else refuses to touch a non-empty database
#   BACKUP_PREFIX                    file name prefix (default: tartware)
#
# Before the database is touched, the whole archive must read back (pg_restore --list, then
# pg_restore to /dev/null): a truncated or corrupt dump is refused. The restore itself runs
# pg_restore --clean --if-exists --single-transaction --exit-on-error, so it either applies the
# whole dump or rolls back and leaves the database as it was. Any failure exits non-zero with a
# line starting "restore FAILED:"; success ends with "restore OK: ...".
set -eu

fail() {
    echo "restore FAILED: $*" >&2
    exit 1
}

: "${PGHOST:?restore FAILED: PGHOST is not set}"
: "${PGUSER:?restore FAILED: PGUSER is not set}"
: "${PGDATABASE:?restore FAILED: PGDATABASE is not set}"
PGPORT="${PGPORT:-5432}"
export PGPORT
prefix="${BACKUP_PREFIX:-tartware}"
for tool in pg_restore psql; do
    command -v "$tool" >/dev/null 2>&1 || fail "$tool not found on PATH"
done

work="$(mktemp -d "${TMPDIR:-/tmp}/restore.XXXXXX")" || fail "cannot create a private temporary directory"
trap 'rm -rf "$work"' EXIT
trap 'exit 129' HUP
trap 'exit 130' INT
trap 'exit 143' TERM

# shellcheck source=ops/backup/pgpass.sh
. "$(dirname "$0")/pgpass.sh"

if [ -n "${BACKUP_FILE_FROM:-}" ]; then
    [ -r "$BACKUP_FILE_FROM" ] || fail "BACKUP_FILE_FROM '$BACKUP_FILE_FROM' is not readable"
    BACKUP_FILE="$(cat "$BACKUP_FILE_FROM")"
    [ -n "$BACKUP_FILE" ] || fail "BACKUP_FILE_FROM '$BACKUP_FILE_FROM' is empty"
fi
choice="${BACKUP_FILE:-latest}"
if [ "$choice" = "latest" ]; then
    : "${BACKUP_DIR:?restore FAILED: BACKUP_DIR is not set}"
    [ -d "$BACKUP_DIR" ] || fail "BACKUP_DIR '$BACKUP_DIR' is not a directory"
    # Names carry a UTC timestamp (<prefix>-YYYYmmddTHHMMSSZ.dump): the last in sort order is the newest.
    dump=""
    for candidate in "$BACKUP_DIR/$prefix"-*.dump; do
        [ -f "$candidate" ] && dump="$candidate"
    done
    [ -n "$dump" ] || fail "no $prefix-*.dump in $BACKUP_DIR"
else
    case "$choice" in
        */*) dump="$choice" ;;
        *)
            : "${BACKUP_DIR:?restore FAILED: BACKUP_DIR is not set}"
            dump="$BACKUP_DIR/$choice"
            ;;
    esac
    case "$dump" in
        *.partial | *.download) fail "$dump is an incomplete dump; refusing to restore it" ;;
    esac
    [ -f "$dump" ] || fail "dump '$dump' does not exist"
fi

echo "checking $dump"
pg_restore --list "$dump" >"$work/toc" ||
    fail "$dump is not a readable pg_dump archive (pg_restore --list); the database was not touched"
pg_restore --file=/dev/null "$dump" ||
    fail "$dump is truncated or corrupt (pg_restore cannot read it to the end); the database was not touched"

psql_q() {
    psql --no-password --no-psqlrc --quiet --tuples-only --no-align --set=ON_ERROR_STOP=1 --command="$1"
}
tables="$(psql_q "SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f')
      AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg_toast%'")" ||
    fail "cannot connect to database '$PGDATABASE' on $PGHOST:$PGPORT as '$PGUSER' (see the psql error above)"
if [ "$tables" -gt 0 ] && [ "${RESTORE_OVERWRITE:-false}" != "true" ]; then
    fail "database '$PGDATABASE' on $PGHOST:$PGPORT is not empty ($tables relations); set RESTORE_OVERWRITE=true to replace its objects with the dump's"
fi

echo "restoring $dump into '$PGDATABASE' on $PGHOST:$PGPORT as '$PGUSER' ($tables relations there now)"
pg_restore --no-password --dbname="$PGDATABASE" --clean --if-exists --no-owner \
    --single-transaction --exit-on-error "$dump" ||
    fail "pg_restore of $dump into '$PGDATABASE' failed and was rolled back (see the error above)"
after="$(psql_q "SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE c.relkind IN ('r', 'p') AND n.nspname NOT IN ('pg_catalog', 'information_schema')")" ||
    fail "restored, but the check query on '$PGDATABASE' failed"
echo "restore OK: $dump into '$PGDATABASE' ($after tables)"
