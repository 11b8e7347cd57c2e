// The installable tarball, target/zcrm-guard-<version>.tgz, made by scripts/pack.sh
// (scripts/test-package.sh makes it first in `make test`): reused while it is newer
// than every file of pkg/, packed again otherwise, so a test file run alone works too.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const PKG = join(ROOT, 'pkg');

/** The newest modification time of a file under `dir`. */
function newest(dir) {
  let t = 0;
  for (const e of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (e.isFile()) t = Math.max(t, statSync(join(e.parentPath, e.name)).mtimeMs);
  }
  return t;
}

/** @returns {string} the absolute path of the packed tarball */
export function packedTarball() {
  if (!existsSync(join(PKG, 'package.json'))) throw new Error('pkg/ is missing: run make build first');
  const { version } = JSON.parse(readFileSync(join(PKG, 'package.json'), 'utf8'));
  const tarball = join(ROOT, 'target', `zcrm-guard-${version}.tgz`);
  if (!existsSync(tarball) || statSync(tarball).mtimeMs < newest(PKG)) {
    execFileSync('bash', ['scripts/pack.sh'], { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
  }
  return tarball;
}

/** Installs the tarball, by name, into a fresh consumer folder `dir` (ES modules, no lock file). */
export function installConsumer(dir) {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'package.json'), '{ "name": "zcrm-guard-consumer", "private": true, "type": "module" }\n');
  execFileSync('npm', ['install', '--silent', '--no-audit', '--no-fund', '--no-package-lock', packedTarball()], { cwd: dir, stdio: ['ignore', 'ignore', 'inherit'] });
}
