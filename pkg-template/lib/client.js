// The client: the fetch loop that obeys the Guard. It has no decision logic of its
// own: validation, batching, classification and every retry/wait/refresh/split/verify
// decision come from the wasm core; this file only sends, waits and bookkeeps.

import { guardError, readOptions } from './errors.js';
import { redact } from './transports.js';

/** @typedef {import('../index.d.ts').ClientOptions} ClientOptions */

const DEFAULT_API_VERSION = 'v8';
/** Per-call timeout; a timed-out write is an ambiguous write, never a blind retry. */
const DEFAULT_TIMEOUT_MS = 30_000;
/** Records per Get Records page (Zoho's maximum, V7DOC get-records). */
const MAX_PER_PAGE = 200;
/** Records reachable with `page` alone; past them, `page_token` (V7DOC get-records). */
const PAGE_ONLY_RECORDS = 2_000;
/** COQL rows per call and in all (v8 COQL-Limitations). */
const COQL_PAGE = 2_000;
const COQL_MAX_ROWS = 100_000;
/** The pool a refusal reason closes for the rest of a scheduling pass. */
const POOL_OF_REFUSAL = { sub_concurrency: 'complex', graphql_concurrency: 'graphql' };
/** Tries of one token refresh before the client gives up (the endpoint can fail like any call). */
const REFRESH_ATTEMPTS = 4;
/** First pause between refresh tries, doubled each time. */
const REFRESH_BACKOFF_MS = 250;
/**
 * Longest wait for credits a write job sits through; past it the job stops spending
 * and ends with the unsent records marked NOT_SENT (reason `credits`) and `stats.resumeAt`.
 * Zoho frees credits 24 h after they were spent (K93), so waiting is rarely wanted.
 */
const DEFAULT_MAX_CREDIT_WAIT_MS = 60_000;
/** The reason a scheduling wait is cancelled with once it is over. */
const WAIT_OVER = 'wait over';
/** Values per verify-by-unique-field COQL lookup. */
const VERIFY_CHUNK = 50;
/**
 * Attempts of one verify lookup (the Guard's default is 3). The lookup is a read, safe
 * to ask again, and it is what turns "may or may not exist" into an answer: at 30%
 * faults three tries leave 2.7% of lost replies unresolved, six leave 0.07%.
 */
const VERIFY_MAX_ATTEMPTS = 6;

/**
 * Binds the client to one runtime's wasm API; each package entry exports the result
 * as `createClient(options)`, a client bound to one Zoho org.
 * @param {object} api the entry's namespace (wasm exports plus lib/ transports)
 */
export function bindClient(api) {
  return (options) => new ZohoClient(api, options);
}

class ZohoClient {
  #o;
  #api;
  #guard;
  #transport;
  #fields = new Map();
  #refreshing = null;
  #refreshFailure = null;
  #stats;
  /**
   * The wake-ups of every running loop (a job's, and each lookup's or single call's
   * of its own): a reply anywhere changes what the Guard allows (a slot freed, a
   * breaker closed), so every waiting loop asks again instead of sleeping out a wait
   * the Guard named before.
   */
  #loops = new Set();

