// Load test (the guide's "Load Test (20k RPS)"): a constant arrival rate of 20,000 requests/s
// (the steps of loadtest/mix.json chosen by weight, one request per iteration) for DURATION, with
// the guide's thresholds.
//   one process:   k6 run -e BASE_URL=... -e K6_USERNAME=<prefix> -e K6_PASSWORD=... load.js
//   in the cluster: GENERATORS pods of an Indexed Job each run the execution segment of their
//   index (JOB_COMPLETION_INDEX, set by Kubernetes) of the SAME 20,000 req/s scenario, so k6
//   splits the rate and the VUs exactly (k6 docs, "Execution segment"); they start together when
//   the coordinator resumes them (coordinator.js), and the coordinator judges the thresholds on
//   the whole run from what every pod wrote to Prometheus.
import { GENERATOR, THRESHOLDS, loadMix, oneRequest, session } from './lib/config.js';

const MIX = loadMix(open('../mix.json'));

const RATE = parseInt(__ENV.RATE || '20000', 10);
// VUs needed = rate x latency: 20000/s x 0.5 s (p95 bound) = 10,000 in flight; up to 1 s (p99).
const PRE_ALLOCATED_VUS = parseInt(__ENV.PRE_ALLOCATED_VUS || String(Math.ceil(RATE * 0.5)), 10);
const MAX_VUS = parseInt(__ENV.MAX_VUS || String(Math.ceil(RATE * 1.0)), 10);

// "0,1/4,2/4,3/4,1" for 4 generators; this pod runs "i/4:(i+1)/4".
const GENERATORS = parseInt(__ENV.GENERATORS || '1', 10);
const SEQUENCE = ['0'];
for (let i = 1; i < GENERATORS; i++) SEQUENCE.push(`${i}/${GENERATORS}`);
SEQUENCE.push('1');

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
  // Every sample carries the run and the pod that sent it. k6's remote write turns a sample's tags
  // into the series' labels (grafana/k6@v1.7.1 internal/output/prometheusrw/remotewrite
  // prometheus.go MapSeries): without `generator` all pods would write into the same series and
  // Prometheus would keep only the samples that arrive in order. Both tags are set here, not with
  // --tag: a command-line --tag replaces the script's tags (lib/options.go Apply, RunTags).
  // The coordinator's queries (coordinator-queries.json) select and group by these labels.
  tags: { testid: __ENV.TESTID || 'k6', generator: String(GENERATOR) },
  thresholds: Object.assign({}, THRESHOLDS, {
    dropped_iterations: ['rate<' + String(Math.ceil(RATE * 0.01))],
  }),
};

if (GENERATORS > 1) {
  options.executionSegment = `${SEQUENCE[GENERATOR]}:${SEQUENCE[GENERATOR + 1]}`;
  options.executionSegmentSequence = SEQUENCE.join(',');
}

export function setup() {
  return session(MIX);
}

export default function (data) {
  oneRequest(MIX, data);
}
