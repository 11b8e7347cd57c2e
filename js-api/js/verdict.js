// Builds the verdict object of `classify` from the wasm core's compact answer
// (js-api/src/interop/verdict.rs): decoding only, every decision is made in the core.
// `records` is materialised on first access and cached; it is an enumerable,
// assignable accessor, so JSON.stringify and spreading see it; the records are plain
// objects.

/** "No value" in a record row. */
const NONE = 0xffffffff;
/** Columns per record row; must match FIELDS in js-api/src/interop/verdict.rs. */
const FIELDS = 10;

let decoder;

function slice(source, start, end) {
  if (typeof source === 'string') return source.slice(start, end);
  decoder ??= new TextDecoder();
  return decoder.decode(source.subarray(start, end));
}

// Records are plain data objects: accessors per record cost more than parsing every
// `details` at once, which is one JSON.parse of the spans joined into an array.
function materialise(rows, strings, source) {
  const count = rows.length / FIELDS;
  const parts = new Array(count);
  for (let i = 0; i < count; i++) {
    const b = i * FIELDS;
    parts[i] = rows[b + 8] === NONE ? '{}' : slice(source, rows[b + 8], rows[b + 9]);
  }
  const details = count === 0 ? [] : JSON.parse(`[${parts.join(',')}]`);
  const records = new Array(count);
  for (let i = 0; i < count; i++) {
    const b = i * FIELDS;
    records[i] = {
      index: rows[b],
      ok: rows[b + 1] === 1,
      code: strings[rows[b + 2]],
      message: strings[rows[b + 3]],
      details: details[i],
      id: rows[b + 4] === NONE ? null : strings[rows[b + 4]],
      action: rows[b + 5] === NONE ? null : strings[rows[b + 5]],
      category: strings[rows[b + 6]],
      retry: strings[rows[b + 7]],
    };
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
  return verdictOf(verdict, rows, strings, source);
}

/**
 * The decision of the Guard's `settle`: its verdict built as `buildVerdict` builds one.
 * @param {string} wire JSON `{ decision, strings }` (the decision's verdict without its records)
 * @param {Uint32Array} rows one row of FIELDS per record
 * @param {string | Uint8Array | null} source the body the details spans point into
 */
export function buildDecision(wire, rows, source) {
  const { decision, strings } = JSON.parse(wire);
  decision.verdict = verdictOf(decision.verdict, rows, strings, source);
  return decision;
}

function verdictOf(v, rows, strings, source) {
  let records;
  // Every field of the verdict in order; `records` (sent empty) becomes an accessor
  // in place. A literal is cheaper than defineProperty on the parsed object.
  return {
    ...v,
    get records() {
      return (records ??= materialise(rows, strings, source));
    },
    set records(value) {
      records = value;
    },
  };
}
