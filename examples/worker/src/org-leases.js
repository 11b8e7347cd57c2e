// The Durable Object's side of the leases: slots granted in blocks, settles taken in
// batches, so an isolate pays about one Durable Object call per LEASE_CALLS Zoho calls.
//
// A lease is, per holder (one invocation) and operation shape, `slots` org Guard
// tickets kept in flight for the lease's life: the org's Guard counts them as calls in
// flight, so its concurrency, complex pool, adaptive limit, breakers and credits still
// decide who gets a slot. The holder runs at most `slots` calls at once and at most
// `calls` calls before it must renew; its finished calls come back as reports with the
// next renewal. Each report settles one of the holder's tickets with the call's real
// response (429s, 5xx and credit headers reach the org's Guard) and admits a fresh
// ticket in its place, which is the next call's admission.
//
// Safety: a holder starts no call while its lease call is on the way, and says how many
// it runs; when fewer tickets remain than that (a replacement refused, an adaptive limit
// lowered, a share given back), the difference is kept as debt and counted against every
// other grant until the holder's next call says how many it still runs. A holder that vanishes has
// its tickets returned LEASE_GRACE_MS after its lease ran out.

/** How long a lease lasts without renewal. */
export const LEASE_TTL_MS = 5_000;
/** Calls a lease allows before renewal (its admits: one Durable Object call per this many). */
export const LEASE_CALLS = 24;
/** After expiry, how long a holder's calls may still be running (a call's timeout is 30 s). */
export const LEASE_GRACE_MS = 35_000;
/** A holder refused this recently still waits for a share of the slots. */
const WAITING_MS = 2_000;
/** What frees a ticket no call used: an empty success, never a failure the breakers count. */
const NEVER_SENT = { status: 204, headers: {}, body: '' };

/**
 * @typedef {{ op: object, tickets: number[], debt: number, calls: number, cost: number }} Shape
 * @typedef {{ expiresAt: number, shapes: Record<string, Shape> }} Holder
 * @typedef {{ key: string, response: object }} Report
 * @typedef {{ holder: string, reports?: Report[], running?: Record<string, number>,
 *   ask?: { key: string, op: object, slots: number } | null, release?: string[], close?: boolean }} LeaseRequest
 */

export class LeaseBook {
  /** @param {any} guard the org's Guard @param {{ holders?: [string, Holder][] } | undefined} saved */
  constructor(guard, saved) {
    this.guard = guard;
    /** @type {Map<string, Holder>} */
    this.holders = new Map(saved?.holders ?? []);
    this.stats = { leases: 0, reports: 0, unrecorded: 0, expired: 0 };
    /** @type {Map<string, number>} holders refused a slot -> when (memory only) */
    this.waiting = new Map();
  }

