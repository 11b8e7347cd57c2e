// Search Records: `criteria=((F:op:v)and(F:op:v))` (at most 10 conditions), `email=`,
// `phone=` or `word=`, reaching 2,000 records, `fields=` to pick columns (V7DOC search).
import { MAX_FIELDS_PER_GET, MAX_PER_PAGE, MAX_SEARCH_CRITERIA, MAX_SEARCH_RECORDS } from '../model/limits.mjs';
import { json, err, EMPTY_204 } from '../model/http.mjs';
import { clampInt, pick } from './read.mjs';

/** @typedef {import('../simulator.mjs').ZohoSimulator} ZohoSimulator */

/** `GET /{module}/search`. @param {ZohoSimulator} sim @param {string} module @param {URLSearchParams} q */
export function searchRecords(sim, module, q) {
  const perPage = clampInt(q.get('per_page'), MAX_PER_PAGE, 1, MAX_PER_PAGE);
  const page = clampInt(q.get('page'), 1, 1, Number.MAX_SAFE_INTEGER);
  /** @type {(r: Record<string, unknown>) => boolean} */
  let match;
  const criteria = q.get('criteria');
  if (criteria) {
    const parsed = parseCriteria(criteria);
    if (!parsed) return json(400, err('INVALID_QUERY', 'invalid query formed', { param_name: 'criteria' }));
    if (parsed.count > MAX_SEARCH_CRITERIA) return json(400, err('LIMIT_EXCEEDED', 'criteria limit exceeded', { param_name: 'criteria', limit: MAX_SEARCH_CRITERIA }));
    match = parsed.test;
  } else if (q.get('email')) {
    const e = String(q.get('email')).toLowerCase();
    match = (r) => String(r.Email ?? '').toLowerCase() === e;
  } else if (q.get('phone')) {
    const p = String(q.get('phone'));
    match = (r) => String(r.Phone ?? '') === p;
  } else if (q.get('word')) {
    const w = String(q.get('word')).toLowerCase();
    match = (r) => Object.values(r).some((v) => typeof v === 'string' && v.toLowerCase().includes(w));
  } else {
    return json(400, err('REQUIRED_PARAM_MISSING', 'One of the expected parameter is missing', { param_name: 'criteria' }));
  }
  const offset = (page - 1) * perPage;
  if (offset + perPage > MAX_SEARCH_RECORDS) return json(400, err('LIMIT_REACHED', 'search results exceed the limit', { limit: MAX_SEARCH_RECORDS }));
  const fields = (q.get('fields') ?? '').split(',').filter(Boolean);
  if (fields.length > MAX_FIELDS_PER_GET) return json(400, err('LIMIT_EXCEEDED', 'Fields limit exceeded', { param_name: 'fields', limit: MAX_FIELDS_PER_GET }));
  const hits = [...(sim.store.get(module)?.values() ?? [])].filter(match);
  const rows = hits.slice(offset, offset + perPage).map((r) => (fields.length ? pick(r, fields) : { ...r }));
  if (!rows.length) return EMPTY_204();
  return json(200, { data: rows, info: { per_page: perPage, count: rows.length, page, more_records: offset + rows.length < hits.length } });
}

/**
 * Search criteria `((F:op:v)and(F:op:v))`, also unwrapped `(F:op:v)or(F:op:v)` (V7DOC search);
 * `\(`, `\)`, `\,`, `\:` and `\\` escape inside a value. Returns null when malformed.
 * @param {string} text
 * @returns {{ test: (r: Record<string, unknown>) => boolean, count: number } | null}
 */
function parseCriteria(text) {
  const s = text.trim();
  let i = 0;
  let count = 0;
  /** @typedef {(r: Record<string, unknown>) => boolean} Test */
  /** Groups joined by `and`/`or`, left to right. @returns {Test | null} */
  const sequence = () => {
    let left = group();
    if (!left) return null;
    while (s.slice(i, i + 3).toLowerCase() === 'and' || s.slice(i, i + 2).toLowerCase() === 'or') {
      const isAnd = s.slice(i, i + 3).toLowerCase() === 'and';
      i += isAnd ? 3 : 2;
      const right = group();
      if (!right) return null;
      const l = left;
      left = isAnd ? (r) => l(r) && right(r) : (r) => l(r) || right(r);
    }
    return left;
  };
  /** `(sequence)` or `(Field:op:value)`. @returns {Test | null} */
  const group = () => {
    if (s[i] !== '(') return null;
    i++;
    let left;
    if (s[i] === '(') {
      left = sequence();
      if (!left) return null;
    } else {
      // The value ends at the first `)` not escaped by a backslash.
      let end = i;
      while (end < s.length && s[end] !== ')') end += s[end] === '\\' ? 2 : 1;
      if (end >= s.length) return null;
      const [field, op, ...rest] = s.slice(i, end).split(':');
      const value = rest.join(':').replace(/\\([(),:\\])/g, '$1');
      i = end;
      count++;
      const get = (/** @type {Record<string, unknown>} */ r) => String(r[field] ?? '').toLowerCase();
      const want = value.toLowerCase();
      const ops = {
        equals: (/** @type {any} */ r) => get(r) === want,
        not_equal: (/** @type {any} */ r) => get(r) !== want,
        starts_with: (/** @type {any} */ r) => get(r).startsWith(want),
        in: (/** @type {any} */ r) => want.split(',').includes(get(r)),
        greater_than: (/** @type {any} */ r) => Number(r[field]) > Number(value),
        less_than: (/** @type {any} */ r) => Number(r[field]) < Number(value),
        greater_equal: (/** @type {any} */ r) => Number(r[field]) >= Number(value),
        less_equal: (/** @type {any} */ r) => Number(r[field]) <= Number(value),
      };
      left = ops[/** @type {keyof typeof ops} */ (op)];
      if (!field || !left) return null;
    }
    if (s[i] !== ')') return null;
    i++;
    return left;
  };
  const test = sequence();
  return test && i === s.length ? { test, count } : null;
}
