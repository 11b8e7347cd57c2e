// A seeded, deterministic model of the Zoho CRM v8 REST API, built to be a hard opponent for
// the client: limits, credits, token expiry, per-record errors and injected faults. Pure apart
// from the two injected effects `now()` (the clock) and `sleep(ms)` (latency): no I/O here.
// Facts and their sources: /work/shared/zoho-api-facts.md (section numbers below are its §).

import { mulberry32 } from './prng.mjs';
import { defaultFieldsMetadata, DUPLICATE_CHECK_FIELDS } from './fields.mjs';
import { parseCoql, CoqlError } from './coql.mjs';

/** Concurrent calls per edition (§1.2, K35/K203); CRM Plus takes the safer 20 via `concurrency`. */
export const EDITION_CONCURRENCY = { free: 5, standard: 10, professional: 15, enterprise: 20, ultimate: 25 };
/** Credits per licence and edition cap (§1.1 LIM; caps take the lower K93 figures, the safe side). */
export const EDITION_CREDITS = {
  free: { base: 5_000, perLicense: 0, cap: 5_000 },
  standard: { base: 50_000, perLicense: 250, cap: 100_000 },
  professional: { base: 50_000, perLicense: 500, cap: 1_000_000 },
  enterprise: { base: 50_000, perLicense: 1_000, cap: 2_000_000 },
  ultimate: { base: 50_000, perLicense: 2_000, cap: Infinity },
};
/** The complex-API sub-pool, the same for every edition (§1.3 SUBC). */
export const SUB_CONCURRENCY = 10;
/** Concurrency slots one composite call takes (§1.2, V7DOC composite). */
export const COMPOSITE_SLOTS = 5;
/** Rolling credit window (§1.1 K93). */
export const CREDIT_WINDOW_MS = 24 * 60 * 60 * 1000;
/** Records per write call (§3 V7DOC). */
export const MAX_RECORDS_PER_WRITE = 100;
/** Writes with more records than this are complex (§1.3, third-party; conservative). */
export const COMPLEX_WRITE_THRESHOLD = 10;
/** Records per credit on writes (§2, AEV, unverified). */
export const WRITE_RECORDS_PER_CREDIT = 10;
/** Credits of Convert Lead (§2 LIM). */
export const CONVERT_CREDITS = 5;
/** Access-token lifetime (§8 token endpoint `expires_in` 3600 s). */
export const DEFAULT_TOKEN_TTL_MS = 3_600_000;
/** Access tokens a refresh token may mint per 10 minutes (§8, accounts access-token-expiry page). */
export const REFRESHES_PER_10_MIN = 10;
/** Sub-requests per composite call (§3 V7DOC composite). */
export const MAX_COMPOSITE_SUB_REQUESTS = 5;
/** Get Records: `per_page` max, `page`-only reach, `fields` max (§3 V7DOC get-records). */
export const MAX_PER_PAGE = 200;
export const MAX_RECORDS_WITHOUT_PAGE_TOKEN = 2_000;
export const MAX_RECORDS_WITH_PAGE_TOKEN = 100_000;
export const MAX_FIELDS_PER_GET = 50;
/** Search: records reachable and criteria (§3 V7DOC search). */
export const MAX_SEARCH_RECORDS = 2_000;
export const MAX_SEARCH_CRITERIA = 10;
/** COQL: rows per call and in all (§3 v8 COQL-Limitations), default LIMIT 200. */
export const MAX_COQL_LIMIT = 2_000;
export const MAX_COQL_ROWS = 100_000;
export const DEFAULT_COQL_LIMIT = 200;

/** The one 429 body: Zoho's body does not say whether credits or concurrency ran out (§5, STAT). */
const TOO_MANY_REQUESTS = {
  code: 'TOO_MANY_REQUESTS',
  details: {},
  message:
    'Number of API requests for the 24 hour period is exceeded or the concurrency limit of the user for the app is exceeded',
  status: 'error',
};

/** Fault kinds in the order their rates are laid out on [0, 1) for the one draw per call. */
export const FAULT_KINDS = /** @type {const} */ ([
  'internalError', // 500 INTERNAL_ERROR, nothing processed
  'badGateway', // 502 with an HTML body, nothing processed
  'serviceUnavailable', // 503 with an HTML body, nothing processed
  'dropBefore', // connection dropped before processing
  'dropAfter', // processed (writes happened, credits spent), reply lost
  'slow', // processed, reply delayed by `slowMs` (past the client's timeout)
  'truncated', // processed, reply body cut short
]);

/**
 * @typedef {{ method: string, url: string, headers?: Record<string, string> | Headers, body?: string | null,
 *   receivedAt?: number }} SimRequest  receivedAt (the simulator's clock): when the request arrived; the
 *   latency counts from it, so the simulator's own work does not lengthen a reply
 * @typedef {{ status: number, headers: Record<string, string>, body: string,
 *   drop?: 'before' | 'after', truncateAt?: number }} SimResponse
 * @typedef {Partial<Record<typeof FAULT_KINDS[number], number>> & { recordLocked?: number }} FaultRates
 * @typedef {{
 *   seed?: number, edition?: keyof typeof EDITION_CONCURRENCY, licenses?: number, addOnCredits?: number,
 *   credits?: number, concurrency?: number, subConcurrency?: number,
 *   latencyMs?: number, latencyJitterMs?: number, slowMs?: number, slowHoldsSlot?: boolean,
 *   lockMs?: number, faults?: FaultRates, faultAfterCalls?: number,
 *   tokenTtlMs?: number, tokenExpiryEveryCalls?: number, auth?: boolean,
 *   accessToken?: string, refreshToken?: string, clientId?: string, clientSecret?: string,
 *   refreshLimitPer10Min?: number, apiDomain?: string,
 *   fields?: Record<string, any[]>, countBy?: Record<string, string>,
 *   now?: () => number, sleep?: (ms: number) => Promise<void>, onCall?: (event: SimCallEvent) => void,
 * }} SimulatorOptions
 * @typedef {{ at: number, done: number, method: string, path: string, status: number,
 *   drop: 'before' | 'after' | null, truncated: boolean, inFlight: number, complexInFlight: number,
 *   creditsUsed: number }} SimCallEvent
 */

