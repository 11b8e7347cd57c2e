// Issue 15, rows 1–3: classify against what a user would write, in one Node process.
//   1. the 100-record 207 (bench/fixtures/replies.mjs), every record's ok, code, id and
//      details read / JSON.parse of the body, the same fields read;
//   2. the same / the ~40-line JS classifier (bench/peers/classifier.mjs);
//   3. a 1-record 201 / the same JS classifier.
// Run by `make bench` (scripts/bench.sh) after `make build`; needs ../pkg.
import { classify } from '../pkg/node.js';
import { OP_1, OP_100, REPLY_201, REPLY_207 } from './fixtures/replies.mjs';
import { classifyJs } from './peers/classifier.mjs';
import { interleave, pick, printContenders } from './lib/harness.mjs';
import { readParsed, readRecords } from './lib/workloads.mjs';
import { finish, reportRatio } from './lib/report.mjs';

const ROUNDS = pick(101, 3);
const OPTIONS = { rounds: ROUNDS, sampleMs: pick(10, 2), warmupMs: pick(1000, 10) };

/** The JS classifier agrees with classify on every record: the peer does the same job. */
function checkPeer(reply, operation) {
  const ours = classify(reply, operation);
  const theirs = classifyJs(reply.status, reply.headers, reply.body);
  const key = (r) => [r.ok, r.code, r.id, r.category, r.retry].join('/');
  const a = ours.records.map(key).join(' ');
  const b = theirs.records.map(key).join(' ');
  if (a !== b || ours.outcome !== theirs.outcome || ours.category !== theirs.category) {
    throw new Error(`the JS classifier disagrees with classify:\n${a}\n${b}`);
  }
  if (readRecords(ours.records) !== readParsed(JSON.parse(reply.body))) throw new Error('the contenders read different fields');
}
checkPeer(REPLY_207, OP_100);
checkPeer(REPLY_201, OP_1);

const { status, headers, body } = REPLY_207;
const many = interleave(
  [
    { name: 'classify + records read', run: () => readRecords(classify(REPLY_207, OP_100).records) },
    { name: 'JSON.parse, the same fields read', run: () => readParsed(JSON.parse(body)) },
    { name: 'JS classifier', run: () => readRecords(classifyJs(status, headers, body).records) },
  ],
  OPTIONS,
);
const one = interleave(
  [
    { name: 'classify + records read (201)', run: () => readRecords(classify(REPLY_201, OP_1).records) },
    { name: 'JS classifier (201)', run: () => readRecords(classifyJs(REPLY_201.status, REPLY_201.headers, REPLY_201.body).records) },
  ],
  OPTIONS,
);

printContenders(`classify: 100-record 207, ${body.length} bytes of JSON, per call, ${ROUNDS} rounds, Node ${process.version}`, many);
printContenders(`classify: 1-record 201, ${REPLY_201.body.length} bytes, per call`, one);
console.log();

reportRatio('classify-vs-parse', many['classify + records read'], many['JSON.parse, the same fields read']);
reportRatio('classify-vs-js', many['classify + records read'], many['JS classifier']);
reportRatio('classify-201-vs-js', one['classify + records read (201)'], one['JS classifier (201)']);
finish('classify: rows 1–3 (median (p25–p75); project ÷ peer: ratio of the medians, and of each round)');
