// Per-record checks of a write against the fields metadata (sources §9): mandatory fields,
// types and lengths, and unique fields. The first problem wins, as at Zoho.
import { err } from '../model/http.mjs';
import { findBy } from '../model/store.mjs';

/** @typedef {import('../simulator.mjs').ZohoSimulator} ZohoSimulator */

const EMAIL = /^[\w.!#$%&'*+/=?^`{|}~-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+$/;

/**
 * Zoho's error object for the record's first problem, or null.
 * @param {ZohoSimulator} sim @param {string} module @param {Record<string, any>} rec @param {string} path
 * @param {boolean} creating @param {string | null} selfId
 */
export function validateRecord(sim, module, rec, path, creating, selfId) {
  for (const f of sim.fields[module] ?? []) {
    const name = f.api_name;
    const v = rec[name];
    const at = { api_name: name, json_path: `${path}.${name}` };
    const missing = v == null || (typeof v === 'string' && v.trim() === '');
    if (f.system_mandatory && (creating ? missing : name in rec && missing)) {
      return err('MANDATORY_NOT_FOUND', 'required field not found', at);
    }
    if (v == null) continue;
    const typeErr = checkType(f, v);
    if (typeErr) return err('INVALID_DATA', 'invalid data', { ...at, ...typeErr });
    if (f.unique && Object.keys(f.unique).length > 0) {
      const hit = findBy(sim, module, name, v);
      if (hit && String(hit.id) !== selfId) {
        return err('DUPLICATE_DATA', 'duplicate data', {
          ...at,
          more_records: false,
          // Key name per the v8 samples as remembered; unverified (sources §4.2).
          duplicate_record: { Owner: hit.Created_By ?? null, module: { api_name: module, id: '5725767000000002175' }, id: hit.id },
        });
      }
    }
  }
  return null;
}

/**
 * Type rules per data_type (sources §9, V7DOC insert-records "Sample Attributes").
 * @param {any} f @param {unknown} v @returns {Record<string, unknown> | null}
 */
function checkType(f, v) {
  const t = f.data_type;
  const str = () => (typeof v === 'string' ? null : { expected_data_type: 'string' });
  const len = () => (typeof v === 'string' && f.length && v.length > f.length ? { maximum_length: f.length } : null);
  switch (t) {
    case 'text': case 'textarea': case 'picklist': case 'website':
      return str() ?? len();
    case 'email':
      return str() ?? len() ?? (EMAIL.test(/** @type {string} */ (v)) ? null : { expected_data_type: 'email' });
    case 'phone':
      return str() ?? len();
    case 'integer':
      return Number.isInteger(v) && Math.abs(/** @type {number} */ (v)) < 1e9 ? null : { expected_data_type: 'integer' };
    case 'double': case 'currency': case 'percent':
      return typeof v === 'number' && Number.isFinite(v) ? null : { expected_data_type: 'double' };
    case 'boolean':
      return typeof v === 'boolean' ? null : { expected_data_type: 'boolean' };
    case 'date':
      return typeof v === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(v) ? null : { expected_data_type: 'date' };
    case 'datetime':
      return typeof v === 'string' && /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}([+-]\d{2}:\d{2}|Z)$/.test(v) ? null : { expected_data_type: 'datetime' };
    case 'lookup': case 'ownerlookup':
      return v && typeof v === 'object' && 'id' in v ? null : { expected_data_type: 'jsonobject' };
    default:
      return null;
  }
}
