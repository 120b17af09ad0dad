#!/usr/bin/env node
// npm run bench:audit — how long the audit summary and the anomaly checks take on logs of 10k, 100k
// and 1M records: GET /v1/audit/summary and POST /v1/audit/anomalies against a real vault on the
// embedded SQLite store. Prints a table; asserts nothing.
//
// The vault runs in this process from the TypeScript sources with a clock the benchmark moves, so a
// log can span a month without taking one: the records are made the way the vault makes them,
// through its API (batch reads of 500 secrets, 501 records each, every one sealed into the hash
// chain), with the clock moved between requests. Two shapes per size: spread over 30 days (a
// month-long log: the last day holds a thirtieth of it) and all within the last day (the worst
// case for a one-day summary). The first summary makes the hourly rollups it needs ("first"); the
// figures after it are the median of BENCH_RUNS ("then").
// Options (env): BENCH_AUDIT_SIZES (default 10000,100000,1000000), BENCH_AUDIT_SPANS (default 30,1:
// days), BENCH_RUNS (default 5).
const SIZES = (process.env.BENCH_AUDIT_SIZES ?? '10000,100000,1000000').split(',').map(Number);
const SPANS = (process.env.BENCH_AUDIT_SPANS ?? '30,1').split(',').map(Number);
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const PER_REQUEST = 501;
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

const { startTestVault, fakeClock, createAgent, issueToken } = await import(new URL('../test/helpers/vault.ts', import.meta.url).href);

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function timed(fn) {
  const t0 = performance.now();
  const res = await fn();
  if (res.status !== 200) throw new Error(`${res.status} ${res.text.slice(0, 300)}`);
  return performance.now() - t0;
}

async function measure(size, spanDays) {
  const clock = fakeClock(Date.parse('2026-10-01T00:00:00Z'));
  const v = await startTestVault({ now: clock, rateLimits: { readsPerMinute: 0, exchangesPerMinute: 0 } });
  try {
    const admin = v.adminToken;
    const paths = Array.from({ length: 500 }, (_, i) => `bench/app-${i % 20}/key-${i}`);
    for (const p of paths) await v.call('PUT', `/v1/secrets/${p}`, { token: admin, body: { value: 'x'.repeat(40), tier: 'standard' } });
    await v.call('PUT', '/v1/rotation/policies/bench/*', { token: admin, body: { rotator: 'random', every: '90d' } });
    const agents = [];
    for (let i = 0; i < 8; i++) agents.push(await createAgent(v, `bench-${i}`, ['secrets:read:bench/*']));
    const requests = Math.max(1, Math.round(size / PER_REQUEST));
    const step = Math.floor((spanDays * DAY) / requests);
    const tokens = new Map();
    const filled = performance.now();
    for (let i = 0; i < requests; i++) {
      // Eight services, each with a token it renews every 12 hours of the log's time.
      const a = i % agents.length;
      let t = tokens.get(a);
      if (!t || clock() - t.at > 12 * HOUR) {
        t = { ...(await issueToken(v, agents[a], { scopes: ['secrets:read:bench/*'], ttl: '24h' })), at: clock() };
        tokens.set(a, t);
      }
      const res = await v.call('POST', '/v1/batch/read', { token: t.token, body: { paths } });
      if (res.status !== 200) throw new Error(`batch read: ${res.status} ${res.text.slice(0, 200)}`);
      clock.advance(step);
    }
    const fillSeconds = (performance.now() - filled) / 1000;
    // The last hour has ended (and the rollup margin passed) when the figures are taken.
    clock.advance(5 * 60_000);
    const records = (await v.call('GET', '/v1/audit?limit=1', { token: admin })).body.events[0].seq;
    const summary = () => v.call('GET', '/v1/audit/summary?since=24h', { token: admin });
    const first = await timed(summary);
    const day = [];
    for (let i = 0; i < RUNS; i++) day.push(await timed(summary));
    const anomalies = (since) => () => v.call('POST', '/v1/audit/anomalies', { token: admin, body: { since } });
    const hour = [];
    for (let i = 0; i < RUNS; i++) hour.push(await timed(anomalies('1h')));
    const anomaliesDay = [];
    for (let i = 0; i < Math.max(1, Math.ceil(RUNS / 2)); i++) anomaliesDay.push(await timed(anomalies('24h')));
    const inDay = (await v.call('GET', '/v1/audit/summary?since=24h', { token: admin })).body.requests;
    return { records, spanDays, inDay, fillSeconds, first, day: median(day), hour: median(hour), anomaliesDay: median(anomaliesDay) };
  } finally {
    await v.cleanup();
  }
}

const rows = [];
for (const size of SIZES) for (const span of SPANS) rows.push(await measure(size, span));
const ms = (x) => (x >= 1000 ? `${(x / 1000).toFixed(1)} s` : `${x.toFixed(0)} ms`);
console.log(`Audit summary and anomaly checks (SQLite, in-process vault, median of ${RUNS}; Node ${process.version})\n`);
console.log(
  '| records in the log | spread over | in the last 24 h | summary 24 h: first | then | anomalies 1 h | anomalies 24 h | log written in |',
);
console.log('| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
for (const r of rows) {
  console.log(
    `| ${r.records.toLocaleString('en')} | ${r.spanDays} d | ${r.inDay.toLocaleString('en')} | ${ms(r.first)} | ${ms(r.day)} | ${ms(r.hour)} | ${ms(r.anomaliesDay)} | ${r.fillSeconds.toFixed(0)} s |`,
  );
}
