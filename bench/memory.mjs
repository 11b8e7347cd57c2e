// Issue 15, row 8: the wasm memory held by one Guard, default configuration (decision
// log on), after 1,000 / 2,000 / 5,000 settled 100-record replies, and after free().
// Fresh process (scripts/bench.sh runs each file in its own), so nothing else has
// grown the memory; the time per pair of each stretch is printed too, as the log fills.
// Goal: ≤ 16 MiB and flat (growth from 1,000 to 5,000 settles at most 1 MiB: a few
// 64 KiB pages of slack, no growth with the count).
// Run by `make bench` (scripts/bench.sh) after `make build`; needs ../pkg.
import { brief, pick, sink, summarize } from './lib/harness.mjs';
import { importWithMemory, mib } from './lib/wasm-memory.mjs';
import { DEFAULT_GUARD_CONFIG, guardPair, insertClock } from './lib/workloads.mjs';
import { finish, report } from './lib/report.mjs';

const { api, memory } = await importWithMemory(new URL('../pkg/node.js', import.meta.url).href);
const SCALE = pick(1, 10); // smoke mode: a tenth of the settles
const MARKS = [1000, 2000, 5000].map((n) => n / SCALE);
const FLAT_SLACK = 2 ** 20;

const before = memory.buffer.byteLength;
const guard = new api.Guard(DEFAULT_GUARD_CONFIG);
const clock = insertClock();
const held = [];
let done = 0;
for (const mark of MARKS) {
  const times = [];
  for (; done < mark; done++) {
    const t0 = process.hrtime.bigint();
    sink(guardPair(guard, clock));
    times.push(Number(process.hrtime.bigint() - t0));
  }
  held.push(memory.buffer.byteLength);
  console.log(`memory: after ${mark} settles: ${mib(memory.buffer.byteLength)} of wasm memory; this stretch ${brief(summarize(times))} per pair`);
}
guard.free();
const freed = memory.buffer.byteLength;
console.log(`memory: after free(): ${mib(freed)} (wasm memory never shrinks); before the Guard: ${mib(before)}`);

const last = held[held.length - 1];
const flat = last - held[0] <= FLAT_SLACK;
report('guard-memory', {
  projectText: `${MARKS.map((m, i) => `${m}: ${mib(held[i])}`).join(', ')}; after free(): ${mib(freed)} (before the Guard: ${mib(before)})`,
  project: last / 2 ** 20,
  flat,
  ratioText: flat ? '— (flat)' : `— (grows ${mib(last - held[0])} from ${MARKS[0]} to ${MARKS[MARKS.length - 1]})`,
});
finish('memory: row 8');
