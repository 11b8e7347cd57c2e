// Browsers and bundlers: the wasm is fetched (or bundled) next to this file, so
// instantiation is asynchronous: `await init()` once before the first call.
// `initSync({ module })` instantiates from bytes or a compiled module instead.
export { default, initSync } from './web/zcrm_guard.js';
export * from './web/zcrm_guard.js';
export * from './lib/index.js';

import * as core from './web/zcrm_guard.js';
import * as lib from './lib/index.js';
import { bindClient } from './lib/client.js';
import { factsFrom } from './lib/facts.js';

// The transports read the Zoho facts (code statuses) from this entry's core, at first use.
factsFrom(core.zohoFacts);

/** The client: the fetch loop that obeys the Guard (see types/client.d.ts). */
export const createClient = bindClient({ ...core, ...lib });
