// Shared cases for the Guard: run against the installed package in Node, inside
// workerd (Miniflare) and in headless Chromium. Verdicts are hand-built in the shape
// `classify` returns, so the decisions are checked independently of classification.

const top = (httpStatus, code, category, retry, extra = {}) => ({
  outcome: 'failure',
  httpStatus,
  category,
  retry,
  error: { code, message: code.toLowerCase(), details: {}, category, retry },
  records: [],
  credits: null,
  retryAfterMs: null,
  tokenExpiresAt: null,
  ...extra,
});
const OK = { outcome: 'success', httpStatus: 200, category: 'ok', retry: 'none', error: null, records: [], credits: null, retryAfterMs: null, tokenExpiresAt: null };
const TOO_MANY = top(429, 'TOO_MANY_REQUESTS', 'rate_limit', 'backoff');
const INVALID_TOKEN = top(401, 'INVALID_TOKEN', 'auth', 'refresh_token');
const AUTH_FAILURE = top(401, 'AUTHENTICATION_FAILURE', 'auth', 'refresh_token');
const GET = { kind: 'get', module: 'Leads' };

export default [
  {
    name: 'guard: admit within the edition limit, settle a success',
    run(api, t) {
      const g = new api.Guard({ edition: 'free', seed: 1 });
      const tickets = [];
      for (let i = 0; i < 5; i++) {
        const a = g.admit(GET, 1000);
        t.equal(a.ok, true);
        t.equal(a.attempt, 1);
        tickets.push(a.ticket);
      }
      const r = g.admit(GET, 1000);
      t.deepEqual(r, { ok: false, waitMs: 50, reason: 'concurrency', refresh: false });
      const d = g.settleVerdict(tickets[0], OK, 1010);
      t.equal(d.action, 'done');
      t.equal(d.reason, 'success');
      t.equal(d.indices, null, 'null, never undefined');
      t.equal(g.admit(GET, 1020).ok, true);
    },
  },
  {
    name: 'guard: 429 under load backs off with full jitter and shrinks the limit',
    run(api, t) {
      const g = new api.Guard({ edition: 'professional', seed: 42 });
      const ts = Array.from({ length: 15 }, () => g.admit(GET, 0).ticket);
      const ds = ts.map((tk) => g.settleVerdict(tk, TOO_MANY, 100));
      for (const d of ds) {
        t.equal(d.action, 'retry');
        t.equal(d.reason, 'too_many_requests');
        t.equal(d.inputs.delayBasis, 'throttle');
        t.ok(d.delayMs >= 0 && d.delayMs <= 1000, `delay ${d.delayMs} within the 1 s base`);
      }
      t.ok(new Set(ds.map((d) => d.delayMs)).size > 1, 'jittered');
      const snap = g.snapshot(100);
      // The first refused call was admitted with nothing in flight: the limit halves
      // (the most one congestion event takes), min(15 × 0.7, max(0, 7.5)) → 7.
      t.equal(snap.effectiveLimit, 7);
      t.equal(snap.inFlight, 0, 'waiting retries hold no slot');
      const again = g.admit(GET, 2000, ds[0].request);
      t.equal(again.attempt, 2);
      t.equal(again.request, ds[0].request);
    },
  },
  {
    name: 'guard: the same seed gives the same decisions on every runtime',
    run(api, t) {
      const g = new api.Guard({ edition: 'enterprise', seed: 12345 });
      const delays = [];
      for (let i = 0; i < 5; i++) {
        const a = g.admit(GET, i * 10);
        delays.push(g.settleVerdict(a.ticket, top(503, 'HTTP_503', 'server', 'backoff'), i * 10 + 1).delayMs);
      }
      const again = new api.Guard({ edition: 'enterprise', seed: 12345 });
      const delays2 = [];
      for (let i = 0; i < 5; i++) {
        const a = again.admit(GET, i * 10);
        delays2.push(again.settleVerdict(a.ticket, top(503, 'HTTP_503', 'server', 'backoff'), i * 10 + 1).delayMs);
      }
      t.deepEqual(delays, delays2);
      // Pinned: the same figures as the native test `pinned_delays_are_the_same_everywhere`;
      // the fifth failure opens the server breaker (give_up, 10 s until half-open).
      t.deepEqual(delays, [7, 4, 79, 33, 10000]);
    },
  },
  {
    name: 'guard: three concurrent 401s cause one refresh, then each replays once',
    run(api, t) {
      const g = new api.Guard({ edition: 'enterprise' });
      const ts = [0, 1, 2].map(() => g.admit(GET, 0).ticket);
      const ds = ts.map((tk) => g.settleVerdict(tk, INVALID_TOKEN, 10));
      t.equal(ds.filter((d) => d.action === 'refresh_token').length, 1);
      t.equal(ds[1].reason, 'await_token_refresh');
      const waiting = g.admit(GET, 20, ds[1].request);
      t.equal(waiting.ok, false);
      t.equal(waiting.reason, 'token_refresh');
      const status = g.tokenRefreshed(30, { access_token: 'x', api_domain: 'https://www.zohoapis.com', expires_in: 3600 });
      t.equal(status.generation, 1);
      t.equal(status.dataCenter, 'us');
      t.equal(status.expiresAt, 30 + 3_600_000);
      for (const d of ds) {
        const a = g.admit(GET, 40, d.request);
        t.equal(a.ok, true);
        t.equal(g.settleVerdict(a.ticket, OK, 50).action, 'done');
      }
      t.equal(g.snapshot(50).token.generation, 1);
    },
  },
  {
    name: 'guard: AUTHENTICATION_FAILURE after a fresh token names the data centre',
    run(api, t) {
      const g = new api.Guard({ edition: 'enterprise' });
      const a = g.admit(GET, 0);
      t.equal(g.settleVerdict(a.ticket, AUTH_FAILURE, 1).action, 'refresh_token');
      g.tokenRefreshed(2, { access_token: 'x', api_domain: 'https://www.zohoapis.eu', expires_in: 3600 });
      const b = g.admit(GET, 3, a.request);
      const d = g.settleVerdict(b.ticket, AUTH_FAILURE, 4);
      t.equal(d.action, 'give_up');
      t.equal(d.reason, 'check_domain');
      t.equal(d.inputs.dataCenter, 'eu');
      t.throwsCode(() => g.tokenRefreshed(5, { error: 'invalid_client' }), 'INVALID_ARGUMENT');
    },
  },
  {
    name: 'guard: a 207 with locked records retries only those',
    run(api, t) {
      const g = new api.Guard({ edition: 'enterprise' });
      const a = g.admit({ kind: 'insert', module: 'Leads', recordCount: 3 }, 0);
      const rec = (index, ok, code, category, retry) => ({ index, ok, code, message: '', details: {}, id: null, action: null, category, retry });
      const v = {
        ...OK,
        outcome: 'partial',
        httpStatus: 207,
        category: 'partial',
        retry: 'records',
        records: [rec(0, true, 'SUCCESS', 'ok', 'none'), rec(1, false, 'RECORD_LOCKED', 'locked', 'backoff'), rec(2, false, 'INVALID_DATA', 'validation', 'none')],
      };
      const d = g.settleVerdict(a.ticket, v, 10);
      t.equal(d.action, 'retry_records');
      t.deepEqual(d.indices, [1]);
    },
  },
  {
    name: 'guard: an insert without a response under each ambiguousInsert setting',
    run(api, t) {
      const expect = { verify: ['verify', 'ambiguous_write'], upsert: ['retry', 'resend_as_upsert'], give_up: ['give_up', 'ambiguous_write'] };
      for (const [setting, [action, reason]] of Object.entries(expect)) {
        const g = new api.Guard({ edition: 'enterprise', ambiguousInsert: setting });
        const a = g.admit({ kind: 'insert', module: 'Leads', recordCount: 2 }, 0);
        const d = g.settleNoResponse(a.ticket, 30_000);
        t.equal(d.action, action, setting);
        t.equal(d.reason, reason, setting);
      }
      const g = new api.Guard({ edition: 'enterprise' });
      const a = g.admit({ kind: 'update', module: 'Leads', recordCount: 2 }, 0);
      t.equal(g.settleNoResponse(a.ticket, 10).reason, 'network_error', 'an update is safe to resend');
    },
  },
  {
    name: 'guard: a patient call waits out the breaker; an insert after a 502 is verified, never resent',
    run(api, t) {
      const g = new api.Guard({ edition: 'enterprise', breaker: { threshold: 2, halfOpenAfterMs: 1000 } });
      const s = top(502, 'HTTP_502', 'server', 'backoff');
      const patient = { ...GET, patient: true };
      const d1 = g.settleVerdict(g.admit(patient, 0).ticket, s, 1);
      t.equal(d1.action, 'retry');
      t.equal(d1.inputs.maxAttempts, null, 'no attempts cap');
      const d2 = g.settleVerdict(g.admit(patient, 2, d1.request).ticket, s, 3);
      t.deepEqual([d2.action, d2.reason, d2.inputs.delayBasis, d2.delayMs], ['retry', 'breaker_open', 'breaker', 1000]);
      const insert = { kind: 'insert', module: 'Leads', recordCount: 2 };
      const h = new api.Guard({ edition: 'enterprise' });
      for (const status of [500, 502, 503, 504]) {
        const d = h.settleVerdict(h.admit(insert, 0).ticket, top(status, `HTTP_${status}`, 'server', 'backoff'), 1);
        t.deepEqual([d.action, d.reason], ['verify', 'ambiguous_write'], `${status}`);
      }
    },
  },
  {
    name: 'guard: tokenRefreshFailed gives up on a revoked token and waits the window on Access Denied',
    run(api, t) {
      const g = new api.Guard({ edition: 'enterprise' });
      const revoked = g.tokenRefreshFailed(0, { error: 'invalid_code', status: 200 });
      t.deepEqual(revoked, { action: 'give_up', delayMs: 0, reason: 'token_revoked', delayBasis: null, failures: 1 });
      const h = new api.Guard({ edition: 'enterprise' });
      h.tokenRefreshed(0, { access_token: 'x', expires_in: 3600 });
      const d = h.tokenRefreshFailed(100_000, { error: 'Access Denied', status: 200, message: 'You have made too many requests continuously.' });
      t.deepEqual([d.action, d.reason, d.delayBasis, d.delayMs], ['retry', 'too_many_requests', 'token_rate_limit', 500_000]);
      t.deepEqual(h.admit(GET, 300_000), { ok: false, waitMs: 300_000, reason: 'token_refresh', refresh: false });
      t.deepEqual(h.admit(GET, 600_000), { ok: false, waitMs: 0, reason: 'token_refresh', refresh: true });
      const lost = h.tokenRefreshFailed(600_001);
      t.equal(lost.reason, 'network_error');
      t.throwsCode(() => h.tokenRefreshFailed(NaN, {}), 'INVALID_ARGUMENT');
      t.throwsCode(() => h.tokenRefreshFailed(0, { status: 'five' }), 'INVALID_ARGUMENT');
      t.equal(JSON.stringify(api.Guard.replay(h.decisionLog())), JSON.stringify(h.decisionLog().events));
    },
  },
  {
    name: 'guard: a Retry-After beyond the ceiling gives up; no wait exceeds 2^31 - 1 ms',
    run(api, t) {
      const g = new api.Guard({ edition: 'enterprise' });
      const d = g.settleVerdict(g.admit(GET, 0).ticket, { ...TOO_MANY, retryAfterMs: 2_592_000_000 }, 1);
      t.deepEqual([d.action, d.reason], ['give_up', 'retry_after_too_long']);
      t.deepEqual(g.admit(GET, 1), { ok: false, waitMs: 600_000, reason: 'cooldown', refresh: false });
      const h = new api.Guard({ edition: 'enterprise', breaker: { threshold: 1, halfOpenAfterMs: 1e12 } });
      const e = h.settleVerdict(h.admit({ ...GET, patient: true }, 0).ticket, top(500, 'INTERNAL_ERROR', 'server', 'backoff'), 1);
      t.equal(e.delayMs, 2 ** 31 - 1);
      t.equal(h.admit(GET, 2).waitMs, 2 ** 31 - 1);
      t.equal(api.zohoFacts().maxWaitMs, 2 ** 31 - 1);
    },
  },
  {
    name: 'guard: a breaker opens and closes',
    run(api, t) {
      const g = new api.Guard({ edition: 'enterprise', breaker: { threshold: 2, halfOpenAfterMs: 1000 }, retry: { maxAttempts: 1 } });
      const s = top(500, 'INTERNAL_ERROR', 'server', 'backoff');
      g.settleVerdict(g.admit(GET, 0).ticket, s, 1);
      const d = g.settleVerdict(g.admit(GET, 2).ticket, s, 3);
      t.equal(d.reason, 'breaker_open');
      t.equal(g.admit(GET, 500).reason, 'breaker_open');
      t.equal(g.snapshot(500).breakers.server.state, 'open');
      const probe = g.admit(GET, 1003);
      t.equal(probe.ok, true);
      g.settleVerdict(probe.ticket, OK, 1004);
      t.equal(g.snapshot(1004).breakers.server.state, 'closed');
    },
  },
  {
    name: 'guard: credits run out and come back 24 h later',
    run(api, t) {
      const g = new api.Guard({ edition: 'free' });
      const big = { kind: 'get', credits: 2500 };
      g.settleVerdict(g.admit(big, 0).ticket, { ...OK, credits: { remaining: 2500 } }, 1);
      g.settleVerdict(g.admit(big, 2).ticket, { ...OK, credits: { remaining: 0 } }, 3);
      const r = g.admit(GET, 10);
      t.equal(r.reason, 'credits');
      t.equal(r.waitMs, 86_400_000 - 10);
      t.equal(g.admit(GET, 86_400_000).ok, true);
    },
  },
  {
    name: 'guard: toJSON / fromJSON round-trip and the log replays bit for bit',
    run(api, t) {
      const g = new api.Guard({ edition: 'professional', seed: 9 });
      const a = g.admit(GET, 0);
      g.settleVerdict(a.ticket, TOO_MANY, 5);
      g.admit({ kind: 'coql', coqlLimit: 500 }, 6);
      const state = g.toJSON();
      const text = JSON.stringify(state);
      const restored = api.Guard.fromJSON(JSON.parse(text));
      t.equal(JSON.stringify(restored.toJSON()), text);
      t.equal(JSON.stringify(restored.admit(GET, 5000, a.request)), JSON.stringify(g.admit(GET, 5000, a.request)));
      const log = JSON.parse(JSON.stringify(g.decisionLog()));
      t.equal(log.events.length, 4);
      t.equal(JSON.stringify(api.Guard.replay(log)), JSON.stringify(log.events));
    },
  },
  {
    name: 'guard: wrong arguments are ZcrmGuardErrors',
    run(api, t) {
      t.throwsCode(() => new api.Guard({}), 'INVALID_ARGUMENT');
      t.throwsCode(() => new api.Guard({ edition: 'gold' }), 'UNKNOWN_EDITION');
      t.throwsCode(() => new api.Guard({ edition: 'free', retry: { maxAttempts: 0 } }), 'INVALID_ARGUMENT');
      t.throwsCode(() => new api.Guard({ edition: 'free', retry: { maxAttemps: 5 } }), 'INVALID_ARGUMENT', 'a misspelt key is refused');
      const g = new api.Guard({ edition: 'free' });
      t.throwsCode(() => g.admit(GET, NaN), 'INVALID_ARGUMENT');
      t.throwsCode(() => g.admit(GET, -1), 'INVALID_ARGUMENT');
      t.throwsCode(() => g.admit(GET, '5'), 'INVALID_ARGUMENT');
      t.throwsCode(() => g.admit({ kind: 'teleport' }, 0), 'UNKNOWN_OPERATION_KIND');
      t.throwsCode(() => g.settleVerdict(77, OK, 0), 'UNKNOWN_TICKET');
      const a = g.admit(GET, 0);
      g.settleVerdict(a.ticket, OK, 1);
      t.throwsCode(() => g.settleVerdict(a.ticket, OK, 2), 'TICKET_ALREADY_SETTLED');
      t.throwsCode(() => g.admit(GET, 3, a.ticket), 'RETRY_NOT_ALLOWED');
      t.throwsCode(() => api.Guard.fromJSON({ version: 2 }), 'INVALID_ARGUMENT');
      t.ok(api.errorCodes().includes('TICKET_ALREADY_SETTLED'));
    },
  },
  {
    name: 'guard: settle classifies a response given as text',
    run(api, t) {
      const g = new api.Guard({ edition: 'enterprise' });
      const a = g.admit(GET, 0);
      const response = { status: 429, headers: { 'content-type': 'application/json' }, body: '{"code":"TOO_MANY_REQUESTS","details":{},"message":"too many requests","status":"error"}' };
      if (typeof api.classify !== 'function') {
        // classify is merged separately; until then settle says so with a typed error.
        t.throwsCode(() => g.settle(a.ticket, response, 1), 'INVALID_ARGUMENT');
        return;
      }
      const d = g.settle(a.ticket, response, 1);
      t.equal(d.verdict.httpStatus, 429);
      t.equal(d.reason, 'too_many_requests');
    },
  },
  {
    name: 'guard: settle of a 207 gives the verdict classify gives; the log keeps codes and counts, within logMaxBytes',
    run(api, t) {
      const entry = (i) => (i % 3 === 1
        ? { code: 'RECORD_LOCKED', status: 'error', message: 'held by an approval '.repeat(10), details: { id: `${i}`, json_path: `$.data[${i}]` } }
        : { code: 'SUCCESS', status: 'success', message: 'record added', details: { Modified_Time: '2024-01-01T00:00:00+00:00', id: `${i}` } });
      const body = JSON.stringify({ data: Array.from({ length: 30 }, (_, i) => entry(i)) });
      const op = { kind: 'insert', module: 'Leads', recordCount: 30 };
      const response = { status: 207, headers: new Map([['X-API-CREDITS-REMAINING', '4000'], ['retry-after', 1]]), body };
      const g = new api.Guard({ edition: 'enterprise', logMaxBytes: 65_536 });
      for (let i = 0; i < 200; i++) {
        const now = i * 20_000;
        const d = g.settle(g.admit(op, now).ticket, response, now);
        t.equal(d.action, 'retry_records');
        if (i === 0) {
          t.equal(JSON.stringify(d.verdict), JSON.stringify(api.classify(response, op)), 'the same verdict, records and key order included');
          t.deepEqual(d.indices, Array.from({ length: 10 }, (_, k) => 3 * k + 1));
          const logged = g.decisionLog().events[1].decision;
          t.deepEqual([logged.verdict.okRecords, logged.verdict.failed.length, logged.indices.length], [20, 10, 10]);
          t.ok(!JSON.stringify(logged).includes('approval'), 'no message is logged');
        }
      }
      const log = g.decisionLog();
      t.ok(JSON.stringify(log).length < 65_536, `the log's JSON is ${JSON.stringify(log).length} characters`);
      t.equal(JSON.stringify(api.Guard.replay(log)), JSON.stringify(log.events));
      t.throwsCode(() => new api.Guard({ edition: 'enterprise', logMaxBytes: 10 }), 'INVALID_ARGUMENT');
    },
  },
];
