// "Try one read": one Get Records call (Leads, 1 record) through the package's client,
// to the Zoho CRM simulator in this page (no account needed) or to a real org. The
// page's CSP lets it connect to itself and to Zoho's API domains only (scripts/serve.mjs).
import { ZohoSimulator, simulatorFetch } from '@zcrm-guard/zoho-sim';
import { validLeads } from '@zcrm-guard/zoho-sim/fixtures';
import { core, createClient, dataCenters, isZcrmGuardError, missing } from './engine.js';
import { simulatorToken } from './simulated-org.js';

const $ = (id) => document.getElementById(id);

/** Zoho's API domains: the only origins besides its own the page may connect to. */
const API_DOMAINS = dataCenters().map((dc) => dc.apiDomain);

/** A small org of its own for the read: three leads, no faults, the page's edition. */
async function simulatorWithLeads(edition) {
  const sim = new ZohoSimulator({ seed: 1, edition: ['free', 'standard', 'professional', 'enterprise', 'ultimate'].includes(edition) ? edition : 'standard' });
  await sim.handle({
    method: 'POST',
    url: `${sim.apiDomain}/crm/v8/Leads`,
    headers: { authorization: 'Zoho-oauthtoken sim-access-0' },
    body: JSON.stringify({ data: validLeads(3, 'read') }),
  });
  return sim;
}

function status(text, cls = '') {
  $('real-status').textContent = text;
  $('real-status').className = cls;
  document.body.dataset.read = cls || 'info';
}

/** What one read's answer means, in a sentence. */
function describe(r, where) {
  const d = r.decision;
  if (r.status === 0) {
    return `No reply from ${where}: the browser blocked it. Zoho answers a page on another origin only for a client-based app with this page's origin registered as its JavaScript domain (CORS); see the console for the browser's own words.`;
  }
  if (!r.ok) return `${where} answered ${r.status} ${d.verdict.error?.code ?? ''}: ${d.verdict.error?.message ?? ''} (the Guard's decision: ${d.action}, ${d.reason}).`;
  const n = r.body?.data?.length ?? 0;
  const first = r.body?.data?.[0];
  const name = first ? ` (${first.Last_Name ?? first.id})` : '';
  return `${where} answered ${r.status}: ${n} record${n === 1 ? '' : 's'}${name}. The Guard's decision: ${d.action} (${d.reason}).`;
}

async function tryRead(event) {
  event.preventDefault();
  if (!createClient) return status(`This build of the package lacks ${missing.join(', ')}.`, 'error');
  const edition = $('edition').value;
  const query = { per_page: 1, fields: 'Last_Name,Email' };
  const target = $('real-target').value;
  status('Reading…');
  try {
    if (target === 'simulator') {
      const sim = await simulatorWithLeads(edition);
      const client = createClient({ apiDomain: sim.apiDomain, transport: core.fetchTransport({ fetch: simulatorFetch(sim) }), ...simulatorToken(sim), edition });
      const r = await client.request({ kind: 'get', module: 'Leads' }, { method: 'GET', path: '/Leads', query });
      return status(describe(r, 'The simulator'), r.ok ? 'ok' : 'error');
    }
    const apiDomain = ($('real-domain').value || 'https://www.zohoapis.com').replace(/\/+$/, '');
    if (!API_DOMAINS.includes(apiDomain)) {
      return status(`This page may connect only to Zoho's API domains (${API_DOMAINS.join(', ')}): ${apiDomain} is not one.`, 'error');
    }
    const token = $('real-token').value.trim();
    if (!token) return status('Paste an access token first (scope ZohoCRM.modules.leads.READ).', 'error');
    const client = createClient({
      apiDomain,
      transport: core.fetchTransport(),
      getAccessToken: () => token,
      edition,
      licenses: Number($('licenses').value || 0),
      // One look is enough to show what the browser allows: no retries of a blocked call.
      guardConfig: { retry: { maxAttempts: 1 } },
    });
    const r = await client.request({ kind: 'get', module: 'Leads' }, { method: 'GET', path: '/Leads', query });
    status(describe(r, 'Zoho'), r.ok ? 'ok' : 'error');
  } catch (e) {
    status(isZcrmGuardError(e) ? `${e.code}: ${e.message}` : String(e?.message ?? e), 'error');
  }
}

/** The real-org fields matter only for a real org. */
function followTarget() {
  const real = $('real-target').value === 'zoho';
  for (const id of ['real-domain', 'real-token']) $(id).disabled = !real;
}

export function setupOneRead() {
  $('real').addEventListener('submit', tryRead);
  $('real-target').addEventListener('change', followTarget);
  followTarget();
}
