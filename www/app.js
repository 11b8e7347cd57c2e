// The demo page: wires the controls to a Job (job.js), draws its live views (charts.js),
// explains and reconciles its outcome (results.js, explain.js), and hosts the GraphQL
// analyser, "Try one read" (one-read.js) and the limits tables (limits.js).
import { setupLimits } from './limits.js';
import { Job } from './job.js';
import { colour, drawLines, drawTimeline } from './charts.js';
import { ACTIONS, REFUSALS } from './explain.js';
import { renderResults } from './results.js';
import { setupOneRead } from './one-read.js';
import { analyzeGraphql, createClient, editionLimits, isZcrmGuardError, missing } from './engine.js';

const $ = (id) => document.getElementById(id);
const fmt = (n) => new Intl.NumberFormat('en-US', { maximumFractionDigits: 2 }).format(n);
/** Redraw period of the live views while a job runs. */
const RENDER_MS = 250;

let job = null;
let controller = null;
let renderTimer = null;

/** For the browser console (and the demo test): the current job, its simulator and results. */
globalThis.zcrmDemo = { get job() { return job; } };

function num(id, min, max) {
  const v = Number($(id).value);
  return Number.isFinite(v) ? Math.min(max, Math.max(min, v)) : min;
}

function readSettings() {
  return {
    edition: $('edition').value,
    licenses: Math.round(num('licenses', 0, 1_000_000)),
    records: Math.round(num('records', 1, 20_000)),
    batchSize: Math.round(num('batch-size', 1, 100)),
    invalidShare: num('invalid', 0, 1),
    operation: $('operation').value === 'upsert' ? 'upsert' : 'insert',
    latencyMs: Math.round(num('latency', 0, 5_000)),
    creditsSpent: Math.round(num('spent', 0, 1e9)),
    seed: Math.round(num('seed', 0, 2 ** 31)),
    tokenLifetimeS: num('token-lifetime', 2, 3_600),
    faults: { tooMany: num('f-429', 0, 1), server: num('f-5xx', 0, 1), locked: num('f-locked', 0, 1), dropped: num('f-drop', 0, 1) },
  };
}

function setCount(id, value, text = fmt(value)) {
  const e = $(id);
  e.dataset.value = String(value);
  e.textContent = text;
}

function jobStatus(text, cls = '') {
  $('job-status').textContent = text;
  $('job-status').className = cls;
}

// ------------------------------------------------------------------ the job

async function start(event) {
  event.preventDefault();
  if (job?.running) return;
  if (!createClient) {
    jobStatus(`This build of the package lacks ${missing.join(', ')}: the job needs the client and its Guard.`, 'error');
    return;
  }
  const settings = readSettings();
  const resume = job && job.pending().length > 0 && JSON.stringify(job.settings) === JSON.stringify(settings);
  if (!resume) {
    let limits;
    try {
      limits = editionLimits(settings.edition, { licenses: settings.licenses, addOnCredits: Number($('addons').value || 0) });
    } catch (e) {
      jobStatus(isZcrmGuardError(e) ? `${e.code}: ${e.message}` : String(e), 'error');
      return;
    }
    job = new Job(settings, limits);
    clearViews();
  }
  controller = new AbortController();
  const current = job;
  const signal = controller.signal;
  document.body.dataset.job = 'running';
  $('start').disabled = true;
  $('pause').disabled = false;
  jobStatus(resume ? 'Resuming: sending the records not sent yet…' : `Sending ${fmt(settings.records)} records…`);
  renderTimer = setInterval(render, RENDER_MS);
  try {
    await current.run(signal);
    if (job !== current) return; // Reset while it ran: the page already shows a fresh state
    const paused = signal.aborted && job.pending().length > 0;
    jobStatus(paused ? `Paused: ${fmt(job.pending().length)} records not sent. Start resumes them.` : `Finished in ${fmt(job.t() / 1000)} s.`);
    document.body.dataset.job = paused ? 'paused' : 'done';
    $('start').textContent = paused ? 'Resume' : 'Start';
  } catch (e) {
    if (job !== current) return;
    jobStatus(`The job failed: ${isZcrmGuardError(e) ? `${e.code}: ${e.message}` : String(e?.message ?? e)}`, 'error');
    document.body.dataset.job = 'failed';
  } finally {
    if (job === current) {
      clearInterval(renderTimer);
      $('start').disabled = false;
      $('pause').disabled = true;
      render();
      renderResults($('results'), job.results);
      $('results-note').textContent = 'One line per outcome, reason and code, with its count and what it means; open a line for its records.';
    }
  }
}

