// Concurrency slots and credits, counted as Zoho counts them: every arrival takes its
// slots (a composite 5, complex calls one in the sub-pool too), and credits are spent in
// a rolling 24-hour window kept as a ledger with a running sum.
import { CREDIT_WINDOW_MS } from './limits.mjs';
import { json } from './http.mjs';

/** @typedef {import('../simulator.mjs').ZohoSimulator} ZohoSimulator */

/** The one 429 body: Zoho's body does not say whether credits or concurrency ran out (§5, STAT). */
const TOO_MANY_REQUESTS = {
  code: 'TOO_MANY_REQUESTS',
  details: {},
  message:
    'Number of API requests for the 24 hour period is exceeded or the concurrency limit of the user for the app is exceeded',
  status: 'error',
};

/**
 * Takes a call's slots and returns the function that gives them back (once). Every arrival
 * counts towards the peak, so a peak above the limit means the client overshot even though
 * the over-limit call itself was refused.
 * @param {ZohoSimulator} sim @param {number} slots @param {number} complex
 */
export function occupy(sim, slots, complex) {
  sim.inFlight += slots;
  sim.complexInFlight += complex;
  sim.counters.maxInFlight = Math.max(sim.counters.maxInFlight, sim.inFlight);
  sim.counters.maxComplexInFlight = Math.max(sim.counters.maxComplexInFlight, sim.complexInFlight);
  let released = false;
  return () => {
    if (released) return;
    released = true;
    sim.inFlight -= slots;
    sim.complexInFlight -= complex;
  };
}

/**
 * The 429 for a call over the concurrency limit, the complex pool or the credits left, or null.
 * @param {ZohoSimulator} sim @param {number} minCredits
 */
export function refusal(sim, minCredits) {
  if (sim.inFlight > sim.concurrency || sim.complexInFlight > sim.subConcurrency) {
    sim.counters.tooManyRequests[sim.inFlight > sim.concurrency ? 'concurrency' : 'complex']++;
    return json(429, TOO_MANY_REQUESTS);
  }
  if (creditsUsed(sim) + minCredits > sim.totalCredits) {
    sim.counters.tooManyRequests.credits++;
    return json(429, TOO_MANY_REQUESTS, creditHeader(sim));
  }
  return null;
}

/** Credits spent in the rolling window ending now. @param {ZohoSimulator} sim */
export function creditsUsed(sim) {
  const from = sim.now() - CREDIT_WINDOW_MS;
  while (sim.ledgerHead < sim.ledger.length && sim.ledger[sim.ledgerHead].at <= from) {
    sim.ledgerSum -= sim.ledger[sim.ledgerHead].credits;
    sim.ledgerHead++;
  }
  if (sim.ledgerHead > 1024 && sim.ledgerHead * 2 > sim.ledger.length) {
    sim.ledger = sim.ledger.slice(sim.ledgerHead);
    sim.ledgerHead = 0;
  }
  return sim.ledgerSum;
}

/** @param {ZohoSimulator} sim @param {number} credits */
export function spend(sim, credits) {
  if (credits <= 0) return;
  sim.ledger.push({ at: sim.now(), credits });
  sim.ledgerSum += credits;
  sim.counters.maxCreditsInWindow = Math.max(sim.counters.maxCreditsInWindow, creditsUsed(sim));
  sim.counters.creditsSpent += credits;
}

/** X-API-CREDITS-REMAINING once half of the credits (without add-ons) are used (§6). @param {ZohoSimulator} sim */
export function creditHeader(sim) {
  const used = creditsUsed(sim);
  if (used * 2 < sim.baseCredits) return {};
  return { 'x-api-credits-remaining': String(Math.max(0, sim.totalCredits - used)) };
}
