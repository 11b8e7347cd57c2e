// Makes dist/<folder>.zip the way Zoho's `zet pack` (zoho-extension-toolkit 1.0.24) does
// for a CRM widget, for machines without zet: only the files under app/, stored as
// app/…; no plugin-manifest.json (zet adds it for every service but CRM); zet's file
// rules checked first. zet leaves a file of any other type out with a warning: here it
// is an error, so that nothing the widget needs goes missing unnoticed.
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { basename, extname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { crc32, deflateRawSync } from 'node:zlib';

const PROJECT = fileURLToPath(new URL('..', import.meta.url));
/** zet's rules (lib/commands/constants.js, lib/rules/FileCheckRule.js, lib/utils/file-tree-parser.js). */
const ALLOWED = new Set('.jpg .jpeg .png .gif .svg .css .woff .woff2 .ttf .eot .webm .js .mp3 .mp4 .json .txt .md .xml .dre .html'.split(' '));
const FOLDER_NAME = /^[A-Za-z0-9_$-]*$/;
const FILE_NAME = /^[A-Za-z0-9_.$-]*$/;
const MAX_FILES = 250;
const MAX_FILE_BYTES = 5_000_000;
const MAX_NAME_LENGTH = 250; // CRM's

/** Every file under app/, as zip entry names (app/…), after zet's checks. */
function appFiles() {
  const problems = [];
  const files = [];
  const walk = (dir) => {
    for (const e of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const path = join(dir, e.name);
      const name = relative(PROJECT, path).split(sep).join('/');
      if (e.isDirectory()) {
        if (!FOLDER_NAME.test(e.name)) problems.push(`${name}: folder names may hold only A-Z a-z 0-9 _ - $`);
        walk(path);
        continue;
      }
      if (e.name.startsWith('.')) problems.push(`${name}: a file name may not start with a dot`);
      else if (!ALLOWED.has(extname(e.name))) problems.push(`${name}: zet does not pack ${extname(e.name) || 'files without an extension'}`);
      if (!FILE_NAME.test(e.name)) problems.push(`${name}: file names may hold only A-Z a-z 0-9 _ . - $`);
      if (e.name.length > MAX_NAME_LENGTH) problems.push(`${name}: name longer than ${MAX_NAME_LENGTH}`);
      if (statSync(path).size > MAX_FILE_BYTES) problems.push(`${name}: larger than ${MAX_FILE_BYTES} bytes`);
      files.push(name);
    }
  };
  walk(join(PROJECT, 'app'));
  if (!files.includes('app/widget.html')) problems.push('app/widget.html is missing');
  if (files.length > MAX_FILES) problems.push(`${files.length} files: at most ${MAX_FILES}`);
  if (problems.length) throw new Error(`zet would not pack this widget:\n  ${problems.join('\n  ')}`);
  return files;
}

/** A zip archive (deflate, fixed timestamps so the same files give the same bytes). */
function zip(entries) {
  const DOS_TIME = 0;
  const DOS_DATE = (2020 - 1980) << 9 | 1 << 5 | 1;
  const locals = [];
  const centrals = [];
  let offset = 0;
  for (const { name, data } of entries) {
    const nameBytes = Buffer.from(name, 'utf8');
    const packed = deflateRawSync(data, { level: 9 });
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(0x0800, 6); // UTF-8 names
    local.writeUInt16LE(8, 8); // deflate
    local.writeUInt16LE(DOS_TIME, 10);
    local.writeUInt16LE(DOS_DATE, 12);
    local.writeUInt32LE(crc32(data), 14);
    local.writeUInt32LE(packed.length, 18);
    local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(nameBytes.length, 26);
    local.writeUInt16LE(0, 28);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    local.copy(central, 6, 4, 30); // version needed … name length, extra length
    central.writeUInt32LE(offset, 42);
    locals.push(local, nameBytes, packed);
    centrals.push(central, nameBytes);
    offset += local.length + nameBytes.length + packed.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}

const files = appFiles();
const archive = join(PROJECT, 'dist', `${basename(PROJECT)}.zip`);
mkdirSync(join(PROJECT, 'dist'), { recursive: true });
writeFileSync(archive, zip(files.map((name) => ({ name, data: readFileSync(join(PROJECT, name)) }))));
console.log(`pack: ${relative(process.cwd(), archive) || archive} (${files.length} files)`);
