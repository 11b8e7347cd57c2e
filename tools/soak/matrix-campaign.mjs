// One campaign of issue 14's soak matrix: a write job (insert with server uniqueness on or off,
// upsert, update) through the package's `createClient` with its DEFAULT options, against the
// simulator in its own process with transient faults, short-lived tokens and records that exist
// before the job; then `auditJob` against the simulator's fault-free audit.
import { startSimulatorProcess } from '@zcrm-guard/zoho-sim/process';
import { simTokens } from '@zcrm-guard/zoho-sim/testing';
import { auditJob, REFRESHES_PER_10_MIN } from './audit-job.mjs';

/** Concurrency per edition (K35, K203) and the complex pool of 10 (SUBC), as the simulator enforces them. */
export const EDITION_LIMIT = { free: 5, standard: 10, professional: 15, enterprise: 20, ultimate: 25 };
const COMPLEX_POOL = 10;
/** The client's default batch (records per write call) and Zoho's complex threshold (> 10 records). */
const DEFAULT_BATCH = 100;
const COMPLEX_WRITE_ABOVE = 10;

/** The transient faults of a campaign, one draw per call; they sum to `rate`. */
export const TRANSIENT_KINDS = [
  'tooManyRequests', 'internalError', 'badGateway', 'serviceUnavailable', 'commitThen5xx',
  'proxyHtml', 'dropBefore', 'dropAfter', 'shortReply', 'truncated',
];

/** `rate` of the calls fault, spread evenly over TRANSIENT_KINDS; RECORD_LOCKED per record at rate/10. */
export function transientFaults(rate) {
  const each = rate / TRANSIENT_KINDS.length;
  return { ...Object.fromEntries(TRANSIENT_KINDS.map((k) => [k, each])), recordLocked: each, recordLockedOnInsert: each };
}

/** The job kinds of the matrix. */
export const JOBS = ['insert-unique-off', 'insert-unique-on', 'upsert', 'update'];

const seedId = (/** @type {number} */ j) => String(5725767000800000000n + BigInt(j));
/** Every 50th record breaks the metadata (a string in an integer field): rejected before sending. */
const isInvalid = (/** @type {number} */ i) => i % 50 === 49;

/**
 * The records, the records that exist before the job, and what each record should end as.
 * insert-unique-off: a fifth of the records share an e-mail with an older lead (Leads' Email
 * is not unique by default), so a lookup by e-mail finds that lead too. insert-unique-on: 1 in
 * 100 repeats an older lead's e-mail and must end DUPLICATE_DATA naming it. upsert: a fifth
 * match an older lead (update), the rest are new. update: every record is an older lead, by id.
 * @param {string} job @param {number} n
 */
export function buildJob(job, n) {
  const nSeeds = job === 'update' ? n : Math.max(1, Math.floor(n / 5));
  const seeds = Array.from({ length: nSeeds }, (_, j) => ({
    id: seedId(j), Last_Name: `Old ${j}`, Email: job === 'update' ? `upd${j}@example.com` : `pre${j}@example.com`, Company: 'Before',
  }));
  /** @type {Record<string, any>[]} */
  const records = [];
  /** @type {import('./audit-job.mjs').Expectation[]} */
  const expect = [];
  for (let i = 0; i < n; i++) {
    const bad = isInvalid(i) ? { No_of_Employees: 'many' } : {};
    if (job === 'update') {
      records.push({ id: seedId(i), Company: `Upd ${i}`, ...bad });
      expect.push(isInvalid(i) ? { kind: 'invalid', key: `upd${i}@example.com` } : { kind: 'update', key: `upd${i}@example.com`, id: seedId(i), values: { Company: `Upd ${i}` } });
      continue;
    }
    let email = `job${i}@example.com`;
    /** @type {import('./audit-job.mjs').Expectation} */
    let e = { kind: 'create', key: email, values: { Company: `Job ${i}` } };
    if (job === 'insert-unique-off' && i % 5 === 0) {
      email = `pre${(i / 5) % nSeeds}@example.com`;
      e = { kind: 'create', key: email, values: { Company: `Job ${i}`, Last_Name: `Job ${i}` } };
    } else if (job === 'insert-unique-on' && i % 100 === 7) {
      const j = ((i - 7) / 100) % nSeeds;
      email = `pre${j}@example.com`;
      e = { kind: 'duplicate', key: email, id: seedId(j) };
    } else if (job === 'upsert' && i % 5 === 0) {
      const j = (i / 5) % nSeeds;
      email = `pre${j}@example.com`;
      e = { kind: 'update', key: email, id: seedId(j), values: { Company: `Job ${i}` } };
    }
    records.push({ Last_Name: `Job ${i}`, Email: email, Company: `Job ${i}`, ...bad });
    expect.push(isInvalid(i) ? { kind: 'invalid', key: email } : e);
  }
  return {
    op: job.startsWith('insert') ? 'insert' : job,
    records,
    expect,
    simOptions: { seedRecords: { Leads: seeds }, uniqueFields: { Leads: job === 'insert-unique-on' ? ['Email'] : [] }, countBy: { Leads: 'Email' } },
  };
}

