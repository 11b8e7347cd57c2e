// The result per record, collapsed: one line per (outcome, reason, code) with its count
// and a sentence saying what it means; each line opens to its records, rendered only
// when opened (a 20,000-record job would otherwise put 20,000 rows in the page).
import { explainResult } from './explain.js';

/** Rows shown at most when a group is opened. */
const ROWS_SHOWN = 200;

const fmt = (n) => new Intl.NumberFormat('en-US').format(n);

function el(tag, props = {}, ...children) {
  const e = Object.assign(document.createElement(tag), props);
  e.append(...children);
  return e;
}

/** The outcome of a result: ok, failed, or not sent (pending a resume). */
function outcome(r) {
  if (r.code === 'NOT_SENT') return 'not sent';
  return r.ok ? 'ok' : 'failed';
}

function rowsTable(rows) {
  const head = el('tr', {}, ...['#', 'Code', 'Message', 'Attempts', 'Record id'].map((h) => el('th', { scope: 'col', textContent: h })));
  const body = rows.slice(0, ROWS_SHOWN).map((r) => {
    const path = r.details?.json_path ?? r.details?.api_name;
    const cells = [r.index + 1, r.code, path ? `${r.message} (${path})` : r.message, r.attempts, r.id ?? '–'];
    return el('tr', {}, ...cells.map((c) => el('td', { textContent: String(c ?? '') })));
  });
  const table = el('table', { className: 'rows' }, el('thead', {}, head), el('tbody', {}, ...body));
  if (rows.length <= ROWS_SHOWN) return table;
  return el('div', {}, table, el('p', { className: 'help', textContent: `The first ${fmt(ROWS_SHOWN)} of ${fmt(rows.length)}.` }));
}

/**
 * Replaces `container`'s children with one collapsed group per outcome, reason and code,
 * failures first, then by size.
 * @param {HTMLElement} container
 * @param {Array<object|null>} results one per record (null: not final yet)
 */
export function renderResults(container, results) {
  const groups = new Map();
  for (const r of results) {
    if (!r) continue;
    const key = `${outcome(r)}|${r.reason}|${r.code}`;
    if (!groups.has(key)) groups.set(key, { outcome: outcome(r), reason: r.reason, code: r.code, sample: r, rows: [] });
    groups.get(key).rows.push(r);
  }
  const order = { failed: 0, 'not sent': 1, ok: 2 };
  const sorted = [...groups.values()].sort((a, b) => order[a.outcome] - order[b.outcome] || b.rows.length - a.rows.length);
  container.replaceChildren(
    ...sorted.map((g) => {
      const summary = el(
        'summary',
        {},
        el('span', { className: `badge ${g.outcome.replace(' ', '-')}`, textContent: g.outcome }),
        el('strong', { className: 'count', textContent: fmt(g.rows.length) }),
        el('code', { textContent: g.reason }),
        el('code', { textContent: g.code }),
        el('span', { className: 'why', textContent: explainResult(g.sample) }),
      );
      const details = el('details', { className: 'group' }, summary);
      Object.assign(details.dataset, { outcome: g.outcome, reason: g.reason, code: g.code, count: String(g.rows.length) });
      details.addEventListener('toggle', () => {
        if (details.open && details.childElementCount === 1) details.append(rowsTable(g.rows));
      });
      return details;
    }),
  );
  return sorted.length;
}
