// examples/widget as a Zoho developer ships it: `npm ci`, `npm run pack` (the package's
// inline build copied into app/, then the zip `zet pack` makes for a CRM widget). The zip
// is checked by Python's zipfile, unpacked, and its widget.html runs in Chromium with a
// fake of the Zoho SDK (tests/pack/widget/fake-zoho-sdk.js) in place of Zoho's script,
// answered by tests/sim/fake-zoho.mjs over the Zoho CRM simulator: on PageLoad the
// widget makes its client, and a click inserts the sample Leads.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ZohoSimulator } from '@zcrm-guard/zoho-sim';
import { fakeZoho } from '../sim/fake-zoho.mjs';
import { launchChromium } from '../js/chromium.mjs';
import { openServed } from './pages.mjs';
import { ROOT } from './tarball.mjs';

const EXAMPLE = join(ROOT, 'examples/widget');
const ZIP = join(EXAMPLE, 'dist/widget.zip');
const SDK_URL = 'https://live.zwidgets.com/js-sdk/1.5/ZohoEmbededAppSDK.min.js';
const run = (cmd, args, cwd = EXAMPLE) => {
  try {
    return execFileSync(cmd, args, { cwd, encoding: 'utf8', stdio: 'pipe' });
  } catch (e) {
    throw new Error(`${cmd} ${args.join(' ')} failed:\n${e.stdout}\n${e.stderr}`);
  }
};

let unpacked;
let browser;
before(async () => {
  run('npm', ['ci', '--no-audit', '--no-fund']);
  run('npm', ['run', 'pack']);
  unpacked = mkdtempSync(join(tmpdir(), 'zcrm-widget-'));
  run('python3', ['-m', 'zipfile', '-e', ZIP, unpacked]);
  browser = await launchChromium();
});
after(async () => {
  await browser?.close();
  if (unpacked) rmSync(unpacked, { recursive: true, force: true });
});

test('the zip is what zet pack makes for a CRM widget: app/ only, widget.html, no .wasm', () => {
  assert.match(run('python3', ['-m', 'zipfile', '-t', ZIP]), /Done testing/, 'every entry reads back with its CRC');
  const listing = run('python3', ['-c', 'import sys, zipfile; print("\\n".join(zipfile.ZipFile(sys.argv[1]).namelist()))', ZIP]);
  const names = listing.trim().split('\n');
  assert.deepEqual(names.filter((n) => !n.startsWith('app/')), [], 'only app/ (zet adds plugin-manifest.json for every service but CRM)');
  for (const needed of ['app/widget.html', 'app/js/widget.js', 'app/css/widget.css', 'app/lib/zcrm-guard/inline.js', 'app/lib/zcrm-guard/web/wasm_base64.js']) {
    assert.ok(names.includes(needed), needed);
  }
  assert.deepEqual(names.filter((n) => /node_modules|\.wasm$|\/\./.test(n)), [], 'no node_modules, no .wasm, no dot files');
  assert.deepEqual(names.filter((n) => !/\.(html|js|css|json|txt)$/.test(n)), [], 'only file types zet packs');
  assert.deepEqual(JSON.parse(readFileSync(join(EXAMPLE, 'plugin-manifest.json'), 'utf8')), { service: 'CRM' });
  const html = readFileSync(join(unpacked, 'app/widget.html'), 'utf8');
  assert.ok(html.includes(`<script src="${SDK_URL}"></script>`), 'widget.html loads Zoho\'s SDK');
});

/** Opens the unpacked widget against a fake SDK over a new simulator; returns the page and the SDK's call log. */
async function openWidget(withZrc) {
  const sim = new ZohoSimulator({ seed: 16 });
  const fake = fakeZoho(sim, { withZrc });
  const sdk = { ZOHO: fake.ZOHO, zrc: fake.zrc };
  const encode = (v) =>
    v instanceof Error ? { __error: { name: v.name, message: v.message } } : Array.isArray(v) ? v.map(encode) : v && typeof v === 'object' ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, encode(x)])) : v;
  const binding = async (path, args) => {
    if (path === 'init') return { ok: true, value: { zrc: withZrc, pageLoad: { Entity: 'Leads', EntityId: [] } } };
    const fn = path.split('.').reduce((o, k) => o?.[k], sdk);
    try {
      return { ok: true, value: encode(await fn(...args)) };
    } catch (e) {
      return { ok: false, error: encode(e) };
    }
  };
  const opened = await openServed(browser, {
    origin: 'https://widget.test',
    dir: join(unpacked, 'app'),
    path: '/widget.html',
    extra: { [SDK_URL]: { type: 'text/javascript', body: readFileSync(join(ROOT, 'tests/pack/widget/fake-zoho-sdk.js'), 'utf8') } },
    beforeLoad: (page) => page.exposeFunction('__zohoSdk', binding),
  });
  return { ...opened, sim, calls: fake.calls };
}

for (const [mode, withZrc, sends] of [['api', false, ['insertRecord', 'insertRecord', 'insertRecord']], ['zrc', true, ['zrc.post']]]) {
  test(`the packed widget inserts the sample Leads through the SDK (${mode}) and shows one result per record`, async () => {
    const { page, errors, sim, calls } = await openWidget(withZrc);
    try {
      await page.getByText(`Ready (transport: ${mode}).`).waitFor({ timeout: 20_000 });
      await page.getByRole('button', { name: 'Insert the sample Leads' }).click();
      await page.locator('#results').waitFor({ state: 'visible', timeout: 20_000 });
      const rows = await page.locator('#results tbody tr').evaluateAll((trs) => trs.map((tr) => [...tr.cells].map((td) => td.textContent)));
      const stored = sim.records('Leads');
      assert.equal(stored.length, 3, 'three Leads reached the CRM');
      assert.deepEqual(
        rows.map(([n, lead, code, , calls]) => [n, lead, code, calls]),
        [
          ['1', 'Ana Rivera', 'SUCCESS', '1'],
          ['2', 'Chidi Okafor', 'SUCCESS', '1'],
          ['3', 'Maja Lindqvist', 'SUCCESS', '1'],
          ['4', 'Sam', 'MANDATORY_NOT_FOUND', '0'],
        ],
      );
      assert.deepEqual(rows.slice(0, 3).map((r) => r[3]).sort(), stored.map((r) => String(r.id)).sort(), 'the ids the CRM gave');
      assert.match(rows[3][3], /invalid_before_sending/);
      assert.equal(await page.locator('#status').textContent(), '3 inserted, 1 failed (1 rejected before sending).');
      assert.deepEqual(calls.map((c) => c.api).filter((api) => !/getFields|zrc\.get/.test(api)), sends, 'the SDK calls that wrote');
      assert.equal(calls.filter((c) => /getFields|zrc\.get/.test(c.api)).length, 1, 'the field metadata, read once');
      assert.doesNotMatch(JSON.stringify(calls), /Zoho-oauthtoken|"sdk"/, 'no token handed to the SDK');
      assert.deepEqual(errors, [], 'no console error, no request outside the widget');
    } finally {
      await page.close();
    }
  });
}
