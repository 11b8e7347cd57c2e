// Types of the Guard: the deterministic decision engine asked before each call
// (`admit`) and after each reply (`settle`). Every default is listed in the README (section "The Guard")
// with its source.

import type { CostOverrides, EditionName, Operation } from './catalog.js';
import type { Verdict } from './classify.js';

// ---------------------------------------------------------------- guard: configuration

/** How a server-given delay (Retry-After) is used. */
export type RetryAfterPolicy = 'honour' | 'clamp' | 'give_up_if_longer';

/** What to do with an insert that got no (or a truncated) response. */
export type AmbiguousInsert = 'verify' | 'upsert' | 'give_up';

/** `new Guard(config)`. Every figure is checked and unknown keys are refused (`INVALID_ARGUMENT`). */
export interface GuardConfig {
  /** Edition name or alias (required). */
  edition: EditionName;
  /** Paid user licences. Default 0. */
  licenses?: number;
  /** Add-on credits per 24 h. Default 0. */
  addOnCredits?: number;
  /** Edition cap override (see `editionLimits`). */
  creditCap?: number | null;
  /** Edition concurrency override. */
  concurrency?: number;
  /** Complex-API pool. Default 10 (SUBC). */
  subConcurrency?: number;
  /** GraphQL pool. Default 5 (GQL-L). */
  graphqlConcurrency?: number;
  /** Credit cost overrides (see `creditCost`). */
  costs?: CostOverrides;
  retry?: {
    /** Attempts per logical request, first included (1..100). Default 3 (AWS SDK v3). */
    maxAttempts?: number;
    /** Transient (5xx, network) backoff base. Default 100 ms (AWS SDK v3). */
    baseDelayMs?: number;
    /** Throttling (429) backoff base. Default 1000 ms (AWS SDK v3). */
    throttleBaseDelayMs?: number;
    /** Per-record (RECORD_LOCKED) backoff base. Default 1000 ms. */
    recordBaseDelayMs?: number;
    /** Backoff ceiling; also the Retry-After limit of `clamp` / `give_up_if_longer`. Default 20000 ms (AWS SDK v3). */
    maxDelayMs?: number;
    /** Default `honour`. */
    retryAfter?: RetryAfterPolicy;
    /** Largest positive jitter after a server instant. Default 1000 ms. */
    retryAfterJitterMs?: number;
  };
  budget?: {
    /** Tokens per class. Default 500 (AWS SDK v3). */
    capacity?: number;
    /** Cost of a retry. Default 5 (AWS SDK v3). */
    retryCost?: number;
    /** Cost of a retry after a timeout. Default 10 (AWS SDK v3). */
    timeoutCost?: number;
    /** Refund of a success that needed no retry. Default 1 (AWS SDK v3). */
    successRefund?: number;
  };
  breaker?: {
    /** Consecutive server (or network) failures that open it. Default 5 (cockatiel). */
    threshold?: number;
    /** Open time before one probe. Default 10000 ms (cockatiel). */
    halfOpenAfterMs?: number;
  };
  /** Default `verify`. */
  ambiguousInsert?: AmbiguousInsert;
  /** Seed of the jitter (whole, 0..2^53-1). Default 0. */
  seed?: number;
  /** Refresh when the token expires within this. Default 5000 ms (Zoho SDKs). */
  tokenRefreshSkewMs?: number;
  /** Ask another caller to refresh after this long without `tokenRefreshed`. Default 30000 ms. */
  tokenRefreshTimeoutMs?: number;
  /** Multiplicative decrease on TOO_MANY_REQUESTS, per mille. Default 700 (AWS adaptive, CUBIC β = 0.7). */
  aimdDecreasePermille?: number;
  /** A 429 is credit exhaustion when remaining credits are at most this share, per mille. Default 10. */
  creditsNearlyGonePermille?: number;
  /** `waitMs` of refusals that end on an event (a slot, a token). Default 50 ms. */
  pollMs?: number;
  /** Events kept in the decision log before it restarts (0: no log). Default 10000. */
  logCapacity?: number;
}

// ---------------------------------------------------------------- guard: admission

/** Why `admit` refused. */
export type RefuseReason =
  | 'concurrency'
  | 'sub_concurrency'
  | 'graphql_concurrency'
  | 'credits'
  | 'cooldown'
  | 'breaker_open'
  | 'token_refresh';

export interface Admitted {
  ok: true;
  /** Settle it exactly once. */
  ticket: number;
  /** The logical request (the first attempt's ticket); pass it as `retryOf`. */
  request: number;
  /** Attempt number, from 1. */
  attempt: number;
  /** Credits reserved. */
  cost: number;
  /** Concurrency slots held. */
  slots: number;
}

export interface Refused {
  ok: false;
  /** Ms to wait before asking again. */
  waitMs: number;
  reason: RefuseReason;
  /** With `token_refresh`: `true` for the one caller that should refresh now. */
  refresh: boolean;
}

export type Admission = Admitted | Refused;

// ---------------------------------------------------------------- guard: decisions

export type GuardAction = 'done' | 'retry' | 'retry_records' | 'refresh_token' | 'give_up' | 'verify' | 'split';

