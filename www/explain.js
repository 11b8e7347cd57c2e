// One short sentence for every reason, decision, refusal and code the page shows, so
// that no figure or failure is left unexplained. Reasons: the Guard's rule ids
// (`GuardReason` in the package's types/generated/guard.d.ts) and the client's own
// (`WriteResult.reason`, lib/client/); the demo test checks that every one of them has
// a sentence here.

/** Why a record's result is final, and why the Guard decided what it did. */
export const REASONS = {
  // The Guard's rules (GuardReason).
  success: 'Zoho accepted the call and returned this record’s result.',
  partial_final: 'Zoho accepted other records of the call; this record’s own error is final (sending it again would get the same answer).',
  records_retryable: 'Other records of the call failed for a passing reason (a lock) and only those were sent again; this record’s own error is final.',
  duplicate_of_lost_attempt: 'Zoho answered DUPLICATE_DATA naming the record an earlier attempt created before its reply was lost: that is this record, counted as added once.',
  too_many_requests: 'Zoho answered 429 TOO_MANY_REQUESTS (too many calls at once, or a busy org): the Guard lowered its concurrency and sent it again after a back-off.',
  credits: 'The API credits of the rolling 24-hour window ran out: the job stopped sending rather than wait for them (resume it later).',
  server_error: 'Zoho answered 5xx (a server error): sent again after a short back-off (an insert is looked up first, as the write may have happened).',
  network_error: 'No reply came (the connection dropped): sent again after a short back-off, or looked up first if it was an insert.',
  locked: 'Zoho answered RECORD_LOCKED (another process holds the record): sent again once the lock should have passed.',
  retry_after_too_long: 'Zoho asked to wait longer than the Guard’s ceiling: given up rather than block the job.',
  attempts_exhausted: 'Every attempt the Guard allows for a call (3 by default) failed: the last answer is final.',
  retry_budget: 'The retry budget (an allowance shared by all calls, refilled by successes and time) was empty: not retried, so that failures cannot snowball into a retry storm.',
  breaker_open: 'Too many failures in a row opened the circuit breaker: calls pause until it lets one through to test.',
  token_invalid: 'Zoho answered 401 INVALID_TOKEN (the access token expired): the call waits for one token refresh and is sent again.',
  await_token_refresh: 'The access token is being refreshed: the call waits for the new one.',
  token_replaced: 'The call carried a token that has since been replaced: sent again with the new one.',
  check_domain: 'The token was refused on this API domain: the org may live in another data centre (check api_domain).',
  token_rejected: 'Zoho refused even a fresh token (wrong scopes or client): nothing more is sent.',
  ambiguous_write: 'The reply to an insert was lost and the record has no unique value to look it up by: it may or may not exist.',
  resend_as_upsert: 'An insert whose reply was lost is sent again as an upsert on a unique field, so it cannot be created twice.',
  split_batch: 'Zoho refused the call as too large: the batch was split in two and each half sent.',
  limit_exceeded: 'The call broke one of Zoho’s per-call limits (LIMIT_EXCEEDED): not sent again as is.',
  not_retryable: 'Zoho’s answer is final: the data must change first (a missing mandatory field, a wrong value).',
  conditional: 'Zoho’s error can pass only once something changes (a permission, a setting): not retried automatically.',
  unknown_response: 'Zoho’s answer could not be classified: taken as final rather than guessed at.',
  short_reply: 'Zoho answered with fewer results than records sent: the missing ones are not assumed done.',
  token_revoked: 'The refresh token was revoked: no new access token can be had, so nothing more is sent.',
  deadline: 'The call’s deadline passed before it could succeed.',
  aborted: 'The job was paused or cancelled (its AbortSignal) before this record was sent: Start resumes it.',
  vetoed: 'The caller’s own hook vetoed sending it again.',
  // The client's own (WriteResult.reason).
  invalid_before_sending: 'Checked against Zoho’s field metadata before sending and refused: no call made, no credit spent.',
  verified_after_lost_reply: 'The reply was lost, so the client looked the record up by its Email before sending anything again and found it: created once, counted ok.',
  verified_on_resume: 'A resumed job looked the record up by its unique field and found it: created once, counted ok.',
  verify_failed: 'The reply was lost and the lookup by unique field failed too: the record may or may not exist (a resumed job looks again).',
  not_created_after_lost_reply: 'The reply was lost, the lookup shows Zoho did not create the record, and no attempt is left.',
  token_refresh_failed: 'The access token could not be refreshed, so the call could not be sent.',
  client_error: 'Code of the caller (an event listener, a transport) threw, which ended this batch.',
  unknown_decision: 'The Guard returned a decision this client does not know: taken as final.',
};

