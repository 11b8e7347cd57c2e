// `zcrm-guard/tabs`: the tabs' shared Guard is what createClient({ guard }) accepts.
import { createClient, Guard } from 'zcrm-guard';
import { tabsGuard, type TabsGuard } from 'zcrm-guard/tabs';

const guard: TabsGuard = await tabsGuard({ name: 'my-widget', createGuard: () => new Guard({ edition: 'standard' }), closedTabGraceMs: 30_000 });
const client = createClient({ apiDomain: 'https://www.zohoapis.com', getAccessToken: async () => 'token', guard });
const role: 'leader' | 'follower' = guard.role;
const shared = guard.sharedSnapshot()?.effectiveLimit ?? null;
guard.close();

export const tabsEntry = { client, role, shared, leaderships: guard.stats.leaderships };
