// The demo page: wires the controls to a Job (job.js), draws its live views (charts.js),
// and hosts the GraphQL analyser, the "Real Zoho" panel and the limits tables.
import { setupLimits } from './limits.js';
import { Job } from './job.js';
import { drawLines, drawTimeline } from './charts.js';
import { analyzeGraphql, createClient, core, editionLimits, isZcrmGuardError, missing } from './engine.js';

const $ = (id) => document.getElementById(id);
const fmt = (n) => new Intl.NumberFormat('en-US', { maximumFractionDigits: 2 }).format(n);
/** Redraw period of the live views while a job runs. */
const RENDER_MS = 250;
/** Rows shown in the results table at most (the filter narrows them). */
const MAX_ROWS = 500;

let job = null;
let controller = null;
let renderTimer = null;

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
    faults: { tooMany: num('f-429', 0, 1), server: num('f-5xx', 0, 1), locked: num('f-locked', 0, 1), tokenExpiry: num('f-token', 0, 1), dropped: num('f-drop', 0, 1) },
  };
}

function setCount(id, value) {
  const e = $(id);
  e.dataset.value = String(value);
  e.textContent = fmt(value);
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
      renderResults();
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
  for (const id of ['count-ok', 'count-failed', 'count-pending', 'count-rejected', 'count-calls', 'count-retries', 'count-refreshes']) setCount(id, 0);
  for (const id of ['chart-inflight', 'chart-credits', 'chart-timeline']) $(id).replaceChildren();
  $('results').tBodies[0].replaceChildren();
  $('results-note').textContent = '';
  $('guard-snapshot').textContent = 'No job yet.';
  $('progress').value = 0;
  $('progress-label').textContent = '0 of 0 records final';
}

// ------------------------------------------------------------------ live views

function render() {
  if (!job) return;
  const total = job.records.length;
  const final = job.results.filter((r) => r && r.code !== 'NOT_SENT');
  const p = job.progress;
  // Live counts come from the client's progress ticks, final ones from the results.
  const live = job.running && p;
  const ok = live ? job.before.ok + p.recordsOk : final.filter((r) => r.ok).length;
  const failed = live ? job.before.failed + p.recordsFailed : final.filter((r) => !r.ok).length;
  const pending = total - ok - failed;
  setCount('count-ok', ok);
  setCount('count-failed', failed);
  setCount('count-pending', pending);
  setCount('count-rejected', job.stats?.rejectedBeforeSending ?? final.filter((r) => r.reason === 'invalid_before_sending').length);
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
  setCount('sim-max-inflight', s.maxInFlight);
  setCount('sim-limit', s.concurrencyLimit);
  setCount('sim-429', s.tooManyRequests);
  setCount('sim-429-injected', s.injected429);
  setCount('sim-faults', s.faults);
  setCount('sim-refreshes', s.tokenRefreshes);

  // Total in flight from the simulator's per-call times (exact); complex ones sampled.
  const steps = job.inFlightSteps();
  drawLines($('chart-inflight'), steps ? [...job.samples.map(({ t, complexInFlight }) => ({ t, complexInFlight })), ...steps].sort((a, b) => a.t - b.t) : job.samples, [
    { key: 'inFlight', label: 'in flight', cls: 'inflight' },
    { key: 'complexInFlight', label: 'complex', cls: 'complex' },
    { key: 'effectiveLimit', label: "Guard's limit", cls: 'effective' },
  ], [
    { value: s.concurrencyLimit, label: 'edition limit', cls: 'limit' },
    { value: s.subConcurrencyLimit, label: 'complex pool', cls: 'limit-complex' },
  ]);
  // Credits: against the whole allowance once the window is busy; zoomed on the job's own
  // spend while it is a sliver of it (the allowance then stays in the caption).
  const busy = s.creditsUsed > s.creditsTotal * 0.05;
  drawLines($('chart-credits'), job.samples, busy
    ? [{ key: 'creditsUsed', label: 'used', cls: 'used' }, { key: 'guardCredits', label: 'ledger', cls: 'ledger' }, { key: 'creditsRemaining', label: 'remaining', cls: 'remaining' }]
    : [{ key: 'creditsUsed', label: 'used', cls: 'used' }, { key: 'guardCredits', label: 'ledger', cls: 'ledger' }],
  [{ value: s.creditsTotal, label: 'allowance', cls: 'limit' }], { yMax: busy ? s.creditsTotal : Math.max(10, s.creditsUsed * 1.3, ...job.samples.map((p) => (p.guardCredits ?? 0) * 1.1)) });
  $('credits-figures').textContent = `${fmt(s.creditsUsed)} used and ${fmt(s.creditsTotal - s.creditsUsed)} remaining of ${fmt(s.creditsTotal)} in the rolling window${busy ? '' : ' (zoomed on the used credits)'}.`;
  drawTimeline($('chart-timeline'), [...job.attempts.values()], job.waits, job.t());
  const d = Object.entries(job.counts.decisions).map(([k, n]) => `${k} ${fmt(n)}`);
  const w = Object.entries(job.counts.waits).map(([k, n]) => `${k} ${fmt(n)}`);
  $('decision-figures').textContent = `Decisions: ${d.join(', ') || 'none'}. Refused admits: ${w.join(', ') || 'none'}.`;
  try {
    const snap = job.client?.guard?.snapshot?.(Date.now());
    if (snap !== undefined) $('guard-snapshot').textContent = JSON.stringify(snap, null, 2);
  } catch (e) {
    $('guard-snapshot').textContent = String(e?.message ?? e);
  }
}

