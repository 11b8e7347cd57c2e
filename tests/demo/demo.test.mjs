// `make demo`'s page in headless Chromium (playwright-core + Debian Chromium): the limits
// panel, the default job exactly as a new user starts it (one click on Start) with the
// storm it must show, its counts checked against the simulator's own, the charts, the
// results explained, Pause/Resume/Reset, the GraphQL analyser, "Try one read", and every
// control clicked with no console error. Screenshots go to test-results/demo/
// (git-ignored) and the default job's to docs/demo.png.
//
// The job and GraphQL parts need the client, the Guard and the analyser in the built
// package: a missing one fails the test.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { startServer, CSP, ZOHO_API_DOMAINS } from '../../scripts/serve.mjs';
import { launchChromium, openPage } from '../js/chromium.mjs';
import { checkExplanations, reconcileOnPage, stormOf } from './demo-checks.mjs';

const RESULTS = fileURLToPath(new URL('../../test-results/demo/', import.meta.url));
const DOCS_PICTURE = fileURLToPath(new URL('../../docs/demo.png', import.meta.url));
/** The viewport of the README's picture and of the height budget: four screens at most. */
const VIEWPORT = { width: 1280, height: 800 };
const MAX_PAGE_HEIGHT = 4 * VIEWPORT.height;
/** A quiet job: no faults, tokens that outlive it (the Pause and Reset tests). */
const QUIET = { 'f-429': '0', 'f-5xx': '0', 'f-drop': '0', 'f-locked': '0', 'token-lifetime': '3600' };
/** The jobs finish in seconds; this bound only stops a hung run. */
const JOB_TIMEOUT_MS = 180_000;

let server;
let browser;
test.before(async () => {
  mkdirSync(RESULTS, { recursive: true });
  server = await startServer(); // the same server and mounts as `make demo`
  browser = await launchChromium();
});
test.after(async () => {
  await browser?.close();
  await server?.close();
});

const number = async (page, id) => Number(await page.getAttribute(`#${id}`, 'data-value'));

/** The demo page, loaded, with every export the job panel uses (one missing fails the test). */
async function readyPage(viewport) {
  const opened = await openPage(browser, server.url);
  if (viewport) await opened.page.setViewportSize(viewport);
  await opened.page.waitForSelector('body[data-ready="true"]');
  const missing = await opened.page.evaluate(async () => (await import('/engine.js')).missing);
  assert.deepEqual(missing, [], 'the package has every export the demo uses');
  return opened;
}

async function fill(page, settings) {
  for (const [id, value] of Object.entries(settings)) await page.fill(`#${id}`, value);
}

async function waitForJobEnd(page) {
  await page.waitForFunction(() => document.body.dataset.job !== 'running', null, { timeout: JOB_TIMEOUT_MS });
}

test('demo: served with the right types and a strict CSP that lets it reach Zoho only', async () => {
  const res = await fetch(`${server.url}pkg/web/zcrm_guard_bg.wasm`);
  assert.equal(res.headers.get('content-type'), 'application/wasm');
  const csp = res.headers.get('content-security-policy') ?? '';
  assert.equal(csp, CSP);
  assert.match(csp, /script-src 'self' 'wasm-unsafe-eval'/);
  assert.ok(!csp.includes('*') && !/unsafe-inline/.test(csp), 'no wildcard, no inline script');
  // connect-src: the page itself and Zoho's API domains, exactly the core's data centres.
  const connect = /connect-src ([^;]*)/.exec(csp)[1].split(' ');
  const zg = await import('../../pkg/node.js');
  assert.deepEqual(connect, ["'self'", ...zg.dataCenters().map((dc) => dc.apiDomain)]);
  assert.deepEqual(ZOHO_API_DOMAINS, zg.dataCenters().map((dc) => dc.apiDomain));
  const sim = await fetch(`${server.url}tools/zoho-sim/index.mjs`);
  assert.equal(sim.status, 200, 'the simulator core is served for the page');
  assert.match(sim.headers.get('content-type') ?? '', /text\/javascript/);
});

