// Hostile input through the JavaScript boundary: every export, called with every
// wrong kind of argument in every position, either answers or throws a
// ZcrmGuardError with a code; nothing else escapes (no TypeError from glue code, no
// wasm trap), and afterwards the instance still answers correctly. Memory stays
// bounded over 100,000 such calls.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as api from 'zcrm-guard';

const BIG = 'x'.repeat(100 * 1024 * 1024); // 100 MB

function cyclic() {
  const o = { kind: 'insert' };
  o.self = o;
  o.list = [o];
  return o;
}

/** Every wrong kind of argument, by name. */
export const HOSTILE = {
  undefined: () => undefined,
  null: () => null,
  zero: () => 0,
  negative: () => -1,
  nan: () => NaN,
  infinity: () => Infinity,
  huge: () => 1e300,
  emptyString: () => '',
  string: () => 'insert',
  bigString: () => BIG,
  boolean: () => true,
  bigint: () => 10n,
  symbol: () => Symbol('x'),
  emptyArray: () => [],
  holeyArray: () => [undefined, , 1], // eslint-disable-line no-sparse-arrays
  emptyObject: () => ({}),
  cyclic,
  throwingGetter: () => ({
    get kind() {
      throw new Error('getter throws');
    },
    get status() {
      throw new Error('getter throws');
    },
  }),
  throwingProxy: () =>
    new Proxy(
      {},
      {
        get() {
          throw new Error('proxy throws');
        },
        has() {
          throw new Error('proxy throws');
        },
        ownKeys() {
          throw new Error('proxy throws');
        },
      },
    ),
  protoKey: () => JSON.parse('{"__proto__": {"kind": "insert", "status": 200}, "constructor": {"prototype": 1}}'),
  func: () => () => 1,
  date: () => new Date(0),
  map: () => new Map([['kind', 'insert']]),
  typedArray: () => new Uint8Array([0xff, 0xfe, 0x00]),
};

// The Guard class: its constructor, statics and methods, each a row with `call`.
// Settle rows get a fresh in-flight ticket per call (the previous one is settled
// first), on a Guard whose calls cost no credits, so nothing accumulates.
const OK_VERDICT = { outcome: 'success', httpStatus: 200, category: 'ok', retry: 'none', error: null, records: [], credits: null, retryAfterMs: null, tokenExpiresAt: null };
const FREE_GET = { kind: 'get', credits: 0 };
let shared;
let open = null;
const guard = () => (shared ??= new api.Guard({ edition: 'ultimate', concurrency: 1000, logCapacity: 0 }));
function freshTicket() {
  if (open !== null) {
    try {
      guard().settleVerdict(open, OK_VERDICT, 0);
    } catch {
      // already settled by the call that used it
    }
  }
  let a = guard().admit(FREE_GET, 0);
  if (!a.ok) {
    // Hostile settles (no response, again and again) opened a breaker: start afresh.
    shared = undefined;
    a = guard().admit(FREE_GET, 0);
  }
  open = a.ticket;
  return open;
}
function admitAndSettle(...a) {
  const r = guard().admit(...a);
  if (r.ok) guard().settleVerdict(r.ticket, OK_VERDICT, 0);
  return r;
}
const GUARD_ROWS = typeof api.Guard !== 'function' ? {} : {
  Guard: { call: (...a) => new api.Guard(...a), valid: () => [{ edition: 'free' }], check: (r) => r instanceof api.Guard },
  'Guard.fromJSON': { call: (...a) => api.Guard.fromJSON(...a), valid: () => [guard().toJSON()], check: (r) => r instanceof api.Guard },
  'Guard.replay': { call: (...a) => api.Guard.replay(...a), valid: () => [new api.Guard({ edition: 'free' }).decisionLog()], check: (r) => Array.isArray(r) },
  'guard.admit': { call: admitAndSettle, valid: () => [FREE_GET, 0, null], check: (r) => typeof r.ok === 'boolean' },
  'guard.settle': { call: (...a) => guard().settle(...a), valid: () => [freshTicket(), { status: 200, headers: {}, body: '{}' }, 0], check: () => true, mayThrow: true },
  'guard.settleVerdict': { call: (...a) => guard().settleVerdict(...a), valid: () => [freshTicket(), OK_VERDICT, 0], check: (r) => r.action === 'done' },
  'guard.settleNoResponse': { call: (...a) => guard().settleNoResponse(...a), valid: () => [freshTicket(), 0, null], check: (r) => r.action === 'retry' || r.action === 'give_up' },
  'guard.tokenRefreshed': { call: (...a) => guard().tokenRefreshed(...a), valid: () => [0, { expires_in: 3600 }], check: (r) => r.generation > 0 },
  'guard.tokenRefreshFailed': { call: (...a) => guard().tokenRefreshFailed(...a), valid: () => [0, { error: 'Access Denied', status: 200 }], check: (r) => r.action === 'retry' && r.reason === 'too_many_requests' },
  'guard.snapshot': { call: (...a) => guard().snapshot(...a), valid: () => [0], check: (r) => r.editionLimit === 1000 },
  'guard.toJSON': { call: () => guard().toJSON(), valid: () => [], check: (r) => r.version === 1 },
};

