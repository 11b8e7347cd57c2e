// The record store: records per module by id, a value index for the fields looked up by
// value (unique fields and the duplicate-check field), locks, the count of creations per
// key, and the undo journal a rollback composite replays. State lives on the simulator
// (`store`, `index`, `locks`, `journal`, `counters`) so that `reset()` clears it in one place.
import { DUPLICATE_CHECK_FIELDS } from './fields.mjs';

/** @typedef {import('../simulator.mjs').ZohoSimulator} ZohoSimulator */

/** A module's records by id, created on first use. @param {ZohoSimulator} sim @param {string} module */
export function moduleRecords(sim, module) {
  let s = sim.store.get(module);
  if (!s) sim.store.set(module, (s = new Map()));
  return s;
}

/** A fresh record id in Zoho's 19-digit shape. @param {ZohoSimulator} sim */
export function newRecordId(sim) {
  return String(5725767000001000000n + ++sim.nextId);
}

/** Whether writes to the record are refused now (RECORD_LOCKED). @param {ZohoSimulator} sim @param {string} id */
export function isLocked(sim, id) {
  const until = sim.locks.get(id);
  return until !== undefined && until > sim.now();
}

/** Records `fn` to run if the rollback composite in progress fails. @param {ZohoSimulator} sim @param {() => void} fn */
export function undo(sim, fn) {
  sim.journal?.push(fn);
}

/** @param {ZohoSimulator} sim @param {string} module @param {Record<string, unknown>} rec @param {number} delta */
export function countCreated(sim, module, rec, delta) {
  const c = sim.counters;
  c.created[module] = (c.created[module] ?? 0) + delta;
  const by = sim.options.countBy?.[module] ?? DUPLICATE_CHECK_FIELDS[/** @type {keyof typeof DUPLICATE_CHECK_FIELDS} */ (module)];
  const v = by ? rec[by] : undefined;
  if (v == null || v === '') return;
  const key = String(v).toLowerCase();
  const m = (c.createdByKey[module] ??= {});
  m[key] = (m[key] ?? 0) + delta;
  if (m[key] === 0) delete m[key]; // a rolled-back create leaves no trace
}

/** The first record whose `field` equals `value` (case-insensitive). @param {ZohoSimulator} sim @param {string} module @param {string} field @param {unknown} value */
export function findBy(sim, module, field, value) {
  const want = String(value).toLowerCase();
  const idx = sim.index.get(`${module}\0${field}`);
  if (idx) {
    const ids = idx.get(want);
    const id = ids ? ids.values().next().value : undefined;
    return id === undefined ? null : (moduleRecords(sim, module).get(id) ?? null);
  }
  for (const r of moduleRecords(sim, module).values()) {
    const v = r[field];
    if (v != null && String(v).toLowerCase() === want) return r;
  }
  return null;
}

/** Fields looked up by value: the unique ones and the duplicate-check field. @param {ZohoSimulator} sim @param {string} module */
function indexedFields(sim, module) {
  const f = (sim.fields[module] ?? []).filter((x) => x.unique && Object.keys(x.unique).length > 0).map((x) => x.api_name);
  const dup = DUPLICATE_CHECK_FIELDS[/** @type {keyof typeof DUPLICATE_CHECK_FIELDS} */ (module)];
  return dup && !f.includes(dup) ? [...f, dup] : f;
}

/** Stores a record (replacing one with the same id) and keeps the value index. @param {ZohoSimulator} sim @param {string} module @param {Record<string, any>} rec */
export function putRecord(sim, module, rec) {
  const id = String(rec.id);
  removeRecord(sim, module, id);
  moduleRecords(sim, module).set(id, rec);
  for (const f of indexedFields(sim, module)) {
    if (rec[f] == null || rec[f] === '') continue;
    const key = `${module}\0${f}`;
    let idx = sim.index.get(key);
    if (!idx) sim.index.set(key, (idx = new Map()));
    const v = String(rec[f]).toLowerCase();
    let ids = idx.get(v);
    if (!ids) idx.set(v, (ids = new Set()));
    ids.add(id);
  }
}

/** Removes a record and its index entries. @param {ZohoSimulator} sim @param {string} module @param {string} id */
export function removeRecord(sim, module, id) {
  const store = moduleRecords(sim, module);
  const old = store.get(id);
  if (!old) return;
  store.delete(id);
  for (const f of indexedFields(sim, module)) {
    const idx = sim.index.get(`${module}\0${f}`);
    const v = old[f] == null ? null : String(old[f]).toLowerCase();
    const ids = v === null ? undefined : idx?.get(v);
    if (ids) {
      ids.delete(id);
      if (ids.size === 0) idx?.delete(/** @type {string} */ (v));
    }
  }
}
