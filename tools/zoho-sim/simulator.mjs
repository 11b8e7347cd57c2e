// A seeded, deterministic model of the Zoho CRM v8 REST API, built to be a hard opponent for
// the client: limits, credits, token expiry, per-record errors and injected faults. Pure apart
// from the two injected effects `now()` (the clock) and `sleep(ms)` (latency): no I/O here.
// Facts and their sources: /work/shared/zoho-api-facts.md (section numbers below are its §).
//
// This file holds the state and the pipeline of one call (route, authenticate, admit, fault,
// run, account); model/ holds the limits, the store, the accounting and the faults; api/ the
// handlers per endpoint.

import { mulberry32 } from './model/prng.mjs';
import { defaultFieldsMetadata, withUniqueFields } from './model/fields.mjs';
import { DEFAULT_TOKEN_TTL_MS, EDITION_CONCURRENCY, EDITION_CREDITS, SUB_CONCURRENCY } from './model/limits.mjs';
import { json, err, invalidUrl, lowerHeaders } from './model/http.mjs';
import { countFault, drawFault, latencyOf, processedReply, unprocessedReply } from './model/faults.mjs';
import { auditView, maxInWindow, seedStore } from './model/audit.mjs';
import { creditHeader, creditsUsed, occupy, refusal, spend } from './model/accounting.mjs';
import { authFailure, tokenEndpoint } from './api/oauth.mjs';
import { route } from './api/router.mjs';

export * from './model/limits.mjs';
export { FAULT_KINDS } from './model/faults.mjs';

/**
 * @typedef {import('./model/http.mjs').SimRequest} SimRequest
 * @typedef {import('./model/http.mjs').SimResponse} SimResponse
 * @typedef {import('./model/faults.mjs').FaultRates} FaultRates
 * @typedef {{
 *   seed?: number, edition?: keyof typeof EDITION_CONCURRENCY, licenses?: number, addOnCredits?: number,
 *   credits?: number, concurrency?: number, subConcurrency?: number,
 *   latencyMs?: number, latencyJitterMs?: number, slowMs?: number, slowHoldsSlot?: boolean,
 *   lockMs?: number, faults?: FaultRates, faultAfterCalls?: number,
 *   tokenTtlMs?: number, tokenExpiryEveryCalls?: number, auth?: boolean,
 *   accessToken?: string, refreshToken?: string, clientId?: string, clientSecret?: string,
 *   refreshLimitPer10Min?: number, apiDomain?: string,
 *   fields?: Record<string, any[]>, countBy?: Record<string, string>,
 *   uniqueFields?: Record<string, string[]>, seedRecords?: Record<string, Record<string, any>[]>,
 *   clockSkewMs?: number, coqlScope?: boolean, retryAfterS?: number,
 *   faultPlan?: import('./model/faults.mjs').PlannedFault[],
 *   now?: () => number, sleep?: (ms: number) => Promise<void>, onCall?: (event: SimCallEvent) => void,
 * }} SimulatorOptions
 * @typedef {{ at: number, done: number, method: string, path: string, status: number,
 *   drop: 'before' | 'after' | null, truncated: boolean, inFlight: number, complexInFlight: number,
 *   creditsUsed: number }} SimCallEvent
 */

