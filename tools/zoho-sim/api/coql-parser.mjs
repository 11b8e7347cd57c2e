// A small COQL subset for the simulator: SELECT f, ... FROM Module [WHERE cond]
// [ORDER BY f [ASC|DESC]] [LIMIT n [OFFSET o] | LIMIT o, n]. Conditions: = != <> > < >= <=,
// [NOT] LIKE with %, [NOT] IN (...), IS [NOT] NULL, AND/OR with parentheses.

/** A COQL error in Zoho's shape (coql.json: details `clause`, `near`). */
export class CoqlError extends Error {
  /** @param {string} code @param {string} message @param {Record<string, unknown>} details */
  constructor(code, message, details) {
    super(message);
    this.code = code;
    this.details = details;
  }
}

const TOKEN = /\s*(?:('(?:[^'\\]|\\.|'')*')|(-?\d+(?:\.\d+)?)|([A-Za-z_$][\w$.]*)|(!=|<>|>=|<=|[=<>(),*]))/y;

/** @param {string} text */
function tokenize(text) {
  /** @type {{ kind: 'str'|'num'|'id'|'op', value: string, at: number }[]} */
  const out = [];
  TOKEN.lastIndex = 0;
  let at = 0;
  while (at < text.length) {
    if (/^\s*$/.test(text.slice(at))) break;
    TOKEN.lastIndex = at;
    const m = TOKEN.exec(text);
    if (!m) throw new CoqlError('SYNTAX_ERROR', 'error while parsing the query', { near: text.slice(at, at + 20).trim() });
    if (m[1] !== undefined) out.push({ kind: 'str', value: m[1].slice(1, -1).replace(/''/g, "'").replace(/\\(.)/g, '$1'), at });
    else if (m[2] !== undefined) out.push({ kind: 'num', value: m[2], at });
    else if (m[3] !== undefined) out.push({ kind: 'id', value: m[3], at });
    else out.push({ kind: 'op', value: m[4], at });
    at = TOKEN.lastIndex;
  }
  return out;
}

/**
 * Parses a query.
 * @param {string} query
 * @returns {{ fields: string[], module: string, where: ((r: Record<string, unknown>) => boolean) | null,
 *   criteria: number, orderBy: { field: string, desc: boolean } | null, limit: number | null, offset: number }}
 */
