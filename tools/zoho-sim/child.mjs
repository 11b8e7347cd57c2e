// The simulator server in its own process, so that a benchmark or a soak campaign
// measures the client, not the two sharing one event loop. Started with
// `fork('tools/zoho-sim/child.mjs', [JSON options])`; it sends `{ url }` once
// listening, answers `'stats'` with the simulator's stats, and exits on `'close'`.
import { startSimulatorServer } from './server.mjs';

const options = JSON.parse(process.argv[2] ?? '{}');
const server = await startSimulatorServer(options);
process.on('message', async (msg) => {
  if (msg === 'stats') process.send({ stats: server.sim.stats() });
  if (msg === 'close') {
    await server.close();
    process.exit(0);
  }
});
process.send({ url: server.url });
