#!/bin/sh
# Apply the Tartware app's database schema, seed and bootstrap admin: the migration step that runs
# before every install and upgrade of the release (the chart's pre-install/pre-upgrade hook Job),
# and that the end-to-end harness runs against a real PostgreSQL (docs/app.md "Migration contract").
#
# The app's SQL and seed are not in this repository (the app is UNLICENSED): they come from the
# `db-migrate` image, a checkout of red2n/tartware at the pinned commit. This script only runs the
# app's own steps, in the order of the app's executables/setup-database/setup-database.sh (direct
# mode) at that commit, and records what it did.
#
# Environment:
#   PGHOST PGPORT PGDATABASE PGUSER   the database and a superuser (libpq's own variables); the
#                                     app's SQL creates roles and seeds tables under row-level
#                                     security, as its setup-database.sh does as `postgres`
#   PGPASSWORD or PGPASSWORD_FILE     the superuser's password (the file: a mounted Secret)
#   TARTWARE_APP_DIR                  the app checkout (default /app)
#   TARTWARE_APP_COMMIT               the pinned commit; must equal $TARTWARE_APP_DIR/COMMIT
#   APP_DB_USER                       the role the services connect as; granted the app's role
#   AUTH_DEFAULT_PASSWORD             the bootstrap admin's password (first install only)
#   MIGRATE_SKIP_STEPS                step names to leave out (the harness's planted defects only)
#
# State, in the database: tartware_infra.app_schema (one row per app commit and step). For the
# commit already recorded as complete it does nothing. On an empty database it runs every install
# step. On a database completed by another commit it runs only the steps that are safe to repeat
# (listed in UPGRADE_STEPS) and the app's own versioned migrations (scripts/migrate.sh). Anything
# else - a database with the app's tables but no record, an install that stopped half-way - is
# refused with what to do. Every failure prints the step's output and a last line starting
# "migration FAILED:", and exits non-zero, which fails the Helm hook and so the release.
set -eu

fail() {
    echo "migration FAILED: $*" >&2
    exit 1
}

APP="${TARTWARE_APP_DIR:-/app}"
SCRIPTS="$APP/scripts"
: "${PGHOST:?migration FAILED: PGHOST is not set}"
: "${PGUSER:?migration FAILED: PGUSER is not set}"
: "${PGDATABASE:?migration FAILED: PGDATABASE is not set}"
: "${TARTWARE_APP_COMMIT:?migration FAILED: TARTWARE_APP_COMMIT is not set}"
: "${APP_DB_USER:?migration FAILED: APP_DB_USER is not set}"
PGPORT="${PGPORT:-5432}"
export PGHOST PGPORT PGUSER PGDATABASE
commit="$TARTWARE_APP_COMMIT"
skip=" ${MIGRATE_SKIP_STEPS:-} "

case "$commit" in
    *[!0-9a-f]* | '') fail "TARTWARE_APP_COMMIT must be a full lower-case git commit id, got '$commit'" ;;
esac
[ "${#commit}" -eq 40 ] || fail "TARTWARE_APP_COMMIT must be 40 hex digits, got '$commit'"
[ -d "$SCRIPTS" ] || fail "no app scripts in $SCRIPTS (TARTWARE_APP_DIR=$APP): not the db-migrate image?"
[ -r "$APP/COMMIT" ] || fail "$APP/COMMIT is missing: the db-migrate image records the app commit it was built from there"
image_commit="$(tr -d ' \n' <"$APP/COMMIT")"
[ "$image_commit" = "$commit" ] ||
    fail "the image holds app commit $image_commit but the release pins $commit: build and tag db-migrate from the pinned commit"
for tool in psql node; do
    command -v "$tool" >/dev/null 2>&1 || fail "$tool not found on PATH"
done

work="$(mktemp -d "${TMPDIR:-/tmp}/migrate.XXXXXX")" || fail "cannot create a private temporary directory"
trap 'rm -rf "$work"' EXIT
trap 'exit 129' HUP
trap 'exit 130' INT
trap 'exit 143' TERM

if [ -n "${PGPASSWORD_FILE:-}" ]; then
    [ -r "$PGPASSWORD_FILE" ] || fail "PGPASSWORD_FILE '$PGPASSWORD_FILE' is not readable"
    PGPASSWORD="$(cat "$PGPASSWORD_FILE")"
    export PGPASSWORD
fi

