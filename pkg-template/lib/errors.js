// The type guard of the package's errors. Every error the wasm core throws is a real
// `Error` with `name: "ZcrmGuardError"`, a stable `code` and a `details` object.

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
