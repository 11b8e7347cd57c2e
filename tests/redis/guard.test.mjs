// redisGuard on its own, in this process, against a real redis-server: the learned limit
// and the credit ledger shared between guards, the start without Redis and the rejoin,
// and the options it refuses. (Several guards in one process are several owners in Redis.)
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { redisGuard } from '../../pkg/redis.js';
import { freePort, startRedis, keysOf } from './support.mjs';

const INSERT = { kind: 'insert', module: 'Leads', recordCount: 10 };
const OK = { status: 201, headers: {}, body: JSON.stringify({ data: [{ code: 'SUCCESS', status: 'success', details: { id: '1' }, message: 'record added' }] }) };
const TOO_MANY = { status: 429, headers: {}, body: JSON.stringify({ code: 'TOO_MANY_REQUESTS', details: {}, message: 'too many requests', status: 'error' }) };

let redis;
before(async () => {
  redis = await startRedis();
});
after(async () => {
  await redis?.kill();
});

/**
 * Admits up to `n` calls as the client's loop would: a refusal starts a request to Redis;
 * once it is answered, a second refusal is Redis's (or the local share's) answer.
 * @returns {Promise<{ tickets: number[], refusal: object | null }>}
 */
async function admitUpTo(guard, n, op = INSERT) {
  const tickets = [];
  while (tickets.length < n) {
    const a = guard.admit(op, Date.now());
    if (a.ok) {
      tickets.push(a.ticket);
      continue;
    }
    await guard.sync();
    const b = guard.admit(op, Date.now());
    if (b.ok) {
      tickets.push(b.ticket);
      continue;
    }
    await guard.sync();
    return { tickets, refusal: b };
  }
  return { tickets, refusal: null };
}

test('redis: a limit one process learns from a 429 caps every process', { timeout: 30_000 }, async () => {
  const a = await redisGuard({ url: redis.url, org: 'learned', edition: 'standard', licenses: 10 });
  const b = await redisGuard({ url: redis.url, org: 'learned', edition: 'standard', licenses: 10 });
  try {
    const [t] = (await admitUpTo(a, 1)).tickets;
    const d = a.settle(t, TOO_MANY, Date.now());
    assert.equal(d.action, 'retry');
    const learned = a.local.snapshot(Date.now()).effectiveLimit;
    assert.ok(learned < 10, `the local Guard cut its limit (${learned})`);
    await a.sync();
    const { tickets, refusal } = await admitUpTo(b, 10);
    assert.equal(b.status().cap, learned);
    // b's own Guard saw no 429: only Redis tells it the org's learned limit.
    assert.equal(b.local.snapshot(Date.now()).effectiveLimit, 10);
    assert.ok(tickets.length <= learned, `b got ${tickets.length} of ${learned}`);
    assert.equal(refusal?.reason, 'concurrency');
    for (const t2 of tickets) b.settle(t2, OK, Date.now());
  } finally {
    await a.close();
    await b.close();
  }
});

test('redis: the credit ledger is the org\'s: what one process spent, another cannot; unused grants refund', { timeout: 30_000 }, async () => {
  const config = { guardConfig: { creditCap: 5 }, licenses: 0 };
  const a = await redisGuard({ url: redis.url, org: 'credits', edition: 'standard', ...config });
  const b = await redisGuard({ url: redis.url, org: 'credits', edition: 'standard', ...config });
  try {
    assert.equal(a.local.snapshot(Date.now()).creditsAllowance, 5);
    const first = await admitUpTo(a, 3);
    assert.equal(first.tickets.length, 3);
    for (const t of first.tickets) a.settle(t, OK, Date.now());
    await a.sync();
    const second = await admitUpTo(b, 5);
    assert.equal(second.tickets.length, 2, 'b spends what a left');
    assert.equal(second.refusal?.reason, 'credits');
    assert.ok(second.refusal.waitMs > 23 * 3600_000, `the credits come back with the window (${second.refusal.waitMs} ms)`);
    for (const t of second.tickets) b.settle(t, OK, Date.now());
    await b.sync();
    assert.equal((await keysOf(redis, 'credits')).used, 5);
  } finally {
    await a.close();
    await b.close();
  }
  // Nothing was granted and left unused: the ledger holds exactly the five calls sent.
  assert.equal((await keysOf(redis, 'credits')).used, 5);
});

test('redis: unreachable at start, a guard runs on its local share, then joins Redis when it comes up', { timeout: 30_000 }, async () => {
  const port = await freePort();
  const g = await redisGuard({ url: `redis://127.0.0.1:${port}`, org: 'late', edition: 'standard', expectedProcesses: 3, rejoinMs: 0, reconnectMs: 50 });
  let other;
  try {
    assert.equal(g.status().mode, 'fallback');
    assert.equal(g.status().share, 3, 'floor(10 / 3)');
    const local = await admitUpTo(g, 10);
    assert.equal(local.tickets.length, 3, 'never more than the share without Redis');
    other = await startRedis(port);
    while (g.status().mode !== 'shared') await new Promise((r) => setTimeout(r, 20));
    await g.sync();
    // The calls sent without Redis are in Redis now, so they count for every process.
    const k = await keysOf(other, 'late');
    assert.equal(k.slots.length / 2, 3);
    for (const t of local.tickets) g.settle(t, OK, Date.now());
    const shared = await admitUpTo(g, 10);
    assert.equal(shared.tickets.length, 10, 'the whole limit once shared');
    for (const t of shared.tickets) g.settle(t, OK, Date.now());
  } finally {
    await g.close();
    await other?.kill();
  }
});

test('redis: options that cannot work are refused with a ZcrmGuardError', async () => {
  for (const [options, field] of [
    [{ url: redis.url }, 'options.org'],
    [{ url: redis.url, org: 'a b' }, 'options.org'],
    [{ url: redis.url, org: 'ok', leaseMs: 10 }, 'options.leaseMs'],
    [{ url: redis.url, org: 'ok', localShare: 0 }, 'options.localShare'],
  ]) {
    await assert.rejects(redisGuard(options), (e) => e.name === 'ZcrmGuardError' && e.code === 'INVALID_ARGUMENT' && e.details.field === field);
  }
});
