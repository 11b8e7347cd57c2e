// A write job in its own process, saving its state as it goes so that another
// process can resume it after this one is killed (issue 9, "a process killed
// mid-job"). argv: <simulator url> <state dir> <records> <start|resume>
// The saved state: <dir>/results.jsonl, one line per settled record (the client's
// `result` events, appended as they come), and <dir>/guard.json, the Guard's
// toJSON() after every finished batch (written to a temporary file, then renamed).
import { appendFileSync, existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as zg from '../../pkg/node.js';
import { makeLeads } from '@zcrm-guard/zoho-sim/fixtures';
import { clientFor } from '@zcrm-guard/zoho-sim/testing';

const [url, dir, count, mode] = process.argv.slice(2);
const leads = makeLeads(Number(count), { prefix: 'kill-' });
const resultsFile = join(dir, 'results.jsonl');
const guardFile = join(dir, 'guard.json');

let guard;
let resume;
if (mode === 'resume') {
  guard = existsSync(guardFile) ? zg.Guard.fromJSON(JSON.parse(readFileSync(guardFile, 'utf8'))) : undefined;
  resume = new Array(leads.length).fill(null);
  const text = existsSync(resultsFile) ? readFileSync(resultsFile, 'utf8') : '';
  for (const line of text.split('\n')) {
    if (!line) continue;
    try {
      const { index, result } = JSON.parse(line);
      resume[index] = result;
    } catch {
      // The last line may be cut short by the kill: that record counts as unknown.
    }
  }
}

const saveGuard = () => {
  writeFileSync(`${guardFile}.tmp`, JSON.stringify(client.guard.toJSON()));
  renameSync(`${guardFile}.tmp`, guardFile);
};
const { client } = clientFor({ url }, zg, {
  options: {
    guard,
    timeoutMs: 1_000,
    onEvent: (e) => {
      if (e.type === 'result') appendFileSync(resultsFile, `${JSON.stringify({ index: e.index, result: e.result })}\n`);
      else if (e.type === 'progress') saveGuard();
    },
  },
});
const { results, stats } = await client.insert('Leads', leads, resume ? { resume } : {});
process.send?.({ results, stats });
