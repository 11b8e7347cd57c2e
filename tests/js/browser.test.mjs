// The same shared cases in headless Chromium, against the installed package: the
// entry is the one its `exports` map gives the `browser` condition, as a bundler or
// an import map would pick it; `await init()` fetches the wasm over HTTP.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startServer } from './serve.mjs';
import { launchChromium, openPage } from './chromium.mjs';
import cases from './cases/index.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);
const pkgDir = dirname(require.resolve('zcrm-guard/package.json'));

test('chromium: every shared case passes in the browser build', async () => {
  const pkg = JSON.parse(readFileSync(join(pkgDir, 'package.json'), 'utf8'));
  const entry = pkg.exports['.'].browser.replace(/^\.\//, '');
  const server = await startServer({ mounts: { '/zcrm-guard/': pkgDir, '/': here } });
  const browser = await launchChromium();
  try {
    const { page, errors } = await openPage(browser, `${server.url}blank.html`);
    const results = await page.evaluate(async (entryUrl) => {
      const api = await import(entryUrl);
      await api.default();
      const { default: all } = await import('/cases/index.mjs');
      const { t } = await import('/cases/assert.mjs');
      const out = [];
      for (const c of all) {
        try {
          await c.run(api, t);
          out.push({ name: c.name, ok: true });
        } catch (e) {
          out.push({ name: c.name, ok: false, error: String(e && e.stack ? e.stack : e) });
        }
      }
      return out;
    }, `/zcrm-guard/${entry}`);
    assert.equal(results.length, cases.length);
    for (const r of results) assert.ok(r.ok, `${r.name}: ${r.error}`);
    assert.deepEqual(errors, []);
  } finally {
    await browser.close();
    await server.close();
  }
});
