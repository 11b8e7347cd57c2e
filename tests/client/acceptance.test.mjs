// The client against the Zoho CRM simulator, over real HTTP on 127.0.0.1: the
// acceptance run of issue 7 (5,000 Leads at edition standard with 10% injected
// faults and 2% invalid records) and paging of reads. The behaviours it is built
// from have their suites: patience, verify, token, hook, reads.
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
