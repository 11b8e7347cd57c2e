// `zcrm-guard/redis`: one org's budget shared by every Node process through Redis
// (ioredis, an optional peer dependency). A separate entry, so the main entries never
// import ioredis or anything Node-only. See docs/shared-budget.md.

import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { Redis } from 'ioredis';
import * as api from './node.js';
import { guardError, readOptions } from './lib/errors.js';
import { RedisGuard } from './lib/redis/guard.js';
import { defineScripts, keysOf } from './lib/redis/scripts.js';

export { RedisGuard };

/** How long a crashed process's slots stay taken (ms): longer than a call's default timeout. */
const DEFAULT_LEASE_MS = 45_000;

/**
 * A Guard whose slots, credits and learned limit live in Redis, for `createClient({ guard })`.
 * @param {import('./redis.d.ts').RedisGuardOptions} options
 * @returns {Promise<RedisGuard>}
 */
export async function redisGuard(options) {
  const o = readOptions(options);
  if (typeof o.org !== 'string' || !/^[\w.-]{1,100}$/.test(o.org)) {
    throw guardError('INVALID_ARGUMENT', 'redisGuard: `org` must name the org in 1-100 letters, digits, `_`, `.` or `-` (it prefixes every key)', 'options.org');
  }
  const whole = (name, min, dflt) => {
    const v = o[name] ?? dflt;
    if (v === undefined) return undefined;
    if (!Number.isInteger(v) || v < min) throw guardError('INVALID_ARGUMENT', `redisGuard: \`${name}\` must be a whole number >= ${min}`, `options.${name}`);
    return v;
  };
  const settings = {
    leaseMs: whole('leaseMs', 100, DEFAULT_LEASE_MS),
    pollMs: whole('pollMs', 1, 20),
    rejoinMs: whole('rejoinMs', 0, 2_000),
    unusedMs: whole('unusedMs', 1, 200),
    expectedProcesses: whole('expectedProcesses', 1, 2),
    localShare: whole('localShare', 1),
    fallbackDrainMs: whole('fallbackDrainMs', 0),
    costs: o.guardConfig?.costs,
  };
  const local =
    o.localGuard ??
    new api.Guard({ edition: o.edition ?? 'standard', licenses: o.licenses, addOnCredits: o.addOnCredits, ...(o.guardConfig ?? {}) });

  // No offline queue: while Redis is away a command fails at once and the guard runs on its share.
  const base = { lazyConnect: true, enableOfflineQueue: false, maxRetriesPerRequest: 0, retryStrategy: () => o.reconnectMs ?? 200, ...(o.redisOptions ?? {}) };
  const redis = o.url ? new Redis(o.url, base) : new Redis(base);
  const subscriber = redis.duplicate();
  const keys = keysOf(o.keyPrefix ?? 'zcrm-guard', o.org);
  // ioredis reports a lost connection as an 'error' too: the guard handles it, nothing to throw.
  for (const c of [redis, subscriber]) c.on('error', () => {});
  // Subscribed again whenever the subscriber (re)connects, also after a first connect that failed.
  subscriber.on('ready', () => subscriber.subscribe(keys.channel).catch(() => {}));
  defineScripts(redis);
  const owner = `${hostname().replace(/[^\w.-]/g, '_')}.${process.pid}.${randomBytes(4).toString('hex')}`;
  let reachable = true;
  try {
    await redis.connect();
    await subscriber.connect();
  } catch {
    reachable = false; // ioredis keeps reconnecting; the guard starts on its local share
  }
  const guard = new RedisGuard({ redis, subscriber, local, api, keys, owner, owns: true, options: settings });
  if (!reachable) guard.mode = 'fallback';
  else await guard.ready();
  return guard;
}
