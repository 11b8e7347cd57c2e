// zcrm-guard/redis when things die: a job process killed with SIGKILL mid-job (its slots
// come back when their lease ends), and redis-server killed and restarted mid-job with
// its data lost (the jobs go on within a local share, rejoin, lose nothing, and the org
// never sees more calls in flight than its limit).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startSimulatorProcess } from '@zcrm-guard/zoho-sim/process';
import { ACQUIRE } from '../../pkg/lib/redis/scripts.js';
import { startRedis, startJob, figures, printFigures, keysOf, EDITION, LIMIT } from './support.mjs';

const LATENCY_MS = 400;
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const redisMs = ([s, us]) => Number(s) * 1000 + Math.floor(Number(us) / 1000);
let redis;
before(async () => {
  redis = await startRedis();
});
after(async () => {
  await redis?.kill();
});

/** Asks Redis for `want` slots of `org` as a new process would (ACQUIRE, as the guard sends it). */
async function probe(org, want) {
  const c = redis.client();
  try {
    const k = (n) => `zcrm-guard:${org}:${n}`;
    const [granted] = await c.eval(ACQUIRE, 6, k('slots'), k('slots'), k('credits'), k('credits:used'), k('limits'), k('waiting'),
      'probe', 0, want, 1, 0, 0, LIMIT, LIMIT, 1_000_000, 86_400_000, 1_000, 100, 'concurrency', k('freed'));
    return granted;
  } finally {
    c.disconnect();
  }
}

test('redis: a job process killed with SIGKILL mid-job: its slots come back within the lease; the others finish', { timeout: 90_000 }, async () => {
  const org = 'kill';
  const leaseMs = 3_000;
  const sim = await startSimulatorProcess({ seed: 5, edition: EDITION, licenses: 10, latencyMs: LATENCY_MS });
  try {
    const job = (i) => startJob({ redisUrl: redis.url, simUrl: sim.url, org, edition: EDITION, records: 300, tag: `${org}-p${i}`, leaseMs, processes: 3, rejoinMs: 1_000 });
    const victim = job(0);
    const survivors = [job(1), job(2)];
    const { owner } = await victim.until((m) => m.type === 'started');
    await victim.until((m) => m.type === 'reply' && m.n >= 5);
    victim.child.kill('SIGKILL');
    assert.deepEqual(await victim.done, { type: 'killed', signal: 'SIGKILL' });
    const atKill = await keysOf(redis, org);
    const killedAt = redisMs(atKill.time);
    const held = [];
    for (let i = 0; i < atKill.slots.length; i += 2) if (atKill.slots[i].startsWith(`${owner}#`)) held.push(Number(atKill.slots[i + 1]));
    assert.ok(held.length > 0, 'the killed process held slots when it died');
    // Each lease ends at most `leaseMs` after the kill (it was last renewed before it).
    const backAt = Math.max(...held);
    assert.ok(backAt <= killedAt + leaseMs, `lease ends ${backAt - killedAt} ms after the kill`);

    const reports = await Promise.all(survivors.map((j) => j.done));
    for (const r of reports) assert.deepEqual(r.byOutcome, { SUCCESS: 300 }, r.tag);
    const stats = await sim.stats();
    assert.ok(stats.maxInFlight <= LIMIT, `peak ${stats.maxInFlight}`);
    assert.equal(stats.duplicatesCreated, 0);

    // Once the leases ended, a new process gets the whole limit: the dead process's slots came back.
    for (;;) {
      const now = redisMs((await keysOf(redis, org)).time);
      if (now > backAt) break;
      await sleep(Math.min(200, backAt - now + 1));
    }
    assert.equal(await probe(org, LIMIT), LIMIT);
    const refused = stats.tooManyRequests.concurrency + stats.tooManyRequests.complex + stats.tooManyRequests.credits;
    console.log(`redis figures (SIGKILL of 1 of 3 processes): it held ${held.length} slots; they came back ${backAt - killedAt} ms after the kill (lease ${leaseMs} ms); ` +
      `the 2 others finished 600 records; peak in flight ${stats.maxInFlight}/${LIMIT}; refused ${((100 * refused) / stats.calls).toFixed(2)}%`);
  } finally {
    await sim.close();
  }
});

test('redis: redis-server killed and restarted (data lost) mid-job: nothing lost, no limit exceeded, the jobs rejoin', { timeout: 90_000 }, async () => {
  const org = 'restart';
  const processes = 3;
  const records = 400;
  const sim = await startSimulatorProcess({ seed: 9, edition: EDITION, licenses: 10, latencyMs: LATENCY_MS });
  try {
    const jobs = Array.from({ length: processes }, (_, i) =>
      startJob({ redisUrl: redis.url, simUrl: sim.url, org, edition: EDITION, records, tag: `${org}-p${i}`, leaseMs: 10_000, processes, rejoinMs: 1_000 }),
    );
    await Promise.all(jobs.map((j) => j.until((m) => m.type === 'reply' && m.n >= 3)));
    await redis.kill();
    await sleep(800);
    await redis.start();
    const restartedAt = Date.now();
    const reports = await Promise.all(jobs.map((j) => j.done));
    const stats = await sim.stats();
    const f = figures({ stats, jobs, reports, latencyMs: LATENCY_MS });
    printFigures('3 processes, Redis restarted mid-job', f);
    // Nothing lost, nothing twice.
    for (const r of reports) assert.deepEqual(r.byOutcome, { SUCCESS: records }, r.tag);
    assert.equal(stats.created.Leads, processes * records);
    assert.equal(stats.duplicatesCreated, 0);
    // No limit exceeded, before, during and after the outage.
    assert.ok(f.peak <= LIMIT, `peak ${f.peak}`);
    assert.ok(f.refusedPct < 1, `refused ${f.refusedPct}%`);
    // Each job noticed the outage and went on within its share; those still running rejoined.
    for (const [i, j] of jobs.entries()) {
      assert.ok(j.messages.some((m) => m.type === 'reply' && m.mode === 'fallback'), `job ${i} sent during the outage`);
      if (reports[i].end > restartedAt + 500) assert.ok(reports[i].status.stats.rejoins >= 1, `job ${i} rejoined`);
    }
    assert.ok(reports.some((r) => r.status.stats.rejoins >= 1 && r.status.mode === 'shared'), 'a job rejoined and finished shared');
    assert.deepEqual((await keysOf(redis, org)).slots, [], 'every slot went back to the new Redis');
  } finally {
    await sim.close();
  }
});
