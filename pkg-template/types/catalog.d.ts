// Types of the limits catalog: editionLimits, creditCost, operationLimits, dataCenters, zohoFacts.
// The shapes are generated from the Rust types (generated/catalog.d.ts); this file
// declares the functions and the names no Rust type gives.

import type {
  CostOverrides,
  CreditCost,
  DataCenter,
  Edition,
  EditionLimits,
  EditionOptions,
  Operation,
  OperationLimits,
  ZohoFacts,
} from './generated/catalog.js';

export * from './generated/catalog.js';

// ---------------------------------------------------------------- catalog: editions

/** An alias of an edition: `starter` is Standard, `zoho_one` Enterprise, `crm_plus` Ultimate credits with concurrency 20. */
export type EditionAlias = 'starter' | 'zoho_one' | 'crm_plus';

/** An edition or an alias. Case, spaces and hyphens are ignored (`'Zoho One'` is `zoho_one`). */
export type EditionName = Edition | EditionAlias | (string & {});

/** Limits of an edition (or alias) for an org. Throws `UNKNOWN_EDITION` or `INVALID_ARGUMENT`. */
export function editionLimits(edition: EditionName, options?: EditionOptions | null): EditionLimits;

// ---------------------------------------------------------------- catalog: operations

/** Credit cost of one call. Throws `UNKNOWN_OPERATION_KIND` or `INVALID_ARGUMENT`. */
export function creditCost(operation: Operation, overrides?: CostOverrides | null): CreditCost;

/** Per-call limits of an operation. */
export function operationLimits(operation: Operation): OperationLimits;

// ---------------------------------------------------------------- catalog: data centres

/** Every CRM data centre. */
export function dataCenters(): DataCenter[];

/** The data centre of a Zoho URL (API, sandbox, developer, file or accounts domain), or `null`. */
export function dataCenterFor(url: string): DataCenter | null;

// ---------------------------------------------------------------- catalog: Zoho facts

/** The Zoho facts of this build of the core (what the client pages by and looks up, read from the core's own tables). */
export function zohoFacts(): ZohoFacts;
