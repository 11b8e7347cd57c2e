// Types of `zcrm-guard/redis`: one org's budget shared by every Node process through
// Redis (see docs/shared-budget.md). ioredis is an optional peer dependency; these types
// do not need it.

import type {
  Admitted,
  Decision,
  DecisionLog,
  EditionName,
  Guard,
  GuardConfig,
  GuardLike,
  GuardRefusal,
  GuardSnapshot,
  GuardState,
  Operation,
  ResponseInput,
  TokenFailure,
  TokenFailureDecision,
  TokenResponse,
  TokenStatus,
} from './index.js';

export interface RedisGuardOptions {
  /** The org whose budget is shared: it prefixes every key (1-100 of `A-Z a-z 0-9 _ . -`). Required. */
  org: string;
  /** `redis://[user:password@]host:port[/db]` (or `rediss://`). Default: ioredis's (127.0.0.1:6379). */
  url?: string;
  /** More ioredis options (TLS, sentinels, password...). */
  redisOptions?: Record<string, unknown>;
  /** Edition of the org (default `standard`). */
  edition?: EditionName;
  licenses?: number;
  addOnCredits?: number;
  /** Extra configuration of the local Guard (retries, AIMD, costs...). */
  guardConfig?: Partial<GuardConfig>;
  /** A local Guard of your own (default: a new one from `edition`, `licenses`, `guardConfig`). */
  localGuard?: Guard;
  /** Key prefix before the org (default `zcrm-guard`): keys are `{keyPrefix}:{org}:…`. */
  keyPrefix?: string;
  /** How long a slot stays taken when its process dies without giving it back, ms (default 45,000; renewed every third of it). */
  leaseMs?: number;
  /** Processes you expect to share the org (default 2): with the processes Redis last saw, it sets the local share. */
  expectedProcesses?: number;
  /** Calls this process may have in flight while Redis is unreachable (default: the org's limit / processes, at least 1, never above the limit). */
  localShare?: number;
  /** After Redis goes away, no call before this long, ms (default: 1.5 x the longest call seen, at most 30,000), so calls sent before drain. */
  fallbackDrainMs?: number;
  /** After Redis is back, the local share still applies this long, ms (default 2,000), while the other processes rejoin. */
  rejoinMs?: number;
  /** Reconnection interval, ms (default 200). */
  reconnectMs?: number;
  /** How long the client waits before asking again for a slot Redis refused, ms (default 20; a freed slot wakes it sooner). */
  pollMs?: number;
  /** A slot granted or kept but not used goes back after this long, ms (default 200). */
  unusedMs?: number;
}

/** Where a process stands. */
export interface RedisGuardStatus {
  /** `shared`: slots from Redis; `fallback`: Redis unreachable, local share; `rejoining`: back, share still applies. */
  mode: 'shared' | 'fallback' | 'rejoining';
  /** This process's id in Redis (host, pid, random). */
  owner: string;
  /** The org's limit as Redis last said: the edition's, or lower when a Guard learned it from 429s. */
  cap: number;
  /** Processes Redis last saw live. */
  live: number;
  /** Calls this process may have in flight without Redis. */
  share: number;
  /** Slots granted or kept, not in use. */
  held: number;
  inFlight: number;
  stats: { acquires: number; granted: number; released: number; errors: number; fallbacks: number; rejoins: number };
  /** The last Redis error, if any (the guard never throws it). */
  lastError: string | null;
}

/** A Guard for `createClient({ guard })` whose slots, credits and learned limit live in Redis. */
export declare class RedisGuard implements GuardLike {
  /** The local Guard that decides retries, splits, verification and AIMD. */
  readonly local: Guard;
  admit(operation: Operation, nowMs: number, retryOf?: number): Admitted | GuardRefusal;
  settle(ticket: number, response: ResponseInput, nowMs: number): Decision;
  tokenRefreshed(nowMs: number, tokenResponse?: TokenResponse | null): TokenStatus;
  tokenRefreshFailed(nowMs: number, failure?: TokenFailure | null): TokenFailureDecision;
  snapshot(nowMs: number): GuardSnapshot;
  toJSON(): GuardState;
  decisionLog(): DecisionLog;
  subscribe(listener: () => void): () => void;
  status(): RedisGuardStatus;
  /** Resolves once every Redis update sent so far is answered. */
  sync(): Promise<void>;
  /** Gives back unused slots and their credits, waits for every release, closes the connections. */
  close(): Promise<void>;
}

/** Connects to Redis and returns the guard; when Redis is unreachable it starts on its local share. */
export declare function redisGuard(options: RedisGuardOptions): Promise<RedisGuard>;
