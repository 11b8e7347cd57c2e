// The simulator's issue-14 realism: uniqueness off by default, record times and the Date
// header on the server's clock, records that exist before the job, COQL refused for lack of
// scope, the search API's `or` criteria and `fields`, the faults after commit, short replies,
// 429 with Retry-After, proxy pages, locks on insert, token lifetime and Zoho's refresh limit,
// and the fault-free audit.
import test from 'node:test';
import assert from 'node:assert/strict';
import { FAULT_KINDS } from '@zcrm-guard/zoho-sim';
import { simOn, leads } from './helpers.mjs';

const FORM = 'grant_type=refresh_token&refresh_token=sim-refresh-token&client_id=c&client_secret=s';
const search = (criteria, extra = '') => `/crm/v8/Leads/search?criteria=${encodeURIComponent(criteria)}${extra}`;

test("Leads' Email is not unique by default: two leads may share it, upsert still matches on it", async () => {
  const { call, sim } = simOn();
  const a = await call('POST', '/crm/v8/Leads', { data: [{ Last_Name: 'Old', Email: 'ann@x.com' }] });
  const b = await call('POST', '/crm/v8/Leads', { data: [{ Last_Name: 'New', Email: 'ANN@x.com' }] });
  assert.equal(a.status, 201);
  assert.equal(b.status, 201);
  assert.notEqual(a.json.data[0].details.id, b.json.data[0].details.id);
  assert.equal(sim.records('Leads').length, 2);
  const up = await call('POST', '/crm/v8/Leads/upsert', { data: [{ Last_Name: 'Up', Email: 'zed@x.com' }] });
  assert.equal(up.json.data[0].action, 'insert');
  const up2 = await call('POST', '/crm/v8/Leads/upsert', { data: [{ Last_Name: 'Up2', Email: 'zed@x.com' }] });
  assert.equal(up2.json.data[0].action, 'update');
  assert.equal(up2.json.data[0].duplicate_field, 'Email');
});

test('uniqueFields turns server uniqueness on (DUPLICATE_DATA in Zoho shape) or off, per module', async () => {
  const on = simOn({ uniqueFields: { Leads: ['Email'] } });
  const first = await on.call('POST', '/crm/v8/Leads', { data: [{ Last_Name: 'Old', Email: 'ann@x.com' }] });
  const dup = await on.call('POST', '/crm/v8/Leads', { data: [{ Last_Name: 'New', Email: 'Ann@X.com' }] });
  assert.equal(dup.status, 400);
  const e = dup.json.data[0];
  assert.equal(e.code, 'DUPLICATE_DATA');
  assert.equal(e.status, 'error');
  assert.equal(e.message, 'duplicate data');
  assert.equal(e.details.api_name, 'Email');
  assert.equal(e.details.json_path, '$.data[0].Email');
  assert.equal(e.details.duplicate_record.id, first.json.data[0].details.id);
  assert.deepEqual(e.details.duplicate_record.module.api_name, 'Leads');
  assert.equal(on.sim.records('Leads').length, 1);
  // Off for a module that is unique by default (Accounts' Account_Name).
  const off = simOn({ uniqueFields: { Accounts: [] } });
  await off.call('POST', '/crm/v8/Accounts', { data: [{ Account_Name: 'Acme' }] });
  assert.equal((await off.call('POST', '/crm/v8/Accounts', { data: [{ Account_Name: 'Acme' }] })).status, 201);
  assert.throws(() => simOn({ uniqueFields: { Leads: ['Nope'] } }), /unknown field Leads.Nope/);
});

test('records carry Created_Time, Modified_Time (second precision, offset) and Created_By; Date on the server clock', async () => {
  const { call, clock } = simOn({ clockSkewMs: 90_000, auth: false });
  clock.t = Date.UTC(2026, 11, 2, 10, 0, 0, 750);
  const r = await call('POST', '/crm/v8/Leads', { data: leads(1) });
  const d = r.json.data[0].details;
  assert.equal(d.Created_Time, '2026-12-02T10:01:30+00:00', 'the server clock runs 90 s ahead');
  assert.equal(r.headers.date, 'Wed, 02 Dec 2026 10:01:30 GMT');
  assert.deepEqual(d.Created_By, { name: 'Sim User', id: '5725767000000411001' });
  clock.t += 5_000;
  const u = await call('PUT', '/crm/v8/Leads', { data: [{ id: d.id, Company: 'Acme' }] });
  assert.equal(u.json.data[0].details.Modified_Time, '2026-12-02T10:01:35+00:00');
  assert.equal(u.json.data[0].details.Created_Time, '2026-12-02T10:01:30+00:00');
  const q = await call('POST', '/crm/v8/coql', { select_query: `select Created_Time, Modified_Time, Created_By from Leads where id = '${d.id}'` });
  assert.deepEqual(q.json.data[0], { id: d.id, Created_Time: '2026-12-02T10:01:30+00:00', Modified_Time: '2026-12-02T10:01:35+00:00', Created_By: d.Created_By });
  const err = await call('GET', '/crm/v8/Nope');
  assert.equal(err.headers.date, 'Wed, 02 Dec 2026 10:01:35 GMT', 'errors carry Date too');
});