/**
 * Every export and how to call it: `arity` arguments, `valid` a good argument list,
 * and `check(result)` for the canary. An export missing here fails the test, so
 * every new export gets its row.
 */
export const EXPORTS = {
  editionLimits: { valid: () => ['standard', { licenses: 2 }], check: (r) => r.concurrency === 10 },
  creditCost: { valid: () => [{ kind: 'convert_lead' }, null], check: (r) => r.credits === 5 },
  operationLimits: { valid: () => [{ kind: 'insert' }], check: (r) => r.maxRecordsPerCall === 100 },
  dataCenters: { valid: () => [], check: (r) => r.length === 8 },
  dataCenterFor: { valid: () => ['https://www.zohoapis.eu'], check: (r) => r.id === 'eu' },
  errorCodes: { valid: () => [], check: (r) => r.includes('INVALID_ARGUMENT') },
  errorCatalog: { valid: () => [], check: (r) => r.some((c) => c.code === 'AMBIGUOUS_WRITE' && c.raised === 'result') },
  zohoFacts: { valid: () => [], check: (r) => r.paging.maxPerPage === 200 && r.codeStatus.SUCCESS === 200 },
  classify: { valid: () => [{ status: 207, headers: { 'x-api-credits-remaining': '5' }, body: '{"data":[{"code":"SUCCESS","details":{"id":"1"},"message":"ok","status":"success"}]}' }, { kind: 'insert' }, { maxBodyBytes: 1024 }], check: (r) => r.outcome === 'success' && r.records[0].id === '1' && r.credits.remaining === 5 },
  analyzeGraphql: { valid: () => ['{ Records { Leads { _data { id { value } } } } }'], check: (r) => r.ok && r.complexity === 100 },
  isZcrmGuardError: { valid: () => [new Error('x')], check: (r) => r === false, total: true },
  createClient: {
    valid: () => [{ apiDomain: 'https://www.zohoapis.com', getAccessToken: () => 'token', edition: 'standard' }],
    check: (r) => typeof r.insert === 'function' && typeof r.records === 'function',
  },
  fetchTransport: { valid: () => [{ fetch: async () => new Response('') }], check: (r) => typeof r === 'function' },
  widgetTransport: { valid: () => [{ ZOHO: { CRM: { API: {} } } }], check: (r) => typeof r === 'function' && r.mode === 'api' },
  ...GUARD_ROWS,
  validateRecords: {
    valid: () => ['Leads', [{ Last_Name: 'x' }], { fields: [{ api_name: 'Last_Name', data_type: 'text' }] }, null],
    check: (r) => r.valid.length === 1,
  },
  checkModule: { valid: () => ['Lead', null], check: (r) => r.error.details.suggestion === 'Leads' },
  planBatches: { valid: () => [{ kind: 'insert' }, [{ a: 1 }], { as: 'text' }], check: (r) => r.length === 1 && typeof r[0].body === 'string' },
  validateAndPlan: {
    valid: () => [{ kind: 'insert', module: 'Leads' }, '[{"Last_Name":"x"}]', { fields: [] }, { as: 'text' }],
    check: (r) => r.batches.length === 1,
  },
  planComposite: { valid: () => [[{ method: 'GET', uri: '/crm/v8/Leads' }], {}], check: (r) => r.length === 1 },
  splitBatch: { valid: () => [{ kind: 'insert', indices: [0, 1], body: { data: [{}, {}] } }, null], check: (r) => r.length === 2 },
  mergeResults: { valid: () => [[{ indices: [0] }], [null], { count: 1 }], check: (r) => r[0].code === 'NO_REPLY' },
  planJob: { valid: () => [{ kind: 'insert' }, 1000, { edition: 'enterprise' }], check: (r) => r.calls === 10 },
  default: { skip: 'init: a no-op or the wasm loader, not part of the core surface' },
  initSync: { skip: 'init: a no-op or the wasm loader, not part of the core surface' },
};

