// Wiring a zcrm-guard client to a simulator server, for the tests, the soak campaigns and
// the benches. The zcrm-guard module is an argument, so this package does not depend on a
// build of it (pkg/node.js in this repository, or the installed package).

/**
 * The token functions an integration writes, against a simulator server's OAuth endpoint:
 * the refresh hands back the token endpoint's body with its HTTP status, an error body
 * (Access Denied) included, for the client to judge; the token changes only when a new one came.
 * @param {{ url: string }} server a simulator server (`./server`, `./process`)
 */
export function simTokens(server) {
  let token = 'sim-access-0';
  let refreshes = 0;
  return {
    getAccessToken: () => token,
    refreshAccessToken: async () => {
      refreshes++;
      const res = await fetch(new URL('/oauth/v2/token', server.url), {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: 'grant_type=refresh_token&refresh_token=sim-refresh-token&client_id=c&client_secret=s',
      });
      const body = await res.json();
      if (body.access_token) token = body.access_token;
      return { ...body, status: res.status };
    },
    refreshes: () => refreshes,
    token: () => token,
  };
}

/**
 * A client wired to a simulator server, with a token refresh through its OAuth endpoint.
 * @param {{ url: string }} server a simulator server (`./server`, `./process`)
 * @param {{ createClient: (options: object) => any }} zgApi the zcrm-guard module
 * @param {{ edition?: string, options?: object }} [extra] the edition, and options for `createClient`
 */
export function clientFor(server, zgApi, extra = {}) {
  const { getAccessToken, refreshAccessToken, refreshes, token } = simTokens(server);
  const events = [];
  const client = zgApi.createClient({
    apiDomain: server.url,
    edition: extra.edition ?? 'standard',
    getAccessToken,
    refreshAccessToken,
    onEvent: (e) => events.push(e),
    timeoutMs: 2_000,
    ...extra.options,
  });
  return { client, events, refreshes, token };
}
