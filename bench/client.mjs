// Scheduling efficiency of the client against the simulator at a fixed latency,
// edition professional (concurrency 15):
//   1. the client alone: calls per second against the bound limit × 1 s / latency,
//      and the number of 429s (goal: ≥ 95%, no 429);
//   2. with a second, independent client holding half the org's concurrency: the
//      share of what is left that the first client uses (goal: ≥ 90%), and the
//      share of its calls answered 429 (goal: < 2%).
// Writes of 10 records stay out of the complex pool, so the edition's limit binds.
import * as zg from '../pkg/node.js';
import { startSimulatorProcess as startSimulatorServer } from '@zcrm-guard/zoho-sim/process';

// Zoho answers a 10-record insert in a few hundred ms; 200 ms keeps the bound realistic
// and the loopback overhead (a few ms per call) small beside it.
const LATENCY_MS = 200;
const LIMIT = 15;
const RECORDS = 10 * 600; // 600 calls of 10 records
const pct = (x) => `${(100 * x).toFixed(1)}%`;

function leads(n, prefix) {
  return Array.from({ length: n }, (_, i) => ({ Last_Name: `L${i}`, Email: `${prefix}${i}@example.com` }));
}

function client(server, concurrency, events) {
  return zg.createClient({
    apiDomain: server.url,
    edition: 'professional',
    guardConfig: concurrency ? { concurrency } : undefined,
    getAccessToken: () => 'sim-access-0',
    onEvent: (e) => events.push(e),
  });
}

/** The same calls by bare `fetch` at exactly the limit: what this machine allows. */
async function rawCeiling() {
  const server = await startSimulatorServer({ seed: 3, edition: 'professional', latencyMs: LATENCY_MS, latencyJitterMs: 0 });
  try {
    let next = 0;
    const calls = RECORDS / 10;
    const t0 = performance.now();
    const worker = async () => {
      while (next < calls) {
        const i = next++;
        const data = Array.from({ length: 10 }, (_, k) => ({ Last_Name: 'L', Email: `raw${i}-${k}@example.com` }));
        const res = await fetch(`${server.url}/crm/v8/Leads`, {
          method: 'POST',
          headers: { Authorization: 'Zoho-oauthtoken sim-access-0', 'content-type': 'application/json' },
          body: JSON.stringify({ data }),
        });
        await res.text();
      }
    };
    await Promise.all(Array.from({ length: LIMIT }, worker));
    return calls / ((performance.now() - t0) / 1000);
  } finally {
    await server.close();
  }
}

async function alone() {
  const server = await startSimulatorServer({ seed: 1, edition: 'professional', latencyMs: LATENCY_MS, latencyJitterMs: 0 });
  try {
    const events = [];
    const c = client(server, null, events);
    const t0 = performance.now();
    const { stats } = await c.insert('Leads', leads(RECORDS, 'a'), { batchSize: 10, validate: false });
    const secs = (performance.now() - t0) / 1000;
    const bound = LIMIT * (1000 / LATENCY_MS);
    const rate = stats.calls / secs;
    const r429 = events.filter((e) => e.type === 'reply' && e.status === 429).length;
    return { rate, bound, share: rate / bound, r429, calls: stats.calls };
  } finally {
    await server.close();
  }
}

async function shared() {
  const server = await startSimulatorServer({ seed: 2, edition: 'professional', latencyMs: LATENCY_MS, latencyJitterMs: 0 });
  try {
    const mine = [];
    const theirs = [];
    const half = Math.floor(LIMIT / 2);
    const other = client(server, half, theirs);
    const me = client(server, null, mine);
    const controller = new AbortController();
    const background = other.insert('Leads', leads(RECORDS * 4, 'b'), { batchSize: 10, validate: false, signal: controller.signal });
    await new Promise((r) => setTimeout(r, 500)); // let the other client fill its half
    const t0 = performance.now();
    const { stats } = await me.insert('Leads', leads(RECORDS, 'c'), { batchSize: 10, validate: false });
    const secs = (performance.now() - t0) / 1000;
    controller.abort();
    await background;
    const left = (LIMIT - half) * (1000 / LATENCY_MS);
    const replies = mine.filter((e) => e.type === 'reply');
    const r429 = replies.filter((e) => e.status === 429).length;
    return { rate: stats.calls / secs, left, share: stats.calls / secs / left, r429share: r429 / replies.length, calls: stats.calls };
  } finally {
    await server.close();
  }
}

const raw = await rawCeiling();
const a = await alone();
console.log(`client alone (professional, ${LATENCY_MS} ms latency): ${a.rate.toFixed(1)} calls/s of a bound of ${a.bound.toFixed(0)} = ${pct(a.share)} (goal ≥ 95%), 429s: ${a.r429} (goal 0), ${a.calls} calls`);
console.log(`  bare fetch at ${LIMIT} in flight on this machine: ${raw.toFixed(1)} calls/s = ${pct(raw / a.bound)} of the bound; the client moves ${pct(a.rate / raw)} of that`);
const s = await shared();
console.log(`client sharing the org with a second client holding half: ${s.rate.toFixed(1)} calls/s of the ${s.left.toFixed(0)} left = ${pct(s.share)} (goal ≥ 90%), 429 share ${pct(s.r429share)} (goal < 2%), ${s.calls} calls`);
