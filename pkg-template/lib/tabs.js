// One budget for the tabs of one widget in one browser (`zcrm-guard/tabs`).
//
// The tabs elect a leader with a Web Lock: the tab holding it owns the shared Guard
// (the org's concurrency, pools, credits, adaptive limit as this browser sees them);
// the others ask it for admits and report their settles over a BroadcastChannel. When
// the leader tab closes, the browser releases its lock and the next tab waiting for it
// takes over: it announces itself, every tab tells it which calls it still runs, and
// it counts them before it grants anything new. The calls the closed leader itself had
// in flight (it tells every change) are counted too: Zoho still runs them after the tab
// is gone. A tab that closes without a word holds nothing for long: each tab holds a lock
// of its own, and the leader takes back the slots of a tab whose lock is gone once
// `closedTabGraceMs` has passed (its calls may still run that long).
//
// Each tab also has a Guard of its own, which decides its retries, splits and
// verifications (the client's `settle` must answer at once); a call goes only with a
// slot of both. The facade is what `createClient({ guard })` accepts.

import { guardError, readOptions } from './errors.js';

/** How long a tab waits before asking again while a grant is on its way. */
const GRANT_POLL_MS = 5;
/** An ask with no answer for this long (its leader gone) may be asked again. */
const ASK_TIMEOUT_MS = 1_000;
/** How often the leader looks for tabs that closed while holding slots. */
const SWEEP_MS = 1_000;
/** What frees a slot no call used: an empty success, never a failure the breakers count. */
const NEVER_SENT = { status: 204, headers: {}, body: '' };

/** Grants are per operation shape: a slot for a 100-record insert is not one for a read. */
const keyOf = (op) => JSON.stringify([op.kind, op.module ?? null, op.recordCount ?? null, op.coqlLimit ?? null, op.credits ?? null, op.sorted ?? null]);
const newId = () => globalThis.crypto?.randomUUID?.() ?? `${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}`;

/**
 * The tabs' shared Guard facade.
 * @param {{ name: string, createGuard: () => any, adoptWindowMs?: number, closedTabGraceMs?: number,
 *   locks?: LockManager, BroadcastChannel?: typeof BroadcastChannel }} options
 */
export async function tabsGuard(options) {
  options = readOptions(options);
  if (typeof options.name !== 'string' || !options.name) throw guardError('INVALID_ARGUMENT', 'tabsGuard: name must be a non-empty string', 'options.name');
  if (typeof options.createGuard !== 'function') throw guardError('INVALID_ARGUMENT', 'tabsGuard: createGuard must be a function that returns a Guard', 'options.createGuard');
  const locks = options.locks ?? globalThis.navigator?.locks;
  const Channel = options.BroadcastChannel ?? globalThis.BroadcastChannel;
  if (!locks || typeof locks.request !== 'function') throw guardError('INVALID_ARGUMENT', 'tabsGuard: Web Locks (navigator.locks) are not available', 'options.locks');
  if (typeof Channel !== 'function') throw guardError('INVALID_ARGUMENT', 'tabsGuard: BroadcastChannel is not available', 'options.BroadcastChannel');
  const guard = new TabsGuard(options, locks, Channel);
  await guard.started;
  return guard;
}

