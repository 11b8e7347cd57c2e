// The record writes: insert, update and upsert (per-record results, 201/200/207/400),
// deletes, and Convert Lead. Every change is journalled so a rollback composite can undo it.
import { MAX_RECORDS_PER_WRITE } from '../model/limits.mjs';
import { DUPLICATE_CHECK_FIELDS } from '../model/fields.mjs';
import { json, err, isoTime } from '../model/http.mjs';
import { countCreated, findBy, isLocked, moduleRecords, newRecordId, putRecord, removeRecord, undo } from '../model/store.mjs';
import { auditWrite, USER } from '../model/audit.mjs';
import { validateRecord } from './validate.mjs';

/**
 * @typedef {import('../simulator.mjs').ZohoSimulator} ZohoSimulator
 * @typedef {'insert'|'update'|'upsert'} WriteKind
 */

/** @param {ZohoSimulator} sim @param {WriteKind} kind @param {string} module @param {any} body */
export function writeRecords(sim, kind, module, body) {
  const data = body?.data;
  if (!Array.isArray(data) || data.length === 0) {
    return json(400, err('MANDATORY_NOT_FOUND', 'required field not found', { api_name: 'data', json_path: '$.data' }));
  }
  if (data.length > MAX_RECORDS_PER_WRITE) {
    return json(400, err('LIMIT_EXCEEDED', 'limit exceeded', { api_name: 'data', json_path: '$.data', limit: MAX_RECORDS_PER_WRITE }));
  }
  const dupFields = kind === 'upsert'
    ? (Array.isArray(body.duplicate_check_fields) && body.duplicate_check_fields.length
        ? body.duplicate_check_fields.map(String)
        : [DUPLICATE_CHECK_FIELDS[/** @type {keyof typeof DUPLICATE_CHECK_FIELDS} */ (module)] ?? 'Name'])
    : [];
  const results = data.map((rec, i) => writeOne(sim, kind, module, rec, i, dupFields));
  const ok = results.filter((r) => r.status === 'success').length;
  const status = ok === results.length ? (kind === 'insert' ? 201 : 200) : ok === 0 ? 400 : 207;
  return json(status, { data: results });
}

/**
 * One record's result in Zoho's shape.
 * @param {ZohoSimulator} sim @param {WriteKind} kind @param {string} module @param {any} rec
 * @param {number} i @param {string[]} dupFields
 */
function writeOne(sim, kind, module, rec, i, dupFields) {
  const path = `$.data[${i}]`;
  if (!rec || typeof rec !== 'object' || Array.isArray(rec)) {
    return err('INVALID_DATA', 'invalid data', { api_name: 'data', json_path: path, expected_data_type: 'jsonobject' });
  }
  const store = moduleRecords(sim, module);
  let existing = null;
  let action = kind === 'upsert' ? 'insert' : kind;
  let duplicateField = null;
  if (kind === 'update') {
    const id = rec.id == null ? null : String(rec.id);
    if (!id) return err('MANDATORY_NOT_FOUND', 'required field not found', { api_name: 'id', json_path: `${path}.id` });
    existing = store.get(id);
    if (!existing) return err('INVALID_DATA', 'the id given seems to be invalid', { api_name: 'id', json_path: `${path}.id` });
  } else if (kind === 'upsert') {
    for (const f of dupFields) {
      if (rec[f] == null || rec[f] === '') continue;
      const hit = findBy(sim, module, f, rec[f]);
      if (hit) {
        existing = hit;
        action = 'update';
        duplicateField = f;
        break;
      }
    }
  }
  if (existing) {
    const locked = lockedNow(sim, String(existing.id));
    if (locked) return err('RECORD_LOCKED', 'cannot update record that is locked', { id: existing.id });
  } else {
    // A lock met by a new record (a workflow or a blueprint holding the module), drawn only when
    // its rate is set so that earlier seeds keep their sequences.
    const rate = sim.options.faults?.recordLockedOnInsert ?? 0;
    if (rate > 0 && sim.rng() < rate) {
      sim.counters.recordLocked++;
      return err('RECORD_LOCKED', 'cannot create record as it is locked', {});
    }
  }
  const problem = validateRecord(sim, module, rec, path, existing === null, existing ? String(existing.id) : null);
  if (problem) return problem;

  const now = isoTime(sim.serverNow());
  const fieldsOnly = Object.fromEntries(Object.entries(rec).filter(([k]) => k !== 'id' && !k.startsWith('$')));
  let out;
  if (existing) {
    const before = { ...existing };
    const after = { ...existing, ...fieldsOnly, Modified_Time: now, Modified_By: USER };
    putRecord(sim, module, after);
    auditWrite(sim, module, after, 'updated', +1);
    undo(sim, () => {
      putRecord(sim, module, before);
      auditWrite(sim, module, after, 'updated', -1);
    });
    sim.counters.updated[module] = (sim.counters.updated[module] ?? 0) + 1;
    out = { code: 'SUCCESS', details: { Modified_Time: now, Modified_By: USER, Created_Time: existing.Created_Time, id: existing.id, Created_By: existing.Created_By ?? USER }, message: 'record updated', status: 'success' };
  } else {
    const id = newRecordId(sim);
    const created = { ...fieldsOnly, id, Created_Time: now, Modified_Time: now, Created_By: USER, Modified_By: USER };
    putRecord(sim, module, created);
    countCreated(sim, module, fieldsOnly, +1);
    auditWrite(sim, module, created, 'created', +1);
    undo(sim, () => {
      removeRecord(sim, module, id);
      countCreated(sim, module, fieldsOnly, -1);
      auditWrite(sim, module, created, 'created', -1);
    });
    out = { code: 'SUCCESS', details: { Modified_Time: now, Modified_By: USER, Created_Time: now, id, Created_By: USER, $approval_state: 'approved' }, message: 'record added', status: 'success' };
  }
  if (kind === 'upsert') return { ...out, duplicate_field: duplicateField, action };
  return out;
}

