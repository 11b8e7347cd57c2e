// Helpers the wasm bindings import (a wasm-bindgen snippet): reading JS arguments as
// JSON text inside a caught call, so no caller-supplied getter or Proxy ever runs with
// wasm frames on the stack.

/**
 * `JSON.stringify` that refuses what JSON would silently change: non-finite numbers
 * (they would become `null`). Cycles, BigInts and throwing getters throw as usual.
 * @param {unknown} value
 * @returns {string}
 */
export function strictJson(value) {
  return JSON.stringify(value, (key, v) => {
    if (typeof v === 'number' && !Number.isFinite(v)) {
      throw new RangeError(`${key ? `"${key}" is` : 'value is'} ${v}, not a finite number`);
    }
    return v;
  });
}
