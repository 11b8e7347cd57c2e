// Shared support of the client suites: a simulator server per test, a client wired to
// it (the package's own createClient, over real HTTP on 127.0.0.1), and tallies.
import * as zg from '../../pkg/node.js';
import { startSimulatorServer } from '@zcrm-guard/zoho-sim/server';
import { makeLeads } from '@zcrm-guard/zoho-sim/fixtures';
import { clientFor } from '@zcrm-guard/zoho-sim/testing';

export { zg, makeLeads, clientFor };

/**
 * Runs `fn({ server, client, events, refreshes })` against a fresh simulator, closed after.
 * @param {object} simOptions the simulator's options
 * @param {{ edition?: string, options?: object }} [clientExtra] options of `createClient`
 */
export async function withSim(simOptions, clientExtra, fn) {
  const server = await startSimulatorServer({ seed: 1, edition: 'enterprise', latencyMs: 1, ...simOptions });
  try {
    const wired = clientFor(server, zg, { edition: simOptions.edition ?? 'enterprise', ...clientExtra });
    return await fn({ server, ...wired });
  } finally {
    await server.close();
  }
}

/** Results counted by `ok code reason`. */
export function tally(results) {
  const by = {};
  for (const r of results) {
    const k = `${r.ok} ${r.code} ${r.reason}`;
    by[k] = (by[k] ?? 0) + 1;
  }
  return by;
}

/** Valid leads (no invalid ones): `n` records with unique e-mails. */
export function validLeads(n, prefix = 'lead') {
  return makeLeads(n, { invalidEvery: 1e9 }).map((l, i) => ({ ...l, Email: `${prefix}${i}@example.com` }));
}
