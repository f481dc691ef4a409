// The surface of src/keys: what other folders may import. Everything else here is internal.
export { checkKeys } from './check.js';
export { initKeys, KeyFileError, type PassphraseSource } from './files.js';
export { protectKeys, rotateKeys } from './generations.js';
export { loadKeys } from './loading.js';
export { retireKey } from './retire.js';
export { recordSealingKeys } from './sealing.js';