test('demo: every reason, decision and refusal the package can produce has a sentence on the page', async () => {
  await checkExplanations();
});

test('demo: the limits panel shows the limits of the chosen edition', async () => {
  const { page, errors } = await openPage(browser, server.url);
  await page.waitForSelector('body[data-ready="true"]');
  await page.click('#reference > summary');
  const valueOf = async (label) => page.locator('#limits tr', { hasText: label }).locator('td').innerText();

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
  await page.close();
});

test('demo: keyboard alone reaches the controls in order and Start is a real button', async () => {
  const { page, errors } = await openPage(browser, server.url);
  await page.waitForSelector('body[data-ready="true"]');
  const seen = [];
  for (let i = 0; i < 25; i++) {
    await page.keyboard.press('Tab');
    seen.push(await page.evaluate(() => document.activeElement?.id || document.activeElement?.tagName));
  }
  for (const id of ['edition', 'licenses', 'records', 'f-429', 'token-lifetime', 'start']) assert.ok(seen.includes(id), `Tab reaches #${id}: ${seen.join(' ')}`);
  assert.ok(seen.indexOf('edition') < seen.indexOf('records') && seen.indexOf('records') < seen.indexOf('start'), 'focus order follows the page');
  assert.equal(await page.evaluate(() => document.getElementById('start').tagName), 'BUTTON');
  // Every form control has an accessible name.
  const unnamed = await page.evaluate(() =>
    [...document.querySelectorAll('input, select, textarea, button')].filter((e) => !(e.labels?.length || e.getAttribute('aria-label') || e.textContent.trim())).map((e) => e.id),
  );
  assert.deepEqual(unnamed, []);
  assert.deepEqual(errors, []);
  await page.close();
});

