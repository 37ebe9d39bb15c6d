#!/bin/sh
# Restore a dump written by backup.sh: into a fresh database, which is then swapped in for
# PGDATABASE in one transaction. Nothing is restored over live data.
#
#   PGHOST PGPORT PGUSER PGDATABASE  the server and the database to replace (libpq's variables);
#                                    PGUSER must be a superuser, or own PGDATABASE and have
#                                    CREATEDB (ALTER DATABASE ... RENAME needs that)
#   PGPASSWORD_FILE                  file holding the password (as for backup.sh)
#   BACKUP_DIR                       where the dumps are
#   BACKUP_FILE                      the dump: a file name in BACKUP_DIR or a path; unset, empty or
#                                    "latest": the dump whose manifest has the newest server time
#   BACKUP_FILE_FROM                 instead of BACKUP_FILE: a file holding the dump's path (the
#                                    .restore-source download.sh writes)
#   BACKUP_SHA256                    the dump's sha256, for a dump without a manifest (made
#                                    elsewhere); otherwise the manifest's sha256 is checked
#   RESTORE_OVERWRITE                "true" to replace a database that holds tables; anything else
#                                    refuses to touch a non-empty database
#   RESTORE_OWNER                    owner of the restored database and its objects (default PGUSER)
#   RESTORE_MAINTENANCE_DB           database to connect to for CREATE/ALTER DATABASE (default postgres)
#   BACKUP_PREFIX                    file name prefix (default: tartware)
#
# Steps: the dump's sha256 must match its manifest (or BACKUP_SHA256) and the whole archive must
# read back (pg_restore --list, pg_restore to /dev/null); no session may be connected to
# PGDATABASE; the dump is restored into "<PGDATABASE>_restoring" (pg_restore --single-transaction
# --exit-on-error, --no-owner --role=RESTORE_OWNER); then, in one transaction, PGDATABASE is
# renamed to "<PGDATABASE>_before_<server time, to the microsecond>" and the restored database to
# PGDATABASE. A session that connects in between makes the rename fail and roll back. The previous database is
# kept; drop it when the restore is checked. Any failure exits non-zero with "restore FAILED:" and
# leaves PGDATABASE as it was; success ends with "restore OK: ...".
set -eu
umask 077

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
target="$PGDATABASE"
owner="${RESTORE_OWNER:-$PGUSER}"
maintenance="${RESTORE_MAINTENANCE_DB:-postgres}"
restoring="${target}_restoring"
for tool in pg_restore psql sha256sum; do
    command -v "$tool" >/dev/null 2>&1 || fail "$tool not found on PATH"
done

work="$(mktemp -d "${TMPDIR:-/tmp}/restore.XXXXXX")" || fail "cannot create a private temporary directory"
trap 'rm -rf "$work"' EXIT
trap 'exit 129' HUP
trap 'exit 130' INT
trap 'exit 143' TERM

# shellcheck source=ops/backup/pgpass.sh
. "$(dirname "$0")/pgpass.sh"
# shellcheck source=ops/backup/manifest.sh
. "$(dirname "$0")/manifest.sh"

# SQL on stdin against the maintenance database, with the names as psql variables (:"name" quotes
# an identifier, :'name' a literal; psql interpolates them in scripts, not in --command).
admin() {
    psql --no-password --no-psqlrc --quiet --tuples-only --no-align --set=ON_ERROR_STOP=1 \
        --dbname="$maintenance" --set=target="$target" --set=restoring="$restoring" \
        --set=owner="$owner" --set=previous="${previous:-}"
}

now="$(echo "SELECT extract(epoch FROM now())::bigint" | admin)" ||
    fail "cannot connect to '$maintenance' on $PGHOST:$PGPORT as '$PGUSER' (see the psql error above); nothing was changed"

if [ -n "${BACKUP_FILE_FROM:-}" ]; then
    [ -r "$BACKUP_FILE_FROM" ] || fail "BACKUP_FILE_FROM '$BACKUP_FILE_FROM' is not readable"
    BACKUP_FILE="$(cat "$BACKUP_FILE_FROM")"
    [ -n "$BACKUP_FILE" ] || fail "BACKUP_FILE_FROM '$BACKUP_FILE_FROM' is empty"
fi
choice="${BACKUP_FILE:-latest}"
if [ "$choice" = "latest" ]; then
    : "${BACKUP_DIR:?restore FAILED: BACKUP_DIR is not set}"
    [ -d "$BACKUP_DIR" ] || fail "BACKUP_DIR '$BACKUP_DIR' is not a directory"
    dump="$(manifest_latest "$BACKUP_DIR" "$prefix" "$now")" ||
        fail "no verified dump in $BACKUP_DIR (no $prefix-*.dump with its .manifest); name one with BACKUP_FILE"
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
manifest_verify "$dump" "${BACKUP_SHA256:-}"
pg_restore --list "$dump" >"$work/toc" ||
    fail "$dump is not a readable pg_dump archive (pg_restore --list); the database was not touched"
