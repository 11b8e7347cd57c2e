// The rows of issue 15's table ("Cheaper than the JavaScript a user would write"),
// each with its peer and goal. Every bench file reports its rows by id; the summary
// prints them in this order and fails when one is missing.
//
// `check(r)` says whether a reported row meets its goal: `r.ratio` is project ÷ peer,
// `r.project` the project's figure in the row's unit (KiB, MiB, µs, ms).

const ratioAtMost = (max) => ({ goal: `≤ ${max}`, check: (r) => r.ratio <= max });
const atMost = (max, unit) => ({ goal: `≤ ${max} ${unit}`, check: (r) => r.project <= max });

export const ROWS = [
  {
    id: 'classify-vs-parse',
    file: 'classify',
    workload: 'classify a 100-record 207, every record’s ok, code, id and details read',
    peer: '`JSON.parse` of the body, the same fields read',
    ...ratioAtMost(1.3),
  },
  {
    id: 'classify-vs-js',
    file: 'classify',
    workload: 'classify a 100-record 207 (same)',
    peer: 'the ~40-line JS classifier (bench/peers/classifier.mjs)',
    ...ratioAtMost(1.2),
  },
  {
    id: 'classify-201-vs-js',
    file: 'classify',
    workload: 'classify a 1-record 201',
    peer: 'the same JS classifier',
    ...ratioAtMost(2.0),
  },
  {
    id: 'guard-pair',
    file: 'guard',
    workload: 'Guard admit + settle of the 100-record 207, default config, the decision’s records read',
    peer: 'classify + records (row 1’s project figure)',
    ...ratioAtMost(1.5),
  },
  {
    id: 'validate-plan',
    file: 'validate',
    workload: 'validateAndPlan, 10,000 Leads as objects, 30 fields, 2% invalid, text bodies of 100',
    peer: 'ajv + ajv-formats compiled schema, a Map for the unique Email, chunks of 100, `JSON.stringify`',
    ...ratioAtMost(1.0),
  },
  {
    id: 'graphql-analyze',
    file: 'graphql',
    workload: 'analyzeGraphql of a 150-line query with fragments and variables',
    peer: 'graphql-js `parse` + a depth visitor',
    ...ratioAtMost(1.0),
  },
  {
    id: 'wasm-size',
    file: 'size',
    workload: 'the wasm, gzip -9',
    peer: 'ajv + graphql + cockatiel + bottleneck bundled by esbuild, minified, gzip -9',
    ...atMost(150, 'KiB'),
  },
  {
    id: 'guard-memory',
    file: 'memory',
    workload: 'wasm memory held by one Guard after 5,000 settled 100-record replies, default config',
    peer: '—',
    goal: '≤ 16 MiB, flat',
    check: (r) => r.project <= 16 && r.flat === true,
  },
  {
    id: 'client-cpu',
    file: 'client',
    workload: 'client CPU per record above bare `fetch` (100-record inserts against the simulator)',
    peer: '—',
    ...atMost(10, 'µs'),
  },
  {
    id: 'first-classify',
    file: 'startup',
    workload: 'first classify after instantiation (fresh process per sample)',
    peer: '—',
    ...atMost(2, 'ms'),
  },
  {
    id: 'first-guard',
    file: 'startup',
    workload: 'first Guard round after instantiation (fresh process per sample)',
    peer: '—',
    ...atMost(2, 'ms'),
  },
];

export const rowById = (id) => {
  const row = ROWS.find((r) => r.id === id);
  if (!row) throw new Error(`no row ${id} in bench/lib/rows.mjs`);
  return row;
};