test('demo: Start with the defaults shows the storm, handled, and the page agrees with the simulator', async () => {
  const { page, errors } = await readyPage(VIEWPORT);
  await page.focus('#start');
  await page.keyboard.press('Enter'); // by keyboard, as a user could; nothing else is touched
  await page.waitForSelector('body[data-job="running"]');
  await waitForJobEnd(page);
  assert.equal(await page.evaluate(() => document.body.dataset.job), 'done', await page.locator('#job-status').innerText());
  const seconds = Number(/Finished in ([\d.]+) s/.exec(await page.locator('#job-status').innerText())?.[1]);
  assert.ok(seconds > 0 && seconds < 20, `the default job takes about 10 s: ${seconds} s`);

  // The storm happened, as the simulator counted it.
  const storm = await stormOf(page);
  console.log(`# default job: ${seconds} s, ${JSON.stringify(storm)}`);
  assert.ok(storm.tooManyRequests > 0, '429s answered');
  assert.ok(storm.serverErrors > 0, '5xx answered');
  assert.ok(storm.tokenRefreshes >= 1, 'a token refreshed');
  assert.ok(storm.expiredToken >= 1, 'an expired token answered 401');
  assert.ok(storm.verifiedAfterLostReply >= 1, 'a lost reply verified');
  assert.equal(storm.refreshFailures, 0, 'no token refresh failed');

  // Every figure on the page is the simulator's (or the client's results'), and they agree.
  const r = await reconcileOnPage(page);
  assert.equal(r.ok + r.failed, 2000, 'one final result per record');
  assert.equal(await number(page, 'count-pending'), 0);
  assert.equal(r.okExisting, 0, 'an insert: every record reported ok was created by this job');
  assert.equal(r.created, r.okNew + r.failedCreated + r.duplicates, 'created = ok and new + written but reported failed + duplicates');
  assert.equal(r.duplicates, 0, 'no record created twice');
  assert.ok(r.rejected > 0 && r.rejected <= r.failed, `invalid records rejected before sending: ${r.rejected}`);
  const maxInFlight = await number(page, 'sim-max-inflight');
  assert.ok(maxInFlight >= 1 && maxInFlight <= (await number(page, 'sim-limit')), `in flight peaked at ${maxInFlight}`);
  assert.ok((await number(page, 'count-retries')) > 0, 'the Guard ordered retries');
  assert.match(await page.locator('#reconcile').innerText(), /verified after a lost reply/);

  // The charts: drawn at the screen's resolution, the effective limit against in flight.
  const inflight = await page.locator('#chart-inflight').evaluate((c) => ({ ...c.dataset, w: c.width, h: c.height, cw: c.clientWidth, ch: c.clientHeight, dpr: devicePixelRatio }));
  assert.ok(Number(inflight.points) > 5, `in-flight chart has ${inflight.points} points`);
  assert.deepEqual(inflight.series.split(' '), ['inFlight', 'effectiveLimit'], 'in flight and the Guard’s effective limit');
  assert.equal(inflight.limits, '2', 'the edition limit and the complex pool');
  assert.equal(inflight.w, Math.round(inflight.cw * inflight.dpr), 'canvas width in device pixels');
  assert.equal(inflight.h, Math.round(inflight.ch * inflight.dpr), 'canvas height in device pixels');
  assert.match(await page.getAttribute('#chart-credits', 'data-series'), /creditsUsed/);
  assert.match(await page.locator('#credits-figures').innerText(), /used, [\d,]+ of [\d,]+ left/);
  assert.equal(Number(await page.getAttribute('#chart-timeline', 'data-bars')), await number(page, 'count-calls'));
  assert.ok(JSON.parse(await page.getAttribute('#chart-timeline', 'data-actions')).done > 0);
  // Every failed reply the simulator (or the storm in front of it) gave is marked on its bar.
  assert.equal(Number(await page.getAttribute('#chart-timeline', 'data-failed-replies')), storm.tooManyRequests + storm.serverErrors + storm.dropped + storm.expiredToken);
  assert.ok((await page.locator('#decision-figures .key').count()) >= 3, 'decisions explained in the legend');

  // The results: collapsed, one explained line per outcome, reason and code.
  const groups = await page.locator('#results details.group').evaluateAll((ds) => ds.map((d) => ({ ...d.dataset, open: d.open, why: d.querySelector('.why').textContent })));
  assert.equal(groups.reduce((n, g) => n + Number(g.count), 0), 2000);
  assert.ok(groups.every((g) => !g.open), 'collapsed');
  assert.ok(groups.some((g) => g.reason === 'verified_after_lost_reply'), groups.map((g) => g.reason).join(', '));
  for (const g of groups) assert.ok(g.why.length > 20 && !g.why.includes('Final for the reason'), `${g.reason}/${g.code} explained: ${g.why}`);
  const failure = page.locator('#results details.group[data-outcome="failed"]').first();
  const code = await failure.getAttribute('data-code');
  await failure.locator('summary').click();
  // The rows are drawn on `toggle`, which the browser fires in a task after the click.
  await failure.locator('tbody tr').first().waitFor();
  const shownCodes = await failure.locator('tbody tr td:nth-child(2)').allInnerTexts();
  assert.ok(shownCodes.length > 0 && shownCodes.every((c) => c === code), `opened to its ${code} rows: ${[...new Set(shownCodes)].join(", ")}`);
  await failure.locator('summary').click();

  const height = await page.evaluate(() => document.documentElement.scrollHeight);
  console.log(`# page height after the default job: ${height} px`);
  assert.ok(height <= MAX_PAGE_HEIGHT, `the page fits in four screens: ${height} px`);
  await page.screenshot({ path: `${RESULTS}job.png`, fullPage: true });
  // The README's picture: the job, its live views and its explained results.
  const bottom = await page.evaluate(() => document.getElementById('guard-details').getBoundingClientRect().top + window.scrollY);
  await page.screenshot({ path: `${RESULTS}demo.png`, fullPage: true, clip: { x: 0, y: 0, width: VIEWPORT.width, height: Math.round(bottom) } });
  copyFileSync(`${RESULTS}demo.png`, DOCS_PICTURE);
  assert.deepEqual(errors, []);
  await page.close();
});

