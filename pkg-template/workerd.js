// Cloudflare Workers (workerd): the runtime imports a `.wasm` file as a compiled
// `WebAssembly.Module` (wrangler's CompiledWasm rule), so instantiation is
// synchronous at import and `init()` is a no-op.
import wasmModule from './web/zcrm_guard_bg.wasm';
import { initSync } from './web/zcrm_guard.js';

initSync({ module: wasmModule });

export { initSync } from './web/zcrm_guard.js';
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

/** No-op: the module is ready at import. */
export default async function init() {}
