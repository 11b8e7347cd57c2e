// The units of a write job: one per batch, each following the Guard's decisions about
// it (done, give up, retry, refresh, resend part, split, verify) and settling its
// records in the job's context. A lost insert is looked up by a unique field before
// anything is sent again.

import { lookup, verifyField } from './recovery.js';
import { ambiguous, noResult, recoveredResult, verified } from './results.js';

/**
 * A unit that sends one batch of `job` and follows the Guard's decisions about it.
 * @param {object} job the write job's context (see write-job.js)
 * @param {object} batch a planned batch: `indices` (the caller's), `body` or `ids`
 * @param {string} [kind] the kind to send it as (an ambiguous insert is resent as an upsert)
 */
export function writeUnit(job, batch, kind = job.kind) {
  const { client, module, stats } = job;
  const operation = { kind, module, recordCount: batch.indices.length, ...(job.limits.maxAttempts !== undefined ? { maxAttempts: job.limits.maxAttempts } : {}) };
  const unit = {
    operation,
    batch,
    attempts: 0,
    request() {
      if (kind === 'delete') {
        return { method: 'DELETE', path: `/${module}`, query: { ids: batch.ids.join(',') } };
      }
      const path = kind === 'upsert' ? `/${module}/upsert` : `/${module}`;
      return { method: kind === 'update' ? 'PUT' : 'POST', path, body: batch.body };
    },
    onDecision(d) {
      // The Guard counts the attempts of the logical request (retries and resent
      // parts included); this unit object is the one the batch started with.
      const attempts = d.attempt ?? unit.attempts;
      const recovered = new Set(d.inputs?.recovered ?? []);
      // DUPLICATE_DATA naming the record a lost attempt created: that attempt's success.
      const records = d.verdict.records.map((r, pos) => (recovered.has(pos) ? recoveredResult(r) : r));
      const finalAll = (reason) => {
        batch.indices.forEach((idx, pos) => {
          job.settleRecord(idx, records[pos] ?? noResult(d), reason, attempts);
        });
      };
      switch (d.action) {
        case 'done':
          finalAll(d.reason);
          return [];
        case 'give_up':
          // No more sends for an insert whose reply was lost: a lookup is not a send,
          // and it turns "may or may not exist" into an answer.
          if (d.reason === 'ambiguous_write' && kind === 'insert') return verifyUnit(job, kind, batch, unit, d, true);
          finalAll(d.reason);
          return [];
        case 'retry':
          stats.retries++;
          if (d.inputs?.resendAs === 'upsert' && kind === 'insert') {
            // An ambiguous insert resent as an upsert on the duplicate-check fields.
            const body = { ...batch.body, duplicate_check_fields: batch.body?.duplicate_check_fields ?? [verifyField(client, module)].filter(Boolean) };
            return [{ ...writeUnit(job, { ...batch, kind: 'upsert', body }, 'upsert'), attempts, delayMs: d.delayMs }];
          }
          return [{ ...unit, attempts, delayMs: d.delayMs }];
        case 'refresh_token':
          return [{ ...unit, attempts, delayMs: 0, needsRefresh: true }];
        case 'retry_records': {
          const again = new Set(d.indices ?? []);
          const keep = [];
          batch.indices.forEach((idx, pos) => {
            if (again.has(pos)) keep.push(pos);
            else job.settleRecord(idx, records[pos] ?? noResult(d), d.reason, attempts);
          });
          if (keep.length === 0) return [];
          stats.retries++;
          const sub = subBatch(batch, keep);
          return [{ ...writeUnit(job, sub, kind), attempts, retryOf: unit.retryOf, delayMs: d.delayMs }];
        }
        case 'split': {
          stats.retries++;
          const halves = client.api.splitBatch(batch);
          return halves.map((h) => ({ ...writeUnit(job, h, kind), delayMs: d.delayMs ?? 0 }));
        }
        case 'verify':
          return verifyUnit(job, kind, batch, unit, d);
        default:
          finalAll(d.reason ?? 'unknown_decision');
          return [];
      }
    },
  };
  return unit;
}

/**
 * An insert got no (or a truncated) response: look its records up by a unique
 * field before resending anything, as the Guard's `verify` decision asks.
 * `lookupOnly`: the Guard allows no more attempts, so what is not found is final.
 */
async function verifyUnit(job, kind, batch, unit, d, lookupOnly = false) {
  const attempts = d.attempt ?? unit.attempts;
  const field = d.inputs?.verifyField ?? batch.verifyField ?? verifyField(job.client, job.module, batch.body?.duplicate_check_fields);
  const values = batch.body.data.map((r) => r?.[field]);
  if (!field || values.some((v) => v === undefined || v === null || v === '')) {
    batch.indices.forEach((idx) => job.settleRecord(idx, ambiguous(d), 'ambiguous_write', attempts));
    return [];
  }
  let found;
  try {
    found = await lookup(job.client, job.module, field, values, undefined, job);
  } catch {
    // The lookup itself failed for good (or credits ran out): the records may or may not exist.
    batch.indices.forEach((idx) => job.settleRecord(idx, ambiguous(d, true), job.stop.reason === 'credits' ? 'credits' : 'verify_failed', attempts));
    return [];
  }
  const resend = [];
  batch.indices.forEach((idx, pos) => {
    const id = found.get(String(values[pos]).toLowerCase());
    if (id) {
      job.settleRecord(idx, verified(id), 'verified_after_lost_reply', attempts);
    } else resend.push(pos);
  });
  if (resend.length === 0) return [];
  if (lookupOnly) {
    // The Guard allows no more attempts, and the lookup shows the record was not created.
    for (const pos of resend) job.settleRecord(batch.indices[pos], noResult(d), 'not_created_after_lost_reply', attempts);
    return [];
  }
  job.stats.retries++;
  const sub = subBatch(batch, resend);
  return [{ ...writeUnit(job, sub, kind), attempts, retryOf: unit.retryOf, delayMs: 0 }];
}

/** The records of `batch` at `positions`, as a batch of their own. */
function subBatch(batch, positions) {
  const indices = positions.map((p) => batch.indices[p]);
  if (batch.ids) return { ...batch, indices, ids: positions.map((p) => batch.ids[p]) };
  return { ...batch, indices, body: { ...batch.body, data: positions.map((p) => batch.body.data[p]) } };
}
