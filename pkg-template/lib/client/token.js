// The token: one refresh at a time, when the Guard says. Zoho lets a refresh token
// mint 10 access tokens per 10 minutes (OAUTH) and blocks it for minutes after that,
// so the client never refreshes on its own schedule: it refreshes after the delay the
// Guard gives (`refresh_token` decisions, `admit`'s `refresh: true` with `waitMs`),
// and tells the Guard of every failure (`tokenRefreshFailed`), whose answer says
// whether to try again later (every call then waits) or to give up for good.

import { guardError } from '../errors.js';
import { redact } from '../transports.js';
import { defaultSleep } from './scheduler.js';

/**
 * A token living less than this is not announced to the Guard with its lifetime: it is
 * used until Zoho rejects it (one 401, no credits), then refreshed. Refreshing at half
 * its life (the Guard's margin) would spend Zoho's 10 tokens per 10 minutes in 10 half
 * lives: under 2 minutes a job would then sit out the rest of the window.
 */
const SHORT_TOKEN_MS = 120_000;
/** `expires_in` above this is ms, not s (legacy responses; the core reads it alike). */
const EXPIRES_IN_MS_THRESHOLD = 100_000;

/** Longest wait a timer holds (2^31 - 1 ms). */
const MAX_WAIT_MS = 2_147_483_647;
/** Backoff of a failed refresh when the Guard cannot decide (a facade without `tokenRefreshFailed`). */
const FALLBACK_BACKOFF_MS = 1_000;
const FALLBACK_MAX_MS = 60_000;

export class TokenRefresh {
  #client;
  #refreshing = null;
  #failure = null;
  #fallbackFailures = 0;
  /** The Guard's token generation after our last refresh, and the newest one a call succeeded with. */
  #generation = 0;
  #workedAt = -1;

  /** @param {object} client the client's shared state (options, guard, emit, scheduler) */
  constructor(client) {
    this.#client = client;
  }

  /** Why the token cannot be refreshed any more (TOKEN_REFRESH_FAILED), or null. */
  get failure() {
    return this.#failure;
  }

  /** Whether a refresh is under way (or waiting for its turn). */
  get running() {
    return this.#refreshing !== null;
  }

  /**
   * One refresh at a time, after `delayMs` (the Guard's wait): every caller shares it.
   * Resolves once the Guard knows the new token; rejects when it failed, for now (the
   * Guard then holds every call until the next refresh may go) or for good (`failure`).
   */
  refresh(delayMs = 0) {
    if (this.#failure) return Promise.reject(this.#failure);
    if (this.#refreshing) return this.#refreshing;
    const { o } = this.#client;
    if (typeof o.refreshAccessToken !== 'function') {
      this.#failure = guardError('TOKEN_REFRESH_FAILED', 'the access token expired and no refreshAccessToken was given', 'options.refreshAccessToken');
      return Promise.reject(this.#failure);
    }
    this.#refreshing = this.#run(delayMs).finally(() => {
      this.#refreshing = null;
      this.#client.scheduler.wakeAll();
    });
    return this.#refreshing;
  }

  async #run(delayMs) {
    const { o, guard } = this.#client;
    // Always a macrotask first, even at 0: a synchronous refresh function must not
    // turn the loop into a chain of microtasks that starves timers and signals.
    await sleepUnref(o, Math.min(Math.max(0, Number(delayMs) || 0), MAX_WAIT_MS));
    this.#client.emit({ type: 'token_refresh' });
    let failure = null;
    let res;
    try {
      res = await o.refreshAccessToken();
      if (res && typeof res === 'object' && res.error) {
        failure = { error: String(res.error), status: Number(res.status) || 200, message: res.error_description ? String(res.error_description) : undefined };
      }
    } catch (e) {
      failure = {
        error: typeof e?.error === 'string' ? e.error : undefined,
        status: Number(e?.status) || 0,
        message: String(e?.message ?? e),
        permanent: e?.permanent === true,
      };
    }
    if (!failure) {
      // Only the expiry metadata reaches the Guard; the token stays with the caller.
      const tokenResponse = res && typeof res === 'object' ? lifetimeOf(res) : null;
      const status = guard.tokenRefreshed(o.now(), tokenResponse);
      if (Number.isFinite(status?.generation)) this.#generation = status.generation;
      this.#fallbackFailures = 0;
      return;
    }
    const { permanent, ...told } = failure;
    const d = this.#decide(told, permanent);
    const text = redact([told.error, told.message].filter(Boolean).join(': '));
    this.#client.emit({ type: 'token_refresh_failed', attempt: d.failures, error: text, action: d.action, reason: d.reason, delayMs: d.delayMs });
    if (d.action === 'give_up') {
      this.#failure = guardError('TOKEN_REFRESH_FAILED', `the access token could not be refreshed: ${text}`, 'options.refreshAccessToken', { reason: d.reason });
      throw this.#failure;
    }
    if (d.waitHere) await sleepUnref(o, d.delayMs);
    throw guardError('TOKEN_REFRESH_FAILED', `the token refresh failed for now (${d.reason}); the next one goes in ${d.delayMs} ms`, null, { reason: d.reason, retry: true });
  }

