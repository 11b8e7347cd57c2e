// A minimal assertion helper that runs unchanged in Node, workerd and browsers
// (node:assert is not available everywhere). Every failure throws an Error whose
// message says what differed.

function show(v) {
  try {
    return JSON.stringify(v);
  } catch {
    return String(v);
  }
}

function sameJson(a, b) {
  return show(a) === show(b);
}

export const t = {
  ok(value, message = 'expected a truthy value') {
    if (!value) throw new Error(`${message}: got ${show(value)}`);
  },
  equal(actual, expected, message = '') {
    if (!Object.is(actual, expected)) {
      throw new Error(`${message} expected ${show(expected)}, got ${show(actual)}`.trim());
    }
  },
  deepEqual(actual, expected, message = '') {
    if (!sameJson(actual, expected)) {
      throw new Error(`${message} expected ${show(expected)}, got ${show(actual)}`.trim());
    }
  },
  /** Asserts that fn throws a ZcrmGuardError with the given code; returns the error. */
  throwsCode(fn, code, message = '') {
    let caught;
    try {
      fn();
    } catch (e) {
      caught = e;
    }
    if (caught === undefined) throw new Error(`${message} expected ${code} to be thrown, nothing was`.trim());
    if (!(caught instanceof Error) || caught.name !== 'ZcrmGuardError' || caught.code !== code) {
      throw new Error(`${message} expected ZcrmGuardError ${code}, got ${caught && caught.name} ${caught && caught.code}: ${caught && caught.message}`.trim());
    }
    return caught;
  },
};
