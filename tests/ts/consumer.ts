// A TypeScript consumer of every export, checked with `tsc --noEmit` against the
// installed package. Each capability adds its uses below.
import init, {
  initSync,
  editionLimits,
  creditCost,
  operationLimits,
  dataCenters,
  dataCenterFor,
  zohoFacts,
  errorCodes,
  classify,
  isZcrmGuardError,
  type CostOverrides,
  type Category,
  type ClassifyOptions,
  type RecordResult,
  type ResponseInput,
  type RetryHint,
  type Verdict,
  type CreditCost,
  type DataCenter,
  type EditionLimits,
  type EditionOptions,
  type Operation,
  type OperationLimits,
  type ZohoFacts,
  type ZcrmGuardError,
  type ZcrmGuardErrorCode,
  type ErrorCode,
} from 'zcrm-guard';

export async function catalog(): Promise<number> {
  await init();
  initSync();
  const options: EditionOptions = { licenses: 10, addOnCredits: 0, creditCap: null };
  const limits: EditionLimits = editionLimits('crm_plus', options);
  const cap: number | null = limits.credits.cap;
  const op: Operation = { kind: 'coql', coqlLimit: 1000 };
  const overrides: CostOverrides = { perCall: { search: 3 }, writeRecordsPerCredit: 10 };
  const cost: CreditCost = creditCost(op, overrides);
  const opLimits: OperationLimits = operationLimits({ kind: 'insert', recordCount: 100 });
  const max: number | null = opLimits.maxRecordsPerCall;
  const dcs: DataCenter[] = dataCenters();
  const eu: DataCenter | null = dataCenterFor('https://www.zohoapis.eu');
  const codes: ErrorCode[] = errorCodes();
  const facts: ZohoFacts = zohoFacts();
  const perPage: number = facts.paging.maxPerPage + facts.maxWaitMs;
  const verifyBy: string[] | undefined = facts.duplicateCheck.modules['Leads'];
  try {
    editionLimits('gold');
  } catch (e: unknown) {
    if (isZcrmGuardError(e)) {
      const err: ZcrmGuardError = e;
      const code: ZcrmGuardErrorCode = err.code;
      const field: string | null = err.details.field;
      return code.length + (field?.length ?? 0);
    }
  }
  return limits.concurrency + (cap ?? 0) + cost.credits + (max ?? 0) + dcs.length + (eu ? 1 : 0) + codes.length + perPage + (verifyBy?.length ?? 0) + facts.codeStatus['SUCCESS']!;
}

// ---------------------------------------------------------------- validate and batch
import {
  validateRecords,
  checkModule,
  planBatches,
  validateAndPlan,
  planComposite,
  splitBatch,
  mergeResults,
  planJob,
  type Batch,
  type FieldsMetadata,
  type JobPlan,
  type ModuleCheck,
  type Validation,
} from 'zcrm-guard';

export function validateAndBatch(): number {
  const fields: FieldsMetadata = { fields: [{ api_name: 'Last_Name', data_type: 'text', length: 80, system_mandatory: true }] };
  const v: Validation = validateRecords('Leads', [{ Last_Name: 'x' }], fields, { operation: 'insert' });
  const m: ModuleCheck = checkModule('Lead');
  const suggestion: unknown = m.error?.details['suggestion'];
  const text: Batch<string>[] = planBatches({ kind: 'insert', module: 'Leads' }, '[{"Last_Name":"x"}]', { as: 'text' });
  const body: string | null = text[0]?.body ?? null;
  const plan = validateAndPlan({ kind: 'insert', module: 'Leads' }, new Uint8Array(), fields, { as: 'text', trigger: [] });
  const halves = splitBatch(text[0]!);
  const composite = planComposite([{ method: 'GET', uri: '/crm/v8/Leads' }], { rollbackOnFail: false });
  const merged = mergeResults(plan.batches, [null], { count: 1, prior: plan.validation.errors });
  const job: JobPlan = planJob({ kind: 'insert' }, 1000, { edition: 'enterprise', creditsRemaining: 500 });
  return v.valid.length + halves.length + composite.length + merged.length + job.calls + (body?.length ?? 0) + (suggestion ? 1 : 0);
}

