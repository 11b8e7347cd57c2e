// Transports through the built package, in every runtime: fetch mapping and timeout,
// widget body-only mapping. No network: the fetch and the SDK are small inline fakes.

const okBody = '{"data":[{"code":"SUCCESS","details":{"id":"1"},"message":"record added","status":"success"}]}';

export default [
  {
    name: 'transports: fetchTransport returns status, lowercase headers and text, never throws on 4xx',
    async run(api, t) {
      const fake = async () => new Response('{"code":"INVALID_TOKEN","details":{},"message":"invalid oauth token","status":"error"}', {
        status: 401,
        headers: { 'Content-Type': 'application/json', 'X-API-CREDITS-REMAINING': '12' },
      });
      const r = await api.fetchTransport({ fetch: fake })({ method: 'GET', url: 'https://www.zohoapis.com/crm/v8/Leads', headers: {} });
      t.equal(r.status, 401);
      t.equal(r.headers['x-api-credits-remaining'], '12');
      t.equal(JSON.parse(r.body).code, 'INVALID_TOKEN');
    },
  },
  {
    name: 'transports: fetchTransport times out as status 0, TimeoutError, timedOut, without the token',
    async run(api, t) {
      const hang = (_url, init) =>
        new Promise((_resolve, reject) => init.signal.addEventListener('abort', () => reject(new Error('aborted'))));
      const r = await api.fetchTransport({ fetch: hang, timeoutMs: 20 })({
        method: 'POST',
        url: 'https://www.zohoapis.com/crm/v8/Leads',
        headers: { Authorization: 'Zoho-oauthtoken 1000.secret.token' },
        body: { data: [{ Last_Name: 'A' }] },
      });
      t.equal(r.status, 0);
      t.equal(r.timedOut, true);
      t.equal(r.error.name, 'TimeoutError');
      t.ok(!JSON.stringify(r).includes('1000.secret.token'), 'token absent');
    },
  },
  {
    name: 'transports: widgetTransport derives the status from a body-only SDK answer, one record per call',
    async run(api, t) {
      const calls = [];
      const ZOHO = { CRM: { API: { insertRecord: async (c) => (calls.push(c), JSON.parse(okBody)) } } };
      const w = api.widgetTransport({ ZOHO, zrc: null, timeoutMs: 100 });
      t.equal(w.mode, 'api');
      const r = await w({ method: 'POST', url: 'https://www.zohoapis.com/crm/v8/Leads', body: { data: [{ Last_Name: 'A' }, { Last_Name: 'B' }] } });
      t.equal(calls.length, 2);
      t.equal(r.status, 200);
      t.equal(r.derivedStatus, true);
      t.deepEqual(r.headers, {});
      t.equal(JSON.parse(r.body).data.length, 2);
    },
  },
  {
    name: "transports: widgetTransport gives a top-level code the status Zoho sends with it (the core's table)",
    async run(api, t) {
      const answer = (code) => ({ code, status: 'error', message: code });
      let next = 'INVALID_TOKEN';
      const ZOHO = { CRM: { API: { getRecord: async () => answer(next) } } };
      const w = api.widgetTransport({ ZOHO, zrc: null, timeoutMs: 100 });
      const get = () => w({ method: 'GET', url: 'https://www.zohoapis.com/crm/v8/Leads/1' });
      t.equal((await get()).status, 401);
      next = 'TOO_MANY_REQUESTS';
      t.equal((await get()).status, 429);
      next = 'INVALID_MODULE';
      t.equal((await get()).status, 400, 'a code the table does not name, with status error');
      t.equal(api.zohoFacts().codeStatus.TOO_MANY_REQUESTS, 429);
    },
  },
];
