// Reads and single calls: field metadata (cached), every record of a module page by
// page, every row of a COQL query, GraphQL analysed before sending, Convert Lead and
// any other endpoint. Each is one request at a time through the scheduler; the page
// sizes are the core's facts.

import { guardError } from '../errors.js';
import { zohoError } from './results.js';

/**
 * Zoho's field metadata of a module, fetched once and cached. For a write `job`, the
 * fetch is patient like the job's records and counts in its stats.
 */
export async function fieldsMetadata(client, module, { signal, job } = {}) {
  const given = client.o.fieldsMetadata?.[module];
  if (given) return given;
  if (!client.fields.has(module)) {
    const operation = { kind: 'metadata', module, ...(job ? { patient: true } : {}) };
    const p = client.scheduler.single(operation, { method: 'GET', path: '/settings/fields', query: { module } }, signal, job).then((r) => {
      if (!r.ok) throw zohoError(r);
      return r.body;
    });
    client.fields.set(module, p);
    p.catch(() => client.fields.delete(module));
  }
  return client.fields.get(module);
}

/**
 * Every record of a module, page by page: `page` for the first 2,000 records,
 * `page_token` after (Zoho's DISCRETE_PAGINATION_LIMIT).
 */
export async function* records(client, module, { fields, perPage, criteria, signal } = {}) {
  const { maxPerPage, maxRecordsWithoutPageToken } = client.api.facts().paging;
  const per = Math.min(Math.max(1, (perPage === undefined ? maxPerPage : perPage) | 0), maxPerPage);
  const path = criteria ? `/${module}/search` : `/${module}`;
  const kind = criteria ? 'search' : 'get';
  let page = 1;
  let token = null;
  let seen = 0;
  for (;;) {
    const query = { per_page: per };
    if (fields) query.fields = Array.isArray(fields) ? fields.join(',') : fields;
    if (criteria) query.criteria = criteria;
    if (token) query.page_token = token;
    else query.page = page;
    const r = await client.scheduler.single({ kind, module, recordCount: per }, { method: 'GET', path, query }, signal);
    if (!r.ok) throw zohoError(r);
    const rows = r.body?.data ?? [];
    for (const row of rows) yield row;
    seen += rows.length;
    const info = r.body?.info ?? {};
    if (!info.more_records || rows.length === 0) return;
    if (seen + per > maxRecordsWithoutPageToken && !criteria) {
      if (!info.next_page_token) return;
      token = info.next_page_token;
    } else page++;
  }
}

/**
 * A query's own LIMIT at its end: `limit N`, `limit O, N` or `limit N offset O`
 * (a trailing `;` allowed); `count` is the rows it asks for.
 */
const OWN_LIMIT = /\blimit\s+(\d+)(?:\s*,\s*(\d+)|\s+offset\s+(\d+))?\s*$/i;

/**
 * Every row of a COQL query, by LIMIT/OFFSET up to Zoho's 100,000, each call at
 * its credit tier. A query with its own LIMIT is sent once, as written.
 */
export async function* coql(client, query, { pageSize, signal } = {}) {
  if (typeof query !== 'string') throw guardError('INVALID_ARGUMENT', 'query must be a string', 'query');
  const { maxLimit, maxRows } = client.api.facts().coql;
  // A trailing `;` is not part of the query Zoho reads, and would end up before our LIMIT.
  const text = query.trim().replace(/;+\s*$/, '').trim();
  const own = OWN_LIMIT.exec(text);
  if (own) {
    const limit = Number(own[2] ?? own[1]);
    const r = await client.scheduler.single({ kind: 'coql', coqlLimit: Math.min(Math.max(limit, 1), maxLimit) }, { method: 'POST', path: '/coql', body: { select_query: text } }, signal);
    if (!r.ok && r.decision.verdict.outcome !== 'empty') throw zohoError(r);
    yield* r.body?.data ?? [];
    return;
  }
  const size = Math.min(Math.max(1, (pageSize === undefined ? maxLimit : pageSize) | 0), maxLimit);
  for (let offset = 0; offset < maxRows; offset += size) {
    const q = `${text} limit ${offset}, ${size}`;
    const r = await client.scheduler.single({ kind: 'coql', coqlLimit: size }, { method: 'POST', path: '/coql', body: { select_query: q } }, signal);
    if (r.decision.verdict.outcome === 'empty') return;
    if (!r.ok) throw zohoError(r);
    const rows = r.body?.data ?? [];
    yield* rows;
    if (!r.body?.info?.more_records || rows.length < size) return;
  }
}

/** A GraphQL query, analysed before sending; rejected locally when it breaks a limit. */
export async function graphql(client, query, variables, { operationName, signal, analysis: analysisOptions } = {}) {
  const analysis = client.api.analyzeGraphql(query, variables ?? null, { operationName, ...(analysisOptions ?? {}) });
  if (!analysis.ok) {
    const err = guardError('GRAPHQL_REJECTED', `the query breaks Zoho's GraphQL limits: ${analysis.violations.map((v) => v.code).join(', ')}`, 'query');
    err.details.violations = analysis.violations;
    throw err;
  }
  const r = await client.scheduler.single(
    { kind: 'graphql', credits: analysis.credits },
    { method: 'POST', url: `${client.apiDomain}/crm/graphql`, body: { query, variables: variables ?? undefined, operationName } },
    signal,
  );
  return { ok: r.ok, data: r.body?.data ?? null, errors: r.body?.errors ?? null, analysis, decision: r.decision };
}

/** Converts a lead (5 credits, complex pool). */
export async function convertLead(client, id, body = {}, { signal } = {}) {
  const r = await client.scheduler.single({ kind: 'convert_lead', module: 'Leads' }, { method: 'POST', path: `/Leads/${encodeURIComponent(id)}/actions/convert`, body: { data: [body] } }, signal);
  return { ok: r.ok, body: r.body, decision: r.decision };
}

/** Any other endpoint, under the Guard: `request({ kind: 'metadata' }, { method, path, query, body })`. */
export async function request(client, operation, init = {}) {
  const r = await client.scheduler.single(operation, { method: 'GET', ...init }, init.signal);
  return { ok: r.ok, status: r.response.status, body: r.body, decision: r.decision };
}
