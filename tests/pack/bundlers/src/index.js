// The page as a Vite or webpack user writes it: the package's default browser entry.
import init, { classify, Guard, createClient } from 'zcrm-guard';
import { report } from './report.js';

report(init, { classify, Guard, createClient });
