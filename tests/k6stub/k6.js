import { state } from '../../fake_app.mjs';
export function check(res, checks) {
  let ok = true;
  for (const [name, fn] of Object.entries(checks)) {
    const passed = !!fn(res);
    state.checks.push({ name, passed });
    ok = ok && passed;
  }
  return ok;
}
export function fail(message) { throw new Error(`k6 fail: ${message}`); }
export function sleep() {}
