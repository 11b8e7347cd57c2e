// The client reads Zoho's facts from the core (zohoFacts()): the field a lost insert is
// looked up by, and the page sizes. A scripted transport stands in for Zoho.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as zg from '../../pkg/node.js';

const json = (status, body) => ({ status, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

function scripted(answer) {
  const calls = [];
  const transport = async (req) => {
    const body = req.body ? JSON.parse(req.body) : null;
    calls.push({ method: req.method, url: req.url, body });
    return answer({ ...req, body }, calls.length);
  };
  return { calls, transport };
}

test('a lost insert is looked up by the module duplicate-check field the core names (Quotes: Subject)', async () => {
  const { calls, transport } = scripted((req) => {
    if (req.url.endsWith('/crm/v8/Quotes')) return { status: 0, headers: {}, body: '', error: { name: 'TypeError', message: 'fetch failed' } };
    // An older quote with the same subject is no proof; the one created after the send is.
    const older = { id: 'q0', Subject: 'S1', Created_Time: '2020-01-01T00:00:00+00:00' };
    const mine = { id: 'q1', Subject: 'S1', Created_Time: new Date(Date.now() + 1_000).toISOString() };
    if (req.url.endsWith('/crm/v8/coql')) return json(200, { data: [older, mine], info: { more_records: false } });
    return json(404, { code: 'INVALID_URL_PATTERN', status: 'error' });
  });
  const client = zg.createClient({ apiDomain: 'https://www.zohoapis.com', getAccessToken: () => 't0', transport, sleep: async () => {} });
  const { results } = await client.insert('Quotes', [{ Subject: 'S1' }], { validate: false });
  assert.equal(zg.zohoFacts().duplicateCheck.modules.Quotes[0], 'Subject');
  const lookup = calls.find((c) => c.url.endsWith('/coql'));
  assert.ok(lookup, 'a COQL lookup was sent');
  assert.match(lookup.body.select_query, /^select id, Subject, Created_Time, Created_By from Quotes where Subject in \('S1'\) limit 2000$/);
  assert.equal(results[0].ok, true);
  assert.equal(results[0].id, 'q1');
  assert.equal(results[0].reason, 'verified_after_lost_reply');
});

test('a lost insert in a module with no duplicate-check field stays ambiguous, nothing is looked up', async () => {
  const { calls, transport } = scripted(() => ({ status: 0, headers: {}, body: '', error: { name: 'TypeError', message: 'fetch failed' } }));
  const client = zg.createClient({ apiDomain: 'https://www.zohoapis.com', getAccessToken: () => 't0', transport, sleep: async () => {} });
  const { results } = await client.insert('Tasks', [{ Subject: 'call back' }], { validate: false });
  assert.deepEqual(zg.zohoFacts().duplicateCheck.modules.Tasks, []);
  assert.equal(calls.filter((c) => c.url.endsWith('/coql')).length, 0);
  assert.equal(results[0].code, 'AMBIGUOUS_WRITE');
  assert.equal(results[0].reason, 'ambiguous_write');
});

test('records() asks for the per_page the core names, and no more', async () => {
  const { calls, transport } = scripted(() => json(200, { data: [{ id: '1' }], info: { more_records: false } }));
  const client = zg.createClient({ apiDomain: 'https://www.zohoapis.com', getAccessToken: () => 't0', transport });
  const max = zg.zohoFacts().paging.maxPerPage;
  for await (const _ of client.records('Leads', { fields: 'Email' }));
  for await (const _ of client.records('Leads', { fields: 'Email', perPage: max * 5 }));
  for await (const _ of client.records('Leads', { fields: 'Email', perPage: null }));
  const perPage = calls.map((c) => new URL(c.url).searchParams.get('per_page'));
  assert.deepEqual(perPage, [String(max), String(max), '1']);
});
