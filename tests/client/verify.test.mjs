// Verification that proves: after a lost reply, a gateway 5xx after commit or a short
// reply to an insert, a record found by its e-mail counts as this job's write only when
// it was created after the send, by this user, and is no other record's result.
// Faults are injected by a transport that forwards every call to the real simulator
// and then loses or replaces the reply of chosen calls: Zoho committed, the client
// never saw it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { withSim, zg, tally, validLeads } from './support.mjs';

/** A transport that forwards to the simulator and rewrites the replies `pick(req, n)` chooses. */
function faulty(pick) {
  const real = zg.fetchTransport();
  let n = 0;
  const hits = [];
  const transport = async (req) => {
    const res = await real(req);
    const replace = pick(req, n++, res);
    if (!replace) return res;
    hits.push({ method: req.method, url: req.url });
    return replace;
  };
  return { transport, hits };
}
const isInsert = (req) => req.method === 'POST' && /\/crm\/v\d+\/Leads$/.test(new URL(req.url).pathname);
const lost = () => ({ status: 0, headers: {}, body: '', error: { name: 'TypeError', message: 'socket hang up' } });
const gateway = () => ({ status: 502, headers: { 'content-type': 'text/html' }, body: '<html><body><h1>502 Bad Gateway</h1></body></html>' });

test('verify: a lead that already holds the e-mail is no proof; the new lead is created and reported with its own id', async () => {
  const old = { id: '5725767000099000001', Last_Name: 'Old', Email: 'ann@x.com' };
  let first = true;
  const { transport, hits } = faulty((req) => (isInsert(req) && first ? ((first = false), lost()) : null));
  await withSim({ seedRecords: { Leads: [old] } }, { options: { transport } }, async ({ server, client }) => {
    const { results } = await client.insert('Leads', [{ Last_Name: 'New', Email: 'ann@x.com' }]);
    assert.equal(hits.length, 1, 'the reply of the first insert was lost');
    const [r] = results;
    assert.equal(r.ok, true, `${r.code} ${r.reason}`);
    assert.notEqual(r.id, old.id, "never Old's id");
    const rows = server.sim.records('Leads').filter((l) => l.Email === 'ann@x.com');
    const mine = rows.find((l) => String(l.id) === String(r.id));
    assert.equal(mine?.Last_Name, 'New', 'the reported id is the new lead');
    assert.equal(rows.length, 2, 'Old kept, New created once');
  });
});

test('verify: a lost reply whose insert committed is found, not sent again (reason verified_after_lost_reply)', async () => {
  let first = true;
  const { transport } = faulty((req) => (isInsert(req) && first ? ((first = false), lost()) : null));
  await withSim({}, { options: { transport } }, async ({ server, client }) => {
    const leads = validLeads(30, 'lost');
    const { results, stats } = await client.insert('Leads', leads);
    assert.deepEqual(tally(results), { 'true SUCCESS verified_after_lost_reply': 30 });
    for (const l of leads) assert.equal(server.sim.createdCount('Leads', l.Email), 1);
    // Metadata, insert and lookup: every credit Zoho charged is in the job's stats.
    assert.equal(stats.calls, 3);
    assert.equal(stats.credits, server.sim.stats().creditsUsed, 'stats.credits counts the lookup and the metadata call');
  });
});

for (const unique of [false, true]) {
  test(`verify: a 502 after Zoho committed is looked up, never resent blindly (Email unique ${unique ? 'on' : 'off'})`, async () => {
    let first = true;
    const { transport } = faulty((req) => (isInsert(req) && first ? ((first = false), gateway()) : null));
    await withSim({ uniqueFields: { Leads: unique ? ['Email'] : [] } }, { options: { transport } }, async ({ server, client }) => {
      const leads = validLeads(3, `gw${unique}`);
      const { results } = await client.insert('Leads', leads);
      assert.deepEqual(tally(results), { 'true SUCCESS verified_after_lost_reply': 3 });
      for (const l of leads) assert.equal(server.sim.createdCount('Leads', l.Email), 1, `${l.Email} created once`);
    });
  });
}

