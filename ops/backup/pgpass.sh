# Sourced by backup.sh and restore.sh (not run on its own): the password comes from the file named
# by PGPASSWORD_FILE (a mounted Secret in the cluster), never from the environment. libpq reads it
# from a private .pgpass (mode 0600) in the caller's work directory, with ':' and '\' escaped as
# libpq requires (https://www.postgresql.org/docs/current/libpq-pgpass.html).
# Needs: fail() and $work from the caller. Sets and exports PGPASSFILE.
# shellcheck shell=sh disable=SC2154  # $work is the caller's
if [ -n "${PGPASSWORD_FILE:-}" ]; then
    [ -r "$PGPASSWORD_FILE" ] || fail "PGPASSWORD_FILE '$PGPASSWORD_FILE' is not readable"
    password="$(cat "$PGPASSWORD_FILE")"
    escaped="$(printf '%s' "$password" | sed -e 's/\\/\\\\/g' -e 's/:/\\:/g')"
    (umask 077 && printf '*:*:*:%s:%s\n' "$PGUSER" "$escaped" >"$work/pgpass") ||
        fail "cannot write the password file in $work"
    unset password escaped
    PGPASSFILE="$work/pgpass"
    export PGPASSFILE
fi
