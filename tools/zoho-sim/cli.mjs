#!/usr/bin/env node
// Manual use: node tools/zoho-sim/cli.mjs --port 8787 --edition standard --seed 1 [--latency 50]
//   [--faults 0.1] [--token-ttl-ms 3600000] [--no-auth]
import { parseArgs } from 'node:util';
import { startSimulatorServer } from './server.mjs';
import { FAULT_KINDS } from './simulator.mjs';

const { values: a } = parseArgs({
  options: {
    port: { type: 'string', default: '8787' },
    host: { type: 'string', default: '127.0.0.1' },
    edition: { type: 'string', default: 'standard' },
    licenses: { type: 'string', default: '1' },
    seed: { type: 'string', default: '1' },
    latency: { type: 'string', default: '0' },
    faults: { type: 'string', default: '0' },
    'token-ttl-ms': { type: 'string' },
    'no-auth': { type: 'boolean', default: false },
    help: { type: 'boolean', default: false },
  },
});
if (a.help) {
  console.log('node tools/zoho-sim/cli.mjs --port 8787 --edition standard --seed 1 [--licenses 1] [--latency ms] [--faults rate] [--token-ttl-ms ms] [--no-auth]');
  process.exit(0);
}
const rate = Number(a.faults);
// Every kind but `slow`, as the README says.
const kinds = FAULT_KINDS.filter((k) => k !== 'slow');
const faults = Object.fromEntries(kinds.map((k) => [k, rate / kinds.length]));
const { url, sim, close } = await startSimulatorServer({
  port: Number(a.port),
  host: a.host,
  edition: /** @type {any} */ (a.edition),
  licenses: Number(a.licenses),
  seed: Number(a.seed),
  latencyMs: Number(a.latency),
  faults: { ...faults, slow: 0 }, // slow replies would only stall a person at a terminal
  tokenTtlMs: a['token-ttl-ms'] ? Number(a['token-ttl-ms']) : undefined,
  auth: !a['no-auth'],
});
console.log(`Zoho CRM simulator (${a.edition}, seed ${a.seed}) at ${url}`);
console.log(`  access token: sim-access-0   refresh token: sim-refresh-token   POST ${url}/oauth/v2/token`);
console.log(`  try: curl -H 'Authorization: Zoho-oauthtoken sim-access-0' '${url}/crm/v8/settings/fields?module=Leads'`);
const stop = async () => {
  console.log(JSON.stringify(sim.stats()));
  await close();
  process.exit(0);
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