test('demo: charts are drawn at devicePixelRatio 2 without stretching', async () => {
  const context = await browser.newContext({ deviceScaleFactor: 2, viewport: VIEWPORT });
  const page = await context.newPage();
  await page.goto(server.url);
  await page.waitForSelector('body[data-ready="true"]');
  for (const id of ['chart-inflight', 'chart-credits', 'chart-timeline']) {
    const c = await page.locator(`#${id}`).evaluate((e) => ({ w: e.width, h: e.height, cw: e.clientWidth, ch: e.clientHeight }));
    assert.equal(c.w, c.cw * 2, `${id} width`);
    assert.equal(c.h, c.ch * 2, `${id} height`);
  }
  await context.close();
});

test('demo: Pause aborts cleanly and Start resumes with the records not sent', async () => {
  const { page, errors } = await readyPage();
  // Free edition (5 calls at once) and slow calls: the job takes seconds, so Pause lands mid-way.
  await page.selectOption('#edition', 'free');
  await fill(page, { ...QUIET, latency: '400', 'batch-size': '10' });
  await page.click('#start');
  await page.waitForFunction(() => Number(document.getElementById('count-ok').dataset.value) > 0, null, { timeout: JOB_TIMEOUT_MS });
  assert.equal(await page.evaluate(() => document.body.dataset.job), 'running', 'still running when paused');
  await page.click('#pause');
  await page.waitForSelector('body[data-job="paused"]', { timeout: JOB_TIMEOUT_MS });
  const ok = await number(page, 'count-ok');
  const pending = await number(page, 'count-pending');
  assert.ok(pending > 0, 'paused before the end');
  assert.equal(ok + (await number(page, 'count-failed')) + pending, 2000);
  assert.equal(await number(page, 'sim-created'), ok, 'nothing in flight was forgotten');
  assert.equal(await page.locator('#start').innerText(), 'Resume');
  const notSent = page.locator('#results details.group[data-outcome="not sent"]');
  assert.equal(Number(await notSent.getAttribute('data-count')), pending, 'the records not sent are one explained line');
  assert.match(await notSent.locator('.why').innerText(), /paused or cancelled/);

  await page.click('#start');
  await page.waitForFunction(() => document.body.dataset.job === 'done', null, { timeout: JOB_TIMEOUT_MS });
  const okAfter = await number(page, 'count-ok');
  assert.equal(okAfter + (await number(page, 'count-failed')), 2000);
  assert.equal(await number(page, 'sim-created'), okAfter);
  assert.equal(await number(page, 'sim-duplicates'), 0, 'resuming sent nothing twice');
  assert.deepEqual(errors, []);
  await page.close();
});

test('demo: Reset in the middle of a job leaves a clean page, and a new job runs', async () => {
  const { page, errors } = await readyPage();
  await page.selectOption('#edition', 'free');
  await fill(page, { records: '300', latency: '400', 'batch-size': '10' });
  await page.click('#start');
  await page.waitForFunction(() => Number(document.getElementById('count-calls').dataset.value) > 0);
  await page.click('#reset');
  assert.equal(await page.evaluate(() => document.body.dataset.job), 'idle');
  assert.equal(await number(page, 'count-ok'), 0);
  assert.equal(await page.locator('#job-status').innerText(), 'Ready.');
  // The aborted job winding down must not overwrite the fresh state.
  await page.waitForTimeout(1_500);
  assert.equal(await page.evaluate(() => document.body.dataset.job), 'idle');
  assert.equal(await page.locator('#job-status').innerText(), 'Ready.');

  await fill(page, { records: '100', latency: '20' });
  await page.click('#start');
  await waitForJobEnd(page);
  assert.equal(await page.evaluate(() => document.body.dataset.job), 'done');
  assert.equal((await number(page, 'count-ok')) + (await number(page, 'count-failed')), 100);
  assert.deepEqual(errors, []);
  await page.close();
});

