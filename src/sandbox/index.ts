// The surface of src/sandbox: what other folders may import. Everything else here is internal.
export { runSandbox } from './run.js';