# psql for our own statements: no ~/.psqlrc, stop at the first error, unaligned, quiet.
sql() {
    psql -X -q -v ON_ERROR_STOP=1 -At "$@"
}

sql -c "SELECT 1" >/dev/null 2>"$work/connect" ||
    fail "cannot connect to $PGDATABASE on $PGHOST:$PGPORT as $PGUSER: $(cat "$work/connect")"
[ "$(sql -c "SELECT rolsuper FROM pg_roles WHERE rolname = current_user")" = "t" ] ||
    fail "$PGUSER is not a superuser: the app's SQL creates roles and seeds tables under row-level security (its setup-database.sh runs as postgres)"

sql <<'SQL'
SET client_min_messages = warning;
CREATE SCHEMA IF NOT EXISTS tartware_infra;
CREATE TABLE IF NOT EXISTS tartware_infra.app_schema (
    app_commit text NOT NULL,
    step text NOT NULL,
    tolerated_errors integer NOT NULL DEFAULT 0,
    applied_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (app_commit, step)
);
COMMENT ON TABLE tartware_infra.app_schema IS
    'Steps of the Tartware app schema applied by ops/migrate/migrate.sh, per app commit; step complete marks a finished run';
SQL

done_steps() {  # $1: commit
    sql -v commit="$1" <<'SQL'
SELECT step FROM tartware_infra.app_schema WHERE app_commit = :'commit' ORDER BY applied_at
SQL
}
completed="$(sql -c "SELECT app_commit FROM tartware_infra.app_schema WHERE step = 'complete' ORDER BY applied_at DESC LIMIT 1")"
app_tables="$(sql -c "SELECT count(*) FROM information_schema.tables WHERE table_schema IN ('public', 'availability')")"
started="$(done_steps "$commit" | tr '\n' ' ')"

if [ "$completed" = "$commit" ]; then
    echo "migration OK: the database is already at app commit $commit; nothing to do"
    exit 0
elif [ -n "$completed" ]; then
    mode=upgrade
    echo "upgrading the app schema from commit $completed to $commit"
elif [ -n "$started" ]; then
    fail "an install of app commit $commit stopped after the steps: $started. The app's schema steps cannot be repeated; the database held no data before the install, so drop and recreate it (DROP DATABASE $PGDATABASE; CREATE DATABASE $PGDATABASE OWNER $APP_DB_USER) and run the migration again"
elif [ "$app_tables" -gt 0 ]; then
    fail "the database has $app_tables app tables but no record of a migration: it was not set up by this migration (for example by the app's setup-database.sh). Record it as app commit <commit> only if it matches: INSERT INTO tartware_infra.app_schema (app_commit, step) VALUES ('<commit>', 'complete')"
else
    mode=install
    [ -n "${AUTH_DEFAULT_PASSWORD:-}" ] || fail "AUTH_DEFAULT_PASSWORD is not set: the bootstrap admin's password is required on the first install"
    echo "installing the app schema of commit $commit into the empty database $PGDATABASE on $PGHOST:$PGPORT"
fi

# Steps repeated on an upgrade: each is re-runnable against a completed schema (checked against
# PostgreSQL by the harness): CREATE OR REPLACE, IF NOT EXISTS, ON CONFLICT, and the app's own
# versioned migrations, which skip what they applied before.
UPGRADE_STEPS=" command-templates fk-indexes procedures triggers constraint-messages app-migrations roles "

record() {  # $1: step, $2: tolerated error count
    sql -v commit="$commit" -v step="$1" -v errors="$2" <<'SQL'
INSERT INTO tartware_infra.app_schema (app_commit, step, tolerated_errors) VALUES (:'commit', :'step', :errors)
ON CONFLICT (app_commit, step) DO UPDATE SET tolerated_errors = EXCLUDED.tolerated_errors, applied_at = now()
SQL
}

# run STEP MODE DIR COMMAND...: MODE strict stops at the first error; tolerant (only where the app's
# setup-database.sh itself runs the file without ON_ERROR_STOP and discards the output) lets psql
# go on, and every error is printed and counted.
run() {
    step="$1" mode_="$2" dir="$3"
    shift 3
    case "$skip" in *" $step "*)
        echo "SKIPPED $step (MIGRATE_SKIP_STEPS)"
        return 0 ;;
    esac
    if [ "$mode" = upgrade ]; then
        case "$UPGRADE_STEPS" in *" $step "*) ;; *)
            echo "-- $step: install only, not repeated on an upgrade"
            return 0 ;;
        esac
    fi
    echo "-- $step"
    log="$work/$step.log"
    if ! (cd "$dir" && "$@") >"$log" 2>&1; then
        cat "$log"
        fail "step $step failed (output above)"
    fi
    errors=0
    if [ "$mode_" = tolerant ]; then
        errors="$(grep -c 'ERROR:' "$log" || true)"
        if [ "$errors" -gt 0 ]; then
            grep 'ERROR:' "$log" | sed "s/^/   tolerated in $step (the app's setup ignores this step's errors): /"
        fi
    fi
    grep -v -e 'NOTICE:' -e '^[[:space:]]*$' "$log" | tail -n 3 | sed 's/^/   /' || true
    record "$step" "$errors"
}

