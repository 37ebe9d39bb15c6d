// Runs the k6 driver (lib/config.mjs, a copy of loadtest/k6/lib/config.js) under node with the
// stand-ins of fake_app.mjs: the session (login, lookups, seed) and every step of the mix once;
// prints {checks, requests, error} as JSON. argv: the mix file.
import { readFileSync } from 'node:fs';
import { state } from './fake_app.mjs';

globalThis.__ENV = { BASE_URL: 'http://gateway.test', K6_USERNAME: 'k6-bot', K6_PASSWORD: 'pw', ACCOUNTS: '2',
  JOB_COMPLETION_INDEX: '3', HOST_HEADER: 'api.tartware.local' };
globalThis.__VU = 1;
globalThis.__ITER = 0;
globalThis.open = (path) => readFileSync(path, 'utf8');

let error = null;
try {
  const { loadMix, session, call } = await import('./lib/config.mjs');
  const mix = loadMix(readFileSync(process.argv[2], 'utf8'));
  const data = session(mix);
  for (const step of mix.steps) call(mix, step, data);
} catch (err) {
  error = String(err.message || err);
}
console.log(JSON.stringify({ checks: state.checks, requests: state.requests, error }));
