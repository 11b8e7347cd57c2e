// examples/worker as a user installs and deploys it: `npm ci` (the local build through
// `file:../../pkg`, wrangler at its pinned version), then `wrangler deploy --dry-run`,
// whose bundle must carry the package's wasm as a module import.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT, PKG } from './tarball.mjs';

const EXAMPLE = join(ROOT, 'examples/worker');
const run = (cmd, args, env = {}) => {
  try {
    return execFileSync(cmd, args, { cwd: EXAMPLE, encoding: 'utf8', stdio: 'pipe', env: { ...process.env, ...env } });
  } catch (e) {
    throw new Error(`${cmd} ${args.join(' ')} failed:\n${e.stdout}\n${e.stderr}`);
  }
};

test('examples/worker installs the local build and a wrangler that runs on Node 20', () => {
  run('npm', ['ci', '--no-audit', '--no-fund']);
  assert.equal(realpathSync(join(EXAMPLE, 'node_modules/zcrm-guard')), realpathSync(PKG), 'zcrm-guard is the local build');
  const example = JSON.parse(readFileSync(join(EXAMPLE, 'package.json'), 'utf8'));
  assert.match(example.devDependencies.wrangler, /^\d+\.\d+\.\d+$/, 'wrangler pinned to an exact version');
  const wrangler = JSON.parse(readFileSync(join(EXAMPLE, 'node_modules/wrangler/package.json'), 'utf8'));
  assert.equal(wrangler.version, example.devDependencies.wrangler);
  // The same workerd as the repository's Miniflare tests, and no newer (later ones need Node 22).
  const root = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
  assert.equal(wrangler.dependencies.miniflare, root.devDependencies.miniflare);
});

test('wrangler deploy --dry-run bundles the Worker with the wasm as a module', () => {
  const out = mkdtempSync(join(tmpdir(), 'zcrm-worker-'));
  try {
    const log = run(join(EXAMPLE, 'node_modules/.bin/wrangler'), ['deploy', '--dry-run', '--outdir', out], { WRANGLER_SEND_METRICS: 'false' });
    assert.match(log, /--dry-run: exiting now/);
    assert.match(log, /env\.ORG_GUARD \(OrgGuard\)\s+Durable Object/);
    const files = readdirSync(out);
    const wasm = files.filter((f) => f.endsWith('.wasm'));
    assert.equal(wasm.length, 1, `one wasm module in ${files}`);
    assert.ok(readFileSync(join(out, wasm[0])).equals(readFileSync(join(PKG, 'web/zcrm_guard_bg.wasm'))), 'the package\'s wasm, unchanged');
    const bundle = readFileSync(join(out, 'index.js'), 'utf8');
    assert.match(bundle, new RegExp(`^import \\w+ from "\\./${wasm[0].replace(/\./g, '\\.')}";$`, 'm'), 'imported as a compiled module (CompiledWasm rule)');
    assert.match(bundle, /export\s*\{[^}]*\bOrgGuard\b/, 'the Durable Object class is exported');
    assert.doesNotMatch(bundle, /wasm_base64|fromBase64/, 'the workerd entry, not the inline one');
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
});
