// The simulator against its spec: shapes, limits, credits, tokens, locks, faults, determinism.
import test from 'node:test';
import assert from 'node:assert/strict';
import { ZohoSimulator, FAULT_KINDS } from '@zcrm-guard/zoho-sim';
import { AUTH, simOn, leads, gate } from './helpers.mjs';

test('insert answers 201 with Zoho per-record success objects in input order', async () => {
  const { call, sim } = simOn();
  const r = await call('POST', '/crm/v8/Leads', { data: leads(3) });
  assert.equal(r.status, 201);
  assert.equal(r.json.data.length, 3);
  for (const d of r.json.data) {
    assert.equal(d.code, 'SUCCESS');
    assert.equal(d.status, 'success');
    assert.equal(d.message, 'record added');
    assert.match(d.details.id, /^\d{19}$/);
    assert.ok(d.details.Created_Time && d.details.Modified_By.id);
  }
  assert.equal(new Set(r.json.data.map((d) => d.details.id)).size, 3);
  assert.equal(sim.stats().created.Leads, 3);
  assert.equal(sim.createdCount('Leads', 'L1@EXAMPLE.COM'), 1, 'count key is case-insensitive');
});

test('more than 100 records is LIMIT_EXCEEDED for the whole call, 100 is fine', async () => {
  const { call, sim } = simOn({ edition: 'enterprise' });
  const over = await call('POST', '/crm/v8/Leads', { data: leads(101) });
  assert.equal(over.status, 400);
  assert.equal(over.json.code, 'LIMIT_EXCEEDED');
  assert.equal(over.json.status, 'error');
  assert.equal(over.json.details.limit, 100);
  assert.equal(sim.stats().created.Leads ?? 0, 0);
  const ok = await call('POST', '/crm/v8/Leads', { data: leads(100) });
  assert.equal(ok.status, 201);
});

test('mandatory fields: mixed batch is 207, all-failed batch is 400 with data[]', async () => {
  const { call } = simOn();
  const mixed = await call('POST', '/crm/v8/Leads', { data: [{ Last_Name: 'A' }, { Email: 'x@y.com' }] });
  assert.equal(mixed.status, 207);
  assert.deepEqual(mixed.json.data[1], {
    code: 'MANDATORY_NOT_FOUND',
    details: { api_name: 'Last_Name', json_path: '$.data[1].Last_Name' },
    message: 'required field not found',
    status: 'error',
  });
  const none = await call('POST', '/crm/v8/Leads', { data: [{ Email: 'a@y.com' }, { First_Name: 'B' }] });
  assert.equal(none.status, 400);
  assert.equal(none.json.data.length, 2);
  assert.ok(none.json.data.every((d) => d.code === 'MANDATORY_NOT_FOUND'));
});

test('unique fields give DUPLICATE_DATA with api_name, json_path and the existing id', async () => {
  const { call } = simOn({ uniqueFields: { Leads: ['Email'] } });
  const first = await call('POST', '/crm/v8/Leads', { data: [{ Last_Name: 'A', Email: 'dup@x.com' }] });
  const id = first.json.data[0].details.id;
  const again = await call('POST', '/crm/v8/Leads', { data: [{ Last_Name: 'B' }, { Last_Name: 'C', Email: 'DUP@x.com' }] });
  assert.equal(again.status, 207);
  const e = again.json.data[1];
  assert.equal(e.code, 'DUPLICATE_DATA');
  assert.equal(e.details.api_name, 'Email');
  assert.equal(e.details.json_path, '$.data[1].Email');
  assert.equal(e.details.duplicate_record.id, id);
});

test('field types and lengths from the metadata give INVALID_DATA with the expected type', async () => {
  const { call } = simOn();
  const r = await call('POST', '/crm/v8/Leads', {
    data: [
      { Last_Name: 'A', Email: 'not-an-email' },
      { Last_Name: 'x'.repeat(81) },
      { Last_Name: 'C', No_of_Employees: 'many' },
      { Last_Name: 'D', Email_Opt_Out: 'yes' },
      { Last_Name: 'E', Birth_Date: '01/02/2000' },
    ],
  });
  assert.equal(r.status, 400);
  const d = r.json.data.map((x) => [x.code, x.details.api_name, x.details.expected_data_type ?? x.details.maximum_length]);
  assert.deepEqual(d, [
    ['INVALID_DATA', 'Email', 'email'],
    ['INVALID_DATA', 'Last_Name', 80],
    ['INVALID_DATA', 'No_of_Employees', 'integer'],
    ['INVALID_DATA', 'Email_Opt_Out', 'boolean'],
    ['INVALID_DATA', 'Birth_Date', 'date'],
  ]);
});

