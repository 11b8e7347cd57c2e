// Types of validation and batching: validateRecords, checkModule, planBatches,
// validateAndPlan, planComposite, splitBatch, mergeResults, planJob.

import type { CostOverrides, EditionName, Operation, OperationKind } from './catalog.js';
import type { RecordResult, TopError } from './classify.js';

// Validation errors and merged results have classify's per-record shape: one shape
// for an error found before sending and one returned by Zoho.
type ResultShape = RecordResult;
type TopErrorShape = TopError;

// ---------------------------------------------------------------- validation

/** Records: a JS array, JSON text of an array, or its UTF-8 bytes. */
export type RecordsInput = readonly unknown[] | string | Uint8Array;

/** One field of `GET /settings/fields` (other keys are ignored). */
export interface FieldMeta {
  api_name: string;
  /** `text`, `textarea`, `email`, `phone`, `website`, `integer`, `bigint`, `double`, `currency`, `decimal`, `percent`, `boolean`, `date`, `datetime`, `picklist`, `multiselectpicklist`, `lookup`, `ownerlookup`, `userlookup`, `multiselectlookup`, `multiuserlookup`, `subform`, `formula`, `autonumber`, `rollup_summary`, or any other (then only `json_type` is checked). */
  data_type?: string;
  json_type?: string | null;
  system_mandatory?: boolean | null;
  length?: number | null;
  decimal_place?: number | null;
  /** `{}` when not unique; `{ case_sensitive: false }` when unique. */
  unique?: { case_sensitive?: boolean } | Record<string, never> | null;
  pick_list_values?: { actual_value?: string; display_value?: string; type?: 'used' | 'unused' | string }[] | null;
  read_only?: boolean | null;
  field_read_only?: boolean | null;
  textarea?: { type?: 'small' | 'large' | 'rich_text' | string } | null;
  [key: string]: unknown;
}

/** The body Zoho returns for `GET /crm/v8/settings/fields?module=…`, as is. */
export interface FieldsMetadata {
  fields: FieldMeta[];
}

/** The body of `GET /settings/modules` (other keys are ignored). */
export interface ModulesMetadata {
  modules: {
    api_name: string;
    singular_label?: string;
    plural_label?: string;
    module_name?: string;
    generated_type?: 'default' | 'custom' | string;
    [key: string]: unknown;
  }[];
}

/** Options of `validateRecords`. */
export interface ValidateOptions {
  /** `insert` (default: mandatory fields required), `update` (an `id` required), `upsert` (a duplicate-check field required). */
  operation?: 'insert' | 'update' | 'upsert';
  /** Upsert's duplicate-check fields; default: the module's system-defined ones (Leads: Email, Accounts: Account_Name, …; custom: Name). */
  duplicateCheckFields?: string[];
  /** Pick-list values outside `pick_list_values` become warnings instead of INVALID_DATA. Default false. */
  allowNewPicklistValues?: boolean;
  /** Read-only fields sent on write are INVALID_DATA. Default true. */
  checkReadOnly?: boolean;
  /** Unknown field names as warnings. Default true. */
  warnUnknownFields?: boolean;
  /** Most warnings returned (default 10,000); the rest are counted in `warningsDropped`. */
  maxWarnings?: number;
  /** The org's modules metadata, to know custom modules. */
  modulesMetadata?: ModulesMetadata;
}

/** Every caller index is in `valid` or in `errors` (one error per record, as Zoho reports). */
export interface Validation {
  errors: ResultShape[];
  /** Findings Zoho accepts: `UNKNOWN_FIELD`, `UNUSED_PICKLIST_VALUE`, `NEW_PICKLIST_VALUE`, `MANDATORY_NOT_FOUND` (upsert). */
  warnings: ResultShape[];
  warningsDropped: number;
  /** Indices of the records that pass, ascending. */
  valid: number[];
}

/** Validates records against Zoho's field metadata; errors in Zoho's own shape. Throws INVALID_MODULE for a near-miss module name. */
export function validateRecords(module: string, records: RecordsInput, fieldsMetadata: FieldsMetadata | string, options?: ValidateOptions | null): Validation;

/** The verdict on a module name. */
export interface ModuleCheck {
  ok: boolean;
  /** The module's API name when known. */
  module: string | null;
  known: boolean;
  custom: boolean;
  /** Zoho's INVALID_MODULE (`details.suggestion`: the intended name, or null). */
  error: TopErrorShape | null;
}

/** Checks a module API name: `"Lead"` gets INVALID_MODULE with the suggestion `"Leads"`. */
export function checkModule(name: string, modulesMetadata?: ModulesMetadata | null): ModuleCheck;

// ---------------------------------------------------------------- batching

