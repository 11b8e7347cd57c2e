// The process's side of the Redis budget: a Guard facade the client calls synchronously
// (its loop asks `admit` and `settle` without awaiting), like the Worker's remote guard.
//
// - admit: a call goes with a grant from Redis (its slots, its complex/GraphQL slot and
//   its credits, leased for `leaseMs`) and the local Guard's admission. Grants are asked
//   for asynchronously; until one arrives the answer is "wait", and the client's loop is
//   woken (`subscribe`) when it arrives.
// - settle: the local Guard decides (retry, split, verify, AIMD); the leases go back to
//   Redis in batches, and a limit the Guard lowered after a 429 is reported for every process.
// - Redis unreachable: once the calls sent before have drained (about the longest call
//   seen), calls go on within a local share (`localShare`, by default the org's limit over
//   the processes last seen); once Redis is back, the calls in flight
//   are written there again and, for `rejoinMs`, the share still applies, so processes
//   still cut off and processes back never add up to more than the org's limit.

/** Index of a pool's lease set in the release/renew scripts' KEYS (0: standard, no pool slot). */
const POOL_INDEX = { standard: 0, complex: 1, graphql: 2 };
/** The refusal reason of each pool, as the local Guard names it (the client's loop blocks that pool only). */
const POOL_REASON = { standard: 'concurrency', complex: 'sub_concurrency', graphql: 'graphql_concurrency' };
/** The longest drain after Redis goes away: the client's default call timeout (ms). */
const MAX_DRAIN_MS = 30_000;
/** Zoho's credit window (K93): 24 hours rolling. */
const WINDOW_MS = 24 * 60 * 60 * 1000;

