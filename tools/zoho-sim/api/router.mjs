// Classifies an API call before it is admitted: how many concurrency slots it takes, whether
// it is complex (the sub-pool of 10), the credits it needs at least, and how to run it.
// Errors found here (bad JSON, unknown module or path) are answered without admission.
import { COMPLEX_WRITE_THRESHOLD, COMPOSITE_SLOTS, CONVERT_CREDITS, WRITE_RECORDS_PER_CREDIT } from '../model/limits.mjs';
import { json, err, invalidUrl, parseBody } from '../model/http.mjs';
import { runComposite } from './composite.mjs';
import { coqlCredits, runCoql } from './coql.mjs';
import { getRecord, listRecords } from './read.mjs';
import { searchRecords } from './search.mjs';
import { convertLead, deleteByQuery, deleteIds, writeRecords } from './write.mjs';

/**
 * @typedef {import('../simulator.mjs').ZohoSimulator} ZohoSimulator
 * @typedef {import('../model/http.mjs').SimResponse} SimResponse
 * @typedef {{ error?: SimResponse, slots: number, complex: number, minCredits: number,
 *   write?: boolean, coql?: boolean, run: () => { response: SimResponse, credits: number } }} Route
 */

const invalidMethod = () => json(405, err('INVALID_REQUEST_METHOD', 'The http request method type is not a valid one'));

/** A call refused before admission: no slot, no credit. @param {SimResponse} r @returns {Route} */
const refused = (r) => ({ error: r, slots: 0, complex: 0, minCredits: 0, run: () => ({ response: r, credits: 0 }) });

/** A call of one slot and fixed credits. @param {() => SimResponse} fn @returns {Route} */
const simple = (fn, credits = 1, complex = 0) => ({ slots: 1, complex, minCredits: credits, run: () => ({ response: fn(), credits }) });

/**
 * @param {ZohoSimulator} sim @param {string} method @param {string} path the path after `/crm/v{n}`
 * @param {URL} url @param {string} body @returns {Route}
 */
export function route(sim, method, path, url, body) {
  const q = url.searchParams;
  const parts = path.split('/').filter(Boolean).map(decodeURIComponent);
  const parsed = () => parseBody(body);

  if (parts[0] === '__composite_requests' && parts.length === 1 && method === 'POST') {
    const b = parsed();
    if (b.error) return refused(b.error);
    const subs = Array.isArray(b.value?.__composite_requests) ? b.value.__composite_requests : null;
    const complexSubs = (subs ?? []).filter((s) => /\/(coql|search)\b/.test(String(s?.uri ?? ''))).length;
    return {
      slots: COMPOSITE_SLOTS,
      complex: 1 + complexSubs,
      minCredits: 1,
      run: () => runComposite(sim, b.value, route),
    };
  }
  if (parts[0] === 'coql' && parts.length === 1) {
    if (method !== 'POST') return refused(json(400, err('INVALID_REQUEST_METHOD', 'The http request method type is not a valid one')));
    // A token without the COQL scope is refused before anything else (sources §5: 401 in V7DOC).
    if (sim.options.coqlScope === false) return refused(json(401, err('OAUTH_SCOPE_MISMATCH', 'invalid oauth scope to access this URL')));
    const b = parsed();
    if (b.error) return refused(b.error);
    return simple(() => runCoql(sim, b.value), coqlCredits(b.value), 1);
  }
  if (parts[0] === 'settings' && parts[1] === 'fields' && parts.length === 2 && method === 'GET') {
    return simple(() => fieldsMetadata(sim, q));
  }
  const module = parts[0];
  if (!module || !sim.fields[module]) {
    if (!module) return refused(invalidUrl());
    return refused(json(400, err('INVALID_MODULE', 'the module name given seems to be invalid', { resource_path_index: 0 })));
  }
  if (parts.length === 1) {
    if (method === 'GET') {
      const sorted = q.has('sort_by') || q.has('cvid');
      return simple(() => listRecords(sim, module, q), 1, sorted ? 1 : 0);
    }
    if (method === 'DELETE') return { ...simple(() => deleteByQuery(sim, module, q)), write: true };
    if (method === 'POST' || method === 'PUT') return writeRoute(sim, method === 'POST' ? 'insert' : 'update', module, parsed());
    return refused(invalidMethod());
  }
  if (parts.length === 2 && parts[1] === 'upsert' && method === 'POST') return writeRoute(sim, 'upsert', module, parsed());
  if (parts.length === 2 && parts[1] === 'search' && method === 'GET') return simple(() => searchRecords(sim, module, q), 1, 1);
  if (parts.length === 2) {
    const id = parts[1];
    if (method === 'GET') return simple(() => getRecord(sim, module, id));
    if (method === 'DELETE') return simple(() => deleteIds(sim, module, [id]));
    if (method === 'PUT') {
      const b = parsed();
      if (b.error) return refused(b.error);
      const data = Array.isArray(b.value?.data) ? b.value.data.map((/** @type {any} */ r) => ({ ...r, id })) : b.value?.data;
      return writeRoute(sim, 'update', module, { value: { ...b.value, data } });
    }
  }
  if (parts.length === 4 && parts[2] === 'actions' && parts[3] === 'convert' && method === 'POST' && module === 'Leads') {
    return simple(() => convertLead(sim, parts[1]), CONVERT_CREDITS, 1);
  }
  return refused(invalidUrl());
}

/**
 * Writes cost ceil(n/10) credits (§2, unverified) and are complex above 10 records.
 * @param {ZohoSimulator} sim @param {import('./write.mjs').WriteKind} kind @param {string} module
 * @param {{ value?: any, error?: SimResponse }} b @returns {Route}
 */
function writeRoute(sim, kind, module, b) {
  if (b.error) return refused(b.error);
  const data = b.value?.data;
  const n = Array.isArray(data) ? data.length : 0;
  const credits = Math.max(1, Math.ceil(n / WRITE_RECORDS_PER_CREDIT));
  return {
    slots: 1,
    write: true,
    complex: n > COMPLEX_WRITE_THRESHOLD ? 1 : 0,
    minCredits: credits,
    run: () => ({ response: writeRecords(sim, kind, module, b.value), credits }),
  };
}

/** `GET /settings/fields?module=`. @param {ZohoSimulator} sim @param {URLSearchParams} q */
function fieldsMetadata(sim, q) {
  const mod = q.get('module');
  if (!mod) return json(400, err('REQUIRED_PARAM_MISSING', 'One of the expected parameter is missing', { param_name: 'module' }));
  const f = sim.fields[mod];
  if (!f) return json(400, err('INVALID_MODULE', 'the module name given seems to be invalid', { param_name: 'module' }));
  return json(200, { fields: structuredClone(f) });
}