/** The rule that decided (stable ids; see the README (section "The Guard")). */
export type GuardReason =
  | 'success'
  | 'partial_final'
  | 'records_retryable'
  | 'duplicate_of_lost_attempt'
  | 'too_many_requests'
  | 'credits'
  | 'server_error'
  | 'network_error'
  | 'locked'
  | 'retry_after_too_long'
  | 'attempts_exhausted'
  | 'retry_budget'
  | 'breaker_open'
  | 'token_invalid'
  | 'await_token_refresh'
  | 'token_replaced'
  | 'check_domain'
  | 'token_rejected'
  | 'ambiguous_write'
  | 'resend_as_upsert'
  | 'split_batch'
  | 'limit_exceeded'
  | 'not_retryable'
  | 'conditional'
  | 'unknown_response';

export type DelayBasis = 'throttle' | 'transient' | 'records' | 'retry_after' | 'credits' | 'breaker' | 'token_rate_limit';

/** The figures a decision was made from; absent ones are `null`. */
export interface DecisionInputs {
  attempt: number;
  maxAttempts: number;
  delayBasis: DelayBasis | null;
  baseDelayMs: number | null;
  ceilingMs: number | null;
  retryAfterMs: number | null;
  creditsRemaining: number;
  creditsHeader: number | null;
  effectiveLimit: number;
  editionLimit: number;
  budgetRemaining: number | null;
  budgetCost: number | null;
  tokenGeneration: number;
  /** `check_domain`: data centre of the token's `api_domain` (`"eu"`, …). */
  dataCenter: string | null;
  apiDomain: string | null;
  /** `split`: largest part. */
  splitMaxRecords: number | null;
  /** Records recovered as the lost attempt's successes. */
  recovered: number[] | null;
  /** `"upsert"` when an ambiguous insert is to be resent as an upsert. */
  resendAs: string | null;
}

/** A verdict as the Guard reads it: the `Verdict` of `classify`. */
export type GuardVerdict = Verdict;

export interface Decision {
  action: GuardAction;
  delayMs: number;
  /** `retry_records`: the records to resend; `give_up` of a partial: the retryable ones left. */
  indices: number[] | null;
  reason: GuardReason;
  attempt: number;
  ticket: number;
  request: number;
  verdict: GuardVerdict;
  inputs: DecisionInputs;
}

// ---------------------------------------------------------------- guard: tokens, snapshot, log

/** The accounts server's token response (the access token itself is never kept). */
export interface TokenResponse {
  access_token?: string;
  api_domain?: string;
  expires_in?: number;
  expires_in_sec?: number;
  error?: string;
}

export interface TokenStatus {
  generation: number;
  expiresAt: number | null;
  apiDomain: string | null;
  dataCenter: string | null;
  refreshPending: boolean;
  /** Ms before the refresh-token limit (10 per 10 min) allows another refresh. */
  refreshWaitMs: number;
}

export type BreakerState =
  | { state: 'closed'; failures: number }
  | { state: 'open'; until: number }
  | { state: 'half_open'; probe: number | null };

export interface PerClass<T> {
  throttle: T;
  server: T;
  network: T;
  records: T;
}

export interface GuardSnapshot {
  now: number;
  inFlight: number;
  slotsInUse: number;
  complexInFlight: number;
  graphqlInFlight: number;
  effectiveLimit: number;
  editionLimit: number;
  subConcurrency: number;
  graphqlConcurrency: number;
  creditsAllowance: number;
  creditsUsed: number;
  creditsRemaining: number;
  nextCreditFreeAt: number | null;
  cooldownUntil: number | null;
  breakers: { server: BreakerState; network: BreakerState };
  budgets: PerClass<number>;
  pendingRequests: number;
  token: TokenStatus;
}

/** The Guard's whole state, a plain JSON-safe object (store it anywhere). Opaque: pass it to `Guard.fromJSON`. */
export interface GuardState {
  version: 1;
  [key: string]: unknown;
}

export type GuardLogEvent =
  | { event: 'admit'; operation: Operation; nowMs: number; retryOf: number | null; result: Admission }
  | { event: 'settle'; ticket: number; nowMs: number; decision: Decision }
  | { event: 'token_refreshed'; nowMs: number; token: { apiDomain: string | null; expiresInMs: number | null }; result: TokenStatus };

export interface DecisionLog {
  /** The state the events start from. */
  start: GuardState;
  events: GuardLogEvent[];
}

/** The decision engine. Times are ms (e.g. `Date.now()`); the Guard never reads a clock. */
export class Guard {
  constructor(config: GuardConfig);
  /** May this call go now? `retryOf`: the `request` (or any ticket) of the call this attempt retries. */
  admit(operation: Operation, nowMs: number, retryOf?: number | null): Admission;
  /** Classifies the response (as `classify` takes it), then decides. */
  settle(ticket: number, response: unknown, nowMs: number): Decision;
  /** Decides on a verdict already made by `classify`. */
  settleVerdict(ticket: number, verdict: GuardVerdict, nowMs: number): Decision;
  /** The fetch failed (or the body was cut short: `truncated`). */
  settleNoResponse(ticket: number, nowMs: number, options?: { truncated?: boolean }): Decision;
  /** A new access token: the next generation. */
  tokenRefreshed(nowMs: number, tokenResponse?: TokenResponse | null): TokenStatus;
  snapshot(nowMs: number): GuardSnapshot;
  toJSON(): GuardState;
  static fromJSON(state: GuardState): Guard;
  decisionLog(): DecisionLog;
  /** Re-runs a log; the result equals `log.events` bit for bit. */
  static replay(log: DecisionLog): GuardLogEvent[];
  /** Frees the wasm memory of this Guard. */
  free(): void;
}