function callAll(name, spec, args) {
  try {
    const result = spec.call ? spec.call(...args) : api[name](...args);
    return { ok: true, result };
  } catch (error) {
    return { ok: false, error };
  }
}

function canary() {
  for (const [name, spec] of Object.entries(EXPORTS)) {
    if (spec.skip) continue;
    const r = callAll(name, spec, spec.valid());
    // settle needs classify; until it is in the package, a typed error is its answer.
    if (spec.mayThrow && !r.ok && api.isZcrmGuardError(r.error)) continue;
    assert.ok(r.ok, `canary ${name} threw ${r.error?.name}: ${r.error?.message}`);
    assert.ok(spec.check(r.result), `canary ${name} answered wrongly`);
  }
}

test('hostile: every export is listed in the table', () => {
  for (const name of Object.keys(api)) {
    assert.ok(name in EXPORTS, `export ${name} has no row in the hostile-input table`);
  }
});

test('hostile: every wrong kind of argument in every position gives a ZcrmGuardError or an answer', () => {
  let calls = 0;
  for (const [name, spec] of Object.entries(EXPORTS)) {
    if (spec.skip || typeof (spec.call ?? api[name]) !== 'function') continue;
    const arity = Math.max(spec.valid().length, 1);
    for (let pos = 0; pos < arity + 1; pos++) {
      for (const [kind, make] of Object.entries(HOSTILE)) {
        const args = spec.valid();
        args[pos] = make();
        const r = callAll(name, spec, args);
        calls++;
        if (!r.ok) {
          assert.ok(
            api.isZcrmGuardError(r.error),
            `${name}(arg ${pos} = ${kind}) threw ${r.error?.name}: ${r.error?.message}`,
          );
          assert.equal(typeof r.error.code, 'string');
          assert.ok(r.error.message.length < 1_000, `${name}(arg ${pos} = ${kind}): message of ${r.error.message.length} chars`);
        } else if (spec.total) {
          assert.equal(typeof r.result, 'boolean');
        }
        canary();
      }
    }
  }
  assert.ok(calls > 200, `${calls} hostile calls`);
});

test('hostile: 100,000 bad calls keep memory within 64 MiB of the start', () => {
  const kinds = Object.values(HOSTILE).filter((make) => make() !== BIG);
  const rows = Object.entries(EXPORTS).filter(([n, s]) => !s.skip && typeof (s.call ?? api[n]) === 'function');
  globalThis.gc?.();
  const before = process.memoryUsage();
  let n = 0;
  while (n < 100_000) {
    for (const [name, spec] of rows) {
      const args = spec.valid();
      args[n % args.length || 0] = kinds[n % kinds.length]();
      callAll(name, spec, args);
      n++;
    }
  }
  globalThis.gc?.();
  const after = process.memoryUsage();
  const growth = after.rss - before.rss;
  console.log(`hostile: ${n} bad calls, rss ${(before.rss / 2 ** 20).toFixed(1)} -> ${(after.rss / 2 ** 20).toFixed(1)} MiB, arrayBuffers ${(before.arrayBuffers / 2 ** 20).toFixed(1)} -> ${(after.arrayBuffers / 2 ** 20).toFixed(1)} MiB`);
  assert.ok(growth < 64 * 2 ** 20, `rss grew by ${(growth / 2 ** 20).toFixed(1)} MiB`);
  canary();
});
