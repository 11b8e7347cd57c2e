// Node: the wasm is read and instantiated synchronously at import, so `init()` and
// `initSync()` are no-ops kept for a surface identical to the other runtimes.
export * from './node/zcrm_guard.js';
export * from './lib/index.js';

import * as core from './node/zcrm_guard.js';
import * as lib from './lib/index.js';
import { bindClient } from './lib/client.js';
import { factsFrom } from './lib/facts.js';

// The transports read the Zoho facts (code statuses) from this entry's core, at first use.
factsFrom(core.zohoFacts);

/** The client: the fetch loop that obeys the Guard (see types/client.d.ts). */
export const createClient = bindClient({ ...core, ...lib });

/** No-op: the module is ready at import. */
export default async function init() {}

/** No-op: the module is ready at import. */
export function initSync() {}
