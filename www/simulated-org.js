// The Zoho CRM org the demo writes to: the seeded simulator running in this page, the
// page's 429 storm in front of it, its OAuth token endpoint, and the records of a job.
// Nothing here decides anything: the simulator plays Zoho, the client decides.
import { ZohoSimulator, simulatorFetch, mulberry32 } from '@zcrm-guard/zoho-sim';

/** The simulator's editions; the Guard's others map to the nearest and take its figures. */
const SIM_EDITION = { free: 'free', standard: 'standard', starter: 'standard', professional: 'professional', enterprise: 'enterprise', zoho_one: 'enterprise', ultimate: 'ultimate', crm_plus: 'ultimate' };

/** Zoho's 429 body (sources §5); the demo's "429 rate" answers it without processing the call. */
const TOO_MANY_REQUESTS = JSON.stringify({
  code: 'TOO_MANY_REQUESTS',
  details: {},
  message: 'Number of API requests for the 24 hour period is exceeded or the concurrency limit of the user for the app is exceeded',
  status: 'error',
});

/**
 * @typedef {{ edition: string, licenses: number, records: number, batchSize: number, invalidShare: number,
 *   operation: 'insert' | 'upsert', latencyMs: number, creditsSpent: number, seed: number, tokenLifetimeS: number,
 *   faults: { tooMany: number, server: number, locked: number, dropped: number } }} JobSettings
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

/**
 * The simulator for a job's settings, with the edition's real figures from the core.
 * Access tokens live `tokenLifetimeS` (Zoho's live an hour; the demo compresses time so
 * that a job of seconds sees one expire and be refreshed).
 */
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
    tokenTtlMs: Math.round(settings.tokenLifetimeS * 1000),
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
export function withThrottling(sim, rate, seed) {
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
 * The client's token options for the simulator: the current access token, and a refresh
 * through the simulator's OAuth endpoint (never through the page's 429 storm, and never
 * the Guard's business: it only learns the new token's lifetime).
 */
export function simulatorToken(sim) {
  let token = sim.options.accessToken ?? 'sim-access-0';
  return {
    getAccessToken: () => token,
    refreshAccessToken: async () => {
      const body = new URLSearchParams({ grant_type: 'refresh_token', refresh_token: 'sim-refresh-token', client_id: 'demo', client_secret: 'demo' });
      const res = await simulatorFetch(sim)('https://accounts.zoho.com/oauth/v2/token', { method: 'POST', body: body.toString() });
      const json = await res.json();
      if (!json.access_token) throw new Error(`token refresh failed: ${json.error ?? res.status}`);
      token = json.access_token;
      return json;
    },
  };
}

/** The simulator's counters minus `baseline` (what it had before the job), as the page shows them. */
export function simulatorFigures(sim, baseline, injected429) {
  const s = sim.stats();
  const b = baseline ?? { created: {}, updated: {}, calls: 0, byStatus: {}, invalidToken: 0 };
  const status = (pred) => Object.entries(s.byStatus).reduce((n, [k, v]) => n + (pred(Number(k)) ? v - (b.byStatus[k] ?? 0) : 0), 0);
  const limits429 = s.tooManyRequests.concurrency + s.tooManyRequests.complex + s.tooManyRequests.credits;
  return {
    created: (s.created.Leads ?? 0) - (b.created.Leads ?? 0),
    updated: (s.updated.Leads ?? 0) - (b.updated.Leads ?? 0),
    duplicates: s.duplicatesCreated,
    calls: s.calls - b.calls,
    maxInFlight: s.maxInFlight,
    concurrencyLimit: s.concurrencyLimit,
    maxComplexInFlight: s.maxComplexInFlight,
    subConcurrencyLimit: s.subConcurrencyLimit,
    tooManyRequests: limits429 + injected429,
    limits429,
    injected429,
    serverErrors: status((k) => k >= 500),
    dropped: status((k) => k === 0),
    lostAfterWrite: s.faults.dropAfter ?? 0,
    expiredToken: s.invalidToken - b.invalidToken,
    tokenRefreshes: s.tokenRefreshes,
    tokenRefreshFailures: s.tokenRefreshFailures,
    recordLocked: s.recordLocked,
    creditsUsed: s.creditsUsed,
    creditsTotal: s.creditsTotal,
  };
}
