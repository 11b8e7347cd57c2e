// Shared cases for the limits catalog: run against the installed package in Node,
// inside workerd (Miniflare) and in headless Chromium. `api` is the package's module
// namespace, `t` the assertion helper of ./assert.mjs.

export default [
  {
    name: 'catalog: editionLimits applies the formula and the default (safer) cap',
    run(api, t) {
      const pro = api.editionLimits('professional', { licenses: 10 });
      t.equal(pro.edition, 'professional');
      t.equal(pro.credits.available, 50_000 + 10 * 500);
      t.equal(pro.concurrency, 15);
      t.equal(pro.subConcurrency, 10);
      t.equal(pro.graphqlConcurrency, 5);
      t.equal(pro.alias, null, 'alias is null, never undefined');
      const big = api.editionLimits('professional', { licenses: 5000 });
      t.equal(big.credits.computed, 2_550_000);
      t.equal(big.credits.cap, 1_000_000);
      t.equal(big.credits.available, 1_000_000);
      t.equal(api.editionLimits('professional', { licenses: 5000, creditCap: 3_000_000 }).credits.available, 2_550_000);
    },
  },
  {
    name: 'catalog: aliases and free edition',
    run(api, t) {
      t.equal(api.editionLimits('Zoho One').edition, 'enterprise');
      t.equal(api.editionLimits('starter').alias, 'starter');
      const plus = api.editionLimits('crm_plus', { licenses: 1 });
      t.equal(plus.edition, 'ultimate');
      t.equal(plus.concurrency, 20, 'CRM Plus defaults to the lower concurrency');
      t.equal(plus.credits.cap, null, 'unlimited is null');
      const free = api.editionLimits('free', { licenses: 3 });
      t.equal(free.credits.available, 5000);
      t.equal(free.concurrency, 5);
    },
  },
  {
    name: 'catalog: creditCost and operationLimits',
    run(api, t) {
      t.equal(api.creditCost({ kind: 'get' }).credits, 1);
      t.equal(api.creditCost({ kind: 'convert_lead' }).credits, 5);
      t.equal(api.creditCost({ kind: 'coql', coqlLimit: 1500 }).credits, 3);
      const composite = api.creditCost({ kind: 'composite', rollbackOnFail: true });
      t.equal(composite.credits, 2);
      t.equal(composite.refundOnRollback, 1);
      const write = api.creditCost({ kind: 'insert', recordCount: 100 });
      t.equal(write.credits, 10);
      t.equal(write.verified, false, 'unverified figures are flagged');
      t.equal(api.creditCost({ kind: 'search' }, { perCall: { search: 3 } }).credits, 3);
      const lim = api.operationLimits({ kind: 'insert', recordCount: 50 });
      t.equal(lim.maxRecordsPerCall, 100);
      t.equal(lim.complex, true);
      t.equal(lim.pool, 'complex');
      t.equal(api.operationLimits({ kind: 'composite' }).concurrencySlots, 5);
      t.equal(api.operationLimits({ kind: 'graphql' }).pool, 'graphql');
      t.equal(api.operationLimits({ kind: 'get' }).maxSubRequests, null);
    },
  },
  {
    name: 'catalog: data centres and the way back from a domain',
    run(api, t) {
      const dcs = api.dataCenters();
      t.deepEqual(dcs.map((d) => d.id), ['us', 'eu', 'in', 'au', 'jp', 'ca', 'sa', 'cn']);
      t.equal(api.dataCenterFor('https://www.zohoapis.com.au/crm/v8/Leads').id, 'au');
      t.equal(api.dataCenterFor('https://accounts.zohocloud.ca').id, 'ca');
      t.equal(api.dataCenterFor('sandbox.zohoapis.eu').id, 'eu');
      t.equal(api.dataCenterFor('https://example.com'), null);
    },
  },
  {
    name: 'catalog: zohoFacts gives the paging and COQL sizes, duplicate-check fields and code statuses',
    run(api, t) {
      const f = api.zohoFacts();
      t.equal(f.paging.maxPerPage, 200);
      t.equal(f.paging.maxRecordsWithoutPageToken, 2_000);
      t.equal(f.paging.maxRecordsWithPageToken, 100_000);
      t.deepEqual(f.coql, { maxLimit: 2_000, maxRows: 100_000, defaultLimit: 200 });
      t.equal(f.search.maxRecords, 2_000);
      t.equal(f.maxRecordsPerWrite, 100);
      t.deepEqual(f.duplicateCheck.modules.Leads, ['Email']);
      t.deepEqual(f.duplicateCheck.modules.Tasks, []);
      t.deepEqual(f.duplicateCheck.customModule, ['Name']);
      t.equal(f.codeStatus.INVALID_TOKEN, 401);
      t.equal(f.codeStatus.TOO_MANY_REQUESTS, 429);
      t.equal(api.zohoFacts() === f, false, 'a fresh object each call: a caller cannot change the next one');
    },
  },
  {
    name: 'catalog: bad input gives ZcrmGuardError and never poisons the instance',
    run(api, t) {
      const bad = [
        () => api.editionLimits(),
        () => api.editionLimits(null),
        () => api.editionLimits(42),
        () => api.editionLimits({}),
        () => api.editionLimits('standard', { licenses: -1 }),
        () => api.editionLimits('standard', { licenses: 1.5 }),
        () => api.editionLimits('standard', { licenses: NaN }),
        () => api.editionLimits('standard', { licenses: 'ten' }),
        () => api.editionLimits('standard', 7),
        () => api.editionLimits('x'.repeat(1 << 20)),
        () => api.creditCost(undefined),
        () => api.creditCost({}),
        () => api.creditCost({ kind: 'insert', recordCount: -5 }),
        () => api.creditCost({ kind: 'coql', coqlLimit: 5000 }),
        () => api.creditCost({ kind: 'insert', recordCount: 10n }),
        () => api.operationLimits('insert'),
        () => api.dataCenterFor(Symbol('x')),
        () => api.dataCenterFor({}),
      ];
      for (const call of bad) {
        const e = t.throwsCode(call, 'INVALID_ARGUMENT');
        t.ok(api.isZcrmGuardError(e), 'type guard recognises it');
        t.ok(typeof e.message === 'string' && e.message.length < 500, 'message is short');
        t.equal(api.editionLimits('standard').concurrency, 10, 'the next good call still works');
      }
      t.throwsCode(() => api.editionLimits('gold'), 'UNKNOWN_EDITION');
      t.throwsCode(() => api.creditCost({ kind: 'launch' }), 'UNKNOWN_OPERATION_KIND');
      t.equal(api.isZcrmGuardError(new Error('x')), false);
      t.ok(api.errorCodes().includes('UNKNOWN_EDITION'));
    },
  },
  {
    name: 'catalog: unknown keys are refused with the key meant; a zero writeRecordsPerCredit says so',
    run(api, t) {
      const e = t.throwsCode(() => api.creditCost({ kind: 'insert', recordcount: 100 }), 'INVALID_ARGUMENT');
      t.equal(e.details.suggestion, 'recordCount');
      t.equal(e.details.api_name, 'recordcount');
      t.equal(e.details.json_path, '$.recordcount');
      t.equal(e.details.field, 'operation.recordcount');
      t.equal(api.creditCost({ kind: 'insert', recordCount: 100 }).credits, 10);
      const far = t.throwsCode(() => api.editionLimits('standard', { colour: 'red' }), 'INVALID_ARGUMENT');
      t.equal(far.details.suggestion, null);
      const per = api.creditCost({ kind: 'insert', recordCount: 100 }, { writeRecordsPerCredit: 0 });
      t.equal(per.credits, 1);
      t.equal(per.basis, 'write_per_call');
      t.ok(api.errorCodes().includes('NOT_SENT') && api.errorCodes().includes('TOKEN_REFRESH_FAILED'));
    },
  },
];
