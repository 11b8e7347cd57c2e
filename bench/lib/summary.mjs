// The final table of `make bench`: every row of issue 15 that the bench files reported
// (JSON lines in the file given as argument), in the order. Exits 1 when a row
// is missing or has no figure: the smoke step of `make test` checks only that.
import { readFileSync } from 'node:fs';
import { QUICK } from './harness.mjs';
import { ROWS } from './rows.mjs';
import { TABLE_HEAD, tableLine } from './report.mjs';

const lines = readFileSync(process.argv[2], 'utf8').split('\n').filter(Boolean);
const byId = new Map(lines.map((l) => JSON.parse(l)).map((r) => [r.id, r]));

console.log(`\n== summary: issue 15, project against the JavaScript a user would write${QUICK ? ' (smoke mode: figures are not measurements)' : ''}\n`);
console.log(TABLE_HEAD);
const missing = [];
for (const def of ROWS) {
  const row = byId.get(def.id);
  const figure = row?.ratio ?? row?.project;
  if (!row || typeof figure !== 'number' || !Number.isFinite(figure)) {
    missing.push(def.id);
    console.log(`| ${def.workload} | MISSING | ${def.peer} | — | ${def.goal} | — |`);
    continue;
  }
  console.log(tableLine(row));
}
const met = ROWS.filter((d) => byId.get(d.id)?.met).length;
console.log(`\n${met} of ${ROWS.length} goals met`);
if (missing.length) {
  console.error(`bench: rows missing or without a figure: ${missing.join(', ')}`);
  process.exit(1);
}