const json = (/** @type {number} */ status, /** @type {unknown} */ body, extra = {}) => ({
  status,
  headers: { 'content-type': 'application/json;charset=UTF-8', ...extra },
  body: JSON.stringify(body),
});
const err = (/** @type {string} */ code, /** @type {string} */ message, details = {}) => ({
  code,
  details,
  message,
  status: 'error',
});
const html = (/** @type {number} */ status, /** @type {string} */ title) => ({
  status,
  headers: { 'content-type': 'text/html' },
  body: `<html><head><title>${status} ${title}</title></head><body><center><h1>${status} ${title}</h1></center><hr><center>ZGS</center></body></html>`,
});
const EMPTY_204 = () => ({ status: 204, headers: {}, body: '' });

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
    this.fields = o.fields ?? defaultFieldsMetadata();
    this.nextId = 0n;
    /** @type {Map<string, number>} access token -> expiry (ms) */
    this.tokens = new Map();
    this.tokenSeq = 0;
    if (o.auth !== false) this.tokens.set(o.accessToken ?? 'sim-access-0', this.now() + this.tokenTtl());
    /** @type {number[]} */
    this.refreshTimes = [];
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
    };
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
    const from = this.now() - CREDIT_WINDOW_MS;
    while (this.ledgerHead < this.ledger.length && this.ledger[this.ledgerHead].at <= from) {
      this.ledgerSum -= this.ledger[this.ledgerHead].credits;
      this.ledgerHead++;
    }
    if (this.ledgerHead > 1024 && this.ledgerHead * 2 > this.ledger.length) {
      this.ledger = this.ledger.slice(this.ledgerHead);
      this.ledgerHead = 0;
    }
    return this.ledgerSum;
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
    if (url.pathname === '/oauth/v2/token') return this.#count(this.#token(method, url, String(body)));

    const m = /^\/crm\/v(\d+)(\/.*)?$/.exec(url.pathname);
    if (!m) return this.#count(json(404, err('INVALID_URL_PATTERN', 'Please check if the URL trying to access is a correct one')));
    const route = this.#route(method, m[2] ?? '/', url, body);
    this.counters.calls++;

    // Token expiry every N calls (issue 9 campaigns), before authentication.
    const every = this.options.tokenExpiryEveryCalls;
    if (every && this.counters.calls % every === 0) this.expireTokens();
    if (this.options.auth !== false) {
      const auth = headers.authorization ?? '';
      const token = /^Zoho-oauthtoken\s+(\S+)$/i.exec(auth)?.[1];
      if (!token) return this.#count(json(401, err('AUTHENTICATION_FAILURE', 'Authentication failed')));
      const exp = this.tokens.get(token);
      if (exp === undefined || exp <= this.now()) {
        this.tokens.delete(token);
        this.counters.invalidToken++;
        return this.#count(json(401, err('INVALID_TOKEN', 'invalid oauth token')));
      }
    }
    if (route.error) return this.#count(route.error);

    // Admission: every arrival counts towards the peak, so a peak above the limit means the
    // client overshot even though the over-limit call itself was refused.
    const slots = route.slots;
    const complex = route.complex;
    this.inFlight += slots;
    this.complexInFlight += complex;
    this.counters.maxInFlight = Math.max(this.counters.maxInFlight, this.inFlight);
    this.counters.maxComplexInFlight = Math.max(this.counters.maxComplexInFlight, this.complexInFlight);
    let released = false;
    const release = () => {
      if (released) return;
      released = true;
      this.inFlight -= slots;
      this.complexInFlight -= complex;
    };
    try {
      if (this.inFlight > this.concurrency || this.complexInFlight > this.subConcurrency) {
        this.counters.tooManyRequests[this.inFlight > this.concurrency ? 'concurrency' : 'complex']++;
        return this.#count(json(429, TOO_MANY_REQUESTS));
      }
      if (this.creditsUsed() + route.minCredits > this.totalCredits) {
        this.counters.tooManyRequests.credits++;
        return this.#count(json(429, TOO_MANY_REQUESTS, this.#creditHeader()));
      }

      const fault = this.#drawFault();
      const latency = this.#latency(request.receivedAt);
      if (fault === 'internalError' || fault === 'badGateway' || fault === 'serviceUnavailable' || fault === 'dropBefore') {
        if (latency > 0) await this.sleep(latency);
        this.counters.faults[fault] = (this.counters.faults[fault] ?? 0) + 1;
        if (fault === 'internalError') return this.#count(json(500, err('INTERNAL_ERROR', 'Internal Server Error')));
        if (fault === 'badGateway') return this.#count(html(502, 'Bad Gateway'));
        if (fault === 'serviceUnavailable') return this.#count(html(503, 'Service Temporarily Unavailable'));
        return this.#count({ status: 0, headers: {}, body: '', drop: 'before' });
      }

      if (latency > 0) await this.sleep(latency);
      const { response, credits } = route.run();
      this.#spend(credits);
      Object.assign(response.headers, this.#creditHeader());

      if (fault) this.counters.faults[fault] = (this.counters.faults[fault] ?? 0) + 1;
      if (fault === 'dropAfter') return this.#count({ ...response, drop: 'after' }, 0);
      if (fault === 'slow') {
        if (!this.options.slowHoldsSlot) release();
        await this.sleep(this.options.slowMs ?? 30_000);
      }
      if (fault === 'truncated' && response.body.length > 1) {
        return this.#count({ ...response, truncateAt: Math.max(1, Math.floor(response.body.length / 2)) });
      }
      return this.#count(response);
    } finally {
      release();
    }
  }

  /** @param {SimResponse} r */
  #count(r, status = r.status) {
    const k = String(r.drop ? 0 : status);
    this.counters.byStatus[k] = (this.counters.byStatus[k] ?? 0) + 1;
    return r;
  }

  #drawFault() {
    const rates = this.options.faults ?? {};
    const r = this.rng(); // exactly one draw per admitted call keeps runs reproducible
    if (this.counters.calls <= (this.options.faultAfterCalls ?? 0)) return null;
    let acc = 0;
    for (const kind of FAULT_KINDS) {
      acc += rates[kind] ?? 0;
      if (r < acc) return kind;
    }
    return null;
  }

  /** @param {number | undefined} receivedAt */
  #latency(receivedAt) {
    const base = this.options.latencyMs ?? 0;
    const jitter = this.options.latencyJitterMs ?? 0;
    const total = jitter > 0 ? base + Math.floor(this.rng() * jitter) : base;
    return receivedAt === undefined ? total : Math.max(0, total - (this.now() - receivedAt));
  }

  /** @param {number} credits */
  #spend(credits) {
    if (credits <= 0) return;
    this.ledger.push({ at: this.now(), credits });
    this.ledgerSum += credits;
    this.counters.maxCreditsInWindow = Math.max(this.counters.maxCreditsInWindow, this.creditsUsed());
    this.counters.creditsSpent += credits;
  }

  /** X-API-CREDITS-REMAINING once half of the credits (without add-ons) are used (§6). */
  #creditHeader() {
    const used = this.creditsUsed();
    if (used * 2 < this.baseCredits) return {};
    return { 'x-api-credits-remaining': String(Math.max(0, this.totalCredits - used)) };
  }

  // ------------------------------------------------------------------ OAuth

  /** @param {string} method @param {URL} url @param {string} body */
  #token(method, url, body) {
    const o = this.options;
    const p = new URLSearchParams(url.search);
    for (const [k, v] of new URLSearchParams(body)) p.set(k, v);
    if (method !== 'POST') return json(405, { error: 'invalid_request' });
    const fail = (/** @type {string} */ error) => {
      this.counters.tokenRefreshFailures++;
      return json(200, { error }); // the token endpoint answers errors with 200 (§8)
    };
    if (p.get('grant_type') !== 'refresh_token') return fail('unsupported_grant_type');
    if (o.clientId !== undefined && p.get('client_id') !== o.clientId) return fail('invalid_client');
    if (o.clientSecret !== undefined && p.get('client_secret') !== o.clientSecret) return fail('invalid_client');
    if (p.get('refresh_token') !== (o.refreshToken ?? 'sim-refresh-token')) return fail('invalid_code');
    const now = this.now();
    this.refreshTimes = this.refreshTimes.filter((t) => t > now - 600_000);
    if (this.refreshTimes.length >= (o.refreshLimitPer10Min ?? REFRESHES_PER_10_MIN)) {
      this.counters.tokenRefreshFailures++;
      return json(400, {
        error: 'Access Denied',
        error_description: 'You have made too many requests continuously. Please try again after some time.',
      });
    }
    this.refreshTimes.push(now);
    const token = `sim-access-${++this.tokenSeq}`;
    this.tokens.set(token, now + this.tokenTtl());
    this.counters.tokenRefreshes++;
    return json(200, {
      access_token: token,
      scope: 'ZohoCRM.modules.ALL ZohoCRM.settings.fields.READ ZohoCRM.coql.READ',
      api_domain: this.apiDomain,
      token_type: 'Bearer',
      expires_in: Math.round(this.tokenTtl() / 1000),
    });
  }

  // ------------------------------------------------------------------ routing

  /**
   * Classifies a call (slots, complex, minimum credits) and returns how to run it.
   * @param {string} method @param {string} path @param {URL} url @param {string} body
   * @returns {{ error?: SimResponse, slots: number, complex: number, minCredits: number,
   *   run: () => { response: SimResponse, credits: number } }}
   */
  #route(method, path, url, body) {
    const q = url.searchParams;
    const parts = path.split('/').filter(Boolean).map(decodeURIComponent);
    const simple = (/** @type {() => SimResponse} */ fn, credits = 1, complex = 0) => ({
      slots: 1, complex, minCredits: credits, run: () => ({ response: fn(), credits }),
    });
    const bad = (/** @type {SimResponse} */ r) => ({ error: r, slots: 0, complex: 0, minCredits: 0, run: () => ({ response: r, credits: 0 }) });
    const parsed = () => parseBody(body);

    if (parts[0] === '__composite_requests' && parts.length === 1 && method === 'POST') {
      const b = parsed();
      if (b.error) return bad(b.error);
      const subs = Array.isArray(b.value?.__composite_requests) ? b.value.__composite_requests : null;
      const complexSubs = (subs ?? []).filter((s) => /\/(coql|search)\b/.test(String(s?.uri ?? ''))).length;
      return {
        slots: COMPOSITE_SLOTS,
        complex: 1 + complexSubs,
        minCredits: 1,
        run: () => this.#composite(b.value),
      };
    }
    if (parts[0] === 'coql' && parts.length === 1) {
      if (method !== 'POST') return bad(json(400, err('INVALID_REQUEST_METHOD', 'The http request method type is not a valid one')));
      const b = parsed();
      if (b.error) return bad(b.error);
      const limit = /\blimit\s+(?:\d+\s*,\s*)?(\d+)/i.exec(String(b.value?.select_query ?? ''))?.[1];
      const n = limit ? Number(limit) : DEFAULT_COQL_LIMIT;
      const credits = n <= 200 ? 1 : n <= 1000 ? 2 : 3; // COQL tiers (§2)
      return simple(() => this.#coql(b.value), credits, 1);
    }
    if (parts[0] === 'settings' && parts[1] === 'fields' && parts.length === 2 && method === 'GET') {
      return simple(() => {
        const mod = q.get('module');
        if (!mod) return json(400, err('REQUIRED_PARAM_MISSING', 'One of the expected parameter is missing', { param_name: 'module' }));
        const f = this.fields[mod];
        if (!f) return json(400, err('INVALID_MODULE', 'the module name given seems to be invalid', { param_name: 'module' }));
        return json(200, { fields: structuredClone(f) });
      });
    }
    const module = parts[0];
    if (!module || !this.fields[module]) {
      if (!module) return bad(json(404, err('INVALID_URL_PATTERN', 'Please check if the URL trying to access is a correct one')));
      return bad(json(400, err('INVALID_MODULE', 'the module name given seems to be invalid', { resource_path_index: 0 })));
    }
    if (parts.length === 1) {
      if (method === 'GET') {
        const sorted = q.has('sort_by') || q.has('cvid');
        return simple(() => this.#list(module, q), 1, sorted ? 1 : 0);
      }
      if (method === 'DELETE') return simple(() => this.#delete(module, q));
      if (method === 'POST' || method === 'PUT') return this.#writeRoute(method === 'POST' ? 'insert' : 'update', module, parsed());
      return bad(json(405, err('INVALID_REQUEST_METHOD', 'The http request method type is not a valid one')));
    }
    if (parts.length === 2 && parts[1] === 'upsert' && method === 'POST') return this.#writeRoute('upsert', module, parsed());
    if (parts.length === 2 && parts[1] === 'search' && method === 'GET') return simple(() => this.#search(module, q), 1, 1);
    if (parts.length === 2) {
      const id = parts[1];
      if (method === 'GET') return simple(() => this.#getOne(module, id));
      if (method === 'DELETE') return simple(() => this.#deleteIds(module, [id]));
      if (method === 'PUT') {
        const b = parsed();
        if (b.error) return bad(b.error);
        const data = Array.isArray(b.value?.data) ? b.value.data.map((r) => ({ ...r, id })) : b.value?.data;
        return this.#writeRoute('update', module, { value: { ...b.value, data } });
      }
    }
    if (parts.length === 4 && parts[2] === 'actions' && parts[3] === 'convert' && method === 'POST' && module === 'Leads') {
      return simple(() => this.#convert(parts[1]), CONVERT_CREDITS, 1);
    }
    return bad(json(404, err('INVALID_URL_PATTERN', 'Please check if the URL trying to access is a correct one')));
  }

  /** @param {'insert'|'update'|'upsert'} kind @param {string} module @param {{ value?: any, error?: SimResponse }} b */
  #writeRoute(kind, module, b) {
    if (b.error) return { error: b.error, slots: 0, complex: 0, minCredits: 0, run: () => ({ response: b.error, credits: 0 }) };
    const data = b.value?.data;
    const n = Array.isArray(data) ? data.length : 0;
    const credits = Math.max(1, Math.ceil(n / WRITE_RECORDS_PER_CREDIT)); // §2, unverified
    return {
      slots: 1,
      complex: n > COMPLEX_WRITE_THRESHOLD ? 1 : 0,
      minCredits: credits,
      run: () => ({ response: this.#write(kind, module, b.value), credits }),
    };
  }

  // ------------------------------------------------------------------ writes

  /** @param {'insert'|'update'|'upsert'} kind @param {string} module @param {any} body */
  #write(kind, module, body) {
    const data = body?.data;
    if (!Array.isArray(data) || data.length === 0) {
      return json(400, err('MANDATORY_NOT_FOUND', 'required field not found', { api_name: 'data', json_path: '$.data' }));
    }
    if (data.length > MAX_RECORDS_PER_WRITE) {
      return json(400, err('LIMIT_EXCEEDED', 'limit exceeded', { api_name: 'data', json_path: '$.data', limit: MAX_RECORDS_PER_WRITE }));
    }
    const dupFields = kind === 'upsert'
      ? (Array.isArray(body.duplicate_check_fields) && body.duplicate_check_fields.length
          ? body.duplicate_check_fields.map(String)
          : [DUPLICATE_CHECK_FIELDS[/** @type {keyof typeof DUPLICATE_CHECK_FIELDS} */ (module)] ?? 'Name'])
      : [];
    const results = data.map((rec, i) => this.#writeOne(kind, module, rec, i, dupFields));
    const ok = results.filter((r) => r.status === 'success').length;
    const status = ok === results.length ? (kind === 'insert' ? 201 : 200) : ok === 0 ? 400 : 207;
    return json(status, { data: results });
  }

  /**
   * @param {'insert'|'update'|'upsert'} kind @param {string} module @param {any} rec
   * @param {number} i @param {string[]} dupFields
   */
  #writeOne(kind, module, rec, i, dupFields) {
    const path = `$.data[${i}]`;
    if (!rec || typeof rec !== 'object' || Array.isArray(rec)) {
      return err('INVALID_DATA', 'invalid data', { api_name: 'data', json_path: path, expected_data_type: 'jsonobject' });
    }
    const store = this.#module(module);
    let existing = null;
    let action = kind === 'upsert' ? 'insert' : kind;
    let duplicateField = null;
    if (kind === 'update') {
      const id = rec.id == null ? null : String(rec.id);
      if (!id) return err('MANDATORY_NOT_FOUND', 'required field not found', { api_name: 'id', json_path: `${path}.id` });
      existing = store.get(id);
      if (!existing) return err('INVALID_DATA', 'the id given seems to be invalid', { api_name: 'id', json_path: `${path}.id` });
    } else if (kind === 'upsert') {
      for (const f of dupFields) {
        if (rec[f] == null || rec[f] === '') continue;
        const hit = this.#findBy(module, f, rec[f]);
        if (hit) {
          existing = hit;
          action = 'update';
          duplicateField = f;
          break;
        }
      }
    }
    if (existing) {
      const until = this.locks.get(String(existing.id));
      if (until !== undefined && until > this.now()) {
        this.counters.recordLocked++;
        return err('RECORD_LOCKED', 'cannot update record that is locked', { id: existing.id });
      }
      const rate = this.options.faults?.recordLocked ?? 0;
      if (rate > 0 && this.rng() < rate) {
        this.lockRecord(String(existing.id));
        this.counters.recordLocked++;
        return err('RECORD_LOCKED', 'cannot update record that is locked', { id: existing.id });
      }
    }
    const problem = this.#validate(module, rec, path, existing === null, existing ? String(existing.id) : null);
    if (problem) return problem;

    const now = isoTime(this.now());
    const user = { name: 'Sim User', id: '5725767000000411001' };
    const fieldsOnly = Object.fromEntries(Object.entries(rec).filter(([k]) => k !== 'id' && !k.startsWith('$')));
    let out;
    if (existing) {
      const before = { ...existing };
      this.#put(module, { ...existing, ...fieldsOnly, Modified_Time: now });
      this.#undo(() => this.#put(module, before));
      this.counters.updated[module] = (this.counters.updated[module] ?? 0) + 1;
      out = { code: 'SUCCESS', details: { Modified_Time: now, Modified_By: user, Created_Time: existing.Created_Time, id: existing.id, Created_By: user }, message: 'record updated', status: 'success' };
    } else {
      const id = String(5725767000001000000n + ++this.nextId);
      this.#put(module, { ...fieldsOnly, id, Created_Time: now, Modified_Time: now });
      this.#countCreated(module, fieldsOnly, +1);
      this.#undo(() => {
        this.#remove(module, id);
        this.#countCreated(module, fieldsOnly, -1);
      });
      out = { code: 'SUCCESS', details: { Modified_Time: now, Modified_By: user, Created_Time: now, id, Created_By: user, $approval_state: 'approved' }, message: 'record added', status: 'success' };
    }
    if (kind === 'upsert') return { ...out, duplicate_field: duplicateField, action };
    return out;
  }

  /** @param {string} module @param {Record<string, unknown>} rec @param {number} delta */
  #countCreated(module, rec, delta) {
    const c = this.counters;
    c.created[module] = (c.created[module] ?? 0) + delta;
    const by = this.options.countBy?.[module] ?? DUPLICATE_CHECK_FIELDS[/** @type {keyof typeof DUPLICATE_CHECK_FIELDS} */ (module)];
    const v = by ? rec[by] : undefined;
    if (v == null || v === '') return;
    const key = String(v).toLowerCase();
    const m = (c.createdByKey[module] ??= {});
    m[key] = (m[key] ?? 0) + delta;
    if (m[key] === 0) delete m[key]; // a rolled-back create leaves no trace
  }

  /** @param {() => void} fn */
  #undo(fn) {
    this.journal?.push(fn);
  }

  /**
   * Mandatory, unique and type checks from the fields metadata (§9); the first problem wins.
   * @param {string} module @param {Record<string, any>} rec @param {string} path @param {boolean} creating
   * @param {string | null} selfId
   */
  #validate(module, rec, path, creating, selfId) {
    for (const f of this.fields[module] ?? []) {
      const name = f.api_name;
      const v = rec[name];
      const at = { api_name: name, json_path: `${path}.${name}` };
      const missing = v == null || (typeof v === 'string' && v.trim() === '');
      if (f.system_mandatory && (creating ? missing : name in rec && missing)) {
        return err('MANDATORY_NOT_FOUND', 'required field not found', at);
      }
      if (v == null) continue;
      const typeErr = checkType(f, v);
      if (typeErr) return err('INVALID_DATA', 'invalid data', { ...at, ...typeErr });
      if (f.unique && Object.keys(f.unique).length > 0) {
        const hit = this.#findBy(module, name, v);
        if (hit && String(hit.id) !== selfId) {
          return err('DUPLICATE_DATA', 'duplicate data', {
            ...at,
            // Key name per the v8 samples as remembered; unverified (facts §4.2).
            duplicate_record: { module: { api_name: module, id: '5725767000000002175' }, id: hit.id },
          });
        }
      }
    }
    return null;
  }

  /** @param {string} module @param {string} field @param {unknown} value */
  #findBy(module, field, value) {
    const want = String(value).toLowerCase();
    const idx = this.index.get(`${module}\0${field}`);
    if (idx) {
      const ids = idx.get(want);
      const id = ids ? ids.values().next().value : undefined;
      return id === undefined ? null : (this.#module(module).get(id) ?? null);
    }
    for (const r of this.#module(module).values()) {
      const v = r[field];
      if (v != null && String(v).toLowerCase() === want) return r;
    }
    return null;
  }

  /** Fields looked up by value: the unique ones and the duplicate-check field. @param {string} module */
  #indexedFields(module) {
    const f = (this.fields[module] ?? []).filter((x) => x.unique && Object.keys(x.unique).length > 0).map((x) => x.api_name);
    const dup = DUPLICATE_CHECK_FIELDS[/** @type {keyof typeof DUPLICATE_CHECK_FIELDS} */ (module)];
    return dup && !f.includes(dup) ? [...f, dup] : f;
  }

  /** Stores a record (replacing one with the same id) and keeps the value index. */
  #put(/** @type {string} */ module, /** @type {Record<string, any>} */ rec) {
    const id = String(rec.id);
    this.#remove(module, id);
    this.#module(module).set(id, rec);
    for (const f of this.#indexedFields(module)) {
      if (rec[f] == null || rec[f] === '') continue;
      const key = `${module}\0${f}`;
      let idx = this.index.get(key);
      if (!idx) this.index.set(key, (idx = new Map()));
      const v = String(rec[f]).toLowerCase();
      let ids = idx.get(v);
      if (!ids) idx.set(v, (ids = new Set()));
      ids.add(id);
    }
  }

  /** Removes a record and its index entries. */
  #remove(/** @type {string} */ module, /** @type {string} */ id) {
    const store = this.#module(module);
    const old = store.get(id);
    if (!old) return;
    store.delete(id);
    for (const f of this.#indexedFields(module)) {
      const idx = this.index.get(`${module}\0${f}`);
      const v = old[f] == null ? null : String(old[f]).toLowerCase();
      const ids = v === null ? undefined : idx?.get(v);
      if (ids) {
        ids.delete(id);
        if (ids.size === 0) idx?.delete(/** @type {string} */ (v));
      }
    }
  }

  /** @param {string} module */
  #module(module) {
    let s = this.store.get(module);
    if (!s) this.store.set(module, (s = new Map()));
    return s;
  }

  // ------------------------------------------------------------------ reads and deletes

  /** @param {string} module @param {URLSearchParams} q */
  #list(module, q) {
    const fields = (q.get('fields') ?? '').split(',').filter(Boolean);
    if (!fields.length) return json(400, err('REQUIRED_PARAM_MISSING', 'One of the expected parameter is missing', { param_name: 'fields' }));
    if (fields.length > MAX_FIELDS_PER_GET) return json(400, err('LIMIT_EXCEEDED', 'Fields limit exceeded', { param_name: 'fields', limit: MAX_FIELDS_PER_GET }));
    if (q.has('page') && q.has('page_token')) return json(400, err('AMBIGUITY_DURING_PROCESSING', 'ambiguity while processing the request', { ambiguity_due_to: ['page', 'page_token'] }));
    if (q.has('sort_by') && q.has('cvid')) return json(400, err('AMBIGUITY_DURING_PROCESSING', 'ambiguity while processing the request', { ambiguity_due_to: ['cvid', 'sort_by'] }));
    const perPage = clampInt(q.get('per_page'), MAX_PER_PAGE, 1, MAX_PER_PAGE);
    const sortBy = q.get('sort_by') ?? 'id';
    const desc = (q.get('sort_order') ?? 'desc') === 'desc';
    const bound = `${module}|${fields.join(',')}|${perPage}|${sortBy}|${desc}`;
    let offset;
    let page = 1;
    const tok = q.get('page_token');
    if (tok) {
      const t = this.pageTokens.get(tok);
      if (!t) return json(400, err('INVALID_DATA', 'invalid data', { param_name: 'page_token' }));
      if (t.expires <= this.now()) return json(400, err('EXPIRED_VALUE', 'the page token has expired', { param_name: 'page_token' }));
      if (t.bound !== bound) return json(400, err('TOKEN_BOUND_DATA_MISMATCH', 'the parameters differ from those the token was issued for', { param_name: 'page_token' }));
      offset = t.offset;
    } else {
      page = clampInt(q.get('page'), 1, 1, Number.MAX_SAFE_INTEGER);
      offset = (page - 1) * perPage;
      if (offset + perPage > MAX_RECORDS_WITHOUT_PAGE_TOKEN) {
        return json(400, err('DISCRETE_PAGINATION_LIMIT_EXCEEDED', 'cannot fetch more than 2000 records without page_token', { param_name: 'page', limit: MAX_RECORDS_WITHOUT_PAGE_TOKEN }));
      }
    }
    if (offset >= MAX_RECORDS_WITH_PAGE_TOKEN) return json(400, err('PAGINATION_LIMIT_EXCEEDED', 'pagination limit exceeded', { limit: MAX_RECORDS_WITH_PAGE_TOKEN }));
    const all = sortRecords(this.records(module), sortBy, desc);
    const rows = all.slice(offset, offset + perPage).map((r) => pick(r, fields));
    if (!rows.length) return EMPTY_204();
    const more = offset + rows.length < all.length;
    let next = null;
    if (more) {
      next = `sim-pt-${this.pageTokens.size + 1}`;
      this.pageTokens.set(next, { offset: offset + rows.length, bound, expires: this.now() + CREDIT_WINDOW_MS });
    }
    return json(200, {
      data: rows,
      info: {
        call: false, per_page: perPage, next_page_token: next, count: rows.length, sort_by: sortBy,
        page: tok ? null : page, previous_page_token: null,
        page_token_expiry: next ? isoTime(this.now() + CREDIT_WINDOW_MS) : null,
        sort_order: desc ? 'desc' : 'asc', email: false, more_records: more,
      },
    });
  }

  /** @param {string} module @param {string} id */
  #getOne(module, id) {
    const r = this.#module(module).get(id);
    return r ? json(200, { data: [{ ...r }] }) : EMPTY_204();
  }

  /** @param {string} module @param {URLSearchParams} q */
  #search(module, q) {
    const perPage = clampInt(q.get('per_page'), MAX_PER_PAGE, 1, MAX_PER_PAGE);
    const page = clampInt(q.get('page'), 1, 1, Number.MAX_SAFE_INTEGER);
    /** @type {(r: Record<string, unknown>) => boolean} */
    let match;
    const criteria = q.get('criteria');
    if (criteria) {
      const parsed = parseCriteria(criteria);
      if (!parsed) return json(400, err('INVALID_QUERY', 'invalid query formed', { param_name: 'criteria' }));
      if (parsed.count > MAX_SEARCH_CRITERIA) return json(400, err('LIMIT_EXCEEDED', 'criteria limit exceeded', { param_name: 'criteria', limit: MAX_SEARCH_CRITERIA }));
      match = parsed.test;
    } else if (q.get('email')) {
      const e = String(q.get('email')).toLowerCase();
      match = (r) => String(r.Email ?? '').toLowerCase() === e;
    } else if (q.get('phone')) {
      const p = String(q.get('phone'));
      match = (r) => String(r.Phone ?? '') === p;
    } else if (q.get('word')) {
      const w = String(q.get('word')).toLowerCase();
      match = (r) => Object.values(r).some((v) => typeof v === 'string' && v.toLowerCase().includes(w));
    } else {
      return json(400, err('REQUIRED_PARAM_MISSING', 'One of the expected parameter is missing', { param_name: 'criteria' }));
    }
    const offset = (page - 1) * perPage;
    if (offset + perPage > MAX_SEARCH_RECORDS) return json(400, err('LIMIT_REACHED', 'search results exceed the limit', { limit: MAX_SEARCH_RECORDS }));
    const hits = this.records(module).filter(match);
    const rows = hits.slice(offset, offset + perPage);
    if (!rows.length) return EMPTY_204();
    return json(200, { data: rows, info: { per_page: perPage, count: rows.length, page, more_records: offset + rows.length < hits.length } });
  }

  /** @param {string} module @param {URLSearchParams} q */
  #delete(module, q) {
    const ids = (q.get('ids') ?? '').split(',').filter(Boolean);
    if (!ids.length) return json(400, err('REQUIRED_PARAM_MISSING', 'One of the expected parameter is missing', { param_name: 'ids' }));
    if (ids.length > MAX_RECORDS_PER_WRITE) return json(400, err('LIMIT_EXCEEDED', 'limit exceeded', { param_name: 'ids', limit: MAX_RECORDS_PER_WRITE }));
    return this.#deleteIds(module, ids);
  }

  /** @param {string} module @param {string[]} ids */
  #deleteIds(module, ids) {
    const store = this.#module(module);
    const data = ids.map((id) => {
      const rec = store.get(id);
      if (!rec) return err('INVALID_DATA', 'the id given seems to be invalid', { id });
      const until = this.locks.get(id);
      if (until !== undefined && until > this.now()) {
        this.counters.recordLocked++;
        return err('RECORD_LOCKED', 'cannot delete record that is locked', { id });
      }
      this.#remove(module, id);
      this.#undo(() => this.#put(module, rec));
      this.counters.deleted[module] = (this.counters.deleted[module] ?? 0) + 1;
      return { code: 'SUCCESS', details: { id }, message: 'record deleted', status: 'success' };
    });
    const ok = data.filter((d) => d.status === 'success').length;
    return json(ok === data.length ? 200 : ok === 0 ? 400 : 207, { data });
  }

  /** @param {any} body */
  #coql(body) {
    const query = body?.select_query;
    if (typeof query !== 'string' || !query.trim()) {
      return json(400, err('MANDATORY_NOT_FOUND', 'required field not found', { api_name: 'select_query', json_path: '$.select_query' }));
    }
    let q;
    try {
      q = parseCoql(query);
    } catch (e) {
      if (e instanceof CoqlError) return json(400, err(e.code, e.message, e.details));
      throw e;
    }
    if (!this.fields[q.module]) return json(400, err('INVALID_QUERY', 'invalid module in the query', { clause: 'from', near: q.module }));
    const limit = q.limit ?? DEFAULT_COQL_LIMIT;
    if (limit > MAX_COQL_LIMIT || limit < 1) return json(400, err('LIMIT_EXCEEDED', 'limit exceeded', { clause: 'limit', limit: MAX_COQL_LIMIT }));
    if (q.offset + limit > MAX_COQL_ROWS) return json(400, err('LIMIT_EXCEEDED', 'offset limit exceeded', { clause: 'offset', limit: MAX_COQL_ROWS }));
    // Filter the stored records themselves: copying all of them first made every
    // lookup cost milliseconds of the server's one thread.
    let rows = [...(this.store.get(q.module)?.values() ?? [])];
    if (q.where) rows = rows.filter(q.where);
    if (q.orderBy) rows = sortRecords(rows, q.orderBy.field, q.orderBy.desc);
    const page = rows.slice(q.offset, q.offset + limit).map((r) => pick(r, q.fields));
    if (!page.length) return EMPTY_204();
    return json(200, { data: page, info: { count: page.length, more_records: q.offset + page.length < rows.length } });
  }

  /** @param {string} id */
  #convert(id) {
    const leads = this.#module('Leads');
    const lead = leads.get(id);
    if (!lead) return json(400, err('INVALID_DATA', 'the id given seems to be invalid', { resource_path_index: 1 }));
    if (lead.$converted) return json(400, err('ID_ALREADY_CONVERTED', 'id already converted', { id }));
    lead.$converted = true;
    const contactId = String(5725767000001000000n + ++this.nextId);
    this.#put('Contacts', { id: contactId, Last_Name: lead.Last_Name, Email: lead.Email });
    return json(200, { data: [{ Contacts: { name: String(lead.Last_Name ?? ''), id: contactId }, Deals: null, Accounts: null }] });
  }

  // ------------------------------------------------------------------ composite

  /** @param {any} body @returns {{ response: SimResponse, credits: number }} */
  #composite(body) {
    const subs = body?.__composite_requests;
    const rollback = body?.rollback_on_fail === true;
    if (!Array.isArray(subs) || subs.length === 0) {
      return { response: json(400, err('MANDATORY_NOT_FOUND', 'required field not found', { api_name: '__composite_requests', json_path: '$.__composite_requests' })), credits: 1 };
    }
    if (subs.length > MAX_COMPOSITE_SUB_REQUESTS) {
      return { response: json(400, err('INVALID_DATA', 'You have used more than 5 sub-requests.', { api_name: '__composite_requests', json_path: '$.__composite_requests', limit: MAX_COMPOSITE_SUB_REQUESTS })), credits: 1 };
    }
    if (rollback && body.parallel_execution === true) {
      return { response: json(400, err('AMBIGUITY_DURING_PROCESSING', 'ambiguity while processing the request', { ambiguity_due_to: ['rollback_on_fail', 'parallel_execution'] })), credits: 1 };
    }
    /** @type {(() => void)[]} */
    const journal = [];
    this.journal = rollback ? journal : null;
    /** @type {any[]} */
    const out = [];
    let failedAt = -1;
    try {
      for (const [i, sub] of subs.entries()) {
        if (failedAt >= 0) {
          out.push(err('PROCESSING_STOPPED', 'processing stopped', { rollbacked_by_sub_request_index: failedAt }));
          continue;
        }
        const r = this.#subRequest(sub, i);
        out.push(r.wrapper);
        if (rollback && r.status >= 400) failedAt = i;
      }
    } finally {
      this.journal = null;
    }
    if (failedAt >= 0) {
      for (const undo of journal.reverse()) undo();
      for (let i = 0; i < failedAt; i++) out[i] = err('ROLLBACK_PERFORMED', 'rollback performed', { rollbacked_by_sub_request_index: failedAt });
      return { response: json(400, { __composite_requests: out }), credits: 1 };
    }
    return { response: json(200, { __composite_requests: out }), credits: rollback ? 2 : 1 };
  }

  /** @param {any} sub @param {number} i */
  #subRequest(sub, i) {
    const at = { api_name: 'uri', json_path: `$.__composite_requests[${i}].uri` };
    const uri = String(sub?.uri ?? '');
    if (!/^\/crm(\/.*)?\/v[0-9]+([.][0-9]+)?\/.*/.test(uri)) {
      return { status: 400, wrapper: err('INVALID_DATA', 'invalid data', at) };
    }
    const hdrs = Object.keys(sub?.headers ?? {}).map((h) => h.toLowerCase());
    if (hdrs.includes('authorization') || hdrs.includes('x-crm-org')) {
      return { status: 400, wrapper: err('NOT_ALLOWED', 'header not allowed in a sub-request', { api_name: 'headers', json_path: `$.__composite_requests[${i}].headers` }) };
    }
    if (/\/__composite_requests\b/.test(uri)) {
      return { status: 400, wrapper: err('NOT_ALLOWED', 'a composite request cannot contain another', at) };
    }
    const method = String(sub?.method ?? 'GET').toUpperCase();
    const url = new URL(uri, this.apiDomain);
    for (const [k, v] of Object.entries(sub?.params ?? {})) url.searchParams.set(k, String(v));
    const body = sub?.body;
    const count = Array.isArray(body?.data) ? body.data.length : 0;
    const isWrite = method !== 'GET';
    if ((isWrite && count > 1) || (!isWrite && Number(url.searchParams.get('per_page') ?? 25) > 25)) {
      const limit = isWrite ? 1 : 25;
      return { status: 400, wrapper: err('LIMIT_EXCEEDED', 'limit exceeded', { by: 'limit', limit }) };
    }
    const m = /^\/crm\/v\d+(?:\.\d+)?(\/.*)$/.exec(url.pathname);
    const route = this.#route(method, m?.[1] ?? '/', url, body == null ? '' : JSON.stringify(body));
    const resp = route.error ?? route.run().response;
    return {
      status: resp.status,
      wrapper: {
        code: 'SUCCESS',
        details: {
          response: {
            headers: { 'X-ACCESSTOKEN-RESET': isoTime(this.now() + this.tokenTtl()) },
            status_code: resp.status,
            body: resp.body ? JSON.parse(resp.body) : null,
          },
        },
        message: 'composite sub request executed successfully',
        status: 'success',
      },
    };
  }
}

