// Shared by the client tests, the scheduling bench and the soak campaigns.

/** Leads with unique e-mails; every 50th one lacks its mandatory Last_Name. */
export function makeLeads(n, { invalidEvery = 50, prefix = 'lead' } = {}) {
  return Array.from({ length: n }, (_, i) => {
    const r = { First_Name: `F${i}`, Email: `${prefix}${i}@example.com`, Company: `Co ${i % 97}` };
    if (i % invalidEvery !== invalidEvery - 1) r.Last_Name = `L${i}`;
    return r;
  });
}

/** A client wired to a simulator server, with a token refresh through its OAuth endpoint. */
export function clientFor(server, zgApi, extra = {}) {
  let token = 'sim-access-0';
  let refreshes = 0;
  const events = [];
  const client = zgApi.createClient({
    apiDomain: server.url,
    edition: extra.edition ?? 'standard',
    getAccessToken: () => token,
    refreshAccessToken: async () => {
      refreshes++;
      const res = await fetch(new URL("/oauth/v2/token", server.url), {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: 'grant_type=refresh_token&refresh_token=sim-refresh-token&client_id=c&client_secret=s',
      });
      const body = await res.json();
      token = body.access_token;
      return body;
    },
    onEvent: (e) => events.push(e),
    timeoutMs: 2_000,
    ...extra.options,
  });
  return { client, events, refreshes: () => refreshes, token: () => token };
}
