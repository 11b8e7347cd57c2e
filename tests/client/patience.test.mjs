// Patience measured in time, not in attempts: in a job no transient outcome ends a
// record; the job's deadline, the caller's signal, the credits and an explicit
// `maxAttempts` (per record) do, each with its own reason. A Retry-After above the
// ceiling ends the records it concerns; a truncated reply to an idempotent call is sent again.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { withSim, zg, tally, validLeads } from './support.mjs';

const html502 = () => ({ status: 502, headers: { 'content-type': 'text/html' }, body: '<html>502 Bad Gateway</html>' });

/** Leads that exist before the job, with ids, for update jobs. */
function seeded(n) {
  return Array.from({ length: n }, (_, i) => ({ id: String(5725767000700000000n + BigInt(i)), Last_Name: `Seed ${i}`, Email: `seed${i}@example.com` }));
}

test('patience: attempts are counted per record; maxAttempts caps each record, not the batch lineage', async () => {
  const seeds = seeded(10);
  // The first call fails with a 502 (all ten records: attempt 1); record 3 stays locked, so
  // it fails again and again while the other nine succeed on their second attempt.
  let calls = 0;
  const real = zg.fetchTransport();
  const transport = async (req) => (req.method === 'PUT' && calls++ === 0 ? html502() : real(req));
  await withSim({ seedRecords: { Leads: seeds }, lockMs: 3_600_000 }, { options: { transport } }, async ({ server, client }) => {
    server.sim.lockRecord(seeds[3].id, 3_600_000);
    const updates = seeds.map((s) => ({ id: s.id, Company: 'New Co' }));
    const { results } = await client.update('Leads', updates, { validate: false, maxAttempts: 4 });
    results.forEach((r, i) => {
      if (i === 3) assert.deepEqual([r.ok, r.code, r.reason, r.attempts], [false, 'RECORD_LOCKED', 'attempts_exhausted', 4]);
      else assert.deepEqual([r.ok, r.reason, r.attempts], [true, 'records_retryable', 2], `record ${i}: ${r.code} ${r.reason}`);
    });
    assert.equal(calls, 4, 'the locked record alone was sent on attempts 3 and 4');
  });
  await assert.rejects(
    withSim({}, {}, ({ client }) => client.insert('Leads', validLeads(1), { maxAttempts: 0 })),
    (e) => e.code === 'INVALID_ARGUMENT' && /maxAttempts/.test(e.message),
  );
});

test('patience: a locked record backs off by its own locks, not by the calls its batch made', async () => {
  // Regression (issue 14 soak): the backoff of a RECORD_LOCKED resend grew with its
  // lineage (every 5xx, 429 and merged resend before it), so records locked once waited
  // 8 to 20 s. Three 502s, then record 3 locked: its first lock waits at most 1 s.
  const seeds = seeded(10);
  let puts = 0;
  const real = zg.fetchTransport();
  const transport = async (req) => (req.method === 'PUT' && puts++ < 3 ? html502() : real(req));
  let sim = null;
  const seen = [];
  const onDecision = (d, inputs) => {
    if (d.action !== 'retry_records') return;
    seen.push({ lineage: inputs.attempt, ceilingMs: inputs.ceilingMs, recordAttempts: inputs.recordAttempts });
    sim.locks.clear();
  };
  await withSim({ seedRecords: { Leads: seeds } }, { options: { transport, onDecision } }, async ({ server, client }) => {
    sim = server.sim;
    sim.lockRecord(seeds[3].id, 3_600_000);
    const { results } = await client.update('Leads', seeds.map((x) => ({ id: x.id, Company: 'New Co' })), { validate: false });
    assert.equal(results.filter((r) => r.ok).length, 10, JSON.stringify(tally(results)));
  });
  assert.equal(seen.length, 1, JSON.stringify(seen));
  assert.equal(seen[0].lineage, 4, 'the fourth call of the batch');
  assert.equal(seen[0].ceilingMs, 1_000, 'the first lock of record 3: recordBaseDelayMs');
});

test('patience: a record locked for a while is waited for, never given up (no maxAttempts)', async () => {
  const seeds = seeded(5);
  await withSim({ seedRecords: { Leads: seeds } }, {}, async ({ server, client }) => {
    server.sim.lockRecord(seeds[2].id, 2_500);
    const { results } = await client.update('Leads', seeds.map((s) => ({ id: s.id, Company: 'Later' })), { validate: false });
    assert.equal(results.filter((r) => r.ok).length, 5, JSON.stringify(tally(results)));
    assert.ok(results[2].attempts >= 2, `locked record sent ${results[2].attempts} times`);
  });
});

