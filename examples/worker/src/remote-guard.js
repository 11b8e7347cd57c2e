// The isolate's side of the shared budget: a Guard facade the client can call
// synchronously (its loop asks `admit` and `settle` without awaiting), backed by the
// org's Durable Object, which owns the one Guard that counts every isolate's calls.
//
// - admit: a call may go only with a grant (a ticket admitted by the org's Guard) and a
//   slot of this invocation's local Guard (capped at Workers' 6 simultaneous outbound
//   connections). Grants are asked for asynchronously; until one arrives the answer is
//   "wait a few ms", which the client already knows how to follow.
// - settle: the local Guard decides what this isolate does next (retry, split, verify...);
//   the response is reported to the Durable Object so the org's Guard frees the slot,
//   reconciles credits and adapts its limit for every isolate.

/** Workers' cap on simultaneous outbound connections per invocation (developers.cloudflare.com/workers/platform/limits). */
export const WORKERS_MAX_CONNECTIONS = 6;
/** How long the client waits before asking again while a grant is on its way. */
const GRANT_POLL_MS = 5;
/** The wait answered once the invocation's subrequest budget is spent (its job is being aborted). */
const BUDGET_WAIT_MS = 60_000;
/**
 * What the org's Guard is told about a grant never used (the job ended or was aborted
 * first). The Guard has no "release", and a failure (status 0) would count towards its
 * circuit breaker and ambiguous-write rules for every isolate, so an empty 204 frees the
 * slot as a harmless success; the credits reserved stay counted, on the safe side.
 */
const NEVER_SENT = { status: 204, headers: {}, body: '', neverSent: true };

/** Grants are per operation shape: a grant for a 100-record insert is not one for a read. */
const keyOf = (op) => JSON.stringify([op.kind, op.module ?? null, op.recordCount ?? null, op.coqlLimit ?? null, op.credits ?? null, op.sorted ?? null]);

export class RemoteGuard {
  /**
   * @param {{ admit(op: object, count: number): Promise<{ grants: { ticket: number, cost: unknown }[], refusal: { waitMs: number, reason: string } | null }>,
   *   settle(reports: { ticket: number, response: object }[]): Promise<unknown> }} org the Durable Object's stub
   * @param {object} local a Guard of this invocation (its `concurrency` at most WORKERS_MAX_CONNECTIONS)
   * @param {{ onSubrequest?: () => void, mayAdmit?: () => boolean }} [hooks] counts every
   *   subrequest it causes (calls to the Durable Object, and each admitted call's send), and
   *   asks whether one more call fits the invocation's budget
   */
  constructor(org, local, hooks = {}) {
    this.org = org;
    this.local = local;
    this.hooks = hooks;
    /** @type {Map<string, { ticket: number, cost: unknown }[]>} */
    this.pool = new Map();
    /** @type {Map<string, number>} operations waiting for a grant, per shape */
    this.demand = new Map();
    this.asking = new Set();
    /** @type {Map<number, number>} local ticket -> org ticket */
    this.paired = new Map();
    this.refusal = null;
    this.pending = [];
    this.reports = [];
    this.flushing = null;
    this.failure = null;
  }

  admit(operation, nowMs, retryOf) {
    // The invocation's subrequest budget is checked here, before the call is admitted,
    // because a call admitted is a call sent (one more subrequest).
    if (this.hooks.mayAdmit && !this.hooks.mayAdmit()) return { ok: false, waitMs: BUDGET_WAIT_MS, reason: 'budget' };
    const key = keyOf(operation);
    const grant = this.pool.get(key)?.[0];
    if (grant) {
      const local = this.local.admit(operation, nowMs, retryOf);
      if (!local.ok) return local;
      this.pool.get(key).shift();
      this.paired.set(local.ticket, grant.ticket);
      this.hooks.onSubrequest?.(); // the send itself
      return { ...local, cost: grant.cost ?? local.cost };
    }
    if (this.refusal && this.refusal.until > nowMs) {
      return { ok: false, waitMs: Math.max(1, this.refusal.until - nowMs), reason: this.refusal.reason };
    }
    this.demand.set(key, (this.demand.get(key) ?? 0) + 1);
    if (!this.asking.has(key)) {
      // Asked after the client's current pass, so every caller of this pass is in one request.
      this.asking.add(key);
      queueMicrotask(() => this.#ask(key, operation, nowMs));
    }
    return { ok: false, waitMs: GRANT_POLL_MS, reason: 'concurrency' };
  }

  #ask(key, operation, nowMs) {
    // Never hold more grants than this invocation may use at once.
    const held = [...this.pool.values()].reduce((n, g) => n + g.length, 0) + this.paired.size;
    const count = Math.min(this.demand.get(key) ?? 1, WORKERS_MAX_CONNECTIONS - held);
    this.demand.delete(key);
    if (count <= 0) {
      this.asking.delete(key);
      return;
    }
    this.hooks.onSubrequest?.();
    const p = this.org
      .admit(operation, count)
      .then(({ grants, refusal }) => {
        if (grants.length) this.pool.set(key, [...(this.pool.get(key) ?? []), ...grants]);
        this.refusal = refusal && !grants.length ? { until: nowMs + refusal.waitMs, reason: refusal.reason } : null;
      })
      .catch((e) => {
        this.failure = e;
        this.refusal = { until: nowMs + 1_000, reason: 'breaker_open' };
      })
      .finally(() => this.asking.delete(key));
    this.pending.push(p);
  }

  settle(ticket, response, nowMs) {
    const decision = this.local.settle(ticket, response, nowMs);
    const orgTicket = this.paired.get(ticket);
    if (orgTicket !== undefined) {
      this.paired.delete(ticket);
      this.reports.push({ ticket: orgTicket, response: portable(response) });
      this.#flush();
    }
    return decision;
  }

  /** Sends the queued settles in one call; settles arriving meanwhile go in the next. */
  #flush() {
    if (this.flushing) return;
    const batch = this.reports.splice(0);
    if (!batch.length) return;
    this.hooks.onSubrequest?.();
    this.flushing = this.org
      .settle(batch)
      .catch((e) => {
        this.failure = e;
      })
      .finally(() => {
        this.flushing = null;
        if (this.reports.length) this.#flush();
      });
    this.pending.push(this.flushing);
  }

  tokenRefreshed(nowMs, tokenResponse) {
    return this.local.tokenRefreshed(nowMs, tokenResponse);
  }

  snapshot(nowMs) {
    return this.local.snapshot(nowMs);
  }

  /** Returns unused grants and waits until the org's Guard has every settle. */
  async close() {
    const unused = [...this.pool.values()].flat().map((g) => ({ ticket: g.ticket, response: NEVER_SENT }));
    this.pool.clear();
    if (unused.length) this.reports.push(...unused);
    while (this.pending.length || this.reports.length) {
      this.#flush();
      const now = this.pending.splice(0);
      await Promise.allSettled(now);
    }
  }
}

/** What a Durable Object call can carry: the response as text and plain headers. */
function portable(r) {
  if (!r) return { status: 0, headers: {}, body: null, error: { name: 'Error', message: 'no response' }, timedOut: false };
  const headers = Array.isArray(r.headers) ? Object.fromEntries(r.headers) : { ...(r.headers ?? {}) };
  const body = r.body === null || r.body === undefined || typeof r.body === 'string' ? r.body ?? null : JSON.stringify(r.body);
  return { status: r.status ?? 0, headers, body, error: r.error ?? null, timedOut: r.timedOut ?? false };
}
