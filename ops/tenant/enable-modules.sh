#!/bin/sh
# Enable Tartware modules for every member of one tenant: the operator's step after the first
# install (docs/app.md "The first tenant and the load-test accounts"), and what the end-to-end
# harness runs for the seeded tenant before its users log in.
#
#   sh ops/tenant/enable-modules.sh <tenant-id> <module> [<module>...]
#
# The app checks modules per membership: every `withTenantScope({requiredModules})` reads
# user_tenant_associations.modules of the caller's membership (red2n/tartware@a2583469
# Apps/tenant-auth/src/index.ts:184-196, the rows from Apps/tenant-auth/src/membership.ts and
# Apps/api-gateway/src/services/membership-service.ts). Its own API cannot do this for every
# module: PUT /v1/tenants/{id}/modules keeps only the ids of its catalog (schema/src/api/tenants.ts:221,
# normalized by Apps/core-service/src/modules/module-registry.ts:127-145), which lacks
# `revenue-management` that the gateway's revenue routes require (Apps/api-gateway/src/routes/revenue-routes.ts:26),
# and it replaces every member's list instead of adding to it
# (Apps/core-service/src/services/tenant-module-service.ts:35-65). This script adds the modules
# to every active membership of the tenant and keeps the ones it has.
#
# The gateway and the domain services read memberships on every request; core-service caches them
# in Redis for REDIS_TTL_USER (1800 s, Apps/config/src/index.ts:58) from a user's login on, so run
# this before the tenant's users log in, or expect core's own routes to see the change late.
#
# Environment: libpq's PGHOST, PGPORT, PGDATABASE, PGUSER, PGPASSWORD, for a role that may update
# public.user_tenant_associations across tenants (the superuser, as the migration connects;
# the app's tables force row-level security for everyone else).
set -eu

fail() {
    echo "enable-modules FAILED: $*" >&2
    exit 1
}

[ "$#" -ge 2 ] || fail "usage: $0 <tenant-id> <module> [<module>...]"
tenant="$1"
shift
printf '%s' "$tenant" | grep -Eqx '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}' ||
    fail "tenant id must be a lower-case UUID, got '$tenant'"
modules=""
for module in "$@"; do
    case "$module" in
        '' | *[!a-z0-9-]* | -*) fail "module names are lower-case letters, digits and '-', got '$module'" ;;
    esac
    modules="$modules${modules:+,}\"$module\""
done

sql() {
    psql -X -q -v ON_ERROR_STOP=1 -At -v tenant="$tenant" -v modules="[$modules]"
}
found="$(sql <<'SQL'
SELECT count(*) FROM public.tenants WHERE id = :'tenant'::uuid
SQL
)" || fail "cannot read public.tenants in $PGDATABASE on $PGHOST (PGHOST, PGPORT, PGDATABASE, PGUSER, PGPASSWORD)"
[ "$found" = 1 ] || fail "no tenant $tenant in $PGDATABASE"

sql <<'SQL'
UPDATE public.user_tenant_associations a
SET modules = (SELECT jsonb_agg(DISTINCT m ORDER BY m)
               FROM jsonb_array_elements_text(COALESCE(a.modules, '[]'::jsonb) || :'modules'::jsonb) AS m),
    updated_at = now()
WHERE a.tenant_id = :'tenant'::uuid AND COALESCE(a.is_deleted, false) = false AND a.deleted_at IS NULL;
SELECT 'tenant ' || :'tenant' || ': ' || count(*) || ' membership(s) now have ' || :'modules'
FROM public.user_tenant_associations
WHERE tenant_id = :'tenant'::uuid AND modules @> :'modules'::jsonb;
SQL
