// The Worker's RemoteGuard adapter on its own, with a fake org (the Durable Object's
// stub) and a fake local Guard: it needs nothing from the package, so it runs today.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RemoteGuard, WORKERS_MAX_CONNECTIONS } from '../../examples/worker/src/remote-guard.js';

const tick = (ms = 1) => new Promise((r) => setTimeout(r, ms));

/** The org: grants at most `limit` tickets outstanding, over an async boundary like an RPC. */
function fakeOrg(limit) {
  const org = { limit, inFlight: 0, peak: 0, granted: 0, settled: [], next: 1, calls: 0 };
  org.admit = async (op, count) => {
    org.calls++;
    await tick();
    const grants = [];
    while (grants.length < count && org.inFlight < limit) {
      org.inFlight++;
      org.granted++;
      org.peak = Math.max(org.peak, org.inFlight);
      grants.push({ ticket: org.next++, cost: { credits: 1 } });
    }
    return { grants, refusal: grants.length < count ? { waitMs: 3, reason: 'concurrency' } : null };
  };
  org.settle = async (reports) => {
    org.calls++;
    await tick();
    for (const r of reports) {
      org.inFlight--;
      org.settled.push(r);
    }
    return reports.map((r) => ({ ticket: r.ticket, action: 'done' }));
  };
  return org;
}

/** A local Guard that only counts slots (the real one decides retries; not under test here). */
function fakeLocal(limit) {
  const g = { inFlight: 0, peak: 0, next: 1 };
  g.admit = () => {
    if (g.inFlight >= limit) return { ok: false, waitMs: 2, reason: 'concurrency' };
    g.inFlight++;
    g.peak = Math.max(g.peak, g.inFlight);
    return { ok: true, ticket: g.next++, cost: { credits: 1 } };
  };
  g.settle = () => {
    g.inFlight--;
    return { action: 'done', delayMs: 0, reason: 'success' };
  };
  g.tokenRefreshed = () => {};
  g.snapshot = () => ({ inFlight: g.inFlight });
  return g;
}

/** Sends `n` calls through `guard` the way the client's loop does: admit, wait, send, settle. */
async function drive(guard, n, op) {
  let left = n;
  const running = new Set();
  while (left > 0 || running.size) {
    let wait = 50;
    while (left > 0) {
      const a = guard.admit(op, Date.now());
      if (!a.ok) {
        wait = Math.min(wait, a.waitMs);
        break;
      }
      left--;
      const p = tick(30).then(() => guard.settle(a.ticket, { status: 200, headers: [['x-api-credits-remaining', '10']], body: '{"data":[]}' }, Date.now()));
      running.add(p);
      p.finally(() => running.delete(p));
    }
    await Promise.race([tick(wait), ...running]);
  }
  await guard.close();
}

test('remote guard: three isolates of 6 connections never hold more than the org grants', async () => {
  const org = fakeOrg(10);
  const locals = [fakeLocal(WORKERS_MAX_CONNECTIONS), fakeLocal(WORKERS_MAX_CONNECTIONS), fakeLocal(WORKERS_MAX_CONNECTIONS)];
  const op = { kind: 'insert', module: 'Leads', recordCount: 20 };
  await Promise.all(locals.map((l) => drive(new RemoteGuard(org, l), 30, op)));
  assert.ok(org.peak <= 10, `org peak ${org.peak}`);
  assert.ok(org.peak > WORKERS_MAX_CONNECTIONS, `the isolates overlapped (org peak ${org.peak})`);
  for (const l of locals) assert.ok(l.peak <= WORKERS_MAX_CONNECTIONS, `local peak ${l.peak}`);
  assert.equal(org.settled.length, org.granted, 'every grant was settled at the org');
  assert.equal(org.settled.filter((r) => r.response.status === 200).length, 90, 'every call reported once');
  // Headers are made plain for the RPC, bodies stay text.
  assert.deepEqual(org.settled[0].response.headers, { 'x-api-credits-remaining': '10' });
  assert.equal(typeof org.settled[0].response.body, 'string');
});

test('remote guard: grants never used are returned at close as never sent', async () => {
  const org = fakeOrg(10);
  const g = new RemoteGuard(org, fakeLocal(WORKERS_MAX_CONNECTIONS));
  const op = { kind: 'get', module: 'Leads' };
  // Three callers want a slot in the same tick: one request to the org asks for three.
  for (let i = 0; i < 3; i++) assert.equal(g.admit(op, 0).ok, false);
  await tick(5);
  assert.equal(org.calls, 1, 'one round trip for the three');
  const a = g.admit(op, 1);
  assert.ok(a.ok);
  g.settle(a.ticket, { status: 200, headers: {}, body: '{}' }, 2);
  await g.close();
  assert.equal(org.granted, 3);
  assert.equal(org.settled.length, 3);
  const neverSent = org.settled.filter((r) => r.response.neverSent);
  assert.equal(neverSent.length, 2);
  // Freed as an empty success, never as a failure the breaker would count.
  assert.ok(neverSent.every((r) => r.response.status === 204 && !r.response.error));
  assert.equal(org.inFlight, 0);
});

test('remote guard: an org refusal is passed on with its wait and reason', async () => {
  const org = fakeOrg(0);
  org.admit = async () => ({ grants: [], refusal: { waitMs: 5_000, reason: 'credits' } });
  const g = new RemoteGuard(org, fakeLocal(WORKERS_MAX_CONNECTIONS));
  const op = { kind: 'insert', module: 'Leads', recordCount: 100 };
  assert.equal(g.admit(op, 1_000).reason, 'concurrency'); // asking
  await tick(2);
  const r = g.admit(op, 1_000);
  assert.deepEqual([r.ok, r.reason, r.waitMs], [false, 'credits', 5_000]);
  await g.close();
});

test('remote guard: a Durable Object that fails makes admits wait, never throw', async () => {
  const org = fakeOrg(10);
  org.admit = async () => {
    throw new Error('Durable Object reset');
  };
  const g = new RemoteGuard(org, fakeLocal(WORKERS_MAX_CONNECTIONS));
  const op = { kind: 'get', module: 'Leads' };
  g.admit(op, 0);
  await tick(2);
  const r = g.admit(op, 10);
  assert.equal(r.ok, false);
  assert.ok(r.waitMs > 0);
  assert.ok(g.failure instanceof Error);
  await g.close();
});
