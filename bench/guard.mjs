// Guard throughput: admit + settle pairs per second through the wasm boundary, with
// responses as text (as `fetch` gives them), against cockatiel's retry policy
// executing the same number of no-op calls and Bottleneck scheduling them, in the
// same process. Prints pairs/s of each and the two ratios (goal: ≥ 1.0 vs cockatiel).
//
// Run by `make bench` (scripts/bench.sh) after `make build`; needs ../pkg.
import { performance } from 'node:perf_hooks';
import * as api from '../pkg/node.js';
import { retry, handleAll, ExponentialBackoff } from 'cockatiel';
import Bottleneck from 'bottleneck';

const N = Number(process.env.GUARD_BENCH_N ?? 100_000);
// Bottleneck runs each job through a timer (about 350 jobs/s here whatever the
// options), so it gets fewer calls and one round; the figures compared are rates.
const N_BOTTLENECK = Number(process.env.GUARD_BENCH_N_BOTTLENECK ?? 2_000);
const ROUNDS = 3;

const OK_BODY = '{"data":[{"code":"SUCCESS","details":{"id":"5725767000000524157"},"message":"record added","status":"success"}]}';
const RESPONSE = { status: 200, headers: { 'content-type': 'application/json' }, body: OK_BODY };
const VERDICT = {
  outcome: 'success', httpStatus: 200, category: 'ok', retry: 'none', error: null,
  records: [{ index: 0, ok: true, code: 'SUCCESS', message: 'record added', details: { id: '5725767000000524157' }, id: '5725767000000524157', action: null, category: 'ok', retry: 'none' }],
  credits: null, retryAfterMs: null, tokenExpiresAt: null,
};
const OP = { kind: 'insert', module: 'Leads', recordCount: 1 };
const textResponses = typeof api.classify === 'function';

function guardRun() {
  // Log off: the bench measures decisions, not log growth.
  const g = new api.Guard({ edition: 'ultimate', licenses: 1000, logCapacity: 0 });
  const t0 = performance.now();
  for (let i = 0; i < N; i++) {
    const now = i;
    const a = g.admit(OP, now);
    if (!a.ok) throw new Error(`refused: ${a.reason}`);
    const d = textResponses ? g.settle(a.ticket, RESPONSE, now) : g.settleVerdict(a.ticket, VERDICT, now);
    if (d.action !== 'done') throw new Error(`unexpected ${d.action}`);
  }
  const ms = performance.now() - t0;
  g.free();
  return (N / ms) * 1000;
}

async function cockatielRun() {
  const policy = retry(handleAll, { maxAttempts: 3, backoff: new ExponentialBackoff() });
  const noop = () => undefined;
  const t0 = performance.now();
  for (let i = 0; i < N; i++) await policy.execute(noop);
  return (N / (performance.now() - t0)) * 1000;
}

async function bottleneckRun() {
  const limiter = new Bottleneck({ maxConcurrent: 25 });
  const noop = () => Promise.resolve();
  const t0 = performance.now();
  const ps = [];
  for (let i = 0; i < N_BOTTLENECK; i++) ps.push(limiter.schedule(noop));
  await Promise.all(ps);
  return (N_BOTTLENECK / (performance.now() - t0)) * 1000;
}

const best = async (f) => {
  let b = 0;
  for (let r = 0; r < ROUNDS; r++) b = Math.max(b, await f());
  return b;
};

const guard = await best(async () => guardRun());
const cockatiel = await best(cockatielRun);
const bottleneck = await bottleneckRun();
const fmt = (x) => Math.round(x).toLocaleString('en-US');
console.log(`guard: ${N} admit+settle pairs, best of ${ROUNDS} (${textResponses ? 'settle with text responses (classify)' : 'settleVerdict: classify not in this build'})`);
console.log(`guard       ${fmt(guard)} pairs/s`);
console.log(`cockatiel   ${fmt(cockatiel)} calls/s (retry policy, no-op calls)`);
console.log(`bottleneck  ${fmt(bottleneck)} calls/s (schedule, maxConcurrent 25, ${N_BOTTLENECK} calls)`);
console.log(`guard/cockatiel  ratio ${(guard / cockatiel).toFixed(2)} (goal >= 1.0)`);
console.log(`guard/bottleneck ratio ${(guard / bottleneck).toFixed(2)}`);
