// Planning calls within Zoho's per-call limits, and forecasts of jobs.
// Generated from the Rust types by ts-rs (tests/ts_types/): do not edit.
// `bash scripts/gen-types.sh` rewrites it; the test `ts_types` fails when it is stale.
import type { EditionName } from '../catalog.js';
import type { CostOverrides, OperationKind } from './catalog.js';

/** Options of `planBatches`, as JavaScript passes them. */
export type BatchOptions = {
  /** Records per call, at most (and by default) 100. */
  maxRecords?: number | null,
  /** Maximum body size in bytes (UTF-8 of the JSON text). */
  maxBodyBytes?: number | null,
  /**
   * `trigger` of the body (`workflow`, `approval`, `blueprint`, `pathfinder`,
   * `orchestration`); absent runs every automation, `[]` none.
   */
  trigger?: Array<string> | null,
  /** `duplicate_check_fields` of an upsert body. */
  duplicateCheckFields?: Array<string> | null,
  /** Overrides of the credit table. */
  costOverrides?: CostOverrides | null,
};

/** One planned call. */
export type BatchCall = {
  /** The call's kind. */
  kind: OperationKind,
  /** The caller's indices of the records in the call, in body order. */
  indices: Array<number>,
  /** Record ids of a delete call (`?ids=`), else `null`. */
  ids: Array<string> | null,
  /** Credits the call costs (catalog). */
  credits: number,
  /** Whether the call counts against the complex-API pool (catalog). */
  complex: boolean,
};

/** Options of `planComposite`. */
export type CompositeOptions = {
  /** `rollback_on_fail`: all sub-requests must then fit in one call. */
  rollbackOnFail?: boolean,
  /** `parallel_execution` (Zoho's default: true, false with rollback). */
  parallelExecution?: boolean | null,
  /** Sub-requests per call, at most (and by default) 5. */
  maxSubRequests?: number | null,
};

/** Options of `planJob`, as JavaScript passes them. */
export type JobOptions = {
  /** Edition name or alias (required). */
  edition: EditionName,
  /** Paid user licences. */
  licenses?: number | null,
  /** Add-on credits. */
  addOnCredits?: number | null,
  /** Override of the edition cap. */
  creditCap?: number | null,
  /** Credits left now (`X-API-CREDITS-REMAINING`); default: the whole allowance. */
  creditsRemaining?: number | null,
  /** Records per call, at most the operation's limit. */
  maxRecords?: number | null,
  /** Overrides of the credit table. */
  costOverrides?: CostOverrides | null,
};

/** The forecast. */
export type JobPlan = {
  /** The operation's kind. */
  kind: OperationKind,
  /** Records in the job. */
  count: number,
  /** Records per call. */
  recordsPerCall: number,
  /** Calls needed. */
  calls: number,
  /** Credits of those calls. */
  credits: number,
  /** Whether the calls count against the complex pool of 10. */
  complex: boolean,
  /** Calls that may run at once: the edition's concurrency, or the complex pool. */
  parallel: number,
  /** Minimum number of rounds of concurrent calls. */
  minRounds: number,
  /** Credits available now (remaining, or the edition's allowance). */
  creditsAvailable: number,
  /** Whether the credits are there to finish within the rolling 24 h window. */
  fitsInWindow: boolean,
  /** Rolling windows needed at the least (1 when it fits). */
  windowsNeeded: number,
  /** Earliest finish in ms from now, from the credit window alone (0 when it fits). */
  minDurationMs: number,
  /** The Bulk Write alternative, for insert/update/upsert. */
  bulkWrite: {
    /** Jobs needed (one file of at most 25,000 records each). */
    jobs: number,
    /** Credits of those jobs (500 each: third-party, unverified). */
    credits: number,
    /** Whether it costs fewer credits than the record API. */
    cheaper: boolean,
    /** Credits saved by using it (0 when not cheaper). */
    saving: number,
  } | null,
  /** Figures that rest on unverified sources. */
  caveats: Array<string>,
};
