// A Node HTTP front for the simulator on 127.0.0.1 (port 0 = any free port). Faults become
// real network behaviour: dropped sockets, bodies cut short under a full Content-Length.

import { createServer } from 'node:http';
import { ZohoSimulator } from './simulator.mjs';

/** Request bodies above this are refused (Zoho's own limits are far lower for JSON APIs). */
const MAX_BODY_BYTES = 10 * 1024 * 1024;

/**
 * Starts a simulator server.
 * @param {import('./simulator.mjs').SimulatorOptions & { port?: number, host?: string, sim?: ZohoSimulator }} [options]
 * @returns {Promise<{ url: string, sim: ZohoSimulator, close: () => Promise<void> }>}
 */
export async function startSimulatorServer(options = {}) {
  const { port = 0, host = '127.0.0.1', sim: given, ...simOptions } = options;
  const sim = given ?? new ZohoSimulator(simOptions);
  const server = createServer((req, res) => {
    const receivedAt = sim.now();
    /** @type {Buffer[]} */
    const chunks = [];
    let size = 0;
    req.on('data', (c) => {
      size += c.length;
      if (size > MAX_BODY_BYTES) req.destroy();
      else chunks.push(c);
    });
    req.on('end', async () => {
      const r = await sim.handle({
        method: req.method ?? 'GET',
        url: req.url ?? '/',
        headers: /** @type {Record<string, string>} */ (req.headers),
        body: Buffer.concat(chunks).toString('utf8'),
        receivedAt,
      });
      if (r.drop) {
        req.socket.destroy();
        return;
      }
      if (res.destroyed || req.socket.destroyed) return; // the client gave up (timeout)
      const full = Buffer.from(r.body, 'utf8');
      const headers = r.truncateAt !== undefined ? { ...r.headers, connection: 'close' } : r.headers;
      if (r.truncateAt !== undefined) {
        res.writeHead(r.status, { ...headers, 'content-length': String(full.length) });
        res.write(Buffer.from(r.body.slice(0, r.truncateAt), 'utf8'), () => res.destroy());
        return;
      }
      res.writeHead(r.status, r.status === 204 ? headers : { ...headers, 'content-length': String(full.length) });
      res.end(r.status === 204 ? undefined : full);
    });
    req.on('error', () => {});
  });
  // Keep connections open between calls as Zoho does. A short timeout here is worse than
  // it looks: undici closes a connection whose `Keep-Alive: timeout` is under its own 2 s
  // threshold, so every call would open a new TCP connection.
  // Keep connections open between calls as Zoho does. A short timeout here is worse than
  // it looks: undici closes a connection whose `Keep-Alive: timeout` is under its own
  // threshold (2 s), so every call opened a new TCP connection.
  server.keepAliveTimeout = 10_000;
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve(undefined));
  });
  const addr = /** @type {import('node:net').AddressInfo} */ (server.address());
  const url = `http://${host}:${addr.port}`;
  if (!simOptions.apiDomain && !given) sim.apiDomain = url;
  return {
    url,
    sim,
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve(undefined));
        server.closeAllConnections();
      }),
  };
}
