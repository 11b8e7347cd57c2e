// Proof that a record found after a lost reply is this job's write. Leads' Email is
// not unique by default in Zoho, so "a record with this e-mail exists" proves nothing:
// another record (an older lead, another job's) may hold it. A found record counts
// as this job's only when all of these hold:
//
// 1. its `Created_Time` is at or after the first send of the record, on Zoho's clock
//    (our send time plus the skew read from replies' `Date` headers) less
//    `CLOCK_ALLOWANCE_MS` (both clocks are read to the second);
// 2. its `Created_By` is the user this client writes as, once known (from the
//    `Created_By` of any record an insert of this client created);
// 3. its id is not already another record's result in this job (two lost records
//    with one e-mail cannot both claim one created record).
//
// What stays possible: a record created by the same user, with the same value, in the
// seconds of the allowance before our send (e.g. a second process of the caller
// inserting the same data at the same time). See docs/patience.md.

/** Slack for the second resolution of `Date` and `Created_Time`, ms. */
export const CLOCK_ALLOWANCE_MS = 2_000;

/** Zoho's clock as seen from ours, and who the token writes as. */
export class Clock {
  /** Zoho's time minus ours (ms), from the last `Date` header; 0 until one is read. */
  skewMs = 0;
  /** The id of the user the token writes as, once an insert showed it. */
  userId = null;

  /**
   * Reads a reply's `Date` header: Zoho's time when it answered, to the second.
   * @param {Record<string, string>|undefined} headers
   * @param {number} t0 our time at send @param {number} t1 our time at reply
   */
  observe(headers, t0, t1) {
    const date = headers?.date ?? headers?.Date;
    if (!date) return;
    const at = Date.parse(date);
    // Mid-second of the header's second, against the middle of the call.
    if (Number.isFinite(at)) this.skewMs = at + 500 - (t0 + t1) / 2;
  }

  /** Learns the writing user from a created record's `Created_By`. */
  learnUser(details) {
    const id = details?.Created_By?.id;
    if (this.userId === null && id) this.userId = String(id);
  }
}

/**
 * Whether `row` (id, Created_Time, Created_By) proves the write of a record first
 * sent at `sentAt` (our clock; null: unknown, no time bound), given the ids `claimed`.
 */
export function proves(clock, row, sentAt, claimed) {
  if (!row?.id || claimed.has(String(row.id))) return false;
  if (sentAt !== null && sentAt !== undefined) {
    const created = Date.parse(row.Created_Time);
    if (!Number.isFinite(created)) return false;
    if (created < sentAt + clock.skewMs - CLOCK_ALLOWANCE_MS) return false;
  }
  const by = row.Created_By?.id ?? (typeof row.Created_By === 'string' ? row.Created_By : null);
  if (clock.userId !== null && by && String(by) !== clock.userId) return false;
  return true;
}

/**
 * Picks, for each record, the found row that proves its write (or none): `values`
 * are the records' looked-up values, `sentAt(pos)` their first send. Rows are taken
 * oldest first, each by one record at most.
 * @returns {(object|null)[]} the proving row per position
 */
export function matchRows(clock, rowsByValue, values, sentAt, claimed) {
  const taken = new Set(claimed);
  return values.map((v, pos) => {
    const rows = rowsByValue.get(String(v).toLowerCase()) ?? [];
    const row = rows.find((r) => proves(clock, r, sentAt(pos), taken)) ?? null;
    if (row) taken.add(String(row.id));
    return row;
  });
}
