// GraphQL pre-flight speed: analyzeGraphql (parse + Zoho rules, in wasm) against
// graphql-js `parse` + `validate` with only the graphql-depth-limit rule, on the same
// realistic 150-line query, in the same Node process. Prints the ratio (goal ≤ 1.0).
// A second figure adds graphql-js's full specifiedRules, for context.
import { parse, validate, buildSchema, specifiedRules } from 'graphql';
import depthLimit from 'graphql-depth-limit';
import { analyzeGraphql } from '../pkg/node.js';
import { QUERY, VARIABLES, SCHEMA } from './fixtures/graphql.mjs';

const schema = buildSchema(SCHEMA);
const depthRule = depthLimit(12);

function graphqlJs() {
  const doc = parse(QUERY);
  const errors = validate(schema, doc, [depthRule]);
  if (errors.length) throw new Error(errors[0].message);
}
function graphqlJsFull() {
  const doc = parse(QUERY);
  const errors = validate(schema, doc, [...specifiedRules, depthRule]);
  if (errors.length) throw new Error(errors[0].message);
}
function ours() {
  const a = analyzeGraphql(QUERY, VARIABLES);
  if (!a.ok) throw new Error(a.violations[0].message);
}

/**
 * Median ns per call of each function: rounds of `iters` calls, the functions taking
 * turns round by round so that a load change on the machine hits them alike.
 */
function measure(fns, { rounds = 21, iters = 100 } = {}) {
  for (const fn of fns) for (let i = 0; i < iters * 3; i++) fn();
  const samples = fns.map(() => []);
  for (let r = 0; r < rounds; r++) {
    fns.forEach((fn, k) => {
      const t0 = process.hrtime.bigint();
      for (let i = 0; i < iters; i++) fn();
      samples[k].push(Number(process.hrtime.bigint() - t0) / iters);
    });
  }
  return samples.map((s) => s.sort((a, b) => a - b)[Math.floor(s.length / 2)]);
}

const a = analyzeGraphql(QUERY, VARIABLES);
const [ns, js, jsFull] = measure([ours, graphqlJs, graphqlJsFull]);
const us = (n) => `${(n / 1000).toFixed(1)} µs`;
console.log(`graphql: ${QUERY.trimEnd().split('\n').length}-line query, ${a.resources.length} resources, complexity ${a.complexity}, ${a.credits} credits, depth ${a.depth.records}`);
console.log(`graphql: analyzeGraphql                          ${us(ns)}`);
console.log(`graphql: graphql-js parse + validate(depthLimit) ${us(js)}`);
console.log(`graphql: graphql-js parse + validate(all rules)  ${us(jsFull)}`);
console.log(`graphql: ratio analyzeGraphql / (parse + depthLimit) = ${(ns / js).toFixed(2)} (goal ≤ 1.0)`);
console.log(`graphql: ratio analyzeGraphql / (parse + all rules)  = ${(ns / jsFull).toFixed(2)}`);