// ------------------------------------------------------------------ helpers

/** @param {Record<string, string> | Headers | undefined} h @returns {Record<string, string>} */
function lowerHeaders(h) {
  /** @type {Record<string, string>} */
  const out = {};
  if (!h) return out;
  const entries = typeof (/** @type {any} */ (h).entries) === 'function' && !(h.constructor === Object) ? /** @type {Headers} */ (h).entries() : Object.entries(h);
  for (const [k, v] of entries) out[k.toLowerCase()] = String(v);
  return out;
}

/** @param {unknown} body @returns {{ value?: any, error?: SimResponse }} */
function parseBody(body) {
  if (body && typeof body === 'object') return { value: body };
  try {
    return { value: JSON.parse(String(body ?? '')) };
  } catch {
    return { error: json(400, err('JSON_PARSE_ERROR', 'body is not a valid JSON', {})) };
  }
}

/** @param {string | null} v @param {number} dflt @param {number} min @param {number} max */
function clampInt(v, dflt, min, max) {
  const n = v == null ? dflt : Number.parseInt(v, 10);
  return Number.isFinite(n) ? Math.min(max, Math.max(min, n)) : dflt;
}

/** @param {Record<string, unknown>} r @param {string[]} fields */
function pick(r, fields) {
  /** @type {Record<string, unknown>} */
  const o = { id: r.id };
  for (const f of fields) o[f] = r[f] ?? null;
  return o;
}

