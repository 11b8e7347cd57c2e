// The Redis side of the shared budget: three Lua scripts, each one atomic update of the
// org's ledger. Redis holds counts only (slot leases, credits in the window, the learned
// limit); every decision about a call (retry, split, verify, AIMD) stays in the local Guard.
//
// Keys (prefix `{keyPrefix}:{org}:`): `slots` and `pool:complex` / `pool:graphql` are
// sorted sets of leases (member `owner#seq:n`, score = expiry, ms of Redis's clock, so
// the processes' clocks never matter); `credits` holds one member per admitted call
// (`owner#seq|cost`, score = when) and `credits:used` their sum over the window;
// `limits` maps each live process to the limit its Guard learned (`limit|expiry`);
// `waiting` holds the processes refused a slot (score = expiry), for the fair share.
// A Lua script runs alone in Redis: no other process sees a half-made update.

/** Redis's clock in ms, and the purge of expired leases: shared head of the scripts. */
const NOW = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
`;

/**
 * Grants up to `want` calls of one shape (slots, pool, credits), or fewer, with the
 * limit that stopped it. KEYS: slots, pool (or slots again), credits, credits:used,
 * limits, waiting. ARGV: owner, seq, want, slots, poolSlots, cost, cap, poolCap,
 * allowance, windowMs, leaseMs, waitingMs, poolReason, channel.
 * Returns [granted, reason, waitMs, othersWaiting, cap, creditsLeft].
 */
export const ACQUIRE = `${NOW}
local owner, seq, want = ARGV[1], tonumber(ARGV[2]), tonumber(ARGV[3])
local slots, pslots, cost = tonumber(ARGV[4]), tonumber(ARGV[5]), tonumber(ARGV[6])
local cap, pcap, allowance = tonumber(ARGV[7]), tonumber(ARGV[8]), tonumber(ARGV[9])
local window, lease, waiting = tonumber(ARGV[10]), tonumber(ARGV[11]), tonumber(ARGV[12])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', now)
redis.call('ZREMRANGEBYSCORE', KEYS[6], '-inf', now)
-- The learned limit: the lowest any live process's Guard reports (a 429 anywhere counts for all).
local reports = redis.call('HGETALL', KEYS[5])
for i = 1, #reports, 2 do
  local v, exp = string.match(reports[i + 1], '^(%d+)|(%d+)$')
  if v and tonumber(exp) > now then cap = math.min(cap, tonumber(v)) else redis.call('HDEL', KEYS[5], reports[i]) end
end
if cap < 1 then cap = 1 end
-- Credits: those older than the window come back.
local used = tonumber(redis.call('GET', KEYS[4]) or '0')
local old = redis.call('ZRANGEBYSCORE', KEYS[3], '-inf', now - window)
for _, m in ipairs(old) do used = used - tonumber(string.match(m, '|(%d+)$')) end
if #old > 0 then redis.call('ZREMRANGEBYSCORE', KEYS[3], '-inf', now - window) end
if used < 0 then used = 0 end
-- Fairness: while others wait, a slot goes to the waiter holding the fewest (max-min share).
local members = redis.call('ZRANGE', KEYS[1], 0, -1)
local held = {}
for _, m in ipairs(members) do
  local o = string.match(m, '^(.-)#')
  held[o] = (held[o] or 0) + 1
end
local mine, others, fewest = held[owner] or 0, 0, nil
for _, o in ipairs(redis.call('ZRANGE', KEYS[6], 0, -1)) do
  if o ~= owner then
    others = others + 1
    local h = held[o] or 0
    if fewest == nil or h < fewest then fewest = h end
  end
end
local granted, reason, wait = want, '', 0
local function limit(count, why)
  if count < granted then granted, reason = math.max(0, count), why end