  /** @param {object} api @param {ClientOptions} options */
  constructor(api, options) {
    this.#api = api;
    options = readOptions(options);
    if (typeof options.apiDomain !== 'string' || !/^https?:\/\//.test(options.apiDomain)) {
      throw clientError('INVALID_ARGUMENT', 'apiDomain must be an http(s) URL such as https://www.zohoapis.com', 'options.apiDomain');
    }
    if (typeof options.getAccessToken !== 'function') throw clientError('INVALID_ARGUMENT', 'getAccessToken must be a function', 'options.getAccessToken');
    this.#o = {
      apiVersion: DEFAULT_API_VERSION,
      timeoutMs: DEFAULT_TIMEOUT_MS,
      now: () => Date.now(),
      sleep: defaultSleep,
      ...options,
    };
    this.#guard = options.guard ?? new this.#api.Guard({
      edition: options.edition ?? 'standard',
      licenses: options.licenses,
      addOnCredits: options.addOnCredits,
      ...(options.guardConfig ?? {}),
    });
    this.#transport = options.transport ?? this.#api.fetchTransport();
    this.#apiDomain = options.apiDomain.replace(/\/+$/, '');
  }

  #apiDomain;

  /** The Guard this client obeys (shared with other clients if one was given). */
  get guard() {
    return this.#guard;
  }

  // ------------------------------------------------------------------ writes

  /** Inserts records; resolves with one result per record, in input order. */
  insert(module, records, opts = {}) {
    return this.#write('insert', module, records, opts);
  }

  /** Updates records (each needs an `id`). */
  update(module, records, opts = {}) {
    return this.#write('update', module, records, opts);
  }

  /** Upserts records on `duplicateCheckFields` (or the module's system defaults). */
  upsert(module, records, opts = {}) {
    return this.#write('upsert', module, records, opts);
  }

  /** Deletes records by id, 100 per call. */
  delete(module, ids, opts = {}) {
    return this.#write('delete', module, ids, opts);
  }

  async #write(kind, module, records, opts) {
    const api = this.#api;
    const started = this.#o.now();
    const signal = opts.signal ?? this.#o.signal;
    if (!Array.isArray(records)) throw clientError('INVALID_ARGUMENT', 'records must be an array', 'records');
    if (opts.maxAttempts !== undefined && !(Number.isInteger(opts.maxAttempts) && opts.maxAttempts >= 1 && opts.maxAttempts <= 100)) {
      throw clientError('INVALID_ARGUMENT', 'maxAttempts must be a whole number from 1 to 100', 'opts.maxAttempts');
    }
    const stats = newStats(records.length);
    const results = new Array(records.length);
    // The job's limits (credit wait, attempts per batch) and why it stopped early.
    const halt = { maxCreditWaitMs: opts.maxCreditWaitMs ?? this.#o.maxCreditWaitMs ?? DEFAULT_MAX_CREDIT_WAIT_MS, maxAttempts: opts.maxAttempts, reason: null, resumeAt: null };
    const settleFinal = (index, result) => {
      results[index] = result;
      if (result.ok) stats.ok++;
      else stats.failed++;
      this.#emit({ type: 'result', index, result });
    };

    // 0. Resuming: keep what the earlier job settled, resend what it never sent, and
    //    look up by unique field what it may have sent without seeing the reply.
    let sendIdx = null;
    if (opts.resume !== undefined) {
      sendIdx = await this.#resumeFrom(kind, module, records, opts.resume, settleFinal, stats, { signal, halt });
    }
    const sending = sendIdx ? sendIdx.map((i) => records[i]) : records;
    const toInput = sendIdx ? (j) => sendIdx[j] : (j) => j;

    // 1. Validation from Zoho's own field metadata (invalid records cost nothing),
    //    and 2. batches within Zoho's per-call limits, indices the caller's own.
    const operation = { kind, module };
    const batchOptions = {
      maxRecords: opts.batchSize,
      maxBodyBytes: opts.maxBodyBytes,
      trigger: opts.trigger,
      duplicateCheckFields: opts.duplicateCheckFields,
    };
    let batches;
    if (kind !== 'delete' && opts.validate !== false) {
      const meta = opts.fieldsMetadata ?? (await this.fieldsMetadata(module, { signal }));
      const plan = api.validateAndPlan(operation, sending, meta, {
        ...batchOptions,
        operation: kind,
        allowNewPicklistValues: opts.allowNewPicklistValues,
      });
      for (const e of plan.validation.errors) {
        const index = toInput(e.index);
        settleFinal(index, { ...e, index, reason: 'invalid_before_sending', attempts: 0 });
        stats.rejectedBeforeSending++;
      }
      batches = plan.batches;
    } else {
      batches = sending.length ? api.planBatches(operation, sending, batchOptions) : [];
    }
    if (sendIdx) batches = batches.map((b) => ({ ...b, indices: b.indices.map(toInput) }));
    stats.batches = batches.length;

    // A batch is done when its last record is final, whatever splits, partial
    // resends or lookups it went through.
    const originOf = new Int32Array(records.length).fill(-1);
    const remaining = batches.map((b, i) => {
      for (const idx of b.indices) originOf[idx] = i;
      return b.indices.length;
    });
    const settleRecord = (index, result, reason, attempts) => {
      if (results[index] !== undefined) return;
      settleFinal(index, { ...result, index, reason, attempts });
      const origin = originOf[index];
      if (origin >= 0 && --remaining[origin] === 0) {
        stats.batchesDone++;
        this.#emit({ type: 'progress', ...progressOf(stats) });
      }
    };

    // 3. One unit of work per batch; the runner sends at the concurrency the Guard allows.
    const units = batches.map((b) => this.#writeUnit(kind, module, b, settleRecord, stats, halt));
    await this.#run(units, { signal, stats, halt });

    // 4. Whatever was never sent (abort, or credits gone for longer than the job
    //    may wait) says so; `resume` sends exactly these again.
    for (let i = 0; i < results.length; i++) {
      if (results[i] === undefined) {
        const byCredits = halt.reason === 'credits';
        results[i] = {
          index: i,
          ok: false,
          code: 'NOT_SENT',
          message: byCredits ? 'the API credits of the 24 h window ran out before this record was sent' : 'the job was aborted before this record was sent',
          details: {},
          id: null,
          action: null,
          category: byCredits ? 'rate_limit' : 'unknown',
          retry: 'none',
          reason: byCredits ? 'credits' : 'aborted',
          attempts: 0,
        };
        stats.notSent++;
        this.#emit({ type: 'result', index: i, result: results[i] });
      }
    }
    stats.stoppedBy = halt.reason ?? (signal?.aborted ? 'aborted' : null);
    stats.resumeAt = halt.resumeAt;
    stats.pending = results.filter((r) => r.code === 'NOT_SENT' || (!r.ok && r.reason === 'credits')).length;
    stats.durationMs = this.#o.now() - started;
    this.#emit({ type: 'progress', ...progressOf(stats), done: true });
    return { results, stats };
  }

  /** A unit that sends one batch and follows the Guard's decisions about it. */
  #writeUnit(kind, module, batch, settleRecord, stats, halt) {
    const client = this;
    const operation = { kind, module, recordCount: batch.indices.length, ...(halt?.maxAttempts !== undefined ? { maxAttempts: halt.maxAttempts } : {}) };
    const unit = {
      operation,
      batch,
      attempts: 0,
      request() {
        if (kind === 'delete') {
          return { method: 'DELETE', path: `/${module}`, query: { ids: batch.ids.join(',') } };
        }
        const path = kind === 'upsert' ? `/${module}/upsert` : `/${module}`;
        return { method: kind === 'update' ? 'PUT' : 'POST', path, body: batch.body };
      },
      onDecision(d) {
        // The Guard counts the attempts of the logical request (retries and resent
        // parts included); this unit object is the one the batch started with.
        const attempts = d.attempt ?? unit.attempts;
        const recovered = new Set(d.inputs?.recovered ?? []);
        // DUPLICATE_DATA naming the record a lost attempt created: that attempt's success.
        const records = d.verdict.records.map((r, pos) => (recovered.has(pos) ? recoveredResult(r) : r));
        const finalAll = (reason) => {
          batch.indices.forEach((idx, pos) => {
            settleRecord(idx, records[pos] ?? noResult(d), reason, attempts);
          });
        };
        switch (d.action) {
          case 'done':
            finalAll(d.reason);
            return [];
          case 'give_up':
            // No more sends for an insert whose reply was lost: a lookup is not a send,
            // and it turns "may or may not exist" into an answer.
            if (d.reason === 'ambiguous_write' && kind === 'insert') return client.#verifyUnit(kind, module, batch, settleRecord, stats, unit, d, halt, true);
            finalAll(d.reason);
            return [];
          case 'retry':
            stats.retries++;
            if (d.inputs?.resendAs === 'upsert' && kind === 'insert') {
              // An ambiguous insert resent as an upsert on the duplicate-check fields.
              const body = { ...batch.body, duplicate_check_fields: batch.body?.duplicate_check_fields ?? [defaultVerifyField(module)].filter(Boolean) };
              return [{ ...client.#writeUnit('upsert', module, { ...batch, kind: 'upsert', body }, settleRecord, stats, halt), attempts, delayMs: d.delayMs }];
            }
            return [{ ...unit, attempts, delayMs: d.delayMs }];
          case 'refresh_token':
            return [{ ...unit, attempts, delayMs: 0, needsRefresh: true }];
          case 'retry_records': {
            const again = new Set(d.indices ?? []);
            const keep = [];
            batch.indices.forEach((idx, pos) => {
              if (again.has(pos)) keep.push(pos);
              else settleRecord(idx, records[pos] ?? noResult(d), d.reason, attempts);
            });
            if (keep.length === 0) return [];
            stats.retries++;
            const sub = subBatch(batch, keep);
            return [{ ...client.#writeUnit(kind, module, sub, settleRecord, stats, halt), attempts, retryOf: unit.retryOf, delayMs: d.delayMs }];
          }
          case 'split': {
            stats.retries++;
            const halves = client.#api.splitBatch(batch);
            return halves.map((h) => ({ ...client.#writeUnit(kind, module, h, settleRecord, stats, halt), delayMs: d.delayMs ?? 0 }));
          }
          case 'verify':
            return client.#verifyUnit(kind, module, batch, settleRecord, stats, unit, d, halt);
          default:
            finalAll(d.reason ?? 'unknown_decision');
            return [];
        }
      },
    };
    return unit;
  }

  /**
   * An insert got no (or a truncated) response: look its records up by a unique
   * field before resending anything, as the Guard's `verify` decision asks.
   */
  async #verifyUnit(kind, module, batch, settleRecord, stats, unit, d, halt, lookupOnly = false) {
    const attempts = d.attempt ?? unit.attempts;
    const field = d.inputs?.verifyField ?? batch.verifyField ?? defaultVerifyField(module, batch.body?.duplicate_check_fields);
    const values = batch.body.data.map((r) => r?.[field]);
    if (!field || values.some((v) => v === undefined || v === null || v === '')) {
      batch.indices.forEach((idx) => settleRecord(idx, ambiguous(d), 'ambiguous_write', attempts));
      return [];
    }
    let found;
    try {
      found = await this.#lookup(module, field, values, undefined, halt);
    } catch {
      // The lookup itself failed for good (or credits ran out): the records may or may not exist.
      batch.indices.forEach((idx) => settleRecord(idx, ambiguous(d, true), halt?.reason === 'credits' ? 'credits' : 'verify_failed', attempts));
      return [];
    }
    const resend = [];
    batch.indices.forEach((idx, pos) => {
      const id = found.get(String(values[pos]).toLowerCase());
      if (id) {
        settleRecord(idx, verified(id), 'verified_after_lost_reply', attempts);
      } else resend.push(pos);
    });
    if (resend.length === 0) return [];
    if (lookupOnly) {
      // The Guard allows no more attempts, and the lookup shows the record was not created.
      for (const pos of resend) settleRecord(batch.indices[pos], noResult(d), 'not_created_after_lost_reply', attempts);
      return [];
    }
    stats.retries++;
    const sub = subBatch(batch, resend);
    return [{ ...this.#writeUnit(kind, module, sub, settleRecord, stats, halt), attempts, retryOf: unit.retryOf, delayMs: 0 }];
  }

  /** Ids of existing records by a unique field's values (case-insensitive), by COQL. */
  async #lookup(module, field, values, signal, halt) {
    const found = new Map();
    for (let at = 0; at < values.length; at += VERIFY_CHUNK) {
      const chunk = values.slice(at, at + VERIFY_CHUNK);
      const list = chunk.map((v) => `'${String(v).replaceAll("'", "\\'")}'`).join(', ');
      const query = `select id, ${field} from ${module} where ${field} in (${list}) limit 2000`;
      const r = await this.#single({ kind: 'coql', module, coqlLimit: COQL_PAGE, maxAttempts: VERIFY_MAX_ATTEMPTS }, { method: 'POST', path: '/coql', body: { select_query: query } }, signal, halt);
      if (!r.ok && r.decision.verdict.outcome !== 'empty') throw zohoError(r);
      for (const row of r.body?.data ?? []) found.set(String(row[field]).toLowerCase(), row.id);
    }
    return found;
  }

  /**
   * `opts.resume`: the results of an earlier run of the same job (an array with one
   * entry per record, holes allowed, e.g. rebuilt from `result` events after a crash).
   * Settled results are kept; NOT_SENT and `credits` failures are sent again; a hole
   * or an AMBIGUOUS_WRITE may have reached Zoho, so an insert looks it up by its
   * unique field first. Tickets the restored Guard still holds in flight belong to
   * the process that died: they are settled as lost so their slots come back.
   * Returns the input indices still to send.
   */
  async #resumeFrom(kind, module, records, resume, settleFinal, stats, { signal, halt }) {
    const previous = Array.isArray(resume) ? resume : resume?.results;
    if (!Array.isArray(previous)) throw clientError('INVALID_ARGUMENT', 'resume must be the results array of an earlier run', 'opts.resume');
    this.#releaseOrphans();
    const send = [];
    const unknown = [];
    records.forEach((_, i) => {
      const p = previous[i];
      if (p === undefined || p === null || p.code === 'AMBIGUOUS_WRITE') unknown.push(i);
      else if (p.code === 'NOT_SENT' || (!p.ok && p.reason === 'credits')) send.push(i);
      else {
        settleFinal(i, { ...p, index: i });
        stats.resumed++;
      }
    });
    const field = kind === 'insert' ? defaultVerifyField(module, undefined) : null;
    const lookable = field ? unknown.filter((i) => !isBlank(records[i]?.[field])) : [];
    const lookSet = new Set(lookable);
    for (const i of unknown) if (!lookSet.has(i)) send.push(i);
    if (lookable.length) {
      let found;
      try {
        found = await this.#lookup(module, field, lookable.map((i) => records[i][field]), signal, halt);
      } catch (e) {
        // Still unknown: sending them could create them twice, so they stay ambiguous
        // (the next resume looks again) and the rest of the job goes on.
        const d = { verdict: { category: 'network' } };
        for (const i of lookable) settleFinal(i, { ...ambiguous(d, true), index: i, reason: halt?.reason === 'credits' ? 'credits' : 'verify_failed', attempts: 0 });
        this.#emit({ type: 'resume_lookup_failed', records: lookable.length, error: redact(String(e?.message ?? e)) });
        return send.sort((a, b) => a - b);
      }
      for (const i of lookable) {
        const id = found.get(String(records[i][field]).toLowerCase());
        if (id) {
          settleFinal(i, { ...verified(id), index: i, reason: 'verified_on_resume', attempts: 0 });
          stats.resumed++;
        } else send.push(i);
      }
    }
    return send.sort((a, b) => a - b);
  }

  /** Settles, as lost, the calls a restored Guard still counts in flight. */
  #releaseOrphans() {
    const state = this.#guard.toJSON();
    const now = this.#o.now();
    for (const [ticket] of state?.inFlight ?? []) {
      this.#guard.settle(ticket, { status: 0, headers: {}, body: null, error: { name: 'AbortError', message: 'the process that sent this call ended' } }, now);
    }
  }

  // ------------------------------------------------------------------ reads and other calls

  /** Zoho's field metadata of a module, fetched once and cached. */
  async fieldsMetadata(module, { signal } = {}) {
    const given = this.#o.fieldsMetadata?.[module];
    if (given) return given;
    if (!this.#fields.has(module)) {
      const p = this.#single({ kind: 'metadata', module }, { method: 'GET', path: '/settings/fields', query: { module } }, signal).then((r) => {
        if (!r.ok) throw zohoError(r);
        return r.body;
      });
      this.#fields.set(module, p);
      p.catch(() => this.#fields.delete(module));
    }
    return this.#fields.get(module);
  }

  /**
   * Every record of a module, page by page: `page` for the first 2,000 records,
   * `page_token` after (Zoho's DISCRETE_PAGINATION_LIMIT).
   */
  async *records(module, { fields, perPage = MAX_PER_PAGE, criteria, signal } = {}) {
    const per = Math.min(Math.max(1, perPage | 0), MAX_PER_PAGE);
    const path = criteria ? `/${module}/search` : `/${module}`;
    const kind = criteria ? 'search' : 'get';
    let page = 1;
    let token = null;
    let seen = 0;
    for (;;) {
      const query = { per_page: per };
      if (fields) query.fields = Array.isArray(fields) ? fields.join(',') : fields;
      if (criteria) query.criteria = criteria;
      if (token) query.page_token = token;
      else query.page = page;
      const r = await this.#single({ kind, module, recordCount: per }, { method: 'GET', path, query }, signal);
      if (!r.ok) throw zohoError(r);
      const rows = r.body?.data ?? [];
      for (const row of rows) yield row;
      seen += rows.length;
      const info = r.body?.info ?? {};
      if (!info.more_records || rows.length === 0) return;
      if (seen + per > PAGE_ONLY_RECORDS && !criteria) {
        if (!info.next_page_token) return;
        token = info.next_page_token;
      } else page++;
    }
  }

  /**
   * Every row of a COQL query, by LIMIT/OFFSET up to Zoho's 100,000, each call at
   * its credit tier. A query with its own LIMIT is sent once, as written.
   */
  async *coql(query, { pageSize = COQL_PAGE, signal } = {}) {
    if (typeof query !== 'string') throw clientError('INVALID_ARGUMENT', 'query must be a string', 'query');
    const own = /\blimit\s+(\d+)(\s*,\s*(\d+))?\s*$/i.exec(query.trim());
    if (own) {
      const limit = Number(own[3] ?? own[1]);
      const r = await this.#single({ kind: 'coql', coqlLimit: Math.min(Math.max(limit, 1), COQL_PAGE) }, { method: 'POST', path: '/coql', body: { select_query: query } }, signal);
      if (!r.ok && r.decision.verdict.outcome !== 'empty') throw zohoError(r);
      yield* r.body?.data ?? [];
      return;
    }
    const size = Math.min(Math.max(1, pageSize | 0), COQL_PAGE);
    for (let offset = 0; offset < COQL_MAX_ROWS; offset += size) {
      const q = `${query.trim()} limit ${offset}, ${size}`;
      const r = await this.#single({ kind: 'coql', coqlLimit: size }, { method: 'POST', path: '/coql', body: { select_query: q } }, signal);
      if (r.decision.verdict.outcome === 'empty') return;
      if (!r.ok) throw zohoError(r);
      const rows = r.body?.data ?? [];
      yield* rows;
      if (!r.body?.info?.more_records || rows.length < size) return;
    }
  }

  /** A GraphQL query, analysed before sending; rejected locally when it breaks a limit. */
  async graphql(query, variables, { operationName, signal, analysis: analysisOptions } = {}) {
    const analysis = this.#api.analyzeGraphql(query, variables ?? null, { operationName, ...(analysisOptions ?? {}) });
    if (!analysis.ok) {
      const err = clientError('GRAPHQL_REJECTED', `the query breaks Zoho's GraphQL limits: ${analysis.violations.map((v) => v.code).join(', ')}`, 'query');
      err.details.violations = analysis.violations;
      throw err;
    }
    const r = await this.#single(
      { kind: 'graphql', credits: analysis.credits },
      { method: 'POST', url: `${this.#apiDomain}/crm/graphql`, body: { query, variables: variables ?? undefined, operationName } },
      signal,
    );
    return { ok: r.ok, data: r.body?.data ?? null, errors: r.body?.errors ?? null, analysis, decision: r.decision };
  }

  /** Converts a lead (5 credits, complex pool). */
  async convertLead(id, body = {}, { signal } = {}) {
    const r = await this.#single({ kind: 'convert_lead', module: 'Leads' }, { method: 'POST', path: `/Leads/${encodeURIComponent(id)}/actions/convert`, body: { data: [body] } }, signal);
    return { ok: r.ok, body: r.body, decision: r.decision };
  }

  /** Any other endpoint, under the Guard: `request({ kind: 'metadata' }, { method, path, query, body })`. */
  async request(operation, init = {}) {
    const r = await this.#single(operation, { method: 'GET', ...init }, init.signal);
    return { ok: r.ok, status: r.response.status, body: r.body, decision: r.decision };
  }

  /** Counters of everything this client did. */
  snapshot() {
    return this.#guard.snapshot(this.#o.now());
  }

  // ------------------------------------------------------------------ the loop

  /** Runs one request to its final decision (retries, waits and refreshes included). */
  async #single(operation, req, signal, halt) {
    let final = null;
    const unit = {
      operation,
      attempts: 0,
      request: () => req,
      onDecision(d, response) {
        if (d.action === 'retry') return [{ ...unit, delayMs: d.delayMs }];
        if (d.action === 'refresh_token') return [{ ...unit, delayMs: 0, needsRefresh: true }];
        final = { decision: d, response };
        return [];
      },
    };
    await this.#run([unit], { signal: signal ?? this.#o.signal, stats: newStats(0), halt });
    if (!final) throw clientError('ABORTED', 'the request was aborted before it completed', 'signal');
    const { decision, response } = final;
    if (!response) throw zohoError({ decision, response: { status: 0 } });
    let body = response.body;
    if (typeof body === 'string') {
      try {
        body = body.length ? JSON.parse(body) : null;
      } catch {
        body = null;
      }
    }
    const ok = decision.action === 'done' && decision.verdict.outcome !== 'failure';
    return { ok, body, decision, response };
  }

  /**
   * Sends units at the concurrency the Guard allows: asks `admit` before every send,
   * `settle` after every reply, and queues what each decision returns.
   */
  async #run(initial, { signal, stats, halt }) {
    const queue = [];
    const inFlight = new Set();
    // A completion while the loop is busy must not be lost: it sets `woken`, and the
    // loop does not sleep when it is set (otherwise a freed slot would idle until the
    // next timer).
    let wake = null;
    let woken = false;
    const wakeUp = () => {
      woken = true;
      wake?.();
    };
    // A unit waiting for a new token never queues behind units the Guard refuses:
    // its refresh starts at once, and it queues again once the token is new.
    const enqueue = (unit) => {
      if (!unit.needsRefresh) {
        queue.push({ ...unit, readyAt: this.#o.now() + (unit.delayMs ?? 0) });
        return;
      }
      const p = this.#refreshToken().then(
        () => queue.push({ ...unit, needsRefresh: false, readyAt: this.#o.now() }),
        (e) => this.#failUnit(unit, e, 'token_refresh_failed'),
      );
      track(inFlight, p, wakeUp);
    };
    initial.forEach(enqueue);
    signal?.addEventListener?.('abort', wakeUp, { once: true });
    this.#loops.add(wakeUp);
    try {
      while (queue.length > 0 || inFlight.size > 0) {
        woken = false;
        if (signal?.aborted || halt?.reason) {
          queue.length = 0; // never admitted: reported as not sent by the caller
          if (inFlight.size === 0) break;
          await Promise.race(inFlight);
          continue;
        }
        const now = this.#o.now();
        let waitMs = Infinity;
        // Pools the Guard refused in this pass: the units behind in the same pool would
        // be refused too, so they are not asked; a refusal for every pool ends the pass
        // (scanning thousands of queued units on every reply made a job quadratic).
        const blocked = new Set();
        for (let i = 0; i < queue.length; ) {
          const unit = queue[i];
          if (unit.readyAt > now) {
            waitMs = Math.min(waitMs, unit.readyAt - now);
            i++;
            continue;
          }
          unit.pool ??= this.#api.operationLimits(unit.operation).pool;
          if (blocked.has(unit.pool)) {
            i++;
            continue;
          }
          const adm = this.#guard.admit(unit.operation, now, unit.retryOf ?? undefined);
          this.#emit({ type: 'admit', operation: unit.operation, ok: adm.ok, reason: adm.ok ? null : adm.reason, waitMs: adm.ok ? 0 : adm.waitMs, cost: adm.ok ? adm.cost : 0 });
          if (!adm.ok) {
            if (adm.reason === 'credits' && halt && adm.waitMs > halt.maxCreditWaitMs) {
              // Stop spending: nothing more is admitted; what is in flight finishes.
              halt.reason = 'credits';
              halt.resumeAt = now + adm.waitMs;
              this.#emit({ type: 'credits_exhausted', resumeAt: halt.resumeAt, waitMs: adm.waitMs });
              break;
            }
            if (adm.reason === 'token_refresh' && this.#refreshFailure) {
              queue.splice(i, 1);
              this.#failUnit(unit, this.#refreshFailure, 'token_refresh_failed');
              continue;
            }
            if (adm.reason === 'token_refresh' && adm.refresh && !this.#refreshing) {
              track(inFlight, this.#refreshToken().catch(() => {}), wakeUp);
            }
            waitMs = Math.min(waitMs, Math.max(1, adm.waitMs));
            const pool = POOL_OF_REFUSAL[adm.reason];
            if (pool === undefined) break;
            blocked.add(pool);
            i++;
            continue;
          }
          queue.splice(i, 1);
          stats.calls++;
          stats.credits += adm.cost;
          const first = unit.retryOf ?? adm.ticket;
          const p = this.#send({ ...unit, retryOf: first, attempts: unit.attempts + 1 }, adm.ticket).then(
            (next) => {
              for (const n of next) enqueue({ ...n, retryOf: n.retryOf ?? first });
            },
            // A failure of our own (a listener, a verify lookup) ends this unit with a
            // reason; it never leaves the job waiting.
            (e) => this.#failUnit(unit, e, 'client_error'),
          );
          track(inFlight, p, wakeUp);
        }
        if (halt?.reason) continue; // the top of the loop drops the queue and drains what is in flight
        if (queue.length === 0 && inFlight.size === 0) break;
        if (woken) continue;
        await this.#pause(Number.isFinite(waitMs) ? waitMs : null, (resolve) => {
          wake = resolve;
        });
        wake = null;
      }
    } finally {
      this.#loops.delete(wakeUp);
      signal?.removeEventListener?.('abort', wakeUp);
    }
  }

  /**
   * Waits until `wakeUp` is called or `ms` passed (null: no timer). The default sleep
   * is a bare timer, cleared afterwards; a caller's `sleep` gets a signal that ends it.
   */
  async #pause(ms, arm) {
    if (this.#o.sleep === defaultSleep) {
      let id;
      await new Promise((resolve) => {
        arm(resolve);
        if (ms !== null) id = setTimeout(resolve, ms);
      });
      clearTimeout(id);
      return;
    }
    const cancel = new AbortController();
    await new Promise((resolve) => {
      arm(resolve);
      if (ms !== null) this.#o.sleep(ms, cancel.signal).then(resolve, resolve);
    });
    cancel.abort(WAIT_OVER); // ends the caller's sleep (a reason of our own: no DOMException and its stack)
  }

  async #send(unit, ticket) {
    const req = unit.request();
    const url = req.url ?? `${this.#apiDomain}/crm/${this.#o.apiVersion}${req.path}${queryString(req.query)}`;
    const token = await this.#o.getAccessToken();
    const headers = { Authorization: `Zoho-oauthtoken ${token}` };
    let body;
    if (req.body !== undefined) {
      headers['Content-Type'] = 'application/json';
      body = typeof req.body === 'string' ? req.body : JSON.stringify(req.body);
    }
    this.#emit({ type: 'send', ticket, method: req.method, url, operation: unit.operation, attempt: unit.attempts });
    const t0 = this.#o.now();
    let response;
    try {
      response = await this.#transport({ method: req.method, url, headers, body, timeoutMs: this.#o.timeoutMs });
    } catch (e) {
      response = { status: 0, headers: {}, body: null, error: { name: e?.name ?? 'Error', message: String(e?.message ?? e) } };
    }
    // A custom transport may echo the header it sent: the token never reaches a result.
    if (response?.error) response = { ...response, error: { ...response.error, message: redact(String(response.error.message ?? ''), [String(token)]) } };
    this.#emit({ type: 'reply', ticket, status: response.status, ms: this.#o.now() - t0, error: response.error?.name ?? null });
    const decision = this.#guard.settle(ticket, response, this.#o.now());
    for (const wake of this.#loops) wake();
    this.#emit({ type: 'decision', ticket, action: decision.action, reason: decision.reason, delayMs: decision.delayMs, attempt: decision.attempt });
    const next = await unit.onDecision(decision, response);
    return next.map((n) => ({ ...n, attempts: n.attempts ?? unit.attempts }));
  }

  /** One refresh at a time: every caller waits for the same one. */
  /**
   * One refresh at a time: every caller waits for the same one. A refresh that fails
   * (the token endpoint is a network call like any other) is tried again after a
   * short backoff, up to REFRESH_ATTEMPTS; after that the client stops sending and
   * every queued call ends with TOKEN_REFRESH_FAILED instead of waiting forever.
   */
  #refreshToken() {
    if (this.#refreshFailure) return Promise.reject(this.#refreshFailure);
    if (!this.#refreshing) {
      if (typeof this.#o.refreshAccessToken !== 'function') {
        this.#refreshFailure = clientError('TOKEN_REFRESH_FAILED', 'the access token expired and no refreshAccessToken was given', 'options.refreshAccessToken');
        return Promise.reject(this.#refreshFailure);
      }
      this.#emit({ type: 'token_refresh' });
      this.#refreshing = (async () => {
        let last;
        for (let attempt = 1; attempt <= REFRESH_ATTEMPTS; attempt++) {
          try {
            const res = await this.#o.refreshAccessToken();
            if (res && typeof res === 'object' && res.error) {
              throw clientError('TOKEN_REFRESH_FAILED', `the token endpoint answered ${redact(String(res.error))}`, null);
            }
            // Only the expiry metadata reaches the Guard; the token stays with the caller.
            const tokenResponse = res && typeof res === 'object' ? { expires_in: res.expires_in, expires_in_sec: res.expires_in_sec, api_domain: res.api_domain } : null;
            this.#guard.tokenRefreshed(this.#o.now(), tokenResponse);
            return;
          } catch (e) {
            last = e;
            this.#emit({ type: 'token_refresh_failed', attempt, error: redact(String(e?.message ?? e)) });
            if (attempt < REFRESH_ATTEMPTS) await this.#o.sleep(REFRESH_BACKOFF_MS * 2 ** (attempt - 1));
          }
        }
        this.#refreshFailure = clientError('TOKEN_REFRESH_FAILED', `the access token could not be refreshed: ${redact(String(last?.message ?? last))}`, 'options.refreshAccessToken');
        throw this.#refreshFailure;
      })().finally(() => {
        this.#refreshing = null;
      });
    }
    return this.#refreshing;
  }

  #failUnit(unit, error, reason) {
    const code = error?.code ?? (reason === 'token_refresh_failed' ? 'TOKEN_REFRESH_FAILED' : 'CLIENT_ERROR');
    const message = redact(String(error?.message ?? error));
    const d = { action: 'give_up', reason, delayMs: 0, indices: null, inputs: {}, verdict: { outcome: 'failure', category: reason === 'token_refresh_failed' ? 'auth' : 'unknown', records: [], error: { code, message, details: {}, category: 'unknown', retry: 'none' } } };
    try {
      unit.onDecision(d, null);
    } catch {
      // Nothing more can be done for this unit; its records stay unsettled and are reported as not sent.
    }
  }

  #emit(event) {
    if (!this.#o.onEvent) return;
    try {
      this.#o.onEvent({ at: this.#o.now(), ...event });
    } catch {
      // A listener's bug must not break the job.
    }
  }
}

