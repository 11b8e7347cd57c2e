// `make soak`: issue 14's acceptance matrix. Insert (server uniqueness on and off), upsert
// and update at 30% and 50% transient faults (429 with Retry-After, 500/502/503, 5xx after
// commit, proxy HTML pages, dropped connections before and after commit, short and truncated
// replies, RECORD_LOCKED per record), access tokens living 2 s, through `createClient` with its
// default options (pkg/, the built package); then a 3-minute job with tokens living 5 s and a
// 3-minute deadline: never more than 10 refreshes in 10 minutes, no TOKEN_REFRESH_FAILED.
// Options: --records N (default 5,000), --latency MS (1,000: Zoho's time for a write of 100),
// --rates 0.3,0.5, --jobs a,b, --long-records N (60,000), --long-ms MS (180,000), --no-long,
// --watchdog MS (1,200,000: a job still running then is aborted and reported; the 50% campaigns may wait out a 10-minute refresh window).
import * as zg from '../../pkg/node.js';
import { acceptance } from './audit-job.mjs';
import { JOBS, TRANSIENT_KINDS, runMatrixCampaign } from './matrix-campaign.mjs';

const argv = process.argv.slice(2);
const args = Object.fromEntries(argv.map((a, i) => (a.startsWith('--') ? [a.slice(2), argv[i + 1]?.startsWith('--') ? 'true' : (argv[i + 1] ?? 'true')] : null)).filter(Boolean));
const RECORDS = Number(args.records ?? 5_000);
const LATENCY = Number(args.latency ?? 1_000);
const RATES = String(args.rates ?? '0.3,0.5').split(',').map(Number);
const JOB_LIST = String(args.jobs ?? JOBS.join(',')).split(',');
const LONG_RECORDS = Number(args['long-records'] ?? 60_000);
const LONG_MS = Number(args['long-ms'] ?? 180_000);
const WATCHDOG = Number(args.watchdog ?? 1_200_000);

const s = (/** @type {number} */ ms) => (ms / 1000).toFixed(1);
const cols = [
  ['campaign', (r) => r.campaign],
  ['records', (r) => r.records],
  ['ok', (r) => `${r.ok}/${r.valid}`],
  ['created once', (r) => r.createdOnce],
  ['updated', (r) => (r.updated ? `${r.updated} (${r.updatedTwice} twice)` : '-')],
  ['twice', (r) => r.twice],
  ['missing', (r) => r.missing],
  ['wrong', (r) => r.wrong],
  ['ambiguous', (r) => r.ambiguous],
  ['DUPLICATE_DATA / invalid', (r) => `${r.duplicateRefused} / ${r.rejectedBeforeSending}`],
  ['TOKEN_REFRESH_FAILED', (r) => r.refreshFailed],
  ['refreshes max/10min (denied)', (r) => `${r.refreshesMax10Min} (${r.refreshDenied})`],
  ['calls / faults / locked', (r) => `${r.calls} / ${r.faults} / ${r.locked}`],
  ['time s', (r) => s(r.ms) + (r.watchdog ? ' (watchdog)' : '')],
  ['bound s', (r) => s(r.boundMs)],
  ['ratio', (r) => r.ratio.toFixed(2)],
];
const header = () => {
  console.log(`| ${cols.map((c) => c[0]).join(' | ')} |`);
  console.log(`|${cols.map(() => '---').join('|')}|`);
};
const row = (r) => console.log(`| ${cols.map((c) => c[1](r)).join(' | ')} |`);

console.log(`soak matrix (issue 14): ${RECORDS} records per campaign (every 50th invalid), standard edition, simulator latency ${LATENCY} ms, tokens living 2 s, createClient defaults`);
console.log(`transient faults, evenly over: ${TRANSIENT_KINDS.join(', ')}; RECORD_LOCKED per record at a tenth of the rate; Retry-After 1 s`);
console.log('bound = latency × (1 metadata call + ceil(writes of 100 / 10 in flight)), + 10 min per 10 access tokens beyond the first 11; acceptance at 30%: ratio ≤ 1.5');
console.log();
header();
const failures = [];
const t0 = performance.now();
for (const rate of RATES) {
  for (const job of JOB_LIST) {
    const r = await runMatrixCampaign({ zg, job, records: RECORDS, faultRate: rate, latencyMs: LATENCY, watchdogMs: WATCHDOG, seed: 14 + Math.round(rate * 100) });
    row(r);
    const bad = acceptance(r, { maxRatio: rate <= 0.3 ? 1.5 : undefined });
    if (r.crashed || r.watchdog) bad.unshift(r.watchdog ? `still running after ${s(WATCHDOG)} s` : r.problems[0]);
    if (bad.length) failures.push(`${r.campaign}: ${bad.join('; ')}`);
  }
}

if (args['no-long'] === undefined) {
  console.log();
  console.log(`refresh-limit campaign: ${LONG_RECORDS} inserts at 10% faults, tokens living 5 s, deadlineMs ${LONG_MS} (more work than 11 tokens of 5 s allow in 10 minutes)`);
  header();
  const r = await runMatrixCampaign({
    zg, job: 'insert-unique-off', records: LONG_RECORDS, faultRate: 0.1, latencyMs: LATENCY, tokenTtlMs: 5_000, seed: 77,
    jobOptions: { deadlineMs: LONG_MS }, watchdogMs: LONG_MS + 60_000, allowDeadline: true,
  });
  r.campaign = `3-min, 5 s tokens`;
  row(r);
  const bad = acceptance(r, { allowDeadline: true });
  if (r.watchdog) bad.unshift(`the job did not end at its deadline (${s(LONG_MS)} s): aborted at ${s(r.ms)} s`);
  else if (r.ms > LONG_MS + 5_000) bad.unshift(`ended ${s(r.ms - LONG_MS)} s after its deadline`);
  if (bad.length) failures.push(`${r.campaign}: ${bad.join('; ')}`);
  console.log(`  ${r.deadline} records ended 'deadline', ${r.ok} ok; stoppedBy ${r.stoppedBy}`);
}

console.log();
console.log(`total ${s(performance.now() - t0)} s`);
if (failures.length) {
  console.log(`NOT ACCEPTED:\n${failures.map((f) => `- ${f}`).join('\n')}`);
  process.exitCode = 1;
} else console.log('accepted: every valid record created or updated once and reported ok, nothing ambiguous, refreshes within Zoho\'s limit');
