// /resume's counters against a real Redis: failures per account in a window, and the
// service-wide rate on passphrase derivations (a second's worth, then none until the next).
import { beforeEach, describe, expect, it } from 'vitest';
import { AttemptCounter } from '../../src/store/attempts.js';
import { redisForFile } from '../support/redis.js';

const file = redisForFile();
beforeEach(async () => {
  await file.client.flushall();
});

describe('resume attempts', () => {
  it('grants 20 derivations a second across all callers, then none until the next second', async () => {
    const counter = new AttemptCounter(file.client, 3_600_000);
    const second = 1_800_000_000_000;
    const granted = await Promise.all(Array.from({ length: 30 }, () => counter.derivationSlot(20, second + 10)));
    expect(granted.filter(Boolean)).toHaveLength(20);
    expect(await counter.derivationSlot(20, second + 999)).toBe(false);
    expect(await counter.derivationSlot(20, second + 1_000)).toBe(true);
    // the counters expire on their own and name nobody
    const keys = await file.client.keys('tl:resume:*');
    expect(keys.every((k) => /^tl:resume:rate:\d+$/.test(k))).toBe(true);
    for (const k of keys) expect(await file.client.pttl(k)).toBeGreaterThan(0);
  });

  it('counts failures per scope in a window that starts with the first', async () => {
    const counter = new AttemptCounter(file.client, 3_600_000);
    expect(await counter.fail('rk:a')).toBe(1);
    expect(await counter.fail('rk:a')).toBe(2);
    expect(await counter.used('rk:b')).toBe(0);
    expect(await file.client.pttl('tl:resume:rk:a')).toBeGreaterThan(3_500_000);
  });
});
