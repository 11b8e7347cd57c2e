// Opens a page of built files in Chromium with no server and no network: requests to
// `origin` are answered from `dir`, URLs in `extra` with their canned body, and any
// other request is aborted and recorded as an error.
import { readFile } from 'node:fs/promises';
import { extname, join, normalize } from 'node:path';

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.wasm': 'application/wasm',
};

/**
 * @param {import('playwright-core').Browser} browser
 * @param {{ origin: string, dir: string, path?: string, extra?: Record<string, { type: string, body: string }>,
 *   beforeLoad?: (page: import('playwright-core').Page) => Promise<void> }} site
 */
export async function openServed(browser, { origin, dir, path = '/index.html', extra = {}, beforeLoad }) {
  const page = await browser.newPage();
  await beforeLoad?.(page);
  /** @type {string[]} */
  const errors = [];
  /** @type {string[]} paths requested from `origin` */
  const served = [];
  page.on('console', (msg) => {
    if (msg.type() === 'error') errors.push(msg.text());
  });
  page.on('pageerror', (err) => errors.push(String(err)));
  await page.route('**/*', async (route) => {
    const url = new URL(route.request().url());
    const canned = extra[url.href];
    if (canned) return route.fulfill({ status: 200, contentType: canned.type, body: canned.body });
    if (url.origin !== origin) {
      errors.push(`blocked request to ${url.href}`);
      return route.abort();
    }
    served.push(url.pathname);
    const file = join(dir, normalize(decodeURIComponent(url.pathname)));
    try {
      return await route.fulfill({ status: 200, contentType: TYPES[extname(file)] ?? 'application/octet-stream', body: await readFile(file) });
    } catch {
      errors.push(`404 ${url.pathname}`);
      return route.fulfill({ status: 404, body: 'not found' });
    }
  });
  await page.goto(origin + path);
  return { page, errors, served };
}

/** Waits for the page's `<body data-result>` (or `data-error`) and returns it parsed. */
export async function bodyResult(page, timeout = 20_000) {
  await page.waitForFunction(() => document.body?.dataset.result || document.body?.dataset.error, null, { timeout });
  const { result, error } = await page.evaluate(() => ({ ...document.body.dataset }));
  if (error) throw new Error(`the page failed: ${error}`);
  return JSON.parse(result);
}
