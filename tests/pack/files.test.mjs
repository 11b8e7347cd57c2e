// What the npm package ships (`npm pack --dry-run` of pkg/): exactly what users need,
// nothing more (no tests, maps or wasm-bindgen .d.ts); true metadata; both licenses;
// the changelog; and the inline entry instantiating from its own bytes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, PKG } from './tarball.mjs';

const pkgJson = JSON.parse(readFileSync(join(PKG, 'package.json'), 'utf8'));
const shipped = JSON.parse(execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: PKG, encoding: 'utf8' }))[0].files.map((f) => f.path);

/** Files under a folder of the repository, relative to it, with a given ending. */
const filesUnder = (dir, ending) =>
  readdirSync(join(ROOT, dir), { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && e.name.endsWith(ending))
    .map((e) => join(e.parentPath, e.name).slice(join(ROOT, dir).length + 1))
    .sort();

/** Every file the package must ship: the entries, lib/, types/, both wasm builds with their glue and snippets, docs, licenses. */
function expectedFiles() {
  const snippets = (build) => filesUnder(`pkg/${build}/snippets`, '.js').map((f) => `${build}/snippets/${f}`);
  return [
    'package.json', 'README.md', 'LICENSE-MIT', 'LICENSE-APACHE',
    'index.d.ts', 'browser.js', 'node.js', 'workerd.js', 'inline.js', 'redis.js', 'redis.d.ts',
    ...filesUnder('pkg-template/lib', '.js').map((f) => `lib/${f}`),
    ...filesUnder('pkg-template/types', '.d.ts').map((f) => `types/${f}`),
    'web/zcrm_guard.js', 'web/zcrm_guard_bg.wasm', 'web/wasm_base64.js', ...snippets('web'),
    'node/zcrm_guard.js', 'node/zcrm_guard_bg.wasm', ...snippets('node'),
  ].sort();
}

test('npm pack ships exactly the entries, lib/, types/ (with generated/), both wasm builds with glue and snippets, README and licenses', () => {
  const expected = expectedFiles();
  const unexpected = shipped.filter((f) => !expected.includes(f));
  const missing = expected.filter((f) => !shipped.includes(f));
  assert.deepEqual({ unexpected, missing }, { unexpected: [], missing: [] });
  // The lists above come from the source folders: make sure they are not empty by accident.
  for (const part of ['lib/client.js', 'lib/transports.js', 'types/generated/guard.d.ts', 'types/transports.d.ts']) assert.ok(shipped.includes(part), part);
  assert.ok(shipped.some((f) => /^web\/snippets\/.+\.js$/.test(f)), 'the web glue imports its snippets');
  for (const bad of [/\.map$/, /(^|\/)tests?\/|\.(test|spec)\./, /^(web|node)\/.*\.d\.ts$/, /^(web|node)\/package\.json$/, /\.tgz$/]) {
    assert.deepEqual(shipped.filter((f) => bad.test(f)), [], `nothing matching ${bad}`);
  }
});

test('every file the package.json names exists in the package', () => {
  const targets = [pkgJson.main, pkgJson.module, pkgJson.browser, pkgJson.types];
  const walk = (v) => (typeof v === 'string' ? targets.push(v) : Object.values(v).forEach(walk));
  walk(pkgJson.exports);
  for (const t of targets) assert.ok(shipped.includes(t.replace(/^\.\//, '')), `${t} is shipped`);
  for (const f of pkgJson.sideEffects) assert.ok(shipped.includes(f.replace(/^\.\//, '')), `sideEffects ${f} is shipped`);
  assert.deepEqual(Object.keys(pkgJson.exports), ['.', './inline', './tabs', './redis', './zcrm_guard_bg.wasm', './package.json']);
  // ioredis is needed by `zcrm-guard/redis` alone: an optional peer, never a dependency.
  assert.equal(pkgJson.dependencies, undefined);
  assert.deepEqual(pkgJson.peerDependenciesMeta, { ioredis: { optional: true } });
});

test('ioredis and Node built-ins stay in the redis entry: the main entries and lib/ never import them', () => {
  for (const f of shipped.filter((f) => f.endsWith('.js') && f !== 'redis.js' && !f.startsWith('node/') && f !== 'node.js')) {
    const text = readFileSync(join(PKG, f), 'utf8');
    assert.doesNotMatch(text, /from\s+['"](ioredis|node:[\w/]+)['"]|require\(['"](ioredis|node:)/, f);
  }
  assert.match(readFileSync(join(PKG, 'redis.js'), 'utf8'), /from 'ioredis'/);
});

test('metadata is true or absent: license MIT OR Apache-2.0, no made-up repository', () => {
  assert.equal(pkgJson.license, 'MIT OR Apache-2.0');
  assert.equal(pkgJson.name, 'zcrm-guard');
  assert.match(pkgJson.version, /^\d+\.\d+\.\d+/);
  assert.equal(pkgJson.repository, undefined, 'no repository until there is a real one');
  for (const toml of ['Cargo.toml', 'js-api/Cargo.toml']) {
    const text = readFileSync(join(ROOT, toml), 'utf8');
    assert.doesNotMatch(text, /example\.invalid|^repository\s*=/m, toml);
    assert.match(text, /^license = "MIT OR Apache-2.0"$/m, toml);
  }
  assert.doesNotMatch(readFileSync(join(ROOT, 'pkg-template/package.json'), 'utf8'), /example\.invalid|"repository"/);
});

test('both licenses, in the repository and in the package, are the standard texts', () => {
  for (const name of ['LICENSE-MIT', 'LICENSE-APACHE']) {
    assert.equal(readFileSync(join(PKG, name), 'utf8'), readFileSync(join(ROOT, name), 'utf8'), `${name}: the package's copy`);
  }
  const mit = readFileSync(join(ROOT, 'LICENSE-MIT'), 'utf8');
  assert.match(mit, /^MIT License\n\nCopyright \(c\) the zcrm-guard contributors\n/);
  assert.match(mit, /Permission is hereby granted, free of charge/);
  assert.match(mit, /IN NO EVENT SHALL THE\nAUTHORS OR COPYRIGHT HOLDERS BE LIABLE/);
  const apache = readFileSync(join(ROOT, 'LICENSE-APACHE'), 'utf8');
  assert.match(apache, /Apache License\n\s+Version 2\.0, January 2004/);
  assert.match(apache, /END OF TERMS AND CONDITIONS/);
  assert.equal(apache.split('\n').length, 203, 'the full text (202 lines)');
});

test('CHANGELOG.md follows Keep a Changelog, with an Unreleased section', () => {
  const log = readFileSync(join(ROOT, 'CHANGELOG.md'), 'utf8');
  assert.match(log, /^# Changelog\n/);
  assert.match(log, /keepachangelog\.com/);
  assert.match(log, /semver\.org/);
  const sections = [...log.matchAll(/^## \[([^\]]+)\]/gm)].map((m) => m[1]);
  assert.equal(sections[0], 'Unreleased', 'Unreleased comes first');
  const unreleased = log.split(/^## /m)[1];
  assert.match(unreleased, /^### Added$/m);
  for (const sub of unreleased.matchAll(/^### (.+)$/gm)) assert.ok(['Added', 'Changed', 'Deprecated', 'Removed', 'Fixed', 'Security'].includes(sub[1]), sub[1]);
});

test('the inline entry instantiates from its own bytes, with the surface of the browser entry', async () => {
  const inline = await import(join(PKG, 'inline.js'));
  const browser = await import(join(PKG, 'browser.js'));
  assert.deepEqual(Object.keys(inline).sort(), Object.keys(browser).sort());
  assert.notEqual(inline.default, browser.default, 'init is its own');
  await inline.default();
  assert.equal(inline.editionLimits('enterprise', { licenses: 10 }).concurrency, 20);
  assert.equal(await inline.default(), await inline.default(), 'init is idempotent');
});