class TabsGuard {
  constructor(options, locks, Channel) {
    this.id = newId();
    this.locks = locks;
    this.base = `zcrm-guard:tabs:${options.name}`;
    this.createGuard = options.createGuard;
    this.adoptWindowMs = options.adoptWindowMs ?? 100;
    this.closedTabGraceMs = options.closedTabGraceMs ?? 30_000;
    /** Follower: the calls the leader itself runs, as it last said. */
    this.leaderCalls = [];
    /** Leader: when a tab holding slots was first seen gone. */
    this.goneSince = new Map();
    this.local = this.createGuard();
    /** The shared Guard, while this tab leads. */
    this.shared = null;
    this.leader = null;
    this.closed = false;
    /** @type {Map<string, { ticket: number, cost: number }[]>} grants not used yet */
    this.pool = new Map();
    /** @type {Map<string, number>} shape -> when its ask went */
    this.asked = new Map();
    /** @type {Map<string, { op: object, n: number }>} callers waiting, per shape (one ask for them all) */
    this.demand = new Map();
    /** @type {Map<number, { ticket: number | null, op: object }>} local ticket -> shared ticket */
    this.paired = new Map();
    /** Calls that ended while their adoption by a new leader was on the way: local ticket -> response. */
    this.late = new Map();
    /** Leader only: shared ticket -> the tab using it. */
    this.owners = new Map();
    this.adoptUntil = 0;
    this.refusal = null;
    this.stats = { leaderships: 0, adopted: 0, reclaimed: 0, granted: 0 };
    this.channel = new Channel(this.base);
    this.channel.onmessage = (e) => this.#onMessage(e.data);
    // A lock of this tab's own, held while it lives: the leader reads who is still there.
    this.started = new Promise((ready) => {
      locks.request(`${this.base}:tab:${this.id}`, () => new Promise((release) => {
        this.releaseTab = release;
        ready();
      })).catch(() => ready());
    });
    // The leader's lock: waits in the browser's queue until every earlier tab is gone.
    locks.request(this.base, () => (this.closed ? undefined : new Promise((release) => {
      this.releaseLeader = release;
      this.#lead();
    }))).catch(() => {});
    this.#post({ t: 'who' });
  }

  get role() {
    return this.shared ? 'leader' : 'follower';
  }

