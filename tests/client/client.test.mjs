// The client against the Zoho CRM simulator, over real HTTP on 127.0.0.1: the
// acceptance run of issue 7 (5,000 Leads at edition standard with 10% injected
// faults and 2% invalid records), plus the behaviours it is built from.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as zg from '../../pkg/node.js';
import { startSimulatorServer } from '@zcrm-guard/zoho-sim/server';
import { makeLeads } from '@zcrm-guard/zoho-sim/fixtures';
import { clientFor } from '@zcrm-guard/zoho-sim/testing';


test('client: 5,000 Leads, standard edition, 10% faults, 2% invalid: nothing lost, nothing twice', { timeout: 240_000 }, async () => {
  const server = await startSimulatorServer({
    seed: 7,
    edition: 'standard',
    latencyMs: 5,
    slowMs: 3_000,
    faults: {
      internalError: 0.02,
      badGateway: 0.015,
      serviceUnavailable: 0.015,
      dropBefore: 0.01,
      dropAfter: 0.015,
      slow: 0.01,
      truncated: 0.015,
    },
    tokenExpiryEveryCalls: 40,
  });
  try {
    const { client, events, refreshes } = clientFor(server, zg);
    const leads = makeLeads(5_000);
    const { results, stats } = await client.insert('Leads', leads);
    const sim = server.sim.stats();

    assert.equal(results.length, leads.length, 'one result per record');
    results.forEach((r, i) => assert.equal(r.index, i, 'results in input order'));
    const invalid = leads.map((l, i) => (l.Last_Name ? -1 : i)).filter((i) => i >= 0);
    for (const i of invalid) {
      assert.equal(results[i].ok, false);
      assert.equal(results[i].code, 'MANDATORY_NOT_FOUND');
      assert.equal(results[i].attempts, 0, 'rejected before sending');
    }
    assert.equal(stats.rejectedBeforeSending, invalid.length);
    for (const [i, l] of leads.entries()) {
      if (!l.Last_Name) {
        assert.equal(server.sim.createdCount('Leads', l.Email), 0, `invalid record ${i} never reached Zoho`);
        continue;
      }
      assert.equal(results[i].ok, true, `record ${i}: ${results[i].code} ${results[i].reason}`);
      assert.equal(server.sim.createdCount('Leads', l.Email), 1, `record ${i} created exactly once`);
    }
    assert.equal(sim.duplicatesCreated, 0);
    assert.ok(sim.maxInFlight <= 10, `in flight ${sim.maxInFlight} ≤ 10`);
    assert.ok(sim.maxComplexInFlight <= 10);
    assert.equal(refreshes(), sim.tokenRefreshes, 'every refresh went to the token endpoint');
    const expiries = events.filter((e) => e.type === 'token_refresh').length;
    assert.equal(expiries, refreshes());
    assert.ok(stats.calls > 50 && stats.retries > 0, `calls ${stats.calls}, retries ${stats.retries}`);
    assert.ok(events.some((e) => e.type === 'progress' && e.done));
  } finally {
    await server.close();
  }
});

test('client: an aborted job says which records were never sent', async () => {
  const server = await startSimulatorServer({ seed: 3, edition: 'free', latencyMs: 30 });
  try {
    const controller = new AbortController();
    const { client } = clientFor(server, zg, { edition: 'free' });
    const leads = makeLeads(2_000, { invalidEvery: 1e9 });
    setTimeout(() => controller.abort(), 80);
    const { results, stats } = await client.insert('Leads', leads, { signal: controller.signal });
    assert.equal(results.length, 2_000);
    const notSent = results.filter((r) => r.code === 'NOT_SENT');
    assert.ok(notSent.length > 0 && notSent.length < 2_000, `${notSent.length} not sent`);
    assert.equal(stats.notSent, notSent.length);
    for (const [i, r] of results.entries()) {
      const created = server.sim.createdCount('Leads', leads[i].Email);
      assert.equal(created, r.ok ? 1 : 0, `record ${i}: result ${r.code} vs created ${created}`);
    }
    assert.equal(server.sim.stats().inFlight, 0, 'nothing left in flight');
  } finally {
    await server.close();
  }
});

test('client: records() pages past 2,000 with page_token; coql() pages by OFFSET', { timeout: 60_000 }, async () => {
  const server = await startSimulatorServer({ seed: 5, edition: 'enterprise', latencyMs: 1 });
  try {
    const { client } = clientFor(server, zg, { edition: 'enterprise' });
    const leads = makeLeads(2_300, { invalidEvery: 1e9 });
    const { stats } = await client.insert('Leads', leads);
    assert.equal(stats.ok, 2_300);
    const seen = new Set();
    for await (const r of client.records('Leads', { fields: ['Email', 'Last_Name'] })) seen.add(r.Email);
    assert.equal(seen.size, 2_300);
    let rows = 0;
    for await (const r of client.coql("select Email from Leads where Last_Name like 'L%'", { pageSize: 1000 })) rows += r.Email ? 1 : 0;
    assert.equal(rows, 2_300);
  } finally {
    await server.close();
  }
});

test('client: a refresh asked for while other calls wait is started at once, not starved behind them', { timeout: 60_000 }, async () => {
  // Regression: a unit waiting to refresh the token sat behind units the Guard refused
  // (token_refresh), and the job stalled until the Guard gave up waiting (30 s).
  const server = await startSimulatorServer({ seed: 7, edition: 'standard', latencyMs: 20, tokenExpiryEveryCalls: 30 });
  try {
    const { client, events, refreshes } = clientFor(server, zg);
    const { stats } = await client.insert('Leads', makeLeads(2_500, { invalidEvery: 1e9 }), { batchSize: 25 });
    assert.equal(stats.ok, 2_500);
    assert.ok(refreshes() >= 2, `${refreshes()} refreshes`);
    const waits = events.filter((e) => e.type === 'admit' && !e.ok && e.reason === 'token_refresh').length;
    assert.ok(waits < 20 * refreshes(), `${waits} admits refused while waiting for ${refreshes()} refreshes`);
  } finally {
    await server.close();
  }
});

test('client: a job may set its own attempts per batch (maxAttempts)', { timeout: 60_000 }, async () => {
  // Every write fails with 500: each batch is tried exactly as often as the job says.
  const server = await startSimulatorServer({ seed: 6, edition: 'enterprise', latencyMs: 1, faults: { internalError: 1 } });
  try {
    const leads = makeLeads(10, { invalidEvery: 1e9 });
    // A client (and Guard) per case: the breaker counts consecutive 5xx across jobs.
    const fresh = () => clientFor(server, zg, { edition: 'enterprise', options: { guardConfig: { retry: { baseDelayMs: 1 } } } }).client;
    for (const [maxAttempts, calls] of [[undefined, 3], [1, 1], [4, 4]]) {
      const before = server.sim.stats().calls;
      const { results } = await fresh().insert('Leads', leads, { batchSize: 10, validate: false, maxAttempts });
      assert.equal(server.sim.stats().calls - before, calls, `maxAttempts ${maxAttempts}: calls`);
      for (const r of results) assert.deepEqual([r.ok, r.code, r.reason, r.attempts], [false, 'INTERNAL_ERROR', 'attempts_exhausted', calls]);
    }
    await assert.rejects(fresh().insert('Leads', leads, { maxAttempts: 0 }), (e) => e.code === 'INVALID_ARGUMENT' && /maxAttempts/.test(e.message));
  } finally {
    await server.close();
  }
});