test('fields metadata is served in Zoho shape; unknown module is INVALID_MODULE', async () => {
  const { call } = simOn();
  const r = await call('GET', '/crm/v8/settings/fields?module=Leads');
  assert.equal(r.status, 200);
  const last = r.json.fields.find((f) => f.api_name === 'Last_Name');
  assert.equal(last.system_mandatory, true);
  assert.equal(last.length, 80);
  assert.deepEqual(r.json.fields.find((f) => f.api_name === 'Email').unique, {}, "Leads' Email is not unique by default");
  const bad = await call('POST', '/crm/v8/Leeds', { data: leads(1) });
  assert.equal(bad.status, 400);
  assert.equal(bad.json.code, 'INVALID_MODULE');
  const url = await call('GET', '/crm/v8/Leads/a/b/c');
  assert.equal(url.status, 404);
  assert.equal(url.json.code, 'INVALID_URL_PATTERN');
});

test('tokens expire (401 INVALID_TOKEN), refresh mints a new one, errors come as 200 {error}', async () => {
  const { call, clock, sim } = simOn({ tokenTtlMs: 60_000 });
  assert.equal((await call('GET', '/crm/v8/Leads?fields=Email')).status, 204);
  clock.t += 60_000;
  const expired = await call('GET', '/crm/v8/Leads?fields=Email');
  assert.equal(expired.status, 401);
  assert.deepEqual(expired.json, { code: 'INVALID_TOKEN', details: {}, message: 'invalid oauth token', status: 'error' });
  const noAuth = await call('GET', '/crm/v8/Leads?fields=Email', undefined, {});
  assert.equal(noAuth.json.code, 'AUTHENTICATION_FAILURE');

  const form = 'grant_type=refresh_token&refresh_token=sim-refresh-token&client_id=c&client_secret=s';
  const tok = await call('POST', '/oauth/v2/token', form, {});
  assert.equal(tok.status, 200);
  assert.equal(tok.json.expires_in, 60);
  assert.equal(tok.json.api_domain, 'https://www.zohoapis.com');
  assert.equal(tok.json.token_type, 'Bearer');
  const ok = await call('GET', '/crm/v8/Leads?fields=Email', undefined, { authorization: `Zoho-oauthtoken ${tok.json.access_token}` });
  assert.equal(ok.status, 204);

  const bad = await call('POST', '/oauth/v2/token', 'grant_type=refresh_token&refresh_token=wrong', {});
  assert.equal(bad.status, 200);
  assert.deepEqual(bad.json, { error: 'invalid_code' });
  assert.equal(sim.stats().tokenRefreshes, 1);
  assert.equal(sim.stats().tokenRefreshFailures, 1);
});

test('refresh tokens mint at most 10 access tokens per 10 minutes', async () => {
  const { call, clock } = simOn();
  const form = 'grant_type=refresh_token&refresh_token=sim-refresh-token';
  for (let i = 0; i < 10; i++) assert.ok((await call('POST', '/oauth/v2/token', form, {})).json.access_token);
  const throttled = await call('POST', '/oauth/v2/token', form, {});
  assert.equal(throttled.json.access_token, undefined);
  assert.equal(throttled.json.error, 'Access Denied');
  clock.t += 600_001;
  assert.ok((await call('POST', '/oauth/v2/token', form, {})).json.access_token);
});

test('tokenExpiryEveryCalls revokes tokens every N calls', async () => {
  const { call } = simOn({ tokenExpiryEveryCalls: 3 });
  const s = [];
  for (let i = 0; i < 3; i++) s.push((await call('GET', '/crm/v8/Leads?fields=Email')).status);
  assert.deepEqual(s, [204, 204, 401]);
});

