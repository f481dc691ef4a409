import { describe, it, expect, beforeAll, afterEach, vi } from 'vitest';
import { randomBytes } from 'node:crypto';
import { chmod, mkdtemp, readFile, readdir, rm, stat, unlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CryptoError,
  decrypt,
  decryptText,
  encrypt,
  generateKeyRing,
  isCaseCode,
  keyId,
  newCaseCode,
  newCaseId,
  newCaseKey,
  newKeyPair,
  normalizeCaseCode,
  open,
  reporterKeyOf,
  seal,
  sodium,
  sodiumReady,
  type KeyRing,
} from '../../src/crypto/index.js';
import { KeyFileError, initKeys } from '../../src/keys/files.js';
import { loadKeys } from '../../src/keys/loading.js';

const ALPHABET = '23456789ABCDEFGHJKMNPQRSTVWXYZ';
const KEY_FILES = ['pepper.key', 'relay.key', 'relay.pub', 'staff.key', 'staff.pub'];

beforeAll(async () => {
  await sodiumReady();
});

/** Run `fn`, expecting a CryptoError, and return its code. */
function codeOf(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(CryptoError);
    expect((err as CryptoError).name).toBe('CryptoError');
    return (err as CryptoError).code;
  }
  throw new Error('expected a CryptoError, nothing was thrown');
}

function flipped(bytes: Uint8Array, index: number): Buffer {
  const copy = Buffer.from(bytes);
  copy[index] = copy[index]! ^ 0x01;
  return copy;
}

describe('sodium', () => {
  it('sodium() throws before sodiumReady() and works after it', async () => {
    vi.resetModules(); // a fresh copy of the module, not the one beforeAll initialised
    const fresh = await import('../../src/crypto/sodium.js');
    expect(() => fresh.sodium()).toThrow(/sodiumReady/);
    const lib = await fresh.sodiumReady();
    expect(fresh.sodium()).toBe(lib);
    expect(await fresh.sodiumReady()).toBe(lib);
  });
});

describe('envelope', () => {
  const key = newCaseKey();
  const ad = 'case:abc/field:description';

  it('makes distinct 32-byte case keys', () => {
    expect(key).toHaveLength(32);
    expect(Buffer.from(newCaseKey()).equals(Buffer.from(newCaseKey()))).toBe(false);
  });

  it('round-trips text with a version byte and a fresh nonce each time', () => {
    const a = encrypt(key, 'hello', ad);
    const b = encrypt(key, 'hello', ad);
    expect(a[0]).toBe(0x01);
    expect(a).toHaveLength(1 + 24 + 5 + 16);
    expect(a.subarray(1, 25).equals(b.subarray(1, 25))).toBe(false);
    expect(a.includes(Buffer.from('hello'))).toBe(false);
    expect(decryptText(key, a, ad)).toBe('hello');
  });

  it('round-trips binary, empty and 4096-character Kazakh/Cyrillic text', () => {
    const binary = randomBytes(1000);
    expect(decrypt(key, encrypt(key, binary, ad), ad).equals(binary)).toBe(true);
    expect(decrypt(key, encrypt(key, new Uint8Array(0), ad), ad)).toHaveLength(0);
    const kk = 'Қазақстан: ңғүұөһі — мектептегі қорлау туралы хабарлама. Привет, ёжик! ';
    const long = kk.repeat(Math.ceil(4096 / kk.length)).slice(0, 4096);
    expect(long).toHaveLength(4096);
    expect(Buffer.byteLength(long)).toBeGreaterThan(4096);
    expect(decryptText(key, encrypt(key, long, ad), ad)).toBe(long);
  });

  it('detects a flipped byte in the nonce, ciphertext and tag', () => {
    const env = encrypt(key, 'a report that must not change', ad);
    for (const index of [1, 24, 25, 30, env.length - 16, env.length - 1]) {
      expect(codeOf(() => decrypt(key, flipped(env, index), ad))).toBe('tampered');
    }
  });

  it('rejects the wrong key and the wrong associated data', () => {
    const env = encrypt(key, 'secret', ad);
    expect(codeOf(() => decrypt(newCaseKey(), env, ad))).toBe('tampered');
    expect(codeOf(() => decrypt(key, env, 'case:abc/field:category'))).toBe('tampered');
    expect(codeOf(() => decrypt(key, env, ''))).toBe('tampered');
  });

  it('rejects an unknown version and a truncated envelope', () => {
    const env = encrypt(key, 'secret', ad);
    expect(codeOf(() => decrypt(key, Buffer.concat([Buffer.of(0x02), env.subarray(1)]), ad))).toBe('unknown-version');
    expect(codeOf(() => decrypt(key, new Uint8Array(0), ad))).toBe('malformed');
    expect(codeOf(() => decrypt(key, env.subarray(0, 40), ad))).toBe('malformed');
    // 41 bytes is the minimum well-formed size (empty plaintext): truncation shows up as tampering.
    expect(codeOf(() => decrypt(key, env.subarray(0, 41), ad))).toBe('tampered');
  });

  it('refuses to decode authentic binary as text, and keeps plaintext out of messages', () => {
    const env = encrypt(key, Buffer.of(0xff, 0xfe, 0xfd), ad);
    expect(codeOf(() => decryptText(key, env, ad))).toBe('malformed');
    const err = (() => {
      try {
        decrypt(key, encrypt(key, 'my name is Aigerim', ad), 'wrong');
      } catch (e) {
        return e as Error;
      }
      throw new Error('expected decrypt to throw');
    })();
    expect(err.message).not.toContain('Aigerim');
    expect(err.message).not.toContain(Buffer.from(key).toString('hex'));
  });

  it('rejects a key of the wrong length as a programming error', () => {
    expect(() => encrypt(new Uint8Array(16), 'x', ad)).toThrow(RangeError);
  });
});

