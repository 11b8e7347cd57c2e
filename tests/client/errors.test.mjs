// The error catalog as the client lives it: reads end with documented codes only
// (Zoho's own code in `details.zoho`), unknown option keys are refused with the key
// most likely meant, every code the client's source raises is in errorCodes(), and
// the catalog equals the TypeScript unions. A scripted transport stands in for Zoho.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import * as zg from '../../pkg/node.js';
import * as known from '../../pkg/lib/options.js';

const root = new URL('../../pkg-template/', import.meta.url);
const json = (status, body) => ({ status, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
const lost = () => ({ status: 0, headers: {}, body: '', error: { name: 'TypeError', message: 'fetch failed' } });

function clientWith(answer, extra = {}) {
  const calls = [];
  const transport = async (req) => {
    calls.push(req);
    return answer(req, calls.length);
  };
  const client = zg.createClient({ apiDomain: 'https://www.zohoapis.com', getAccessToken: () => 't0', transport, sleep: async () => {}, ...extra });
  return { client, calls };
}

async function thrown(run) {
  try {
    await run();
  } catch (e) {
    assert.ok(zg.isZcrmGuardError(e), `a ZcrmGuardError, got ${e}`);
    return e;
  }
  assert.fail('expected a throw');
}

async function drain(iterable) {
  for await (const _ of iterable);
}

test('reads end with ZOHO_ERROR, Zoho\'s own code in details.zoho', async () => {
  const { client } = clientWith(() => json(400, { code: 'SYNTAX_ERROR', details: { clause: 'select' }, message: 'error in select clause', status: 'error' }));
  const e = await thrown(() => drain(client.coql('select Last_Name form Leads')));
  assert.equal(e.code, 'ZOHO_ERROR');
  assert.deepEqual(e.details.zoho, { code: 'SYNTAX_ERROR', status: 400, message: 'error in select clause', details: { clause: 'select' } });
  assert.equal(e.details.status, 400);
  const missing = clientWith(() => json(400, { code: 'REQUIRED_PARAM_MISSING', details: { param: 'fields' }, message: 'One of the expected parameter is missing', status: 'error' }));
  const m = await thrown(() => drain(missing.client.records('Leads', { criteria: '(Email:equals:a@b.c)' })));
  assert.equal(m.code, 'ZOHO_ERROR');
  assert.equal(m.details.zoho.code, 'REQUIRED_PARAM_MISSING');
  assert.ok(zg.errorCodes().includes(m.code));
});

test('a read with no answer ends with NO_RESPONSE, the transport\'s failure in details.zoho', async () => {
  const { client, calls } = clientWith(lost);
  const e = await thrown(() => drain(client.records('Leads', { fields: ['Email'] })));
  assert.equal(e.code, 'NO_RESPONSE');
  assert.equal(e.details.zoho.code, 'NETWORK_ERROR');
  assert.equal(e.details.zoho.status, 0);
  assert.ok(calls.length > 1, 'retried first, as the Guard allowed');
  assert.ok(zg.errorCodes().includes(e.code));
});

test('a read whose token cannot be refreshed ends with TOKEN_REFRESH_FAILED', async () => {
  const { client } = clientWith(() => json(401, { code: 'INVALID_TOKEN', details: {}, message: 'invalid oauth token', status: 'error' }));
  const e = await thrown(() => client.fieldsMetadata('Leads'));
  assert.equal(e.code, 'TOKEN_REFRESH_FAILED');
});

test('records() without fields is refused before a credit is spent', async () => {
  const { client, calls } = clientWith(() => json(200, { data: [] }));
  const e = await thrown(() => drain(client.records('Leads')));
  assert.equal(e.code, 'INVALID_ARGUMENT');
  assert.equal(e.details.field, 'opts.fields');
  await thrown(() => drain(client.records('Leads', { fields: [] })));
  assert.equal(calls.length, 0);
});

test('unknown option keys are refused with the key most likely meant', async () => {
  const cases = [
    [() => zg.createClient({ apidomain: 'https://www.zohoapis.com', getAccessToken: () => 't' }), 'options.apidomain', 'apiDomain'],
    [() => zg.createClient({ apiDomain: 'https://www.zohoapis.com', getAccessToken: () => 't', timeout: 5 }), 'options.timeout', 'timeoutMs'],
    [() => zg.createClient({ apiDomain: 'https://www.zohoapis.com', getAccessToken: () => 't', colour: 'red' }), 'options.colour', null],
  ];
  for (const [run, field, suggestion] of cases) {
    const e = await thrown(run);
    assert.equal(e.code, 'INVALID_ARGUMENT');
    assert.equal(e.details.field, field);
    assert.equal(e.details.suggestion, suggestion);
    assert.equal(e.details.api_name, field.split('.')[1]);
    assert.equal(e.details.json_path, `$.${field.split('.')[1]}`);
  }
  const { client, calls } = clientWith(() => json(200, { data: [] }));
  const writes = [
    [() => client.insert('Leads', [{ Last_Name: 'x' }], { maxAttemps: 5 }), 'maxAttempts'],
    [() => client.update('Leads', [{ id: '1' }], { Trigger: [] }), 'trigger'],
    [() => client.upsert('Leads', [{ Email: 'a@b.c' }], { duplicateCheckField: ['Email'] }), 'duplicateCheckFields'],
    [() => client.delete('Leads', ['1'], { batchsize: 10 }), 'batchSize'],
    [() => drain(client.records('Leads', { fields: 'Email', perpage: 10 })), 'perPage'],
    [() => drain(client.coql('select id from Leads', { pagesize: 10 })), 'pageSize'],
    [() => client.graphql('{ Meta { Modules { _data { id } } } }', null, { operationname: 'Q' }), 'operationName'],
    [() => client.request({ kind: 'metadata' }, { path: '/settings/modules', methd: 'GET' }), 'method'],
  ];
  for (const [run, suggestion] of writes) {
    const e = await thrown(run);
    assert.equal(e.code, 'INVALID_ARGUMENT');
    assert.equal(e.details.suggestion, suggestion);
  }
  assert.equal(calls.length, 0, 'nothing was sent');
  // An operation the caller gives is the core's: its unknown keys are refused too.
  const op = await thrown(() => client.request({ kind: 'get', module: 'Leads', recordcount: 200 }, { path: '/Leads' }));
  assert.equal(op.details.suggestion, 'recordCount');
});

/** Every string of a TypeScript union `export type Name = 'A' | 'B' …;` in `text`. */
function union(text, name) {
  const m = new RegExp(`export type ${name} =([^;]*);`).exec(text);
  assert.ok(m, `${name} is declared`);
  return [...m[1].matchAll(/'([A-Z0-9_]+)'/g)].map((x) => x[1]);
}

test('the catalog equals the TypeScript unions, and ZcrmGuardErrorCode is core + client', () => {
  const generated = readFileSync(new URL('types/generated/errors.d.ts', root), 'utf8');
  const index = readFileSync(new URL('index.d.ts', root), 'utf8');
  assert.match(index, /export type ZcrmGuardErrorCode = CoreErrorCode \| ClientErrorCode;/);
  const thrownCodes = [...union(generated, 'CoreErrorCode'), ...union(generated, 'ClientErrorCode')];
  const resultCodes = union(generated, 'ClientResultCode');
  assert.deepEqual([...thrownCodes, ...resultCodes], zg.errorCodes());
  assert.deepEqual(union(generated, 'ErrorCode'), zg.errorCodes());
  const catalog = zg.errorCatalog();
  assert.deepEqual(catalog.map((c) => c.code), zg.errorCodes());
  assert.deepEqual(catalog.filter((c) => c.raised === 'thrown').map((c) => c.code), thrownCodes);
  for (const c of catalog) assert.match(c.meaning, /^[^\n]+\.$/, c.code);
});

test('every code the package\'s JavaScript raises is in the catalog', () => {
  const files = [];
  const walk = (dir) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const url = new URL(entry.name + (entry.isDirectory() ? '/' : ''), dir);
      if (entry.isDirectory()) walk(url);
      else if (entry.name.endsWith('.js')) files.push(url);
    }
  };
  walk(new URL('lib/', root));
  const codes = new Set(zg.errorCodes());
  let seen = 0;
  for (const file of files) {
    const text = readFileSync(file, 'utf8');
    // guardError('X', …), and any code-like literal on a line about a `code`.
    const literals = [...text.matchAll(/guardError\(\s*'([A-Z0-9_]+)'/g)].map((m) => m[1]);
    for (const line of text.split('\n').filter((l) => /\bcode\b/.test(l))) {
      literals.push(...[...line.matchAll(/'([A-Z][A-Z0-9_]{3,})'/g)].map((m) => m[1]));
    }
    for (const code of literals) {
      seen++;
      // A settled record's Zoho code, Zoho codes the client reads (a 429 teaches the shared
      // limit; a lookup with too many `in` values is asked in halves, an expired token under it
      // is no refusal of COQL), and HTTP methods are
      // no codes of ours.
      if (['SUCCESS', 'TOO_MANY_REQUESTS', 'LIMIT_EXCEEDED', 'INVALID_TOKEN', 'POST', 'GET', 'PUT', 'PATCH', 'DELETE'].includes(code)) continue;
      assert.ok(codes.has(code), `${code} (${file.pathname.split('/pkg-template/')[1]}) is in errorCodes()`);
    }
  }
  assert.ok(seen >= 10, `found the client's codes (${seen})`);
});

/** The property names of `interface Name … { … }` in `text` (one level). */
function members(text, name) {
  const start = text.indexOf(`export interface ${name}`);
  assert.ok(start >= 0, `${name} is declared`);
  let depth = 0;
  let body = '';
  for (let i = text.indexOf('{', start); i < text.length; i++) {
    const c = text[i];
    if (c === '{') depth++;
    if (c === '}') depth--;
    if (depth === 1 && c !== '{') body += c;
    if (depth === 0) break;
    if (depth > 1) continue;
  }
  const noComments = body.replace(/\/\*\*[\s\S]*?\*\//g, '').replace(/\/\/.*$/gm, '');
  return [...noComments.matchAll(/^\s*(?:readonly\s+)?([A-Za-z_$][\w$]*)\??\s*[:(<]/gm)].map((m) => m[1]).sort();
}

test('the option lists are the declared option types', () => {
  const client = readFileSync(new URL('types/client.d.ts', root), 'utf8');
  assert.deepEqual(members(client, 'ClientOptions'), [...known.CLIENT_OPTIONS].sort());
  assert.deepEqual(members(client, 'WriteOptions'), [...known.WRITE_OPTIONS].sort());
  assert.deepEqual(members(client, 'RecordsOptions'), [...known.RECORDS_OPTIONS].sort());
  assert.deepEqual(members(client, 'CoqlOptions'), [...known.COQL_OPTIONS].sort());
});
