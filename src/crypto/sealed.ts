// Anonymous public-key sealing (case keys to staff, return addresses to the relay).
// Layout: [version 0x01][8-byte key id][libsodium sealed box = epk || box].
// The key id names the recipient key so old values stay openable after rotation.
//
// We build the sealed box ourselves rather than call crypto_box_seal: the wrapper
// draws the ephemeral key through its randombytes (~2,800 seals/s). The construction
// is libsodium's own, so crypto_box_seal_open opens our output unchanged.
import { randomBytes } from 'node:crypto';
import { CryptoError } from './errors.js';
import { sodium } from './sodium.js';

const VERSION = 0x01;
const KID_BYTES = 8;
const KEY_BYTES = 32;
const NONCE_BYTES = 24;
const SEAL_OVERHEAD = KEY_BYTES + 16; // ephemeral public key + Poly1305 tag
const HEADER_BYTES = 1 + KID_BYTES;

export type KeyPair = { publicKey: Uint8Array; secretKey: Uint8Array; kid: string };

/** Secret key pairs by key id: the current pair plus any retired ones. */
export type SecretKeys = ReadonlyMap<string, KeyPair>;

function kidBytes(publicKey: Uint8Array): Uint8Array {
  return sodium().crypto_generichash(32, publicKey, null).subarray(0, KID_BYTES);
}

/** Key id: first 8 bytes of BLAKE2b-256(publicKey), lowercase hex. */
export function keyId(publicKey: Uint8Array): string {
  return Buffer.from(kidBytes(publicKey)).toString('hex');
}

/** A fresh X25519 key pair, seeded from node:crypto. */
export function newKeyPair(): KeyPair {
  const seed = randomBytes(KEY_BYTES);
  const { publicKey, privateKey } = sodium().crypto_box_seed_keypair(seed);
  seed.fill(0);
  return { publicKey, secretKey: privateKey, kid: keyId(publicKey) };
}

/** Seal `plaintext` so only the holder of `publicKey`'s secret key can open it. */
export function seal(publicKey: Uint8Array, plaintext: Uint8Array | string): Buffer {
  if (publicKey.length !== KEY_BYTES) throw new RangeError(`public key must be ${KEY_BYTES} bytes`);
  const na = sodium();
  const message = typeof plaintext === 'string' ? Buffer.from(plaintext, 'utf8') : plaintext;
  const seed = randomBytes(KEY_BYTES);
  const ephemeral = na.crypto_box_seed_keypair(seed);
  try {
    // Same nonce derivation as crypto_box_seal: BLAKE2b-192(epk || recipient pk).
    const nonce = na.crypto_generichash(NONCE_BYTES, Buffer.concat([ephemeral.publicKey, publicKey]), null);
    const box = na.crypto_box_easy(message, nonce, publicKey, ephemeral.privateKey);
    return Buffer.concat([Buffer.of(VERSION), kidBytes(publicKey), ephemeral.publicKey, box]);
  } finally {
    // Best effort: the ephemeral secret is what would let someone open this box.
    na.memzero(ephemeral.privateKey);
    seed.fill(0);
  }
}

/** The key id a sealed value names, or undefined for anything that is not a sealed value. */
export function sealedKeyId(sealed: Uint8Array): string | undefined {
  if (sealed.length < HEADER_BYTES + SEAL_OVERHEAD || sealed[0] !== VERSION) return undefined;
  return Buffer.from(sealed.subarray(1, HEADER_BYTES)).toString('hex');
}

/** Open a sealed value with the key pair its key id names; throws CryptoError. */
export function open(keys: SecretKeys, sealed: Uint8Array): Buffer {
  if (sealed.length === 0) throw new CryptoError('malformed');
  if (sealed[0] !== VERSION) throw new CryptoError('unknown-version');
  if (sealed.length < HEADER_BYTES + SEAL_OVERHEAD) throw new CryptoError('malformed');
  const kid = Buffer.from(sealed.subarray(1, HEADER_BYTES)).toString('hex');
  const pair = keys.get(kid);
  if (pair === undefined) throw new CryptoError('unknown-key');
  let plain: Uint8Array;
  try {
    plain = sodium().crypto_box_seal_open(sealed.subarray(HEADER_BYTES), pair.publicKey, pair.secretKey);
  } catch {
    throw new CryptoError('tampered');
  }
  return Buffer.from(plain.buffer, plain.byteOffset, plain.byteLength);
}