function pause() {
  controller?.abort(new DOMException('paused by the user', 'AbortError'));
  jobStatus('Pausing: waiting for the calls in flight…');
}

function reset() {
  controller?.abort(new DOMException('reset by the user', 'AbortError'));
  clearInterval(renderTimer);
  job = null;
  $('start').disabled = false;
  $('pause').disabled = true;
  $('start').textContent = 'Start';
  document.body.dataset.job = 'idle';
  clearViews();
  jobStatus('Ready.');
}

function clearViews() {
  for (const e of document.querySelectorAll('#job-panel dd[data-value]')) setCount(e.id, 0);
  $('sim-max-inflight').textContent = '0';
  for (const id of ['chart-inflight', 'chart-credits', 'chart-timeline']) drawEmpty($(id));
  $('results').replaceChildren();
  $('results-note').textContent = 'One line per outcome, reason and code, once a job ends.';
  $('reconcile').replaceChildren(Object.assign(document.createElement('li'), { textContent: 'The two sets of figures are reconciled here once a job runs.' }));
  $('decision-figures').textContent = '';
  $('credits-figures').textContent = '';
  $('guard-snapshot').textContent = 'No job yet.';
  $('progress').value = 0;
  $('progress-label').textContent = '0 of 0 records final';
}

function drawEmpty(canvas) {
  if (canvas.id === 'chart-timeline') drawTimeline(canvas, [], [], 0);
  else drawLines(canvas, { series: [], limits: [], xMax: 0 });
}

// ------------------------------------------------------------------ live views

function render() {
  if (!job) return;
  const total = job.records.length;
  const p = job.progress;
  // Live counts come from the client's progress ticks, final ones from the results.
  const rec = job.running ? null : job.reconcile();
  const ok = rec ? rec.ok : job.before.ok + (p?.recordsOk ?? 0);
  const failed = rec ? rec.failed : job.before.failed + (p?.recordsFailed ?? 0);
  const pending = total - ok - failed;
  setCount('count-ok', ok);
  setCount('count-failed', failed);
  setCount('count-pending', pending);
  setCount('count-rejected', job.stats?.rejectedBeforeSending ?? rec?.rejected ?? 0);
  setCount('count-verified', job.counts.verified);
  setCount('count-calls', job.counts.calls);
  setCount('count-retries', job.counts.retries);
  setCount('count-refreshes', job.counts.refreshes);
  $('progress').max = total;
  $('progress').value = ok + failed;
  $('progress-label').textContent = `${fmt(ok + failed)} of ${fmt(total)} records final (${fmt(ok)} ok, ${fmt(failed)} failed, ${fmt(pending)} pending)`;

  const s = job.simCounters();
  setCount('sim-created', s.created);
  setCount('sim-updated', s.updated);
  setCount('sim-duplicates', s.duplicates);
  setCount('sim-calls', s.calls);
  setCount('sim-429', s.tooManyRequests);
  setCount('sim-5xx', s.serverErrors);
  setCount('sim-dropped', s.dropped);
  setCount('sim-401', s.expiredToken);
  setCount('sim-refreshes', s.tokenRefreshes);
  setCount('sim-max-inflight', s.maxInFlight, `${fmt(s.maxInFlight)} / ${fmt(s.concurrencyLimit)}`);
  setCount('sim-limit', s.concurrencyLimit);
  if (rec) reconcile(rec, s);
  drawCharts(s);
  try {
    if (job.client) $('guard-snapshot').textContent = JSON.stringify(job.client.snapshot(), null, 2);
  } catch (e) {
    $('guard-snapshot').textContent = String(e?.message ?? e);
  }
}

