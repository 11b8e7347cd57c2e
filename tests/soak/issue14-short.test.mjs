// Issue 14, short: the soak matrix in small (tools/soak/matrix-campaign.mjs; the full one is
// `make soak`) and one regression test per finding, each against the simulator with the fault
// aimed at the call that matters (`faultPlan`), through `createClient` with its default options.
// The truth is the simulator's fault-free audit (what was really created or updated), never the
// replies. A job still running after WATCHDOG_MS is aborted, so a hang fails instead of stalling.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as zg from '../../pkg/node.js';
import { startSimulatorServer } from '@zcrm-guard/zoho-sim/server';
import { simTokens } from '@zcrm-guard/zoho-sim/testing';
import { JOBS, runMatrixCampaign } from '../../tools/soak/matrix-campaign.mjs';
import { acceptance } from '../../tools/soak/audit-job.mjs';

const WATCHDOG_MS = 15_000;
const AUTH = { authorization: 'Zoho-oauthtoken sim-access-0' };
const INSERT = '^POST /crm/v8/Leads ';
const LOOKUP = '^(POST /crm/v8/coql|GET /crm/v8/Leads/search)';

/** A simulator server on 127.0.0.1 for the length of `fn`. */
async function withSim(options, fn) {
  const server = await startSimulatorServer({ seed: 14, latencyMs: 5, ...options });
  try {
    return await fn(server);
  } finally {
    await server.close();
  }
}

/** A client with the default options, refreshing through the simulator's token endpoint. */
function defaultClient(server, edition = 'standard') {
  const { getAccessToken, refreshAccessToken } = simTokens(server);
  const events = [];
  const client = zg.createClient({
    apiDomain: server.url,
    edition,
    getAccessToken,
    refreshAccessToken,
    onEvent: (e) => events.push(e),
  });
  return { client, events };
}

/** Runs a write job under the watchdog. */
function run(client, op, records, opts = {}) {
  return client[op]('Leads', records, { signal: AbortSignal.timeout(WATCHDOG_MS), ...opts });
}

const leads = (n, tag) => Array.from({ length: n }, (_, i) => ({ Last_Name: `${tag} ${i}`, Email: `${tag}${i}@x.com`, Company: `${tag} co ${i}` }));
const writes = (server) => server.sim.audit().writes.Leads ?? {};
const brief = (r) => `${r.code}/${r.reason}`;

/** Every record reported ok, created exactly once, with the id of the record it created. */
function assertCreatedOnce(server, records, results) {
  const w = writes(server);
  records.forEach((rec, i) => {
    const r = results[i];
    const a = w[rec.Email.toLowerCase()] ?? { created: 0 };
    assert.equal(r?.ok, true, `#${i} ${rec.Email}: ${r && brief(r)}`);
    assert.equal(a.created, 1, `#${i} ${rec.Email} created ${a.created} times`);
    assert.equal(String(r.id), a.id, `#${i} reported id ${r.id}, created ${a.id}`);
  });
}

// ---------------------------------------------------------------- the matrix, small

for (const rate of [0.3, 0.5]) {
  for (const job of JOBS) {
    test(`matrix (short): ${job} at ${rate * 100}% transient faults, tokens living 2 s, default options`, { timeout: 40_000 }, async () => {
      const r = await runMatrixCampaign({ zg, job, records: 1_000, faultRate: rate, latencyMs: 50, watchdogMs: 20_000, seed: 140 + rate * 10 });
      assert.equal(r.watchdog, false, `still running after 20 s (${r.ok}/${r.valid} ok)`);
      assert.equal(r.crashed, false, r.problems[0]);
      assert.ok(r.faults + r.locked > 0, 'faults were injected');
      assert.deepEqual(acceptance(r), []);
    });
  }
}

// ---------------------------------------------------------------- one regression per finding