test('seedRecords exist before the job, a day old, not counted as created nor audited', async () => {
  const seeds = Array.from({ length: 1_000 }, (_, i) => ({ Last_Name: `Seed ${i}`, Email: `s${i}@x.com` }));
  const { call, sim, clock } = simOn({ seedRecords: { Leads: [...seeds, { id: '5725767000777000001', Last_Name: 'Named', Email: 'named@x.com' }] } });
  assert.equal(sim.records('Leads').length, 1_001);
  assert.equal(sim.stats().created.Leads ?? 0, 0);
  assert.deepEqual(sim.audit().writes, {});
  const hit = await call('GET', search('(Email:equals:s7@x.com)', '&fields=Last_Name,Created_Time'));
  assert.equal(hit.json.data[0].Last_Name, 'Seed 7');
  assert.equal(Date.parse(hit.json.data[0].Created_Time), Math.floor(clock.t / 1000) * 1000 - 86_400_000);
  const got = await call('GET', '/crm/v8/Leads/5725767000777000001');
  assert.equal(got.json.data[0].Last_Name, 'Named');
  assert.throws(() => simOn({ seedRecords: { Leads: [{ id: '1', Last_Name: 'a' }, { id: '1', Last_Name: 'b' }] } }), /given twice/);
});

test('coqlScope: false answers /coql with 401 OAUTH_SCOPE_MISMATCH, before admission; search still answers', async () => {
  const { call, sim } = simOn({ coqlScope: false });
  await call('POST', '/crm/v8/Leads', { data: leads(2) });
  const r = await call('POST', '/crm/v8/coql', { select_query: 'select Email from Leads limit 5' });
  assert.equal(r.status, 401);
  assert.deepEqual(r.json, { code: 'OAUTH_SCOPE_MISMATCH', details: {}, message: 'invalid oauth scope to access this URL', status: 'error' });
  assert.equal(sim.stats().creditsSpent, 1, 'only the insert spent a credit');
  const s = await call('GET', search('(Email:equals:l0@example.com)'));
  assert.equal(s.status, 200);
  const tok = await call('POST', '/oauth/v2/token', FORM, {});
  assert.doesNotMatch(tok.json.scope, /coql/i);
});

test('search: (Email:equals:x)or(Email:equals:y) with up to 10 criteria, `fields` picks columns, escapes', async () => {
  const { call } = simOn();
  await call('POST', '/crm/v8/Leads', { data: [...leads(12), { Last_Name: 'Par(1), a:b', Email: 'par@x.com' }] });
  const crit = (n) => Array.from({ length: n }, (_, i) => `(Email:equals:l${i}@example.com)`).join('or');
  const ten = await call('GET', search(crit(10), '&fields=Email'));
  assert.equal(ten.status, 200);
  assert.equal(ten.json.data.length, 10);
  assert.deepEqual(Object.keys(ten.json.data[0]).sort(), ['Email', 'id']);
  const eleven = await call('GET', search(crit(11)));
  assert.equal(eleven.status, 400);
  assert.equal(eleven.json.code, 'LIMIT_EXCEEDED');
  const wrapped = await call('GET', search('((Email:equals:l1@example.com)or(Email:equals:l2@example.com))'));
  assert.equal(wrapped.json.data.length, 2);
  const esc = await call('GET', search('(Last_Name:equals:Par\\(1\\)\\, a\\:b)'));
  assert.equal(esc.json.data[0].Email, 'par@x.com');
  const none = await call('GET', search('(Email:equals:nobody@x.com)'));
  assert.equal(none.status, 204);
  assert.equal((await call('GET', search('(Email:equals:x'))).json.code, 'INVALID_QUERY');
});

test('the new fault kinds are appended: earlier seeds keep their sequences', () => {
  assert.deepEqual(FAULT_KINDS.slice(-4), ['commitThen5xx', 'shortReply', 'tooManyRequests', 'proxyHtml']);
});

