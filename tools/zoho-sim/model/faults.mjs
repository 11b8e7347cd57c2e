// Injected faults and latency. Every admitted call takes exactly one draw from the seeded
// PRNG for its fault (and one more for jitter when it is on), so a seed replays a run.
import { json, err, html } from './http.mjs';

/** Fault kinds in the order their rates are laid out on [0, 1) for the one draw per call. */
export const FAULT_KINDS = /** @type {const} */ ([
  'internalError', // 500 INTERNAL_ERROR, nothing processed
  'badGateway', // 502 with an HTML body, nothing processed
  'serviceUnavailable', // 503 with an HTML body, nothing processed
  'dropBefore', // connection dropped before processing
  'dropAfter', // processed (writes happened, credits spent), reply lost
  'slow', // processed, reply delayed by `slowMs` (past the client's timeout)
  'truncated', // processed, reply body cut short
  // Appended (issue 14) so that every earlier seed keeps its sequence.
  'commitThen5xx', // processed (writes happened), the reply is 500/502/503/504
  'shortReply', // processed, a 2xx with fewer `data` entries than records: `{}`, `{"data":[]}`, a half, or cut JSON
  'tooManyRequests', // 429 TOO_MANY_REQUESTS with Retry-After (`retryAfterS`), nothing processed
  'proxyHtml', // a proxy's HTML page (200 text/html), nothing processed
]);

/**
 * @typedef {typeof FAULT_KINDS[number]} FaultKind
 * @typedef {Partial<Record<FaultKind, number>> & { recordLocked?: number, recordLockedOnInsert?: number }} FaultRates
 * @typedef {import('../simulator.mjs').ZohoSimulator} ZohoSimulator
 */

/**
 * A fault aimed at given calls, for regression tests: the calls whose text
 * `${METHOD} ${path}${decoded query} ${body}` matches `match` (a RegExp source) get `fault`,
 * after skipping the first `after` matches, `times` times (default 1). `variant` in [0, 1)
 * picks the variant (commitThen5xx: 500, 502, 503, 504 by quarter; shortReply: `{}`,
 * `{"data":[]}`, a half, cut JSON); `retryAfterS` overrides the 429's Retry-After.
 * @typedef {{ match: string, fault: FaultKind, times?: number, after?: number, variant?: number,
 *   retryAfterS?: number }} PlannedFault
 */

/**
 * The fault of this call, or null. The seeded draw is taken first whatever the plan says, so a
 * planned fault never shifts the sequence of the random ones.
 * @param {ZohoSimulator} sim @param {{ method: string, url: URL, body: unknown }} [call] @returns {FaultKind | null}
 */
export function drawFault(sim, call) {
  const rates = sim.options.faults ?? {};
  const r = sim.rng(); // exactly one draw per admitted call keeps runs reproducible
  sim.plannedRetryAfterS = undefined;
  const planned = call ? plannedFault(sim, call) : null;
  if (planned) {
    sim.faultVariant = planned.variant ?? 0;
    sim.plannedRetryAfterS = planned.retryAfterS;
    return planned.fault;
  }
  if (sim.counters.calls <= (sim.options.faultAfterCalls ?? 0)) return null;
  let acc = 0;
  for (const kind of FAULT_KINDS) {
    const rate = rates[kind] ?? 0;
    acc += rate;
    if (r < acc) {
      // Where the draw fell inside the kind's band picks a variant (status, shape) without a
      // second draw, so that adding variants never shifts a seed's sequence.
      sim.faultVariant = rate > 0 ? Math.min(0.999999, 1 - (acc - r) / rate) : 0;
      return kind;
    }
  }
  return null;
}

/** The planned fault this call meets, counted, or null. @param {ZohoSimulator} sim @param {{ method: string, url: URL, body: unknown }} call */
function plannedFault(sim, call) {
  const plan = sim.options.faultPlan;
  if (!Array.isArray(plan) || plan.length === 0) return null;
  let query = call.url.search;
  try {
    query = decodeURIComponent(query);
  } catch {
    // keep it encoded
  }
  const text = `${call.method} ${call.url.pathname}${query} ${typeof call.body === 'string' ? call.body : JSON.stringify(call.body ?? '')}`;
  const seen = (sim.planSeen ??= new Map());
  // Every entry counts every call it matches (its `after` counts calls, not its turns);
  // the first entry in its window applies.
  let hit = null;
  for (const [i, p] of plan.entries()) {
    if (!new RegExp(p.match).test(text)) continue;
    const n = (seen.get(i) ?? 0) + 1;
    seen.set(i, n);
    const after = p.after ?? 0;
    if (!hit && n > after && n <= after + (p.times ?? 1)) hit = p;
  }
  return hit;
}

