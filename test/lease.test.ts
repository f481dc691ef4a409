// Leases: renewal keeps a lease alive past its first TTL; a lapsed lease is not ours to renew.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Redis } from 'ioredis';
import { tryLease } from '../src/store/lock.js';
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

describe('lease renewal', () => {
  it('extends a held lease and refuses once another holder took it', async () => {
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
