// A lease in Redis: per-case ordering across processes and a guard against two
// workers posting the same case at once. Expires by itself if its holder crashes.
import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import { redisKeys } from './keys.js';

const RELEASE = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end`;
const EXTEND = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('pexpire', KEYS[1], ARGV[2]) else return 0 end`;

export interface Lease {
  release(): Promise<void>;
}

export async function tryLease(redis: Redis, name: string, ttlMs: number): Promise<Lease | undefined> {
  const key = redisKeys.lock(name);
  const token = randomBytes(12).toString('base64url');
  const ok = await redis.set(key, token, 'PX', ttlMs, 'NX');
  if (ok !== 'OK') return undefined;
  // Renewed while held: a flush can outlast one lease (Telegram asking us to wait),
  // and a lapsed lease would let a second worker post the same case out of order.
  const renew = setInterval(() => {
    redis.eval(EXTEND, 1, key, token, ttlMs).catch(() => undefined);
  }, Math.max(100, Math.floor(ttlMs / 3)));
  renew.unref();
  return {
    async release() {
      clearInterval(renew);
      await redis.eval(RELEASE, 1, key, token);
    },
  };
}