/** Starts `n` calls held in flight by a gate; returns the settled-early ones and a release. */
async function holdInFlight(sim, makeReq, n) {
  const g = gate();
  sim.sleep = () => g.promise;
  const pending = Array.from({ length: n }, (_, i) => sim.handle(makeReq(i)));
  await new Promise((r) => setTimeout(r, 5));
  return {
    release: async () => {
      g.open();
      return Promise.all(pending);
    },
  };
}

test('edition concurrency: the call over the limit gets 429 TOO_MANY_REQUESTS; peak is recorded', async () => {
  const { sim } = simOn({ edition: 'standard', latencyMs: 10 });
  const get = () => ({ method: 'GET', url: 'https://www.zohoapis.com/crm/v8/Leads?fields=Email', headers: AUTH });
  const h = await holdInFlight(sim, get, 11);
  assert.equal(sim.stats().inFlight, 10);
  const rs = await h.release();
  const codes = rs.map((r) => r.status).sort();
  assert.deepEqual(codes.filter((s) => s === 429).length, 1);
  const tooMany = JSON.parse(rs.find((r) => r.status === 429).body);
  assert.equal(tooMany.code, 'TOO_MANY_REQUESTS');
  assert.equal(sim.stats().maxInFlight, 11, 'the overshooting arrival counts in the peak');
  assert.equal(sim.stats().tooManyRequests.concurrency, 1);
  assert.equal(sim.stats().inFlight, 0);

  const { sim: sim2 } = simOn({ edition: 'standard', latencyMs: 10 });
  const rs2 = await (await holdInFlight(sim2, get, 10)).release();
  assert.ok(rs2.every((r) => r.status === 204));
  assert.equal(sim2.stats().maxInFlight, 10);
});

test('complex pool of 10: COQL, search, sorted gets and >10-record writes share it', async () => {
  const { sim } = simOn({ edition: 'ultimate', latencyMs: 10 });
  const reqs = [
    ...Array.from({ length: 3 }, () => ({ method: 'POST', url: '/crm/v8/coql', body: JSON.stringify({ select_query: 'select Email from Leads limit 10' }) })),
    ...Array.from({ length: 3 }, () => ({ method: 'GET', url: '/crm/v8/Leads/search?email=a@b.com' })),
    ...Array.from({ length: 2 }, () => ({ method: 'GET', url: '/crm/v8/Leads?fields=Email&sort_by=Email' })),
    ...Array.from({ length: 3 }, (_, i) => ({ method: 'POST', url: '/crm/v8/Leads', body: JSON.stringify({ data: leads(11, `c${i}-`) }) })),
    { method: 'POST', url: '/crm/v8/Leads', body: JSON.stringify({ data: leads(10, 'simple') }) }, // not complex
  ].map((r) => ({ ...r, url: `https://www.zohoapis.com${r.url}`, headers: AUTH }));
  const h = await holdInFlight(sim, (i) => reqs[i], reqs.length);
  const rs = await h.release();
  assert.equal(rs.filter((r) => r.status === 429).length, 1);
  assert.equal(sim.stats().tooManyRequests.complex, 1);
  assert.equal(sim.stats().maxComplexInFlight, 11);
  assert.equal(rs.at(-1).status, 201, 'a 10-record write is not complex');
});

test('a composite call takes five concurrency slots', async () => {
  const { sim } = simOn({ edition: 'standard', latencyMs: 10 });
  const composite = { method: 'POST', url: 'https://www.zohoapis.com/crm/v8/__composite_requests', headers: AUTH,
    body: JSON.stringify({ __composite_requests: [{ method: 'GET', uri: '/crm/v8/Leads', params: { fields: 'Email' } }] }) };
  const get = { method: 'GET', url: 'https://www.zohoapis.com/crm/v8/Leads?fields=Email', headers: AUTH };
  const h = await holdInFlight(sim, (i) => (i < 2 ? composite : get), 3);
  const rs = await h.release();
  assert.deepEqual(rs.map((r) => r.status), [200, 200, 429]);
  assert.equal(sim.stats().maxInFlight, 11);
});

