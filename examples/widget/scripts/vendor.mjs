// Copies the package's browser build, with the wasm inlined, from node_modules into
// app/lib/zcrm-guard/: JavaScript files only (plus the licenses as .txt), which is all
// that `zet pack` keeps. Run it after `npm install` and after every package update.
import { copyFileSync, cpSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const PROJECT = fileURLToPath(new URL('..', import.meta.url));
const from = dirname(createRequire(import.meta.url).resolve('zcrm-guard/package.json'));
const to = join(PROJECT, 'app/lib/zcrm-guard');
/** The inline entry and what it imports. */
const FILES = ['inline.js', 'browser.js', 'lib', 'web/zcrm_guard.js', 'web/wasm_base64.js', 'web/snippets'];

rmSync(to, { recursive: true, force: true });
for (const file of FILES) cpSync(join(from, file), join(to, file), { recursive: true });
for (const license of ['LICENSE-MIT', 'LICENSE-APACHE']) copyFileSync(join(from, license), join(to, `${license}.txt`));
const { version } = JSON.parse(readFileSync(join(from, 'package.json'), 'utf8'));
console.log(`vendor: zcrm-guard ${version} copied to app/lib/zcrm-guard/`);
