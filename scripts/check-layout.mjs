// The layout rules of the repository (issue 13), checked on the tracked files:
//   - no source file (.rs .js .mjs .ts) over 600 lines (generated files under types/generated excepted
//     only if they say so in their first line);
//   - nothing outside tests/ imports from tests/;
//   - the fuzz corpus stays out of git: at most 200 seed files are tracked.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

const files = execFileSync('git', ['ls-files'], { encoding: 'utf8' }).trim().split('\n');
const problems = [];
for (const f of files.filter((f) => /\.(rs|js|mjs|ts)$/.test(f))) {
  let text;
  try {
    text = readFileSync(f, 'utf8');
  } catch {
    continue; // deleted in the work tree
  }
  const lines = text.split('\n').length - (text.endsWith('\n') ? 1 : 0);
  if (lines > 600) problems.push(`${f}: ${lines} lines (at most 600)`);
  if (!f.startsWith('tests/') && /\.(js|mjs|ts)$/.test(f) && /from\s+['"][./]*\/?tests\//.test(text)) problems.push(`${f}: imports from tests/`);
}
const seeds = files.filter((f) => f.startsWith('fuzz/seeds/') || f.startsWith('fuzz/corpus/'));
if (seeds.length > 200) problems.push(`fuzz: ${seeds.length} corpus files tracked (at most 200 seeds)`);
if (problems.length) {
  console.error(problems.join('\n'));
  process.exit(1);
}
console.log(`layout: ${files.length} tracked files; none over 600 lines, no import from tests/ outside tests/, ${seeds.length} fuzz seeds`);
