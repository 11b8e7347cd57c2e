// Prints a wasm file's raw, gzip and brotli sizes.
import { readFileSync } from 'node:fs';
import { gzipSync, brotliCompressSync, constants } from 'node:zlib';

const file = process.argv[2];
const raw = readFileSync(file);
const gz = gzipSync(raw, { level: 9 }).length;
const br = brotliCompressSync(raw, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length;
const kib = (n) => `${(n / 1024).toFixed(1)} KiB`;
console.log(`wasm size (${file}): raw ${kib(raw.length)}, gzip ${kib(gz)}, brotli ${kib(br)}`);
