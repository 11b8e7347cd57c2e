// A `fetch`-compatible front for the simulator, so the same model runs in a browser page,
// a Worker or Node without a socket. Faults keep their meaning: a dropped connection rejects
// like a network error, a truncated body errors while the body is being read.

/**
 * @param {import('./simulator.mjs').ZohoSimulator} sim
 * @returns {(input: string | URL | Request, init?: RequestInit) => Promise<Response>}
 */
export function simulatorFetch(sim) {
  return async function fetch(input, init = {}) {
    const req = input instanceof Request ? input : null;
    const url = req ? req.url : String(input);
    const method = init.method ?? req?.method ?? 'GET';
    const headers = new Headers(init.headers ?? req?.headers ?? {});
    const signal = init.signal ?? req?.signal ?? null;
    let body = init.body ?? null;
    if (body == null && req && req.body) body = await req.text();
    if (body != null && typeof body !== 'string') body = await new Response(/** @type {BodyInit} */ (body)).text();
    if (signal?.aborted) throw abortReason(signal);

    // The simulator keeps processing after an abort, as a server would.
    const reply = sim.handle({ method, url, headers: Object.fromEntries(headers), body: /** @type {string|null} */ (body) });
    const r = await (signal ? raceAbort(reply, signal) : reply);
    if (r.drop) throw new TypeError('fetch failed', { cause: new Error(`simulated connection drop (${r.drop} processing)`) });
    const nullBody = r.status === 204 || r.status === 304;
    if (r.truncateAt !== undefined) {
      const bytes = new TextEncoder().encode(r.body.slice(0, r.truncateAt));
      const stream = new ReadableStream({
        start(c) {
          c.enqueue(bytes);
          c.error(new TypeError('terminated', { cause: new Error('simulated truncated body') }));
        },
      });
      return new Response(stream, { status: r.status, headers: { ...r.headers, 'content-length': String(new TextEncoder().encode(r.body).length) } });
    }
    return new Response(nullBody ? null : r.body, { status: r.status, headers: r.headers });
  };
}

/** @param {AbortSignal} signal */
function abortReason(signal) {
  return signal.reason ?? new DOMException('This operation was aborted', 'AbortError');
}

/** @template T @param {Promise<T>} p @param {AbortSignal} signal @returns {Promise<T>} */
function raceAbort(p, signal) {
  return new Promise((resolve, reject) => {
    const onAbort = () => reject(abortReason(signal));
    if (signal.aborted) return onAbort();
    signal.addEventListener('abort', onAbort, { once: true });
    p.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}
