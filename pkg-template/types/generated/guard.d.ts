// The Guard: its configuration, admissions, decisions, snapshot and log.
// Generated from the Rust types by ts-rs (tests/ts_types/): do not edit.
// `bash scripts/gen-types.sh` rewrites it; the test `ts_types` fails when it is stale.
import type { EditionName } from '../catalog.js';
import type { CostOverrides, Operation } from './catalog.js';
import type { Category, Outcome, RetryHint, Verdict } from './classify.js';

/** How a server-given delay (Retry-After) is used. */
export type RetryAfterPolicy = 'honour' | 'clamp' | 'give_up_if_longer';

/**
 * Who waits for a server-given delay (Retry-After) below `maxRetryAfterMs`.
 *
 * Zoho sends no Retry-After (sources §6): its 429 means the concurrency is exceeded
 * (or the credits, which the ledger tracks), and the adaptive concurrency answers
 * that for every call at once. Holding every call as well left the org's slots
 * empty for the whole wait (measured: one second with nothing in flight per 429 at
 * 3% of calls, about a fifth of a 5,000-record job). A proxy that rate-limits the whole
 * app by Retry-After wants `all`.
 */
export type RetryAfterScope = 'call' | 'all';

/** What to do with an insert whose outcome is unknown. */
export type AmbiguousInsert = 'verify' | 'upsert' | 'give_up';

/**
 * What JavaScript passes to `new Guard(config)`. Every figure is checked and unknown
 * keys are refused (`INVALID_ARGUMENT`); the defaults are the constants above.
 */
export type GuardConfig = {
  /** Edition name or alias (required). */
  edition: EditionName,
  /** Paid user licences. Default 0. */
  licenses?: number | null,
  /** Add-on credits per 24 h. Default 0. */
  addOnCredits?: number | null,
  /** Override of the edition's credit cap (see `editionLimits`). */
  creditCap?: number | null,
  /** Override of the edition's concurrency. */
  concurrency?: number | null,
  /** Override of the complex pool (default 10, SUBC). */
  subConcurrency?: number | null,
  /** Override of the GraphQL pool (default 5, GQL-L). */
  graphqlConcurrency?: number | null,
  /** Credit cost overrides (see `creditCost`). */
  costs?: CostOverrides | null,
  /** Retry policy. */
  retry?: {
    /**
     * Attempts per logical request, the first included (1..100). Default 3 (AWS SDK v3).
     * Patient calls (`operation.patient`) have no cap unless they set their own.
     */
    maxAttempts?: number | null,
    /** Backoff base of transient failures (5xx, network), ms. Default 100 (AWS SDK v3). */
    baseDelayMs?: number | null,
    /** Backoff base of throttling (429), ms. Default 1000 (AWS SDK v3). */
    throttleBaseDelayMs?: number | null,
    /** Backoff base of per-record retries (RECORD_LOCKED), ms. Default 1000. */
    recordBaseDelayMs?: number | null,
    /**
     * Backoff ceiling, and the Retry-After limit of `clamp` / `give_up_if_longer`, ms.
     * Default 20000 (AWS SDK v3).
     */
    maxDelayMs?: number | null,
    /** Retry-After policy (applies below `maxRetryAfterMs`). Default `honour`. */
    retryAfter?: RetryAfterPolicy | null,
    /** Largest positive jitter after a server-given instant, ms. Default 1000. */
    retryAfterJitterMs?: number | null,
    /**
     * Longest Retry-After waited for, ms (0..=2^31-1): above it the call gives up
     * (`retry_after_too_long`, whatever the policy) and the shared cooldown is capped
     * at it. Default 600000 (10 minutes).
     */
    maxRetryAfterMs?: number | null,
    /**
     * Who waits for a Retry-After: `call` (default), the call that got it; `all`,
     * every call of the Guard until the server's instant.
     */
    retryAfterScope?: RetryAfterScope | null,
  } | null,
  /** Retry budget. */
  budget?: {
    /** Tokens per class. Default 500 (AWS SDK v3). */
    capacity?: number | null,
    /** Cost of a retry. Default 5 (AWS SDK v3). */
    retryCost?: number | null,
    /** Cost of a retry after a timeout. Default 10 (AWS SDK v3). */
    timeoutCost?: number | null,
    /** Refund of a success that needed no retry. Default 1 (AWS SDK v3). */
    successRefund?: number | null,
    /**
     * Tokens each class regains per second (0: none, as in AWS SDK v3). A patient call
     * that finds its budget spent waits for the refill (delay basis `budget`). Default 10.
     */
    refillPerSecond?: number | null,
  } | null,
  /** Circuit breaker. */
  breaker?: {
    /**
     * Consecutive server (or network) failures that open it. Default 5 (cockatiel).
     * A patient call retries once it half-opens (delay basis `breaker`).
     */
    threshold?: number | null,
    /** Open time before one probe, ms. Default 10000 (cockatiel). */
    halfOpenAfterMs?: number | null,
  } | null,
  /** What to do with an insert that got no (or a truncated) response. Default `verify`. */
  ambiguousInsert?: AmbiguousInsert | null,
  /** Seed of the jitter (whole, 0..2^53-1). Default 0. */
  seed?: number | null,
  /** Refresh when the token expires within this, ms. Default 5000 (Zoho's SDKs). */
  tokenRefreshSkewMs?: number | null,
  /**
   * Ask another caller to refresh after this long without `tokenRefreshed`, ms.
   * Default 30000.
   */
  tokenRefreshTimeoutMs?: number | null,
  /**
   * Multiplicative decrease of the concurrency on TOO_MANY_REQUESTS, per mille.
   * Default 700 (AWS adaptive mode, CUBIC β = 0.7).
   */
  aimdDecreasePermille?: number | null,
  /**
   * A 429 is credit exhaustion when the remaining credits are at most this share of
   * the allowance, per mille. Default 10.
   */
  creditsNearlyGonePermille?: number | null,
  /** `waitMs` of refusals that end on an event (a slot, a token), ms. Default 50. */
  pollMs?: number | null,
  /** Events kept in the decision log before it restarts (0: no log). Default 10000. */
  logCapacity?: number | null,
  /**
   * Accounted bytes of the decision log (its start state and events) before it
   * restarts (1024..=2^30). Default 1048576 (1 MiB): about 1,000 settles of
   * 100-record replies. Settles are logged as codes and counts, not verdicts.
   */
  logMaxBytes?: number | null,
};