/** The reasons whose sentence differs for a record that ended ok. */
const OK_REASONS = {
  partial_final: 'Zoho accepted this record in a call where others failed (their own lines say why).',
  records_retryable: 'Zoho accepted this record in a call where others failed for a passing reason and were sent again.',
};

/** What the Guard ordered after a reply (the timeline's colours). */
export const ACTIONS = {
  done: 'final: every record of the call has its answer',
  retry: 'sent again after the wait the Guard ordered',
  retry_records: 'only the records that failed for a passing reason sent again',
  refresh_token: 'the token expired: one refresh, then the call again',
  verify: 'an insert’s outcome is unknown (no reply, or a server error that may follow the write): look the records up before sending anything again',
  split: 'too large: split in two',
  give_up: 'final failure, with a reason per record',
  pending: 'no reply yet',
};

/** Why the Guard refused to admit a call for now (the timeline's bottom row). */
export const REFUSALS = {
  concurrency: 'as many calls in flight as the Guard allows itself',
  sub_concurrency: 'the complex-API pool (10 calls) is full',
  graphql_concurrency: 'the GraphQL pool is full',
  credits: 'the window’s credits are spent',
  cooldown: 'a 429 or a Retry-After paused every call',
  breaker_open: 'the circuit breaker is open after failures in a row',
  token_refresh: 'waiting for the token refresh',
};

/** Zoho's codes (and the client's synthetic ones) a record's result can carry. */
export const CODES = {
  SUCCESS: 'Zoho created or updated the record.',
  INVALID_DATA: 'A value has the wrong type, format or length for its field.',
  MANDATORY_NOT_FOUND: 'A mandatory field (Leads: Last_Name) is missing.',
  DUPLICATE_DATA: 'A record with the same unique value (Leads: Email) already exists.',
  UNKNOWN_FIELD: 'The field does not exist in the module.',
  NEW_PICKLIST_VALUE: 'The value is not one of the pick list’s values.',
  UNUSED_PICKLIST_VALUE: 'The pick-list value is no longer in use.',
  INVALID_MODULE: 'The module does not exist.',
  RECORD_LOCKED: 'Another process (an approval, a workflow) holds the record.',
  TOO_MANY_REQUESTS: 'Zoho’s 429: concurrency or credits exceeded.',
  INTERNAL_ERROR: 'Zoho failed on its side.',
  INTERNAL_SERVER_ERROR: 'Zoho failed on its side.',
  INVALID_TOKEN: 'The access token expired or is unknown.',
  AUTHENTICATION_FAILURE: 'The call carried no valid access token.',
  LIMIT_EXCEEDED: 'A per-call limit (records per call, fields, size) was broken.',
  NOT_SENT: 'Never sent: the job stopped first.',
  AMBIGUOUS_WRITE: 'Sent, but no reply came and no lookup could tell whether Zoho made the write.',
  NO_RESULT: 'Zoho’s answer had no result for this record.',
  TOKEN_REFRESH_FAILED: 'No new access token could be had.',
  CLIENT_ERROR: 'The caller’s own code failed.',
  NETWORK_ERROR: 'No reply: the connection dropped.',
  TIMEOUT: 'No reply before the call’s timeout.',
  ABORTED: 'The call was cancelled.',
  SHORT_REPLY: 'Zoho answered with fewer results than records sent.',
};

/** The sentence for a reason, or null when there is none (the test forbids that on the page). */
export function explainReason(reason) {
  return Object.hasOwn(REASONS, reason) ? REASONS[reason] : null;
}

/** The sentence for a code: Zoho's, the client's, or a synthetic `HTTP_<status>`. */
export function explainCode(code) {
  if (Object.hasOwn(CODES, code)) return CODES[code];
  const http = /^HTTP_(\d{3})$/.exec(code ?? '');
  if (http) return Number(http[1]) >= 500 ? `Zoho answered ${http[1]}, a server error, with no code of its own.` : `Zoho answered HTTP ${http[1]} with no code of its own.`;
  return null;
}

/**
 * One line explaining a result: why it is final, then what the code means when the
 * reason does not already say it. Unknown reasons fall back to Zoho's message.
 */
export function explainResult(r) {
  const why = (r.ok && OK_REASONS[r.reason]) || (explainReason(r.reason) ?? `Final for the reason “${r.reason}”.`);
  const what = r.ok ? null : explainCode(r.code);
  return what ? `${what} ${why}` : why;
}
