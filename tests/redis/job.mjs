// One job process of the Redis suite: its own client and redisGuard, one insert job.
// Protocol (IPC): the parent sends the job; the child sends { type: 'started' }, one
// { type: 'reply', n, status, mode } per reply, and { type: 'done', ... } before it exits.
import * as zg from '../../pkg/node.js';
import { redisGuard } from '../../pkg/redis.js';
import { clientFor } from '@zcrm-guard/zoho-sim/testing';
import { defaultFieldsMetadata } from '@zcrm-guard/zoho-sim';

process.once('message', async (job) => {
  const guard = await redisGuard({ url: job.redisUrl, org: job.org, edition: job.edition, licenses: 10, leaseMs: job.leaseMs, expectedProcesses: job.processes, rejoinMs: job.rejoinMs });
  // Known fields: the job starts with its inserts, so the figures measure the sharing alone.
  const fieldsMetadata = { Leads: { fields: defaultFieldsMetadata().Leads } };
  let replies = 0;
  let first = null;
  const onEvent = (e) => {
    if (e.type === 'send') {
      first ??= Date.now();
      process.send({ type: 'send', at: Date.now() });
    }
    if (e.type === 'reply') process.send({ type: 'reply', at: Date.now(), n: ++replies, status: e.status, ms: e.ms, mode: guard.status().mode });
  };
  const { client } = clientFor({ url: job.simUrl }, zg, { edition: job.edition, options: { guard, timeoutMs: 10_000, onEvent, fieldsMetadata } });
  const records = Array.from({ length: job.records }, (_, i) => ({ Last_Name: `${job.tag} ${i}`, Email: `${job.tag}-${i}@example.com`, Company: 'Acme' }));
  process.send({ type: 'started', owner: guard.status().owner });
  const { results, stats } = await client.insert('Leads', records, { batchSize: 10 });
  const end = Date.now();
  const byOutcome = {};
  for (const r of results) byOutcome[r.code] = (byOutcome[r.code] ?? 0) + 1;
  const status = guard.status();
  await guard.close();
  process.send({ type: 'done', tag: job.tag, first, end, records: results.length, byOutcome, calls: stats.calls, status });
  process.disconnect();
});
