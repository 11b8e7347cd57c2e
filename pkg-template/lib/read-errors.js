// The error a read throws when its request ends on a failure. Only documented codes
// are thrown (see errorCodes()): Zoho's own code (SYNTAX_ERROR, REQUIRED_PARAM_MISSING,
// INVALID_TOKEN, …) and the transport's (NETWORK_ERROR, TIMEOUT) go in
// `details.zoho = { code, status, message, details }`, so a caller's `switch (e.code)`
// is over a closed set and Zoho's reason is still one property away.

import { guardError } from './errors.js';

/**
 * @param {{ decision: any, response: { status?: number } | null | undefined }} r the
 *   final decision of a request and its response (null: the client's own failure)
 */
export function readError(r) {
  const { decision } = r;
  const err = decision?.verdict?.error ?? null;
  const status = r.response?.status ?? 0;
  const base = { status, reason: decision?.reason ?? null, category: decision?.verdict?.category ?? 'unknown' };
  if (decision?.reason === 'token_refresh_failed') {
    return guardError('TOKEN_REFRESH_FAILED', err?.message ?? 'the access token could not be refreshed', null, { ...base, zoho: null });
  }
  if (decision?.reason === 'client_error') {
    return guardError('CLIENT_ERROR', err?.message ?? 'the request failed in the caller\'s code', null, { ...base, zoho: null, cause: { code: err?.code ?? null, message: err?.message ?? '' } });
  }
  const zoho = { code: err?.code ?? `HTTP_${status}`, status, message: err?.message ?? '', details: err?.details ?? {} };
  if (status === 0) {
    return guardError('NO_RESPONSE', `no response from Zoho (${zoho.code}${zoho.message ? `: ${zoho.message}` : ''})`, null, { ...base, zoho });
  }
  return guardError('ZOHO_ERROR', `Zoho answered ${status} ${zoho.code}${zoho.message ? `: ${zoho.message}` : ''}`, null, { ...base, zoho });
}
