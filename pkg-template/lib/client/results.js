// Results: what a write job reports for a record (settled from a decision, never
// sent, ambiguous, recovered, verified), its stats and progress, and the error a
// read throws when Zoho's final answer is a failure.

import { readError } from '../read-errors.js';

/** The counters of one job (`stats` of its result). */
export function newStats(records) {
  return { records, ok: 0, failed: 0, notSent: 0, rejectedBeforeSending: 0, resumed: 0, batches: 0, batchesDone: 0, calls: 0, retries: 0, credits: 0, durationMs: 0, startedAt: null, stoppedBy: null, resumeAt: null, pending: 0 };
}

/** The fields of a `progress` event. */
export function progressOf(s) {
  return { batchesDone: s.batchesDone, batchesTotal: s.batches, recordsOk: s.ok, recordsFailed: s.failed, recordsPending: s.records - s.ok - s.failed - s.notSent };
}

/** A record the decision gave no per-record result for: its top-level error, or NO_RESULT. */
export function noResult(d) {
  return { ok: false, code: d.verdict?.error?.code ?? 'NO_RESULT', message: d.verdict?.error?.message ?? 'Zoho returned no result for this record', details: d.verdict?.error?.details ?? {}, id: null, action: null, category: d.verdict?.category ?? 'unknown', retry: 'none' };
}

/**
 * A write whose reply was lost (or unreadable) and that nothing settled: an insert no
 * lookup answered for, or an update/upsert/delete the job ended before resending.
 */
export function ambiguous(d, lookupFailed = false, kind = 'insert') {
  const why = lookupFailed ? 'and no lookup by its unique value got an answer before the job ended' : 'and no unique value to look the record up by';
  const message = kind === 'insert'
    ? `no reply to an insert, ${why}: it may or may not have been created (resume the job to look it up again)`
    : `no readable reply to the last ${kind}, and the job ended before sending it again: it may or may not have been applied (resume the job to send it again; it is idempotent)`;
  return { ok: false, code: 'AMBIGUOUS_WRITE', message, details: {}, id: null, action: null, category: d.verdict?.category ?? 'network', retry: 'none' };
}

/** DUPLICATE_DATA naming the record a lost attempt created: that attempt's success. */
export function recoveredResult(r) {
  const d = r.details ?? {};
  const id = d.duplicate_record?.id ?? d.id ?? r.id ?? null;
  return { ...r, ok: true, code: 'SUCCESS', message: 'record added (by an earlier attempt whose reply was lost)', id, action: 'insert', category: 'ok', retry: 'none' };
}

/** A lost insert found by its unique value. */
export function verified(id) {
  return { ok: true, code: 'SUCCESS', message: 'record added (found by its unique value after the reply was lost)', details: { id }, id, action: 'insert', category: 'ok', retry: 'none' };
}

/** Why a job ended before a record was final, in words. */
const STOP_WORDS = {
  credits: 'the API credits of the 24 h window ran out',
  deadline: 'the job reached its deadline (deadlineMs)',
  aborted: "the job was aborted (the caller's signal)",
};

/**
 * A record the job never sent: stopped by `reason` (credits, deadline, aborted).
 * `resume` sends exactly these again.
 */
export function notSent(index, reason) {
  return {
    index,
    ok: false,
    code: 'NOT_SENT',
    message: `${STOP_WORDS[reason] ?? 'the job ended'} before this record was sent`,
    details: {},
    id: null,
    action: null,
    category: reason === 'credits' ? 'rate_limit' : 'unknown',
    retry: 'none',
    reason,
    attempts: 0,
  };
}

/**
 * A record sent, refused for now (429, 5xx, RECORD_LOCKED…) and not yet written when the
 * job stopped by `reason`: Zoho said it was not written, so `resume` sends it again.
 */
export function unfinished(index, reason, last, attempts) {
  return {
    index,
    ok: false,
    code: last?.code ?? 'NOT_SENT',
    message: `${STOP_WORDS[reason] ?? 'the job ended'} before this record was written (last answer: ${last?.message ?? 'none'})`,
    details: {},
    id: null,
    action: null,
    category: last?.category ?? 'unknown',
    retry: 'none',
    reason,
    attempts,
  };
}

/** The error a read throws for a final failure (`r`: a decision and its response). */
export function zohoError(r) {
  return readError(r);
}
