// OAuth: the accounts server's token endpoint (refresh grant, throttled per refresh token)
// and the access-token check every API call goes through.
import { REFRESHES_PER_10_MIN } from '../model/limits.mjs';
import { json, err } from '../model/http.mjs';

/** @typedef {import('../simulator.mjs').ZohoSimulator} ZohoSimulator */

/** `POST /oauth/v2/token` (form or query). @param {ZohoSimulator} sim @param {string} method @param {URL} url @param {string} body */
export function tokenEndpoint(sim, method, url, body) {
  const o = sim.options;
  const p = new URLSearchParams(url.search);
  for (const [k, v] of new URLSearchParams(body)) p.set(k, v);
  if (method !== 'POST') return json(405, { error: 'invalid_request' });
  const fail = (/** @type {string} */ error) => {
    sim.counters.tokenRefreshFailures++;
    return json(200, { error }); // the token endpoint answers errors with 200 (§8)
  };
  if (p.get('grant_type') !== 'refresh_token') return fail('unsupported_grant_type');
  if (o.clientId !== undefined && p.get('client_id') !== o.clientId) return fail('invalid_client');
  if (o.clientSecret !== undefined && p.get('client_secret') !== o.clientSecret) return fail('invalid_client');
  if (p.get('refresh_token') !== (o.refreshToken ?? 'sim-refresh-token')) return fail('invalid_code');
  const now = sim.now();
  sim.refreshTimes = sim.refreshTimes.filter((t) => t > now - 600_000);
  if (sim.refreshTimes.length >= (o.refreshLimitPer10Min ?? REFRESHES_PER_10_MIN)) {
    sim.counters.tokenRefreshFailures++;
    // Zoho's throttle page (sources §8 "Refresh-token rate limit"; the payload is unverified).
    return json(400, {
      error_description: 'You have made too many requests continuously. Please try again after some time.',
      error: 'Access Denied',
      status: 'failure',
    });
  }
  sim.refreshTimes.push(now);
  sim.refreshLog.push(now);
  const token = `sim-access-${++sim.tokenSeq}`;
  sim.tokens.set(token, now + sim.tokenTtl());
  sim.counters.tokenRefreshes++;
  return json(200, {
    access_token: token,
    scope: o.coqlScope === false ? 'ZohoCRM.modules.ALL ZohoCRM.settings.fields.READ' : 'ZohoCRM.modules.ALL ZohoCRM.settings.fields.READ ZohoCRM.coql.READ',
    api_domain: sim.apiDomain,
    token_type: 'Bearer',
    expires_in: Math.round(sim.tokenTtl() / 1000),
  });
}

/**
 * The 401 for a call without a valid access token, or null. An expired token is forgotten.
 * @param {ZohoSimulator} sim @param {Record<string, string>} headers lower-cased names
 */
export function authFailure(sim, headers) {
  const auth = headers.authorization ?? '';
  const token = /^Zoho-oauthtoken\s+(\S+)$/i.exec(auth)?.[1];
  if (!token) return json(401, err('AUTHENTICATION_FAILURE', 'Authentication failed'));
  const exp = sim.tokens.get(token);
  if (exp === undefined || exp <= sim.now()) {
    sim.tokens.delete(token);
    sim.counters.invalidToken++;
    return json(401, err('INVALID_TOKEN', 'invalid oauth token'));
  }
  return null;
}
