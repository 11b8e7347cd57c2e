// Types of `zcrm-guard/tabs`: one budget for the tabs of one widget in one browser
// (lib/tabs.js). Hand-written: the module is JavaScript.

import type { GuardSnapshot } from './generated/guard.js';
import type { GuardLike } from './client.js';

/** The Web Locks a tab needs (`navigator.locks`). */
export interface TabsLocks {
  request(name: string, callback: () => unknown): Promise<unknown>;
  query(): Promise<{ held?: { name?: string }[] }>;
}

export interface TabsGuardOptions {
  /** Tabs with the same name (and origin) share one budget: use one per widget and org. */
  name: string;
  /** Makes a Guard with the org's configuration: the leader's shared one and each tab's own. */
  createGuard: () => GuardLike;
  /** How long a new leader counts the calls other tabs still run before it grants any (ms, default 100). */
  adoptWindowMs?: number;
  /**
   * How long the calls of a tab that closed are still counted (ms, default 30,000, the
   * client's default timeout): Zoho keeps running a request whose tab is gone.
   */
  closedTabGraceMs?: number;
  /** Defaults to `navigator.locks`. */
  locks?: TabsLocks;
  /** Defaults to the global `BroadcastChannel`. */
  BroadcastChannel?: new (name: string) => {
    postMessage(message: unknown): void;
    close(): void;
    onmessage: ((event: { data: unknown }) => void) | null;
  };
}

/** What `tabsGuard` resolves with: a Guard facade that `createClient({ guard })` accepts. */
export interface TabsGuard extends GuardLike {
  /** This tab's id. */
  readonly id: string;
  /** `leader` while this tab holds the shared Guard. */
  readonly role: 'leader' | 'follower';
  /** The leading tab's id, once known. */
  readonly leader: string | null;
  /** Times this tab took the lead, calls adopted from other tabs at a handover, slots taken back from closed tabs, grants made. */
  readonly stats: { leaderships: number; adopted: number; reclaimed: number; granted: number };
  /** The shared Guard's snapshot while this tab leads, else null. */
  sharedSnapshot(nowMs?: number): GuardSnapshot | null;
  /** Returns unused grants and gives up the lead: the next tab takes over. */
  close(): void;
}

/**
 * Resolves once this tab has joined: the tab holding the Web Lock `zcrm-guard:tabs:<name>`
 * holds the shared Guard, the others ask it over a BroadcastChannel. Throws a
 * ZcrmGuardError `INVALID_ARGUMENT` when Web Locks or BroadcastChannel are missing.
 */
export function tabsGuard(options: TabsGuardOptions): Promise<TabsGuard>;
