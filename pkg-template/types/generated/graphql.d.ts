// The GraphQL pre-flight: `analyzeGraphql`'s options and analysis.
// Generated from the Rust types by ts-rs (tests/ts_types/): do not edit.
// `bash scripts/gen-types.sh` rewrites it; the test `ts_types` fails when it is stale.

/** How depth is counted where Zoho leaves it open (see the module docs). */
export type GraphqlDepthConvention = 'strict' | 'lenient';

/**
 * Options of `analyzeGraphql`; every limit defaults to
 * Zoho's figure.
 */
export type GraphqlOptions = {
  /** The operation to analyse when the document has several. */
  operationName?: string | null,
  /** Largest query in bytes (default 256 KiB, at most 16 MiB). */
  maxQueryBytes?: number,
  /** Parser recursion limit (default 64, 1 to 256). */
  maxNesting?: number,
  /** Field selections visited after fragment expansion (default 100,000). */
  maxExpandedFields?: number,
  /** Record depth limit (default 3). */
  maxDepthRecords?: number,
  /** Metadata depth limit (default 7). */
  maxDepthMeta?: number,
  /** Complexity limit (default 1,000). */
  maxComplexity?: number,
  /** Credit limit per call (default 10). */
  maxCredits?: number,
  /** Records per root module query (default 100). */
  maxRootRecords?: number,
  /** Records per sub-level query (default 10). */
  maxSubRecords?: number,
  /** Fields per record resource (default 50). */
  maxFieldsPerResource?: number,
  /** Lookup and child fields per record resource (default 5). */
  maxRelationsPerResource?: number,
  /** Filter criteria per query (default 25). */
  maxCriteria?: number,
  /** Credits of a root module query (default 1; Zoho's figure is unverified). */
  rootRecordCredits?: number,
  /** Complexity of a root module query (default 100). */
  rootRecordComplexity?: number,
  /** How depth is counted (default strict). */
  depthConvention?: GraphqlDepthConvention,
  /** Field API names that are subforms or other child relations. */
  subforms?: Array<string>,
  /**
   * Field API names that are multi-module lookups, in addition to `What_Id` and
   * `Appointments_For`.
   */
  multiModuleLookups?: Array<string>,
  /** Field API names that are lookups even when the selection does not show it. */
  lookups?: Array<string>,
  /**
   * Lookup fields Zoho does not charge (e.g. `["Created_By", "Modified_By"]`, which
   * GQL-C hints are free; unverified, so the default charges every lookup).
   */
  freeLookups?: Array<string>,
};

/** The code of a violation: the limit that the query breaks. */
export type GraphqlViolationCode = 'SYNTAX_ERROR'
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

/** A limit the query breaks, located like a GraphQL error (`path`, line, column). */
export type GraphqlViolation = {
  code: GraphqlViolationCode,
  message: string,
  /** The limit broken, when it is a number. */
  limit: number | null,
  /** The figure found. */
  actual: number | null,
  /** Response path of the field at fault; empty for the whole query. */
  path: Array<string>,
  /** 1-based line of the field at fault. */
  line: number | null,
  /** 1-based column (in characters) of the field at fault. */
  column: number | null,
};

/** What a resource is. */
export type GraphqlResourceKind = 'module'
  | 'lookup'
  | 'child_relation'
  | 'multi_module_lookup'
  | 'meta'
  | 'other';

/** One charged resource of the query. */
export type GraphqlResource = {
  /** Response path of the field, as in a GraphQL error's `path`. */
  path: Array<string>,
  kind: GraphqlResourceKind,
  complexity: number,
  /** Credits, unrounded (0, 0.25, 0.5, 1 …). */
  credits: number,
};

/** The result of `analyzeGraphql`. */
export type GraphqlAnalysis = {
  /** No violation: Zoho should accept the query's shape. */
  ok: boolean,
  /** Name of the analysed operation (`null` when anonymous or none). */
  operation: string | null,
  depth: {
    /** Deepest record level. */
    records: number,
    /** Deepest metadata level. */
    meta: number,
  },
  complexity: number,
  /**
   * Credits the call consumes: the sum of the resources, rounded up. Pass it as
   * `operation.credits` of a `{ kind: "graphql" }` operation.
   */
  credits: number,
  /** The sum before rounding. */
  creditsExact: number,
  /** Records the root module queries may return (their `limit`s, 100 when absent). */
  rootRecords: number,
  /** Filter criteria counted over the whole operation. */
  criteria: number,
  /** Every charged resource, in query order. */
  resources: Array<GraphqlResource>,
  violations: Array<GraphqlViolation>,
};
