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
  analyzeGraphql: { valid: () => ['{ Records { Leads { _data { id { value } } } } }'], check: (r) => r.ok && r.complexity === 100 },
  isZcrmGuardError: { valid: () => [new Error('x')], check: (r) => r === false, total: true },
  fetchTransport: { valid: () => [{ fetch: async () => new Response('') }], check: (r) => typeof r === 'function' },
  widgetTransport: { valid: () => [{ ZOHO: { CRM: { API: {} } } }], check: (r) => typeof r === 'function' && r.mode === 'api' },
  default: { skip: 'init: a no-op or the wasm loader, not part of the core surface' },
  initSync: { skip: 'init: a no-op or the wasm loader, not part of the core surface' },
};

function callAll(name, spec, args) {
  try {
    const result = api[name](...args);
    return { ok: true, result };
  } catch (error) {
    return { ok: false, error };
  }
}

function canary() {
  for (const [name, spec] of Object.entries(EXPORTS)) {
    if (spec.skip) continue;
    const r = callAll(name, spec, spec.valid());
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
    if (spec.skip || typeof api[name] !== 'function') continue;
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
  const rows = Object.entries(EXPORTS).filter(([n, s]) => !s.skip && typeof api[n] === 'function');
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
