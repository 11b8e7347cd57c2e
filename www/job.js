// One demo job: a seeded simulator in this page, a seeded set of records (some invalid),
// and the package's client inserting them while every event feeds the live model.
// No decision is taken here: the client and its Guard decide, this only counts.
import { ZohoSimulator, simulatorFetch, mulberry32, DUPLICATE_CHECK_FIELDS } from '@zcrm-guard/zoho-sim';
import { core, createClient } from './engine.js';

/** The simulator's editions; the Guard's others map to the nearest and take its figures. */
const SIM_EDITION = { free: 'free', standard: 'standard', starter: 'standard', professional: 'professional', enterprise: 'enterprise', zoho_one: 'enterprise', ultimate: 'ultimate', crm_plus: 'ultimate' };

/** Zoho's 429 body (facts §5); the demo's "429 rate" answers it without processing the call. */
const TOO_MANY_REQUESTS = JSON.stringify({
  code: 'TOO_MANY_REQUESTS',
  details: {},
  message: 'Number of API requests for the 24 hour period is exceeded or the concurrency limit of the user for the app is exceeded',
  status: 'error',
});

/** Sampling period of the live charts. */
export const SAMPLE_MS = 100;
/** Refused admits closer than this (same reason) are drawn as one tick. */
const WAIT_TICK_MS = 50;

/**
 * @typedef {{ edition: string, licenses: number, records: number, batchSize: number, invalidShare: number,
 *   operation: 'insert' | 'upsert', latencyMs: number, creditsSpent: number, seed: number,
 *   faults: { tooMany: number, server: number, locked: number, tokenExpiry: number, dropped: number } }} JobSettings
 */

/** Builds the records of a job: seeded, with `invalidShare` of them broken in one of three ways. */
export function makeRecords(settings) {
  const rng = mulberry32(settings.seed ^ 0x5eed);
  const invalid = new Set();
  return {
    records: Array.from({ length: settings.records }, (_, i) => {
      const rec = { Last_Name: `Demo ${i}`, First_Name: 'Ada', Company: `Company ${i % 97}`, Email: `lead${i}.s${settings.seed}@example.com` };
      if (rng() < settings.invalidShare) {
        invalid.add(i);
        const kind = i % 3;
        if (kind === 0) delete rec.Last_Name; // mandatory field missing
        else if (kind === 1) rec.Email = `not-an-email-${i}`; // wrong format
        else rec.Last_Name = 'x'.repeat(81); // longer than the field's 80
      }
      return rec;
    }),
    invalid,
  };
}

/** The simulator for a job's settings, with the edition's real figures from the core. */
export function makeSimulator(settings, limits, onCall) {
  const f = settings.faults;
  const sim = new ZohoSimulator({
    onCall,
    seed: settings.seed,
    edition: SIM_EDITION[settings.edition] ?? 'standard',
    concurrency: limits.concurrency,
    credits: limits.credits.available ?? undefined,
    latencyMs: settings.latencyMs,
    latencyJitterMs: Math.round(settings.latencyMs / 2),
    lockMs: 1_500,
    tokenExpiryEveryCalls: f.tokenExpiry > 0 ? Math.max(2, Math.round(1 / f.tokenExpiry)) : undefined,
    faults: {
      internalError: f.server / 3,
      badGateway: f.server / 3,
      serviceUnavailable: f.server / 3,
      dropBefore: f.dropped / 2,
      dropAfter: f.dropped / 2,
      recordLocked: f.locked,
    },
  });
  if (settings.creditsSpent > 0) {
    // Credits spent earlier today by other integrations: in the window, freed 24 h later.
    sim.ledger.push({ at: sim.now() - 60_000, credits: Math.min(settings.creditsSpent, sim.totalCredits) });
  }
  return sim;
}

/** A fetch in front of the simulator that answers a share of calls 429, like a busy org. */
function withThrottling(sim, rate, seed) {
  const inner = simulatorFetch(sim);
  const rng = mulberry32(seed ^ 0x429);
  const counter = { injected: 0 };
  const fetch = async (input, init) => {
    const url = String(input instanceof Request ? input.url : input);
    if (rate > 0 && url.includes('/crm/') && rng() < rate) {
      counter.injected++;
      await new Promise((r) => setTimeout(r, 5));
      return new Response(TOO_MANY_REQUESTS, { status: 429, headers: { 'content-type': 'application/json;charset=UTF-8' } });
    }
    return inner(input, init);
  };
  return { fetch, counter };
}

/**
 * Runs (or resumes) a job. `state` carries results across Pause/Resume: only records
 * without a final result are sent again.
 */
