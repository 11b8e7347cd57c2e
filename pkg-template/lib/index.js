// The hand-written JavaScript part of the package, shared by every runtime entry.
export { isZcrmGuardError } from './errors.js';
export { fetchTransport, widgetTransport } from './transports.js';
