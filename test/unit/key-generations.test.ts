// Key files over time: passphrase protection, rotation and retirement on disk.
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CryptoError, newKeyPair, open, seal, sodiumReady } from '../../src/crypto/index.js';
import { KeyFileError, initKeys } from '../../src/keys/files.js';
import { loadKeys } from '../../src/keys/loading.js';
import { protectKeys, retireGeneration, rotateKeys } from '../../src/keys/generations.js';
import { openProtected, protectSecret } from '../../src/crypto/key-passphrase.js';

// Cheap Argon2id for tests; production files use 3 passes over 64 MiB.
const cheap = { ops: 1, mem: 8 * 1024 * 1024 };
const PASSPHRASE = 'жылқы батареясы staple 7';

beforeAll(async () => {
  await sodiumReady();
});

const temps: string[] = [];
async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'trustline-gen-'));
  temps.push(dir);
  return dir;
}
afterEach(async () => {
  await Promise.all(temps.splice(0).map((d) => rm(d, { recursive: true, force: true })));
});

async function snapshot(dir: string, names: string[]): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const name of names) out[name] = await readFile(join(dir, name), 'utf8');
  return out;
}

const asked = (passphrase: string) => {
  const calls = { n: 0 };
  return { calls, source: async () => (calls.n++, passphrase) };
};

