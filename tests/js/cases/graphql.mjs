// Shared cases for the GraphQL pre-flight (analyzeGraphql), run in Node, workerd and
// Chromium. Queries follow Zoho's GraphQL docs (query-records-examples.html).

const LEADS_SUBFORM = `query {
  Records {
    Leads(limit: 20) {
      _data {
        id { value }
        Subform_1__r {
          _data {
            id { value }
            Parent_Id { Email { value } Company { value } }
          }
        }
      }
    }
  }
}`;

export default [
  {
    name: 'graphql: Zoho subform example is accepted with its cost',
    run(api, t) {
      const a = api.analyzeGraphql(LEADS_SUBFORM);
      t.equal(a.ok, true);
      t.equal(a.complexity, 175);
      t.equal(a.credits, 2, '1.75 credits rounded up');
      t.equal(a.creditsExact, 1.75);
      t.deepEqual(a.depth, { records: 3, meta: 0 });
      t.equal(a.rootRecords, 20);
      t.equal(a.operation, null, 'null, never undefined');
      t.deepEqual(a.resources.map((r) => r.kind), ['module', 'child_relation', 'lookup']);
      t.deepEqual(a.violations, []);
      // The credits feed a graphql operation.
      t.equal(api.creditCost({ kind: 'graphql', credits: a.credits }).credits, 2);
    },
  },
  {
    name: 'graphql: depth violation has code, limit, actual, path, line and column',
    run(api, t) {
      const q = `{
  Records {
    Leads {
      _data {
        Subform_1__r { _data { Parent_Id { Owner { email { value } } } } }
      }
    }
  }
}`;
      const a = api.analyzeGraphql(q);
      t.equal(a.ok, false);
      const v = a.violations[0];
      t.equal(v.code, 'DEPTH_EXCEEDED');
      t.equal(v.limit, 3);
      t.equal(v.actual, 4);
      t.deepEqual(v.path, ['Records', 'Leads', '_data', 'Subform_1__r', '_data', 'Parent_Id', 'Owner']);
      t.equal(v.line, 5);
      t.equal(v.column, 44);
      t.equal(api.analyzeGraphql(q, null, { depthConvention: 'lenient' }).ok, true);
    },
  },
  {
    name: 'graphql: limits resolved through variables; wrong types are violations',
    run(api, t) {
      const q = 'query L($n: Int) { Records { Leads(limit: $n) { _data { id { value } } } } }';
      t.equal(api.analyzeGraphql(q, { n: 100 }).ok, true);
      const over = api.analyzeGraphql(q, { n: 101 });
      t.equal(over.violations[0].code, 'RECORDS_LIMIT_EXCEEDED');
      t.equal(over.violations[0].actual, 101);
      t.equal(api.analyzeGraphql(q, { n: 'ten' }).violations[0].code, 'INVALID_VARIABLE');
      t.equal(over.operation, 'L');
    },
  },
  {
    name: 'graphql: complexity and credits over Zoho limits',
    run(api, t) {
      const modules = Array.from({ length: 11 }, (_, i) => `m${i}: Leads { _data { id { value } } }`).join('\n');
      const a = api.analyzeGraphql(`{ Records { ${modules} } }`);
      t.deepEqual(a.violations.map((v) => v.code), ['COMPLEXITY_EXCEEDED', 'CREDITS_EXCEEDED']);
      t.equal(a.complexity, 1100);
      t.equal(a.credits, 11);
      t.deepEqual(a.violations[0].path, []);
      t.equal(a.violations[0].line, null);
    },
  },
  {
    name: 'graphql: operationName, fragment cycle and syntax error',
    run(api, t) {
      const two = 'query A { Meta { Modules { _data { id } } } } query B { Records { Leads { _data { id { value } } } } }';
      t.equal(api.analyzeGraphql(two).violations[0].code, 'OPERATION_NAME_REQUIRED');
      const a = api.analyzeGraphql(two, undefined, { operationName: 'A' });
      t.equal(a.ok, true);
      t.equal(a.depth.meta, 3);
      const cyc = api.analyzeGraphql('{ Records { Leads { _data { ...A } } } } fragment A on X { o { ...A } }');
      t.equal(cyc.violations[0].code, 'FRAGMENT_CYCLE');
      t.deepEqual(cyc.violations[0].path, ['A', 'A']);
      const bad = api.analyzeGraphql('{\n  Records {\n    Leads( { id }\n}');
      t.equal(bad.violations[0].code, 'SYNTAX_ERROR');
      t.equal(bad.violations[0].line, 3);
    },
  },
  {
    name: 'graphql: robustness (10,000 nested selections, bytes, bad UTF-8, size, wrong types)',
    run(api, t) {
      const deep = '{ a '.repeat(10000) + '}'.repeat(10000);
      t.equal(api.analyzeGraphql(deep).violations[0].code, 'NESTING_LIMIT_EXCEEDED');
      const bytes = new TextEncoder().encode(LEADS_SUBFORM);
      t.equal(api.analyzeGraphql(bytes).complexity, 175);
      t.throwsCode(() => api.analyzeGraphql(new Uint8Array([0x7b, 0xff, 0x7d])), 'INVALID_UTF8');
      const big = `{ Records { Leads { _data { ${'id { value } '.repeat(90000)} } } } }`;
      t.ok(big.length > 1024 * 1024, 'a query over 1 MiB');
      const e = t.throwsCode(() => api.analyzeGraphql(big), 'QUERY_TOO_LARGE');
      t.equal(e.details.limit, 262144);
      t.throwsCode(() => api.analyzeGraphql(42), 'INVALID_ARGUMENT');
      t.throwsCode(() => api.analyzeGraphql('{ a }', [1, 2]), 'INVALID_ARGUMENT');
      t.throwsCode(() => api.analyzeGraphql('{ a }', null, { maxComplexty: 5 }), 'INVALID_ARGUMENT');
      t.throwsCode(() => api.analyzeGraphql('{ a }', null, { maxNesting: 1000 }), 'INVALID_ARGUMENT');
      const cyclic = {};
      cyclic.self = cyclic;
      t.throwsCode(() => api.analyzeGraphql('{ a }', cyclic), 'INVALID_ARGUMENT');
      let nested = {};
      for (let i = 0; i < 5000; i++) nested = { n: nested };
      t.throwsCode(() => api.analyzeGraphql('{ a }', { v: nested }), 'INVALID_ARGUMENT');
      // The instance is still usable afterwards (nothing trapped).
      t.equal(api.analyzeGraphql(LEADS_SUBFORM).ok, true);
    },
  },
];