export class Job {
  /** @param {JobSettings} settings @param {object} limits the core's `editionLimits` */
  constructor(settings, limits) {
    this.settings = settings;
    this.limits = limits;
    /** Every call the simulator answered, [arrival, answer] in its clock (ms). */
    this.calls = [];
    this.sim = makeSimulator(settings, limits, (c) => {
      if (c.path.startsWith('/crm/')) this.calls.push([c.at, c.done]);
    });
    const { records, invalid } = makeRecords(settings);
    this.records = records;
    this.invalid = invalid;
    this.results = new Array(records.length).fill(null);
    this.throttle = withThrottling(this.sim, settings.faults.tooMany, settings.seed);
    this.t0 = null;
    this.samples = [];
    /** @type {Map<number, { start: number, end: number|null, action: string|null, delayMs: number }>} */
    this.attempts = new Map();
    this.waits = [];
    this.lastWait = new Map();
    this.clientInFlight = 0;
    this.counts = { calls: 0, retries: 0, refreshes: 0, decisions: {}, waits: {} };
    this.stats = null;
    this.running = false;
    this.baseline = null;
  }

  /** Milliseconds since the job first started. */
  t() {
    return this.t0 === null ? 0 : performance.now() - this.t0;
  }

  /**
   * Calls in flight as a step function from the simulator's own arrival and answer
   * times: exact, where periodic samples could miss a peak. Null when there are too many
   * calls to draw every step (the samples are drawn instead).
   */
  inFlightSteps(maxCalls = 5_000) {
    if (this.calls.length > maxCalls || this.wallT0 === undefined) return null;
    const edges = [];
    for (const [at, done] of this.calls) edges.push([at - this.wallT0, 1], [done - this.wallT0, -1]);
    edges.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
    const out = [{ t: 0, inFlight: 0 }];
    let n = 0;
    for (const [t, d] of edges) {
      n += d;
      out.push({ t: Math.max(0, t), inFlight: n });
    }
    out.push({ t: this.t(), inFlight: n });
    return out;
  }