/** The lines that say how the client's figures and Zoho's agree (see Job.reconcile). */
function reconcile(r, s) {
  const lines = [
    `Records ok ${fmt(r.ok)} = ${fmt(r.okNew)} created by this job${r.okExisting ? ` + ${fmt(r.okExisting)} already in Zoho and updated (upsert)` : ''}.` +
      (r.verified ? ` ${fmt(r.verified)} of them were verified after a lost reply: Zoho wrote them but the reply never came, so the client found them by Email instead of sending them twice.` : ''),
    `Records created ${fmt(s.created)} = ${fmt(r.okNew)} reported ok` +
      (r.failedCreated ? ` + ${fmt(r.failedCreated)} reported failed although Zoho wrote them (reply lost, lookup failed too: AMBIGUOUS_WRITE, a resume looks again)` : '') +
      (s.duplicates ? ` + ${fmt(s.duplicates)} duplicates` : '') + '.',
    ...(s.updated ? [`Records updated ${fmt(s.updated)} = ${fmt(r.okExisting)} upserts of records already in Zoho + ${fmt(s.updated - r.okExisting)} repeated writes: an upsert whose reply was lost is sent again (safe: the repeat updates what the first wrote).`] : []),
    `Failed ${fmt(r.failed)} = ${fmt(r.rejected)} rejected before sending (no call, no credit) + ${fmt(r.failed - r.rejected)} refused or lost at Zoho; pending ${fmt(r.pending)}.`,
    `Calls sent ${fmt(job.counts.calls)} = ${fmt(s.calls)} received by the simulator + ${fmt(s.injected429)} answered 429 in front of it (the page's busy-org storm); ${fmt(s.limits429)} 429s were for limits the client broke.`,
  ];
  const ul = $('reconcile');
  ul.replaceChildren(...lines.map((text) => Object.assign(document.createElement('li'), { textContent: text })));
  Object.assign(ul.dataset, { ok: r.ok, okNew: r.okNew, okExisting: r.okExisting, failedCreated: r.failedCreated, verified: r.verified, created: s.created, duplicates: s.duplicates });
}

function drawCharts(s) {
  const xMax = job.t();
  const steps = job.inFlightSteps();
  const of = (key) => job.samples.filter((p) => p[key] !== undefined).map((p) => ({ t: p.t, v: p[key] }));
  drawLines($('chart-inflight'), {
    xMax,
    series: [
      { key: 'inFlight', colour: colour('inflight'), points: steps ?? of('inFlight') },
      { key: 'effectiveLimit', colour: colour('effective'), width: 2.5, dash: [5, 3], points: of('effectiveLimit') },
    ],
    limits: [
      { value: s.concurrencyLimit, label: 'edition limit', colour: colour('limit') },
      { value: s.subConcurrencyLimit, label: 'complex pool', colour: colour('limit') },
    ],
  });
  // Credits: against the whole allowance once the window is busy; zoomed on the job's own
  // spend while it is a sliver of it (the allowance then stays in the caption).
  const busy = s.creditsUsed > s.creditsTotal * 0.05;
  drawLines($('chart-credits'), {
    xMax,
    series: [
      { key: 'creditsUsed', colour: colour('used'), points: of('creditsUsed') },
      { key: 'guardCredits', colour: colour('ledger'), width: 1.5, dash: [6, 3], points: of('guardCredits') },
    ],
    limits: busy ? [{ value: s.creditsTotal, label: 'allowance', colour: colour('limit') }] : [],
    yMax: busy ? s.creditsTotal : Math.max(10, s.creditsUsed * 1.2, ...job.samples.map((p) => (p.guardCredits ?? 0) * 1.05)),
  });
  $('credits-figures').textContent = `${fmt(s.creditsUsed)} used, ${fmt(s.creditsTotal - s.creditsUsed)} of ${fmt(s.creditsTotal)} left${busy ? '' : ' (zoomed)'}.`;
  drawTimeline($('chart-timeline'), [...job.attempts.values()], job.waits, xMax);
  legend();
}

