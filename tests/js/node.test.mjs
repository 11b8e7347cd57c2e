// The package as a Node user gets it: installed from the `npm pack` tarball and
// imported by name. Runs every shared case, then checks the surface.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import * as api from 'zcrm-guard';
import cases from './cases/index.mjs';
import { t } from './cases/assert.mjs';

for (const c of cases) {
  test(`node: ${c.name}`, async () => {
    await c.run(api, t);
  });
}

const require = createRequire(import.meta.url);
const pkgDir = require.resolve('zcrm-guard/package.json').replace(/package\.json$/, '');

test('node: default init() and initSync() are no-ops where instantiation is synchronous', async () => {
  assert.equal(await api.default(), undefined);
  assert.equal(api.initSync(), undefined);
  assert.equal(api.editionLimits('free').concurrency, 5);
});

test('node: every runtime entry exposes the same names, and the .d.ts declares them all', async () => {
  const nodeNames = Object.keys(api).sort();
  // The browser entry needs a fetchable wasm; read its names from the module graph instead.
  const web = await import(`${pkgDir}web/zcrm_guard.js`);
  const lib = await import(`${pkgDir}lib/index.js`);
  const browserNames = [...new Set(['default', 'initSync', 'createClient', ...Object.keys(web), ...Object.keys(lib)])].sort();
  assert.deepEqual(nodeNames, browserNames);
  const dts = [readFileSync(`${pkgDir}index.d.ts`, 'utf8')];
  for (const m of dts[0].matchAll(/export \* from '\.\/types\/(\w+)\.js'/g)) {
    dts.push(readFileSync(`${pkgDir}types/${m[1]}.d.ts`, 'utf8'));
  }
  const declared = new Set(['default']);
  for (const src of dts) {
    for (const m of src.matchAll(/export (?:declare )?(?:function|class|const) (\w+)/g)) declared.add(m[1]);
  }
  for (const name of nodeNames) assert.ok(declared.has(name), `${name} is exported but not declared in index.d.ts`);
  for (const name of declared) assert.ok(nodeNames.includes(name), `${name} is declared but not exported`);
});

test('node: package.json exports list types first and workerd before browser', () => {
  const pkg = JSON.parse(readFileSync(`${pkgDir}package.json`, 'utf8'));
  const conditions = Object.keys(pkg.exports['.']);
  assert.deepEqual(conditions, ['types', 'workerd', 'node', 'browser', 'default']);
  assert.match(pkg.version, /^\d+\.\d+\.\d+/);
});

test('node: mergeResults gives a million results, and refuses one more without trapping', () => {
  // 10^7 used to exhaust the wasm memory (RuntimeError: unreachable) and 5 * 10^6 to
  // overflow a JavaScript string; the cap is checked before anything is allocated.
  const merged = api.mergeResults([], [], { count: 1_000_000 });
  assert.equal(merged.length, 1_000_000);
  assert.equal(merged[999_999].code, 'NOT_PLANNED');
  for (const count of [1_000_001, 1e7]) {
    assert.throws(() => api.mergeResults([], [], { count }), (e) => e.code === 'INVALID_ARGUMENT' && /options\.count/.test(e.message));
  }
  assert.equal(api.mergeResults([{ indices: [0] }], [null]).length, 1);
});