  #onEvent = (e) => {
    const t = this.t();
    switch (e.type) {
      case 'send':
        this.clientInFlight++;
        this.counts.calls++;
        this.attempts.set(e.ticket, { start: t, end: null, action: null, delayMs: 0 });
        break;
      case 'reply': {
        this.clientInFlight--;
        const a = this.attempts.get(e.ticket);
        if (a) a.end = t;
        break;
      }
      case 'decision': {
        const a = this.attempts.get(e.ticket);
        if (a) {
          a.action = e.action;
          a.delayMs = e.delayMs ?? 0;
        }
        this.counts.decisions[e.action] = (this.counts.decisions[e.action] ?? 0) + 1;
        if (e.action !== 'done' && e.action !== 'give_up') this.counts.retries++;
        break;
      }
      case 'admit':
        if (!e.ok) {
          this.counts.waits[e.reason] = (this.counts.waits[e.reason] ?? 0) + 1;
          const last = this.lastWait.get(e.reason) ?? -Infinity;
          if (t - last >= WAIT_TICK_MS) {
            this.waits.push({ t, reason: e.reason });
            this.lastWait.set(e.reason, t);
          }
        }
        break;
      case 'token_refresh':
        this.counts.refreshes++;
        break;
      case 'progress':
        this.progress = e;
        break;
      default:
    }
  };

  /** One sample of what Zoho (the simulator) and the client see now. */
  sample() {
    const s = this.sim.stats();
    const point = {
      t: this.t(),
      inFlight: s.inFlight,
      complexInFlight: s.complexInFlight,
      clientInFlight: this.clientInFlight,
      creditsUsed: s.creditsUsed,
      creditsRemaining: s.creditsRemaining,
    };
    // The Guard's own view, when its snapshot has it: the limit it currently allows itself
    // (lowered on 429, recovering on successes) and the credits its ledger counts.
    try {
      const g = this.client?.guard?.snapshot?.(Date.now());
      if (typeof g?.effectiveLimit === 'number') point.effectiveLimit = g.effectiveLimit;
      if (typeof g?.creditsUsed === 'number') point.guardCredits = g.creditsUsed;
    } catch {
      // A snapshot is a view; the job does not depend on it.
    }
    this.samples.push(point);
  }

  /** Records not yet final (all of them before the first start). */
  pending() {
    return this.results.flatMap((r, i) => (r === null || r.code === 'NOT_SENT' ? [i] : []));
  }

  /** Starts or resumes; resolves when the client resolves (finished or aborted). */
  async run(signal) {
    if (!createClient) throw new Error('the package has no createClient yet');
    if (this.t0 === null) {
      this.t0 = performance.now();
      this.wallT0 = this.sim.now();
      await this.#prepare();
    }
    const sim = this.sim;
    let token = 'sim-access-0';
    const transport = core.fetchTransport({ fetch: this.throttle.fetch });
    const client = createClient({
      apiDomain: sim.apiDomain,
      transport,
      getAccessToken: () => token,
      refreshAccessToken: async () => {
        // The simulator's token endpoint, through the same fetch (never the Guard's business).
        const body = new URLSearchParams({ grant_type: 'refresh_token', refresh_token: 'sim-refresh-token', client_id: 'demo', client_secret: 'demo' });
        const res = await simulatorFetch(sim)('https://accounts.zoho.com/oauth/v2/token', { method: 'POST', body: body.toString() });
        const json = await res.json();
        if (!json.access_token) throw new Error(`token refresh failed: ${json.error ?? res.status}`);
        token = json.access_token;
        return json;
      },
      edition: this.settings.edition,
      licenses: this.settings.licenses,
      guardConfig: { seed: this.settings.seed },
      onEvent: this.#onEvent,
      signal,
    });
    this.client = client;
    const indices = this.pending();
    const done = this.results.filter((r) => r && r.code !== 'NOT_SENT');
    /** Final before this run (a resume): live progress ticks count only this run's records. */
    this.before = { ok: done.filter((r) => r.ok).length, failed: done.filter((r) => !r.ok).length };
    this.progress = null;
    const batch = indices.map((i) => this.records[i]);
    this.running = true;
    const timer = setInterval(() => this.sample(), SAMPLE_MS);
    try {
      const opts = this.settings.operation === 'upsert' ? { duplicateCheckFields: [DUPLICATE_CHECK_FIELDS.Leads ?? 'Email'] } : {};
      const { results, stats } = await client[this.settings.operation]('Leads', batch, { ...opts, batchSize: this.settings.batchSize, signal });
      results.forEach((r, k) => {
        this.results[indices[k]] = { ...r, index: indices[k] };
      });
      this.stats = mergeStats(this.stats, stats);
      return { results: this.results, stats: this.stats };
    } finally {
      clearInterval(timer);
      this.sample();
      this.running = false;
    }
  }

  /** Upsert jobs start with a quarter of the valid records already in Zoho (so locks can bite). */
  async #prepare() {
    if (this.settings.operation === 'upsert') {
      const existing = this.records.filter((_, i) => !this.invalid.has(i) && i % 4 === 0);
      for (let at = 0; at < existing.length; at += 100) {
        await this.sim.handle({
          method: 'POST',
          url: `${this.sim.apiDomain}/crm/v8/Leads`,
          headers: { authorization: 'Zoho-oauthtoken sim-access-0' },
          body: JSON.stringify({ data: existing.slice(at, at + 100) }),
        });
      }
    }
    // What the simulator had before the job, so the page shows only the job's effects.
    this.baseline = this.sim.stats();
  }

  /** The simulator's own counters, minus what it had before the job. */
  simCounters() {
    const s = this.sim.stats();
    const b = this.baseline ?? { created: {}, updated: {}, calls: 0, creditsSpent: 0 };
    return {
      created: (s.created.Leads ?? 0) - (b.created.Leads ?? 0),
      updated: (s.updated.Leads ?? 0) - (b.updated.Leads ?? 0),
      duplicates: s.duplicatesCreated,
      calls: s.calls - b.calls,
      maxInFlight: s.maxInFlight,
      concurrencyLimit: s.concurrencyLimit,
      maxComplexInFlight: s.maxComplexInFlight,
      subConcurrencyLimit: s.subConcurrencyLimit,
      tooManyRequests: s.tooManyRequests.concurrency + s.tooManyRequests.complex + s.tooManyRequests.credits,
      injected429: this.throttle.counter.injected,
      faults: Object.values(s.faults).reduce((a, n) => a + n, 0) + s.recordLocked,
      tokenRefreshes: s.tokenRefreshes,
      invalidToken: s.invalidToken,
      creditsUsed: s.creditsUsed,
      creditsTotal: s.creditsTotal,
    };
  }
}

function mergeStats(a, b) {
  if (!a) return { ...b };
  const out = { ...b };
  for (const k of ['calls', 'retries', 'credits', 'durationMs', 'rejectedBeforeSending', 'batches', 'batchesDone']) out[k] = (a[k] ?? 0) + (b[k] ?? 0);
  return out;
}
