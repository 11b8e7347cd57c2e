// Every shared JS case file; the Node, workerd and browser suites run all of them.
// A capability adds its file here.
import catalog from './catalog.mjs';
import graphql from './graphql.mjs';
import transports from './transports.mjs';

export default [...catalog, ...graphql, ...transports];
