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
  // The engine's fast path first: a non-finite number becomes `null`, so only a text
  // with `null` in it is read again with the checking replacer (which is several
  // times slower on every call's operation and options).
  const text = JSON.stringify(value);
  if (typeof text !== 'string' || !text.includes('null')) return text;
  return JSON.stringify(value, finiteOnly);
}

function finiteOnly(key, v) {
  if (typeof v === 'number' && !Number.isFinite(v)) {
    throw new RangeError(`${key ? `"${key}" is` : 'value is'} ${v}, not a finite number`);
  }
  return v;
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

/**
 * `headerList` as one JSON text of strings (`[name, value, …]`), so that the headers
 * cross into wasm as one string, not one per name and value. Each name and value must
 * be a string of at most `maxName` / `maxValue` UTF-16 units, or an integer (taken as
 * its decimal text); throws otherwise.
 * @param {object} headers
 * @param {number} max most pairs read
 * @param {number} maxName longest name
 * @param {number} maxValue longest value
 * @returns {string}
 */
export function headerText(headers, max, maxName, maxValue) {
  const flat = headerList(headers, max);
  for (let i = 0; i < flat.length; i++) {
    const v = flat[i];
    const limit = i % 2 === 0 ? maxName : maxValue;
    const where = `header ${(i - (i % 2)) / 2} ${i % 2 === 0 ? 'name' : 'value'}`;
    if (typeof v === 'number') {
      if (!Number.isSafeInteger(v)) throw new TypeError(`${where}: expected a string or an integer`);
      flat[i] = String(v);
    } else if (typeof v !== 'string') {
      throw new TypeError(`${where}: expected a string, got ${v === null ? 'null' : typeof v}`);
    } else if (v.length > limit) {
      throw new RangeError(`${where} of ${v.length} characters exceeds ${limit}`);
    }
  }
  return JSON.stringify(flat);
}
