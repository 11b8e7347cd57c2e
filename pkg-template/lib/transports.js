// Transports: the one place that touches the network. A transport sends one request and
// always resolves with `{ status, headers, body }` (HTTP errors are answers, not exceptions);
// a failure to get an answer is `status: 0` with an `error`, a timeout also `timedOut: true`.
// The Guard decides what any of it means. Tokens never appear in errors: see `redact`.
// Widget facts: /work/shared/zoho-widget-sdk-facts.md (sections cited as §).

import { guardError, readOptions } from './errors.js';
import { zohoFacts } from './facts.js';

/**
 * @typedef {{ method?: string, url: string, headers?: Record<string, string>, body?: unknown,
 *   timeoutMs?: number, signal?: AbortSignal | null }} TransportRequest
 * @typedef {{ status: number, headers: Record<string, string>, body: string, derivedStatus?: boolean,
 *   error?: { name: string, message: string, phase?: 'send' | 'body' }, timedOut?: boolean, aborted?: boolean,
 *   partial?: { status: number, body: string, records: number } }} TransportResponse
 * @typedef {(request: TransportRequest) => Promise<TransportResponse>} Transport
 */

/** Time a call may take when neither the request nor the transport says (ms). */
export const DEFAULT_TIMEOUT_MS = 30_000;

/**
 * Removes anything that looks like a credential from a text bound for an error or a log.
 * @param {string} text
 * @param {string[]} [secrets] literal values to remove as well (e.g. the token just sent)
 */
