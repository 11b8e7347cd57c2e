// Reads: coql() keeps a query's own LIMIT (`LIMIT n`, `LIMIT o, n`, `LIMIT n OFFSET o`,
// a trailing `;`), and lookups escape `\` as well as `'`.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { coqlString, searchValue } from '../../pkg/lib/client/lookup.js';
import { withSim, validLeads } from './support.mjs';

async function rows(iterable) {
  const out = [];
  for await (const r of iterable) out.push(r);
  return out;
}

test('reads: coql() sends a query with its own LIMIT once, as written (OFFSET, comma form, trailing ;)', async () => {
  await withSim({}, {}, async ({ client, events }) => {
    const { stats } = await client.insert('Leads', validLeads(40, 'q'));
    assert.equal(stats.ok, 40);
    const base = "select Email from Leads where Last_Name like 'L%' order by Email";
    const all = (await rows(client.coql(base))).map((r) => r.Email);
    assert.equal(all.length, 40);
    const sent = () => events.filter((e) => e.type === 'send' && /coql/.test(e.url)).length;
    for (const [q, from, n] of [
      [`${base} LIMIT 5 OFFSET 10`, 10, 5],
      [`${base} limit 10, 5;`, 10, 5],
      [`${base} LIMIT 7 ;`, 0, 7],
    ]) {
      const before = sent();
      const got = (await rows(client.coql(q))).map((r) => r.Email);
      assert.deepEqual(got, all.slice(from, from + n), q);
      assert.equal(sent() - before, 1, `${q}: one call`);
    }
    // Without a LIMIT, a trailing ';' does not break the paging.
    assert.equal((await rows(client.coql(`${base};`, { pageSize: 15 }))).length, 40);
  });
});

test('reads: lookup values escape backslash and quote (COQL) and parentheses and commas (search)', async () => {
  assert.equal(coqlString("o'brien"), "'o\\'brien'");
  assert.equal(coqlString('a\\b'), "'a\\\\b'");
  assert.equal(coqlString("a\\'b"), "'a\\\\\\'b'");
  assert.equal(searchValue('a(b),c\\d'), 'a\\(b\\)\\,c\\\\d');
  await withSim({}, {}, async ({ client }) => {
    const { stats } = await client.insert('Leads', [{ Last_Name: "O'Brien\\", Email: 'ob@x.com' }], { validate: false });
    assert.equal(stats.ok, 1);
    const got = await rows(client.coql(`select Email from Leads where Last_Name = ${coqlString("O'Brien\\")}`));
    assert.deepEqual(got.map((r) => r.Email), ['ob@x.com']);
  });
});
