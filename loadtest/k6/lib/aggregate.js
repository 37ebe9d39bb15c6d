// One answer for a load test run over several generator pods.
//
// Start: every generator runs `k6 run --paused --address 0.0.0.0:6565` (k6 REST API,
// grafana/k6@v1.7.1 api/v1/status_routes.go): the coordinator waits until each answers
// GET /v1/status with paused=true, then resumes all of them with
// PATCH /v1/status {"data":{"type":"status","id":"default","attributes":{"paused":false}}}.
// Results: every generator writes its samples to Prometheus (`--out experimental-prometheus-rw`,
// trends as native histograms: grafana/k6@v1.7.1 internal/output/prometheusrw/remotewrite:
// counters k6_<metric>_total, trends k6_<metric>_seconds), tagged testid=<run>. A pod that fails
// keeps what it already wrote. The coordinator evaluates the guide's thresholds on all of them.
import http from 'k6/http';
import { sleep } from 'k6';

const PAUSED = JSON.stringify({ data: { type: 'status', id: 'default', attributes: { paused: false } } });

function status(host) {
  const res = http.get(`http://${host}/v1/status`, { timeout: '5s', tags: { name: 'generator-status' } });
  if (res.status !== 200) return null;
  return JSON.parse(res.body).data.attributes;
}

// Wait until every generator is up and paused (or until deadline), then resume those that are.
// Returns {started: epoch seconds, hosts: [...resumed], missing: [...]}.
export function startGenerators(hosts, timeoutSeconds) {
  const deadline = Date.now() + timeoutSeconds * 1000;
  let ready = [];
  while (Date.now() < deadline) {
    ready = hosts.filter((h) => {
      const s = status(h);
      return s !== null && s.paused === true;
    });
    if (ready.length === hosts.length) break;
    sleep(2);
  }
  const started = Date.now() / 1000;
  for (const host of ready) {
    http.patch(`http://${host}/v1/status`, PAUSED,
      { headers: { 'Content-Type': 'application/json' }, timeout: '5s', tags: { name: 'generator-resume' } });
  }
  return { started, hosts: ready, missing: hosts.filter((h) => ready.indexOf(h) < 0) };
}

// Wait until no generator answers any more (k6 exits when its test ends) or until deadline.
export function waitForGenerators(hosts, timeoutSeconds) {
  const deadline = Date.now() + timeoutSeconds * 1000;
  while (Date.now() < deadline) {
    if (hosts.every((h) => status(h) === null)) break;
    sleep(5);
  }
  return Date.now() / 1000;
}

function promql(prometheus, query, at) {
  const res = http.get(`${prometheus}/api/v1/query?query=${encodeURIComponent(query)}&time=${at}`,
    { timeout: '60s', tags: { name: 'prometheus-query' } });
  if (res.status !== 200) return NaN;
  const result = JSON.parse(res.body).data.result;
  return result.length ? parseFloat(result[0].value[1]) : NaN;
}

// The run's totals: every series is cumulative since its pod started, so the last sample of each,
// summed over all pods, is the whole run (exact, no rate extrapolation).
export function aggregate(prometheus, testid, started, ended) {
  const range = `${Math.ceil(ended - started) + 120}s`;
  const at = Math.ceil(ended) + 15; // the coordinator waits 30 s after the end before asking
  const sel = `testid="${testid}"`;
  const requests = promql(prometheus, `sum(last_over_time(k6_http_reqs_total{${sel}}[${range}]))`, at);
  const failed = promql(prometheus,
    `sum(last_over_time(k6_http_reqs_total{${sel},expected_response="false"}[${range}]))`, at);
  const dropped = promql(prometheus, `sum(last_over_time(k6_dropped_iterations_total{${sel}}[${range}]))`, at);
  const quantile = (q) => promql(prometheus,
    `histogram_quantile(${q}, sum(last_over_time(k6_http_req_duration_seconds{${sel}}[${range}])))`, at) * 1000;
  return {
    requests: requests || 0,
    failedRate: requests ? (failed || 0) / requests : 1,
    droppedIterations: dropped || 0,
    p95Ms: quantile(0.95),
    p99Ms: quantile(0.99),
    seconds: ended - started,
  };
}
