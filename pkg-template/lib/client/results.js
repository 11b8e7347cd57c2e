// Results: what a write job reports for a record (settled from a decision, never
// sent, ambiguous, recovered, verified), its stats and progress, and the error a
// read throws when Zoho's final answer is a failure.

import { readError } from '../read-errors.js';

/** The counters of one job (`stats` of its result). */
export function newStats(records) {
  return { records, ok: 0, failed: 0, notSent: 0, rejectedBeforeSending: 0, resumed: 0, batches: 0, batchesDone: 0, calls: 0, retries: 0, credits: 0, durationMs: 0, stoppedBy: null, resumeAt: null, pending: 0 };
}

/** The fields of a `progress` event. */
export function progressOf(s) {
  return { batchesDone: s.batchesDone, batchesTotal: s.batches, recordsOk: s.ok, recordsFailed: s.failed, recordsPending: s.records - s.ok - s.failed - s.notSent };
}

/** A record the decision gave no per-record result for: its top-level error, or NO_RESULT. */
export function noResult(d) {
  return { ok: false, code: d.verdict?.error?.code ?? 'NO_RESULT', message: d.verdict?.error?.message ?? 'Zoho returned no result for this record', details: d.verdict?.error?.details ?? {}, id: null, action: null, category: d.verdict?.category ?? 'unknown', retry: 'none' };
}

/** An insert whose reply was lost and that no lookup could settle. */
export function ambiguous(d, lookupFailed = false) {
  const why = lookupFailed ? 'and the lookup by its unique value failed too' : 'and no unique value to look the record up by';
  return { ok: false, code: 'AMBIGUOUS_WRITE', message: `no reply to an insert, ${why}: it may or may not have been created (resume the job to look it up again)`, details: {}, id: null, action: null, category: d.verdict?.category ?? 'network', retry: 'none' };
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

/**
 * A record the job never sent: aborted, or the credits ran out for longer than the
 * job may wait (`byCredits`). `resume` sends exactly these again.
 */
export function notSent(index, byCredits) {
  return {
    index,
    ok: false,
    code: 'NOT_SENT',
    message: byCredits ? 'the API credits of the 24 h window ran out before this record was sent' : 'the job was aborted before this record was sent',
    details: {},
    id: null,
    action: null,
    category: byCredits ? 'rate_limit' : 'unknown',
    retry: 'none',
    reason: byCredits ? 'credits' : 'aborted',
    attempts: 0,
  };
}

/** The error a read throws for a final failure (`r`: a decision and its response). */
export function zohoError(r) {
  return readError(r);
}
