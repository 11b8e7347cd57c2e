// The Durable Object that owns one Zoho org's Guard: every isolate asks it for admits
// and reports its settles, so the org's concurrency, complex pool and credits are
// counted once for all of them. It also owns the access token, so N isolates that see
// an expired token cause one refresh. Its state is saved with `toJSON` after every
// change and restored with `Guard.fromJSON` when the object starts again.
import { DurableObject } from 'cloudflare:workers';
import { Guard } from 'zcrm-guard';

/** Storage keys. */
const GUARD_KEY = 'guard';
const TOKEN_KEY = 'token';
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
      this.guard ??= new Guard(guardConfig(env));
      this.token = (await ctx.storage.get(TOKEN_KEY)) ?? null;
    });
  }

  #save() {
    return this.ctx.storage.put(GUARD_KEY, this.guard.toJSON());
  }

  /** Admits up to `count` calls of one shape; stops at the first refusal and says why. */
  async admit(operation, count = 1) {
    const grants = [];
    let refusal = null;
    for (let i = 0; i < Math.max(1, Math.min(count, 16)); i++) {
      const r = this.guard.admit(operation, Date.now());
      if (!r.ok) {
        refusal = { waitMs: r.waitMs, reason: r.reason };
        break;
      }
      grants.push({ ticket: r.ticket, cost: r.cost });
    }
    if (grants.length) await this.#save();
    return { grants, refusal };
  }

  /** Settles what isolates report; a bad report (unknown ticket) never blocks the others. */
  async settle(reports) {
    const decisions = [];
    for (const { ticket, response } of reports) {
      try {
        const answer = { ...response };
        delete answer.neverSent; // the adapter's marker, not part of a response
        const d = this.guard.settle(ticket, answer, Date.now());
        decisions.push({ ticket, action: d.action, reason: d.reason });
      } catch (e) {
        decisions.push({ ticket, action: null, reason: e?.code ?? 'settle_failed' });
      }
    }
    await this.#save();
    return decisions;
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
    // Zoho answers token errors with 200 and an `error` field (facts §8); never echo secrets.
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
    return { snapshot: this.guard.snapshot(Date.now()), state: this.guard.toJSON(), tokenSince: this.token?.at ?? null };
  }
}
