// A per-case lease outlives a send that takes longer than its time-to-live, and a
// holder learns when it lost the lease. Renewal by hand extends a lease; a lapsed
// lease is not ours to renew.
import type { Redis } from 'ioredis';
import { beforeAll, describe, expect, it } from 'vitest';
import { claimOrHandOver, tryLease } from '../../src/store/lock.js';
import { redisKeys } from '../../src/store/redis-keys.js';
import { redisForFile } from '../support/redis.js';

const file = redisForFile();
let redis: Redis;
beforeAll(() => {
  redis = file.client;
});

describe('lease', () => {
  it('is renewed while held, so nobody else takes it during a long send', async () => {
    const lease = await tryLease(redis, 'case-a', 300, { keepAlive: true });
    expect(lease).toBeDefined();
    await new Promise((r) => setTimeout(r, 1000)); // more than three times the ttl
    expect(await tryLease(redis, 'case-a', 300)).toBeUndefined();
    expect(lease!.held()).toBe(true);
    await lease!.release();
    const next = await tryLease(redis, 'case-a', 300);
    expect(next).toBeDefined();
    await next!.release();
  });

  it('tells its holder when it was lost', async () => {
    const lease = await tryLease(redis, 'case-b', 300, { keepAlive: true });
    await redis.set(redisKeys.lock('case-b'), 'someone-else');
    await new Promise((r) => setTimeout(r, 250));
    expect(lease!.held()).toBe(false);
  });

  it('hands work to the holder instead of making the second job wait', async () => {
    const holder = await claimOrHandOver(redis, 'case-c', 'job.1', 300);
    expect(holder).toBeDefined();
    // A second job for the case: it does not get the lease, it leaves the holder a mark.
    expect(await claimOrHandOver(redis, 'case-c', 'job.2', 300)).toBeUndefined();
    await new Promise((r) => setTimeout(r, 700)); // the mark lives as long as the lease is renewed
    expect(await holder!.releaseIfIdle()).toBe(false); // more to do: still held
    expect(await claimOrHandOver(redis, 'case-c', 'job.3', 300)).toBeUndefined();
    expect(await holder!.releaseIfIdle()).toBe(false);
    expect(await holder!.releaseIfIdle()).toBe(true); // nothing more: released
    const next = await claimOrHandOver(redis, 'case-c', 'job.4', 300);
    expect(next).toBeDefined();
    expect(await next!.releaseIfIdle()).toBe(true);
  });

  it('lets a retry of the same job take back a lease its failed run left behind', async () => {
    const failed = await claimOrHandOver(redis, 'case-d', 'job.7', 2000);
    // The run dies without letting go (Redis was down when it tried, or the process was killed).
    expect(await claimOrHandOver(redis, 'case-d', 'job.8', 2000)).toBeUndefined(); // handed over...
    const retry = await claimOrHandOver(redis, 'case-d', 'job.7', 2000); // ...to the job that comes back
    expect(retry).toBeDefined();
    expect(await retry!.releaseIfIdle()).toBe(false); // and it sees job.8's work
    expect(await retry!.releaseIfIdle()).toBe(true);
    await failed!.release(); // the old run's token no longer matches: nothing happens
    expect(await claimOrHandOver(redis, 'case-d', 'job.9', 2000)).toBeDefined();
  });

  it('without keepAlive lapses unless renewed by hand, and refuses renewal once another holder took it', async () => {
    const lease = (await tryLease(redis, 'renew-test', 300))!;
    expect(lease).toBeDefined();
    await new Promise((r) => setTimeout(r, 200));
    expect(await lease.renew(300)).toBe(true);
    await new Promise((r) => setTimeout(r, 200));
    expect(await tryLease(redis, 'renew-test', 300)).toBeUndefined(); // still held: renewal worked
    await new Promise((r) => setTimeout(r, 250));
    const other = await tryLease(redis, 'renew-test', 5_000);
    expect(other).toBeDefined();
    expect(await lease.renew(300)).toBe(false);
    await lease.release(); // must not release someone else's lease
    expect(await tryLease(redis, 'renew-test', 300)).toBeUndefined();
    await other!.release();
  });
});
