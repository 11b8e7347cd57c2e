// Types of the transports: fetchTransport, widgetTransport.

// ---------------------------------------------------------------- transports

/** One request as the client hands it to a transport. */
export interface TransportRequest {
  /** HTTP method; default `GET`. */
  method?: string;
  /** Absolute URL (`{apiDomain}/crm/v8/...`); the widget transport turns CRM URLs into relative paths. */
  url: string;
  /** Request headers; `Authorization: Zoho-oauthtoken <token>` for fetch (widgets drop it: the SDK authenticates). */
  headers?: Record<string, string>;
  /** A string, a `BodyInit`, or a plain object sent as JSON. */
  body?: unknown;
  /** Time allowed for the whole call, body included (ms); default the transport's `timeoutMs`. */
  timeoutMs?: number;
  /** Cancels the call; it then resolves with `aborted: true`. */
  signal?: AbortSignal | null;
}

/** Why no answer arrived. Never contains a token or secret. */
export interface TransportError {
  /** `TimeoutError`, `AbortError`, `TypeError` (network), `ZRC_*`, `WidgetSdkError`, `NotSupportedError`, `InvalidRequestError`, ... */
  name: string;
  message: string;
  /** `send`: no status line came back; `body`: the status came but the body was cut (a write may have happened). */
  phase?: 'send' | 'body';
}

/** What a transport resolves with. HTTP errors are answers (status ≥ 400); no answer is status 0. */
export interface TransportResponse {
  /** The HTTP status; 0 when no answer arrived (see `error`). */
  status: number;
  /** Response headers, keys in lower case. Only headers that really arrived; none are invented. */
  headers: Record<string, string>;
  /** The body as text; `''` when empty (204) or absent. */
  body: string;
  /** True when the status was derived from the body (widget calls that hide the HTTP status). */
  derivedStatus?: boolean;
  /** Present when `status` is 0. */
  error?: TransportError;
  /** The call ran out of time: for a write, the outcome is unknown (an ambiguous write, not a retry). */
  timedOut?: boolean;
  /** The caller's signal aborted the call. */
  aborted?: boolean;
  /**
   * Widget `ZOHO.CRM.API.*` bulk writes go one record per call and stop at the first unknown
   * outcome; records `0 .. records - 1` are known and described here (a `{data:[...]}` body).
   */
  partial?: { status: number; body: string; records: number };
}

/** Sends one request; never rejects for HTTP errors or network failures. */
export type Transport = (request: TransportRequest) => Promise<TransportResponse>;

/** Options of `fetchTransport`. */
export interface FetchTransportOptions {
  /** The fetch to use; default `globalThis.fetch`. */
  fetch?: typeof globalThis.fetch;
  /** Default time per call (ms); default 30,000. */
  timeoutMs?: number;
}

/** A transport over `fetch` (Cloudflare Workers, Node ≥ 20, browsers allowed to call the API). */
export function fetchTransport(options?: FetchTransportOptions): Transport;

/** Options of `widgetTransport`. */
export interface WidgetTransportOptions {
  /** The embedded app SDK's `ZOHO` object; default `globalThis.ZOHO`. */
  ZOHO?: unknown;
  /** The SDK 1.5 `zrc` client; default `globalThis.zrc`. Pass `null` to avoid it. */
  zrc?: unknown;
  /** Name of a CRM OAuth connection, for `ZOHO.CRM.CONNECTION.invoke` when `zrc` is absent. */
  connection?: string;
  /** Default time per SDK call (ms); default 30,000. The SDK has no timeout of its own. */
  timeoutMs?: number;
  /** Force a backend instead of choosing zrc, then connection, then the API wrappers. */
  mode?: 'zrc' | 'connection' | 'api';
}

/** A transport for Zoho CRM widgets built on the embedded app SDK. `mode` says which backend it uses. */
export function widgetTransport(options?: WidgetTransportOptions): Transport & { readonly mode: 'zrc' | 'connection' | 'api' };
