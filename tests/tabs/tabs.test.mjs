// `zcrm-guard/tabs` in Chromium: tabs of one widget (pages of one browser context, one
// origin) share one budget through a Web Lock and a BroadcastChannel. Their calls go to
// the page's origin, answered here by one Zoho CRM simulator, which counts what Zoho
// would: calls in flight (from every tab together), 429s, records created.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { extname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ZohoSimulator } from '@zcrm-guard/zoho-sim';
import { launchChromium } from '../js/chromium.mjs';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const ORIGIN = 'https://widget.test';
const TYPES = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.wasm': 'application/wasm' };
const DIRS = { '/pkg/': join(ROOT, 'pkg'), '/tabs/': join(ROOT, 'tests/tabs') };

let browser;
before(async () => {
  assert.ok(existsSync(join(ROOT, 'pkg/lib/tabs.js')), 'pkg/ is built with lib/tabs.js (make build, or cp -R pkg-template/. pkg/)');
  browser = await launchChromium();
});
after(() => browser?.close());

/** Calls in flight per tab (told by the token each tab sends), and whether two tabs ever overlapped. */
function tabLoad() {
  const now = {};
  const load = { now, overlapped: false, calls: {} };
  load.start = (tab) => {
    now[tab] = (now[tab] ?? 0) + 1;
    load.calls[tab] = (load.calls[tab] ?? 0) + 1;
    if (Object.values(now).filter((n) => n > 0).length > 1) load.overlapped = true;
  };
  load.end = (tab) => now[tab]--;
  return load;
}

/** One browser context (tabs of one browser share locks and channels within it) served from pkg/ and tests/tabs/. */
async function widgetContext(sim, load) {
  const context = await browser.newContext();
  await context.route('**/*', async (route) => {
    const req = route.request();
    const url = new URL(req.url());
    if (url.origin !== ORIGIN) return route.abort();
    if (url.pathname.startsWith('/crm/')) {
      const tab = /token-(\w+)/.exec(req.headers().authorization ?? '')?.[1] ?? '?';
      load.start(tab);
      try {
        const r = await sim.handle({ method: req.method(), url: req.url(), headers: req.headers(), body: req.postData() });
        // The tab may be gone by now (closed mid-call): Zoho ran the call all the same.
        await route.fulfill({ status: r.status, headers: r.headers, body: r.body ?? '' }).catch(() => {});
      } finally {
        load.end(tab);
      }
      return;
    }
    const prefix = Object.keys(DIRS).find((p) => url.pathname.startsWith(p));
    if (!prefix) return route.fulfill({ status: 404, body: 'not found' });
    const file = join(DIRS[prefix], normalize(url.pathname.slice(prefix.length)));
    const body = await readFile(file).catch(() => null);
    return body ? route.fulfill({ status: 200, contentType: TYPES[extname(file)] ?? 'application/octet-stream', body }) : route.fulfill({ status: 404, body: 'not found' });
  });
  return context;
}

/** Opens a tab of the widget; resolves once it has joined the others. */
async function openTab(context, tab, query = '') {
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
  await page.goto(`${ORIGIN}/tabs/page.html?tab=${tab}${query}`);
  await page.waitForFunction(() => document.body.dataset.result || document.body.dataset.error, null, { timeout: 20_000 });
  const error = await page.evaluate(() => document.body.dataset.error);
  assert.equal(error, undefined, `tab ${tab} failed to start: ${error}`);
  return {
    page,
    errors,
    run: (job, n, batchSize) => page.evaluate(([j, k, b]) => window.tabs.run(j, k, b), [job, n, batchSize]),
    role: () => page.evaluate(() => window.tabs.role()),
    stats: () => page.evaluate(() => window.tabs.stats()),
    sharedInFlight: () => page.evaluate(() => window.tabs.sharedInFlight()),
  };
}

const simulator = (latencyMs = 40) => new ZohoSimulator({ edition: 'standard', auth: false, latencyMs, latencyJitterMs: latencyMs / 2, seed: 17, apiDomain: ORIGIN });
const createdOf = (sim, job) => [...(sim.store.get('Leads')?.values() ?? [])].filter((r) => String(r.Email ?? '').startsWith(`${job}.`)).length;

test('tabs: two tabs run jobs at once and together never exceed the org limit', async (t) => {
  const sim = simulator();
  const load = tabLoad();
  const context = await widgetContext(sim, load);
  try {
    const a = await openTab(context, 'a');
    const b = await openTab(context, 'b');
    assert.deepEqual([await a.role(), await b.role()], ['leader', 'follower']);
    const [ra, rb] = await Promise.all([a.run('a', 400, 10), b.run('b', 400, 10)]);
    const s = sim.stats();
    t.diagnostic(`tabs peak in flight ${s.maxInFlight} of ${s.concurrencyLimit}; calls a ${load.calls.a}, b ${load.calls.b}; 429s ${s.tooManyRequests.concurrency}`);
    assert.deepEqual([ra.ok, rb.ok], [400, 400], JSON.stringify([ra.failed, rb.failed]));
    assert.ok(s.maxInFlight <= s.concurrencyLimit, `in flight peaked at ${s.maxInFlight} > ${s.concurrencyLimit}`);
    assert.equal(s.tooManyRequests.concurrency, 0, 'no 429 for concurrency');
    assert.ok(load.overlapped, 'both tabs had calls in flight at the same time');
    // Alone, each tab would take all 10 slots: together they had to share them.
    assert.ok(s.maxInFlight > 6, `the budget was used (peak ${s.maxInFlight})`);
    assert.equal(s.created.Leads, 800);
    assert.equal(s.duplicatesCreated, 0, 'every record once');
    assert.deepEqual([...a.errors, ...b.errors], []);
  } finally {
    await context.close();
  }
});

