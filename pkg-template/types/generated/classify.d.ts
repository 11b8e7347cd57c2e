// The verdict of `classify` on one response.
// Generated from the Rust types by ts-rs (tests/ts_types/): do not edit.
// `bash scripts/gen-types.sh` rewrites it; the test `ts_types` fails when it is stale.

/** What kind of failure (or success) a response or record is. */
export type Category = 'ok'
  | 'partial'
  | 'validation'
  | 'duplicate'
  | 'auth'
  | 'permission'
  | 'not_found'
  | 'rate_limit'
  | 'limit'
  | 'conflict'
  | 'locked'
  | 'server'
  | 'network'
  | 'unknown';

/** What the caller may do about a failure. */
export type RetryHint = 'none' | 'backoff' | 'refresh_token' | 'conditional' | 'records';

/** The overall outcome of a response. */
export type Outcome = 'success' | 'partial' | 'failure' | 'empty';

/**
 * One entry of a response's result array (or one pre-send validation finding),
 * in Zoho's shape.
 */
export type RecordResult = {
  /** Index of the entry: in the response's array, or the caller's record index. */
  index: number,
  /** Whether this record succeeded. */
  ok: boolean,
  /** Zoho's code (`SUCCESS`, `INVALID_DATA`, …). */
  code: string,
  /** Zoho's message. */
  message: string,
  /** Zoho's `details` object, as given (`{}` when absent). */
  details: Record<string, unknown>,
  /** Record id from `details.id`, when present. */
  id: string | null,
  /** Upsert's `action` (`insert` / `update`), when present. */
  action: string | null,
  /** Category of this record. */
  category: Category,
  /** Retry hint of this record. */
  retry: RetryHint,
};

/** A top-level error: the whole request was rejected. */
export type TopError = {
  /** Zoho's code, or a synthetic one (`HTTP_502`, `NETWORK_ERROR`, …). */
  code: string,
  /** Zoho's message, or a description. */
  message: string,
  /** Zoho's `details`, as given (`{}` when absent). */
  details: Record<string, unknown>,
  /** Category. */
  category: Category,
  /** Retry hint. */
  retry: RetryHint,
};

/** The verdict on one response. */
export type Verdict = {
  /** Overall outcome. */
  outcome: Outcome,
  /** HTTP status (0 when there was no response). */
  httpStatus: number,
  /** Category of the whole response. */
  category: Category,
  /** Retry hint of the whole response. */
  retry: RetryHint,
  /** Top-level error, when the whole request was rejected. */
  error: TopError | null,
  /** One result per entry of the response's result array, in order. */
  records: Array<RecordResult>,
  /** Credits from `X-API-CREDITS-REMAINING`, when sent. */
  credits: {
    /** `X-API-CREDITS-REMAINING`. */
    remaining: number,
  } | null,
  /** Delay asked by the server (`Retry-After`, legacy headers, `details.retry_after`), in ms. */
  retryAfterMs: number | null,
  /** Access-token expiry from `X-ACCESSTOKEN-RESET`, in ms since the Unix epoch. */
  tokenExpiresAt: number | null,
};

/** Options of `classify`. */
export type ClassifyOptions = {
  /** Largest body accepted, in bytes; a larger one is `BODY_TOO_LARGE`. */
  maxBodyBytes?: number,
  /**
   * The caller's clock (ms since the epoch), for an HTTP-date `Retry-After` when
   * the response has no `Date` header.
   */
  nowMs?: number | null,
};