  /** A call sent with token `generation` got a 2xx: that token worked. */
  worked(generation) {
    if (Number.isFinite(generation)) this.#workedAt = Math.max(this.#workedAt, generation);
  }

  /**
   * After a patient call's `token_rejected` (a 401 again after a replay): what to do.
   * A newer token exists: `replay`. The rejected token, or the one before it, worked:
   * the refresh hands out tokens Zoho accepts, so this one expired (a short-lived token
   * can expire before any call made with it has come back ok): `refresh`, after the
   * refresh-token rate limit (`delayMs`). Two tokens in a row Zoho never accepted: null
   * (the rejection is final: wrong data centre, scope, a revoked grant, or a
   * `getAccessToken` that does not return the refreshed token).
   */
  afterRejection(generation) {
    if (!Number.isFinite(generation)) return null;
    if (generation < this.#generation) return { replay: true, delayMs: 0 };
    // Measured: at 50% faults with 2 s tokens, 184 upserts ended INVALID_TOKEN (147 of
    // them written) when only the rejected token itself counted.
    if (this.#workedAt < generation - 1) return null;
    const { o, guard } = this.#client;
    let delayMs = 0;
    try {
      delayMs = guard.snapshot(o.now())?.token?.refreshWaitMs ?? 0;
    } catch {
      // A facade without the token figures: the Guard's admit still paces the calls.
    }
    return { replay: false, delayMs };
  }

  /** The Guard's decision on a failed refresh (or the client's own, for a facade without it). */
  #decide(failure, permanent) {
    const { o, guard } = this.#client;
    const d = typeof guard.tokenRefreshFailed === 'function' ? guard.tokenRefreshFailed(o.now(), failure) : null;
    if (permanent) return { ...(d ?? { failures: 1, delayMs: 0 }), action: 'give_up', reason: 'token_revoked' };
    if (d) return d;
    this.#fallbackFailures++;
    const delayMs = Math.min(FALLBACK_MAX_MS, FALLBACK_BACKOFF_MS * 2 ** (this.#fallbackFailures - 1));
    return { action: 'retry', reason: 'unknown_response', delayMs, failures: this.#fallbackFailures, waitHere: true };
  }
}

/** What the Guard is told of a new token: its domain, and its lifetime unless it is short. */
function lifetimeOf(res) {
  const sec = Number(res.expires_in_sec);
  const raw = Number(res.expires_in);
  const ms = Number.isFinite(sec) ? sec * 1000 : Number.isFinite(raw) ? (raw > EXPIRES_IN_MS_THRESHOLD ? raw : raw * 1000) : null;
  if (ms !== null && ms < SHORT_TOKEN_MS) return { api_domain: res.api_domain };
  return { expires_in: res.expires_in, expires_in_sec: res.expires_in_sec, api_domain: res.api_domain };
}

/** A wait that does not keep a Node process alive on its own (the caller's sleep when given). */
function sleepUnref(o, ms) {
  if (o.sleep !== defaultSleep) return o.sleep(ms);
  return new Promise((resolve) => {
    const id = setTimeout(resolve, ms);
    if (ms > 0) id?.unref?.();
  });
}
