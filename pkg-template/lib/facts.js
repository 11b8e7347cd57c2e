// The Zoho facts the transports need (the status Zoho sends with a top-level code) come
// from the wasm core, never from a copy here. Each runtime entry names its core's
// `zohoFacts` at import; the facts are read at first use, because in browsers the wasm
// is ready only after `init()`, and a transport may be created before that.

/** @type {(() => import('../index.d.ts').ZohoFacts) | null} */
let read = null;
/** @type {import('../index.d.ts').ZohoFacts | null} */
let facts = null;

/**
 * Names the core the facts come from (each runtime entry, at import).
 * @param {() => import('../index.d.ts').ZohoFacts} zohoFacts
 */
export function factsFrom(zohoFacts) {
  read = zohoFacts;
  facts = null;
}

/** The core's Zoho facts, read once. */
export function zohoFacts() {
  if (facts === null) {
    if (read === null) throw new Error('zcrm-guard: no wasm core was named for the Zoho facts (import the package, not lib/ alone)');
    facts = read();
  }
  return facts;
}
