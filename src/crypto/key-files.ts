// Long-lived keys on disk (TRUSTLINE_KEYS_DIR): one line of base64 per file.
// Losing or replacing these makes existing cases unreadable, so init never overwrites
// and load refuses anything it cannot fully trust, each time saying how to fix it.
import { randomBytes } from 'node:crypto';
import { constants } from 'node:fs';
import { lstat, mkdir, open, stat, unlink, type FileHandle } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { keyId, newKeyPair, type KeyPair } from './sealed.js';
import { sodiumReady } from './sodium.js';

const KEY_BYTES = 32;
const PUBLIC_MODE = 0o644;
const SECRET_MODE = 0o600;
const DIR_MODE = 0o700;
const INIT_HINT = 'run `trustline keys init`';

const FILES = ['staff.pub', 'staff.key', 'relay.pub', 'relay.key', 'pepper.key'] as const;
type KeyFileName = (typeof FILES)[number];

export class KeyFileError extends Error {
  override readonly name = 'KeyFileError';
  /** The file or directory at fault. */
  readonly path: string;

  constructor(path: string, message: string) {
    super(message);
    this.path = path;
  }
}

export interface KeyRing {
  staff: KeyPair;
  relay: KeyPair;
  pepper: Uint8Array;
  /** Key pairs that can open staff-sealed values (current now; retired ones after rotation). */
  staffSecrets: ReadonlyMap<string, KeyPair>;
  relaySecrets: ReadonlyMap<string, KeyPair>;
}

function ringOf(staff: KeyPair, relay: KeyPair, pepper: Uint8Array): KeyRing {
  return {
    staff,
    relay,
    pepper,
    staffSecrets: new Map([[staff.kid, staff]]),
    relaySecrets: new Map([[relay.kid, relay]]),
  };
}

/** In-memory keys for tests and the sandbox (libsodium must be ready). */
export function generateKeyRing(): KeyRing {
  return ringOf(newKeyPair(), newKeyPair(), randomBytes(KEY_BYTES));
}

function encode(bytes: Uint8Array): string {
  return `${Buffer.from(bytes).toString('base64')}\n`;
}

function isMissing(err: unknown): boolean {
  return (err as NodeJS.ErrnoException).code === 'ENOENT';
}

/** Create the five key files in `dir`; refuses if any of them already exists. */
export async function initKeys(
  dir: string,
): Promise<{ dir: string; files: string[]; staffKid: string; relayKid: string }> {
  await sodiumReady();
  const root = resolve(dir);
  await mkdir(root, { recursive: true, mode: DIR_MODE });

  for (const name of FILES) {
    const path = join(root, name);
    if (await exists(path)) throw refusal(path);
  }

  const ring = generateKeyRing();
  const contents: Record<KeyFileName, Uint8Array> = {
    'staff.pub': ring.staff.publicKey,
    'staff.key': ring.staff.secretKey,
    'relay.pub': ring.relay.publicKey,
    'relay.key': ring.relay.secretKey,
    'pepper.key': ring.pepper,
  };

  const written: string[] = [];
  try {
    for (const name of FILES) {
      const path = join(root, name);
      await writeNew(path, encode(contents[name]), name.endsWith('.key') ? SECRET_MODE : PUBLIC_MODE);
      written.push(path);
    }
  } catch (err) {
    // Undo only what this call created, so a failed init leaves the directory as it was.
    await Promise.all(written.map((p) => unlink(p).catch(() => {})));
    const { code, path } = err as NodeJS.ErrnoException;
    // EEXIST here means a file appeared after the check above (a concurrent init).
    if (code === 'EEXIST') throw refusal(path ?? root);
    throw err;
  } finally {
    // Best effort: the secrets now live only in their files.
    for (const secret of [ring.staff.secretKey, ring.relay.secretKey, ring.pepper]) secret.fill(0);
  }
  await syncDir(root);
  return { dir: root, files: written, staffKid: ring.staff.kid, relayKid: ring.relay.kid };
}