test('tabs: closing the leader mid-job hands the Guard over; every record once, never above the limit', async (t) => {
  // Calls longer than a new leader's adoption window (100 ms): the closed tab's calls
  // still run at Zoho after it has taken over, and must be counted.
  const sim = simulator(300);
  const load = tabLoad();
  const context = await widgetContext(sim, load);
  try {
    // A short grace for the closed tab's calls: the simulator answers in 300-450 ms.
    const a = await openTab(context, 'a', '&grace=1000');
    const b = await openTab(context, 'b', '&grace=1000');
    assert.equal(await a.role(), 'leader');
    const jobA = a.run('a', 400, 10).catch((e) => ({ closed: String(e.message ?? e).slice(0, 80) }));
    const jobB = b.run('b', 400, 10);
    for (let i = 0; i < 2_000 && sim.stats().calls < 20; i++) await new Promise((r) => setTimeout(r, 10));
    const aInFlight = load.now.a ?? 0;
    await a.page.close();
    assert.ok((await jobA).closed, 'the leader tab closed mid-job');
    // The next tab took the lead; a new tab follows it and runs a job of its own meanwhile.
    for (let i = 0; i < 2_000 && (await b.role()) !== 'leader'; i++) await new Promise((r) => setTimeout(r, 10));
    assert.equal(await b.role(), 'leader', 'the next tab took the lead');
    const c = await openTab(context, 'c', '&grace=1000');
    assert.equal(await c.role(), 'follower');
    const [rb, rc] = await Promise.all([jobB, c.run('c', 200, 10)]);
    const s = sim.stats();
    const bStats = await b.stats();
    t.diagnostic(`handover: a closed with ${aInFlight} calls in flight after ${load.calls.a} calls; b took the lead (adopted ${bStats.adopted}); peak in flight ${s.maxInFlight} of ${s.concurrencyLimit}; 429s ${s.tooManyRequests.concurrency}`);
    assert.deepEqual([rb.ok, rc.ok], [400, 200], JSON.stringify([rb.failed, rc.failed]));
    assert.ok(s.maxInFlight <= s.concurrencyLimit, `in flight peaked at ${s.maxInFlight} > ${s.concurrencyLimit}`);
    assert.equal(s.tooManyRequests.concurrency, 0, 'no 429 for concurrency');
    assert.equal(bStats.leaderships, 1);
    assert.ok(load.calls.c > 0 && load.calls.b > 0);
    assert.equal(s.duplicatesCreated, 0, 'every record once');
    assert.deepEqual([createdOf(sim, 'b'), createdOf(sim, 'c')], [400, 200]);
    assert.ok(createdOf(sim, 'a') < 400, 'the closed tab stopped');
    assert.deepEqual([...b.errors, ...c.errors], []);
  } finally {
    await context.close();
  }
});

test('tabs: a follower tab closed mid-job has its slots taken back once its calls can no longer run', async (t) => {
  const sim = simulator(100);
  const load = tabLoad();
  const context = await widgetContext(sim, load);
  try {
    const a = await openTab(context, 'a', '&grace=1000');
    const b = await openTab(context, 'b', '&grace=1000');
    const jobA = a.run('a', 300, 10);
    const jobB = b.run('b', 300, 10).catch(() => 'closed');
    for (let i = 0; i < 2_000 && (load.calls.b ?? 0) < 5; i++) await new Promise((r) => setTimeout(r, 10));
    const bInFlight = load.now.b;
    await b.page.close();
    assert.equal(await jobB, 'closed');
    const ra = await jobA;
    // The closed tab's slots come back after the grace, not before (its calls may still run).
    for (let i = 0; i < 200 && (await a.sharedInFlight()) > 0; i++) await new Promise((r) => setTimeout(r, 50));
    assert.equal(await a.sharedInFlight(), 0, 'nothing held once every call ended');
    const stats = await a.stats();
    const s = sim.stats();
    t.diagnostic(`b closed with ${bInFlight} calls in flight; a took back ${stats.reclaimed} slots; peak in flight ${s.maxInFlight} of ${s.concurrencyLimit}`);
    assert.equal(ra.ok, 300, JSON.stringify(ra.failed));
    assert.ok(stats.reclaimed > 0, 'slots of the closed tab were taken back');
    assert.equal(stats.role, 'leader');
    assert.ok(s.maxInFlight <= s.concurrencyLimit, `in flight peaked at ${s.maxInFlight} > ${s.concurrencyLimit}`);
    assert.equal(s.tooManyRequests.concurrency, 0);
    assert.equal(s.duplicatesCreated, 0, 'every record once');
    assert.deepEqual(a.errors, []);
  } finally {
    await context.close();
  }
});
