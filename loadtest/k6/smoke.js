// Smoke test (the guide's "Smoke Test (30s)"): 2 VUs for 30 s walk every step of the request mix
// (loadtest/mix.json) once per iteration, with the guide's thresholds.
// Run: k6 run -e BASE_URL=https://api.tartware.local -e K6_USERNAME=<prefix> -e K6_PASSWORD=... smoke.js
import { sleep } from 'k6';
import { THRESHOLDS, call, loadMix, session } from './lib/config.js';

// open() in the entry script: the path is relative to this file (loadtest/k6/smoke.js)
const MIX = loadMix(open('../mix.json'));

export const options = {
  scenarios: {
    smoke: { executor: 'constant-vus', vus: 2, duration: '30s' },
  },
  thresholds: THRESHOLDS,
};

export function setup() {
  return session(MIX);
}

export default function (data) {
  for (const step of MIX.steps) {
    call(MIX, step, data);
  }
  sleep(1);
}