describe('sealed', () => {
  let ring: KeyRing;
  beforeAll(() => {
    ring = generateKeyRing();
  });

  it('derives a 16-hex-char key id from BLAKE2b-256 of the public key', () => {
    const kid = keyId(ring.staff.publicKey);
    expect(kid).toMatch(/^[0-9a-f]{16}$/);
    const full = Buffer.from(sodium().crypto_generichash(32, ring.staff.publicKey, null)).toString('hex');
    expect(full.startsWith(kid)).toBe(true);
    expect(ring.staff.kid).toBe(kid);
    expect(keyId(ring.relay.publicKey)).not.toBe(kid);
  });

  it('seals and opens, tagging the output with version and key id', () => {
    const caseKey = newCaseKey();
    const sealed = seal(ring.staff.publicKey, caseKey);
    expect(sealed[0]).toBe(0x01);
    expect(sealed.subarray(1, 9).toString('hex')).toBe(ring.staff.kid);
    expect(sealed).toHaveLength(1 + 8 + 32 + 32 + 16);
    expect(open(ring.staffSecrets, sealed).equals(Buffer.from(caseKey))).toBe(true);
    expect(open(ring.relaySecrets, seal(ring.relay.publicKey, '+77011234567')).toString()).toBe('+77011234567');
  });

  it('uses a fresh ephemeral key for every seal', () => {
    const a = seal(ring.staff.publicKey, 'same');
    const b = seal(ring.staff.publicKey, 'same');
    expect(a.subarray(9, 41).equals(b.subarray(9, 41))).toBe(false);
  });

  it('is a standard sealed box: crypto_box_seal_open opens it and open() opens crypto_box_seal', () => {
    const na = sodium();
    const sealed = seal(ring.staff.publicKey, 'compatible');
    const opened = na.crypto_box_seal_open(sealed.subarray(9), ring.staff.publicKey, ring.staff.secretKey);
    expect(Buffer.from(opened).toString()).toBe('compatible');

    const theirs = na.crypto_box_seal('the other way', ring.staff.publicKey);
    const wrapped = Buffer.concat([Buffer.of(0x01), Buffer.from(ring.staff.kid, 'hex'), theirs]);
    expect(open(ring.staffSecrets, wrapped).toString()).toBe('the other way');
  });

  it('reports unknown-key for another key ring, tampered for modified bytes', () => {
    const sealed = seal(ring.staff.publicKey, 'x');
    expect(codeOf(() => open(generateKeyRing().staffSecrets, sealed))).toBe('unknown-key');
    expect(codeOf(() => open(ring.relaySecrets, sealed))).toBe('unknown-key');
    expect(codeOf(() => open(ring.staffSecrets, flipped(sealed, 1)))).toBe('unknown-key');
    for (const index of [9, 40, 41, sealed.length - 1]) {
      expect(codeOf(() => open(ring.staffSecrets, flipped(sealed, index)))).toBe('tampered');
    }
    // A map entry whose secret does not fit the kid (mis-built ring) cannot open either.
    const wrong = new Map([[ring.staff.kid, { ...newKeyPair(), kid: ring.staff.kid }]]);
    expect(codeOf(() => open(wrong, sealed))).toBe('tampered');
  });

  it('rejects unknown versions and short input', () => {
    const sealed = seal(ring.staff.publicKey, 'x');
    expect(codeOf(() => open(ring.staffSecrets, flipped(sealed, 0)))).toBe('unknown-version');
    expect(codeOf(() => open(ring.staffSecrets, new Uint8Array(0)))).toBe('malformed');
    expect(codeOf(() => open(ring.staffSecrets, sealed.subarray(0, 56)))).toBe('malformed');
  });
});

