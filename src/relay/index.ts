// The surface of src/relay: what other folders may import. Everything else here is internal.
export { flushCase } from './case-flush.js';
export type { OutgoingFile, ReporterChannel } from './channel.js';
export { createReporterRelay, type ReporterRelay } from './reporter-relay.js';