/** @param {Record<string, any>[]} rows @param {string} field @param {boolean} desc */
function sortRecords(rows, field, desc) {
  const key = (/** @type {any} */ v) => (v == null ? '' : v);
  const sorted = rows.sort((a, b) => {
    const x = key(a[field]);
    const y = key(b[field]);
    if (field === 'id') return BigInt(x || 0) < BigInt(y || 0) ? -1 : BigInt(x || 0) > BigInt(y || 0) ? 1 : 0;
    return x < y ? -1 : x > y ? 1 : 0;
  });
  return desc ? sorted.reverse() : sorted;
}

/** ISO 8601 with an explicit offset, as Zoho prints times. @param {number} ms */
function isoTime(ms) {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, '+00:00');
}

const EMAIL = /^[\w.!#$%&'*+/=?^`{|}~-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+$/;

/**
 * Type rules per data_type (facts §9, V7DOC insert-records "Sample Attributes").
 * @param {any} f @param {unknown} v @returns {Record<string, unknown> | null}
 */
function checkType(f, v) {
  const t = f.data_type;
  const str = () => (typeof v === 'string' ? null : { expected_data_type: 'string' });
  const len = () => (typeof v === 'string' && f.length && v.length > f.length ? { maximum_length: f.length } : null);
  switch (t) {
    case 'text': case 'textarea': case 'picklist': case 'website':
      return str() ?? len();
    case 'email':
      return str() ?? len() ?? (EMAIL.test(/** @type {string} */ (v)) ? null : { expected_data_type: 'email' });
    case 'phone':
      return str() ?? len();
    case 'integer':
      return Number.isInteger(v) && Math.abs(/** @type {number} */ (v)) < 1e9 ? null : { expected_data_type: 'integer' };
    case 'double': case 'currency': case 'percent':
      return typeof v === 'number' && Number.isFinite(v) ? null : { expected_data_type: 'double' };
    case 'boolean':
      return typeof v === 'boolean' ? null : { expected_data_type: 'boolean' };
    case 'date':
      return typeof v === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(v) ? null : { expected_data_type: 'date' };
    case 'datetime':
      return typeof v === 'string' && /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}([+-]\d{2}:\d{2}|Z)$/.test(v) ? null : { expected_data_type: 'datetime' };
    case 'lookup': case 'ownerlookup':
      return v && typeof v === 'object' && 'id' in v ? null : { expected_data_type: 'jsonobject' };
    default:
      return null;
  }
}

