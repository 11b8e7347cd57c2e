// `POST /coql` `{ select_query }`: the query parsed by coql-parser.mjs, run over the stored
// records. Credits by LIMIT tier (sources §2); LIMIT at most 2,000, offset + limit 100,000.
import { DEFAULT_COQL_LIMIT, MAX_COQL_LIMIT, MAX_COQL_ROWS } from '../model/limits.mjs';
import { json, err, EMPTY_204 } from '../model/http.mjs';
import { parseCoql, CoqlError } from './coql-parser.mjs';
import { pick, sortRecords } from './read.mjs';

/** @typedef {import('../simulator.mjs').ZohoSimulator} ZohoSimulator */

/** Credits of a query, from its LIMIT before it is parsed (COQL tiers, §2). @param {any} body */
export function coqlCredits(body) {
  const limit = /\blimit\s+(?:\d+\s*,\s*)?(\d+)/i.exec(String(body?.select_query ?? ''))?.[1];
  const n = limit ? Number(limit) : DEFAULT_COQL_LIMIT;
  return n <= 200 ? 1 : n <= 1000 ? 2 : 3;
}

/** @param {ZohoSimulator} sim @param {any} body */
export function runCoql(sim, body) {
  const query = body?.select_query;
  if (typeof query !== 'string' || !query.trim()) {
    return json(400, err('MANDATORY_NOT_FOUND', 'required field not found', { api_name: 'select_query', json_path: '$.select_query' }));
  }
  let q;
  try {
    q = parseCoql(query);
  } catch (e) {
    if (e instanceof CoqlError) return json(400, err(e.code, e.message, e.details));
    throw e;
  }
  if (!sim.fields[q.module]) return json(400, err('INVALID_QUERY', 'invalid module in the query', { clause: 'from', near: q.module }));
  const limit = q.limit ?? DEFAULT_COQL_LIMIT;
  if (limit > MAX_COQL_LIMIT || limit < 1) return json(400, err('LIMIT_EXCEEDED', 'limit exceeded', { clause: 'limit', limit: MAX_COQL_LIMIT }));
  if (q.offset + limit > MAX_COQL_ROWS) return json(400, err('LIMIT_EXCEEDED', 'offset limit exceeded', { clause: 'offset', limit: MAX_COQL_ROWS }));
  // Filter the stored records themselves: copying all of them first made every
  // lookup cost milliseconds of the server's one thread.
  let rows = [...(sim.store.get(q.module)?.values() ?? [])];
  if (q.where) rows = rows.filter(q.where);
  if (q.orderBy) rows = sortRecords(rows, q.orderBy.field, q.orderBy.desc);
  const page = rows.slice(q.offset, q.offset + limit).map((r) => pick(r, q.fields));
  if (!page.length) return EMPTY_204();
  return json(200, { data: page, info: { count: page.length, more_records: q.offset + page.length < rows.length } });
}
