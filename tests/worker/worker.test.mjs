// The example Worker (examples/worker) in workerd through Miniflare, against the Zoho CRM
// simulator on 127.0.0.1: three Workers (three isolates) push records at once and share
// one org budget through the OrgGuard Durable Object, so the simulator never sees more
// calls in flight than the org's limit; the Durable Object's state survives a restart.
//
// Skipped, with the reason, while the built package lacks `createClient` or `Guard`.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundleWorker } from '../js/workerd-bundle.mjs';
import { Miniflare } from 'miniflare';
import { startSimulatorServer } from '@zcrm-guard/zoho-sim/server';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const PKG = join(ROOT, 'pkg');
const API_KEY = 'test-api-key';
const ISOLATES = ['a', 'b', 'c'];
/** Records each isolate pushes, and per call: many small calls make the overlap real. */
const RECORDS_EACH = 1_000;
const BATCH_SIZE = 20;

/** The built package with what the example imports (anything missing fails the test). */
async function assertPackageBuilt() {
  assert.ok(existsSync(join(PKG, 'node.js')), 'pkg/ is built (make build)');
  const api = await import(join(PKG, 'node.js'));
  assert.deepEqual(['createClient', 'Guard', 'fetchTransport'].filter((n) => typeof api[n] !== 'function'), [], 'the package has what the example imports');
}

/** Bundles the example the way wrangler does, with `zcrm-guard` resolved to the built package. */
async function bundle() {
  const { dir } = await bundleWorker(join(ROOT, 'examples/worker/src/index.js'), {
    alias: { 'zcrm-guard': join(PKG, 'workerd.js') },
    external: ['cloudflare:*'],
  });
  return dir;
}

function miniflare(dir, sim, persist, extra = {}) {
  const bindings = {
    API_KEY,
    ZOHO_API_DOMAIN: sim.url,
    ZOHO_ACCOUNTS_URL: sim.url,
    ZOHO_CLIENT_ID: 'client',
    ZOHO_CLIENT_SECRET: 'secret',
    ZOHO_REFRESH_TOKEN: 'sim-refresh-token',
    ZOHO_EDITION: 'standard',
    ZOHO_LICENSES: '10',
    SUBREQUEST_LIMIT: '1000',
    ...extra,
  };
  // Three Workers, each its own isolate, all bound to the Durable Object class of the first.
  return new Miniflare({
    durableObjectsPersist: persist,
    workers: ISOLATES.map((name, i) => ({
      name,
      modules: true,
      scriptPath: join(dir, 'worker.mjs'),
      modulesRoot: dir,
      modulesRules: [{ type: 'CompiledWasm', include: ['**/*.wasm'] }],
      compatibilityDate: '2026-04-01',
      bindings,
      durableObjects: { ORG_GUARD: i === 0 ? 'OrgGuard' : { className: 'OrgGuard', scriptName: ISOLATES[0] } },
    })),
  });
}

const auth = { authorization: `Bearer ${API_KEY}`, 'content-type': 'application/json' };
const leads = (tag, n) => Array.from({ length: n }, (_, i) => ({ Last_Name: `Lead ${tag}${i}`, Email: `${tag}${i}@example.com` }));

