// The peer of `classify`: what a user would write instead, in about forty lines of
// JavaScript: JSON.parse and a map of Zoho's codes (docs/zoho-sources.md §5) to a
// category and what to do, every record's ok, code, id and details read.
const CATEGORY = {
  SUCCESS: 'ok', DUPLICATE_DATA: 'duplicate', MANDATORY_NOT_FOUND: 'validation',
  INVALID_DATA: 'validation', REQUIRED_PARAM_MISSING: 'validation', INVALID_MODULE: 'not_found',
  INVALID_URL_PATTERN: 'not_found', LIMIT_EXCEEDED: 'limit', RECORD_LOCKED: 'locked',
  INVALID_TOKEN: 'auth', AUTHENTICATION_FAILURE: 'auth', OAUTH_SCOPE_MISMATCH: 'permission',
  NO_PERMISSION: 'permission', TOO_MANY_REQUESTS: 'rate_limit', INTERNAL_ERROR: 'server',
};
const RETRY = { locked: 'backoff', rate_limit: 'backoff', server: 'backoff', auth: 'refresh_token' };

function category(code, status) {
  if (CATEGORY[code]) return CATEGORY[code];
  if (status === 429) return 'rate_limit';
  return status >= 500 ? 'server' : 'unknown';
}

/** `{ outcome, httpStatus, category, retry, error, records }` of one reply given as text. */
export function classifyJs(status, headers, text) {
  let body = null;
  try {
    body = text ? JSON.parse(text) : null;
  } catch {
    // A proxy's HTML page: judged by its status alone.
  }
  const list = Array.isArray(body?.data) ? body.data : [];
  const records = list.map((r, index) => {
    const details = r.details ?? {};
    const cat = r.status === 'success' ? 'ok' : category(r.code, 0);
    return { index, ok: r.status === 'success', code: r.code, message: r.message, details, id: details.id ?? null, category: cat, retry: RETRY[cat] ?? 'none' };
  });
  const failed = records.filter((r) => !r.ok).length;
  const whole = status >= 400 && !list.length ? category(body?.code, status) : null;
  const error = whole ? { code: body?.code ?? `HTTP_${status}`, message: body?.message ?? '', category: whole, retry: RETRY[whole] ?? 'none' } : null;
  const outcome = error || (failed && failed === records.length) ? 'failure' : failed ? 'partial' : 'success';
  const credits = headers['x-api-credits-remaining'];
  return {
    outcome, httpStatus: status, error, records,
    category: error ? error.category : outcome === 'partial' ? 'partial' : records.find((r) => !r.ok)?.category ?? 'ok',
    retry: error ? error.retry : 'none',
    credits: credits === undefined ? null : { remaining: Number(credits) },
  };
}
