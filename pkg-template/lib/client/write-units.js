// The units of a write job: one per batch, each following the Guard's decisions about
// it (done, give up, retry, refresh, resend part, split, verify) and settling its
// records in the job's context. Attempts are counted per record (`job.tries`), not per
// batch lineage: a record resent in a sub-batch carries its own count, and only an
// explicit `maxAttempts` caps it. A write whose outcome is unknown (no reply, a
// gateway 5xx, a short or unreadable 2xx) is looked up, and counts as this job's only
// when the lookup proves it (proof.js); what is proven absent is sent again.

import { lookupRows } from './lookup.js';
import { matchRows } from './proof.js';
import { ambiguous, noResult, verified } from './results.js';
import { verifyField } from './recovery.js';

/**
 * A unit that sends one batch of `job` and follows the Guard's decisions about it.
 * @param {object} job the write job's context (see write-job.js)
 * @param {object} batch a planned batch: `indices` (the caller's), `body` or `ids`
 * @param {string} [kind] the kind to send it as (an ambiguous insert is resent as an upsert)
 * @param {boolean} [mergeable] a resend of some records: the scheduler may merge it with
 *   other resends of the job waiting in its queue (RECORD_LOCKED hits a few records of
 *   every batch; one call per batch for them would double the calls)
 */
export function writeUnit(job, batch, kind = job.kind, mergeable = false) {
  const { client, module, stats } = job;
  // Patient: no transient outcome ends it; the job's deadline, signal, credits and
  // per-record `maxAttempts` do (write-job.js).
  // `attempt`: which attempt this send is for its records, counted in the replies that
  // said they were locked: the backoff of a RECORD_LOCKED resend (the Guard's other
  // retries count the call's lineage). A merged resend's lineage counts every call of
  // the units merged into it, and a record's 5xx and 429s say nothing of how long its
  // lock lasts (measured: records locked once waited behind backoff ceilings of 8 to
  // 16 s, the fourth and fifth calls of their merged lineage). The freshest record sets
  // it: the call goes anyway. A unit's records' locks change only by a `retry_records`
  // decision, which makes a new unit: computed once here, not at every admission.
  const operation = { kind, module, recordCount: batch.indices.length, patient: true, attempt: fewestLocks(job, batch) + 1 };
  const unit = {
    operation,
    batch,
    attempts: 0,
    mergeKey: mergeable ? `${job.id}:${kind}:${JSON.stringify({ ...(batch.body ?? {}), data: null })}` : undefined,
    /** Whether `other`'s records fit in this unit's call (records per call, body bytes). */
    canMerge(other) {
      const n = batch.indices.length + other.batch.indices.length;
      if (n > job.limits.batchSize) return false;
      if (!job.limits.maxBodyBytes || !batch.body) return true;
      return bodyBytes(batch.body) + bodyBytes(other.batch.body) <= job.limits.maxBodyBytes;
    },
    /** One unit with this unit's records and `other`'s. */
    mergeWith(other) {
      const b = other.batch;
      const merged = batch.ids
        ? { ...batch, indices: [...batch.indices, ...b.indices], ids: [...batch.ids, ...b.ids] }
        : { ...batch, indices: [...batch.indices, ...b.indices], body: { ...batch.body, data: [...batch.body.data, ...b.body.data] } };
      return writeUnit(job, merged, kind, true);
    },
    request() {
      if (kind === 'delete') {
        return { method: 'DELETE', path: `/${module}`, query: { ids: batch.ids.join(',') } };
      }
      const path = kind === 'upsert' ? `/${module}/upsert` : `/${module}`;
      return { method: kind === 'update' ? 'PUT' : 'POST', path, body: batch.body };
    },
    /** Called when the batch is admitted: each record's own attempt count. */
    sent(now) {
      for (const idx of batch.indices) {
        job.tries[idx]++;
        if (Number.isNaN(job.firstSentAt[idx])) job.firstSentAt[idx] = now;
      }
    },
    recordAttempts: () => batch.indices.map((idx) => job.tries[idx]),
    onDecision(d) {
      const records = d.verdict.records;
      const settle = (pos, reason, result = records[pos] ?? noResult(d)) => {
        const idx = batch.indices[pos];
        if (result.ok && result.id) job.claimed.add(String(result.id));
        if (result.ok && kind === 'insert') client.clock.learnUser(result.details);
        job.settleRecord(idx, result, reason, job.tries[idx]);
      };
      const all = batch.indices.map((_, pos) => pos);
      const ambiguousWrite = kind === 'insert' && (d.action === 'verify' || (d.action === 'give_up' && d.reason === 'ambiguous_write') || d.vetoed === 'verify');
      // An update, upsert or delete whose reply was lost or unreadable may have been
      // applied: resending it is safe, but if the job ends first it says "may have been".
      if (ambiguousWrite || (kind !== 'insert' && mayHaveApplied(d))) for (const idx of batch.indices) job.maybe[idx] = 1;
      // The job stopped (deadline, signal, credits): what is not final stays for the job's end.
      if (job.stop.reason && d.action !== 'done' && !(d.action === 'give_up' && d.reason !== 'ambiguous_write' && !isStop(d))) {
        remember(job, batch, d);
        if (d.action === 'retry_records') all.filter((p) => !d.indices.includes(p)).forEach((p) => settle(p, d.reason));
        return [];
      }
      switch (d.action) {
        case 'done': {
          // DUPLICATE_DATA naming a record, on a resent insert: only the lookup's proof
          // tells the lost attempt's record from one that existed before.
          const recovered = d.inputs?.recovered ?? [];
          all.filter((p) => !recovered.includes(p)).forEach((p) => settle(p, d.reason));
          if (recovered.length === 0) return [];
          return verify(job, subBatch(batch, recovered), d, unit, (pos) => records[recovered[pos]]);
        }
        case 'give_up':
          if (ambiguousWrite) {
            all.forEach((p) => settle(p, d.reason, ambiguous(d)));
            return [];
          }
          all.forEach((p) => settle(p, d.reason));
          return [];
        case 'retry':
          // A replay with a new token is no attempt of the records' (the Guard does not
          // count it either): their backoff must not grow with each token expiry.
          if (TOKEN_REPLAYS.has(d.reason)) for (const idx of batch.indices) job.tries[idx]--;
          return again(job, batch, all, d, unit, kind);
        case 'refresh_token':
          // A token replay is no attempt of the record's: the count goes back.
          for (const idx of batch.indices) job.tries[idx]--;
          return [{ ...unit, delayMs: d.delayMs, needsRefresh: true }];
        case 'retry_records': {
          const retry = new Set(d.indices ?? []);
          for (const p of retry) job.locks[batch.indices[p]]++;
          all.filter((p) => !retry.has(p)).forEach((p) => settle(p, d.reason));
          return again(job, batch, [...retry], d, unit, kind);
        }
        case 'split': {
          stats.retries++;
          for (const idx of batch.indices) job.tries[idx]--; // too large is not an attempt of the record
          return client.api.splitBatch(batch).map((h) => ({ ...writeUnit(job, h, kind), delayMs: d.delayMs ?? 0 }));
        }
        case 'verify':
          return verify(job, batch, d, unit, null);
        default:
          all.forEach((p) => settle(p, d.reason ?? 'unknown_decision'));
          return [];
      }
    },
  };
  return unit;
}

