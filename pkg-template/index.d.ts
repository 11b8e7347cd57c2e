// Types of the zcrm-guard package.
//
// Every shape that crosses from the Rust core (results, options, the Guard's
// configuration, decisions, snapshot and log) is generated from the Rust types by
// ts-rs into types/generated/ (`bash scripts/gen-types.sh`; a test fails when they
// are stale). Results cross as JSON text written by serde_json and read by
// `JSON.parse`: camelCase keys, plain objects for maps, `null` (never `undefined`)
// for absent values, numbers for integers (all below 2^53). The files under types/
// declare the functions and classes, and the few shapes with no Rust source.

import type {
  ClientErrorCode,
  ClientResultCode,
  CoreErrorCode,
  ErrorCode,
  ErrorCodeInfo,
  ErrorCodeRaised,
  ErrorCodeSource,
  ZcrmGuardErrorDetails,
} from './types/generated/errors.js';

export type {
  ClientErrorCode,
  ClientResultCode,
  CoreErrorCode,
  ErrorCode,
  ErrorCodeInfo,
  ErrorCodeRaised,
  ErrorCodeSource,
  ZcrmGuardErrorDetails,
};

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

/**
 * Stable codes of a thrown `ZcrmGuardError`: the core's and the client's. Zoho's own
 * codes never appear here: a read that ends on Zoho's error throws `ZOHO_ERROR` (or
 * `NO_RESPONSE`) with Zoho's `{ code, status, message }` in `details.zoho`.
 */
export type ZcrmGuardErrorCode = CoreErrorCode | ClientErrorCode;

/** What a read (`records`, `coql`, `fieldsMetadata`, a write's lookups) puts in `details.zoho`. */
export interface ZohoErrorDetails {
  /** Zoho's code (`SYNTAX_ERROR`, `REQUIRED_PARAM_MISSING`, …) or a synthetic one (`NETWORK_ERROR`, `TIMEOUT`, `HTTP_502`). */
  code: string;
  /** HTTP status (0: no response). */
  status: number;
  message: string;
  /** Zoho's own `details` object. */
  details: Record<string, unknown>;
}

/** Every error thrown by the package: a real `Error` with a stable `code`. */
export interface ZcrmGuardError extends Error {
  name: 'ZcrmGuardError';
  code: ZcrmGuardErrorCode;
  /**
   * The core's details (an unknown key: `suggestion`, `api_name`, `json_path`); errors
   * the client raises add their own (`zoho`, `status`, `reason`, `violations`, …).
   */
  details: ZcrmGuardErrorDetails & { zoho?: ZohoErrorDetails | null; [key: string]: unknown };
}

/** Type guard for errors thrown by the package. */
export function isZcrmGuardError(error: unknown): error is ZcrmGuardError;

/**
 * Every code the package raises, in one catalog: thrown by any export (the core's
 * and the client's), and the codes the client writes into per-record results
 * (`AMBIGUOUS_WRITE`, `NOT_SENT`, `NO_RESULT`). The table is in docs/api.md.
 */
export function errorCodes(): ErrorCode[];

/** The same catalog with each code's one-line meaning, who raises it and how. */
export function errorCatalog(): ErrorCodeInfo[];

// ---------------------------------------------------------------- capabilities
// One file per capability under types/; each is re-exported here.
export * from './types/catalog.js';
export * from './types/classify.js';
export * from './types/graphql.js';
export * from './types/guard.js';
export * from './types/client.js';
export * from './types/transports.js';
export * from './types/validate.js';
