// Types of the limits catalog: editionLimits, creditCost, operationLimits, dataCenters, zohoFacts.

// ---------------------------------------------------------------- catalog: editions

/** A Zoho CRM edition. */
export type Edition = 'free' | 'standard' | 'professional' | 'enterprise' | 'ultimate';

/** An edition or an alias (`starter` is Standard, `zoho_one` Enterprise, `crm_plus` Ultimate credits with concurrency 20). Case, spaces and hyphens are ignored. */
export type EditionName = Edition | 'starter' | 'zoho_one' | 'crm_plus' | (string & {});

/** Options of `editionLimits`. */
export interface EditionOptions {
  /** Paid user licences (whole, ≥ 0). Default 0. */
  licenses?: number;
  /** Purchased add-on credits per 24 h (whole, ≥ 0). Default 0. */
  addOnCredits?: number;
  /** Edition cap to apply instead of the default; `null` or absent for the default. */
  creditCap?: number | null;
  /** Let add-on credits exceed the cap (default false, the safer reading). */
  addOnsAboveCap?: boolean;
  /** Concurrency to use instead of the edition's (1 to 1000). */
  concurrency?: number;
}

/** The credit allowance per rolling 24 h and every figure that went into it. */
export interface CreditAllowance {
  base: number;
  perLicense: number;
  licenses: number;
  addOnCredits: number;
  /** base + licences × perLicense + add-ons. */
  computed: number;
  /** The edition maximum applied; `null` when unlimited. */
  cap: number | null;
  /** What the org has per 24 h: min(computed, cap). */
  available: number;
  /** Remaining credits below which Zoho sends `X-API-CREDITS-REMAINING` (half the allowance, add-ons excluded). */
  headerThreshold: number;
  /** The rolling window: 86,400,000 ms. */
  windowMs: number;
}

/** Limits of one edition for one org. */
export interface EditionLimits {
  edition: Edition;
  alias: 'starter' | 'zoho_one' | 'crm_plus' | null;
  credits: CreditAllowance;
  /** Concurrent calls (5, 10, 15, 20, 25). */
  concurrency: number;
  /** Concurrent calls of the complex-API pool: 10 for every edition. */
  subConcurrency: number;
  /** Concurrent GraphQL calls per org: 5. */
  graphqlConcurrency: number;
  /** Figures that rest on unverified or conflicting sources. */
  caveats: string[];
}

/** Limits of an edition (or alias) for an org. Throws `UNKNOWN_EDITION` or `INVALID_ARGUMENT`. */
export function editionLimits(edition: EditionName, options?: EditionOptions | null): EditionLimits;

// ---------------------------------------------------------------- catalog: operations

/** The kind of an API call. */
export type OperationKind =
  | 'insert'
  | 'update'
  | 'upsert'
  | 'delete'
  | 'get'
  | 'search'
  | 'coql'
  | 'convert_lead'
  | 'send_mail'
  | 'composite'
  | 'graphql'
  | 'mass_update'
  | 'bulk_read'
  | 'bulk_write'
  | 'metadata'
  | 'token'
  | 'other';

/** One API call, the object every function of the package takes. */
export interface Operation {
  kind: OperationKind;
  /** Module API name (`Leads`). */
  module?: string;
  /** Records the call carries (writes, deletes) or asks for. */
  recordCount?: number;
  /** LIMIT of a COQL query (1 to 2,000; default 200). */
  coqlLimit?: number;
  /** Get Records with `sort_by` or `cvid` (complex API). */
  sorted?: boolean;
  /** `rollback_on_fail` of a composite call. */
  rollbackOnFail?: boolean;
  /** Known credit cost (a GraphQL call's analysed cost), overriding the table. */
  credits?: number;
  /**
   * Attempts for this call, the first included (1 to 100), overriding the Guard's
   * `retry.maxAttempts`: 1 for an interactive call that should fail fast, more for a
   * read that resolves a lost reply.
   */
  maxAttempts?: number;
}

/** Overrides of the credit table, for figures Zoho has not confirmed. */
export interface CostOverrides {
  /** Flat credits per call for a kind, e.g. `{ search: 3 }`. */
  perCall?: Partial<Record<OperationKind, number>>;
  /** Records per credit on insert/update/upsert (default 10); 0 means one credit per call. */
  writeRecordsPerCredit?: number;
}

/** What a call costs and why. */
export interface CreditCost {
  credits: number;
  /** Credits given back when a composite with `rollbackOnFail` rolls back. */
  refundOnRollback: number;
  /** Whether a primary Zoho source confirms the figure. */
  verified: boolean;
  /** Stable id of the rule applied (`default`, `convert_lead`, `coql_limit_tier`, …). */
  basis: string;
  /** Where the figure comes from. */
  source: string;
}

/** Credit cost of one call. Throws `UNKNOWN_OPERATION_KIND` or `INVALID_ARGUMENT`. */
export function creditCost(operation: Operation, overrides?: CostOverrides | null): CreditCost;

/** Which concurrency pool a call draws from besides the edition's concurrency. */
export type Pool = 'standard' | 'complex' | 'graphql';

/** Per-call maxima; `null` where a figure does not apply. */
export interface OperationLimits {
  kind: OperationKind;
  maxRecordsPerCall: number | null;
  maxPerPage: number | null;
  maxRecordsWithoutPageToken: number | null;
  maxRecordsTotal: number | null;
  maxFields: number | null;
  maxCriteria: number | null;
  maxSubRequests: number | null;
  /** Counts against the complex-API pool of 10. */
  complex: boolean;
  pool: Pool;
  /** Slots of the edition's concurrency the call takes (5 for composite). */
  concurrencySlots: number;
  source: string;
}

/** Per-call limits of an operation. */
export function operationLimits(operation: Operation): OperationLimits;

// ---------------------------------------------------------------- catalog: data centres

/** One Zoho data centre. */
export interface DataCenter {
  id: 'us' | 'eu' | 'in' | 'au' | 'jp' | 'ca' | 'sa' | 'cn';
  name: string;
  accountsServer: string;
  apiDomain: string;
  sandboxDomain: string;
  developerDomain: string;
  fileDomain: string;
  apiSuffix: string;
  accountsSuffix: string;
}

/** Every CRM data centre. */
export function dataCenters(): DataCenter[];

/** The data centre of a Zoho URL (API, sandbox, developer, file or accounts domain), or `null`. */
export function dataCenterFor(url: string): DataCenter | null;

// ---------------------------------------------------------------- catalog: Zoho facts

/** The Zoho facts the client reads from the core instead of restating them. */
export interface ZohoFacts {
  /** Get Records paging: `per_page` 200, 2,000 records by `page`, 100,000 by `page_token`. */
  paging: { maxPerPage: number; maxRecordsWithoutPageToken: number; maxRecordsWithPageToken: number };
  /** COQL: LIMIT per call (2,000), rows by LIMIT/OFFSET in all (100,000), LIMIT when none (200). */
  coql: { maxLimit: number; maxRows: number; defaultLimit: number };
  /** Search: records reachable in all (2,000), criteria per call (10). */
  search: { maxRecords: number; maxCriteria: number };
  /** Records per insert/update/upsert/delete call (100). */
  maxRecordsPerWrite: number;
  /** Upsert's system duplicate-check fields: per standard module (empty where none), and for custom modules. */
  duplicateCheck: { modules: Record<string, string[]>; customModule: string[] };
  /** The HTTP status Zoho sends with a top-level `code`, e.g. `{ INVALID_TOKEN: 401 }`. */
  codeStatus: Record<string, number>;
}

/** The Zoho facts of this build of the core. */
export function zohoFacts(): ZohoFacts;
