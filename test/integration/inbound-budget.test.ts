// The per-reporter message budget against a real Redis: a burst, then a steady rate;
// one notice per window; atomic under concurrency; keys that expire and name no one.
import { beforeEach, describe, expect, it } from 'vitest';
import type { ReporterKey } from '../../src/shared/ids.js';
import { InboundBudget } from '../../src/store/inbound-budget.js';
import { redisForFile } from '../support/redis.js';

const file = redisForFile();
let redis: typeof file.client;
beforeEach(async () => {
  redis = file.client;
  await redis.flushall();
});

const A = 'reporter-key-a' as ReporterKey;
const B = 'reporter-key-b' as ReporterKey;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function takeMany(budget: InboundBudget, rk: ReporterKey, n: number) {
  const verdicts = [];
  for (let i = 0; i < n; i++) verdicts.push(await budget.take(rk));
  return verdicts;
}

describe('inbound budget', () => {
  it('lets a burst in, then turns messages away, telling the reporter once', async () => {
    // one a minute after the burst: nothing refills while the test runs
    const budget = new InboundBudget(redis, { burst: 5, perMinute: 1 });
    expect(await takeMany(budget, A, 9)).toEqual(['pass', 'pass', 'pass', 'pass', 'pass', 'tell', 'quiet', 'quiet', 'quiet']);
    // another reporter has a budget of their own
    expect(await budget.take(B)).toBe('pass');
  });

  it('lets a reporter who slows down in again, and tells them again in the next window', async () => {
    // 1 ms per message, notices at most every 300 ms
    const budget = new InboundBudget(redis, { burst: 1, perMinute: 60_000 }, 300);
    expect(await budget.take(A)).toBe('pass');
    await sleep(20);
    expect(await budget.take(A)).toBe('pass');
    const slow = new InboundBudget(redis, { burst: 1, perMinute: 1 }, 300);
    expect(await takeMany(slow, B, 3)).toEqual(['pass', 'tell', 'quiet']);
    await sleep(350);
    expect(await takeMany(slow, B, 2)).toEqual(['tell', 'quiet']);
  });

  it('counts concurrent messages exactly (one script per message)', async () => {
    const budget = new InboundBudget(redis, { burst: 10, perMinute: 1 });
    const verdicts = await Promise.all(Array.from({ length: 200 }, () => budget.take(A)));
    expect(verdicts.filter((v) => v === 'pass')).toHaveLength(10);
    expect(verdicts.filter((v) => v === 'tell')).toHaveLength(1);
    expect(verdicts.filter((v) => v === 'quiet')).toHaveLength(189);
  });

  it('keeps one small expiring key per reporter, named by the reporter key only', async () => {
    const budget = new InboundBudget(redis, { burst: 20, perMinute: 30 });
    await takeMany(budget, A, 1_000);
    expect(await redis.keys('*')).toEqual(['tl:flood:reporter-key-a']);
    expect(Object.keys(await redis.hgetall('tl:flood:reporter-key-a')).sort()).toEqual(['tat', 'told']);
    const ttl = await redis.pttl('tl:flood:reporter-key-a');
    // until the burst has refilled (20 x 2 s) or the notice window (60 s) has passed
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(60_000);

    // an idle reporter leaves nothing behind
    const quick = new InboundBudget(redis, { burst: 3, perMinute: 60_000 }, 50);
    await takeMany(quick, B, 10);
    await sleep(150);
    expect(await redis.exists('tl:flood:reporter-key-b')).toBe(0);
  });

  it('refuses a budget that would let nothing in', () => {
    expect(() => new InboundBudget(redis, { burst: 0, perMinute: 30 })).toThrow(RangeError);
  });
});
