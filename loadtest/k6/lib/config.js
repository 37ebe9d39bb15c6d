// The k6 driver of the request mix (loadtest/mix.json, shared with loadtest/locust/locustfile.py):
// login, the id lookups, the seed write and the weighted steps, each with the headers, body and
// expected statuses the mix gives. smoke.js and load.js open the mix themselves and pass its text
// to loadMix(): open() reads files in the init context only, and a relative path given in the
// entry script resolves against that script's directory in every k6 release (grafana/k6@v1.7.1
// internal/js/bundle.go, "open() was used and is currently relative to ...").
//
// What the app needs (red2n/tartware@a25834694cd695210b5302079471edbea490b31f):
//   every write carries a fresh Idempotency-Key: Apps/api-gateway/src/utils/command-publisher.ts
//   answers 400 IDEMPOTENCY_KEY_REQUIRED without one (8-128 of [A-Za-z0-9_:-],
//   schema/src/api/command-center.ts IdempotencyKeySchema);
//   ids come from the lists with their real field names (the mix's lookups: `id`, `room_type_id`);
//   a missing one is an error (fail()), never a silent skip.
// Environment (k6 -e or the Job's env):
//   BASE_URL                   base URL (in the cluster: the edge or the gateway Service, components/loadtest.py)
//   HOST_HEADER                Host header to send (the edge path: api.<domain> on the in-cluster
//                              istio-ingressgateway Service); empty: the URL's host
//   K6_USERNAME                the accounts' prefix: account n is <prefix>-<n> (mix.json accounts)
//   ACCOUNTS                   how many accounts exist (loadTestAccounts); generator i logs in as
//                              account (i mod ACCOUNTS) + 1
//   K6_PASSWORD / K6_PASSWORD_FILE  their password; in the cluster a file mounted from the Secret
//                              k6-credentials (never an env var)
//   TENANT_ID                  tenant to act in (optional: the login's first membership)
import http from 'k6/http';
import { check, fail, sleep } from 'k6';

const PASSWORD = __ENV.K6_PASSWORD || (__ENV.K6_PASSWORD_FILE ? open(__ENV.K6_PASSWORD_FILE).trim() : '');

export const BASE_URL = (__ENV.BASE_URL || 'http://api-gateway.tartware-system.svc.cluster.local:8080').replace(/\/$/, '');
const HOST_HEADER = __ENV.HOST_HEADER || '';
// JOB_COMPLETION_INDEX is set by Kubernetes in every pod of an Indexed Job
export const GENERATOR = parseInt(__ENV.JOB_COMPLETION_INDEX || '0', 10);

// The deployment guide's "Expected Performance": P95 < 500 ms, P99 < 1000 ms, errors < 5 %.
export const THRESHOLDS = {
  http_req_duration: ['p(95)<500', 'p(99)<1000'],
  http_req_failed: ['rate<0.05'],
  checks: ['rate>0.95'],
};

const PLACEHOLDER = /\$\{([a-z_]+)\}/g;
const SESSION = ['token', 'tenant', 'property', 'room_type', 'guest'];
const FRESH = ['unique', 'idempotency_key', 'check_in', 'check_out'];
const LOGIN_ONLY = ['username', 'password'];

// Parse and check the mix: weights, expected statuses and every placeholder known.
export function loadMix(text) {
  const mix = JSON.parse(text);
  const known = SESSION.concat(FRESH, LOGIN_ONLY);
  const walk = (value, where) => {
    if (typeof value === 'string') {
      const re = new RegExp(PLACEHOLDER.source, 'g');
      for (let m = re.exec(value); m !== null; m = re.exec(value)) {
        if (known.indexOf(m[1]) < 0) fail(`mix.json ${where}: unknown placeholder \${${m[1]}}`);
      }
    } else if (value && typeof value === 'object') {
      for (const k of Object.keys(value)) walk(value[k], `${where}.${k}`);
    }
  };
  for (const step of mix.steps) {
    if (!(step.weight > 0) || !step.expect || !step.expect.length) fail(`mix.json step ${step.name}: weight and expect are required`);
    walk(step, step.name);
  }
  walk(mix.login, 'login');
  walk(mix.lookups, 'lookups');
  walk(mix.auth, 'auth');
  return mix;
}

