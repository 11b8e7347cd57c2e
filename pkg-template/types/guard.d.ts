// Types of the Guard: the deterministic decision engine asked before each call
// (`admit`) and after each reply (`settle`). Every default is listed in the README
// (section "The Guard") with its source.
// The configuration, admissions, decisions, snapshot and log are generated from the
// Rust types (generated/guard.d.ts); this file declares the class.

import type { Operation } from './generated/catalog.js';
import type { Verdict } from './generated/classify.js';
import type {
  Admission,
  Decision,
  DecisionLog,
  GuardConfig,
  GuardLogEvent,
  GuardSnapshot,
  GuardState,
  TokenFailure,
  TokenFailureDecision,
  TokenResponse,
  TokenStatus,
} from './generated/guard.js';
import type { ResponseInput } from './classify.js';

export * from './generated/guard.js';

/** A verdict as the Guard reads it: the `Verdict` of `classify`. */
export type GuardVerdict = Verdict;

/** Options of `settleNoResponse`. */
export interface NoResponseOptions {
  /** The body was cut short (an insert's outcome is then unknown). */
  truncated?: boolean;
}

/**
 * The decision engine. Times are ms (e.g. `Date.now()`); the Guard never reads a clock.
 * Every `delayMs` and `waitMs` it answers is a whole number of ms at most 2^31 - 1
 * (`zohoFacts().maxWaitMs`, what `setTimeout` holds). An operation with `patient: true`
 * (a write job's) is never ended by a transient outcome.
 */
export class Guard {
  constructor(config: GuardConfig);
  /** May this call go now? `retryOf`: the `request` (or any ticket) of the call this attempt retries. */
  admit(operation: Operation, nowMs: number, retryOf?: number | null): Admission;
  /** Classifies the response (as `classify` takes it, for the operation the ticket was admitted with), then decides. */
  settle(ticket: number, response: ResponseInput, nowMs: number): Decision;
  /** Decides on a verdict already made by `classify`. */
  settleVerdict(ticket: number, verdict: GuardVerdict, nowMs: number): Decision;
  /** The fetch failed (or the body was cut short: `truncated`). */
  settleNoResponse(ticket: number, nowMs: number, options?: NoResponseOptions | null): Decision;
  /** A new access token: the next generation. */
  tokenRefreshed(nowMs: number, tokenResponse?: TokenResponse | null): TokenStatus;
  /**
   * The refresh failed (`failure` absent: no response). `give_up` (`token_revoked`) means
   * the refresh token is no good; `retry` means refresh again once `delayMs` has passed
   * (until then `admit` refuses every call needing the token, then asks one caller with
   * `refresh: true`). Every attempt counts against Zoho's 10 refreshes per 10 minutes.
   */
  tokenRefreshFailed(nowMs: number, failure?: TokenFailure | null): TokenFailureDecision;
  /** The figures the Guard decides on, without committing the time. */
  snapshot(nowMs: number): GuardSnapshot;
  toJSON(): GuardState;
  static fromJSON(state: GuardState): Guard;
  /**
   * The calls since the Guard was created, restored or its log restarted. Bounded by
   * `logCapacity` events (default 10,000) and `logMaxBytes` (default 1 MiB, the start
   * state included); a settle is kept as its verdict's facts (codes, counts, index
   * runs), never its messages, details or records.
   */
  decisionLog(): DecisionLog;
  /** Re-runs a log; the result equals `log.events` bit for bit. */
  static replay(log: DecisionLog): GuardLogEvent[];
  /** Frees the wasm memory of this Guard. */
  free(): void;
}