/** One of `choices`, picked by the variant of the fault just drawn. @template T @param {ZohoSimulator} sim @param {T[]} choices @returns {T} */
export function variantOf(sim, choices) {
  return choices[Math.floor((sim.faultVariant ?? 0) * choices.length)] ?? choices[0];
}

/**
 * The reply of a fault that stops the call before it is processed, or null for the faults
 * that let it run (dropAfter, slow, truncated).
 * @param {FaultKind | null} fault @returns {import('./http.mjs').SimResponse | null}
 */
export function unprocessedReply(fault, retryAfterS = 1) {
  if (fault === 'tooManyRequests') {
    return json(429, err('TOO_MANY_REQUESTS', 'Number of API requests for the 24 hour period is exceeded or the concurrency limit of the user for the app is exceeded'), { 'retry-after': String(retryAfterS) });
  }
  if (fault === 'proxyHtml') {
    return { status: 200, headers: { 'content-type': 'text/html' }, body: '<html><head><title>Please wait</title></head><body><h1>Checking your connection</h1><p>proxy</p></body></html>' };
  }
  if (fault === 'internalError') return json(500, err('INTERNAL_ERROR', 'Internal Server Error'));
  if (fault === 'badGateway') return html(502, 'Bad Gateway');
  if (fault === 'serviceUnavailable') return html(503, 'Service Temporarily Unavailable');
  if (fault === 'dropBefore') return { status: 0, headers: {}, body: '', drop: 'before' };
  return null;
}

/**
 * The reply after a call that was processed (commitThen5xx, shortReply), or null for the others.
 * `write`: the call wrote records (insert, update, upsert, delete).
 * @param {ZohoSimulator} sim @param {FaultKind} fault @param {import('./http.mjs').SimResponse} r
 * @returns {import('./http.mjs').SimResponse | null}
 */
export function processedReply(sim, fault, r, write = true) {
  if (fault === 'commitThen5xx') {
    const status = variantOf(sim, [500, 502, 503, 504]);
    if (status === 500) return { ...json(500, err('INTERNAL_ERROR', 'Internal Server Error')), headers: { ...r.headers, 'content-type': 'application/json;charset=UTF-8' } };
    return html(status, { 502: 'Bad Gateway', 503: 'Service Temporarily Unavailable', 504: 'Gateway Time-out' }[status] ?? 'Bad Gateway');
  }
  if (fault !== 'shortReply' || r.status < 200 || r.status > 299) return null;
  let body;
  try {
    body = JSON.parse(r.body);
  } catch {
    return null;
  }
  if (!Array.isArray(body?.data)) return null; // only replies that list results can be short
  // Only a write's reply can lack entries unnoticed; a read's short reply is its body cut.
  const shape = write ? variantOf(sim, ['empty', 'emptyData', 'half', 'cut']) : 'cut';
  const headers = { ...r.headers };
  if (shape === 'empty') return { ...r, headers, body: '{}' };
  if (shape === 'emptyData') return { ...r, headers, body: '{"data":[]}' };
  if (shape === 'half') return { ...r, headers, body: JSON.stringify({ ...body, data: body.data.slice(0, Math.floor(body.data.length / 2)) }) };
  // A complete HTTP message whose JSON a proxy cut short (Content-Length matches).
  return { ...r, headers, body: r.body.slice(0, Math.max(1, Math.floor(r.body.length / 2))) };
}

/** @param {ZohoSimulator} sim @param {FaultKind} fault */
export function countFault(sim, fault) {
  sim.counters.faults[fault] = (sim.counters.faults[fault] ?? 0) + 1;
}

/** Processing time left for a call that arrived at `receivedAt`. @param {ZohoSimulator} sim @param {number | undefined} receivedAt */
export function latencyOf(sim, receivedAt) {
  const base = sim.options.latencyMs ?? 0;
  const jitter = sim.options.latencyJitterMs ?? 0;
  const total = jitter > 0 ? base + Math.floor(sim.rng() * jitter) : base;
  return receivedAt === undefined ? total : Math.max(0, total - (sim.now() - receivedAt));
}
