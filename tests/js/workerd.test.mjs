// The same shared cases inside workerd (Cloudflare's runtime, through Miniflare),
// with the package resolved by name through its `workerd` export condition.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { Miniflare } from 'miniflare';
import { bundleWorker } from './workerd-bundle.mjs';
import cases from './cases/index.mjs';

test('workerd: every shared case passes inside workerd', async () => {
  const { script, dir } = await bundleWorker(fileURLToPath(new URL('./workerd/worker.mjs', import.meta.url)));
  const mf = new Miniflare({
    modules: true,
    scriptPath: script,
    modulesRoot: dir,
    modulesRules: [{ type: 'CompiledWasm', include: ['**/*.wasm'] }],
    compatibilityDate: '2026-04-01',
  });
  try {
    const res = await mf.dispatchFetch('http://localhost/');
    const { results, exports } = await res.json();
    assert.equal(results.length, cases.length, 'one result per case');
    for (const r of results) {
      assert.ok(r.ok, `${r.name}: ${r.error}`);
    }
    assert.ok(exports.includes('editionLimits') && exports.includes('default'));
  } finally {
    await mf.dispose();
  }
});