describe('reporterKeyOf', () => {
  const pepper = randomBytes(32);

  it('is deterministic, base64url without padding, and hides the address', () => {
    const a = reporterKeyOf(pepper, 'telegram', '123456789');
    expect(reporterKeyOf(Buffer.from(pepper), 'telegram', '123456789')).toBe(a);
    expect(a).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(a).not.toContain('123456789');
  });

  it('depends on the pepper, the channel and the address', () => {
    const a = reporterKeyOf(pepper, 'telegram', '123456789');
    expect(reporterKeyOf(randomBytes(32), 'telegram', '123456789')).not.toBe(a);
    expect(reporterKeyOf(pepper, 'whatsapp', '123456789')).not.toBe(a);
    expect(reporterKeyOf(pepper, 'telegram', '123456780')).not.toBe(a);
  });

  it('is keyed BLAKE2b-256 over "channel:address"', () => {
    const expected = sodium().crypto_generichash(32, Buffer.from('whatsapp:77011234567@c.us'), pepper);
    expect(reporterKeyOf(pepper, 'whatsapp', '77011234567@c.us')).toBe(Buffer.from(expected).toString('base64url'));
  });
});

describe('case codes and ids', () => {
  it('formats XXX-XXX from the unambiguous alphabet, unique and unbiased over 10k draws', () => {
    const codes = Array.from({ length: 10_000 }, () => newCaseCode());
    const counts = new Map<string, number>();
    for (const code of codes) {
      expect(code).toMatch(/^[23456789ABCDEFGHJKMNPQRSTVWXYZ]{3}-[23456789ABCDEFGHJKMNPQRSTVWXYZ]{3}$/);
      expect(isCaseCode(code)).toBe(true);
      for (const ch of code.replace('-', '')) counts.set(ch, (counts.get(ch) ?? 0) + 1);
    }
    // 30^6 ≈ 7.3e8 codes: 10k draws collide with p ≈ 7%, two or more clashes with p ≈ 0.2%,
    // three with p ≈ 5e-5. A sequential or low-entropy generator fails this by far.
    expect(10_000 - new Set(codes).size).toBeLessThanOrEqual(2);
    // Every symbol appears, and none of the excluded look-alikes ever do.
    expect([...counts.keys()].sort().join('')).toBe(ALPHABET);
    // Modulo bias (byte % 30 without rejection) would favour the first 16 symbols:
    // ~33,750 of 60,000 instead of 32,000 (σ ≈ 122). Allow ±5σ.
    const firstSixteen = [...ALPHABET.slice(0, 16)].reduce((sum, ch) => sum + (counts.get(ch) ?? 0), 0);
    expect(Math.abs(firstSixteen - 32_000)).toBeLessThan(610);
  });

  it('is not sequential: consecutive codes rarely share a prefix', () => {
    const codes = Array.from({ length: 1000 }, () => newCaseCode());
    let shared = 0;
    for (let i = 1; i < codes.length; i++) if (codes[i]!.slice(0, 5) === codes[i - 1]!.slice(0, 5)) shared++;
    // Random: expected 999/30^4 ≈ 0.001 pairs. A counter shares its first five characters 29 times in 30.
    expect(shared).toBeLessThan(3);
  });

  it('normalises what people type', () => {
    expect(normalizeCaseCode('k7q-4fd')).toBe('K7Q-4FD');
    expect(normalizeCaseCode('  k7q4fd ')).toBe('K7Q-4FD');
    expect(normalizeCaseCode('K7Q 4FD')).toBe('K7Q-4FD');
    expect(normalizeCaseCode('K7Q–4FD')).toBe('K7Q-4FD'); // en dash from a phone keyboard
    expect(normalizeCaseCode('K0Q-4FD')).toBeUndefined(); // 0 is not in the alphabet
    expect(normalizeCaseCode('KIQ-4FD')).toBeUndefined();
    expect(normalizeCaseCode('K7Q-4FDX')).toBeUndefined();
    expect(normalizeCaseCode('K7Q--4FD')).toBeUndefined();
    expect(isCaseCode('k7q-4fd')).toBe(false);
    expect(isCaseCode('K7Q4FD')).toBe(false);
  });

  it('makes 22-character base64url case ids', () => {
    const ids = new Set(Array.from({ length: 1000 }, () => newCaseId()));
    expect(ids.size).toBe(1000);
    for (const id of ids) expect(id).toMatch(/^[A-Za-z0-9_-]{22}$/);
  });
});

