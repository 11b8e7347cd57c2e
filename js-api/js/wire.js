// Helpers the wasm bindings import to read arguments (a wasm-bindgen snippet):
// conversion only, inside caught calls, so no caller-supplied getter or Proxy ever
// runs with wasm frames on the stack.

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

let encoder;

/**
 * `TextEncoder.encodeInto` for the wasm core (it copies a body into wasm memory at
 * native speed).
 * @param {string} text
 * @param {Uint8Array} dest
 * @returns {[number, number]} UTF-16 units read, bytes written
 */
export function encodeInto(text, dest) {
  encoder ??= new TextEncoder();
  const { read, written } = encoder.encodeInto(text, dest);
  return [read, written];
}

/**
 * A response's headers as a flat `[name, value, …]` array, for the wasm core:
 * from a `Headers` instance, a `Map` or any iterable of pairs, or a plain object.
 * Conversion only (the core checks the types); throws on a malformed entry.
 * @param {object} headers
 * @param {number} max most pairs read
 */
export function headerList(headers, max) {
  const entries = typeof headers[Symbol.iterator] === 'function' ? headers : Object.entries(headers);
  const out = [];
  for (const pair of entries) {
    if (out.length >= 2 * max) throw new RangeError(`more than ${max} headers`);
    if (!Array.isArray(pair)) throw new TypeError(`header ${out.length / 2} is not a [name, value] pair`);
    out.push(pair[0], pair[1]);
  }
  return out;
}
