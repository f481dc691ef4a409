// Symmetric content encryption for case fields and messages (XChaCha20-Poly1305 IETF).
// Layout: [version 0x01][24-byte nonce][ciphertext || 16-byte tag].
// The 24-byte nonce is large enough to draw at random for every message; randomness
// comes from node:crypto because libsodium-wrappers' randombytes is ~136 µs per nonce.
import { randomBytes } from 'node:crypto';
import { CryptoError } from './errors.js';
import { sodium } from './sodium.js';

const VERSION = 0x01;
const KEY_BYTES = 32;
const NONCE_BYTES = 24;
const TAG_BYTES = 16;
const HEADER_BYTES = 1 + NONCE_BYTES;

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** A fresh random 32-byte case key. */
export function newCaseKey(): Uint8Array {
  return randomBytes(KEY_BYTES);
}

function checkKey(key: Uint8Array): void {
  // A wrong-length key is a programming error, not tampering: say so distinctly.
  if (key.length !== KEY_BYTES) throw new RangeError(`case key must be ${KEY_BYTES} bytes`);
}

/** Encrypt under `key`; `associatedData` (e.g. case id + field) is authenticated, not stored. */
export function encrypt(key: Uint8Array, plaintext: Uint8Array | string, associatedData: string): Buffer {
  checkKey(key);
  const message = typeof plaintext === 'string' ? Buffer.from(plaintext, 'utf8') : plaintext;
  const nonce = randomBytes(NONCE_BYTES);
  const sealed = sodium().crypto_aead_xchacha20poly1305_ietf_encrypt(message, Buffer.from(associatedData, 'utf8'), null, nonce, key);
  return Buffer.concat([Buffer.of(VERSION), nonce, sealed]);
}

/** Decrypt an envelope, or throw CryptoError; never returns unauthenticated bytes. */
export function decrypt(key: Uint8Array, envelope: Uint8Array, associatedData: string): Buffer {
  checkKey(key);
  if (envelope.length === 0) throw new CryptoError('malformed');
  if (envelope[0] !== VERSION) throw new CryptoError('unknown-version');
  if (envelope.length < HEADER_BYTES + TAG_BYTES) throw new CryptoError('malformed');
  let plain: Uint8Array;
  try {
    plain = sodium().crypto_aead_xchacha20poly1305_ietf_decrypt(
      null,
      envelope.subarray(HEADER_BYTES),
      Buffer.from(associatedData, 'utf8'),
      envelope.subarray(1, HEADER_BYTES),
      key,
    );
  } catch {
    // Inputs were validated above, so the only failure left is authentication.
    throw new CryptoError('tampered');
  }
  return Buffer.from(plain.buffer, plain.byteOffset, plain.byteLength);
}

/** Decrypt an envelope holding UTF-8 text. */
export function decryptText(key: Uint8Array, envelope: Uint8Array, associatedData: string): string {
  const plain = decrypt(key, envelope, associatedData);
  try {
    return utf8.decode(plain);
  } catch {
    // Authentic but not text: the caller used the wrong decoder for this field.
    throw new CryptoError('malformed', 'envelope does not hold UTF-8 text');
  }
}