test('worker: three isolates share one org budget, and the Durable Object survives a restart', async (t) => {
  await assertPackageBuilt();
  const dir = await bundle();
  const persist = mkdtempSync(join(tmpdir(), 'zcrm-do-'));
  const sim = await startSimulatorServer({ edition: 'standard', latencyMs: 100, latencyJitterMs: 20, seed: 11, clientId: 'client', clientSecret: 'secret', auth: true, accessToken: 'never-issued' });
  let mf = miniflare(dir, sim, persist);
  try {
    const workers = await Promise.all(ISOLATES.map((n) => mf.getWorker(n)));
    // Wrong key: refused before anything is sent.
    const denied = await workers[0].fetch('http://worker/v1/Leads/records', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"records":[]}' });
    assert.equal(denied.status, 401);

    const replies = await Promise.all(
      workers.map((w, i) =>
        w.fetch('http://worker/v1/Leads/records', { method: 'POST', headers: auth, body: JSON.stringify({ records: leads(ISOLATES[i], RECORDS_EACH), batchSize: BATCH_SIZE }) }),
      ),
    );
    const bodies = await Promise.all(replies.map((r) => r.json()));
    const s = sim.sim.stats();
    for (const [i, b] of bodies.entries()) {
      assert.equal(replies[i].status, 200, JSON.stringify(b).slice(0, 300));
      assert.equal(b.results.length, RECORDS_EACH, 'one result per record');
      const failed = b.results.filter((r) => !r.ok);
      assert.deepEqual(failed.slice(0, 3), [], `isolate ${ISOLATES[i]}: every record created`);
      // Regression (issue 14): a job that completed said "aborted" once its budget signal fired after the end.
      assert.equal(b.stats.stoppedBy, null, `isolate ${ISOLATES[i]}: a completed job was stopped by nothing`);
    }
    assert.equal(s.created.Leads, RECORDS_EACH * ISOLATES.length, 'the simulator created every record');
    assert.equal(s.duplicatesCreated, 0);
    // The claim: together the three never exceeded the org's concurrency, as Zoho counts it,
    // although each alone may hold 6 connections (3 x 6 > 10).
    assert.ok(s.maxInFlight <= s.concurrencyLimit, `in flight peaked at ${s.maxInFlight} > ${s.concurrencyLimit}`);
    assert.equal(s.tooManyRequests.concurrency, 0, 'no 429 for concurrency');
    assert.ok(s.maxInFlight > 6, `the isolates really overlapped (peak ${s.maxInFlight})`);
    assert.equal(s.tokenRefreshes, 1, 'one token for the three isolates');

    // Leases: about one Durable Object call per block of calls, where asking per call cost ~3.
    const subrequests = bodies.reduce((n, b) => n + b.subrequests, 0);
    const perCall = subrequests / s.calls;
    t.diagnostic(`peak in flight ${s.maxInFlight} of ${s.concurrencyLimit}, ${s.calls} Zoho calls, subrequests ${bodies.map((b) => b.subrequests).join('/')} (lease calls ${bodies.map((b) => b.leaseCalls).join('/')}): ${perCall.toFixed(3)} per Zoho call`);
    assert.ok(perCall <= 1.2, `${perCall.toFixed(3)} subrequests per Zoho call`);
    const before = await (await workers[1].fetch('http://worker/v1/guard', { headers: auth })).json();

    // Restart: a new workerd process over the same Durable Object storage.
    await mf.dispose();
    mf = miniflare(dir, sim, persist);
    const again = await mf.getWorker('b');
    const after = await (await again.fetch('http://worker/v1/guard', { headers: auth })).json();
    assert.deepEqual(after.state, before.state, 'the Guard restored with fromJSON equals the one saved with toJSON');
    assert.equal(after.tokenSince, before.tokenSince, 'the access token survived too');

    // And it keeps working after the restart with the same token: no new refresh.
    const more = await again.fetch('http://worker/v1/Leads/records', { method: 'POST', headers: auth, body: JSON.stringify({ records: leads('z', 10) }) });
    const moreBody = await more.json();
    assert.ok(moreBody.results.every((r) => r.ok), JSON.stringify(moreBody.results[0]));
    assert.equal(sim.sim.stats().tokenRefreshes, 1, 'the saved token was reused after the restart');
  } finally {
    await mf.dispose();
    await sim.close();
    rmSync(dir, { recursive: true, force: true });
    rmSync(persist, { recursive: true, force: true });
  }
});

