// Canvas charts (no library, no network, nothing inline for the CSP to block). Each
// canvas's backing store is its CSS box times devicePixelRatio and the drawing is scaled
// back, so lines and labels are drawn at the screen's own resolution: crisp, never
// stretched. Colours are the stylesheet's `--c-*` properties, shared with the legends.
// What was drawn is summed up in data-* attributes (for the test) and aria-label.

const FONT = '12px system-ui, sans-serif';
const PAD = { left: 40, right: 10, top: 12, bottom: 22 };

const fmt = (n) => new Intl.NumberFormat('en-US', { maximumFractionDigits: 1 }).format(n);

const colours = new Map();
/** A colour of the stylesheet (`--c-<name>`), read once. */
export function colour(name) {
  if (!colours.has(name)) colours.set(name, getComputedStyle(document.documentElement).getPropertyValue(`--c-${name}`).trim() || '#57606a');
  return colours.get(name);
}

/** Sizes the canvas to its CSS box × devicePixelRatio; the context draws in CSS pixels. */
function prepare(canvas) {
  const dpr = window.devicePixelRatio || 1;
  const w = Math.max(1, Math.round(canvas.clientWidth));
  const h = Math.max(1, Math.round(canvas.clientHeight));
  const bw = Math.round(w * dpr);
  const bh = Math.round(h * dpr);
  if (canvas.width !== bw) canvas.width = bw;
  if (canvas.height !== bh) canvas.height = bh;
  const ctx = canvas.getContext('2d');
  ctx.setTransform(bw / w, 0, 0, bh / h, 0, 0);
  ctx.clearRect(0, 0, w, h);
  ctx.font = FONT;
  ctx.textBaseline = 'middle';
  return { ctx, w, h };
}

/** Axis ends whose halves stay readable, and tick steps, as multiples of a power of ten. */
const ENDS = [1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10];
const STEPS = [1, 2, 5, 10];

/** Rounds `v` up to the next of `nice` × 10^n. */
function niceMax(v, nice = ENDS) {
  if (!(v > 0)) return 1;
  const p = 10 ** Math.floor(Math.log10(v));
  return nice.map((m) => m * p).find((m) => m >= v * (1 - 1e-9));
}

/** A 1-px line on the pixel grid (x or y rounded to .5). */
function line(ctx, x1, y1, x2, y2, stroke, dash = [], width = 1) {
  ctx.beginPath();
  ctx.setLineDash(dash);
  ctx.strokeStyle = stroke;
  ctx.lineWidth = width;
  ctx.moveTo(x1, y1);
  ctx.lineTo(x2, y2);
  ctx.stroke();
  ctx.setLineDash([]);
}

function text(ctx, s, x, y, align = 'left', fill = colour('muted')) {
  ctx.textAlign = align;
  ctx.fillStyle = fill;
  ctx.fillText(s, Math.round(x), Math.round(y));
}

/** The time axis (seconds) along the bottom; returns the x scale. */
function timeAxis(ctx, w, h, xMax) {
  const x = (t) => PAD.left + (t / xMax) * (w - PAD.left - PAD.right);
  const y0 = Math.round(h - PAD.bottom) + 0.5;
  line(ctx, PAD.left, y0, w - PAD.right, y0, colour('muted'));
  const step = niceMax(xMax / 5, STEPS);
  for (let t = 0; t <= xMax + 1e-9; t += step) text(ctx, `${fmt(t / 1000)} s`, x(t), h - 9, t === 0 ? 'left' : 'center');
  return x;
}

/**
 * A step chart of series over time, with horizontal limit lines.
 * @param {HTMLCanvasElement} canvas
 * @param {{ series: { key: string, colour: string, dash?: number[], width?: number, points: { t: number, v: number }[] }[],
 *   limits: { value: number, label: string, colour: string }[], xMax: number, yMax?: number }} chart
 */
