// The limits panel: every figure comes from the package's wasm core.
import { editionLimits, creditCost, operationLimits, dataCenters, isZcrmGuardError } from './engine.js';

const $ = (id) => document.getElementById(id);
const fmt = (n) => (n === null ? 'unlimited' : new Intl.NumberFormat('en-US').format(n));

const OPERATIONS = [
  { kind: 'get' },
  { kind: 'get', sorted: true },
  { kind: 'search' },
  { kind: 'insert', recordCount: 10 },
  { kind: 'insert', recordCount: 100 },
  { kind: 'delete', recordCount: 100 },
  { kind: 'coql', coqlLimit: 200 },
  { kind: 'coql', coqlLimit: 2000 },
  { kind: 'convert_lead' },
  { kind: 'composite', rollbackOnFail: true },
  { kind: 'graphql' },
  { kind: 'bulk_write' },
];

function row(cells, numeric = []) {
  const tr = document.createElement('tr');
  cells.forEach((text, i) => {
    const td = document.createElement(i === 0 ? 'th' : 'td');
    if (i === 0) td.scope = 'row';
    td.textContent = String(text);
    if (numeric.includes(i)) td.className = 'num';
    tr.append(td);
  });
  return tr;
}

function render() {
  const edition = $('edition').value;
  try {
    const l = editionLimits(edition, {
      licenses: Number($('licenses').value || 0),
      addOnCredits: Number($('addons').value || 0),
    });
    $('edition-name').textContent = l.alias ? `${l.edition} (${l.alias})` : l.edition;
    const body = $('limits').tBodies[0];
    body.replaceChildren(
      row(['Credits per rolling 24 h', fmt(l.credits.available)]),
      row(['Computed (base + licences × per licence + add-ons)', `${fmt(l.credits.base)} + ${fmt(l.credits.licenses)} × ${fmt(l.credits.perLicense)} + ${fmt(l.credits.addOnCredits)} = ${fmt(l.credits.computed)}`]),
      row(['Edition cap', fmt(l.credits.cap)]),
      row(['X-API-CREDITS-REMAINING appears below', fmt(l.credits.headerThreshold)]),
      row(['Concurrent calls', l.concurrency]),
      row(['Complex-API sub-concurrency', l.subConcurrency]),
      row(['GraphQL concurrency (per org)', l.graphqlConcurrency]),
    );
    body.querySelectorAll('tr').forEach((tr) => tr.children[1].setAttribute('data-testid', 'value'));
    $('caveats').replaceChildren(...l.caveats.map((c) => Object.assign(document.createElement('li'), { textContent: c })));
    $('status').textContent = `Limits of ${l.edition} computed by zcrm-guard.`;
    $('status').className = '';
  } catch (e) {
    $('status').textContent = isZcrmGuardError(e) ? `${e.code}: ${e.message}` : String(e);
    $('status').className = 'error';
  }
}

function renderStatic() {
  $('operations').tBodies[0].replaceChildren(
    ...OPERATIONS.map((op) => {
      const cost = creditCost(op);
      const lim = operationLimits(op);
      const label = [op.kind, op.recordCount && `${op.recordCount} records`, op.coqlLimit && `LIMIT ${op.coqlLimit}`, op.sorted && 'sorted', op.rollbackOnFail && 'rollback']
        .filter(Boolean)
        .join(', ');
      return row([label, cost.credits, cost.verified ? 'yes' : 'no', lim.pool, lim.maxRecordsPerCall ?? '–', cost.source], [1]);
    }),
  );
  $('datacenters').tBodies[0].replaceChildren(
    ...dataCenters().map((dc) => row([dc.id.toUpperCase(), dc.name, dc.accountsServer, dc.apiDomain])),
  );
}

/** Fills the limits panel and follows the org form (edition, licences, add-ons). */
export function setupLimits() {
  renderStatic();
  render();
  $('org').addEventListener('input', render);
}