test('verify: a short 2xx reply to an insert ({"data":[]}) is verified, not taken for a success', async () => {
  let first = true;
  const short = () => ({ status: 201, headers: { 'content-type': 'application/json' }, body: '{"data":[]}' });
  const { transport } = faulty((req) => (isInsert(req) && first ? ((first = false), short()) : null));
  await withSim({}, { options: { transport } }, async ({ server, client }) => {
    const leads = validLeads(4, 'short');
    const { results } = await client.insert('Leads', leads);
    assert.deepEqual(tally(results), { 'true SUCCESS verified_after_lost_reply': 4 });
    for (const [i, l] of leads.entries()) {
      assert.equal(server.sim.createdCount('Leads', l.Email), 1);
      assert.equal(String(server.sim.records('Leads').find((x) => x.Email === l.Email).id), results[i].id);
    }
  });
});

test('verify: an insert that never reached Zoho is proven absent and sent again', async () => {
  let first = true;
  const real = zg.fetchTransport();
  const transport = async (req) => (isInsert(req) && first ? ((first = false), lost()) : real(req));
  await withSim({}, { options: { transport } }, async ({ server, client }) => {
    const leads = validLeads(5, 'absent');
    const { results } = await client.insert('Leads', leads);
    assert.deepEqual(tally(results), { 'true SUCCESS success': 5 });
    for (const r of results) assert.equal(r.attempts, 2, 'one lost, one sent again');
    for (const l of leads) assert.equal(server.sim.createdCount('Leads', l.Email), 1);
  });
});

test('verify: with COQL refused (no coql scope) the lookup goes to the search API', async () => {
  let first = true;
  const { transport } = faulty((req) => (isInsert(req) && first ? ((first = false), lost()) : null));
  await withSim({ coqlScope: false }, { options: { transport } }, async ({ server, client, events }) => {
    const leads = validLeads(25, 'scope');
    const { results } = await client.insert('Leads', leads);
    assert.deepEqual(tally(results), { 'true SUCCESS verified_after_lost_reply': 25 });
    assert.ok(events.some((e) => e.type === 'lookup_fallback' && e.to === 'search'), 'fell back to search');
    assert.ok(events.some((e) => e.type === 'send' && /\/Leads\/search/.test(e.url)), 'searched');
    for (const l of leads) assert.equal(server.sim.createdCount('Leads', l.Email), 1);
  });
});

test('verify: an expired token under a lookup is no refusal of COQL; the lookup stays on COQL', async () => {
  // Regression (issue 14 soak): a quick lookup whose replay was refused 401 (a 2 s token
  // expiring again) marked COQL refused for the client, and every later lookup went to
  // the search API at 10 values a call.
  let first = true;
  let coql401 = 0;
  const expired = () => ({ status: 401, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ code: 'INVALID_TOKEN', details: {}, message: 'invalid oauth token', status: 'error' }) });
  const { transport } = faulty((req) => {
    if (isInsert(req) && first) return (first = false), lost();
    if (/\/coql$/.test(new URL(req.url).pathname) && coql401 < 2) return coql401++, expired();
    return null;
  });
  await withSim({}, { options: { transport } }, async ({ server, client, events }) => {
    const leads = validLeads(25, 'expired');
    const { results } = await client.insert('Leads', leads);
    assert.deepEqual(tally(results), { 'true SUCCESS verified_after_lost_reply': 25 });
    assert.equal(coql401, 2, 'both attempts of the quick lookup were refused 401');
    assert.ok(!events.some((e) => e.type === 'lookup_fallback'), 'no fallback to search');
    assert.ok(!events.some((e) => e.type === 'send' && /\/Leads\/search/.test(e.url)), 'never searched');
    for (const l of leads) assert.equal(server.sim.createdCount('Leads', l.Email), 1);
  });
});

