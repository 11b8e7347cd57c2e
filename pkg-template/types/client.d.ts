// Types of the client: the fetch loop that obeys the Guard.
import type { Operation, Edition, EditionName } from './catalog.js';
import type { Transport } from './transports.js';
import type { RecordResult } from './classify.js';


/** A token endpoint's answer, or just the new access token. */
export type RefreshResult = string | { access_token: string; expires_in?: number; expires_in_sec?: number; api_domain?: string };

export interface ClientOptions {
  /** `api_domain` of the org's data centre, e.g. https://www.zohoapis.com. */
  apiDomain: string;
  /** CRM API version of the paths (default `v8`). */
  apiVersion?: string;
  /** How requests are sent (default `fetchTransport()`). */
  transport?: Transport;
  /** The current access token (never logged, never in events or errors). */
  getAccessToken: () => string | Promise<string>;
  /** Refreshes the access token; called at most once per token generation. */
  refreshAccessToken?: () => Promise<RefreshResult>;
  edition?: EditionName | Edition;
  licenses?: number;
  addOnCredits?: number;
  /** Zoho's `GET /settings/fields?module=X` body per module; fetched once and cached when absent. */
  fieldsMetadata?: Record<string, { fields: unknown[] }>;
  /** A Guard to share between clients (default: a new one for this edition). */
  guard?: unknown;
  /** Extra Guard configuration when the client makes its own. */
  guardConfig?: Record<string, unknown>;
  /** Receives every admit, send, reply, decision and progress tick. */
  onEvent?: (event: ClientEvent) => void;
  /** Cancels every job of this client cleanly. */
  signal?: AbortSignal;
  /** Per-call timeout in ms (default 30,000). */
  timeoutMs?: number;
  /** Longest wait for credits a write job sits through before it stops (default 60,000 ms). */
  maxCreditWaitMs?: number;
  /** Clock and sleep, for tests. */
  now?: () => number;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

export type ClientEvent =
  | { type: 'admit'; at: number; operation: Operation; ok: boolean; reason: string | null; waitMs: number; cost: unknown }
  | { type: 'send'; at: number; ticket: number; method: string; url: string; operation: Operation; attempt: number }
  | { type: 'reply'; at: number; ticket: number; status: number; ms: number; error: string | null }
  | { type: 'decision'; at: number; ticket: number; action: string; reason: string; delayMs: number; attempt: number }
  | { type: 'token_refresh'; at: number }
  | { type: 'token_refresh_failed'; at: number; attempt: number; error: string }
  | { type: 'result'; at: number; index: number; result: WriteResult }
  | { type: 'credits_exhausted'; at: number; resumeAt: number; waitMs: number }
  /** A resume could not look up the records whose outcome was unknown: they stay AMBIGUOUS_WRITE. */
  | { type: 'resume_lookup_failed'; at: number; records: number; error: string }
  | { type: 'progress'; at: number; batchesDone: number; batchesTotal: number; recordsOk: number; recordsFailed: number; recordsPending: number; done?: boolean };

/** The final result of one input record: Zoho's per-record shape, plus why it is final. */
export interface WriteResult extends Omit<RecordResult, 'category' | 'retry'> {
  category: string;
  retry: string;
  /** Why this is final: the Guard's rule id, `invalid_before_sending`, `aborted`, `verified_after_lost_reply`, … */
  reason: string;
  /** Calls that carried this record (0: never sent). */
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
  /** Why the job ended early: the caller's signal, or credits gone for longer than `maxCreditWaitMs`. */
  stoppedBy: 'aborted' | 'credits' | null;
  /** When the Guard's ledger frees enough credits for the next call (ms), when stopped by credits. */
  resumeAt: number | null;
  /** Records a `resume` run would send again (NOT_SENT, or failed for credits). */
  pending: number;
}

export interface WriteOptions {
  trigger?: string[];
  duplicateCheckFields?: string[];
  batchSize?: number;
  validate?: boolean;
  fieldsMetadata?: { fields: unknown[] };
  signal?: AbortSignal;
  /** Overrides the client's `maxCreditWaitMs` for this job. */
  maxCreditWaitMs?: number;
  /**
   * Attempts per batch for this job (1 to 100), overriding the Guard's
   * `retry.maxAttempts` (3): a bulk load that should outlast a bad hour asks for more.
   */
  maxAttempts?: number;
  /**
   * The results of an earlier run of the same job (holes allowed, e.g. rebuilt from
   * `result` events after a crash): settled results are kept, NOT_SENT and `credits`
   * failures are sent again, holes and AMBIGUOUS_WRITE inserts are looked up by their
   * unique field first. Tickets the client's (restored) Guard still holds in flight
   * are settled as lost: give a Guard no live job is using.
   */
  resume?: Array<WriteResult | null | undefined> | { results: Array<WriteResult | null | undefined> };
}

export interface ZohoClient {
  readonly guard: unknown;
  insert(module: string, records: object[], opts?: WriteOptions): Promise<{ results: WriteResult[]; stats: WriteStats }>;
  update(module: string, records: object[], opts?: WriteOptions): Promise<{ results: WriteResult[]; stats: WriteStats }>;
  upsert(module: string, records: object[], opts?: WriteOptions): Promise<{ results: WriteResult[]; stats: WriteStats }>;
  delete(module: string, ids: string[], opts?: WriteOptions): Promise<{ results: WriteResult[]; stats: WriteStats }>;
  fieldsMetadata(module: string, opts?: { signal?: AbortSignal }): Promise<{ fields: unknown[] }>;
  records(module: string, opts?: { fields?: string[] | string; perPage?: number; criteria?: string; signal?: AbortSignal }): AsyncIterable<Record<string, unknown>>;
  coql(query: string, opts?: { pageSize?: number; signal?: AbortSignal }): AsyncIterable<Record<string, unknown>>;
  graphql(query: string, variables?: Record<string, unknown> | null, opts?: { operationName?: string; signal?: AbortSignal }): Promise<{ ok: boolean; data: unknown; errors: unknown[] | null; analysis: unknown; decision: unknown }>;
  convertLead(id: string, body?: object, opts?: { signal?: AbortSignal }): Promise<{ ok: boolean; body: unknown; decision: unknown }>;
  request(operation: Operation, init?: { method?: string; path?: string; url?: string; query?: Record<string, string | number>; body?: unknown; signal?: AbortSignal }): Promise<{ ok: boolean; status: number; body: unknown; decision: unknown }>;
}

/** A client bound to one Zoho org. */
export function createClient(options: ClientOptions): ZohoClient;
