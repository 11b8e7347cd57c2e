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

/** The edition of every scenario, and its concurrency (the simulator enforces the same). */
export const EDITION = 'standard';
export const LIMIT = 10;

/**
 * The figures of a finished run, from the simulator's counters and the jobs' events:
 * - peak: the most calls in flight at the simulator (its own count, in slots);
 * - refusedPct: 429s per 100 calls;
 * - slotUse: calls x their mean duration over the edition's limit x the makespan;
 * - vsBound: the fastest schedule the limit allows for these calls (ceil(calls / limit)
 *   rounds of the mean call) over the makespan; `vsIdeal`: the same with the
 *   simulator's latency alone (the machine's own overhead included).
 */
export function figures({ stats, jobs, reports, latencyMs }) {
  const replies = jobs.flatMap((j) => j.messages.filter((m) => m.type === 'reply'));
  const sends = jobs.flatMap((j) => j.messages.filter((m) => m.type === 'send'));
  const first = Math.min(...sends.map((m) => m.at));
  const last = Math.max(...replies.map((m) => m.at));
  const makespan = last - first;
  const calls = replies.length;
  const meanMs = replies.reduce((n, m) => n + m.ms, 0) / calls;
  const refused = stats.tooManyRequests.concurrency + stats.tooManyRequests.complex + stats.tooManyRequests.credits;
  const rounds = Math.ceil(calls / LIMIT);
  return {
    processes: jobs.length,
    calls,
    records: reports.reduce((n, r) => n + (r.records ?? 0), 0),
    peak: stats.maxInFlight,
    refusedPct: (100 * refused) / calls,
    makespanMs: makespan,
    meanCallMs: Math.round(meanMs),
    callsPerSecond: +(calls / (makespan / 1000)).toFixed(2),
    slotUse: +((calls * meanMs) / (LIMIT * makespan)).toFixed(3),
    vsBound: +((rounds * meanMs) / makespan).toFixed(3),
    vsIdeal: +((rounds * latencyMs) / makespan).toFixed(3),
  };
}

/** One line a reader can quote (docs/shared-budget.md). */
export function printFigures(label, f) {
  console.log(
    `redis figures (${label}): ${f.processes} processes, ${f.calls} calls, ${f.records} records; peak in flight ${f.peak}/${LIMIT}; ` +
      `refused ${f.refusedPct.toFixed(2)}%; ${f.callsPerSecond} calls/s over ${f.makespanMs} ms; mean call ${f.meanCallMs} ms; ` +
      `slot use ${(100 * f.slotUse).toFixed(1)}%; throughput vs bound ${(100 * f.vsBound).toFixed(1)}% (vs the latency alone ${(100 * f.vsIdeal).toFixed(1)}%)`,
  );
}

/** Every key the suite's Redis holds for `org` (the guard prefixes each with it). */
export async function keysOf(redis, org) {
  const c = redis.client();
  try {
    return { all: await c.keys('*'), org: await c.keys(`zcrm-guard:${org}:*`), slots: await c.zrange(`zcrm-guard:${org}:slots`, 0, -1, 'WITHSCORES'), used: Number((await c.get(`zcrm-guard:${org}:credits:used`)) ?? 0), time: await c.time() };
  } finally {
    c.disconnect();
  }
}
