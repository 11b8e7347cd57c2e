// `make bench`: 100,000 Leads records as JSON text (about 10 fields each, 2% invalid)
// -> validated, ready-to-send batch bodies as text.
//   zcrm-guard: one call, validateAndPlan(op, text, fields, { as: 'text' }).
//   peer (same process): JSON.parse, an ajv-compiled JSON Schema of the same rules
//   (plus a Set for the unique Email), chunks of 100, JSON.stringify of each body.
// Prints the ratio zcrm-guard/peer (goal <= 1.0) and the ratio to JSON.parse alone.
import Ajv from 'ajv';
import { validateAndPlan } from '../pkg/node.js';

const N = 100_000;
const ROUNDS = Number(process.env.ROUNDS ?? 9);

const SOURCES = ['Web', 'Advertisement', 'Cold Call', 'Partner', 'Trade Show'];
const RATINGS = ['Hot', 'Warm', 'Cold'];
const fields = {
  fields: [
    { api_name: 'Last_Name', data_type: 'text', json_type: 'string', length: 80, system_mandatory: true, unique: {} },
    { api_name: 'First_Name', data_type: 'text', json_type: 'string', length: 40, unique: {} },
    { api_name: 'Email', data_type: 'email', json_type: 'string', length: 100, unique: { case_sensitive: false } },
    { api_name: 'Company', data_type: 'text', json_type: 'string', length: 200, unique: {} },
    { api_name: 'Phone', data_type: 'phone', json_type: 'string', length: 30, unique: {} },
    { api_name: 'Website', data_type: 'website', json_type: 'string', length: 255, unique: {} },
    { api_name: 'Annual_Revenue', data_type: 'currency', json_type: 'double', decimal_place: 2, unique: {} },
    { api_name: 'No_of_Employees', data_type: 'integer', json_type: 'integer', length: 9, unique: {} },
    {
      api_name: 'Lead_Source', data_type: 'picklist', json_type: 'string', unique: {},
      pick_list_values: SOURCES.map((v) => ({ actual_value: v, display_value: v, type: 'used' })),
    },
    {
      api_name: 'Rating', data_type: 'picklist', json_type: 'string', unique: {},
      pick_list_values: RATINGS.map((v) => ({ actual_value: v, display_value: v, type: 'used' })),
    },
    { api_name: 'Email_Opt_Out', data_type: 'boolean', json_type: 'boolean', unique: {} },
  ],
};

function records() {
  const out = [];
  for (let i = 0; i < N; i++) {
    const r = {
      Last_Name: `Lovelace-${i}`,
      First_Name: 'Ada',
      Email: `ada.${i}@example.com`,
      Company: `Analytical Engines ${i % 997}`,
      Phone: `+44 20 7946 ${String(i % 10000).padStart(4, '0')}`,
      Website: `https://engines${i % 101}.example.org`,
      Annual_Revenue: (i % 100000) + 0.25,
      No_of_Employees: i % 5000,
      Lead_Source: SOURCES[i % SOURCES.length],
      Rating: RATINGS[i % RATINGS.length],
    };
    if (i % 50 === 7) {
      // 2% invalid, in turn: missing mandatory, bad e-mail, too long, bad picklist, bad integer.
      switch ((i / 50) % 5 | 0) {
        case 0: delete r.Last_Name; break;
        case 1: r.Email = 'not-an-email'; break;
        case 2: r.First_Name = 'x'.repeat(41); break;
        case 3: r.Rating = 'Lukewarm'; break;
        default: r.No_of_Employees = 1234567890; break;
      }
    }
    out.push(r);
  }
  return out;
}

