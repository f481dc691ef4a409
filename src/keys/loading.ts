// Loading the keys directory (layout: see files.ts): every generation of the staff
// and relay pairs, the pepper, and passphrase-protected secret files.
import { open, readdir, stat, type FileHandle } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { CURRENT_FILE, exists, generationName, INIT_HINT, isMissing, KeyFileError, type PassphraseSource } from './files.js';
import {
  KEY_BYTES,
  type KeyRing,
  type KeyRole,
  keyId,
  type KeyPair,
  sodiumReady,
  type Sodium,
  isProtected,
  openProtected,
  PassphraseError,
} from '../crypto/index.js';

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

async function loadPair(root: string, base: string, secret: (path: string) => Promise<Uint8Array>, na: Sodium): Promise<KeyPair> {
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
      throw new KeyFileError(path, `${path} is protected with a passphrase: set TRUSTLINE_KEY_PASSPHRASE, or run the command in a terminal to be asked for it`);
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
        `${path} is accessible to group or others (mode 0${(mode & 0o777).toString(8)}); ` + `refusing to use it: run \`chmod 600 ${path}\``,
      );
    }
    return (await handle.readFile('utf8')).trim();
  } finally {
    await handle.close();
  }
}
