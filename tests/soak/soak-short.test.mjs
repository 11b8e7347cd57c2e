// Short versions of the fault campaigns of issue 9 (the full ones: `make soak`):
// a 2,000-Lead campaign at 30% faults, credits running out mid-job and resumed from
// the saved state, and a process killed mid-job and resumed in another process.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fork } from 'node:child_process';
import { mkdtempSync, readFileSync, existsSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as zg from '../../pkg/node.js';
import { startSimulatorServer } from '@zcrm-guard/zoho-sim/server';
import { makeLeads } from '@zcrm-guard/zoho-sim/fixtures';
import { clientFor } from '@zcrm-guard/zoho-sim/testing';
import { runCampaign, auditLeads, faultsAt } from '../../tools/soak/campaign.mjs';

const CHILD = fileURLToPath(new URL('../../tools/soak/job-child.mjs', import.meta.url));

test('soak (short): 2,000 Leads, standard, 30% faults of every kind, tokens revoked every 100 calls', { timeout: 60_000 }, async () => {
  const r = await runCampaign({ zg, edition: 'standard', records: 2_000, faultRate: 0.3, tokenExpiryEveryCalls: 100, seed: 11 });
  assert.equal(r.results.length, 2_000, 'one result per record');
  assert.equal(r.duplicates, 0, `nothing created twice: ${r.problems.join('; ')}`);
  assert.equal(r.lost, 0, `nothing lost: ${r.problems.join('; ')}`);
  assert.equal(r.rejectedBeforeSending, 40, 'every invalid record rejected before sending');
  assert.equal(r.createdOnce + r.failedReported + r.ambiguous + r.rejectedBeforeSending, 2_000);
  assert.ok(r.createdOnce >= 1_850, `created ${r.createdOnce}`);
  assert.ok(r.faults > 50, `faults injected: ${r.faults}`);
  assert.ok(r.maxInFlight <= 10, `in flight ${r.maxInFlight} ≤ 10`);
  assert.ok(r.maxComplexInFlight <= 10);
  assert.ok(r.maxCreditsInWindow <= r.creditsTotal);
  assert.ok(r.tokenRefreshes >= 2, `refreshes ${r.tokenRefreshes}`);
  assert.equal(r.tokenRefreshes, r.clientRefreshes, 'one refresh per expiry, all through the token endpoint');
});

test('soak (short): credits run out mid-job; the job stops, says when, and resumes without resending', { timeout: 60_000 }, async () => {
  let offset = 0;
  const now = () => Date.now() + offset;
  // 100 credits per 24 h: the metadata call (1) and 9 writes of 100 records (10 each).
  const server = await startSimulatorServer({ seed: 4, edition: 'standard', credits: 100, latencyMs: 5, now });
  try {
    const leads = makeLeads(1_800, { invalidEvery: 1e9, prefix: 'credits-' });
    const first = clientFor(server, zg, { options: { now, guardConfig: { creditCap: 100 } } });
    const t0 = now();
    const one = await first.client.insert('Leads', leads);
    assert.equal(one.stats.stoppedBy, 'credits');
    assert.equal(one.stats.ok, 900, 'what the credits allowed was sent');
    assert.equal(one.stats.pending, 900, 'and the rest is pending');
    assert.equal(one.stats.notSent, 900);
    const notSent = one.results.filter((r) => r.code === 'NOT_SENT');
    assert.equal(notSent.length, 900);
    assert.ok(notSent.every((r) => r.reason === 'credits' && r.attempts === 0));
    // The window frees the first spend 24 h after it was made (K93).
    assert.ok(one.stats.resumeAt >= t0 + 86_400_000 && one.stats.resumeAt <= t0 + 86_400_000 + 60_000, `resumeAt ${one.stats.resumeAt - t0} ms after the start`);
    assert.equal(server.sim.stats().tooManyRequests.credits, 0, 'the client stopped before Zoho had to refuse');
    const callsBefore = server.sim.stats().calls;

    // Saved as JSON (a file, KV, a Durable Object), restored after the window moved on.
    const saved = JSON.parse(JSON.stringify({ guard: first.client.guard.toJSON(), results: one.results }));
    // Zoho books a call's credits when it processes it, a little after the Guard
    // reserved them: resume a second after resumeAt.
    offset += one.stats.resumeAt - now() + 1_000;
    const second = clientFor(server, zg, { options: { now, guard: zg.Guard.fromJSON(saved.guard) } });
    const two = await second.client.insert('Leads', leads, { resume: saved.results });
    assert.equal(two.stats.stoppedBy, null, JSON.stringify(two.stats) + JSON.stringify(second.client.guard.snapshot(now())) + JSON.stringify(second.events.filter((e) => e.type === "credits_exhausted" || (e.type === "admit" && !e.ok)).slice(0, 5)));
    assert.equal(two.stats.resumed, 900, 'the 900 done are not sent again');
    assert.equal(two.stats.ok, 1_800, JSON.stringify(two.stats) + JSON.stringify(two.results.find((r) => !r.ok)));
    for (const l of leads) assert.equal(server.sim.createdCount('Leads', l.Email), 1, `${l.Email} created once`);
    assert.ok(server.sim.stats().calls - callsBefore <= 12, 'only the pending records were sent (9 writes, metadata, a refresh)');
    assert.ok(server.sim.stats().maxCreditsInWindow <= 100);
  } finally {
    await server.close();
  }
});

test('soak (short): a process killed mid-job (SIGKILL) resumes from its saved state: nothing lost, nothing twice', { timeout: 90_000 }, async () => {
  const server = await startSimulatorServer({ seed: 8, edition: 'standard', latencyMs: 20, faults: faultsAt(0.1), slowMs: 1_500, tokenExpiryEveryCalls: 100 });
  const dir = mkdtempSync(join(tmpdir(), 'zcrm-soak-'));
  const N = 3_000;
  try {
    const lines = () => (existsSync(join(dir, 'results.jsonl')) ? readFileSync(join(dir, 'results.jsonl'), 'utf8').split('\n').length - 1 : 0);
    const child = fork(CHILD, [server.url, dir, String(N), 'start'], { stdio: 'ignore' });
    const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve(signal ?? code)));
    while (lines() < N / 3) {
      if (child.exitCode !== null) break;
      await new Promise((r) => setTimeout(r, 10));
    }
    child.kill('SIGKILL');
    assert.equal(await exited, 'SIGKILL', 'killed mid-job');
    const before = lines();
    assert.ok(before > 0 && before < N, `killed with ${before} of ${N} records settled`);
    // What the dead process had in flight (or still in the socket buffers) finishes at
    // Zoho's end first; in real use: resume no sooner than the per-call timeout after the death.
    await new Promise((r) => setTimeout(r, 300));
    while (server.sim.stats().inFlight > 0) await new Promise((r) => setTimeout(r, 10));

    const resumed = fork(CHILD, [server.url, dir, String(N), 'resume'], { stdio: 'ignore' });
    let answer = null;
    resumed.on('message', (m) => (answer = m));
    const code = await new Promise((resolve) => resumed.once('exit', resolve));
    assert.ok(answer, `the resumed process answered (exit code ${code})`);
    const { results, stats } = answer;
    const leads = makeLeads(N, { prefix: 'kill-' });
    const audit = auditLeads(leads, results, server.sim);
    assert.equal(audit.duplicates, 0, `nothing created twice: ${audit.problems.join('; ')}`);
    assert.equal(audit.lost, 0, `nothing lost: ${audit.problems.join('; ')}`);
    assert.equal(audit.rejectedBeforeSending, N / 50);
    assert.equal(audit.ambiguous, 0, 'every record whose reply died with the process was looked up');
    assert.ok(stats.resumed >= before - 1, `carried over ${stats.resumed} of ${before}`);
    assert.equal(server.sim.stats().duplicatesCreated, 0);
  } finally {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
