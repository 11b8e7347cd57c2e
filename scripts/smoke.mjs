// Smoke test of the optimised wasm, run by build.sh after wasm-opt: both builds must
// instantiate and answer one call of each kind correctly (wasm-opt bugs show here).
import { readFileSync } from 'node:fs';
import assert from 'node:assert/strict';

const node = await import('../pkg/node.js');
const web = await import('../pkg/web/zcrm_guard.js');
web.initSync({ module: readFileSync(new URL('../pkg/web/zcrm_guard_bg.wasm', import.meta.url)) });

for (const [name, api] of [['node', node], ['web', web]]) {
  assert.equal(api.editionLimits('professional', { licenses: 10 }).credits.available, 55_000, name);
  assert.equal(api.creditCost({ kind: 'convert_lead' }).credits, 5, name);
  assert.equal(api.dataCenterFor('https://www.zohoapis.eu').id, 'eu', name);
  assert.throws(() => api.editionLimits(42), (e) => e.name === 'ZcrmGuardError' && e.code === 'INVALID_ARGUMENT', name);
  assert.equal(api.operationLimits({ kind: 'insert' }).maxRecordsPerCall, 100, name);
}
console.log('smoke: optimised wasm OK (node and web builds)');
