// The Worker's leases on their own, in Node: the isolate's RemoteGuard (a real local
// Guard capped at 6) against the Durable Object's LeaseBook over a real org Guard,
// behind an async boundary like the RPC. workerd itself is in worker.test.mjs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { RemoteGuard, WORKERS_MAX_CONNECTIONS } from '../../examples/worker/src/remote-guard.js';
import { LeaseBook, LEASE_TTL_MS, LEASE_GRACE_MS, LEASE_CALLS } from '../../examples/worker/src/org-leases.js';

const NODE_PKG = fileURLToPath(new URL('../../pkg/node.js', import.meta.url));
assert.ok(existsSync(NODE_PKG), 'pkg/ is built (make build)');
const { Guard } = await import(NODE_PKG);

const tick = (ms = 1) => new Promise((r) => setTimeout(r, ms));
const OK = { status: 200, headers: [['content-type', 'application/json']], body: '{"data":[{"id":"1"}]}' };
const READ = { kind: 'get', module: 'Leads' };

/** The Durable Object: one LeaseBook over one org Guard, each call after an async hop. */
function org({ limit = 10, clock = () => Date.now() } = {}) {
  const guard = new Guard({ edition: 'standard', concurrency: limit });
  const book = new LeaseBook(guard);
  const o = { guard, book, calls: 0, fail: false };
  o.lease = async (req) => {
    o.calls++;
    await tick();
    if (o.fail) throw new Error('Durable Object reset');
    // As the RPC does: the request is copied, never shared.
    return book.lease(structuredClone(req), clock());
  };
  return o;
}

const local = () => new Guard({ edition: 'standard', concurrency: WORKERS_MAX_CONNECTIONS });

/** Sends `n` calls through `guard` the way the client's loop does; `running` counts the real ones. */
async function drive(guard, n, op, running, response = () => OK) {
  let left = n;
  const live = new Set();
  while (left > 0 || live.size) {
    let wait = 50;
    while (left > 0) {
      const a = guard.admit(op, Date.now());
      if (!a.ok) {
        wait = Math.min(wait, a.waitMs);
        break;
      }
      left--;
      running.now++;
      running.peak = Math.max(running.peak, running.now);
      const p = tick(5 + (left % 4)).then(() => {
        running.now--;
        guard.settle(a.ticket, response(), Date.now());
      });
      live.add(p);
      p.finally(() => live.delete(p));
    }
    await Promise.race([tick(wait), ...live]);
  }
  await guard.close();
}

test('leases: three isolates of 6 connections never run more than the org allows, at ~1 lease call per block', async (t) => {
  const o = org({ limit: 10 });
  const running = { now: 0, peak: 0 };
  const guards = [0, 1, 2].map(() => new RemoteGuard(o, local()));
  await Promise.all(guards.map((g) => drive(g, 60, READ, running)));
  const leaseCalls = guards.reduce((n, g) => n + g.leaseCalls, 0);
  const perCall = (180 + leaseCalls) / 180;
  t.diagnostic(`peak ${running.peak} of 10, ${leaseCalls} lease calls for 180 calls: ${perCall.toFixed(3)} subrequests per call`);
  assert.ok(running.peak <= 10, `peak ${running.peak}`);
  assert.ok(running.peak > WORKERS_MAX_CONNECTIONS, `the isolates overlapped (peak ${running.peak})`);
  assert.ok(perCall <= 1.2, `${perCall} subrequests per call`);
  assert.equal(o.book.stats.reports, 180, 'every call reported to the org, once');
  assert.equal(o.book.stats.unrecorded, 0);
  assert.deepEqual([...o.book.holders], []);
  assert.equal(o.guard.snapshot(Date.now()).inFlight, 0, 'every slot returned at close');
});

test('leases: a lease allows LEASE_CALLS calls, then the next renewal carries their reports', async () => {
  const o = org();
  const g = new RemoteGuard(o, local());
  assert.equal(g.admit(READ, Date.now()).ok, false); // asks
  await tick(5);
  let calls = 0;
  // One at a time: every call settled before the next, nothing reported until a renewal.
  while (calls < LEASE_CALLS - 3) {
    const a = g.admit(READ, Date.now());
    assert.ok(a.ok, `call ${calls}`);
    g.settle(a.ticket, OK, Date.now());
    calls++;
  }
  assert.equal(o.calls, 1, 'one lease call so far');
  assert.equal(o.book.stats.reports, 0);
  const a = g.admit(READ, Date.now()); // two calls left after it: renews ahead, carrying the reports
  assert.ok(a.ok);
  g.settle(a.ticket, OK, Date.now());
  await tick(5);
  assert.equal(o.calls, 2);
  assert.equal(o.book.stats.reports, LEASE_CALLS - 3);
  await g.close();
  assert.equal(o.book.stats.reports, LEASE_CALLS - 2);
  assert.equal(o.calls, 3, 'the close carried the last report');
  assert.equal(o.guard.snapshot(Date.now()).inFlight, 0);
});

