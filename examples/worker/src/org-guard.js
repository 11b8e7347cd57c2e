// The Durable Object that owns one Zoho org's Guard: every isolate leases slots from it
// in blocks and reports its settles in batches (org-leases.js), so the org's
// concurrency, complex pool and credits are counted once for all of them, at about one
// Durable Object call per LEASE_CALLS Zoho calls. It also owns the access token, so N
// isolates that see an expired token cause one refresh. Its state (the Guard's `toJSON`
// and the leases) is saved after every change and restored when the object starts again.
import { DurableObject } from 'cloudflare:workers';
import { Guard } from 'zcrm-guard';
import { LeaseBook } from './org-leases.js';

/** Storage keys. */
const GUARD_KEY = 'guard';
const TOKEN_KEY = 'token';
const LEASES_KEY = 'leases';
/** Zoho's accounts server when ZOHO_ACCOUNTS_URL is not set (US data centre). */
const DEFAULT_ACCOUNTS_URL = 'https://accounts.zoho.com';

/** The org's Guard configuration from the Worker's environment. */
export function guardConfig(env) {
  const config = { edition: env.ZOHO_EDITION ?? 'standard' };
  if (env.ZOHO_LICENSES) config.licenses = Number(env.ZOHO_LICENSES);
  if (env.ZOHO_ADDON_CREDITS) config.addOnCredits = Number(env.ZOHO_ADDON_CREDITS);
  return config;
}

export class OrgGuard extends DurableObject {
  constructor(ctx, env) {
    super(ctx, env);
    this.refreshing = null;
    ctx.blockConcurrencyWhile(async () => {
      const saved = await ctx.storage.get(GUARD_KEY);
      this.guard = null;
      if (saved) {
        try {
          this.guard = Guard.fromJSON(saved);
        } catch (e) {
          // A state this version cannot read (an upgrade, a corrupt write) must not brick
          // the org: start afresh, which at worst forgets in-flight tickets and the ledger.
          console.warn(`OrgGuard: saved state refused (${e?.code ?? e?.message ?? e}); starting afresh`);
        }
      }
      const fresh = !this.guard;
      this.guard ??= new Guard(guardConfig(env));
      // The leases go with the Guard whose tickets they hold; a fresh Guard has none.
      this.leases = new LeaseBook(this.guard, fresh ? undefined : await ctx.storage.get(LEASES_KEY));
      this.token = (await ctx.storage.get(TOKEN_KEY)) ?? null;
    });
  }

  #save() {
    return this.ctx.storage.put({ [GUARD_KEY]: this.guard.toJSON(), [LEASES_KEY]: this.leases.toJSON() });
  }

  /**
   * One call per renewal: the holder's finished calls (`reports`), the shapes it returns,
   * what it asks for, and the access token when the holder's (`token`) is not current.
   * @param {import('./org-leases.js').LeaseRequest & { token?: string | null }} req
   */
  async lease(req) {
    const answer = this.leases.lease(req, Date.now());
    await this.#save();
    // An admit refused for the token: refresh it here (one refresh however many ask), and
    // let the holder ask again at once.
    if (answer.needsToken) {
      await this.refresh(this.token?.value ?? null).catch(() => {});
      if (answer.refusal) answer.refusal.waitMs = 1;
    }
    let token = null;
    if (!req.close) {
      // The first lease of an invocation brings its token: no call of its own for it.
      const current = this.token?.value ?? (await this.accessToken().catch(() => null));
      token = current && current !== req.token ? current : null;
    }
    return { ...answer, token };
  }

  /** The current access token, refreshed first when there is none yet. */
  async accessToken() {
    if (this.token?.value) return this.token.value;
    return this.refresh(null);
  }

  /**
   * Refreshes the access token unless another isolate already replaced `stale`: N
   * isolates that saw the same expired token cause exactly one call to Zoho.
   */
  async refresh(stale) {
    if (this.token?.value && this.token.value !== stale) return this.token.value;
    this.refreshing ??= this.#refresh().finally(() => {
      this.refreshing = null;
    });
    return this.refreshing;
  }

  async #refresh() {
    const env = this.env;
    const body = new URLSearchParams({
      grant_type: 'refresh_token',
      client_id: env.ZOHO_CLIENT_ID ?? '',
      client_secret: env.ZOHO_CLIENT_SECRET ?? '',
      refresh_token: env.ZOHO_REFRESH_TOKEN ?? '',
    });
    const res = await fetch(`${(env.ZOHO_ACCOUNTS_URL ?? DEFAULT_ACCOUNTS_URL).replace(/\/+$/, '')}/oauth/v2/token`, { method: 'POST', body });
    const json = await res.json().catch(() => ({}));
    // Zoho answers token errors with 200 and an `error` field (sources §8); never echo secrets.
    if (!json.access_token) throw new Error(`token refresh failed: ${json.error ?? `HTTP ${res.status}`}`);
    this.token = { value: json.access_token, at: Date.now() };
    // The token endpoint's answer as it came (the Guard reads its lifetime and api_domain).
    this.guard.tokenRefreshed(Date.now(), json);
    await this.ctx.storage.put(TOKEN_KEY, this.token);
    await this.#save();
    return json.access_token;
  }

  /** The org's Guard as it stands: its snapshot and its saved state. */
  async state() {
    return { snapshot: this.guard.snapshot(Date.now()), state: this.guard.toJSON(), leases: this.leases.toJSON(), leaseStats: this.leases.stats, tokenSince: this.token?.at ?? null };
  }
}
