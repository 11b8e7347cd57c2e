// Checks every claim of SECURITY.md against the package as users install it: what
// the Guard stores (no token), what the client redacts (events, results, errors),
// the limits against resource exhaustion, and the demo server's CSP.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as api from 'zcrm-guard';
import { startServer, CSP } from './serve.mjs';

const SECRET = 'secret-token';

function code(fn) {
  try {
    fn();
  } catch (e) {
    assert.equal(e.name, 'ZcrmGuardError', `not a ZcrmGuardError: ${e}`);
    return e.code;
  }
  assert.fail('expected a throw');
}

/** Deep text of anything, getters and class instances included. */
const text = (v) => JSON.stringify(v, (_k, x) => (x instanceof Error ? { name: x.name, message: x.message, code: x.code, details: x.details, stack: x.stack } : x)) ?? String(v);

test('the Guard stores expiry metadata only, never the access token', () => {
  const g = new api.Guard({ edition: 'standard', licenses: 2 });
  const status = g.tokenRefreshed(1_000, { access_token: SECRET, refresh_token: `${SECRET}-refresh`, expires_in: 3600, api_domain: 'https://www.zohoapis.eu' });
  assert.ok(status.generation > 0);
  for (const out of [g.toJSON(), g.decisionLog(), g.snapshot(2_000), status]) {
    assert.ok(!text(out).includes(SECRET), `token found in ${text(out).slice(0, 200)}`);
  }
  // The expiry metadata is what is kept.
  assert.ok(text(g.toJSON()).includes('zohoapis.eu'));
  const back = api.Guard.fromJSON(g.toJSON());
  assert.ok(!text(back.toJSON()).includes(SECRET));
});

/** A client with a stub transport answering from `replies` (functions of the request). */
function client(replies, events, extra = {}) {
  let clock = 1_000;
  let n = 0;
  return api.createClient({
    apiDomain: 'https://www.zohoapis.com',
    edition: 'enterprise',
    licenses: 10,
    getAccessToken: () => SECRET,
    refreshAccessToken: async () => ({ access_token: SECRET, expires_in: 3600 }),
    transport: async (req) => {
      assert.equal(req.headers.Authorization, `Zoho-oauthtoken ${SECRET}`);
      const r = replies[Math.min(n++, replies.length - 1)];
      return r(req);
    },
    onEvent: (e) => events.push(e),
    now: () => (clock += 10),
    sleep: async (ms) => {
      clock += ms;
    },
    ...extra,
  });
}

const ok = () => ({ status: 200, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ data: [{ code: 'SUCCESS', status: 'success', message: 'record updated', details: { id: '1' } }] }) });
const unauthorized = () => ({ status: 401, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ code: 'INVALID_TOKEN', status: 'error', message: 'invalid oauth token', details: {} }) });
const networkError = (req) => ({ status: 0, headers: {}, body: '', error: { name: 'TypeError', message: `fetch failed; sent ${req.headers.Authorization} and ${SECRET}` } });
const throws = (req) => {
  throw new Error(`socket hang up (${req.headers.Authorization}, access_token=${SECRET})`);
};

for (const [name, replies] of [
  ['a 401 then success', [unauthorized, ok]],
  ['a network error naming the token, then success', [networkError, ok]],
  ['network errors naming the token until the client gives up', [networkError]],
  ['a transport that throws an error naming the token', [throws]],
]) {
  test(`the client leaks no token in events, results or errors: ${name}`, async () => {
    const events = [];
    const c = client(replies, events);
    let out;
    try {
      out = await c.update('Leads', [{ id: '1', Last_Name: 'A' }], { validate: false });
    } catch (e) {
      out = e;
    }
    assert.ok(events.length > 0, 'events were emitted');
    assert.ok(events.some((e) => e.type === 'send'));
    for (const e of events) assert.ok(!text(e).includes(SECRET), `token in event ${text(e)}`);
    assert.ok(!text(out).includes(SECRET), `token in result ${text(out)}`);
    const s = c.snapshot();
    assert.ok(!text(s).includes(SECRET));
    assert.ok(!text(c.guard.toJSON()).includes(SECRET));
  });
}

test('classify refuses a body over 32 MiB with BODY_TOO_LARGE and reads deep JSON as malformed', () => {
  const body = 'x'.repeat(33 * 1024 * 1024);
  assert.equal(code(() => api.classify({ status: 200, headers: {}, body })), 'BODY_TOO_LARGE');
  assert.equal(code(() => api.classify({ status: 200, headers: {}, body: new TextEncoder().encode(body) })), 'BODY_TOO_LARGE');
  // A body nested 10,000 deep is a malformed body (serde_json's 128), not a stack overflow.
  const deep = api.classify({ status: 200, headers: {}, body: '['.repeat(10_000) + ']'.repeat(10_000) });
  assert.equal(deep.outcome, 'failure');
  assert.equal(deep.error.code, 'HTTP_200');
  // The instance still answers.
  assert.equal(api.classify({ status: 200, headers: {}, body: '{"data":[]}' }).httpStatus, 200);
});