/** Options of `planBatches`. */
export interface BatchOptions {
  /** Records per call, 1 to 100 (default 100). */
  maxRecords?: number;
  /** Maximum body size in UTF-8 bytes. */
  maxBodyBytes?: number;
  /** `trigger` of each body: `workflow`, `approval`, `blueprint`, `pathfinder`, `orchestration`; `[]` runs none. */
  trigger?: string[];
  /** `duplicate_check_fields` of an upsert body. */
  duplicateCheckFields?: string[];
  costOverrides?: CostOverrides;
  /** Bodies as objects (default) or as ready-to-send JSON text. */
  as?: 'object' | 'text';
}

/** One planned call. */
export interface Batch<Body = unknown> {
  kind: OperationKind;
  /** The caller's indices of the records, in body order. */
  indices: number[];
  /** `{ data, trigger?, duplicate_check_fields? }` (composite: `{ rollback_on_fail, __composite_requests }`), as an object or as text; `null` for delete. */
  body: Body | null;
  /** Record ids of a delete call (`?ids=`), else `null`. */
  ids: string[] | null;
  credits: number;
  complex: boolean;
}

/** Plans the calls for insert/update/upsert (≤ 100 records) or delete (≤ 100 ids). */
export function planBatches(operation: Operation, records: RecordsInput, options: BatchOptions & { as: 'text' }): Batch<string>[];
export function planBatches(operation: Operation, records: RecordsInput, options?: BatchOptions | null): Batch<Record<string, unknown>>[];

/** Validation and the calls for the valid records, in one pass over the text. */
export interface ValidatedPlan<Body = unknown> {
  validation: Validation;
  batches: Batch<Body>[];
}

/** Validates, then plans the valid records: the one call from JSON text to ready-to-send bodies. `operation.module` is required. */
export function validateAndPlan(operation: Operation, records: RecordsInput, fieldsMetadata: FieldsMetadata | string, options: ValidateOptions & BatchOptions & { as: 'text' }): ValidatedPlan<string>;
export function validateAndPlan(operation: Operation, records: RecordsInput, fieldsMetadata: FieldsMetadata | string, options?: (ValidateOptions & BatchOptions) | null): ValidatedPlan<Record<string, unknown>>;

/** Options of `planComposite`. */
export interface CompositeOptions {
  /** All sub-requests must then fit in one call. */
  rollbackOnFail?: boolean;
  parallelExecution?: boolean;
  /** Sub-requests per call, 1 to 5 (default 5). */
  maxSubRequests?: number;
  as?: 'object' | 'text';
}

/** A composite sub-request, as Zoho takes it. */
export interface SubRequest {
  sub_request_id?: string;
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** `/crm/v8/…` */
  uri: string;
  params?: Record<string, unknown>;
  body?: unknown;
  headers?: Record<string, string>;
}

/** Packs sub-requests into composite calls of at most 5, checking each one's record limit (1 for writes, 25 for reads). */
export function planComposite(subRequests: SubRequest[], options?: CompositeOptions | null): Batch[];

/** Halves a batch (after LIMIT_EXCEEDED or a body-size error); a batch of one comes back as is. Bodies keep their form. */
export function splitBatch<B extends Batch>(batch: B, options?: { costOverrides?: CostOverrides } | null): B[];

/** What `mergeResults` reads of a verdict (a `classify` Verdict fits). */
export interface VerdictLike {
  records: ResultShape[];
  error: TopErrorShape | null;
}

/** Options of `mergeResults`. */
export interface MergeOptions {
  /** How many records the caller had; indices in no batch get `NOT_PLANNED`. */
  count?: number;
  /** Results known before sending, such as `validation.errors`. */
  prior?: ResultShape[];
}

/**
 * One result per caller index, ascending: `verdicts[i]` answers `batches[i]` (retries and
 * splits appended after the batch they replace; `null` when no reply came: `NO_REPLY`).
 * A success is final; otherwise the later batch wins.
 */
export function mergeResults(batches: { indices: number[] }[], verdicts: (VerdictLike | null | undefined)[], options?: MergeOptions | null): ResultShape[];

/** Options of `planJob`. */
export interface JobOptions {
  edition: EditionName;
  licenses?: number;
  addOnCredits?: number;
  creditCap?: number | null;
  /** Credits left now (`X-API-CREDITS-REMAINING`); default the whole allowance. */
  creditsRemaining?: number;
  maxRecords?: number;
  costOverrides?: CostOverrides;
}

/** The forecast of a job. */
export interface JobPlan {
  kind: OperationKind;
  count: number;
  recordsPerCall: number;
  calls: number;
  credits: number;
  complex: boolean;
  /** Calls at once: the edition's concurrency, or 10 for complex calls. */
  parallel: number;
  minRounds: number;
  creditsAvailable: number;
  fitsInWindow: boolean;
  windowsNeeded: number;
  minDurationMs: number;
  /** For insert/update/upsert: Bulk Write jobs of 25,000 records at 500 credits each (unverified figure). */
  bulkWrite: { jobs: number; credits: number; cheaper: boolean; saving: number } | null;
  caveats: string[];
}

/** Forecasts calls, credits, concurrency rounds, the Bulk Write alternative and the rolling window. */
export function planJob(operation: Operation, count: number, options: JobOptions): JobPlan;
