// The Zoho CRM simulator: the pure core and its two fronts. `server.mjs` needs Node; the
// core and the fetch front run anywhere (browser page, Worker, Node).
export * from './simulator.mjs';
export { simulatorFetch } from './fetch.mjs';
export { mulberry32 } from './prng.mjs';
export { defaultFieldsMetadata, DUPLICATE_CHECK_FIELDS } from './fields.mjs';
