// Coordinator of an in-cluster load test: starts every generator pod at once, waits for the run
// to end, and judges the guide's thresholds on the whole run (all generators together) from what
// they wrote to Prometheus (lib/aggregate.js). Its summary goes to stdout and to
// /results/<testid>.json on the PersistentVolumeClaim load-test-results.
//   GENERATOR_HOSTS  comma-separated host:6565 of the generator pods (Indexed Job + headless Service)
//   PROMETHEUS_URL   e.g. http://kube-prometheus-stack-prometheus.observability.svc.cluster.local:9090
//   TESTID           the run's tag (the generators' --tag testid=...)
//   RATE, DURATION_SECONDS  what the generators were asked to do
import { sleep } from 'k6';
import { Gauge } from 'k6/metrics';
import { aggregate, startGenerators, waitForGenerators } from './lib/aggregate.js';

const HOSTS = (__ENV.GENERATOR_HOSTS || '').split(',').filter((h) => h);
const DURATION_SECONDS = parseInt(__ENV.DURATION_SECONDS || '600', 10);
const START_TIMEOUT_SECONDS = parseInt(__ENV.START_TIMEOUT_SECONDS || '900', 10);
const RATE = parseInt(__ENV.RATE || '20000', 10);
const TESTID = __ENV.TESTID || 'k6';

const p95 = new Gauge('run_http_req_duration_p95_ms');
const p99 = new Gauge('run_http_req_duration_p99_ms');
const failed = new Gauge('run_http_req_failed_rate');
const dropped = new Gauge('run_dropped_iterations_rate');
const missing = new Gauge('run_generators_missing');

// The deployment guide's "Expected Performance" on the whole run: P95 < 500 ms, P99 < 1000 ms,
// errors < 5 %; every generator started; fewer than 1 % of the iterations dropped.
export const AGGREGATE_THRESHOLDS = {
  run_http_req_duration_p95_ms: ['value<500'],
  run_http_req_duration_p99_ms: ['value<1000'],
  run_http_req_failed_rate: ['value<0.05'],
  run_dropped_iterations_rate: ['value<0.01'],
  run_generators_missing: ['value<1'],
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
  result = aggregate(__ENV.PROMETHEUS_URL, TESTID, start.started, ended);
  result.generators = HOSTS.length;
  result.missing = start.missing;
  p95.add(result.p95Ms);
  p99.add(result.p99Ms);
  failed.add(result.failedRate);
  dropped.add(result.requests ? result.droppedIterations / (result.requests + result.droppedIterations) : 1);
  missing.add(start.missing.length);
}

export function handleSummary(data) {
  const verdict = {};
  for (const [metric, rules] of Object.entries(AGGREGATE_THRESHOLDS)) {
    const m = data.metrics[metric];
    verdict[metric] = { value: m ? m.values.value : null, thresholds: rules,
      ok: m && m.thresholds ? Object.values(m.thresholds).every((t) => t.ok) : false };
  }
  const summary = {
    testid: TESTID, targetRate: RATE, durationSeconds: DURATION_SECONDS,
    passed: Object.values(verdict).every((v) => v.ok), verdict,
    achievedRate: result.seconds ? result.requests / result.seconds : 0, run: result,
  };
  const text = JSON.stringify(summary, null, 1);
  return { stdout: `${text}\n`, [`/results/${TESTID}.json`]: text };
}