// -------------------------------------------------------------------- helpers

function track(set, promise, onSettled) {
  set.add(promise);
  promise.finally(() => {
    set.delete(promise);
    onSettled();
  });
}

function subBatch(batch, positions) {
  const indices = positions.map((p) => batch.indices[p]);
  if (batch.ids) return { ...batch, indices, ids: positions.map((p) => batch.ids[p]) };
  return { ...batch, indices, body: { ...batch.body, data: positions.map((p) => batch.body.data[p]) } };
}

function queryString(query) {
  if (!query) return '';
  const parts = Object.entries(query)
    .filter(([, v]) => v !== undefined && v !== null)
    .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(String(v))}`);
  return parts.length ? `?${parts.join('&')}` : '';
}

function newStats(records) {
  return { records, ok: 0, failed: 0, notSent: 0, rejectedBeforeSending: 0, resumed: 0, batches: 0, batchesDone: 0, calls: 0, retries: 0, credits: 0, durationMs: 0, stoppedBy: null, resumeAt: null, pending: 0 };
}

function progressOf(s) {
  return { batchesDone: s.batchesDone, batchesTotal: s.batches, recordsOk: s.ok, recordsFailed: s.failed, recordsPending: s.records - s.ok - s.failed - s.notSent };
}

function noResult(d) {
  return { ok: false, code: d.verdict?.error?.code ?? 'NO_RESULT', message: d.verdict?.error?.message ?? 'Zoho returned no result for this record', details: d.verdict?.error?.details ?? {}, id: null, action: null, category: d.verdict?.category ?? 'unknown', retry: 'none' };
}

function ambiguous(d, lookupFailed = false) {
  const why = lookupFailed ? 'and the lookup by its unique value failed too' : 'and no unique value to look the record up by';
  return { ok: false, code: 'AMBIGUOUS_WRITE', message: `no reply to an insert, ${why}: it may or may not have been created (resume the job to look it up again)`, details: {}, id: null, action: null, category: d.verdict?.category ?? 'network', retry: 'none' };
}

function recoveredResult(r) {
  const d = r.details ?? {};
  const id = d.duplicate_record?.id ?? d.id ?? r.id ?? null;
  return { ...r, ok: true, code: 'SUCCESS', message: 'record added (by an earlier attempt whose reply was lost)', id, action: 'insert', category: 'ok', retry: 'none' };
}

function verified(id) {
  return { ok: true, code: 'SUCCESS', message: 'record added (found by its unique value after the reply was lost)', details: { id }, id, action: 'insert', category: 'ok', retry: 'none' };
}

/** Upsert's system duplicate-check fields (facts §3), used to look up lost inserts. */
const VERIFY_FIELDS = {
  Leads: 'Email',
  Contacts: 'Email',
  Accounts: 'Account_Name',
  Deals: 'Deal_Name',
  Campaigns: 'Campaign_Name',
  Cases: 'Subject',
  Solutions: 'Solution_Title',
  Products: 'Product_Name',
  Vendors: 'Vendor_Name',
  Price_Books: 'Price_Book_Name',
};

function defaultVerifyField(module, duplicateCheckFields) {
  return duplicateCheckFields?.[0] ?? VERIFY_FIELDS[module] ?? null;
}

function isBlank(v) {
  return v === undefined || v === null || v === '';
}

function defaultSleep(ms, signal) {
  return new Promise((resolve) => {
    const id = setTimeout(resolve, ms);
    signal?.addEventListener?.('abort', () => {
      clearTimeout(id);
      resolve();
    }, { once: true });
  });
}

function clientError(code, message, field) {
  return guardError(code, message, field ?? null);
}

function zohoError(r) {
  const err = r.decision.verdict.error;
  const e = clientError(err?.code ?? 'ZOHO_ERROR', err?.message ?? `Zoho answered ${r.response?.status}`, null);
  e.details = { ...e.details, zoho: err?.details ?? null, status: r.response?.status ?? 0, reason: r.decision.reason };
  return e;
}