for (const lost of ['dropBefore', 'dropAfter']) {
  // dropBefore: the insert never reached Zoho, only Old holds the e-mail; dropAfter: both do.
  test(`a pre-existing e-mail and a lost insert reply (${lost}): New is created once, Old's id is never reported`, { timeout: 30_000 }, async () => {
    const OLD = '5725767000800000001';
    await withSim({ seedRecords: { Leads: [{ id: OLD, Last_Name: 'Old', Email: 'ann@x.com' }] }, faultPlan: [{ match: INSERT, fault: lost }] }, async (server) => {
      const { client } = defaultClient(server);
      const records = [{ Last_Name: 'New', Email: 'ann@x.com' }, { Last_Name: 'Other', Email: 'bob@x.com' }];
      const { results } = await run(client, 'insert', records);
      assert.equal(server.sim.stats().faults[lost], 1);
      assert.notEqual(String(results[0].id), OLD, "Old's id reported as New's");
      assertCreatedOnce(server, records, results);
      assert.equal(server.sim.records('Leads').find((r) => r.id === String(results[0].id))?.Last_Name, 'New');
    });
  });
}

for (const unique of [false, true]) {
  test(`a 502 after Zoho committed an insert (Email unique: ${unique}): never a blind resend, created once, reported ok`, { timeout: 30_000 }, async () => {
    await withSim({ uniqueFields: { Leads: unique ? ['Email'] : [] }, faultPlan: [{ match: INSERT, fault: 'commitThen5xx', variant: 0.3 }] }, async (server) => {
      const { client } = defaultClient(server);
      const records = leads(3, unique ? 'gu' : 'gn');
      const { results } = await run(client, 'insert', records);
      assert.equal(server.sim.stats().byStatus['502'], 1, 'the 502 was served');
      assertCreatedOnce(server, records, results);
    });
  });
}

test('a verify lookup chunk that fails: the other chunks\' answers are kept, the missing records sent, nothing ambiguous', { timeout: 30_000 }, async () => {
  // A crash left 120 records unknown: 90 reached Zoho, 30 did not. Every lookup of the
  // chunk holding k60 fails six times (the old client's attempts for a verify lookup).
  await withSim({ faultPlan: [{ match: `${LOOKUP}.*k60@`, fault: 'internalError', times: 6 }] }, async (server) => {
    const records = leads(120, 'k');
    await server.sim.handle({ method: 'POST', url: '/crm/v8/Leads', headers: AUTH, body: JSON.stringify({ data: records.slice(0, 90) }) });
    assert.equal(server.sim.records('Leads').length, 90);
    const unknown = records.map((_, i) => ({ index: i, ok: false, code: 'AMBIGUOUS_WRITE', message: 'the reply was lost', details: {}, id: null, action: null, category: 'network', retry: 'verify', reason: 'ambiguous_write', attempts: 1 }));
    const { client } = defaultClient(server);
    const { results } = await run(client, 'insert', records, { resume: unknown });
    assert.equal(results.filter((r) => r.code === 'AMBIGUOUS_WRITE').length, 0, 'nothing left ambiguous');
    assertCreatedOnce(server, records, results);
  });
});

test('a truncated upsert reply, then a cut one: retried (upsert is idempotent), every record ok', { timeout: 30_000 }, async () => {
  const seeds = [{ id: '5725767000800000001', Last_Name: 'S0', Email: 'up0@x.com' }, { id: '5725767000800000002', Last_Name: 'S1', Email: 'up1@x.com' }];
  const UPSERT = '^POST /crm/v8/Leads/upsert ';
  await withSim({ seedRecords: { Leads: seeds }, faultPlan: [{ match: UPSERT, fault: 'truncated' }, { match: UPSERT, fault: 'shortReply', variant: 0.9, after: 1 }] }, async (server) => {
    const { client } = defaultClient(server);
    const records = leads(5, 'up').map((r, i) => ({ ...r, Company: `Upserted ${i}` }));
    const { results } = await run(client, 'upsert', records);
    assert.equal(server.sim.stats().faults.truncated, 1);
    const w = writes(server);
    results.forEach((r, i) => {
      assert.equal(r.ok, true, `#${i}: ${brief(r)}`);
      const a = w[`up${i}@x.com`];
      assert.equal(a.created, i < 2 ? 0 : 1, `#${i} created ${a.created}`);
      if (i < 2) assert.ok(a.updated >= 1 && String(r.id) === seeds[i].id, `#${i} updated the older lead`);
      assert.equal(server.sim.records('Leads').find((x) => x.id === String(r.id))?.Company, `Upserted ${i}`);
    });
    assert.equal(server.sim.stats().faults.shortReply, 1, 'the retry met the cut reply, and was retried again');
  });
});

