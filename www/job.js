// One demo job: a seeded simulator in this page (simulated-org.js), a seeded set of
// records (some invalid), and the package's client inserting them while every event
// feeds the live model. No decision is taken here: the client and its Guard decide,
// this only counts, and reconciles the client's results with the simulator's records.
import { DUPLICATE_CHECK_FIELDS } from '@zcrm-guard/zoho-sim';
import { core, createClient } from './engine.js';
import { makeRecords, makeSimulator, simulatorFigures, simulatorToken, withThrottling } from './simulated-org.js';

/** Sampling period of the live charts. */
export const SAMPLE_MS = 100;
/** Refused admits closer than this (same reason) are drawn as one tick. */
const WAIT_TICK_MS = 50;

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
    /** One token source for the whole job: a resumed run goes on with the latest token. */
    this.token = simulatorToken(this.sim);
    this.t0 = null;
    this.samples = [];
    /** @type {Map<number, { start: number, end: number|null, status?: number, action: string|null, delayMs: number }>} */
    this.attempts = new Map();
    this.waits = [];
    this.lastWait = new Map();
    this.clientInFlight = 0;
    this.counts = { calls: 0, retries: 0, refreshes: 0, verified: 0, decisions: {}, waits: {} };
    this.stats = null;
    this.running = false;
    this.baseline = null;
  }

  /** Milliseconds since the job first started. */
  t() {
    return this.t0 === null ? 0 : performance.now() - this.t0;
  }

  /**
   * Calls in flight as a step function ({t, v}) from the simulator's own arrival and
   * answer times: exact, where periodic samples could miss a peak. Null when there are
   * too many calls to draw every step (the samples are drawn instead).
   */
  inFlightSteps(maxCalls = 5_000) {
    if (this.calls.length > maxCalls || this.wallT0 === undefined) return null;
    const edges = [];
    for (const [at, done] of this.calls) edges.push([at - this.wallT0, 1], [done - this.wallT0, -1]);
    edges.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
    const out = [{ t: 0, v: 0 }];
    let n = 0;
    for (const [t, d] of edges) {
      n += d;
      out.push({ t: Math.max(0, t), v: n });
    }
    out.push({ t: this.t(), v: n });
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
        if (a) {
          a.end = t;
          a.status = e.status;
        }
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
      case 'result':
        if (e.result.reason === 'verified_after_lost_reply') this.counts.verified++;
        break;
      case 'progress':
        this.progress = e;
        break;
      default:
    }
  };

  /** One sample of what Zoho (the simulator) and the client's Guard see now. */
  sample() {
    const sim = this.sim;
    const point = {
      t: this.t(),
      inFlight: sim.inFlight,
      complexInFlight: sim.complexInFlight,
      clientInFlight: this.clientInFlight,
      creditsUsed: sim.creditsUsed(),
    };
    point.creditsRemaining = Math.max(0, sim.totalCredits - point.creditsUsed);
    // The Guard's own view (GuardSnapshot): the concurrency it allows itself now (lowered
    // on 429, recovering on successes) and the credits its ledger counts.
    try {
      const g = this.client?.snapshot();
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
    const client = createClient({
      apiDomain: this.sim.apiDomain,
      transport: core.fetchTransport({ fetch: this.throttle.fetch }),
      ...this.token,
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
    return simulatorFigures(this.sim, this.baseline, this.throttle.counter.injected);
  }

  /**
   * The client's final results against the simulator's records, record by record (each
   * has a unique Email, the simulator's duplicate-check key). The identities the page
   * shows, and the demo test asserts:
   *   ok = okNew + okExisting            (okExisting: upserts of records already there)
   *   created = okNew + failedCreated + duplicates
   * where failedCreated are writes Zoho made but whose outcome the client could not learn.
   */
  reconcile() {
    const base = this.baseline?.createdByKey?.Leads ?? {};
    const out = { ok: 0, failed: 0, pending: 0, okNew: 0, okExisting: 0, failedCreated: 0, verified: 0, rejected: 0 };
    this.results.forEach((r, i) => {
      if (!r || r.code === 'NOT_SENT') return void out.pending++;
      const key = String(this.records[i].Email ?? '').toLowerCase();
      const createdHere = this.sim.createdCount('Leads', key) - (base[key] ?? 0) > 0;
      if (r.ok) {
        out.ok++;
        if (createdHere) out.okNew++;
        else out.okExisting++;
        if (r.reason === 'verified_after_lost_reply' || r.reason === 'verified_on_resume') out.verified++;
      } else {
        out.failed++;
        if (createdHere) out.failedCreated++;
        if (r.reason === 'invalid_before_sending') out.rejected++;
      }
    });
    return out;
  }
}

function mergeStats(a, b) {
  if (!a) return { ...b };
  const out = { ...b };
  for (const k of ['calls', 'retries', 'credits', 'durationMs', 'rejectedBeforeSending', 'batches', 'batchesDone']) out[k] = (a[k] ?? 0) + (b[k] ?? 0);
  return out;
}
