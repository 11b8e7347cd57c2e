// Every shared JS case file; the Node, workerd and browser suites run all of them.
// A capability adds its file here.
import catalog from './catalog.mjs';
import classify from './classify.mjs';
import graphql from './graphql.mjs';
import guard from './guard.mjs';
import transports from './transports.mjs';
import validate from './validate.mjs';

export default [...catalog, ...classify, ...graphql, ...guard, ...transports, ...validate];
