// Types of the GraphQL pre-flight: analyzeGraphql.

/** How depth is counted where Zoho leaves it open. */
export type GraphqlDepthConvention = 'strict' | 'lenient';

/** Options of `analyzeGraphql`; every limit defaults to Zoho's published figure. */
export interface GraphqlOptions {
  /** The operation to analyse when the document has several. */
  operationName?: string | null;
  /** Largest query in bytes (default 262,144; at most 16 MiB). Larger: `QUERY_TOO_LARGE`. */
  maxQueryBytes?: number;
  /** Parser recursion limit (default 64, 1 to 256). Deeper: a `NESTING_LIMIT_EXCEEDED` violation. */
  maxNesting?: number;
  /** Field selections visited after fragment expansion (default 100,000). */
  maxExpandedFields?: number;
  /** Record depth limit (default 3). */
  maxDepthRecords?: number;
  /** Metadata depth limit (default 7). */
  maxDepthMeta?: number;
  /** Complexity limit (default 1,000). */
  maxComplexity?: number;
  /** Credits per call (default 10). */
  maxCredits?: number;
  /** Records per root module query (default 100). */
  maxRootRecords?: number;
  /** Records per sub-level query (default 10). */
  maxSubRecords?: number;
  /** Fields per record resource (default 50). */
  maxFieldsPerResource?: number;
  /** Lookup and child fields per record resource (default 5). */
  maxRelationsPerResource?: number;
  /** Criteria per `where` filter (default 25). */
  maxCriteria?: number;
  /** Credits of a root module query, a multiple of 0.25 (default 1; Zoho's figure is unverified). */
  rootRecordCredits?: number;
  /** Complexity of a root module query (default 100). */
  rootRecordComplexity?: number;
  /**
   * `strict` (default): the module is record level 1, every field level below `Meta` counts.
   * `lenient`: record levels start at the first relation; `_data`/`_info` do not count in metadata.
   */
  depthConvention?: GraphqlDepthConvention;
  /** Field API names that are subforms or other child relations (also recognised by a `_data` selection). */
  subforms?: string[];
  /** Multi-module lookup fields besides `What_Id` and `Appointments_For`. */
  multiModuleLookups?: string[];
  /** Fields that are lookups even when selected with leaves only. */
  lookups?: string[];
  /** Lookups Zoho does not charge, e.g. `['Created_By', 'Modified_By']` (unverified; default: none). */
  freeLookups?: string[];
}

/** The limit a query breaks. */
export type GraphqlViolationCode =
  | 'SYNTAX_ERROR'
  | 'NESTING_LIMIT_EXCEEDED'
  | 'DEPTH_EXCEEDED'
  | 'COMPLEXITY_EXCEEDED'
  | 'CREDITS_EXCEEDED'
  | 'RECORDS_LIMIT_EXCEEDED'
  | 'FIELDS_LIMIT_EXCEEDED'
  | 'LOOKUP_LIMIT_EXCEEDED'
  | 'CRITERIA_LIMIT_EXCEEDED'
  | 'CHILD_FIELD_NOT_AT_ROOT'
  | 'FRAGMENT_CYCLE'
  | 'UNKNOWN_FRAGMENT'
  | 'UNKNOWN_OPERATION'
  | 'OPERATION_NAME_REQUIRED'
  | 'NO_OPERATION'
  | 'UNSUPPORTED_OPERATION'
  | 'INVALID_VARIABLE'
  | 'UNDEFINED_VARIABLE'
  | 'ANALYSIS_LIMIT_EXCEEDED';

/** A violation, located like a GraphQL error. */
export interface GraphqlViolation {
  code: GraphqlViolationCode;
  message: string;
  /** The limit broken, when numeric. */
  limit: number | null;
  /** The figure found. */
  actual: number | null;
  /** Response path of the field at fault (fragment names for FRAGMENT_CYCLE); empty for the whole query. */
  path: string[];
  /** 1-based line, or null when the whole query is at fault. */
  line: number | null;
  /** 1-based column in characters. */
  column: number | null;
}

/** What a charged resource is. */
export type GraphqlResourceKind = 'module' | 'lookup' | 'child_relation' | 'multi_module_lookup' | 'meta' | 'other';

/** One charged resource. */
export interface GraphqlResource {
  path: string[];
  kind: GraphqlResourceKind;
  complexity: number;
  /** Unrounded credits: 0, 0.25, 0.5 or 1. */
  credits: number;
}

/** The result of `analyzeGraphql`. */
export interface GraphqlAnalysis {
  /** No violation. */
  ok: boolean;
  /** The analysed operation's name, or null. */
  operation: string | null;
  depth: { records: number; meta: number };
  complexity: number;
  /** Credits of the call, rounded up: pass as `credits` of a `{ kind: 'graphql' }` operation. */
  credits: number;
  /** The sum before rounding. */
  creditsExact: number;
  /** Records the root module queries may return (their `limit`, 100 when absent). */
  rootRecords: number;
  /** Filter criteria counted in the operation. */
  criteria: number;
  resources: GraphqlResource[];
  violations: GraphqlViolation[];
}

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
