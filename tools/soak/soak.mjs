// `make soak`: the fault campaigns of issue 9. 20,000 Leads (2% invalid) through the
// client against the simulator, for each edition, at 10% then 30% injected faults of
// every kind (after a 0% baseline), with every access token revoked each 1,000 calls; one table row per
// campaign. Options: --records N, --latency MS, --batch N, --editions a,b, --rates 0.1,0.3,
// --max-attempts N (attempts per batch, the job's `maxAttempts`; default the Guard's 3)
import * as zg from '../../pkg/node.js';
import { runCampaign, EDITION_LIMIT, COMPLEX_POOL } from './campaign.mjs';

const args = Object.fromEntries(
  process.argv.slice(2).map((a, i, all) => (a.startsWith('--') ? [a.slice(2), all[i + 1]] : null)).filter(Boolean),
);
const RECORDS = Number(args.records ?? 20_000);
const LATENCY_MS = Number(args.latency ?? 100);
const BATCH = Number(args.batch ?? 10);
const EXPIRY = Number(args.expiry ?? 1_000);
const EDITIONS = (args.editions ?? Object.keys(EDITION_LIMIT).join(',')).split(',');
const RATES = (args.rates ?? '0,0.1,0.3').split(',').map(Number);
const MAX_ATTEMPTS = args['max-attempts'] === undefined ? undefined : Number(args['max-attempts']);

const cols = [
  ['edition', (r) => r.edition],
  ['faults', (r) => `${Math.round(r.faultRate * 100)}%`],
  ['records', (r) => r.records],
  ['created once', (r) => r.createdOnce],
  ['failed (said why)', (r) => r.failedReported],
  ['ambiguous (of which created)', (r) => `${r.ambiguous} (${r.ambiguousCreated})`],
  ['duplicates', (r) => r.duplicates],
  ['lost', (r) => r.lost],
  ['invalid rejected before sending', (r) => r.rejectedBeforeSending],
  ['calls', (r) => r.calls],
  ['faults injected', (r) => r.faults],
  ['max in flight / limit', (r) => `${r.maxInFlight} / ${r.limit}`],
  ['max complex / 10', (r) => `${r.maxComplexInFlight} / ${COMPLEX_POOL}`],
  ['credits max in 24 h / allowance', (r) => `${r.maxCreditsInWindow} / ${r.creditsTotal}`],
  ['token refreshes', (r) => r.tokenRefreshes],
  ['time s', (r) => (r.ms / 1000).toFixed(1)],
  ['bound s', (r) => (r.boundMs / 1000).toFixed(1)],
  ['time / bound', (r) => r.ratio.toFixed(2)],
];

console.log(`soak: ${RECORDS} Leads per campaign, ${BATCH} per call, simulator latency ${LATENCY_MS} ms, tokens revoked every ${EXPIRY} calls, client timeout 500 ms, slow replies 1.5 s, attempts per batch ${MAX_ATTEMPTS ?? 'the Guard default (3)'}`);
console.log(`bound = (calls × latency + slow replies × (timeout − latency)) / limit: each call holds a slot for the simulator's latency, a slow reply until the client's timeout; the limit being the edition's (writes of ${BATCH} records are ${BATCH > 10 ? 'complex: the pool of 10 binds' : 'not complex: the edition limit binds'})`);
console.log();
console.log(`| ${cols.map((c) => c[0]).join(' | ')} |`);
console.log(`|${cols.map(() => '---').join('|')}|`);
const failures = [];
const t0 = performance.now();
for (const rate of RATES) {
  for (const edition of EDITIONS) {
    const r = await runCampaign({ zg, edition, records: RECORDS, faultRate: rate, latencyMs: LATENCY_MS, batchSize: BATCH, tokenExpiryEveryCalls: EXPIRY, seed: 9, maxAttempts: MAX_ATTEMPTS });
    console.log(`| ${cols.map((c) => c[1](r)).join(' | ')} |`);
    const bad = [];
    if (r.duplicates || r.lost) bad.push(`${r.duplicates} duplicates, ${r.lost} lost: ${r.problems.join('; ')}`);
    if (r.maxInFlight > r.limit) bad.push(`in flight ${r.maxInFlight} > ${r.limit}`);
    if (r.maxComplexInFlight > COMPLEX_POOL) bad.push(`complex ${r.maxComplexInFlight} > ${COMPLEX_POOL}`);
    if (r.maxCreditsInWindow > r.creditsTotal) bad.push(`credits ${r.maxCreditsInWindow} > ${r.creditsTotal}`);
    if (r.tokenRefreshes !== r.clientRefreshes) bad.push(`refreshes: simulator ${r.tokenRefreshes}, client ${r.clientRefreshes}`);
    if (bad.length) failures.push(`${edition} ${rate}: ${bad.join('; ')}`);
    const reasons = {};
    for (const x of r.results) if (!x.ok && x.reason !== 'invalid_before_sending') reasons[`${x.code}/${x.reason}`] = (reasons[`${x.code}/${x.reason}`] ?? 0) + 1;
    if (Object.keys(reasons).length) console.error(`  ${edition} ${Math.round(rate * 100)}% final errors: ${JSON.stringify(reasons)}`);
  }
}
console.log();
console.log(`total ${((performance.now() - t0) / 1000).toFixed(0)} s`);
if (failures.length) {
  console.log(`FAILED:\n${failures.join('\n')}`);
  process.exitCode = 1;
} else console.log('every campaign: nothing lost, nothing created twice, limits and credits never exceeded');
