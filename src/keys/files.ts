// Long-lived keys on disk (TRUSTLINE_KEYS_DIR): one line of base64 per file, or one
// line in the passphrase-protected format (crypto/key-passphrase.ts) for secret files.
// Losing or replacing these makes existing cases unreadable, so init never overwrites
// and loading (loading.ts) refuses anything it cannot fully trust, each time saying how to fix it.
//
// Layout. `keys init` writes five files: staff.pub/.key, relay.pub/.key, pepper.key.
// Each `keys rotate` adds a generation beside them, named by key id
// (staff-<kid>.pub/.key, relay-<kid>.pub/.key), and names the current pair of each role
// in current.json. No file is ever renamed or rewritten by rotation, so a crash at any
// point leaves either the old or the new current pair, never half of one. Without
// current.json the original staff/relay pair is current, exactly as before rotation
// existed. Every generation whose secret file is present can open what was sealed to it.
import { constants } from 'node:fs';
import { lstat, mkdir, open, unlink } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { protectSecret, type PwhashLimits, generateKeyRing, sodiumReady } from '../crypto/index.js';

export const PUBLIC_MODE = 0o644;
export const SECRET_MODE = 0o600;
const DIR_MODE = 0o700;
export const INIT_HINT = 'run `trustline keys init`';

const FILES = ['staff.pub', 'staff.key', 'relay.pub', 'relay.key', 'pepper.key'] as const;
type KeyFileName = (typeof FILES)[number];

/** Names the current generation of each role once keys have been rotated. */
export const CURRENT_FILE = 'current.json';
export const generationName = /^(staff|relay)-([0-9a-f]{16})\.(pub|key)$/;

/** Where the passphrase of protected secret files comes from; asked at most once per load. */
export type PassphraseSource = () => Promise<string>;

export interface ProtectOptions {
  /** Protect the secret files with this passphrase (Argon2id). */
  passphrase?: string;
  /** Argon2id cost; the default suits a server (tests pass cheaper ones). */
  limits?: PwhashLimits;
}

export class KeyFileError extends Error {
  override readonly name = 'KeyFileError';
  /** The file or directory at fault. */
  readonly path: string;

  constructor(path: string, message: string) {
    super(message);
    this.path = path;
  }
}

function encode(bytes: Uint8Array): string {
  return `${Buffer.from(bytes).toString('base64')}\n`;
}

export function isMissing(err: unknown): boolean {
  return (err as NodeJS.ErrnoException).code === 'ENOENT';
}

/** Text of a key file: plain base64, or protected when a passphrase is given. */
export async function keyFileText(bytes: Uint8Array, secret: boolean, protect: ProtectOptions = {}): Promise<string> {
  if (!secret || protect.passphrase === undefined) return encode(bytes);
  return protectSecret(bytes, protect.passphrase, protect.limits);
}

/** Create the five key files in `dir`; refuses if any of them already exists. */
export async function initKeys(dir: string, protect: ProtectOptions = {}): Promise<{ dir: string; files: string[]; staffKid: string; relayKid: string }> {
  await sodiumReady();
  const root = resolve(dir);
  await mkdir(root, { recursive: true, mode: DIR_MODE });

  for (const name of [...FILES, CURRENT_FILE]) {
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
    const texts = new Map<KeyFileName, string>();
    for (const name of FILES) texts.set(name, await keyFileText(contents[name], name.endsWith('.key'), protect));
    for (const name of FILES) {
      const path = join(root, name);
      await writeNew(path, texts.get(name)!, name.endsWith('.key') ? SECRET_MODE : PUBLIC_MODE);
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

export async function exists(path: string): Promise<boolean> {
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
export async function writeNew(path: string, text: string, mode: number): Promise<void> {
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

export async function syncDir(dir: string): Promise<void> {
  const handle = await open(dir, constants.O_RDONLY).catch(() => undefined);
  if (handle === undefined) return;
  await handle.sync().catch(() => {}); // not every filesystem can fsync a directory
  await handle.close();
}
