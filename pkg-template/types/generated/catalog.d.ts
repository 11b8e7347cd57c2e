// The limits catalog: editions, credit costs, per-call limits, data centres, Zoho facts.
// Generated from the Rust types by ts-rs (tests/ts_types/): do not edit.
// `bash scripts/gen-types.sh` rewrites it; the test `ts_types` fails when it is stale.
import type { EditionAlias } from '../catalog.js';

/** A Zoho CRM edition. Aliases map onto these (see `EditionSpec::parse`). */
export type Edition = 'free' | 'standard' | 'professional' | 'enterprise' | 'ultimate';

/** Options of `editionLimits`, as JavaScript passes them. */
export type EditionOptions = {
  /** Paid user licences (default 0: the allowance is then the base alone). */
  licenses?: number | null,
  /** Purchased add-on credits per 24 h. */
  addOnCredits?: number | null,
  /** Override of the edition cap: a number, or `null`/absent for the default. */
  creditCap?: number | null,
  /**
   * Whether add-on credits may exceed the cap (default false, the safer reading:
   * LIM's table puts add-ons inside the capped formula).
   */
  addOnsAboveCap?: boolean | null,
  /** Override of the concurrency limit (e.g. 25 for a CRM Plus org that has 25). */
  concurrency?: number | null,
};

/** The credit allowance, every figure that went into it. */
export type CreditAllowance = {
  /** Base of the formula (50,000 for paid editions, 5,000 for Free). */
  base: number,
  /** Credits per licence for this edition. */
  perLicense: number,
  /** Licences counted. */
  licenses: number,
  /** Add-on credits counted. */
  addOnCredits: number,
  /** base + licences × per-licence + add-ons (+ add-ons only when inside the cap). */
  computed: number,
  /** The edition maximum applied, `null` when unlimited. */
  cap: number | null,
  /** What the org really has per 24 h: min(computed, cap). */
  available: number,
  /**
   * Credits below which Zoho sends `X-API-CREDITS-REMAINING`: half the allowance
   * excluding add-ons (LIM via quotations: "once usage reaches 50%… excluding add-on credits").
   */
  headerThreshold: number,
  /** Length of the rolling window in ms. */
  windowMs: number,
};

/** Everything the catalog knows about one edition for one org. */
export type EditionLimits = {
  /** Canonical edition name. */
  edition: Edition,
  /** The alias the caller used (`starter`, `zoho_one`, `crm_plus`), else `null`. */
  alias: EditionAlias | null,
  /** Credits per rolling 24 h. */
  credits: CreditAllowance,
  /** Concurrent calls. */
  concurrency: number,
  /** Concurrent calls of the complex-API pool (SUBC). */
  subConcurrency: number,
  /** Concurrent GraphQL calls per org (GQL-L). */
  graphqlConcurrency: number,
  /** Figures that rest on unverified or conflicting sources, for the caller's eyes. */
  caveats: Array<string>,
};

/** The kind of an API call. */
export type OperationKind = 'insert'
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

/** An operation exactly as JavaScript passes it; `Operation` is the checked form. */
export type Operation = {
  /** Kind name (`"insert"`). */
  kind: OperationKind,
  /** Module API name. */
  module?: string | null,
  /** Records the call carries (writes, deletes) or asks for. */
  recordCount?: number | null,
  /** LIMIT of a COQL query. */
  coqlLimit?: number | null,
  /** A Get Records call with `sort_by` or `cvid`. */
  sorted?: boolean | null,
  /** `rollback_on_fail` of a composite call. */
  rollbackOnFail?: boolean | null,
  /** Credits known for this call (a GraphQL call's analysed cost): overrides the table. */
  credits?: number | null,
  /**
   * Attempts for this call, overriding the Guard's `retry.maxAttempts` (and a
   * patient call's "no cap").
   */
  maxAttempts?: number | null,
  /**
   * A patient call: never ends on a transient outcome (no attempts cap unless
   * `maxAttempts` is set; an open breaker or a spent retry budget is waited out).
   * Default `false`: the Guard's call-by-call rules.
   */
  patient?: boolean | null,
  /**
   * Which attempt this call is for the records it carries (1 = their first try),
   * for the backoff of a record-level retry (RECORD_LOCKED): a write job resending
   * records merged from several batches says how often they were locked, and that
   * backoff grows with it instead of with the call's lineage. Other retries (5xx,
   * 429, network) keep the lineage's count.
   */
  attempt?: number | null,
};