/**
 * Whether a write to an existing record meets a lock: one already held, or one injected now
 * at the `recordLocked` rate (one PRNG draw per such write). Counts RECORD_LOCKED.
 * @param {ZohoSimulator} sim @param {string} id
 */
function lockedNow(sim, id) {
  if (isLocked(sim, id)) {
    sim.counters.recordLocked++;
    return true;
  }
  const rate = sim.options.faults?.recordLocked ?? 0;
  if (rate > 0 && sim.rng() < rate) {
    sim.lockRecord(id);
    sim.counters.recordLocked++;
    return true;
  }
  return false;
}

/** `DELETE /{module}?ids=a,b`. @param {ZohoSimulator} sim @param {string} module @param {URLSearchParams} q */
export function deleteByQuery(sim, module, q) {
  const ids = (q.get('ids') ?? '').split(',').filter(Boolean);
  if (!ids.length) return json(400, err('REQUIRED_PARAM_MISSING', 'One of the expected parameter is missing', { param_name: 'ids' }));
  if (ids.length > MAX_RECORDS_PER_WRITE) return json(400, err('LIMIT_EXCEEDED', 'limit exceeded', { param_name: 'ids', limit: MAX_RECORDS_PER_WRITE }));
  return deleteIds(sim, module, ids);
}

/** @param {ZohoSimulator} sim @param {string} module @param {string[]} ids */
export function deleteIds(sim, module, ids) {
  const store = moduleRecords(sim, module);
  const data = ids.map((id) => {
    const rec = store.get(id);
    if (!rec) return err('INVALID_DATA', 'the id given seems to be invalid', { id });
    if (isLocked(sim, id)) {
      sim.counters.recordLocked++;
      return err('RECORD_LOCKED', 'cannot delete record that is locked', { id });
    }
    removeRecord(sim, module, id);
    undo(sim, () => putRecord(sim, module, rec));
    sim.counters.deleted[module] = (sim.counters.deleted[module] ?? 0) + 1;
    return { code: 'SUCCESS', details: { id }, message: 'record deleted', status: 'success' };
  });
  const ok = data.filter((d) => d.status === 'success').length;
  return json(ok === data.length ? 200 : ok === 0 ? 400 : 207, { data });
}

/** `POST /Leads/{id}/actions/convert`: the lead becomes a contact. @param {ZohoSimulator} sim @param {string} id */
export function convertLead(sim, id) {
  const lead = moduleRecords(sim, 'Leads').get(id);
  if (!lead) return json(400, err('INVALID_DATA', 'the id given seems to be invalid', { resource_path_index: 1 }));
  if (lead.$converted) return json(400, err('ID_ALREADY_CONVERTED', 'id already converted', { id }));
  lead.$converted = true;
  const contactId = newRecordId(sim);
  putRecord(sim, 'Contacts', { id: contactId, Last_Name: lead.Last_Name, Email: lead.Email });
  return json(200, { data: [{ Contacts: { name: String(lead.Last_Name ?? ''), id: contactId }, Deals: null, Accounts: null }] });
}
