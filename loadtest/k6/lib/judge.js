// The verdict of a load test run over several generator pods, from the values of the coordinator's
// queries (coordinator-queries.json). Pure: no k6 module, so the test runs it under node
// (tests/test_coordinator.py) on the values a real Prometheus returned.
//
//   values    {query name: number, or {label value: number} for queries with `by`}
//   expected  {generators: N, rate: req/s of the whole run, seconds: its duration}
//   thresholds  coordinator-queries.json `thresholds`
//
// Latency: p95 < 500 ms holds exactly when at least 95 % of the requests took at most 0.5 s, and
// p99 < 1 s when 99 % took at most 1 s. 0.5 and 1 are bucket bounds of every native-histogram
// schema (bounds are powers of 2^(2^-schema); 2^-1 and 2^0 are among them), so histogram_fraction
// up to them counts whole buckets of the merged histogram: exact, no interpolation. The p95/p99
// values reported beside them are histogram_quantile's, interpolated inside one bucket of k6's
// schema 3: within 9.05 % (2^(1/8) - 1) of the true quantile.
export function judge(values, expected, thresholds) {
  const t = thresholds;
  const num = (v) => (typeof v === 'number' && !isNaN(v) ? v : 0);
  const requests = num(values.requests);
  const failed = num(values.failed);
  const dropped = num(values.dropped);
  const checks = [];
  const add = (name, ok, value, rule) => checks.push({ name, ok: !!ok, value, rule });

  add('failed_rate', requests > 0 && failed / requests < t.failed_rate_max, requests ? failed / requests : null,
    `< ${t.failed_rate_max}`);
  add('p95_within_500ms', num(values.within_500ms) >= t.within_500ms_min, values.within_500ms,
    `share of requests <= 0.5 s >= ${t.within_500ms_min}`);
  add('p99_within_1s', num(values.within_1s) >= t.within_1s_min, values.within_1s,
    `share of requests <= 1 s >= ${t.within_1s_min}`);
  add('dropped_rate', requests > 0 && dropped / (requests + dropped) < t.dropped_rate_max,
    requests + dropped ? dropped / (requests + dropped) : null, `< ${t.dropped_rate_max}`);
  // every request's duration is in the merged histogram (a pod whose series went stale is not)
  add('latency_covers_requests', requests > 0 && num(values.latency_count) === requests, values.latency_count,
    `== requests (${requests})`);

  const perGenerator = expected.rate * expected.seconds / expected.generators;
  const missing = [];
  const late = [];
  const failing = [];
  const byGenerator = {};
  for (let i = 0; i < expected.generators; i++) {
    const g = String(i);
    const sent = (values.generator_requests || {})[g];
    if (sent === undefined) {
      missing.push(g);
      continue;
    }
    const bad = num((values.generator_failed || {})[g]);
    const lost = num((values.generator_dropped || {})[g]);
    byGenerator[g] = { requests: sent, failed: bad, dropped: lost };
    if ((values.generator_started || {})[g] === undefined) late.push(g);
    if (bad / sent >= t.generator_failed_rate_max || sent + lost < t.generator_share_min * perGenerator) failing.push(g);
  }
  add('generators_missing', missing.length === 0, missing, 'none of 0..N-1 without series');
  add('generators_late', late.length === 0, late, 'every generator sent within the grace after the start');
  add('generators_failing', failing.length === 0, failing,
    `each below ${t.generator_failed_rate_max} failed and at least ${t.generator_share_min} of its share`);

  return {
    passed: checks.every((c) => c.ok),
    checks,
    totals: { requests, failed, dropped, byStatus: values.by_status || {}, p95Seconds: values.p95_seconds,
      p99Seconds: values.p99_seconds },
    generators: byGenerator, missing, late, failing,
  };
}
