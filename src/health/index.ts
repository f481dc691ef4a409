// The surface of src/health: what other folders may import. Everything else here is internal.
export { hotlineChecks } from './checks.js';
export { createHotlineMetrics, type HotlineMetrics } from './metrics.js';
export { type HealthServer, startHealthServer } from './server.js';