/** Emulates Zoho CRM v8 for one org, one user and one OAuth client. */
export class ZohoSimulator {
  /** @param {SimulatorOptions} [options] */
  constructor(options = {}) {
    const o = { ...options };
    this.options = o;
    this.edition = o.edition ?? 'standard';
    if (!(this.edition in EDITION_CONCURRENCY)) throw new TypeError(`unknown edition ${this.edition}`);
    this.now = o.now ?? (() => Date.now());
    this.sleep = o.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms)));
    this.concurrency = o.concurrency ?? EDITION_CONCURRENCY[this.edition];
    this.subConcurrency = o.subConcurrency ?? SUB_CONCURRENCY;
    const c = EDITION_CREDITS[this.edition];
    /** Credits without add-ons: the X-API-CREDITS-REMAINING threshold is half of this (§6). */
    this.baseCredits = o.credits ?? Math.min(c.base + (o.licenses ?? 1) * c.perLicense, c.cap);
    this.totalCredits = this.baseCredits + (o.addOnCredits ?? 0);
    this.apiDomain = o.apiDomain ?? 'https://www.zohoapis.com';
    this.reset();
  }

  /** Forgets every record, token, credit and counter, and reseeds the PRNG. */
  reset() {
    const o = this.options;
    this.rng = mulberry32(o.seed ?? 1);
    /** @type {Map<string, Map<string, Record<string, unknown>>>} */
    this.store = new Map();
    this.fields = withUniqueFields(o.fields ?? defaultFieldsMetadata(), o.uniqueFields);
    this.nextId = 0n;
    /** @type {Map<string, number>} access token -> expiry (ms) */
    this.tokens = new Map();
    this.tokenSeq = 0;
    if (o.auth !== false) this.tokens.set(o.accessToken ?? 'sim-access-0', this.now() + this.tokenTtl());
    /** @type {number[]} */
    this.refreshTimes = [];
    /** @type {number[]} every access token minted (ms), for the refresh audit */
    this.refreshLog = [];
    /** @type {{ at: number, credits: number }[]} */
    this.ledger = [];
    this.ledgerHead = 0;
    this.ledgerSum = 0;
    /** @type {Map<string, Map<string, Set<string>>>} `${module}\0${field}` -> lower-cased value -> ids */
    this.index = new Map();
    /** @type {Map<string, number>} record id -> locked until (ms) */
    this.locks = new Map();
    /** @type {Map<string, { offset: number, bound: string, expires: number }>} */
    this.pageTokens = new Map();
    this.inFlight = 0;
    this.complexInFlight = 0;
    /** @type {Map<number, number>} faultPlan entry -> calls it matched */
    this.planSeen = new Map();
    /** @type {number | undefined} */
    this.plannedRetryAfterS = undefined;
    this.faultVariant = 0;
    /** @type {null | (() => void)[]} undo log while a rollback composite runs */
    this.journal = null;
    this.counters = {
      calls: 0,
      /** @type {Record<string, number>} */
      byStatus: {},
      /** @type {Record<string, number>} */
      faults: {},
      tooManyRequests: { concurrency: 0, complex: 0, credits: 0 },
      creditsSpent: 0,
      /** The most credits ever in use within one rolling window (never above the allowance). */
      maxCreditsInWindow: 0,
      maxInFlight: 0,
      maxComplexInFlight: 0,
      tokenRefreshes: 0,
      tokenRefreshFailures: 0,
      invalidToken: 0,
      recordLocked: 0,
      /** @type {Record<string, number>} */
      created: {},
      /** @type {Record<string, Record<string, number>>} */
      createdByKey: {},
      /** @type {Record<string, number>} */
      updated: {},
      /** @type {Record<string, number>} */
      deleted: {},
      /** @type {Record<string, Record<string, { created: number, updated: number, id: string }>>} per module, per key: the job's writes */
      audit: {},
    };
    seedStore(this, o.seedRecords);
  }

  /** The server's clock (ms): the caller's clock `now()` plus `clockSkewMs`. */
  serverNow() {
    return this.now() + (this.options.clockSkewMs ?? 0);
  }

  /**
   * Fault-free account of the writes, per module and key (the `countBy` field, else the id):
   * how many times each record was created and updated in the store, whatever the replies said.
   * Seeded records are not counted. `maxRefreshesIn10Min`: the most tokens minted in any 10 minutes.
   */
  audit() {
    return auditView(this);
  }

  tokenTtl() {
    return this.options.tokenTtlMs ?? DEFAULT_TOKEN_TTL_MS;
  }

  /** Makes every access token invalid now (forces a refresh). */
  expireTokens() {
    this.tokens.clear();
  }

  /** Locks a record so writes to it fail with RECORD_LOCKED for `ms` (default `lockMs`). */
  lockRecord(/** @type {string} */ id, ms = this.options.lockMs ?? 2_000) {
    this.locks.set(String(id), this.now() + ms);
  }

  /** Credits spent in the rolling window ending now. */
  creditsUsed() {
    return creditsUsed(this);
  }

  /** How many records of `module` were created with `key` as their count-by field value. */
  createdCount(/** @type {string} */ module, /** @type {string} */ key) {
    return this.counters.createdByKey[module]?.[String(key).toLowerCase()] ?? 0;
  }

  /** Records currently stored in a module (copies). */
  records(/** @type {string} */ module) {
    return [...(this.store.get(module)?.values() ?? [])].map((r) => ({ ...r }));
  }

  /** Counters for tests and the demo. */
  stats() {
    const c = this.counters;
    let duplicatesCreated = 0;
    for (const byKey of Object.values(c.createdByKey))
      for (const n of Object.values(byKey)) if (n > 1) duplicatesCreated += n - 1;
    const used = this.creditsUsed();
    return {
      ...structuredClone(c),
      duplicatesCreated,
      inFlight: this.inFlight,
      complexInFlight: this.complexInFlight,
      concurrencyLimit: this.concurrency,
      subConcurrencyLimit: this.subConcurrency,
      creditsUsed: used,
      creditsRemaining: Math.max(0, this.totalCredits - used),
      creditsTotal: this.totalCredits,
      records: Object.fromEntries([...this.store].map(([m, s]) => [m, s.size])),
      refreshLog: [...this.refreshLog],
      maxRefreshesIn10Min: maxInWindow(this.refreshLog, 600_000),
    };
  }

  /**
   * Answers one HTTP request as Zoho would. Never throws.
   * @param {SimRequest} request
   * @returns {Promise<SimResponse>}
   */
  async handle(request) {
    const at = this.now();
    let r;
    try {
      r = await this.#handle(request);
    } catch (e) {
      // A simulator bug must still look like a server reply, not an exception.
      r = json(500, err('INTERNAL_ERROR', `simulator error: ${e instanceof Error ? e.message : String(e)}`));
    }
    // Every reply carries the server's Date (second precision), on the server's clock.
    r = { ...r, headers: { ...r.headers, date: new Date(this.serverNow()).toUTCString() } };
    const listener = this.options.onCall;
    if (listener) {
      try {
        const path = new URL(request.url, this.apiDomain).pathname;
        listener({
          at, done: this.now(), method: String(request.method ?? 'GET').toUpperCase(), path,
          status: r.drop ? 0 : r.status, drop: r.drop ?? null, truncated: r.truncateAt !== undefined,
          inFlight: this.inFlight, complexInFlight: this.complexInFlight, creditsUsed: this.creditsUsed(),
        });
      } catch {
        // A listener's bug must not change the simulator's answers.
      }
    }
    return r;
  }

  /** @param {SimRequest} request @returns {Promise<SimResponse>} */
  async #handle(request) {
    const method = String(request.method ?? 'GET').toUpperCase();
    const url = new URL(request.url, this.apiDomain);
    const headers = lowerHeaders(request.headers);
    const body = request.body ?? '';
    if (url.pathname === '/oauth/v2/token') return this.#count(tokenEndpoint(this, method, url, String(body)));

    const m = /^\/crm\/v(\d+)(\/.*)?$/.exec(url.pathname);
    if (!m) return this.#count(invalidUrl());
    const call = route(this, method, m[2] ?? '/', url, body);
    this.counters.calls++;

    // Token expiry every N calls (issue 9 campaigns), before authentication.
    const every = this.options.tokenExpiryEveryCalls;
    if (every && this.counters.calls % every === 0) this.expireTokens();
    if (this.options.auth !== false) {
      const denied = authFailure(this, headers);
      if (denied) return this.#count(denied);
    }
    if (call.error) return this.#count(call.error);

    const release = occupy(this, call.slots, call.complex);
    try {
      const refused = refusal(this, call.minCredits);
      if (refused) return this.#count(refused);

      const fault = drawFault(this, { method, url, body });
      const latency = latencyOf(this, request.receivedAt);
      const early = unprocessedReply(fault, this.plannedRetryAfterS ?? this.options.retryAfterS ?? 1);
      if (fault && early) {
        if (latency > 0) await this.sleep(latency);
        countFault(this, fault);
        return this.#count(early);
      }

      if (latency > 0) await this.sleep(latency);
      const { response, credits } = call.run();
      spend(this, credits);
      Object.assign(response.headers, creditHeader(this));

      if (fault) countFault(this, fault);
      if (fault === 'dropAfter') return this.#count({ ...response, drop: 'after' }, 0);
      if (fault === 'slow') {
        if (!this.options.slowHoldsSlot) release();
        await this.sleep(this.options.slowMs ?? 30_000);
      }
      if (fault === 'truncated' && response.body.length > 1) {
        return this.#count({ ...response, truncateAt: Math.max(1, Math.floor(response.body.length / 2)) });
      }
      const after = fault ? processedReply(this, fault, response, call.write === true) : null;
      return this.#count(after ?? response);
    } finally {
      release();
    }
  }

  /** Counts the reply by status ("0" for a dropped connection). @param {SimResponse} r */
  #count(r, status = r.status) {
    const k = String(r.drop ? 0 : status);
    this.counters.byStatus[k] = (this.counters.byStatus[k] ?? 0) + 1;
    return r;
  }
}
