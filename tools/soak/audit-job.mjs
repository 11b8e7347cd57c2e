// The audit of one write job against the simulator's ground truth (`sim.audit()`, the
// stored records), for issue 14's acceptance: every valid record created or updated exactly
// once and reported ok, nothing AMBIGUOUS_WRITE at the end, no TOKEN_REFRESH_FAILED, never
// more than 10 refreshes in any 10 minutes, and the time against the bound.

/**
 * What a record should end as:
 * - `create`: created exactly once, reported ok with the created record's id;
 * - `update`: never created, applied (updated at least once; `updatedTwice` counts repeats,
 *   which an idempotent write may do after a lost reply), reported ok with `id`;
 * - `duplicate`: refused DUPLICATE_DATA by the server (a unique field already held by `id`), never created;
 * - `invalid`: rejected before sending (attempts 0), never created.
 * `key` is the record's audit key (the simulator's `countBy` field, lower-cased); `values`
 * are fields the stored record must hold at the end.
 * @typedef {{ kind: 'create' | 'update' | 'duplicate' | 'invalid', key: string, id?: string,
 *   values?: Record<string, unknown> }} Expectation
 */

/** Zoho's 10 access tokens per refresh token per 10 minutes (sources §8). */
export const REFRESHES_PER_10_MIN = 10;

/**
 * @param {{ expect: Expectation[], results: any[], audit: { writes: Record<string, any>, maxRefreshesIn10Min: number },
 *   records: Record<string, any>[], module?: string, allowDeadline?: boolean }} job
 *   `records`: the module's stored records at the end. `allowDeadline`: records may end
 *   unfinished with reason `deadline` (a job run against its deadline).
 */
export function auditJob({ expect, results, audit, records, module = 'Leads', allowDeadline = false }) {
  const writes = audit.writes[module] ?? {};
  const byId = new Map(records.map((r) => [String(r.id), r]));
  const a = {
    records: expect.length, valid: 0, ok: 0, createdOnce: 0, updated: 0, updatedTwice: 0, twice: 0,
    missing: 0, wrong: 0, ambiguous: 0, ambiguousAtDeadline: 0, refreshFailed: 0, deadline: 0, duplicateRefused: 0,
    rejectedBeforeSending: 0, refreshesMax10Min: audit.maxRefreshesIn10Min,
    /** @type {Record<string, number>} final code/reason of valid records not ok */
    notOk: {},
    /** @type {string[]} the first problems, for the report */
    problems: [],
  };
  const problem = (/** @type {number} */ i, /** @type {string} */ what) => {
    a.wrong++;
    if (a.problems.length < 12) a.problems.push(`#${i} ${what}`);
  };
  expect.forEach((e, i) => {
    const r = results[i];
    const w = writes[e.key] ?? { created: 0, updated: 0, id: null };
    if (r?.code === 'AMBIGUOUS_WRITE') a.ambiguous++;
    if (r?.code === 'AMBIGUOUS_WRITE' && allowDeadline && r.reason === 'deadline') a.ambiguousAtDeadline++;
    if (r?.code === 'TOKEN_REFRESH_FAILED') a.refreshFailed++;
    if (w.created > 1) a.twice++;
    if (!r || r.index !== i) return problem(i, 'no result');
    const tag = `${r.code}/${r.reason}`;
    if (e.kind === 'invalid') {
      if (r.ok || r.attempts !== 0 || w.created || w.updated) problem(i, `invalid record sent or written (${tag}, created ${w.created})`);
      else a.rejectedBeforeSending++;
      return;
    }
    if (e.kind === 'duplicate') {
      if (w.created) return problem(i, `created ${w.created} although ${e.id} holds its unique value`);
      if (r.ok || r.code !== 'DUPLICATE_DATA') return problem(i, `expected DUPLICATE_DATA, got ${tag}`);
      const held = /** @type {any} */ (r.details)?.duplicate_record?.id;
      if (held !== undefined && String(held) !== e.id) return problem(i, `DUPLICATE_DATA names ${held}, not ${e.id}`);
      a.duplicateRefused++;
      return;
    }
    a.valid++;
    if (r.ok) a.ok++;
    else a.notOk[tag] = (a.notOk[tag] ?? 0) + 1;
    const unfinished = !r.ok && allowDeadline && r.reason === 'deadline';
    if (unfinished) a.deadline++;
    if (e.kind === 'create') {
      if (w.created === 1) a.createdOnce++;
      if (w.created === 0 && !unfinished) {
        a.missing++;
        if (r.ok) problem(i, `reported ok (id ${r.id}) but never created`);
        return;
      }
      if (r.ok && w.created >= 1 && String(r.id) !== String(w.id)) return problem(i, `reported id ${r.id}, created ${w.id}`);
      // AMBIGUOUS_WRITE says "may exist": counted as ambiguous, not as a wrong report.
      if (!r.ok && w.created >= 1 && r.code !== 'AMBIGUOUS_WRITE') return problem(i, `reported ${tag} but created`);
    } else {
      if (w.created) return problem(i, `update created ${w.created} records`);
      if (w.updated >= 1) a.updated++;
      if (w.updated > 1) a.updatedTwice++;
      if (w.updated === 0 && !unfinished) {
        a.missing++;
        if (r.ok) problem(i, 'reported ok but never updated');
        return;
      }
      if (r.ok && e.id && String(r.id) !== e.id) return problem(i, `reported id ${r.id}, the record is ${e.id}`);
    }
    if (r.ok && e.values) {
      const stored = byId.get(String(r.id));
      const off = Object.entries(e.values).filter(([k, v]) => stored?.[k] !== v).map(([k]) => k);
      if (off.length) problem(i, `stored record ${r.id} lacks the values sent (${off.join(', ')})`);
    }
  });
  return a;
}

/**
 * The acceptance of a campaign row: what failed, as sentences (empty: accepted).
 * @param {ReturnType<typeof auditJob> & { ratio?: number }} a @param {{ maxRatio?: number, allowDeadline?: boolean }} [o]
 */
export function acceptance(a, o = {}) {
  const bad = [];
  const done = o.allowDeadline ? a.ok + a.deadline : a.ok;
  if (done !== a.valid) bad.push(`${a.valid - done} valid records not ok (${JSON.stringify(a.notOk)})`);
  if (a.twice) bad.push(`${a.twice} created twice`);
  if (a.missing) bad.push(`${a.missing} missing`);
  if (a.wrong) bad.push(`${a.wrong} wrong: ${a.problems.join('; ')}`);
  // A job's deadline aborts the inserts in flight: they end AMBIGUOUS_WRITE with reason
  // `deadline` (unfinished, as every record the deadline stops; `resume` looks them up).
  const ambiguous = o.allowDeadline ? a.ambiguous - a.ambiguousAtDeadline : a.ambiguous;
  if (ambiguous) bad.push(`${ambiguous} AMBIGUOUS_WRITE`);
  if (a.refreshFailed) bad.push(`${a.refreshFailed} TOKEN_REFRESH_FAILED`);
  if (a.refreshesMax10Min > REFRESHES_PER_10_MIN) bad.push(`${a.refreshesMax10Min} refreshes in 10 minutes`);
  if (o.maxRatio !== undefined && a.ratio !== undefined && a.ratio > o.maxRatio) bad.push(`time ${a.ratio.toFixed(2)}× the bound > ${o.maxRatio}×`);
  return bad;
}