/**
 * The bound, from the org's limits: the time the calls of a fault-free run take at the
 * edition's concurrency with the simulator's latency. One metadata call, then ceil(sent/100)
 * writes of the default batch (complex above 10 records: the pool of 10 binds), in waves of
 * `limit`. When that needs more access tokens than the refresh limit allows (10 per 10
 * minutes, plus the first), each further 10 tokens adds the 10 minutes Zoho makes one wait.
 * @param {{ sent: number, latencyMs: number, edition: keyof typeof EDITION_LIMIT, tokenTtlMs: number }} o
 */
export function boundMs({ sent, latencyMs, edition, tokenTtlMs }) {
  const limit = DEFAULT_BATCH > COMPLEX_WRITE_ABOVE ? Math.min(EDITION_LIMIT[edition], COMPLEX_POOL) : EDITION_LIMIT[edition];
  const writes = Math.ceil(sent / DEFAULT_BATCH);
  const calls = latencyMs * (1 + Math.ceil(writes / limit));
  const tokens = Math.ceil(calls / tokenTtlMs);
  const windows = Math.max(0, Math.ceil((tokens - 1) / REFRESHES_PER_10_MIN) - 1);
  return calls + windows * 600_000;
}

/**
 * Runs one campaign; returns its audited row.
 * @param {{ zg: any, job: string, records: number, faultRate: number, latencyMs?: number, tokenTtlMs?: number,
 *   edition?: keyof typeof EDITION_LIMIT, seed?: number, jobOptions?: object, watchdogMs?: number,
 *   allowDeadline?: boolean, simOptions?: object }} c
 */
export async function runMatrixCampaign(c) {
  const { zg, job, records: n, faultRate, latencyMs = 1_000, tokenTtlMs = 2_000, edition = 'standard', seed = 14, watchdogMs = 150_000 } = c;
  const plan = buildJob(job, n);
  const server = await startSimulatorProcess({
    seed, edition, latencyMs, latencyJitterMs: 0, tokenTtlMs, lockMs: 1_000, retryAfterS: 1,
    faults: transientFaults(faultRate), ...plan.simOptions, ...c.simOptions,
  });
  try {
    // The caller's token functions, as an integration writes them (see simTokens).
    const { getAccessToken, refreshAccessToken } = simTokens(server);
    // DEFAULT options: only what says which org this is and how to reach it.
    const client = zg.createClient({ apiDomain: server.url, edition, getAccessToken, refreshAccessToken });
    const watchdog = AbortSignal.timeout(watchdogMs);
    const t0 = performance.now();
    let out;
    let crashed = null;
    try {
      out = await client[plan.op]('Leads', plan.records, { signal: watchdog, ...c.jobOptions });
    } catch (e) {
      crashed = e;
    }
    const ms = performance.now() - t0;
    // One IPC question at a time: the child answers in order, on one channel.
    const audit = await server.audit();
    const stats = await server.stats();
    const stored = await server.records('Leads');
    const results = out?.results ?? [];
    const a = auditJob({ expect: plan.expect, results, audit, records: stored, allowDeadline: c.allowDeadline });
    if (crashed) a.problems.unshift(`job threw ${crashed?.code ?? ''} ${crashed?.message ?? crashed}`);
    const sent = plan.expect.filter((e) => e.kind !== 'invalid').length;
    const bound = boundMs({ sent, latencyMs, edition, tokenTtlMs });
    return {
      campaign: `${job} ${Math.round(faultRate * 100)}%`, job, faultRate, ...a, crashed: crashed !== null,
      watchdog: watchdog.aborted, stoppedBy: out?.stats?.stoppedBy ?? null,
      calls: stats.calls, faults: Object.values(stats.faults ?? {}).reduce((x, y) => x + y, 0), locked: stats.recordLocked,
      refreshes: stats.tokenRefreshes, refreshDenied: stats.tokenRefreshFailures, maxInFlight: stats.maxInFlight,
      ms, boundMs: bound, ratio: ms / bound,
    };
  } finally {
    await server.close();
  }
}
