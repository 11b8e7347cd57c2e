// The peer of analyzeGraphql: what a user would write with graphql-js: `parse`, then a
// depth visitor that follows fragment spreads (as graphql-depth-limit does), the query
// refused past a limit.
import { Kind, parse } from 'graphql';

/** The deepest field nesting of an operation, fragments expanded (each at most once per path). */
function depthOf(selectionSet, fragments, seen) {
  let deepest = 0;
  for (const s of selectionSet.selections) {
    if (s.kind === Kind.FIELD) {
      deepest = Math.max(deepest, s.selectionSet ? 1 + depthOf(s.selectionSet, fragments, seen) : 1);
    } else if (s.kind === Kind.INLINE_FRAGMENT) {
      deepest = Math.max(deepest, depthOf(s.selectionSet, fragments, seen));
    } else if (s.kind === Kind.FRAGMENT_SPREAD && !seen.has(s.name.value) && fragments.has(s.name.value)) {
      seen.add(s.name.value);
      deepest = Math.max(deepest, depthOf(fragments.get(s.name.value).selectionSet, fragments, seen));
      seen.delete(s.name.value);
    }
  }
  return deepest;
}

/** `{ ok, depth }` of a query: parsed, every operation's depth measured against `maxDepth`. */
export function graphqlDepth(query, maxDepth) {
  const doc = parse(query);
  const fragments = new Map();
  for (const d of doc.definitions) if (d.kind === Kind.FRAGMENT_DEFINITION) fragments.set(d.name.value, d);
  let depth = 0;
  for (const d of doc.definitions) {
    if (d.kind === Kind.OPERATION_DEFINITION) depth = Math.max(depth, depthOf(d.selectionSet, fragments, new Set()));
  }
  return { ok: depth <= maxDepth, depth };
}