// ---------------------------------------------------------------- transports
import {
  fetchTransport,
  widgetTransport,
  type Transport,
  type TransportRequest,
  type TransportResponse,
  type WidgetTransportOptions,
} from 'zcrm-guard';

export async function transports(): Promise<number> {
  const viaFetch: Transport = fetchTransport({ fetch: globalThis.fetch, timeoutMs: 30_000 });
  const options: WidgetTransportOptions = { ZOHO: {}, zrc: null, connection: 'crm', timeoutMs: 5_000 };
  const widget = widgetTransport(options);
  const mode: 'zrc' | 'connection' | 'api' = widget.mode;
  const request: TransportRequest = { method: 'GET', url: 'https://www.zohoapis.com/crm/v8/Leads?fields=Email', headers: {} };
  const r: TransportResponse = await viaFetch(request);
  const credits: string | undefined = r.headers['x-api-credits-remaining'];
  const ambiguous: boolean = r.status === 0 && r.timedOut === true;
  const known: number = r.partial?.records ?? 0;
  return r.status + (r.error?.message ?? '').length + mode.length + (credits ? 1 : 0) + (ambiguous ? 1 : 0) + known;
}

// ---------------------------------------------------------------- classify

export function classifyUse(text: string, headers: Headers): number {
  const response: ResponseInput = { status: 207, headers, body: text };
  const options: ClassifyOptions = { maxBodyBytes: 1 << 20, nowMs: Date.now() };
  const v: Verdict = classify(response, { kind: 'insert', module: 'Leads', recordCount: 2 }, options);
  const failed: RecordResult[] = v.records.filter((r) => !r.ok);
  const category: Category = v.category;
  const retry: RetryHint = failed[0]?.retry ?? 'none';
  const wait: number = v.retryAfterMs ?? 0;
  const offline = classify({ status: 0, error: new TypeError('Failed to fetch') });
  return failed.length + category.length + retry.length + wait + (v.credits?.remaining ?? 0) + (offline.error?.code.length ?? 0);
}

// ---------------------------------------------------------------- graphql
import {
  analyzeGraphql,
  type GraphqlAnalysis,
  type GraphqlOptions,
  type GraphqlViolation,
  type GraphqlViolationCode,
} from 'zcrm-guard';

export function graphql(): number {
  const options: GraphqlOptions = { operationName: 'Q', depthConvention: 'lenient', subforms: ['Items'] };
  const a: GraphqlAnalysis = analyzeGraphql('query Q { Records { Leads { _data { id { value } } } } }', { n: 1 }, options);
  const b: GraphqlAnalysis = analyzeGraphql(new TextEncoder().encode('{ Meta { Modules { _data { id } } } }'));
  const first: GraphqlViolation | undefined = a.violations[0];
  const code: GraphqlViolationCode | undefined = first?.code;
  const line: number | null = first?.line ?? null;
  const reserve = creditCost({ kind: 'graphql', credits: a.credits });
  return a.complexity + b.depth.meta + (code?.length ?? 0) + (line ?? 0) + reserve.credits + a.resources.length;
}

// ---------------------------------------------------------------- client
import {
  createClient,
  type ClientEvent,
  type ClientOptions,
  type DecisionHookAnswer,
  type WriteResult,
  type WriteStats,
  type ZohoClient,
} from 'zcrm-guard';

