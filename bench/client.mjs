// The client against the simulator (@zcrm-guard/zoho-sim, a server in a process of its
// own, so its CPU is not this process's):
//   A. issue 15, row 9: the client's CPU per record above bare `fetch`. 100-record
//      inserts of the same Leads (default options: validated against the fields
//      metadata, as a user calls it), and a bare-fetch loop sending the same bodies
//      (JSON.stringify of each 100, fetch, the reply's text read) with as many in flight
//      as the edition allows, to the same simulator (no latency). Rounds alternate which
//      runs first; the figure is this process's CPU time (`process.cpuUsage`, every
//      thread) per record, client minus bare fetch, round by round.
//   B. issue 7's scheduling efficiency at a fixed latency, edition professional
//      (concurrency 15):
//      1. the client alone: calls per second against the bound limit × 1 s / latency,
//         and the number of 429s (goal: ≥ 95%, no 429);
//      2. with a second, independent client holding half the org's concurrency: the
//         share of what is left that the first client uses (goal: ≥ 90%), and the
//         share of its calls answered 429 (goal: < 2%).
//      Writes of 10 records stay out of the complex pool, so the edition's limit binds.
// Run by `make bench` (scripts/bench.sh) after `make build`; needs ../pkg.
import * as zg from '../pkg/node.js';
import { startSimulatorProcess as startSimulatorServer } from '@zcrm-guard/zoho-sim/process';
import { makeLeads } from '@zcrm-guard/zoho-sim/fixtures';
import { brief, cpuNs, differenceStats, duration, pick, rotated, sink, summarize } from './lib/harness.mjs';
import { finish, report } from './lib/report.mjs';

const TOKEN = 'sim-access-0';
const EDITION = 'professional';
const LIMIT = 15; // professional's concurrency
const pct = (x) => `${(100 * x).toFixed(1)}%`;

// ---------------------------------------------------------------- A. CPU per record

const CPU_ROUNDS = pick(11, 2);
const CPU_RECORDS = pick(2_000, 200); // 20 inserts of 100 per round and contender

/** `n` valid Leads whose e-mails start with `tag` (tags of one length: bodies of one size). */
const leads = (n, tag) => makeLeads(n, { invalidEvery: Infinity, prefix: tag });

/** A bare insert: the records as JSON, fetch, the reply's text. */
async function post(url, data) {
  const res = await fetch(`${url}/crm/v8/Leads`, {
    method: 'POST',
    headers: { Authorization: `Zoho-oauthtoken ${TOKEN}`, 'content-type': 'application/json' },
    body: JSON.stringify({ data }),
  });
  return res.text();
}

/** The bare-fetch loop: the same bodies, LIMIT in flight, each reply's text read. */
async function bareFetch(url, records) {
  let next = 0;
  let read = 0;
  const worker = async () => {
    while (next < records.length) read += (await post(url, records.slice(next, (next += 100)))).length;
  };
  await Promise.all(Array.from({ length: LIMIT }, worker));
  return read;
}

/** CPU ns and wall ns per record of one run of `job(records)`. */
async function perRecord(job, records) {
  const c0 = cpuNs();
  const t0 = performance.now();
  sink(await job(records));
  return { cpu: (cpuNs() - c0) / records.length, wall: ((performance.now() - t0) * 1e6) / records.length };
}

async function cpuPerRecord() {
  const server = await startSimulatorServer({ seed: 4, edition: EDITION, latencyMs: 0, latencyJitterMs: 0 });
  try {
    // One client for every round, as an application keeps one.
    const client = zg.createClient({ apiDomain: server.url, edition: EDITION, getAccessToken: () => TOKEN });
    const contenders = [
      { name: 'client', job: async (records) => (await client.insert('Leads', records)).stats.ok },
      { name: 'bare fetch', job: (records) => bareFetch(server.url, records) },
    ];
    const runs = { client: [], 'bare fetch': [] };
    // Round -1 warms both up and is not kept.
    for (let round = -1; round < CPU_ROUNDS; round++) {
      for (const c of rotated(contenders, round + 1)) {
        const tag = `${c.name[0]}${String(round + 1).padStart(3, '0')}-`; // unique e-mails: no DUPLICATE_DATA
        const r = await perRecord(c.job, leads(CPU_RECORDS, tag));
        if (round >= 0) runs[c.name].push(r);
      }
    }
    return runs;
  } finally {
    await server.close();
  }
}

