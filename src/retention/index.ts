// The surface of src/retention: what other folders may import. Everything else here is internal.
export { type RetentionRun, runRetention } from './run.js';
export { scheduleRetention } from './schedule.js';