export async function client(): Promise<number> {
  const events: ClientEvent[] = [];
  const options: ClientOptions = {
    apiDomain: 'https://www.zohoapis.eu',
    edition: 'professional',
    licenses: 25,
    getAccessToken: () => 'token',
    refreshAccessToken: async () => ({ access_token: 'new', expires_in: 3600, api_domain: 'https://www.zohoapis.eu' }),
    onEvent: (e) => events.push(e),
    timeoutMs: 10_000,
    deadlineMs: 600_000,
    // The decision hook: veto retries of a 5xx after two attempts of any record, lengthen throttling waits.
    onDecision: (decision, inputs): DecisionHookAnswer => {
      if (decision.action === 'retry' && inputs.status >= 500 && (inputs.recordAttempts ?? []).some((a) => a >= 2)) return { veto: true };
      if (decision.inputs.delayBasis === 'throttle') return { delayMs: decision.delayMs * 2 };
      return undefined;
    },
  };
  const zoho: ZohoClient = createClient(options);
  const { results, stats }: { results: WriteResult[]; stats: WriteStats } = await zoho.insert('Leads', [{ Last_Name: 'Doe' }], { trigger: [], maxAttempts: 5, deadlineMs: 60_000 });
  const stop: 'aborted' | 'deadline' | 'credits' | null = stats.stoppedBy;
  void stop;
  const first: WriteResult | undefined = results[0];
  let n = 0;
  for await (const row of zoho.records('Leads', { fields: ['Last_Name'], perPage: 200 })) n += row ? 1 : 0;
  for await (const row of zoho.coql('select Last_Name from Leads where Last_Name is not null')) n += row ? 1 : 0;
  const g = await zoho.graphql('{ Records { Leads { _data { id { value } } } } }', null);
  const c = await zoho.convertLead('1', {});
  const r = await zoho.request({ kind: 'metadata' }, { method: 'GET', path: '/settings/modules' });
  for (const e of events) if (e.type === 'progress') n += e.recordsOk;
  return n + stats.calls + (first?.reason.length ?? 0) + (g.ok ? 1 : 0) + (c.ok ? 1 : 0) + r.status;
}

// ---------------------------------------------------------------- guard: decisions narrowed on `action`
import {
  Guard,
  type Admission,
  type Decision,
  type DecisionLog,
  type GuardConfig,
  type GuardLike,
  type GuardRefusal,
  type GuardSnapshot,
  type GuardLogEvent,
  type Outcome,
  type TokenFailureDecision,
  type TokenStatus,
} from 'zcrm-guard';

/** What a caller does with one decision: every action, `indices` where the action has them. */
export function follow(d: Decision): number[] {
  switch (d.action) {
    case 'retry_records': {
      const resend: number[] = d.indices;
      return resend;
    }
    case 'give_up': {
      const failed: number[] | null = d.indices;
      // @ts-expect-error a give_up need not name records
      const always: number[] = d.indices;
      return failed ?? always;
    }
    case 'done':
    case 'retry':
    case 'refresh_token':
    case 'verify':
    case 'split': {
      const none: null = d.indices;
      // @ts-expect-error only retry_records and give_up name records
      d.indices.length;
      return none ?? [];
    }
    default: {
      const unknown: never = d;
      return unknown;
    }
  }
}

/** The verdict a decision was made on, narrowed on its outcome (a closed union). */
export function outcomeOf(d: Decision): string {
  const v = d.verdict;
  switch (v.outcome) {
    case 'success':
    case 'empty':
      return `${v.httpStatus}`;
    case 'partial':
      return `${v.records.filter((r) => !r.ok).length} failed`;
    case 'failure':
      return v.error?.code ?? v.category;
    default: {
      const unknown: never = v.outcome;
      return unknown;
    }
  }
}