/**
 * Search criteria `((F:op:v)and(F:op:v))` (V7DOC search). Returns null when malformed.
 * @param {string} text
 * @returns {{ test: (r: Record<string, unknown>) => boolean, count: number } | null}
 */
function parseCriteria(text) {
  const s = text.trim();
  let i = 0;
  let count = 0;
  /** @returns {((r: Record<string, unknown>) => boolean) | null} */
  const group = () => {
    if (s[i] !== '(') return null;
    i++;
    let left;
    if (s[i] === '(') {
      left = group();
      if (!left) return null;
      while (s.slice(i, i + 3).toLowerCase() === 'and' || s.slice(i, i + 2).toLowerCase() === 'or') {
        const isAnd = s.slice(i, i + 3).toLowerCase() === 'and';
        i += isAnd ? 3 : 2;
        const right = group();
        if (!right) return null;
        const l = left;
        left = isAnd ? (/** @type {any} */ r) => l(r) && right(r) : (/** @type {any} */ r) => l(r) || right(r);
      }
    } else {
      const end = s.indexOf(')', i);
      if (end < 0) return null;
      const [field, op, ...rest] = s.slice(i, end).split(':');
      const value = rest.join(':').replace(/\\([(),:])/g, '$1');
      i = end;
      count++;
      const get = (/** @type {Record<string, unknown>} */ r) => String(r[field] ?? '').toLowerCase();
      const want = value.toLowerCase();
      const ops = {
        equals: (/** @type {any} */ r) => get(r) === want,
        not_equal: (/** @type {any} */ r) => get(r) !== want,
        starts_with: (/** @type {any} */ r) => get(r).startsWith(want),
        in: (/** @type {any} */ r) => want.split(',').includes(get(r)),
        greater_than: (/** @type {any} */ r) => Number(r[field]) > Number(value),
        less_than: (/** @type {any} */ r) => Number(r[field]) < Number(value),
        greater_equal: (/** @type {any} */ r) => Number(r[field]) >= Number(value),
        less_equal: (/** @type {any} */ r) => Number(r[field]) <= Number(value),
      };
      left = ops[/** @type {keyof typeof ops} */ (op)];
      if (!field || !left) return null;
    }
    if (s[i] !== ')') return null;
    i++;
    return left;
  };
  const test = group();
  return test && i === s.length ? { test, count } : null;
}