test('credits: costs per call, the header from half use, 429 when exhausted, rolling 24 h window', async () => {
  const { call, clock, sim } = simOn({ credits: 20, auth: false });
  let r = await call('POST', '/crm/v8/Leads', { data: leads(25) }); // ceil(25/10) = 3
  assert.equal(sim.stats().creditsUsed, 3);
  assert.equal(r.headers['x-api-credits-remaining'], undefined, 'absent below half');
  await call('POST', '/crm/v8/coql', { select_query: 'select Email from Leads limit 500' }); // tier 2
  assert.equal(sim.stats().creditsUsed, 5);
  r = await call('POST', `/crm/v8/Leads/${(await call('GET', '/crm/v8/Leads?fields=Email')).json.data[0].id}/actions/convert`, {});
  assert.equal(r.status, 200);
  assert.equal(sim.stats().creditsUsed, 11, '1 for the get, 5 for convert');
  assert.equal(r.headers['x-api-credits-remaining'], '9');
  clock.t += 1000;
  for (let i = 0; i < 9; i++) assert.equal((await call('GET', '/crm/v8/Leads?fields=Email')).status, 200);
  r = await call('GET', '/crm/v8/Leads?fields=Email');
  assert.equal(r.status, 429);
  assert.equal(r.json.code, 'TOO_MANY_REQUESTS');
  assert.equal(r.headers['x-api-credits-remaining'], '0');
  assert.equal(sim.stats().tooManyRequests.credits, 1);
  assert.equal(sim.stats().maxCreditsInWindow, 20);
  clock.t += 24 * 3600_000 - 1000; // the first 11 credits (spent at t0) free up; the 9 later ones not yet
  assert.equal(sim.stats().creditsUsed, 9);
  assert.equal((await call('GET', '/crm/v8/Leads?fields=Email')).status, 200);
});

test('edition allowance: standard with 4 licences has 51,000 credits; free 5,000', () => {
  assert.equal(new ZohoSimulator({ edition: 'standard', licenses: 4 }).stats().creditsTotal, 51_000);
  assert.equal(new ZohoSimulator({ edition: 'free' }).stats().creditsTotal, 5_000);
  assert.equal(new ZohoSimulator({ edition: 'standard', licenses: 1000 }).stats().creditsTotal, 100_000);
  assert.equal(new ZohoSimulator({ edition: 'professional' }).stats().concurrencyLimit, 15);
});

test('RECORD_LOCKED clears after the lock time', async () => {
  const { call, clock, sim } = simOn();
  const id = (await call('POST', '/crm/v8/Leads', { data: leads(1) })).json.data[0].details.id;
  sim.lockRecord(id, 1000);
  const locked = await call('PUT', '/crm/v8/Leads', { data: [{ id, First_Name: 'X' }] });
  assert.equal(locked.status, 400);
  assert.equal(locked.json.data[0].code, 'RECORD_LOCKED');
  clock.t += 1001;
  const ok = await call('PUT', '/crm/v8/Leads', { data: [{ id, First_Name: 'X' }] });
  assert.equal(ok.status, 200);
  assert.equal(ok.json.data[0].message, 'record updated');

  const { call: c2, clock: k2 } = simOn({ faults: { recordLocked: 1 }, lockMs: 500 });
  const id2 = (await c2('POST', '/crm/v8/Leads', { data: leads(1) })).json.data[0].details.id;
  assert.equal((await c2('PUT', '/crm/v8/Leads', { data: [{ id: id2, First_Name: 'Y' }] })).json.data[0].code, 'RECORD_LOCKED');
  assert.equal((await c2('DELETE', `/crm/v8/Leads?ids=${id2}`)).json.data[0].code, 'RECORD_LOCKED');
  k2.t += 501;
  assert.equal((await c2('DELETE', `/crm/v8/Leads?ids=${id2}`)).status, 200);
});

