// A Zoho CRM widget that inserts a few Leads through zcrm-guard's client: the records are
// checked against the org's field metadata before anything is sent, sent through the
// widget SDK (widgetTransport), and every reply goes through the Guard, which decides on
// retries and keeps within the org's limits. The table shows one result per record.
//
// The package is the copy under app/lib/zcrm-guard/ (`npm run vendor`): its inline entry,
// because `zet pack` leaves .wasm files out of the widget's zip.
import init, { createClient, widgetTransport, isZcrmGuardError } from '../lib/zcrm-guard/inline.js';

/** The last lead lacks Last_Name, which Leads require: the client rejects it before sending. */
const SAMPLE_LEADS = [
  { First_Name: 'Ana', Last_Name: 'Rivera', Company: 'Rivera Design', Email: 'ana.rivera@example.com' },
  { First_Name: 'Chidi', Last_Name: 'Okafor', Company: 'Okafor Logistics', Email: 'chidi.okafor@example.com' },
  { First_Name: 'Maja', Last_Name: 'Lindqvist', Company: 'Nordljus AB', Email: 'maja.lindqvist@example.com' },
  { First_Name: 'Sam', Company: 'No Surname Ltd', Email: 'sam@example.com' },
];

const $ = (id) => document.getElementById(id);
const wasmReady = init(); // inlined: no fetch, ready in a few milliseconds
let client; // made on PageLoad

ZOHO.embeddedApp.on('PageLoad', async () => {
  await wasmReady;
  // With SDK 1.5 the transport uses `zrc` (real statuses and headers); without it, the
  // ZOHO.CRM.API wrappers (statuses derived from the body, one record per call).
  const transport = widgetTransport();
  client = createClient({
    // Only shapes the request URLs: the SDK sends them to the org's own data centre.
    apiDomain: 'https://www.zohoapis.com',
    transport,
    // The SDK authenticates the widget's calls; this value is never sent.
    getAccessToken: () => 'sdk',
    // The org's edition and licences set the Guard's limits (credits, concurrency).
    edition: 'standard',
  });
  $('status').textContent = `Ready (transport: ${transport.mode}).`;
  $('insert').disabled = false;
});

$('insert').addEventListener('click', async () => {
  if (!client) return;
  const button = $('insert');
  button.disabled = true;
  $('status').textContent = 'Inserting…';
  try {
    const { results, stats } = await client.insert('Leads', SAMPLE_LEADS);
    showResults(results);
    $('status').textContent = `${stats.ok} inserted, ${stats.failed} failed (${stats.rejectedBeforeSending} rejected before sending).`;
  } catch (e) {
    $('status').textContent = isZcrmGuardError(e) ? `${e.code}: ${e.message}` : `Failed: ${e}`;
  } finally {
    button.disabled = false;
  }
});

/** One row per input record; text only (never HTML from a reply). */
function showResults(results) {
  const rows = results.map((r, i) => {
    const lead = SAMPLE_LEADS[i];
    const tr = document.createElement('tr');
    tr.dataset.code = r.code;
    const cells = [String(i + 1), [lead.First_Name, lead.Last_Name].filter(Boolean).join(' '), r.code, r.ok ? r.id ?? '' : `${r.message} (${r.reason})`, String(r.attempts)];
    for (const text of cells) tr.append(Object.assign(document.createElement('td'), { textContent: text }));
    tr.cells[2].className = r.ok ? 'ok' : 'failed';
    return tr;
  });
  const table = $('results');
  table.tBodies[0].replaceChildren(...rows);
  table.hidden = false;
}

ZOHO.embeddedApp.init();
