// A stand-in for k6's runtime (modules k6, k6/http, globals __ENV, __VU, __ITER, open) and for the
// app's answers that the request mix depends on, so tests/test_k6_driver.py can run the k6 driver
// (loadtest/k6/lib/config.js) under node. The answers follow the app at the pin (red2n/tartware@a2583469):
// login {access_token, memberships[].tenant_id}; /v1/properties, /v1/room-types, /v1/guests as bare
// arrays of {id} / {room_type_id} / {id}; command writes 400 without an Idempotency-Key of
// [A-Za-z0-9_:-]{8,128}, 202 {command_id} otherwise, the same command_id for a replayed key and body.
export const state = { checks: [], requests: [], guests: [], dispatches: {} };
const TENANT = '3f2504e0-4f89-11d3-9a0c-0305e82c3301';
const KEY = /^[A-Za-z0-9_:-]{8,128}$/;

function answer(status, body) {
  const text = JSON.stringify(body);
  return { status, body: text, json: () => JSON.parse(text) };
}

export function appRequest(method, url, body, params) {
  const u = new URL(url);
  const headers = params.headers || {};
  state.requests.push({ method, path: u.pathname, name: params.tags.name, headers });
  if (method === 'POST' && u.pathname === '/v1/auth/login') {
    const b = JSON.parse(body);
    return /^k6-bot-\d+$/.test(b.username) && b.password === 'pw'
      ? answer(200, { access_token: 'tok', memberships: [{ tenant_id: TENANT }] }) : answer(401, { code: 'INVALID_CREDENTIALS' });
  }
  if (u.pathname === '/health') return answer(200, { status: 'ok' });
  if (headers.Authorization !== 'Bearer tok') return answer(401, {});
  if (method === 'GET') {
    if (u.searchParams.get('tenant_id') !== TENANT) return answer(400, { code: 'TENANT_ID_REQUIRED' });
    if (u.pathname === '/v1/properties') return answer(200, [{ id: 'p-1' }]);
    if (u.pathname === '/v1/room-types') return answer(200, [{ room_type_id: 'rt-1' }]);
    if (u.pathname === '/v1/guests') return answer(200, state.guests.map((id) => ({ id })));
    return answer(200, []);
  }
  const key = headers['Idempotency-Key'];
  if (!key) return answer(400, { code: 'IDEMPOTENCY_KEY_REQUIRED' });
  if (!KEY.test(key)) return answer(400, { code: 'IDEMPOTENCY_KEY_INVALID' });
  const b = JSON.parse(body);
  if (u.pathname === '/v1/guests') {
    if (b.tenant_id !== TENANT || !b.first_name || !b.last_name || !b.email) return answer(400, { code: 'COMMAND_PAYLOAD_INVALID' });
  } else if (u.pathname === `/v1/tenants/${TENANT}/reservations`) {
    if (b.property_id !== 'p-1' || b.room_type_id !== 'rt-1' || state.guests.indexOf(b.guest_id) < 0) {
      return answer(400, { code: 'COMMAND_PAYLOAD_INVALID' });
    }
  } else {
    return answer(404, {});
  }
  const previous = state.dispatches[key];
  if (previous && previous.body !== body) return answer(409, { code: 'COMMAND_IDEMPOTENCY_CONFLICT' });
  const id = previous ? previous.id : `cmd-${Object.keys(state.dispatches).length + 1}`;
  state.dispatches[key] = { id, body };
  if (u.pathname === '/v1/guests' && !previous) state.guests.push(`g-${state.guests.length + 1}`);
  return answer(202, { command_id: id });
}