  /**
   * The slots one holder may keep while others wait: the org's limit shared between the
   * holders with slots and those refused lately (a renewal gives back the rest).
   */
  #share(holder, limit, now) {
    const ids = new Set();
    for (const [id, h] of this.holders) if (Object.values(h.shapes).some((s) => s.tickets.length)) ids.add(id);
    for (const [id, at] of this.waiting) {
      if (now - at > WAITING_MS) this.waiting.delete(id);
      else ids.add(id);
    }
    ids.add(holder);
    return Math.max(1, Math.ceil(limit / ids.size));
  }

  toJSON() {
    return { holders: [...this.holders] };
  }

  /** Every slot other holders may still be using beyond the Guard's tickets. */
  #debt() {
    let d = 0;
    for (const h of this.holders.values()) for (const s of Object.values(h.shapes)) d += s.debt;
    return d;
  }

  /** Credits promised to leases beyond their tickets' reservations. */
  #promised() {
    let c = 0;
    for (const h of this.holders.values()) for (const s of Object.values(h.shapes)) c += Math.max(0, s.calls - s.tickets.length) * s.cost;
    return c;
  }

  #free(ticket, now, response = NEVER_SENT) {
    try {
      return this.guard.settle(ticket, response, now);
    } catch {
      return null; // an unknown ticket (a state restored afresh) frees nothing
    }
  }

  /** Returns the tickets of holders gone for longer than their calls can run. */
  sweep(now) {
    for (const [id, h] of this.holders) {
      if (h.expiresAt + LEASE_GRACE_MS > now) continue;
      for (const s of Object.values(h.shapes)) for (const t of s.tickets) this.#free(t, now);
      this.holders.delete(id);
      this.stats.expired++;
    }
  }

  /**
   * One renewal: the holder's reports, the shapes it returns, and what it asks for.
   * Synchronous, so no other request interleaves. `needsToken`: an admit was refused
   * because the org's token must be refreshed first (the caller refreshes, then the
   * holder asks again).
   * @param {LeaseRequest} req @param {number} now
   */
  lease(req, now) {
    this.sweep(now);
    this.stats.leases++;
    const h = this.holders.get(req.holder) ?? { expiresAt: now, shapes: {} };
    this.holders.set(req.holder, h);
    const returning = new Set(req.close ? Object.keys(h.shapes) : req.release ?? []);
    let needsToken = false;

    const reports = req.reports ?? [];
    /** @type {Record<string, number>} reports still to process, per shape */
    const left = {};
    for (const { key } of reports) left[key] = (left[key] ?? 0) + 1;
    for (const { key, response } of reports) {
      this.stats.reports++;
      left[key]--;
      const s = h.shapes[key];
      const t = s?.tickets.shift();
      if (t === undefined) {
        this.stats.unrecorded++;
        continue;
      }
      this.#free(t, now, response);
      s.calls = Math.max(0, s.calls - 1);
      // A shape returned keeps only the tickets its remaining reports need.
      if (returning.has(key) && s.tickets.length >= left[key]) continue;
      const r = this.guard.admit(s.op, now);
      if (r.ok) s.tickets.push(r.ticket);
      else needsToken ||= r.reason === 'token_refresh';
    }

    /** @type {{ waitMs: number, reason: string } | null} */
    let refusal = null;
    const ask = req.close ? null : req.ask;
    if (ask && !returning.has(ask.key)) {
      const s = (h.shapes[ask.key] ??= { op: ask.op, tickets: [], debt: 0, calls: 0, cost: 1 });
      s.op = ask.op;
      const running = req.running?.[ask.key] ?? 0;
      const want = Math.min(ask.slots, this.#share(req.holder, this.guard.snapshot(now).effectiveLimit, now));
      while (s.tickets.length < want) {
        const snap = this.guard.snapshot(now);
        if (snap.slotsInUse + this.#debt() >= snap.effectiveLimit) {
          refusal = { waitMs: 50, reason: 'concurrency' };
          break;
        }
        const r = this.guard.admit(s.op, now);
        if (!r.ok) {
          needsToken ||= r.reason === 'token_refresh';
          refusal = { waitMs: Math.max(1, r.waitMs), reason: r.reason };
          break;
        }
        s.tickets.push(r.ticket);
        s.cost = Math.max(1, Number(r.cost) || 1);
      }
      // Fewer slots wanted (or others wait): return the extra tickets, never below what the
      // holder still runs; the debt below covers what it may start before it hears of it.
      while (s.tickets.length > Math.max(want, running)) this.#free(s.tickets.pop(), now);
      if (s.tickets.length) {
        const credits = this.guard.snapshot(now).creditsRemaining - this.#promised() + Math.max(0, s.calls - s.tickets.length) * s.cost;
        s.calls = Math.min(LEASE_CALLS, s.tickets.length + Math.max(0, Math.floor(credits / s.cost)));
      }
      if (s.tickets.length) {
        refusal = null;
        this.waiting.delete(req.holder);
      } else this.waiting.set(req.holder, now);
    }

    for (const [key, s] of Object.entries(h.shapes)) {
      if (returning.has(key)) {
        for (const t of s.tickets.splice(0)) this.#free(t, now);
        s.calls = 0;
      }
      // What the holder may still run beyond its tickets until it speaks again: the calls
      // it runs now (it started none since it asked, and starts no more than its tickets).
      s.debt = Math.max(0, (req.running?.[key] ?? 0) - s.tickets.length);
      if (!s.tickets.length && !s.debt) delete h.shapes[key];
    }
    h.expiresAt = now + LEASE_TTL_MS;
    if (!Object.keys(h.shapes).length) this.holders.delete(req.holder);
    const shapes = Object.fromEntries(Object.entries(h.shapes).map(([k, s]) => [k, { slots: s.tickets.length, calls: ask?.key === k ? s.calls : null }]));
    return { shapes, ttlMs: LEASE_TTL_MS, refusal, needsToken };
  }
}
