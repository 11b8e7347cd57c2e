// The write job: insert/update/upsert/delete of any number of records. It validates
// them against Zoho's field metadata, plans batches within the per-call limits, hands
// one unit per batch to the scheduler and reports one result per record, in input
// order. The job's state travels in ONE context object (`newJob`); the units and the
// lookups that settle its records all read and write that object.

import { guardError } from '../errors.js';
import { fieldsMetadata } from './reads.js';
import { RESEND_REASONS, resumeFrom } from './recovery.js';
import { ambiguous, newStats, notSent, progressOf, unfinished } from './results.js';
import { writeUnit } from './write-units.js';

/**
 * Longest wait for credits a write job sits through; past it the job stops spending
 * and ends with the unsent records marked NOT_SENT (reason `credits`) and `stats.resumeAt`.
 * Zoho frees credits 24 h after they were spent (K93), so waiting is rarely wanted.
 */
const DEFAULT_MAX_CREDIT_WAIT_MS = 60_000;
/**
 * How long a job keeps trying before the records still unfinished end with reason
 * `deadline`: one hour. Long enough to sit out what Zoho throws at a job (a 10-minute
 * Retry-After, the 10-minute refresh-token window, a breaker, a bad half hour of 5xx),
 * short enough that a job does not outlive the caller's interest in it. A caller
 * with a tighter bound says so (`deadlineMs`, or a `signal`).
 */
export const DEFAULT_DEADLINE_MS = 3_600_000;

let jobIds = 0;

/**
 * Runs one write job to its end: `{ results, stats }`.
 * @param {object} client the client's shared state
 * @param {'insert'|'update'|'upsert'|'delete'} kind
 */
export async function runWriteJob(client, kind, module, records, opts) {
  const { o } = client;
  const started = o.now();
  const signal = opts.signal ?? o.signal;
  if (!Array.isArray(records)) throw guardError('INVALID_ARGUMENT', 'records must be an array', 'records');
  if (opts.maxAttempts !== undefined && !(Number.isInteger(opts.maxAttempts) && opts.maxAttempts >= 1 && opts.maxAttempts <= 10_000)) {
    throw guardError('INVALID_ARGUMENT', 'maxAttempts must be a whole number from 1 to 10000 (attempts per record)', 'opts.maxAttempts');
  }
  const deadlineMs = opts.deadlineMs ?? o.deadlineMs ?? DEFAULT_DEADLINE_MS;
  if (!(Number.isSafeInteger(deadlineMs) && deadlineMs >= 1)) {
    throw guardError('INVALID_ARGUMENT', 'deadlineMs must be a whole number of ms, at least 1', 'opts.deadlineMs');
  }
  const job = newJob(client, kind, module, records, opts, signal);
  job.deadlineAt = started + deadlineMs;
  const { stats, results } = job;
  stats.startedAt = started;
  // The caller's signal ends the job: nothing more is sent, what is in flight finishes.
  const onAbort = () => client.scheduler.wakeAll();
  signal?.addEventListener?.('abort', onAbort, { once: true });
  try {
    await runJob(client, job, kind, module, records, opts, signal);
  } finally {
    signal?.removeEventListener?.('abort', onAbort);
  }
  finish(job);
  stats.durationMs = o.now() - started;
  client.emit({ type: 'progress', ...progressOf(stats), done: true });
  return { results, stats };
}

async function runJob(client, job, kind, module, records, opts, signal) {
  const { api } = client;
  const { stats } = job;

  // 0. Resuming: keep what the earlier job settled, resend what it never sent, and
  //    look up by unique field what it may have sent without seeing the reply.
  let sendIdx = null;
  if (opts.resume !== undefined) sendIdx = await resumeFrom(job, opts.resume);
  const sending = sendIdx ? sendIdx.map((i) => records[i]) : records;
  const toInput = sendIdx ? (j) => sendIdx[j] : (j) => j;

  // 1. Validation from Zoho's own field metadata (invalid records cost nothing),
  //    and 2. batches within Zoho's per-call limits, indices the caller's own.
  const operation = { kind, module };
  const batchOptions = {
    maxRecords: opts.batchSize,
    maxBodyBytes: opts.maxBodyBytes,
    trigger: opts.trigger,
    duplicateCheckFields: opts.duplicateCheckFields,
  };
  let batches;
  if (kind !== 'delete' && opts.validate !== false) {
    let meta = opts.fieldsMetadata;
    try {
      meta ??= await fieldsMetadata(client, module, { signal, job });
    } catch (e) {
      if (job.stop.reason) return; // stopped before anything was sent: every record NOT_SENT
      throw e;
    }
    const plan = api.validateAndPlan(operation, sending, meta, {
      ...batchOptions,
      operation: kind,
      allowNewPicklistValues: opts.allowNewPicklistValues,
    });
    for (const e of plan.validation.errors) {
      const index = toInput(e.index);
      job.settle(index, { ...e, index, reason: 'invalid_before_sending', attempts: 0 });
      stats.rejectedBeforeSending++;
    }
    batches = plan.batches;
  } else {
    batches = sending.length ? api.planBatches(operation, sending, batchOptions) : [];
  }
  if (sendIdx) batches = batches.map((b) => ({ ...b, indices: b.indices.map(toInput) }));
  stats.batches = batches.length;
  job.trackBatches(batches);

  // 3. One unit of work per batch; the scheduler sends at the concurrency the Guard allows.
  const units = batches.map((b) => writeUnit(job, b));
  await client.scheduler.run(units, { signal, stats, job });
}

