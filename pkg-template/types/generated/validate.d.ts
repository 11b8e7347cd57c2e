// Validation of records against Zoho's field metadata, and module names.
// Generated from the Rust types by ts-rs (tests/ts_types/): do not edit.
// `bash scripts/gen-types.sh` rewrites it; the test `ts_types` fails when it is stale.
import type { ModulesMetadata } from '../validate.js';
import type { RecordResult, TopError } from './classify.js';

/** Options of `validateRecords`, as JavaScript passes them. */
export type ValidateOptions = {
  /**
   * `insert` (default: mandatory fields required), `update` (an `id` required) or
   * `upsert` (a duplicate-check field required).
   */
  operation?: 'insert' | 'update' | 'upsert' | null,
  /**
   * Upsert's duplicate-check fields; default: the module's system-defined ones
   * (Leads: Email, Accounts: Account_Name, …; custom modules: Name).
   */
  duplicateCheckFields?: Array<string> | null,
  /**
   * Pick-list values that are not in `pick_list_values` become warnings instead of
   * INVALID_DATA (for orgs whose pick lists accept new values).
   */
  allowNewPicklistValues?: boolean,
  /** Whether read-only fields sent on write are errors (default true). */
  checkReadOnly?: boolean | null,
  /** Unknown field names as warnings (default true). */
  warnUnknownFields?: boolean | null,
  /**
   * Most warnings returned (default 10,000, `DEFAULT_MAX_WARNINGS`); the rest are
   * counted in `warningsDropped`.
   */
  maxWarnings?: number | null,
  /** The org's modules metadata (`GET /settings/modules`), to know custom modules. */
  modulesMetadata?: ModulesMetadata | null,
};

/** The result of a validation: every caller index is in `valid` or in `errors`. */
export type Validation = {
  /** Indices of the records that pass, ascending. */
  valid: Array<number>,
  /** One error per failing record, ascending by index, in Zoho's shape. */
  errors: Array<RecordResult>,
  /** Findings Zoho would accept (unknown fields, unused pick-list values, …). */
  warnings: Array<RecordResult>,
  /** Warnings beyond `maxWarnings`, counted but not returned. */
  warningsDropped: number,
};

/** The verdict on a module name. */
export type ModuleCheck = {
  /** Whether the name may be sent. */
  ok: boolean,
  /** The module's API name when it is known. */
  module: string | null,
  /**
   * Whether the name is a known module (standard, or listed in the metadata).
   * Without metadata an unknown name that is close to no standard one is allowed
   * (it may be a custom module) but not known.
   */
  known: boolean,
  /** Whether it is a custom module (per the metadata), or unknown without metadata. */
  custom: boolean,
  /** Zoho's INVALID_MODULE error, with `details.suggestion`. */
  error: TopError | null,
};
