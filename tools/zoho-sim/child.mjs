// The simulator server in its own process, so that the client under test and the
// server do not share one event loop (on a busy machine a shared loop delays the
// server's reads past the client's timeouts and blurs every figure).
// Protocol (IPC): the parent sends the options; the child answers { url }; then
// 'stats' gets sim.stats() (createdByKey included), 'audit' gets sim.audit(),
// { records: module } gets the module's stored records, and 'close' ends the process.
import { startSimulatorServer } from './server.mjs';

process.once('message', async (options) => {
  const server = await startSimulatorServer(options);
  process.on('message', async (m) => {
    if (m === 'stats') process.send({ stats: server.sim.stats() });
    if (m === 'audit') process.send({ audit: server.sim.audit() });
    if (m && typeof m === 'object' && typeof m.records === 'string') process.send({ records: server.sim.records(m.records) });
    if (m === 'close') {
      await server.close();
      process.disconnect();
    }
  });
  process.send({ url: server.url });
});
