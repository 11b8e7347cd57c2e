// Types of the GraphQL pre-flight: analyzeGraphql.
// The shapes (options, analysis, violations and their codes) are generated from the
// Rust types (generated/graphql.d.ts); this file declares the function.

import type { GraphqlAnalysis, GraphqlOptions } from './generated/graphql.js';

export * from './generated/graphql.js';

/**
 * Checks a Zoho CRM GraphQL query against Zoho's depth, complexity, credit, record,
 * field, lookup and criteria limits before it is sent. `query` is a string or UTF-8
 * bytes. Faults of the query are `violations`; throws `QUERY_TOO_LARGE`,
 * `INVALID_UTF8` or `INVALID_ARGUMENT` for bad arguments.
 */
export function analyzeGraphql(
  query: string | Uint8Array,
  variables?: Record<string, unknown> | null,
  options?: GraphqlOptions | null,
): GraphqlAnalysis;