/** Why `admit` refused a call. */
export type RefuseReason = 'concurrency'
  | 'sub_concurrency'
  | 'graphql_concurrency'
  | 'credits'
  | 'cooldown'
  | 'breaker_open'
  | 'token_refresh';

/** A call may go: send it and settle the ticket. */
export type Admitted = {
  /** Always `true`. */
  ok: true,
  /** The ticket to settle. */
  ticket: number,
  /** The logical request (ticket of its first attempt). */
  request: number,
  /** Attempt number within the request, from 1. */
  attempt: number,
  /** Credits reserved for the call. */
  cost: number,
  /** Concurrency slots it holds. */
  slots: number,
};

/** A call may not go yet. */
export type Refused = {
  /** Always `false`. */
  ok: false,
  /**
   * Ms to wait before asking again (at most 2^31 - 1, `MAX_WAIT_MS`). With
   * `token_refresh` and `refresh: true`: wait this long, then refresh.
   */
  waitMs: number,
  /** Which limit refused it. */
  reason: RefuseReason,
  /**
   * With `token_refresh`: `true` for the one caller that should refresh the token, once
   * `waitMs` has passed (the refresh-token rate limit).
   */
  refresh: boolean,
};

/** The answer of `admit`. */
export type Admission = Admitted | Refused;

/** What to do after a response. */
export type GuardAction = 'done'
  | 'retry'
  | 'retry_records'
  | 'refresh_token'
  | 'give_up'
  | 'verify'
  | 'split';

/** The rule that decided, as a stable id. */
export type GuardReason = 'success'
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
  | 'unknown_response'
  | 'short_reply'
  | 'token_revoked'
  | 'deadline'
  | 'aborted'
  | 'vetoed';

/** Which figure the delay was derived from. */
export type DelayBasis = 'throttle'
  | 'transient'
  | 'records'
  | 'retry_after'
  | 'credits'
  | 'breaker'
  | 'token_rate_limit'
  | 'budget';

/** The figures a decision was made from. */
export type DecisionInputs = {
  /** Attempt that was settled, from 1. */
  attempt: number,
  /**
   * Attempts the call may have: its own `maxAttempts`, else the configuration's;
   * `null` for a patient call without its own (no cap).
   */
  maxAttempts: number | null,
  /** What the delay rests on. */
  delayBasis: DelayBasis | null,
  /** Base of the backoff used. */
  baseDelayMs: number | null,
  /** Ceiling of the full-jitter window used. */
  ceilingMs: number | null,
  /** Retry-After given by the server. */
  retryAfterMs: number | null,
  /** Credits the ledger says remain in the window. */
  creditsRemaining: number,
  /** `X-API-CREDITS-REMAINING`, when sent. */
  creditsHeader: number | null,
  /** Effective concurrency limit after this decision. */
  effectiveLimit: number,
  /** The edition's concurrency. */
  editionLimit: number,
  /** Tokens left in the class's retry budget. */
  budgetRemaining: number | null,
  /** Tokens this retry cost. */
  budgetCost: number | null,
  /** Token generation the call was sent with. */
  tokenGeneration: number,
  /** Data centre of the token's `api_domain` (`check_domain`). */
  dataCenter: string | null,
  /** The token's `api_domain` (`check_domain`). */
  apiDomain: string | null,
  /** Largest part of a split batch. */
  splitMaxRecords: number | null,
  /** Record indices recovered as the lost attempt's successes. */
  recovered: Array<number> | null,
  /** How to resend (`upsert` for an ambiguous insert). */
  resendAs: string | null,
};