// The same rules as a JSON Schema; ajv compiles it to JS.
const schema = {
  type: 'object',
  required: ['Last_Name'],
  properties: {
    Last_Name: { type: ['string', 'null'], maxLength: 80, pattern: '\\S' },
    First_Name: { type: ['string', 'null'], maxLength: 40 },
    Email: { type: ['string', 'null'], maxLength: 100, pattern: '^[^\\s@]+@[^\\s@]+\\.[^\\s@]+$' },
    Company: { type: ['string', 'null'], maxLength: 200 },
    Phone: { type: ['string', 'null'], maxLength: 30, pattern: '^[0-9+\\-(). /#*xXet,;]*[0-9][0-9+\\-(). /#*xXet,;]*$' },
    Website: { type: ['string', 'null'], maxLength: 255, pattern: '^(https?://)?[^\\s/?#.][^\\s/?#]*\\.[^\\s/?#]*[^\\s/?#.]([/?#]\\S*)?$' },
    Annual_Revenue: { type: ['number', 'null'], maximum: 1e16, minimum: -1e16 },
    No_of_Employees: { type: ['integer', 'null'], maximum: 999999999, minimum: -999999999 },
    Lead_Source: { enum: [...SOURCES, null] },
    Rating: { enum: [...RATINGS, null] },
    Email_Opt_Out: { type: ['boolean', 'null'] },
  },
};
const ajv = new Ajv({ allErrors: false });
const check = ajv.compile(schema);

function peer(text) {
  const recs = JSON.parse(text);
  const valid = [];
  const errors = [];
  const emails = new Map();
  for (let i = 0; i < recs.length; i++) {
    const r = recs[i];
    if (!check(r)) { errors.push(i); continue; }
    if (typeof r.Email === 'string') {
      const key = r.Email.toLowerCase();
      if (emails.has(key)) { errors.push(i); continue; }
      emails.set(key, i);
    }
    valid.push(i);
  }
  const bodies = [];
  for (let s = 0; s < valid.length; s += 100) {
    const data = [];
    for (let j = s; j < Math.min(s + 100, valid.length); j++) data.push(recs[valid[j]]);
    bodies.push(JSON.stringify({ data }));
  }
  return { valid: valid.length, errors: errors.length, bodies: bodies.length };
}

function guard(text) {
  const { validation, batches } = validateAndPlan({ kind: 'insert', module: 'Leads' }, text, fields, { as: 'text' });
  return { valid: validation.valid.length, errors: validation.errors.length, bodies: batches.length };
}

function parseOnly(text) {
  return JSON.parse(text).length;
}

// Rounds interleave the three ways, so that a load change on a shared machine hits
// all of them alike; the medians are compared.
function medians(fns, text) {
  const runs = fns.map(() => []);
  for (let i = 0; i < ROUNDS; i++) {
    fns.forEach((fn, k) => {
      globalThis.gc?.();
      const t0 = performance.now();
      fn(text);
      runs[k].push(performance.now() - t0);
    });
  }
  return runs.map((r) => r.sort((a, b) => a - b)[Math.floor(r.length / 2)]);
}

const text = JSON.stringify(records());
const g = guard(text);
const p = peer(text);
console.log(`records: ${N}, JSON text ${(text.length / 1e6).toFixed(1)} MB`);
console.log(`zcrm-guard: valid ${g.valid}, errors ${g.errors}, bodies ${g.bodies}`);
console.log(`peer:       valid ${p.valid}, errors ${p.errors}, bodies ${p.bodies}`);
if (g.valid !== p.valid || g.errors !== p.errors) {
  console.log('note: the two rule sets disagree on some records');
}
// Warm both, then take medians.
for (let i = 0; i < 2; i++) { guard(text); peer(text); parseOnly(text); }
const [tg, tp, tj] = medians([guard, peer, parseOnly], text);
console.log(`median ms: zcrm-guard ${tg.toFixed(1)}, peer ${tp.toFixed(1)}, JSON.parse alone ${tj.toFixed(1)}`);
console.log(`ratio zcrm-guard/peer: ${(tg / tp).toFixed(2)} (goal <= 1.0)`);
console.log(`ratio zcrm-guard/JSON.parse: ${(tg / tj).toFixed(2)}`);
