// `make demo`'s page in headless Chromium (playwright-core + Debian Chromium): the limits
// panel, then a 2,000-record job with faults against the simulator running in the page,
// its counts checked against the simulator's own, the charts, the GraphQL analyser, and
// screenshots under test-results/ (git-ignored). No console errors anywhere.
//
// The job and GraphQL parts need the client, the Guard and the analyser in the built
// package: a missing one fails the test.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { startServer } from '../../scripts/serve.mjs';
import { launchChromium, openPage } from '../js/chromium.mjs';

const RESULTS = fileURLToPath(new URL('../../test-results/demo/', import.meta.url));
/** A 2,000-record job with every fault, at a seed and latency that keep it short. */
const JOB = { records: '2000', 'batch-size': '25', invalid: '0.02', latency: '80', seed: '7', 'f-429': '0.1', 'f-5xx': '0.08', 'f-token': '0.02', 'f-drop': '0.02', 'f-locked': '0' };
/** The job finishes in seconds; this bound only stops a hung run. */
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

test('demo: served with the right types and a strict CSP', async () => {
  const res = await fetch(`${server.url}pkg/web/zcrm_guard_bg.wasm`);
  assert.equal(res.headers.get('content-type'), 'application/wasm');
  assert.match(res.headers.get('content-security-policy') ?? '', /script-src 'self' 'wasm-unsafe-eval'/);
  const sim = await fetch(`${server.url}tools/zoho-sim/index.mjs`);
  assert.equal(sim.status, 200, 'the simulator core is served for the page');
  assert.match(sim.headers.get('content-type') ?? '', /text\/javascript/);
});

