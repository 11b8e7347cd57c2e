// Shared cases for classify: run against the installed package in Node, inside
// workerd (Miniflare) and in headless Chromium. Samples after Zoho's documented
// responses (shared sources §4); the full table of codes is tested natively.

const success = (id) => ({
  code: 'SUCCESS',
  details: { Modified_Time: '2023-05-10T01:10:47-07:00', Modified_By: { name: 'Patricia Boyle', id: '111' }, id, Created_By: { name: 'Ñandú 😀', id: '222' } },
  message: 'record added',
  status: 'success',
});
const invalid = (i) => ({
  code: 'INVALID_DATA',
  details: { expected_data_type: 'double', api_name: 'Annual_Revenue', json_path: `$.data[${i}].Annual_Revenue` },
  message: 'invalid data',
  status: 'error',
});
const mixed = { data: [success('5725767000000524157'), invalid(1), { code: 'RECORD_LOCKED', details: { id: '9' }, message: 'locked', status: 'error' }] };

export default [
  {
    name: 'classify: a 207 with mixed results gives one plain record per entry, in order',
    run(api, t) {
      const v = api.classify({ status: 207, headers: { 'X-API-CREDITS-REMAINING': '4980' }, body: JSON.stringify(mixed) }, { kind: 'insert', module: 'Leads', recordCount: 3 });
      t.equal(v.outcome, 'partial');
      t.equal(v.httpStatus, 207);
      t.equal(v.category, 'partial');
      t.equal(v.retry, 'records', 'RECORD_LOCKED backs off, so only failed records are resent');
      t.equal(v.error, null, 'absent is null, never undefined');
      t.deepEqual(v.credits, { remaining: 4980 });
      t.equal(v.retryAfterMs, null);
      t.equal(v.records.length, 3);
      t.ok(Array.isArray(v.records));
      const [ok, bad, locked] = v.records;
      t.deepEqual(ok, { index: 0, ok: true, code: 'SUCCESS', message: 'record added', details: mixed.data[0].details, id: '5725767000000524157', action: null, category: 'ok', retry: 'none' });
      t.deepEqual(bad.details, mixed.data[1].details, 'details parsed from the body, non-ASCII safe');
      t.equal(bad.category, 'validation');
      t.equal(bad.id, null);
      t.deepEqual([locked.category, locked.retry, locked.id], ['locked', 'backoff', '9']);
      t.ok(v.records === v.records, 'records materialise once');
      const copy = JSON.parse(JSON.stringify(v));
      t.equal(copy.records[1].details.json_path, '$.data[1].Annual_Revenue', 'JSON.stringify sees records');
      t.equal({ ...v }.records.length, 3, 'spreading sees records');
      v.records = [];
      t.equal(v.records.length, 0, 'records is assignable');
    },
  },
  {
    name: 'classify: the body as text, parsed object, Uint8Array or ArrayBuffer gives the same verdict',
    run(api, t) {
      const text = JSON.stringify(mixed);
      const bytes = new TextEncoder().encode(text);
      const expected = JSON.stringify(api.classify({ status: 207, body: text }));
      for (const body of [mixed, bytes, bytes.buffer, new DataView(bytes.buffer)]) {
        t.equal(JSON.stringify(api.classify({ status: 207, body })), expected);
      }
      t.equal(api.classify({ status: 207, body: bytes }).records[0].details.Created_By.name, 'Ñandú 😀');
    },
  },
  {
    name: 'classify: headers as object, pairs, Headers or Map, read case-insensitively',
    run(api, t) {
      const pairs = [['x-api-credits-remaining', '12'], ['Retry-After', '30'], ['X-ACCESSTOKEN-RESET', '2022-02-12T23:43:25-11:00']];
      for (const headers of [Object.fromEntries(pairs), pairs, new Headers(pairs), new Map(pairs)]) {
        const v = api.classify({ status: 429, headers, body: '{"code":"TOO_MANY_REQUESTS","details":{},"message":"m","status":"error"}' });
        t.equal(v.credits.remaining, 12);
        t.equal(v.retryAfterMs, 30_000);
        t.equal(v.tokenExpiresAt, Date.UTC(2022, 1, 13, 10, 43, 25));
        t.deepEqual([v.category, v.retry, v.error.code], ['rate_limit', 'backoff', 'TOO_MANY_REQUESTS']);
      }
      const dated = { date: 'Sun, 06 Nov 1994 08:49:37 GMT', 'retry-after': 'Sunday, 06-Nov-94 08:50:37 GMT' };
      t.equal(api.classify({ status: 503, headers: dated }).retryAfterMs, 60_000, 'RFC 850 date relative to Date');
      const asctime = { 'retry-after': 'Sun Nov  6 08:49:47 1994' };
      t.equal(api.classify({ status: 503, headers: asctime }, null, { nowMs: Date.UTC(1994, 10, 6, 8, 49, 37) }).retryAfterMs, 10_000, 'asctime relative to nowMs');
      t.equal(api.classify({ status: 200, headers: { 'retry-after': 15 }, body: '{}' }).retryAfterMs, 15_000, 'numbers accepted');
    },
  },
  {
    name: 'classify: top-level errors, empty responses, proxies and no response',
    run(api, t) {
      const invalidToken = api.classify({ status: 401, body: { code: 'INVALID_TOKEN', details: {}, message: 'invalid oauth token', status: 'error' } });
      t.deepEqual([invalidToken.outcome, invalidToken.category, invalidToken.retry], ['failure', 'auth', 'refresh_token']);
      t.deepEqual(invalidToken.error, { code: 'INVALID_TOKEN', message: 'invalid oauth token', details: {}, category: 'auth', retry: 'refresh_token' });
      t.deepEqual(invalidToken.records, []);
      for (const r of [{ status: 204 }, { status: 304, body: null }, { status: 200, body: '' }]) {
        const v = api.classify(r);
        t.deepEqual([v.outcome, v.category, v.retry, v.error], ['empty', 'ok', 'none', null]);
      }
      const html = api.classify({ status: 502, headers: { 'content-type': 'text/html' }, body: '<html><h1>502 Bad Gateway</h1></html>' });
      t.deepEqual([html.category, html.retry, html.error.code], ['server', 'backoff', 'HTTP_502']);
      const net = api.classify({ status: 0, error: new TypeError('Failed to fetch') });
      t.deepEqual([net.outcome, net.category, net.retry, net.error.code, net.error.message], ['failure', 'network', 'backoff', 'NETWORK_ERROR', 'Failed to fetch']);
      t.equal(api.classify({ status: 0, error: { name: 'AbortError', message: 'aborted' } }).error.code, 'ABORTED');
      const notJson = api.classify({ status: 200, body: '{"data":[{"code":"SUCC' });
      t.deepEqual([notJson.outcome, notJson.category], ['failure', 'unknown'], 'a 2xx that is not JSON is never success');
      const list = api.classify({ status: 200, body: { data: [{ id: '1', Last_Name: 'Boyle' }], info: { more_records: false } } }, { kind: 'get', module: 'Leads' });
      t.deepEqual([list.outcome, list.records.length], ['success', 0], 'a GET list is data, not results');
    },
  },
  {
    name: 'classify: composite, GraphQL, OAuth token endpoint, other result arrays, upsert',
    run(api, t) {
      const composite = api.classify({
        status: 400,
        body: {
          __composite_requests: [
            { code: 'ROLLBACK_PERFORMED', details: { rollbacked_by_sub_request_index: 1 }, message: 'rollback performed', status: 'error' },
            { code: 'SUCCESS', details: { response: { status_code: 400, body: { data: [invalid(0)] } } }, message: 'executed', status: 'success' },
          ],
        },
      }, { kind: 'composite', rollbackOnFail: true });
      t.equal(composite.outcome, 'failure');
      t.deepEqual(composite.records.map((r) => [r.ok, r.code, r.category, r.retry]), [[false, 'ROLLBACK_PERFORMED', 'conflict', 'conditional'], [false, 'SUCCESS', 'validation', 'none']]);
      t.equal(composite.records[0].details.rollbacked_by_sub_request_index, 1);
      const gql = api.classify({ status: 200, body: { errors: [{ message: 'query complexity exceeded', extensions: { classification: 'ExecutionAborted' } }], data: null } }, { kind: 'graphql' });
      t.deepEqual([gql.outcome, gql.category, gql.error.code], ['failure', 'limit', 'ExecutionAborted']);
      const partial = api.classify({ status: 200, body: { data: { Records: { Leads: { _data: [{ id: '1' }] } } }, errors: [{ message: 'Field x is undefined', locations: [{ line: 1, column: 2 }] }] } });
      t.deepEqual([partial.outcome, partial.error.category], ['partial', 'validation']);
      const token = api.classify({ status: 200, body: '{"error":"invalid_code"}' }, { kind: 'token' });
      t.deepEqual([token.outcome, token.category, token.retry, token.error.code], ['failure', 'auth', 'none', 'invalid_code']);
      const tags = api.classify({ status: 207, body: { tags: [{ code: 'SUCCESS', details: { id: '1' }, message: 'ok', status: 'success' }, { code: 'DUPLICATE_DATA', details: {}, message: 'dup', status: 'error' }] } });
      t.deepEqual(tags.records.map((r) => r.category), ['ok', 'duplicate']);
      const upsert = api.classify({ status: 200, body: { data: [{ code: 'SUCCESS', duplicate_field: 'Email', action: 'update', details: { id: '7' }, message: 'record updated', status: 'success' }] } });
      t.deepEqual([upsert.records[0].action, upsert.records[0].id], ['update', '7']);
      const unknown = api.classify({ status: 200, body: { data: [{ code: 'BRAND_NEW_CODE', status: 'weird' }] } });
      t.deepEqual([unknown.outcome, unknown.category], ['failure', 'unknown'], 'an unknown code never becomes success');
    },
  },
  {
    name: 'classify: bad input gives ZcrmGuardError, malformed bodies classify, the instance survives',
    run(api, t) {
      const big = api.classify({ status: 200, body: 'x'.repeat(2048) }, null, { maxBodyBytes: 4096 });
      t.equal(big.category, 'unknown');
      const e = t.throwsCode(() => api.classify({ status: 200, body: 'x'.repeat(2048) }, null, { maxBodyBytes: 1024 }), 'BODY_TOO_LARGE');
      t.deepEqual([e.details.size, e.details.limit], [2048, 1024]);
      t.throwsCode(() => api.classify({ status: 200, body: new Uint8Array(2048) }, undefined, { maxBodyBytes: 1024 }), 'BODY_TOO_LARGE');
      for (const bad of [
        () => api.classify(),
        () => api.classify('200'),
        () => api.classify({ status: '200' }),
        () => api.classify({ status: 200.5 }),
        () => api.classify({ status: 1000 }),
        () => api.classify({ status: 200, headers: 'x' }),
        () => api.classify({ status: 200, headers: [['a']] , body: '' }).records,
        () => api.classify({ status: 200, headers: [1] }),
        () => api.classify({ status: 200, headers: { a: {} } }),
        () => api.classify({ status: 200, body: 10n }),
        () => api.classify({ status: 0, error: 'offline' }),
        () => api.classify({ status: 200 }, { kind: 'launch' }),
        () => api.classify({ status: 200 }, null, { maxBodyBytes: -1 }),
      ]) {
        let caught;
        try {
          bad();
        } catch (err) {
          caught = err;
        }
        t.ok(caught && api.isZcrmGuardError(caught), `ZcrmGuardError expected, got ${caught}`);
      }
      const deep = '['.repeat(10_000) + ']'.repeat(10_000);
      t.equal(api.classify({ status: 200, body: deep }).category, 'unknown');
      t.equal(api.classify({ status: 500, body: new Uint8Array([0x7b, 0xff, 0xfe]) }).category, 'server', 'invalid UTF-8 is a non-JSON body');
      t.equal(api.classify({ status: 200, body: '{"data":{"code":"SUCCESS"}}' }).outcome, 'success', 'data that is not an array');
      t.equal(api.classify({ status: 207, body: JSON.stringify(mixed) }).records.length, 3, 'still answers');
    },
  },
];
