// A Worker that inserts records into Zoho CRM through zcrm-guard's client, with one
// shared budget per org: every invocation leases slots from the org's Durable Object
// (OrgGuard) in blocks and reports its settles in batches, so many isolates together
// never exceed the org's concurrency or credits, at about 1.05 subrequests per Zoho call.
//
//   POST /v1/:module/records   { "records": [...], "operation"?: "insert" | "upsert",
//                                "duplicateCheckFields"?: [...], "batchSize"?: n }
//        -> { results: [one per record, input order], stats, notSent }
//   GET  /v1/guard             -> the org Guard's snapshot and saved state
//
// Both need `Authorization: Bearer <API_KEY>`. Zoho's secrets come from the environment.
import { createClient, Guard, fetchTransport } from 'zcrm-guard';
import { RemoteGuard, WORKERS_MAX_CONNECTIONS } from './remote-guard.js';
import { guardConfig } from './org-guard.js';

export { OrgGuard } from './org-guard.js';

/** Subrequests per invocation on Workers Free; Paid allows far more (set SUBREQUEST_LIMIT). */
const DEFAULT_SUBREQUEST_LIMIT = 50;
/** Subrequests kept back for the final report (returning the lease) and a token refresh. */
const SUBREQUEST_RESERVE = 2;
/** Records one request may carry (10 full batches); larger jobs are split by the caller. */
const DEFAULT_MAX_RECORDS = 1_000;

export default {
  async fetch(request, env) {
    const url = new URL(request.url);
    if (!authorised(request, env)) return json(401, { code: 'AUTHENTICATION_FAILURE', message: 'missing or wrong API key' });
    const org = env.ORG_GUARD.get(env.ORG_GUARD.idFromName(env.ZOHO_ORG_ID ?? 'default'));
    if (request.method === 'GET' && url.pathname === '/v1/guard') return json(200, await org.state());
    const m = /^\/v1\/([A-Za-z0-9_]+)\/records$/.exec(url.pathname);
    if (request.method !== 'POST' || !m) return json(404, { code: 'INVALID_URL_PATTERN', message: 'POST /v1/:module/records or GET /v1/guard' });
    let input;
    try {
      input = await request.json();
    } catch {
      return json(400, { code: 'INVALID_DATA', message: 'the body must be JSON', details: { json_path: '$' } });
    }
    const records = input?.records;
    const max = Number(env.MAX_RECORDS_PER_REQUEST ?? DEFAULT_MAX_RECORDS);
    if (!Array.isArray(records)) return json(400, { code: 'INVALID_DATA', message: 'records must be an array', details: { api_name: 'records', json_path: '$.records' } });
    if (records.length > max) return json(400, { code: 'LIMIT_EXCEEDED', message: `at most ${max} records per request`, details: { limit: max, json_path: '$.records' } });
    const operation = input.operation === 'upsert' ? 'upsert' : 'insert';
    try {
      return json(200, await insert(env, org, m[1], records, operation, input));
    } catch (e) {
      // The job could not start (e.g. the fields metadata or the token could not be had):
      // an error in Zoho's shape, never a stack or a secret.
      return json(502, { code: e?.code ?? 'INTERNAL_ERROR', message: String(e?.message ?? e), details: e?.details ?? {}, status: 'error' });
    }
  },
};

async function insert(env, org, module, records, operation, input) {
  // Every outbound call counts against the invocation's subrequest cap; when the budget
  // runs out the job is aborted cleanly and the records not sent are reported as such.
  const limit = Number(env.SUBREQUEST_LIMIT ?? DEFAULT_SUBREQUEST_LIMIT);
  const budget = { used: 0, controller: new AbortController() };
  const spend = () => {
    budget.used++;
    if (budget.used >= limit - SUBREQUEST_RESERVE) budget.controller.abort(new Error('subrequest budget of this invocation used up'));
  };
  // One more call must leave the reserve intact (for the final report and a token
  // refresh); a lease renewal is worth it only if a call can follow it.
  const mayAdmit = () => budget.used + 1 <= limit - SUBREQUEST_RESERVE;
  const mayAsk = () => budget.used + 2 <= limit - SUBREQUEST_RESERVE;
  const local = new Guard({ ...guardConfig(env), concurrency: WORKERS_MAX_CONNECTIONS });
  const guard = new RemoteGuard(org, local, { onSubrequest: spend, mayAdmit, mayAsk });
  let token = null;
  const client = createClient({
    apiDomain: env.ZOHO_API_DOMAIN ?? 'https://www.zohoapis.com',
    transport: fetchTransport(), // each send was counted when the guard admitted it
    getAccessToken: async () => {
      // The first lease brought the org's token (a call is admitted only inside a lease).
      token ??= guard.accessToken();
      if (!token) {
        spend();
        token = await org.accessToken();
      }
      return token;
    },
    refreshAccessToken: async () => {
      spend();
      token = await org.refresh(token);
      return { access_token: token };
    },
    edition: guardConfig(env).edition,
    guard,
    signal: budget.controller.signal,
  });
  try {
    const opts = { batchSize: input.batchSize, duplicateCheckFields: input.duplicateCheckFields };
    const { results, stats } = await client[operation](module, records, opts);
    const notSent = results.filter((r) => r.code === 'NOT_SENT').map((r) => r.index);
    await guard.close();
    return { results, stats, notSent, subrequests: budget.used, leaseCalls: guard.leaseCalls };
  } finally {
    await guard.close();
  }
}

function authorised(request, env) {
  if (!env.API_KEY) return false; // never an open proxy to someone's CRM
  return request.headers.get('authorization') === `Bearer ${env.API_KEY}`;
}

function json(status, body) {
  return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
}
