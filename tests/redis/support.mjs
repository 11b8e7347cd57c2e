// Support of the Redis suite: a real redis-server on a free port (no persistence, so a
// restart loses everything, the hard case), and job processes that each run one client.
import { spawn, fork } from 'node:child_process';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';

/** A free TCP port on 127.0.0.1. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

/**
 * Starts redis-server (the Debian package) on `port`; `kill()` is a SIGKILL, `start()` again.
 * @param {number} [port]
 */
export async function startRedis(port) {
  port ??= await freePort();
  const r = { port, url: `redis://127.0.0.1:${port}`, proc: null };
  r.start = async () => {
    r.proc = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--daemonize', 'no', '--loglevel', 'warning'], { stdio: 'ignore' });
    const client = new Redis(r.url, { lazyConnect: true, retryStrategy: () => 20, maxRetriesPerRequest: 50 });
    client.on('error', () => {});
    for (let i = 0; ; i++) {
      try {
        await client.connect();
        await client.ping();
        break;
      } catch (e) {
        if (i > 200) throw new Error(`redis-server did not start on ${port}: ${e.message}`);
        client.disconnect();
        await new Promise((res) => setTimeout(res, 25));
      }
    }
    client.disconnect();
  };
  r.kill = () => new Promise((resolve) => {
    if (!r.proc || r.proc.exitCode !== null) return resolve();
    r.proc.once('exit', () => resolve());
    r.proc.kill('SIGKILL');
  });
  r.client = () => {
    const c = new Redis(r.url);
    c.on('error', () => {});
    return c;
  };
  await r.start();
  return r;
}

const JOB = fileURLToPath(new URL('./job.mjs', import.meta.url));

/**
 * Starts one job process: its own client and redisGuard, inserting `records` Leads
 * (emails `${tag}-i@…`). Resolves `done` with its report; `events` has its progress.
 */
export function startJob(job) {
  const child = fork(JOB, [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const messages = [];
  const waiters = [];
  child.on('message', (m) => {
    messages.push(m);
    for (const w of waiters.splice(0)) w();
  });
  const done = new Promise((resolve, reject) => {
    child.on('exit', (code, signal) => {
      const report = messages.find((m) => m.type === 'done');
      if (report) resolve(report);
      else if (signal) resolve({ type: 'killed', signal });
      else reject(new Error(`job ${job.tag} exited with ${code} and no report`));
    });
  });
  child.send(job);
  /** Resolves when a message matching `pred` has come. */
  const until = async (pred) => {
    for (;;) {
      const m = messages.find(pred);
      if (m) return m;
      await new Promise((r) => waiters.push(r));
    }
  };
  return { child, done, messages, until, pid: child.pid };
}
