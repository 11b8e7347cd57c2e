// A Worker that runs every shared case against the package, imported by name and
// resolved through the `workerd` export condition (as wrangler does), and answers
// with one result per case.
import * as api from 'zcrm-guard';
import cases from '../cases/index.mjs';
import { t } from '../cases/assert.mjs';

export default {
  async fetch() {
    const results = [];
    for (const c of cases) {
      try {
        await c.run(api, t);
        results.push({ name: c.name, ok: true });
      } catch (e) {
        results.push({ name: c.name, ok: false, error: String(e && e.stack ? e.stack : e) });
      }
    }
    return Response.json({ results, exports: Object.keys(api).sort() });
  },
};
