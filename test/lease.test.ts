// A per-case lease outlives a send that takes longer than its time-to-live, and a
// holder learns when it lost the lease.
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tryLease } from '../src/store/lock.js';
import { redisKeys } from '../src/store/keys.js';
import type { RedisServer } from '../src/sandbox/redis-server.js';
import { useRedis } from './support/redis.js';

let server: RedisServer;
let redis: Redis;
beforeAll(async () => {
  ({ server, client: redis } = await useRedis());
});
afterAll(async () => {
  redis.disconnect();
  await server.stop();
});

describe('lease', () => {
  it('is renewed while held, so nobody else takes it during a long send', async () => {
    const lease = await tryLease(redis, 'case-a', 300);
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
    const lease = await tryLease(redis, 'case-b', 300);
    await redis.set(redisKeys.lock('case-b'), 'someone-else');
    await new Promise((r) => setTimeout(r, 250));
    expect(lease!.held()).toBe(false);
  });
});