export function parseCoql(query) {
  const toks = tokenize(String(query));
  let i = 0;
  const peek = () => toks[i];
  const kw = (/** @type {string} */ w) => peek()?.kind === 'id' && peek().value.toLowerCase() === w;
  const fail = (/** @type {string} */ clause) => {
    throw new CoqlError('SYNTAX_ERROR', `error at ${clause} clause`, { clause, near: peek()?.value ?? '' });
  };
  const expectKw = (/** @type {string} */ w, /** @type {string} */ clause) => (kw(w) ? i++ : fail(clause));
  const ident = (/** @type {string} */ clause) => (peek()?.kind === 'id' ? toks[i++].value : fail(clause));

  expectKw('select', 'select');
  const fields = [];
  do {
    if (peek()?.kind === 'op' && peek().value === ',') i++;
    if (peek()?.value === '*') fail('select'); // COQL has no SELECT *
    fields.push(ident('select'));
  } while (peek()?.value === ',');
  expectKw('from', 'from');
  const module = ident('from');

  let criteria = 0;
  /** @returns {(r: Record<string, unknown>) => boolean} */
  const value = () => {
    const t = peek();
    if (!t) fail('where');
    i++;
    if (t.kind === 'str') return () => t.value;
    if (t.kind === 'num') return () => Number(t.value);
    if (t.kind === 'id' && /^(true|false)$/i.test(t.value)) return () => t.value.toLowerCase() === 'true';
    if (t.kind === 'id' && /^null$/i.test(t.value)) return () => null;
    return fail('where');
  };
  /** @returns {(r: Record<string, unknown>) => boolean} */
  const condition = () => {
    if (peek()?.value === '(') {
      i++;
      const inner = orExpr();
      if (peek()?.value !== ')') fail('where');
      i++;
      return inner;
    }
    const f = ident('where');
    criteria++;
    const get = (/** @type {Record<string, unknown>} */ r) => {
      const v = r[f];
      return v && typeof v === 'object' && 'id' in v ? /** @type {{id: unknown}} */ (v).id : v;
    };
    if (kw('is')) {
      i++;
      const negate = kw('not') ? (i++, true) : false;
      expectKw('null', 'where');
      return (r) => (get(r) == null) !== negate;
    }
    const negate = kw('not') ? (i++, true) : false;
    if (kw('like')) {
      i++;
      const pat = value()({});
      const re = new RegExp(`^${String(pat).split('%').map((s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`, 'i');
      return (r) => re.test(String(get(r) ?? '')) !== negate;
    }
    if (kw('in')) {
      i++;
      if (peek()?.value !== '(') fail('where');
      i++;
      const vals = [];
      while (peek() && peek().value !== ')') {
        vals.push(value()({}));
        if (peek()?.value === ',') i++;
      }
      if (!peek()) fail('where');
      i++;
      if (vals.length > 100) throw new CoqlError('LIMIT_EXCEEDED', 'in operator limit exceeded', { clause: 'where', limit: 100 });
      // Lookups by a unique field send up to 100 strings: a set of them, lowercased,
      // answers a string field at once (looseEq compares strings case-insensitively).
      const lowered = vals.every((v) => typeof v === 'string') ? new Set(vals.map((v) => v.toLowerCase())) : null;
      return (r) => {
        const x = get(r);
        const hit = lowered && typeof x === 'string' ? lowered.has(x.toLowerCase()) : vals.some((v) => looseEq(x, v));
        return hit !== negate;
      };
    }
    if (negate) fail('where');
    const op = peek()?.kind === 'op' ? toks[i++].value : fail('where');
    const rhs = value();
    const cmp = {
      '=': (/** @type {unknown} */ a, /** @type {unknown} */ b) => looseEq(a, b),
      '!=': (a, b) => !looseEq(a, b),
      '<>': (a, b) => !looseEq(a, b),
      '>': (a, b) => a != null && /** @type {any} */ (a) > /** @type {any} */ (b),
      '<': (a, b) => a != null && /** @type {any} */ (a) < /** @type {any} */ (b),
      '>=': (a, b) => a != null && /** @type {any} */ (a) >= /** @type {any} */ (b),
      '<=': (a, b) => a != null && /** @type {any} */ (a) <= /** @type {any} */ (b),
    }[op];
    if (!cmp) fail('where');
    return (r) => cmp(get(r), rhs({}));
  };
  const andExpr = () => {
    let left = condition();
    while (kw('and')) {
      i++;
      const l = left, r = condition();
      left = (rec) => l(rec) && r(rec);
    }
    return left;
  };
  /** @returns {(r: Record<string, unknown>) => boolean} */
  const orExpr = () => {
    let left = andExpr();
    while (kw('or')) {
      i++;
      const l = left, r = andExpr();
      left = (rec) => l(rec) || r(rec);
    }
    return left;
  };

  let where = null;
  if (kw('where')) {
    i++;
    where = orExpr();
  }
  let orderBy = null;
  if (kw('order')) {
    i++;
    expectKw('by', 'order by');
    const field = ident('order by');
    let desc = false;
    if (kw('asc')) i++;
    else if (kw('desc')) (i++, (desc = true));
    orderBy = { field, desc };
  }
  let limit = null;
  let offset = 0;
  const int = (/** @type {string} */ clause) => (peek()?.kind === 'num' ? Number(toks[i++].value) : fail(clause));
  if (kw('limit')) {
    i++;
    limit = int('limit');
    if (peek()?.value === ',') {
      i++;
      offset = limit;
      limit = int('limit');
    } else if (kw('offset')) {
      i++;
      offset = int('offset');
    }
  }
  if (i < toks.length) fail(limit !== null ? 'limit' : 'where');
  return { fields, module, where, criteria, orderBy, limit, offset };
}

/** @param {unknown} a @param {unknown} b */
function looseEq(a, b) {
  if (typeof a === 'string' && typeof b === 'string') return a.toLowerCase() === b.toLowerCase();
  return a === b || (a != null && b != null && String(a) === String(b));
}
