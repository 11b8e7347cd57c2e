// Issue 15, row 4: one Guard admit + settle of the 100-record 207 reply (the
// response as text, as `fetch` gives it), default configuration (decision log on),
// the decision's action, indices and every record of its verdict read, as the client
// does / classify + records read (row 1's project figure), in one Node process.
// One Guard serves the whole run, as one serves a client, over a whole cycle of its
// decision log (10,000 events, two per pair: 5,000 pairs, PAIRS per round): the log fills
// as it goes and each pair costs more, so the first and last rounds are printed too. A
// second Guard with the log off (`logCapacity: 0`) runs interleaved, for context.
// Run by `make bench` (scripts/bench.sh) after `make build`; needs ../pkg.
import { Guard, classify } from '../pkg/node.js';
import { OP_100, REPLY_207 } from './fixtures/replies.mjs';
import { brief, interleave, pick, printContenders, ratio, summarize, unkeptRounds } from './lib/harness.mjs';
import { DEFAULT_GUARD_CONFIG, guardPair, insertClock, readRecords } from './lib/workloads.mjs';
import { finish, reportRatio } from './lib/report.mjs';

const PAIRS = 25;
const ROUNDS = pick(200, 3);
const PROJECT = 'Guard admit + settle, default config';
const PEER = 'classify + records read';
const LOG_OFF = 'Guard admit + settle, log off (logCapacity 0)';

const guard = new Guard(DEFAULT_GUARD_CONFIG);
const clock = insertClock();
const quiet = new Guard({ ...DEFAULT_GUARD_CONFIG, logCapacity: 0 });
const quietClock = insertClock();

const results = interleave(
  [
    { name: PROJECT, run: () => guardPair(guard, clock), iters: PAIRS },
    { name: PEER, run: () => readRecords(classify(REPLY_207, OP_100).records) },
    { name: LOG_OFF, run: () => guardPair(quiet, quietClock) },
  ],
  { rounds: ROUNDS, sampleMs: pick(25, 2), warmupMs: pick(500, 10) },
);

printContenders(`guard: admit + settle of the 100-record 207 (${REPLY_207.body.length} bytes), per pair, ${ROUNDS} rounds of ${PAIRS} pairs of the default-config Guard`, results);
// Each stretch of 1,000 pairs (40 samples), numbered from the Guard's first pair.
const samples = results[PROJECT].samples;
const first = unkeptRounds(ROUNDS) * PAIRS;
const per = Math.max(1, Math.round(1000 / PAIRS));
const stretches = [];
for (let i = 0; i < samples.length; i += per) {
  const from = first + i * PAIRS;
  stretches.push(`${from + 1}–${from + Math.min(per, samples.length - i) * PAIRS}: ${brief(summarize(samples.slice(i, i + per)))}`);
}
console.log(`\nguard: decision log on, per pair, by stretch of the Guard's pairs (its log of 10,000 events restarts after pair 5,000): ${stretches.join('; ')}`);
const off = results[LOG_OFF].stats.median;
console.log(`guard: log off ${brief(results[LOG_OFF].stats)} per pair: ${ratio(off / results[PEER].stats.median)} × classify + records`);
guard.free();
quiet.free();
console.log();

reportRatio('guard-pair', results[PROJECT], results[PEER]);
finish('guard: row 4 (median (p25–p75) per pair)');
