// Smoke test (the guide's "Smoke Test (30s)"): 2 VUs for 30 s walk every read route and one
// command, with the guide's thresholds. Run: k6 run -e BASE_URL=https://api.tartware.local smoke.js
import { sleep } from 'k6';
import { READS, COMMANDS, THRESHOLDS, login, read, command } from './lib/config.js';

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
  for (const endpoint of READS) {
    read(endpoint, data);
  }
  command(COMMANDS[0], data);
  sleep(1);
}
