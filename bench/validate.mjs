// Issue 15, row 5: 10,000 Leads held as objects (30 fields, 2% invalid:
// bench/fixtures/leads.mjs) to validated, ready-to-send bodies of 100 records as text.
//   zcrm-guard: one call, validateAndPlan(op, records, fields, { as: 'text' });
//   peer: an ajv + ajv-formats compiled JSON Schema of the same rules, a Map for the
//   unique Email, chunks of 100, JSON.stringify of each body.
// Both read the counts and every body's length. Interleaved in one Node process.
// Run by `make bench` (scripts/bench.sh) after `make build`; needs ../pkg.
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import { validateAndPlan } from '../pkg/node.js';
import { FIELDS, SCHEMA, makeLeads } from './fixtures/leads.mjs';
import { interleave, pick, printContenders } from './lib/harness.mjs';
import { finish, reportRatio } from './lib/report.mjs';

const N = pick(10_000, 1_000);
const ROUNDS = pick(25, 3);
const BATCH = 100;

// multipleOfPrecision: 0.01 steps of a currency, without floating-point false alarms.
const ajv = new Ajv({ allErrors: false, multipleOfPrecision: 9 });
addFormats(ajv);
const check = ajv.compile(SCHEMA);

/** The peer: what a user would write with ajv. Invalid indices, valid count, body lengths. */
function peer(records) {
  const valid = [];
  const invalid = [];
  const emails = new Map();
  for (let i = 0; i < records.length; i++) {
    const r = records[i];
    if (!check(r)) {
      invalid.push(i);
      continue;
    }
    if (typeof r.Email === 'string' && r.Email !== '') {
      const key = r.Email.toLowerCase();
      if (emails.has(key)) {
        invalid.push(i);
        continue;
      }
      emails.set(key, i);
    }
    valid.push(r);
  }
  const bodies = [];
  for (let s = 0; s < valid.length; s += BATCH) bodies.push(JSON.stringify({ data: valid.slice(s, s + BATCH) }));
  return { valid: valid.length, invalid, bodies };
}

function ours(records) {
  const { validation, batches } = validateAndPlan({ kind: 'insert', module: 'Leads' }, records, FIELDS, { as: 'text' });
  return { valid: validation.valid.length, invalid: validation.errors.map((e) => e.index), bodies: batches.map((b) => b.body) };
}

/** A number derived from everything a run returned. */
const read = ({ valid, invalid, bodies }) => valid + invalid.length + bodies.reduce((n, b) => n + b.length, 0);

const records = makeLeads(N);
const a = ours(records);
const b = peer(records);
if (a.valid !== b.valid || a.invalid.join() !== b.invalid.join() || a.bodies.length !== b.bodies.length) {
  throw new Error(`the two rule sets disagree: zcrm-guard ${a.valid} valid, invalid ${a.invalid}; peer ${b.valid} valid, invalid ${b.invalid}`);
}
console.log(`validate: ${N} Leads as objects, ${FIELDS.fields.length} fields, ${a.invalid.length} invalid (the same for both), ${a.bodies.length} bodies`);
console.log(`validate: body sizes: zcrm-guard ${a.bodies.reduce((n, x) => n + x.length, 0)} chars, peer ${b.bodies.reduce((n, x) => n + x.length, 0)} chars`);

const results = interleave(
  [
    { name: 'validateAndPlan', run: () => read(ours(records)) },
    { name: 'ajv + Map + chunks + JSON.stringify', run: () => read(peer(records)) },
  ],
  { rounds: ROUNDS, sampleMs: pick(200, 5), warmupMs: pick(600, 20) },
);
printContenders(`validate: per run of ${N} records, ${ROUNDS} rounds`, results);
console.log();
reportRatio('validate-plan', results.validateAndPlan, results['ajv + Map + chunks + JSON.stringify']);
finish('validate: row 5 (median (p25–p75) per run)');
