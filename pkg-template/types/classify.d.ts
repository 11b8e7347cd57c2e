// Types of classify: the verdict on one Zoho CRM response.
import type { Operation } from './catalog.js';

/** What kind of failure (or success) a response or a record is. */
export type Category =
  | 'ok'
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

/**
 * What the caller may do: `none` (do not resend as is), `backoff` (resend after a
 * delay), `refresh_token` (refresh, then resend once), `conditional` (resend once a
 * condition holds: re-read, restart pagination, fix a sibling sub-request),
 * `records` (resend only the records whose own retry is backoff or refresh_token).
 */
export type RetryHint = 'none' | 'backoff' | 'refresh_token' | 'conditional' | 'records';

/** `empty`: 204, 304, or an empty body on a 2xx. */
export type Outcome = 'success' | 'partial' | 'failure' | 'empty';

/** One entry of the response's result array, in Zoho's per-record shape. */
export interface RecordResult {
  /** Position in the result array. */
  index: number;
  ok: boolean;
  /** Zoho's code (`SUCCESS`, `INVALID_DATA`, …); `''` when the entry has none. */
  code: string;
  message: string;
  /** Zoho's `details` as sent (`{}` when absent): `api_name`, `json_path`, `id`, … */
  details: Record<string, unknown>;
  /** `details.id`, when present. */
  id: string | null;
  /** Upsert's `action` (`insert` / `update`). */
  action: string | null;
  category: Category;
  retry: RetryHint;
}

/** The whole request was rejected. `code` is Zoho's, or synthetic: `HTTP_502`, `NETWORK_ERROR`, `ABORTED`, `TIMEOUT`, `GRAPHQL_ERROR`, `TOO_MANY_REQUESTS`. */
export interface TopError {
  code: string;
  message: string;
  details: Record<string, unknown>;
  category: Category;
  retry: RetryHint;
}

/** The verdict on one response. */
export interface Verdict {
  outcome: Outcome;
  /** 0 when there was no response. */
  httpStatus: number;
  category: Category;
  retry: RetryHint;
  error: TopError | null;
  /** One per entry of `data[]`, `__composite_requests[]` or another result array (`users`, `tags`, …); built on first access. */
  records: RecordResult[];
  /** From `X-API-CREDITS-REMAINING` (sent once half the day's credits are used). */
  credits: { remaining: number } | null;
  /** From `Retry-After`, legacy `X-RATELIMIT-*` or `details.retry_after`, in ms. */
  retryAfterMs: number | null;
  /** From `X-ACCESSTOKEN-RESET`, in ms since the epoch. */
  tokenExpiresAt: number | null;
}

/** A response to classify. */
export interface ResponseInput {
  /** HTTP status; 0 when there was no response. */
  status: number;
  /** Read case-insensitively. */
  headers?: Record<string, string | number> | Array<[string, string | number]> | Headers | Map<string, string | number> | null;
  /** Raw text, UTF-8 bytes, or an already parsed value. */
  body?: string | Uint8Array | ArrayBuffer | ArrayBufferView | object | null;
  /** Why there was no response (status 0): the `fetch` rejection. */
  error?: { name?: string; message?: string } | null;
}

/** Options of `classify`. */
export interface ClassifyOptions {
  /** Largest body accepted, in bytes (default 32 MiB); larger is `BODY_TOO_LARGE`. */
  maxBodyBytes?: number;
  /** The caller's clock, for an HTTP-date `Retry-After` when the response has no `Date`. */
  nowMs?: number | null;
}

/** Classifies one Zoho CRM response (REST, per-record, composite, GraphQL, OAuth, proxies, no response). */
export function classify(response: ResponseInput, operation?: Operation | null, options?: ClassifyOptions | null): Verdict;