end
limit(math.floor((cap - #members) / slots), 'concurrency')
if others > 0 then limit(math.floor((fewest + slots - mine) / slots), 'concurrency') end
if pslots > 0 then limit(math.floor((pcap - redis.call('ZCARD', KEYS[2])) / pslots), ARGV[13]) end
if cost > 0 then
  limit(math.floor((allowance - used) / cost), 'credits')
  if reason == 'credits' then
    local first = redis.call('ZRANGE', KEYS[3], 0, 0, 'WITHSCORES')
    wait = first[2] and math.max(1, tonumber(first[2]) + window - now) or window
  end
end
for i = 1, granted do
  local id = owner .. '#' .. (seq + i)
  for s = 1, slots do redis.call('ZADD', KEYS[1], now + lease, id .. ':' .. s) end
  if pslots > 0 then redis.call('ZADD', KEYS[2], now + lease, id .. ':p') end
  if cost > 0 then redis.call('ZADD', KEYS[3], now, id .. '|' .. cost) end
end
if cost > 0 then redis.call('SET', KEYS[4], used + granted * cost) end
if granted < want then
  -- Waiting: the others stop keeping their slots for their own next calls (see RELEASE).
  redis.call('ZADD', KEYS[6], now + waiting, owner)
  redis.call('PUBLISH', ARGV[14], 'waiting ' .. owner)
else
  redis.call('ZREM', KEYS[6], owner)
end
return { granted, reason, wait, others, cap, allowance - used - granted * cost }
`;

/**
 * Frees the leases of finished calls (a grant never used gets its credits back) and
 * charges the credits of calls sent on a slot this process kept. Tells the waiting
 * processes (PUBLISH) when a slot freed. KEYS: slots, pool:complex, pool:graphql,
 * credits, credits:used, waiting. ARGV: owner, channel, number of charges, then per
 * charge seq, cost, then per grant seq, slots, pool (0 none, 1 complex, 2 graphql), refund.
 */
export const RELEASE = `${NOW}
local owner = ARGV[1]
local charges = tonumber(ARGV[3])
local freed, refund, spent = 0, 0, 0
for i = 4, 3 + 2 * charges, 2 do
  spent = spent + redis.call('ZADD', KEYS[4], now, owner .. '#' .. ARGV[i] .. '|' .. ARGV[i + 1]) * tonumber(ARGV[i + 1])
end
for i = 4 + 2 * charges, #ARGV, 4 do
  local id = owner .. '#' .. ARGV[i]
  for s = 1, tonumber(ARGV[i + 1]) do freed = freed + redis.call('ZREM', KEYS[1], id .. ':' .. s) end
  local p = tonumber(ARGV[i + 2])
  if p > 0 then freed = freed + redis.call('ZREM', KEYS[1 + p], id .. ':p') end
  local r = tonumber(ARGV[i + 3])
  if r > 0 and redis.call('ZREM', KEYS[4], id .. '|' .. r) == 1 then refund = refund + r end
end
local used = tonumber(redis.call('GET', KEYS[5]) or '0') + spent - refund
redis.call('SET', KEYS[5], math.max(0, used))
redis.call('ZREMRANGEBYSCORE', KEYS[6], '-inf', now)
if freed > 0 and redis.call('ZCARD', KEYS[6]) > 0 then redis.call('PUBLISH', ARGV[2], 'freed ' .. owner) end
return freed
`;

/**
 * Renews this process's leases (and writes them again after a Redis restart lost them:
 * calls in flight hold their slots whatever Redis remembers) and its learned limit.
 * KEYS: slots, pool:complex, pool:graphql, limits. ARGV: owner, leaseMs, limit, then per
 * call seq, slots, pool. Returns the number of live processes.
 */
export const RENEW = `${NOW}
local owner, lease = ARGV[1], tonumber(ARGV[2])
for i = 4, #ARGV, 3 do
  local id = owner .. '#' .. ARGV[i]
  for s = 1, tonumber(ARGV[i + 1]) do redis.call('ZADD', KEYS[1], now + lease, id .. ':' .. s) end
  local p = tonumber(ARGV[i + 2])
  if p > 0 then redis.call('ZADD', KEYS[1 + p], now + lease, id .. ':p') end
end
redis.call('HSET', KEYS[4], owner, ARGV[3] .. '|' .. (now + lease))
local live = 0
local reports = redis.call('HGETALL', KEYS[4])
for i = 2, #reports, 2 do
  local exp = tonumber(string.match(reports[i], '|(%d+)$'))
  if exp and exp > now then live = live + 1 end
end
return live
`;

/** Registers the scripts on an ioredis connection (EVALSHA, EVAL when Redis lost them). */
export function defineScripts(redis) {
  redis.defineCommand('zgAcquire', { numberOfKeys: 6, lua: ACQUIRE });
  redis.defineCommand('zgRelease', { numberOfKeys: 6, lua: RELEASE });
  redis.defineCommand('zgRenew', { numberOfKeys: 4, lua: RENEW });
}

/** The keys of one org. */
export function keysOf(prefix, org) {
  const k = (name) => `${prefix}:${org}:${name}`;
  return {
    slots: k('slots'),
    pools: { complex: k('pool:complex'), graphql: k('pool:graphql') },
    credits: k('credits'),
    used: k('credits:used'),
    limits: k('limits'),
    waiting: k('waiting'),
    channel: k('freed'),
  };
}