describe('passphrase-protected secret files', () => {
  it('init protects every secret file; load opens them with the passphrase, asking once', async () => {
    const dir = await tempDir();
    const made = await initKeys(dir, { passphrase: PASSPHRASE, limits: cheap });
    for (const name of ['staff.key', 'relay.key', 'pepper.key']) {
      const text = await readFile(join(dir, name), 'utf8');
      expect(text).toMatch(/^tl-protected-key v1 argon2id13 ops=1 mem=8388608 salt=\S+ box=\S+\n$/);
      expect((await stat(join(dir, name))).mode & 0o777).toBe(0o600);
    }
    // Public files stay plain: intake needs no passphrase to seal.
    expect(await readFile(join(dir, 'staff.pub'), 'utf8')).toMatch(/^[A-Za-z0-9+/]{43}=\n$/);
    const { calls, source } = asked(PASSPHRASE);
    const ring = await loadKeys(dir, { passphrase: source });
    expect(calls.n).toBe(1);
    expect(ring.staff.kid).toBe(made.staffKid);
    expect(open(ring.staffSecrets, seal(ring.staff.publicKey, 'case key')).toString()).toBe('case key');
    expect(open(ring.relaySecrets, seal(ring.relay.publicKey, 'address')).toString()).toBe('address');
  });

  it('a wrong passphrase is a clear KeyFileError naming the file, not a crypto failure', async () => {
    const dir = await tempDir();
    await initKeys(dir, { passphrase: PASSPHRASE, limits: cheap });
    const err = await loadKeys(dir, { passphrase: async () => 'not the passphrase' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(KeyFileError);
    expect((err as Error).message).toBe(`cannot open ${join(dir, 'pepper.key')}: wrong passphrase (or the file was modified)`);
    expect((err as Error).message).not.toContain('not the passphrase');
  });

  it('without a passphrase source, says how to give one', async () => {
    const dir = await tempDir();
    await initKeys(dir, { passphrase: PASSPHRASE, limits: cheap });
    await expect(loadKeys(dir)).rejects.toThrow(/pepper\.key is protected with a passphrase: set TRUSTLINE_KEY_PASSPHRASE/);
  });

  it('the same characters typed in another Unicode form open the file (NFC)', async () => {
    const composed = 'Қазақстан-2026 ключ й';
    const text = await protectSecret(new Uint8Array(32).fill(7), composed, cheap);
    const decomposed = composed.normalize('NFD');
    expect(decomposed).not.toBe(composed);
    expect(Buffer.from(await openProtected(text, decomposed))).toEqual(Buffer.alloc(32, 7));
  });

  it('authenticates the cost parameters and refuses absurd ones before hashing', async () => {
    const text = await protectSecret(new Uint8Array(32).fill(1), PASSPHRASE, cheap);
    // Made cheaper by an attacker: another key comes out (and the header is associated data).
    const weakened = text.replace('ops=1 mem=8388608', 'ops=2 mem=8388608');
    await expect(openProtected(weakened, PASSPHRASE)).rejects.toThrow(/wrong passphrase/);
    // Made enormous: refused at once instead of allocating 4 GiB.
    const huge = text.replace('mem=8388608', 'mem=4294967296');
    const started = Date.now();
    await expect(openProtected(huge, PASSPHRASE)).rejects.toThrow(/limits out of range/);
    expect(Date.now() - started).toBeLessThan(1000);
    await expect(openProtected('tl-protected-key v1 argon2id13 junk', PASSPHRASE)).rejects.toThrow(/well-formed/);
  });

  it('refuses a short passphrase when protecting', async () => {
    const dir = await tempDir();
    await expect(initKeys(dir, { passphrase: 'short', limits: cheap })).rejects.toThrow(/at least 12 characters/);
    expect(await readdir(dir)).toEqual([]);
  });

  it('protectKeys wraps an existing plain directory in place; old seals still open', async () => {
    const dir = await tempDir();
    await initKeys(dir);
    const before = await loadKeys(dir);
    const sealed = seal(before.staff.publicKey, 'old case key');
    const changed = await protectKeys(dir, PASSPHRASE, cheap);
    expect(changed.map((p) => p.slice(dir.length + 1)).sort()).toEqual(['pepper.key', 'relay.key', 'staff.key']);
    expect((await readdir(dir)).sort()).toEqual(['pepper.key', 'relay.key', 'relay.pub', 'staff.key', 'staff.pub']);
    await expect(loadKeys(dir)).rejects.toThrow(/protected with a passphrase/);
    const after = await loadKeys(dir, { passphrase: async () => PASSPHRASE });
    expect(open(after.staffSecrets, sealed).toString()).toBe('old case key');
    expect(Buffer.from(after.pepper)).toEqual(Buffer.from(before.pepper));
    // A second run finds nothing plain left; a different passphrase is refused.
    expect(await protectKeys(dir, PASSPHRASE, cheap)).toEqual([]);
    await expect(protectKeys(dir, 'another long passphrase', cheap)).rejects.toThrow(/wrong passphrase/);
  });
});

describe('rotation', () => {
  const ORIGINAL = ['pepper.key', 'relay.key', 'relay.pub', 'staff.key', 'staff.pub'];

  it('makes new pairs current, keeps old ones able to open, and leaves the original files untouched', async () => {
    const dir = await tempDir();
    const made = await initKeys(dir);
    const first = await loadKeys(dir);
    const oldCaseKey = seal(first.staff.publicKey, 'old case key');
    const oldAddress = seal(first.relay.publicKey, 'old address');
    const original = await snapshot(dir, ORIGINAL);

    const rotation = await rotateKeys(dir);
    expect(rotation.staff.from).toBe(made.staffKid);
    expect(rotation.relay.from).toBe(made.relayKid);
    expect(rotation.staff.to).not.toBe(made.staffKid);
    expect(await snapshot(dir, ORIGINAL)).toEqual(original);
    expect((await readdir(dir)).sort()).toEqual(
      [
        ...ORIGINAL,
        'current.json',
        `staff-${rotation.staff.to}.key`,
        `staff-${rotation.staff.to}.pub`,
        `relay-${rotation.relay.to}.key`,
        `relay-${rotation.relay.to}.pub`,
      ].sort(),
    );
    expect(JSON.parse(await readFile(join(dir, 'current.json'), 'utf8'))).toEqual({
      v: 1,
      staff: rotation.staff.to,
      relay: rotation.relay.to,
    });

    const ring = await loadKeys(dir);
    expect(ring.staff.kid).toBe(rotation.staff.to);
    expect(ring.relay.kid).toBe(rotation.relay.to);
    expect([...ring.staffSecrets.keys()]).toEqual([rotation.staff.to, made.staffKid]);
    expect(open(ring.staffSecrets, oldCaseKey).toString()).toBe('old case key');
    expect(open(ring.relaySecrets, oldAddress).toString()).toBe('old address');
    expect(Buffer.from(ring.pepper)).toEqual(Buffer.from(first.pepper)); // reporters keep their cases

    const again = await rotateKeys(dir);
    const third = await loadKeys(dir);
    expect(third.staff.kid).toBe(again.staff.to);
    expect(third.staffSecrets.size).toBe(3);
    expect(open(third.staffSecrets, oldCaseKey).toString()).toBe('old case key');
  });

  it('a rotation that crashed before current.json changed leaves the old pair current', async () => {
    const dir = await tempDir();
    const made = await initKeys(dir);
    // What a crash after writing the new generation, before the pointer, leaves behind.
    const stray = newKeyPair();
    await writeFile(join(dir, `staff-${stray.kid}.pub`), `${Buffer.from(stray.publicKey).toString('base64')}\n`, { mode: 0o644 });
    await writeFile(join(dir, `staff-${stray.kid}.key`), `${Buffer.from(stray.secretKey).toString('base64')}\n`, { mode: 0o600 });
    const ring = await loadKeys(dir);
    expect(ring.staff.kid).toBe(made.staffKid);
    expect(ring.staffSecrets.has(stray.kid)).toBe(true);
  });

  it('refuses a generation file whose key does not match the id in its name', async () => {
    const dir = await tempDir();
    await initKeys(dir);
    const r = await rotateKeys(dir);
    const other = newKeyPair();
    await writeFile(join(dir, `staff-${r.staff.to}.pub`), `${Buffer.from(other.publicKey).toString('base64')}\n`);
    await writeFile(join(dir, `staff-${r.staff.to}.key`), `${Buffer.from(other.secretKey).toString('base64')}\n`, { mode: 0o600 });
    await expect(loadKeys(dir)).rejects.toThrow(new RegExp(`holds key ${other.kid}, not ${r.staff.to}`));
  });

  it('says which current secret is missing', async () => {
    const dir = await tempDir();
    await initKeys(dir);
    const r = await rotateKeys(dir);
    await rm(join(dir, `relay-${r.relay.to}.key`));
    await expect(loadKeys(dir)).rejects.toThrow(/current\.json names relay key .* is missing; restore it from backup/);
  });

  it('protects new secret files of a protected directory, and refuses a wrong passphrase writing nothing', async () => {
    const dir = await tempDir();
    await initKeys(dir, { passphrase: PASSPHRASE, limits: cheap });
    const before = (await readdir(dir)).sort();
    await expect(rotateKeys(dir, { passphrase: async () => 'wrong passphrase!!', limits: cheap })).rejects.toThrow(/wrong passphrase/);
    expect((await readdir(dir)).sort()).toEqual(before);

    const { calls, source } = asked(PASSPHRASE);
    const r = await rotateKeys(dir, { passphrase: source, limits: cheap });
    expect(calls.n).toBe(1);
    expect(r.protected).toBe(true);
    expect(await readFile(join(dir, `staff-${r.staff.to}.key`), 'utf8')).toMatch(/^tl-protected-key v1/);
    expect((await loadKeys(dir, { passphrase: async () => PASSPHRASE })).staff.kid).toBe(r.staff.to);
  });
});

describe('retiring a generation on disk', () => {
  it('removes an old generation; what was sealed to it no longer opens, the rest does', async () => {
    const dir = await tempDir();
    const made = await initKeys(dir);
    const first = await loadKeys(dir);
    const old = seal(first.staff.publicKey, 'old');
    const r = await rotateKeys(dir);
    const ring = await loadKeys(dir);
    const fresh = seal(ring.staff.publicKey, 'new');

    await expect(retireGeneration(dir, r.staff.to)).rejects.toThrow(/current staff key; run `trustline keys rotate` first/);
    const gone = await retireGeneration(dir, made.staffKid);
    expect(gone).toEqual({ role: 'staff', removed: [join(dir, 'staff.key'), join(dir, 'staff.pub')] });
    const after = await loadKeys(dir);
    expect([...after.staffSecrets.keys()]).toEqual([r.staff.to]);
    expect(() => open(after.staffSecrets, old)).toThrow(CryptoError);
    expect(open(after.staffSecrets, fresh).toString()).toBe('new');
    await expect(retireGeneration(dir, made.staffKid)).rejects.toThrow(/no key/);
  });

  it('refuses to retire the only generation', async () => {
    const dir = await tempDir();
    const made = await initKeys(dir);
    await expect(retireGeneration(dir, made.relayKid)).rejects.toThrow(/current relay key/);
    await expect(loadKeys(dir)).resolves.toBeDefined();
  });

  it('init refuses a rotated directory even after the original pair was retired', async () => {
    const dir = await tempDir();
    const made = await initKeys(dir);
    await rotateKeys(dir);
    await retireGeneration(dir, made.staffKid);
    await retireGeneration(dir, made.relayKid);
    await expect(initKeys(dir)).rejects.toThrow(/already exists/);
  });
});