export class RedisGuard {
  /**
   * @param {{ redis: any, subscriber: any, local: any, api: any, keys: ReturnType<typeof import('./scripts.js').keysOf>,
   *   owner: string, owns: boolean, options: Required<Pick<import('../../redis.d.ts').RedisGuardOptions,
   *   'leaseMs' | 'pollMs' | 'rejoinMs' | 'unusedMs' | 'expectedProcesses'>> & { localShare?: number, costs?: object } }} parts
   */
  constructor({ redis, subscriber, local, api, keys, owner, owns, options }) {
    this.redis = redis;
    this.subscriber = subscriber;
    this.local = local;
    this.api = api;
    this.keys = keys;
    this.owner = owner;
    this.owns = owns;
    this.o = options;
    const s = local.snapshot(Date.now());
    this.limits = { standard: s.editionLimit, complex: s.subConcurrency, graphql: s.graphqlConcurrency };
    this.allowance = s.creditsAllowance;
    /** The org's limit as Redis last said (the lowest any process's Guard learned). */
    this.cap = s.editionLimit;
    this.live = 1;
    /** 'shared' | 'fallback' | 'rejoining' */
    this.mode = 'shared';
    this.rejoinUntil = 0;
    /** In fallback, no call before this instant (the calls sent before the outage drain). */
    this.drainUntil = 0;
    this.longestCallMs = 0;
    this.seq = 0;
    /** @type {Map<string, { seq: number, slots: number, pool: number, cost: number, at: number }[]>} grants by shape */
    this.held = new Map();
    /** @type {Map<number, { seq: number, slots: number, pool: number, cost: number }>} local ticket -> its grant */
    this.inFlight = new Map();
    /** @type {Map<string, { shape: any, count: number, at: number }>} calls waiting for a grant, by shape */
    this.demand = new Map();
    /** @type {Map<string, { shape: any, at: number, reason: string }>} shapes refused by Redis, asked again when a slot frees */
    this.starved = new Map();
    this.asking = new Set();
    /** @type {Map<string, number>} how many grants to ask for next, by shape */
    this.nextAsk = new Map();
    /** Until then another process waits for a slot: a finished call's slot goes back to Redis. */
    this.othersWaitUntil = 0;
    /** @type {{ key: string, reason: string, until: number } | null} a refusal with a wait of its own (credits) */
    this.refusal = null;
    this.releases = [];
    /** @type {{ seq: number, cost: number }[]} credits of calls sent on kept slots, not yet in Redis */
    this.charges = [];
    this.creditsLeft = 0;
    this.flushing = null;
    this.pending = new Set();
    this.listeners = new Set();
    this.reportedLimit = s.effectiveLimit;
    this.stats = { acquires: 0, granted: 0, released: 0, errors: 0, fallbacks: 0, rejoins: 0 };
    this.lastError = null;
    this.closed = false;
    this.heartbeat = setInterval(() => this.#renew(), Math.max(50, Math.floor(options.leaseMs / 3)));
    this.heartbeat.unref?.();
    this.unusedTimer = null;
    this.#watch();
  }

  // ------------------------------------------------------------------ the facade

  admit(operation, nowMs, retryOf) {
    const shape = this.#shape(operation);
    this.#rejoined();
    if (this.mode !== 'shared' && !this.#withinShare(shape)) return refused(shape.reason, this.o.pollMs);
    if (this.mode === 'fallback') {
      // Calls sent before the outage may hold more than this share: none goes until they are done.
      if (Date.now() < this.drainUntil) return refused(shape.reason, this.drainUntil - Date.now());
      // No Redis: the call goes on the local share; its slots are written to Redis once it is back.
      const a = this.local.admit(operation, nowMs, retryOf);
      if (a.ok) this.inFlight.set(a.ticket, { seq: ++this.seq, slots: shape.slots, pool: shape.pool, cost: 0, sentAt: Date.now() });
      return a;
    }
    const grant = this.held.get(shape.key)?.[0];
    if (grant) {
      const a = this.local.admit(operation, nowMs, retryOf);
      if (!a.ok) return a;
      this.held.get(shape.key).shift();
      this.inFlight.set(a.ticket, { ...grant, sentAt: Date.now() });
      if (!grant.paid && shape.cost > 0) {
        // A kept slot: this call's credits go to the ledger with the next release batch.
        this.charges.push({ seq: ++this.seq, cost: shape.cost });
        this.creditsLeft -= shape.cost;
        this.#flush();
      }
      return a;
    }
    if (this.refusal && this.refusal.key === shape.key && this.refusal.until > Date.now()) {
      return refused(this.refusal.reason, this.refusal.until - Date.now());
    }
    this.#want(shape);
    return refused(this.starved.get(shape.key)?.reason ?? shape.reason, this.o.pollMs);
  }

  settle(ticket, response, nowMs) {
    const decision = this.local.settle(ticket, response, nowMs);
    this.#settled(ticket, response?.status === 429, nowMs);
    return decision;
  }

  settleVerdict(ticket, verdict, nowMs) {
    const decision = this.local.settleVerdict(ticket, verdict, nowMs);
    this.#settled(ticket, verdict?.error?.code === 'TOO_MANY_REQUESTS', nowMs);
    return decision;
  }

  settleNoResponse(ticket, nowMs, options) {
    const decision = this.local.settleNoResponse(ticket, nowMs, options);
    this.#settled(ticket, false, nowMs);
    return decision;
  }

  tokenRefreshed(nowMs, tokenResponse) {
    return this.local.tokenRefreshed(nowMs, tokenResponse);
  }

  tokenRefreshFailed(nowMs, failure) {
    return this.local.tokenRefreshFailed(nowMs, failure);
  }

  snapshot(nowMs) {
    return this.local.snapshot(nowMs);
  }

  toJSON() {
    return this.local.toJSON();
  }

  decisionLog() {
    return this.local.decisionLog();
  }

  /** Resolves once Redis knows this process (its learned limit) and it knows how many processes are live. */
  async ready() {
    await this.#renew();
  }

  /** Resolves once every Redis update sent so far (asks, releases, renewals) is answered. */
  async sync() {
    await null; // asks are sent after the caller's current pass (a microtask)
    while (this.pending.size || this.flushing) {
      await Promise.allSettled([this.flushing, ...this.pending]);
      await null; // the callers that came meanwhile
    }
  }

  /** Calls `listener` when a grant arrives or the mode changes (the client's loop asks again). */
  subscribe(listener) {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Where this process stands: its mode, its share when cut off, what it holds. */
  status() {
    this.#rejoined();
    return {
      mode: this.mode,
      owner: this.owner,
      cap: this.cap,
      live: this.live,
      share: this.#share('standard'),
      held: [...this.held.values()].reduce((n, l) => n + l.length, 0),
      inFlight: this.inFlight.size,
      stats: { ...this.stats },
      lastError: this.lastError ? String(this.lastError.message ?? this.lastError) : null,
    };
  }

  /** Gives back unused grants, waits for every release, and closes the connections it opened. */
  async close() {
    if (this.closed) return;
    this.closed = true;
    clearInterval(this.heartbeat);
    clearTimeout(this.unusedTimer);
    for (const list of this.held.values()) for (const g of list.splice(0)) this.releases.push({ ...g, refund: g.paid ? g.cost : 0 });
    // A few rounds at most: what Redis does not take now, the leases' end gives back.
    for (let round = 0; round < 3 && this.redis.status === 'ready'; round++) {
      this.#flush();
      await this.sync();
      if (!this.releases.length && !this.charges.length) break;
    }
    this.listeners.clear();
    if (!this.owns) return;
    for (const c of [this.subscriber, this.redis]) {
      if (c.status === 'ready') await c.quit().catch(() => c.disconnect());
      else c.disconnect();
    }
  }

  // ------------------------------------------------------------------ grants

  /** What a call takes: its slots, its pool, its credits; calls of one shape share grants. */
  #shape(operation) {
    const lim = this.api.operationLimits(operation);
    const cost = this.api.creditCost(operation, this.o.costs ?? undefined).credits;
    const pool = POOL_INDEX[lim.pool] ?? 0;
    return { key: `${lim.concurrencySlots}|${pool}|${cost}`, slots: lim.concurrencySlots, pool, poolName: lim.pool, cost, reason: POOL_REASON[lim.pool] ?? 'concurrency' };
  }

  #want(shape) {
    const d = this.demand.get(shape.key) ?? { shape, count: 0, at: 0 };
    d.count++;
    d.at = Date.now();
    this.demand.set(shape.key, d);
    if (this.asking.has(shape.key)) return;
    // Asked after the client's current pass, so its callers go in one request.
    this.asking.add(shape.key);
    queueMicrotask(() => this.#ask(shape.key));
  }

  #ask(key) {
    const d = this.demand.get(key);
    this.demand.delete(key);
    if (!d || this.closed || this.mode === 'fallback') {
      this.asking.delete(key);
      return;
    }
    const { shape } = d;
    // The client asks once per pass, so demand shows one call at a time: a request that was
    // granted whole asks for twice as many next time (slow start), one refused asks for one.
    const count = Math.max(1, Math.min(Math.max(d.count, this.nextAsk.get(key) ?? 1), this.limits.standard));
    const seq = this.seq;
    this.seq += count;
    const k = this.keys;
    const poolKey = shape.pool ? k.pools[shape.poolName] : k.slots;
    this.stats.acquires++;
    const p = this.redis
      .zgAcquire(k.slots, poolKey, k.credits, k.used, k.limits, k.waiting, this.owner, seq, count, shape.slots, shape.pool ? 1 : 0, shape.cost,
        this.limits.standard, this.limits[shape.poolName] ?? this.limits.standard, this.allowance, WINDOW_MS, this.o.leaseMs, this.o.pollMs * 4, shape.reason, k.channel)
      .then(([granted, reason, waitMs, others, cap, creditsLeft]) => {
        this.cap = Number(cap);
        this.creditsLeft = Number(creditsLeft);
        const now = Date.now();
        if (granted > 0) {
          const list = this.held.get(key) ?? [];
          for (let i = 1; i <= granted; i++) list.push({ seq: seq + i, slots: shape.slots, pool: shape.pool, cost: shape.cost, paid: true, at: now });
          this.held.set(key, list);
          this.stats.granted += Number(granted);
          this.#armUnused();
        }
        if (granted < count) this.starved.set(key, { shape, at: now, reason: reason || shape.reason });
        else this.starved.delete(key);
        this.nextAsk.set(key, granted < count ? 1 : count * 2);
        if (Number(others) > 0) this.othersWaitUntil = now + this.o.pollMs * 4;
        this.refusal = granted === 0 && reason === 'credits' ? { key, reason, until: now + Number(waitMs) } : null;
        if (granted > 0) this.#notify();
      })
      .catch((e) => this.#failed(e))
      .finally(() => {
        this.asking.delete(key);
        this.pending.delete(p);
        // Callers that came during the request ask now.
        if (this.demand.has(key) && !this.asking.has(key)) {
          this.asking.add(key);
          queueMicrotask(() => this.#ask(key));
        }
      });
    this.pending.add(p);
  }

  /** A slot freed somewhere: the shapes refused lately ask again (the others ask when admitted). */
  #freed() {
    const now = Date.now();
    for (const [key, s] of this.starved) {
      if (now - s.at > this.o.pollMs * 4) this.starved.delete(key);
      else if (!this.asking.has(key)) this.#want(s.shape);
    }
  }

  /** Another process waits: the slots kept for later calls go back now, and finished calls' slots from now on. */
  #othersWait() {
    this.othersWaitUntil = Date.now() + this.o.pollMs * 4;
    for (const list of this.held.values()) for (const g of list.splice(0)) this.releases.push({ ...g, refund: g.paid ? g.cost : 0 });
    this.#flush();
  }

  /** Grants nobody used (the local Guard refused, the job ended) go back with their credits. */
  #armUnused() {
    if (this.unusedTimer) return;
    this.unusedTimer = setTimeout(() => {
      this.unusedTimer = null;
      const old = Date.now() - this.o.unusedMs;
      let left = false;
      for (const list of this.held.values()) {
        while (list.length && list[0].at <= old) {
          const g = list.shift();
          this.releases.push({ ...g, refund: g.paid ? g.cost : 0 });
        }
        left ||= list.length > 0;
      }
      this.#flush();
      if (left) this.#armUnused();
    }, this.o.unusedMs);
    this.unusedTimer.unref?.();
  }

