// docs/api.md is the API reference: it must mention every name the package's types
// export (index.d.ts and the files it re-exports), every method of the Guard and of
// the client, and its error table must be errorCatalog(), row for row.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as zg from '../../pkg/node.js';

const root = new URL('../../', import.meta.url);
const read = (path) => readFileSync(new URL(path, root), 'utf8');
const doc = read('docs/api.md');

/** The names a declaration file exports, following `export * from` (paths relative to it). */
function exportedNames(path, seen = new Set()) {
  if (seen.has(path)) return [];
  seen.add(path);
  const text = read(path);
  const names = [...text.matchAll(/^export (?:declare )?(?:default )?(?:function|class|interface|type|const) ([A-Za-z_$][\w$]*)/gm)].map((m) => m[1]);
  for (const m of text.matchAll(/^export type \{([^}]*)\}/gm)) names.push(...m[1].split(',').map((s) => s.trim()).filter(Boolean));
  for (const m of text.matchAll(/^export \* from '([^']+)\.js';/gm)) {
    const next = new URL(`${m[1]}.d.ts`, new URL(path, root)).pathname.slice(new URL(root).pathname.length);
    names.push(...exportedNames(next, seen));
  }
  return names;
}

/** Method names declared in the body of `class Name` / `interface Name` of `text`. */
function methods(text, name) {
  const start = text.search(new RegExp(`export (?:declare )?(?:class|interface) ${name}\\b`));
  assert.ok(start >= 0, name);
  let depth = 0;
  let body = '';
  for (let i = text.indexOf('{', start); i < text.length; i++) {
    if (text[i] === '{') depth++;
    if (text[i] === '}') depth--;
    if (depth === 1) body += text[i];
    if (depth === 0) break;
  }
  return [...body.replace(/\/\*\*[\s\S]*?\*\//g, '').matchAll(/^\s*(?:static |readonly |get )?([a-zA-Z]\w*)\s*[<(]/gm)].map((m) => m[1]).filter((n) => n !== 'constructor');
}

test('docs/api.md mentions every exported name', () => {
  const names = [...new Set(exportedNames('pkg-template/index.d.ts'))];
  assert.ok(names.length > 100, `${names.length} names`);
  const missing = names.filter((n) => !doc.includes(`\`${n}`) && !new RegExp(`\\b${n}\\b`).test(doc));
  assert.deepEqual(missing, [], 'exported names docs/api.md does not mention');
  for (const fn of names.filter((n) => /^[a-z]/.test(n))) assert.match(doc, new RegExp(`\`${fn}`), `${fn} is documented in backticks`);
});

test('docs/api.md documents every method of the Guard and of the client', () => {
  const guard = methods(read('pkg-template/types/guard.d.ts'), 'Guard');
  const client = methods(read('pkg-template/types/client.d.ts'), 'ZohoClient');
  assert.ok(guard.includes('admit') && client.includes('insert'));
  for (const m of [...guard, ...client]) assert.match(doc, new RegExp(`\`(?:Guard\\.)?${m}[(<\`]`), `${m} is documented`);
});

test('the error table of docs/api.md is errorCatalog()', () => {
  const table = /<!-- catalog:start -->\n([\s\S]*?)<!-- catalog:end -->/.exec(doc);
  assert.ok(table, 'the catalog table is marked');
  const rows = table[1].trim().split('\n').slice(2).map((line) => line.split(/(?<!\\)\|/).slice(1, -1).map((c) => c.trim()));
  const expected = zg.errorCatalog().map((c) => [`\`${c.code}\``, c.source, c.raised, c.meaning.replace(/\|/g, '\\|')]);
  assert.deepEqual(rows, expected);
});
