// The demo's one adapter to the package: everything the page uses from zcrm-guard goes
// through here.
import init, * as api from '/pkg/browser.js';

await init();

/** The package's namespace. */
export const core = api;

/** `createClient(options)`. */
export const createClient = api.createClient;

/** What the simulated job needs and the package does not have yet (empty once merged). */
export const missing = [
  ['Guard', api.Guard],
  ['validateRecords', api.validateRecords],
  ['planBatches', api.planBatches],
  ['createClient', createClient],
  ['fetchTransport', core.fetchTransport],
]
  .filter(([, v]) => typeof v !== 'function')
  .map(([name]) => name);

/** The GraphQL analyser, or null while it is not in the package. */
export const analyzeGraphql = typeof api.analyzeGraphql === 'function' ? api.analyzeGraphql : null;

export const { editionLimits, creditCost, operationLimits, dataCenters, isZcrmGuardError } = api;
