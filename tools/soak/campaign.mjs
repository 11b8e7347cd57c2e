// One fault campaign: Leads through the client against the simulator over HTTP on
// 127.0.0.1, and the audit of every record against the simulator's own counts.
// Shared by `make soak` (tools/soak/soak.mjs) and the short runs of `make test`
// (tests/soak/soak-short.test.mjs).
import { makeLeads } from '@zcrm-guard/zoho-sim/fixtures';
import { clientFor } from '@zcrm-guard/zoho-sim/testing';
import { startSimulatorProcess } from '@zcrm-guard/zoho-sim/process';
import { FAULT_KINDS } from '@zcrm-guard/zoho-sim';

export { startSimulatorProcess };
/**
 * The fault kinds of issue 9's campaigns: the simulator's first seven. The kinds appended for
 * issue 14 (commitThen5xx, shortReply, tooManyRequests, proxyHtml) run in tools/soak/matrix.mjs;
 * keeping them out here keeps these campaigns' mix and seeds as they were.
 */
const ISSUE9_KINDS = FAULT_KINDS.slice(0, 7);
export { ISSUE9_KINDS as FAULT_KINDS };

/** Concurrency per edition (K35, K203) and the complex pool (SUBC), as the simulator enforces them. */
export const EDITION_LIMIT = { free: 5, standard: 10, professional: 15, enterprise: 20, ultimate: 25 };
export const COMPLEX_POOL = 10;
/** Zoho counts a write of more than 10 records as complex (sources §5; the simulator's rule). */
const COMPLEX_WRITE_ABOVE = 10;

/** `rate` spread evenly over every fault kind; RECORD_LOCKED (writes to existing records) too. */
export function faultsAt(rate) {
  const each = rate / ISSUE9_KINDS.length;
  return { ...Object.fromEntries(ISSUE9_KINDS.map((k) => [k, each])), recordLocked: each };
}

/**
 * Runs one campaign and returns its row.
 * @param {object} c { zg, edition, records, faultRate, latencyMs, batchSize, tokenExpiryEveryCalls, timeoutMs, slowMs, seed, invalidEvery, maxAttempts }
 */
export async function runCampaign(c) {
  const {
    zg, edition, records: n, faultRate, latencyMs = 20, batchSize = 10, tokenExpiryEveryCalls = 1_000,
    timeoutMs = 500, slowMs = 1_500, seed = 1, invalidEvery = 50, maxAttempts,
  } = c;
  const server = await startSimulatorProcess({
    seed,
    edition,
    latencyMs,
    latencyJitterMs: 0,
    slowMs,
    faults: faultsAt(faultRate),
    tokenExpiryEveryCalls,
  });
  try {
    const { client, refreshes } = clientFor(server, zg, { edition, options: { timeoutMs, guardConfig: { seed } } });
    const leads = makeLeads(n, { invalidEvery, prefix: `${edition}-${faultRate}-` });
    const t0 = performance.now();
    const { results, stats } = await client.insert('Leads', leads, { batchSize, maxAttempts });
    const ms = performance.now() - t0;
    const sim = await server.stats();
    const audit = auditLeads(leads, results, countsOf(sim));
    // The bound: every call the simulator answered holds a slot for its latency; a
    // slow reply (past the client's timeout) holds it until the timeout, for any client
    // that keeps to the concurrency limit. Writes above 10 records are complex, so the
    // pool of 10 binds them when the edition allows more.
    const limit = batchSize > COMPLEX_WRITE_ABOVE ? Math.min(EDITION_LIMIT[edition], COMPLEX_POOL) : EDITION_LIMIT[edition];
    const slow = sim.faults?.slow ?? 0;
    const boundMs = ((sim.calls - slow) * latencyMs + slow * Math.min(slowMs, timeoutMs)) / limit;
    return {
      edition,
      faultRate,
      records: n,
      ...audit,
      calls: sim.calls,
      faults: Object.values(sim.faults ?? {}).reduce((a, b) => a + b, 0),
      maxInFlight: sim.maxInFlight,
      limit: EDITION_LIMIT[edition],
      boundLimit: limit,
      maxComplexInFlight: sim.maxComplexInFlight,
      maxCreditsInWindow: sim.maxCreditsInWindow,
      creditsTotal: sim.creditsTotal,
      tokenRefreshes: sim.tokenRefreshes,
      clientRefreshes: refreshes(),
      ms,
      boundMs,
      ratio: ms / boundMs,
      stats,
      results,
    };
  } finally {
    await server.close();
  }
}

/** `createdCount(module, key)` over a stats object, as the simulator counts (case-insensitive). */
export function countsOf(stats) {
  return { createdCount: (module, key) => stats.createdByKey?.[module]?.[String(key).toLowerCase()] ?? 0 };
}

/**
 * Checks every record against what the simulator really created (by e-mail):
 * created exactly once and reported so; failed with a reason and not created;
 * rejected before sending; and the defects: duplicates, lost (no result, or a
 * result that contradicts the simulator).
 */
export function auditLeads(leads, results, sim) {
  const a = { createdOnce: 0, failedReported: 0, ambiguous: 0, ambiguousCreated: 0, rejectedBeforeSending: 0, duplicates: 0, lost: 0, problems: [] };
  leads.forEach((lead, i) => {
    const r = results[i];
    const created = sim.createdCount('Leads', lead.Email);
    const problem = (what) => {
      a.lost++;
      if (a.problems.length < 10) a.problems.push(`#${i} ${what}: result ${r?.code}/${r?.reason}, created ${created}`);
    };
    if (created > 1) {
      a.duplicates++;
      if (a.problems.length < 10) a.problems.push(`#${i} created ${created} times`);
    }
    if (!r || r.index !== i) return problem('no result');
    if (!lead.Last_Name) {
      if (r.ok || r.attempts !== 0 || created !== 0) return problem('invalid record not rejected before sending');
      a.rejectedBeforeSending++;
      return;
    }
    if (r.ok) {
      if (created === 0) return problem('reported created, not in Zoho');
      if (created === 1) a.createdOnce++;
      return;
    }
    if (r.code === 'AMBIGUOUS_WRITE' || r.reason === 'ambiguous_write') {
      a.ambiguous++; // said so: may or may not exist
      if (created) a.ambiguousCreated++;
      return;
    }
    if (created > 0) return problem('reported failed, but created');
    if (!r.code || !r.reason) return problem('failed without a reason');
    a.failedReported++;
  });
  return a;
}
