// The decision hook `onDecision(decision, inputs)`: it may veto a retry (reason
// `vetoed`), or change a wait within limits (never below a Retry-After, never past
// what a timer holds). A hook that throws leaves the Guard's decision as it was.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { withSim, zg, tally, validLeads } from './support.mjs';

const e429 = (s) => ({ status: 429, headers: { 'content-type': 'application/json', 'retry-after': String(s) }, body: '{"code":"TOO_MANY_REQUESTS","details":{},"message":"too many","status":"error"}' });

test('hook: a veto ends the records with reason vetoed after one attempt; the hook sees the decision and its inputs', async () => {
  const seen = [];
  const onDecision = (decision, inputs) => {
    seen.push({ action: decision.action, reason: decision.reason, kind: inputs.operation.kind, status: inputs.status, records: inputs.records });
    return decision.action === 'retry' ? false : undefined;
  };
  await withSim({ faults: { internalError: 1 } }, { options: { onDecision } }, async ({ server, client }) => {
    const { results } = await client.upsert('Leads', validLeads(10, 'veto'), { validate: false });
    assert.deepEqual(tally(results), { 'false INTERNAL_ERROR vetoed': 10 });
    for (const r of results) assert.equal(r.attempts, 1);
    assert.equal(server.sim.stats().calls, 1);
    assert.deepEqual(seen, [{ action: 'retry', reason: 'server_error', kind: 'upsert', status: 500, records: 10 }]);
  });
});

test('hook: a wait may be lengthened or shortened, but never below the Retry-After Zoho gave', async () => {
  const real = zg.fetchTransport();
  let n = 0;
  // Call 1: 429 with Retry-After 1 s; call 2: a 502; then the simulator.
  const transport = async (req) => {
    n++;
    if (n === 1) return e429(1);
    if (n === 2) return { status: 502, headers: { 'content-type': 'text/html' }, body: '<html>502</html>' };
    return real(req);
  };
  const asked = [];
  const onDecision = (decision) => {
    if (decision.action !== 'retry') return undefined;
    asked.push(decision.inputs.delayBasis);
    return { delayMs: decision.inputs.delayBasis === 'retry_after' ? 0 : 1_234 };
  };
  await withSim({}, { options: { transport, onDecision } }, async ({ client, events }) => {
    const { results } = await client.upsert('Leads', validLeads(3, 'wait'), { validate: false });
    assert.equal(results.filter((r) => r.ok).length, 3);
    const delays = events.filter((e) => e.type === 'decision' && e.action === 'retry').map((e) => e.delayMs);
    assert.deepEqual(asked, ['retry_after', 'transient']);
    assert.ok(delays[0] >= 1_000, `Retry-After kept as a floor: ${delays[0]}`);
    assert.equal(delays[1], 1_234, 'a transient wait is the hook\'s');
  });
});

test('hook: a wait is never longer than a timer holds; a hook that throws changes nothing', async () => {
  await withSim({ faults: { internalError: 1 } }, { options: { onDecision: () => ({ delayMs: 1e20 }) } }, async ({ client, events }) => {
    const { results, stats } = await client.upsert('Leads', validLeads(2, 'big'), { validate: false, deadlineMs: 300 });
    const delays = events.filter((e) => e.type === 'decision').map((e) => e.delayMs);
    assert.deepEqual(delays, [2_147_483_647], 'clamped to what setTimeout holds');
    assert.equal(stats.stoppedBy, 'deadline', 'and the deadline still ends the job');
    // A 5xx may follow a commit: the upsert may have been applied, and the job ended before resending it.
    assert.deepEqual(tally(results), { 'false AMBIGUOUS_WRITE deadline': 2 });
  });
  await withSim({ faults: { internalError: 1 } }, { options: { onDecision: () => { throw new Error('bug in hook'); } } }, async ({ client, events }) => {
    const { results } = await client.upsert('Leads', validLeads(2, 'throw'), { validate: false, maxAttempts: 2 });
    assert.deepEqual(tally(results), { 'false INTERNAL_ERROR attempts_exhausted': 2 });
    assert.ok(events.some((e) => e.type === 'hook_error'));
  });
  await assert.rejects(withSim({}, { options: { onDecision: 5 } }, async () => {}), (e) => e.code === 'INVALID_ARGUMENT');
});