test('commitThen5xx: the write is committed, the reply is 500, 502, 503 or 504', async () => {
  const seen = new Set();
  for (let seed = 1; seed < 40 && seen.size < 4; seed++) {
    const { call, sim } = simOn({ seed, faults: { commitThen5xx: 1 } });
    const r = await call('POST', '/crm/v8/Leads', { data: leads(2) });
    seen.add(r.status);
    assert.ok([500, 502, 503, 504].includes(r.status), `status ${r.status}`);
    assert.equal(sim.records('Leads').length, 2, 'committed');
    if (r.status === 500) assert.equal(r.json.code, 'INTERNAL_ERROR');
    else assert.match(r.body, /^<html>/);
  }
  assert.deepEqual([...seen].sort(), [500, 502, 503, 504]);
});

test('shortReply: a 2xx write reply with fewer data entries ({}, {"data":[]}, a half, cut JSON); the write committed', async () => {
  const shapes = new Set();
  for (let seed = 1; seed < 60 && shapes.size < 4; seed++) {
    const { call, sim } = simOn({ seed, faults: { shortReply: 1 } });
    const r = await call('POST', '/crm/v8/Leads', { data: leads(4) });
    assert.equal(r.status, 201);
    assert.equal(sim.records('Leads').length, 4);
    assert.equal(r.truncateAt, undefined, 'a complete HTTP message');
    if (r.body === '{}') shapes.add('empty');
    else if (r.body === '{"data":[]}') shapes.add('emptyData');
    else if (r.json?.data?.length === 2) shapes.add('half');
    else if (r.json === null) shapes.add('cut');
    else assert.fail(`not short: ${r.body}`);
  }
  assert.deepEqual([...shapes].sort(), ['cut', 'empty', 'emptyData', 'half']);
  // A read's short reply is its body cut, never rows silently left out.
  const { call } = simOn({ faults: { shortReply: 1 }, faultAfterCalls: 1 });
  await call('POST', '/crm/v8/Leads', { data: leads(4) });
  const q = await call('POST', '/crm/v8/coql', { select_query: 'select Email from Leads limit 10' });
  assert.equal(q.status, 200);
  assert.equal(q.json, null);
});

test('tooManyRequests: 429 TOO_MANY_REQUESTS with Retry-After (retryAfterS), nothing written', async () => {
  const { call, sim } = simOn({ faults: { tooManyRequests: 1 }, retryAfterS: 2_592_000 });
  const r = await call('POST', '/crm/v8/Leads', { data: leads(1) });
  assert.equal(r.status, 429);
  assert.equal(r.json.code, 'TOO_MANY_REQUESTS');
  assert.equal(r.headers['retry-after'], '2592000');
  assert.equal(sim.records('Leads').length, 0);
});

test('proxyHtml: a 200 HTML page from a proxy, nothing written', async () => {
  const { call, sim } = simOn({ faults: { proxyHtml: 1 } });
  const r = await call('POST', '/crm/v8/Leads', { data: leads(1) });
  assert.equal(r.status, 200);
  assert.equal(r.headers['content-type'], 'text/html');
  assert.equal(sim.records('Leads').length, 0);
});

test('recordLockedOnInsert: per-record RECORD_LOCKED on inserts, the others written (207)', async () => {
  const { call, sim } = simOn({ seed: 3, faults: { recordLockedOnInsert: 0.5 } });
  const r = await call('POST', '/crm/v8/Leads', { data: leads(20) });
  const locked = r.json.data.filter((d) => d.code === 'RECORD_LOCKED');
  assert.equal(r.status, 207);
  assert.ok(locked.length > 3 && locked.length < 17, `${locked.length} locked`);
  assert.equal(sim.records('Leads').length, 20 - locked.length);
  assert.ok(locked.every((d) => d.status === 'error' && d.message));
});

test('tokens live tokenTtlMs; a refresh token mints at most 10 access tokens in any 10 minutes (Access Denied)', async () => {
  const { call, clock, sim } = simOn({ tokenTtlMs: 2_000 });
  const tokens = [];
  for (let i = 0; i < 10; i++) {
    const t = await call('POST', '/oauth/v2/token', FORM, {});
    assert.equal(t.json.expires_in, 2);
    tokens.push(t.json.access_token);
    clock.t += 1_000;
  }
  const denied = await call('POST', '/oauth/v2/token', FORM, {});
  assert.equal(denied.status, 400);
  assert.equal(denied.json.error, 'Access Denied');
  assert.match(denied.json.error_description, /too many requests/);
  const auth = { authorization: `Zoho-oauthtoken ${tokens[9]}` };
  assert.equal((await call('GET', '/crm/v8/Leads?fields=Email', undefined, auth)).status, 204);
  clock.t += 2_000;
  assert.equal((await call('GET', '/crm/v8/Leads?fields=Email', undefined, auth)).json.code, 'INVALID_TOKEN');
  clock.t = clock.t - 12_000 + 600_000; // ten minutes after the first
  assert.ok((await call('POST', '/oauth/v2/token', FORM, {})).json.access_token);
  const a = sim.audit();
  assert.equal(a.refreshLog.length, 11);
  assert.equal(a.maxRefreshesIn10Min, 10);
  assert.equal(sim.stats().maxRefreshesIn10Min, 10);
});

