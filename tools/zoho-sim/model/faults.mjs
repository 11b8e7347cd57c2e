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
]);

/**
 * @typedef {typeof FAULT_KINDS[number]} FaultKind
 * @typedef {Partial<Record<FaultKind, number>> & { recordLocked?: number }} FaultRates
 * @typedef {import('../simulator.mjs').ZohoSimulator} ZohoSimulator
 */

/** The fault of this call, or null. @param {ZohoSimulator} sim @returns {FaultKind | null} */
export function drawFault(sim) {
  const rates = sim.options.faults ?? {};
  const r = sim.rng(); // exactly one draw per admitted call keeps runs reproducible
  if (sim.counters.calls <= (sim.options.faultAfterCalls ?? 0)) return null;
  let acc = 0;
  for (const kind of FAULT_KINDS) {
    acc += rates[kind] ?? 0;
    if (r < acc) return kind;
  }
  return null;
}

/**
 * The reply of a fault that stops the call before it is processed, or null for the faults
 * that let it run (dropAfter, slow, truncated).
 * @param {FaultKind | null} fault @returns {import('./http.mjs').SimResponse | null}
 */
export function unprocessedReply(fault) {
  if (fault === 'internalError') return json(500, err('INTERNAL_ERROR', 'Internal Server Error'));
  if (fault === 'badGateway') return html(502, 'Bad Gateway');
  if (fault === 'serviceUnavailable') return html(503, 'Service Temporarily Unavailable');
  if (fault === 'dropBefore') return { status: 0, headers: {}, body: '', drop: 'before' };
  return null;
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
