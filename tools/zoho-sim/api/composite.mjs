// `POST /__composite_requests`: 1 to 5 sub-requests run in order through the same router
// (1 record per write, 25 per read). With `rollback_on_fail` the first failing sub-request
// undoes the earlier ones from the journal (ROLLBACK_PERFORMED, then PROCESSING_STOPPED).
import { MAX_COMPOSITE_SUB_REQUESTS } from '../model/limits.mjs';
import { json, err, isoTime } from '../model/http.mjs';

/**
 * @typedef {import('../simulator.mjs').ZohoSimulator} ZohoSimulator
 * @typedef {import('./router.mjs').Route} Route
 * @typedef {(sim: ZohoSimulator, method: string, path: string, url: URL, body: string) => Route} RouteFn
 */

/** @param {ZohoSimulator} sim @param {any} body @param {RouteFn} route @returns {{ response: import('../model/http.mjs').SimResponse, credits: number }} */
export function runComposite(sim, body, route) {
  const subs = body?.__composite_requests;
  const rollback = body?.rollback_on_fail === true;
  if (!Array.isArray(subs) || subs.length === 0) {
    return { response: json(400, err('MANDATORY_NOT_FOUND', 'required field not found', { api_name: '__composite_requests', json_path: '$.__composite_requests' })), credits: 1 };
  }
  if (subs.length > MAX_COMPOSITE_SUB_REQUESTS) {
    return { response: json(400, err('INVALID_DATA', 'You have used more than 5 sub-requests.', { api_name: '__composite_requests', json_path: '$.__composite_requests', limit: MAX_COMPOSITE_SUB_REQUESTS })), credits: 1 };
  }
  if (rollback && body.parallel_execution === true) {
    return { response: json(400, err('AMBIGUITY_DURING_PROCESSING', 'ambiguity while processing the request', { ambiguity_due_to: ['rollback_on_fail', 'parallel_execution'] })), credits: 1 };
  }
  /** @type {(() => void)[]} */
  const journal = [];
  sim.journal = rollback ? journal : null;
  /** @type {any[]} */
  const out = [];
  let failedAt = -1;
  try {
    for (const [i, sub] of subs.entries()) {
      if (failedAt >= 0) {
        out.push(err('PROCESSING_STOPPED', 'processing stopped', { rollbacked_by_sub_request_index: failedAt }));
        continue;
      }
      const r = subRequest(sim, sub, i, route);
      out.push(r.wrapper);
      if (rollback && r.status >= 400) failedAt = i;
    }
  } finally {
    sim.journal = null;
  }
  if (failedAt >= 0) {
    for (const undo of journal.reverse()) undo();
    for (let i = 0; i < failedAt; i++) out[i] = err('ROLLBACK_PERFORMED', 'rollback performed', { rollbacked_by_sub_request_index: failedAt });
    return { response: json(400, { __composite_requests: out }), credits: 1 };
  }
  return { response: json(200, { __composite_requests: out }), credits: rollback ? 2 : 1 };
}

/** One sub-request, run and wrapped as Zoho wraps it. @param {ZohoSimulator} sim @param {any} sub @param {number} i @param {RouteFn} route */
function subRequest(sim, sub, i, route) {
  const at = { api_name: 'uri', json_path: `$.__composite_requests[${i}].uri` };
  const uri = String(sub?.uri ?? '');
  if (!/^\/crm(\/.*)?\/v[0-9]+([.][0-9]+)?\/.*/.test(uri)) {
    return { status: 400, wrapper: err('INVALID_DATA', 'invalid data', at) };
  }
  const hdrs = Object.keys(sub?.headers ?? {}).map((h) => h.toLowerCase());
  if (hdrs.includes('authorization') || hdrs.includes('x-crm-org')) {
    return { status: 400, wrapper: err('NOT_ALLOWED', 'header not allowed in a sub-request', { api_name: 'headers', json_path: `$.__composite_requests[${i}].headers` }) };
  }
  if (/\/__composite_requests\b/.test(uri)) {
    return { status: 400, wrapper: err('NOT_ALLOWED', 'a composite request cannot contain another', at) };
  }
  const method = String(sub?.method ?? 'GET').toUpperCase();
  const url = new URL(uri, sim.apiDomain);
  for (const [k, v] of Object.entries(sub?.params ?? {})) url.searchParams.set(k, String(v));
  const body = sub?.body;
  const count = Array.isArray(body?.data) ? body.data.length : 0;
  const isWrite = method !== 'GET';
  if ((isWrite && count > 1) || (!isWrite && Number(url.searchParams.get('per_page') ?? 25) > 25)) {
    const limit = isWrite ? 1 : 25;
    return { status: 400, wrapper: err('LIMIT_EXCEEDED', 'limit exceeded', { by: 'limit', limit }) };
  }
  const m = /^\/crm\/v\d+(?:\.\d+)?(\/.*)$/.exec(url.pathname);
  const r = route(sim, method, m?.[1] ?? '/', url, body == null ? '' : JSON.stringify(body));
  const resp = r.error ?? r.run().response;
  return {
    status: resp.status,
    wrapper: {
      code: 'SUCCESS',
      details: {
        response: {
          headers: { 'X-ACCESSTOKEN-RESET': isoTime(sim.now() + sim.tokenTtl()) },
          status_code: resp.status,
          body: resp.body ? JSON.parse(resp.body) : null,
        },
      },
      message: 'composite sub request executed successfully',
      status: 'success',
    },
  };
}
