import { randomBytes } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { hashPassphrase, newPassphrase, normalizePassphrase, sodiumReady, verifyPassphrase } from '../../src/crypto/index.js';
import { WORDS } from '../../src/crypto/wordlist.js';

beforeAll(async () => {
  await sodiumReady();
});

describe('receipt passphrases', () => {
  it('draw 4 words from a list of 1,024 distinct short words', () => {
    expect(WORDS).toHaveLength(1024);
    expect(new Set(WORDS).size).toBe(1024);
    for (const w of WORDS) expect(w).toMatch(/^[a-z]{3,6}$/);
    const phrases = Array.from({ length: 200 }, () => newPassphrase());
    for (const p of phrases) {
      expect(p.split(' ')).toHaveLength(4);
      for (const w of p.split(' ')) expect(WORDS).toContain(w);
    }
    expect(new Set(phrases).size).toBe(200);
  });

  it('verify what a person types back, forgiving case and separators', async () => {
    const pepper = randomBytes(32);
    const hash = await hashPassphrase('cold leaf image model', pepper);
    expect(await verifyPassphrase('cold leaf image model', pepper, hash)).toBe(true);
    expect(await verifyPassphrase('  Cold-LEAF, image\nmodel ', pepper, hash)).toBe(true);
    expect(await verifyPassphrase('cold leaf image modem', pepper, hash)).toBe(false);
    expect(await verifyPassphrase('cold leaf image', pepper, hash)).toBe(false);
    expect(await verifyPassphrase('cold leaf image model', randomBytes(32), hash)).toBe(false); // peppered
    expect(normalizePassphrase('A—b  c')).toBe('a b c');
  });

  it('store only a salted slow hash: no words, different each time, and slow to check', async () => {
    const pepper = randomBytes(32);
    const a = await hashPassphrase('cold leaf image model', pepper);
    const b = await hashPassphrase('cold leaf image model', pepper);
    expect(a.equals(b)).toBe(false);
    expect(a.length).toBe(49);
    expect(a.toString('latin1')).not.toContain('cold');
    const started = performance.now();
    await verifyPassphrase('wrong words here now', pepper, a);
    expect(performance.now() - started).toBeGreaterThan(20); // scrypt N=2^15: tens of ms, not microseconds
    expect(await verifyPassphrase('cold leaf image model', pepper, Buffer.from('garbage'))).toBe(false);
  });
});
