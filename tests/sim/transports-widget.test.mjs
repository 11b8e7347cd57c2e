// The widget transport against a fake ZOHO SDK that behaves as the facts file says.
import test from 'node:test';
import assert from 'node:assert/strict';
import { ZohoSimulator } from '@zcrm-guard/zoho-sim';
import { widgetTransport, statusFromBody } from '../../pkg-template/lib/transports.js';
import { factsFrom } from '../../pkg-template/lib/facts.js';
import { zohoFacts } from '../../pkg/node.js';
import { fakeZoho } from './fake-zoho.mjs';
import { leads } from './helpers.mjs';

// A transport made before any core is named (a browser page before `init()`): it reads
// the code statuses at its first call, not when it is made.
const early = widgetTransport({ mode: 'api', ZOHO: { CRM: { API: { getRecord: async () => ({ code: 'INVALID_TOKEN', status: 'error', message: 'invalid oauth token' }) } } } });
// The package entries name their core at import; this file imports lib/ directly.
factsFrom(zohoFacts);

const URL_BASE = 'https://www.zohoapis.com';
const TOKEN = 'sim-access-0';
const insert = (records, extra = {}) => ({
  method: 'POST',
  url: `${URL_BASE}/crm/v8/Leads`,
  headers: { Authorization: `Zoho-oauthtoken ${TOKEN}`, 'content-type': 'application/json' },
  body: JSON.stringify({ data: records }),
  timeoutMs: 200,
  ...extra,
});
const setup = (simOptions = {}, fakeOptions = {}) => {
  const sim = new ZohoSimulator({ seed: 5, ...simOptions });
  return { sim, ...fakeZoho(sim, fakeOptions) };
};

test('backend choice: zrc first, then CONNECTION.invoke with a connection name, else API.*', () => {
  const f = setup();
  assert.equal(widgetTransport({ ZOHO: f.ZOHO, zrc: f.zrc }).mode, 'zrc');
  assert.equal(widgetTransport({ ZOHO: f.ZOHO, zrc: null, connection: 'crm' }).mode, 'connection');
  assert.equal(widgetTransport({ ZOHO: f.ZOHO, zrc: null }).mode, 'api');
  assert.throws(() => widgetTransport({ ZOHO: {}, zrc: null }), (e) => e.name === 'ZcrmGuardError' && e.code === 'INVALID_ARGUMENT');
});

test('zrc: real status and headers, 4xx rejections become answers, no Authorization sent', async () => {
  const f = setup({ credits: 4 });
  const t = widgetTransport({ ZOHO: f.ZOHO, zrc: f.zrc });
  const ok = await t(insert(leads(2)));
  assert.equal(ok.status, 201);
  assert.equal(ok.derivedStatus, undefined);
  assert.match(ok.headers['content-type'], /json/);
  assert.equal(f.calls[0].api, 'zrc.post');
  assert.equal(f.calls[0].args[0], '/crm/v8/Leads', 'relative CRM path');
  assert.doesNotMatch(JSON.stringify(f.calls), /authorization|sim-access/i);
  const mixed = await t(insert([{ Last_Name: 'A' }, { Email: 'x@y.com' }]));
  assert.equal(mixed.status, 207);
  assert.equal(mixed.headers['x-api-credits-remaining'], '2', 'a real header from the server');
  const failed = await t(insert([{ Email: 'only@x.com' }]));
  assert.equal(failed.status, 400);
  assert.equal(JSON.parse(failed.body).data[0].code, 'MANDATORY_NOT_FOUND');
});

test('zrc: a connection error is status 0 with the SDK error name', async () => {
  const f = setup({ faults: { dropBefore: 1 } });
  const r = await widgetTransport({ ZOHO: f.ZOHO, zrc: f.zrc })(insert(leads(1)));
  assert.equal(r.status, 0);
  assert.equal(r.error.name, 'ZRC_CONNECTION_ERROR');
});

test('CONNECTION.invoke: statusMessage as object or string is unwrapped, status derived, no headers invented', async () => {
  for (const statusMessageAsString of [false, true]) {
    const f = setup({ credits: 2 }, { statusMessageAsString });
    const t = widgetTransport({ ZOHO: f.ZOHO, zrc: null, connection: 'zcrm' });
    const r = await t(insert([{ Last_Name: 'A' }, { Email: 'x@y.com' }]));
    assert.equal(r.status, 207, `string=${statusMessageAsString}`);
    assert.equal(r.derivedStatus, true);
    assert.deepEqual(r.headers, {}, 'no credit or Retry-After header is invented');
    assert.equal(JSON.parse(r.body).data[1].code, 'MANDATORY_NOT_FOUND');
    assert.equal(f.calls[0].args[0], 'zcrm');
    assert.equal(f.calls[0].args[1].param_type, 2);
    const g = await t({ method: 'GET', url: `${URL_BASE}/crm/v8/Leads?fields=Email`, headers: {} });
    assert.equal(g.status, 200);
    assert.equal(f.calls[1].args[1].parameters.fields, 'Email');
    const over = await t({ method: 'GET', url: `${URL_BASE}/crm/v8/Leads?fields=Email`, headers: {} });
    assert.equal(over.status, 429, 'TOO_MANY_REQUESTS in the body maps to 429');
    assert.equal(over.derivedStatus, true);
  }
});

