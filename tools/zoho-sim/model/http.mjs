// Zoho's reply envelopes (JSON, error objects, the gateway's HTML pages) and the parsing of
// the request parts every handler needs. Pure helpers, no simulator state.

/**
 * @typedef {{ method: string, url: string, headers?: Record<string, string> | Headers, body?: string | null,
 *   receivedAt?: number }} SimRequest  receivedAt (the simulator's clock): when the request arrived; the
 *   latency counts from it, so the simulator's own work does not lengthen a reply
 * @typedef {{ status: number, headers: Record<string, string>, body: string,
 *   drop?: 'before' | 'after', truncateAt?: number }} SimResponse
 */

/** @param {number} status @param {unknown} body @returns {SimResponse} */
export const json = (status, body, extra = {}) => ({
  status,
  headers: { 'content-type': 'application/json;charset=UTF-8', ...extra },
  body: JSON.stringify(body),
});

/** Zoho's error object. @param {string} code @param {string} message */
export const err = (code, message, details = {}) => ({
  code,
  details,
  message,
  status: 'error',
});

/** The HTML page Zoho's gateway answers 502/503 with. @param {number} status @param {string} title */
export const html = (status, title) => ({
  status,
  headers: { 'content-type': 'text/html' },
  body: `<html><head><title>${status} ${title}</title></head><body><center><h1>${status} ${title}</h1></center><hr><center>ZGS</center></body></html>`,
});

/** An empty result (no records) is a 204 without a body. @returns {SimResponse} */
export const EMPTY_204 = () => ({ status: 204, headers: {}, body: '' });

/** 404 for a path outside the API. */
export const invalidUrl = () => json(404, err('INVALID_URL_PATTERN', 'Please check if the URL trying to access is a correct one'));

/** @param {Record<string, string> | Headers | undefined} h @returns {Record<string, string>} */
export function lowerHeaders(h) {
  /** @type {Record<string, string>} */
  const out = {};
  if (!h) return out;
  const entries = typeof (/** @type {any} */ (h).entries) === 'function' && !(h.constructor === Object) ? /** @type {Headers} */ (h).entries() : Object.entries(h);
  for (const [k, v] of entries) out[k.toLowerCase()] = String(v);
  return out;
}

/** @param {unknown} body @returns {{ value?: any, error?: SimResponse }} */
export function parseBody(body) {
  if (body && typeof body === 'object') return { value: body };
  try {
    return { value: JSON.parse(String(body ?? '')) };
  } catch {
    return { error: json(400, err('JSON_PARSE_ERROR', 'body is not a valid JSON', {})) };
  }
}

/** ISO 8601 with an explicit offset, as Zoho prints times. @param {number} ms */
export function isoTime(ms) {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, '+00:00');
}
