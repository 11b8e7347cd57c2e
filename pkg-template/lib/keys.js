// Unknown keys in the client's options are refused, not ignored: a mistyped option
// (`maxAttemps`, `perpage`) silently did nothing. The error has the core's shape:
// INVALID_ARGUMENT, `details.suggestion` (the key most likely meant, or null),
// `details.api_name` (the key) and `details.json_path`. Same rule as the core's
// (src/error/suggest.rs): a case-insensitive match, else an optimal-string-alignment
// distance of at most 2.

import { guardError } from './errors.js';

/** Largest edit distance still called a near miss. */
const MAX_DISTANCE = 2;

/**
 * Throws INVALID_ARGUMENT for the first own key of `options` not in `known`.
 * `options` is what `readOptions` returned (a plain copy) or the caller's object.
 * @param {object | null | undefined} options
 * @param {readonly string[]} known
 * @param {string} field where the object is (`options`, `opts`)
 */
export function checkKeys(options, known, field) {
  if (options === null || typeof options !== 'object') return;
  let keys;
  try {
    keys = Object.keys(options);
  } catch {
    return; // a hostile Proxy: readOptions reports it where the options are read
  }
  for (const key of keys) {
    if (known.includes(key)) continue;
    const suggestion = closestKey(key, known);
    throw guardError(
      'INVALID_ARGUMENT',
      `unknown key \`${key.slice(0, 64)}\` in \`${field}\`${suggestion ? ` (did you mean \`${suggestion}\`?)` : ''}`,
      `${field}.${key.slice(0, 64)}`,
      { value: key.slice(0, 64), suggestion, api_name: key.slice(0, 64), json_path: `$.${key.slice(0, 64)}` },
    );
  }
}

/** The known key `key` most likely stands for, or null. */
export function closestKey(key, known) {
  const lower = key.toLowerCase();
  const same = known.find((k) => k.toLowerCase() === lower);
  if (same !== undefined) return same;
  if (key.length > 64) return null;
  let best = null;
  let bestDistance = MAX_DISTANCE + 1;
  for (const k of known) {
    const d = osaDistance(lower, k.toLowerCase());
    if (d < bestDistance) {
      best = k;
      bestDistance = d;
    }
  }
  return best;
}

/** Optimal-string-alignment distance (edits and adjacent transpositions cost one). */
export function osaDistance(a, b) {
  const rows = [new Array(b.length + 1).fill(0), Array.from({ length: b.length + 1 }, (_, j) => j), new Array(b.length + 1).fill(0)];
  for (let i = 1; i <= a.length; i++) {
    const [before, prev, cur] = rows;
    cur[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(prev[j - 1] + cost, prev[j] + 1, cur[j - 1] + 1);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) best = Math.min(best, before[j - 2] + 1);
      cur[j] = best;
    }
    rows.push(rows.shift());
  }
  return rows[1][b.length];
}
