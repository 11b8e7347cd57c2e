// The fetch transport against the simulator's HTTP server (real sockets) and its fetch front.
import test from 'node:test';
import assert from 'node:assert/strict';
import { startSimulatorServer } from '@zcrm-guard/zoho-sim/server';
import { ZohoSimulator, simulatorFetch } from '@zcrm-guard/zoho-sim';
import { fetchTransport, redact } from '../../pkg-template/lib/transports.js';
import { leads } from './helpers.mjs';

const TOKEN = 'sim-access-0';
const auth = { Authorization: `Zoho-oauthtoken ${TOKEN}` };

/** Runs `fn` with a server whose simulator has `options`; always closes it. */
async function withServer(options, fn) {
  const srv = await startSimulatorServer({ seed: 3, ...options });
  try {
    await fn(srv);
  } finally {
    await srv.close();
  }
}

const insert = (url, n = 1, tag = 'f') => ({
  method: 'POST',
  url: `${url}/crm/v8/Leads`,
  headers: auth,
  body: { data: leads(n, tag) },
  timeoutMs: 2000,
});

test('HTTP: answers come back as { status, headers, body } with lowercase headers, errors included', async () => {
  await withServer({ credits: 4 }, async ({ url, sim }) => {
    const t = fetchTransport();
    const ok = await t(insert(url, 2));
    assert.equal(ok.status, 201);
    assert.match(ok.headers['content-type'], /^application\/json/);
    assert.equal(JSON.parse(ok.body).data.length, 2);
    assert.equal(ok.error, undefined);
    const r = await t({ method: 'GET', url: `${url}/crm/v8/Leads?fields=Email`, headers: auth });
    assert.equal(r.status, 200);
    assert.equal(r.headers['x-api-credits-remaining'], '2', 'credits header passes through');
    const unauth = await t({ method: 'GET', url: `${url}/crm/v8/Leads?fields=Email`, headers: { Authorization: 'Zoho-oauthtoken nope' } });
    assert.equal(unauth.status, 401);
    assert.equal(JSON.parse(unauth.body).code, 'INVALID_TOKEN');
    const empty = await t({ method: 'GET', url: `${url}/crm/v8/Leads/search?email=none@x.com`, headers: auth });
    assert.equal(empty.status, 204);
    assert.equal(empty.body, '');
    assert.equal(sim.stats().byStatus['201'], 1);
  });
});

test('HTTP: the token endpoint answers on the same server with api_domain = the server', async () => {
  await withServer({}, async ({ url }) => {
    const t = fetchTransport();
    const r = await t({
      method: 'POST',
      url: `${url}/oauth/v2/token`,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: 'sim-refresh-token' }),
    });
    const b = JSON.parse(r.body);
    assert.equal(r.status, 200);
    assert.equal(b.api_domain, url);
    assert.equal(b.expires_in, 3600);
  });
});

test('HTTP: a slow reply past the timeout is status 0, TimeoutError, timedOut; the write happened', async () => {
  await withServer({ faults: { slow: 1 }, slowMs: 600 }, async ({ url, sim }) => {
    const t = fetchTransport({ timeoutMs: 100 });
    const started = Date.now();
    const r = await t({ ...insert(url), timeoutMs: undefined });
    assert.ok(Date.now() - started < 500, 'returned at the timeout, not at the reply');
    assert.equal(r.status, 0);
    assert.equal(r.timedOut, true);
    assert.equal(r.error.name, 'TimeoutError');
    assert.equal(sim.stats().created.Leads, 1, 'the ambiguous write was really made');
  });
});

test('HTTP: dropped connections before and after processing both look like network errors', async () => {
  for (const [kind, created] of [['dropBefore', 0], ['dropAfter', 1]]) {
    await withServer({ faults: { [kind]: 1 } }, async ({ url, sim }) => {
      const r = await fetchTransport()(insert(url));
      assert.equal(r.status, 0, kind);
      assert.equal(r.timedOut, undefined);
      assert.equal(typeof r.error.name, 'string');
      assert.equal(r.error.phase, 'send');
      assert.equal(sim.stats().created.Leads ?? 0, created, kind);
    });
  }
});

