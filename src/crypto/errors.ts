// One error type for every way a ciphertext can be refused, so callers branch on a
// stable `code` instead of parsing libsodium's messages. Messages are fixed strings:
// they must never carry plaintext, ciphertext or key material into a log.

export type CryptoErrorCode = 'tampered' | 'unknown-version' | 'unknown-key' | 'malformed';

const defaultMessages: Record<CryptoErrorCode, string> = {
  tampered: 'authentication failed: wrong key, wrong associated data, or modified bytes',
  'unknown-version': 'unsupported envelope version',
  'unknown-key': 'sealed with a key this key ring does not hold',
  malformed: 'envelope is too short or badly formed',
};

export class CryptoError extends Error {
  override readonly name = 'CryptoError';
  readonly code: CryptoErrorCode;

  constructor(code: CryptoErrorCode, message: string = defaultMessages[code]) {
    super(message);
    this.code = code;
  }
}
