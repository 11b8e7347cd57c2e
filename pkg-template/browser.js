// Browsers and bundlers: the wasm is fetched (or bundled) next to this file, so
// instantiation is asynchronous: `await init()` once before the first call.
// `initSync({ module })` instantiates from bytes or a compiled module instead.
export { default, initSync } from './web/zcrm_guard.js';
export * from './web/zcrm_guard.js';
export * from './lib/index.js';