export function guard(response: ResponseInput): number {
  const config: GuardConfig = { edition: 'enterprise', licenses: 10, retry: { maxAttempts: 5 }, ambiguousInsert: 'verify' };
  const g = new Guard(config);
  const a: Admission = g.admit({ kind: 'insert', module: 'Leads', recordCount: 3 }, Date.now());
  if (!a.ok) return a.waitMs + (a.reason === 'token_refresh' && a.refresh ? 1 : 0);
  const d: Decision = g.settle(a.ticket, response, Date.now());
  // @ts-expect-error indices are not a list before narrowing on action
  const before: number[] = d.indices;
  // The client's own reading of any decision still compiles.
  const any: number[] = d.indices ?? [];
  // A transport's answer is a response the Guard reads as is.
  const settleReply = (reply: TransportResponse): Decision => g.settle(a.ticket, reply, Date.now());
  const lost: Decision = g.settleNoResponse(a.ticket, Date.now(), { truncated: true });
  const resendAs: string | null = lost.inputs.resendAs;
  const token: TokenStatus = g.tokenRefreshed(Date.now(), { access_token: 'x', expires_in: 3600 });
  const failed: TokenFailureDecision = g.tokenRefreshFailed(Date.now(), { error: 'Access Denied', status: 200, message: 'too many requests' });
  const lostRefresh: TokenFailureDecision = g.tokenRefreshFailed(Date.now());
  const revoked: boolean = failed.action === 'give_up' && failed.reason === 'token_revoked';
  // @ts-expect-error a failed refresh is retried or given up, nothing else
  const never: boolean = failed.action === 'verify';
  const patient: Admission = g.admit({ kind: 'update', module: 'Leads', recordCount: 2, patient: true }, Date.now());
  const capped: number | null = d.inputs.maxAttempts;
  const snap: GuardSnapshot = g.snapshot(Date.now());
  const open = snap.breakers.server.state === 'open' ? snap.breakers.server.until : 0;
  const log: DecisionLog = g.decisionLog();
  const settled = log.events.filter((e: GuardLogEvent) => e.event === 'settle').map((e) => (e.event === 'settle' ? e.decision.action : null));
  const replayed: GuardLogEvent[] = Guard.replay(log);
  const restored = Guard.fromJSON(g.toJSON());
  const outcome: Outcome = d.verdict.outcome;
  const extra = failed.delayMs + lostRefresh.failures + (revoked ? 1 : 0) + (never ? 1 : 0) + (patient.ok ? 1 : 0) + (capped ?? 0);
  return extra + settleReply.length + follow(d).length + before.length + any.length + (resendAs?.length ?? 0) + token.generation + open + settled.length + replayed.length + restored.snapshot(0).inFlight + outcome.length + outcomeOf(d).length;
}

// ---------------------------------------------------------------- client: the Guard it obeys

/** A facade over another Guard (as the Worker example's RemoteGuard): refusals of its own, no toJSON. */
class Facade implements GuardLike {
  constructor(private readonly local: Guard) {}
  admit(operation: Parameters<GuardLike['admit']>[0], nowMs: number, retryOf?: number): ReturnType<GuardLike['admit']> {
    const refusal: GuardRefusal = { ok: false, waitMs: 5, reason: 'budget' };
    return nowMs < 0 ? refusal : this.local.admit(operation, nowMs, retryOf);
  }
  settle(ticket: number, response: ResponseInput, nowMs: number): Decision {
    return this.local.settle(ticket, response, nowMs);
  }
  tokenRefreshed(nowMs: number): TokenStatus {
    return this.local.tokenRefreshed(nowMs);
  }
  snapshot(nowMs: number): GuardSnapshot {
    return this.local.snapshot(nowMs);
  }
}

export async function clientGuard(): Promise<number> {
  const base = { apiDomain: 'https://www.zohoapis.com', getAccessToken: () => 'token' };
  const own = createClient(base);
  const snap: GuardSnapshot = own.guard.snapshot(Date.now());
  const log: DecisionLog = own.guard.decisionLog();
  const shared = createClient({ ...base, guard: new Facade(new Guard({ edition: 'free' })) });
  const remote: GuardSnapshot = shared.guard.snapshot(Date.now());
  const mine: GuardSnapshot = shared.snapshot();
  const g = await own.graphql('{ Records { Leads { _data { id { value } } } } }', null, { analysis: { maxCredits: 5 } });
  const credits: number = g.analysis.credits;
  const followed = follow(g.decision);
  const r = await own.request({ kind: 'metadata' }, { path: '/settings/modules' });
  const retried: number[] = r.decision.action === 'retry_records' ? r.decision.indices : [];
  return snap.inFlight + log.events.length + remote.creditsRemaining + mine.inFlight + credits + followed.length + retried.length;
}

// ---------------------------------------------------------------- zcrm-guard/redis: the shared budget
import { redisGuard, type RedisGuardOptions, type RedisGuardStatus } from 'zcrm-guard/redis';

