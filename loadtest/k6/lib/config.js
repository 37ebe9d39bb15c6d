// Shared configuration of the Tartware k6 scenarios (smoke.js, load.js).
//
// Routes: every one exists in the app at the commit the platform pins
// (red2n/tartware@a25834694cd695210b5302079471edbea490b31f, stacks/app_source.py GATEWAY_ROUTES):
//   POST /v1/auth/login                      Apps/api-gateway/src/routes/core-proxy-routes.ts (ALL /v1/auth/*
//                                            -> core-service Apps/core-service/src/routes/auth.ts):
//                                            {username, password} -> 200 {access_token, memberships[{tenant_id}]}
//   GET  /health                             Apps/api-gateway/src/routes/health-routes.ts
//   GET  /v1/rooms?tenant_id=                Apps/api-gateway/src/routes/room-routes.ts (STAFF)
//   GET  /v1/guests?tenant_id=               Apps/api-gateway/src/routes/guest-routes.ts (STAFF)
//   GET  /v1/reservations?tenant_id=         Apps/api-gateway/src/routes/reservation-routes.ts (STAFF)
//   GET  /v1/dashboard/stats?tenant_id=      Apps/api-gateway/src/routes/core-proxy-routes.ts (ALL /v1/dashboard/*
//                                            -> Apps/core-service/src/routes/dashboard.ts, ADMIN)
//   POST /v1/guests {tenant_id, ...}         Apps/api-gateway/src/routes/guest-routes.ts -> guest.register, 202
//   POST /v1/tenants/:tenantId/reservations  Apps/api-gateway/src/routes/reservation-routes.ts -> reservation.create, 202
//   GET  /v1/properties?tenant_id=           Apps/api-gateway/src/routes/core-proxy-routes.ts (setup only)
//   GET  /v1/room-types?tenant_id=           Apps/api-gateway/src/routes/room-routes.ts (setup only)
// Command payloads follow the app's validators (schema/src/command-validators.ts: guest.register needs
// first_name, last_name, email; reservation.create needs property_id, guest_id, room_type_id,
// check_in_date, check_out_date, total_amount); setup() finds a property, room type and guest of the
// tenant (or takes PROPERTY_ID, ROOM_TYPE_ID, GUEST_ID) and drops reservation.create if there is none.
// Not used: POST /v1/commands/:commandName/execute has a fixed 120 requests/minute limit in
// Apps/api-gateway/src/routes/command-center-routes.ts that no setting can raise.
//
// Tenant-scoped routes answer 400 TENANT_ID_REQUIRED without a tenant: TENANT_ID, or the first
// membership of the logged-in user. The user needs the ADMIN role in that tenant (dashboard stats).
// Environment (k6 -e or the Job's env):
//   BASE_URL                   gateway base URL (in-cluster: http://api-gateway.tartware-system.svc.cluster.local:8080)
//   K6_USERNAME / K6_PASSWORD  the login; in the cluster K6_PASSWORD_FILE names the password file
//                              mounted from the Secret k6-credentials (never an env var)
//   TENANT_ID                  tenant to act in (optional: first membership otherwise)
import http from 'k6/http';
import { check, fail } from 'k6';

// open() reads files in the init context only (k6 docs, "open"): read the password here.
const PASSWORD = __ENV.K6_PASSWORD || (__ENV.K6_PASSWORD_FILE ? open(__ENV.K6_PASSWORD_FILE).trim() : '');

export const BASE_URL = (__ENV.BASE_URL || 'http://api-gateway.tartware-system.svc.cluster.local:8080').replace(/\/$/, '');

// The deployment guide's "Expected Performance": P95 < 500 ms, P99 < 1000 ms, errors < 5 %.
export const THRESHOLDS = {
  http_req_duration: ['p(95)<500', 'p(99)<1000'],
  http_req_failed: ['rate<0.05'],
  checks: ['rate>0.95'],
};

export const LOGIN = { method: 'POST', path: '/v1/auth/login', source: 'Apps/api-gateway/src/routes/core-proxy-routes.ts' };
export const LOOKUPS = [
  { name: 'property', method: 'GET', path: '/v1/properties', env: 'PROPERTY_ID', source: 'Apps/api-gateway/src/routes/core-proxy-routes.ts' },
  { name: 'room_type', method: 'GET', path: '/v1/room-types', env: 'ROOM_TYPE_ID', source: 'Apps/api-gateway/src/routes/room-routes.ts' },
  { name: 'guest', method: 'GET', path: '/v1/guests', env: 'GUEST_ID', source: 'Apps/api-gateway/src/routes/guest-routes.ts' },
];

