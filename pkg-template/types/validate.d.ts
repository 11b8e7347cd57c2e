// Types of validation and batching: validateRecords, checkModule, planBatches,
// validateAndPlan, planComposite, splitBatch, mergeResults, planJob.
// The options and results are generated from the Rust types (generated/validate.d.ts,
// generated/batch.d.ts). This file declares the functions; Zoho's own documents that
// the core reads in part (field and module metadata, composite sub-requests: open key
// sets, hence hand-written with index signatures); and the shapes the bindings build
// or read back (bodies as objects or text, what `mergeResults` reads of a verdict).

import type { CostOverrides, Operation } from './generated/catalog.js';
import type { RecordResult, TopError } from './generated/classify.js';
import type { ModuleCheck, ValidateOptions, Validation } from './generated/validate.js';
import type { BatchCall, BatchOptions, CompositeOptions, JobOptions, JobPlan } from './generated/batch.js';

export * from './generated/validate.js';
export * from './generated/batch.js';

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

/** Validates records against Zoho's field metadata; errors in Zoho's own shape. Throws INVALID_MODULE for a near-miss module name. */
export function validateRecords(module: string, records: RecordsInput, fieldsMetadata: FieldsMetadata | string, options?: ValidateOptions | null): Validation;

/** Checks a module API name: `"Lead"` gets INVALID_MODULE with the suggestion `"Leads"`. */
export function checkModule(name: string, modulesMetadata?: ModulesMetadata | null): ModuleCheck;

// ---------------------------------------------------------------- batching

/** How `planBatches`, `validateAndPlan` and `planComposite` hand bodies out: as objects (default) or as ready-to-send JSON text. */
export interface BodyForm {
  as?: 'object' | 'text';
}

/** One planned call with its body. */
export interface Batch<Body = unknown> extends BatchCall {
  /** `{ data, trigger?, duplicate_check_fields? }` (composite: `{ rollback_on_fail, __composite_requests }`), as an object or as text; `null` for delete. */
  body: Body | null;
}

/** Plans the calls for insert/update/upsert (≤ 100 records) or delete (≤ 100 ids). */
export function planBatches(operation: Operation, records: RecordsInput, options: BatchOptions & { as: 'text' }): Batch<string>[];
export function planBatches(operation: Operation, records: RecordsInput, options?: (BatchOptions & BodyForm) | null): Batch<Record<string, unknown>>[];

/** Validation and the calls for the valid records, in one pass over the text. */
export interface ValidatedPlan<Body = unknown> {
  validation: Validation;
  batches: Batch<Body>[];
}

/** Validates, then plans the valid records: the one call from JSON text to ready-to-send bodies. `operation.module` is required. */
export function validateAndPlan(operation: Operation, records: RecordsInput, fieldsMetadata: FieldsMetadata | string, options: ValidateOptions & BatchOptions & { as: 'text' }): ValidatedPlan<string>;
export function validateAndPlan(operation: Operation, records: RecordsInput, fieldsMetadata: FieldsMetadata | string, options?: (ValidateOptions & BatchOptions & BodyForm) | null): ValidatedPlan<Record<string, unknown>>;

/**
 * A composite sub-request, as Zoho takes it (V7DOC Composite; sources §3). These six
 * keys only: any other is `INVALID_ARGUMENT` with `details.suggestion`
 * (`sub_requestid` → `sub_request_id`) and `details.json_path` (`$[1].sub_requestid`).
 *
 * Checked before sending: the `uri` pattern, `sub_request_id` pattern and uniqueness,
 * no `Authorization`/`X-CRM-ORG` header, and each sub-request's record limit: 1 record
 * for a write (`body.data` of POST/PUT/PATCH; a DELETE takes its one id in the URL,
 * never `params.ids`), at most 25 for a read (`params.per_page` of a GET, the LIMIT of
 * a COQL `body.select_query`); settings, org, users and Convert Lead have none.
 *
 * @example
 * planComposite([
 *   { sub_request_id: 'lead', method: 'POST', uri: '/crm/v8/Leads', body: { data: [{ Last_Name: 'Doe' }] } },
 *   { method: 'GET', uri: '/crm/v8/Contacts', params: { fields: 'Email', per_page: 25 } },
 *   { method: 'POST', uri: '/crm/v8/coql', body: { select_query: 'select id from Deals where Stage = \'Won\' limit 25' } },
 *   { method: 'DELETE', uri: '/crm/v8/Tasks/4150868000000624001' },
 * ], { rollbackOnFail: false });
 */
export interface SubRequest {
  /** Names the sub-request so later ones can refer to its result (`@{lead:$.data[0].details.id}`): `[a-zA-Z0-9][a-zA-Z0-9_]*`, unique in the call. */
  sub_request_id?: string;
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** `/crm(/…)?/v{n}(.{m})?/…`, e.g. `/crm/v8/Leads`; not above the composite call's version. */
  uri: string;
  /** The query parameters, as an object (`{ fields: 'Email', per_page: 25 }`). */
  params?: Record<string, unknown>;
  /** The JSON body of a write (`{ data: [record] }`) or a COQL query (`{ select_query }`). */
  body?: unknown;
  /** Extra headers; `Authorization` and `X-CRM-ORG` are refused (the composite call carries them). */
  headers?: Record<string, string>;
}

/**
 * Packs sub-requests into composite calls of at most 5 (`maxSubRequests`), in order,
 * each body `{ rollback_on_fail, parallel_execution?, __composite_requests }`. With
 * `rollbackOnFail` they must all fit in one call (splitting would break the rollback).
 * Each call costs 1 credit (2 with `rollbackOnFail`, 1 back on a rollback).
 */
export function planComposite(subRequests: SubRequest[], options: CompositeOptions & { as: 'text' }): Batch<string>[];
export function planComposite(subRequests: SubRequest[], options?: (CompositeOptions & BodyForm) | null): Batch<Record<string, unknown>>[];

/** Halves a batch (after LIMIT_EXCEEDED or a body-size error); a batch of one comes back as is. Bodies keep their form. */
export function splitBatch<B extends Batch>(batch: B, options?: { costOverrides?: CostOverrides | null } | null): B[];

/** What `mergeResults` reads of a verdict (a `classify` Verdict fits). */
export interface VerdictLike {
  records: RecordResult[];
  error: TopError | null;
}

/** Options of `mergeResults`. */
export interface MergeOptions {
  /**
   * How many records the caller had; indices in no batch get `NOT_PLANNED`. At most
   * 1,000,000 (and so is the highest index): more is `INVALID_ARGUMENT`, checked first.
   */
  count?: number | null;
  /** Results known before sending, such as `validation.errors`. */
  prior?: RecordResult[];
}

/**
 * One result per caller index, ascending: `verdicts[i]` answers `batches[i]` (retries and
 * splits appended after the batch they replace; `null` when no reply came: `NO_REPLY`).
 * A success is final; otherwise the later batch wins.
 */
export function mergeResults(batches: { indices: number[] }[], verdicts: (VerdictLike | null | undefined)[], options?: MergeOptions | null): RecordResult[];

/** Forecasts calls, credits, concurrency rounds, the Bulk Write alternative and the rolling window. */
export function planJob(operation: Operation, count: number, options: JobOptions): JobPlan;
