// The Zoho CRM simulator (`@zcrm-guard/zoho-sim`): the pure core and its fetch front, which
// run anywhere (browser page, Worker, Node). The Node-only fronts are the `./server` and
// `./process` entry points; record generators are `./fixtures`, client wiring `./testing`.
export * from './simulator.mjs';
export { simulatorFetch } from './fetch.mjs';
export { mulberry32 } from './model/prng.mjs';
export { defaultFieldsMetadata, DUPLICATE_CHECK_FIELDS } from './model/fields.mjs';
