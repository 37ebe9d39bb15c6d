// One answer for a load test run over several generator pods.
//
// Start: every generator runs `k6 run --paused --address 0.0.0.0:6565` (k6 REST API,
// grafana/k6@v1.7.1 api/v1/status_routes.go): the coordinator waits until each answers
// GET /v1/status with paused=true, then resumes all of them with
// PATCH /v1/status {"data":{"type":"status","id":"default","attributes":{"paused":false}}}.
// Results: every generator writes its samples to Prometheus (`--out experimental-prometheus-rw`,
// trends as native histograms), tagged testid=<run> and generator=<its index> (load.js), so each
// pod has its own series. A pod that fails keeps what it already wrote. The queries are data
// (coordinator-queries.json), read by this file and by the test that proves them on a real
// Prometheus (tests/test_coordinator.py).
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

// Fill ${testid}, ${range}, ${grace} in a query.
export function expression(query, vars) {
  return query.expr.replace(/\$\{([a-z]+)\}/g, (_m, name) => String(vars[name]));
}

// The evaluation time of a query: the run's end plus 15 s (native histograms are read with an
// instant selector, which looks back 5 minutes: Prometheus 2.42's last_over_time does not carry
// histograms), or the start plus the grace.
export function evaluationTime(query, started, ended, graceSeconds) {
  return query.at === 'start+grace' ? Math.ceil(started + graceSeconds) : Math.ceil(ended) + 15;
}

function promql(prometheus, expr, at) {
  const res = http.get(`${prometheus}/api/v1/query?query=${encodeURIComponent(expr)}&time=${at}`,
    { timeout: '60s', tags: { name: 'prometheus-query' } });
  if (res.status !== 200) return null;
  return JSON.parse(res.body).data.result;
}

// Every query of the spec: a number, or {label value: number} for queries with `by`.
export function runQueries(prometheus, spec, testid, started, ended) {
  const vars = { testid, range: `${Math.ceil(ended - started) + 120}s`, grace: `${spec.grace_seconds}s` };
  const values = {};
  for (const name of Object.keys(spec.queries)) {
    const query = spec.queries[name];
    const result = promql(prometheus, expression(query, vars), evaluationTime(query, started, ended, spec.grace_seconds));
    if (query.by) {
      values[name] = {};
      for (const r of result || []) values[name][r.metric[query.by] || ''] = parseFloat(r.value[1]);
    } else {
      values[name] = result && result.length ? parseFloat(result[0].value[1]) : NaN;
    }
  }
  return values;
}
