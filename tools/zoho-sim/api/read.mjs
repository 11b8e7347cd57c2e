// Get Records (`page` reaches 2,000 records, a `page_token` bound to the parameters reaches
// 100,000) and Get Record, with the row helpers the search and COQL handlers share.
import {
  CREDIT_WINDOW_MS, MAX_FIELDS_PER_GET, MAX_PER_PAGE, MAX_RECORDS_WITH_PAGE_TOKEN, MAX_RECORDS_WITHOUT_PAGE_TOKEN,
} from '../model/limits.mjs';
import { json, err, EMPTY_204, isoTime } from '../model/http.mjs';
import { moduleRecords } from '../model/store.mjs';

/** @typedef {import('../simulator.mjs').ZohoSimulator} ZohoSimulator */

/** `GET /{module}?fields=&page=&per_page=&page_token=&sort_by=&sort_order=`. @param {ZohoSimulator} sim @param {string} module @param {URLSearchParams} q */
export function listRecords(sim, module, q) {
  const fields = (q.get('fields') ?? '').split(',').filter(Boolean);
  if (!fields.length) return json(400, err('REQUIRED_PARAM_MISSING', 'One of the expected parameter is missing', { param_name: 'fields' }));
  if (fields.length > MAX_FIELDS_PER_GET) return json(400, err('LIMIT_EXCEEDED', 'Fields limit exceeded', { param_name: 'fields', limit: MAX_FIELDS_PER_GET }));
  if (q.has('page') && q.has('page_token')) return json(400, err('AMBIGUITY_DURING_PROCESSING', 'ambiguity while processing the request', { ambiguity_due_to: ['page', 'page_token'] }));
  if (q.has('sort_by') && q.has('cvid')) return json(400, err('AMBIGUITY_DURING_PROCESSING', 'ambiguity while processing the request', { ambiguity_due_to: ['cvid', 'sort_by'] }));
  const perPage = clampInt(q.get('per_page'), MAX_PER_PAGE, 1, MAX_PER_PAGE);
  const sortBy = q.get('sort_by') ?? 'id';
  const desc = (q.get('sort_order') ?? 'desc') === 'desc';
  const bound = `${module}|${fields.join(',')}|${perPage}|${sortBy}|${desc}`;
  let offset;
  let page = 1;
  const tok = q.get('page_token');
  if (tok) {
    const t = sim.pageTokens.get(tok);
    if (!t) return json(400, err('INVALID_DATA', 'invalid data', { param_name: 'page_token' }));
    if (t.expires <= sim.now()) return json(400, err('EXPIRED_VALUE', 'the page token has expired', { param_name: 'page_token' }));
    if (t.bound !== bound) return json(400, err('TOKEN_BOUND_DATA_MISMATCH', 'the parameters differ from those the token was issued for', { param_name: 'page_token' }));
    offset = t.offset;
  } else {
    page = clampInt(q.get('page'), 1, 1, Number.MAX_SAFE_INTEGER);
    offset = (page - 1) * perPage;
    if (offset + perPage > MAX_RECORDS_WITHOUT_PAGE_TOKEN) {
      return json(400, err('DISCRETE_PAGINATION_LIMIT_EXCEEDED', 'cannot fetch more than 2000 records without page_token', { param_name: 'page', limit: MAX_RECORDS_WITHOUT_PAGE_TOKEN }));
    }
  }
  if (offset >= MAX_RECORDS_WITH_PAGE_TOKEN) return json(400, err('PAGINATION_LIMIT_EXCEEDED', 'pagination limit exceeded', { limit: MAX_RECORDS_WITH_PAGE_TOKEN }));
  const all = sortRecords(sim.records(module), sortBy, desc);
  const rows = all.slice(offset, offset + perPage).map((r) => pick(r, fields));
  if (!rows.length) return EMPTY_204();
  const more = offset + rows.length < all.length;
  let next = null;
  if (more) {
    next = `sim-pt-${sim.pageTokens.size + 1}`;
    sim.pageTokens.set(next, { offset: offset + rows.length, bound, expires: sim.now() + CREDIT_WINDOW_MS });
  }
  return json(200, {
    data: rows,
    info: {
      call: false, per_page: perPage, next_page_token: next, count: rows.length, sort_by: sortBy,
      page: tok ? null : page, previous_page_token: null,
      page_token_expiry: next ? isoTime(sim.now() + CREDIT_WINDOW_MS) : null,
      sort_order: desc ? 'desc' : 'asc', email: false, more_records: more,
    },
  });
}

/** `GET /{module}/{id}`. @param {ZohoSimulator} sim @param {string} module @param {string} id */
export function getRecord(sim, module, id) {
  const r = moduleRecords(sim, module).get(id);
  return r ? json(200, { data: [{ ...r }] }) : EMPTY_204();
}

/** An integer query parameter, clamped; `dflt` when absent or not a number. @param {string | null} v @param {number} dflt @param {number} min @param {number} max */
export function clampInt(v, dflt, min, max) {
  const n = v == null ? dflt : Number.parseInt(v, 10);
  return Number.isFinite(n) ? Math.min(max, Math.max(min, n)) : dflt;
}

/** The record's id and the asked fields (null when absent). @param {Record<string, unknown>} r @param {string[]} fields */
export function pick(r, fields) {
  /** @type {Record<string, unknown>} */
  const o = { id: r.id };
  for (const f of fields) o[f] = r[f] ?? null;
  return o;
}

/** Sorts in place; ids compare as numbers. @param {Record<string, any>[]} rows @param {string} field @param {boolean} desc */
export function sortRecords(rows, field, desc) {
  const key = (/** @type {any} */ v) => (v == null ? '' : v);
  const sorted = rows.sort((a, b) => {
    const x = key(a[field]);
    const y = key(b[field]);
    if (field === 'id') return BigInt(x || 0) < BigInt(y || 0) ? -1 : BigInt(x || 0) > BigInt(y || 0) ? 1 : 0;
    return x < y ? -1 : x > y ? 1 : 0;
  });
  return desc ? sorted.reverse() : sorted;
}
