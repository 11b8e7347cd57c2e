// The isolate's side of the shared budget: a Guard facade the client can call
// synchronously (its loop asks `admit` and `settle` without awaiting), backed by the
// org's Durable Object, which owns the one Guard that counts every isolate's calls.
//
// Slots come in leases (org-leases.js): one call to the Durable Object grants up to 6
// slots for a few seconds and up to LEASE_CALLS calls; the calls run on those slots
// without asking again, and their responses go back in one batch with the next
// renewal (or at close). So a Zoho call costs about 1 + 1/LEASE_CALLS subrequests,
// where asking per call cost about 3.
//
// - admit: a call may go only inside a live lease of its shape (a free slot, calls
//   left, not expired) and with a slot of this invocation's local Guard (capped at
//   Workers' 6 simultaneous outbound connections). Until a lease arrives the answer is
//   "wait a few ms", which the client already knows how to follow. A Durable Object
//   that fails makes admits wait, never throw.
// - settle: the local Guard decides what this isolate does next (retry, split,
//   verify...); the response is queued for the org's Guard, which frees and re-admits
//   the slot, reconciles credits and adapts its limit for every isolate.

/** Workers' cap on simultaneous outbound connections per invocation (developers.cloudflare.com/workers/platform/limits). */
export const WORKERS_MAX_CONNECTIONS = 6;
/** How long the client waits before asking again while a lease is on its way. */
const LEASE_POLL_MS = 5;
/** How long it waits when every slot of its lease is busy (any settle wakes it sooner). */
const SLOTS_BUSY_MS = 50;
/** The wait answered once the invocation's subrequest budget is spent (its job is being aborted). */
const BUDGET_WAIT_MS = 60_000;
/** Longest wait between asks while refused: each refusal doubles the wait (every ask is a subrequest). */
const MAX_REFUSED_WAIT_MS = 1_000;
/** How long admits wait after the Durable Object failed to answer. */
const FAILURE_WAIT_MS = 1_000;
/** Renew ahead when this few calls are left, or this little time, so calls never stall on it. */
const RENEW_AT_CALLS = 2;
const RENEW_AHEAD_MS = 1_000;

/** Leases are per operation shape: a slot admitted for a 100-record insert is not one for a read. */
const keyOf = (op) => JSON.stringify([op.kind, op.module ?? null, op.recordCount ?? null, op.coqlLimit ?? null, op.credits ?? null, op.sorted ?? null]);

/**
 * @typedef {{ op: object, slots: number, callsLeft: number, expiresAt: number, running: number, started: number }} LocalShape
 * @typedef {{ lease(req: object): Promise<{ shapes: Record<string, { slots: number, calls: number | null }>, ttlMs: number,
 *   refusal: { waitMs: number, reason: string } | null, token: string | null }> }} OrgStub
 */

export class RemoteGuard {
  /**
   * @param {OrgStub} org the Durable Object's stub
   * @param {object} local a Guard of this invocation (its `concurrency` at most WORKERS_MAX_CONNECTIONS)
   * @param {{ onSubrequest?: () => void, mayAdmit?: () => boolean, mayAsk?: () => boolean, holder?: string }} [hooks]
   *   counts every subrequest it causes (calls to the Durable Object, and each admitted
   *   call's send); `mayAdmit`: one more call fits the invocation's budget; `mayAsk`: a
   *   lease renewal and a call after it do
   */
  constructor(org, local, hooks = {}) {
    this.org = org;
    this.local = local;
    this.hooks = hooks;
    this.holder = hooks.holder ?? crypto.randomUUID();
    /** @type {Map<string, LocalShape>} */
    this.shapes = new Map();
    /** @type {Map<number, string>} local ticket -> shape */
    this.paired = new Map();
    /** @type {{ key: string, response: object }[]} finished calls not yet reported */
    this.reports = [];
    /** @type {Promise<void> | null} the lease call under way */
    this.asking = null;
    this.refusal = null;
    this.refusedInARow = 0;
    this.failure = null;
    /** The org's access token, brought by the first lease. */
    this.token = null;
    /** Calls to the Durable Object. */
    this.leaseCalls = 0;
    this.closed = false;
  }