strict_sql() {  # FILE [psql options]: one app SQL file, stopping at its first error
    f="$1"
    shift
    psql -X -q -v ON_ERROR_STOP=1 "$@" -f "$f"
}
tolerant_sql() {
    f="$1"
    shift
    psql -X -q "$@" -f "$f"
}

# The app's setup-database.sh, direct mode, steps 4 to 13 (step 14 only prints verification
# queries, step 15 creates Kafka topics, which the platform creates from the program's list).
run setup strict "$SCRIPTS" strict_sql 01-database-setup.sql
run enums strict "$SCRIPTS" strict_sql 02-enum-types.sql
run tables strict "$SCRIPTS" strict_sql tables/00-create-all-tables.sql
# setup-database.sh re-runs this once the tenant soft-delete defaults exist (its comment, step 6)
run command-templates strict "$SCRIPTS" strict_sql tables/01-core/10_command_center.sql
run indexes strict "$SCRIPTS" strict_sql indexes/00-create-all-indexes.sql
run constraints tolerant "$SCRIPTS/constraints" tolerant_sql 00-create-all-constraints.sql
run fk-indexes strict "$SCRIPTS" strict_sql indexes/99_auto_fk_indexes.sql
run seed strict "$APP" env DB_HOST="$PGHOST" DB_PORT="$PGPORT" DB_USER="$PGUSER" DB_NAME="$PGDATABASE" \
    DB_PASSWORD="${PGPASSWORD:-}" NODE_PATH="$APP/node_modules" node scripts/data/defaults/seed-default-data.mjs
run settings-seed strict "$SCRIPTS" strict_sql tables/08-settings/15_settings_seed.sql
# The bootstrap admin: the app's own reset-default-password.ts (core-service's `reset:passwords`
# script), which sets every active user and system administrator to AUTH_DEFAULT_PASSWORD. Only
# the seeded accounts exist at this point; it refuses NODE_ENV=production, so it runs as the app's
# setup-database.sh runs it.
run bootstrap-admin strict "$APP/Apps/core-service" env DB_HOST="$PGHOST" DB_PORT="$PGPORT" \
    DB_USER="$PGUSER" DB_NAME="$PGDATABASE" DB_PASSWORD="${PGPASSWORD:-}" NODE_ENV=development \
    AUTH_DEFAULT_PASSWORD="${AUTH_DEFAULT_PASSWORD:-}" "$APP/node_modules/.bin/tsx" scripts/reset-default-password.ts
run procedures strict "$SCRIPTS" strict_sql procedures/00-create-all-procedures.sql -v scripts_dir="$SCRIPTS"
run triggers strict "$SCRIPTS" strict_sql triggers/00-create-all-efficiency-triggers.sql
run constraint-messages tolerant "$SCRIPTS" tolerant_sql add_friendly_constraint_messages.sql
# The app's versioned migrations (scripts/migrations, tracked in its own schema_migrations table).
run app-migrations strict "$SCRIPTS" env PGHOST="$PGHOST" PGPORT="$PGPORT" PGUSER="$PGUSER" \
    PGDATABASE="$PGDATABASE" sh -c 'if command -v bash >/dev/null 2>&1; then bash ./migrate.sh apply; else echo "bash not found: the app migrate.sh needs it" >&2; exit 1; fi'
# Ours: the app's tables/98_row_level_security.sql gives its role tartware_app LOGIN with a fixed
# development password on every run. Take the login away and let the services' role use it.
roles() {
    sql -v app_user="$APP_DB_USER" <<'SQL'
ALTER ROLE tartware_app NOLOGIN PASSWORD NULL;
GRANT tartware_app TO :"app_user";
SQL
}
run roles strict "$SCRIPTS" roles

record complete 0
echo "migration OK: app commit $commit ($mode)"