test('every injected fault kind, and whether the write happened', async () => {
  const expect = {
    internalError: { status: 500, created: 0 },
    badGateway: { status: 502, created: 0 },
    serviceUnavailable: { status: 503, created: 0 },
    dropBefore: { drop: 'before', created: 0 },
    dropAfter: { drop: 'after', created: 1 },
    slow: { status: 201, created: 1 },
    truncated: { status: 201, created: 1 },
    commitThen5xx: { status: 500, created: 1 },
    shortReply: { status: 201, created: 1 },
    tooManyRequests: { status: 429, created: 0 },
    proxyHtml: { status: 200, created: 0 },
  };
  assert.deepEqual(Object.keys(expect), [...FAULT_KINDS]);
  for (const kind of FAULT_KINDS) {
    const { call, sim, slept } = simOn({ faults: { [kind]: 1 }, slowMs: 5000 });
    const r = await call('POST', '/crm/v8/Leads', { data: leads(1) }).catch(() => null);
    const raw = r ?? {};
    const e = expect[kind];
    if (e.drop) assert.equal(raw.drop, e.drop, kind);
    else assert.equal(raw.status, e.status, kind);
    assert.equal(sim.stats().created.Leads ?? 0, e.created, `${kind} created`);
    assert.equal(sim.stats().faults[kind], 1);
    if (kind === 'internalError') assert.equal(JSON.parse(raw.body).code, 'INTERNAL_ERROR');
    if (kind === 'badGateway' || kind === 'serviceUnavailable') {
      assert.equal(raw.headers['content-type'], 'text/html');
      assert.match(raw.body, /^<html>/);
    }
    if (kind === 'slow') assert.deepEqual(slept, [5000]);
    if (kind === 'truncated') assert.ok(raw.truncateAt > 0 && raw.truncateAt < raw.body.length);
  }
});

test('faultAfterCalls keeps the first calls clean', async () => {
  const { call } = simOn({ faults: { internalError: 1 }, faultAfterCalls: 2 });
  const s = [];
  for (let i = 0; i < 3; i++) s.push((await call('GET', '/crm/v8/Leads?fields=Email')).status);
  assert.deepEqual(s, [204, 204, 500]);
});

/** A fixed script of calls; returns a transcript of what the simulator answered. */
async function transcript(seed) {
  const { call, sim } = simOn({ seed, faults: { internalError: 0.1, dropAfter: 0.1, truncated: 0.1, recordLocked: 0.2 } });
  const out = [];
  for (let i = 0; i < 40; i++) {
    const r = await call('POST', '/crm/v8/Leads/upsert', { data: leads(3, `s${i % 7}-`) });
    out.push(`${r.status}|${r.drop ?? ''}|${r.truncateAt ?? ''}|${r.body}`);
  }
  return { out, stats: sim.stats() };
}

test('determinism: the same seed and calls give the same answers; another seed differs', async () => {
  const a = await transcript(42);
  const b = await transcript(42);
  const c = await transcript(43);
  assert.deepEqual(a.out, b.out);
  assert.deepEqual(a.stats, b.stats);
  assert.notDeepEqual(a.out, c.out);
  assert.ok(a.stats.faults.dropAfter > 0 && a.stats.faults.internalError > 0);
});

test('counts creations per key; duplicates show when the key field is not unique', async () => {
  const fields = (await import('@zcrm-guard/zoho-sim')).defaultFieldsMetadata();
  fields.Leads.find((f) => f.api_name === 'Email').unique = {};
  const { call, sim } = simOn({ fields });
  await call('POST', '/crm/v8/Leads', { data: leads(2) });
  await call('POST', '/crm/v8/Leads', { data: leads(1) }); // a blind resend
  const s = sim.stats();
  assert.equal(s.created.Leads, 3);
  assert.equal(sim.createdCount('Leads', 'l0@example.com'), 2);
  assert.equal(sim.createdCount('Leads', 'l1@example.com'), 1);
  assert.equal(s.duplicatesCreated, 1);
  assert.equal(s.byStatus['201'], 2);
  sim.reset();
  assert.equal(sim.stats().created.Leads, undefined);
  assert.equal(sim.stats().calls, 0);
});

