// A fake of the Zoho embedded app SDK (`ZOHO` and the 1.5 `zrc` client) that behaves as
// /work/shared/zoho-widget-sdk-facts.md describes, answering from a ZohoSimulator:
// - ZOHO.CRM.API.*: resolve with the parsed body (no status, no headers); an empty READ
//   resolves `{status: 204}`; errors resolve or reject with the body (`errorsReject`);
//   a 207 never settles (embeddedApp-js-sdk#14) unless `hangOn207: false`.
// - ZOHO.CRM.CONNECTION.invoke: a SUCCESS wrapper with the target body in
//   `details.statusMessage`, as a JSON string or an object (`statusMessageAsString`).
// - zrc.get/post/put/patch/delete: `{status, headers, data}`; non-2xx rejects with
//   `{error, request, response}`.
// `hang(n)` makes the next n SDK calls never settle. Every call is logged in `calls`.

/**
 * @param {import('@zcrm-guard/zoho-sim').ZohoSimulator} sim
 * @param {{ errorsReject?: boolean, hangOn207?: boolean, statusMessageAsString?: boolean,
 *   base?: string, withZrc?: boolean }} [options]
 */
export function fakeZoho(sim, options = {}) {
  const base = options.base ?? 'https://www.zohoapis.com';
  /** @type {{ api: string, args: any[] }[]} */
  const calls = [];
  let hangs = 0;
  const never = () => new Promise(() => {});

  /** @param {string} method @param {string} path @param {unknown} [body] */
  async function send(method, path, body) {
    const r = await sim.handle({
      method,
      url: path.startsWith('http') ? path : `${base}${path}`,
      headers: { authorization: 'Zoho-oauthtoken sim-access-0', 'content-type': 'application/json' },
      body: body === undefined ? '' : JSON.stringify(body),
    });
    return r;
  }
  /** @param {string} api @param {any[]} args @param {() => Promise<any>} run */
  function sdk(api, args, run) {
    calls.push({ api, args: structuredClone(args) });
    if (hangs > 0) {
      hangs--;
      return never();
    }
    return run();
  }
  /** A v1 wrapper: body only (§2). */
  async function bodyOnly(/** @type {any} */ r) {
    if (r.drop) throw { code: 'NETWORK', message: 'connection lost' }; // shape unknown; a bare rejection
    if (r.status === 204) return { status: 204 };
    if (r.status === 207 && options.hangOn207 !== false) return never();
    const parsed = r.body ? safeJson(r.body) : undefined;
    if (r.status >= 400 && options.errorsReject) throw parsed;
    return parsed;
  }
  const q = (/** @type {Record<string, unknown>} */ o) => {
    const p = new URLSearchParams();
    for (const [k, v] of Object.entries(o)) if (v !== undefined && v !== null) p.set(k, String(v));
    const s = p.toString();
    return s ? `?${s}` : '';
  };

  const API = {
    insertRecord: (/** @type {any} */ c) => sdk('insertRecord', [c], async () => bodyOnly(await send('POST', `/crm/v8/${c.Entity}`, { data: [].concat(c.APIData), trigger: c.Trigger }))),
    updateRecord: (/** @type {any} */ c) => sdk('updateRecord', [c], async () => bodyOnly(await send('PUT', `/crm/v8/${c.Entity}`, { data: [].concat(c.APIData), trigger: c.Trigger }))),
    upsertRecord: (/** @type {any} */ c) => sdk('upsertRecord', [c], async () => bodyOnly(await send('POST', `/crm/v8/${c.Entity}/upsert`, { data: [].concat(c.APIData), duplicate_check_fields: c.duplicate_check_fields, trigger: c.Trigger }))),
    deleteRecord: (/** @type {any} */ c) => sdk('deleteRecord', [c], async () => bodyOnly(await send('DELETE', `/crm/v8/${c.Entity}?ids=${c.RecordID}`))),
    getRecord: (/** @type {any} */ c) => sdk('getRecord', [c], async () => bodyOnly(await send('GET', `/crm/v8/${c.Entity}/${c.RecordID}`))),
    getAllRecords: (/** @type {any} */ c) => sdk('getAllRecords', [c], async () => bodyOnly(await send('GET', `/crm/v8/${c.Entity}${q({ fields: 'Last_Name,Email', page: c.page, per_page: c.per_page, sort_by: c.sort_by, sort_order: c.sort_order })}`))),
    searchRecord: (/** @type {any} */ c) => sdk('searchRecord', [c], async () => bodyOnly(await send('GET', `/crm/v8/${c.Entity}/search${q({ [c.Type]: c.Query, page: c.page, per_page: c.per_page })}`))),
    coql: (/** @type {any} */ c) => sdk('coql', [c], async () => bodyOnly(await send('POST', '/crm/v8/coql', c))),
  };
  const META = {
    getFields: (/** @type {any} */ c) => sdk('getFields', [c], async () => bodyOnly(await send('GET', `/crm/v8/settings/fields?module=${c.Entity}`))),
  };
  const CONNECTION = {
    invoke: (/** @type {string} */ name, /** @type {any} */ conf) =>
      sdk('CONNECTION.invoke', [name, conf], async () => {
        const u = new URL(conf.url);
        if (conf.param_type === 1 && conf.parameters) for (const [k, v] of Object.entries(conf.parameters)) u.searchParams.set(k, String(v));
        const r = await send(conf.method, `${u.pathname}${u.search}`, conf.param_type === 2 ? conf.parameters : undefined);
        if (r.drop) throw { code: 'NETWORK', message: 'connection lost' };
        const target = r.body ? safeJson(r.body) : '';
        return {
          code: 'SUCCESS',
          details: { statusMessage: options.statusMessageAsString ? r.body : target },
          message: 'Connection invoked successfully',
          status: 'success',
        };
      }),
  };
  /** @param {string} method @returns {(path: string, a?: any, b?: any) => Promise<any>} */
  const zrcVerb = (method) => (path, a, b) =>
    sdk(`zrc.${method.toLowerCase()}`, [path, a, b], async () => {
      const body = ['POST', 'PUT', 'PATCH'].includes(method) ? a : undefined;
      const r = await send(method, path, body);
      if (r.drop) {
        const e = new Error('Connection request failed');
        e.name = 'ZRC_CONNECTION_ERROR';
        throw e;
      }
      const response = { status: r.status, headers: r.headers, data: r.body ? safeJson(r.body) : '' };
      if (r.status >= 400) {
        const e = new Error('API error');
        e.name = 'ZRC_API_ERROR';
        throw { error: e, request: { url: path }, response };
      }
      return response;
    });
  const zrc = {
    get: zrcVerb('GET'), post: zrcVerb('POST'), put: zrcVerb('PUT'), patch: zrcVerb('PATCH'), delete: zrcVerb('DELETE'),
    request: (/** @type {any} */ c) => zrcVerb(String(c.method).toUpperCase())(c.path ?? c.url, c.body),
  };
  return {
    ZOHO: { CRM: { API, META, CONNECTION } },
    zrc: options.withZrc === false ? undefined : zrc,
    calls,
    /** The next n SDK calls never settle. */
    hang(n = 1) {
      hangs = n;
    },
  };
}

/** @param {string} s */
function safeJson(s) {
  try {
    return JSON.parse(s);
  } catch {
    return s;
  }
}