  #post(message) {
    if (!this.closed) this.channel.postMessage({ ...message, from: this.id });
  }

  // ------------------------------------------------------------------ leading

  #lead() {
    this.shared = this.createGuard();
    this.stats.leaderships++;
    this.owners.clear();
    this.pool.clear();
    this.asked.clear();
    this.refusal = null;
    const now = Date.now();
    // Calls this tab still runs on the old leader's grants are counted first, then the
    // calls the old leader ran itself (its tab is gone; Zoho may still be running them).
    for (const p of this.paired.values()) p.ticket = this.#adopt(p.op, this.id, now);
    const gone = this.leader;
    if (gone) for (const op of this.leaderCalls) this.#adopt(op, gone, now);
    this.leaderCalls = [];
    this.late.clear(); // ended while a dead leader was to adopt them: nothing left to count
    this.leader = this.id;
    this.adoptUntil = now + this.adoptWindowMs;
    this.#post({ t: 'leader' });
    this.sweeper = setInterval(() => this.#sweep(), SWEEP_MS);
  }

  /** Counts a call already running; it is admitted even over the limit (it runs anyway). */
  #adopt(op, owner, now) {
    const r = this.shared.admit(op, now);
    if (!r.ok) return null;
    this.owners.set(r.ticket, owner);
    this.stats.adopted++;
    return r.ticket;
  }

  #free(ticket, response, now) {
    this.owners.delete(ticket);
    try {
      this.shared?.settle(ticket, response, now);
    } catch {
      // Unknown ticket (granted by an earlier leader): nothing to free.
    }
  }

  /** Takes back the slots of tabs that closed without returning them. */
  async #sweep() {
    if (!this.shared || !this.owners.size) return;
    let held;
    try {
      held = new Set(((await this.locks.query()).held ?? []).map((l) => l.name));
    } catch {
      return;
    }
    const now = Date.now();
    for (const [ticket, owner] of [...this.owners]) {
      if (owner === this.id || held.has(`${this.base}:tab:${owner}`)) continue;
      const since = this.goneSince.get(owner) ?? now;
      this.goneSince.set(owner, since);
      if (now - since < this.closedTabGraceMs) continue;
      this.#free(ticket, NEVER_SENT, now);
      this.stats.reclaimed++;
    }
  }

  /** Leader: tells the followers which calls it runs itself, for whoever leads after it. */
  #tellLoad() {
    if (this.shared) this.#post({ t: 'load', calls: [...this.paired.values()].map((p) => p.op) });
  }

  /** The shared Guard's answer for one shape, `count` times at most. */
  #grant(op, count, owner, now) {
    if (now < this.adoptUntil) return { grants: [], refusal: { waitMs: this.adoptUntil - now, reason: 'concurrency' } };
    const grants = [];
    let refusal = null;
    for (let i = 0; i < count; i++) {
      const r = this.shared.admit(op, now);
      if (!r.ok) {
        refusal = { waitMs: r.waitMs, reason: r.reason };
        break;
      }
      this.owners.set(r.ticket, owner);
      this.stats.granted++;
      grants.push({ ticket: r.ticket, cost: r.cost });
    }
    return { grants, refusal };
  }

  #onMessage(m) {
    if (!m || m.from === this.id || this.closed) return;
    const now = Date.now();
    if (m.t === 'leader') return this.#follow(m.from);
    if (m.t === 'load') {
      if (m.from === this.leader && !this.shared) this.leaderCalls = m.calls;
      return;
    }
    if (m.to !== undefined) return m.to === this.id ? this.#onReply(m) : undefined;
    if (!this.shared) return;
    if (m.t === 'who') return this.#post({ t: 'leader' });
    if (m.leader !== this.id) return; // meant for an earlier leader
    if (m.t === 'hello') {
      const map = m.calls.map(({ local, op }) => [local, this.#adopt(op, m.from, now)]);
      this.#post({ t: 'adopted', to: m.from, map });
    } else if (m.t === 'admit') {
      this.#post({ t: 'grant', to: m.from, key: m.key, ...this.#grant(m.op, m.count, m.from, now) });
    } else if (m.t === 'settle') {
      this.#free(m.ticket, m.response, now);
    } else if (m.t === 'return') {
      for (const t of m.tickets) this.#free(t, NEVER_SENT, now);
    }
  }

  // ------------------------------------------------------------------ following

  /** A new leader: grants of the old one are void; tell it which calls still run. */
  #follow(leader) {
    if (this.shared || this.leader === leader) return; // the lock has one holder
    this.leader = leader;
    this.leaderCalls = [];
    this.pool.clear();
    this.asked.clear();
    this.refusal = null;
    // Until the new leader answers, these calls have no ticket of its Guard: a call that
    // ends meanwhile is reported once it has one.
    for (const p of this.paired.values()) p.ticket = undefined;
    const calls = [...this.paired].map(([local, p]) => ({ local, op: p.op }));
    this.#post({ t: 'hello', leader, calls });
  }

  /** A leader's answer to this tab. */
  #onReply(m) {
    if (m.from !== this.leader || this.shared) return;
    if (m.t === 'adopted') {
      for (const [local, ticket] of m.map) {
        const late = this.late.get(local);
        this.late.delete(local);
        if (late && ticket !== null) this.#post({ t: 'settle', leader: this.leader, ticket, response: late });
        const p = this.paired.get(local);
        if (p) p.ticket = ticket;
      }
    } else if (m.t === 'grant') {
      this.asked.delete(m.key);
      if (m.grants.length) this.pool.set(m.key, [...(this.pool.get(m.key) ?? []), ...m.grants]);
      this.refusal = m.refusal && !m.grants.length ? { until: Date.now() + Math.max(1, m.refusal.waitMs), reason: m.refusal.reason } : null;
    }
  }

  #ask(key, now) {
    const at = this.asked.get(key);
    if (at !== undefined && now - at < ASK_TIMEOUT_MS) return;
    if (!this.leader) return this.#post({ t: 'who' });
    this.asked.set(key, now);
    // After the client's current pass, so every caller of this pass is in one ask.
    queueMicrotask(() => {
      const d = this.demand.get(key);
      this.demand.delete(key);
      if (d && this.leader && !this.shared) this.#post({ t: 'admit', leader: this.leader, key, op: d.op, count: d.n });
      else this.asked.delete(key);
    });
  }

  // ------------------------------------------------------------------ the Guard surface

  admit(operation, nowMs, retryOf) {
    if (this.closed) throw guardError('INVALID_ARGUMENT', 'tabsGuard: admit after close', 'guard');
    const now = Date.now();
    const key = keyOf(operation);
    let grant;
    if (this.shared) {
      const { grants, refusal } = this.#grant(operation, 1, this.id, now);
      if (!grants.length) return { ok: false, waitMs: Math.max(1, refusal.waitMs), reason: refusal.reason };
      grant = grants[0];
    } else {
      grant = this.pool.get(key)?.shift();
      if (!grant) {
        if (this.refusal && this.refusal.until > now) return { ok: false, waitMs: Math.max(1, this.refusal.until - now), reason: this.refusal.reason };
        const d = this.demand.get(key) ?? { op: operation, n: 0 };
        d.n++;
        this.demand.set(key, d);
        this.#ask(key, now);
        return { ok: false, waitMs: GRANT_POLL_MS, reason: 'concurrency' };
      }
    }
    const local = this.local.admit(operation, nowMs, retryOf);
    if (!local.ok) {
      // Not used: back where it came from.
      if (this.shared) this.#free(grant.ticket, NEVER_SENT, now);
      else this.pool.set(key, [grant, ...(this.pool.get(key) ?? [])]);
      return local;
    }
    this.paired.set(local.ticket, { ticket: grant.ticket, op: operation });
    this.#tellLoad();
    return { ...local, cost: grant.cost ?? local.cost };
  }

  settle(ticket, response, nowMs) {
    const decision = this.local.settle(ticket, response, nowMs);
    const p = this.paired.get(ticket);
    if (p) {
      this.paired.delete(ticket);
      if (p.ticket === undefined) this.late.set(ticket, portable(response));
      else if (p.ticket !== null) {
        if (this.shared) this.#free(p.ticket, response, Date.now());
        else this.#post({ t: 'settle', leader: this.leader, ticket: p.ticket, response: portable(response) });
      }
      this.#tellLoad();
    }
    return decision;
  }

  tokenRefreshed(nowMs, tokenResponse) {
    return this.local.tokenRefreshed(nowMs, tokenResponse);
  }

  snapshot(nowMs) {
    return this.local.snapshot(nowMs);
  }

  /** The shared Guard's snapshot when this tab leads (null otherwise). */
  sharedSnapshot(nowMs = Date.now()) {
    return this.shared ? this.shared.snapshot(nowMs) : null;
  }

  /** Returns unused grants, gives up the lead (the next tab takes over) and leaves the channel. */
  close() {
    if (this.closed) return;
    const unused = [...this.pool.values()].flat().map((g) => g.ticket);
    if (unused.length && this.leader && !this.shared) this.#post({ t: 'return', leader: this.leader, tickets: unused });
    this.pool.clear();
    this.closed = true;
    clearInterval(this.sweeper);
    this.shared = null;
    this.releaseLeader?.();
    this.releaseTab?.();
    this.channel.close();
  }
}

/** What a channel message can carry: the response as text and plain headers. */
function portable(r) {
  if (!r) return { status: 0, headers: {}, body: null, error: { name: 'Error', message: 'no response' } };
  const headers = Array.isArray(r.headers) ? Object.fromEntries(r.headers) : { ...(r.headers ?? {}) };
  const body = r.body === null || r.body === undefined || typeof r.body === 'string' ? r.body ?? null : JSON.stringify(r.body);
  return { status: r.status ?? 0, headers, body, error: r.error ?? null, timedOut: r.timedOut ?? false };
}