function uuid4() {
  return 'xxxxxxxx-xxxx-4xxx-yxxx-xxxxxxxxxxxx'.replace(/[xy]/g, (c) => {
    const r = Math.floor(Math.random() * 16);
    return (c === 'x' ? r : (r % 4) + 8).toString(16);
  });
}

function day(offset) {
  return new Date(Date.now() + offset * 24 * 3600 * 1000).toISOString().slice(0, 10);
}

// Values of one request: the session's, plus fresh ones.
function requestVars(vars) {
  const id = uuid4();
  return Object.assign({}, vars, { unique: id.replace(/-/g, '').slice(0, 12), idempotency_key: id,
    check_in: day(30), check_out: day(32) });
}

// Fill ${name} placeholders; a string that is one placeholder takes the value itself.
export function fill(value, vars) {
  if (typeof value === 'string') {
    const whole = value.match(/^\$\{([a-z_]+)\}$/);
    const get = (name) => {
      if (vars[name] === undefined || vars[name] === '') fail(`no value for \${${name}} (mix.json)`);
      return vars[name];
    };
    if (whole) return get(whole[1]);
    return value.replace(PLACEHOLDER, (_m, name) => String(get(name)));
  }
  if (Array.isArray(value)) return value.map((v) => fill(v, vars));
  if (value && typeof value === 'object') {
    const out = {};
    for (const k of Object.keys(value)) out[k] = fill(value[k], vars);
    return out;
  }
  return value;
}

// A dotted path into a JSON body ("memberships.0.tenant_id"); missing -> fail().
export function extract(body, path, what) {
  let value = body;
  for (const part of path === '' ? [] : path.split('.')) {
    if (value === null || value === undefined || value[part] === undefined) {
      fail(`${what}: the response has no ${path} (mix.json)`);
    }
    value = value[part];
  }
  return value;
}

function url(request, vars) {
  let u = `${BASE_URL}${fill(request.path, vars)}`;
  if (request.query) {
    const q = fill(request.query, vars);
    u += '?' + Object.keys(q).map((k) => `${encodeURIComponent(k)}=${encodeURIComponent(q[k])}`).join('&');
  }
  return u;
}

function send(request, vars, headers, body, name, withBody) {
  const h = Object.assign({ 'Content-Type': 'application/json' }, headers);
  if (HOST_HEADER) h.Host = HOST_HEADER;
  const params = {
    headers: h,
    tags: { name, kind: request.method === 'GET' ? 'read' : 'write' },
    // a status the mix does not expect counts in http_req_failed and expected_response="false"
    responseCallback: http.expectedStatuses(...request.expect),
  };
  if (withBody) params.responseType = 'text'; // load.js discards bodies (discardResponseBodies)
  const res = http.request(request.method, url(request, vars), body === undefined ? null : JSON.stringify(body), params);
  check(res, { [`${name} ${request.expect.join('|')}`]: (r) => request.expect.indexOf(r.status) >= 0 });
  return res;
}

// Account n of the prefix (mix.json accounts.username).
export function accountName(mix, prefix, n) {
  return mix.accounts.username.replace('${prefix}', prefix).replace('${n}', String(n));
}

