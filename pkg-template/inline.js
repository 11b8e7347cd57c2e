// `zcrm-guard/inline`: the browser entry with the wasm inside the JavaScript (base64,
// about a third larger than the .wasm), for what cannot serve the separate .wasm file:
// bundlers that leave `new URL('zcrm_guard_bg.wasm', import.meta.url)` unresolved
// (esbuild, Rollup) and Zoho-hosted widgets (`zet pack` drops .wasm files).
// Same surface as the browser entry; `init()` with no argument needs no fetch.
export * from './browser.js';

import initFrom, { initSync as initSyncFrom } from './browser.js';
import wasmBase64 from './web/wasm_base64.js';

/** @returns {Uint8Array} the wasm module's bytes */
function wasmBytes() {
  if (typeof Uint8Array.fromBase64 === 'function') return Uint8Array.fromBase64(wasmBase64);
  const text = atob(wasmBase64);
  const bytes = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i);
  return bytes;
}

let ready;

/** Instantiates the inlined wasm (once); an argument loads that module instead, as in the browser entry. */
export default function init(input) {
  if (input !== undefined) return initFrom(input);
  if (!ready) {
    ready = initFrom({ module_or_path: wasmBytes() });
    ready.catch(() => {
      ready = undefined;
    });
  }
  return ready;
}

/** Instantiates the inlined wasm synchronously; an argument loads that module instead. */
export function initSync(input) {
  return initSyncFrom(input === undefined ? { module: wasmBytes() } : input);
}