/** The timeline's legend: each decision and refusal seen, its count and what it means. */
function legend() {
  const item = (cls, name, n, why) => {
    const span = Object.assign(document.createElement('span'), { className: `key ${cls}` });
    span.append(Object.assign(document.createElement('b'), { textContent: `${name} ${fmt(n)}` }), `: ${why}`);
    return span;
  };
  const d = Object.entries(job.counts.decisions).map(([k, n]) => item(k, k.replaceAll('_', ' '), n, ACTIONS[k] ?? k));
  const w = Object.entries(job.counts.waits).map(([k, n]) => item(`refusal-${k}`, `held back (${k.replaceAll('_', ' ')})`, n, REFUSALS[k] ?? k));
  $('decision-figures').replaceChildren(...d, ...w);
}

// ------------------------------------------------------------------ GraphQL

const GOOD_QUERY = `query {
  Records {
    Leads(where: { Lead_Status: { equals: "Contacted" } }, limit: 50) {
      _data {
        Last_Name { value }
        Email { value }
        Owner { name { value } }
      }
    }
  }
}`;

const BAD_QUERY = `query {
  Records {
    Leads(limit: 500) {
      _data {
        Last_Name { value }
        Owner { name { value } }
        Converted_Account { Parent_Account { Parent_Account { Account_Name { value } } } }
      }
    }
  }
}`;

function analyse(event) {
  event?.preventDefault();
  const set = (id, v) => ($(id).textContent = v);
  if (!analyzeGraphql) {
    set('gql-status', 'This build of the package has no analyzeGraphql yet.');
    $('gql-status').className = 'error';
    return;
  }
  try {
    const text = $('gql-variables').value.trim();
    const variables = text ? JSON.parse(text) : null;
    const a = analyzeGraphql($('gql-query').value, variables, null);
    set('gql-depth', fmt(a.depth.records));
    set('gql-meta', fmt(a.depth.meta));
    set('gql-complexity', fmt(a.complexity));
    set('gql-credits', fmt(a.credits));
    $('gql-violations').tBodies[0].replaceChildren(
      ...a.violations.map((v) => {
        const tr = document.createElement('tr');
        const where = v.line === null ? 'whole query' : `line ${v.line}, column ${v.column}`;
        for (const c of [v.code, v.path.join('.') || '–', where, v.message]) tr.append(Object.assign(document.createElement('td'), { textContent: c }));
        return tr;
      }),
    );
    set('gql-status', a.ok ? 'Within every limit: this query may be sent.' : `${a.violations.length} violation(s): the client would refuse to send it.`);
    $('gql-status').className = a.ok ? 'ok' : 'error';
    document.body.dataset.graphql = a.ok ? 'ok' : 'violations';
  } catch (e) {
    set('gql-status', isZcrmGuardError(e) ? `${e.code}: ${e.message}` : `Not valid: ${e?.message ?? e}`);
    $('gql-status').className = 'error';
    document.body.dataset.graphql = 'error';
  }
}

// ------------------------------------------------------------------ start-up

setupLimits();
setupOneRead();
clearViews();
$('job').addEventListener('submit', start);
// Changed settings after a pause start a new job: the button says so.
for (const form of [$('job'), $('org')]) {
  form.addEventListener('input', () => {
    if (job && !job.running) $('start').textContent = job.pending().length > 0 && JSON.stringify(job.settings) === JSON.stringify(readSettings()) ? 'Resume' : 'Start';
  });
}
$('pause').addEventListener('click', pause);
$('reset').addEventListener('click', reset);
$('gql-query').value = GOOD_QUERY;
$('graphql').addEventListener('submit', analyse);
$('gql-example').addEventListener('click', () => {
  $('gql-query').value = BAD_QUERY;
  analyse();
});
// Canvases are drawn at their size: a new width means a redraw.
window.addEventListener('resize', () => (job ? render() : ['chart-inflight', 'chart-credits', 'chart-timeline'].forEach((id) => drawEmpty($(id)))));
if (missing.length) jobStatus(`This build of the package lacks ${missing.join(', ')}: the job panel waits for them.`, 'error');
document.body.dataset.job = 'idle';
document.body.dataset.ready = 'true';