test('a 10,000-deep JSON argument is INVALID_ARGUMENT, not a stack overflow', () => {
  let deep = {};
  for (let i = 0; i < 10_000; i++) deep = { a: deep };
  const deepArray = JSON.parse('['.repeat(10_000) + ']'.repeat(10_000));
  assert.equal(code(() => new api.Guard({ edition: 'free', costs: deep })), 'INVALID_ARGUMENT');
  assert.equal(code(() => api.validateRecords('Leads', deepArray, { fields: [] })), 'INVALID_ARGUMENT');
  assert.equal(code(() => api.validateRecords('Leads', [{ Last_Name: deep }], { fields: [] })), 'INVALID_ARGUMENT');
  assert.equal(code(() => api.analyzeGraphql('{ Leads { id } }', { v: deep })), 'INVALID_ARGUMENT');
  assert.equal(code(() => api.mergeResults([{ indices: [0] }], [deep])), 'INVALID_ARGUMENT');
  assert.equal(api.creditCost({ kind: 'get' }).credits, 1);
});

test('a GraphQL query over the size limit is QUERY_TOO_LARGE', () => {
  const query = `{ Leads { ${'id '.repeat(100_000)}} }`; // ~300 KB > 256 KiB
  assert.equal(code(() => api.analyzeGraphql(query)), 'QUERY_TOO_LARGE');
  assert.equal(code(() => api.analyzeGraphql(new TextEncoder().encode(query))), 'QUERY_TOO_LARGE');
  assert.equal(code(() => api.analyzeGraphql('{ Leads { id } }', null, { maxQueryBytes: 8 })), 'QUERY_TOO_LARGE');
  assert.equal(typeof api.analyzeGraphql('{ Leads { id } }').ok, 'boolean');
});

test('string arguments are capped before they are copied into wasm', () => {
  const big = 'x'.repeat(100 * 1024 * 1024);
  assert.equal(code(() => api.dataCenterFor(big)), 'INVALID_ARGUMENT');
  assert.equal(code(() => api.editionLimits(big)), 'INVALID_ARGUMENT');
  assert.equal(code(() => api.classify({ status: 0, headers: {}, body: '', error: { name: 'TypeError', message: big } })), 'INVALID_ARGUMENT');
  assert.equal(api.editionLimits('standard', { licenses: 2 }).concurrency, 10);
});

test('hostile JS values are read once as JSON inside a caught call: the instance survives', () => {
  const getter = { get kind() { throw new Error('boom'); } };
  const proxy = new Proxy({}, { ownKeys() { throw new Error('boom'); }, get() { throw new Error('boom'); } });
  const cyclic = { kind: 'get' };
  cyclic.self = cyclic;
  for (const v of [getter, proxy, cyclic, { kind: 'get', n: 10n }]) {
    assert.equal(code(() => api.creditCost(v)), 'INVALID_ARGUMENT');
    assert.equal(api.creditCost({ kind: 'get' }).credits, 1);
  }
});

test('the Guard decision log is bounded by its capacity', () => {
  const g = new api.Guard({ edition: 'ultimate', concurrency: 1000, logCapacity: 16 });
  for (let i = 0; i < 200; i++) {
    const a = g.admit({ kind: 'get', credits: 0 }, i);
    if (a.ok) g.settleNoResponse(a.ticket, i, null);
  }
  assert.ok(g.decisionLog().events.length <= 16, `log has ${g.decisionLog().events.length} events`);
});

test('the demo server sends a strict CSP and refuses paths outside its roots', async () => {
  const { url, close } = await startServer({ mounts: { '/': new URL('.', import.meta.url).pathname } });
  try {
    const res = await fetch(new URL('security.test.mjs', url));
    assert.equal(res.status, 200);
    const csp = res.headers.get('content-security-policy');
    assert.equal(csp, CSP);
    for (const d of ["default-src 'self'", "script-src 'self' 'wasm-unsafe-eval'", "object-src 'none'", "base-uri 'none'", "frame-ancestors 'none'"]) assert.ok(csp.includes(d), d);
    assert.ok(!/unsafe-inline|unsafe-eval'|\*/.test(csp.replace("'wasm-unsafe-eval'", '')), 'no inline script, no eval, no wildcard');
    assert.equal(res.headers.get('x-content-type-options'), 'nosniff');
    const up = await fetch(new URL('/%2e%2e/%2e%2e/package.json', url));
    assert.ok(up.status === 403 || up.status === 404, `traversal answered ${up.status}`);
  } finally {
    await close();
  }
});