test('demo: the GraphQL analyser shows figures and violations with their paths', async () => {
  const { page, errors } = await readyPage();
  assert.ok(await page.evaluate(async () => Boolean((await import('/engine.js')).analyzeGraphql)), 'the package has analyzeGraphql');
  await page.click('#gql-analyse');
  await page.waitForFunction(() => document.body.dataset.graphql);
  assert.equal(await page.evaluate(() => document.body.dataset.graphql), 'ok', await page.locator('#gql-status').innerText());
  assert.match(await page.locator('#gql-credits').innerText(), /^\d/);
  assert.match(await page.locator('#gql-complexity').innerText(), /^\d/);

  await page.click('#gql-example');
  await page.waitForFunction(() => document.body.dataset.graphql === 'violations');
  const rows = await page.locator('#gql-violations tbody tr').count();
  assert.ok(rows >= 1, 'the bad query has violations');
  const paths = await page.locator('#gql-violations tbody tr td:nth-child(2)').allInnerTexts();
  assert.ok(paths.some((p) => p.includes('.')), `violations name their paths: ${paths.join(' | ')}`);
  await page.locator('#graphql-panel').screenshot({ path: `${RESULTS}graphql.png` });
  assert.deepEqual(errors, []);
  await page.close();
});

/** Clicks "Try one read" and waits for its answer. */
async function tryRead(page) {
  await page.evaluate(() => delete document.body.dataset.read);
  await page.click('#real-try');
  await page.waitForFunction(() => ['ok', 'error'].includes(document.body.dataset.read), null, { timeout: JOB_TIMEOUT_MS });
  return { cls: await page.evaluate(() => document.body.dataset.read), text: await page.locator('#real-status').innerText() };
}