/**
 * The job's end: each record not final says why the job stopped before it was:
 * AMBIGUOUS_WRITE for an insert whose outcome is still unknown, NOT_SENT for a record
 * never sent, else its last answer (Zoho refused it for now) with the stop's reason.
 */
function finish(job) {
  const { results, stats, client } = job;
  const reason = job.stop.reason ?? 'aborted';
  for (let i = 0; i < results.length; i++) {
    if (results[i] !== undefined) continue;
    if (job.maybe[i]) {
      job.settle(i, { ...ambiguous({ verdict: { category: 'network' } }, true, job.kind), index: i, details: { sentAt: job.firstSentAt[i] }, reason, attempts: job.tries[i] });
    } else if (job.tries[i] === 0) {
      results[i] = notSent(i, reason);
      stats.notSent++;
      client.emit({ type: 'result', index: i, result: results[i] });
    } else {
      job.settle(i, unfinished(i, reason, job.lastError[i], job.tries[i]));
    }
  }
  stats.stoppedBy = job.stop.reason;
  stats.resumeAt = job.stop.resumeAt;
  stats.pending = results.filter((r) => r.code === 'NOT_SENT' || r.code === 'AMBIGUOUS_WRITE' || (!r.ok && RESEND_REASONS.has(r.reason))).length;
}

/**
 * The context of one write job, created once and passed to everything that works for it.
 * `settle` records a final result; `settleRecord` does so for a record of a batch, once,
 * and counts the batch done when its last record is final, whatever splits, partial
 * resends or lookups it went through.
 */
function newJob(client, kind, module, records, opts, signal) {
  const results = new Array(records.length);
  const stats = newStats(records.length);
  // The batch each record was planned in, and the records of each batch not yet final.
  const batchOf = new Int32Array(records.length).fill(-1);
  let unsettled = [];
  const firstSentAt = new Float64Array(records.length).fill(NaN);
  const settle = (index, result) => {
    // An unknown outcome keeps when it was first sent: a resume's proof needs it.
    if (result.code === 'AMBIGUOUS_WRITE' && !Number.isNaN(firstSentAt[index])) result = { ...result, details: { ...result.details, sentAt: firstSentAt[index] } };
    results[index] = result;
    if (result.ok) stats.ok++;
    else stats.failed++;
    client.emit({ type: 'result', index, result });
  };
  return {
    client,
    kind,
    module,
    records,
    results,
    stats,
    signal,
    /** What the job may spend: the longest credit wait it sits through, the attempts per record. */
    limits: {
      maxCreditWaitMs: opts.maxCreditWaitMs ?? client.o.maxCreditWaitMs ?? DEFAULT_MAX_CREDIT_WAIT_MS,
      maxAttempts: opts.maxAttempts,
      /** Records and bytes a merged resend may carry: the job's own batch limits. */
      batchSize: Math.min(opts.batchSize ?? Infinity, client.api.facts().maxRecordsPerWrite),
      maxBodyBytes: opts.maxBodyBytes,
    },
    /** Tells this job's units from another job's in a shared queue key. */
    id: ++jobIds,
    /** Why the job stopped early (`credits`, `deadline`, `aborted`), and when the credits come back. */
    stop: { reason: null, resumeAt: null },
    /** When the job ends whatever is left (our clock); set by runWriteJob. */
    deadlineAt: Infinity,
    /** Aborted at the deadline: ends the calls in flight. */
    halt: {
      calls: new Set(),
      abort(reason) {
        for (const c of this.calls) c.abort(reason);
      },
    },
    /** Calls that carried each record (its attempts), and when it was first sent. */
    tries: new Int32Array(records.length),
    /** Per record: how many replies said it was locked (the backoff of its resends). */
    locks: new Int32Array(records.length),
    firstSentAt,
    /** 1 while an insert's outcome is unknown (sent, no readable answer, not yet looked up). */
    maybe: new Uint8Array(records.length),
    /** Each record's last refusal, for the result of a record the job's end leaves unfinished. */
    lastError: new Array(records.length),
    /** Ids already some record's result in this job: a found record proves one write at most. */
    claimed: new Set(),
    settle,
    settleRecord(index, result, reason, attempts) {
      if (results[index] !== undefined) return;
      settle(index, { ...result, index, reason, attempts });
      const batch = batchOf[index];
      if (batch >= 0 && --unsettled[batch] === 0) {
        stats.batchesDone++;
        client.emit({ type: 'progress', ...progressOf(stats) });
      }
    },
    trackBatches(batches) {
      unsettled = batches.map((b, i) => {
        for (const idx of b.indices) batchOf[idx] = i;
        return b.indices.length;
      });
    },
  };
}
