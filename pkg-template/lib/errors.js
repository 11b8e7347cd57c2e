// The package's errors. Everything it throws, from the wasm core or from its
// JavaScript parts, is a real `Error` with `name: "ZcrmGuardError"`, a stable `code`
// and a `details` object.

/**
 * @param {unknown} error
 * @returns {error is import('../index.d.ts').ZcrmGuardError}
 */
export function isZcrmGuardError(error) {
  return (
    error instanceof Error &&
    error.name === 'ZcrmGuardError' &&
    typeof (/** @type {{code?: unknown}} */ (error).code) === 'string'
  );
}

/**
 * A ZcrmGuardError raised by the JavaScript parts, shaped as the core's.
 * @param {string} code
 * @param {string} message
 * @param {string | null} [field]
 * @param {Record<string, unknown>} [extra] more details
 */
export function guardError(code, message, field = null, extra = {}) {
  const e = /** @type {Error & { code: string, details: Record<string, unknown> }} */ (new Error(message));
  e.name = 'ZcrmGuardError';
  e.code = code;
  e.details = { field, value: null, size: null, limit: null, suggestion: null, api_name: null, json_path: null, ...extra };
  return e;
}

/** Reads `options` defensively: a getter or Proxy that throws becomes INVALID_ARGUMENT. */
export function readOptions(options, field = 'options') {
  if (options === undefined || options === null) return {};
  if (typeof options !== 'object' || Array.isArray(options)) {
    throw guardError('INVALID_ARGUMENT', `invalid argument \`${field}\`: expected an object, got ${Array.isArray(options) ? 'array' : typeof options}`, field);
  }
  try {
    return { ...options };
  } catch (e) {
    throw guardError('INVALID_ARGUMENT', `invalid argument \`${field}\`: cannot be read (${String(e?.message ?? e).slice(0, 200)})`, field);
  }
}
