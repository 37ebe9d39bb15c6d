# Sourced by backup.sh, restore.sh, upload.sh and download.sh (not run on its own): reading the
# manifests backup.sh writes next to each verified dump ("<name>.dump.manifest", key=value lines).
# Needs: fail() from the caller.
# shellcheck shell=sh

# manifest_field FILE KEY: the value of KEY in the manifest FILE (empty when absent).
manifest_field() {
    sed -n "s/^$2=//p" "$1" | head -n 1
}

# manifest_latest DIR PREFIX NOW: the path of the dump in DIR whose manifest has the newest
# server_epoch, ignoring manifests dated more than a day after NOW (epoch seconds) and manifests
# whose dump is missing. Exits 1 (printing nothing) when there is none. File names play no part.
manifest_latest() {
    best="" best_epoch=-1
    for m in "$1/$2"-*.dump.manifest; do
        { [ -f "$m" ] && [ -f "${m%.manifest}" ]; } || continue
        e="$(manifest_field "$m" server_epoch)"
        case "$e" in '' | *[!0-9]*) continue ;; esac
        [ "$e" -le $(($3 + 86400)) ] || continue
        if [ "$e" -gt "$best_epoch" ]; then
            best="${m%.manifest}" best_epoch="$e"
        fi
    done
    [ -n "$best" ] || return 1
    printf '%s\n' "$best"
}

# manifest_verify DUMP [SHA256]: the dump's sha256 must equal SHA256 or, when that is empty, the
# one in DUMP.manifest. Fails (through fail) naming both sums otherwise.
manifest_verify() {
    expected="${2:-}"
    if [ -z "$expected" ]; then
        [ -r "$1.manifest" ] || fail "$1 has no manifest ($1.manifest): it was never verified by backup.sh; to restore a dump made elsewhere, set BACKUP_SHA256 to its sha256 (sha256sum <file>)"
        expected="$(manifest_field "$1.manifest" sha256)"
        [ -n "$expected" ] || fail "$1.manifest holds no sha256"
    fi
    actual="$(sha256sum "$1" | cut -d ' ' -f 1)" || fail "cannot read $1"
    [ "$actual" = "$expected" ] || fail "$1 does not match its sha256 (expected $expected, got $actual): the file changed after it was verified; refusing it"
}