test('HTTP: a truncated body is a body-phase failure that keeps the headers', async () => {
  await withServer({ faults: { truncated: 1 } }, async ({ url, sim }) => {
    const r = await fetchTransport()(insert(url, 3));
    assert.equal(r.status, 0);
    assert.equal(r.error.phase, 'body');
    assert.match(r.headers['content-type'], /json/);
    assert.equal(sim.stats().created.Leads, 3);
  });
});

test('HTTP: 502/503 HTML bodies pass through as answers', async () => {
  await withServer({ faults: { badGateway: 0.5, serviceUnavailable: 0.5 } }, async ({ url }) => {
    const r = await fetchTransport()(insert(url));
    assert.ok(r.status === 502 || r.status === 503);
    assert.match(r.headers['content-type'], /text\/html/);
    assert.match(r.body, /<html>/);
  });
});

test('HTTP: an abort signal ends the call as aborted, not as a timeout', async () => {
  await withServer({ latencyMs: 300 }, async ({ url }) => {
    const ac = new AbortController();
    setTimeout(() => ac.abort(), 30);
    const r = await fetchTransport()({ ...insert(url), signal: ac.signal });
    assert.equal(r.status, 0);
    assert.equal(r.aborted, true);
    assert.equal(r.error.name, 'AbortError');
    const pre = await fetchTransport()({ ...insert(url), signal: AbortSignal.abort() });
    assert.equal(pre.aborted, true);
  });
});

test('HTTP: in-flight peak seen by the simulator over real sockets', async () => {
  await withServer({ edition: 'free', latencyMs: 50 }, async ({ url, sim }) => {
    const t = fetchTransport();
    const rs = await Promise.all(Array.from({ length: 6 }, () => t({ method: 'GET', url: `${url}/crm/v8/Leads?fields=Email`, headers: auth })));
    assert.equal(rs.filter((r) => r.status === 429).length, 1);
    assert.equal(sim.stats().maxInFlight, 6);
  });
});

test('network errors never carry the token', async () => {
  const leaky = async () => {
    throw new TypeError(`connect failed for Zoho-oauthtoken ${TOKEN} refresh_token=1000.abcd client_secret=xyz`);
  };
  const r = await fetchTransport({ fetch: leaky })({ ...insert('http://127.0.0.1:9'), headers: { authorization: `Zoho-oauthtoken ${TOKEN}` } });
  assert.equal(r.status, 0);
  assert.doesNotMatch(JSON.stringify(r), /sim-access-0|1000\.abcd|xyz/);
  assert.match(r.error.message, /\[redacted\]/);
  const closed = await fetchTransport()({ ...insert('http://127.0.0.1:9') });
  assert.equal(closed.status, 0);
  assert.doesNotMatch(JSON.stringify(closed), /sim-access-0/);
  assert.equal(redact('{"access_token":"1000.x.y","api_domain":"d"}'), '{"access_token":"[redacted]","api_domain":"d"}');
});

test('in-process simulatorFetch: the same faults through fetchTransport without sockets', async () => {
  const cases = [
    [{ dropAfter: 1 }, (r) => r.status === 0 && r.error.phase === 'send', 1],
    [{ truncated: 1 }, (r) => r.status === 0 && r.error.phase === 'body', 1],
    [{ internalError: 1 }, (r) => r.status === 500 && JSON.parse(r.body).code === 'INTERNAL_ERROR', 0],
    [{}, (r) => r.status === 201, 1],
  ];
  for (const [faults, check, created] of cases) {
    const sim = new ZohoSimulator({ seed: 1, faults });
    const r = await fetchTransport({ fetch: simulatorFetch(sim) })(insert('https://www.zohoapis.com'));
    assert.ok(check(r), JSON.stringify({ faults, r }));
    assert.equal(sim.stats().created.Leads ?? 0, created);
  }
  const slow = new ZohoSimulator({ faults: { slow: 1 }, slowMs: 400 });
  const r = await fetchTransport({ fetch: simulatorFetch(slow), timeoutMs: 50 })({ ...insert('https://www.zohoapis.com'), timeoutMs: undefined });
  assert.equal(r.timedOut, true);
});
