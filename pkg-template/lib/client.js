// The client: the fetch loop that obeys the Guard. It has no decision logic of its
// own: validation, batching, classification and every retry/wait/refresh/split/verify
// decision come from the wasm core; the client only sends, waits and bookkeeps.
//
// This file is the facade; the work is done in rooms under client/: the scheduler
// (admit/settle loop, pause and wake, send), the token (single-flight refresh), the
// write job (job, units, recovery), the reads, and the results they report.

import { guardError, readOptions } from './errors.js';
import { checkKeys } from './keys.js';
import * as known from './options.js';
import * as reads from './client/reads.js';
import { Clock } from './client/proof.js';
import { defaultSleep, Scheduler } from './client/scheduler.js';
import { TokenRefresh } from './client/token.js';
import { runWriteJob } from './client/write-job.js';

/** @typedef {import('../index.d.ts').ClientOptions} ClientOptions */

const DEFAULT_API_VERSION = 'v8';
/** Per-call timeout; a timed-out write is an ambiguous write, never a blind retry. */
const DEFAULT_TIMEOUT_MS = 30_000;

/**
 * Binds the client to one runtime's wasm API; each package entry exports the result
 * as `createClient(options)`, a client bound to one Zoho org.
 * @param {object} api the entry's namespace (wasm exports plus lib/ transports)
 */
export function bindClient(api) {
  // The core's Zoho facts (page sizes, duplicate-check fields), read once at first
  // use: in browsers the wasm is ready only after `init()`, which follows this binding.
  let facts = null;
  const bound = { ...api, facts: () => (facts ??= api.zohoFacts()) };
  return (options) => new ZohoClient(bound, options);
}

class ZohoClient {
  /** The state every room shares: options, api, guard, transport, scheduler, token. */
  #client;

  /** @param {object} api @param {ClientOptions} options */
  constructor(api, options) {
    options = readOptions(options);
    checkKeys(options, known.CLIENT_OPTIONS, 'options');
    if (typeof options.apiDomain !== 'string' || !/^https?:\/\//.test(options.apiDomain)) {
      throw guardError('INVALID_ARGUMENT', 'apiDomain must be an http(s) URL such as https://www.zohoapis.com', 'options.apiDomain');
    }
    if (typeof options.getAccessToken !== 'function') throw guardError('INVALID_ARGUMENT', 'getAccessToken must be a function', 'options.getAccessToken');
    if (options.onDecision !== undefined && typeof options.onDecision !== 'function') throw guardError('INVALID_ARGUMENT', 'onDecision must be a function', 'options.onDecision');
    const o = {
      apiVersion: DEFAULT_API_VERSION,
      timeoutMs: DEFAULT_TIMEOUT_MS,
      now: () => Date.now(),
      sleep: defaultSleep,
      ...options,
    };
    const guard = options.guard ?? new api.Guard({
      edition: options.edition ?? 'standard',
      licenses: options.licenses,
      addOnCredits: options.addOnCredits,
      ...(options.guardConfig ?? {}),
    });
    const client = {
      o,
      api,
      guard,
      transport: options.transport ?? api.fetchTransport(),
      apiDomain: options.apiDomain.replace(/\/+$/, ''),
      /** Field metadata by module: one fetch each, shared by every job. */
      fields: new Map(),
      /** Zoho's clock (from `Date` headers) and the user the token writes as: the proof of a lost write. */
      clock: new Clock(),
      /** COQL refused to this token (scope, edition): lookups go to the search API. */
      coqlRefused: false,
      emit(event) {
        if (!o.onEvent) return;
        try {
          o.onEvent({ at: o.now(), ...event });
        } catch {
          // A listener's bug must not break the job.
        }
      },
    };
    client.token = new TokenRefresh(client);
    client.scheduler = new Scheduler(client);
    this.#client = client;
  }

  /** The Guard this client obeys (shared with other clients if one was given). */
  get guard() {
    return this.#client.guard;
  }

  // ------------------------------------------------------------------ writes

  /** Inserts records; resolves with one result per record, in input order. */
  insert(module, records, opts = {}) {
    known.checkWriteOptions(opts);
    return runWriteJob(this.#client, 'insert', module, records, opts);
  }

  /** Updates records (each needs an `id`). */
  update(module, records, opts = {}) {
    known.checkWriteOptions(opts);
    return runWriteJob(this.#client, 'update', module, records, opts);
  }

  /** Upserts records on `duplicateCheckFields` (or the module's system defaults). */
  upsert(module, records, opts = {}) {
    known.checkWriteOptions(opts);
    return runWriteJob(this.#client, 'upsert', module, records, opts);
  }

  /** Deletes records by id, 100 per call. */
  delete(module, ids, opts = {}) {
    known.checkWriteOptions(opts);
    return runWriteJob(this.#client, 'delete', module, ids, opts);
  }

  // ------------------------------------------------------------------ reads and other calls

  /** Zoho's field metadata of a module, fetched once and cached. */
  fieldsMetadata(module, opts) {
    checkKeys(opts, known.SIGNAL_OPTIONS, 'opts');
    return reads.fieldsMetadata(this.#client, module, opts);
  }

  /** Every record of a module, page by page (`page`, then `page_token`). */
  records(module, opts) {
    known.checkRecordsOptions(opts);
    return reads.records(this.#client, module, opts);
  }

  /** Every row of a COQL query, by LIMIT/OFFSET; a query with its own LIMIT is sent once. */
  coql(query, opts) {
    checkKeys(opts, known.COQL_OPTIONS, 'opts');
    return reads.coql(this.#client, query, opts);
  }

  /** A GraphQL query, analysed before sending; rejected locally when it breaks a limit. */
  graphql(query, variables, opts) {
    checkKeys(opts, known.GRAPHQL_OPTIONS, 'opts');
    return reads.graphql(this.#client, query, variables, opts);
  }

  /** Converts a lead (5 credits, complex pool). */
  convertLead(id, body, opts) {
    checkKeys(opts, known.SIGNAL_OPTIONS, 'opts');
    return reads.convertLead(this.#client, id, body, opts);
  }

  /** Any other endpoint, under the Guard: `request({ kind: 'metadata' }, { method, path, query, body })`. */
  request(operation, init) {
    checkKeys(init, known.REQUEST_INIT, 'init');
    return reads.request(this.#client, operation, init);
  }

  /** Counters of everything this client did. */
  snapshot() {
    return this.#client.guard.snapshot(this.#client.o.now());
  }
}
