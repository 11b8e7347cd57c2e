// Shared helpers of the simulator tests.
import { ZohoSimulator } from '@zcrm-guard/zoho-sim';

export { validLeads as leads } from '@zcrm-guard/zoho-sim/fixtures';

export const AUTH = { authorization: 'Zoho-oauthtoken sim-access-0' };
export const BASE = 'https://www.zohoapis.com';

/** A simulator on a virtual clock (`clock.t`, ms), with no real waiting unless `sleep` is given. */
export function simOn(options = {}) {
  const clock = { t: 1_700_000_000_000 };
  /** @type {number[]} */
  const slept = [];
  const sim = new ZohoSimulator({
    seed: 7,
    now: () => clock.t,
    sleep: async (ms) => {
      slept.push(ms);
    },
    ...options,
  });
  /** @param {string} method @param {string} path @param {unknown} [body] @param {Record<string,string>} [headers] */
  const call = async (method, path, body, headers = AUTH) => {
    const r = await sim.handle({ method, url: `${BASE}${path}`, headers, body: body === undefined ? '' : typeof body === 'string' ? body : JSON.stringify(body) });
    let parsed = null;
    try {
      parsed = r.body ? JSON.parse(r.body) : null;
    } catch {
      parsed = null; // HTML error pages
    }
    return { ...r, json: parsed };
  };
  return { sim, clock, slept, call };
}

/** A promise with its resolve function, to hold calls in flight. */
export function gate() {
  /** @type {() => void} */
  let open = () => {};
  const promise = new Promise((r) => (open = () => r(undefined)));
  return { promise, open };
}
