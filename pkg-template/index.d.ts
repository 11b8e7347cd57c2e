// Types of the zcrm-guard package. Hand-written to match the one serializer of the
// Rust core (serde-wasm-bindgen `json_compatible`): camelCase keys, plain objects for
// maps, `null` (never `undefined`) for absent values, numbers for integers.

// ---------------------------------------------------------------- initialisation

/** What `init` and `initSync` accept in browsers; ignored where instantiation is synchronous (Node, workerd). */
export type InitInput =
  | RequestInfo
  | URL
  | Response
  | BufferSource
  | WebAssembly.Module;

/**
 * Instantiates the wasm. Browsers and bundlers: `await init()` once before any call.
 * Node and Cloudflare Workers: a no-op, the module is ready at import.
 */
export default function init(
  input?: { module_or_path?: InitInput | Promise<InitInput> } | InitInput | Promise<InitInput>,
): Promise<unknown>;

/** Instantiates the wasm synchronously from bytes or a compiled module (no-op in Node and workerd). */
export function initSync(module?: { module: BufferSource | WebAssembly.Module } | BufferSource | WebAssembly.Module): unknown;

// ---------------------------------------------------------------- errors

/** Stable codes of `ZcrmGuardError`. */
export type ZcrmGuardErrorCode =
  | 'UNKNOWN_EDITION'
  | 'UNKNOWN_OPERATION_KIND'
  | 'INVALID_ARGUMENT'
  | 'BODY_TOO_LARGE'
  | 'QUERY_TOO_LARGE'
  | 'INVALID_UTF8'
  | 'UNKNOWN_TICKET'
  | 'TICKET_ALREADY_SETTLED'
  | 'RETRY_NOT_ALLOWED'
  | 'INVALID_MODULE'
  | 'RECORD_TOO_LARGE'
  // Raised by the client (JavaScript).
  | 'TOKEN_REFRESH_FAILED'
  | 'GRAPHQL_REJECTED'
  | 'ABORTED'
  | 'ZOHO_ERROR';

/** Facts about an error; absent ones are `null`. */
export interface ZcrmGuardErrorDetails {
  /** The argument at fault, as a dotted path (`options.licenses`). */
  field: string | null;
  /** The offending value, clipped to 64 characters. */
  value: string | null;
  /** The closest valid value (INVALID_MODULE), or null. */
  suggestion: string | null;
  /** A size that exceeded its limit. */
  size: number | null;
  /** The limit it exceeded. */
  limit: number | null;
}

/** Every error thrown by the package: a real `Error` with a stable `code`. */
export interface ZcrmGuardError extends Error {
  name: 'ZcrmGuardError';
  code: ZcrmGuardErrorCode;
  details: ZcrmGuardErrorDetails;
}

/** Type guard for errors thrown by the package. */
export function isZcrmGuardError(error: unknown): error is ZcrmGuardError;

/** Every code a `ZcrmGuardError` can carry. */
export function errorCodes(): ZcrmGuardErrorCode[];

// ---------------------------------------------------------------- capabilities
// One file per capability under types/; each is re-exported here.
export * from './types/catalog.js';
export * from './types/classify.js';
export * from './types/graphql.js';
export * from './types/guard.js';
export * from './types/client.js';
export * from './types/transports.js';
export * from './types/validate.js';