describe('key files', () => {
  const temps: string[] = [];
  async function tempDir(): Promise<string> {
    const dir = await mkdtemp(join(tmpdir(), 'trustline-keys-'));
    temps.push(dir);
    return dir;
  }
  afterEach(async () => {
    await Promise.all(temps.splice(0).map((d) => rm(d, { recursive: true, force: true })));
  });

  const modeOf = async (path: string): Promise<number> => (await stat(path)).mode & 0o777;

  async function snapshot(dir: string): Promise<Record<string, string>> {
    const out: Record<string, string> = {};
    for (const name of (await readdir(dir)).sort()) out[name] = (await readFile(join(dir, name))).toString('hex');
    return out;
  }

  it.each([0o022, 0o077])('creates 0600 secrets and 0644 public keys in a new 0700 directory (umask %o)', async (umask) => {
    const dir = join(await tempDir(), 'keys');
    const previous = process.umask(umask);
    let result: Awaited<ReturnType<typeof initKeys>>;
    try {
      result = await initKeys(dir);
    } finally {
      process.umask(previous);
    }
    expect(await modeOf(dir)).toBe(0o700);
    expect((await readdir(dir)).sort()).toEqual(KEY_FILES);
    expect([...result.files].sort()).toEqual(KEY_FILES.map((f) => join(dir, f)));
    for (const name of KEY_FILES) {
      expect([name, await modeOf(join(dir, name))]).toEqual([name, name.endsWith('.key') ? 0o600 : 0o644]);
      expect(await readFile(join(dir, name), 'utf8')).toMatch(/^[A-Za-z0-9+/]{43}=\n$/);
    }
    expect(result.dir).toBe(dir);
    expect(result.staffKid).toMatch(/^[0-9a-f]{16}$/);
    expect(result.relayKid).not.toBe(result.staffKid);
  });

  it('refuses to overwrite and leaves existing files byte-identical', async () => {
    const dir = await tempDir();
    await initKeys(dir);
    const before = await snapshot(dir);
    const err = await initKeys(dir).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(KeyFileError);
    expect((err as Error).name).toBe('KeyFileError');
    expect((err as Error).message).toContain('staff.pub');
    expect((err as Error).message).toContain('nothing was written');
    expect(await snapshot(dir)).toEqual(before);
  });

  it('refuses if only one of the files exists, and writes none of the others', async () => {
    const dir = await tempDir();
    await writeFile(join(dir, 'pepper.key'), 'hand-made\n', { mode: 0o600 });
    await expect(initKeys(dir)).rejects.toThrow(/pepper\.key.*nothing was written/);
    expect(await readdir(dir)).toEqual(['pepper.key']);
    expect(await readFile(join(dir, 'pepper.key'), 'utf8')).toBe('hand-made\n');
  });

  it('loads what init wrote', async () => {
    const dir = await tempDir();
    const made = await initKeys(dir);
    const ring = await loadKeys(dir);
    expect(ring.staff.kid).toBe(made.staffKid);
    expect(ring.relay.kid).toBe(made.relayKid);
    expect(Buffer.from(ring.staff.publicKey).toString('base64') + '\n').toBe(await readFile(join(dir, 'staff.pub'), 'utf8'));
    expect(Buffer.from(ring.pepper).toString('base64') + '\n').toBe(await readFile(join(dir, 'pepper.key'), 'utf8'));
    expect([...ring.staffSecrets.keys()]).toEqual([made.staffKid]);
    expect([...ring.relaySecrets.keys()]).toEqual([made.relayKid]);
    expect(open(ring.staffSecrets, seal(ring.staff.publicKey, 'k')).toString()).toBe('k');
    expect(open(ring.relaySecrets, seal(ring.relay.publicKey, 'r')).toString()).toBe('r');
    expect(reporterKeyOf(ring.pepper, 'telegram', '1')).toBe(reporterKeyOf((await loadKeys(dir)).pepper, 'telegram', '1'));
  });

  it('refuses a group/world-readable secret file and says to chmod 600 it', async () => {
    const dir = await tempDir();
    await initKeys(dir);
    const file = join(dir, 'relay.key');
    await chmod(file, 0o644);
    const err = await loadKeys(dir).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(KeyFileError);
    expect((err as Error).message).toContain(`chmod 600 ${file}`);
    await chmod(file, 0o640);
    await expect(loadKeys(dir)).rejects.toThrow(`chmod 600 ${file}`);
    await chmod(file, 0o600);
    await expect(loadKeys(dir)).resolves.toBeDefined();
  });

  it('names a missing file and the missing directory, pointing at keys init', async () => {
    const dir = await tempDir();
    await expect(loadKeys(join(dir, 'nope'))).rejects.toThrow(/nope.*trustline keys init/);
    await initKeys(dir);
    await unlink(join(dir, 'relay.pub'));
    const err = await loadKeys(dir).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(KeyFileError);
    expect((err as Error).message).toContain(join(dir, 'relay.pub'));
    expect((err as Error).message).toContain('trustline keys init');
  });

  it('rejects wrong-length content and a secret key that does not match its public key', async () => {
    const dir = await tempDir();
    await initKeys(dir);
    const pepper = join(dir, 'pepper.key');
    await writeFile(pepper, randomBytes(31).toString('base64') + '\n');
    await expect(loadKeys(dir)).rejects.toThrow(/pepper\.key.*32 bytes/);
    // Junk that Buffer.from(..., 'base64') would silently skip must not load either.
    const valid = randomBytes(32).toString('base64');
    await writeFile(pepper, `${valid.slice(0, 10)}*${valid.slice(10)}\n`);
    await expect(loadKeys(dir)).rejects.toThrow(/pepper\.key.*32 bytes/);
    await writeFile(pepper, `${valid}\n`);
    await expect(loadKeys(dir)).resolves.toBeDefined();

    await writeFile(join(dir, 'staff.key'), await readFile(join(dir, 'relay.key')));
    await expect(loadKeys(dir)).rejects.toThrow(/staff\.key does not match .*staff\.pub/);
  });
});