// ---------------------------------------------------------------- B. scheduling

// Zoho answers a 10-record insert in a few hundred ms; 200 ms keeps the bound realistic
// and the loopback overhead (a few ms per call) small beside it.
const LATENCY_MS = 200;
const RECORDS = 10 * pick(600, 60); // calls of 10 records

function client(server, concurrency, events) {
  return zg.createClient({
    apiDomain: server.url,
    edition: EDITION,
    guardConfig: concurrency ? { concurrency } : undefined,
    getAccessToken: () => TOKEN,
    onEvent: (e) => events.push(e),
  });
}

const simAt = (seed) => startSimulatorServer({ seed, edition: EDITION, latencyMs: LATENCY_MS, latencyJitterMs: 0 });

/** The same calls by bare `fetch` at exactly the limit: what this machine allows. */
async function rawCeiling() {
  const server = await simAt(3);
  try {
    let next = 0;
    const calls = RECORDS / 10;
    const t0 = performance.now();
    const worker = async () => {
      while (next < calls) {
        const i = next++;
        await post(server.url, Array.from({ length: 10 }, (_, k) => ({ Last_Name: 'L', Email: `raw${i}-${k}@example.com` })));
      }
    };
    await Promise.all(Array.from({ length: LIMIT }, worker));
    return calls / ((performance.now() - t0) / 1000);
  } finally {
    await server.close();
  }
}

const tenLeads = (n, prefix) => Array.from({ length: n }, (_, i) => ({ Last_Name: `L${i}`, Email: `${prefix}${i}@example.com` }));

async function alone() {
  const server = await simAt(1);
  try {
    const events = [];
    const c = client(server, null, events);
    const t0 = performance.now();
    const { stats } = await c.insert('Leads', tenLeads(RECORDS, 'a'), { batchSize: 10, validate: false });
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
  const server = await simAt(2);
  try {
    const mine = [];
    const theirs = [];
    const half = Math.floor(LIMIT / 2);
    const other = client(server, half, theirs);
    const me = client(server, null, mine);
    const controller = new AbortController();
    const background = other.insert('Leads', tenLeads(RECORDS * 4, 'b'), { batchSize: 10, validate: false, signal: controller.signal });
    await new Promise((r) => setTimeout(r, 500)); // let the other client fill its half
    const t0 = performance.now();
    const { stats } = await me.insert('Leads', tenLeads(RECORDS, 'c'), { batchSize: 10, validate: false });
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

// ---------------------------------------------------------------- run

const runs = await cpuPerRecord();
const us = (ns) => duration(ns);
const cpu = (name) => summarize(runs[name].map((r) => r.cpu));
const wall = (name) => summarize(runs[name].map((r) => r.wall));
const over = differenceStats(runs.client.map((r) => r.cpu), runs['bare fetch'].map((r) => r.cpu));
console.log(`client: ${CPU_ROUNDS} rounds of ${CPU_RECORDS} records in inserts of 100 per contender, simulator in its own process, ${EDITION}, no latency`);
console.log(`client: CPU per record: client ${brief(cpu('client'), us)}, bare fetch ${brief(cpu('bare fetch'), us)}; wall per record: client ${brief(wall('client'), us)}, bare fetch ${brief(wall('bare fetch'), us)}`);

const raw = await rawCeiling();
const a = await alone();
console.log(`\nclient alone (${EDITION}, ${LATENCY_MS} ms latency): ${a.rate.toFixed(1)} calls/s of a bound of ${a.bound.toFixed(0)} = ${pct(a.share)} (goal ≥ 95%), 429s: ${a.r429} (goal 0), ${a.calls} calls`);
console.log(`  bare fetch at ${LIMIT} in flight on this machine: ${raw.toFixed(1)} calls/s = ${pct(raw / a.bound)} of the bound; the client moves ${pct(a.rate / raw)} of that`);
const s = await shared();
console.log(`client sharing the org with a second client holding half: ${s.rate.toFixed(1)} calls/s of the ${s.left.toFixed(0)} left = ${pct(s.share)} (goal ≥ 90%), 429 share ${pct(s.r429share)} (goal < 2%), ${s.calls} calls\n`);

report('client-cpu', {
  projectText: `${brief(over, us)} per record (client ${us(cpu('client').median)} − bare fetch ${us(cpu('bare fetch').median)})`,
  project: over.median / 1e3,
});
finish('client: row 9 (CPU time per record, median (p25–p75) of the rounds)');