test('demo: "Try one read" reads from the simulator, and from Zoho when Zoho answers the page', async () => {
  const { page, errors } = await readyPage();
  assert.match(await page.locator('#real-zoho').innerText(), /CORS/);
  assert.match(await page.locator('#real-zoho').innerText(), /widget/);
  // The default target: the simulator in the page, under the page's own CSP.
  const fromSimulator = await tryRead(page);
  assert.equal(fromSimulator.cls, 'ok');
  assert.match(fromSimulator.text, /^The simulator answered 200: 1 record \(Lead read\d\)\. The Guard's decision: done \(success\)\.$/);
  assert.deepEqual(errors, [], 'no CSP refusal, no error');

  // A real org whose client-based app registered this origin: Zoho (here, a stand-in
  // answering for www.zohoapis.eu) gets the token in the Authorization header only.
  const token = 'secret-token-8d1f';
  const sent = [];
  await page.route('https://www.zohoapis.eu/**', (route) => {
    sent.push({ url: route.request().url(), auth: route.request().headers().authorization });
    route.fulfill({ status: 200, headers: { 'content-type': 'application/json', 'access-control-allow-origin': new URL(server.url).origin }, body: JSON.stringify({ data: [{ id: '1', Last_Name: 'Lovelace' }], info: { more_records: false } }) });
  });
  await page.selectOption('#real-target', 'zoho');
  await page.fill('#real-domain', 'https://www.zohoapis.eu');
  await page.fill('#real-token', token);
  assert.deepEqual(await tryRead(page), { cls: 'ok', text: "Zoho answered 200: 1 record (Lovelace). The Guard's decision: done (success)." });
  assert.deepEqual(sent, [{ url: 'https://www.zohoapis.eu/crm/v8/Leads?per_page=1&fields=Last_Name%2CEmail', auth: `Zoho-oauthtoken ${token}` }]);
  assert.deepEqual(errors, []);

  // A domain that is not Zoho's is refused before any call.
  await page.fill('#real-domain', 'https://evil.example');
  const refused = await tryRead(page);
  assert.equal(refused.cls, 'error');
  assert.match(refused.text, /only to Zoho's API domains/);
  assert.equal(sent.length, 1);

  // Zoho not answering this origin: the page says the browser blocked it, and why.
  await page.unroute('https://www.zohoapis.eu/**');
  await page.route('https://www.zohoapis.eu/**', (route) => route.abort('accessdenied'));
  await page.fill('#real-domain', 'https://www.zohoapis.eu');
  const blocked = await tryRead(page);
  assert.equal(blocked.cls, 'error');
  assert.match(blocked.text, /browser blocked it.*CORS/);
  // The only console errors are the browser's own refusal, and none carries the token.
  assert.ok(errors.length > 0 && errors.every((e) => /net::ERR_ACCESS_DENIED|CORS/.test(e)), errors.join('\n'));
  assert.ok(errors.every((e) => !e.includes(token)));
  assert.ok(!(await page.locator('body').innerText()).includes(token), 'the token is never shown');
  await page.close();
});

test('demo: every control does something sensible, with no console error', async () => {
  const { page, errors } = await readyPage(VIEWPORT);
  const clicked = new Set();
  const click = async (selector) => {
    const keys = await page.locator(selector).evaluateAll((es) => es.map((e) => e.id || `${e.closest('[id]').id} ${e.tagName.toLowerCase()}`));
    for (let i = 0; i < keys.length; i++) await page.locator(selector).nth(i).click();
    keys.forEach((k) => clicked.add(k));
  };
  const choose = async (id, value) => {
    await page.selectOption(`#${id}`, value);
    clicked.add(id);
  };

  await choose('edition', 'professional');
  await page.waitForFunction(() => document.getElementById('edition-name').textContent === 'professional');
  await choose('operation', 'upsert');
  await fill(page, { records: '400', latency: '300' });
  await click('#start');
  await page.waitForFunction(() => Number(document.getElementById('count-calls').dataset.value) > 2);
  await click('#pause');
  await page.waitForSelector('body[data-job="paused"]', { timeout: JOB_TIMEOUT_MS });
  await click('#start'); // resumes
  await waitForJobEnd(page);
  assert.equal(await page.evaluate(() => document.body.dataset.job), 'done', await page.locator('#job-status').innerText());
  // An upsert: ok = new + already there; the reconciliation says so.
  const r = await reconcileOnPage(page);
  assert.equal(r.ok + r.failed, 400);
  assert.ok(r.okExisting > 0, 'a quarter of the records existed: updated');
  assert.equal(r.created, r.okNew + r.failedCreated + r.duplicates);
  assert.match(await page.locator('#reconcile').innerText(), /already in Zoho/);

  await click('#results details.group > summary');
  assert.equal(await page.locator('#results details.group[open]').count(), await page.locator('#results details.group').count(), 'every result line opens');
  await click('#guard-details > summary');
  assert.match(await page.locator('#guard-snapshot').innerText(), /"effectiveLimit"/);
  await click('#reference > summary');
  assert.ok(await page.locator('#limits').isVisible());
  await click('#gql-analyse');
  await page.waitForFunction(() => document.body.dataset.graphql === 'ok');
  await click('#gql-example');
  await page.waitForFunction(() => document.body.dataset.graphql === 'violations');
  await click('#real-try');
  await page.waitForFunction(() => document.body.dataset.read === 'ok');
  await choose('real-target', 'zoho');
  assert.equal(await page.locator('#real-token').isEnabled(), true, 'the token field opens for a real org');
  await click('#reset');
  assert.equal(await page.evaluate(() => document.body.dataset.job), 'idle');

  const controls = await page.evaluate(() => [...document.querySelectorAll('button, select, summary')].map((e) => e.id || `${e.closest('[id]').id} ${e.tagName.toLowerCase()}`));
  assert.deepEqual([...new Set(controls)].filter((c) => !clicked.has(c)), [], 'every control was exercised');
  assert.deepEqual(errors, []);
  await page.close();
});
