// Opened case keys and addresses are kept briefly, handed out as copies, and zeroed
// when they expire.
import { describe, expect, it, vi } from 'vitest';
import { generateKeyRing, OpenedCache, seal, sodiumReady } from '../../src/crypto/index.js';
import * as sealed from '../../src/crypto/sealed.js';

describe('opened cache', () => {
  it('opens a sealed value once per time-to-live, and hands out copies the caller may zero', async () => {
    await sodiumReady();
    const keys = generateKeyRing();
    const secret = Buffer.from('0123456789abcdef0123456789abcdef');
    const box = seal(keys.staff.publicKey, secret);
    let now = 1_000;
    const cache = new OpenedCache(30_000, 100, () => now);
    const opens = vi.spyOn(sealed, 'open');

    const a = cache.open(keys.staffSecrets, box);
    a.fill(0); // a caller zeroing its copy does not spoil the cache
    const b = cache.open(keys.staffSecrets, box);
    expect(b.equals(secret)).toBe(true);
    expect(opens).toHaveBeenCalledTimes(1);

    now += 30_001;
    const c = cache.open(keys.staffSecrets, box);
    expect(c.equals(secret)).toBe(true);
    expect(opens).toHaveBeenCalledTimes(2);
    opens.mockRestore();
    cache.clear();
    expect(cache.size).toBe(0);
  });

  it('keeps at most maxEntries, dropping the oldest', async () => {
    await sodiumReady();
    const keys = generateKeyRing();
    const cache = new OpenedCache(30_000, 3);
    for (let i = 0; i < 5; i++) cache.open(keys.staffSecrets, seal(keys.staff.publicKey, `value ${i}`));
    expect(cache.size).toBe(3);
    cache.clear();
  });
});
