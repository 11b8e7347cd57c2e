// Recovery: what turns "may or may not exist" into an answer. A lost insert is looked
// up by a unique field (the upsert duplicate-check field, from the core's facts), and
// a job resumed from an earlier run's results keeps what was settled, resends what
// was never sent and looks up what may have been.

import { guardError } from '../errors.js';
import { redact } from '../transports.js';
import { ambiguous, verified, zohoError } from './results.js';

/** Values per verify-by-unique-field COQL lookup. */
const VERIFY_CHUNK = 50;
/**
 * Attempts of one verify lookup (the Guard's default is 3). The lookup is a read, safe
 * to ask again, and it is what turns "may or may not exist" into an answer: at 30%
 * faults three tries leave 2.7% of lost replies unresolved, six leave 0.07%.
 */
const VERIFY_MAX_ATTEMPTS = 6;

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
 * Ids of existing records by a unique field's values (case-insensitive), by COQL.
 * `job`: the write job the lookup serves, whose credit stop it obeys.
 */
export async function lookup(client, module, field, values, signal, job) {
  const pageRows = client.api.facts().coql.maxLimit;
  const found = new Map();
  for (let at = 0; at < values.length; at += VERIFY_CHUNK) {
    const chunk = values.slice(at, at + VERIFY_CHUNK);
    const list = chunk.map((v) => `'${String(v).replaceAll("'", "\\'")}'`).join(', ');
    const query = `select id, ${field} from ${module} where ${field} in (${list}) limit ${pageRows}`;
    const r = await client.scheduler.single({ kind: 'coql', module, coqlLimit: pageRows, maxAttempts: VERIFY_MAX_ATTEMPTS }, { method: 'POST', path: '/coql', body: { select_query: query } }, signal, job);
    if (!r.ok && r.decision.verdict.outcome !== 'empty') throw zohoError(r);
    for (const row of r.body?.data ?? []) found.set(String(row[field]).toLowerCase(), row.id);
  }
  return found;
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
  releaseOrphans(client);
  const send = [];
  const unknown = [];
  records.forEach((_, i) => {
    const p = previous[i];
    if (p === undefined || p === null || p.code === 'AMBIGUOUS_WRITE') unknown.push(i);
    else if (p.code === 'NOT_SENT' || (!p.ok && p.reason === 'credits')) send.push(i);
    else {
      job.settle(i, { ...p, index: i });
      stats.resumed++;
    }
  });
  const field = kind === 'insert' ? verifyField(client, module, undefined) : null;
  const lookable = field ? unknown.filter((i) => !isBlank(records[i]?.[field])) : [];
  const lookSet = new Set(lookable);
  for (const i of unknown) if (!lookSet.has(i)) send.push(i);
  if (lookable.length) {
    let found;
    try {
      found = await lookup(client, module, field, lookable.map((i) => records[i][field]), job.signal, job);
    } catch (e) {
      // Still unknown: sending them could create them twice, so they stay ambiguous
      // (the next resume looks again) and the rest of the job goes on.
      const d = { verdict: { category: 'network' } };
      for (const i of lookable) job.settle(i, { ...ambiguous(d, true), index: i, reason: job.stop.reason === 'credits' ? 'credits' : 'verify_failed', attempts: 0 });
      client.emit({ type: 'resume_lookup_failed', records: lookable.length, error: redact(String(e?.message ?? e)) });
      return send.sort((a, b) => a - b);
    }
    for (const i of lookable) {
      const id = found.get(String(records[i][field]).toLowerCase());
      if (id) {
        job.settle(i, { ...verified(id), index: i, reason: 'verified_on_resume', attempts: 0 });
        stats.resumed++;
      } else send.push(i);
    }
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
