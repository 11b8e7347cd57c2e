// Bundles a Worker the way wrangler does: esbuild with the conditions
// `workerd`, `worker`, `browser`, and every `.wasm` import kept as a separate
// module (wrangler's CompiledWasm rule), copied next to the bundle.
import { build } from 'esbuild';
import { copyFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, resolve, dirname } from 'node:path';

/** esbuild plugin: every `.wasm` import stays a module of its own, copied into `outdir`. */
export function compiledWasm(outdir) {
  return {
    name: 'compiled-wasm',
    setup(b) {
      b.onResolve({ filter: /\.wasm$/ }, (args) => {
        const source = resolve(args.resolveDir, args.path);
        copyFileSync(source, join(outdir, basename(source)));
        return { path: `./${basename(source)}`, external: true };
      });
    },
  };
}

/** Bundles `entry` for workerd; `extra` adds esbuild options (an alias, externals). */
export async function bundleWorker(entry, extra = {}) {
  const outdir = mkdtempSync(join(tmpdir(), 'zcrm-worker-'));
  await build({
    entryPoints: [entry],
    bundle: true,
    format: 'esm',
    platform: 'neutral',
    target: 'es2022',
    conditions: ['workerd', 'worker', 'browser'],
    mainFields: ['module', 'main'],
    outfile: join(outdir, 'worker.mjs'),
    plugins: [compiledWasm(outdir)],
    logLevel: 'warning',
    ...extra,
  });
  return { dir: outdir, script: join(outdir, 'worker.mjs'), dirname: dirname(entry) };
}
