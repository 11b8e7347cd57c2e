// Node: the wasm is read and instantiated synchronously at import, so `init()` and
// `initSync()` are no-ops kept for a surface identical to the other runtimes.
export * from './node/zcrm_guard.js';
export * from './lib/index.js';

/** No-op: the module is ready at import. */
export default async function init() {}

/** No-op: the module is ready at import. */
export function initSync() {}