test('leases: a Durable Object that fails makes admits wait, never throw, and its reports are sent again', async () => {
  const o = org();
  const g = new RemoteGuard(o, local());
  g.admit(READ, Date.now());
  await tick(5);
  const a = g.admit(READ, Date.now());
  assert.ok(a.ok);
  g.settle(a.ticket, OK, Date.now());
  o.fail = true;
  // Lease used up (or expired): the next ask fails; admits wait with a reason.
  g.shapes.values().next().value.callsLeft = 0;
  assert.equal(g.admit(READ, Date.now()).ok, false);
  await tick(5);
  const r = g.admit(READ, Date.now());
  assert.deepEqual([r.ok, r.reason], [false, 'breaker_open']);
  assert.ok(r.waitMs > 0);
  assert.ok(g.failure instanceof Error);
  assert.equal(g.reports.length, 1, 'the report is kept for the next call');
  o.fail = false;
  g.refusal = null;
  g.admit(READ, Date.now());
  await tick(5);
  assert.equal(o.book.stats.reports, 1, 'delivered once the Durable Object answers');
  await g.close();
  assert.equal(o.guard.snapshot(Date.now()).inFlight, 0);
});

test('leases: a holder that vanishes gets its slots taken back after the lease and the grace', async () => {
  let now = 1_000_000;
  const o = org({ limit: 10, clock: () => now });
  const gone = new RemoteGuard(o, local());
  gone.admit(READ, Date.now());
  await tick(5);
  assert.equal(o.guard.snapshot(now).inFlight, WORKERS_MAX_CONNECTIONS, 'the lease holds 6 slots');
  // Never closes. Another isolate gets the other 4, not more, until the grace is over.
  const other = new RemoteGuard(o, local());
  other.admit(READ, Date.now());
  await tick(5);
  assert.equal([...other.shapes.values()][0].slots, 4);
  now += LEASE_TTL_MS + LEASE_GRACE_MS - 1;
  await other.close();
  assert.equal(o.guard.snapshot(now).inFlight, WORKERS_MAX_CONNECTIONS, 'still held: its calls may still run');
  now += 2;
  const late = new RemoteGuard(o, local());
  late.admit(READ, Date.now());
  await tick(5);
  assert.equal([...late.shapes.values()][0].slots, WORKERS_MAX_CONNECTIONS, 'the vanished slots came back');
  assert.equal(o.book.stats.expired, 1);
  await late.close();
});

test('leases: slots a holder may still use count against every other grant (debt) until it says they ended', async () => {
  const o = org({ limit: 10 });
  const a = new RemoteGuard(o, local());
  a.admit(READ, Date.now());
  await tick(5);
  const tickets = [];
  for (let i = 0; i < WORKERS_MAX_CONNECTIONS; i++) tickets.push(a.admit(READ, Date.now()).ticket);
  // Zoho says: too many requests, wait 10 s. The org's Guard cools down and refuses the replacements.
  const tooMany = { status: 429, headers: { 'retry-after': '10' }, body: '{"code":"TOO_MANY_REQUESTS","status":"error","message":"x","details":{}}' };
  g429(a, tickets.slice(0, 2), tooMany);
  const b = new RemoteGuard(o, local());
  // a renews while 4 of its calls still run: its replacements are refused, yet it may run them.
  a.shapes.values().next().value.callsLeft = 0;
  a.admit(READ, Date.now());
  await tick(5);
  const held = o.guard.snapshot(Date.now()).slotsInUse;
  const debt = [...o.book.holders.values()].flatMap((h) => Object.values(h.shapes)).reduce((n, s) => n + s.debt, 0);
  assert.ok(held + debt >= 4, `the 4 calls still running are counted (tickets ${held}, debt ${debt})`);
  assert.ok(held + debt <= 10);
  b.admit(READ, Date.now());
  await tick(5);
  const bSlots = [...b.shapes.values()][0]?.slots ?? 0;
  assert.ok(bSlots + 4 <= 10, `b got ${bSlots} slots`);
  for (const t of tickets.slice(2)) a.settle(t, OK, Date.now());
  await a.close();
  await b.close();
  const left = [...o.book.holders.values()].flatMap((h) => Object.values(h.shapes));
  assert.deepEqual(left, [], 'nothing held once both closed');
});

function g429(guard, tickets, response) {
  for (const t of tickets) guard.settle(t, response, Date.now());
}

test('leases: a holder refused gets a share at the others\' next renewal', async () => {
  const o = org({ limit: 10 });
  const [a, b, c] = [0, 1, 2].map(() => new RemoteGuard(o, local()));
  const slots = (g) => [...g.shapes.values()][0]?.slots ?? 0;
  for (const g of [a, b, c]) {
    g.admit(READ, Date.now());
    await tick(5);
  }
  assert.deepEqual([slots(a), slots(b), slots(c)], [6, 4, 0], 'first come: c waits');
  // a renews (its calls ran out): it keeps ceil(10 / 3) = 4, and c gets what a gave back.
  a.shapes.values().next().value.callsLeft = 0;
  a.admit(READ, Date.now());
  await tick(5);
  c.refusal = null;
  c.admit(READ, Date.now());
  await tick(5);
  assert.deepEqual([slots(a), slots(b), slots(c)], [4, 4, 2]);
  assert.equal(o.guard.snapshot(Date.now()).slotsInUse, 10);
  await Promise.all([a.close(), b.close(), c.close()]);
  assert.equal(o.guard.snapshot(Date.now()).inFlight, 0);
});
