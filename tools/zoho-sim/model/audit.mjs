// What really happened to each record, whatever the replies said (the soak's ground truth),
// and the records that exist before a job (`seedRecords`). A job record is known by its
// `countBy` field (default: the module's duplicate-check field), else by its id.
import { DUPLICATE_CHECK_FIELDS } from './fields.mjs';
import { isoTime } from './http.mjs';
import { moduleRecords, putRecord } from './store.mjs';

/** @typedef {import('../simulator.mjs').ZohoSimulator} ZohoSimulator */

/** The user Zoho names as creator and modifier of the job's writes. */
export const USER = { name: 'Sim User', id: '5725767000000411001' };

/** A day: how long before the job seeded records were created, unless they say. */
const DAY_MS = 86_400_000;

/** The audit key of a stored record. @param {ZohoSimulator} sim @param {string} module @param {Record<string, any>} rec */
export function auditKey(sim, module, rec) {
  const by = sim.options.countBy?.[module] ?? DUPLICATE_CHECK_FIELDS[/** @type {keyof typeof DUPLICATE_CHECK_FIELDS} */ (module)];
  const v = by ? rec[by] : undefined;
  return v == null || v === '' ? `id:${rec.id}` : String(v).toLowerCase();
}

/**
 * Counts one creation or update (delta -1 when a rollback composite undoes it).
 * @param {ZohoSimulator} sim @param {string} module @param {Record<string, any>} rec the stored record
 * @param {'created' | 'updated'} what @param {number} delta
 */
export function auditWrite(sim, module, rec, what, delta) {
  const m = (sim.counters.audit[module] ??= {});
  const key = auditKey(sim, module, rec);
  const e = (m[key] ??= { created: 0, updated: 0, id: String(rec.id) });
  e[what] += delta;
  if (what === 'created' && delta > 0) e.id = String(rec.id);
  if (e.created === 0 && e.updated === 0) delete m[key];
}

/** @param {ZohoSimulator} sim */
export function auditView(sim) {
  return {
    writes: structuredClone(sim.counters.audit),
    refreshLog: [...sim.refreshLog],
    maxRefreshesIn10Min: maxInWindow(sim.refreshLog, 600_000),
  };
}

/** The most timestamps in any window of `ms` (sorted input). @param {number[]} times @param {number} ms */
export function maxInWindow(times, ms) {
  let best = 0;
  let from = 0;
  for (let i = 0; i < times.length; i++) {
    while (times[i] - times[from] >= ms) from++;
    best = Math.max(best, i - from + 1);
  }
  return best;
}

/**
 * Stores the records that exist before the job: `{ Leads: [{ Last_Name, Email }, …] }`. An
 * `id` may be given (the update campaigns name their records); Created_Time defaults to a day
 * before the server's now, Created_By to the same user as the job (the hardest case for a
 * verification: only the time tells them apart). Not counted as created.
 * @param {ZohoSimulator} sim @param {Record<string, Record<string, any>[]> | undefined} seeds
 */
export function seedStore(sim, seeds) {
  if (!seeds) return;
  const at = isoTime(sim.serverNow() - DAY_MS);
  let seq = 0n;
  for (const [module, list] of Object.entries(seeds)) {
    if (!sim.fields[module]) throw new TypeError(`seedRecords: unknown module ${module}`);
    for (const r of list) {
      const id = r.id == null ? String(5725767000090000000n + ++seq) : String(r.id);
      if (moduleRecords(sim, module).has(id)) throw new TypeError(`seedRecords: id ${id} given twice`);
      putRecord(sim, module, { Created_Time: at, Modified_Time: at, Created_By: USER, Modified_By: USER, ...r, id });
    }
  }
}