test('audit: per job record, creations and updates as stored, whatever the replies said; rollbacks undone', async () => {
  const { call, sim } = simOn({ faults: { dropAfter: 1 }, seedRecords: { Leads: [{ id: '5725767000777000001', Last_Name: 'S', Email: 'seed@x.com' }] } });
  const r = await call('POST', '/crm/v8/Leads', { data: leads(2) });
  assert.equal(r.drop, 'after');
  await call('POST', '/crm/v8/Leads', { data: leads(1) }); // a blind resend of l0
  await call('PUT', '/crm/v8/Leads', { data: [{ id: '5725767000777000001', Company: 'Acme' }] });
  await call('POST', '/crm/v8/Leads/upsert', { data: [{ Last_Name: 'X', Email: 'l1@example.com' }] });
  const w = sim.audit().writes.Leads;
  assert.equal(w['l0@example.com'].created, 2);
  assert.deepEqual({ ...w['l1@example.com'], id: undefined }, { created: 1, updated: 1, id: undefined });
  assert.deepEqual(w['seed@x.com'], { created: 0, updated: 1, id: '5725767000777000001' });
  // countBy picks the key; records without it are known by id.
  const by = simOn({ countBy: { Leads: 'Last_Name' } });
  await by.call('POST', '/crm/v8/Leads', { data: [{ Last_Name: 'K1', Email: 'same@x.com' }, { Last_Name: 'K2', Email: 'same@x.com' }] });
  assert.deepEqual(Object.keys(by.sim.audit().writes.Leads).sort(), ['k1', 'k2']);
  // A rollback composite leaves no trace.
  const rb = simOn();
  await rb.call('POST', '/crm/v8/__composite_requests', {
    rollback_on_fail: true,
    __composite_requests: [
      { method: 'POST', uri: '/crm/v8/Leads', body: { data: [{ Last_Name: 'R', Email: 'r@x.com' }] } },
      { method: 'POST', uri: '/crm/v8/Leads', body: { data: [{ Email: 'no-name@x.com' }] } },
    ],
  });
  assert.deepEqual(rb.sim.audit().writes, { Leads: {} });
});

test('faultPlan aims a fault at matching calls (after, times, variant, retryAfterS) without shifting the seeded draws', async () => {
  const rates = { internalError: 0.3, dropAfter: 0.2 };
  const plain = simOn({ seed: 5, faults: rates });
  const planned = simOn({
    seed: 5, faults: rates,
    faultPlan: [
      { match: '^POST /crm/v8/coql .*k2@', fault: 'commitThen5xx', variant: 0.3, after: 1, times: 2 },
      { match: '^GET /crm/v8/Leads/search\\?criteria=\\(Email:equals:a@x.com\\)', fault: 'tooManyRequests', retryAfterS: 2_592_000 },
    ],
  });
  const q = { select_query: "select id from Leads where Email in ('k1@x.com', 'k2@x.com')" };
  const statuses = [];
  for (let i = 0; i < 4; i++) statuses.push((await planned.call('POST', '/crm/v8/coql', q)).status);
  assert.equal(statuses[0] === 502, false, 'the first match is skipped (after: 1)');
  assert.deepEqual(statuses.slice(1, 3), [502, 502]);
  const s = await planned.call('GET', `/crm/v8/Leads/search?criteria=${encodeURIComponent('(Email:equals:a@x.com)')}`);
  assert.equal(s.status, 429);
  assert.equal(s.headers['retry-after'], '2592000');
  // Every call took its one seeded draw, planned or not: after the same number of calls,
  // the two simulators answer alike.
  for (let i = 0; i < 5; i++) await plain.call('GET', '/crm/v8/Leads?fields=Email');
  const a = [];
  const b = [];
  for (let i = 0; i < 40; i++) {
    const x = await plain.call('GET', '/crm/v8/Leads?fields=Email');
    const y = await planned.call('GET', '/crm/v8/Leads?fields=Email');
    a.push(x.drop ?? x.status);
    b.push(y.drop ?? y.status);
  }
  assert.deepEqual(b, a);
  assert.ok(new Set(a).size >= 3, `a mix of answers: ${[...new Set(a)]}`);
});
