// Recovery: a job resumed from an earlier run's results keeps what was settled, resends
// what was never written and looks up what may have been (lookup.js), accepting a
// found record only as proof.js says. The field a lost insert is looked up by is the
// upsert duplicate-check field, from the core's facts.

import { guardError } from '../errors.js';
import { redact } from '../transports.js';
import { lookupRows } from './lookup.js';
import { matchRows } from './proof.js';
import { ambiguous, verified } from './results.js';

/** Previous results a resume sends again: never written, and Zoho said so (or never asked). */
export const RESEND_REASONS = new Set(['credits', 'deadline', 'aborted', 'attempts_exhausted', 'retry_after_too_long', 'vetoed']);

/**
 * The field a lost insert is looked up by: the caller's first duplicate-check field,
 * else the standard module's system one (upsert's, from the core's facts), else none.
 * The custom-module default (Name) is not used: lost custom-module inserts have never
 * been looked up by it, and a name another record shares would pass for the lost one.
 */
export function verifyField(client, module, duplicateCheckFields) {
  const modules = client.api.facts().duplicateCheck.modules;
  const system = Object.hasOwn(modules, module) ? modules[module][0] : undefined;
  return duplicateCheckFields?.[0] ?? system ?? null;
}

/**
 * `opts.resume`: the results of an earlier run of the same job (an array with one
 * entry per record, holes allowed, e.g. rebuilt from `result` events after a crash).
 * Settled results are kept; NOT_SENT and `credits` failures are sent again; a hole
 * or an AMBIGUOUS_WRITE may have reached Zoho, so an insert looks it up by its
 * unique field first. Tickets the restored Guard still holds in flight belong to
 * the process that died: they are settled as lost so their slots come back.
 * Returns the input indices still to send.
 */
export async function resumeFrom(job, resume) {
  const { client, kind, module, records, stats } = job;
  const previous = Array.isArray(resume) ? resume : resume?.results;
  if (!Array.isArray(previous)) throw guardError('INVALID_ARGUMENT', 'resume must be the results array of an earlier run', 'opts.resume');
  // When the earlier run started (ours, on our clock): the time bound of a hole's proof.
  const startedAt = Number.isFinite(resume?.stats?.startedAt) ? resume.stats.startedAt : Number.isFinite(resume?.startedAt) ? resume.startedAt : null;
  releaseOrphans(client);
  const send = [];
  const unknown = [];
  records.forEach((_, i) => {
    const p = previous[i];
    if (p === undefined || p === null || p.code === 'AMBIGUOUS_WRITE') unknown.push(i);
    else if (p.code === 'NOT_SENT' || (!p.ok && RESEND_REASONS.has(p.reason))) send.push(i);
    else {
      job.settle(i, { ...p, index: i });
      if (p.ok && p.id) job.claimed.add(String(p.id));
      stats.resumed++;
    }
  });
  const field = kind === 'insert' ? verifyField(client, module, undefined) : null;
  const lookable = field ? unknown.filter((i) => !isBlank(records[i]?.[field])) : [];
  const lookSet = new Set(lookable);
  for (const i of unknown) if (!lookSet.has(i)) send.push(i);
  if (lookable.length) {
    const values = lookable.map((i) => records[i][field]);
    const found = await lookupRows(client, module, field, values, job.signal, job);
    if (found.unknown.size) client.emit({ type: 'resume_lookup_failed', records: found.unknown.size, error: redact(found.errors.join('; ')) });
    const sentAt = (pos) => {
      const t = previous[lookable[pos]]?.details?.sentAt;
      return Number.isFinite(t) ? t : startedAt;
    };
    const proof = matchRows(client.clock, found.rows, values, sentAt, job.claimed);
    lookable.forEach((i, pos) => {
      const row = proof[pos];
      if (row) {
        job.claimed.add(String(row.id));
        job.settle(i, { ...verified(String(row.id)), index: i, reason: 'verified_on_resume', attempts: 0 });
        stats.resumed++;
      } else if (found.unknown.has(String(values[pos]).toLowerCase())) {
        // Still unknown (its chunk got no answer): sending it could create it twice;
        // it stays ambiguous, and the next resume looks again.
        const d = { verdict: { category: 'network' } };
        job.settle(i, { ...ambiguous(d, true), details: { sentAt: sentAt(pos) }, index: i, reason: job.stop.reason ?? 'verify_failed', attempts: 0 });
      } else send.push(i);
    });
  }
  return send.sort((a, b) => a - b);
}

/** Settles, as lost, the calls a restored Guard still counts in flight. */
function releaseOrphans(client) {
  const { guard, o } = client;
  const state = guard.toJSON();
  const now = o.now();
  for (const [ticket] of state?.inFlight ?? []) {
    guard.settle(ticket, { status: 0, headers: {}, body: null, error: { name: 'AbortError', message: 'the process that sent this call ended' } }, now);
  }
}

function isBlank(v) {
  return v === undefined || v === null || v === '';
}
