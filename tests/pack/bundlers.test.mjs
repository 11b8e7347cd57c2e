// Vite, webpack 5, esbuild and Rollup each bundle a page that imports the package by
// name, installed from the packed tarball, with exactly the configuration that
// docs/bundlers.md gives (none, apart from Rollup's usual node-resolve plugin); the page
// then runs in headless Chromium: init(), classify, a Guard, a client insert.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { copyFileSync, cpSync, existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { launchChromium } from '../js/chromium.mjs';
import { openServed, bodyResult } from './pages.mjs';
import { ROOT, installConsumer } from './tarball.mjs';

const WORK = join(ROOT, 'target/bundlers');
const bin = (name) => join(ROOT, 'node_modules/.bin', name);
const EXPECTED = { outcome: 'success', admitted: true, action: 'done', insert: 'SUCCESS' };
const WASM = 'node_modules/zcrm-guard/web/zcrm_guard_bg.wasm';

/** Runs a bundler in the consumer folder; its output is shown only when it fails. */
function build(cmd, args) {
  const t = Date.now();
  try {
    execFileSync(cmd, args, { cwd: WORK, encoding: 'utf8', stdio: 'pipe' });
  } catch (e) {
    throw new Error(`${cmd} ${args.join(' ')} failed:\n${e.stdout}\n${e.stderr}`);
  }
  return Date.now() - t;
}

/** An index.html for a bundler that writes only JavaScript. */
function page(dir, { module }) {
  writeFileSync(join(WORK, dir, 'index.html'), `<!doctype html><meta charset="utf-8"><title>bundle</title><script ${module ? 'type="module" ' : ''}src="./main.js"></script><body></body>\n`);
}

let browser;
before(async () => {
  installConsumer(WORK);
  cpSync(join(ROOT, 'tests/pack/bundlers'), WORK, { recursive: true });
  browser = await launchChromium();
});
after(async () => {
  await browser?.close();
});

/**
 * Opens the build in Chromium and checks what it reports, and how the wasm arrived:
 * `asset` (a .wasm file fetched next to the bundle) or `inline` (no .wasm request).
 */
async function runs(name, dir, wasm) {
  const { page: p, errors, served } = await openServed(browser, { origin: `http://${name}.test`, dir: join(WORK, dir) });
  try {
    assert.deepEqual(await bodyResult(p), EXPECTED, `${name}: the page's calls`);
    const wasmRequests = served.filter((path) => path.endsWith('.wasm'));
    assert.equal(wasmRequests.length, wasm === 'asset' ? 1 : 0, `${name}: wasm ${wasm} (${served.join(', ')})`);
    assert.deepEqual(errors, [], `${name}: no console error, no failed request`);
  } finally {
    await p.close();
  }
}

test('Vite: no configuration, the default entry; the .wasm is emitted as an asset', async () => {
  const ms = build(bin('vite'), ['build', '--outDir', 'dist-vite', '--logLevel', 'warn']);
  await runs('vite', 'dist-vite', 'asset');
  console.log(`vite build: ${ms} ms`);
});

test('webpack 5: no configuration, the default entry; the .wasm is emitted as an asset', async () => {
  const ms = build(bin('webpack'), ['--mode', 'production', '--output-path', 'dist-webpack']);
  page('dist-webpack', { module: false });
  await runs('webpack', 'dist-webpack', 'asset');
  console.log(`webpack: ${ms} ms`);
});

test('esbuild: no configuration, zcrm-guard/inline; the wasm travels inside the bundle', async () => {
  const ms = build(bin('esbuild'), ['src/inline.js', '--bundle', '--format=esm', '--outfile=dist-esbuild/main.js', '--log-level=warning']);
  page('dist-esbuild', { module: true });
  await runs('esbuild', 'dist-esbuild', 'inline');
  console.log(`esbuild: ${ms} ms`);
});

test('Rollup: node-resolve only, zcrm-guard/inline; the wasm travels inside the bundle', async () => {
  const ms = build(bin('rollup'), ['src/inline.js', '--dir', 'dist-rollup', '--format', 'es', '--entryFileNames', 'main.js', '--plugin', 'node-resolve', '--silent']);
  page('dist-rollup', { module: true });
  await runs('rollup', 'dist-rollup', 'inline');
  console.log(`rollup: ${ms} ms`);
});

test('esbuild and Rollup with the default entry: the .wasm copied next to the bundle is all they need', async () => {
  build(bin('esbuild'), ['src/index.js', '--bundle', '--format=esm', '--outfile=dist-esbuild-asset/main.js', '--log-level=warning']);
  build(bin('rollup'), ['src/index.js', '--dir', 'dist-rollup-asset', '--format', 'es', '--entryFileNames', 'main.js', '--plugin', 'node-resolve', '--silent']);
  for (const [name, dir] of [['esbuild-asset', 'dist-esbuild-asset'], ['rollup-asset', 'dist-rollup-asset']]) {
    page(dir, { module: true });
    // Without the copy the page fails: this is the failure the copy step fixes.
    const { page: p, errors } = await openServed(browser, { origin: `http://${name}.test`, dir: join(WORK, dir) });
    await assert.rejects(bodyResult(p), /failed/, `${name}: without the .wasm next to it`);
    assert.ok(errors.includes('404 /zcrm_guard_bg.wasm'), `${name}: the wasm was looked for next to the bundle (${errors})`);
    await p.close();
    copyFileSync(join(WORK, WASM), join(WORK, dir, 'zcrm_guard_bg.wasm'));
    await runs(name, dir, 'asset');
  }
  assert.ok(existsSync(join(WORK, WASM)));
});