export async function sharedBudget(): Promise<number> {
  const options: RedisGuardOptions = { url: 'redis://127.0.0.1:6379', org: 'acme', edition: 'standard', licenses: 10, leaseMs: 30_000 };
  const guard = await redisGuard(options);
  const client = createClient({ apiDomain: 'https://www.zohoapis.com', getAccessToken: () => 'token', edition: 'standard', guard });
  const { results } = await client.insert('Leads', [{ Last_Name: 'A' }], { batchSize: 10 });
  const status: RedisGuardStatus = guard.status();
  const snap: GuardSnapshot = client.guard.snapshot(Date.now());
  await guard.sync();
  await guard.close();
  return results.length + status.cap + snap.inFlight + (status.mode === 'fallback' ? 1 : 0);
}

// ---------------------------------------------------------------- strict consumer: the caller's record type, options, the catalog
import {
  errorCatalog,
  type CoqlOptions,
  type ErrorCodeInfo,
  type RecordsOptions,
  type WriteJob,
  type ZohoErrorDetails,
} from 'zcrm-guard';

interface Lead {
  Last_Name: string;
  Email?: string;
}

export async function typedClient(zoho: ZohoClient): Promise<number> {
  const leads: Lead[] = [{ Last_Name: 'Doe', Email: 'doe@example.com' }];
  const job: WriteJob<Lead> = await zoho.insert<Lead>('Leads', leads, { trigger: [], maxAttempts: 5 });
  const upserted: WriteJob<Lead> = await zoho.upsert<Lead>('Leads', leads, { duplicateCheckFields: ['Email'] });
  await zoho.update<Lead & { id: string }>('Leads', [{ id: '1', Last_Name: 'Roe' }]);
  // @ts-expect-error a record without the caller's required field
  await zoho.insert<Lead>('Leads', [{ Email: 'x@example.com' }]);
  // @ts-expect-error an unknown option key (refused at run time too: INVALID_ARGUMENT, suggestion `maxAttempts`)
  await zoho.insert<Lead>('Leads', leads, { maxAttemps: 5 });
  let n = job.results.length + upserted.stats.ok;
  const page: RecordsOptions = { fields: ['Last_Name', 'Email'], perPage: 200 };
  for await (const lead of zoho.records<Lead>('Leads', page)) n += lead.Last_Name.length + (lead.Email?.length ?? 0);
  // @ts-expect-error Get Records needs `fields`
  zoho.records<Lead>('Leads', { perPage: 10 });
  // @ts-expect-error and so does a call with no options at all
  zoho.records<Lead>('Leads');
  // @ts-expect-error an unknown option key
  zoho.records<Lead>('Leads', { fields: 'Email', perpage: 10 });
  for await (const lead of zoho.records<Lead>('Leads', { criteria: '(Email:equals:doe@example.com)' })) n += lead.Last_Name.length;
  const coql: CoqlOptions = { pageSize: 500 };
  for await (const row of zoho.coql<{ id: string }>('select id from Leads where Last_Name is not null', coql)) n += row.id.length;
  try {
    for await (const row of zoho.coql('select id form Leads')) n += Object.keys(row).length;
  } catch (e: unknown) {
    if (!isZcrmGuardError(e)) throw e;
    switch (e.code) {
      case 'ZOHO_ERROR':
      case 'NO_RESPONSE': {
        const zoho: ZohoErrorDetails | null | undefined = e.details.zoho;
        n += (zoho?.code.length ?? 0) + (zoho?.status ?? 0);
        break;
      }
      case 'INVALID_ARGUMENT': {
        const suggestion: string | null = e.details.suggestion;
        const path: string | null = e.details.json_path;
        n += (suggestion?.length ?? 0) + (path?.length ?? 0);
        break;
      }
      // @ts-expect-error a result code is never thrown
      case 'NOT_SENT':
        break;
      default:
        n += e.code.length;
    }
  }
  const catalog: ErrorCodeInfo[] = errorCatalog();
  const thrown = catalog.filter((c) => c.raised === 'thrown' && c.source === 'client').map((c) => c.code);
  return n + thrown.length;
}