test('demo: the limits panel shows the limits of the chosen edition', async () => {
  const { page, errors } = await openPage(browser, server.url);
  await page.waitForSelector('body[data-ready="true"]');
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
  for (const id of ['edition', 'licenses', 'records', 'f-429', 'start']) assert.ok(seen.includes(id), `Tab reaches #${id}: ${seen.join(' ')}`);
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

test('demo: a 2,000-record job with faults ends with the simulator agreeing', async () => {
  const { page, errors } = await readyPage({ width: 1280, height: 900 });
  await page.selectOption('#edition', 'standard');
  await page.fill('#licenses', '10');
  await page.selectOption('#operation', 'insert');
  for (const [id, value] of Object.entries(JOB)) await page.fill(`#${id}`, value);
  await page.focus('#start');
  await page.keyboard.press('Enter'); // by keyboard, as a user could
  await page.waitForSelector('body[data-job="running"]');
  await page.waitForFunction(() => document.body.dataset.job !== 'running', null, { timeout: JOB_TIMEOUT_MS });
  assert.equal(await page.evaluate(() => document.body.dataset.job), 'done', await page.locator('#job-status').innerText());

  const ok = await number(page, 'count-ok');
  const failed = await number(page, 'count-failed');
  const pending = await number(page, 'count-pending');
  const rejected = await number(page, 'count-rejected');
  const created = await number(page, 'sim-created');
  assert.equal(ok + failed, 2000, 'one final result per record');
  assert.equal(pending, 0);
  assert.equal(ok, created, 'every record reported ok was created, as the simulator counted');
  assert.equal(await number(page, 'sim-duplicates'), 0, 'no record created twice');
  assert.ok(rejected > 0 && rejected <= failed, `invalid records rejected before sending: ${rejected}`);
  const maxInFlight = await number(page, 'sim-max-inflight');
  assert.ok(maxInFlight >= 1 && maxInFlight <= (await number(page, 'sim-limit')), `in flight peaked at ${maxInFlight}`);
  assert.ok((await number(page, 'sim-faults')) > 0, 'faults were injected');
  assert.ok((await number(page, 'sim-429-injected')) > 0, '429s were injected');
  assert.ok((await number(page, 'count-retries')) > 0, 'the Guard ordered retries');

  // The charts rendered: points, limit lines and one bar per call sent.
  const points = Number(await page.getAttribute('#chart-inflight', 'data-points'));
  assert.ok(points > 5, `in-flight chart has ${points} samples`);
  assert.ok((await page.locator('#chart-inflight path.series').count()) >= 1);
  assert.equal(await page.locator('#chart-inflight line.limit').count(), 2, 'the edition limit and the complex pool');
  assert.ok((await page.locator('#chart-credits path.series').count()) >= 1);
  assert.match(await page.locator('#credits-figures').innerText(), /used and [\d,]+ remaining/);
  assert.equal(Number(await page.getAttribute('#chart-timeline', 'data-bars')), await number(page, 'count-calls'));
  assert.ok((await page.locator('#chart-timeline rect.bar.done').count()) > 0);

  // The results table: every row at first, then filtered to one error code.
  assert.ok((await page.locator('#results tbody tr').count()) > 0);
  const codes = await page.locator('#results-filter option').evaluateAll((os) => os.map((o) => o.value));
  const code = codes.find((c) => c && c !== '!ok' && c !== 'SUCCESS');
  assert.ok(code, `a failure code to filter by: ${codes.join(', ')}`);
  await page.selectOption('#results-filter', code);
  const shownCodes = await page.locator('#results tbody tr td:nth-child(3)').allInnerTexts();
  assert.ok(shownCodes.length > 0 && shownCodes.every((c) => c === code), `filtered to ${code}`);
  await page.screenshot({ path: `${RESULTS}job.png`, fullPage: true });
  // The README's picture: the job panel and its live views (docs/demo.png is a copy).
  const bottom = await page.evaluate(() => document.getElementById('results-h').getBoundingClientRect().top + window.scrollY);
  await page.screenshot({ path: `${RESULTS}demo.png`, fullPage: true, clip: { x: 0, y: 0, width: 1280, height: Math.round(bottom) } });
  assert.deepEqual(errors, []);
  await page.close();
});

test('demo: Pause aborts cleanly and Start resumes with the records not sent', async () => {
  const { page, errors } = await readyPage();
  // Free edition (5 calls at once) and slow calls: the job takes seconds, so Pause lands mid-way.
  await page.selectOption('#edition', 'free');
  for (const [id, value] of Object.entries({ ...JOB, latency: '400', 'batch-size': '10', 'f-429': '0', 'f-5xx': '0', 'f-drop': '0', 'f-token': '0' })) await page.fill(`#${id}`, value);
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
  for (const [id, value] of Object.entries({ ...JOB, records: '300', latency: '400', 'batch-size': '10' })) await page.fill(`#${id}`, value);
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

  for (const [id, value] of Object.entries({ records: '100', latency: '20' })) await page.fill(`#${id}`, value);
  await page.click('#start');
  await page.waitForFunction(() => document.body.dataset.job === 'done', null, { timeout: JOB_TIMEOUT_MS });
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

test('demo: the Real Zoho panel explains CORS, and a probe is refused by the CSP without leaking the token', async () => {
  const { page, errors } = await readyPage();
  assert.match(await page.locator('#real-zoho').innerText(), /CORS/);
  assert.match(await page.locator('#real-zoho').innerText(), /widget/);
  const token = 'secret-token-8d1f';
  await page.fill('#real-token', token);
  await page.click('#real-try');
  await page.waitForFunction(() => !document.getElementById('real-status').textContent.startsWith('The token stays'), null, { timeout: JOB_TIMEOUT_MS });
  assert.match(await page.locator('#real-status').innerText(), /blocked the call/);
  // The only console errors are the browser's CSP refusals, and none carries the token.
  assert.ok(errors.length > 0 && errors.every((e) => /Content Security Policy/.test(e)), errors.join('\n'));
  assert.ok(errors.every((e) => !e.includes(token)));
  assert.ok(!(await page.locator('body').innerText()).includes(token), 'the token is never shown');
  await page.close();
});
