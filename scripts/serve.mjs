// A small static server for the demo and the browser tests: serves www/ at /, the
// built package pkg/ at /pkg/ and the simulator's pure core tools/ at /tools/ (the
// demo runs it inside the page, importing `@zcrm-guard/zoho-sim` through the import map
// in www/index.html), wasm as application/wasm, with a strict CSP.
// `node scripts/serve.mjs [port]` serves on 127.0.0.1 and prints the URL.
import { createServer } from 'node:http';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(fileURLToPath(new URL('..', import.meta.url)));

export const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.wasm': 'application/wasm',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.d.ts': 'text/plain; charset=utf-8',
};

/**
 * The hash source that allows the page's one inline script, its import map (browsers take
 * no external import map), or '' when there is none (a copy of this server without www/).
 */
export function importMapSource(html) {
  const map = /<script type="importmap">([\s\S]*?)<\/script>/.exec(html)?.[1];
  return map === undefined ? '' : ` 'sha256-${createHash('sha256').update(map, 'utf8').digest('base64')}'`;
}

const INDEX_HTML = (() => {
  try {
    return readFileSync(join(ROOT, 'www', 'index.html'), 'utf8');
  } catch {
    return '';
  }
})();

/**
 * Zoho CRM's API domains, one per data centre (the core's `dataCenters()`, sources §1): the
 * only origins besides its own the demo may connect to, for "Try one read" against a
 * real org (whose token is meant for them anyway). Exact hosts, no wildcard.
 */
export const ZOHO_API_DOMAINS = ['com', 'eu', 'in', 'com.au', 'jp', 'ca', 'sa', 'com.cn'].map((tld) => `https://www.zohoapis.${tld}`);

/** The demo's Content-Security-Policy: no inline script but the import map, wasm compilation allowed. */
export const CSP =
  `default-src 'self'; script-src 'self' 'wasm-unsafe-eval'${importMapSource(INDEX_HTML)}; style-src 'self'; img-src 'self' data:; connect-src 'self' ${ZOHO_API_DOMAINS.join(' ')}; object-src 'none'; base-uri 'none'; frame-ancestors 'none'`;

/**
 * Starts a static server. `mounts` maps a URL prefix ('/pkg/') to a directory.
 * @param {{ port?: number, host?: string, mounts?: Record<string, string> }} [options]
 * @returns {Promise<{ url: string, close: () => Promise<void> }>}
 */
export async function startServer(options = {}) {
  const mounts = options.mounts ?? { '/pkg/': join(ROOT, 'pkg'), '/tools/': join(ROOT, 'tools'), '/': join(ROOT, 'www') };
  const prefixes = Object.keys(mounts).sort((a, b) => b.length - a.length);
  const server = createServer(async (req, res) => {
    try {
      const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
      const prefix = prefixes.find((p) => path.startsWith(p));
      if (!prefix || (req.method !== 'GET' && req.method !== 'HEAD')) return send(res, 404, 'not found');
      const base = resolve(mounts[prefix]);
      let file = normalize(join(base, path.slice(prefix.length)));
      if (file !== base && !file.startsWith(base + sep)) return send(res, 403, 'forbidden');
      const info = await stat(file).catch(() => null);
      if (info?.isDirectory()) file = join(file, 'index.html');
      const body = await readFile(file).catch(() => null);
      if (!body) return send(res, 404, 'not found');
      const type = file.endsWith('.d.ts') ? TYPES['.d.ts'] : TYPES[extname(file)] ?? 'application/octet-stream';
      res.writeHead(200, {
        'content-type': type,
        'content-security-policy': CSP,
        'x-content-type-options': 'nosniff',
        'cache-control': 'no-store',
      });
      res.end(req.method === 'HEAD' ? undefined : body);
    } catch (e) {
      send(res, 500, String(e));
    }
  });
  await new Promise((ok, fail) => {
    server.once('error', fail);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', ok);
  });
  const addr = /** @type {import('node:net').AddressInfo} */ (server.address());
  return {
    url: `http://${addr.address}:${addr.port}/`,
    close: () => new Promise((ok) => server.close(() => ok())),
  };
}

function send(res, status, text) {
  res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8' });
  res.end(text);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const port = Number(process.argv[2] ?? process.env.PORT ?? 8080);
  const { url } = await startServer({ port });
  console.log(`zcrm-guard demo: ${url}  (Ctrl-C to stop)`);
}
