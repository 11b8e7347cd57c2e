// zcrm-guard/redis: 3 and 6 processes, each with its own client and redisGuard, insert
// into one simulator org through one real redis-server (started here on a free port).
// The simulator counts what the org saw: calls in flight, 429s, records created per key.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startSimulatorProcess } from '@zcrm-guard/zoho-sim/process';
import { startRedis, startJob, figures, printFigures, keysOf, EDITION, LIMIT } from './support.mjs';

const LATENCY_MS = 800;
let redis;
before(async () => {
  redis = await startRedis();
});
after(async () => {
  await redis?.kill();
});

/** Runs `processes` jobs of `records` each against a fresh simulator org; returns everything measured. */
async function run(org, processes, records) {
  const sim = await startSimulatorProcess({ seed: 17, edition: EDITION, licenses: 10, latencyMs: LATENCY_MS });
  try {
    const jobs = Array.from({ length: processes }, (_, i) =>
      startJob({ redisUrl: redis.url, simUrl: sim.url, org, edition: EDITION, records, tag: `${org}-p${i}`, leaseMs: 10_000, processes, rejoinMs: 1_000 }),
    );
    const reports = await Promise.all(jobs.map((j) => j.done));
    const stats = await sim.stats();
    return { jobs, reports, stats, f: figures({ stats, jobs, reports, latencyMs: LATENCY_MS }) };
  } finally {
    await sim.close();
  }
}

function assertShared({ reports, stats, f }, org, processes, records) {
  // In flight never above the edition's limit, as the simulator counted it.
  assert.ok(f.peak <= LIMIT, `peak in flight ${f.peak} > ${LIMIT}`);
  assert.ok(f.peak >= LIMIT - 1, `the processes used the limit (peak ${f.peak})`);
  // Under 1% of calls refused.
  assert.ok(f.refusedPct < 1, `refused ${f.refusedPct}%`);
  // Every record exactly once: each job's results, and the org's creations per key.
  for (const r of reports) assert.deepEqual(r.byOutcome, { SUCCESS: records }, `job ${r.tag}`);
  assert.equal(stats.created.Leads, processes * records);
  assert.equal(stats.duplicatesCreated, 0);
  for (let p = 0; p < processes; p++) {
    for (const i of [0, records - 1]) assert.equal(stats.createdByKey.Leads[`${org}-p${p}-${i}@example.com`], 1);
  }
  // At least 90% of the bound: the limit was kept busy.
  assert.ok(f.vsBound >= 0.9, `throughput ${(100 * f.vsBound).toFixed(1)}% of the bound`);
}

async function assertLedger(org, stats) {
  const k = await keysOf(redis, org);
  // Every key of the org is under its prefix; nothing is left held once the jobs closed.
  assert.ok(k.org.length > 0 && k.all.filter((key) => key.includes(`:${org}:`)).every((key) => key.startsWith(`zcrm-guard:${org}:`)));
  assert.deepEqual(k.slots, [], 'every slot went back');
  // The credit ledger counted what the org spent.
  assert.equal(k.used, stats.creditsSpent);
}

test('redis: 3 processes share one org: never above the limit, nothing refused, every record once, >= 90% of the bound', { timeout: 90_000 }, async () => {
  const r = await run('three', 3, 290);
  printFigures('3 processes', r.f);
  assertShared(r, 'three', 3, 290);
  await assertLedger('three', r.stats);
});

test('redis: 6 processes share one org: never above the limit, nothing refused, every record once, >= 90% of the bound', { timeout: 90_000 }, async () => {
  const r = await run('six', 6, 140);
  printFigures('6 processes', r.f);
  assertShared(r, 'six', 6, 140);
  await assertLedger('six', r.stats);
});
