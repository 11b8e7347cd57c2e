// The decision hook `onDecision(decision, inputs)`, in the manner of Octokit's
// onRateLimit and p-retry's shouldRetry: the caller may veto a retry (the records end
// with reason `vetoed`) or change a wait within limits. It cannot make Zoho wait less
// than Zoho said: a Retry-After, the refresh-token rate limit and the credit window
// are floors; every wait stays within what a timer holds (2^31 - 1 ms).

/** Longest wait a timer holds. */
export const MAX_WAIT_MS = 2_147_483_647;
/** The actions a veto turns into `give_up` (reason `vetoed`). */
const VETOABLE = new Set(['retry', 'retry_records', 'verify', 'refresh_token', 'split']);
/** Delay bases whose wait is Zoho's rule, not ours: the hook may lengthen, not shorten them. */
const FLOORED = new Set(['retry_after', 'token_rate_limit', 'credits']);

/**
 * The decision as the hook leaves it. The hook answers `undefined`/`true` (keep),
 * `false` or `{ veto: true }` (no retry), or `{ delayMs }` (another wait).
 * @param {object} client the client's shared state
 * @param {object} decision the Guard's decision
 * @param {object} unit the unit of work it is about
 * @param {object} response the reply it was made from
 */
export async function consultHook(client, decision, unit, response) {
  const hook = client.o.onDecision;
  if (typeof hook !== 'function') return decision;
  const inputs = {
    ...decision.inputs,
    operation: unit.operation,
    status: response?.status ?? 0,
    records: unit.batch?.indices.length ?? null,
    recordAttempts: unit.recordAttempts?.() ?? null,
  };
  let answer;
  try {
    answer = await hook(decision, inputs);
  } catch (e) {
    // A hook's bug must not break the job: the Guard's decision stands.
    client.emit({ type: 'hook_error', error: String(e?.message ?? e) });
    return decision;
  }
  if (answer === undefined || answer === null || answer === true) return decision;
  if (answer === false || answer?.veto === true) {
    if (!VETOABLE.has(decision.action)) return decision;
    return { ...decision, action: 'give_up', reason: 'vetoed', delayMs: 0, indices: null, vetoed: decision.action, inputs: { ...decision.inputs } };
  }
  if (typeof answer === 'object' && typeof answer.delayMs === 'number' && !Number.isNaN(answer.delayMs)) {
    const floor = FLOORED.has(decision.inputs?.delayBasis) ? decision.delayMs : 0;
    const delayMs = Math.min(MAX_WAIT_MS, Math.max(floor, Math.round(answer.delayMs)));
    return { ...decision, delayMs };
  }
  return decision;
}
