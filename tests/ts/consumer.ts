// A TypeScript consumer of every export, checked with `tsc --noEmit` against the
// installed package. Each capability adds its uses below.
import init, {
  initSync,
  editionLimits,
  creditCost,
  operationLimits,
  dataCenters,
  dataCenterFor,
  errorCodes,
  isZcrmGuardError,
  type CostOverrides,
  type CreditCost,
  type DataCenter,
  type EditionLimits,
  type EditionOptions,
  type Operation,
  type OperationLimits,
  type ZcrmGuardError,
  type ZcrmGuardErrorCode,
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
  const codes: ZcrmGuardErrorCode[] = errorCodes();
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
  return limits.concurrency + (cap ?? 0) + cost.credits + (max ?? 0) + dcs.length + (eu ? 1 : 0) + codes.length;
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
