// The scheduler: the admit/settle loop that sends units of work at the concurrency the
// Guard allows, the pause/wake machinery that lets every waiting loop ask again after
// any reply, and the send of one unit. A unit is `{ operation, attempts, request(),
// onDecision(decision, response) }`; `onDecision` returns the units to queue next.

import { redact } from '../transports.js';
import { guardError } from '../errors.js';
import { consultHook } from './decision-hook.js';
import { newStats, zohoError } from './results.js';

/** The pool a refusal reason closes for the rest of a scheduling pass. */
const POOL_OF_REFUSAL = { sub_concurrency: 'complex', graphql_concurrency: 'graphql' };
/** The reason a scheduling wait is cancelled with once it is over. */
const WAIT_OVER = 'wait over';

/** The client's sleep when none is given: a timer a signal can end early. */
export function defaultSleep(ms, signal) {
  return new Promise((resolve) => {
    const id = setTimeout(resolve, ms);
    signal?.addEventListener?.('abort', () => {
      clearTimeout(id);
      resolve();
    }, { once: true });
  });
}

export class Scheduler {
  #client;
  /**
   * The wake-ups of every running loop (a job's, and each lookup's or single call's
   * of its own): a reply anywhere changes what the Guard allows (a slot freed, a
   * breaker closed), so every waiting loop asks again instead of sleeping out a wait
   * the Guard named before.
   */
  #loops = new Set();

  /** @param {object} client the client's shared state (options, api, guard, transport, token, emit) */
  constructor(client) {
    this.#client = client;
  }