/** Overrides of the credit table, for figures Zoho has not confirmed. */
export type CostOverrides = {
  /** Flat credits per call for a kind (`{ "search": 3 }`). */
  perCall?: {
    [key in OperationKind]?: number
  },
  /** Records per credit on insert/update/upsert; 0 means one credit per call. */
  writeRecordsPerCredit?: number | null,
};

/** What one call costs and why. */
export type CreditCost = {
  /** Credits reserved for the call. */
  credits: number,
  /**
   * Credits given back when the call ends a certain way (a composite with
   * `rollback_on_fail` costs 1 instead of 2 when it rolls back).
   */
  refundOnRollback: number,
  /** Whether a primary Zoho source confirms the figure. */
  verified: boolean,
  /** The rule applied, as a stable id. */
  basis: string,
  /** Where the figure comes from. */
  source: string,
};

/** Which concurrency pool a call draws from. */
export type Pool = 'standard' | 'complex' | 'graphql';

/** The per-call maxima of an operation; `null` where a figure does not apply. */
export type OperationLimits = {
  /** The kind these limits are for. */
  kind: OperationKind,
  /** Records one call may carry or return. */
  maxRecordsPerCall: number | null,
  /** Largest `per_page`. */
  maxPerPage: number | null,
  /** Records reachable by `page` alone. */
  maxRecordsWithoutPageToken: number | null,
  /** Records reachable in all (with `page_token` or OFFSET). */
  maxRecordsTotal: number | null,
  /** Field API names per call. */
  maxFields: number | null,
  /** Criteria per call. */
  maxCriteria: number | null,
  /** Sub-requests per composite call. */
  maxSubRequests: number | null,
  /** Whether the call counts against the complex pool of 10. */
  complex: boolean,
  /** Which pool bounds it. */
  pool: Pool,
  /** Slots of the edition's concurrency it takes. */
  concurrencySlots: number,
  /** Where the figures come from. */
  source: string,
};

/** Id of a Zoho data centre. */
export type DataCenterId = 'us' | 'eu' | 'in' | 'au' | 'jp' | 'ca' | 'sa' | 'cn';

/** One data centre. */
export type DataCenter = {
  /** Short id (`"us"`, `"eu"`, …), the `location` of Zoho's authorization redirect. */
  id: DataCenterId,
  /** Human name. */
  name: string,
  /** OAuth accounts server (token endpoint at `{accounts}/oauth/v2/token`). */
  accountsServer: string,
  /** Production API domain. */
  apiDomain: string,
  /** Sandbox API domain. */
  sandboxDomain: string,
  /** Developer-edition API domain. */
  developerDomain: string,
  /** File and bulk upload domain. */
  fileDomain: string,
  /** Registrable suffix shared by this DC's API hosts (`zohoapis.eu`). */
  apiSuffix: string,
  /** Registrable suffix of the accounts server (`zoho.eu`). */
  accountsSuffix: string,
};

/** The Zoho facts a client needs, in one plain object. */
export type ZohoFacts = {
  /** Get Records paging. */
  paging: {
    /** Largest `per_page`. */
    maxPerPage: number,
    /** Records reachable with `page` alone; beyond, `page_token`. */
    maxRecordsWithoutPageToken: number,
    /** Records reachable with `page_token`. */
    maxRecordsWithPageToken: number,
  },
  /** COQL sizes. */
  coql: {
    /** Largest LIMIT of one call. */
    maxLimit: number,
    /** Rows reachable by LIMIT/OFFSET in all. */
    maxRows: number,
    /** LIMIT Zoho applies when the query has none. */
    defaultLimit: number,
  },
  /** Search limits. */
  search: {
    /** Records Search reaches in all. */
    maxRecords: number,
    /** Criteria per call. */
    maxCriteria: number,
  },
  /** Records per insert/update/upsert/delete call. */
  maxRecordsPerWrite: number,
  /** Upsert's system duplicate-check fields. */
  duplicateCheck: {
    /** Every standard module by API name; empty where the module has none. */
    modules: {
      [key in string]: Array<string>
    },
    /** The fields of every custom module. */
    customModule: Array<string>,
  },
  /** The HTTP status Zoho sends with a top-level `code` (`{ "INVALID_TOKEN": 401 }`). */
  codeStatus: {
    [key in string]: number
  },
  /**
   * Not Zoho's but the runtime's: the longest wait the Guard asks for, 2^31 - 1 ms
   * (what a JavaScript timer holds); a longer sleep is taken in steps of it.
   */
  maxWaitMs: number,
};