/**
 * What to do after one response: the rule that decided (`reason`), the figures it
 * used (`inputs`) and the verdict it read, with `action` telling what `indices`
 * holds (narrow on `action` to read them).
 */
export type Decision = {
  /** Ms to wait first (at most 2^31 - 1, `MAX_WAIT_MS`). */
  delayMs: number,
  /** The rule that decided. */
  reason: GuardReason,
  /** Attempt that was settled, from 1. */
  attempt: number,
  /** The settled ticket. */
  ticket: number,
  /** The logical request (pass as `retryOf`). */
  request: number,
  /** The verdict the decision was made on. */
  verdict: Verdict,
  /** The figures that decided. */
  inputs: DecisionInputs,
} & ({
  action: 'done',
  /** Always `null`. */
  indices: null,
} | {
  action: 'retry',
  /** Always `null`. */
  indices: null,
} | {
  action: 'retry_records',
  /** The records to resend, as indices of the call's records. */
  indices: Array<number>,
} | {
  action: 'refresh_token',
  /** Always `null`. */
  indices: null,
} | {
  action: 'give_up',
  /** The failed records of a partial result, else `null`. */
  indices: Array<number> | null,
} | {
  action: 'verify',
  /** Always `null`. */
  indices: null,
} | {
  action: 'split',
  /** Always `null`. */
  indices: null,
});

/**
 * The token endpoint's JSON, as JavaScript passes it to `tokenRefreshed`; the
 * access token itself is never stored.
 */
export type TokenResponse = {
  /**
   * The new access token: accepted and ignored (never stored nor required, so
   * callers may strip it before passing the response).
   */
  access_token?: string | null,
  /** The API domain of the org's data centre. */
  api_domain?: string | null,
  /** Lifetime in seconds (or ms in legacy responses). */
  expires_in?: number | null,
  /** Lifetime in seconds (legacy responses). */
  expires_in_sec?: number | null,
  /** The endpoint's error (`invalid_code`, `invalid_client`, …). */
  error?: string | null,
};

/** A point-in-time view of the token state. */
export type TokenStatus = {
  /** Current generation. */
  generation: number,
  /** Expiry, when known. */
  expiresAt: number | null,
  /** API domain, when known. */
  apiDomain: string | null,
  /** Data centre of the API domain. */
  dataCenter: string | null,
  /** Whether a refresh is pending. */
  refreshPending: boolean,
  /** Ms before another refresh is allowed: by the rate limit, or after a failed refresh. */
  refreshWaitMs: number,
};

/**
 * What the caller tells `tokenRefreshFailed`: the endpoint's answer, or that there
 * was none (absent: no response). Unknown keys are ignored.
 */
export type TokenFailure = {
  /** The endpoint's `error` (`invalid_client`, `Access Denied`, …), when it answered. */
  error?: string | null,
  /** The HTTP status; absent or 0: no response. */
  status?: number | null,
  /** The endpoint's `error_description`, or the exception's message. */
  message?: string | null,
};

/** What to do after a failed refresh. */
export type TokenFailureDecision = {
  /**
   * `retry`: refresh again once `delayMs` has passed (`admit` then asks one caller
   * with `refresh: true`); `give_up`: the refresh token is no good, fail for good.
   */
  action: 'retry' | 'give_up',
  /** Ms before the next refresh (at most 2^31 - 1). */
  delayMs: number,
  /**
   * `token_revoked` (give up); `too_many_requests` (the rate limit); `network_error`
   * (no response), `server_error` (5xx) or `unknown_response` (anything else).
   */
  reason: GuardReason,
  /** What the delay rests on: `token_rate_limit` or `transient`; `null` on give up. */
  delayBasis: DelayBasis | null,
  /** Refreshes that failed in a row, this one included. */
  failures: number,
};

/** State of one breaker. */
export type BreakerState = {
  state: 'closed',
  /** Consecutive failures. */
  failures: number,
} | {
  state: 'open',
  /** When a probe may go. */
  until: number,
} | {
  state: 'half_open',
  /** Ticket of the probe in flight. */
  probe: number | null,
};

/** One value per retry class. */
export type PerClass<T> = {
  /** Throttling. */
  throttle: T,
  /** Server failures. */
  server: T,
  /** Network failures. */
  network: T,
  /** Per-record failures. */
  records: T,
};

