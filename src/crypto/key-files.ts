// Long-lived keys on disk (TRUSTLINE_KEYS_DIR): one line of base64 per file, or one
// line in the passphrase-protected format (passphrase.ts) for secret files.
// Losing or replacing these makes existing cases unreadable, so init never overwrites
// and load refuses anything it cannot fully trust, each time saying how to fix it.
//
// Layout. `keys init` writes five files: staff.pub/.key, relay.pub/.key, pepper.key.
// Each `keys rotate` adds a generation beside them, named by key id
// (staff-<kid>.pub/.key, relay-<kid>.pub/.key), and names the current pair of each role
// in current.json. No file is ever renamed or rewritten by rotation, so a crash at any
// point leaves either the old or the new current pair, never half of one. Without
// current.json the original staff/relay pair is current, exactly as before rotation
// existed. Every generation whose secret file is present can open what was sealed to it.
import { randomBytes } from 'node:crypto';
import { constants } from 'node:fs';
import { lstat, mkdir, open, readdir, stat, unlink, type FileHandle } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { isProtected, openProtected, PassphraseError, protectSecret, type PwhashLimits } from './passphrase.js';
import { keyId, newKeyPair, type KeyPair } from './sealed.js';
import { sodiumReady, type Sodium } from './sodium.js';

const KEY_BYTES = 32;
export const PUBLIC_MODE = 0o644;
export const SECRET_MODE = 0o600;
const DIR_MODE = 0o700;
const INIT_HINT = 'run `trustline keys init`';

const FILES = ['staff.pub', 'staff.key', 'relay.pub', 'relay.key', 'pepper.key'] as const;
type KeyFileName = (typeof FILES)[number];

export const keyRoles = ['staff', 'relay'] as const;
export type KeyRole = (typeof keyRoles)[number];
/** Names the current generation of each role once keys have been rotated. */
export const CURRENT_FILE = 'current.json';
const generationName = /^(staff|relay)-([0-9a-f]{16})\.(pub|key)$/;

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

/** Text of a key file: plain base64, or protected when a passphrase is given. */
export async function keyFileText(bytes: Uint8Array, secret: boolean, protect: ProtectOptions = {}): Promise<string> {
  if (!secret || protect.passphrase === undefined) return encode(bytes);
  return protectSecret(bytes, protect.passphrase, protect.limits);
}