// Log in (account (GENERATOR mod ACCOUNTS) + 1), find the ids and send the seed write: once per
// generator process (setup()), shared by all its VUs.
export function session(mix) {
  if (!__ENV.K6_USERNAME) {
    fail('K6_USERNAME is not set: every /v1 route needs a login (loadTestUsername / the Secret k6-credentials)');
  }
  const accounts = parseInt(__ENV.ACCOUNTS || '1', 10);
  const username = accountName(mix, __ENV.K6_USERNAME, (GENERATOR % accounts) + 1);
  const login = mix.login;
  const res = send(login, {}, {}, fill(login.body, { username, password: PASSWORD }), login.name, true);
  if (login.expect.indexOf(res.status) < 0) fail(`login as ${username} failed: HTTP ${res.status}`);
  const body = res.json();
  const vars = { token: extract(body, login.extract.token, 'login') };
  vars.tenant = __ENV.TENANT_ID || extract(body, login.extract.tenant, 'login');
  const data = { vars, seed: null };
  const before = mix.lookups.filter((l) => !l.after_seed);
  for (const lookup of before) lookupId(mix, lookup, vars);
  data.seed = write(mix, stepNamed(mix, mix.seed), data);
  if (!data.seed[stepNamed(mix, mix.seed).returns]) fail(`the seed write ${mix.seed} was not accepted`);
  for (const lookup of mix.lookups.filter((l) => l.after_seed)) lookupId(mix, lookup, vars);
  return data;
}

// The first id of a list; polled once a second up to wait_seconds while the list is empty.
function lookupId(mix, lookup, vars) {
  const what = `${lookup.name} (${lookup.path})`;
  const deadline = Date.now() + (lookup.wait_seconds || 0) * 1000;
  for (;;) {
    const r = send(lookup, vars, fill(mix.auth, vars), undefined, `setup:${lookup.name}`, true);
    if (lookup.expect.indexOf(r.status) < 0) fail(`${what}: HTTP ${r.status}`);
    const list = extract(r.json(), lookup.list, what);
    if (list.length) {
      vars[lookup.name] = String(extract(list[0], lookup.id, what));
      return;
    }
    if (Date.now() >= deadline) fail(`${what}: the tenant has none; seed one first (docs/operations.md)`);
    sleep(1);
  }
}

export function stepNamed(mix, name) {
  const step = mix.steps.find((s) => s.name === name);
  if (!step) fail(`mix.json: no step ${name}`);
  return step;
}

// A write: fresh key and values; returns what a replay needs and the app's answer.
function write(mix, step, data) {
  const vars = requestVars(data.vars);
  const headers = Object.assign(fill(mix.auth, vars), fill(step.headers || {}, vars));
  const body = fill(step.body, vars);
  const res = send(step, vars, headers, body, step.name, true);
  let id = null;
  if (step.expect.indexOf(res.status) >= 0) {
    id = res.json()[step.returns];
    check(res, { [`${step.name} ${step.returns}`]: () => typeof id === 'string' && id.length > 0 });
  }
  return { headers: fill(step.headers || {}, vars), body, [step.returns]: id };
}

export function call(mix, step, data) {
  if (step.replay) {
    const seed = data.seed;
    const headers = Object.assign(fill(mix.auth, data.vars), seed.headers);
    // the seed's method and path, this step's name and statuses
    const request = Object.assign({}, stepNamed(mix, step.replay), { expect: step.expect });
    const res = send(request, data.vars, headers, seed.body, step.name, true);
    check(res, { [`${step.name} same ${step.returns}`]: (r) => step.expect.indexOf(r.status) < 0
      || r.json()[step.returns] === seed[step.returns] });
    return res;
  }
  if (step.body !== undefined) return write(mix, step, data);
  return send(step, requestVars(data.vars), fill(mix.auth, data.vars), undefined, step.name, false);
}

// One request per iteration, chosen by weight, so iterations/s == requests/s.
export function oneRequest(mix, data) {
  let pick = Math.random() * mix.steps.reduce((sum, s) => sum + s.weight, 0);
  for (const step of mix.steps) {
    pick -= step.weight;
    if (pick < 0) return call(mix, step, data);
  }
  return call(mix, mix.steps[mix.steps.length - 1], data);
}
