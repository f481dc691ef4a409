import { afterAll, describe, expect, it } from 'vitest';
import { assertDurable, RedisNotDurable } from '../../src/store/redis.js';
import { useRedis } from '../support/redis.js';
import type { RedisServer } from '../../src/sandbox/redis-server.js';
import type { Redis } from 'ioredis';

const started: { server: RedisServer; client: Redis }[] = [];
afterAll(async () => {
  for (const r of started) {
    r.client.disconnect();
    await r.server.stop();
  }
});

describe('Redis durability check', () => {
  const strict = { volatile: false, everysec: false };

  it('accepts AOF fsynced on every write, with noeviction', async () => {
    const r = await useRedis();
    started.push(r);
    await expect(assertDurable(r.client, strict)).resolves.toEqual({ appendonly: true, evictionPolicy: 'noeviction', fsync: 'always' });
  });

  it('refuses appendfsync everysec with the reason, unless REDIS_ALLOW_EVERYSEC', async () => {
    const r = await useRedis({ appendfsync: 'everysec' });
    started.push(r);
    await expect(assertDurable(r.client, strict)).rejects.toThrow(/acknowledged[\s\S]*appendfsync is everysec[\s\S]*power cut[\s\S]*REDIS_ALLOW_EVERYSEC=true/);
    await expect(assertDurable(r.client, { volatile: false, everysec: true })).resolves.toMatchObject({ fsync: 'everysec' });
  });

  it('refuses Redis without AOF or with eviction, naming both problems', async () => {
    const r = await useRedis({ appendonly: false });
    started.push(r);
    await r.client.config('SET', 'maxmemory-policy', 'allkeys-lru');
    const check = assertDurable(r.client, strict);
    await expect(check).rejects.toBeInstanceOf(RedisNotDurable);
    await expect(check).rejects.toThrow(/appendonly[\s\S]*allkeys-lru[\s\S]*REDIS_ALLOW_VOLATILE/);
  });

  it('lets a throwaway setup through with the explicit override', async () => {
    const r = await useRedis({ appendonly: false });
    started.push(r);
    await expect(assertDurable(r.client, { volatile: true, everysec: false })).resolves.toMatchObject({ appendonly: false });
  });
});