pg_restore --file=/dev/null "$dump" ||
    fail "$dump is truncated or corrupt (pg_restore cannot read it to the end); the database was not touched"

# Writers must be gone: a restore under live traffic loses what they write after the dump.
sessions() {
    admin <<'SQL'
SELECT count(*) || ' ' || coalesce(string_agg(DISTINCT usename || '@' || coalesce(host(client_addr), 'local')
       || coalesce(' (' || nullif(application_name, '') || ')', ''), ', '), '')
  FROM pg_stat_activity WHERE datname = :'target' AND pid <> pg_backend_pid()
SQL
}
connected="$(sessions)" || fail "cannot read pg_stat_activity (see the psql error above); nothing was changed"
if [ "${connected%% *}" != "0" ]; then
    fail "${connected%% *} session(s) connected to '$target': ${connected#* }. Stop the writers first (docs/operations.md, Restore runbook, step 1); nothing was changed"
fi

exists="$(echo "SELECT count(*) FROM pg_database WHERE datname = :'target'" | admin)" || fail "cannot query pg_database"
tables=0
if [ "$exists" = "1" ]; then
    tables="$(PGDATABASE="$target" psql --no-password --no-psqlrc --quiet --tuples-only --no-align \
        --set=ON_ERROR_STOP=1 --command="SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f')
          AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg_toast%'")" ||
        fail "cannot connect to database '$target' on $PGHOST:$PGPORT as '$PGUSER' (see the psql error above)"
    if [ "$tables" -gt 0 ] && [ "${RESTORE_OVERWRITE:-false}" != "true" ]; then
        fail "database '$target' on $PGHOST:$PGPORT is not empty ($tables relations); set RESTORE_OVERWRITE=true to swap it for the restored copy (it is kept as ${target}_before_<time>)"
    fi
fi

# A fresh database with the target's encoding and locale (template0, as pg_dump's docs advise).
echo "restoring $dump into a fresh database '$restoring' owned by '$owner'"
admin <<'SQL' || fail "cannot create the database '$restoring' (PGUSER needs CREATEDB; see the error above); nothing was changed"
DROP DATABASE IF EXISTS :"restoring";
SELECT coalesce((SELECT format('CREATE DATABASE %I WITH TEMPLATE template0 OWNER %I ENCODING %L LC_COLLATE %L LC_CTYPE %L',
                               :'restoring', :'owner', pg_encoding_to_char(encoding), datcollate, datctype)
                   FROM pg_database WHERE datname = :'target'),
                format('CREATE DATABASE %I WITH TEMPLATE template0 OWNER %I', :'restoring', :'owner')) \gexec
SQL
if ! PGDATABASE="$restoring" pg_restore --no-password --dbname="$restoring" --no-owner --role="$owner" \
    --single-transaction --exit-on-error "$dump"; then
    echo "DROP DATABASE IF EXISTS :\"restoring\"" | admin || true
    fail "pg_restore of $dump failed (see the error above); '$target' was not changed"
fi

# the server's time to the microsecond: two restores within a second (a retry) must not collide on the name
previous="${target}_before_$(echo "SELECT to_char(clock_timestamp() AT TIME ZONE 'UTC', 'YYYYMMDD\"T\"HH24MISSUS\"Z\"')" | admin)"
connected="$(sessions)" || connected="? (pg_stat_activity unreadable)"
if [ "${connected%% *}" != "0" ]; then
    echo "DROP DATABASE IF EXISTS :\"restoring\"" | admin || true
    fail "${connected%% *} session(s) connected to '$target' during the restore: ${connected#* }. Stop the writers and run again; '$target' was not changed"
fi
if [ "$exists" = "1" ]; then
    swap="BEGIN;
ALTER DATABASE :\"target\" RENAME TO :\"previous\";
ALTER DATABASE :\"restoring\" RENAME TO :\"target\";
COMMIT;"
else
    swap="ALTER DATABASE :\"restoring\" RENAME TO :\"target\";"
fi
if ! echo "$swap" | admin; then
    echo "DROP DATABASE IF EXISTS :\"restoring\"" | admin || true
    fail "could not swap the restored database in for '$target' (see the error above; a session that connected meanwhile blocks the rename); '$target' was not changed"
fi

after="$(PGDATABASE="$target" psql --no-password --no-psqlrc --quiet --tuples-only --no-align --set=ON_ERROR_STOP=1 \
    --command="SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE c.relkind IN ('r', 'p') AND n.nspname NOT IN ('pg_catalog', 'information_schema')")" ||
    fail "restored, but the check query on '$target' failed"
if [ "$exists" = "1" ]; then
    echo "the previous '$target' ($tables relations) is kept as '$previous': DROP DATABASE \"$previous\" once the restore is checked"
fi
echo "restore OK: $dump into '$target' ($after tables)"
