// Shared configuration of the Tartware k6 scenarios (smoke.js, load.js).
//
// Endpoints: the Tartware API's real read and command routes (tartware-platform.md §6):
// GET /v1/rooms, /v1/dashboard/stats, /v1/guests, /v1/reservations, /v1/availability, /health;
// POST /v1/commands/<name>/execute answers 202 Accepted; login is POST /v1/auth/login.
// Everything is configurable through the environment (k6 -e or the Job's env):
//   BASE_URL      gateway base URL (in-cluster: http://api-gateway.tartware-system.svc.cluster.local:8080)
//   K6_USERNAME / K6_PASSWORD   log in once in setup() and send the bearer token (from a Secret)
//   TENANT_ID / PROPERTY_ID     optional query parameters for tenant-scoped routes
import http from 'k6/http';
import { check } from 'k6';

export const BASE_URL = (__ENV.BASE_URL || 'http://api-gateway.tartware-system.svc.cluster.local:8080').replace(/\/$/, '');

// The deployment guide's "Expected Performance": P95 < 500 ms, P99 < 1000 ms, errors < 5 %.
export const THRESHOLDS = {
  http_req_duration: ['p(95)<500', 'p(99)<1000'],
  http_req_failed: ['rate<0.05'],
  checks: ['rate>0.95'],
};

export const READS = [
  { name: 'rooms', path: '/v1/rooms', weight: 20 },
  { name: 'dashboard-stats', path: '/v1/dashboard/stats', weight: 10 },
  { name: 'guests', path: '/v1/guests', weight: 15 },
  { name: 'reservations', path: '/v1/reservations', weight: 20 },
  { name: 'availability', path: '/v1/availability', weight: 10 },
  { name: 'health', path: '/health', weight: 5 },
];

export const COMMANDS = [
  { name: 'guest.register', weight: 8 },
  { name: 'reservation.create', weight: 8 },
  { name: 'billing.charge.post', weight: 2 },
  { name: 'integration.ota.sync_request', weight: 2 },
];

function query() {
  const params = [];
  if (__ENV.TENANT_ID) params.push(`tenant_id=${encodeURIComponent(__ENV.TENANT_ID)}`);
  if (__ENV.PROPERTY_ID) params.push(`property_id=${encodeURIComponent(__ENV.PROPERTY_ID)}`);
  return params.length ? `?${params.join('&')}` : '';
}

// Log in once per generator (setup() runs once per k6 process) and hand the token to every VU.
export function login() {
  if (!__ENV.K6_USERNAME) {
    return { token: '' };
  }
  const res = http.post(`${BASE_URL}/v1/auth/login`,
    JSON.stringify({ username: __ENV.K6_USERNAME, password: __ENV.K6_PASSWORD }),
    // responseType: the load profile discards bodies (discardResponseBodies), login needs its body
    { headers: { 'Content-Type': 'application/json' }, tags: { name: 'login' }, responseType: 'text' });
  check(res, { 'login 200': (r) => r.status === 200 });
  const body = res.status === 200 ? res.json() : {};
  return { token: body.access_token || body.accessToken || body.token || '' };
}

function headers(data) {
  const h = { 'Content-Type': 'application/json' };
  if (data && data.token) h.Authorization = `Bearer ${data.token}`;
  return h;
}

export function read(endpoint, data) {
  const res = http.get(`${BASE_URL}${endpoint.path}${endpoint.path === '/health' ? '' : query()}`,
    { headers: headers(data), tags: { name: endpoint.name, kind: 'read' } });
  check(res, { [`${endpoint.name} 200`]: (r) => r.status === 200 });
  return res;
}

export function command(cmd, data) {
  const body = JSON.stringify({
    tenant_id: __ENV.TENANT_ID || undefined,
    property_id: __ENV.PROPERTY_ID || undefined,
    payload: { source: 'k6', issued_at: new Date().toISOString() },
  });
  const res = http.post(`${BASE_URL}/v1/commands/${cmd.name}/execute`, body,
    { headers: headers(data), tags: { name: `command:${cmd.name}`, kind: 'command' } });
  check(res, { [`${cmd.name} 202`]: (r) => r.status === 202 });
  return res;
}

// One request per iteration, chosen by weight, so iterations/s == requests/s.
const MIX = READS.map((e) => ({ weight: e.weight, run: (d) => read(e, d) }))
  .concat(COMMANDS.map((c) => ({ weight: c.weight, run: (d) => command(c, d) })));
const TOTAL = MIX.reduce((sum, m) => sum + m.weight, 0);

export function oneRequest(data) {
  let pick = Math.random() * TOTAL;
  for (const m of MIX) {
    pick -= m.weight;
    if (pick < 0) return m.run(data);
  }
  return MIX[MIX.length - 1].run(data);
}