test('upsert inserts then updates by the duplicate-check field; delete by ids', async () => {
  const { call, sim } = simOn();
  const a = await call('POST', '/crm/v8/Leads/upsert', { data: [{ Last_Name: 'A', Email: 'u@x.com' }] });
  assert.equal(a.json.data[0].action, 'insert');
  assert.equal(a.json.data[0].duplicate_field, null);
  const b = await call('POST', '/crm/v8/Leads/upsert', { data: [{ Last_Name: 'B', Email: 'U@x.com' }], duplicate_check_fields: ['Email'] });
  assert.equal(b.json.data[0].action, 'update');
  assert.equal(b.json.data[0].duplicate_field, 'Email');
  assert.equal(b.json.data[0].details.id, a.json.data[0].details.id);
  assert.equal(sim.stats().created.Leads, 1);
  const id = a.json.data[0].details.id;
  const del = await call('DELETE', `/crm/v8/Leads?ids=${id},999`);
  assert.equal(del.status, 207);
  assert.deepEqual(del.json.data[0], { code: 'SUCCESS', details: { id }, message: 'record deleted', status: 'success' });
  assert.equal((await call('DELETE', '/crm/v8/Leads')).json.code, 'REQUIRED_PARAM_MISSING');
});

test('get records: fields required, page/per_page, page_token past 2,000, 204 when empty', async () => {
  const { call } = simOn({ edition: 'enterprise' });
  assert.equal((await call('GET', '/crm/v8/Leads?fields=Email')).status, 204);
  assert.equal((await call('GET', '/crm/v8/Leads')).json.code, 'REQUIRED_PARAM_MISSING');
  for (let i = 0; i < 3; i++) await call('POST', '/crm/v8/Leads', { data: leads(100, `p${i}-`) });
  const p1 = await call('GET', '/crm/v8/Leads?fields=Email,Last_Name&per_page=200');
  assert.equal(p1.json.data.length, 200);
  assert.equal(p1.json.info.more_records, true);
  assert.deepEqual(Object.keys(p1.json.data[0]).sort(), ['Email', 'Last_Name', 'id']);
  const p2 = await call('GET', `/crm/v8/Leads?fields=Email,Last_Name&per_page=200&page_token=${p1.json.info.next_page_token}`);
  assert.equal(p2.json.data.length, 100);
  assert.equal(p2.json.info.more_records, false);
  const seen = new Set([...p1.json.data, ...p2.json.data].map((r) => r.id));
  assert.equal(seen.size, 300);
  const mismatch = await call('GET', `/crm/v8/Leads?fields=Email&per_page=200&page_token=${p1.json.info.next_page_token}`);
  assert.equal(mismatch.json.code, 'TOKEN_BOUND_DATA_MISMATCH');
  assert.equal((await call('GET', '/crm/v8/Leads?fields=Email&page=11&per_page=200')).json.code, 'DISCRETE_PAGINATION_LIMIT_EXCEEDED');
  assert.equal((await call('GET', '/crm/v8/Leads?fields=Email&page=1&page_token=x')).json.code, 'AMBIGUITY_DURING_PROCESSING');
  const many = Array.from({ length: 51 }, (_, i) => `F${i}`).join(',');
  assert.equal((await call('GET', `/crm/v8/Leads?fields=${many}`)).json.code, 'LIMIT_EXCEEDED');
});

test('search and COQL subsets', async () => {
  const { call } = simOn();
  await call('POST', '/crm/v8/Leads', { data: [...leads(5), { Last_Name: 'Zed', Email: 'zed@other.org', No_of_Employees: 50 }] });
  const s = await call('GET', `/crm/v8/Leads/search?criteria=${encodeURIComponent('((Last_Name:starts_with:Lead)and(Email:equals:l3@example.com))')}`);
  assert.equal(s.status, 200);
  assert.deepEqual(s.json.data.map((r) => r.Email), ['l3@example.com']);
  assert.equal((await call('GET', '/crm/v8/Leads/search?email=nobody@x.com')).status, 204);
  assert.equal((await call('GET', '/crm/v8/Leads/search?criteria=broken')).json.code, 'INVALID_QUERY');

  const q = await call('POST', '/crm/v8/coql', { select_query: "select Last_Name, Email from Leads where Email like '%example.com' order by Email desc limit 1, 2" });
  assert.equal(q.status, 200);
  assert.deepEqual(q.json.data.map((r) => r.Email), ['l3@example.com', 'l2@example.com']);
  assert.deepEqual(q.json.info, { count: 2, more_records: true });
  const n = await call('POST', '/crm/v8/coql', { select_query: 'select Email from Leads where No_of_Employees >= 10 and (Last_Name = \'zed\' or Email is null)' });
  assert.deepEqual(n.json.data.map((r) => r.Email), ['zed@other.org']);
  assert.equal((await call('POST', '/crm/v8/coql', { select_query: 'select Email from Leads where Email = \'none\'' })).status, 204);
  const syntax = await call('POST', '/crm/v8/coql', { select_query: 'select Email Leads' });
  assert.equal(syntax.status, 400);
  assert.equal(syntax.json.code, 'SYNTAX_ERROR');
  assert.equal((await call('POST', '/crm/v8/coql', { select_query: 'select Email from Leads limit 2001' })).json.code, 'LIMIT_EXCEEDED');
});

