// Lookups by a field's values: what turns "may or may not exist" into an answer. COQL
// first (100 values a call from v8 on, 50 before); where COQL is refused (a token without the COQL scope, an
// org or edition without it, any other final failure of the query) the search API
// (10 values a call, `or` criteria) answers instead. Every chunk's answer is kept: a
// chunk that found no answer leaves only its own values unknown. Inside a write job
// the lookups are patient like the records (the job's deadline, signal and credits
// end them) and their calls and credits count in the job's stats.

import { isZcrmGuardError } from '../errors.js';

/**
 * Values per COQL `in`: 100 from v8 on (v8 COQL-Limitations), 50 in the older pages
 * (sources §COQL: "make these limits depend on the API version"). A LIMIT_EXCEEDED
 * answer lowers it to 50 for the client. One lookup call per batch of 100, not two: a
 * job verifying lost inserts spent half its calls on lookups.
 */
const COQL_IN_V8 = 100;
const COQL_IN_OLD = 50;
const coqlChunk = (client) => client.coqlInMax ?? (Number(/^v(\d+)/.exec(String(client.o.apiVersion))?.[1] ?? 8) >= 8 ? COQL_IN_V8 : COQL_IN_OLD);
/** Attempts of a chunk's first, quick lookup (then its halves, patient). */
const QUICK_ATTEMPTS = 2;
/** Values per search call: Zoho allows 10 criteria per search (V7DOC search). */
const SEARCH_CHUNK = 10;
/** Rows per search page (Zoho's `per_page` maximum). */
const SEARCH_PER_PAGE = 200;
/** COQL errors that say COQL itself is not available to this token or org: not asked again. */
const COQL_REFUSED = new Set(['OAUTH_SCOPE_MISMATCH', 'NO_PERMISSION', 'FEATURE_NOT_SUPPORTED', 'FEATURE_NOT_ENABLED', 'NOT_SUPPORTED', 'INVALID_URL_PATTERN', 'API_NOT_SUPPORTED']);
/** What a lookup asks for: the proof of a write needs when and by whom a record was created. */
const PROOF_FIELDS = ['Created_Time', 'Created_By'];

/** A COQL string literal: `\` and `'` escaped. */
export function coqlString(v) {
  return `'${String(v).replaceAll('\\', '\\\\').replaceAll("'", "\\'")}'`;
}

/** A search criteria value: `\`, parentheses and commas escaped (V7DOC search). */
export function searchValue(v) {
  return String(v).replace(/[\\(),]/g, (c) => `\\${c}`);
}

/**
 * Rows of `module` whose `field` equals one of `values` (case-insensitive).
 * @returns {Promise<{ rows: Map<string, object[]>, unknown: Set<string>, errors: string[] }>}
 *   rows by lower-cased value (oldest first), the values no answer was found for, and why
 */
export async function lookupRows(client, module, field, values, signal, job) {
  const rows = new Map();
  const unknown = new Set();
  const errors = [];
  const keep = (row) => {
    const k = String(row?.[field] ?? '').toLowerCase();
    if (!rows.has(k)) rows.set(k, []);
    if (!rows.get(k).some((r) => r.id === row.id)) rows.get(k).push(row);
  };
  const distinct = [...new Set(values.map((v) => String(v)))];
  // A chunk is asked quickly first (two attempts). If that fails, its halves are asked
  // side by side, each as patient as the job: a value that makes the query fail is
  // isolated, the other half is answered, and its success keeps the breaker from
  // opening on one chunk's failures in a row.
  const answer = async (chunk, quick) => {
    if (!client.coqlRefused) {
      const r = await byCoql(client, module, field, chunk, signal, job, quick && job && chunk.length > 1);
      if (r.rows) return r.rows;
      if (r.tooMany && chunk.length > COQL_IN_OLD) {
        client.coqlInMax = COQL_IN_OLD;
        const parts = await Promise.all([answer(chunk.slice(0, COQL_IN_OLD), quick), answer(chunk.slice(COQL_IN_OLD), quick)]);
        return parts.flat();
      }
      if (r.transient) {
        const half = Math.ceil(chunk.length / 2);
        const parts = await Promise.all([answer(chunk.slice(0, half), false), answer(chunk.slice(half), false)]);
        return parts.flat();
      }
    }
    return bySearch(client, module, field, chunk, signal, job);
  };
  const size = coqlChunk(client);
  for (let at = 0; at < distinct.length; at += size) {
    const chunk = distinct.slice(at, at + size);
    try {
      (await answer(chunk, true)).forEach(keep);
    } catch (e) {
      for (const v of chunk) unknown.add(v.toLowerCase());
      errors.push(String(e?.message ?? e));
      // The job stopped (deadline, signal, credits): no more lookups for it.
      if (job?.stop.reason) {
        for (const v of distinct.slice(at + size)) unknown.add(v.toLowerCase());
        break;
      }
    }
  }
  for (const list of rows.values()) list.sort((a, b) => (Date.parse(a.Created_Time) || 0) - (Date.parse(b.Created_Time) || 0));
  return { rows, unknown, errors };
}

