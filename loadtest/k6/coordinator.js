// Coordinator of an in-cluster load test: starts every generator pod at once, waits for the run
// to end, and judges the guide's thresholds on the whole run (all generators together) from what
// they wrote to Prometheus, each under its own generator label (lib/aggregate.js, lib/judge.js,
// coordinator-queries.json). It fails the run when any generator is missing, late or failing.
// Its summary goes to stdout and to /results/<testid>.json on the claim load-test-results.
//   GENERATOR_HOSTS  comma-separated host:6565 of the generator pods (Indexed Job + headless Service)
//   GENERATORS       how many generator pods the Job runs (indexes 0..GENERATORS-1)
//   PROMETHEUS_URL   e.g. http://prometheus-operated.observability.svc.cluster.local:9090
//   TESTID           the run's tag (the generators' TESTID)
//   RATE, DURATION_SECONDS  what the generators were asked to do
import { sleep } from 'k6';
import { Gauge } from 'k6/metrics';
import { runQueries, startGenerators, waitForGenerators } from './lib/aggregate.js';
import { judge } from './lib/judge.js';

// open() in the entry script: relative to this file (loadtest/k6/coordinator.js)
const SPEC = JSON.parse(open('./coordinator-queries.json'));

const HOSTS = (__ENV.GENERATOR_HOSTS || '').split(',').filter((h) => h);
const GENERATORS = parseInt(__ENV.GENERATORS || String(HOSTS.length), 10);
const DURATION_SECONDS = parseInt(__ENV.DURATION_SECONDS || '600', 10);
const START_TIMEOUT_SECONDS = parseInt(__ENV.START_TIMEOUT_SECONDS || '900', 10);
const RATE = parseInt(__ENV.RATE || '20000', 10);
const TESTID = __ENV.TESTID || 'k6';

const passed = new Gauge('run_passed');
const p95 = new Gauge('run_http_req_duration_p95_ms');
const p99 = new Gauge('run_http_req_duration_p99_ms');

// The deployment guide's "Expected Performance" on the whole run (P95 < 500 ms, P99 < 1000 ms,
// errors < 5 %; lib/judge.js decides them exactly from the merged histogram and the summed
// counters), every generator present, on time and healthy, fewer than 1 % of iterations dropped.
export const AGGREGATE_THRESHOLDS = {
  run_passed: ['value>0'],
};

export const options = {
  scenarios: {
    coordinate: {
      executor: 'shared-iterations', vus: 1, iterations: 1,
      maxDuration: `${START_TIMEOUT_SECONDS + DURATION_SECONDS + 1800}s`,
    },
  },
  thresholds: AGGREGATE_THRESHOLDS,
};

let result = {};

export default function () {
  const start = startGenerators(HOSTS, START_TIMEOUT_SECONDS);
  const ended = waitForGenerators(start.hosts, DURATION_SECONDS + 900);
  sleep(30); // the generators' last remote-write push (K6_PROMETHEUS_RW_PUSH_INTERVAL, 5 s by default)
  const values = runQueries(__ENV.PROMETHEUS_URL, SPEC, TESTID, start.started, ended);
  result = judge(values, { generators: GENERATORS, rate: RATE, seconds: DURATION_SECONDS }, SPEC.thresholds);
  result.unreachable = start.missing; // never answered the REST API: never started
  result.seconds = ended - start.started;
  if (start.missing.length) result.passed = false;
  passed.add(result.passed ? 1 : 0);
  p95.add((result.totals.p95Seconds || 0) * 1000);
  p99.add((result.totals.p99Seconds || 0) * 1000);
}

export function handleSummary() {
  const summary = {
    testid: TESTID, targetRate: RATE, durationSeconds: DURATION_SECONDS, generators: GENERATORS,
    passed: !!result.passed,
    achievedRate: result.seconds ? result.totals.requests / result.seconds : 0, run: result,
  };
  const text = JSON.stringify(summary, null, 1);
  return { stdout: `${text}\n`, [`/results/${TESTID}.json`]: text };
}