test('composite: at most 5 sub-requests, rollback_on_fail undoes writes, credits 1 or 2', async () => {
  const { call, sim } = simOn();
  const sub = (i) => ({ sub_request_id: `s${i}`, method: 'POST', uri: '/crm/v8/Leads', body: { data: leads(1, `k${i}-`) } });
  const six = await call('POST', '/crm/v8/__composite_requests', { __composite_requests: [0, 1, 2, 3, 4, 5].map(sub) });
  assert.equal(six.json.code, 'INVALID_DATA');
  assert.equal(six.json.message, 'You have used more than 5 sub-requests.');

  let before = sim.stats().creditsUsed;
  const ok = await call('POST', '/crm/v8/__composite_requests', { rollback_on_fail: true, __composite_requests: [sub(1), sub(2)] });
  assert.equal(ok.status, 200);
  assert.equal(ok.json.__composite_requests[0].details.response.status_code, 201);
  assert.equal(sim.stats().creditsUsed - before, 2);
  assert.equal(sim.stats().created.Leads, 2);

  before = sim.stats().creditsUsed;
  const rb = await call('POST', '/crm/v8/__composite_requests', {
    rollback_on_fail: true,
    __composite_requests: [sub(3), { method: 'POST', uri: '/crm/v8/Leads', body: { data: [{ Email: 'no-name@x.com' }] } }, sub(4)],
  });
  assert.equal(rb.status, 400);
  assert.deepEqual(rb.json.__composite_requests.map((w) => w.code), ['ROLLBACK_PERFORMED', 'SUCCESS', 'PROCESSING_STOPPED']);
  assert.equal(rb.json.__composite_requests[0].details.rollbacked_by_sub_request_index, 1);
  assert.equal(sim.stats().created.Leads, 2, 'the first sub-request was undone');
  assert.equal(sim.createdCount('Leads', 'k3-0@example.com'), 0);
  assert.equal(sim.stats().creditsUsed - before, 1);

  const nested = await call('POST', '/crm/v8/__composite_requests', { __composite_requests: [{ method: 'POST', uri: '/crm/v8/__composite_requests', body: {} }] });
  assert.equal(nested.json.__composite_requests[0].code, 'NOT_ALLOWED');
  const multi = await call('POST', '/crm/v8/__composite_requests', { __composite_requests: [{ method: 'POST', uri: '/crm/v8/Leads', body: { data: leads(2, 'm') } }] });
  assert.deepEqual(multi.json.__composite_requests[0], { code: 'LIMIT_EXCEEDED', details: { by: 'limit', limit: 1 }, message: 'limit exceeded', status: 'error' });
});

test('onCall reports every answered call with the in-flight count after it', async () => {
  const events = [];
  const { call } = simOn({ onCall: (e) => events.push(e), faults: { dropAfter: 0.5 }, seed: 9 });
  for (let i = 0; i < 6; i++) await call('POST', '/crm/v8/Leads', { data: leads(1, `e${i}-`) });
  assert.equal(events.length, 6);
  assert.ok(events.every((e) => e.path === '/crm/v8/Leads' && e.method === 'POST' && e.inFlight === 0));
  assert.ok(events.some((e) => e.drop === 'after' && e.status === 0));
  assert.ok(events.some((e) => e.status === 201));
  const { call: c2 } = simOn({ onCall: () => { throw new Error('listener bug'); } });
  assert.equal((await c2('GET', '/crm/v8/Leads?fields=Email')).status, 204);
});
