// One tab of a widget: the package's browser entry and `zcrm-guard/tabs`, served from
// pkg/. The test drives it through `window.tabs`; its calls go to this page's origin,
// where the test answers them from one Zoho CRM simulator shared by every tab.
import init, { createClient, Guard } from '/pkg/browser.js';
import { tabsGuard } from '/pkg/lib/tabs.js';

try {
  await init();
  const params = new URLSearchParams(location.search);
  const tag = params.get('tab') ?? 'x';
  const guard = await tabsGuard({
    name: 'tabs-test-widget',
    createGuard: () => new Guard({ edition: 'standard' }),
    closedTabGraceMs: Number(params.get('grace') ?? 30_000),
  });
  const client = createClient({ apiDomain: location.origin, getAccessToken: async () => `token-${tag}`, edition: 'standard', guard });
  window.tabs = {
    role: () => guard.role,
    id: guard.id,
    stats: () => ({ ...guard.stats, role: guard.role, leader: guard.leader }),
    /** The shared Guard's calls in flight while this tab leads (null otherwise). */
    sharedInFlight: () => guard.sharedSnapshot()?.inFlight ?? null,
    /** Inserts `n` Leads tagged `job`; resolves with what came back. */
    async run(job, n, batchSize) {
      const records = Array.from({ length: n }, (_, i) => ({ Last_Name: `Lead ${job} ${i}`, Email: `${job}.${i}@example.com` }));
      const { results, stats } = await client.insert('Leads', records, { batchSize });
      return { ok: results.filter((r) => r.ok).length, failed: results.filter((r) => !r.ok).slice(0, 3).map((r) => `${r.code}: ${r.reason}`), calls: stats.calls };
    },
    close: () => guard.close(),
  };
  document.body.dataset.result = JSON.stringify({ id: guard.id, role: guard.role });
} catch (e) {
  document.body.dataset.error = String(e?.stack ?? e);
}
