// The token: one refresh at a time, tried again after a short backoff when the token
// endpoint fails (it is a network call like any other).

import { guardError } from '../errors.js';
import { redact } from '../transports.js';

/** Tries of one token refresh before the client gives up (the endpoint can fail like any call). */
const REFRESH_ATTEMPTS = 4;
/** First pause between refresh tries, doubled each time. */
const REFRESH_BACKOFF_MS = 250;

export class TokenRefresh {
  #client;
  #refreshing = null;
  #failure = null;

  /** @param {object} client the client's shared state (options, guard, emit) */
  constructor(client) {
    this.#client = client;
  }

  /** Why the token cannot be refreshed any more (TOKEN_REFRESH_FAILED), or null. */
  get failure() {
    return this.#failure;
  }

  /** Whether a refresh is under way. */
  get running() {
    return this.#refreshing !== null;
  }

  /**
   * One refresh at a time: every caller waits for the same one. A refresh that fails
   * is tried again after a short backoff, up to REFRESH_ATTEMPTS; after that the client
   * stops sending and every queued call ends with TOKEN_REFRESH_FAILED instead of
   * waiting forever.
   */
  refresh() {
    const { o, guard } = this.#client;
    if (this.#failure) return Promise.reject(this.#failure);
    if (!this.#refreshing) {
      if (typeof o.refreshAccessToken !== 'function') {
        this.#failure = guardError('TOKEN_REFRESH_FAILED', 'the access token expired and no refreshAccessToken was given', 'options.refreshAccessToken');
        return Promise.reject(this.#failure);
      }
      this.#client.emit({ type: 'token_refresh' });
      this.#refreshing = (async () => {
        let last;
        for (let attempt = 1; attempt <= REFRESH_ATTEMPTS; attempt++) {
          try {
            const res = await o.refreshAccessToken();
            if (res && typeof res === 'object' && res.error) {
              throw guardError('TOKEN_REFRESH_FAILED', `the token endpoint answered ${redact(String(res.error))}`, null);
            }
            // Only the expiry metadata reaches the Guard; the token stays with the caller.
            const tokenResponse = res && typeof res === 'object' ? { expires_in: res.expires_in, expires_in_sec: res.expires_in_sec, api_domain: res.api_domain } : null;
            guard.tokenRefreshed(o.now(), tokenResponse);
            return;
          } catch (e) {
            last = e;
            this.#client.emit({ type: 'token_refresh_failed', attempt, error: redact(String(e?.message ?? e)) });
            if (attempt < REFRESH_ATTEMPTS) await o.sleep(REFRESH_BACKOFF_MS * 2 ** (attempt - 1));
          }
        }
        this.#failure = guardError('TOKEN_REFRESH_FAILED', `the access token could not be refreshed: ${redact(String(last?.message ?? last))}`, 'options.refreshAccessToken');
        throw this.#failure;
      })().finally(() => {
        this.#refreshing = null;
      });
    }
    return this.#refreshing;
  }
}
