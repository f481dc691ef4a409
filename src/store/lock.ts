// A lease in Redis: per-case ordering across processes and a guard against two
// workers posting the same case at once. Expires by itself if its holder crashes.
import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import { redisKeys } from './keys.js';

const RELEASE = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end`;
const RENEW = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('pexpire', KEYS[1], ARGV[2]) else return 0 end`;

export interface Lease {
  release(): Promise<void>;
  /** Extends the lease by ttlMs; false when it lapsed and is no longer ours. */
  renew(ttlMs: number): Promise<boolean>;
}

export async function tryLease(redis: Redis, name: string, ttlMs: number): Promise<Lease | undefined> {
  const key = redisKeys.lock(name);
  const token = randomBytes(12).toString('base64url');
  const ok = await redis.set(key, token, 'PX', ttlMs, 'NX');
  if (ok !== 'OK') return undefined;
  return {
    async release() {
      await redis.eval(RELEASE, 1, key, token);
    },
    async renew(renewMs) {
      return (await redis.eval(RENEW, 1, key, token, renewMs)) === 1;
    },
  };
}