/** Create the five key files in `dir`; refuses if any of them already exists. */
export async function initKeys(
  dir: string,
  protect: ProtectOptions = {},
): Promise<{ dir: string; files: string[]; staffKid: string; relayKid: string }> {
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

export interface LoadOptions {
  /** Needed only when a secret file is passphrase-protected. */
  passphrase?: PassphraseSource;
}

/** Load and verify every key generation in `dir`: the current pairs, older ones, the pepper. */
export async function loadKeys(dir: string, options: LoadOptions = {}): Promise<KeyRing> {
  const na = await sodiumReady();
  const root = resolve(dir);
  const dirStat = await stat(root).catch((err: unknown) => {
    if (isMissing(err)) throw new KeyFileError(root, `keys directory ${root} does not exist; ${INIT_HINT}`);
    throw err;
  });
  if (!dirStat.isDirectory()) throw new KeyFileError(root, `${root} is not a directory`);

  const secret = secretReader(options.passphrase);
  const pepper = await secret(join(root, 'pepper.key'));
  const current = await readCurrent(root);
  const names = new Set(await readdir(root));
  const staff = await loadRole(root, names, 'staff', current?.staff, secret, na);
  const relay = await loadRole(root, names, 'relay', current?.relay, secret, na);
  return { staff: staff.current, relay: relay.current, pepper, staffSecrets: staff.all, relaySecrets: relay.all };
}

/** current.json, or undefined before the first rotation. */
export async function readCurrent(root: string): Promise<Record<KeyRole, string> | undefined> {
  const path = join(root, CURRENT_FILE);
  let text: string;
  try {
    text = await readKeyText(path, false);
  } catch (err) {
    if (err instanceof KeyFileError && !(await exists(path))) return undefined;
    throw err;
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = undefined;
  }
  const c = parsed as { v?: unknown; staff?: unknown; relay?: unknown } | undefined;
  const kid = (v: unknown): v is string => typeof v === 'string' && /^[0-9a-f]{16}$/.test(v);
  if (c?.v !== 1 || !kid(c.staff) || !kid(c.relay)) {
    throw new KeyFileError(path, `${path} must be {"v":1,"staff":"<key id>","relay":"<key id>"}; restore it from backup`);
  }
  return { staff: c.staff, relay: c.relay };
}

/**
 * Every generation of one role. Without current.json the original pair is required
 * and current. With it, a generation whose secret file is gone has been retired (its
 * public half may stay behind) and is skipped; the one current.json names must load.
 */
async function loadRole(
  root: string,
  names: ReadonlySet<string>,
  role: KeyRole,
  currentKid: string | undefined,
  secret: (path: string) => Promise<Uint8Array>,
  na: Sodium,
): Promise<{ current: KeyPair; all: Map<string, KeyPair> }> {
  const bases: string[] = [];
  if (currentKid === undefined || names.has(`${role}.key`)) bases.push(role);
  for (const name of [...names].sort()) {
    const m = generationName.exec(name);
    if (m && m[1] === role && m[3] === 'key') bases.push(`${role}-${m[2]}`);
  }
  const all = new Map<string, KeyPair>();
  for (const base of bases) {
    const pair = await loadPair(root, base, secret, na);
    const named = generationName.exec(`${base}.pub`)?.[2];
    if (named !== undefined && named !== pair.kid) {
      const path = join(root, `${base}.pub`);
      throw new KeyFileError(path, `${path} holds key ${pair.kid}, not ${named} as its name says; restore it from backup`);
    }
    all.set(pair.kid, pair);
  }
  const current = currentKid === undefined ? all.get([...all.keys()][0]!) : all.get(currentKid);
  if (current === undefined) {
    const path = join(root, `${role}-${currentKid}.key`);
    throw new KeyFileError(path, `${CURRENT_FILE} names ${role} key ${currentKid}, but ${path} is missing; restore it from backup`);
  }
  // Current first: callers that list generations show it at the top.
  return { current, all: new Map([[current.kid, current], ...all]) };
}

async function loadPair(
  root: string,
  base: string,
  secret: (path: string) => Promise<Uint8Array>,
  na: Sodium,
): Promise<KeyPair> {
  const pubPath = join(root, `${base}.pub`);
  const keyPath = join(root, `${base}.key`);
  const publicKey = await readKeyFile(pubPath, false);
  const secretKey = await secret(keyPath);
  // A secret key that does not produce its public key would seal to one key and open with another.
  if (!na.memcmp(na.crypto_scalarmult_base(secretKey), publicKey)) {
    throw new KeyFileError(keyPath, `${keyPath} does not match ${pubPath}; restore the pair from backup`);
  }
  return { publicKey, secretKey, kid: keyId(publicKey) };
}

/** Reads secret files, asking for the passphrase once, the first time a file needs it. */
function secretReader(source: PassphraseSource | undefined): (path: string) => Promise<Uint8Array> {
  let asked: Promise<string> | undefined;
  return async (path) => {
    const text = await readKeyText(path, true);
    if (!isProtected(text)) return decodeKey(path, text);
    if (source === undefined) {
      throw new KeyFileError(
        path,
        `${path} is protected with a passphrase: set TRUSTLINE_KEY_PASSPHRASE, or run the command in a terminal to be asked for it`,
      );
    }
    asked ??= source();
    try {
      return await openProtected(text, await asked);
    } catch (err) {
      if (err instanceof PassphraseError) throw new KeyFileError(path, `cannot open ${path}: ${err.message}`);
      throw err;
    }
  };
}

/** True when `path` holds a passphrase-protected secret. */
export async function isProtectedFile(path: string): Promise<boolean> {
  return isProtected(await readKeyText(path, true));
}

async function readKeyFile(path: string, secret: boolean): Promise<Uint8Array> {
  return decodeKey(path, await readKeyText(path, secret));
}

function decodeKey(path: string, text: string): Uint8Array {
  // Strict check: Buffer.from(..., 'base64') silently skips junk.
  const bytes = /^[A-Za-z0-9+/]{43}=$/.test(text) ? Buffer.from(text, 'base64') : undefined;
  if (bytes === undefined || bytes.length !== KEY_BYTES) {
    throw new KeyFileError(path, `${path} must hold one line of base64 encoding exactly ${KEY_BYTES} bytes`);
  }
  return new Uint8Array(bytes);
}

async function readKeyText(path: string, secret: boolean): Promise<string> {
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
    return (await handle.readFile('utf8')).trim();
  } finally {
    await handle.close();
  }
}
