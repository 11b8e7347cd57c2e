// The demo's one adapter to the package: everything the page uses from zcrm-guard goes
// through here, so the wiring to pieces still being merged is in one place.
//
// Today the package entries export the wasm core (catalog, and the Guard, validation,
// batching and GraphQL once merged) and the transports, but not yet `createClient`: the
// client lives in pkg/lib/client.js (`bindClient`). Once `pkg-template/lib/index.js`
// exports `createClient`, the `?? fallback` expressions below are dead and can go.
import init, * as api from '/pkg/browser.js';

const optional = async (path) => import(path).catch(() => ({}));
const [clientModule, transportModule] = await Promise.all([optional('/pkg/lib/client.js'), optional('/pkg/lib/transports.js')]);

await init();

/** The package's namespace, with the not-yet-exported transport filled in. */
export const core = { ...api, fetchTransport: api.fetchTransport ?? transportModule.fetchTransport };

/** `createClient(options)`, or null while the package lacks the Guard it obeys. */
export const createClient =
  api.createClient ?? (api.Guard && clientModule.bindClient && core.fetchTransport ? clientModule.bindClient(core) : null);

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
