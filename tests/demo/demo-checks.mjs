// Checks of the demo page shared by its tests: the figures it shows against the
// simulator's own counters and the client's own results (recomputed here, not read
// from the page's code), and the sentences it has for every reason the package can give.
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { ACTIONS, REASONS, REFUSALS, explainCode } from '../../www/explain.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

const number = async (page, id) => Number(await page.getAttribute(`#${id}`, 'data-value'));

/** The members of a string-literal union in the package's generated types. */
function unionOf(name) {
  const dts = readFileSync(`${ROOT}pkg-template/types/generated/guard.d.ts`, 'utf8');
  const body = new RegExp(`export type ${name} = ([^;]*);`).exec(dts)?.[1];
  assert.ok(body, `${name} in guard.d.ts`);
  return [...body.matchAll(/'([a-z_]+)'/g)].map((m) => m[1]);
}

/**
 * The reasons the client gives records of its own (`WriteResult.reason`): the snake_case
 * literals its write path passes as a reason, read from its source so that a new one
 * without a sentence fails here.
 */
function clientReasons() {
  const dir = `${ROOT}pkg-template/lib/client/`;
  const found = new Set();
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.js'))) {
    for (const line of readFileSync(dir + file, 'utf8').split('\n')) {
      if (!/settleRecord|reason:|#failUnit|finalAll|notSent|stop\.reason = /.test(line)) continue;
      for (const m of line.matchAll(/'([a-z]+(?:_[a-z]+)+)'/g)) found.add(m[1]);
      for (const m of line.matchAll(/reason: (?:[^,]*\? )?'([a-z_]+)'(?: : '([a-z_]+)')?/g)) [m[1], m[2]].filter(Boolean).forEach((r) => found.add(r));
      // The job's stops (deadline, aborted, credits) become the reason of its unfinished records.
      for (const m of line.matchAll(/stop\.reason = '([a-z_]+)'/g)) found.add(m[1]);
    }
  }
  return [...found];
}

/** Every reason, decision and refusal has a sentence; the codes the demo produces too. */
export async function checkExplanations() {
  const actions = unionOf('GuardAction');
  const refusals = unionOf('RefuseReason');
  const reasons = unionOf('GuardReason');
  assert.ok(reasons.length >= 25 && actions.includes('verify') && refusals.includes('token_refresh'));
  for (const a of actions) assert.ok(ACTIONS[a], `decision ${a} explained`);
  for (const r of refusals) assert.ok(REFUSALS[r], `refusal ${r} explained`);
  for (const r of reasons) assert.ok(REASONS[r], `Guard reason ${r} explained`);
  const found = clientReasons();
  for (const r of ['invalid_before_sending', 'verified_after_lost_reply', 'aborted', 'credits']) assert.ok(found.includes(r), `found the client's ${r}`);
  for (const r of found.filter((r) => !actions.includes(r))) assert.ok(REASONS[r], `client reason ${r} explained`);
  for (const c of ['SUCCESS', 'INVALID_DATA', 'MANDATORY_NOT_FOUND', 'DUPLICATE_DATA', 'RECORD_LOCKED', 'TOO_MANY_REQUESTS', 'INTERNAL_ERROR', 'INVALID_TOKEN', 'NOT_SENT', 'AMBIGUOUS_WRITE', 'NO_RESULT', 'NETWORK_ERROR', 'HTTP_502', 'HTTP_503']) {
    assert.ok(explainCode(c), `code ${c} explained`);
  }
}

/**
 * The storm of the job on the page, from the simulator's counters and the client's
 * results; asserts the page shows exactly these figures.
 */
export async function stormOf(page) {
  const truth = await page.evaluate(() => {
    const job = globalThis.zcrmDemo.job;
    const s = job.sim.stats();
    const b = job.baseline;
    const status = (pred) => Object.entries(s.byStatus).reduce((n, [k, v]) => n + (pred(Number(k)) ? v - (b.byStatus[k] ?? 0) : 0), 0);
    return {
      'sim-created': s.created.Leads - (b.created.Leads ?? 0),
      'sim-updated': (s.updated.Leads ?? 0) - (b.updated.Leads ?? 0),
      'sim-duplicates': s.duplicatesCreated,
      'sim-calls': s.calls - b.calls,
      'sim-429': s.tooManyRequests.concurrency + s.tooManyRequests.complex + s.tooManyRequests.credits + job.throttle.counter.injected,
      'sim-5xx': status((k) => k >= 500),
      'sim-dropped': status((k) => k === 0),
      'sim-401': s.invalidToken - b.invalidToken,
      'sim-refreshes': s.tokenRefreshes,
      'sim-max-inflight': s.maxInFlight,
      'sim-limit': s.concurrencyLimit,
      'count-verified': job.results.filter((r) => r?.reason === 'verified_after_lost_reply').length,
      'count-rejected': job.results.filter((r) => r?.reason === 'invalid_before_sending').length,
      injected: job.throttle.counter.injected,
      refreshFailures: s.tokenRefreshFailures,
    };
  });
  for (const [id, value] of Object.entries(truth)) if (/^(sim|count)-/.test(id)) assert.equal(await number(page, id), value, `#${id} shows the simulator's figure`);
  // Every call the client sent reached the simulator, or was one of the page's 429s in front of it.
  assert.equal(await number(page, 'count-calls'), truth['sim-calls'] + truth.injected, 'calls sent = received + 429s in front');
  assert.equal(await number(page, 'count-refreshes'), truth['sim-refreshes'], 'every refresh the client made got a token');
  return {
    tooManyRequests: truth['sim-429'],
    serverErrors: truth['sim-5xx'],
    dropped: truth['sim-dropped'],
    expiredToken: truth['sim-401'],
    tokenRefreshes: truth['sim-refreshes'],
    refreshFailures: truth.refreshFailures,
    verifiedAfterLostReply: truth['count-verified'],
  };
}

/**
 * The reconciliation of the page's "ok" with the simulator's "created", recomputed from
 * the client's results and the simulator's creations per Email; asserts the page shows it.
 */
export async function reconcileOnPage(page) {
  const truth = await page.evaluate(() => {
    const job = globalThis.zcrmDemo.job;
    const base = job.baseline.createdByKey.Leads ?? {};
    const out = { ok: 0, failed: 0, okNew: 0, okExisting: 0, failedCreated: 0, rejected: 0 };
    job.results.forEach((r, i) => {
      if (!r || r.code === 'NOT_SENT') return;
      const key = job.records[i].Email.toLowerCase();
      const createdHere = job.sim.createdCount('Leads', key) > (base[key] ?? 0);
      if (r.ok) out[createdHere ? 'okNew' : 'okExisting']++;
      else if (createdHere) out.failedCreated++;
      out[r.ok ? 'ok' : 'failed']++;
      if (r.reason === 'invalid_before_sending') out.rejected++;
    });
    return out;
  });
  const shown = await page.locator('#reconcile').evaluate((e) => Object.fromEntries(Object.entries(e.dataset).map(([k, v]) => [k, Number(v)])));
  for (const k of ['ok', 'okNew', 'okExisting', 'failedCreated']) assert.equal(shown[k], truth[k], `the page's ${k}`);
  assert.equal(await number(page, 'count-ok'), truth.ok);
  assert.equal(await number(page, 'count-failed'), truth.failed);
  assert.equal(await number(page, 'count-rejected'), truth.rejected);
  assert.equal(shown.created, await number(page, 'sim-created'));
  return { ...truth, created: shown.created, duplicates: shown.duplicates };
}
