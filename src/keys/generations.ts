// Key generations on disk (layout: see files.ts). Rotation adds a generation and
// makes it current; retirement deletes an old generation's files; protection rewraps
// plain secret files with a passphrase. Each step first loads the whole directory, so
// it never writes beside keys that are broken or that the passphrase does not open.
import { randomBytes } from 'node:crypto';
import { readdir, readFile, rename, unlink } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { CURRENT_FILE, KeyFileError, keyFileText, PUBLIC_MODE, SECRET_MODE, syncDir, writeNew, type PassphraseSource } from './files.js';
import { keyRoles, keyId, newKeyPair, sodiumReady, type PwhashLimits, type KeyRing, type KeyRole } from '../crypto/index.js';
import { isProtectedFile, loadKeys, readCurrent } from './loading.js';

export interface GenerationOptions {
  passphrase?: PassphraseSource;
  limits?: PwhashLimits;
}

/** Asks the source at most once however many steps need the passphrase. */
function once(source: PassphraseSource | undefined): PassphraseSource | undefined {
  if (source === undefined) return undefined;
  let asked: Promise<string> | undefined;
  return () => (asked ??= source());
}

/** Replace `path` atomically: a reader sees the old file or the new one, never a mix. */
async function replaceFile(path: string, text: string, mode: number): Promise<void> {
  const temp = `${path}.tmp-${randomBytes(6).toString('hex')}`;
  await writeNew(temp, text, mode);
  await rename(temp, path);
}

export interface Rotation {
  staff: { from: string; to: string };
  relay: { from: string; to: string };
  files: string[];
  protected: boolean;
}

/**
 * New staff and relay key pairs become current. Old secret files stay, so everything
 * sealed to them still opens, until `retireGeneration`. New secret files are protected
 * when pepper.key is, with the same passphrase (one passphrase per directory).
 */
export async function rotateKeys(dir: string, options: GenerationOptions = {}): Promise<Rotation> {
  await sodiumReady();
  const root = resolve(dir);
  const passphrase = once(options.passphrase);
  const ring = await loadKeys(root, { ...(passphrase ? { passphrase } : {}) });
  const protect = await isProtectedFile(join(root, 'pepper.key'));
  const protection = protect ? { passphrase: await passphrase!(), ...(options.limits ? { limits: options.limits } : {}) } : {};

  const next = { staff: newKeyPair(), relay: newKeyPair() };
  const files: string[] = [];
  try {
    for (const role of keyRoles) {
      const pair = next[role];
      const base = join(root, `${role}-${pair.kid}`);
      await writeNew(`${base}.pub`, await keyFileText(pair.publicKey, false), PUBLIC_MODE);
      files.push(`${base}.pub`);
      await writeNew(`${base}.key`, await keyFileText(pair.secretKey, true, protection), SECRET_MODE);
      files.push(`${base}.key`);
    }
  } finally {
    for (const role of keyRoles) next[role].secretKey.fill(0);
  }
  await syncDir(root);
  // The switch itself is this one rename: until it lands the old pairs stay current,
  // and the new files are merely extra keys nothing is sealed to yet.
  const current = { v: 1, staff: next.staff.kid, relay: next.relay.kid };
  await replaceFile(join(root, CURRENT_FILE), `${JSON.stringify(current)}\n`, PUBLIC_MODE);
  await syncDir(root);
  return {
    staff: { from: ring.staff.kid, to: next.staff.kid },
    relay: { from: ring.relay.kid, to: next.relay.kid },
    files: [...files, join(root, CURRENT_FILE)],
    protected: protect,
  };
}

/** Which role a key id belongs to in this ring, and whether it is the current one. */
export function generationOf(ring: KeyRing, kid: string): { role: KeyRole; current: boolean } | undefined {
  for (const role of keyRoles) {
    const secrets = role === 'staff' ? ring.staffSecrets : ring.relaySecrets;
    if (secrets.has(kid)) return { role, current: ring[role].kid === kid };
  }
  return undefined;
}

/** Files of the generation `kid` of `role`: the original pair, or the ones named by kid. */
async function filesOf(root: string, role: KeyRole, kid: string): Promise<{ pub: string; key: string }> {
  const original = join(root, `${role}.pub`);
  const text = await readFile(original, 'utf8').catch(() => '');
  if (text !== '' && keyId(Buffer.from(text.trim(), 'base64')) === kid) return { pub: original, key: join(root, `${role}.key`) };
  return { pub: join(root, `${role}-${kid}.pub`), key: join(root, `${role}-${kid}.key`) };
}

/**
 * Deletes the secret (then the public) file of an old generation. Callers re-seal
 * everything sealed to it first (keys/retire.ts); after this, what was not re-sealed
 * is unreadable for good. The current generation is never removed.
 */
export async function retireGeneration(dir: string, kid: string): Promise<{ role: KeyRole; removed: string[] }> {
  await sodiumReady();
  const root = resolve(dir);
  const current = await readCurrent(root);
  for (const role of keyRoles) {
    const { pub, key } = await filesOf(root, role, kid);
    const names = new Set(await readdir(root));
    const present = [key, pub].filter((p) => names.has(p.slice(root.length + 1)));
    if (present.length === 0) continue;
    if (current === undefined || current[role] === kid) {
      throw new KeyFileError(key, `${kid} is the current ${role} key; run \`trustline keys rotate\` first`);
    }
    // Secret first: a crash in between leaves a harmless public file, not a lone secret.
    for (const path of present) await unlink(path);
    await syncDir(root);
    return { role, removed: present };
  }
  throw new KeyFileError(root, `no key ${kid} in ${root}`);
}

/**
 * Protects every plain secret file of the directory with `passphrase`, in place
 * (each file replaced atomically). Already protected files must open with the same
 * passphrase, so the directory ends with exactly one.
 */
export async function protectKeys(dir: string, passphrase: string, limits?: PwhashLimits): Promise<string[]> {
  await sodiumReady();
  const root = resolve(dir);
  const ring = await loadKeys(root, { passphrase: () => Promise.resolve(passphrase) });
  const secrets = new Map<string, Uint8Array>([[join(root, 'pepper.key'), ring.pepper]]);
  for (const role of keyRoles) {
    for (const pair of (role === 'staff' ? ring.staffSecrets : ring.relaySecrets).values()) {
      secrets.set((await filesOf(root, role, pair.kid)).key, pair.secretKey);
    }
  }
  const changed: string[] = [];
  for (const [path, secret] of secrets) {
    if (await isProtectedFile(path)) continue;
    await replaceFile(path, await keyFileText(secret, true, { passphrase, ...(limits ? { limits } : {}) }), SECRET_MODE);
    changed.push(path);
  }
  await syncDir(root);
  return changed;
}