async function exists(path: string): Promise<boolean> {
  try {
    await lstat(path); // lstat: a dangling symlink still counts as "exists"
    return true;
  } catch (err) {
    if (isMissing(err)) return false;
    throw err;
  }
}

function refusal(path: string): KeyFileError {
  return new KeyFileError(
    path,
    `${path} already exists; nothing was written. Existing keys are needed to read existing ` +
      'cases: keep them, or move the whole keys directory aside if you really mean to start over.',
  );
}

/**
 * Create `path` exclusively ('wx': never follows or replaces an existing file) with
 * `mode`, write and fsync. A crash leaves no file, or one that init refuses to touch
 * and load rejects as malformed: never a half-written secret silently overwritten.
 */
async function writeNew(path: string, text: string, mode: number): Promise<void> {
  const handle = await open(path, 'wx', mode);
  try {
    await handle.chmod(mode); // the umask may have narrowed a public file's mode
    await handle.writeFile(text, 'utf8');
    await handle.sync();
  } catch (err) {
    await handle.close();
    await unlink(path).catch(() => {}); // we created it, so removing it is ours to do
    throw err;
  }
  await handle.close();
}

async function syncDir(dir: string): Promise<void> {
  const handle = await open(dir, constants.O_RDONLY).catch(() => undefined);
  if (handle === undefined) return;
  await handle.sync().catch(() => {}); // not every filesystem can fsync a directory
  await handle.close();
}

/** Load and verify the five key files in `dir`. */
export async function loadKeys(dir: string): Promise<KeyRing> {
  const na = await sodiumReady();
  const root = resolve(dir);
  const dirStat = await stat(root).catch((err: unknown) => {
    if (isMissing(err)) throw new KeyFileError(root, `keys directory ${root} does not exist; ${INIT_HINT}`);
    throw err;
  });
  if (!dirStat.isDirectory()) throw new KeyFileError(root, `${root} is not a directory`);

  const read = async (name: KeyFileName): Promise<Uint8Array> => readKeyFile(join(root, name), name.endsWith('.key'));
  const pepper = await read('pepper.key');
  const pair = async (role: 'staff' | 'relay'): Promise<KeyPair> => {
    const publicKey = await read(`${role}.pub`);
    const secretKey = await read(`${role}.key`);
    // A secret key that does not produce its public key would seal to one key and open with another.
    if (!na.memcmp(na.crypto_scalarmult_base(secretKey), publicKey)) {
      throw new KeyFileError(
        join(root, `${role}.key`),
        `${join(root, `${role}.key`)} does not match ${join(root, `${role}.pub`)}; restore the pair from backup`,
      );
    }
    return { publicKey, secretKey, kid: keyId(publicKey) };
  };
  return ringOf(await pair('staff'), await pair('relay'), pepper);
}

async function readKeyFile(path: string, secret: boolean): Promise<Uint8Array> {
  let handle: FileHandle;
  try {
    handle = await open(path, 'r');
  } catch (err) {
    if (isMissing(err)) {
      throw new KeyFileError(
        path,
        `key file ${path} is missing. On a new install ${INIT_HINT}; if the other key files ` +
          'exist, restore this one from backup instead (new keys cannot read existing cases).',
      );
    }
    throw err;
  }
  try {
    // fstat on the open handle: the mode checked is the mode of the file actually read.
    const { mode } = await handle.stat();
    if (secret && (mode & 0o077) !== 0) {
      throw new KeyFileError(
        path,
        `${path} is accessible to group or others (mode 0${(mode & 0o777).toString(8)}); ` +
          `refusing to use it: run \`chmod 600 ${path}\``,
      );
    }
    const text = (await handle.readFile('utf8')).trim();
    // Strict check: Buffer.from(..., 'base64') silently skips junk.
    const bytes = /^[A-Za-z0-9+/]{43}=$/.test(text) ? Buffer.from(text, 'base64') : undefined;
    if (bytes === undefined || bytes.length !== KEY_BYTES) {
      throw new KeyFileError(path, `${path} must hold one line of base64 encoding exactly ${KEY_BYTES} bytes`);
    }
    return new Uint8Array(bytes);
  } finally {
    await handle.close();
  }
}
