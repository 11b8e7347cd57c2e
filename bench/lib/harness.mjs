// The measuring instrument every bench file shares: contenders interleaved in one
// process, their order rotated each round (a load change on the shared machine hits
// them alike, and none always runs first or last), every result fed into a sink (so
// nothing is optimised away), medians with quartiles and extremes over many rounds.

/** `BENCH_QUICK=1`: the smoke mode of `make test`: few rounds, small workloads, no speed asserted. */
export const QUICK = process.env.BENCH_QUICK === '1';

/** `full` normally, `quick` in the smoke mode. */
export const pick = (full, quick) => (QUICK ? quick : full);

let sinkTotal = 0;

/** Feeds a contender's output (a number derived from everything it read) into the sink. */
export function sink(x) {
  sinkTotal += x;
}

/** The sink's total: printed at the end of every bench file, so it is observed. */
export const sinkValue = () => sinkTotal;

/** Quantile `q` of sorted numbers, linearly interpolated. */
function quantile(sorted, q) {
  const at = (sorted.length - 1) * q;
  const lo = Math.floor(at);
  const hi = Math.min(lo + 1, sorted.length - 1);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (at - lo);
}

/** Median, quartiles and extremes of a list of samples. */
export function summarize(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return { median: quantile(s, 0.5), p25: quantile(s, 0.25), p75: quantile(s, 0.75), min: s[0], max: s[s.length - 1], n: s.length };
}

/** The items in round `round`'s order: a rotation by one per round. */
export function rotated(items, round) {
  const k = round % items.length;
  return [...items.slice(k), ...items.slice(0, k)];
}

/** Round-by-round ratios of two sample lists taken in the same rounds, summarized. */
export function ratioStats(a, b) {
  return summarize(a.map((x, i) => x / b[i]));
}

/** Round-by-round differences `a - b`, summarized. */
export function differenceStats(a, b) {
  return summarize(a.map((x, i) => x - b[i]));
}

/** The process's CPU time so far (user + system, every thread: GC included), in ns. */
export function cpuNs() {
  const { user, system } = process.cpuUsage();
  return (user + system) * 1e3;
}

/** Calls `fn` `iters` times, the results into the sink; CPU and wall ns per call. */
function timeSample(fn, iters) {
  let acc = 0;
  const c0 = cpuNs();
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < iters; i++) acc += fn();
  const wall = Number(process.hrtime.bigint() - t0);
  const cpu = cpuNs() - c0;
  sink(acc);
  return { cpu: cpu / iters, wall: wall / iters };
}

/** How many calls of `fn` fill about `ms`, after warming it up for that long. */
function calibrate(fn, ms) {
  let calls = 0;
  let acc = 0;
  const t0 = performance.now();
  while (performance.now() - t0 < ms) {
    acc += fn();
    calls++;
  }
  sink(acc);
  return Math.max(1, Math.round(calls));
}

/**
 * How many rounds `interleave` runs before those it keeps: the JIT settles on the
 * interleaved mix (its compile threads count in the CPU time) and the contenders'
 * state reaches its working size.
 */
export const unkeptRounds = (rounds) => Math.max(1, Math.ceil(rounds / 5));

/**
 * Interleaves synchronous contenders `{ name, run, iters? }` (`run()` does one call and
 * returns a number derived from everything it read). Each is warmed up and calibrated so
 * that one sample lasts about `sampleMs` (or takes `iters` calls when given: a contender
 * whose state grows call by call, measured over a fixed number of calls); then every
 * round times one sample of each, in an order rotated round by round, after a fifth as
 * many rounds again that are not kept. Garbage is never collected by force between
 * samples: a forced full collection throws away what the JIT learnt (graphql-js ran 5×
 * slower after each) and leaves its sweeping to the next sample; each contender pays for
 * the collections its allocations bring on, as in a real process.
 *
 * The figure is the process's CPU time per call (`process.cpuUsage`, user + system, GC
 * threads included): "CPU per record" is what issue 15 compares, and on the shared
 * machine it is not inflated by the time other jobs hold the cores, as wall time is.
 * Wall time is kept beside it. Returns `{ [name]: { samples, stats, wall } }` in ns per
 * call, samples (CPU) in round order.
 */
export function interleave(contenders, { rounds, sampleMs = 10, warmupMs = 300 }) {
  const iters = new Map(contenders.map((c) => [c.name, c.iters ?? calibrate(c.run, warmupMs) * (sampleMs / warmupMs)]));
  const cpu = new Map(contenders.map((c) => [c.name, []]));
  const wall = new Map(contenders.map((c) => [c.name, []]));
  const unkept = unkeptRounds(rounds);
  for (let round = -unkept; round < rounds; round++) {
    for (const c of rotated(contenders, round + unkept)) {
      const t = timeSample(c.run, Math.max(1, Math.round(iters.get(c.name))));
      if (round < 0) continue;
      cpu.get(c.name).push(t.cpu);
      wall.get(c.name).push(t.wall);
    }
  }
  return Object.fromEntries(
    contenders.map((c) => [c.name, { samples: cpu.get(c.name), stats: summarize(cpu.get(c.name)), wall: summarize(wall.get(c.name)) }]),
  );
}

// ---------------------------------------------------------------- formatting

const sig = (x) => (Math.abs(x) >= 100 ? x.toFixed(0) : Math.abs(x) >= 10 ? x.toFixed(1) : x.toFixed(2));

/** A duration in ns as ns, µs or ms. */
export function duration(ns) {
  if (Math.abs(ns) < 1e3) return `${sig(ns)} ns`;
  if (Math.abs(ns) < 1e6) return `${sig(ns / 1e3)} µs`;
  return `${sig(ns / 1e6)} ms`;
}

/** A ratio with two decimals. */
export const ratio = (x) => x.toFixed(2);

/** `median (p25–p75 a–b, min–max c–d)` of stats, each figure through `fmt`. */
export function spread(stats, fmt = duration) {
  return `${fmt(stats.median)} (p25–p75 ${fmt(stats.p25)}–${fmt(stats.p75)}, min–max ${fmt(stats.min)}–${fmt(stats.max)})`;
}

/** A shorter form for tables: `median (p25–p75)`. */
export function brief(stats, fmt = duration) {
  return `${fmt(stats.median)} (${fmt(stats.p25)}–${fmt(stats.p75)})`;
}

/** Prints a markdown table of contenders: CPU time median, quartiles, extremes; wall median. */
export function printContenders(title, results) {
  console.log(`\n${title} (CPU time per call, every thread of the process)\n`);
  console.log('| contender | median | p25–p75 | min–max | wall median | rounds |');
  console.log('|---|---:|---:|---:|---:|---:|');
  for (const [name, { stats, wall }] of Object.entries(results)) {
    const { median, p25, p75, min, max, n } = stats;
    console.log(`| ${name} | ${duration(median)} | ${duration(p25)}–${duration(p75)} | ${duration(min)}–${duration(max)} | ${duration(wall.median)} | ${n} |`);
  }
}