/** The fewest RECORD_LOCKED replies any record of `batch` has had. */
function fewestLocks(job, batch) {
  let fewest = Infinity;
  for (const idx of batch.indices) fewest = Math.min(fewest, job.locks[idx]);
  return Number.isFinite(fewest) ? fewest : 0;
}

/** Retries that replay a call Zoho refused for its token (a 401), not for the records. */
const TOKEN_REPLAYS = new Set(['await_token_refresh', 'token_replaced']);

/** Whether a give-up is the job's own stop (credits, a call the job's halt aborted), which the job's end reports. */
function isStop(d) {
  return d.reason === 'credits' || d.verdict?.error?.code === 'ABORTED';
}

/** A call whose outcome Zoho did not tell: no reply, a timeout, a 5xx, an unreadable 2xx. */
function mayHaveApplied(d) {
  const status = d.verdict?.httpStatus ?? 0;
  if (d.action === 'done' || d.verdict?.error?.code === 'ABORTED') return false;
  return status === 0 || status === 408 || status >= 500 || (status >= 200 && status < 300 && (d.reason === 'short_reply' || d.reason === 'unknown_response'));
}

/** Keeps each record's last error, for the result of a record the job's end leaves unfinished. */
function remember(job, batch, d) {
  const err = d.verdict?.error;
  batch.indices.forEach((idx, pos) => {
    const r = d.verdict.records?.[pos];
    job.lastError[idx] = r && !r.ok ? { code: r.code, message: r.message, category: r.category } : err ? { code: err.code, message: err.message, category: d.verdict.category } : job.lastError[idx];
  });
}

