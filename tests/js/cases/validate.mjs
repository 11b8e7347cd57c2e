// Shared cases for validation and batching: run against the installed package in Node,
// inside workerd (Miniflare) and in headless Chromium.

const FIELDS = {
  fields: [
    { api_name: 'Last_Name', data_type: 'text', length: 80, system_mandatory: true, unique: {} },
    { api_name: 'Email', data_type: 'email', length: 100, unique: { case_sensitive: false } },
    { api_name: 'No_of_Employees', data_type: 'integer' },
    { api_name: 'Birthday', data_type: 'date' },
    {
      api_name: 'Rating', data_type: 'picklist',
      pick_list_values: [
        { actual_value: 'Hot', type: 'used' },
        { actual_value: 'Old', type: 'unused' },
      ],
    },
    { api_name: 'Created_Time', data_type: 'datetime', read_only: true },
  ],
};

const LEADS = { kind: 'insert', module: 'Leads' };

function many(n) {
  return Array.from({ length: n }, (_, i) => ({ Last_Name: `L${i}` }));
}

export default [
  {
    name: 'validate: errors in Zoho\'s shape, with the caller\'s index in json_path',
    run(api, t) {
      const v = api.validateRecords('Leads', [
        { Last_Name: 'a', Email: 'a@example.com' },
        { Email: 'b@example.com' },
        { Last_Name: 'c', No_of_Employees: 1234567890 },
        { Last_Name: 'd', Birthday: '2023-02-29' },
        { Last_Name: 'e', Email: 'A@EXAMPLE.COM' },
        'not an object',
        { Last_Name: 'g', Rating: 'Old', Unknown_Field: 1 },
        { Last_Name: 'h', Created_Time: '2024-01-01T00:00:00+00:00' },
      ], FIELDS);
      t.deepEqual(v.valid, [0, 6]);
      t.equal(v.errors.length, 6);
      const [mandatory, tooBig, date, dup, notObject, readOnly] = v.errors;
      t.equal(mandatory.code, 'MANDATORY_NOT_FOUND');
      t.equal(mandatory.message, 'required field not found');
      t.deepEqual(mandatory.details, { api_name: 'Last_Name', json_path: '$.data[1].Last_Name' });
      t.equal(mandatory.category, 'validation');
      t.equal(mandatory.retry, 'none');
      t.equal(mandatory.ok, false);
      t.equal(mandatory.id, null, 'absent is null, never undefined');
      t.equal(tooBig.code, 'INVALID_DATA');
      t.equal(tooBig.details.maximum_length, 9);
      t.equal(date.details.api_name, 'Birthday');
      t.equal(date.details.json_path, '$.data[3].Birthday');
      t.equal(date.details.expected_data_type, 'date');
      t.equal(dup.code, 'DUPLICATE_DATA');
      t.equal(dup.details.duplicate_index, 0);
      t.equal(notObject.index, 5);
      t.equal(notObject.details.expected_data_type, 'jsonobject');
      t.equal(readOnly.details.api_name, 'Created_Time');
      t.deepEqual(v.warnings.map((w) => w.code).sort(), ['UNKNOWN_FIELD', 'UNUSED_PICKLIST_VALUE']);
      t.equal(v.warningsDropped, 0);
    },
  },
  {
    name: 'validate: records as JSON text or UTF-8 bytes give the same result; metadata as text too',
    run(api, t) {
      const recs = [{ Last_Name: 'é' }, {}];
      const a = api.validateRecords('Leads', recs, FIELDS);
      const b = api.validateRecords('Leads', JSON.stringify(recs), JSON.stringify(FIELDS));
      const c = api.validateRecords('Leads', new TextEncoder().encode(JSON.stringify(recs)), FIELDS);
      t.deepEqual(b, a);
      t.deepEqual(c, a);
      t.deepEqual(a.valid, [0]);
    },
  },
  {
    name: 'validate: update needs an id, upsert a duplicate-check field',
    run(api, t) {
      const u = api.validateRecords('Leads', [{ id: '5725767000000411001', Email: 'x@example.com' }, { Email: 'y@example.com' }], FIELDS, { operation: 'update' });
      t.deepEqual(u.valid, [0]);
      t.equal(u.errors[0].details.api_name, 'id');
      const up = api.validateRecords('Leads', [{ Last_Name: 'x' }], FIELDS, { operation: 'upsert' });
      t.equal(up.errors[0].code, 'MANDATORY_NOT_FOUND');
      t.equal(up.errors[0].details.api_name, 'Email');
    },
  },
  {
    name: 'validate: bad arguments are ZcrmGuardErrors',
    run(api, t) {
      t.throwsCode(() => api.validateRecords('Leads', { not: 'an array' }, FIELDS), 'INVALID_ARGUMENT');
      t.throwsCode(() => api.validateRecords('Leads', '[1,', FIELDS), 'INVALID_ARGUMENT');
      t.throwsCode(() => api.validateRecords('Leads', [], { field: [] }), 'INVALID_ARGUMENT');
      t.throwsCode(() => api.validateRecords('Leads', [], FIELDS, { operation: 'get' }), 'INVALID_ARGUMENT');
      const e = t.throwsCode(() => api.validateRecords('Lead', [], FIELDS), 'INVALID_MODULE');
      t.equal(e.details.suggestion, 'Leads');
      t.throwsCode(() => api.validateRecords(42, [], FIELDS), 'INVALID_ARGUMENT');
      // Deeply nested metadata or verdicts: a typed error, and the instance lives on.
      const deep = {};
      let cur = deep;
      for (let i = 0; i < 3000; i++) { cur.a = {}; cur = cur.a; }
      t.throwsCode(() => api.validateRecords('Leads', [], { fields: [{ api_name: 'X', data_type: 'text', unique: deep }] }), 'INVALID_ARGUMENT');
      t.throwsCode(() => api.mergeResults([{ indices: [0] }], [{ records: [{ index: 0, ok: false, code: 'X', message: '', details: deep }], error: null }]), 'INVALID_ARGUMENT');
      const cyclic = { fields: [] };
      cyclic.self = cyclic;
      t.throwsCode(() => api.validateRecords('Leads', [], cyclic), 'INVALID_ARGUMENT');
      t.deepEqual(api.validateRecords('Leads', [{ Last_Name: 'x' }], FIELDS).valid, [0]);
    },
  },
  {
    name: 'validate: checkModule suggests the intended module',
    run(api, t) {
      const ok = api.checkModule('Leads');
      t.equal(ok.ok, true);
      t.equal(ok.error, null);
      const bad = api.checkModule('Lead');
      t.equal(bad.ok, false);
      t.equal(bad.error.code, 'INVALID_MODULE');
      t.equal(bad.error.message, 'the module name given seems to be invalid');
      t.equal(bad.error.details.suggestion, 'Leads');
      t.equal(api.checkModule('sales_orders').error.details.suggestion, 'Sales_Orders');
      const meta = { modules: [{ api_name: 'Projects', singular_label: 'Project', plural_label: 'Projects', generated_type: 'custom' }] };
      t.equal(api.checkModule('Projects', meta).custom, true);
      t.equal(api.checkModule('Project', meta).error.details.suggestion, 'Projects');
    },
  },
  {
    name: 'batch: planBatches by 100, bodies as objects or as ready-to-send text',
    run(api, t) {
      const recs = many(250);
      const objs = api.planBatches(LEADS, recs, { trigger: ['workflow'] });
      t.deepEqual(objs.map((b) => b.indices.length), [100, 100, 50]);
      t.equal(objs[0].indices[0], 0);
      t.equal(objs[2].indices[49], 249);
      t.equal(objs[0].body.data.length, 100);
      t.deepEqual(objs[0].body.trigger, ['workflow']);
      t.equal(objs[0].credits, 10);
      t.equal(objs[0].complex, true);
      t.equal(objs[0].kind, 'insert');
      t.equal(objs[0].ids, null);
      const texts = api.planBatches(LEADS, JSON.stringify(recs), { as: 'text', trigger: ['workflow'] });
      t.equal(typeof texts[0].body, 'string');
      t.deepEqual(JSON.parse(texts[1].body), objs[1].body);
      const bytes = api.planBatches(LEADS, new TextEncoder().encode(JSON.stringify(recs)), { as: 'text', maxRecords: 10 });
      t.equal(bytes.length, 25);
      t.equal(bytes[0].complex, false);
      t.throwsCode(() => api.planBatches(LEADS, recs, { maxRecords: 101 }), 'INVALID_ARGUMENT');
      t.throwsCode(() => api.planBatches(LEADS, 5), 'INVALID_ARGUMENT');
      t.throwsCode(() => api.planBatches(LEADS, recs, { as: 'xml' }), 'INVALID_ARGUMENT');
      t.throwsCode(() => api.planBatches({ kind: 'get' }, recs), 'INVALID_ARGUMENT');
    },
  },
  {
    name: 'batch: maxBodyBytes, delete ids, and validateAndPlan in one call',
    run(api, t) {
      const small = api.planBatches(LEADS, many(20), { maxBodyBytes: 120, as: 'text' });
      t.ok(small.length > 1);
      t.ok(small.every((b) => new TextEncoder().encode(b.body).length <= 120));
      t.throwsCode(() => api.planBatches(LEADS, [{ Last_Name: 'x'.repeat(200) }], { maxBodyBytes: 100 }), 'RECORD_TOO_LARGE');
      const del = api.planBatches({ kind: 'delete', module: 'Leads' }, Array.from({ length: 150 }, (_, i) => String(i + 1)));
      t.equal(del.length, 2);
      t.equal(del[0].ids.length, 100);
      t.equal(del[0].body, null);
      const plan = api.validateAndPlan(LEADS, JSON.stringify([{ Last_Name: 'a' }, {}, { Last_Name: 'b' }]), FIELDS, { as: 'text' });
      t.deepEqual(plan.validation.valid, [0, 2]);
      t.equal(plan.validation.errors[0].index, 1);
      t.equal(plan.batches.length, 1);
      t.deepEqual(plan.batches[0].indices, [0, 2]);
      t.equal(plan.batches[0].body, '{"data":[{"Last_Name":"a"},{"Last_Name":"b"}]}');
    },
  },
  {
    name: 'batch: splitBatch isolates a record in log2(n) steps, keeping the body form',
    run(api, t) {
      let [batch] = api.planBatches(LEADS, many(100), { as: 'text', trigger: [] });
      let steps = 0;
      while (batch.indices.length > 1) {
        const halves = api.splitBatch(batch);
        t.equal(halves.length, 2);
        t.equal(typeof halves[0].body, 'string');
        t.deepEqual(JSON.parse(halves[0].body).trigger, []);
        batch = halves.find((h) => h.indices.includes(63));
        steps += 1;
      }
      t.deepEqual(batch.indices, [63]);
      t.deepEqual(JSON.parse(batch.body).data, [{ Last_Name: 'L63' }]);
      t.ok(steps <= 7);
      const [obj] = api.planBatches(LEADS, many(3));
      const halves = api.splitBatch(obj);
      t.deepEqual(halves[1].body, { data: [{ Last_Name: 'L2' }] });
      t.throwsCode(() => api.splitBatch({ kind: 'insert', indices: [0, 1], body: { data: [{}] } }), 'INVALID_ARGUMENT');
    },
  },
  {
    name: 'batch: mergeResults gives one result per caller index',
    run(api, t) {
      const ok = (i) => ({ index: i, ok: true, code: 'SUCCESS', message: 'record added', details: { id: `id${i}` }, id: `id${i}`, action: null, category: 'ok', retry: 'none' });
      const bad = (i) => ({ index: i, ok: false, code: 'INVALID_DATA', message: 'invalid data', details: {}, id: null, action: null, category: 'validation', retry: 'none' });
      const batches = [{ indices: [3, 1] }, { indices: [0] }, { indices: [4] }, { indices: [1] }];
      const verdicts = [
        { records: [ok(0), bad(1)], error: null },
        null,
        { records: [], error: { code: 'INVALID_TOKEN', message: 'invalid oauth token', details: {}, category: 'auth', retry: 'refresh_token' } },
        { records: [ok(0)], error: null },
      ];
      const prior = [{ index: 2, ok: false, code: 'MANDATORY_NOT_FOUND', message: 'required field not found', details: { api_name: 'Last_Name', json_path: '$.data[2].Last_Name' }, category: 'validation', retry: 'none' }];
      const merged = api.mergeResults(batches, verdicts, { count: 6, prior });
      t.deepEqual(merged.map((r) => r.index), [0, 1, 2, 3, 4, 5]);
      t.deepEqual(merged.map((r) => r.code), ['NO_REPLY', 'SUCCESS', 'MANDATORY_NOT_FOUND', 'SUCCESS', 'INVALID_TOKEN', 'NOT_PLANNED']);
      t.equal(merged[3].id, 'id0');
      t.equal(merged[4].retry, 'refresh_token');
      t.throwsCode(() => api.mergeResults([{ indices: [9] }], [], { count: 2 }), 'INVALID_ARGUMENT');
      // At most a million, refused before anything is read or allocated (10^7 used to trap).
      for (const count of [1_000_001, 5e6, 1e7, 2 ** 53 - 1]) {
        t.throwsCode(() => api.mergeResults([], [], { count }), 'INVALID_ARGUMENT', `count ${count}`);
      }
      t.equal(api.mergeResults([], [], { count: 3 }).length, 3, 'the instance still works');
    },
  },
  {
    name: 'batch: planComposite packs 5 sub-requests per call and checks their limits',
    run(api, t) {
      const subs = Array.from({ length: 7 }, (_, i) => ({ sub_request_id: `s${i}`, method: 'GET', uri: '/crm/v8/Leads', params: { per_page: 10 } }));
      const calls = api.planComposite(subs, {});
      t.deepEqual(calls.map((c) => c.indices), [[0, 1, 2, 3, 4], [5, 6]]);
      t.equal(calls[0].body.__composite_requests.length, 5);
      t.equal(calls[0].credits, 1);
      t.equal(api.planComposite(subs.slice(0, 2), { rollbackOnFail: true })[0].credits, 2);
      t.throwsCode(() => api.planComposite(subs, { rollbackOnFail: true }), 'INVALID_ARGUMENT');
      t.throwsCode(() => api.planComposite([{ method: 'POST', uri: '/crm/v8/Leads', body: { data: [{}, {}] } }]), 'INVALID_ARGUMENT');
      t.throwsCode(() => api.planComposite('nope'), 'INVALID_ARGUMENT');
    },
  },
  {
    name: 'batch: planJob forecasts calls, credits, rounds, Bulk Write and the window',
    run(api, t) {
      const p = api.planJob({ kind: 'insert' }, 10_050, { edition: 'enterprise' });
      t.equal(p.calls, 101);
      t.equal(p.credits, 1005);
      t.equal(p.parallel, 10);
      t.equal(p.minRounds, 11);
      t.equal(p.fitsInWindow, true);
      t.equal(p.bulkWrite.cheaper, true);
      t.equal(p.bulkWrite.saving, 505);
      const late = api.planJob({ kind: 'insert' }, 2_000_000, { edition: 'standard', creditsRemaining: 1000 });
      t.equal(late.fitsInWindow, false);
      t.equal(late.windowsNeeded, 5);
      t.equal(api.planJob({ kind: 'delete' }, 10, { edition: 'free' }).bulkWrite, null);
      t.throwsCode(() => api.planJob({ kind: 'insert' }, -1, { edition: 'free' }), 'INVALID_ARGUMENT');
      t.throwsCode(() => api.planJob({ kind: 'insert' }, 10, {}), 'INVALID_ARGUMENT');
    },
  },
];
