// Secret key files protected by a passphrase. Argon2id (libsodium's crypto_pwhash)
// stretches the passphrase into a 32-byte key; that key encrypts the file's 32 secret
// bytes with our ordinary XChaCha20-Poly1305 envelope. The file stays one text line:
//
//   tl-protected-key v1 argon2id13 ops=3 mem=67108864 salt=<base64> box=<base64>
//
// Everything before " box=" is authenticated as associated data, so a file whose
// cost parameters were edited fails to open instead of being opened more cheaply.
//
// libsodium-wrappers (the build the rest of Trustline uses) has no crypto_pwhash; the
// sumo build has. It is imported only here, and only when a protected file is read or
// written, so an installation without passphrases never loads the second module.
import { randomBytes } from 'node:crypto';
import { CryptoError } from './errors.js';
import { decrypt, encrypt } from './envelope.js';

const PREFIX = 'tl-protected-key v1 argon2id13';
const SALT_BYTES = 16;
const KEY_BYTES = 32;
const MiB = 1024 * 1024;

export interface PwhashLimits {
  /** Argon2 passes over memory. */
  ops: number;
  /** Bytes of memory. */
  mem: number;
}

/**
 * RFC 9106's second recommended option (t=3, m=64 MiB): about 0.25 s per file on a
 * 2-core server in WebAssembly, paid once per file at start-up.
 */
export const defaultLimits: PwhashLimits = { ops: 3, mem: 64 * MiB };

// What a file may ask for. Below: too cheap to slow down guessing. Above: a file
// edited to demand gigabytes would stall start-up (the header is only authenticated
// after the expensive hash has run).
const bounds = { ops: [1, 10], mem: [8 * MiB, 1024 * MiB] } as const;

/** Shorter passphrases are refused when protecting (not when opening). */
export const MIN_PASSPHRASE_LENGTH = 12;

export type PassphraseProblem = 'wrong' | 'malformed' | 'limits' | 'weak';

export class PassphraseError extends Error {
  override readonly name = 'PassphraseError';
  constructor(
    readonly problem: PassphraseProblem,
    message: string,
  ) {
    super(message);
  }
}

type Sumo = typeof import('libsodium-wrappers-sumo').default;
let sumo: Promise<Sumo> | undefined;

function loadSumo(): Promise<Sumo> {
  sumo ??= import('libsodium-wrappers-sumo').then(async ({ default: lib }) => {
    await lib.ready;
    return lib;
  });
  return sumo;
}

/** True when the text of a key file is in the protected format. */
export function isProtected(fileText: string): boolean {
  return fileText.trimStart().startsWith(`${PREFIX} `);
}

// Passphrases typed on different keyboards (Kazakh, Russian, Latin) may arrive in
// different Unicode forms; NFC makes the same characters the same bytes.
const normalized = (passphrase: string) => passphrase.normalize('NFC');

async function stretch(passphrase: string, salt: Uint8Array, limits: PwhashLimits): Promise<Uint8Array> {
  const lib = await loadSumo();
  return lib.crypto_pwhash(KEY_BYTES, normalized(passphrase), salt, limits.ops, limits.mem, lib.crypto_pwhash_ALG_ARGON2ID13);
}

function checkLimits(limits: PwhashLimits): void {
  const ok =
    Number.isInteger(limits.ops) &&
    Number.isInteger(limits.mem) &&
    limits.ops >= bounds.ops[0] &&
    limits.ops <= bounds.ops[1] &&
    limits.mem >= bounds.mem[0] &&
    limits.mem <= bounds.mem[1];
  if (!ok) {
    throw new PassphraseError(
      'limits',
      `Argon2id limits out of range (ops ${bounds.ops[0]}-${bounds.ops[1]}, ` + `memory ${bounds.mem[0] / MiB}-${bounds.mem[1] / MiB} MiB)`,
    );
  }
}

/** The protected file text (one line) for a 32-byte secret. */
export async function protectSecret(secret: Uint8Array, passphrase: string, limits: PwhashLimits = defaultLimits): Promise<string> {
  if ([...normalized(passphrase)].length < MIN_PASSPHRASE_LENGTH) {
    throw new PassphraseError('weak', `the passphrase must be at least ${MIN_PASSPHRASE_LENGTH} characters long`);
  }
  checkLimits(limits);
  const salt = randomBytes(SALT_BYTES);
  const header = `${PREFIX} ops=${limits.ops} mem=${limits.mem} salt=${salt.toString('base64')}`;
  const key = await stretch(passphrase, salt, limits);
  try {
    return `${header} box=${encrypt(key, secret, header).toString('base64')}\n`;
  } finally {
    key.fill(0);
  }
}

const format = new RegExp(`^(${PREFIX} ops=(\\d{1,3}) mem=(\\d{1,12}) salt=([A-Za-z0-9+/]{22}==)) box=([A-Za-z0-9+/]+={0,2})$`);

/** The 32 secret bytes of a protected file; PassphraseError when they cannot be had. */
export async function openProtected(fileText: string, passphrase: string): Promise<Uint8Array> {
  const match = format.exec(fileText.trim());
  if (match === null) throw new PassphraseError('malformed', 'not a well-formed protected key file');
  const [, header, ops, mem, salt, box] = match as unknown as [string, string, string, string, string, string];
  const limits = { ops: Number(ops), mem: Number(mem) };
  checkLimits(limits);
  const key = await stretch(passphrase, Buffer.from(salt, 'base64'), limits);
  let secret: Buffer;
  try {
    secret = decrypt(key, Buffer.from(box, 'base64'), header);
  } catch (err) {
    if (err instanceof CryptoError && err.code === 'tampered') {
      // The two causes cannot be told apart, by design; the likely one comes first.
      throw new PassphraseError('wrong', 'wrong passphrase (or the file was modified)');
    }
    throw new PassphraseError('malformed', 'not a well-formed protected key file');
  } finally {
    key.fill(0);
  }
  if (secret.length !== KEY_BYTES) throw new PassphraseError('malformed', `protected content is not ${KEY_BYTES} bytes`);
  return new Uint8Array(secret);
}
