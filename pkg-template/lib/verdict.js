// Builds the verdict object of `classify` from the wasm core's compact answer
// (src/wasm/classify.rs): decoding only, every decision is made in the core.
// `records` is materialised on first access and cached; each record's `details` is
// parsed from its span of the body on first access. Both read like plain data
// properties (enumerable, assignable, included by JSON.stringify and spreading).

/** "No value" in a record row. */
const NONE = 0xffffffff;
/** Columns per record row; must match FIELDS in src/wasm/classify.rs. */
const FIELDS = 10;

let decoder;

function slice(source, start, end) {
  if (typeof source === 'string') return source.slice(start, end);
  decoder ??= new TextDecoder();
  return decoder.decode(source.subarray(start, end));
}

function dataProperty(target, key, value) {
  Object.defineProperty(target, key, { value, writable: true, enumerable: true, configurable: true });
  return value;
}

function lazy(target, key, compute) {
  Object.defineProperty(target, key, {
    enumerable: true,
    configurable: true,
    get() {
      return dataProperty(this, key, compute());
    },
    set(value) {
      dataProperty(this, key, value);
    },
  });
}

function materialise(rows, strings, source) {
  const count = rows.length / FIELDS;
  const records = new Array(count);
  for (let i = 0; i < count; i++) {
    const b = i * FIELDS;
    const start = rows[b + 8];
    const end = rows[b + 9];
    const record = {
      index: rows[b],
      ok: rows[b + 1] === 1,
      code: strings[rows[b + 2]],
      message: strings[rows[b + 3]],
      details: undefined,
      id: rows[b + 4] === NONE ? null : strings[rows[b + 4]],
      action: rows[b + 5] === NONE ? null : strings[rows[b + 5]],
      category: strings[rows[b + 6]],
      retry: strings[rows[b + 7]],
    };
    if (start === NONE) record.details = {};
    else lazy(record, 'details', () => JSON.parse(slice(source, start, end)));
    records[i] = record;
  }
  return records;
}

/**
 * @param {string} wire JSON `{ verdict, strings }` (the verdict without its records)
 * @param {Uint32Array} rows one row of FIELDS per record
 * @param {string | Uint8Array | null} source the body the details spans point into
 */
export function buildVerdict(wire, rows, source) {
  const { verdict, strings } = JSON.parse(wire);
  lazy(verdict, 'records', () => materialise(rows, strings, source));
  return verdict;
}