test('patience: a job ends at its deadline; every unfinished record says deadline', async () => {
  // Every call is refused with 429 (Retry-After 1 s): nothing can be written.
  await withSim({ faults: { tooManyRequests: 1 } }, {}, async ({ client }) => {
    const leads = validLeads(300, 'dl');
    const { results, stats } = await client.upsert('Leads', leads, { validate: false, deadlineMs: 1_500 });
    assert.equal(stats.stoppedBy, 'deadline');
    assert.ok(stats.durationMs >= 1_500, `ended after its deadline (${stats.durationMs} ms)`);
    for (const r of results) assert.equal(r.reason, 'deadline', `${r.code} ${r.reason}`);
    assert.ok(results.some((r) => r.code === 'TOO_MANY_REQUESTS' && r.attempts >= 1), 'tried ones keep their last answer');
    assert.equal(stats.pending, 300, 'a resume would send every one again');
  });
});

test('patience: an insert still unknown at the deadline is AMBIGUOUS_WRITE (deadline); resume settles it', async () => {
  let lose = true;
  const real = zg.fetchTransport();
  // While `lose`: every insert commits and its reply is lost; every lookup fails with a 503.
  const transport = async (req) => {
    if (!lose) return real(req);
    if (req.method === 'POST' && /\/Leads$/.test(req.url)) {
      await real(req);
      return { status: 0, headers: {}, body: '', error: { name: 'TypeError', message: 'socket hang up' } };
    }
    return { status: 503, headers: { 'content-type': 'text/html' }, body: '<html>503</html>' };
  };
  await withSim({}, { options: { transport } }, async ({ server, client }) => {
    const leads = validLeads(20, 'amb');
    const one = await client.insert('Leads', leads, { validate: false, deadlineMs: 1_000 });
    assert.deepEqual(tally(one.results), { 'false AMBIGUOUS_WRITE deadline': 20 });
    assert.equal(one.stats.stoppedBy, 'deadline');
    lose = false;
    const two = await client.insert('Leads', leads, { validate: false, resume: one });
    assert.deepEqual(tally(two.results), { 'true SUCCESS verified_on_resume': 20 });
    for (const l of leads) assert.equal(server.sim.createdCount('Leads', l.Email), 1);
  });
});

test('patience: a 30-day Retry-After ends the records it concerns (retry_after_too_long) instead of sleeping', async () => {
  const real = zg.fetchTransport();
  let first = true;
  const transport = async (req) => {
    if (first && req.method === 'POST') {
      first = false;
      return { status: 429, headers: { 'content-type': 'application/json', 'retry-after': '2592000' }, body: '{"code":"TOO_MANY_REQUESTS","details":{},"message":"too many","status":"error"}' };
    }
    return real(req);
  };
  await withSim({}, { options: { transport } }, async ({ client }) => {
    const { results, stats } = await client.upsert('Leads', validLeads(5, 'ra'), { validate: false, batchSize: 5 });
    assert.deepEqual(tally(results), { 'false TOO_MANY_REQUESTS retry_after_too_long': 5 });
    assert.ok(stats.durationMs < 60_000, 'no 30-day sleep');
    assert.equal(stats.pending, 5, 'a resume sends them again');
  });
});

test('patience: a truncated reply to an upsert is sent again (idempotent), not given up', async () => {
  const real = zg.fetchTransport();
  let first = true;
  const transport = async (req) => {
    const res = await real(req);
    if (first && /upsert/.test(req.url)) {
      first = false;
      return { ...res, body: res.body.slice(0, Math.floor(res.body.length / 2)) };
    }
    return res;
  };
  await withSim({}, { options: { transport } }, async ({ server, client }) => {
    const leads = validLeads(8, 'trunc');
    const { results } = await client.upsert('Leads', leads, { validate: false });
    assert.equal(results.filter((r) => r.ok).length, 8, JSON.stringify(tally(results)));
    for (const r of results) assert.equal(r.attempts, 2);
    for (const l of leads) assert.equal(server.sim.createdCount('Leads', l.Email), 1);
  });
});

test('patience: an aborted job says aborted; a job that completed says null even if its signal aborts later', async () => {
  await withSim({ latencyMs: 30, edition: 'free' }, { edition: 'free' }, async ({ client }) => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 80);
    const { results, stats } = await client.insert('Leads', validLeads(2_000, 'ab'), { signal: controller.signal, validate: false });
    assert.equal(stats.stoppedBy, 'aborted');
    assert.ok(results.some((r) => r.code === 'NOT_SENT' && r.reason === 'aborted'));
    const done = new AbortController();
    const ok = await client.insert('Leads', validLeads(3, 'ab2'), { signal: done.signal, validate: false });
    done.abort();
    assert.equal(ok.stats.stoppedBy, null);
  });
});
