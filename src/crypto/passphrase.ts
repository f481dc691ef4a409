// Receipt passphrases: a few random words a reporter writes down to come back to their
// case from another account or number. Only a slow hash is stored: scrypt (libsodium-
// wrappers' non-sumo build has no crypto_pwhash) over the words, salted at random and
// peppered, so a Redis dump alone cannot even be brute-forced offline.
import { randomBytes, randomInt, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import { sodium } from './sodium.js';
import { WORDS } from './wordlist.js';

/** 4 words of 10 bits: 40 bits against an online guesser who gets a handful of tries an hour. */
export const PASSPHRASE_WORDS = 4;

const VERSION = 0x01;
const SALT_BYTES = 16;
const HASH_BYTES = 32;
// ~32 MiB and ~0.1 s per check on a small server: cheap for a reporter, costly in bulk.
const PARAMS: ScryptOptions = { N: 2 ** 15, r: 8, p: 1, maxmem: 64 * 1024 * 1024 };

export function newPassphrase(words = PASSPHRASE_WORDS): string {
  return Array.from({ length: words }, () => WORDS[randomInt(WORDS.length)]!).join(' ');
}

/** What a person typed, reduced to the canonical form: lower case, single spaces. */
export function normalizePassphrase(input: string): string {
  return input
    .toLowerCase()
    .split(/[^a-z]+/)
    .filter(Boolean)
    .join(' ');
}

function derive(passphrase: string, salt: Uint8Array, pepper: Uint8Array): Promise<Buffer> {
  const pepperKey = sodium().crypto_generichash(32, Buffer.from('trustline/passphrase/v1'), pepper);
  return new Promise((resolve, reject) =>
    scrypt(normalizePassphrase(passphrase), Buffer.concat([salt, pepperKey]), HASH_BYTES, PARAMS, (err, key) => (err ? reject(err) : resolve(key))),
  );
}

/** [version][16-byte salt][32-byte scrypt hash] */
export async function hashPassphrase(passphrase: string, pepper: Uint8Array): Promise<Buffer> {
  const salt = randomBytes(SALT_BYTES);
  return Buffer.concat([Buffer.of(VERSION), salt, await derive(passphrase, salt, pepper)]);
}

export async function verifyPassphrase(passphrase: string, pepper: Uint8Array, stored: Uint8Array): Promise<boolean> {
  if (stored.length !== 1 + SALT_BYTES + HASH_BYTES || stored[0] !== VERSION) return false;
  const expected = stored.subarray(1 + SALT_BYTES);
  const actual = await derive(passphrase, stored.subarray(1, 1 + SALT_BYTES), pepper);
  return timingSafeEqual(actual, expected);
}
