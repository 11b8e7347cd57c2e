// Rows of issue 15's table as a bench file measured them: printed as a markdown table
// at the end of the file, and appended as JSON lines to $BENCH_ROWS when scripts/bench.sh
// collects them for the summary (bench/lib/summary.mjs).
import { appendFileSync } from 'node:fs';
import { QUICK, brief, ratio, ratioStats, sinkValue } from './harness.mjs';
import { rowById } from './rows.mjs';

const reported = [];

/**
 * Reports one row. `projectText` / `peerText`: the figures with their spreads;
 * `ratio`: project ÷ peer (or null without a peer); `project`: the project's figure in
 * the goal's unit; `flat`: the memory row's flatness.
 */
export function report(id, { projectText, peerText = '—', ratio = null, ratioText, project = null, flat }) {
  const def = rowById(id);
  const row = { id, projectText, peerText, ratio, ratioText: ratioText ?? (ratio === null ? '—' : ratio.toFixed(2)), project, flat };
  row.met = def.check(row);
  reported.push(row);
  console.log(`${id}: project ${projectText}; peer ${peerText}; project ÷ peer ${row.ratioText}; goal ${def.goal}: ${row.met ? 'met' : 'not met'}`);
}

/**
 * Reports a row of project ÷ peer from one interleaved run (results of `interleave`):
 * the medians with their quartiles, the ratio of the medians, and the quartiles of the
 * round-by-round ratios.
 */
export function reportRatio(id, project, peer) {
  const perRound = ratioStats(project.samples, peer.samples);
  const r = project.stats.median / peer.stats.median;
  report(id, { projectText: brief(project.stats), peerText: brief(peer.stats), ratio: r, ratioText: `${ratio(r)} (per round ${brief(perRound, ratio)})` });
}

/** One markdown line of a reported row. */
export function tableLine(row) {
  const def = rowById(row.id);
  const peer = def.peer === '—' ? '—' : `${def.peer}: ${row.peerText}`;
  return `| ${def.workload} | ${row.projectText} | ${peer} | ${row.ratioText} | ${def.goal} | ${row.met ? 'met' : 'not met'} |`;
}

export const TABLE_HEAD = '| workload | project | peer | project ÷ peer | goal | met |\n|---|---|---|---:|---|---|';

/** Prints this file's rows and hands them to the summary; prints the sink so it is observed. */
export function finish(title) {
  console.log(`\n${title}${QUICK ? ' (BENCH_QUICK=1: smoke mode, figures are not measurements)' : ''}\n`);
  console.log(TABLE_HEAD);
  for (const row of reported) console.log(tableLine(row));
  // A contender that returned nothing would make the sink NaN: its output was not read.
  if (!Number.isFinite(sinkValue())) throw new Error(`the sink is ${sinkValue()}: a contender returned no number`);
  console.log(`\n(sink ${sinkValue()})`);
  if (process.env.BENCH_ROWS) {
    for (const row of reported) appendFileSync(process.env.BENCH_ROWS, `${JSON.stringify(row)}\n`);
  }
}