/** Final give-ups of a quick lookup that say nothing about COQL itself. */
const TRANSIENT = new Set(['attempts_exhausted', 'breaker_open', 'retry_budget']);

/**
 * One COQL lookup: `{ rows }`; `{ transient: true }` when a quick one (two attempts)
 * failed for now; `{ tooMany: true }` when Zoho refused the number of `in` values;
 * `{}` when COQL is refused (the search answers instead).
 */
async function byCoql(client, module, field, chunk, signal, job, quick) {
  const pageRows = client.api.facts().coql.maxLimit;
  const select = ['id', field, ...PROOF_FIELDS.filter((f) => f !== field)].join(', ');
  const query = `select ${select} from ${module} where ${field} in (${chunk.map(coqlString).join(', ')}) limit ${pageRows}`;
  const operation = { kind: 'coql', module, coqlLimit: pageRows, ...(quick ? { maxAttempts: QUICK_ATTEMPTS } : job ? { patient: true } : {}) };
  let r;
  try {
    r = await client.scheduler.single(operation, { method: 'POST', path: '/coql', body: { select_query: query } }, signal, job);
  } catch (e) {
    if (isZcrmGuardError(e) && e.code === 'ABORTED') throw e;
    return {};
  }
  if (r.ok || r.decision.verdict.outcome === 'empty') return { rows: r.body?.data ?? [] };
  const code = r.decision.verdict.error?.code ?? '';
  if (code === 'LIMIT_EXCEEDED') return { tooMany: true };
  // An expired token is no refusal of COQL: short-lived tokens expire under a quick
  // lookup (its two attempts), and taking that 401 as a missing scope sent every later
  // lookup to the search API at 10 values a call (measured: 122 search calls in a
  // 5,000-insert job at 30% faults with 2 s tokens, against 30 COQL calls).
  const expired = code === 'INVALID_TOKEN' || r.decision.reason === 'token_rejected';
  if (quick && (TRANSIENT.has(r.decision.reason) || expired)) return { transient: true };
  if (COQL_REFUSED.has(code) || (!expired && (r.response?.status === 401 || r.response?.status === 403))) client.coqlRefused = true;
  client.emit({ type: 'lookup_fallback', module, from: 'coql', to: 'search', code });
  return {};
}

/** The search API's answer for a chunk, 10 values a call, every page. */
async function bySearch(client, module, field, chunk, signal, job) {
  const out = [];
  for (let at = 0; at < chunk.length; at += SEARCH_CHUNK) {
    const part = chunk.slice(at, at + SEARCH_CHUNK).map((v) => `(${field}:equals:${searchValue(v)})`);
    const criteria = part.length === 1 ? part[0] : `(${part.join('or')})`;
    for (let page = 1; ; page++) {
      const operation = { kind: 'search', module, recordCount: SEARCH_PER_PAGE, ...(job ? { patient: true } : {}) };
      const query = { criteria, per_page: SEARCH_PER_PAGE, page, fields: ['id', field, ...PROOF_FIELDS].join(',') };
      const r = await client.scheduler.single(operation, { method: 'GET', path: `/${module}/search`, query }, signal, job);
      if (r.decision.verdict.outcome === 'empty' || (r.ok && !r.body)) break;
      if (!r.ok) throw new Error(`search failed: ${r.decision.verdict.error?.code ?? r.response?.status}`);
      out.push(...(r.body?.data ?? []));
      if (!r.body?.info?.more_records) break;
    }
  }
  return out;
}
