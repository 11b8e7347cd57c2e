// Plain SVG charts (no library, no network, nothing inline that the CSP would block:
// only presentation attributes, never `style`). Each draw replaces the chart's children.

const NS = 'http://www.w3.org/2000/svg';

function el(name, attrs = {}, text) {
  const e = document.createElementNS(NS, name);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, String(v));
  if (text !== undefined) e.textContent = text;
  return e;
}

const W = 640;
const H = 200;
const PAD = { left: 48, right: 12, top: 12, bottom: 26 };

/** Rounds a maximum up to a readable axis end (1, 2, 5 × 10^n). */
function niceMax(v) {
  if (!(v > 0)) return 1;
  const p = 10 ** Math.floor(Math.log10(v));
  return [1, 2, 5, 10].map((m) => m * p).find((m) => m >= v);
}

function axes(svg, xMax, yMax) {
  const x = (t) => PAD.left + (t / xMax) * (W - PAD.left - PAD.right);
  const y = (v) => H - PAD.bottom - (v / yMax) * (H - PAD.top - PAD.bottom);
  svg.append(el('line', { x1: PAD.left, y1: y(0), x2: W - PAD.right, y2: y(0), class: 'axis' }));
  svg.append(el('line', { x1: PAD.left, y1: y(0), x2: PAD.left, y2: PAD.top, class: 'axis' }));
  for (const f of [0, 0.5, 1]) {
    svg.append(el('text', { x: PAD.left - 6, y: y(yMax * f) + 4, 'text-anchor': 'end', class: 'tick' }, fmt(yMax * f)));
    svg.append(el('text', { x: x(xMax * f), y: H - 8, 'text-anchor': 'middle', class: 'tick' }, `${(xMax * f / 1000).toFixed(1)} s`));
  }
  return { x, y };
}

const fmt = (n) => new Intl.NumberFormat('en-US', { maximumFractionDigits: 1 }).format(n);

/**
 * A line chart of samples over time, with horizontal limit lines.
 * @param {SVGSVGElement} svg
 * @param {{ t: number }[]} samples time in ms since the job started
 * @param {{ key: string, label: string, cls: string }[]} series
 * @param {{ value: number, label: string, cls: string }[]} limits drawn when within the scale
 * @param {{ yMax?: number }} [options] the scale's top (default: everything fits)
 */
export function drawLines(svg, samples, series, limits, options = {}) {
  svg.replaceChildren();
  svg.setAttribute('viewBox', `0 0 ${W} ${H}`);
  const xMax = Math.max(1000, samples.at(-1)?.t ?? 0);
  const top = options.yMax ?? Math.max(1, ...limits.map((l) => l.value), ...samples.flatMap((s) => series.map((c) => s[c.key] ?? 0)));
  const yMax = niceMax(top * 1.05);
  const { x, y } = axes(svg, xMax, yMax);
  limits
    .filter((l) => l.value <= yMax)
    .forEach((l, i) => {
      svg.append(el('line', { x1: PAD.left, x2: W - PAD.right, y1: y(l.value), y2: y(l.value), class: `limit ${l.cls}` }));
      // Labels of equal limits must not overlap: each one sits further left.
      svg.append(el('text', { x: W - PAD.right - 4 - i * 160, y: y(l.value) - 4, 'text-anchor': 'end', class: `label ${l.cls}` }, `${l.label} ${fmt(l.value)}`));
    });
  for (const c of series) {
    // A step line: the value holds until the next sample.
    // Points without this series' key belong to another series.
    let d = '';
    samples.filter((s) => s[c.key] !== undefined).forEach((s, i) => {
      const v = y(s[c.key]);
      d += i === 0 ? `M${x(s.t)},${v}` : `H${x(s.t)}V${v}`;
    });
    if (d) svg.append(el('path', { d, class: `series ${c.cls}` }));
  }
  svg.dataset.points = String(samples.length);
}

/** Colours (CSS classes) of the Guard's decisions, shared by the timeline and its legend. */
export const DECISION_CLASSES = ['done', 'retry', 'retry_records', 'refresh_token', 'verify', 'split', 'give_up', 'pending'];

/**
 * The timeline: one bar per attempt (send to reply) on the first free lane, coloured
 * by the Guard's decision, followed by a thin line for the wait it ordered; refused
 * admits are ticks on the bottom row, coloured by their reason.
 * @param {SVGSVGElement} svg
 * @param {{ start: number, end: number|null, action: string|null, delayMs: number }[]} attempts
 * @param {{ t: number, reason: string }[]} waits
 * @param {number} nowT
 */
export function drawTimeline(svg, attempts, waits, nowT) {
  svg.replaceChildren();
  const xMax = Math.max(1000, nowT);
  const lanes = [];
  const placed = attempts.map((a) => {
    const end = a.end ?? nowT;
    let lane = lanes.findIndex((free) => free <= a.start);
    if (lane < 0) lane = lanes.push(0) - 1;
    lanes[lane] = end + Math.max(0, a.delayMs ?? 0);
    return { ...a, end, lane };
  });
  const laneH = 8;
  const height = PAD.top + (lanes.length + 2) * laneH + PAD.bottom;
  svg.setAttribute('viewBox', `0 0 ${W} ${height}`);
  const x = (t) => PAD.left + (t / xMax) * (W - PAD.left - PAD.right);
  svg.append(el('line', { x1: PAD.left, y1: height - PAD.bottom, x2: W - PAD.right, y2: height - PAD.bottom, class: 'axis' }));
  for (const f of [0, 0.5, 1]) {
    svg.append(el('text', { x: x(xMax * f), y: height - 8, 'text-anchor': 'middle', class: 'tick' }, `${(xMax * f / 1000).toFixed(1)} s`));
  }
  svg.append(el('text', { x: PAD.left - 6, y: PAD.top + 8, 'text-anchor': 'end', class: 'tick' }, 'calls'));
  for (const p of placed) {
    const yy = PAD.top + p.lane * laneH;
    const cls = p.action ?? 'pending';
    svg.append(el('rect', { x: x(p.start), y: yy, width: Math.max(1, x(p.end) - x(p.start)), height: laneH - 2, class: `bar ${cls}` }));
    if (p.delayMs > 0) {
      svg.append(el('line', { x1: x(p.end), x2: x(Math.min(xMax, p.end + p.delayMs)), y1: yy + laneH / 2 - 1, y2: yy + laneH / 2 - 1, class: `wait ${cls}` }));
    }
  }
  const waitY = PAD.top + (lanes.length + 0.5) * laneH;
  svg.append(el('text', { x: PAD.left - 6, y: waitY + 6, 'text-anchor': 'end', class: 'tick' }, 'waits'));
  for (const w of waits) {
    svg.append(el('line', { x1: x(w.t), x2: x(w.t), y1: waitY, y2: waitY + laneH, class: `tickmark reason-${w.reason}` }));
  }
  svg.dataset.bars = String(placed.length);
}
