// Issue 15, row 6: analyzeGraphql (parse + Zoho's rules, in wasm) of a realistic
// 150-line query with fragments and variables (bench/fixtures/sales-dashboard.graphql)
// / graphql-js `parse` + a depth visitor (bench/peers/graphql-depth.mjs), in one Node
// process. For context, after it: graphql-js `parse` + `validate` with graphql-depth-limit only.
// Run by `make bench` (scripts/bench.sh) after `make build`; needs ../pkg.
import { buildSchema, parse, validate } from 'graphql';
import depthLimit from 'graphql-depth-limit';
import { analyzeGraphql } from '../pkg/node.js';
import { QUERY, SCHEMA, VARIABLES } from './fixtures/graphql.mjs';
import { graphqlDepth } from './peers/graphql-depth.mjs';
import { interleave, pick, printContenders, ratio } from './lib/harness.mjs';
import { finish, reportRatio } from './lib/report.mjs';

const MAX_DEPTH = 12;
const schema = buildSchema(SCHEMA);
const depthRule = depthLimit(MAX_DEPTH);

const ours = () => {
  const a = analyzeGraphql(QUERY, VARIABLES);
  return (a.ok ? 1 : 0) + a.complexity + a.credits + a.depth.records + a.resources.length + a.violations.length;
};
const visitor = () => {
  const r = graphqlDepth(QUERY, MAX_DEPTH);
  return (r.ok ? 1 : 0) + r.depth;
};
const depthLimitRule = () => validate(schema, parse(QUERY), [depthRule]).length + 1;

const a = analyzeGraphql(QUERY, VARIABLES);
const d = graphqlDepth(QUERY, MAX_DEPTH);
if (!a.ok || !d.ok || depthLimitRule() !== 1) throw new Error('the query must pass every contender');
console.log(`graphql: ${QUERY.trimEnd().split('\n').length}-line query, ${a.resources.length} resources, complexity ${a.complexity}, ${a.credits} credits, record depth ${a.depth.records}; field depth ${d.depth}`);

const OPTIONS = { rounds: pick(101, 3), sampleMs: pick(10, 2), warmupMs: pick(1000, 10) };
const results = interleave(
  [
    { name: 'analyzeGraphql', run: ours },
    { name: 'graphql-js parse + depth visitor', run: visitor },
  ],
  OPTIONS,
);
printContenders('graphql: per query', results);
// The context runs after the row's figures: sharing graphql-js's parser with another
// contender during them would change what the JIT makes of it.
const context = interleave(
  [
    { name: 'analyzeGraphql', run: ours },
    { name: 'graphql-js parse + validate(depthLimit)', run: depthLimitRule },
  ],
  OPTIONS,
);
printContenders('graphql, for context: per query', context);
const c = context.analyzeGraphql.stats.median / context['graphql-js parse + validate(depthLimit)'].stats.median;
console.log(`\ngraphql: analyzeGraphql ÷ (parse + validate(depthLimit)) = ${ratio(c)}\n`);
reportRatio('graphql-analyze', results.analyzeGraphql, results['graphql-js parse + depth visitor']);
finish('graphql: row 6 (median (p25–p75) per query)');
