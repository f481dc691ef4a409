// The surface of src/app: what other folders may import. Everything else here is internal.
export { startTrustline } from './app.js';
