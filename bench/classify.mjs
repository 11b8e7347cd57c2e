// classify vs JSON.parse on the same 100-record 207 body, in one Node process
// (issue 3, Speed: the goal is classify/JSON.parse <= 1.5). Run by `make bench`.
// Prints one table; each figure is the median of several timed rounds.
import { classify } from '../pkg/node.js';

const ROUNDS = 15;
const ITERATIONS = 400;

function body207(n) {
  const data = [];
  for (let i = 0; i < n; i++) {
    data.push(
      i % 2 === 0
        ? {
            code: 'SUCCESS',
            details: {
              Modified_Time: '2023-05-10T01:10:47-07:00',
              Modified_By: { name: 'Patricia Boyle', id: '5725767000000411001' },
              Created_Time: '2023-05-10T01:10:47-07:00',
              id: `57257670000005${String(i).padStart(5, '0')}`,
              Created_By: { name: 'Patricia Boyle', id: '5725767000000411001' },
              $approval_state: 'approved',
            },
            message: 'record added',
            status: 'success',
          }
        : {
            code: 'INVALID_DATA',
            details: { expected_data_type: 'double', api_name: 'Annual_Revenue', json_path: `$.data[${i}].Annual_Revenue` },
            message: 'invalid data',
            status: 'error',
          },
    );
  }
  return JSON.stringify({ data });
}

const text = body207(100);
const headers = { 'content-type': 'application/json;charset=UTF-8', 'x-api-credits-remaining': '41234' };
const operation = { kind: 'insert', module: 'Leads', recordCount: 100 };
let sink = 0;

const cases = {
  'JSON.parse(text)': () => {
    sink += JSON.parse(text).data.length;
  },
  'classify(response)': () => {
    sink += classify({ status: 207, headers, body: text }, operation).httpStatus;
  },
  'classify + records': () => {
    sink += classify({ status: 207, headers, body: text }, operation).records.length;
  },
  'classify + records + every details': () => {
    for (const r of classify({ status: 207, headers, body: text }, operation).records) sink += r.details ? 1 : 0;
  },
};

function timeOnce(fn) {
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < ITERATIONS; i++) fn();
  return Number(process.hrtime.bigint() - t0) / 1e3 / ITERATIONS; // µs per call
}

for (const fn of Object.values(cases)) for (let i = 0; i < 2000; i++) fn(); // warm-up
const samples = Object.fromEntries(Object.keys(cases).map((k) => [k, []]));
for (let round = 0; round < ROUNDS; round++) {
  for (const [name, fn] of Object.entries(cases)) samples[name].push(timeOnce(fn));
}
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const base = median(samples['JSON.parse(text)']);
console.log(`classify bench: 100-record 207 body, ${text.length} bytes, Node ${process.version}`);
console.log('| case | µs per call | ratio to JSON.parse |');
console.log('|---|---:|---:|');
for (const name of Object.keys(cases)) {
  const m = median(samples[name]);
  console.log(`| ${name} | ${m.toFixed(1)} | ${(m / base).toFixed(2)} |`);
}
console.log(`classify/JSON.parse = ${(median(samples['classify(response)']) / base).toFixed(2)} (goal <= 1.5)`);
if (sink === 0) console.log('');
