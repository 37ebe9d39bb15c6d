// Load test (the guide's "Load Test (20k RPS)"): a constant arrival rate of 20,000 requests/s
// (reads and commands mixed by weight, one request per iteration) for DURATION, with the guide's
// thresholds. In the cluster the Job splits the rate over several generator pods: each pod gets
// RATE = 20000 / pods and its share of VUs (docs/operations.md "Load tests").
//   k6 run -e BASE_URL=... -e RATE=20000 -e DURATION=10m load.js
import { THRESHOLDS, login, oneRequest } from './lib/config.js';

const RATE = parseInt(__ENV.RATE || '20000', 10);
// VUs needed = rate x latency: 20000/s x 0.5 s (p95 bound) = 10,000 in flight; up to 1 s (p99).
const PRE_ALLOCATED_VUS = parseInt(__ENV.PRE_ALLOCATED_VUS || String(Math.ceil(RATE * 0.5)), 10);
const MAX_VUS = parseInt(__ENV.MAX_VUS || String(Math.ceil(RATE * 1.0)), 10);

export const options = {
  discardResponseBodies: true,
  scenarios: {
    load: {
      executor: 'constant-arrival-rate',
      rate: RATE,
      timeUnit: '1s',
      duration: __ENV.DURATION || '10m',
      preAllocatedVUs: PRE_ALLOCATED_VUS,
      maxVUs: MAX_VUS,
    },
  },
  thresholds: Object.assign({}, THRESHOLDS, {
    dropped_iterations: ['rate<' + String(Math.ceil(RATE * 0.01))],
  }),
};

export function setup() {
  return login();
}

export default function (data) {
  oneRequest(data);
}