/**
 * Sends the records at `positions` of `batch` again, but first ends those that used
 * the job's `maxAttempts` (reason `attempts_exhausted`).
 */
function again(job, batch, positions, d, unit, kind) {
  remember(job, batch, d);
  const max = job.limits.maxAttempts;
  const keep = [];
  for (const pos of positions) {
    const idx = batch.indices[pos];
    if (max !== undefined && job.tries[idx] >= max) {
      const r = d.verdict.records[pos];
      job.settleRecord(idx, r && !r.ok ? r : noResult(d), 'attempts_exhausted', job.tries[idx]);
    } else keep.push(pos);
  }
  if (keep.length === 0) return [];
  job.stats.retries++;
  if (keep.length === batch.indices.length && d.action === 'retry') return [{ ...unit, delayMs: d.delayMs }];
  const resend = writeUnit(job, subBatch(batch, keep), kind, true);
  // Records Zoho answered one by one (locked) start a request of their own: a lineage
  // counts every call of the batches merged into it, and a 5xx on the resend backed
  // off by that count (measured: 5.9 s after a network error on a merged resend whose
  // lineage had 9 calls). A resend after a lost or unreadable reply keeps its lineage:
  // the Guard reads a DUPLICATE_DATA on a resent insert by it.
  if (d.reason === 'records_retryable') return [{ ...resend, fresh: true, delayMs: d.delayMs }];
  return [{ ...resend, retryOf: unit.retryOf, delayMs: d.delayMs }];
}

/**
 * A write whose outcome is unknown: look its records up by a unique field and keep
 * only what proves this job's write; send again what is proven absent. `dupOf(pos)`:
 * for records Zoho called duplicates of an existing record, that DUPLICATE_DATA (the
 * result when no proof is found), else null.
 */
async function verify(job, batch, d, unit, dupOf) {
  const { client, module } = job;
  const field = d.inputs?.verifyField ?? batch.verifyField ?? verifyField(client, module, batch.body?.duplicate_check_fields);
  const values = batch.body.data.map((r) => r?.[field]);
  const reasonIfUnknown = () => job.stop.reason ?? 'verify_failed';
  if (!field || values.some((v) => v === undefined || v === null || v === '')) {
    batch.indices.forEach((idx) => job.settleRecord(idx, ambiguous(d), 'ambiguous_write', job.tries[idx]));
    return [];
  }
  let found;
  try {
    found = await lookupRows(client, module, field, values, job.signal, job);
  } catch {
    found = { rows: new Map(), unknown: new Set(values.map((v) => String(v).toLowerCase())) };
  }
  const proof = matchRows(client.clock, found.rows, values, (pos) => job.firstSentAt[batch.indices[pos]], job.claimed);
  const resend = [];
  batch.indices.forEach((idx, pos) => {
    const row = proof[pos];
    if (row) {
      job.claimed.add(String(row.id));
      job.settleRecord(idx, verified(String(row.id)), 'verified_after_lost_reply', job.tries[idx]);
    } else if (found.unknown.has(String(values[pos]).toLowerCase())) {
      job.settleRecord(idx, ambiguous(d, true), reasonIfUnknown(), job.tries[idx]);
    } else if (dupOf) {
      // Zoho refused it as a duplicate and no record of ours holds the value: a real duplicate.
      job.settleRecord(idx, dupOf(pos), 'not_retryable', job.tries[idx]);
    } else {
      job.maybe[idx] = 0; // proven absent: sending it again cannot create it twice
      resend.push(pos);
    }
  });
  if (resend.length === 0 || job.stop.reason) return [];
  return again(job, batch, resend, { ...d, action: 'retry_records', delayMs: 0 }, unit, 'insert');
}

/** UTF-8 bytes of a body as sent. */
function bodyBytes(body) {
  return new TextEncoder().encode(JSON.stringify(body)).length;
}

/** The records of `batch` at `positions`, as a batch of their own. */
function subBatch(batch, positions) {
  const indices = positions.map((p) => batch.indices[p]);
  if (batch.ids) return { ...batch, indices, ids: positions.map((p) => batch.ids[p]) };
  return { ...batch, indices, body: { ...batch.body, data: positions.map((p) => batch.body.data[p]) } };
}