  #settled(ticket, tooMany, nowMs) {
    const grant = this.inFlight.get(ticket);
    if (grant) {
      this.inFlight.delete(ticket);
      this.longestCallMs = Math.max(this.longestCallMs, Date.now() - grant.sentAt);
      if (this.mode === 'shared' && Date.now() >= this.othersWaitUntil && this.creditsLeft > this.limits.standard * Math.max(1, grant.cost) * 2) {
        // Nobody else waits: the lease stays here for this process's next call of the
        // shape (no round trip); unused, it goes back after `unusedMs`. Its credits are spent.
        const key = `${grant.slots}|${grant.pool}|${grant.cost}`;
        const list = this.held.get(key) ?? [];
        list.push({ ...grant, paid: false, at: Date.now() });
        this.held.set(key, list);
        this.#armUnused();
      } else {
        this.releases.push({ ...grant, refund: 0 });
        this.#flush();
      }
    }
    if (tooMany) {
      // The local Guard lowered its limit (AIMD): every process learns it at once.
      const limit = this.local.snapshot(nowMs).effectiveLimit;
      if (limit !== this.reportedLimit) this.#renew();
    }
  }

  /** Sends the queued releases in one script call; those that fail go again with the next. */
  #flush() {
    if (this.flushing || !(this.releases.length || this.charges.length) || this.mode === 'fallback') return;
    const batch = this.releases.splice(0);
    const charges = this.charges.splice(0);
    const k = this.keys;
    const args = [charges.length, ...charges.flatMap((c) => [c.seq, c.cost]), ...batch.flatMap((g) => [g.seq, g.slots, g.pool, g.refund])];
    this.flushing = this.redis
      .zgRelease(k.slots, k.pools.complex, k.pools.graphql, k.credits, k.used, k.waiting, this.owner, k.channel, ...args)
      .then(() => {
        this.stats.released += batch.length;
        return true;
      })
      .catch((e) => {
        // Sent again with the next release or renewal, not at once (no loop on a failing Redis).
        this.releases.unshift(...batch);
        this.charges.unshift(...charges);
        this.#failed(e);
        return false;
      })
      .then((ok) => {
        this.flushing = null;
        if (ok && (this.releases.length || this.charges.length) && this.mode !== 'fallback') this.#flush();
      });
  }

  /** Renews the leases of every call in flight (writing them again after a restart) and reports the learned limit. */
  #renew() {
    if (this.closed || this.redis.status !== 'ready') return null;
    const limit = this.local.snapshot(Date.now()).effectiveLimit;
    const calls = [...this.inFlight.values(), ...[...this.held.values()].flat()];
    const k = this.keys;
    const p = this.redis
      .zgRenew(k.slots, k.pools.complex, k.pools.graphql, k.limits, this.owner, this.o.leaseMs, limit, ...calls.flatMap((g) => [g.seq, g.slots, g.pool]))
      .then((live) => {
        this.reportedLimit = limit;
        this.live = Math.max(1, Number(live));
      })
      .catch((e) => this.#failed(e))
      .finally(() => this.pending.delete(p));
    this.pending.add(p);
    this.#flush();
    return p;
  }

  // ------------------------------------------------------------------ Redis lost and back

  #watch() {
    this.redis.on('close', () => {
      if (this.mode === 'fallback' || this.closed) return;
      this.mode = 'fallback';
      this.stats.fallbacks++;
      // Every process may hold more than its share when Redis goes: the calls sent before
      // end within about the longest call seen (or `fallbackDrainMs`), then shares apply.
      this.drainUntil = Date.now() + (this.o.fallbackDrainMs ?? Math.min(MAX_DRAIN_MS, Math.ceil(this.longestCallMs * 1.5) || 1_000));
      this.#notify();
    });
    this.redis.on('ready', () => {
      if (this.mode !== 'fallback' || this.closed) return;
      this.stats.rejoins++;
      this.mode = 'rejoining';
      this.rejoinUntil = Date.now() + this.o.rejoinMs;
      // Ordered on the connection: the calls in flight are in Redis before any new grant.
      this.#renew();
      this.#flush();
      this.#notify();
      setTimeout(() => this.#notify(), this.o.rejoinMs + 1).unref?.();
    });
    this.subscriber.on('message', (_channel, message) => {
      const [what, owner] = String(message).split(' ');
      if (owner === this.owner) return;
      if (what === 'waiting') this.#othersWait();
      else this.#freed();
    });
  }

  /** Back to 'shared' once the rejoin time is over (every process had time to write its calls again). */
  #rejoined() {
    if (this.mode === 'rejoining' && Date.now() >= this.rejoinUntil) this.mode = 'shared';
  }

  #failed(e) {
    this.stats.errors++;
    this.lastError = e;
  }

  /** The calls this process may have in flight without Redis: a share of the org's limit, never above it. */
  #share(poolName) {
    const limit = poolName === 'standard' ? Math.min(this.cap, this.limits.standard) : this.limits[poolName];
    const processes = Math.max(1, this.o.expectedProcesses, this.live);
    const share = this.o.localShare !== undefined && poolName === 'standard' ? this.o.localShare : Math.floor(limit / processes);
    return Math.max(1, Math.min(limit, share));
  }

  #withinShare(shape) {
    let slots = 0;
    let pool = 0;
    for (const g of this.inFlight.values()) {
      slots += g.slots;
      if (shape.pool && g.pool === shape.pool) pool++;
    }
    // A call wider than the share (a composite's 5 slots) goes alone.
    if (slots > 0 && slots + shape.slots > this.#share('standard')) return false;
    return !shape.pool || pool < this.#share(shape.poolName);
  }

  #notify() {
    for (const l of this.listeners) {
      try {
        l();
      } catch {
        // A listener's failure is its own.
      }
    }
  }
}

/** A refusal in the local Guard's shape, so the client's loop needs nothing new. */
function refused(reason, waitMs) {
  return { ok: false, waitMs: Math.max(1, Math.ceil(waitMs)), reason, refresh: false };
}
