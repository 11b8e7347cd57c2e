// The inline entry (`zcrm-guard/inline`, the wasm as base64) has the main entry's types.
import init, { Guard, initSync, widgetTransport } from 'zcrm-guard/inline';
import type { Admission, Transport } from 'zcrm-guard';

await init();
initSync();
const admission: Admission = new Guard({ edition: 'enterprise', licenses: 10 }).admit({ kind: 'insert', recordCount: 1 }, 0);
const transport: Transport = widgetTransport({ mode: 'api' });

export const inlineEntry = { admission, transport };
