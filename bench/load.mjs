// Load generator, run in its own process so it does not share the server's event loop.
// Closed loop: each of `connections` clients sends one request, waits for the answer, repeats.
// Prints one JSON line: {requests, errors, seconds, rps, p50, p99}. Bounded by time and count.
import { Pool } from 'undici';

const [url, path, token, connectionsArg, warmupArg, durationArg] = process.argv.slice(2);
const connections = Number(connectionsArg);
const warmupMs = Number(warmupArg) * 1000;
const durationMs = Number(durationArg) * 1000;
const MAX_REQUESTS = 2_000_000;

const pool = new Pool(url, { connections, pipelining: 1, keepAliveTimeout: 30_000 });
const headers = token ? { authorization: `Bearer ${token}` } : {};
const latencies = new Float64Array(MAX_REQUESTS);
let count = 0;
let errors = 0;
let measuring = false;
let stop = false;
let sent = 0;

async function client() {
  while (!stop && sent < MAX_REQUESTS) {
    sent++;
    const t0 = performance.now();
    try {
      const res = await pool.request({ method: 'GET', path, headers });
      await res.body.text();
      if (res.statusCode !== 200) errors++;
    } catch {
      errors++;
    }
    if (measuring && count < MAX_REQUESTS) latencies[count++] = performance.now() - t0;
  }
}

const clients = Array.from({ length: connections }, client);
await new Promise((r) => setTimeout(r, warmupMs));
errors = 0;
measuring = true;
const start = performance.now();
await new Promise((r) => setTimeout(r, durationMs));
measuring = false;
const seconds = (performance.now() - start) / 1000;
stop = true;
await Promise.all(clients);
await pool.close();
const sorted = latencies.slice(0, count).sort();
const q = (p) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? NaN;
console.log(JSON.stringify({ requests: count, errors, seconds, rps: count / seconds, p50: q(0.5), p99: q(0.99) }));