test('API.*: a bulk insert goes one record per call, results merged in order with rebased json_path', async () => {
  const f = setup();
  const t = widgetTransport({ ZOHO: f.ZOHO, zrc: null });
  const r = await t(insert([{ Last_Name: 'A', Email: 'a@x.com' }, { Email: 'b@x.com' }, { Last_Name: 'C' }]));
  assert.deepEqual(f.calls.map((c) => c.api), ['insertRecord', 'insertRecord', 'insertRecord']);
  assert.ok(f.calls.every((c) => !Array.isArray(c.args[0].APIData)), 'one record object per call');
  assert.equal(r.status, 207);
  assert.equal(r.derivedStatus, true);
  assert.deepEqual(r.headers, {});
  const data = JSON.parse(r.body).data;
  assert.deepEqual(data.map((d) => d.status), ['success', 'error', 'success']);
  assert.equal(data[1].details.json_path, '$.data[1].Last_Name');
  assert.equal(f.sim.stats().created.Leads, 2);
});

test('API.*: errors resolved (not rejected) with a body still become error answers', async () => {
  const f = setup({ tokenExpiryEveryCalls: 1 });
  const r = await widgetTransport({ ZOHO: f.ZOHO, zrc: null })(insert(leads(1)));
  assert.equal(r.status, 401);
  assert.equal(r.derivedStatus, true);
  assert.equal(JSON.parse(r.body).code, 'INVALID_TOKEN');
});

test('API.*: rejections carrying a body become answers; bare rejections are status 0', async () => {
  const f = setup({ faults: { internalError: 1 } }, { errorsReject: true });
  const r = await widgetTransport({ ZOHO: f.ZOHO, zrc: null })(insert(leads(1)));
  assert.equal(r.status, 500);
  assert.equal(JSON.parse(r.body).code, 'INTERNAL_ERROR');
  const d = setup({ faults: { dropAfter: 1 } });
  const dropped = await widgetTransport({ ZOHO: d.ZOHO, zrc: null })(insert(leads(1)));
  assert.equal(dropped.status, 0, 'a rejection whose body does not read as an error is an unknown outcome');
  assert.equal(dropped.error.name, 'WidgetSdkError');
  assert.match(dropped.error.message, /NETWORK/);
  const bare = widgetTransport({ ZOHO: { CRM: { API: { insertRecord: () => Promise.reject('boom') } } }, zrc: null });
  const b = await bare(insert(leads(1)));
  assert.equal(b.status, 0);
  assert.equal(b.error.name, 'WidgetSdkError');
});

test('API.*: a call that never settles times out; later records are not sent; known ones are kept', async () => {
  const f = setup();
  const t = widgetTransport({ ZOHO: f.ZOHO, zrc: null, timeoutMs: 50 });
  // First record answered, second hangs forever (the SDK has no timeout of its own).
  const orig = f.ZOHO.CRM.API.insertRecord;
  let n = 0;
  f.ZOHO.CRM.API.insertRecord = (c) => (++n === 2 ? new Promise(() => {}) : orig(c));
  const started = Date.now();
  const r = await t(insert(leads(3), { timeoutMs: undefined }));
  assert.ok(Date.now() - started < 1000);
  assert.equal(r.status, 0);
  assert.equal(r.timedOut, true);
  assert.equal(r.error.name, 'TimeoutError');
  assert.equal(n, 2, 'the third record was never sent');
  assert.equal(r.partial.records, 1);
  assert.equal(r.partial.status, 200);
  assert.equal(JSON.parse(r.partial.body).data[0].code, 'SUCCESS');
});

test('a 207 that hangs the SDK (issue #14) cannot happen with one record per call; a hung zrc call times out', async () => {
  const f = setup({}, { hangOn207: true });
  const r = await widgetTransport({ ZOHO: f.ZOHO, zrc: null })(insert([{ Last_Name: 'A' }, { Email: 'x@y.com' }]));
  assert.equal(r.status, 207);
  const g = setup();
  g.hang(1);
  const z = await widgetTransport({ ZOHO: g.ZOHO, zrc: g.zrc, timeoutMs: 30 })(insert(leads(1), { timeoutMs: undefined }));
  assert.equal(z.timedOut, true);
});

