// Issue 15, row 10: the first classify and the first Guard round after the package is
// instantiated, each in a fresh Node process per sample (bench/lib/first-call.mjs),
// timed from the import done (wasm compiled and instantiated) to the first call done and
// its result read. The children of both kinds alternate, so a load change hits both.
// Run by `make bench` (scripts/bench.sh) after `make build`; needs ../pkg.
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { brief, pick, sink, summarize } from './lib/harness.mjs';
import { finish, report } from './lib/report.mjs';

const SAMPLES = pick(15, 2);
const child = fileURLToPath(new URL('./lib/first-call.mjs', import.meta.url));
const ms = (x) => `${x.toFixed(2)} ms`;

const runs = { classify: [], guard: [] };
for (let i = 0; i < SAMPLES; i++) {
  for (const what of i % 2 ? ['guard', 'classify'] : ['classify', 'guard']) {
    const out = JSON.parse(execFileSync(process.execPath, [child, what], { encoding: 'utf8' }));
    sink(out.read);
    runs[what].push(out);
  }
}

const imports = summarize([...runs.classify, ...runs.guard].map((r) => r.importMs));
console.log(`startup: ${SAMPLES} fresh processes per workload; import of pkg/node.js (wasm compiled and instantiated): ${brief(imports, ms)}`);
for (const [what, id] of [['classify', 'first-classify'], ['guard', 'first-guard']]) {
  const s = summarize(runs[what].map((r) => r.firstMs));
  const cpu = summarize(runs[what].map((r) => r.cpuMs));
  console.log(`startup: first ${what}: ${brief(s, ms)}, min–max ${ms(s.min)}–${ms(s.max)}; CPU time meanwhile (every thread) ${brief(cpu, ms)}`);
  report(id, { projectText: `${brief(s, ms)} (min–max ${ms(s.min)}–${ms(s.max)})`, project: s.median });
}
finish('startup: row 10 (median (p25–p75) of fresh processes)');
