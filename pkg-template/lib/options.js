// The keys each client entry point accepts (types/client.d.ts declares the same), and
// the checks every entry point runs on its options before any work: an unknown key is
// INVALID_ARGUMENT with the key most likely meant (see keys.js). tests/client checks
// these lists against the declarations, so an option added to one is added to both.

import { guardError } from './errors.js';
import { checkKeys } from './keys.js';

export const CLIENT_OPTIONS = Object.freeze([
  'apiDomain', 'apiVersion', 'transport', 'getAccessToken', 'refreshAccessToken', 'edition', 'licenses', 'addOnCredits',
  'fieldsMetadata', 'guard', 'guardConfig', 'onEvent', 'onDecision', 'signal', 'timeoutMs', 'maxCreditWaitMs', 'deadlineMs', 'now', 'sleep',
]);
export const WRITE_OPTIONS = Object.freeze([
  'trigger', 'duplicateCheckFields', 'batchSize', 'maxBodyBytes', 'validate', 'allowNewPicklistValues', 'fieldsMetadata',
  'signal', 'maxCreditWaitMs', 'maxAttempts', 'deadlineMs', 'resume',
]);
export const RECORDS_OPTIONS = Object.freeze(['fields', 'perPage', 'criteria', 'signal']);
export const COQL_OPTIONS = Object.freeze(['pageSize', 'signal']);
export const GRAPHQL_OPTIONS = Object.freeze(['operationName', 'signal', 'analysis']);
export const SIGNAL_OPTIONS = Object.freeze(['signal']);
export const REQUEST_INIT = Object.freeze(['method', 'path', 'url', 'query', 'body', 'signal']);

/** `opts` of a write job (insert, update, upsert, delete). */
export function checkWriteOptions(opts) {
  checkKeys(opts, WRITE_OPTIONS, 'opts');
}

/**
 * `opts` of `records`: known keys, and `fields`, which Zoho's Get Records requires
 * (REQUIRED_PARAM_MISSING without it; a search by `criteria` may leave it out):
 * refused before a credit is spent.
 */
export function checkRecordsOptions(opts) {
  checkKeys(opts, RECORDS_OPTIONS, 'opts');
  const fields = opts?.fields;
  const given = typeof fields === 'string' ? fields.length > 0 : Array.isArray(fields) && fields.length > 0;
  if (!given && !opts?.criteria) {
    throw guardError('INVALID_ARGUMENT', 'records: `fields` is required (Zoho answers REQUIRED_PARAM_MISSING without it): a list of field API names, or a comma-separated string', 'opts.fields', { api_name: 'fields', json_path: '$.fields' });
  }
}