test('API.*: reads, 204 as {status:204}, search, COQL, fields, upsert and delete', async () => {
  const f = setup();
  const t = widgetTransport({ ZOHO: f.ZOHO, zrc: null });
  const empty = await t({ method: 'GET', url: `${URL_BASE}/crm/v8/Leads?fields=Email` });
  assert.equal(empty.status, 204);
  assert.equal(empty.body, '');
  await t(insert(leads(3)));
  const all = await t({ method: 'GET', url: `${URL_BASE}/crm/v8/Leads?fields=Email&per_page=2` });
  assert.equal(all.status, 200);
  assert.equal(JSON.parse(all.body).data.length, 2);
  const s = await t({ method: 'GET', url: `${URL_BASE}/crm/v8/Leads/search?email=l1@example.com` });
  assert.equal(JSON.parse(s.body).data[0].Email, 'l1@example.com');
  assert.equal(f.calls.at(-1).args[0].Type, 'email');
  const q = await t({ method: 'POST', url: `${URL_BASE}/crm/v8/coql`, body: { select_query: 'select Email from Leads limit 2' } });
  assert.equal(JSON.parse(q.body).data.length, 2);
  const fields = await t({ method: 'GET', url: `${URL_BASE}/crm/v8/settings/fields?module=Leads` });
  assert.ok(JSON.parse(fields.body).fields.length > 3);
  const up = await t({ method: 'POST', url: `${URL_BASE}/crm/v8/Leads/upsert`, body: { data: [{ Last_Name: 'N', Email: 'l0@example.com' }], duplicate_check_fields: ['Email'] } });
  assert.equal(JSON.parse(up.body).data[0].action, 'update');
  const ids = f.sim.records('Leads').map((r) => r.id);
  const del = await t({ method: 'DELETE', url: `${URL_BASE}/crm/v8/Leads?ids=${ids.join(',')}` });
  assert.equal(del.status, 200);
  assert.equal(f.calls.filter((c) => c.api === 'deleteRecord').length, 3);
  const none = await t({ method: 'POST', url: `${URL_BASE}/crm/v8/Leads`, body: { data: [] } });
  assert.equal(none.status, 0);
  assert.equal(none.error.name, 'InvalidRequestError');
  const composite = await t({ method: 'POST', url: `${URL_BASE}/crm/v8/__composite_requests`, body: {} });
  assert.equal(composite.status, 0);
  assert.equal(composite.error.name, 'NotSupportedError');
});

test('a widget transport made before the core was named reads the code statuses at first use', async () => {
  const r = await early({ method: 'GET', url: `${URL_BASE}/crm/v8/Leads/1`, headers: {}, timeoutMs: 200 });
  assert.equal(r.status, 401);
  assert.equal(r.derivedStatus, true);
});

test('statusFromBody follows the facts table', () => {
  assert.equal(statusFromBody({ data: [{ status: 'success' }, { status: 'error' }] }), 207);
  assert.equal(statusFromBody({ data: [{ status: 'error' }] }), 400);
  assert.equal(statusFromBody({ data: [{ id: '1' }] }), 200);
  assert.equal(statusFromBody({ code: 'AUTHENTICATION_FAILURE', status: 'error' }), 401);
  assert.equal(statusFromBody({ code: 'NO_PERMISSION', status: 'error' }), 403);
  assert.equal(statusFromBody({ code: 'TOO_MANY_REQUESTS', status: 'error' }), 429);
  assert.equal(statusFromBody({ code: 'INVALID_MODULE', status: 'error' }), 400);
  assert.equal(statusFromBody({ code: 3000 }), 200);
  assert.equal(statusFromBody(undefined), 204);
  // The table moved into the core (zohoFacts().codeStatus): every status it had, still.
  const before = { SUCCESS: 200, INVALID_TOKEN: 401, AUTHENTICATION_FAILURE: 401, INVALID_OAUTHTOKEN: 401, OAUTH_SCOPE_MISMATCH: 401, NO_PERMISSION: 403, PERMISSION_DENIED: 403, INVALID_URL_PATTERN: 404, INVALID_REQUEST_METHOD: 405, ALREADY_MODIFIED: 412, TOO_MANY_REQUESTS: 429, INTERNAL_ERROR: 500, INTERNAL_SERVER_ERROR: 500 };
  for (const [code, status] of Object.entries(before)) assert.equal(statusFromBody({ code, status: 'error' }), status, code);
  assert.deepEqual(zohoFacts().codeStatus, before);
  assert.equal(statusFromBody({ code: 'invalid_token' }), 401, 'codes are matched upper-cased');
  assert.equal(statusFromBody({ code: '__proto__', status: 'error' }), 400, 'no inherited property is a status');
});