export function drawLines(canvas, chart) {
  const { ctx, w, h } = prepare(canvas);
  const xMax = Math.max(1000, chart.xMax);
  const top = chart.yMax ?? Math.max(1, ...chart.limits.map((l) => l.value), ...chart.series.flatMap((s) => s.points.map((p) => p.v)));
  const yMax = niceMax(top * 1.08);
  const x = timeAxis(ctx, w, h, xMax);
  const y = (v) => h - PAD.bottom - (v / yMax) * (h - PAD.top - PAD.bottom);
  line(ctx, PAD.left + 0.5, PAD.top, PAD.left + 0.5, h - PAD.bottom, colour('muted'));
  for (const f of [0, 0.5, 1]) text(ctx, fmt(yMax * f), PAD.left - 5, y(yMax * f), 'right');

  // Limits: equal values share one line and one label ("edition limit 10 · complex pool 10").
  const shown = chart.limits.filter((l) => l.value > 0 && l.value <= yMax);
  const byValue = new Map();
  for (const l of shown) byValue.set(l.value, [...(byValue.get(l.value) ?? []), l]);
  for (const [value, ls] of byValue) {
    const yy = Math.round(y(value)) + 0.5;
    line(ctx, PAD.left, yy, w - PAD.right, yy, ls[0].colour, [6, 4], 1.5);
    const label = `${ls.map((l) => l.label).join(' · ')} ${fmt(value)}`;
    ctx.fillStyle = 'rgba(255,255,255,0.85)';
    const lw = ctx.measureText(label).width;
    ctx.fillRect(w - PAD.right - lw - 6, yy - 15, lw + 4, 13);
    text(ctx, label, w - PAD.right - 4, yy - 8, 'right', ls[0].colour);
  }

  const drawn = [];
  let points = 0;
  for (const s of chart.series) {
    if (s.points.length === 0) continue;
    drawn.push(s.key);
    points = Math.max(points, s.points.length);
    ctx.beginPath();
    ctx.setLineDash(s.dash ?? []);
    ctx.strokeStyle = s.colour;
    ctx.lineWidth = s.width ?? 2;
    ctx.lineJoin = 'round';
    s.points.forEach((p, i) => {
      // A step line: the value holds until the next point.
      if (i === 0) ctx.moveTo(x(p.t), y(p.v));
      else {
        ctx.lineTo(x(p.t), y(s.points[i - 1].v));
        ctx.lineTo(x(p.t), y(p.v));
      }
    });
    ctx.stroke();
    ctx.setLineDash([]);
  }
  canvas.dataset.points = String(points);
  canvas.dataset.series = drawn.join(' ');
  canvas.dataset.limits = String(shown.length);
}

/**
 * The timeline: one bar per attempt (send to reply) on the first free lane, coloured by
 * the Guard's decision, then a thin line for the wait it ordered; refused admits are
 * ticks on the bottom row, coloured by their reason. Lanes shrink to fit the canvas.
 * @param {HTMLCanvasElement} canvas
 * @param {{ start: number, end: number|null, action: string|null, delayMs: number }[]} attempts
 * @param {{ t: number, reason: string }[]} waits
 * @param {number} nowT
 */
export function drawTimeline(canvas, attempts, waits, nowT) {
  const { ctx, w, h } = prepare(canvas);
  const xMax = Math.max(1000, nowT);
  const lanes = [];
  const placed = attempts.map((a) => {
    const end = a.end ?? nowT;
    let lane = lanes.findIndex((free) => free <= a.start);
    if (lane < 0) lane = lanes.push(0) - 1;
    lanes[lane] = end + Math.max(0, a.delayMs ?? 0);
    return { ...a, end, lane };
  });
  const x = timeAxis(ctx, w, h, xMax);
  const waitRow = 12;
  const laneH = Math.min(14, (h - PAD.top - PAD.bottom - waitRow - 6) / Math.max(1, lanes.length));
  text(ctx, 'calls', PAD.left - 5, PAD.top + 4, 'right');
  const counts = {};
  for (const p of placed) {
    const action = p.action ?? 'pending';
    counts[action] = (counts[action] ?? 0) + 1;
    const yy = PAD.top + p.lane * laneH;
    const bw = Math.max(1.5, x(p.end) - x(p.start));
    ctx.fillStyle = colour(action);
    ctx.fillRect(x(p.start), yy, bw, Math.max(1, laneH - 1.5));
    if (p.status !== undefined && (p.status < 200 || p.status >= 300)) failedReply(ctx, p.status, x(p.start), yy, bw, laneH);
    if (p.delayMs > 0 && laneH >= 3) {
      const ym = Math.round(yy + laneH / 2) - 0.5;
      line(ctx, x(p.end), ym, x(Math.min(xMax, p.end + p.delayMs)), ym, colour('wait'), [2, 2]);
    }
  }
  const waitY = h - PAD.bottom - waitRow - 2;
  text(ctx, 'waits', PAD.left - 5, waitY + waitRow / 2, 'right');
  for (const wt of waits) {
    const xx = Math.round(x(wt.t)) + 0.5;
    line(ctx, xx, waitY, xx, waitY + waitRow, colour(`refusal-${wt.reason}`));
  }
  canvas.dataset.bars = String(placed.length);
  canvas.dataset.failedReplies = String(placed.filter((p) => p.status !== undefined && (p.status < 200 || p.status >= 300)).length);
  canvas.dataset.actions = JSON.stringify(counts);
  canvas.dataset.waits = String(waits.length);
}

/** A reply that was not a success: its status inside the bar ("lost" when none came), or a dark cap when the bar is too small. */
function failedReply(ctx, status, x0, y0, bw, laneH) {
  const label = status === 0 ? 'lost' : String(status);
  ctx.font = 'bold 10px system-ui, sans-serif';
  const tw = ctx.measureText(label).width;
  if (laneH >= 9 && bw >= tw + 4) {
    text(ctx, label, x0 + 2, y0 + (laneH - 1.5) / 2, 'left', '#fff');
  } else {
    ctx.fillStyle = colour('give_up');
    ctx.fillRect(x0 + bw - 2, y0, 2, Math.max(1, laneH - 1.5));
  }
  ctx.font = FONT;
}
