// What the classify, Guard, memory and startup benches do with one reply, shared so
// that every row reads the same fields.
import { OP_100, REPLY_207 } from '../fixtures/replies.mjs';

/** Reads every record's ok, code, id and details; a number derived from them all. */
export function readRecords(records) {
  let n = 0;
  for (const r of records) {
    n += (r.ok ? 1 : 2) + r.code.length + (r.id === null ? 0 : r.id.length) + (typeof r.details === 'object' ? 1 : 0);
  }
  return n;
}

/** The same fields read from Zoho's own `data[]` entries, as JSON.parse gives them. */
export function readParsed(body) {
  let n = 0;
  for (const r of body.data) {
    const details = r.details ?? {};
    const id = details.id ?? null;
    n += (r.status === 'success' ? 1 : 2) + r.code.length + (id === null ? 0 : id.length) + (typeof details === 'object' ? 1 : 0);
  }
  return n;
}

/** The Guard's default configuration: only the edition (the client's default one). */
export const DEFAULT_GUARD_CONFIG = { edition: 'standard' };

/**
 * A Guard's clock for back-to-back 100-record inserts: 20 s apart, so that the
 * standard edition's 50,000 credits per rolling 24 h (10 per insert) never run out.
 */
export function insertClock() {
  let now = 1_700_000_000_000;
  return () => (now += 20_000);
}

/**
 * One admit + settle of the 100-record 207 on `guard`, as the client does it: the
 * decision's action, indices and every record of its verdict read.
 */
export function guardPair(guard, now) {
  const at = now();
  const a = guard.admit(OP_100, at);
  if (!a.ok) throw new Error(`admit refused: ${a.reason}`);
  const d = guard.settle(a.ticket, REPLY_207, at);
  return d.action.length + (d.indices?.length ?? 0) + readRecords(d.verdict.records);
}
