// The page as an esbuild or Rollup user writes it: the entry with the wasm inlined.
import init, { classify, Guard, createClient } from 'zcrm-guard/inline';
import { report } from './report.js';

report(init, { classify, Guard, createClient });
