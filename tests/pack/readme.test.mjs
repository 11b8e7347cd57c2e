// The README as a new user meets it: a front page of at most 300 lines whose links all
// resolve, and three quick starts (a Node script, a Cloudflare Worker, a Zoho CRM widget)
// of at most 15 lines each, extracted from the README and run unchanged against the Zoho
// CRM simulator: the Node one with the packed tarball installed by name, the Worker in
// workerd through Miniflare, the widget in Chromium with a fake of Zoho's widget SDK.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Miniflare } from 'miniflare';
import { ZohoSimulator } from '@zcrm-guard/zoho-sim';
import { startSimulatorServer } from '@zcrm-guard/zoho-sim/server';
import { fakeZoho } from '../sim/fake-zoho.mjs';
import { launchChromium } from '../js/chromium.mjs';
import { bundleWorker } from '../js/workerd-bundle.mjs';
import { openServed } from './pages.mjs';
import { ROOT, installConsumer } from './tarball.mjs';

const README = readFileSync(join(ROOT, 'README.md'), 'utf8');
const SDK_URL = 'https://live.zwidgets.com/js-sdk/1.5/ZohoEmbededAppSDK.min.js';

/** The code block that follows `<!-- quickstart: name -->`. */
function quickstart(name) {
  const m = new RegExp(`<!-- quickstart: ${name} -->\\n\`\`\`js\\n([\\s\\S]*?)\`\`\``).exec(README);
  assert.ok(m, `README has a quick start marked ${name}`);
  return m[1];
}

let consumer;
before(() => {
  consumer = mkdtempSync(join(tmpdir(), 'zcrm-readme-'));
  installConsumer(consumer);
});
after(() => {
  if (consumer) rmSync(consumer, { recursive: true, force: true });
});

test('README: a front page of at most 300 lines, three quick starts of at most 15 lines, every link resolves', () => {
  assert.ok(README.split('\n').length <= 300, `README has ${README.split('\n').length} lines`);
  for (const name of ['node', 'worker', 'widget']) {
    const lines = quickstart(name).trimEnd().split('\n').length;
    assert.ok(lines <= 15, `the ${name} quick start has ${lines} lines`);
  }
  const links = [...README.matchAll(/\]\(([^)#]+)(#[^)]*)?\)/g)].map((m) => m[1]).filter((l) => !/^https?:/.test(l));
  assert.ok(links.length >= 10, 'the README links to docs/');
  for (const link of links) assert.ok(existsSync(join(ROOT, link)), `README links to ${link}, which exists`);
  for (const cmd of ['make demo', 'make test']) assert.ok(README.includes(cmd), cmd);
});

test('README quick start: the Node script inserts a Lead, refreshing its token at the accounts server', async () => {
  const server = await startSimulatorServer({ edition: 'professional', seed: 5, clientId: 'client', clientSecret: 'secret', accessToken: 'never-issued' });
  try {
    const file = join(consumer, 'quickstart-node.mjs');
    writeFileSync(file, quickstart('node'));
    const env = {
      ...process.env,
      ZOHO_API_DOMAIN: server.url,
      ZOHO_ACCOUNTS_URL: server.url,
      ZOHO_CLIENT_ID: 'client',
      ZOHO_CLIENT_SECRET: 'secret',
      ZOHO_REFRESH_TOKEN: 'sim-refresh-token',
    };
    const { stdout } = await promisify(execFile)(process.execPath, [file], { cwd: consumer, env, timeout: 60_000 });
    const stored = server.sim.records('Leads');
    assert.equal(stored.length, 1, 'one Lead reached the CRM');
    assert.equal(stdout.trim(), `1 SUCCESS ${stored[0].id}`, 'the script printed stats.ok, the code and the id the CRM gave');
    assert.equal(server.sim.counters.tokenRefreshes, 1, 'one refresh at the accounts server');
  } finally {
    await server.close();
  }
});

test('README quick start: the Worker inserts the posted Leads in workerd', async () => {
  const server = await startSimulatorServer({ edition: 'enterprise', seed: 6 });
  const entry = join(consumer, 'quickstart-worker.mjs');
  writeFileSync(entry, quickstart('worker'));
  const { dir } = await bundleWorker(entry);
  const mf = new Miniflare({
    modules: true,
    scriptPath: join(dir, 'worker.mjs'),
    modulesRoot: dir,
    modulesRules: [{ type: 'CompiledWasm', include: ['**/*.wasm'] }],
    compatibilityDate: '2026-04-01',
    bindings: { ZOHO_API_DOMAIN: server.url, ZOHO_ACCESS_TOKEN: 'sim-access-0' },
  });
  try {
    const records = [{ Last_Name: 'Curie', Email: 'marie@example.com' }, { Email: 'no-surname@example.com' }];
    const res = await mf.dispatchFetch('http://worker.test/', { method: 'POST', body: JSON.stringify({ records }) });
    assert.equal(res.status, 200);
    const body = await res.json();
    assert.equal(body.ok, 1);
    assert.deepEqual(body.results.map((r) => r.code), ['SUCCESS', 'MANDATORY_NOT_FOUND'], 'the second lacks Last_Name: refused before sending');
    assert.deepEqual(server.sim.records('Leads').map((r) => String(r.id)), [String(body.results[0].id)]);
  } finally {
    await mf.dispose();
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('README quick start: the widget inserts a Lead through the widget SDK in Chromium', async () => {
  const site = mkdtempSync(join(tmpdir(), 'zcrm-readme-widget-'));
  const browser = await launchChromium();
  try {
    mkdirSync(join(site, 'lib'), { recursive: true });
    cpSync(join(consumer, 'node_modules/zcrm-guard'), join(site, 'lib/zcrm-guard'), { recursive: true });
    writeFileSync(join(site, 'quickstart.js'), quickstart('widget'));
    writeFileSync(join(site, 'widget.html'), `<!doctype html><meta charset="utf-8"><script src="${SDK_URL}"></script><script type="module" src="quickstart.js"></script><body>…</body>`);
    const sim = new ZohoSimulator({ seed: 7 });
    const fake = fakeZoho(sim, { withZrc: true });
    const sdk = { ZOHO: fake.ZOHO, zrc: fake.zrc };
    const binding = async (path, args) => {
      if (path === 'init') return { ok: true, value: { zrc: true, pageLoad: { Entity: 'Leads', EntityId: [] } } };
      const fn = path.split('.').reduce((o, k) => o?.[k], sdk);
      try {
        return { ok: true, value: await fn(...args) };
      } catch (e) {
        return { ok: false, error: { __error: { name: e?.name, message: String(e?.message ?? e) } } };
      }
    };
    const { page, errors } = await openServed(browser, {
      origin: 'https://widget.test',
      dir: site,
      path: '/widget.html',
      extra: { [SDK_URL]: { type: 'text/javascript', body: readFileSync(join(ROOT, 'tests/pack/widget/fake-zoho-sdk.js'), 'utf8') } },
      beforeLoad: (p) => p.exposeFunction('__zohoSdk', binding),
    });
    await page.waitForFunction(() => document.body.textContent.startsWith('SUCCESS'), null, { timeout: 20_000 });
    const stored = sim.records('Leads');
    assert.equal(stored.length, 1);
    assert.equal((await page.textContent('body')).trim(), `SUCCESS ${stored[0].id}`);
    assert.deepEqual(errors, [], 'no console error, no request outside the widget');
  } finally {
    await browser.close();
    rmSync(site, { recursive: true, force: true });
  }
});
