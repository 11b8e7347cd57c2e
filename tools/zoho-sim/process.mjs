// The simulator in a process of its own (Node only), for benchmarks and soak campaigns.
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/**
 * Starts the simulator server in a child process (tools/zoho-sim/child.mjs).
 * @returns {Promise<{ url: string, stats: () => Promise<any>, audit: () => Promise<any>,
 *   records: (module: string) => Promise<Record<string, any>[]>, close: () => Promise<void> }>}
 */
export async function startSimulatorProcess(options) {
  const child = fork(fileURLToPath(new URL('./child.mjs', import.meta.url)), [], { execArgv: process.env.SIM_EXEC_ARGV ? process.env.SIM_EXEC_ARGV.split(' ') : undefined, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const next = () => new Promise((resolve, reject) => {
    child.once('message', resolve);
    child.once('exit', (code) => reject(new Error(`simulator process exited with ${code}`)));
  });
  child.send(options);
  const { url } = await next();
  return {
    url,
    stats: async () => {
      const answer = next();
      child.send('stats');
      return (await answer).stats;
    },
    audit: async () => {
      const answer = next();
      child.send('audit');
      return (await answer).audit;
    },
    records: async (module) => {
      const answer = next();
      child.send({ records: module });
      return (await answer).records;
    },
    close: async () => {
      const gone = new Promise((resolve) => child.once('exit', resolve));
      child.send('close');
      await gone;
    },
  };
}