test('worker: on the free plan (50 subrequests) a job completes at least 40 Zoho calls at most 1.2 subrequests each', async (t) => {
  await assertPackageBuilt();
  const dir = await bundle();
  const persist = mkdtempSync(join(tmpdir(), 'zcrm-do-'));
  const sim = await startSimulatorServer({ edition: 'standard', latencyMs: 20, latencyJitterMs: 10, seed: 5, clientId: 'client', clientSecret: 'secret', auth: true, accessToken: 'never-issued' });
  const mf = miniflare(dir, sim, persist, { SUBREQUEST_LIMIT: '50' });
  try {
    const w = await mf.getWorker('a');
    const res = await w.fetch('http://worker/v1/Leads/records', { method: 'POST', headers: auth, body: JSON.stringify({ records: leads('free', 1000), batchSize: 20 }) });
    const body = await res.json();
    assert.equal(res.status, 200, JSON.stringify(body).slice(0, 300));
    const s = sim.sim.stats();
    const ok = body.results.filter((r) => r.ok).length;
    const perCall = body.subrequests / s.calls;
    t.diagnostic(`free plan: ${s.calls} Zoho calls completed (${ok} records created, ${body.notSent.length} not sent) with ${body.subrequests} subrequests, ${body.leaseCalls} of them lease calls: ${perCall.toFixed(3)} per Zoho call`);
    assert.ok(body.subrequests <= 50, `${body.subrequests} subrequests`);
    assert.ok(s.calls >= 40, `${s.calls} Zoho calls on 50 subrequests`);
    assert.ok(perCall <= 1.2, `${perCall.toFixed(3)} subrequests per Zoho call`);
    assert.equal(s.created.Leads, ok, 'every record reported ok was created, once');
    assert.equal(s.duplicatesCreated, 0);
    assert.equal(ok + body.notSent.length, 1000, 'the rest is reported as not sent');
    // The last report reached the org: every lease returned, no slot held after the job.
    const org = await (await w.fetch('http://worker/v1/guard', { headers: auth })).json();
    assert.deepEqual(org.leases.holders, []);
    assert.equal(org.snapshot.inFlight, 0);
    assert.equal(org.leaseStats.reports, s.calls, 'the org Guard heard of every call');
    assert.equal(org.leaseStats.unrecorded, 0, 'each on a ticket of its lease');
  } finally {
    await mf.dispose();
    await sim.close();
    rmSync(dir, { recursive: true, force: true });
    rmSync(persist, { recursive: true, force: true });
  }
});

test('worker: bad requests get errors in Zoho\'s shape, and the subrequest cap ends a job cleanly', async () => {
  await assertPackageBuilt();
  const dir = await bundle();
  const persist = mkdtempSync(join(tmpdir(), 'zcrm-do-'));
  const sim = await startSimulatorServer({ edition: 'standard', latencyMs: 5, seed: 3, clientId: 'client', clientSecret: 'secret' });
  // Workers Free's 50 subrequests would do; 14 makes the cut come early.
  const mf = miniflare(dir, sim, persist, { SUBREQUEST_LIMIT: '14', MAX_RECORDS_PER_REQUEST: '1000' });
  try {
    const w = await mf.getWorker('a');
    const post = (body) => w.fetch('http://worker/v1/Leads/records', { method: 'POST', headers: auth, body });
    const notJson = await post('{');
    assert.equal(notJson.status, 400);
    assert.equal((await notJson.json()).code, 'INVALID_DATA');
    const tooMany = await post(JSON.stringify({ records: leads('x', 1001) }));
    assert.equal(tooMany.status, 400);
    assert.deepEqual(await tooMany.json().then((b) => [b.code, b.details.limit]), ['LIMIT_EXCEEDED', 1000]);

    const res = await post(JSON.stringify({ records: leads('cap', 1000), batchSize: 50 }));
    const body = await res.json();
    assert.equal(res.status, 200, JSON.stringify(body).slice(0, 300));
    assert.equal(body.results.length, 1000, 'one result per record, sent or not');
    assert.ok(body.subrequests <= 14, `${body.subrequests} subrequests`);
    assert.ok(body.notSent.length > 0, 'the cap stopped the job');
    assert.equal(body.stats.stoppedBy, 'aborted', 'and says so');
    const ok = body.results.filter((r) => r.ok).length;
    assert.equal(ok + body.notSent.length + body.results.filter((r) => !r.ok && r.code !== 'NOT_SENT').length, 1000);
    assert.equal(sim.sim.stats().created.Leads ?? 0, ok, 'what was reported ok is what was created; nothing sent is left unreported');
    assert.ok(body.notSent.every((i) => body.results[i].code === 'NOT_SENT'));
  } finally {
    await mf.dispose();
    await sim.close();
    rmSync(dir, { recursive: true, force: true });
    rmSync(persist, { recursive: true, force: true });
  }
});
