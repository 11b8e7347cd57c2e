// Cloudflare Workers (workerd): the runtime imports a `.wasm` file as a compiled
// `WebAssembly.Module` (wrangler's CompiledWasm rule), so instantiation is
// synchronous at import and `init()` is a no-op.
import wasmModule from './web/zcrm_guard_bg.wasm';
import { initSync } from './web/zcrm_guard.js';

initSync({ module: wasmModule });

export { initSync } from './web/zcrm_guard.js';
export * from './web/zcrm_guard.js';
export * from './lib/index.js';

/** No-op: the module is ready at import. */
export default async function init() {}
