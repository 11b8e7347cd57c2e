// Types of the client: the fetch loop that obeys the Guard. Hand-written: the client
// is JavaScript (lib/client.js) with no Rust source; what it hands out from the core
// (decisions, analyses, snapshots, record results) uses the generated shapes.

import type { Operation } from './generated/catalog.js';
import type { RecordResult } from './generated/classify.js';
import type { GraphqlAnalysis, GraphqlOptions } from './generated/graphql.js';
import type {
  Admitted,
  Decision,
  GuardAction,
  GuardConfig,
  GuardReason,
  GuardSnapshot,
  GuardState,
  RefuseReason,
  TokenFailure,
  TokenFailureDecision,
  TokenResponse,
  TokenStatus,
} from './generated/guard.js';
import type { EditionName } from './catalog.js';
import type { ResponseInput } from './classify.js';
import type { Guard } from './guard.js';
import type { Transport } from './transports.js';
import type { FieldsMetadata } from './validate.js';

// ---------------------------------------------------------------- the Guard the client obeys

/** A refusal as the client reads it: a Guard's `Refused`, or a facade's own reason (see `GuardLike`). */
export interface GuardRefusal {
  ok: false;
  /** Ms to wait before asking again. */
  waitMs: number;
  reason: RefuseReason | (string & {});
  /** With `token_refresh`: `true` for the one caller that should refresh the token now. */
  refresh?: boolean;
}

/**
 * What the client asks of its Guard. The `Guard` class is one; so is a facade over
 * other Guards, such as the Worker example's `RemoteGuard` (examples/worker), which
 * admits a call only inside a lease a Durable Object's Guard granted, or the tabs'
 * shared Guard of `zcrm-guard/tabs`.
 */
export interface GuardLike {
  /** Before every send. `retryOf`: the `request` of the call this attempt retries. */
  admit(operation: Operation, nowMs: number, retryOf?: number): Admitted | GuardRefusal;
  /** After every reply (or its absence: status 0). */
  settle(ticket: number, response: ResponseInput, nowMs: number): Decision;
  /** After every token refresh. */
  tokenRefreshed(nowMs: number, tokenResponse?: TokenResponse | null): TokenStatus;
  /**
   * After a failed token refresh: retry later (every call waits) or give up for good.
   * Optional for a facade: without it the client backs off on its own (1 s doubling, 60 s at most).
   */
  tokenRefreshFailed?(nowMs: number, failure?: TokenFailure | null): TokenFailureDecision;
  /** What `client.snapshot()` returns. */
  snapshot(nowMs: number): GuardSnapshot;
  /** Needed by `resume` only: the calls a restored Guard still holds in flight are settled as lost. */
  toJSON?(): GuardState;
  /**
   * For a shared guard (Redis, a Durable Object) that can grant a slot without any reply
   * here: the client's waiting loops register `listener` and ask again when it is called.
   * Returns the function that unregisters it.
   */
  subscribe?(listener: () => void): () => void;
}

// ---------------------------------------------------------------- options and events

/**
 * A token endpoint's answer, or just the new access token. An answer with `error`
 * (`invalid_code`, `Access Denied`, …; `status` its HTTP status) is a failed refresh the
 * Guard judges (`tokenRefreshFailed`): revoked → TOKEN_REFRESH_FAILED; rate-limited or
 * transient → every call waits for the next refresh.
 */
export type RefreshResult =
  | string
  | { access_token: string; expires_in?: number; expires_in_sec?: number; api_domain?: string }
  | { error: string; error_description?: string; status?: number };

/**
 * What `onDecision` may answer: nothing (or `true`) keeps the Guard's decision; `false`
 * or `{ veto: true }` ends the records of a retry, verify, refresh or split with reason
 * `vetoed`; `{ delayMs }` another wait, at least the Retry-After, refresh-token or credit
 * wait the decision rests on, at most 2^31 - 1 ms.
 */
export type DecisionHookAnswer = void | undefined | null | boolean | { veto: true } | { delayMs: number };

