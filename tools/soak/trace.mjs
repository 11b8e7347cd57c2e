// Where a matrix campaign's time goes: one campaign of `make soak` (tools/soak/matrix-campaign.mjs)
// with the client's event log, summed up. Prints the replies by status, the decisions by reason
// with the waits they asked for, the admission refusals by reason, and two lines with one
// character per 500 ms: the calls in flight and the Guard's effective concurrency (base 36).
// A run of `0` in the first line is time nobody used; a low second line is the AIMD.
//   node tools/soak/trace.mjs [--job upsert] [--rate 0.3] [--latency 1000] [--records 5000]
//     [--token-ttl 2000] [--seed 44] [--out events.jsonl]
import { writeFileSync } from 'node:fs';
import { startSimulatorProcess } from '@zcrm-guard/zoho-sim/process';
import { simTokens } from '@zcrm-guard/zoho-sim/testing';
import * as zg from '../../pkg/node.js';
import { buildJob, transientFaults } from './matrix-campaign.mjs';

const argv = process.argv.slice(2);
const arg = (name, fallback) => {
  const at = argv.indexOf(`--${name}`);
  return at >= 0 && argv[at + 1] !== undefined ? argv[at + 1] : fallback;
};
const job = arg('job', 'upsert');
const rate = Number(arg('rate', 0.3));
const latencyMs = Number(arg('latency', 1_000));
const plan = buildJob(job, Number(arg('records', 5_000)));

const server = await startSimulatorProcess({
  seed: Number(arg('seed', 44)), edition: 'standard', latencyMs, latencyJitterMs: 0, tokenTtlMs: Number(arg('token-ttl', 2_000)),
  lockMs: 1_000, retryAfterS: 1, faults: transientFaults(rate), ...plan.simOptions,
});
const events = [];
let t0 = 0;
let client = null;
const onEvent = (e) => {
  const t = Math.round(performance.now() - t0);
  // The Guard's effective concurrency after each decision (the AIMD's answer so far).
  const limit = e.type === 'decision' ? client.guard.snapshot(Date.now()).effectiveLimit : undefined;
  events.push({ t, ...e, limit });
};
try {
  const { getAccessToken, refreshAccessToken } = simTokens(server);
  client = zg.createClient({ apiDomain: server.url, edition: 'standard', getAccessToken, refreshAccessToken, onEvent });
  t0 = performance.now();
  const out = await client[plan.op]('Leads', plan.records, { signal: AbortSignal.timeout(Number(arg('watchdog', 900_000))) });
  const ms = performance.now() - t0;
  const stats = await server.stats();
  const ok = out.results.filter((r) => r.ok).length;
  console.log(`${job} at ${rate * 100}% faults, ${latencyMs} ms latency: ${(ms / 1000).toFixed(1)} s, ${ok} ok of ${out.results.length}, stoppedBy ${out.stats.stoppedBy}`);
  console.log(`calls ${stats.calls}, by status ${JSON.stringify(stats.byStatus)}, tokens minted ${stats.tokenRefreshes}`);
  const decisions = {};
  for (const e of events.filter((x) => x.type === 'decision')) {
    const d = (decisions[`${e.action}:${e.reason}`] ??= { n: 0, waitMs: 0 });
    d.n++;
    d.waitMs += e.delayMs ?? 0;
  }
  console.log('decisions (count, waits asked in ms):', JSON.stringify(decisions));
  const refused = {};
  for (const e of events.filter((x) => x.type === 'admit' && !x.ok)) refused[e.reason] = (refused[e.reason] ?? 0) + 1;
  console.log('admission refusals:', JSON.stringify(refused));
  const sends = events.filter((e) => e.type === 'send').map((e) => e.t);
  const replies = events.filter((e) => e.type === 'reply').map((e) => e.t);
  const decided = events.filter((e) => e.type === 'decision');
  let flight = '';
  let limits = '';
  for (let at = 0; at < ms; at += 500) {
    flight += Math.min(35, sends.filter((t) => t <= at).length - replies.filter((t) => t <= at).length).toString(36);
    const last = decided.filter((e) => e.t <= at).pop();
    limits += last ? Math.min(35, last.limit).toString(36) : '-';
  }
  console.log(`in flight / 500 ms:   ${flight}`);
  console.log(`limit / 500 ms:       ${limits}`);
  const outFile = arg('out', null);
  if (outFile) writeFileSync(outFile, events.map((e) => JSON.stringify(e)).join('\n'));
} finally {
  await server.close();
}
