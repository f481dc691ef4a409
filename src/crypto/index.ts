// Public surface of the crypto layer; import from here, not from the files.
export { sodiumReady, sodium, type Sodium } from './sodium.js';
export { CryptoError, type CryptoErrorCode } from './errors.js';
export { newPassphrase, normalizePassphrase, hashPassphrase, verifyPassphrase, PASSPHRASE_WORDS } from './passphrase.js';
export { conversationKey } from './conversation-key.js';
export { newCaseKey, encrypt, decrypt, decryptText } from './envelope.js';
export { keyId, newKeyPair, seal, open, sealedKeyId, type KeyPair, type SecretKeys } from './sealed.js';
export { OpenedCache } from './opened-cache.js';
export { reporterKeyOf } from './reporter-key.js';
export { newCaseCode, isCaseCode, normalizeCaseCode, newCaseId } from './case-code.js';
export { generateKeyRing, KEY_BYTES, keyRoles, type KeyRing, type KeyRole } from './key-ring.js';
export { isProtected, openProtected, PassphraseError, protectSecret, MIN_PASSPHRASE_LENGTH, type PwhashLimits } from './key-passphrase.js';
export { staffHandleOf, usernameHashOf, rosterKeyOf, sealRosterSecret, openRosterSecret } from './staff-identity.js';
