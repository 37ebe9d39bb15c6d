// Smoke test (the guide's "Smoke Test (30s)"): 2 VUs for 30 s walk every route once per
// iteration, with the guide's thresholds. Run: k6 run -e BASE_URL=https://api.tartware.local smoke.js
import { sleep } from 'k6';
import { THRESHOLDS, login, call, routesOf } from './lib/config.js';

export const options = {
  scenarios: {
    smoke: { executor: 'constant-vus', vus: 2, duration: '30s' },
  },
  thresholds: THRESHOLDS,
};

export function setup() {
  return login();
}

export default function (data) {
  for (const route of routesOf(data)) {
    call(route, data);
  }
  sleep(1);
}
