// `make demo`'s page in headless Chromium (playwright-core + Debian Chromium): it
// loads the package, and shows the limits of the edition chosen.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from '../../scripts/serve.mjs';
import { launchChromium, openPage } from '../js/chromium.mjs';

test('demo: the page shows the limits of the chosen edition', async () => {
  const server = await startServer(); // the same server and mounts as `make demo`
  const browser = await launchChromium();
  try {
    const res = await fetch(`${server.url}pkg/web/zcrm_guard_bg.wasm`);
    assert.equal(res.headers.get('content-type'), 'application/wasm');
    assert.match(res.headers.get('content-security-policy') ?? '', /script-src 'self' 'wasm-unsafe-eval'/);

    const { page, errors } = await openPage(browser, server.url);
    await page.waitForSelector('body[data-ready="true"]');
    const valueOf = async (label) =>
      page.locator('#limits tr', { hasText: label }).locator('td').innerText();

    await page.selectOption('#edition', 'enterprise');
    await page.fill('#licenses', '10');
    await page.waitForFunction(() => document.getElementById('edition-name').textContent === 'enterprise');
    assert.equal(await valueOf('Credits per rolling 24 h'), '60,000');
    assert.equal(await valueOf('Concurrent calls'), '20');
    assert.equal(await valueOf('Complex-API sub-concurrency'), '10');

    await page.selectOption('#edition', 'crm_plus');
    await page.waitForFunction(() => document.getElementById('edition-name').textContent === 'ultimate (crm_plus)');
    assert.equal(await valueOf('Edition cap'), 'unlimited');
    assert.equal(await valueOf('Concurrent calls'), '20');

    await page.fill('#licenses', '-3');
    await page.waitForFunction(() => document.getElementById('status').className === 'error');
    assert.match(await page.locator('#status').innerText(), /INVALID_ARGUMENT/);

    const ops = await page.locator('#operations tbody tr').count();
    assert.ok(ops >= 10, `operations table has ${ops} rows`);
    assert.equal(await page.locator('#datacenters tbody tr').count(), 8);
    assert.deepEqual(errors, []);
  } finally {
    await browser.close();
    await server.close();
  }
});