/** The figures the Guard decides on, as `snapshot(nowMs)` gives them. */
export type GuardSnapshot = {
  /** Time of the snapshot. */
  now: number,
  /** Calls in flight. */
  inFlight: number,
  /** Slots in use. */
  slotsInUse: number,
  /** Complex-pool calls in flight. */
  complexInFlight: number,
  /** GraphQL calls in flight. */
  graphqlInFlight: number,
  /** Effective concurrency (AIMD). */
  effectiveLimit: number,
  /** Edition concurrency. */
  editionLimit: number,
  /** Complex pool. */
  subConcurrency: number,
  /** GraphQL pool. */
  graphqlConcurrency: number,
  /** Credits of the window. */
  creditsAllowance: number,
  /** Credits used (or reserved) in the window. */
  creditsUsed: number,
  /** Credits left. */
  creditsRemaining: number,
  /** When the oldest credits free up. */
  nextCreditFreeAt: number | null,
  /** No call before this instant. */
  cooldownUntil: number | null,
  /** Breakers. */
  breakers: {
    /** Consecutive 5xx. */
    server: BreakerState,
    /** Consecutive calls without a response. */
    network: BreakerState,
  },
  /** Retry budget tokens (refilled up to the snapshot's time). */
  budgets: PerClass<number>,
  /** Requests waiting for a retry. */
  pendingRequests: number,
  /** Token state. */
  token: TokenStatus,
};

/** The Guard's whole state, a plain JSON-safe object: store it anywhere and pass it to `Guard.fromJSON`. Opaque but for its version. */
export type GuardState = {
  version: 1,
  [key: string]: unknown,
};

/** Consecutive failed records with equal facts: indices `from..from + count`. */
export type FailedRun = {
  /** Index of the first record of the run. */
  from: number,
  /** Records in the run. */
  count: number,
  /** Their code. */
  code: string,
  /** Their category. */
  category: Category,
  /** Their retry hint. */
  retry: RetryHint,
  /**
   * A DUPLICATE_DATA whose details name the existing record (always `false` for
   * other codes).
   */
  namesRecord: boolean,
};

/** The facts of a verdict that the settle rules read. */
export type VerdictFacts = {
  /** Overall outcome. */
  outcome: Outcome,
  /** HTTP status (0: no response). */
  httpStatus: number,
  /** Category of the whole response. */
  category: Category,
  /** Retry hint of the whole response. */
  retry: RetryHint,
  /** Code of the top-level error, when there is one. */
  errorCode: string | null,
  /** Records that succeeded. */
  okRecords: number,
  /** The failed records, in order. */
  failed: Array<FailedRun>,
  /** Credits from `X-API-CREDITS-REMAINING`. */
  credits: {
    /** `X-API-CREDITS-REMAINING`. */
    remaining: number,
  } | null,
  /** Delay asked by the server, ms. */
  retryAfterMs: number | null,
  /** Access-token expiry, ms since the Unix epoch. */
  tokenExpiresAt: number | null,
};

/**
 * A settle's decision as the log keeps it: everything but the verdict, whose
 * facts (`VerdictFacts`) replace it; the indices as ranges.
 */
export type LoggedDecision = {
  /** What to do. */
  action: GuardAction,
  /** Ms to wait first. */
  delayMs: number,
  /** `indices` as `[from, to)` ranges. */
  indices: Array<[number, number]> | null,
  /** The rule that decided. */
  reason: GuardReason,
  /** Attempt that was settled. */
  attempt: number,
  /** The logical request. */
  request: number,
  /** What the rules read of the verdict. */
  verdict: VerdictFacts,
  /** The figures that decided. */
  inputs: DecisionInputs,
};

/** One logged call. */
export type GuardLogEvent = {
  event: 'admit',
  /** The operation. */
  operation: Operation,
  /** Time as used (after checking). */
  nowMs: number,
  /** `retryOf`. */
  retryOf: number | null,
  /** The answer. */
  result: Admission,
} | {
  event: 'settle',
  /** The ticket. */
  ticket: number,
  /** Time as used. */
  nowMs: number,
  /** The answer, compact. */
  decision: LoggedDecision,
} | {
  event: 'token_refreshed',
  /** Time as used. */
  nowMs: number,
  /** What was kept of the token response. */
  token: {
    /** API domain, when given. */
    apiDomain: string | null,
    /** Lifetime in ms, when given. */
    expiresInMs: number | null,
  },
  /** The answer. */
  result: TokenStatus,
} | {
  event: 'token_refresh_failed',
  /** Time as used. */
  nowMs: number,
  /** The failure (texts clipped). */
  failure: TokenFailure,
  /** The answer. */
  result: TokenFailureDecision,
};

/** The exportable log. */
export type DecisionLog = {
  /** The state the events start from. */
  start: GuardState,
  /** The calls, in order. */
  events: Array<GuardLogEvent>,
};