  /** Every waiting loop asks the Guard again (a reply came, a token was refreshed). */
  wakeAll() {
    for (const wake of this.#loops) wake();
  }

  /**
   * Runs one request to its final decision (retries, waits and refreshes included).
   * `job`: the write job a lookup or metadata fetch serves: it obeys the job's stops
   * (credits, deadline, signal) and its calls and credits count in the job's stats.
   */
  async single(operation, req, signal, job) {
    let final = null;
    const unit = {
      operation,
      attempts: 0,
      request: () => req,
      onDecision(d, response) {
        if (d.action === 'retry') return [{ ...unit, delayMs: d.delayMs }];
        if (d.action === 'refresh_token') return [{ ...unit, delayMs: d.delayMs, needsRefresh: true }];
        final = { decision: d, response };
        return [];
      },
    };
    await this.run([unit], { signal: signal ?? job?.signal ?? this.#client.o.signal, stats: job?.stats ?? newStats(0), job });
    if (!final) {
      const why = job?.stop.reason ?? 'aborted';
      throw guardError('ABORTED', `the request was stopped before it completed (${why})`, 'signal', { reason: why });
    }
    const { decision, response } = final;
    if (!response) throw zohoError({ decision, response: { status: 0 } });
    let body = response.body;
    if (typeof body === 'string') {
      try {
        body = body.length ? JSON.parse(body) : null;
      } catch {
        body = null;
      }
    }
    const ok = decision.action === 'done' && decision.verdict.outcome !== 'failure';
    return { ok, body, decision, response };
  }

  /**
   * Sends units at the concurrency the Guard allows: asks `admit` before every send,
   * `settle` after every reply, and queues what each decision returns. A write `job`
   * (`limits`, `stop`, `deadlineAt`, `halt`) stops when the credits are gone for longer
   * than it may wait, at its deadline, or on its signal; the deadline also aborts what
   * is in flight (its records end as the job's stop says).
   */
  async run(initial, { signal, stats, job }) {
    const { o, api, guard, token } = this.#client;
    /** Why this loop must stop now, or null. */
    const stopped = () => {
      if (!job) return signal?.aborted ? 'aborted' : null;
      if (!job.stop.reason) {
        if (signal?.aborted) job.stop.reason = 'aborted';
        // The deadline also ends the calls in flight; the caller's signal lets them
        // finish (their replies settle their records), as it always did.
        else if (o.now() >= job.deadlineAt) {
          job.stop.reason = 'deadline';
          job.halt.abort('deadline');
        }
      }
      return job.stop.reason;
    };
    const emit = (event) => this.#client.emit(event);
    const queue = [];
    const inFlight = new Set();
    // A completion while the loop is busy must not be lost: it sets `woken`, and the
    // loop does not sleep when it is set (otherwise a freed slot would idle until the
    // next timer).
    let wake = null;
    let woken = false;
    const wakeUp = () => {
      woken = true;
      wake?.();
    };
    // A unit whose call asked for a new token starts the refresh (after the Guard's
    // delay: the refresh-token rate limit) and waits in the queue; `admit` holds it
    // until the token is new. A refresh that failed for now is asked again by `admit`
    // (`refresh: true`) once the Guard allows; only a refresh token that is no good
    // ends the units (TOKEN_REFRESH_FAILED, at `admit`).
    const enqueue = (unit) => {
      if (unit.needsRefresh) {
        token.refresh(unit.delayMs ?? 0).catch(() => {});
        unit = { ...unit, needsRefresh: false };
      }
      const readyAt = o.now() + (unit.delayMs ?? 0);
      // Resends of a few records join another resend of the job waiting in the queue
      // (it goes when the later of the two may).
      const at = unit.mergeKey ? queue.findIndex((q) => q.mergeKey === unit.mergeKey && q.canMerge(unit)) : -1;
      if (at >= 0) {
        const q = queue[at];
        queue[at] = { ...q.mergeWith(unit), retryOf: q.retryOf, attempts: q.attempts, readyAt: Math.max(q.readyAt, readyAt) };
        return;
      }
      queue.push({ ...unit, readyAt });
    };
    initial.forEach(enqueue);
    // A job listens once for its whole run (write-job.js): its lookups add none.
    if (!job) signal?.addEventListener?.('abort', wakeUp, { once: true });
    this.#loops.add(wakeUp);
    // A shared guard (Redis, a Durable Object) may grant a slot without any reply here.
    const unsubscribe = typeof guard.subscribe === 'function' ? guard.subscribe(wakeUp) : null;
    try {
      while (queue.length > 0 || inFlight.size > 0) {
        woken = false;
        if (stopped()) {
          queue.length = 0; // never admitted: reported as not sent by the caller
          if (inFlight.size === 0) break;
          await Promise.race(inFlight);
          continue;
        }
        const now = o.now();
        // A job's deadline ends the wait that would outlast it.
        let waitMs = job ? Math.max(1, job.deadlineAt - now) : Infinity;
        // Pools the Guard refused in this pass: the units behind in the same pool would
        // be refused too, so they are not asked; a refusal for every pool ends the pass
        // (scanning thousands of queued units on every reply made a job quadratic).
        const blocked = new Set();
        for (let i = 0; i < queue.length; ) {
          const unit = queue[i];
          if (unit.readyAt > now) {
            waitMs = Math.min(waitMs, unit.readyAt - now);
            i++;
            continue;
          }
          unit.pool ??= api.operationLimits(unit.operation).pool;
          if (blocked.has(unit.pool)) {
            i++;
            continue;
          }
          const adm = guard.admit(unit.operation, now, unit.retryOf ?? undefined);
          emit({ type: 'admit', operation: unit.operation, ok: adm.ok, reason: adm.ok ? null : adm.reason, waitMs: adm.ok ? 0 : adm.waitMs, cost: adm.ok ? adm.cost : 0 });
          if (!adm.ok) {
            if (adm.reason === 'credits' && job && adm.waitMs > job.limits.maxCreditWaitMs) {
              // Stop spending: nothing more is admitted; what is in flight finishes.
              job.stop.reason = 'credits';
              job.stop.resumeAt = now + adm.waitMs;
              emit({ type: 'credits_exhausted', resumeAt: job.stop.resumeAt, waitMs: adm.waitMs });
              break;
            }
            if (adm.reason === 'token_refresh' && token.failure) {
              queue.splice(i, 1);
              this.#failUnit(unit, token.failure, 'token_refresh_failed');
              continue;
            }
            if (adm.reason === 'token_refresh' && adm.refresh && !token.running) {
              // The one caller asked to refresh, once `waitMs` (the rate limit) has passed.
              token.refresh(adm.waitMs).catch(() => {});
            }
            waitMs = Math.min(waitMs, Math.max(1, adm.waitMs));
            const pool = POOL_OF_REFUSAL[adm.reason];
            if (pool === undefined) break;
            blocked.add(pool);
            i++;
            continue;
          }
          queue.splice(i, 1);
          stats.calls++;
          stats.credits += adm.cost;
          unit.sent?.(now);
          const first = unit.retryOf ?? adm.ticket;
          const p = this.#send({ ...unit, retryOf: first, attempts: unit.attempts + 1 }, adm.ticket, job?.halt).then(
            (next) => {
              // A decision the client turned into a retry (`fresh`) starts a new request:
              // the Guard's request it came from is finished.
              for (const n of next) enqueue({ ...n, retryOf: n.fresh ? undefined : (n.retryOf ?? first), fresh: false });
            },
            // A failure of our own (a listener, a verify lookup) ends this unit with a
            // reason; it never leaves the job waiting.
            (e) => this.#failUnit(unit, e, 'client_error'),
          );
          track(inFlight, p, wakeUp);
        }
        if (stopped()) continue; // the top of the loop drops the queue and drains what is in flight
        if (queue.length === 0 && inFlight.size === 0) break;
        if (woken) continue;
        await this.#pause(Number.isFinite(waitMs) ? waitMs : null, (resolve) => {
          wake = resolve;
        });
        wake = null;
      }
    } finally {
      unsubscribe?.();
      this.#loops.delete(wakeUp);
      signal?.removeEventListener?.('abort', wakeUp);
    }
  }

