// Shared helpers of the simulator tests.
import { ZohoSimulator } from '../../tools/zoho-sim/simulator.mjs';

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

/** `n` valid leads with unique emails, tagged by `tag`. */
export function leads(n, tag = 'l') {
  return Array.from({ length: n }, (_, i) => ({ Last_Name: `Lead ${tag}${i}`, Email: `${tag}${i}@example.com` }));
}

/** A promise with its resolve function, to hold calls in flight. */
export function gate() {
  /** @type {() => void} */
  let open = () => {};
  const promise = new Promise((r) => (open = () => r(undefined)));
  return { promise, open };
}