/** The inputs `onDecision` is called with: the decision's figures, and what it was about. */
export type DecisionHookInputs = Decision['inputs'] & {
  /** The operation the call was admitted as (`patient: true` in write jobs). */
  operation: Operation;
  /** HTTP status of the reply (0: none). */
  status: number;
  /** Records the call carried (write jobs), else null. */
  records: number | null;
  /** Each record's attempts so far (write jobs), else null. */
  recordAttempts: number[] | null;
};

export interface ClientOptions<G extends GuardLike = Guard> {
  /** `api_domain` of the org's data centre, e.g. https://www.zohoapis.com. */
  apiDomain: string;
  /** CRM API version of the paths (default `v8`). */
  apiVersion?: string;
  /** How requests are sent (default `fetchTransport()`). */
  transport?: Transport;
  /** The current access token (never logged, never in events or errors). */
  getAccessToken: () => string | Promise<string>;
  /**
   * Refreshes the access token, when the Guard says (never more than Zoho's 10 access
   * tokens per 10 minutes per refresh token); one refresh at a time. May be synchronous.
   * A throw is a failed refresh: transient unless the error has `permanent: true` or an
   * `error` such as `invalid_code` (then TOKEN_REFRESH_FAILED); its `status` is read.
   */
  refreshAccessToken?: () => RefreshResult | Promise<RefreshResult>;
  /** Edition of the Guard the client makes when none is given (default `standard`). */
  edition?: EditionName;
  licenses?: number;
  addOnCredits?: number;
  /** Zoho's `GET /settings/fields?module=X` body per module; fetched once and cached when absent. */
  fieldsMetadata?: Record<string, FieldsMetadata>;
  /** A Guard to share between clients (default: a new one for `edition`). */
  guard?: G;
  /** Extra Guard configuration when the client makes its own (it may set `edition` too). */
  guardConfig?: Partial<GuardConfig>;
  /** Receives every admit, send, reply, decision and progress tick. */
  onEvent?: (event: ClientEvent) => void;
  /** Cancels every job of this client cleanly. */
  signal?: AbortSignal;
  /** Per-call timeout in ms (default 30,000). */
  timeoutMs?: number;
  /** Longest wait for credits a write job sits through before it stops (default 60,000 ms). */
  maxCreditWaitMs?: number;
  /** Default `deadlineMs` of this client's write jobs (default 3,600,000: one hour; see docs/patience.md). */
  deadlineMs?: number;
  /**
   * Called with every decision of the Guard before the client acts on it, in the manner of
   * Octokit's `onRateLimit` and p-retry's `shouldRetry`: may veto a retry or change a wait
   * (see `DecisionHookAnswer`). May be async. A hook that throws changes nothing (`hook_error` event).
   */
  onDecision?: (decision: Decision, inputs: DecisionHookInputs) => DecisionHookAnswer | Promise<DecisionHookAnswer>;
  /** Clock and sleep, for tests. */
  now?: () => number;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

export type ClientEvent =
  | { type: 'admit'; at: number; operation: Operation; ok: boolean; reason: GuardRefusal['reason'] | null; waitMs: number; cost: number }
  | { type: 'send'; at: number; ticket: number; method: string; url: string; operation: Operation; attempt: number }
  | { type: 'reply'; at: number; ticket: number; status: number; ms: number; error: string | null }
  | { type: 'decision'; at: number; ticket: number; action: GuardAction; reason: GuardReason; delayMs: number; attempt: number }
  | { type: 'token_refresh'; at: number }
  /** `attempt`: refreshes failed in a row; `action`/`reason`/`delayMs`: the Guard's decision on it. */
  | { type: 'token_refresh_failed'; at: number; attempt: number; error: string; action: 'retry' | 'give_up'; reason: GuardReason | (string & {}); delayMs: number }
  /** A lookup went to the search API because COQL was refused (`code`). */
  | { type: 'lookup_fallback'; at: number; module: string; from: 'coql'; to: 'search'; code: string }
  /** `onDecision` threw; the Guard's decision stood. */
  | { type: 'hook_error'; at: number; error: string }
  | { type: 'result'; at: number; index: number; result: WriteResult }
  | { type: 'credits_exhausted'; at: number; resumeAt: number; waitMs: number }
  /** A resume could not look up the records whose outcome was unknown: they stay AMBIGUOUS_WRITE. */
  | { type: 'resume_lookup_failed'; at: number; records: number; error: string }
  | { type: 'progress'; at: number; batchesDone: number; batchesTotal: number; recordsOk: number; recordsFailed: number; recordsPending: number; done?: boolean };

// ---------------------------------------------------------------- write jobs

/** The final result of one input record: Zoho's per-record shape, plus why it is final. */
export interface WriteResult extends RecordResult {
  /**
   * Why this is final: the Guard's rule id, or the client's (`invalid_before_sending`,
   * `verified_after_lost_reply`, `verified_on_resume`, `verify_failed`, `attempts_exhausted`,
   * and the job's stops `deadline`, `aborted`, `credits`; `vetoed` by `onDecision`, …).
   */
  reason: GuardReason | (string & {});
  /** Calls that carried this record (0: never sent); token replays and splits not counted. */
  attempts: number;
}

export interface WriteStats {
  records: number;
  ok: number;
  failed: number;
  notSent: number;
  rejectedBeforeSending: number;
  /** Records whose result was carried over (or verified) from `opts.resume`. */
  resumed: number;
  batches: number;
  batchesDone: number;
  calls: number;
  retries: number;
  credits: number;
  durationMs: number;
  /** When the job started (the client's `now()`): a resume's proof of records with no result. */
  startedAt: number | null;
  /**
   * Why the job ended before every record was final: the caller's signal, its deadline, or
   * credits gone for longer than `maxCreditWaitMs`; null when it finished.
   */
  stoppedBy: 'aborted' | 'deadline' | 'credits' | null;
  /** When the Guard's ledger frees enough credits for the next call (ms), when stopped by credits. */
  resumeAt: number | null;
  /** Records a `resume` run would send again or look up (NOT_SENT, AMBIGUOUS_WRITE, or ended by a stop). */
  pending: number;
}

export interface WriteOptions {
  /** `trigger` of each body; `[]` runs no automation (see `planBatches`). */
  trigger?: string[];
  duplicateCheckFields?: string[];
  /** Records per call (default 100). */
  batchSize?: number;
  /** Largest body per call in UTF-8 bytes (see `planBatches`). */
  maxBodyBytes?: number;
  /** Validate against the module's field metadata before sending (default true; never for delete). */
  validate?: boolean;
  /** Pick-list values outside the metadata are warnings, not errors (see `validateRecords`). */
  allowNewPicklistValues?: boolean;
  fieldsMetadata?: FieldsMetadata;
  signal?: AbortSignal;
  /** Overrides the client's `maxCreditWaitMs` for this job. */
  maxCreditWaitMs?: number;
  /**
   * Attempts per record (1 to 10,000): a record sent this many times without being
   * written ends with reason `attempts_exhausted`. Default: no cap; a transient outcome
   * never ends a record, the job's deadline does.
   */
  maxAttempts?: number;
  /** The job ends after this many ms; unfinished records say `deadline` (default: the client's, one hour). */
  deadlineMs?: number;
  /**
   * The results of an earlier run of the same job (holes allowed, e.g. rebuilt from
   * `result` events after a crash): settled results are kept, NOT_SENT and records ended
   * by a stop are sent again, holes and AMBIGUOUS_WRITE inserts are looked up by their
   * unique field first (a found record counts only when created after the earlier send:
   * `details.sentAt`, else `stats.startedAt`/`startedAt`). Tickets the client's (restored)
   * Guard still holds in flight are settled as lost (the Guard's `toJSON` is read): give a
   * Guard no live job is using.
   */
  resume?:
    | Array<WriteResult | null | undefined>
    | { results: Array<WriteResult | null | undefined>; stats?: { startedAt?: number | null }; startedAt?: number };
}

/**
 * What a write job resolves with: one result per input record, in input order
 * (`results[i]` is the result of `records[i]`). `R` names the caller's record type, as
 * given to `insert<R>` and the like (a `WriteJob<Lead>` is the job of `Lead[]`).
 */
// eslint-disable-next-line @typescript-eslint/no-unused-vars
export interface WriteJob<R extends object = Record<string, unknown>> {
  results: WriteResult[];
  stats: WriteStats;
}

/** `records()` of a module: Zoho's Get Records requires `fields` (REQUIRED_PARAM_MISSING without it). */
export interface RecordsOptions {
  /** Field API names, or one comma-separated string. */
  fields: string[] | string;
  /** Records per page (at most 200). */
  perPage?: number;
  /** A search criteria (`(Email:equals:a@b.c)`): Search Records instead of Get Records. */
  criteria?: string;
  signal?: AbortSignal;
}

/** `records()` as a search: with `criteria`, `fields` may be left out. */
export interface SearchOptions extends Omit<RecordsOptions, 'fields' | 'criteria'> {
  criteria: string;
  fields?: string[] | string;
}

/** `coql()`'s options. */
export interface CoqlOptions {
  /** Rows per call (at most 2,000); each call at its credit tier. */
  pageSize?: number;
  signal?: AbortSignal;
}

/** A record as Zoho returns it, when the caller names no type. */
export type ZohoRecord = Record<string, unknown>;

// ---------------------------------------------------------------- the client

export interface ZohoClient<G extends GuardLike = Guard> {
  /** The Guard this client obeys (shared with other clients if one was given). */
  readonly guard: G;
  /**
   * Inserts records (any number: batched, validated, retried, verified); resolves with
   * one result per record. `R`: the caller's record type (`client.insert<Lead>(…)`).
   * An unknown key in `opts` is INVALID_ARGUMENT.
   */
  insert<R extends object = ZohoRecord>(module: string, records: R[], opts?: WriteOptions): Promise<WriteJob<R>>;
  /** Updates records (each needs an `id`). */
  update<R extends object = ZohoRecord>(module: string, records: R[], opts?: WriteOptions): Promise<WriteJob<R>>;
  /** Upserts records on `duplicateCheckFields` (or the module's system defaults). */
  upsert<R extends object = ZohoRecord>(module: string, records: R[], opts?: WriteOptions): Promise<WriteJob<R>>;
  /** Deletes records by id, 100 per call. */
  delete(module: string, ids: string[], opts?: WriteOptions): Promise<WriteJob<{ id: string }>>;
  fieldsMetadata(module: string, opts?: { signal?: AbortSignal }): Promise<FieldsMetadata>;
  /**
   * Every record of a module, page by page, typed `R` (`client.records<Lead>(…)`).
   * Zoho requires `fields` on Get Records (refused before sending without it); a
   * search (`criteria`) may leave it out. A failure ends with ZOHO_ERROR or
   * NO_RESPONSE, Zoho's own code in `details.zoho`.
   */
  records<R extends object = ZohoRecord>(module: string, opts: RecordsOptions | SearchOptions): AsyncIterable<R>;
  /** Every row of a COQL query, typed `R`, by LIMIT/OFFSET; a query with its own LIMIT is sent once. */
  coql<R extends object = ZohoRecord>(query: string, opts?: CoqlOptions): AsyncIterable<R>;
  /** Analysed before sending (`opts.analysis`: the analysis options); rejected locally (`GRAPHQL_REJECTED`) when it breaks a limit. */
  graphql(
    query: string,
    variables?: Record<string, unknown> | null,
    opts?: { operationName?: string; signal?: AbortSignal; analysis?: Omit<GraphqlOptions, 'operationName'> },
  ): Promise<{ ok: boolean; data: unknown; errors: unknown[] | null; analysis: GraphqlAnalysis; decision: Decision }>;
  convertLead(id: string, body?: object, opts?: { signal?: AbortSignal }): Promise<{ ok: boolean; body: unknown; decision: Decision }>;
  request(
    operation: Operation,
    init?: { method?: string; path?: string; url?: string; query?: Record<string, string | number>; body?: unknown; signal?: AbortSignal },
  ): Promise<{ ok: boolean; status: number; body: unknown; decision: Decision }>;
  /** The Guard's figures now (`guard.snapshot(now())`). */
  snapshot(): GuardSnapshot;
}

/** A client bound to one Zoho org. */
export function createClient<G extends GuardLike = Guard>(options: ClientOptions<G>): ZohoClient<G>;