export function redact(text, secrets = []) {
  let out = String(text)
    .replace(/(Zoho-oauthtoken|Bearer)\s+[^\s"',]+/gi, '$1 [redacted]')
    .replace(/((?:access|refresh)_token|client_secret|code)=([^&\s"']+)/gi, '$1=[redacted]')
    .replace(/("(?:access|refresh)_token"\s*:\s*")[^"]*"/gi, '$1[redacted]"');
  for (const s of secrets) if (s && s.length >= 4) out = out.split(s).join('[redacted]');
  return out;
}

/** @param {Record<string, string> | undefined} headers */
function secretsOf(headers) {
  const auth = Object.entries(headers ?? {}).find(([k]) => k.toLowerCase() === 'authorization')?.[1];
  const token = auth ? String(auth).replace(/^\S+\s+/, '') : '';
  return token ? [token] : [];
}

/** @param {unknown} e @param {string[]} secrets @param {'send'|'body'} [phase] */
function errorOf(e, secrets, phase) {
  const any = /** @type {any} */ (e);
  const name = typeof any?.name === 'string' ? any.name : 'Error';
  let message = typeof any?.message === 'string' ? any.message : String(e);
  if (any?.cause?.message) message += ` (${any.cause.message})`;
  return { name, message: redact(message, secrets), ...(phase ? { phase } : {}) };
}

/** @param {Headers | Record<string, unknown> | null | undefined} h @returns {Record<string, string>} */
function lowerHeaders(h) {
  /** @type {Record<string, string>} */
  const out = {};
  if (!h) return out;
  if (typeof Headers !== 'undefined' && h instanceof Headers) {
    h.forEach((v, k) => (out[k.toLowerCase()] = v));
    return out;
  }
  for (const [k, v] of Object.entries(h)) if (v != null) out[k.toLowerCase()] = String(v);
  return out;
}

/** @param {unknown} body @returns {string} */
function bodyText(body) {
  if (body == null) return '';
  if (typeof body === 'string') return body;
  try {
    return JSON.stringify(body);
  } catch {
    return String(body);
  }
}

const timeoutError = (/** @type {number} */ ms) => ({
  status: 0,
  headers: {},
  body: '',
  error: { name: 'TimeoutError', message: `no reply within ${ms} ms` },
  timedOut: true,
});
const abortedError = () => ({
  status: 0,
  headers: {},
  body: '',
  error: { name: 'AbortError', message: 'the request was aborted' },
  aborted: true,
});

// ------------------------------------------------------------------ fetch

/**
 * A transport over `fetch` (Workers, Node, browsers allowed to call the API).
 * @param {{ fetch?: typeof globalThis.fetch, timeoutMs?: number }} [options]
 * @returns {Transport}
 */
export function fetchTransport(options = {}) {
  options = readOptions(options);
  const doFetch = options.fetch ?? globalThis.fetch;
  if (typeof doFetch !== 'function') throw guardError('INVALID_ARGUMENT', 'fetchTransport: no fetch function available', 'options.fetch');
  const defaultTimeout = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  return async function transport(request) {
    const secrets = secretsOf(request.headers);
    const timeoutMs = request.timeoutMs ?? defaultTimeout;
    const outer = request.signal ?? null;
    if (outer?.aborted) return abortedError();
    const controller = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, timeoutMs);
    const onAbort = () => controller.abort();
    outer?.addEventListener('abort', onAbort, { once: true });
    const headers = { ...(request.headers ?? {}) };
    let body = request.body;
    if (body != null && typeof body === 'object' && !isBodyInit(body)) {
      body = JSON.stringify(body);
      if (!Object.keys(headers).some((k) => k.toLowerCase() === 'content-type')) headers['content-type'] = 'application/json';
    }
    const failed = (/** @type {unknown} */ e, /** @type {'send'|'body'} */ phase) => {
      if (timedOut) return timeoutError(timeoutMs);
      if (outer?.aborted) return abortedError();
      return { status: 0, headers: {}, body: '', error: errorOf(e, secrets, phase) };
    };
    try {
      let res;
      try {
        res = await doFetch(request.url, {
          method: request.method ?? 'GET',
          headers,
          body: /** @type {BodyInit | undefined} */ (body ?? undefined),
          signal: controller.signal,
        });
      } catch (e) {
        return failed(e, 'send');
      }
      const resHeaders = lowerHeaders(res.headers);
      let text;
      try {
        text = await res.text();
      } catch (e) {
        // The status line arrived but the body did not: for a write, the write may have happened.
        return { ...failed(e, 'body'), headers: resHeaders };
      }
      return { status: res.status, headers: resHeaders, body: text };
    } finally {
      clearTimeout(timer);
      outer?.removeEventListener('abort', onAbort);
    }
  };
}

/** @param {object} b */
function isBodyInit(b) {
  return (
    (typeof URLSearchParams !== 'undefined' && b instanceof URLSearchParams) ||
    (typeof FormData !== 'undefined' && b instanceof FormData) ||
    (typeof Blob !== 'undefined' && b instanceof Blob) ||
    b instanceof ArrayBuffer ||
    ArrayBuffer.isView(b) ||
    (typeof ReadableStream !== 'undefined' && b instanceof ReadableStream)
  );
}

// ------------------------------------------------------------------ widget

/** @type {Map<string, number> | null} */
let codeStatus = null;

/**
 * The status Zoho sends with a top-level body code (§9.5), for calls that hide the
 * status; the table is the core's (`zohoFacts().codeStatus`), read at first use.
 * @param {string} code
 */
function statusOfCode(code) {
  codeStatus ??= new Map(Object.entries(zohoFacts().codeStatus));
  return codeStatus.get(code);
}

/**
 * The status Zoho would have sent with this body (§9.5); `derivedStatus: true` marks its use.
 * @param {any} b
 */
export function statusFromBody(b) {
  if (b == null || b === '') return 204;
  if (typeof b !== 'object') return 200;
  if (Array.isArray(b.data) && b.data.some((/** @type {any} */ d) => d && typeof d === 'object' && typeof d.status === 'string')) {
    const ok = b.data.filter((/** @type {any} */ d) => String(d?.status).toLowerCase() === 'success').length;
    return ok === b.data.length ? 200 : ok === 0 ? 400 : 207;
  }
  if (Array.isArray(b.__composite_requests)) return 200;
  if (typeof b.code === 'number') return b.code === 3000 ? 200 : 400; // Zoho Creator bodies
  if (typeof b.code === 'string') {
    const known = statusOfCode(b.code.toUpperCase());
    if (known) return known;
    if (String(b.status).toLowerCase() === 'error') return 400;
  }
  if (typeof b.status === 'number' && b.status === 204) return 204;
  return 200;
}

/** @param {unknown} v */
function tryJson(v) {
  if (typeof v !== 'string') return v;
  try {
    return JSON.parse(v);
  } catch {
    return v;
  }
}

/**
 * A body-only SDK value as a response with a derived status (§9.3); never invents headers.
 * @param {unknown} v @returns {TransportResponse}
 */
function fromBody(v) {
  const parsed = tryJson(v);
  const status = statusFromBody(parsed);
  if (status === 204) return { status, headers: {}, body: '', derivedStatus: true };
  return { status, headers: {}, body: typeof v === 'string' ? v : bodyText(v), derivedStatus: true };
}

/** @param {any} v */
function isZrcResponse(v) {
  return v && typeof v === 'object' && typeof v.status === 'number' && ('data' in v || 'headers' in v);
}

/** @param {any} v @returns {TransportResponse} */
function fromZrc(v) {
  const data = v.data;
  return {
    status: v.status,
    headers: lowerHeaders(v.headers),
    body: v.status === 204 || data == null ? '' : typeof data === 'string' ? data : bodyText(data),
  };
}

/**
 * A rejected SDK value (§9.4). ZRC rejects with `{ error, request, response }` on API errors;
 * the older wrappers reject with whatever the parent page sent, often a CRM body.
 * @param {any} e @param {string[]} secrets @returns {TransportResponse}
 */
function fromRejection(e, secrets) {
  if (e && typeof e === 'object' && e.response && typeof e.response.status === 'number') return fromZrc(e.response);
  const isError = e instanceof Error || e?.error instanceof Error;
  if (!isError && e && typeof e === 'object' && (typeof e.code === 'string' || Array.isArray(e.data))) {
    const r = fromBody(e);
    if (r.status >= 400) return r;
    // A rejection is never a success, whatever its body says: its outcome is unknown.
    const what = typeof e.code === 'string' ? `${e.code}: ${e.message ?? ''}` : 'rejected with a body';
    return { status: 0, headers: {}, body: r.body, error: { name: 'WidgetSdkError', message: redact(what, secrets) } };
  }
  if (isError) return { status: 0, headers: {}, body: '', error: errorOf(e instanceof Error ? e : e.error, secrets) };
  const message = typeof e === 'string' ? e : bodyText(e);
  return { status: 0, headers: {}, body: '', error: { name: 'WidgetSdkError', message: redact(message, secrets) } };
}

/**
 * Races an SDK promise (which has no timeout of its own, §1.4) against a timer and the signal.
 * @template T
 * @param {() => Promise<T> | T} call @param {number} ms @param {AbortSignal | null | undefined} signal
 * @returns {Promise<{ ok: true, value: T } | { ok: false, error: unknown } | { timeout: true } | { aborted: true }>}
 */
function settle(call, ms, signal) {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve({ aborted: true });
    const timer = setTimeout(() => done({ timeout: true }), ms);
    const onAbort = () => done({ aborted: true });
    signal?.addEventListener('abort', onAbort, { once: true });
    let finished = false;
    /** @param {any} r */
    function done(r) {
      if (finished) return;
      finished = true;
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      resolve(r);
    }
    try {
      Promise.resolve(call()).then(
        (value) => done({ ok: true, value }),
        (error) => done({ ok: false, error }),
      );
    } catch (error) {
      done({ ok: false, error });
    }
  });
}

/**
 * Parses a CRM REST URL into the parts the SDK wrappers need.
 * @param {string} url
 */
function crmRoute(url) {
  const u = new URL(url, 'https://crm.invalid');
  const m = /^\/crm\/v\d+(?:\.\d+)?\/(.*)$/.exec(u.pathname);
  const parts = (m?.[1] ?? '').split('/').filter(Boolean).map(decodeURIComponent);
  return { u, parts, q: u.searchParams };
}

/**
 * A transport for Zoho CRM widgets, built on the embedded app SDK. It prefers the `zrc`
 * client (SDK 1.5: real status and headers), else `ZOHO.CRM.CONNECTION.invoke` when a
 * `connection` name is given, else the `ZOHO.CRM.API.*` wrappers (status derived from the body;
 * bulk writes one record per call because a 207 can leave the SDK promise pending, §5).
 * @param {{ ZOHO?: any, zrc?: any, connection?: string, timeoutMs?: number,
 *   mode?: 'zrc' | 'connection' | 'api' }} [options]
 * @returns {Transport & { mode: 'zrc' | 'connection' | 'api' }}
 */
export function widgetTransport(options = {}) {
  options = readOptions(options);
  const ZOHO = options.ZOHO ?? /** @type {any} */ (globalThis).ZOHO;
  const zrc = options.zrc ?? /** @type {any} */ (globalThis).zrc;
  const defaultTimeout = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const mode =
    options.mode ??
    (typeof zrc?.request === 'function' || typeof zrc?.get === 'function'
      ? 'zrc'
      : options.connection && typeof ZOHO?.CRM?.CONNECTION?.invoke === 'function'
        ? 'connection'
        : 'api');
  if (mode === 'zrc' && !zrc) throw guardError('INVALID_ARGUMENT', 'widgetTransport: no zrc client (SDK 1.5) available', 'options.zrc');
  if (mode === 'connection' && (!options.connection || typeof ZOHO?.CRM?.CONNECTION?.invoke !== 'function')) {
    throw guardError('INVALID_ARGUMENT', 'widgetTransport: connection mode needs ZOHO.CRM.CONNECTION.invoke and a connection name', 'options.connection');
  }
  if (mode === 'api' && typeof ZOHO?.CRM?.API !== 'object') throw guardError('INVALID_ARGUMENT', 'widgetTransport: no ZOHO.CRM.API available', 'options.ZOHO');

  /** @type {Transport} */
  async function transport(request) {
    const secrets = secretsOf(request.headers);
    const timeoutMs = request.timeoutMs ?? defaultTimeout;
    const method = String(request.method ?? 'GET').toUpperCase();
    // The SDK authenticates same-org calls itself; our Authorization header never leaves.
    const headers = Object.fromEntries(Object.entries(request.headers ?? {}).filter(([k]) => k.toLowerCase() !== 'authorization'));
    const body = typeof request.body === 'string' ? tryJson(request.body) : request.body;
    /** @param {() => unknown} call @param {(v: any) => TransportResponse} onValue */
    const once = async (call, onValue) => {
      const r = await settle(/** @type {any} */ (call), timeoutMs, request.signal);
      if ('timeout' in r) return timeoutError(timeoutMs);
      if ('aborted' in r) return abortedError();
      if (!r.ok) return fromRejection(r.error, secrets);
      return onValue(r.value);
    };

    if (mode === 'zrc') {
      const { u } = crmRoute(request.url);
      const path = /^https?:/i.test(request.url) && !/^\/crm\//.test(u.pathname) ? request.url : `${u.pathname}${u.search}`;
      const cfg = { headers };
      const verb = method.toLowerCase();
      return once(
        () => (['post', 'put', 'patch'].includes(verb) ? zrc[verb](path, body, cfg) : typeof zrc[verb] === 'function' ? zrc[verb](path, cfg) : zrc.request({ ...cfg, method, path, body })),
        (v) => (isZrcResponse(v) ? fromZrc(v) : fromBody(v)),
      );
    }

    if (mode === 'connection') {
      const { u } = crmRoute(request.url);
      const hasBody = body != null && method !== 'GET' && method !== 'DELETE';
      const params = hasBody ? body : Object.fromEntries(u.searchParams);
      const url = hasBody ? request.url : `${u.origin}${u.pathname}`;
      return once(
        () => ZOHO.CRM.CONNECTION.invoke(options.connection, { url, method, param_type: hasBody ? 2 : 1, parameters: params, headers }),
        (v) => fromConnection(v),
      );
    }
    return apiCall(ZOHO, request.url, method, body, once);
  }
  return Object.assign(transport, { mode });
}

/**
 * `CONNECTION.invoke` resolves with a wrapper whose `code` stays SUCCESS even when the target
 * API failed; the target's body is in `details.statusMessage`, a string or an object (§3).
 * @param {any} v @returns {TransportResponse}
 */
function fromConnection(v) {
  const w = tryJson(v);
  if (w && typeof w === 'object' && 'details' in w && typeof w.code === 'string') {
    if (w.code.toUpperCase() !== 'SUCCESS') {
      const s = statusFromBody(w);
      return { status: s === 200 ? 502 : s, headers: {}, body: bodyText(w), derivedStatus: true };
    }
    const details = tryJson(w.details);
    const inner = details && typeof details === 'object' && 'statusMessage' in details ? tryJson(details.statusMessage) : details;
    return fromBody(inner);
  }
  return fromBody(w);
}

/**
 * The `ZOHO.CRM.API.*` wrappers (v2 semantics, body only). Writes go one record per call,
 * in order; the first record whose outcome is unknown stops the batch, and what is known so
 * far is returned in `partial` (records `0 .. partial.records - 1`).
 * @param {any} ZOHO @param {string} url @param {string} method @param {any} body
 * @param {(call: () => unknown, onValue: (v: any) => TransportResponse) => Promise<TransportResponse>} once
 * @returns {Promise<TransportResponse>}
 */
async function apiCall(ZOHO, url, method, body, once) {
  const API = ZOHO.CRM.API;
  const { parts, q } = crmRoute(url);
  const [Entity, second, third, fourth] = parts;
  const unsupported = () => ({
    status: 0,
    headers: {},
    body: '',
    error: { name: 'NotSupportedError', message: `the widget SDK wrappers cannot send ${method} ${parts.join('/')}` },
  });
  const single = (/** @type {() => unknown} */ call) => once(call, fromBody);

  if (Entity === 'coql' && method === 'POST') return single(() => API.coql({ select_query: body?.select_query }));
  if (Entity === 'settings' && second === 'fields' && method === 'GET') {
    return single(() => ZOHO.CRM.META.getFields({ Entity: q.get('module') }));
  }
  if (!Entity || Entity.startsWith('__') || third || fourth) return unsupported();
  if (method === 'GET' && second === 'search') {
    const type = q.has('criteria') ? 'criteria' : q.has('email') ? 'email' : q.has('phone') ? 'phone' : 'word';
    return single(() => API.searchRecord({ Entity, Type: type, Query: q.get(type), page: num(q.get('page')), per_page: num(q.get('per_page')) }));
  }
  if (method === 'GET' && second) return single(() => API.getRecord({ Entity, RecordID: second }));
  if (method === 'GET') {
    return single(() => API.getAllRecords({ Entity, sort_order: q.get('sort_order') ?? undefined, sort_by: q.get('sort_by') ?? undefined, page: num(q.get('page')), per_page: num(q.get('per_page')) }));
  }
  /** @type {{ call: (item: any) => unknown, items: any[] } | null} */
  let plan = null;
  const records = Array.isArray(body?.data) ? body.data : [];
  const Trigger = Array.isArray(body?.trigger) ? body.trigger : undefined;
  if (method === 'POST' && !second) plan = { items: records, call: (r) => API.insertRecord({ Entity, APIData: r, Trigger }) };
  else if (method === 'PUT' && !second) plan = { items: records, call: (r) => API.updateRecord({ Entity, APIData: r, Trigger }) };
  else if (method === 'PUT' && second) plan = { items: records, call: (r) => API.updateRecord({ Entity, APIData: { ...r, id: second }, Trigger }) };
  else if (method === 'POST' && second === 'upsert') {
    const dup = Array.isArray(body?.duplicate_check_fields) ? body.duplicate_check_fields : undefined;
    plan = { items: records, call: (r) => API.upsertRecord({ Entity, APIData: r, duplicate_check_fields: dup, Trigger }) };
  } else if (method === 'DELETE') {
    const ids = second ? [second] : (q.get('ids') ?? '').split(',').filter(Boolean);
    plan = { items: ids, call: (id) => API.deleteRecord({ Entity, RecordID: id }) };
  }
  if (!plan) return unsupported();
  if (plan.items.length === 0) {
    return { status: 0, headers: {}, body: '', error: { name: 'InvalidRequestError', message: 'no records or ids to send' } };
  }

  /** @type {any[]} */
  const entries = [];
  for (const item of plan.items) {
    const r = await once(() => plan.call(item), fromBody);
    const parsed = /** @type {any} */ (r.status === 0 ? null : tryJson(r.body));
    const list = Array.isArray(parsed) ? parsed : parsed?.data; // upsert's JSDoc shows a bare array
    const entry = Array.isArray(list) && list.length === 1 && list[0] && typeof list[0] === 'object' ? list[0] : null;
    if (entry) {
      entries.push(fixJsonPath(entry, entries.length));
      continue;
    }
    // Unknown outcome (timeout, a rejection without a body) or a top-level error: stop, so
    // nothing after this record is sent, and say what is known about the records before it.
    if (!entries.length) return r;
    const known = { data: entries };
    return { ...r, partial: { status: statusFromBody(known), body: JSON.stringify(known), records: entries.length } };
  }
  const merged = { data: entries };
  return { status: statusFromBody(merged), headers: {}, body: JSON.stringify(merged), derivedStatus: true };
}

/** Per-record errors of a one-record call point at `$.data[0]`; rebase them on the batch index. */
function fixJsonPath(/** @type {any} */ entry, /** @type {number} */ index) {
  const p = entry?.details?.json_path;
  if (typeof p !== 'string' || index === 0) return entry;
  return { ...entry, details: { ...entry.details, json_path: p.replace(/^\$\.data\[0\]/, `$.data[${index}]`) } };
}

/** @param {string | null} v */
function num(v) {
  return v == null ? undefined : Number(v);
}