  admit(operation, nowMs, retryOf) {
    // The invocation's subrequest budget is checked before the call is admitted,
    // because a call admitted is a call sent (one more subrequest).
    if (this.hooks.mayAdmit && !this.hooks.mayAdmit()) return { ok: false, waitMs: BUDGET_WAIT_MS, reason: 'budget' };
    const key = keyOf(operation);
    const s = this.shapes.get(key);
    const now = Date.now();
    const live = s && s.callsLeft > 0 && now < s.expiresAt;
    // No call starts while a lease call is on the way: the org counts what this isolate
    // runs from what it says, and may give slots away meanwhile.
    if (live && this.asking) return { ok: false, waitMs: LEASE_POLL_MS, reason: 'concurrency' };
    if (live && s.running < s.slots) {
      const local = this.local.admit(operation, nowMs, retryOf);
      if (!local.ok) return local;
      s.running++;
      s.callsLeft--;
      s.started++;
      this.paired.set(local.ticket, key);
      this.hooks.onSubrequest?.(); // the send itself
      if (s.callsLeft <= RENEW_AT_CALLS || s.expiresAt - now < RENEW_AHEAD_MS) this.#ask(key, operation);
      return local;
    }
    if (this.refusal && this.refusal.until > now) {
      return { ok: false, waitMs: Math.max(1, this.refusal.until - now), reason: this.refusal.reason };
    }
    if (live) return { ok: false, waitMs: SLOTS_BUSY_MS, reason: 'concurrency' };
    this.#ask(key, operation);
    return { ok: false, waitMs: LEASE_POLL_MS, reason: 'concurrency' };
  }

  /** One lease call: asks for `key`, returns idle shapes, and carries every report queued. */
  #ask(key, op) {
    if (this.asking || this.closed) return;
    if (this.hooks.mayAsk && !this.hooks.mayAsk()) return;
    const sentAt = Date.now();
    const release = [];
    let others = 0;
    for (const [k, s] of this.shapes) {
      if (k === key) continue;
      if (s.running === 0) {
        // Stopped using before asking: the Durable Object may give its slots away at once.
        release.push(k);
        this.shapes.delete(k);
      } else others += s.slots;
    }
    const mine = this.shapes.get(key);
    const startedBefore = mine?.started ?? 0;
    const reports = this.reports.splice(0);
    const req = {
      holder: this.holder,
      reports,
      release,
      running: Object.fromEntries([...this.shapes].map(([k, s]) => [k, s.running])),
      ask: { key, op, slots: Math.max(1, WORKERS_MAX_CONNECTIONS - others) },
      token: this.token,
    };
    this.hooks.onSubrequest?.();
    this.leaseCalls++;
    this.asking = this.org
      .lease(req)
      .then((answer) => {
        if (answer.token) this.token = answer.token;
        const expiresAt = sentAt + answer.ttlMs;
        for (const [k, s] of this.shapes) if (!(k in answer.shapes)) s.slots = 0;
        for (const [k, g] of Object.entries(answer.shapes)) {
          const s = this.shapes.get(k) ?? { op: k === key ? op : null, slots: 0, callsLeft: 0, expiresAt, running: 0, started: 0 };
          s.slots = g.slots;
          s.expiresAt = expiresAt;
          // The calls granted count from the ask; those started meanwhile came out of them.
          if (g.calls !== null) s.callsLeft = Math.max(0, g.calls - (s.started - startedBefore));
          this.shapes.set(k, s);
        }
        const got = answer.shapes[key]?.slots ?? 0;
        this.refusedInARow = answer.refusal && !got ? this.refusedInARow + 1 : 0;
        const wait = this.refusedInARow ? Math.max(answer.refusal.waitMs, Math.min(MAX_REFUSED_WAIT_MS, 25 * 2 ** this.refusedInARow)) : 0;
        this.refusal = this.refusedInARow ? { until: Date.now() + wait, reason: answer.refusal.reason } : null;
        this.failure = null;
      })
      .catch((e) => {
        // Reported again with the next call: the org's Guard must hear of every call (a
        // report it already had costs credits twice, never a slot).
        this.reports.unshift(...reports);
        this.failure = e;
        this.refusal = { until: Date.now() + FAILURE_WAIT_MS, reason: 'breaker_open' };
      })
      .finally(() => {
        this.asking = null;
      });
  }

  settle(ticket, response, nowMs) {
    const decision = this.local.settle(ticket, response, nowMs);
    const key = this.paired.get(ticket);
    if (key !== undefined) {
      this.paired.delete(ticket);
      const s = this.shapes.get(key);
      if (s) s.running--;
      this.reports.push({ key, response: portable(response) });
    }
    return decision;
  }

  /** The org's token as the last lease brought it (null before the first). */
  accessToken() {
    return this.token;
  }

  tokenRefreshed(nowMs, tokenResponse) {
    return this.local.tokenRefreshed(nowMs, tokenResponse);
  }

  snapshot(nowMs) {
    return this.local.snapshot(nowMs);
  }

  /** Returns every slot and sends the last reports, in one call, once nothing runs. */
  async close() {
    this.closed = true;
    while (this.asking) await this.asking;
    if (!this.shapes.size && !this.reports.length) return;
    const reports = this.reports.splice(0);
    this.shapes.clear();
    this.hooks.onSubrequest?.();
    this.leaseCalls++;
    try {
      await this.org.lease({ holder: this.holder, reports, close: true, running: {} });
    } catch (e) {
      // The org takes the slots back when the lease runs out; the reports are lost.
      this.failure = e;
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
