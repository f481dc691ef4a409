// Public surface of the crypto layer; import from here, not from the files.
export { sodiumReady, sodium, type Sodium } from './sodium.js';
export { CryptoError, type CryptoErrorCode } from './errors.js';
export { newCaseKey, encrypt, decrypt, decryptText } from './envelope.js';
export { keyId, newKeyPair, seal, open, type KeyPair, type SecretKeys } from './sealed.js';
export { OpenedCache } from './opened-cache.js';
export { reporterKeyOf } from './reporter-key.js';
export { newCaseCode, isCaseCode, normalizeCaseCode, newCaseId } from './case-code.js';
export { initKeys, loadKeys, generateKeyRing, KeyFileError, type KeyRing } from './key-files.js';
