// One sample of bench/startup.mjs, in a fresh Node process: imports the package (which
// compiles and instantiates the wasm), then times the first call from the moment the
// import is done to the moment the call is done and its result read. Prints JSON.
//   node bench/lib/first-call.mjs classify   the first classify of the 100-record 207
//   node bench/lib/first-call.mjs guard      the first Guard round: new Guard (default
//                                            config), admit and settle of that reply
import { OP_100, REPLY_207 } from '../fixtures/replies.mjs';
import { DEFAULT_GUARD_CONFIG, guardPair, insertClock, readRecords } from './workloads.mjs';

const what = process.argv[2];
const t0 = performance.now();
const api = await import('../../pkg/node.js');
const t1 = performance.now();
const c1 = process.cpuUsage();
let read;
if (what === 'classify') {
  read = readRecords(api.classify(REPLY_207, OP_100).records);
} else if (what === 'guard') {
  read = guardPair(new api.Guard(DEFAULT_GUARD_CONFIG), insertClock());
} else {
  throw new Error(`first-call: unknown workload ${what}`);
}
const t2 = performance.now();
const { user, system } = process.cpuUsage(c1);
process.stdout.write(JSON.stringify({ what, importMs: t1 - t0, firstMs: t2 - t1, cpuMs: (user + system) / 1e3, read }));