function renderResults() {
  if (!job) return;
  const rows = job.results.filter(Boolean);
  const byCode = new Map();
  for (const r of rows) byCode.set(r.code, (byCode.get(r.code) ?? 0) + 1);
  const filter = $('results-filter');
  const chosen = filter.value;
  filter.replaceChildren(
    new Option(`All records (${fmt(rows.length)})`, ''),
    new Option(`Failed only (${fmt(rows.filter((r) => !r.ok).length)})`, '!ok'),
    ...[...byCode].sort((a, b) => b[1] - a[1]).map(([code, n]) => new Option(`${code} (${fmt(n)})`, code)),
  );
  filter.value = [...filter.options].some((o) => o.value === chosen) ? chosen : '';
  const shown = rows.filter((r) => (filter.value === '' ? true : filter.value === '!ok' ? !r.ok : r.code === filter.value));
  $('results').tBodies[0].replaceChildren(
    ...shown.slice(0, MAX_ROWS).map((r) => {
      const tr = document.createElement('tr');
      tr.className = r.ok ? 'ok' : 'failed';
      const path = r.details?.json_path ?? r.details?.api_name;
      const cells = [r.index + 1, r.ok ? 'ok' : 'failed', r.code, path ? `${r.message} (${path})` : r.message, r.reason, r.attempts, r.id ?? '–'];
      for (const c of cells) tr.append(Object.assign(document.createElement('td'), { textContent: String(c ?? '') }));
      return tr;
    }),
  );
  $('results-note').textContent = shown.length > MAX_ROWS ? `Showing the first ${fmt(MAX_ROWS)} of ${fmt(shown.length)}.` : `${fmt(shown.length)} records.`;
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

// ------------------------------------------------------------------ Real Zoho

async function tryReal(event) {
  event.preventDefault();
  const status = (text, cls = '') => {
    $('real-status').textContent = text;
    $('real-status').className = cls;
  };
  if (!createClient) return status(`This build of the package lacks ${missing.join(', ')}.`, 'error');
  const token = $('real-token').value;
  try {
    const client = createClient({
      apiDomain: $('real-domain').value || 'https://www.zohoapis.com',
      transport: core.fetchTransport(),
      getAccessToken: () => token,
      edition: $('edition').value,
      licenses: Number($('licenses').value || 0),
      // One look is enough to show what the browser allows: no retries of a blocked call.
      guardConfig: { retry: { maxAttempts: 1 } },
    });
    const r = await client.request({ kind: 'get', module: 'Leads' }, { method: 'GET', path: '/Leads', query: { per_page: 1, fields: 'Last_Name' } });
    status(r.status === 0 ? 'No response: the browser blocked the call (CORS or this page\'s CSP), as explained above.' : `Zoho answered ${r.status}; decision: ${r.decision.action} (${r.decision.reason}).`, r.ok ? 'ok' : 'error');
  } catch (e) {
    status(isZcrmGuardError(e) ? `${e.code}: ${e.message}` : String(e?.message ?? e), 'error');
  }
}

// ------------------------------------------------------------------ start-up

setupLimits();
$('job').addEventListener('submit', start);
// Changed settings after a pause start a new job: the button says so.
for (const form of [$('job'), $('org')]) {
  form.addEventListener('input', () => {
    if (job && !job.running) $('start').textContent = job.pending().length > 0 && JSON.stringify(job.settings) === JSON.stringify(readSettings()) ? 'Resume' : 'Start';
  });
}
$('pause').addEventListener('click', pause);
$('reset').addEventListener('click', reset);
$('results-filter').addEventListener('change', renderResults);
$('gql-query').value = GOOD_QUERY;
$('graphql').addEventListener('submit', analyse);
$('gql-example').addEventListener('click', () => {
  $('gql-query').value = BAD_QUERY;
  analyse();
});
$('real').addEventListener('submit', tryReal);
if (missing.length) jobStatus(`This build of the package lacks ${missing.join(', ')}: the job panel waits for them.`, 'error');
document.body.dataset.job = 'idle';
document.body.dataset.ready = 'true';
