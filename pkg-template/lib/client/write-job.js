// The write job: insert/update/upsert/delete of any number of records. It validates
// them against Zoho's field metadata, plans batches within the per-call limits, hands
// one unit per batch to the scheduler and reports one result per record, in input
// order. The job's state travels in ONE context object (`newJob`); the units and the
// lookups that settle its records all read and write that object.

import { guardError } from '../errors.js';
import { fieldsMetadata } from './reads.js';
import { resumeFrom } from './recovery.js';
import { newStats, notSent, progressOf } from './results.js';
import { writeUnit } from './write-units.js';

/**
 * Longest wait for credits a write job sits through; past it the job stops spending
 * and ends with the unsent records marked NOT_SENT (reason `credits`) and `stats.resumeAt`.
 * Zoho frees credits 24 h after they were spent (K93), so waiting is rarely wanted.
 */
const DEFAULT_MAX_CREDIT_WAIT_MS = 60_000;

/**
 * Runs one write job to its end: `{ results, stats }`.
 * @param {object} client the client's shared state
 * @param {'insert'|'update'|'upsert'|'delete'} kind
 */
export async function runWriteJob(client, kind, module, records, opts) {
  const { api, o } = client;
  const started = o.now();
  const signal = opts.signal ?? o.signal;
  if (!Array.isArray(records)) throw guardError('INVALID_ARGUMENT', 'records must be an array', 'records');
  if (opts.maxAttempts !== undefined && !(Number.isInteger(opts.maxAttempts) && opts.maxAttempts >= 1 && opts.maxAttempts <= 100)) {
    throw guardError('INVALID_ARGUMENT', 'maxAttempts must be a whole number from 1 to 100', 'opts.maxAttempts');
  }
  const job = newJob(client, kind, module, records, opts, signal);
  const { stats, results } = job;

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
    const meta = opts.fieldsMetadata ?? (await fieldsMetadata(client, module, { signal }));
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

  // 4. Whatever was never sent (abort, or credits gone for longer than the job
  //    may wait) says so; `resume` sends exactly these again.
  for (let i = 0; i < results.length; i++) {
    if (results[i] === undefined) {
      results[i] = notSent(i, job.stop.reason === 'credits');
      stats.notSent++;
      client.emit({ type: 'result', index: i, result: results[i] });
    }
  }
  stats.stoppedBy = job.stop.reason ?? (signal?.aborted ? 'aborted' : null);
  stats.resumeAt = job.stop.resumeAt;
  stats.pending = results.filter((r) => r.code === 'NOT_SENT' || (!r.ok && r.reason === 'credits')).length;
  stats.durationMs = o.now() - started;
  client.emit({ type: 'progress', ...progressOf(stats), done: true });
  return { results, stats };
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
  const settle = (index, result) => {
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
    /** What the job may spend: the longest credit wait it sits through, the attempts per batch. */
    limits: { maxCreditWaitMs: opts.maxCreditWaitMs ?? client.o.maxCreditWaitMs ?? DEFAULT_MAX_CREDIT_WAIT_MS, maxAttempts: opts.maxAttempts },
    /** Why the job stopped sending early (`credits`), and when the credits come back. */
    stop: { reason: null, resumeAt: null },
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