// 80 % reads, 20 % writes (commands), by weight.
export const ROUTES = [
  { name: 'rooms', method: 'GET', path: '/v1/rooms', tenant: 'query', expect: 200, weight: 25,
    source: 'Apps/api-gateway/src/routes/room-routes.ts' },
  { name: 'guests', method: 'GET', path: '/v1/guests', tenant: 'query', expect: 200, weight: 20,
    source: 'Apps/api-gateway/src/routes/guest-routes.ts' },
  { name: 'reservations', method: 'GET', path: '/v1/reservations', tenant: 'query', expect: 200, weight: 25,
    source: 'Apps/api-gateway/src/routes/reservation-routes.ts' },
  { name: 'dashboard-stats', method: 'GET', path: '/v1/dashboard/stats', tenant: 'query', expect: 200, weight: 5,
    source: 'Apps/api-gateway/src/routes/core-proxy-routes.ts' },
  { name: 'health', method: 'GET', path: '/health', tenant: 'none', expect: 200, weight: 5,
    source: 'Apps/api-gateway/src/routes/health-routes.ts' },
  { name: 'guest.register', method: 'POST', path: '/v1/guests', tenant: 'body', expect: 202, weight: 10,
    source: 'Apps/api-gateway/src/routes/guest-routes.ts' },
  { name: 'reservation.create', method: 'POST', path: '/v1/tenants/:tenantId/reservations', tenant: 'path',
    expect: 202, weight: 10, source: 'Apps/api-gateway/src/routes/reservation-routes.ts' },
];

// Log in once per generator (setup() runs once per k6 process) and hand token and tenant to every VU.
export function login() {
  if (!__ENV.K6_USERNAME) {
    fail('K6_USERNAME is not set: every /v1 route needs a login (loadTestUsername / the Secret k6-credentials)');
  }
  const res = http.post(`${BASE_URL}${LOGIN.path}`,
    JSON.stringify({ username: __ENV.K6_USERNAME, password: PASSWORD }),
    // responseType: the load profile discards bodies (discardResponseBodies), login needs its body
    { headers: { 'Content-Type': 'application/json' }, tags: { name: 'login' }, responseType: 'text' });
  if (!check(res, { 'login 200': (r) => r.status === 200 })) {
    fail(`login as ${__ENV.K6_USERNAME} failed: HTTP ${res.status}`);
  }
  const body = res.json();
  const memberships = body.memberships || [];
  const tenant = __ENV.TENANT_ID || (memberships.length ? memberships[0].tenant_id : '');
  if (!tenant) {
    fail(`${__ENV.K6_USERNAME} has no tenant membership and TENANT_ID is not set`);
  }
  const data = { token: body.access_token, tenant };
  for (const lookup of LOOKUPS) {
    data[lookup.name] = __ENV[lookup.env] || firstId(lookup, data);
  }
  data.routes = ROUTES.filter((r) => r.name !== 'reservation.create' || (data.property && data.room_type && data.guest))
    .map((r) => r.name);
  if (data.routes.length < ROUTES.length) {
    console.warn('no property, room type or guest in the tenant: reservation.create left out of the mix');
  }
  return data;
}

// The id of the first item a list route returns (a bare array or {data|items|results: [...]}).
function firstId(lookup, data) {
  const res = http.get(`${BASE_URL}${lookup.path}?tenant_id=${encodeURIComponent(data.tenant)}`,
    { headers: { Authorization: `Bearer ${data.token}` }, tags: { name: `setup:${lookup.name}` }, responseType: 'text' });
  if (res.status !== 200) return '';
  const body = res.json();
  const list = Array.isArray(body) ? body : (body.data || body.items || body.results || []);
  return list.length && list[0].id ? String(list[0].id) : '';
}

function payload(route, data) {
  const stamp = `${__VU}-${__ITER}-${Date.now()}`;
  if (route.name === 'guest.register') {
    return { tenant_id: data.tenant, first_name: 'Load', last_name: `Test ${stamp}`, email: `k6-${stamp}@example.invalid` };
  }
  const day = 24 * 3600 * 1000;
  const checkIn = new Date(Date.now() + 30 * day).toISOString().slice(0, 10);
  const checkOut = new Date(Date.now() + 32 * day).toISOString().slice(0, 10);
  return { property_id: data.property, guest_id: data.guest, room_type_id: data.room_type, check_in_date: checkIn,
    check_out_date: checkOut, total_amount: 200, currency: 'USD', source: 'DIRECT', notes: `k6 ${stamp}` };
}

export function call(route, data) {
  const headers = { 'Content-Type': 'application/json', Authorization: `Bearer ${data.token}` };
  let url = `${BASE_URL}${route.path.replace(':tenantId', encodeURIComponent(data.tenant))}`;
  if (route.tenant === 'query') url += `?tenant_id=${encodeURIComponent(data.tenant)}`;
  const params = { headers, tags: { name: route.name, kind: route.method === 'GET' ? 'read' : 'write' } };
  const res = route.method === 'GET'
    ? http.get(url, params)
    : http.post(url, JSON.stringify(payload(route, data)), params);
  check(res, { [`${route.name} ${route.expect}`]: (r) => r.status === route.expect });
  return res;
}

export function routesOf(data) {
  return ROUTES.filter((r) => data.routes.indexOf(r.name) >= 0);
}

// One request per iteration, chosen by weight, so iterations/s == requests/s.
export function oneRequest(data) {
  const routes = routesOf(data);
  let pick = Math.random() * routes.reduce((sum, r) => sum + r.weight, 0);
  for (const route of routes) {
    pick -= route.weight;
    if (pick < 0) return call(route, data);
  }
  return call(routes[routes.length - 1], data);
}