test('a 30-day Retry-After: the records end with a reason, no 30-day sleep, the job ends promptly', { timeout: 30_000 }, async () => {
  await withSim({ faultPlan: [{ match: INSERT, fault: 'tooManyRequests', retryAfterS: 2_592_000 }] }, async (server) => {
    const { client } = defaultClient(server);
    const { results, stats } = await run(client, 'insert', leads(5, 'ra'));
    assert.notEqual(stats.stoppedBy, 'aborted', `the job slept until the watchdog (${WATCHDOG_MS} ms)`);
    for (const r of results) {
      assert.equal(r.ok, false);
      assert.ok(r.code && r.reason && r.reason !== 'aborted', `a reason of its own: ${brief(r)}`);
    }
    assert.deepEqual(writes(server), {}, 'nothing was written (the 429 came before processing)');
  });
});

test('access tokens living 2 s: the job goes through, no TOKEN_REFRESH_FAILED, at most 10 refreshes in 10 minutes', { timeout: 30_000 }, async () => {
  // The first token is unknown to the server (a 401 at once); each refreshed one lives 2 s,
  // less than the client's refresh margin; the free edition's 5 in flight make the job last.
  await withSim({ edition: 'free', latencyMs: 400, tokenTtlMs: 2_000, accessToken: 'never-issued' }, async (server) => {
    const { client } = defaultClient(server, 'free');
    const records = leads(3_000, 'tk');
    const { results } = await run(client, 'insert', records);
    assert.equal(results.filter((r) => r.code === 'TOKEN_REFRESH_FAILED').length, 0);
    const a = server.sim.audit();
    assert.ok(a.refreshLog.length >= 1, 'refreshed');
    assert.ok(a.maxRefreshesIn10Min <= 10, `${a.maxRefreshesIn10Min} refreshes in 10 minutes`);
    assertCreatedOnce(server, records, results);
  });
});

test('a short 2xx reply on insert ({}, {"data":[]}, half the entries): the records are verified, not NO_RESULT', { timeout: 30_000 }, async () => {
  const plan = [0.1, 0.3, 0.6].map((variant, k) => ({ match: `${INSERT}.*sh${k}-0@`, fault: 'shortReply', variant }));
  await withSim({ faultPlan: plan }, async (server) => {
    const { client } = defaultClient(server);
    for (let k = 0; k < 3; k++) {
      const records = leads(6, `sh${k}-`);
      const { results } = await run(client, 'insert', records);
      assert.equal(server.sim.stats().faults.shortReply, k + 1);
      for (const r of results) assert.notEqual(r.code, 'NO_RESULT', `${brief(r)} after a short reply`);
      assertCreatedOnce(server, records, results);
    }
  });
});

test('a job with deadlineMs ends at its deadline: every unfinished record says `deadline`, what was written is ok', { timeout: 30_000 }, async () => {
  // 2,000 inserts at 1 s a call, 5 in flight: about 5 s of work, a 1.5 s deadline.
  await withSim({ edition: 'free', latencyMs: 1_000 }, async (server) => {
    const { client } = defaultClient(server, 'free');
    const records = leads(2_000, 'dl');
    const { results, stats } = await run(client, 'insert', records, { deadlineMs: 1_500 });
    assert.notEqual(stats.stoppedBy, 'aborted', `the watchdog (${WATCHDOG_MS} ms) ended the job, not its deadline`);
    const w = writes(server);
    const unfinished = results.filter((r) => !r.ok);
    assert.ok(unfinished.length > 0, 'the deadline came before the end');
    for (const r of unfinished) {
      assert.equal(r.reason, 'deadline', `#${r.index}: ${brief(r)}`);
      assert.equal(w[records[r.index].Email.toLowerCase()]?.created ?? 0, 0, `#${r.index} ended deadline but was created`);
    }
    for (const r of results.filter((x) => x.ok)) assert.equal(w[records[r.index].Email.toLowerCase()]?.created, 1);
  });
});
