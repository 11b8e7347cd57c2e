// Types of classify: the verdict on one Zoho CRM response.
// The shapes are generated from the Rust types (generated/classify.d.ts); this file
// declares the function and the response it reads, which has no Rust type (headers
// and bodies come in every JavaScript form).

import type { Operation } from './generated/catalog.js';
import type { ClassifyOptions, Verdict } from './generated/classify.js';

export * from './generated/classify.js';

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

/**
 * Classifies one Zoho CRM response (REST, per-record, composite, GraphQL, OAuth,
 * proxies, no response). The verdict's `records` are built on first access.
 */
export function classify(response: ResponseInput, operation?: Operation | null, options?: ClassifyOptions | null): Verdict;
