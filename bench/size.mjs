// Issue 15, row 7: bytes shipped. The wasm (pkg/web/zcrm_guard_bg.wasm, what a browser
// or a Worker downloads), gzip -9 / the JavaScript peers of the other rows together
// (ajv, graphql, cockatiel, bottleneck: every export of each, bundled by esbuild for the
// browser, minified, gzip -9). For context: the package's JS beside the wasm.
// Run by `make bench` (scripts/bench.sh) after `make build`; needs ../pkg.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import { finish, report } from './lib/report.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const gzip9 = (bytes) => gzipSync(bytes, { level: 9 }).length;
const kib = (n) => `${(n / 1024).toFixed(1)} KiB`;

/** esbuild bundle of `contents` (JS source resolved from the repository root), minified, for `platform`. */
async function bundle(contents, platform = 'browser') {
  const out = await build({
    stdin: { contents, resolveDir: root, loader: 'js' },
    bundle: true,
    minify: true,
    format: 'esm',
    platform,
    write: false,
    logLevel: 'error',
  });
  return out.outputFiles[0].contents;
}

const PEERS = ['ajv', 'graphql', 'cockatiel', 'bottleneck'];
// Namespaces re-exported whole: the bundle keeps every export, as an app using them broadly would.
const entry = `${PEERS.map((p, i) => `export * as p${i} from '${p}';`).join('\n')}\n`;
const peers = await bundle(entry);
// For Node, esbuild takes the packages' CommonJS builds (graphql's, ajv's): more bytes.
const peersNode = await bundle(entry, 'node');
const perPeer = [];
for (const p of PEERS) perPeer.push(`${p} ${kib(gzip9(await bundle(`export * as p from '${p}';\n`)))}`);

const wasm = readFileSync(`${root}pkg/web/zcrm_guard_bg.wasm`);
const glue = await bundle(`export * from './pkg/browser.js';\n`);

const w = gzip9(wasm);
const js = gzip9(peers);
console.log(`size: wasm ${kib(wasm.length)} raw, ${kib(w)} gzip -9`);
console.log(`size: peers bundled ${kib(peers.length)} minified, ${kib(js)} gzip -9 (each alone: ${perPeer.join(', ')})`);
console.log(`size: for context, the same peers bundled for platform node: ${kib(gzip9(peersNode))} gzip -9`);
console.log(`size: for context, the package's browser entry bundled without the wasm: ${kib(glue.length)} minified, ${kib(gzip9(glue))} gzip -9\n`);
report('wasm-size', { projectText: kib(w), peerText: kib(js), ratio: w / js, project: w / 1024 });
finish('size: row 7 (gzip -9)');