  /**
   * Waits until `wakeUp` is called or `ms` passed (null: no timer). The default sleep
   * is a bare timer, cleared afterwards; a caller's `sleep` gets a signal that ends it.
   */
  async #pause(ms, arm) {
    const { o } = this.#client;
    if (o.sleep === defaultSleep) {
      let id;
      await new Promise((resolve) => {
        arm(resolve);
        if (ms !== null) id = setTimeout(resolve, ms);
      });
      clearTimeout(id);
      return;
    }
    const cancel = new AbortController();
    await new Promise((resolve) => {
      arm(resolve);
      if (ms !== null) o.sleep(ms, cancel.signal).then(resolve, resolve);
    });
    cancel.abort(WAIT_OVER); // ends the caller's sleep (a reason of our own: no DOMException and its stack)
  }

  /** Sends one unit; `halt`: the job's, whose `abort` ends this call when the deadline comes. */
  async #send(unit, ticket, halt) {
    const { o, guard, transport, apiDomain, clock } = this.#client;
    const emit = (event) => this.#client.emit(event);
    const req = unit.request();
    const url = req.url ?? `${apiDomain}/crm/${o.apiVersion}${req.path}${queryString(req.query)}`;
    const token = await o.getAccessToken();
    const headers = { Authorization: `Zoho-oauthtoken ${token}` };
    let body;
    if (req.body !== undefined) {
      headers['Content-Type'] = 'application/json';
      body = typeof req.body === 'string' ? req.body : JSON.stringify(req.body);
    }
    emit({ type: 'send', ticket, method: req.method, url, operation: unit.operation, attempt: unit.attempts });
    const t0 = o.now();
    let response;
    // One controller per call (a signal shared by every call in flight would collect
    // a listener per call); the job's halt aborts the ones in flight.
    const ctl = halt ? new AbortController() : null;
    if (ctl) halt.calls.add(ctl);
    try {
      response = await transport({ method: req.method, url, headers, body, timeoutMs: o.timeoutMs, signal: ctl?.signal ?? null });
    } catch (e) {
      response = { status: 0, headers: {}, body: null, error: { name: e?.name ?? 'Error', message: String(e?.message ?? e) } };
    } finally {
      if (ctl) halt.calls.delete(ctl);
    }
    // A custom transport may echo the header it sent: the token never reaches a result.
    if (response?.error) response = { ...response, error: { ...response.error, message: redact(String(response.error.message ?? ''), [String(token)]) } };
    const t1 = o.now();
    emit({ type: 'reply', ticket, status: response.status, ms: t1 - t0, error: response.error?.name ?? null });
    clock.observe(response.headers, t0, t1);
    let settled = guard.settle(ticket, response, t1);
    this.wakeAll();
    if (response.status >= 200 && response.status < 300) this.#client.token.worked(settled.inputs?.tokenGeneration);
    if (settled.action === 'give_up' && settled.reason === 'token_rejected' && unit.operation.patient) settled = this.#replayRejected(settled);
    const decision = await consultHook(this.#client, settled, unit, response);
    emit({ type: 'decision', ticket, action: decision.action, reason: decision.reason, delayMs: decision.delayMs, attempt: decision.attempt });
    const next = await unit.onDecision(decision, response);
    return next.map((n) => ({ ...n, attempts: n.attempts ?? unit.attempts, fresh: n.fresh === true || decision.fresh === true }));
  }

  /**
   * A patient call's token was rejected after a replay: with a token that expired
   * (it worked for other calls), it waits for the next one instead of failing.
   */
  #replayRejected(d) {
    const next = this.#client.token.afterRejection(d.inputs?.tokenGeneration);
    if (!next) return d;
    if (next.replay) return { ...d, action: 'retry', reason: 'token_replaced', delayMs: 0, fresh: true };
    return { ...d, action: 'refresh_token', reason: 'token_invalid', delayMs: next.delayMs, fresh: true };
  }

  /** Ends a unit with a failure of the client's own (a refresh that failed, a listener's bug). */
  #failUnit(unit, error, reason) {
    const code = error?.code ?? (reason === 'token_refresh_failed' ? 'TOKEN_REFRESH_FAILED' : 'CLIENT_ERROR');
    const message = redact(String(error?.message ?? error));
    const d = { action: 'give_up', reason, delayMs: 0, indices: null, inputs: {}, verdict: { outcome: 'failure', category: reason === 'token_refresh_failed' ? 'auth' : 'unknown', records: [], error: { code, message, details: {}, category: 'unknown', retry: 'none' } } };
    try {
      unit.onDecision(d, null);
    } catch {
      // Nothing more can be done for this unit; its records stay unsettled and are reported as not sent.
    }
  }
}

function track(set, promise, onSettled) {
  set.add(promise);
  promise.finally(() => {
    set.delete(promise);
    onSettled();
  });
}

function queryString(query) {
  if (!query) return '';
  const parts = Object.entries(query)
    .filter(([, v]) => v !== undefined && v !== null)
    .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(String(v))}`);
  return parts.length ? `?${parts.join('&')}` : '';
}