test('verify: one COQL call looks up a lost batch of 100 (v8); an org refusing 100 values gets two of 50', async () => {
  const coqlValues = (req) => (/\/coql$/.test(new URL(req.url).pathname) ? (JSON.parse(req.body).select_query.match(/'[^']*'/g) ?? []).length : -1);
  for (const limit of [100, 50]) {
    let first = true;
    const asked = [];
    const tooMany = () => ({ status: 400, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ code: 'LIMIT_EXCEEDED', details: { limit: 50 }, message: 'in operator limit exceeded', status: 'error' }) });
    const { transport } = faulty((req) => {
      if (isInsert(req) && first) return (first = false), lost();
      const n = coqlValues(req);
      if (n >= 0) asked.push(n);
      return n > limit ? tooMany() : null;
    });
    await withSim({}, { options: { transport } }, async ({ server, client, events }) => {
      const leads = validLeads(100, `in${limit}`);
      const { results } = await client.insert('Leads', leads);
      assert.deepEqual(tally(results), { 'true SUCCESS verified_after_lost_reply': 100 });
      assert.ok(!events.some((e) => e.type === 'lookup_fallback'), 'no fallback to search');
      for (const l of leads) assert.equal(server.sim.createdCount('Leads', l.Email), 1);
    });
    assert.deepEqual(asked, limit === 100 ? [100] : [100, 50, 50], `values per COQL call with an org allowing ${limit}`);
  }
});

test('verify: with clocks apart (server 90 s ahead) the Date header keeps the proof right', async () => {
  const old = { Last_Name: 'Old', Email: 'skew@x.com' };
  let first = true;
  const { transport } = faulty((req) => (isInsert(req) && first ? ((first = false), lost()) : null));
  await withSim({ clockSkewMs: 90_000, seedRecords: { Leads: [old] } }, { options: { transport } }, async ({ server, client }) => {
    const { results } = await client.insert('Leads', [{ Last_Name: 'New', Email: 'skew@x.com' }, { Last_Name: 'Other', Email: 'other@x.com' }]);
    assert.deepEqual(tally(results), { 'true SUCCESS verified_after_lost_reply': 2 });
    const rows = server.sim.records('Leads').filter((l) => l.Email === 'skew@x.com');
    assert.equal(rows.find((l) => String(l.id) === results[0].id)?.Last_Name, 'New');
  });
});

test('resume: a lookup chunk that fails keeps the answers of the others; a later resume settles the rest', async () => {
  let failing = true;
  // Every lookup naming chunk-two e-mails fails for good (COQL and search alike) during the first resume.
  const real = zg.fetchTransport();
  const transport = async (req) => {
    const text = `${req.url} ${typeof req.body === 'string' ? req.body : ''}`;
    if (failing && /c2x/.test(decodeURIComponent(text)) && !isInsert(req)) {
      return { status: 400, headers: { 'content-type': 'application/json' }, body: '{"code":"INVALID_QUERY","details":{},"message":"invalid query formed","status":"error"}' };
    }
    return real(req);
  };
  await withSim({}, { options: { transport } }, async ({ server, client }) => {
    // 50 created and 50 never sent in chunk one (values 0-49), 50 created in chunk two.
    const leads = [...validLeads(100, 'c1x'), ...validLeads(50, 'c2x')];
    const created = leads.filter((_, i) => i < 50 || i >= 100);
    const first = await client.insert('Leads', created);
    assert.equal(first.stats.ok, 100);
    // A crash lost every result: the resume has holes only.
    const one = await client.insert('Leads', leads, { resume: { results: [], stats: first.stats } });
    const t = tally(one.results);
    assert.equal(t['true SUCCESS verified_on_resume'], 50, 'chunk one: found ones kept');
    assert.equal(t['true SUCCESS success'], 50, 'chunk one: absent ones sent');
    assert.equal(t['false AMBIGUOUS_WRITE verify_failed'], 50, 'chunk two only stays unknown');
    failing = false;
    const two = await client.insert('Leads', leads, { resume: one });
    assert.equal(two.stats.ok, 150, JSON.stringify(tally(two.results)));
    for (const l of leads) assert.equal(server.sim.createdCount('Leads', l.Email), 1, `${l.Email} once`);
  });
});
